//! The generated city: its records, in file order, and the locale of a place.
//!
//! The records are what the generator makes and `write` prints, one per line or feature of
//! a file; they hold indices into the city's vectors, not validated ids, and are not the
//! model that `xuewei_core::city` loads from those files (`city::School`, `city::Pupil`…).

use xuewei_core::{Sector, Stage};

use crate::geom::{Frame, Micro, Rect};

/// Where a place lies — a belt of the city between ring roads, a growth area, a county town
/// or the countryside — for class sizes and family shares (like the locale codes that class
/// schools as city, suburb, town or rural).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Locale {
    /// Urban, inside the first ring road (the old core).
    Core,
    /// Urban, between the first and second ring roads.
    Inner,
    /// Urban, between the second and the last ring road.
    Middle,
    /// Urban, beyond the last ring road.
    Outer,
    /// A growth area (e.g. the airport zone).
    Growth,
    /// A county town (near the county seat).
    Town,
    /// Rural county.
    Rural,
}

impl Locale {
    /// All locales, inner to outer.
    pub const ALL: [Locale; 7] = [
        Locale::Core,
        Locale::Inner,
        Locale::Middle,
        Locale::Outer,
        Locale::Growth,
        Locale::Town,
        Locale::Rural,
    ];

    /// Lowercase name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Locale::Core => "core",
            Locale::Inner => "inner",
            Locale::Middle => "middle",
            Locale::Outer => "outer",
            Locale::Growth => "growth",
            Locale::Town => "town",
            Locale::Rural => "rural",
        }
    }
}

/// The three stages the generator makes, in file order.
pub const STAGES: [Stage; 3] = [Stage::Primary, Stage::Junior, Stage::Senior];

/// A residential block (小区): a line of `blocks.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockRecord {
    /// Id (`b000001`).
    pub id: String,
    /// Location.
    pub at: Micro,
    /// Area (index into [`SynthCity::areas`]).
    pub area: u32,
    /// Households.
    pub households: u32,
    /// Children by single year of age 0..=17.
    pub ages: [u32; 18],
}

/// An area: a 学区 of an urban district, or a county.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Area {
    /// Label: the 学区 (`金水区第2学区`) or the county's name. It is the `district` column
    /// of schools, zones and blocks.
    pub label: String,
    /// The county-level unit (index into [`Params::districts`](crate::Params::districts)).
    pub district: u32,
    /// Its rectangle.
    pub rect: Rect,
}

/// A school: a line of `schools.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolRecord {
    /// Id: `P0001` (public primary), `PM001` (private primary), `J…`, `S…`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Stage.
    pub stage: Stage,
    /// Public or private.
    pub sector: Sector,
    /// Location.
    pub at: Micro,
    /// Classes opened for the entering grade.
    pub entry_classes: u32,
    /// Area (index into [`SynthCity::areas`]).
    pub area: u32,
    /// Locale of its location.
    pub locale: Locale,
}

/// A catchment zone: a feature of `zones.geojson`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneRecord {
    /// Id: `ZP0001`, `ZJ0001`, `ZS0001`.
    pub id: String,
    /// Stage.
    pub stage: Stage,
    /// Public schools (indices into [`SynthCity::schools`]).
    pub schools: Vec<u32>,
    /// Area of its first school (index into [`SynthCity::areas`]).
    pub area: u32,
    /// Its rectangles (one, plus the areas without a school of the stage it serves).
    pub rects: Vec<Rect>,
}

/// An entering pupil: a line of `pupils.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct PupilRecord {
    /// Id: `pri000001`, `jun000001`, `sen000001`.
    pub id: String,
    /// Stage entered.
    pub stage: Stage,
    /// Home.
    pub home: Micro,
    /// Local hukou (false = migrant child, 随迁子女).
    pub hukou_local: bool,
    /// The family owns the home.
    pub owns_home: bool,
    /// Residence permit (migrants).
    pub residence_permit: bool,
    /// School an older sibling attends.
    pub sibling_school: Option<u32>,
    /// Exam score (senior entrants).
    pub score: Option<f64>,
    /// The school of the previous stage's zone (junior and senior entrants).
    pub origin_school: Option<u32>,
    /// Schools applied to, best first (indices into [`SynthCity::schools`]).
    pub preferences: Vec<u32>,
    /// The home's zone (index into [`SynthCity::zones`]).
    pub zone: u32,
    /// The block the pupil lives in (index into [`SynthCity::blocks`]).
    pub block: u32,
}

/// One grade of one school's roll: a line of `roll.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RollRecord {
    /// School (index into [`SynthCity::schools`]).
    pub school: u32,
    /// Grade (1 = entering).
    pub grade: u32,
    /// Pupils.
    pub pupils: u32,
    /// Classrooms.
    pub classrooms: u32,
}

/// What a road is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RoadKind {
    /// A ring road.
    Ring,
    /// An urban arterial.
    Urban,
    /// A county road of the territory grid.
    County,
}

impl RoadKind {
    /// Lowercase name (`ring`, `urban`, `county`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            RoadKind::Ring => "ring",
            RoadKind::Urban => "urban",
            RoadKind::County => "county",
        }
    }
}

/// A road polyline, a feature of `roads.geojson`; roads share exact vertices where they
/// cross.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadRecord {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: RoadKind,
    /// Speed (km/h).
    pub speed_kmh: f64,
    /// Vertices.
    pub points: Vec<Micro>,
}

/// The generated city. All vectors are in file order.
#[derive(Clone, Debug)]
#[must_use]
pub struct SynthCity {
    /// Seed.
    pub seed: u64,
    /// Scale.
    pub scale: f64,
    /// The km ↔ degree frame.
    pub frame: Frame,
    /// County-level unit names.
    pub districts: Vec<String>,
    /// Areas (学区 and counties).
    pub areas: Vec<Area>,
    /// Residential blocks.
    pub blocks: Vec<BlockRecord>,
    /// Schools: primary, junior, senior; public then private within each.
    pub schools: Vec<SchoolRecord>,
    /// Zones: primary, junior, senior.
    pub zones: Vec<ZoneRecord>,
    /// Entering pupils: primary, junior, senior.
    pub pupils: Vec<PupilRecord>,
    /// Every grade of every school.
    pub roll: Vec<RollRecord>,
    /// Roads.
    pub roads: Vec<RoadRecord>,
}

impl SynthCity {
    /// Pupils on roll of a stage, all grades.
    #[must_use]
    pub fn roll_total(&self, stage: Stage) -> u64 {
        self.roll
            .iter()
            .filter(|r| self.schools[r.school as usize].stage == stage)
            .map(|r| u64::from(r.pupils))
            .sum()
    }

    /// Schools of a stage and sector.
    #[must_use]
    pub fn school_count(&self, stage: Stage, sector: Sector) -> usize {
        self.schools
            .iter()
            .filter(|s| s.stage == stage && s.sector == sector)
            .count()
    }
}
