//! Student-proposing deferred acceptance (Gale & Shapley 1962), the default mechanism.

use crate::assignment::{Assignment, Stats};
use crate::instance::Instance;
use crate::lottery::Lottery;
use crate::mechanism::proposals;

/// Student-proposing deferred acceptance with priority tiers broken by `lottery`.
///
/// Every unplaced pupil applies to the best school on their list that has not rejected
/// them; a school holds its best applicants up to its seats (by tier, then lottery; schools
/// with reserves by their slot choice rule) and rejects the rest. The result is the
/// pupil-optimal stable matching for the tie-broken priorities: no justified envy, no seat
/// wasted, and truthful lists are a dominant strategy (Dubins & Freedman 1981; Roth 1982).
///
/// Reference: D. Gale and L. S. Shapley, "College admissions and the stability of marriage",
/// *American Mathematical Monthly* 69 (1962); Abdulkadiroğlu & Sönmez (2003) for schools.
///
/// Complexity: O(n + P log c) time for P proposals (at most the n·L list entries) and school
/// sizes c; O(n + seats) extra memory. The result does not depend on the order proposals are
/// processed in.
///
/// ```
/// use xuewei_core::{deferred_acceptance, InstanceBuilder, Lottery, LotteryParams};
/// let mut b = InstanceBuilder::new();
/// let (x, y) = (b.add_school("X", 1), b.add_school("Y", 1));
/// let a = b.add_student("a", [x, y]);
/// let c = b.add_student("c", [x]);
/// b.push_tier(x, [c]);
/// let instance = b.build()?;
/// let lottery = Lottery::draw(&instance, &LotteryParams::default());
/// let result = deferred_acceptance(&instance, &lottery);
/// assert_eq!(result.school_of(c), Some(x));
/// assert_eq!(result.school_of(a), Some(y));
/// # Ok::<(), xuewei_core::ValidationErrors>(())
/// ```
pub fn deferred_acceptance(instance: &Instance, lottery: &Lottery) -> Assignment {
    let out = proposals::run_tiers(instance, lottery, None);
    Assignment::from_raw(
        out.school_of,
        Stats {
            proposals: out.proposals,
            ..Stats::default()
        },
    )
}
