//! Scenarios end to end on the fixture cities read from their files (hence here, beside
//! the loaders): hand-checked figures, inverse edits, monotonicity in seats, determinism at
//! any thread count, and the shipped plan and baseline.

use proptest::prelude::*;
use xuewei_core::catchment::ZoneIndex;
use xuewei_core::Sector;
use xuewei_core::{PerStageError, Stage, UnknownSeatRule, UnknownStage};
use xuewei_io::city::load_state;
use xuewei_io::scenario::{load, parse};
use xuewei_io::{LoadError, Reader};
use xuewei_scenario::edit::ZoneRule;
use xuewei_scenario::{
    replicate, simulate, Edit, EditError, Run, Scenario, ScenarioError, TimedEdit,
};
use xuewei_testkit::fixtures::{small_city_dir, small_city_state, synthetic_city_dir};

fn scenario(end_year: i32, policy: &str, edits: Vec<TimedEdit>) -> Scenario {
    let text = format!(
        "name = \"test\"\nbase_year = 2015\nend_year = {end_year}\nseed = 7\n[policy]\nclass_policy = \"{policy}\"\n"
    );
    let mut s = parse("test.toml", &text, &small_city_dir()).expect("valid scenario");
    s.edits = edits;
    s
}

fn stage(run: &Run, year: i32, stage: Stage) -> &xuewei_scenario::run::StageYear {
    run.years
        .iter()
        .find(|y| y.year == year)
        .and_then(|y| y.stages.iter().find(|s| s.stage == stage))
        .expect("year and stage recorded")
}

/// fixtures/city-small with its roll and blocks, one year on, worked by hand. The blocks
/// hold one child at each pupil's home aged 5 (primary) or 11 (junior) in 2015, so 2016
/// draws exactly one entrant per block: 10 primary, 4 junior. Rolls move up a grade:
/// PA's grades 1–3 (2, 58, 70 pupils, one classroom each) become grades 2–4, PB1's grade 2
/// (90, two rooms) grade 3, PC's 40 grade 3; J1's grade 2 (120 in two rooms) grade 3 and
/// J2's grade 3 (55) leaves. Primary classes of the old grades: 2, 58, 70, 45, 45, 40 — two
/// large (58, 70), one super-large (70); the entering grade adds one class at each of the
/// five schools that admit (PA, PB1, PB2, PC, PP), all small. Junior: 60 and 60 (both
/// large) plus the entering classes of J1 and J2.
#[test]
fn small_city_one_year_by_hand() {
    let base = small_city_state();
    let run = simulate(&scenario(2016, "standard", vec![]), &base, 1).expect("runs");
    let p = stage(&run, 2016, Stage::Primary);
    assert_eq!(p.pupils, 10);
    assert_eq!(p.classes, 6 + 5);
    assert_eq!(p.roll, 2 + 58 + 70 + 90 + 40 + p.placed);
    assert!(
        (p.large_share - 2.0 / 11.0).abs() < 1e-12,
        "{}",
        p.large_share
    );
    assert!((p.super_large_share - 1.0 / 11.0).abs() < 1e-12);
    let j = stage(&run, 2016, Stage::Junior);
    assert_eq!(j.pupils, 4);
    assert_eq!(j.roll, 120 + j.placed);
    assert_eq!(j.classes, 2 + 2);
    assert!((j.large_share - 0.5).abs() < 1e-12);
    // The migrant-child target: every unplaced primary/junior entrant is counted.
    let y = &run.years[0];
    assert!(y.metric("migrant_children_unplaced").is_some());
}

fn expand(school: &str, by: i32, year: i32) -> TimedEdit {
    TimedEdit {
        year,
        edit: Edit::Expand {
            school: school.into(),
            by,
        },
    }
}

