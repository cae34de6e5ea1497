//! Step 6 of a year: classes form over all grades of every school, and the year's figures
//! are recorded per school, stage, 学区 and equity group, with the target metrics and every
//! entrant.

use xuewei_core::city::{How, Pupil};
use xuewei_core::class_size::{form_classes, ClassMeasures};
use xuewei_core::{PerStage, Sector, Stage};

use super::admission::Admitted;
use super::year::{DistrictYear, Entrant, EquityYear, SchoolYear, StageYear, YearResult};
use crate::scenario::Scenario;
use crate::state::{CityState, STAGES};

/// The figures of `year`, once its entrants are admitted and on the rolls of `state`.
pub(super) fn year_result(
    scenario: &Scenario,
    state: &CityState,
    admitted: &Admitted,
    year: i32,
) -> YearResult {
    let mut tally = classes(state, admitted);
    let (stages, districts) = stage_and_district_rows(state, admitted, &tally, year);
    YearResult {
        year,
        stages,
        districts,
        equity: equity(scenario, admitted, state.policy.class_sizes.large, year),
        metrics: metrics(scenario, state, admitted, &tally.by_stage),
        entrants: entrants(admitted),
        class_sizes: STAGES
            .iter()
            .map(|&stage| (stage, std::mem::take(&mut tally.class_sizes[stage])))
            .collect(),
        schools: tally.schools,
    }
}

/// Classes over all grades, added up per school, stage and district.
struct ClassTally {
    /// One row per school of the state, in its order.
    schools: Vec<SchoolYear>,
    by_stage: PerStage<ClassMeasures>,
    /// Per district (index as [`CityState::districts`]).
    by_district: Vec<PerStage<ClassMeasures>>,
    /// Pupils on roll per district.
    roll_district: Vec<PerStage<u64>>,
    /// The number of classes of each size (index = pupils).
    class_sizes: PerStage<Vec<u64>>,
}

/// Forms the classes of every grade of every school at its stage's class target and adds
/// up their measures.
fn classes(state: &CityState, admitted: &Admitted) -> ClassTally {
    let sizes = &state.policy.class_sizes;
    let result = &admitted.result;
    let n_districts = state.districts.len();
    let mut tally = ClassTally {
        schools: Vec::with_capacity(state.schools.len()),
        by_stage: PerStage::default(),
        by_district: vec![PerStage::default(); n_districts],
        roll_district: vec![PerStage::default(); n_districts],
        class_sizes: PerStage::default(),
    };
    for (s, k) in state.schools.iter().zip(&admitted.to_city) {
        let mut row = SchoolYear {
            id: s.school.id.clone(),
            open: s.open,
            entry_classes: s.school.entry_classes,
            seats: k.map_or(0, |k| result.seats[k as usize]),
            placed: k.map_or(0, |k| result.placed[k as usize]),
            ..SchoolYear::default()
        };
        let stage = s.school.stage;
        let standard = sizes.standard(stage);
        let target = state.policy.class_target(stage);
        for g in &s.grades {
            let classes = form_classes(g.pupils, g.classrooms, target);
            let m = ClassMeasures::of_grade(&classes, g.classrooms, standard, sizes);
            for size in classes.sizes() {
                let hist = &mut tally.class_sizes[stage];
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
            tally.by_stage[stage].add(&m);
            if let Some(d) = s.school.district {
                tally.by_district[d as usize][stage].add(&m);
                tally.roll_district[d as usize][stage] += u64::from(g.pupils);
            }
        }
        tally.schools.push(row);
    }
    tally
}

/// One row per stage (entrants from the admission, classes from the tally) and one per
/// district and stage with classes.
fn stage_and_district_rows(
    state: &CityState,
    admitted: &Admitted,
    tally: &ClassTally,
    year: i32,
) -> (Vec<StageYear>, Vec<DistrictYear>) {
    let (mut stages, mut districts) = (Vec::new(), Vec::new());
    for stage in STAGES {
        let summary = admitted
            .result
            .stages
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, s)| s);
        let m = &tally.by_stage[stage];
        stages.push(StageYear {
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
            let m = &tally.by_district[d][stage];
            if m.classes > 0 {
                districts.push(DistrictYear {
                    year,
                    stage,
                    district: name.clone(),
                    roll: tally.roll_district[d][stage],
                    classes: m.classes,
                    large_share: m.large_share(),
                    super_large_share: m.super_large_share(),
                });
            }
        }
    }
    (stages, districts)
}

/// Equity over entrants, per stage and group (local, migrant, core, edge): own-zone share,
/// distance, share in a school whose largest entering class has `large` pupils or more,
/// unplaced.
fn equity(scenario: &Scenario, admitted: &Admitted, large: u32, year: i32) -> Vec<EquityYear> {
    let (city, result) = (&admitted.city, &admitted.result);
    let mut out = Vec::new();
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
            out.push(e);
        }
    }
    out
}

/// The values the plan's targets are judged on (all but the schools built, which the
/// runner adds).
fn metrics(
    scenario: &Scenario,
    state: &CityState,
    admitted: &Admitted,
    by_stage: &PerStage<ClassMeasures>,
) -> Vec<(&'static str, f64)> {
    let mut compulsory = by_stage[Stage::Primary];
    compulsory.add(&by_stage[Stage::Junior]);
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
    let migrant_unplaced = admitted
        .city
        .pupils()
        .iter()
        .zip(&admitted.result.placements)
        .filter(|(p, pl)| {
            !p.hukou_local
                && matches!(p.stage, Stage::Primary | Stage::Junior)
                && pl.school.is_none()
        })
        .count();
    vec![
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
    ]
}

/// Every entrant with their school, how they got it, distance and home zone.
fn entrants(admitted: &Admitted) -> Vec<Entrant> {
    let city = &admitted.city;
    city.pupils()
        .iter()
        .zip(&admitted.result.placements)
        .map(|(p, pl)| Entrant {
            id: p.id.clone(),
            stage: p.stage,
            home: p.home,
            school: pl.school.map(|s| city.schools()[s as usize].id.clone()),
            how: pl.how,
            distance_m: pl.distance_m,
            zone: pl.zone,
        })
        .collect()
}
