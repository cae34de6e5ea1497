//! # xuewei-scenario
//!
//! Plans replayed year by year on top of [`xuewei_core`], compared, and judged against the
//! plan's targets. The base city is a directory of city files, such as the synthetic
//! Zhengzhou-like city that the `xuewei-synth` crate writes.
//!
//! - [`Scenario`]: a TOML file naming the base city, the years, the policy and timed
//!   [`Edit`]s (build, relocate, expand, close, split, campus, trusteeship, redraw, growth,
//!   housing, policy).
//! - [`CityState`]: schools with rolls by grade, zones, residential blocks, the policy.
//! - [`simulate`] runs a scenario year by year; [`replicate`] runs lottery replications in
//!   parallel (identical results at any thread count).
//! - [`targets`]: verdicts against `seeds/targets.toml`; [`output`]: the CSV files.
//!
//! ```no_run
//! use std::path::Path;
//! use xuewei_scenario::{replicate, CityState, Scenario};
//! let scenario = Scenario::load(Path::new("fixtures/zhengzhou-s001/plan-2016-2020.toml"))?;
//! let base = CityState::load(&scenario.city)?;
//! let runs = replicate(&scenario, &base, 4, scenario.seed)?;
//! for year in &runs[0].years {
//!     println!("{} {:.1}%", year.year, 100.0 * year.metric("large_share").unwrap_or(0.0));
//! }
//! # Ok::<(), xuewei_scenario::ScenarioError>(())
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