/// An edit followed by its inverse in the same year restores the base result exactly.
#[test]
fn edit_then_inverse_restores_the_base() {
    let base = small_city_state();
    let plain = simulate(&scenario(2017, "standard", vec![]), &base, 3).expect("runs");
    let relocate = |lon: f64, lat: f64| TimedEdit {
        year: 2016,
        edit: Edit::Relocate {
            school: "PC".into(),
            lon,
            lat,
            zone: xuewei_scenario::ZoneRule::Keep,
            carve_km: 1.0,
        },
    };
    let policy = |p: &str| TimedEdit {
        year: 2016,
        edit: Edit::Policy {
            class_policy: Some(p.into()),
            rules: None,
            tie_break: None,
        },
    };
    for edits in [
        vec![expand("PA", 2, 2016), expand("PA", -2, 2016)],
        vec![relocate(113.70, 34.70), relocate(113.625, 34.745)],
        vec![policy("guarantee"), policy("standard")],
    ] {
        let kinds: Vec<&str> = edits.iter().map(|e| e.edit.kind()).collect();
        let again = simulate(&scenario(2017, "standard", edits), &base, 3).expect("runs");
        assert_eq!(again, plain, "{kinds:?}");
    }
}

/// Determinism: the same replications at one thread and at the default thread count.
#[test]
fn replications_identical_at_any_thread_count() {
    let base = small_city_state();
    let s = scenario(2018, "standard", vec![expand("PB2", 1, 2017)]);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let a = one.install(|| replicate(&s, &base, 4, 99)).expect("runs");
    let b = replicate(&s, &base, 4, 99).expect("runs");
    assert_eq!(a, b);
    assert_eq!(a.len(), 4);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Adding seats never increases the unplaced pupils of that year (same seed).
    #[test]
    fn adding_seats_never_increases_unplaced(school in 0usize..7, by in 1i32..4, seed in any::<u64>()) {
        let base = small_city_state();
        let id = base.schools[school].school.id.clone();
        let more = simulate(&scenario(2016, "cap:45", vec![expand(&id, by, 2016)]), &base, seed).expect("runs");
        let plain_cap = simulate(&scenario(2016, "cap:45", vec![]), &base, seed).expect("runs");
        // The small city states its seats, which bind under `standard`; under a cap, seats
        // follow entry classes, so an expansion adds seats.
        for st in [Stage::Primary, Stage::Junior] {
            prop_assert!(stage(&more, 2016, st).unplaced <= stage(&plain_cap, 2016, st).unplaced);
        }
    }
}

/// The shipped plan and baseline run on the fixture city, the plan meets more of the
/// class-size targets in 2020 than doing nothing, and it takes the high school out of the
/// 3rd ring.
#[test]
fn shipped_plan_beats_the_baseline() {
    let dir = synthetic_city_dir();
    let plan = load(&dir.join("plan-2016-2020.toml"), &Reader::default()).expect("plan parses");
    let baseline = load(&dir.join("baseline.toml"), &Reader::default()).expect("baseline parses");
    let base = load_state(&plan.city, &Reader::default()).expect("fixture city loads");
    let p = simulate(&plan, &base, plan.seed).expect("plan runs");
    let b = simulate(&baseline, &base, baseline.seed).expect("baseline runs");
    let last = |r: &Run, m: &str| r.years.last().and_then(|y| y.metric(m)).expect("metric");
    assert!(last(&p, "super_large_share") < last(&b, "super_large_share"));
    assert!(last(&p, "large_share") < last(&b, "large_share"));
    assert_eq!(last(&p, "senior_schools_inside_ring3"), 0.0);
    assert_eq!(last(&b, "senior_schools_inside_ring3"), 1.0);
    assert_eq!(p.years.len(), 5);
}

