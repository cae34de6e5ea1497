//! Immediate acceptance, the Boston mechanism (志愿优先 / 顺序志愿).

use crate::assignment::Assignment;
use crate::instance::Instance;
use crate::lottery::Lottery;
use crate::mechanism::chen_kesten::{chen_kesten, ChoiceBand};

/// Immediate acceptance: in round k every pupil not yet placed applies to the k-th school on
/// their list, even if it is already full; each school admits its best applicants of the
/// round (by tier, then lottery) into its remaining seats, and admissions are final.
///
/// Not stable and not strategy-proof: a pupil who ranks a popular school first and misses it
/// may find their second choice filled in round 1 (Abdulkadiroğlu & Sönmez 2003, §3.1).
/// It is Chen–Kesten ([`chen_kesten`](fn@super::chen_kesten)) with band 1.
///
/// Complexity: O(n·L + P log c + L·m) for list length L.
///
/// ```
/// use xuewei_core::{immediate_acceptance, InstanceBuilder, Lottery, LotteryParams};
/// let mut b = InstanceBuilder::new();
/// let (x, y) = (b.add_school("X", 1), b.add_school("Y", 1));
/// let a = b.add_student("a", [x, y]);
/// let c = b.add_student("c", [y, x]);
/// b.push_tier(x, [c]);
/// let instance = b.build()?;
/// let lottery = Lottery::draw(&instance, &LotteryParams::default());
/// let result = immediate_acceptance(&instance, &lottery);
/// // c has priority at X but ranked Y first and got it in round 1.
/// assert_eq!(result.school_of(a), Some(x));
/// assert_eq!(result.school_of(c), Some(y));
/// # Ok::<(), xuewei_core::ValidationErrors>(())
/// ```
pub fn immediate_acceptance(instance: &Instance, lottery: &Lottery) -> Assignment {
    chen_kesten(instance, lottery, ChoiceBand::Choices(1))
}
