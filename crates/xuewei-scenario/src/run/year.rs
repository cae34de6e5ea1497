//! What a run records for each year: figures per stage, 学区, equity group and school, the
//! target metrics, and every entrant.

use geo::Point;
use xuewei_core::city::How;
use xuewei_core::Stage;

/// Figures of one stage in one year.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct StageYear {
    /// Year.
    pub year: i32,
    /// Stage.
    pub stage: Stage,
    /// Entering pupils.
    pub pupils: u64,
    /// Entering pupils placed.
    pub placed: u64,
    /// Entering pupils unplaced.
    pub unplaced: u64,
    /// Entering pupils placed by overflow (统筹).
    pub overflow: u64,
    /// Mean home–school distance of placed entrants, metres.
    pub mean_distance_m: f64,
    /// Pupils on roll (all grades).
    pub roll: u64,
    /// Classes over all grades.
    pub classes: u64,
    /// Share of classes with 56+ pupils (大班额).
    pub large_share: f64,
    /// Share of classes with 66+ pupils (超大班额).
    pub super_large_share: f64,
    /// Mean class size.
    pub mean_class_size: f64,
    /// Seats of the entering grade (public and private) under the policy.
    pub seats: u64,
}

/// Figures of one 学区 (or county) and stage in one year.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct DistrictYear {
    /// Year.
    pub year: i32,
    /// Stage.
    pub stage: Stage,
    /// District name.
    pub district: String,
    /// Pupils on roll.
    pub roll: u64,
    /// Classes.
    pub classes: u64,
    /// Share of large classes.
    pub large_share: f64,
    /// Share of super-large classes.
    pub super_large_share: f64,
}

/// Equity measures of one group of entrants.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct EquityYear {
    /// Year.
    pub year: i32,
    /// Stage.
    pub stage: Stage,
    /// `local`, `migrant` (随迁子女), `core` (inside the core square) or `edge`.
    pub group: &'static str,
    /// Entrants in the group.
    pub pupils: u64,
    /// Share placed at a school of their own zone.
    pub own_zone_share: f64,
    /// Mean distance of those placed, metres.
    pub mean_distance_m: f64,
    /// Share sitting in a large class (56+) of the entering grade.
    pub large_class_share: f64,
    /// Unplaced.
    pub unplaced: u64,
}

/// One entrant's result, for comparing runs and for maps.
#[derive(Clone, Debug, PartialEq)]
pub struct Entrant {
    /// Pupil id (the same in every run of a scenario seed).
    pub id: String,
    /// Stage entered.
    pub stage: Stage,
    /// Home (WGS84 lon/lat).
    pub home: Point<f64>,
    /// School id, if placed.
    pub school: Option<String>,
    /// How the place was given (zone, lottery, overflow, private, unplaced).
    pub how: How,
    /// Distance, metres, if placed.
    pub distance_m: Option<f64>,
    /// The home's zone of its stage, if any: an index into the year's
    /// [`CityState::zones`](crate::CityState::zones) (for the last year, into the run's
    /// [`FinalCity::zones`](super::FinalCity::zones)).
    pub zone: Option<u32>,
}

/// One school's figures in one year (open or closed), in
/// [`CityState::schools`](crate::CityState::schools) order.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct SchoolYear {
    /// School id.
    pub id: String,
    /// Whether it admitted pupils this year.
    pub open: bool,
    /// Entry classes (classrooms of the entering grade).
    pub entry_classes: u32,
    /// Seats of the entering grade under the class policy (0 when closed).
    pub seats: u32,
    /// Entrants placed.
    pub placed: u32,
    /// Pupils on roll, all grades.
    pub roll: u32,
    /// Classes, all grades.
    pub classes: u32,
    /// Classes of 56+ pupils (大班额), all grades.
    pub large_classes: u32,
    /// Classes of 66+ pupils (超大班额), all grades.
    pub super_large_classes: u32,
    /// The largest class.
    pub largest_class: u32,
}

impl SchoolYear {
    /// Entrants placed over seats (0 when the school has no seats).
    #[must_use]
    pub fn utilisation(&self) -> f64 {
        if self.seats > 0 {
            f64::from(self.placed) / f64::from(self.seats)
        } else {
            0.0
        }
    }

    /// Share of its classes with 56+ pupils (0 without classes).
    #[must_use]
    pub fn large_share(&self) -> f64 {
        if self.classes > 0 {
            f64::from(self.large_classes) / f64::from(self.classes)
        } else {
            0.0
        }
    }
}

/// Everything recorded for one year.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearResult {
    /// The year.
    pub year: i32,
    /// Per stage.
    pub stages: Vec<StageYear>,
    /// Per district and stage.
    pub districts: Vec<DistrictYear>,
    /// Per group and stage.
    pub equity: Vec<EquityYear>,
    /// Metric values for the targets (name → value).
    pub metrics: Vec<(&'static str, f64)>,
    /// Every entrant.
    pub entrants: Vec<Entrant>,
    /// Every school of the state (open or closed), in
    /// [`CityState::schools`](crate::CityState::schools) order.
    pub schools: Vec<SchoolYear>,
    /// Per stage: the number of classes of each size (index = pupils), all grades.
    pub class_sizes: Vec<(Stage, Vec<u64>)>,
}

impl YearResult {
    /// A metric by name.
    #[must_use]
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics.iter().find(|m| m.0 == name).map(|m| m.1)
    }
}
