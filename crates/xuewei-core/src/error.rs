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
        /// The school or pupil.
        record: Record,
        /// The field, e.g. `capacity`.
        field: &'static str,
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

/// The school or pupil of an instance a problem is in, by id; shown as `school "H"` or
/// `pupil "a"`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Record {
    /// A school.
    School(String),
    /// A pupil.
    Pupil(String),
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Record::School(id) => write!(f, "school \"{id}\""),
            Record::Pupil(id) => write!(f, "pupil \"{id}\""),
        }
    }
}

/// Every problem found while validating one instance (never empty).
pub type ValidationErrors = Problems<ValidationError>;

impl Problem for ValidationError {
    const SUBJECT: &'static str = "in the instance";
}

/// A kind of problem that is reported with every other one found, as a [`Problems`] list.
pub trait Problem: fmt::Display + fmt::Debug {
    /// What the problems were found in, as the list's first line says it
    /// (`3 problems in the instance`).
    const SUBJECT: &'static str;
    /// How many problems the message lists before it says `... and N more`.
    const SHOWN: usize = usize::MAX;
}

/// Every problem found in one input, not only the first (never empty when returned as an
/// error). Its message is a count line naming the input, then one problem a line:
///
/// ```text
/// 2 problems in the instance
///   school "A": field "capacity": ...
///   pupil "b": field "preferences"[1]: unknown school "G"
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Problems<E>(pub Vec<E>);

impl<E> Problems<E> {
    /// The problems, in the order they were found.
    #[must_use]
    pub fn errors(&self) -> &[E] {
        &self.0
    }

    /// How many problems there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the list is empty (never, for a returned error).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<E> IntoIterator for Problems<E> {
    type Item = E;
    type IntoIter = std::vec::IntoIter<E>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, E> IntoIterator for &'a Problems<E> {
    type Item = &'a E;
    type IntoIter = std::slice::Iter<'a, E>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<E: Problem> fmt::Display for Problems<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} {}",
            if n == 1 { "" } else { "s" },
            E::SUBJECT
        )?;
        for e in self.0.iter().take(E::SHOWN) {
            write!(f, "\n  {e}")?;
        }
        if n > E::SHOWN {
            write!(f, "\n  ... and {} more", n - E::SHOWN)?;
        }
        Ok(())
    }
}

impl<E: Problem> std::error::Error for Problems<E> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Bad(&'static str);

    impl fmt::Display for Bad {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "row {}: bad", self.0)
        }
    }

    impl Problem for Bad {
        const SUBJECT: &'static str = "in the rows";
        const SHOWN: usize = 2;
    }

    fn check(problems: Vec<Bad>, expected: &str) {
        assert_eq!(Problems(problems).to_string(), expected);
    }

    #[test]
    fn message_counts_names_and_lists_the_problems() {
        check(vec![Bad("a")], "1 problem in the rows\n  row a: bad");
        check(
            vec![Bad("a"), Bad("b")],
            "2 problems in the rows\n  row a: bad\n  row b: bad",
        );
        check(
            vec![Bad("a"), Bad("b"), Bad("c"), Bad("d")],
            "4 problems in the rows\n  row a: bad\n  row b: bad\n  ... and 2 more",
        );
    }

    /// A bad number names its record as a typed school or pupil and its field.
    #[test]
    fn invalid_numbers_name_a_typed_record() {
        let mut b = crate::InstanceBuilder::new();
        let a = b.add_student("a", []);
        b.set_score(a, -2.0);
        let e = b.build().expect_err("a negative score");
        assert_eq!(
            e.errors(),
            [ValidationError::InvalidNumber {
                record: Record::Pupil("a".into()),
                field: "score",
                value: "-2".into(),
                expected: "a finite, non-negative number",
            }]
        );
        assert_eq!(Record::School("H".into()).to_string(), "school \"H\"");
        assert_eq!(
            e.to_string(),
            "1 problem in the instance\n  pupil \"a\": field \"score\": -2 is not a finite, \
             non-negative number"
        );
    }

    #[test]
    fn every_problem_stays_reachable_beyond_the_message() {
        let problems = Problems(vec![Bad("a"), Bad("b"), Bad("c")]);
        assert_eq!(problems.len(), 3);
        let rows: Vec<&str> = problems.errors().iter().map(|b| b.0).collect();
        assert_eq!(rows, ["a", "b", "c"]);
        assert_eq!(problems.into_iter().count(), 3);
    }
}
