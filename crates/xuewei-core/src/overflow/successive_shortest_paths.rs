//! Successive shortest paths on the school graph: the solver's state (flow, dual prices,
//! candidates, school graph, search scratch), the insertion of each pupil along a shortest
//! augmenting path, and the early-terminated Dijkstra with Johnson potentials it rests on.

use std::cmp::Reverse;

use super::candidates::Candidates;
use super::school_graph::SchoolGraph;
use super::search::{Goal, Search};
use super::{millimetres, Allocation, AllocationStats, DUMMY_COST, NONE};

/// The state of successive shortest paths. Nodes: schools `0..m`, the dummy school `m` when
/// pupils outnumber seats, the sink last. Potentials `pi` make every residual edge's reduced
/// cost `c(a, b) + π_a − π_b` non-negative; a placed pupil's own potential is implicit,
/// `π_{s(i)} − c(i, s(i))` (its placement edge is always tight).
pub(super) struct Solver<'c, F> {
    /// The cost closure (metres).
    pub(super) cost: &'c F,
    /// Real schools; the dummy school, if any, comes after them.
    pub(super) n_real: usize,
    /// Seats per school, the dummy included.
    cap: Vec<usize>,
    /// Pupils per school.
    load: Vec<usize>,
    /// Potential (dual price) per node.
    pub(super) pi: Vec<i64>,
    /// Each pupil's school (`NONE`: not yet placed).
    pub(super) school_of: Vec<u32>,
    /// Each pupil's cost (mm) at its school.
    pub(super) cost_at: Vec<i64>,
    /// Per pupil, a lower bound on `c(i, j) − π_j` over the schools j it has no edge to
    /// (`i64::MIN`: unknown). Potentials only ever decrease, so a bound stays valid, and the
    /// all-pairs check can skip a pupil whose own `c(i, s(i)) − π_{s(i)}` is at most it.
    pub(super) bound: Vec<i64>,
    /// The columns of the restricted graph.
    pub(super) cands: Candidates,
    /// The school graph of the placed pupils' candidates.
    pub(super) graph: SchoolGraph,
    /// Dijkstra scratch.
    pub(super) search: Search,
    /// Run counters.
    pub(super) stats: AllocationStats,
}

impl<'c, F: Fn(usize, usize) -> f64 + Sync> Solver<'c, F> {
    /// Nobody placed yet, every pupil with its `k` nearest schools (and the dummy school
    /// when pupils outnumber seats) as candidates, all potentials 0.
    pub(super) fn new(n_pupils: usize, capacity: &[u32], cost: &'c F, k: usize) -> Self {
        let n_real = capacity.len();
        let seats: u64 = capacity.iter().map(|&c| u64::from(c)).sum();
        let mut cap: Vec<usize> = capacity.iter().map(|&c| c as usize).collect();
        let dummy = (n_pupils as u64 > seats).then(|| {
            cap.push(n_pupils - seats as usize);
            n_real as u32
        });
        let n_schools = cap.len();
        let (cands, bound) = Candidates::nearest(n_pupils, n_real, cost, k.min(n_real), dummy);
        Self {
            cost,
            n_real,
            load: vec![0; n_schools],
            cap,
            pi: vec![0; n_schools + 1],
            school_of: vec![NONE; n_pupils],
            bound,
            cost_at: vec![0; n_pupils],
            cands,
            graph: SchoolGraph::new(n_schools),
            search: Search::new(n_schools + 1),
            stats: AllocationStats::default(),
        }
    }

    /// The sink node, after every school.
    fn sink(&self) -> u32 {
        self.cap.len() as u32
    }

    /// Places `pupil` at `school` (cost `c` mm), leaving its old school if any.
    pub(super) fn assign(&mut self, pupil: u32, school: u32, c: i64) {
        let i = pupil as usize;
        let old = self.school_of[i];
        if old != NONE {
            self.load[old as usize] -= 1;
            self.stats.moves += 1;
        }
        self.load[school as usize] += 1;
        self.school_of[i] = school;
        self.cost_at[i] = c;
        for (to, c_to) in self.cands.of(i) {
            if to != school {
                self.graph.push(school, to, c_to - c, pupil);
            }
        }
    }

