//! Property tests of the invariants that define the student-proposing family (deferred
//! acceptance, immediate acceptance, Chen–Kesten) and serial dictatorship.

use proptest::prelude::*;
use xuewei_core::{
    chen_kesten, deferred_acceptance, generate, immediate_acceptance, serial_dictatorship, solve,
    verify, ChoiceBand, InstanceBuilder, Lottery, LotteryParams, Mechanism, SchoolId, SolveParams,
    StudentId, TieBreak,
};
use xuewei_testkit::instance::arb_spec;
use xuewei_testkit::oracle::{self, schools_of};

fn config(cases: u32) -> ProptestConfig {
    // PROPTEST_CASES raises the count for a deeper local run; CI keeps the default.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn tie_break(multiple: bool) -> TieBreak {
    if multiple {
        TieBreak::Multiple
    } else {
        TieBreak::Single
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// DA never exceeds capacity, places pupils only at listed schools, and is stable and
    /// non-wasteful for the tie-broken priorities, with and without reserves.
    #[test]
    fn da_is_stable_and_feasible(spec in arb_spec(8, 4, 3, true), seed in any::<u64>(), mtb in any::<bool>()) {
        let instance = spec.build();
        let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(seed).tie_break(tie_break(mtb)));
        let a = deferred_acceptance(&instance, &lottery);
        oracle::feasible(&instance, &a).map_err(TestCaseError::fail)?;
        oracle::stable(&instance, &lottery, &a).map_err(TestCaseError::fail)?;
        oracle::non_wasteful(&instance, &lottery, &a).map_err(TestCaseError::fail)?;
    }

    /// On tiny instances DA equals the brute-force pupil-optimal stable matching: it is
    /// stable and every pupil weakly prefers it to every other stable matching.
    #[test]
    fn da_is_student_optimal_stable(spec in arb_spec(5, 3, 3, true), seed in any::<u64>(), mtb in any::<bool>()) {
        let instance = spec.build();
        let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(seed).tie_break(tie_break(mtb)));
        let a = deferred_acceptance(&instance, &lottery);
        let stable = oracle::all_stable(&instance, &lottery, usize::MAX).expect("no limit");
        oracle::pupil_optimal_stable(&instance, &a, &stable).map_err(TestCaseError::fail)?;
    }

    /// Every mechanism: capacity respected, only listed schools, each pupil at most once
    /// (one entry per pupil), and the same seed gives the same result.
    #[test]
    fn every_mechanism_is_feasible_and_deterministic(spec in arb_spec(8, 4, 3, true), seed in any::<u64>(), band in 1u32..4) {
        let instance = spec.build();
        for mechanism in [
            Mechanism::DeferredAcceptance,
            Mechanism::ImmediateAcceptance,
            Mechanism::Serial,
            Mechanism::ChenKesten(ChoiceBand::Choices(band)),
        ] {
            let params = SolveParams::default().mechanism(mechanism).seed(seed);
            let out = solve(&instance, &params);
            // The run-time conservation check passes on every mechanism's result.
            prop_assert!(out.is_ok(), "{:?}: {:?}", mechanism, out.as_ref().err());
            let out = out.expect("checked above");
            oracle::feasible(&instance, &out.assignment)
                .map_err(|e| TestCaseError::fail(format!("{mechanism:?}: {e}")))?;
            let again = solve(&instance, &params).expect("conserved");
            prop_assert_eq!(&again.assignment, &out.assignment);
        }
    }

    /// Chen–Kesten with band 1 is immediate acceptance; with a band at least the longest
    /// list it is deferred acceptance.
    #[test]
    fn parallel_spans_boston_to_da(spec in arb_spec(8, 4, 3, true), seed in any::<u64>()) {
        let instance = spec.build();
        let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(seed));
        let boston = immediate_acceptance(&instance, &lottery);
        let e1 = chen_kesten(&instance, &lottery, ChoiceBand::Choices(1));
        prop_assert_eq!(schools_of(&boston), schools_of(&e1));
        let da = deferred_acceptance(&instance, &lottery);
        let wide = chen_kesten(&instance, &lottery, ChoiceBand::Choices(instance.n_schools() as u32));
        prop_assert_eq!(schools_of(&da), schools_of(&wide));
    }

    /// Immediate acceptance: a pupil placed at their k-th choice was rejected by each
    /// earlier choice in a round when it filled (so no pupil is left out while a seat at a
    /// school they listed first stays empty).
    #[test]
    fn boston_leaves_no_first_choice_seat_empty(spec in arb_spec(8, 4, 3, false), seed in any::<u64>()) {
        let instance = spec.build();
        let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(seed));
        let a = immediate_acceptance(&instance, &lottery);
        oracle::first_choices_full(&instance, &a).map_err(TestCaseError::fail)?;
    }

    /// Serial dictatorship equals DA when every school ranks pupils by the same score
    /// (equal scores tied, broken by the same single draw).
    #[test]
    fn serial_equals_da_under_common_score_priority(spec in arb_spec(8, 4, 1, false), seed in any::<u64>()) {
        let base = spec.build();
        // Rebuild with every school's tiers = distinct scores, highest first.
        let mut b = InstanceBuilder::new();
        let schools: Vec<SchoolId> = base.schools().map(|s| b.add_school(base.school_name(s), base.capacity(s))).collect();
        let students: Vec<StudentId> = base.students().map(|st| {
            let id = b.add_student(base.student_name(st), base.preferences(st).iter().copied());
            b.set_score(id, base.score(st).unwrap_or(0.0));
            id
        }).collect();
        let mut scores: Vec<u64> = students.iter().map(|&st| base.score(st).unwrap_or(0.0) as u64).collect();
        scores.sort_unstable_by(|a, b| b.cmp(a));
        scores.dedup();
        for &s in &schools {
            for &sc in &scores {
                b.push_tier(s, students.iter().copied().filter(|&st| base.score(st).unwrap_or(0.0) as u64 == sc));
            }
        }
        let instance = b.build().expect("valid");
        let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(seed));
        prop_assert_eq!(schools_of(&serial_dictatorship(&instance, &lottery)), schools_of(&deferred_acceptance(&instance, &lottery)));
    }

    /// Permuting the input order of pupils and schools changes nothing when the draw is the
    /// same (given explicitly): the result is identical pupil by pupil.
    #[test]
    fn input_order_does_not_matter(spec in arb_spec(7, 4, 3, true), seed in any::<u64>(), rot in 0usize..7) {
        let instance = spec.build();
        oracle::check_input_order(&instance, seed, rot).map_err(TestCaseError::fail)?;
    }

    /// Every mechanism passes the battery of its defining properties that the fuzz targets
    /// run (`xuewei_testkit::oracle::check_mechanisms`): feasibility, stability where
    /// defined, determinism, the Chen–Kesten limits, improvement cycles, and by brute force
    /// pupil-optimality of deferred acceptance and Pareto efficiency of TTC.
    #[test]
    fn every_mechanism_passes_the_battery(spec in arb_spec(5, 3, 3, true), seed in any::<u64>(), mtb in any::<bool>(), band in 0u32..5) {
        let instance = spec.build();
        oracle::check_mechanisms(&instance, seed, tie_break(mtb), band).map_err(TestCaseError::fail)?;
    }
}

