//! The one error of loading: [`LoadError`], each naming the file, the place in it (line,
//! feature or key) and the field; [`LoadErrors`] when every problem of a set of files is
//! reported at once, and [`Error`] for a loader that can fail either way.

use std::fmt;

use xuewei_core::city::GeometryError;
use xuewei_core::{Problem, Problems};
use xuewei_scenario::ScenarioError;

/// Why bytes are not text xuewei reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes start with a UTF-16 byte-order mark.
    #[error("UTF-16 text (Excel \"Unicode text\"?); save it as CSV in UTF-8 or GBK")]
    Utf16,
    /// The bytes are neither UTF-8 nor GBK.
    #[error("neither UTF-8 nor GBK text")]
    Undecodable,
}

/// One problem loading a file.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file cannot be read (missing, a directory, no permission).
    #[error("{path}: {message}")]
    Read {
        /// The path, as given.
        path: String,
        /// What the operating system said.
        message: String,
    },
    /// The file is not text xuewei reads (UTF-16, or neither UTF-8 nor GBK).
    #[error("{path}: {problem}")]
    Decode {
        /// The path, as given.
        path: String,
        /// What is wrong with its bytes.
        problem: DecodeError,
    },
    /// The file is not readable as CSV, GeoJSON or JSON at all, or a row is malformed.
    #[error("{file}{}: {message}", at_line(*.line))]
    Syntax {
        /// The file.
        file: String,
        /// Line, when known (header = line 1).
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A required column is missing from a CSV header.
    #[error("{file} line 1: missing column \"{column}\"")]
    MissingColumn {
        /// The file.
        file: String,
        /// The column.
        column: &'static str,
    },
    /// A field has a bad value.
    #[error("{file} {place}: {field} {value} {problem}")]
    Field {
        /// The file.
        file: String,
        /// `line N` or `feature N`.
        place: Place,
        /// The field.
        field: String,
        /// The value as written (quoted when text).
        value: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A GeoJSON feature's geometry is missing, of the wrong type, or unusable: an empty
    /// or degenerate ring, positions out of range, a ring that crosses itself.
    #[error("{file} feature {feature}{}: geometry: {problem}", id_note(id.as_deref()))]
    Geometry {
        /// The file.
        file: String,
        /// 0-based index of the feature in the collection.
        feature: usize,
        /// The feature's `id` property, when it has one.
        id: Option<String>,
        /// What is wrong (boxed: it is the largest problem, and rare).
        problem: Box<GeometryProblem>,
    },
    /// An id appears twice.
    #[error("{file} {place}: id \"{id}\" already used at {first}")]
    DuplicateId {
        /// The file.
        file: String,
        /// Where the second one is.
        place: Place,
        /// The id.
        id: String,
        /// Where the first one is.
        first: Place,
    },
    /// A JSON file is malformed, or a field has the wrong shape.
    #[error("{file}: line {line} column {column}: {message}")]
    Json {
        /// The file.
        file: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A TOML file (scenario, targets) is malformed, or has an unknown or missing field.
    #[error("{file}: {message}")]
    Toml {
        /// The file.
        file: String,
        /// What the TOML reader said, with the line and the offending text.
        message: String,
    },
    /// A scenario's `end_year` does not come after its `base_year`.
    #[error("{file}: end_year {end_year} must come after base_year {base_year}")]
    Years {
        /// The scenario file.
        file: String,
        /// `base_year`.
        base_year: i32,
        /// `end_year`.
        end_year: i32,
    },
    /// A scenario's `scale` is not a positive number.
    #[error("{file}: scale {scale} must be positive")]
    Scale {
        /// The scenario file.
        file: String,
        /// `scale`.
        scale: f64,
    },
    /// A class policy string of a scenario is not understood.
    #[error("{file}: {key}: {message}")]
    ClassPolicy {
        /// The scenario file.
        file: String,
        /// Where: `policy.class_policy`, or `edit N (policy)`.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A scenario's edit is dated outside the simulated years.
    #[error("{file}: edit {edit} ({kind}): year {year} is outside {first}..={last}")]
    EditYear {
        /// The scenario file.
        file: String,
        /// 0-based position of the edit in the file.
        edit: usize,
        /// Its kind.
        kind: &'static str,
        /// Its year.
        year: i32,
        /// The first simulated year.
        first: i32,
        /// The last simulated year.
        last: i32,
    },
    /// A target's comparison is not `<=`, `>=` or `==`.
    #[error("{file}: target {target}: comparison \"{comparison}\" is not <=, >= or ==")]
    Comparison {
        /// The targets file.
        file: String,
        /// The target's id.
        target: String,
        /// The comparison found.
        comparison: String,
    },
}

fn at_line(line: Option<u64>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}

fn id_note(id: Option<&str>) -> String {
    id.map(|id| format!(" (id \"{id}\")")).unwrap_or_default()
}

/// Where in a file a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Place {
    /// A CSV line (header = line 1), as a text editor counts it.
    Line(u64),
    /// A GeoJSON feature (0-based index in the collection).
    Feature(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(l) => write!(f, "line {l}"),
            Place::Feature(i) => write!(f, "feature {i}"),
        }
    }
}

/// What is wrong with a GeoJSON feature's geometry.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GeometryProblem {
    /// The feature has no geometry.
    #[error("is missing (a {record} needs {needs})")]
    Missing {
        /// What the feature is: `zone` or `road`.
        record: &'static str,
        /// The geometry it needs.
        needs: &'static str,
    },
    /// The geometry is of another type.
    #[error("{found} is not a {expected}")]
    WrongType {
        /// The GeoJSON type found.
        found: &'static str,
        /// The types accepted.
        expected: &'static str,
    },
    /// A MultiPolygon without polygons.
    #[error("MultiPolygon has no polygons (an empty zone)")]
    NoPolygons,
    /// A MultiLineString without lines.
    #[error("MultiLineString has no lines")]
    NoLines,
    /// A ring or line is unusable.
    #[error(transparent)]
    Shape(#[from] GeometryError),
}

/// Every problem found in one set of files (never empty); the message lists the first 200.
pub type LoadErrors = Problems<LoadError>;

impl Problem for LoadError {
    const SUBJECT: &'static str = "in the city files";
    const SHOWN: usize = 200;
}

/// Why a loader that reads several files failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// One problem that stops loading: a file that cannot be read or decoded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Every problem found in the files' records.
    #[error(transparent)]
    Files(#[from] LoadErrors),
    /// The files load, but a scenario's state cannot be built from them.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
}
