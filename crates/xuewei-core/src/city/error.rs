//! Problems of a city assembled in code ([`City::new`](super::City::new)), each naming the
//! record (its kind, its position in input order and its id) and the field. Loaders of
//! files name lines and features instead (`xuewei-io`).

use std::fmt;

use crate::catchment::ZoneError;
use crate::error::{Problem, Problems};

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

/// Every problem of a city assembled in code (never empty); the message lists the first
/// 200.
pub type RecordErrors = Problems<RecordError>;

impl Problem for RecordError {
    const SUBJECT: &'static str = "in the city";
    const SHOWN: usize = 200;
}

#[cfg(test)]
mod tests {
    use geo::Point;

    use super::*;
    use crate::city::{City, Pupil};
    use crate::model::Stage;

    fn pupil(id: &str) -> Pupil {
        Pupil {
            id: id.into(),
            stage: Stage::Primary,
            home: Point::new(113.6, 34.7),
            hukou_local: true,
            owns_home: false,
            residence_permit: false,
            sibling_school: None,
            score: None,
            origin_school: None,
            preferences: Vec::new(),
        }
    }

    /// Every problem stays in the typed list; the message lists the first 200 of them.
    #[test]
    fn every_problem_is_typed_and_the_message_lists_200() {
        let pupils = (0..202).map(|_| pupil("p")).collect();
        let e: RecordErrors = City::new(Vec::new(), pupils, Vec::new(), Vec::new(), None)
            .expect_err("201 repeats of one id");
        assert_eq!(e.len(), 201);
        assert_eq!(
            e.errors()[200],
            RecordError::DuplicateId {
                kind: RecordKind::Pupil,
                index: 201,
                first: 0,
                id: "p".into(),
            }
        );
        let message = e.to_string();
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(lines.len(), 202);
        assert_eq!(lines[0], "201 problems in the city");
        assert_eq!(
            lines[1],
            "  pupil \"p\" at position 1: field \"id\": already used at position 0"
        );
        assert_eq!(lines[201], "  ... and 1 more");
    }
}
