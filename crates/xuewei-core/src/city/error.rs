//! Problems of a city assembled in code ([`City::new`](super::City::new)), each naming the
//! record (its kind, its position in input order and its id) and the field. Loaders of
//! files name lines and features instead (`xuewei-io`).

use std::fmt;

use crate::catchment::ZoneError;

/// The kind of a city record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordKind {
    /// A [`School`](super::School).
    School,
    /// A [`Pupil`](super::Pupil).
    Pupil,
    /// A [`Zone`](super::Zone).
    Zone,
}

impl RecordKind {
    /// Lowercase name: `school`, `pupil`, `zone`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::School => "school",
            RecordKind::Pupil => "pupil",
            RecordKind::Zone => "zone",
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One problem of a city assembled in code.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// An index field points past the end of the list it indexes: a school or zone's
    /// `district`, a pupil's `sibling_school` or `preferences`, a zone's `schools`.
    #[error("{kind} \"{id}\" at position {index}: field \"{field}\": index {value} is out of range ({len} {of})")]
    OutOfRange {
        /// The kind of record.
        kind: RecordKind,
        /// Its position in input order.
        index: usize,
        /// Its id.
        id: String,
        /// The field.
        field: &'static str,
        /// The index found.
        value: u32,
        /// How many there are of what it indexes.
        len: usize,
        /// What it indexes: `school(s)` or `district(s)`.
        of: &'static str,
    },
    /// Two records of one kind share an id.
    #[error("{kind} \"{id}\" at position {index}: field \"id\": already used at position {first}")]
    DuplicateId {
        /// The kind of record.
        kind: RecordKind,
        /// The position of the repeat.
        index: usize,
        /// The position of the first use.
        first: usize,
        /// The id.
        id: String,
    },
    /// The zones' areas cannot be indexed for locating homes.
    #[error("{0}")]
    Zones(ZoneError),
}

/// Every problem of a city assembled in code (never empty).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct RecordErrors(pub Vec<RecordError>);

impl RecordErrors {
    /// The problems, in the order found.
    #[must_use]
    pub fn errors(&self) -> &[RecordError] {
        &self.0
    }
}

impl fmt::Display for RecordErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} in the city",
            if n == 1 { "" } else { "s" }
        )?;
        for e in self.0.iter().take(200) {
            write!(f, "\n  {e}")?;
        }
        if n > 200 {
            write!(f, "\n  ... and {} more", n - 200)?;
        }
        Ok(())
    }
}
