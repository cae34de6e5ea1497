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
//! The population (who lives where, with which attributes) depends only on the scenario's
//! seed and the year; the lotteries on the replication's seed. So two scenarios with the
//! same seed see the same children, and replications differ only by their draws.

use std::sync::atomic::{AtomicUsize, Ordering};

use geo::Point;
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use rayon::prelude::*;
use xuewei_core::city::{assign, City, How, Pupil, Zone};
use xuewei_core::class_size::{form_classes, ClassMeasures};
use xuewei_core::distance::great_circle_m;
use xuewei_core::{Sector, Stage};

use crate::error::ScenarioError;
use crate::scenario::Scenario;
use crate::state::{entry_age, CityState, Grade, STAGES};

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
}

/// One school's figures in one year (open or closed), in [`CityState::schools`] order.
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
    /// Every school of the state (open or closed), in [`CityState::schools`] order.
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

/// One run of a scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Run {
    /// The lottery seed of the run.
    pub lottery_seed: u64,
    /// One result per simulated year.
    pub years: Vec<YearResult>,
}

pub use xuewei_core::lottery::derive_seed;

fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Runs a scenario once from the base state with the given lottery seed.
///
/// # Errors
/// An edit that cannot be applied (unknown school, ...), or a year whose city fails
/// validation (e.g. an edit created a duplicate id).
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
            .map_err(|message| ScenarioError::Edit {
                index,
                year,
                kind: timed.edit.kind(),
                message,
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
        age_blocks(&mut state);
        move_up(&mut state);
        let pupils = draw_entrants(&state, scenario.seed, year);
        let result = admit_and_measure(scenario, &mut state, pupils, year, lottery_seed)?;
        let mut result = result;
        result
            .metrics
            .push(("urban_compulsory_schools_built_per_year", built));
        years.push(result);
        year_done();
    }
    Ok(Run {
        lottery_seed,
        years,
    })
}

/// Runs `n` replications in parallel, replication `r` with lottery seed
/// `derive_seed(seed, r)`; results are in replication order whatever the thread count.
/// Only the first replication keeps its per-pupil [`Entrant`] records.
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
            }
            Ok(run)
        })
        .collect()
}

fn age_blocks(state: &mut CityState) {
    let growth: Vec<f64> = state
        .blocks
        .iter()
        .map(|b| {
            state
                .districts
                .iter()
                .position(|d| *d == b.district)
                .map_or(0.0, |d| state.growth[d])
        })
        .collect();
    for (b, g) in state.blocks.iter_mut().zip(growth) {
        let f = 1.0 + g;
        for a in (1..18).rev() {
            b.children[a] = b.children[a - 1] * f;
        }
        b.children[0] *= f;
        b.households *= f;
    }
}

/// Pupils move up a grade; the top grade leaves; pupils of closed schools move to the
/// nearest open school of the stage (they keep their grade, not their classrooms).
fn move_up(state: &mut CityState) {
    for s in &mut state.schools {
        let n = s.grades.len();
        for g in (1..n).rev() {
            s.grades[g] = s.grades[g - 1];
        }
        s.grades[0] = Grade::default();
    }
    let n = state.schools.len();
    for i in 0..n {
        if state.schools[i].open || state.schools[i].grades.iter().all(|g| g.pupils == 0) {
            continue;
        }
        let from = state.schools[i].school.location;
        let stage = state.schools[i].school.stage;
        let target = (0..n)
            .filter(|&j| j != i && state.schools[j].open && state.schools[j].school.stage == stage)
            .min_by(|&a, &b| {
                great_circle_m(from, state.schools[a].school.location)
                    .total_cmp(&great_circle_m(from, state.schools[b].school.location))
                    .then(a.cmp(&b))
            });
        if let Some(j) = target {
            for g in 0..state.schools[i].grades.len() {
                let p = std::mem::take(&mut state.schools[i].grades[g].pupils);
                state.schools[j].grades[g].pupils += p;
            }
        }
    }
}

