//! Validation errors for instances.

use std::fmt;

/// One problem found while validating an instance. Each names the record and field at fault.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// Two schools share an id.
    #[error("school \"{id}\": field \"id\": duplicate school id")]
    DuplicateSchool {
        /// The repeated id.
        id: String,
    },
    /// Two pupils share an id.
    #[error("pupil \"{id}\": field \"id\": duplicate pupil id")]
    DuplicateStudent {
        /// The repeated id.
        id: String,
    },
    /// A preference list names a school that does not exist.
    #[error("pupil \"{student}\": field \"preferences\"[{position}]: unknown school \"{school}\"")]
    UnknownSchoolInPreferences {
        /// The pupil whose list is at fault.
        student: String,
        /// Zero-based position in the list.
        position: usize,
        /// The unknown school id.
        school: String,
    },
    /// A preference list names a school twice.
    #[error("pupil \"{student}\": field \"preferences\": school \"{school}\" listed twice")]
    RepeatedPreference {
        /// The pupil whose list is at fault.
        student: String,
        /// The repeated school.
        school: String,
    },
    /// A priority list names a pupil that does not exist.
    #[error("school \"{school}\": field \"priority\"[{tier}]: unknown pupil \"{student}\"")]
    UnknownStudentInPriority {
        /// The school whose priority is at fault.
        school: String,
        /// Zero-based tier.
        tier: usize,
        /// The unknown pupil id.
        student: String,
    },
    /// A priority list names a pupil twice.
    #[error("school \"{school}\": field \"priority\": pupil \"{student}\" appears twice")]
    RepeatedInPriority {
        /// The school whose priority is at fault.
        school: String,
        /// The repeated pupil.
        student: String,
    },
    /// A number field is not what it must be (a non-negative integer, a finite score, ...).
    #[error("{record}: field \"{field}\": {value} is not {expected}")]
    InvalidNumber {
        /// The record, e.g. `school "H"`.
        record: String,
        /// The field, e.g. `capacity`.
        field: String,
        /// The value found, as written.
        value: String,
        /// What was expected, e.g. `a non-negative integer`.
        expected: &'static str,
    },
    /// Reserved seats add up to more than the school's capacity.
    #[error("school \"{school}\": field \"reserves\": {reserved} reserved seats exceed capacity {capacity}")]
    ReservesExceedCapacity {
        /// The school at fault.
        school: String,
        /// Sum of reserved seats.
        reserved: u64,
        /// The school's capacity.
        capacity: u32,
    },
    /// The same group has two reserves at one school.
    #[error("school \"{school}\": field \"reserves\": group \"{group}\" reserved twice")]
    RepeatedReserve {
        /// The school at fault.
        school: String,
        /// The repeated group.
        group: String,
    },
    /// The lottery names a pupil that does not exist.
    #[error("lottery[{position}]: unknown pupil \"{student}\"")]
    UnknownStudentInLottery {
        /// Zero-based position in the draw.
        position: usize,
        /// The unknown pupil id.
        student: String,
    },
    /// The lottery names a pupil twice.
    #[error("lottery[{position}]: pupil \"{student}\" drawn twice")]
    RepeatedInLottery {
        /// Zero-based position of the second occurrence.
        position: usize,
        /// The repeated pupil.
        student: String,
    },
    /// The lottery does not name every pupil.
    #[error("lottery: {missing} pupil(s) not drawn, first \"{first}\"; a given draw must order every pupil")]
    LotteryIncomplete {
        /// How many pupils are missing.
        missing: usize,
        /// The first missing pupil.
        first: String,
    },
    /// An instance is larger than the `u32` indices allow.
    #[error("{what}: {count} exceeds the limit of {limit}")]
    TooLarge {
        /// What overflowed (pupils, schools, preference entries, seats).
        what: &'static str,
        /// How many were given.
        count: u64,
        /// The largest number supported.
        limit: u64,
    },
}

/// Every problem found while validating one instance (never empty).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    /// The problems, in the order they were found.
    #[must_use]
    pub fn errors(&self) -> &[ValidationError] {
        &self.0
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} in the instance",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}
