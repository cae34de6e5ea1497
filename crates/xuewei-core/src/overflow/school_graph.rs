//! The school graph the shortest paths run on: an edge j → j′ for each pair of schools such
//! that some pupil at j has j′ as a candidate, weighted by the cheapest move
//! `c(i, j′) − c(i, j)` of a pupil i now at j. That key does not depend on the dual prices,
//! so each edge keeps its pupils in a lazy min-heap.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use super::{INF, NONE};

/// A school-graph edge j → j′ with the top of its heap: the cheapest move (key, pupil)
/// recorded so far, whether or not that pupil is still at j (`NONE` when empty).
#[derive(Clone, Copy)]
pub(super) struct Edge {
    /// The school j′ it leads to.
    pub(super) to: u32,
    heap: u32,
    pupil: u32,
    key: i64,
}

/// Edges between schools: for each pair (j, j′) that some pupil at j has j′ as a candidate,
/// a lazy min-heap of (c(i, j′) − c(i, j), i) over pupils i that were placed at j. Entries of
/// pupils no longer at j are dropped when they reach the top. Each edge caches its heap's
/// top, so scanning a valid edge reads no heap.
pub(super) struct SchoolGraph {
    heaps: Vec<BinaryHeap<Reverse<(i64, u32)>>>,
    /// Position of edge (j, j′) in `out[j]`.
    position: PairIndex,
    /// Per school: its out-edges, in order of creation.
    pub(super) out: Vec<Vec<Edge>>,
}

/// Position of each school pair's edge: a dense table for up to 2048 schools, a hash map
/// beyond (only looked up, never iterated, so it cannot affect the output).
enum PairIndex {
    Dense { n: usize, at: Vec<u32> },
    Sparse(HashMap<u64, u32, BuildHasherDefault<PairHasher>>),
}

impl PairIndex {
    fn new(n_schools: usize) -> Self {
        if n_schools <= 2048 {
            PairIndex::Dense {
                n: n_schools,
                at: vec![NONE; n_schools * n_schools],
            }
        } else {
            PairIndex::Sparse(HashMap::default())
        }
    }

    /// The position of (from, to), or `next` recorded as its position if there is none.
    fn get_or_insert(&mut self, from: u32, to: u32, next: u32) -> u32 {
        match self {
            PairIndex::Dense { n, at } => {
                let slot = &mut at[from as usize * *n + to as usize];
                if *slot == NONE {
                    *slot = next;
                }
                *slot
            }
            PairIndex::Sparse(map) => *map
                .entry((u64::from(from) << 32) | u64::from(to))
                .or_insert(next),
        }
    }
}

impl SchoolGraph {
    /// No edges yet, between `n_schools` schools.
    pub(super) fn new(n_schools: usize) -> Self {
        Self {
            heaps: Vec::new(),
            position: PairIndex::new(n_schools),
            out: vec![Vec::new(); n_schools],
        }
    }

    /// Records that `pupil`, now at `from`, would move to `to` for `key` (mm).
    pub(super) fn push(&mut self, from: u32, to: u32, key: i64, pupil: u32) {
        let out = &mut self.out[from as usize];
        let next = out.len() as u32;
        let e = self.position.get_or_insert(from, to, next);
        if e == next {
            out.push(Edge {
                to,
                heap: self.heaps.len() as u32,
                pupil: NONE,
                key: INF,
            });
            self.heaps.push(BinaryHeap::new());
        }
        let edge = &mut out[e as usize];
        self.heaps[edge.heap as usize].push(Reverse((key, pupil)));
        if (key, pupil) < (edge.key, edge.pupil) {
            edge.key = key;
            edge.pupil = pupil;
        }
    }

    /// The cheapest move along out-edge `e` of `from`: (key, pupil).
    pub(super) fn cheapest(
        &mut self,
        from: u32,
        e: usize,
        school_of: &[u32],
    ) -> Option<(i64, u32)> {
        let edge = &mut self.out[from as usize][e];
        if edge.pupil == NONE {
            return None;
        }
        if school_of[edge.pupil as usize] == from {
            return Some((edge.key, edge.pupil));
        }
        let heap = &mut self.heaps[edge.heap as usize];
        while let Some(&Reverse((key, pupil))) = heap.peek() {
            if school_of[pupil as usize] == from {
                (edge.key, edge.pupil) = (key, pupil);
                return Some((key, pupil));
            }
            heap.pop();
        }
        (edge.key, edge.pupil) = (INF, NONE);
        None
    }
}

/// A multiplicative hash for the (school, school) keys of [`SchoolGraph`]; only looked up,
/// never iterated, so it cannot affect the output.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, x: u64) {
        let h = (self.0 ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 32);
    }
}
