//! The baseline of overflow placement: pupils in index order each take the nearest school
//! with a free seat, the rule [`min_cost_placement`](super::min_cost_placement) is measured
//! against.

use super::{millimetres, Allocation, AllocationStats};

/// The baseline: pupils in index order each take the nearest school with a free seat (ties
/// to the lower school index), until seats run out.
///
/// Costs are compared in whole millimetres as in [`min_cost_placement`], so the two totals
/// are comparable exactly. Complexity O(n·m) cost evaluations.
///
/// [`min_cost_placement`]: super::min_cost_placement
///
/// ```
/// use xuewei_core::overflow::greedy_nearest;
/// let placed = greedy_nearest(3, &[1, 1], |i, j| ((i + j) % 2) as f64);
/// assert_eq!(placed.school_of, vec![Some(0), Some(1), None]);
/// ```
pub fn greedy_nearest(
    n_pupils: usize,
    capacity: &[u32],
    cost: impl Fn(usize, usize) -> f64,
) -> Allocation {
    let mut left = capacity.to_vec();
    let mut seats: u64 = left.iter().map(|&c| u64::from(c)).sum();
    let mut school_of = vec![None; n_pupils];
    let (mut total_cost, mut total_cost_mm) = (0.0, 0u64);
    for (pupil, slot) in school_of.iter_mut().enumerate() {
        if seats == 0 {
            break;
        }
        let mut best: Option<(i64, usize, f64)> = None;
        for (school, _) in left.iter().enumerate().filter(|(_, &l)| l > 0) {
            let c = cost(pupil, school);
            let mm = millimetres(c);
            if best.is_none_or(|(b, _, _)| mm < b) {
                best = Some((mm, school, c));
            }
        }
        if let Some((mm, school, c)) = best {
            left[school] -= 1;
            seats -= 1;
            *slot = Some(school as u32);
            total_cost += c;
            total_cost_mm += mm as u64;
        }
    }
    Allocation {
        school_of,
        total_cost,
        total_cost_mm,
        stats: AllocationStats::default(),
    }
}
