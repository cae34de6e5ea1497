//! Lotteries (电脑派位) that break ties within priority tiers.
//!
//! A [`Lottery`] gives every (pupil, school) pair a number; lower numbers win. Under
//! [`TieBreak::Single`] a pupil carries one number everywhere (its position in one draw of
//! all pupils); under [`TieBreak::Multiple`] every pair gets its own number. Numbers are drawn
//! from a ChaCha8 stream keyed by the seed, so the same seed gives the same draw on every
//! machine and at every thread count. A published draw can be given instead of a seed.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use crate::ids::{SchoolId, StudentId};
use crate::instance::Instance;

/// How ties within a priority tier are broken.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum TieBreak {
    /// One draw of all pupils, used at every school (single tie-breaking, STB).
    #[default]
    Single,
    /// An independent draw at every school (multiple tie-breaking, MTB).
    Multiple,
}

/// Options of a draw: the seed and the tie-breaking rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LotteryParams {
    /// The master seed (default 0).
    pub seed: u64,
    /// Single or multiple tie-breaking (default single).
    pub tie_break: TieBreak,
}

impl LotteryParams {
    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the tie-breaking rule.
    #[must_use]
    pub fn tie_break(mut self, tie_break: TieBreak) -> Self {
        self.tie_break = tie_break;
        self
    }
}

/// Where a draw came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DrawSource {
    /// Drawn from the seed.
    Seeded(u64),
    /// Given with the instance (a published draw).
    Given,
}

/// A drawn lottery: numbers for every (pupil, school) pair; lower wins.
#[derive(Clone, Debug)]
pub struct Lottery {
    tie_break: TieBreak,
    source: DrawSource,
    /// Position of each pupil in the single draw.
    single: Vec<u32>,
    /// Key of the per-school streams (multiple tie-breaking).
    multiple_key: [u8; 32],
}

impl Lottery {
    /// Draws the lottery for an instance.
    ///
    /// A draw given with the instance is used as it is, and tie-breaking is then single
    /// whatever `params` says (a published draw is one order). Otherwise the single draw is a
    /// uniform permutation from `ChaCha8(seed)` (Fisher–Yates), and under multiple
    /// tie-breaking pair `(pupil, school)` gets word `pupil` of ChaCha8 stream `school` under a
    /// key derived from the seed. Complexity O(n).
    #[must_use]
    pub fn draw(instance: &Instance, params: &LotteryParams) -> Self {
        let n = instance.n_students();
        let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
        let mut multiple_key = [0u8; 32];
        rng.fill_bytes(&mut multiple_key);
        let (order, tie_break, source) = match instance.given_lottery() {
            Some(order) => (order.to_vec(), TieBreak::Single, DrawSource::Given),
            None => {
                let mut order: Vec<StudentId> = instance.students().collect();
                for i in (1..n).rev() {
                    let j = bounded(&mut rng, i as u32 + 1) as usize;
                    order.swap(i, j);
                }
                (order, params.tie_break, DrawSource::Seeded(params.seed))
            }
        };
        let mut single = vec![0u32; n];
        for (pos, st) in order.iter().enumerate() {
            single[st.index()] = pos as u32;
        }
        Self {
            tie_break,
            source,
            single,
            multiple_key,
        }
    }

    /// A single draw from an explicit order of all pupils (best first).
    ///
    /// # Panics
    /// If `order` is not a permutation of the instance's pupils.
    #[must_use]
    pub fn from_order(instance: &Instance, order: &[StudentId]) -> Self {
        let n = instance.n_students();
        assert_eq!(order.len(), n, "a draw orders every pupil once");
        let mut single = vec![u32::MAX; n];
        for (pos, st) in order.iter().enumerate() {
            assert_eq!(
                single[st.index()],
                u32::MAX,
                "a draw orders every pupil once"
            );
            single[st.index()] = pos as u32;
        }
        Self {
            tie_break: TieBreak::Single,
            source: DrawSource::Given,
            single,
            multiple_key: [0; 32],
        }
    }

    /// The tie-breaking rule in force.
    #[must_use]
    pub fn tie_break(&self) -> TieBreak {
        self.tie_break
    }

    /// Where the draw came from.
    #[must_use]
    pub fn source(&self) -> DrawSource {
        self.source
    }

    /// The pupil's position in the single draw (0 = drawn first). Under multiple
    /// tie-breaking this order still breaks score ties in the serial mechanism.
    #[must_use]
    pub fn single_number(&self, student: StudentId) -> u32 {
        self.single[student.index()]
    }