/// Same seed, same output; a different seed changes the draw on a tied instance.
#[test]
fn seeds_drive_the_lottery() {
    let instance = generate::random_instance(
        &generate::GenParams::default()
            .students(2_000)
            .tiers(1)
            .seed(3),
    );
    let p = SolveParams::default().seed(11);
    let a = solve(&instance, &p).expect("conserved");
    let b = solve(&instance, &p).expect("conserved");
    assert_eq!(a.assignment, b.assignment);
    assert_eq!(a.lottery.order(), b.lottery.order());
    let c = solve(&instance, &p.seed(12)).expect("conserved");
    assert_ne!(a.lottery.order(), c.lottery.order());
    assert_ne!(schools_of(&a.assignment), schools_of(&c.assignment));
}

/// DA on a generated instance of realistic shape is stable and non-wasteful under both
/// tie-breaking rules.
#[test]
fn da_on_generated_city_sized_instance() {
    let instance =
        generate::random_instance(&generate::GenParams::default().students(20_000).seed(5));
    for tb in [TieBreak::Single, TieBreak::Multiple] {
        let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(9).tie_break(tb));
        let a = deferred_acceptance(&instance, &lottery);
        assert!(verify::blocking_pairs(&instance, &lottery, &a).is_empty());
        assert!(verify::over_capacity(&instance, &a).is_empty());
        assert!(a.n_placed() > 19_000, "placed {}", a.n_placed());
    }
}
