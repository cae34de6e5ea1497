//! Checks of the properties that define the mechanisms, usable on any assignment: capacity,
//! individual rationality, stability (no justified envy) and non-wastefulness.
//!
//! Every check returns the offending records (empty when the property holds), so a caller can
//! say exactly what is wrong. They are the oracles of xuewei's property tests.

use crate::ids::{SchoolId, StudentId};
use crate::instance::Instance;
use crate::lottery::{Lottery, Rank};
use crate::mechanism::reserve_slots::{self, Block};
use crate::Assignment;

/// Schools holding more pupils than their seats can take: more than their capacity, or
/// (with reserves) more pupils outside a group than the seats they may use, because seats
/// reserved to stay empty take only the group's members. Judged without any ranking: the
/// question is only whether the pupils fit the seats.
#[must_use]
pub fn over_capacity(instance: &Instance, assignment: &Assignment) -> Vec<SchoolId> {
    let by_school = assignment.by_school(instance.n_schools());
    instance
        .schools()
        .filter(|&s| !fits(instance, s, by_school.students_at(s)))
        .collect()
}

/// Whether these pupils fit the school's seats: members of a group first take the seats
/// reserved to stay empty for it; everyone else needs an open seat or a reserved seat that
/// reverts to open.
fn fits(instance: &Instance, school: SchoolId, students: &[StudentId]) -> bool {
    if students.len() as u64 > u64::from(instance.capacity(school)) {
        return false;
    }
    let Some(policy) = instance.reserves(school) else {
        return true;
    };
    if policy.unfilled == crate::instance::UnfilledReserves::Open {
        return true;
    }
    let flexible = u64::from(instance.capacity(school)) - policy.reserved_seats();
    let mut need_flexible = 0u64;
    let mut members = vec![0u64; policy.reserves.len()];
    for &st in students {
        match policy
            .reserves
            .iter()
            .position(|r| Some(r.group) == instance.group(st))
        {
            Some(i) => members[i] += 1,
            None => need_flexible += 1,
        }
    }
    for (r, &k) in policy.reserves.iter().zip(&members) {
        need_flexible += k.saturating_sub(u64::from(r.seats));
    }
    need_flexible <= flexible
}

/// Pupils their own school would not keep: applying the school's choice rule (seats by
/// rank; with reserves, the slot rule) to the pupils it holds does not choose them. Empty for
/// every stable assignment; non-empty when a school is over capacity or a pupil sits in a seat
/// the slot rule keeps for others.
#[must_use]
pub fn unchosen(instance: &Instance, lottery: &Lottery, assignment: &Assignment) -> Vec<StudentId> {
    let held = holds(instance, lottery, assignment);
    let mut out = Vec::new();
    let mut slot_of = Vec::new();
    for s in instance.schools() {
        let h = &held[s.index()];
        match blocks(instance, s) {
            Some(blocks) => {
                reserve_slots::choose(h, &blocks, &mut slot_of);
                out.extend(
                    h.iter()
                        .zip(&slot_of)
                        .filter(|(_, &b)| b == crate::ids::NONE)
                        .map(|(c, _)| c.0.student()),
                );
            }
            None => out.extend(
                h.iter()
                    .skip(instance.capacity(s) as usize)
                    .map(|c| c.0.student()),
            ),
        }
    }
    out.sort_unstable();
    out
}

/// Pupils placed at a school they did not list (individual rationality fails).
#[must_use]
pub fn unlisted_placements(instance: &Instance, assignment: &Assignment) -> Vec<StudentId> {
    assignment
        .iter()
        .filter(|&(st, s)| s.is_some_and(|s| instance.rank_of(st, s).is_none()))
        .map(|(st, _)| st)
        .collect()
}

/// Blocking pairs under the tie-broken priorities: a pupil who prefers a school to their
/// placement and whom that school would admit from its current pupils plus them (a free seat,
/// or a weaker-ranked pupil to displace). Empty exactly when the assignment is stable
/// (no justified envy, no waste) for the priorities the lottery makes strict.
///
/// Complexity: O(n·L) plus the slot rule at schools with reserves.
#[must_use]
pub fn blocking_pairs(
    instance: &Instance,
    lottery: &Lottery,
    assignment: &Assignment,
) -> Vec<(StudentId, SchoolId)> {
    preferred_pairs(
        instance,
        lottery,
        assignment,
        |held, candidate, capacity, blocks| match blocks {
            Some(blocks) => reserve_slots::would_choose(held, candidate, blocks).0,
            None => {
                (held.len() as u32) < capacity || held.last().is_some_and(|w| candidate.0 < w.0)
            }
        },
    )
}

