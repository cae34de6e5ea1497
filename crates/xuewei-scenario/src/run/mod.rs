//! The year-by-year runner and Monte Carlo replications.
//!
//! Each simulated year:
//! 1. the year's edits apply, in file order;
//! 2. blocks age one year and grow at their district's rate;
//! 3. every school's pupils move up a grade; the top grade leaves (primary leavers are the
//!    next junior intake, junior leavers the senior one); pupils of a closed school move to
//!    the nearest open school of its stage;
//! 4. the entering cohorts are drawn from the blocks' children of the entry age (6, 12,
//!    15) times the base year's participation, with families like those of their district;
//! 5. admission runs with the rules in force (`xuewei_core::city::assign`);
//! 6. classes form over all grades and the measures are recorded per stage, 学区 and group.
//!
//! Steps 2–4 live in the private module `population`, step 5 in `admission`, step 6 in
//! `measure`; what is recorded ([`YearResult`], [`Entrant`]) in `year`. A [`Run`] also
//! carries its [`FinalCity`], the city every edit left, for maps.
//!
//! The population (who lives where, with which attributes) depends only on the scenario's
//! seed and the year; the lotteries on the replication's seed. So two scenarios with the
//! same seed see the same children, and replications differ only by their draws.

mod admission;
mod measure;
mod population;
mod year;

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use xuewei_core::city::Zone;

use crate::error::ScenarioError;
use crate::scenario::Scenario;
use crate::state::{CityState, SchoolState};

pub use xuewei_core::lottery::derive_seed;
pub use year::{DistrictYear, Entrant, EquityYear, SchoolYear, StageYear, YearResult};

/// One run of a scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Run {
    /// The lottery seed of the run.
    pub lottery_seed: u64,
    /// One result per simulated year.
    pub years: Vec<YearResult>,
    /// The city after the last year (every edit applied), for maps; kept by the first
    /// replication only (see [`replicate`]).
    pub final_city: Option<FinalCity>,
}

/// The city as a run leaves it: every edit of the scenario applied, and the rolls after the
/// last admission. Its schools are in the order of each year's
/// [`YearResult::schools`], and the last year's [`Entrant::zone`] indexes its zones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FinalCity {
    /// Schools (open or closed) with their rolls, in [`CityState::schools`] order.
    pub schools: Vec<SchoolState>,
    /// Zones (their `schools` index [`FinalCity::schools`]).
    pub zones: Vec<Zone>,
    /// District names (学区 / county), by index.
    pub districts: Vec<String>,
}

/// Runs a scenario once from the base state with the given lottery seed.
///
/// # Errors
/// An edit that cannot be applied (unknown school, ...: [`ScenarioError::Edit`]), or a
/// year whose city fails validation (e.g. an edit created a duplicate id:
/// [`ScenarioError::City`], with the city's problems as its source).
pub fn simulate(
    scenario: &Scenario,
    base: &CityState,
    lottery_seed: u64,
) -> Result<Run, ScenarioError> {
    simulate_observed(scenario, base, lottery_seed, &|| {})
}

/// Applies the scenario's edits of `year` to `state`, in file order. Returns how many of
/// them built or expanded a compulsory school in an urban district (a district whose name
/// has 区; counties end in 市 or 县), for the plan's "about 30 a year" target.
///
/// # Errors
/// The first edit that cannot apply, with its position, year and kind.
pub fn apply_edits(
    scenario: &Scenario,
    state: &mut CityState,
    year: i32,
) -> Result<u32, ScenarioError> {
    let mut built = 0;
    for (index, timed) in scenario.edits.iter().enumerate() {
        if timed.year != year {
            continue;
        }
        if let Some(district) = timed.edit.builds_compulsory(state) {
            if district.is_empty() || district.contains('区') {
                built += 1;
            }
        }
        timed
            .edit
            .apply(state)
            .map_err(|source| ScenarioError::Edit {
                index,
                year,
                kind: timed.edit.kind(),
                source,
            })?;
    }
    Ok(built)
}

/// [`simulate`], calling `year_done` after each simulated year.
fn simulate_observed(
    scenario: &Scenario,
    base: &CityState,
    lottery_seed: u64,
    year_done: &(dyn Fn() + Sync),
) -> Result<Run, ScenarioError> {
    let mut state = base.clone();
    state.policy = scenario.policy.clone();
    let mut years = Vec::new();
    for year in scenario.years() {
        let built = f64::from(apply_edits(scenario, &mut state, year)?);
        population::age_blocks(&mut state);
        population::move_up(&mut state);
        let pupils = population::draw_entrants(&state, scenario.seed, year);
        let admitted = admission::admit(&mut state, pupils, year, lottery_seed)?;
        let mut result = measure::year_result(scenario, &state, &admitted, year);
        result
            .metrics
            .push(("urban_compulsory_schools_built_per_year", built));
        years.push(result);
        year_done();
    }
    Ok(Run {
        lottery_seed,
        years,
        final_city: Some(FinalCity {
            schools: state.schools,
            zones: state.zones,
            districts: state.districts,
        }),
    })
}

/// Runs `n` replications in parallel, replication `r` with lottery seed
/// `derive_seed(seed, r)`; results are in replication order whatever the thread count.
/// Only the first replication keeps its per-pupil [`Entrant`] records and its
/// [`FinalCity`].
///
/// # Errors
/// The first replication's error (edits fail the same way in every replication).
pub fn replicate(
    scenario: &Scenario,
    base: &CityState,
    n: usize,
    seed: u64,
) -> Result<Vec<Run>, ScenarioError> {
    replicate_with_progress(scenario, base, n, seed, &|_, _| {})
}

/// [`replicate`], calling `progress(done, total)` each time a replication finishes a year
/// (`total` = replications × years). The hook is called from worker threads, in no
/// particular order; results do not depend on it.
///
/// # Errors
/// As [`replicate`].
pub fn replicate_with_progress(
    scenario: &Scenario,
    base: &CityState,
    n: usize,
    seed: u64,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<Run>, ScenarioError> {
    let n = n.max(1);
    let total = n * scenario.years().count();
    let done = AtomicUsize::new(0);
    let year_done = || progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
    (0..n)
        .into_par_iter()
        .map(|r| {
            let mut run =
                simulate_observed(scenario, base, derive_seed(seed, r as u64), &year_done)?;
            // Per-pupil records are kept for the first replication only (comparisons use
            // it): a hundred replications of the full city would otherwise hold ~13 GB.
            if r > 0 {
                for year in &mut run.years {
                    year.entrants = Vec::new();
                }
                run.final_city = None;
            }
            Ok(run)
        })
        .collect()
}
