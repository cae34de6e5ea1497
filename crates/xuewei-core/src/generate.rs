//! Seeded random instances for tests and benchmarks.
//!
//! Schools get a popularity weight that falls off as a power law of their index (a few
//! sought-after schools, a long tail); every pupil lists `list_len` distinct schools drawn
//! by popularity; seats add up to `seat_ratio` × pupils, spread evenly. Priorities have
//! `tiers` levels assigned at random (a pupil's tier is the same at every school, as with
//! hukou/property rules); the rest is left to the lottery.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use crate::ids::{SchoolId, StudentId};
use crate::instance::{Instance, InstanceBuilder};

/// Options of [`random_instance`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GenParams {
    /// Number of pupils (default 10 000).
    pub students: usize,
    /// Number of schools (default `students / 100`, at least 1).
    pub schools: Option<usize>,
    /// Schools per list (default 10, capped at the number of schools).
    pub list_len: usize,
    /// Total seats as a multiple of pupils (default 1.05).
    pub seat_ratio: f64,
    /// Popularity exponent: school `i` has weight `(i + 1)^-skew` (default 0.8).
    pub skew: f64,
    /// Priority tiers (default 3); 1 means every pupil is tied everywhere.
    pub tiers: u32,
    /// Seed (default 1).
    pub seed: u64,
}

impl Default for GenParams {
    fn default() -> Self {
        Self {
            students: 10_000,
            schools: None,
            list_len: 10,
            seat_ratio: 1.05,
            skew: 0.8,
            tiers: 3,
            seed: 1,
        }
    }
}

impl GenParams {
    /// Sets the number of pupils.
    #[must_use]
    pub fn students(mut self, n: usize) -> Self {
        self.students = n;
        self
    }
    /// Sets the number of schools.
    #[must_use]
    pub fn schools(mut self, m: usize) -> Self {
        self.schools = Some(m);
        self
    }
    /// Sets the list length.
    #[must_use]
    pub fn list_len(mut self, l: usize) -> Self {
        self.list_len = l;
        self
    }
    /// Sets the seat ratio.
    #[must_use]
    pub fn seat_ratio(mut self, r: f64) -> Self {
        self.seat_ratio = r;
        self
    }
    /// Sets the popularity skew.
    #[must_use]
    pub fn skew(mut self, s: f64) -> Self {
        self.skew = s;
        self
    }
    /// Sets the number of priority tiers.
    #[must_use]
    pub fn tiers(mut self, t: u32) -> Self {
        self.tiers = t;
        self
    }
    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// A seeded random instance (see the module docs). Complexity O(n·L·log m).
///
/// # Panics
/// If the generated instance fails validation, which would be a bug in the generator.
#[must_use]
pub fn random_instance(params: &GenParams) -> Instance {
    let n = params.students;
    let m = params.schools.unwrap_or(n / 100).max(1);
    let len = params.list_len.min(m);
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut cumulative = Vec::with_capacity(m);
    let mut total = 0.0;
    for i in 0..m {
        total += ((i + 1) as f64).powf(-params.skew);
        cumulative.push(total);
    }
    let seats_total = (n as f64 * params.seat_ratio).round() as u64;
    let mut b = InstanceBuilder::with_capacity(m, n, n * len);
    let schools: Vec<SchoolId> = (0..m)
        .map(|i| {
            let seats = seats_total / m as u64 + u64::from((i as u64) < seats_total % m as u64);
            b.add_school(format!("S{i}"), seats as u32)
        })
        .collect();
    let tiers = params.tiers.max(1) as usize;
    // Named tiers per school hold only its applicants; the lowest tier stays unnamed.
    let mut named: Vec<Vec<Vec<StudentId>>> = vec![vec![Vec::new(); tiers - 1]; m];
    let mut list = Vec::with_capacity(len);
    for st in 0..n {
        list.clear();
        while list.len() < len {
            let x = unit(&mut rng) * total;
            let s = cumulative.partition_point(|&c| c < x).min(m - 1);
            let id = schools[s];
            if !list.contains(&id) {
                list.push(id);
            }
        }
        let id = b.add_student(format!("p{st}"), list.iter().copied());
        let t = rng.next_u32() as usize % tiers;
        if t + 1 < tiers {
            for s in &list {
                named[s.index()][t].push(id);
            }
        }
    }
    for (s, tiers) in schools.iter().zip(named) {
        for tier in tiers {
            b.push_tier(*s, tier);
        }
    }
    b.build().expect("generated instances are valid")
}

fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}
