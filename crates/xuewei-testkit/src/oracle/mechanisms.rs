//! The battery every mechanism must pass on one instance.

use xuewei_core::{
    deferred_acceptance, school_proposing, solve, stable_improvement_cycles, verify, ChoiceBand,
    Instance, Mechanism, SolveParams, TieBreak,
};

use super::brute_force::{all_assignments, all_stable, pareto_efficient, pupil_optimal_stable};
use super::prefs::{rank, schools_of};
use super::properties::{feasible, first_choices_full, non_wasteful, respects_score_order, stable};

/// The most assignments the brute-force checks of [`check_mechanisms`] enumerate.
const BRUTE_FORCE_LIMIT: usize = 1024;

/// Runs every mechanism on `instance` through [`solve`] (seed `seed`, `tie_break`, and
/// Chen–Kesten with the choice band `band`) and checks what each one defines:
///
/// - all: [`feasible`], no improvement cycles unless asked, and the same result and draw
///   for the same seed;
/// - deferred acceptance (pupil- and school-proposing, Chen–Kesten with an unlimited band):
///   [`stable`]; pupil-proposing also [`non_wasteful`], and every pupil weakly prefers it
///   to the school-proposing result; the direct calls agree with `solve`;
/// - Chen–Kesten: band 1 is Boston, a band as long as the longest list and an unlimited
///   band are deferred acceptance;
/// - stable improvement cycles after deferred acceptance: feasible, weakly stable, every
///   pupil weakly better off, the movers counted, nothing left to improve, and the same
///   through `solve`;
/// - without reserves: Boston [`first_choices_full`], serial dictatorship
///   [`respects_score_order`];
/// - on tiny instances (at most 1024 candidate assignments), by brute force: deferred
///   acceptance is the pupil-optimal stable matching ([`pupil_optimal_stable`]), and
///   without reserves top trading cycles is [`pareto_efficient`].
///
/// # Errors
/// The first property that fails, prefixed with the mechanism.
pub fn check_mechanisms(
    instance: &Instance,
    seed: u64,
    tie_break: TieBreak,
    band: u32,
) -> Result<(), String> {
    let base = SolveParams::default().seed(seed).tie_break(tie_break);
    let longest = instance
        .students()
        .map(|st| instance.preferences(st).len())
        .max()
        .unwrap_or(0) as u32;
    let mechanisms = [
        Mechanism::DeferredAcceptance,
        Mechanism::SchoolProposing,
        Mechanism::ImmediateAcceptance,
        Mechanism::TopTradingCycles,
        Mechanism::Serial,
        Mechanism::ChenKesten(ChoiceBand::Choices(band)),
        Mechanism::ChenKesten(ChoiceBand::Choices(1)),
        Mechanism::ChenKesten(ChoiceBand::Choices(longest.max(1))),
        Mechanism::ChenKesten(ChoiceBand::Unlimited),
    ];
    let mut results = Vec::with_capacity(mechanisms.len());
    for mechanism in mechanisms {
        let params = base.mechanism(mechanism);
        let what = format!("{mechanism:?}");
        let out = solve(instance, &params).map_err(|e| format!("{what}: {e}"))?;
        feasible(instance, &out.assignment).map_err(|e| format!("{what}: {e}"))?;
        ensure!(!out.improved, "{what}: improvement cycles ran uninvited");
        if mechanism.is_stable() {
            stable(instance, &out.lottery, &out.assignment).map_err(|e| format!("{what}: {e}"))?;
        }
        let again = solve(instance, &params).map_err(|e| format!("{what}, again: {e}"))?;
        ensure_eq!(
            again.assignment,
            out.assignment,
            "{what}: same seed, other result"
        );
        ensure_eq!(
            again.lottery.order(),
            out.lottery.order(),
            "{what}: same seed, other draw"
        );
        results.push(out);
    }
    let lottery = &results[0].lottery;
    ensure_eq!(
        lottery.order().len(),
        instance.n_students(),
        "the draw orders every pupil"
    );
    let da = &results[0].assignment;
    let sp = &results[1].assignment;
    let boston = &results[2].assignment;
    let ttc = &results[3].assignment;
    let serial = &results[4].assignment;
    non_wasteful(instance, lottery, da).map_err(|e| format!("deferred acceptance: {e}"))?;
    for st in instance.students() {
        ensure!(
            rank(instance, st, da.school_of(st)) <= rank(instance, st, sp.school_of(st)),
            "pupil {st:?} prefers the school-proposing result to the pupil-optimal one"
        );
    }
    ensure_eq!(
        schools_of(&results[6].assignment),
        schools_of(boston),
        "Chen–Kesten with band 1 differs from Boston"
    );
    ensure_eq!(
        schools_of(&results[7].assignment),
        schools_of(da),
        "Chen–Kesten with the longest list as band differs from deferred acceptance"
    );
    ensure_eq!(
        schools_of(&results[8].assignment),
        schools_of(da),
        "Chen–Kesten with an unlimited band differs from deferred acceptance"
    );
    ensure_eq!(
        &deferred_acceptance(instance, lottery),
        da,
        "deferred_acceptance differs from solve"
    );
    ensure_eq!(
        &school_proposing(instance, lottery),
        sp,
        "school_proposing differs from solve"
    );

    // Stable improvement cycles after deferred acceptance, directly and through `solve`.
    let improved = stable_improvement_cycles(instance, lottery, da.clone());
    feasible(instance, &improved).map_err(|e| format!("improvement cycles: {e}"))?;
    ensure_eq!(
        verify::weak_blocking_pairs(instance, lottery, &improved),
        vec![],
        "improvement cycles: weakly blocking pair"
    );
    let mut moved = 0u64;
    for st in instance.students() {
        ensure!(
            rank(instance, st, improved.school_of(st)) <= rank(instance, st, da.school_of(st)),
            "improvement cycles made pupil {st:?} worse off"
        );
        moved += u64::from(improved.school_of(st) != da.school_of(st));
    }
    ensure_eq!(
        improved.stats().students_improved,
        moved,
        "movers miscounted"
    );
    let again = stable_improvement_cycles(instance, lottery, improved.clone());
    ensure_eq!(
        again.stats().improvement_cycles,
        0,
        "improvement left a cycle"
    );
    let via_solve =
        solve(instance, &base.improve(true)).map_err(|e| format!("solve(improve): {e}"))?;
    ensure!(via_solve.improved, "solve(improve) did not improve");
    ensure_eq!(via_solve.assignment, improved, "solve(improve) differs");

    if !instance.has_reserves() {
        first_choices_full(instance, boston).map_err(|e| format!("Boston: {e}"))?;
        respects_score_order(instance, &results[4].lottery, serial)
            .map_err(|e| format!("serial: {e}"))?;
    }

    if let Some(matchings) = all_stable(instance, lottery, BRUTE_FORCE_LIMIT) {
        pupil_optimal_stable(instance, da, &matchings)
            .map_err(|e| format!("deferred acceptance: {e}"))?;
    }
    if !instance.has_reserves() {
        if let Some(all) = all_assignments(instance, BRUTE_FORCE_LIMIT) {
            pareto_efficient(instance, ttc, &all).map_err(|e| format!("TTC: {e}"))?;
        }
    }
    Ok(())
}
