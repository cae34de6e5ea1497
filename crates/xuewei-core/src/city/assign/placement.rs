//! What [`assign`](fn@super::assign) returns: where each pupil ended up and how, the
//! published draws, and the figures of each stage.

use crate::class_size::{ClassMeasures, GradeClasses};
use crate::model::Stage;

/// How a pupil got their place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// At the school of their single-school zone.
    Zone,
    /// At a school of their multi-school zone, by lottery within priority.
    Lottery,
    /// Placed by the district elsewhere (统筹).
    Overflow,
    /// Admitted by a private school's lottery.
    Private,
    /// Not placed.
    Unplaced,
}

impl How {
    /// The lowercase name used in files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            How::Zone => "zone",
            How::Lottery => "lottery",
            How::Overflow => "overflow",
            How::Private => "private",
            How::Unplaced => "unplaced",
        }
    }
}

/// Why a pupil was not seated in their own zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnplacedReason {
    /// The home lies in no zone of the pupil's stage.
    OutsideZones,
    /// The zone lists no school.
    ZoneWithoutSchool,
    /// The zone's schools were filled by pupils of higher priority (or luckier draws).
    ZoneFull,
}

impl UnplacedReason {
    /// A sentence for reports.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            UnplacedReason::OutsideZones => "home outside every zone of the stage",
            UnplacedReason::ZoneWithoutSchool => "the home's zone lists no school",
            UnplacedReason::ZoneFull => "zone schools full",
        }
    }
}

/// Where one pupil ended up.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// The school (index into [`City::schools`](crate::city::City::schools)), `None` when unplaced.
    pub school: Option<u32>,
    /// How the place was given.
    pub how: How,
    /// Travel distance from home to the school, metres (`None` when unplaced).
    pub distance_m: Option<f64>,
    /// The home's zone (index into [`City::zones`](crate::city::City::zones)).
    pub zone: Option<u32>,
    /// Why the pupil was not seated in their zone (overflow and unplaced pupils).
    pub reason: Option<UnplacedReason>,
}

impl Placement {
    /// The text of the `reason` column: empty for pupils seated in their zone or privately.
    #[must_use]
    pub fn reason_text(&self, stage: Stage) -> String {
        match (self.how, self.reason) {
            (How::Unplaced, Some(r)) => {
                format!(
                    "no free seat at any public {stage} school ({})",
                    r.describe()
                )
            }
            (How::Unplaced, None) => format!("no free seat at any public {stage} school"),
            (_, Some(r)) => r.describe().to_owned(),
            (_, None) => String::new(),
        }
    }
}

/// A published draw: the order of the pupils of one stage in one lottery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draw {
    /// The stage.
    pub stage: Stage,
    /// `private` or `catchment`.
    pub lottery: &'static str,
    /// The seed the draw came from.
    pub seed: u64,
    /// Pupils (indices into [`City::pupils`](crate::city::City::pupils)), best first.
    pub order: Vec<u32>,
}

/// Figures of one stage.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct StageSummary {
    /// Entering pupils.
    pub pupils: usize,
    /// Pupils placed.
    pub placed: usize,
    /// Pupils unplaced.
    pub unplaced: usize,
    /// Placed at their single-school zone's school.
    pub zone: usize,
    /// Placed in their multi-school zone by lottery.
    pub lottery: usize,
    /// Placed elsewhere by the district.
    pub overflow: usize,
    /// Admitted by a private school.
    pub private: usize,
    /// Mean home–school distance of placed pupils, metres.
    pub mean_distance_m: f64,
    /// Largest home–school distance, metres.
    pub max_distance_m: f64,
    /// Seats offered (public and private) under the class policy.
    pub seats: u64,
    /// Homes in no zone of the stage.
    pub homes_outside_zones: usize,
    /// Homes inside two or more overlapping zones (the lowest-index zone was used).
    pub homes_in_overlapping_zones: usize,
    /// Pupils admitted beyond their school's standard seats (guarantee policy).
    pub admitted_beyond_standard: usize,
    /// Classes of the entering grade and their sizes (大班额 / 超大班额).
    #[serde(flatten)]
    pub classes: ClassMeasures,
    /// Share of classes with 56+ pupils.
    pub large_share: f64,
    /// Share of classes with 66+ pupils.
    pub super_large_share: f64,
    /// Mean class size.
    pub mean_class_size: f64,
}

/// The result of [`assign`](fn@super::assign).
#[derive(Clone, Debug)]
#[must_use]
pub struct CityAssignment {
    /// One placement per pupil, in input order.
    pub placements: Vec<Placement>,
    /// Seats of each school under the class policy (standard seats under guarantee).
    pub seats: Vec<u32>,
    /// Pupils placed at each school.
    pub placed: Vec<u32>,
    /// The entering grade's classes at each school.
    pub classes: Vec<GradeClasses>,
    /// Per stage, in [`Stage::ALL`] order, for the stages that have pupils or schools.
    pub stages: Vec<(Stage, StageSummary)>,
    /// Every lottery drawn, for publication.
    pub draws: Vec<Draw>,
    /// The master seed.
    pub seed: u64,
}
