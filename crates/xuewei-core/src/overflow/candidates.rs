//! The columns of the restricted bipartite graph: each pupil's candidate schools with their
//! costs. They start as its `k` nearest schools ([`OverflowParams::candidates`]), chosen in
//! parallel, plus the dummy school "unplaced" when pupils outnumber seats; the columns added
//! later (fallback free seats, violated pairs) are kept per pupil.
//!
//! [`OverflowParams::candidates`]: super::OverflowParams::candidates

use rayon::prelude::*;

use super::{millimetres, DUMMY_COST, INF, NONE};

/// The restricted bipartite graph: each pupil's candidate schools with their costs (mm).
/// The initial nearest schools (plus the dummy school, if any) are a fixed-stride block; the
/// columns added later are kept per pupil.
pub(super) struct Candidates {
    stride: usize,
    base: Vec<(u32, i64)>,
    /// Per pupil, the columns added after the initial block.
    pub(super) extra: Vec<Vec<(u32, i64)>>,
}

impl Candidates {
    /// Each pupil's `k` nearest of the `n_real` real schools (`k` at most `n_real`), nearest
    /// first (ties to the lower index), then `dummy` at [`DUMMY_COST`] if there is one.
    ///
    /// Also returns, per pupil, the least cost (mm) of the real schools left out (`INF` when
    /// none is; `i64::MIN`, unknown, when there are no candidates at all): the first lower
    /// bound of the all-pairs check, when every price is still 0.
    pub(super) fn nearest<F: Fn(usize, usize) -> f64 + Sync>(
        n_pupils: usize,
        n_real: usize,
        cost: &F,
        k: usize,
        dummy: Option<u32>,
    ) -> (Self, Vec<i64>) {
        let stride = k + usize::from(dummy.is_some());
        let mut base = vec![(NONE, 0i64); n_pupils * stride];
        let mut bound = vec![i64::MIN; n_pupils];
        if stride > 0 {
            base.par_chunks_mut(stride)
                .zip(&mut bound)
                .enumerate()
                .for_each_init(
                    || Vec::with_capacity(n_real),
                    |all: &mut Vec<(i64, u32)>, (pupil, (out, bound))| {
                        all.clear();
                        all.extend((0..n_real).map(|j| (millimetres(cost(pupil, j)), j as u32)));
                        if k > 0 && k < n_real {
                            all.select_nth_unstable(k - 1);
                        }
                        *bound = all[k..].iter().map(|&(c, _)| c).min().unwrap_or(INF);
                        let nearest = &mut all[..k];
                        nearest.sort_unstable();
                        for (slot, &(c, j)) in out.iter_mut().zip(nearest.iter()) {
                            *slot = (j, c);
                        }
                        if let Some(d) = dummy {
                            out[k] = (d, DUMMY_COST);
                        }
                    },
                );
        }
        let candidates = Self {
            stride,
            base,
            extra: vec![Vec::new(); n_pupils],
        };
        (candidates, bound)
    }

    /// The candidate schools of `pupil` with their costs (mm): the initial block, then the
    /// columns added since, in order of addition.
    pub(super) fn of(&self, pupil: usize) -> impl Iterator<Item = (u32, i64)> + '_ {
        self.base[pupil * self.stride..(pupil + 1) * self.stride]
            .iter()
            .chain(&self.extra[pupil])
            .copied()
    }

    /// Whether `school` is a candidate of `pupil`.
    pub(super) fn contains(&self, pupil: usize, school: u32) -> bool {
        self.of(pupil).any(|(j, _)| j == school)
    }
}