/// The first run keeps the city as the plan's edits left it, for maps: the schools it
/// builds, S0001 at its new site, one school per row of each year's figures. Each entrant of
/// the last year names the zone of that city its home lies in, the one locating the home
/// anew finds.
#[test]
fn the_final_city_holds_the_plans_edits_and_the_entrants_zones() {
    let dir = synthetic_city_dir();
    let plan = load(&dir.join("plan-2016-2020.toml"), &Reader::default()).expect("plan parses");
    let base = load_state(&plan.city, &Reader::default()).expect("fixture city loads");
    let runs = replicate(&plan, &base, 2, plan.seed).expect("plan runs");
    assert!(runs[1].final_city.is_none(), "kept by the first run only");
    let city = runs[0].final_city.as_ref().expect("final city");
    let school = |id: &str| city.schools.iter().find(|s| s.school.id == id);
    for id in ["P-N01", "P-N02", "P-A01", "J-A01", "J-N01"] {
        assert!(school(id).is_some(), "{id} built");
    }
    let b = base.school("S0001").expect("S0001 in base");
    assert_ne!(
        school("S0001").expect("S0001").school.location,
        base.schools[b].school.location
    );
    let last = runs[0].years.last().expect("years");
    assert_eq!(last.schools.len(), city.schools.len());
    let mut zoned = 0;
    for stage in [Stage::Primary, Stage::Junior, Stage::Senior] {
        let ids: Vec<u32> = (0..city.zones.len() as u32)
            .filter(|&z| city.zones[z as usize].stage == stage)
            .collect();
        let index = ZoneIndex::new(
            ids.iter()
                .map(|&z| city.zones[z as usize].geometry.clone())
                .collect(),
        )
        .expect("zones");
        for e in last.entrants.iter().filter(|e| e.stage == stage) {
            let zone = index.locate(e.home).zone.map(|z| ids[z as usize]);
            assert_eq!(e.zone, zone, "{}", e.id);
            zoned += usize::from(zone.is_some());
        }
    }
    assert!(zoned > 0);
}

/// Bad scenarios are clear errors: unknown school, year outside the run, bad policy.
#[test]
fn bad_scenarios_are_clear_errors() {
    let dir = small_city_dir();
    let text = "name = \"x\"\nbase_year = 2015\nend_year = 2016\n[[edit]]\nyear = 2019\nkind = \"close\"\nschool = \"PA\"\n";
    let e = parse("x.toml", text, &dir).expect_err("year out of range");
    assert!(
        e.to_string().contains("year 2019 is outside 2016..=2016"),
        "{e}"
    );
    let text =
        "name = \"x\"\nbase_year = 2015\nend_year = 2016\n[policy]\nclass_policy = \"cap:0\"\n";
    let e = parse("x.toml", text, &dir).expect_err("bad policy");
    assert!(e.to_string().contains("policy.class_policy"), "{e}");
    let text = "name = \"x\"\nbase_year = 2015\nend_year = 2016\n[[edit]]\nyear = 2016\nkind = \"demolish\"\n";
    assert!(parse("x.toml", text, &dir).is_err());
    let s = scenario(2016, "standard", vec![expand("NOPE", 1, 2016)]);
    let e = simulate(&s, &small_city_state(), 1).expect_err("unknown school");
    assert!(e.to_string().contains("unknown school \"NOPE\""), "{e}");
    // A redrawn zone whose outline crosses itself (a bow-tie) is refused like one in a
    // zones file, and so is one with too few positions.
    let redraw = |polygon: Vec<[f64; 2]>| TimedEdit {
        year: 2016,
        edit: Edit::Redraw {
            zone: "ZA".into(),
            polygon,
        },
    };
    let bow_tie = vec![
        [113.60, 34.74],
        [113.62, 34.76],
        [113.62, 34.74],
        [113.60, 34.76],
    ];
    let s = scenario(2016, "standard", vec![redraw(bow_tie)]);
    let e = simulate(&s, &small_city_state(), 1).expect_err("bow-tie");
    assert!(
        e.to_string()
            .contains("polygon: outer ring crosses itself at"),
        "{e}"
    );
    let s = scenario(
        2016,
        "standard",
        vec![redraw(vec![[113.60, 34.74], [113.62, 34.76]])],
    );
    let e = simulate(&s, &small_city_state(), 1).expect_err("two positions");
    assert!(e.to_string().contains("a ring needs 4 or more"), "{e}");
}

