//! Slot-specific choice for schools with reserved seats (指标到校 quota places).
//!
//! A school with reserves holds blocks of seats in precedence order: its reserved blocks then
//! its open block ("reserved-first"), or the open block first ("open-first"). Choosing from a
//! set of applicants fills the blocks in that order: an open seat takes the best remaining
//! applicant by rank; a reserved seat takes the best remaining member of its group, or, when
//! none is left and unfilled reserves revert, the best remaining applicant. This choice rule
//! is substitutable and satisfies the law of aggregate demand (Kominers & Sönmez 2016), so
//! deferred acceptance over it is stable and strategy-proof.

use crate::ids::{GroupId, StudentId, NONE};
use crate::instance::{Instance, ReserveOrder, ReservePolicy, UnfilledReserves};
use crate::lottery::Rank;

/// One block of seats in precedence order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    /// The group a reserved block is for; `NONE` for the open block.
    pub group: u32,
    /// Whether a reserved block falls back to any applicant when its group has none left.
    pub revert: bool,
    /// Seats still free in this block.
    pub left: u32,
}

impl Block {
    #[inline]
    fn admits(&self, group: u32) -> bool {
        self.group == NONE || self.group == group
    }
}

/// The blocks of a school in precedence order, with all seats free.
pub(crate) fn blocks_of(capacity: u32, policy: &ReservePolicy) -> Vec<Block> {
    let revert = policy.unfilled == UnfilledReserves::Open;
    let reserved: u64 = policy.reserved_seats();
    let open = Block {
        group: NONE,
        revert: false,
        left: capacity.saturating_sub(u32::try_from(reserved).unwrap_or(u32::MAX)),
    };
    let reserves = policy.reserves.iter().map(|r| Block {
        group: r.group.0,
        revert,
        left: r.seats,
    });
    match policy.order {
        ReserveOrder::ReservedFirst => reserves.chain(std::iter::once(open)).collect(),
        ReserveOrder::OpenFirst => std::iter::once(open).chain(reserves).collect(),
    }
}

/// Chooses from `candidates` (sorted best first) into `blocks`. Writes, for every candidate,
/// the block index that took it or `NONE` into `slot_of`. Does not change `blocks`.
/// Complexity O(|candidates| × |blocks|).
pub(crate) fn choose(candidates: &[(Rank, u32)], blocks: &[Block], slot_of: &mut Vec<u32>) {
    slot_of.clear();
    slot_of.resize(candidates.len(), NONE);
    for (b, block) in blocks.iter().enumerate() {
        let mut left = block.left;
        // Members of the block's group first (all candidates for the open block).
        let mut i = 0;
        while left > 0 && i < candidates.len() {
            if slot_of[i] == NONE && block.admits(candidates[i].1) {
                slot_of[i] = b as u32;
                left -= 1;
            }
            i += 1;
        }
        if left > 0 && block.group != NONE && block.revert {
            let mut i = 0;
            while left > 0 && i < candidates.len() {
                if slot_of[i] == NONE {
                    slot_of[i] = b as u32;
                    left -= 1;
                }
                i += 1;
            }
        }
    }
}

/// The group of a pupil as a raw `u32` (`NONE` when none).
#[inline]
pub(crate) fn raw_group(instance: &Instance, student: StudentId) -> u32 {
    instance.group(student).map_or(NONE, |g: GroupId| g.0)
}

/// Whether `candidate` (not in `held`) would be chosen from `held ∪ {candidate}` at a school
/// with the given blocks, and whether it would be chosen without displacing anyone.
/// `held` and `candidate` carry (rank, group). Returns `(chosen, without_displacing)`.
pub(crate) fn would_choose(
    held: &[(Rank, u32)],
    candidate: (Rank, u32),
    blocks: &[Block],
) -> (bool, bool) {
    let mut all: Vec<(Rank, u32)> = held.to_vec();
    all.push(candidate);
    all.sort_unstable();
    let mut slot_of = Vec::new();
    choose(&all, blocks, &mut slot_of);
    let chosen_n = slot_of.iter().filter(|&&b| b != NONE).count();
    let pos = all
        .iter()
        .position(|c| c.0 == candidate.0)
        .unwrap_or(usize::MAX);
    let chosen = pos != usize::MAX && slot_of[pos] != NONE;
    (chosen, chosen && chosen_n == held.len() + 1)
}

/// How many of a school's seats each block fills with the given pupils (blocks in precedence
/// order, as [`blocks_of`] returns them).
pub(crate) fn block_fill(
    instance: &Instance,
    lottery: &crate::lottery::Lottery,
    school: crate::ids::SchoolId,
    students: &[StudentId],
) -> Vec<(Block, u32)> {
    let Some(policy) = instance.reserves(school) else {
        return Vec::new();
    };
    let blocks = blocks_of(instance.capacity(school), policy);
    let mut cands: Vec<(Rank, u32)> = students
        .iter()
        .map(|&st| {
            (
                lottery.rank(instance.tier(st, school), st, school),
                raw_group(instance, st),
            )
        })
        .collect();
    cands.sort_unstable();
    let mut slot_of = Vec::new();
    choose(&cands, &blocks, &mut slot_of);
    let mut filled = vec![0u32; blocks.len()];
    for &b in &slot_of {
        if b != NONE {
            filled[b as usize] += 1;
        }
    }
    blocks.into_iter().zip(filled).collect()
}
