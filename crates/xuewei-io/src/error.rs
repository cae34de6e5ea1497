//! The one error of loading: [`LoadError`], each naming the file, the place in it (line,
//! feature or key) and the field; [`LoadErrors`] when every problem of a set of files is
//! reported at once, and [`Error`] for a loader that can fail either way.

use std::fmt;

use xuewei_core::city::{GeometryError, RecordError};
use xuewei_core::distance::RoadErrors;
use xuewei_core::{PerStageError, Problem, Problems, Stage, UnknownSeatRule, UnknownStage};
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
    /// The file is not readable as CSV, GeoJSON or JSON at all, or a row is malformed, as
    /// the parser (csv, GeoJSON, serde_json) says.
    #[error("{file}{}: {message}", at_line(*.line))]
    Syntax {
        /// The file.
        file: String,
        /// Line, when known (header = line 1).
        line: Option<u64>,
        /// What the parser said.
        message: String,
    },
    /// A CSV file has no header line naming its columns.
    #[error("{file} line 1: {}: expected a header line naming the columns ({})",
        if *.empty { "the file is empty" } else { "the header line names no column" },
        .columns.join(", "))]
    NoHeader {
        /// The file.
        file: String,
        /// Whether the file is empty (else its header line names no column).
        empty: bool,
        /// The columns the file must have.
        columns: Vec<&'static str>,
    },
    /// A CSV header names a column twice.
    #[error("{file} line 1: column \"{column}\" appears twice (columns {first} and {second})")]
    RepeatedColumn {
        /// The file.
        file: String,
        /// The column's name, lowercase.
        column: String,
        /// 1-based position of its first use in the header.
        first: usize,
        /// 1-based position of the repeat.
        second: usize,
    },
    /// A CSV row has a non-empty field beyond the header's columns (usually a comma inside
    /// an unquoted field).
    #[error(
        "{file} line {line}: {fields} fields, but the header has {columns} columns: \
             \"{extra}\" is beyond the last column (a comma inside an unquoted field?)"
    )]
    ExtraFields {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// How many fields the row has.
        fields: usize,
        /// How many columns the header has.
        columns: usize,
        /// The first non-empty field beyond the last column.
        extra: String,
    },
    /// A GeoJSON file is empty, or holds GeoJSON other than a FeatureCollection.
    #[error("{file}: {}expected a GeoJSON FeatureCollection",
        if *.empty { "the file is empty: " } else { "" })]
    NotFeatureCollection {
        /// The file.
        file: String,
        /// Whether the file is empty.
        empty: bool,
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
        /// The field (column or property).
        field: &'static str,
        /// The value as written (quoted when text).
        value: String,
        /// What is wrong with it.
        problem: FieldProblem,
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
    /// The road lines are each usable, but do not make a network.
    #[error("{file}: {source}")]
    Roads {
        /// The roads file.
        file: String,
        /// Every problem of the network.
        source: RoadErrors,
    },
    /// A problem of the city's records that no line or feature of a file names (the zones
    /// cannot be indexed).
    #[error("{file}: {source}")]
    Record {
        /// The file the records came from.
        file: String,
        /// The problem.
        source: RecordError,
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
    #[error("{file}: {}: {source}", policy_key(*.edit))]
    ClassPolicy {
        /// The scenario file.
        file: String,
        /// The `policy` edit it is in (0-based position in the file), `None` for the
        /// scenario's `policy.class_policy`.
        edit: Option<usize>,
        /// The stage or seat rule that does not parse.
        source: PerStageError<UnknownSeatRule>,
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
    /// An assignment's `schools.csv`, read back, lacks a column `xuewei assign` writes.
    #[error(
        "{file}: not an xuewei assign schools.csv (needs school_id, stage, district, \
             entry_classes, placed)"
    )]
    NotAssignedSchools {
        /// The file.
        file: String,
    },
    /// An assignment's `schools.csv`, read back, has a row whose stage is unknown.
    #[error("{file} line {line}: {source}")]
    Stage {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// The stage as written.
        source: UnknownStage,
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
    /// Fields of a synthetic city's parameters are out of range or inconsistent.
    #[error("{file}: {problems}")]
    SynthParams {
        /// The parameters file.
        file: String,
        /// Every problem found, each naming its field.
        problems: xuewei_synth::ParamsProblems,
    },
}

fn at_line(line: Option<u64>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}

fn policy_key(edit: Option<usize>) -> String {
    edit.map_or_else(
        || "policy.class_policy".to_owned(),
        |i| format!("edit {i} (policy)"),
    )
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

/// What is wrong with a field's value ([`LoadError::Field`]).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldProblem {
    /// A required field is empty.
    #[error("is empty")]
    Empty,
    /// A GeoJSON property is absent (or not text or a number).
    #[error("is missing")]
    Missing,
    /// A zone's `schools` property is absent or not an array.
    #[error("is missing (an array of school ids)")]
    MissingSchools,
    /// Not a stage name.
    #[error("is not kindergarten, primary, junior or senior")]
    NotStage,
    /// Not a sector name.
    #[error("is not public or private")]
    NotSector,
    /// A latitude out of range whose longitude would be a valid latitude.
    #[error("out of range [-90, 90] (lon {lon} and lat {lat} swapped?)")]
    Swapped {
        /// The longitude as written.
        lon: Box<str>,
        /// The latitude as written.
        lat: Box<str>,
    },
    /// A coordinate outside [-limit, limit] degrees (or not finite).
    #[error("out of range [-{limit}, {limit}]")]
    OutOfRange {
        /// 180 for a longitude, 90 for a latitude.
        limit: u32,
    },
    /// Not a number.
    #[error("is not a number")]
    NotNumber,
    /// Not a non-negative integer (below `u32::MAX`).
    #[error("is not a non-negative integer")]
    NotNonNegativeInteger,
    /// Not a count (a column of an assignment's `schools.csv`).
    #[error("is not a count")]
    NotCount,
    /// Not a finite, non-negative number.
    #[error("is not a finite, non-negative number")]
    NotNonNegativeNumber,
    /// Not a positive number.
    #[error("is not a positive number")]
    NotPositive,
    /// Not a boolean.
    #[error("is not a boolean (0/1, true/false)")]
    NotBoolean,
    /// A school id the schools file does not have.
    #[error("is not a school in the schools file")]
    UnknownSchool,
    /// A school listed twice in one list.
    #[error("is listed twice")]
    ListedTwice,
    /// A school of another stage than the pupil's or zone's.
    #[error("is not a {stage} school")]
    WrongStage {
        /// The stage the school should have.
        stage: Stage,
    },
    /// A zone lists a private school.
    #[error("is a private school (zones serve public schools)")]
    PrivateSchool,
    /// A roll row without a stage, of a school the assignment's schools do not name.
    #[error("is unknown: add a stage column or give the assignment's schools")]
    StageUnknown,
    /// A grade outside its school's stage.
    #[error("is outside 1..={grades} for a {stage} school")]
    GradeOutOfRange {
        /// The school's stage.
        stage: Stage,
        /// How many grades the stage has.
        grades: u32,
    },
    /// A school's grade given on two rows.
    #[error("is given twice for school \"{school}\" (first at line {first})")]
    GradeTwice {
        /// The school.
        school: String,
        /// The line of the first row.
        first: u64,
    },
    /// An index [`City::new`](xuewei_core::city::City::new) finds out of range.
    #[error("is out of range")]
    IndexOutOfRange,
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

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use xuewei_core::distance::RoadError;

    use super::*;

    /// Road lines that do not make a network keep the core's typed problems as the source.
    #[test]
    fn road_problems_keep_their_source() {
        let roads: RoadErrors = Problems(vec![RoadError::TooLarge {
            what: "nodes",
            count: 7,
            limit: 3,
        }]);
        let e = LoadError::Roads {
            file: "roads.geojson".into(),
            source: roads.clone(),
        };
        assert_eq!(
            e.to_string(),
            "roads.geojson: 1 problem in the road network\n  road network: 7 nodes exceed the \
             limit of 3"
        );
        let source = e.source().and_then(|s| s.downcast_ref::<RoadErrors>());
        assert_eq!(source, Some(&roads));
    }
}
