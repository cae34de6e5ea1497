//! The oracles: what a result must satisfy, checked over the public API.
//!
//! Checks return `Ok(())` or `Err` with a message naming what is wrong (the offenders, both
//! sides of a comparison), so that each caller fails in its own way: a proptest with
//! `.map_err(TestCaseError::fail)?`, a fuzz target or a plain test with a panic. They build
//! on [`xuewei_core::verify`], which returns the offending records of each defining property.
//!
//! - Comparing placements: [`rank`], [`weakly_prefers`], [`dominates`], [`schools_of`].
//! - The defining properties of one result: [`feasible`], [`stable`], [`non_wasteful`],
//!   [`first_choices_full`] (Boston), [`respects_score_order`] (serial dictatorship).
//! - Brute force on tiny instances: [`all_assignments`], [`all_stable`],
//!   [`pupil_optimal_stable`], [`pareto_efficient`].
//! - Batteries that run the mechanisms: [`check_mechanisms`], [`check_input_order`].
//! - The city layer: [`city_valid`], [`check_city_assignment`], and
//!   [`placement_summary`] for comparing a city assignment with one worked by hand.

mod brute_force;
mod city;
mod input_order;
mod mechanisms;
mod prefs;
mod properties;

pub use brute_force::{all_assignments, all_stable, pareto_efficient, pupil_optimal_stable};
pub use city::{check_city_assignment, city_valid, placement_summary};
pub use input_order::check_input_order;
pub use mechanisms::check_mechanisms;
pub use prefs::{dominates, rank, schools_of, weakly_prefers};
pub use properties::{feasible, first_choices_full, non_wasteful, respects_score_order, stable};
