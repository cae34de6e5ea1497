//! The oracles catch what they claim to: each check fails, naming the fault, on a result
//! built to break it, and passes on the mechanisms' results.

use xuewei_core::city::AssignParams;
use xuewei_core::{
    deferred_acceptance, Assignment, Instance, InstanceBuilder, Lottery, LotteryParams, SchoolId,
    TieBreak,
};
use xuewei_testkit::{fixtures, oracle};

/// One seat at `H`, two at `L`; `a` lists H then L and has priority at H, `b` lists H only.
fn two_pupils() -> Instance {
    let mut b = InstanceBuilder::new();
    let h = b.add_school("H", 1);
    let l = b.add_school("L", 2);
    let a = b.add_student("a", [h, l]);
    b.add_student("b", [h]);
    b.push_tier(h, [a]);
    b.build().expect("valid")
}

fn at(schools: &[Option<u32>]) -> Assignment {
    Assignment::from_schools(schools.iter().map(|s| s.map(SchoolId)))
}

fn lottery(instance: &Instance) -> Lottery {
    Lottery::draw(instance, &LotteryParams::default().seed(1))
}

#[test]
fn all_assignments_enumerates_listed_schools_up_to_a_limit() {
    let instance = two_pupils();
    // a: none, H, L; b: none, H.
    let all = oracle::all_assignments(&instance, 6).expect("six");
    assert_eq!(all.len(), 6);
    assert!(all.contains(&at(&[Some(1), Some(0)])));
    assert_eq!(oracle::all_assignments(&instance, 5), None);
    let stable = oracle::all_stable(&instance, &lottery(&instance), 6).expect("six");
    assert_eq!(
        stable.iter().map(oracle::schools_of).collect::<Vec<_>>(),
        vec![vec![Some(SchoolId(0)), None]]
    );
}

#[test]
fn feasible_names_what_does_not_fit() {
    let instance = two_pupils();
    let e = oracle::feasible(&instance, &at(&[Some(0), Some(0)])).expect_err("two at H");
    assert!(e.starts_with("over capacity"), "{e}");
    let e = oracle::feasible(&instance, &at(&[None, Some(1)])).expect_err("b did not list L");
    assert!(e.starts_with("placed at an unlisted school"), "{e}");
    let e = oracle::feasible(&instance, &at(&[None])).expect_err("one entry");
    assert!(e.starts_with("one entry per pupil"), "{e}");
    assert_eq!(
        oracle::feasible(&instance, &at(&[Some(1), Some(0)])),
        Ok(())
    );
}

#[test]
fn stability_and_optimality_are_judged_against_priorities() {
    let instance = two_pupils();
    let lottery = lottery(&instance);
    // b holds H although a has priority there and prefers it: a blocking pair.
    let envy = at(&[Some(1), Some(0)]);
    let e = oracle::stable(&instance, &lottery, &envy).expect_err("a envies b");
    assert!(e.starts_with("blocking pair"), "{e}");
    let stable = oracle::all_stable(&instance, &lottery, 1024).expect("tiny");
    let e = oracle::pupil_optimal_stable(&instance, &envy, &stable).expect_err("unstable");
    assert!(e.starts_with("not among the 1 stable matchings"), "{e}");
    let da = deferred_acceptance(&instance, &lottery);
    assert_eq!(oracle::stable(&instance, &lottery, &da), Ok(()));
    assert_eq!(oracle::non_wasteful(&instance, &lottery, &da), Ok(()));
    assert_eq!(
        oracle::pupil_optimal_stable(&instance, &da, &stable),
        Ok(())
    );
    // An empty seat at L that a would take without turning anyone away.
    let e = oracle::non_wasteful(&instance, &lottery, &at(&[None, Some(0)]))
        .expect_err("a could have L");
    assert!(e.starts_with("wasted seat"), "{e}");
}

#[test]
fn pareto_efficiency_and_dominance() {
    let instance = two_pupils();
    let all = oracle::all_assignments(&instance, usize::MAX).expect("tiny");
    let nobody = at(&[None, None]);
    let envy = at(&[Some(1), Some(0)]);
    assert!(oracle::dominates(&instance, &envy, &nobody));
    assert!(!oracle::dominates(&instance, &nobody, &envy));
    assert!(!oracle::dominates(&instance, &envy, &envy));
    let e = oracle::pareto_efficient(&instance, &nobody, &all).expect_err("dominated");
    assert!(
        e.starts_with("a feasible assignment Pareto-dominates"),
        "{e}"
    );
    assert_eq!(oracle::pareto_efficient(&instance, &envy, &all), Ok(()));
    let a = xuewei_core::StudentId(0);
    assert!(oracle::weakly_prefers(
        &instance,
        a,
        Some(SchoolId(1)),
        None
    ));
    assert!(!oracle::weakly_prefers(
        &instance,
        a,
        Some(SchoolId(1)),
        Some(SchoolId(0))
    ));
}

#[test]
fn boston_and_serial_properties_catch_a_pupil_passed_over() {
    let instance = two_pupils();
    let lottery = lottery(&instance);
    // H stays empty while b, who listed it first, is unplaced.
    let empty_h = at(&[Some(1), None]);
    let e = oracle::first_choices_full(&instance, &empty_h).expect_err("H has a seat");
    assert!(
        e.contains("left out of a first choice with a free seat"),
        "{e}"
    );
    let e = oracle::respects_score_order(&instance, &lottery, &empty_h).expect_err("free seat");
    assert!(e.contains("passed over a free seat"), "{e}");
}

#[test]
fn the_batteries_pass_on_a_small_instance_and_the_small_city() {
    let instance = two_pupils();
    for tie_break in [TieBreak::Single, TieBreak::Multiple] {
        for band in 0..3 {
            assert_eq!(
                oracle::check_mechanisms(&instance, 5, tie_break, band),
                Ok(())
            );
        }
    }
    assert_eq!(oracle::check_input_order(&instance, 5, 1), Ok(()));
    let city = fixtures::small_city();
    assert_eq!(oracle::city_valid(&city), Ok(()));
    assert_eq!(
        oracle::check_city_assignment(&city, &AssignParams::default()),
        Ok(())
    );
}

#[test]
fn temp_dirs_are_fresh_and_removed_on_drop() {
    let (one, two) = (fixtures::temp_dir("same"), fixtures::temp_dir("same"));
    assert_ne!(one.path(), two.path());
    std::fs::write(one.join("file"), "text").expect("written");
    let path = one.path().to_path_buf();
    assert!(path.join("file").is_file());
    drop(one);
    assert!(!path.exists());
    assert!(two.is_dir());
    assert!(fixtures::small_city_dir().join("schools.csv").is_file());
    assert!(fixtures::synthetic_city_dir()
        .join("plan-2016-2020.toml")
        .is_file());
}
