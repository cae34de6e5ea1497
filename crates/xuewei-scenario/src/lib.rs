//! # xuewei-scenario
//!
//! Plans replayed year by year on top of [`xuewei_core`], compared, and judged against the
//! plan's targets. The base city is a directory of city files, such as the synthetic
//! Zhengzhou-like city that `xuewei synth` writes.
//!
//! - [`Scenario`]: the base city, the years, the policy and timed [`Edit`]s (build,
//!   relocate, expand, close, split, campus, trusteeship, redraw, growth, housing, policy).
//! - [`CityState`]: schools with rolls by grade, zones, residential blocks, the policy.
//! - [`simulate`] runs a scenario year by year; [`replicate`] runs lottery replications in
//!   parallel (identical results at any thread count).
//! - [`targets`]: verdicts against the plan's targets; [`output`]: the figures of the CSV
//!   files (bands over replications, pupils who move); `xuewei-io` reads and writes the
//!   files.
//!
//! The state is built from data: `xuewei-io` reads it from a city's files
//! (`xuewei_io::city::load_state`). Here, one primary school in one zone, and a block whose
//! 60 five-year-olds enter school the year after:
//!
//! ```
//! use geo::{polygon, MultiPolygon, Point};
//! use xuewei_core::city::{City, School, Zone};
//! use xuewei_core::{Sector, Stage};
//! use xuewei_scenario::state::{Block, Policy};
//! use xuewei_scenario::{replicate, CityState, Core, Scenario};
//!
//! let school = School {
//!     id: "PA".into(),
//!     name: "Zone A Primary".into(),
//!     stage: Stage::Primary,
//!     sector: Sector::Public,
//!     location: Point::new(113.605, 34.745),
//!     entry_classes: 1,
//!     district: None,
//!     seats: None,
//! };
//! let area = polygon![(x: 113.60, y: 34.74), (x: 113.61, y: 34.74), (x: 113.61, y: 34.75)];
//! let zone = Zone {
//!     id: "ZA".into(),
//!     stage: Stage::Primary,
//!     schools: vec![0],
//!     district: None,
//!     geometry: MultiPolygon(vec![area]),
//! };
//! let city = City::new(vec![school], Vec::new(), vec![zone], Vec::new(), None)?;
//! let mut children = [0.0; 18];
//! children[5] = 60.0;
//! let block = Block {
//!     id: "B1".into(),
//!     location: Point::new(113.608, 34.742),
//!     district: "D1".into(),
//!     households: 120.0,
//!     children,
//! };
//! let base = CityState::from_city(&city, &[], vec![block])?;
//! let scenario = Scenario {
//!     name: "one school".into(),
//!     description: None,
//!     city: ".".into(),
//!     base_year: 2015,
//!     end_year: 2016,
//!     seed: 7,
//!     scale: 1.0,
//!     targets: None,
//!     policy: Policy::default(),
//!     core: Core::default(),
//!     edits: Vec::new(),
//! };
//! let runs = replicate(&scenario, &base, 2, scenario.seed)?;
//! let year = &runs[0].years[0];
//! assert_eq!(year.year, 2016);
//! println!("{} {:.1}%", year.year, 100.0 * year.metric("large_share").unwrap_or(0.0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod edit;
pub mod error;
pub mod output;
pub mod run;
pub mod scenario;
pub mod state;
pub mod targets;

pub use edit::{Edit, ZoneRule};
pub use error::{EditError, ScenarioError};
pub use run::{
    replicate, replicate_with_progress, simulate, FinalCity, Run, SchoolYear, YearResult,
};
pub use scenario::{Core, Scenario, TimedEdit};
pub use state::CityState;