    /// Every pupil's position in the single draw, indexed by pupil.
    #[must_use]
    pub(crate) fn positions(&self) -> &[u32] {
        &self.single
    }

    /// The number of a (pupil, school) pair; lower wins.
    #[must_use]
    pub fn number(&self, student: StudentId, school: SchoolId) -> u32 {
        match self.tie_break {
            TieBreak::Multiple => self.multiple(student, school),
            _ => self.single[student.index()],
        }
    }

    /// The single draw as an order of pupils, best first.
    #[must_use]
    pub fn order(&self) -> Vec<StudentId> {
        let mut order = vec![StudentId(0); self.single.len()];
        for (st, &pos) in self.single.iter().enumerate() {
            order[pos as usize] = StudentId::from_index(st);
        }
        order
    }

    /// The numbers of every pupil at `school`, in pupil order: equal to
    /// [`number`](Self::number) for each pupil, but reading the school's stream in sequence
    /// (about a nanosecond a pupil instead of a keyed seek each).
    pub fn school_numbers(&self, school: SchoolId) -> impl Iterator<Item = u32> + '_ {
        let mut rng = (self.tie_break == TieBreak::Multiple).then(|| {
            let mut rng = ChaCha8Rng::from_seed(self.multiple_key);
            rng.set_stream(u64::from(school.0));
            rng.set_word_pos(0);
            rng
        });
        self.single.iter().map(move |&p| match rng.as_mut() {
            Some(rng) => rng.next_u32(),
            None => p,
        })
    }

    fn multiple(&self, student: StudentId, school: SchoolId) -> u32 {
        let mut rng = ChaCha8Rng::from_seed(self.multiple_key);
        rng.set_stream(u64::from(school.0));
        rng.set_word_pos(u128::from(student.0));
        rng.next_u32()
    }

    /// The full strict rank of a pair at a school: tier first, then the lottery number, then
    /// the pupil index (only reachable under multiple tie-breaking, where two 32-bit numbers
    /// can collide). Lower is better.
    #[inline]
    #[must_use]
    pub fn rank(&self, tier: u32, student: StudentId, school: SchoolId) -> Rank {
        Rank::new(tier, self.number(student, school), student)
    }
}

/// A pupil's strict standing at a school: (tier, lottery number, pupil index), compared
/// lexicographically; lower is better.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rank {
    key: u64,
    student: u32,
}

impl Rank {
    /// Builds a rank.
    #[inline]
    #[must_use]
    pub fn new(tier: u32, number: u32, student: StudentId) -> Self {
        Self {
            key: (u64::from(tier) << 32) | u64::from(number),
            student: student.0,
        }
    }

    /// The priority tier.
    #[inline]
    #[must_use]
    pub fn tier(self) -> u32 {
        (self.key >> 32) as u32
    }

    /// The lottery number.
    #[inline]
    #[must_use]
    pub fn number(self) -> u32 {
        self.key as u32
    }

    /// The pupil.
    #[inline]
    #[must_use]
    pub fn student(self) -> StudentId {
        StudentId(self.student)
    }
}

/// The seed of one unit of work (a stage, a replication, a year...) derived from a master
/// seed and the unit's number with the SplitMix64 finaliser, so a result never depends on
/// the order units are processed in.
#[must_use]
pub fn derive_seed(seed: u64, unit: u64) -> u64 {
    let mut z = seed ^ unit.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Unbiased integer in `0..bound` (Lemire's method with rejection).
fn bounded(rng: &mut ChaCha8Rng, bound: u32) -> u32 {
    let threshold = bound.wrapping_neg() % bound;
    loop {
        let x = u64::from(rng.next_u32()) * u64::from(bound);
        if (x as u32) >= threshold {
            return (x >> 32) as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{random_instance, GenParams};

    /// The sequential per-school stream gives the same numbers as keyed random access, and a
    /// seeded single draw is a permutation.
    #[test]
    fn school_numbers_match_random_access() {
        let instance = random_instance(&GenParams::default().students(300).schools(7));
        for tb in [TieBreak::Single, TieBreak::Multiple] {
            let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(5).tie_break(tb));
            for school in instance.schools() {
                let seq: Vec<u32> = lottery.school_numbers(school).collect();
                let direct: Vec<u32> = instance
                    .students()
                    .map(|st| lottery.number(st, school))
                    .collect();
                assert_eq!(seq, direct);
            }
            let mut order: Vec<u32> = lottery.order().iter().map(|s| s.0).collect();
            order.sort_unstable();
            assert_eq!(order, (0..300).collect::<Vec<u32>>());
        }
    }
}