/// Draws the entering cohorts from the blocks.
fn draw_entrants(state: &CityState, seed: u64, year: i32) -> Vec<Pupil> {
    let mut out = Vec::new();
    for stage in STAGES {
        let si = stage.index();
        let privates: Vec<usize> = (0..state.schools.len())
            .filter(|&i| {
                let s = &state.schools[i];
                s.open && s.school.stage == stage && s.school.sector == Sector::Private
            })
            .collect();
        for (bi, b) in state.blocks.iter().enumerate() {
            let expected = b.children[entry_age(stage)] * state.participation[si];
            let unit_id = (u64::from(year as u32) << 40) ^ ((si as u64) << 32) ^ bi as u64;
            let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(seed, unit_id));
            let count = expected.floor() as u64 + u64::from(unit(&mut rng) < expected.fract());
            let fam = state.families_of(&b.district);
            for k in 0..count {
                let local = unit(&mut rng) < fam.hukou;
                let owns = unit(&mut rng)
                    < if local {
                        fam.home_if_local
                    } else {
                        fam.home_if_migrant
                    };
                let permit = !local && unit(&mut rng) < fam.permit_if_migrant;
                let jx = (unit(&mut rng) - 0.5) * 0.002;
                let jy = (unit(&mut rng) - 0.5) * 0.002;
                let home = Point::new(b.location.x() + jx, b.location.y() + jy);
                let mut preferences = Vec::new();
                if !privates.is_empty() && unit(&mut rng) < state.private_share[si] {
                    // One distance per school (the first of equally near ones wins).
                    let nearest = privates
                        .iter()
                        .map(|&i| (great_circle_m(home, state.schools[i].school.location), i))
                        .min_by(|x, y| x.0.total_cmp(&y.0));
                    preferences.extend(nearest.map(|(_, i)| i as u32));
                }
                out.push(Pupil {
                    id: format!("{year}-{}-{}-{k}", &stage.name()[..1], b.id),
                    stage,
                    home,
                    hukou_local: local,
                    owns_home: owns,
                    residence_permit: permit,
                    sibling_school: None,
                    score: None,
                    origin_school: None,
                    preferences,
                });
            }
        }
    }
    out
}

