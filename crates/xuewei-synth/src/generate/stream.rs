//! Random streams: one ChaCha8 stream per unit of work, seeded from the city's seed and the
//! unit's index, so that steps never share random numbers.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use xuewei_core::lottery::derive_seed;

/// Units of work, each with its own stream.
#[derive(Clone, Copy)]
pub(super) enum Unit {
    Blocks = 1,
    Households = 2,
    Ages = 3,
    Zones = 4,
    Schools = 5,
    Pupils = 6,
    Classes = 7,
    Roll = 8,
}

/// A random stream.
pub(super) struct Rng(ChaCha8Rng);

impl Rng {
    pub(super) fn new(seed: u64, unit: Unit, index: u64) -> Self {
        Rng(ChaCha8Rng::seed_from_u64(derive_seed(
            seed,
            ((unit as u64) << 32) | index,
        )))
    }
    /// Uniform in [0, 1).
    pub(super) fn f64(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    pub(super) fn bernoulli(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    /// Standard normal (Box–Muller).
    pub(super) fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    /// Index drawn with probability proportional to `cum` increments (cumulative weights).
    pub(super) fn pick(&mut self, cum: &[f64]) -> usize {
        let total = cum.last().copied().unwrap_or(0.0);
        let x = self.f64() * total;
        cum.partition_point(|&c| c <= x)
            .min(cum.len().saturating_sub(1))
    }
}
