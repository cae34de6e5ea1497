//! How schools rank proposals: the keys their heaps store.

use crate::ids::{SchoolId, StudentId};
use crate::lottery::{Lottery, Rank};

/// How schools rank proposals. `Key` is what a school's heap stores: compact where the
/// pupil can be recovered from it (8 bytes under single tie-breaking), a full [`Rank`]
/// otherwise.
pub(crate) trait Keys {
    /// A totally ordered key, lower is better; distinct pupils never share one.
    type Key: Copy + Ord + Default;
    /// Children per heap node: a 64-byte cache line of keys.
    const ARITY: usize;
    /// The key of entry `k` (pupil `student` listing `school`).
    fn key(&self, k: usize, student: u32, school: u32) -> Self::Key;
    /// The pupil a key belongs to.
    fn student(&self, key: Self::Key) -> u32;
    /// The full rank of a key (for the slot rule at schools with reserves).
    fn rank(&self, key: Self::Key) -> Rank;
}

/// Tier, then position in one draw: `(tier << 32) | position`, pupil recovered from the draw.
pub(super) struct SingleKeys<'a> {
    tiers: &'a [u32],
    position: &'a [u32],
    order: Vec<u32>,
}

impl<'a> SingleKeys<'a> {
    pub(super) fn new(tiers: &'a [u32], position: &'a [u32]) -> Self {
        let mut order = vec![0u32; position.len()];
        for (st, &p) in position.iter().enumerate() {
            order[p as usize] = st as u32;
        }
        Self {
            tiers,
            position,
            order,
        }
    }
}

impl Keys for SingleKeys<'_> {
    type Key = u64;
    const ARITY: usize = 8;
    #[inline]
    fn key(&self, k: usize, student: u32, _school: u32) -> u64 {
        (u64::from(self.tiers[k]) << 32) | u64::from(self.position[student as usize])
    }
    #[inline]
    fn student(&self, key: u64) -> u32 {
        self.order[key as u32 as usize]
    }
    fn rank(&self, key: u64) -> Rank {
        Rank::new((key >> 32) as u32, key as u32, StudentId(self.student(key)))
    }
}

/// Tier, then a per-school number: full ranks.
pub(super) struct MultipleKeys<'a> {
    pub(super) tiers: &'a [u32],
    pub(super) lottery: &'a Lottery,
}

impl Keys for MultipleKeys<'_> {
    type Key = Rank;
    const ARITY: usize = 4;
    #[inline]
    fn key(&self, k: usize, student: u32, school: u32) -> Rank {
        self.lottery
            .rank(self.tiers[k], StudentId(student), SchoolId(school))
    }
    #[inline]
    fn student(&self, key: Rank) -> u32 {
        key.student().0
    }
    fn rank(&self, key: Rank) -> Rank {
        key
    }
}