/// A class policy that does not parse is a typed error: where it is (the scenario's
/// `policy`, or which `policy` edit) and the core's parse error as its source.
#[test]
fn bad_class_policies_are_typed() {
    let dir = small_city_dir();
    let text =
        "name = \"x\"\nbase_year = 2015\nend_year = 2016\n[policy]\nclass_policy = \"cap:0\"\n";
    let e = parse("x.toml", text, &dir).expect_err("bad policy");
    assert_eq!(
        e,
        LoadError::ClassPolicy {
            file: "x.toml".into(),
            edit: None,
            source: PerStageError::Value(UnknownSeatRule("cap:0".into())),
        }
    );
    assert_eq!(
        e.to_string(),
        "x.toml: policy.class_policy: \"cap:0\" is not guarantee, standard or cap:N (N ≥ 1)"
    );
    let text = "name = \"x\"\nbase_year = 2015\nend_year = 2017\n\
                [[edit]]\nyear = 2016\nkind = \"close\"\nschool = \"PA\"\n\
                [[edit]]\nyear = 2017\nkind = \"policy\"\nclass_policy = \"middle=standard\"\n";
    let e = parse("x.toml", text, &dir).expect_err("bad stage");
    assert_eq!(
        e,
        LoadError::ClassPolicy {
            file: "x.toml".into(),
            edit: Some(1),
            source: PerStageError::Stage(UnknownStage("middle".into())),
        }
    );
    assert!(
        e.to_string()
            .starts_with("x.toml: edit 1 (policy): unknown stage \"middle\""),
        "{e}"
    );
}

/// A failed edit is a typed error naming what is wrong, and leaves the city as it was: a new
/// school with a bow-tie outline used to be added before its outline was refused.
#[test]
fn failed_edits_are_typed_and_change_nothing() {
    let base = small_city_state();
    let build = |polygon: Option<Vec<[f64; 2]>>| Edit::Build {
        id: "NEW".into(),
        name: None,
        stage: Stage::Primary,
        sector: Sector::Public,
        lon: 113.61,
        lat: 34.75,
        entry_classes: 2,
        district: None,
        zone: ZoneRule::Carve,
        carve_km: 1.0,
        polygon,
    };
    let bow_tie = vec![
        [113.60, 34.74],
        [113.62, 34.76],
        [113.62, 34.74],
        [113.60, 34.76],
    ];
    let mut state = base.clone();
    let e = build(Some(bow_tie)).apply(&mut state).expect_err("bow-tie");
    assert!(matches!(e, EditError::Polygon(_)), "{e:?}");
    assert_eq!(state.schools.len(), base.schools.len());
    assert_eq!(state.zones.len(), base.zones.len());

    let taken = base.schools[0].school.id.clone();
    let mut state = base.clone();
    let e = Edit::Close {
        school: "NOPE".into(),
    }
    .apply(&mut state)
    .expect_err("unknown school");
    assert_eq!(e, EditError::UnknownSchool { id: "NOPE".into() });
    let e = Edit::Campus {
        school: taken.clone(),
        campus_id: taken.clone(),
        lon: 113.61,
        lat: 34.75,
        entry_classes: 1,
    }
    .apply(&mut state)
    .expect_err("id taken");
    assert_eq!(e, EditError::SchoolExists { id: taken });
    let e = Edit::Growth {
        district: "*".into(),
        rate: -1.5,
    }
    .apply(&mut state)
    .expect_err("rate");
    assert_eq!(e.to_string(), "rate -1.5 is not above -1");

    // In a run the error names the edit and carries the typed cause as its source.
    let s = scenario(2016, "standard", vec![expand("NOPE", 1, 2016)]);
    match simulate(&s, &base, 1).expect_err("unknown school") {
        ScenarioError::Edit {
            year, kind, source, ..
        } => {
            assert_eq!((year, kind), (2016, "expand"));
            assert_eq!(source, EditError::UnknownSchool { id: "NOPE".into() });
        }
        other => panic!("expected an edit error, got {other:?}"),
    }
}
