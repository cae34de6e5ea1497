//! Serial dictatorship by score (分数优先), the rule of exam-based admission: when every
//! school ranks pupils by one score, deferred acceptance and Chen–Kesten
//! ([`chen_kesten`](fn@super::chen_kesten)) with an unlimited band reduce to it.

use crate::assignment::{Assignment, Stats};
use crate::ids::{StudentId, NONE};
use crate::instance::Instance;
use crate::lottery::Lottery;
use crate::mechanism::proposals;

/// The common order: score descending (pupils without a score after all scored ones), equal
/// scores by the single lottery draw. Returns each pupil's position.
#[must_use]
pub fn score_order(instance: &Instance, lottery: &Lottery) -> Vec<StudentId> {
    let mut order: Vec<StudentId> = instance.students().collect();
    order.sort_unstable_by(|&a, &b| {
        let sa = instance.score(a).unwrap_or(f64::NEG_INFINITY);
        let sb = instance.score(b).unwrap_or(f64::NEG_INFINITY);
        sb.total_cmp(&sa)
            .then_with(|| lottery.single_number(a).cmp(&lottery.single_number(b)))
    });
    order
}

/// Serial dictatorship: pupils in descending score order (ties by the lottery), each takes
/// the best school on their list that still has a seat.
///
/// With reserves, "a seat" follows each school's slot choice rule under the common score
/// order; the result is then deferred acceptance with every school ranking by that order,
/// which is serial dictatorship whenever no school has reserves.
///
/// Complexity: O(n log n + n·L).
pub fn serial_dictatorship(instance: &Instance, lottery: &Lottery) -> Assignment {
    let order = score_order(instance, lottery);
    if instance.has_reserves() {
        let mut position = vec![0u32; instance.n_students()];
        for (p, st) in order.iter().enumerate() {
            position[st.index()] = p as u32;
        }
        let out = proposals::run_common(instance, &position, None);
        return Assignment::from_raw(
            out.school_of,
            Stats {
                proposals: out.proposals,
                ..Stats::default()
            },
        );
    }
    let mut left = instance.capacity.clone();
    let mut school_of = vec![NONE; instance.n_students()];
    let mut proposals = 0u64;
    for st in order {
        for &s in instance.preferences(st) {
            proposals += 1;
            if left[s.index()] > 0 {
                left[s.index()] -= 1;
                school_of[st.index()] = s.0;
                break;
            }
        }
    }
    Assignment::from_raw(
        school_of,
        Stats {
            proposals,
            ..Stats::default()
        },
    )
}
