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
    #[error("edit {index} (year {year}, {kind}): {message}")]
    Edit {
        /// 0-based position of the edit in the file.
        index: usize,
        /// Its year.
        year: i32,
        /// Its kind.
        kind: &'static str,
        /// What is wrong (unknown school, bad polygon, ...).
        message: String,
    },
}