    /// Dijkstra from the seeds already in `search`; returns the distance of the goal.
    pub(super) fn dijkstra(&mut self, goal: Goal) -> Option<i64> {
        let sink = self.sink();
        while let Some(Reverse((d, rank))) = self.search.frontier.pop() {
            let v = if rank == 0 {
                self.search.goal
            } else {
                rank - 1
            };
            let vi = v as usize;
            if self.search.done[vi] || d > self.search.dist[vi] {
                continue;
            }
            self.search.done[vi] = true;
            self.search.settled.push(v);
            self.stats.settled += 1;
            match goal {
                Goal::Sink if v == sink => return Some(d),
                Goal::School(s) if v == s => return Some(d),
                _ => {}
            }
            if v == sink {
                // Only reached when repairing: the sink leads back to every school whose
                // flow to the sink can shrink.
                let pi_sink = self.pi[vi];
                for x in 0..self.cap.len() {
                    if !self.search.done[x] && self.flow_to_sink(x as u32) > 0 {
                        let reduced = pi_sink - self.pi[x];
                        debug_assert!(reduced >= 0, "sink edge with negative reduced cost");
                        self.search.relax(x as u32, d + reduced, sink, NONE, 0);
                    }
                }
                continue;
            }
            if self.flow_to_sink(v) < self.cap[vi] {
                let reduced = self.pi[vi] - self.pi[sink as usize];
                debug_assert!(reduced >= 0, "free seat edge with negative reduced cost");
                self.search.relax(sink, d + reduced, v, NONE, 0);
            }
            self.stats.edges_scanned += self.graph.out[vi].len() as u64;
            for e in 0..self.graph.out[vi].len() {
                let w = self.graph.out[vi][e].to;
                if self.search.done[w as usize] {
                    continue;
                }
                if let Some((key, pupil)) = self.graph.cheapest(v, e, &self.school_of) {
                    let reduced = key + self.pi[vi] - self.pi[w as usize];
                    debug_assert!(reduced >= 0, "school edge with negative reduced cost");
                    let c = key + self.cost_at[pupil as usize];
                    self.search.relax(w, d + reduced, v, pupil, c);
                }
            }
        }
        None
    }

    /// Lowers the potentials of nodes settled closer than `d_goal` by the difference: the
    /// same as adding `min(d, d_goal)` to every potential, which keeps reduced costs
    /// non-negative and makes the shortest path tight.
    pub(super) fn update_potentials(&mut self, d_goal: i64) {
        for &v in &self.search.settled {
            let d = self.search.dist[v as usize];
            if d < d_goal {
                self.pi[v as usize] -= d_goal - d;
            }
        }
    }

    /// Seats of a school counted by its edge to the sink: its pupils, less the one pupil of
    /// excess during a repair.
    fn flow_to_sink(&self, school: u32) -> usize {
        let s = school as usize;
        self.load[s] - usize::from(school == self.search.excess_at)
            + usize::from(school == self.search.deficit_at)
    }

    /// Moves pupils along the predecessor chain ending at `node`, back to the search's source
    /// (edges through the sink move nobody).
    #[inline]
    pub(super) fn apply_path(&mut self, mut node: u32) {
        while node != NONE {
            let v = node as usize;
            let pupil = self.search.pred_pupil[v];
            if pupil != NONE {
                self.assign(pupil, node, self.search.pred_cost[v]);
            }
            node = self.search.pred_school[v];
        }
    }

    /// Inserts an unplaced pupil along a shortest augmenting path.
    pub(super) fn insert(&mut self, pupil: u32) {
        let i = pupil as usize;
        self.stats.augmentations += 1;
        loop {
            let min_key = self.cands.of(i).map(|(j, c)| c - self.pi[j as usize]).min();
            if let Some(min_key) = min_key {
                self.search.goal = self.sink();
                for (j, c) in self.cands.of(i) {
                    let d = c - self.pi[j as usize] - min_key;
                    self.search.relax(j, d, NONE, pupil, c);
                }
                if let Some(d_sink) = self.dijkstra(Goal::Sink) {
                    self.update_potentials(d_sink);
                    self.apply_path(self.sink());
                    self.search.reset();
                    return;
                }
                self.search.reset();
            }
            if !self.add_free_column(i) {
                // Unreachable: seats (with the dummy) are at least the pupils.
                debug_assert!(
                    self.school_of[i] != NONE,
                    "no free seat for an unplaced pupil"
                );
                return;
            }
        }
    }

    /// Gives pupil `i`, whose edges reach no free seat, an edge to the free seat that is
    /// cheapest at the current prices. Returns false if there is none (impossible: seats
    /// outnumber pupils, and a free school among the candidates would have been reached).
    fn add_free_column(&mut self, i: usize) -> bool {
        let mut best: Option<(i64, u32, i64)> = None;
        for j in 0..self.cap.len() {
            if self.load[j] >= self.cap[j] || self.cands.contains(i, j as u32) {
                continue;
            }
            let c = if j < self.n_real {
                millimetres((self.cost)(i, j))
            } else {
                DUMMY_COST
            };
            let key = c - self.pi[j];
            if best.is_none_or(|(b, _, _)| key < b) {
                best = Some((key, j as u32, c));
            }
        }
        let Some((_, j, c)) = best else {
            return false;
        };
        self.cands.extra[i].push((j, c));
        self.stats.columns_added += 1;
        true
    }

    /// The placement: the dummy school counts as unplaced; totals in pupil order.
    pub(super) fn finish(self) -> Allocation {
        let mut total_cost = 0.0;
        let mut total_cost_mm = 0u64;
        let school_of = self
            .school_of
            .iter()
            .enumerate()
            .map(|(i, &j)| {
                (j != NONE && (j as usize) < self.n_real).then(|| {
                    total_cost += (self.cost)(i, j as usize);
                    total_cost_mm += self.cost_at[i] as u64;
                    j
                })
            })
            .collect();
        Allocation {
            school_of,
            total_cost,
            total_cost_mm,
            stats: self.stats,
        }
    }
}
