//! Errors of scenarios (those of their files are `xuewei_io::LoadError`).

/// A problem with a scenario or its base city.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The base city, or a year's city, failed to validate.
    #[error("{0}")]
    City(String),
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
