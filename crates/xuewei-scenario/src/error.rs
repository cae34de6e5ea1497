//! Errors of scenarios.

/// A problem with a scenario or its base city.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// A file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A file's content is wrong at a line.
    #[error("{file} line {line}: {message}")]
    File {
        /// The file.
        file: String,
        /// Line (header = 1).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The base city failed to load or validate.
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
    /// The scenario file is malformed.
    #[error("{file}: {message}")]
    Scenario {
        /// The scenario file.
        file: String,
        /// What is wrong.
        message: String,
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
