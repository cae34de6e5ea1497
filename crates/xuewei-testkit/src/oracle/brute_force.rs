//! Brute force on tiny instances: every assignment, the stable ones, and the optimality
//! claims checked against them.

use xuewei_core::{verify, Assignment, Instance, Lottery, SchoolId, StudentId};

use super::prefs::{dominates, rank, schools_of};

/// Every assignment of pupils to schools they listed (or to none), if there are at most
/// `limit` of them (`usize::MAX` for no limit); `None` when there are more.
///
/// Complexity: the product over pupils of (list length + 1), in time and memory.
#[must_use]
pub fn all_assignments(instance: &Instance, limit: usize) -> Option<Vec<Assignment>> {
    let mut count = 1usize;
    for st in instance.students() {
        count = count.checked_mul(instance.preferences(st).len() + 1)?;
        if count > limit {
            return None;
        }
    }
    let mut out = Vec::with_capacity(count);
    let mut cur: Vec<Option<SchoolId>> = vec![None; instance.n_students()];
    fn rec(
        instance: &Instance,
        i: usize,
        cur: &mut Vec<Option<SchoolId>>,
        out: &mut Vec<Assignment>,
    ) {
        if i == cur.len() {
            out.push(Assignment::from_schools(cur.iter().copied()));
            return;
        }
        cur[i] = None;
        rec(instance, i + 1, cur, out);
        for &s in instance.preferences(StudentId::from_index(i)) {
            cur[i] = Some(s);
            rec(instance, i + 1, cur, out);
        }
        cur[i] = None;
    }
    rec(instance, 0, &mut cur, &mut out);
    Some(out)
}

/// Every stable assignment under the tie-broken priorities of `lottery` (within capacity,
/// individually rational, kept by each school's choice rule, no blocking pair), if there are
/// at most `limit` assignments to try ([`all_assignments`]).
#[must_use]
pub fn all_stable(instance: &Instance, lottery: &Lottery, limit: usize) -> Option<Vec<Assignment>> {
    let all = all_assignments(instance, limit)?;
    Some(
        all.into_iter()
            .filter(|a| {
                verify::over_capacity(instance, a).is_empty()
                    && verify::unchosen(instance, lottery, a).is_empty()
                    && verify::blocking_pairs(instance, lottery, a).is_empty()
            })
            .collect(),
    )
}

/// That `a` is the pupil-optimal stable matching: it is among `stable` (from
/// [`all_stable`]), and every pupil weakly prefers it to every other stable matching.
///
/// # Errors
/// When `a` is not stable, or which pupil a stable matching serves better.
pub fn pupil_optimal_stable(
    instance: &Instance,
    a: &Assignment,
    stable: &[Assignment],
) -> Result<(), String> {
    let mine = schools_of(a);
    ensure!(
        stable.iter().any(|s| schools_of(s) == mine),
        "not among the {} stable matchings: {mine:?}",
        stable.len()
    );
    for other in stable {
        for st in instance.students() {
            ensure!(
                rank(instance, st, a.school_of(st)) <= rank(instance, st, other.school_of(st)),
                "a stable matching is better for pupil {st:?}: {:?} against {mine:?}",
                schools_of(other)
            );
        }
    }
    Ok(())
}

/// Pareto efficiency among `all` (from [`all_assignments`]): no assignment of `all` within
/// capacity makes every pupil weakly and some pupil strictly better off than `a`.
///
/// # Errors
/// The first assignment that dominates `a`.
pub fn pareto_efficient(
    instance: &Instance,
    a: &Assignment,
    all: &[Assignment],
) -> Result<(), String> {
    let dominating = all
        .iter()
        .find(|b| verify::over_capacity(instance, b).is_empty() && dominates(instance, b, a));
    ensure!(
        dominating.is_none(),
        "a feasible assignment Pareto-dominates {:?}: {:?}",
        schools_of(a),
        dominating.map(schools_of)
    );
    Ok(())
}
