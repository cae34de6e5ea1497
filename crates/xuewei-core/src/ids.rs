//! Dense `u32` identifiers.
//!
//! External string ids (school codes, pupil numbers) become these indices once, when an
//! [`Instance`](crate::Instance) is built; every algorithm works on them.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub u32);

        impl $name {
            /// The raw index, for indexing a `Vec`.
            #[inline]
            #[must_use]
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The id for a raw index.
            ///
            /// # Panics
            /// If `index` does not fit in `u32` (more than 4 billion items).
            #[inline]
            #[must_use]
            pub fn from_index(index: usize) -> Self {
                Self(u32::try_from(index).expect("index fits in u32"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A pupil (student), by dense index into the instance's pupils.
    StudentId
);
id_type!(
    /// A school, by dense index into the instance's schools.
    SchoolId
);
id_type!(
    /// A pupil group (e.g. the pupils of one junior high for 指标到校 quota places).
    GroupId
);
id_type!(
    /// A school district (学区), by dense index.
    DistrictId
);

/// Sentinel for "none" in dense `u32` arrays.
pub(crate) const NONE: u32 = u32::MAX;