/// Wasted seats: a pupil who prefers a school to their placement and whom it could admit
/// without turning anyone away. Empty when the assignment is non-wasteful.
#[must_use]
pub fn wasted_seats(
    instance: &Instance,
    lottery: &Lottery,
    assignment: &Assignment,
) -> Vec<(StudentId, SchoolId)> {
    preferred_pairs(
        instance,
        lottery,
        assignment,
        |held, candidate, capacity, blocks| match blocks {
            Some(blocks) => reserve_slots::would_choose(held, candidate, blocks).1,
            None => (held.len() as u32) < capacity,
        },
    )
}

/// Every (pupil, school) where the pupil lists the school above their placement and `admits`
/// says yes, given the school's current pupils (sorted best first), the pupil's (rank,
/// group) there, the capacity and the blocks of a school with reserves.
fn preferred_pairs(
    instance: &Instance,
    lottery: &Lottery,
    assignment: &Assignment,
    admits: impl Fn(&[(Rank, u32)], (Rank, u32), u32, Option<&[Block]>) -> bool,
) -> Vec<(StudentId, SchoolId)> {
    let held = holds(instance, lottery, assignment);
    let all_blocks: Vec<Option<Vec<Block>>> =
        instance.schools().map(|s| blocks(instance, s)).collect();
    let mut out = Vec::new();
    for st in instance.students() {
        for (pos, &s) in instance.preferences(st).iter().enumerate() {
            if assignment.school_of(st) == Some(s) {
                break;
            }
            let r = lottery.rank(instance.preference_tiers(st)[pos], st, s);
            let candidate = (r, reserve_slots::raw_group(instance, st));
            if admits(
                &held[s.index()],
                candidate,
                instance.capacity(s),
                all_blocks[s.index()].as_deref(),
            ) {
                out.push((st, s));
            }
        }
    }
    out
}

/// Blocking pairs under the original, tied priorities (weak stability): a pupil who prefers
/// a school that has a free seat or holds someone of a strictly lower tier. Schools with
/// reserves are judged by their slot rule under the lottery, as in [`blocking_pairs`].
/// Stable improvement cycles preserve the absence of these.
#[must_use]
pub fn weak_blocking_pairs(
    instance: &Instance,
    lottery: &Lottery,
    assignment: &Assignment,
) -> Vec<(StudentId, SchoolId)> {
    let held = holds(instance, lottery, assignment);
    let mut worst_tier = vec![0u32; instance.n_schools()];
    for (st, s) in assignment.iter() {
        if let Some(s) = s {
            worst_tier[s.index()] = worst_tier[s.index()].max(instance.tier(st, s));
        }
    }
    let strict = blocking_pairs(instance, lottery, assignment);
    let mut out: Vec<(StudentId, SchoolId)> = strict
        .into_iter()
        .filter(|&(_, s)| instance.reserves(s).is_some())
        .collect();
    for st in instance.students() {
        for (pos, &s) in instance.preferences(st).iter().enumerate() {
            if assignment.school_of(st) == Some(s) {
                break;
            }
            if instance.reserves(s).is_some() {
                continue;
            }
            let h = &held[s.index()];
            let tier = instance.preference_tiers(st)[pos];
            if (h.len() as u32) < instance.capacity(s)
                || (!h.is_empty() && tier < worst_tier[s.index()])
            {
                out.push((st, s));
            }
        }
    }
    out
}

/// The pupils at each school with their (rank, group), sorted best first.
fn holds(instance: &Instance, lottery: &Lottery, assignment: &Assignment) -> Vec<Vec<(Rank, u32)>> {
    let mut held: Vec<Vec<(Rank, u32)>> = vec![Vec::new(); instance.n_schools()];
    for (st, s) in assignment.iter() {
        if let Some(s) = s {
            let r = lottery.rank(instance.tier(st, s), st, s);
            held[s.index()].push((r, reserve_slots::raw_group(instance, st)));
        }
    }
    for h in &mut held {
        h.sort_unstable();
    }
    held
}

fn blocks(instance: &Instance, school: SchoolId) -> Option<Vec<Block>> {
    instance
        .reserves(school)
        .map(|p| reserve_slots::blocks_of(instance.capacity(school), p))
}