fn admit_and_measure(
    scenario: &Scenario,
    state: &mut CityState,
    mut pupils: Vec<Pupil>,
    year: i32,
    lottery_seed: u64,
) -> Result<YearResult, ScenarioError> {
    // The year's city: open schools only, zones remapped.
    let open: Vec<usize> = (0..state.schools.len())
        .filter(|&i| state.schools[i].open)
        .collect();
    let mut to_city = vec![u32::MAX; state.schools.len()];
    for (k, &i) in open.iter().enumerate() {
        to_city[i] = k as u32;
    }
    for p in &mut pupils {
        p.preferences = p
            .preferences
            .iter()
            .map(|&s| to_city[s as usize])
            .filter(|&s| s != u32::MAX)
            .collect();
    }
    let zones: Vec<Zone> = state
        .zones
        .iter()
        .map(|z| Zone {
            schools: z
                .schools
                .iter()
                .map(|&s| to_city[s as usize])
                .filter(|&s| s != u32::MAX)
                .collect(),
            ..z.clone()
        })
        .collect();
    let city = City::new(
        open.iter()
            .map(|&i| state.schools[i].school.clone())
            .collect(),
        pupils,
        zones,
        state.districts.clone(),
        state.roads.clone(),
    )
    .map_err(|e| ScenarioError::City(format!("year {year}: {e}")))?;
    let params = state
        .policy
        .clone()
        .seed(derive_seed(lottery_seed, year as u64));
    let result =
        assign(&city, &params).map_err(|source| ScenarioError::Conservation { year, source })?;
    for (k, &i) in open.iter().enumerate() {
        let s = &mut state.schools[i];
        s.grades[0] = Grade {
            pupils: result.placed[k],
            classrooms: s.school.entry_classes,
        };
    }

    // Classes over all grades.
    let sizes = &params.class_sizes;
    let mut by_stage = [ClassMeasures::default(); 4];
    let mut by_district: Vec<[ClassMeasures; 4]> =
        vec![[ClassMeasures::default(); 4]; state.districts.len()];
    let mut roll_district: Vec<[u64; 4]> = vec![[0; 4]; state.districts.len()];
    let mut class_sizes: Vec<Vec<u64>> = vec![Vec::new(); 4];
    let mut schools = Vec::with_capacity(state.schools.len());
    for (i, s) in state.schools.iter().enumerate() {
        let k = to_city[i];
        let mut row = SchoolYear {
            id: s.school.id.clone(),
            open: s.open,
            entry_classes: s.school.entry_classes,
            seats: if k == u32::MAX {
                0
            } else {
                result.seats[k as usize]
            },
            placed: if k == u32::MAX {
                0
            } else {
                result.placed[k as usize]
            },
            ..SchoolYear::default()
        };
        let stage = s.school.stage;
        let si = stage.index();
        let standard = sizes.standard(stage);
        let target = params.class_target(stage);
        for g in &s.grades {
            let classes = form_classes(g.pupils, g.classrooms, target);
            let m = ClassMeasures::of_grade(&classes, g.classrooms, standard, sizes);
            for size in classes.sizes() {
                let hist = &mut class_sizes[si];
                if hist.len() <= size as usize {
                    hist.resize(size as usize + 1, 0);
                }
                hist[size as usize] += 1;
                row.largest_class = row.largest_class.max(size);
            }
            row.roll += g.pupils;
            row.classes += classes.count;
            row.large_classes += m.large_classes as u32;
            row.super_large_classes += m.super_large_classes as u32;
            by_stage[si].add(&m);
            if let Some(d) = s.school.district {
                by_district[d as usize][si].add(&m);
                roll_district[d as usize][si] += u64::from(g.pupils);
            }
        }
        schools.push(row);
    }
    let mut out = YearResult {
        year,
        schools,
        class_sizes: STAGES
            .iter()
            .map(|&stage| (stage, std::mem::take(&mut class_sizes[stage.index()])))
            .collect(),
        ..YearResult::default()
    };
    for stage in STAGES {
        let si = stage.index();
        let summary = result
            .stages
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, s)| s);
        let m = &by_stage[si];
        out.stages.push(StageYear {
            year,
            stage,
            pupils: summary.map_or(0, |s| s.pupils as u64),
            placed: summary.map_or(0, |s| s.placed as u64),
            unplaced: summary.map_or(0, |s| s.unplaced as u64),
            overflow: summary.map_or(0, |s| s.overflow as u64),
            mean_distance_m: summary.map_or(0.0, |s| s.mean_distance_m),
            roll: state.roll(stage),
            classes: m.classes,
            large_share: m.large_share(),
            super_large_share: m.super_large_share(),
            mean_class_size: m.mean_class_size(),
            seats: summary.map_or(0, |s| s.seats),
        });
        for (d, name) in state.districts.iter().enumerate() {
            let m = &by_district[d][si];
            if m.classes > 0 {
                out.districts.push(DistrictYear {
                    year,
                    stage,
                    district: name.clone(),
                    roll: roll_district[d][si],
                    classes: m.classes,
                    large_share: m.large_share(),
                    super_large_share: m.super_large_share(),
                });
            }
        }
    }

    // Equity, over entrants.
    let large = sizes.large;
    for stage in STAGES {
        type Pred = fn(&Pupil, &Scenario) -> bool;
        let groups: [(&'static str, Pred); 4] = [
            ("local", |p, _| p.hukou_local),
            ("migrant", |p, _| !p.hukou_local),
            ("core", |p, s| s.core.contains(p.home)),
            ("edge", |p, s| !s.core.contains(p.home)),
        ];
        for (name, member) in groups {
            let mut e = EquityYear {
                year,
                stage,
                group: name,
                ..EquityYear::default()
            };
            let (mut own, mut dist, mut in_large, mut placed) = (0u64, 0.0, 0u64, 0u64);
            for (p, pl) in city.pupils().iter().zip(&result.placements) {
                if p.stage != stage || !member(p, scenario) {
                    continue;
                }
                e.pupils += 1;
                match pl.school {
                    None => e.unplaced += 1,
                    Some(s) => {
                        placed += 1;
                        dist += pl.distance_m.unwrap_or(0.0);
                        own += u64::from(matches!(pl.how, How::Zone | How::Lottery));
                        let biggest = result.classes[s as usize].sizes().next().unwrap_or(0);
                        in_large += u64::from(biggest >= large);
                    }
                }
            }
            let share = |a: u64, b: u64| if b > 0 { a as f64 / b as f64 } else { 0.0 };
            e.own_zone_share = share(own, e.pupils);
            e.mean_distance_m = if placed > 0 {
                dist / placed as f64
            } else {
                0.0
            };
            e.large_class_share = share(in_large, placed);
            out.equity.push(e);
        }
    }

    // Target metrics.
    let mut compulsory = by_stage[Stage::Primary.index()];
    compulsory.add(&by_stage[Stage::Junior.index()]);
    let aged_15_17: f64 = state
        .blocks
        .iter()
        .map(|b| b.children[15] + b.children[16] + b.children[17])
        .sum();
    let senior_inside = state
        .schools
        .iter()
        .filter(|s| {
            s.open
                && s.school.stage == Stage::Senior
                && s.school.sector == Sector::Public
                && scenario.core.contains(s.school.location)
        })
        .count();
    let migrant_unplaced = city
        .pupils()
        .iter()
        .zip(&result.placements)
        .filter(|(p, pl)| {
            !p.hukou_local
                && matches!(p.stage, Stage::Primary | Stage::Junior)
                && pl.school.is_none()
        })
        .count();
    out.metrics = vec![
        ("large_share", compulsory.large_share()),
        ("super_large_share", compulsory.super_large_share()),
        ("roll_primary", state.roll(Stage::Primary) as f64),
        ("roll_junior", state.roll(Stage::Junior) as f64),
        ("roll_senior", state.roll(Stage::Senior) as f64),
        (
            "senior_gross_enrolment",
            if aged_15_17 > 0.0 {
                state.roll(Stage::Senior) as f64 / aged_15_17
            } else {
                0.0
            },
        ),
        ("senior_schools_inside_ring3", senior_inside as f64),
        ("migrant_children_unplaced", migrant_unplaced as f64),
    ];
    out.entrants = city
        .pupils()
        .iter()
        .zip(&result.placements)
        .map(|(p, pl)| Entrant {
            id: p.id.clone(),
            stage: p.stage,
            home: p.home,
            school: pl.school.map(|s| city.schools()[s as usize].id.clone()),
            how: pl.how,
            distance_m: pl.distance_m,
        })
        .collect();
    Ok(out)
}
