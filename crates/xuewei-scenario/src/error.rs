//! Errors of scenarios (those of their files are `xuewei_io::LoadError`). Each carries the
//! typed error of its cause as its `source`.

use xuewei_core::catchment::ZoneErrors;
use xuewei_core::city::RecordErrors;

/// A problem with a scenario or its base city.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The base city's primary zones cannot be indexed to tell each pupil's district (学区)
    /// (never for a city that `City::new` accepted: it indexes every zone).
    #[error("{source}")]
    Zones {
        /// Every problem of the zones.
        source: ZoneErrors,
    },
    /// A year's city of open schools failed to validate (e.g. an edit created a duplicate
    /// id).
    #[error("year {year}: {source}")]
    City {
        /// The simulated year.
        year: i32,
        /// Every problem of the year's city, each naming the record and field.
        source: RecordErrors,
    },
    /// A year's admission did not account for every pupil (a defect, never an input
    /// problem): the run stops instead of writing figures that lose pupils.
    #[error("year {year}: {source}")]
    Conservation {
        /// The simulated year.
        year: i32,
        /// What did not add up.
        source: xuewei_core::ConservationError,
    },
    /// An edit cannot be applied.
    #[error("edit {index} (year {year}, {kind}): {source}")]
    Edit {
        /// 0-based position of the edit in the file.
        index: usize,
        /// Its year.
        year: i32,
        /// Its kind.
        kind: &'static str,
        /// What is wrong with it.
        source: EditError,
    },
}

/// Why an edit cannot be applied to the city as it stands in its year. The state is
/// unchanged when an edit fails.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    /// The edit names a school the city does not have.
    #[error("unknown school \"{id}\"")]
    UnknownSchool {
        /// The school's id as the edit gives it.
        id: String,
    },
    /// The edit creates a school under an id that is taken.
    #[error("school \"{id}\" exists already")]
    SchoolExists {
        /// The id.
        id: String,
    },
    /// The edit names a zone the city does not have.
    #[error("unknown zone \"{id}\"")]
    UnknownZone {
        /// The zone's id as the edit gives it.
        id: String,
    },
    /// The edit names a district (学区) the city does not have.
    #[error("unknown district \"{id}\"")]
    UnknownDistrict {
        /// The district as the edit gives it.
        id: String,
    },
    /// A school would lose more entry classes than it has.
    #[error("school \"{school}\" has only {classes} entry classes")]
    TooFewClasses {
        /// The school.
        school: String,
        /// Its entry classes before the edit.
        classes: u32,
    },
    /// `lon`/`lat` are not a valid WGS-84 position.
    #[error("location ({lon}, {lat}) is not a valid lon/lat")]
    Location {
        /// Longitude as given.
        lon: f64,
        /// Latitude as given.
        lat: f64,
    },
    /// A zone outline (`polygon`) is not a usable ring.
    #[error("polygon: {0}")]
    Polygon(#[source] xuewei_core::city::GeometryError),
    /// A growth `rate` of -1 or less (or not a number).
    #[error("rate {rate} is not above -1")]
    Rate {
        /// The rate as given.
        rate: f64,
    },
    /// A negative (or not-a-number) `children_per_home`.
    #[error("children_per_home {value} is negative")]
    ChildrenPerHome {
        /// The value as given.
        value: f64,
    },
    /// A `class_policy` that does not parse.
    #[error(transparent)]
    ClassPolicy(#[from] xuewei_core::PerStageError<xuewei_core::UnknownSeatRule>),
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use xuewei_core::catchment::ZoneError;
    use xuewei_core::Problems;

    use super::*;

    /// Zones that cannot be indexed keep their typed problems as the source and their
    /// message as the error's.
    #[test]
    fn zones_error_carries_the_zone_problems() {
        let zones: ZoneErrors = Problems(vec![ZoneError::TooMany { count: 7, limit: 3 }]);
        let e = ScenarioError::Zones {
            source: zones.clone(),
        };
        assert_eq!(e.to_string(), zones.to_string());
        assert_eq!(
            e.to_string(),
            "1 problem in the catchment zones\n  zones: 7 exceeds the limit of 3"
        );
        let source = e.source().and_then(|s| s.downcast_ref::<ZoneErrors>());
        assert_eq!(source, Some(&zones));
    }
}
