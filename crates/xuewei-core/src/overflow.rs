//! Overflow placement (统筹): seat the pupils their catchment school could not take at schools
//! of their stage with free seats, so that the total travel distance is minimal.
//!
//! This is a capacitated transportation problem: n pupils (one unit of supply each), m schools
//! with `capacity[j]` free seats, a cost `c(i, j) ≥ 0` per pair (metres, given by a closure).
//! [`min_cost_placement`] places `min(n, Σ capacity)` pupils — as many as possible — and among
//! all such placements one of minimum total cost, exactly. [`greedy_nearest`] is the naive
//! baseline (each pupil in turn takes the nearest school with a free seat).
//!
//! # Costs in integer millimetres
//!
//! Costs are converted once to whole millimetres (`round(1000·c)`, an `i64`), and optimality
//! is exact for those integers: no epsilon, no dependence on the order of floating-point
//! sums, hence the same result for the same input whatever the thread count. Costs below 0
//! count as 0, costs above [`MAX_COST_MM`] (≈ 68,700 km, more than any distance on Earth) and
//! NaN count as [`MAX_COST_MM`]. Two placements whose totals differ by less than about a
//! millimetre per pupil may therefore be ranked differently than their unrounded `f64`
//! totals would; [`Allocation::total_cost`] reports the unrounded sum of the chosen pairs.
//!
//! # Algorithm
//!
//! Successive shortest paths (the primal–dual / Hungarian scheme for transportation problems)
//! with column generation:
//!
//! 1. Every pupil gets edges to its `k` nearest schools ([`OverflowParams::candidates`]),
//!    chosen in parallel. When pupils outnumber seats a dummy school "unplaced" with
//!    `n − Σ capacity` seats is added, at the same cost (the largest, [`MAX_COST_MM`]) for
//!    everyone and a candidate of everyone, so the problem becomes "assign everyone", and
//!    filling every real seat at minimum cost is the same as placing as many as possible at
//!    minimum cost.
//! 2. Pupils are inserted in index order, each along a shortest augmenting path (it takes a
//!    seat, possibly pushing other pupils along a chain of schools to a school with a free
//!    seat). Shortest paths run on the *school graph* — m + 2 nodes (schools, the dummy, a
//!    sink) — instead of the bipartite pupil–school graph: the edge j → j′ costs the cheapest
//!    move `c(i, j′) − c(i, j)` of a pupil i now at j, and since that key does not depend on
//!    the dual prices, each pair (j, j′) keeps its pupils in a lazy min-heap. Dijkstra with
//!    Johnson potentials (reduced costs are non-negative) stops as soon as the sink is
//!    reached; the potentials of the settled nodes are updated by `min(d, d_sink)`, which
//!    keeps every reduced cost non-negative. A pupil whose edges reach no free seat gets an
//!    edge to the free seat that is cheapest at the current prices, so the restricted graph
//!    never strands anyone.
//! 3. The potentials certify optimality over *all* n·m pairs (complementary slackness:
//!    `c(i, j) − π_j ≥ c(i, s(i)) − π_{s(i)}` for the school s(i) of every pupil), checked in
//!    parallel. Potentials only decrease, so a per-pupil lower bound on the left side over
//!    its non-candidate schools, taken when its costs were last scanned, lets the check skip
//!    every pupil whose own side is still below it; only the others are scanned again.
//! 4. Each violating pupil gets its most violated pairs as new edges
//!    ([`OverflowParams::columns_per_round`]) and, if one is now its cheapest school at the
//!    current prices, moves there; the negative cycle this closes is cancelled by one
//!    shortest path from the new school (one pupil too many) back to the old one (one
//!    pupil short), through the sink if a free seat is on the way. The path exists (the
//!    pupil's own edge back), is usually short, and leaves the flow optimal for the enlarged
//!    graph with feasible potentials. Repeat 3–4 until the check finds nothing.
//!
//! Successive shortest paths was preferred to network simplex or cost scaling because each
//! step is a plain Dijkstra on m + 2 nodes whatever n is, it continues from the current flow
//! after new columns with no re-initialisation, and its dual prices give the all-pairs
//! certificate for free.
//!
//! Reference: R. K. Ahuja, T. L. Magnanti, J. B. Orlin, *Network Flows* (1993), §9.7
//! (successive shortest paths) and §9.5 (reduced-cost optimality); R. Jonker and
//! A. Volgenant, "A shortest augmenting path algorithm for dense and sparse linear assignment
//! problems", *Computing* 38 (1987), 325–340 (early-terminated Dijkstra).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

/// Costs at or above this many millimetres (2³⁶ mm ≈ 68,700 km), and NaN, are treated as this.
///
/// It keeps every sum and dual price of the algorithm far inside `i64` for up to 2²⁶ pupils
/// and schools.
pub const MAX_COST_MM: i64 = 1 << 36;

/// Options of [`min_cost_placement`].
///
/// ```
/// use xuewei_core::overflow::OverflowParams;
/// let params = OverflowParams::default().candidates(8).columns_per_round(4);
/// assert_eq!(params.candidates, 8);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverflowParams {
    /// Nearest schools per pupil the restricted graph starts from (default 16). Any value
    /// gives the exact optimum; a small one means more rounds of the all-pairs check, a large
    /// one more work per shortest path. 0 starts from no edges at all.
    pub candidates: usize,
    /// Most violated pairs added per violating pupil and round of the all-pairs check
    /// (default 8; 0 counts as 1).
    pub columns_per_round: usize,
}

impl Default for OverflowParams {
    fn default() -> Self {
        Self {
            candidates: 16,
            columns_per_round: 8,
        }
    }
}

impl OverflowParams {
    /// Sets [`candidates`](Self::candidates).
    #[must_use]
    pub fn candidates(mut self, candidates: usize) -> Self {
        self.candidates = candidates;
        self
    }

    /// Sets [`columns_per_round`](Self::columns_per_round).
    #[must_use]
    pub fn columns_per_round(mut self, columns_per_round: usize) -> Self {
        self.columns_per_round = columns_per_round;
        self
    }
}

/// Counters of a [`min_cost_placement`] run (all 0 for [`greedy_nearest`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AllocationStats {
    /// Shortest-path insertions of a pupil (one per pupil, plus re-insertions).
    pub augmentations: u64,
    /// Pupils moved to another school along augmenting or removal paths.
    pub moves: u64,
    /// Pupils the all-pairs check found a cheaper pair for, moved there with the resulting
    /// negative cycle cancelled.
    pub repairs: u64,
    /// Passes of the all-pairs optimality check (the last one passed).
    pub rounds: u32,
    /// Pupil–school edges added after the initial nearest candidates.
    pub columns_added: u64,
    /// School nodes settled by all the shortest-path searches.
    pub settled: u64,
    /// School-graph edges scanned by all the shortest-path searches.
    pub edges_scanned: u64,
}

/// The result of an overflow placement: each pupil's school and the total cost.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct Allocation {
    /// The school of each pupil (an index into `capacity`), `None` when unplaced.
    pub school_of: Vec<Option<u32>>,
    /// Sum of `cost(pupil, school)` over placed pupils, in pupil order, as given (metres).
    pub total_cost: f64,
    /// The same sum in whole millimetres, the objective that is minimised exactly.
    pub total_cost_mm: u64,
    /// Run counters.
    pub stats: AllocationStats,
}

impl Allocation {
    /// Number of pupils placed.
    #[must_use]
    pub fn n_placed(&self) -> usize {
        self.school_of.iter().filter(|s| s.is_some()).count()
    }

    /// The pupils placed at `school`, in index order.
    pub fn pupils_at(&self, school: u32) -> impl Iterator<Item = usize> + '_ {
        self.school_of
            .iter()
            .enumerate()
            .filter(move |(_, s)| **s == Some(school))
            .map(|(i, _)| i)
    }

    /// Pupils placed per school, for `n_schools` schools (placements at or beyond
    /// `n_schools` are not counted).
    #[must_use]
    pub fn loads(&self, n_schools: usize) -> Vec<u32> {
        let mut loads = vec![0; n_schools];
        for &j in self.school_of.iter().flatten() {
            if let Some(l) = loads.get_mut(j as usize) {
                *l += 1;
            }
        }
        loads
    }
}

/// A cost in whole millimetres, clamped to `0..=MAX_COST_MM` (NaN counts as the maximum).
fn millimetres(cost: f64) -> i64 {
    // Rounds half up; `(x + 0.5) as i64` is `floor(x + 0.5)` for the positive x it sees,
    // and much cheaper than `f64::round`.
    let mm = cost * 1000.0 + 0.5;
    if mm.is_nan() {
        MAX_COST_MM
    } else if mm < 1.0 {
        0
    } else if mm >= MAX_COST_MM as f64 {
        MAX_COST_MM
    } else {
        mm as i64
    }
}

/// Places as many overflow pupils as there are free seats (`min(n, Σ capacity)`), at minimum
/// total travel cost.
///
/// Arguments: `n_pupils` pupils `0..n_pupils`; `capacity[j]` free seats at school `j`;
/// `cost(pupil, school)` the distance in metres (finite, ≥ 0; see the
/// [module docs](self) for the conversion to millimetres), which must be a pure function: it
/// is called again for the optimality check, from several threads. Ties between optimal
/// placements are broken by the algorithm deterministically: the same input gives the same
/// output whatever the thread count.
///
/// Returns the placement; when pupils outnumber seats, every seat is filled and the pupils
/// left out are the ones whose exclusion costs least.
///
/// # Panics
///
/// If `n_pupils` or `capacity.len()` is `u32::MAX` or more.
///
/// # Complexity
///
/// With n pupils, m schools, k candidates and R rounds of the check (typically 2–4): n·m
/// cost evaluations and O(n·m) work to choose the candidates (parallel); each insertion or
/// repair is a Dijkstra on the school graph, O(E log m) for the E ≤ (m + 1)² school pairs
/// it scans — usually far fewer, as it stops at the first free seat and a school only links
/// to the candidates of its pupils; heap upkeep is O(k log n) per pupil moved. Each round of
/// the check costs m cost evaluations per pupil it cannot skip (all n in the worst case).
/// Worst case O(R·n·m + n·m² log m) plus the moves; on random planar cities the Dijkstras
/// settle 4–50 schools on average. Memory O(n·k + m²) plus the moves made.
///
/// # Example
///
/// Three pupils, school 0 with 2 seats, school 1 with 1. Taken greedily in order, pupils 0
/// and 1 fill school 0 and pupil 2 travels 10 km to school 1 (12 km in all); the optimum
/// sends pupil 0 to school 1 instead (5 km).
///
/// ```
/// use xuewei_core::overflow::{greedy_nearest, min_cost_placement, OverflowParams};
/// let km = [[1.0, 2.0], [1.0, 10.0], [2.0, 10.0]];
/// let cost = |i: usize, j: usize| 1000.0 * km[i][j];
/// let best = min_cost_placement(3, &[2, 1], cost, &OverflowParams::default());
/// assert_eq!(best.school_of, vec![Some(1), Some(0), Some(0)]);
/// assert_eq!(best.total_cost, 5000.0);
/// assert_eq!(greedy_nearest(3, &[2, 1], cost).total_cost, 12000.0);
/// ```
pub fn min_cost_placement(
    n_pupils: usize,
    capacity: &[u32],
    cost: impl Fn(usize, usize) -> f64 + Sync,
    params: &OverflowParams,
) -> Allocation {
    assert!(
        u32::try_from(n_pupils).is_ok_and(|n| n < u32::MAX),
        "overflow: too many pupils"
    );
    assert!(
        u32::try_from(capacity.len()).is_ok_and(|m| m < u32::MAX - 2),
        "overflow: too many schools"
    );
    let mut solver = Solver::new(n_pupils, capacity, &cost, params.candidates);
    for pupil in 0..n_pupils {
        solver.insert(pupil as u32);
    }
    let columns = params.columns_per_round.max(1);
    loop {
        solver.stats.rounds += 1;
        let violations = solver.violations(columns);
        if violations.is_empty() {
            break;
        }
        for (pupil, new_columns) in violations {
            solver.add_columns(pupil, &new_columns);
        }
    }
    solver.finish()
}

/// The baseline: pupils in index order each take the nearest school with a free seat (ties
/// to the lower school index), until seats run out.
///
/// Costs are compared in whole millimetres as in [`min_cost_placement`], so the two totals
/// are comparable exactly. Complexity O(n·m) cost evaluations.
///
/// ```
/// use xuewei_core::overflow::greedy_nearest;
/// let placed = greedy_nearest(3, &[1, 1], |i, j| ((i + j) % 2) as f64);
/// assert_eq!(placed.school_of, vec![Some(0), Some(1), None]);
/// ```
pub fn greedy_nearest(
    n_pupils: usize,
    capacity: &[u32],
    cost: impl Fn(usize, usize) -> f64,
) -> Allocation {
    let mut left = capacity.to_vec();
    let mut seats: u64 = left.iter().map(|&c| u64::from(c)).sum();
    let mut school_of = vec![None; n_pupils];
    let (mut total_cost, mut total_cost_mm) = (0.0, 0u64);
    for (pupil, slot) in school_of.iter_mut().enumerate() {
        if seats == 0 {
            break;
        }
        let mut best: Option<(i64, usize, f64)> = None;
        for (school, _) in left.iter().enumerate().filter(|(_, &l)| l > 0) {
            let c = cost(pupil, school);
            let mm = millimetres(c);
            if best.is_none_or(|(b, _, _)| mm < b) {
                best = Some((mm, school, c));
            }
        }
        if let Some((mm, school, c)) = best {
            left[school] -= 1;
            seats -= 1;
            *slot = Some(school as u32);
            total_cost += c;
            total_cost_mm += mm as u64;
        }
    }
    Allocation {
        school_of,
        total_cost,
        total_cost_mm,
        stats: AllocationStats::default(),
    }
}

/// No school / pupil / predecessor.
const NONE: u32 = u32::MAX;
/// Unreached.
const INF: i64 = i64::MAX;
/// Cost of the dummy school "unplaced": the same for every pupil, so any value gives the
/// same optimum; the largest cost makes it the last resort, so that augmenting paths end
/// there rather than pass through it.
const DUMMY_COST: i64 = MAX_COST_MM;

/// The restricted bipartite graph: each pupil's candidate schools with their costs (mm).
/// The initial nearest schools (plus the dummy school, if any) are a fixed-stride block; the
/// columns added later are kept per pupil.
struct Candidates {
    stride: usize,
    base: Vec<(u32, i64)>,
    extra: Vec<Vec<(u32, i64)>>,
}

impl Candidates {
    fn of(&self, pupil: usize) -> impl Iterator<Item = (u32, i64)> + '_ {
        self.base[pupil * self.stride..(pupil + 1) * self.stride]
            .iter()
            .chain(&self.extra[pupil])
            .copied()
    }

    fn contains(&self, pupil: usize, school: u32) -> bool {
        self.of(pupil).any(|(j, _)| j == school)
    }
}

/// A school-graph edge j → j′ with the top of its heap: the cheapest move (key, pupil)
/// recorded so far, whether or not that pupil is still at j (`NONE` when empty).
#[derive(Clone, Copy)]
struct Edge {
    to: u32,
    heap: u32,
    pupil: u32,
    key: i64,
}

/// Edges between schools: for each pair (j, j′) that some pupil at j has j′ as a candidate,
/// a lazy min-heap of (c(i, j′) − c(i, j), i) over pupils i that were placed at j. Entries of
/// pupils no longer at j are dropped when they reach the top. Each edge caches its heap's
/// top, so scanning a valid edge reads no heap.
struct SchoolGraph {
    heaps: Vec<BinaryHeap<Reverse<(i64, u32)>>>,
    /// Position of edge (j, j′) in `out[j]`.
    position: PairIndex,
    /// Per school: its out-edges, in order of creation.
    out: Vec<Vec<Edge>>,
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
    fn push(&mut self, from: u32, to: u32, key: i64, pupil: u32) {
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
    fn cheapest(&mut self, from: u32, e: usize, school_of: &[u32]) -> Option<(i64, u32)> {
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

/// Dijkstra scratch over the school nodes and the sink, reset through `touched`.
struct Search {
    dist: Vec<i64>,
    /// Predecessor school (`NONE`: a source edge).
    pred_school: Vec<u32>,
    /// Pupil moving into the node along its predecessor edge.
    pred_pupil: Vec<u32>,
    /// Cost (mm) of that pupil at the node.
    pred_cost: Vec<i64>,
    done: Vec<bool>,
    touched: Vec<u32>,
    settled: Vec<u32>,
    /// (distance, rank): the goal node has rank 0, so that it is settled first among nodes
    /// at the same distance; school `j` has rank `j + 1`.
    frontier: BinaryHeap<Reverse<(i64, u32)>>,
    /// The node that wins ties.
    goal: u32,
    /// During a repair, the school with one pupil more than its flow to the sink.
    excess_at: u32,
    /// During a repair, the school with one pupil less than its flow to the sink.
    deficit_at: u32,
}

impl Search {
    fn new(n_nodes: usize) -> Self {
        Self {
            dist: vec![INF; n_nodes],
            pred_school: vec![NONE; n_nodes],
            pred_pupil: vec![NONE; n_nodes],
            pred_cost: vec![0; n_nodes],
            done: vec![false; n_nodes],
            touched: Vec::new(),
            settled: Vec::new(),
            frontier: BinaryHeap::new(),
            goal: NONE,
            excess_at: NONE,
            deficit_at: NONE,
        }
    }

    fn relax(&mut self, node: u32, d: i64, from: u32, pupil: u32, cost: i64) {
        let v = node as usize;
        if d < self.dist[v] {
            if self.dist[v] == INF {
                self.touched.push(node);
            }
            self.dist[v] = d;
            self.pred_school[v] = from;
            self.pred_pupil[v] = pupil;
            self.pred_cost[v] = cost;
            let rank = if node == self.goal { 0 } else { node + 1 };
            self.frontier.push(Reverse((d, rank)));
        }
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            let v = v as usize;
            self.dist[v] = INF;
            self.done[v] = false;
            self.pred_school[v] = NONE;
            self.pred_pupil[v] = NONE;
        }
        self.touched.clear();
        self.settled.clear();
        self.frontier.clear();
    }
}

/// Where a search stops.
#[derive(Clone, Copy)]
enum Goal {
    /// At the sink, through any school with a free seat (insertion).
    Sink,
    /// At this school (removal of one of its pupils).
    School(u32),
}

/// The state of successive shortest paths. Nodes: schools `0..m`, the dummy school `m` when
/// pupils outnumber seats, the sink last. Potentials `pi` make every residual edge's reduced
/// cost `c(a, b) + π_a − π_b` non-negative; a placed pupil's own potential is implicit,
/// `π_{s(i)} − c(i, s(i))` (its placement edge is always tight).
struct Solver<'c, F> {
    cost: &'c F,
    n_real: usize,
    cap: Vec<usize>,
    load: Vec<usize>,
    pi: Vec<i64>,
    school_of: Vec<u32>,
    cost_at: Vec<i64>,
    /// Per pupil, a lower bound on `c(i, j) − π_j` over the schools j it has no edge to
    /// (`i64::MIN`: unknown). Potentials only ever decrease, so a bound stays valid, and the
    /// all-pairs check can skip a pupil whose own `c(i, s(i)) − π_{s(i)}` is at most it.
    bound: Vec<i64>,
    cands: Candidates,
    graph: SchoolGraph,
    search: Search,
    stats: AllocationStats,
}

impl<'c, F: Fn(usize, usize) -> f64 + Sync> Solver<'c, F> {
    fn new(n_pupils: usize, capacity: &[u32], cost: &'c F, k: usize) -> Self {
        let n_real = capacity.len();
        let seats: u64 = capacity.iter().map(|&c| u64::from(c)).sum();
        let mut cap: Vec<usize> = capacity.iter().map(|&c| c as usize).collect();
        let dummy = (n_pupils as u64 > seats).then(|| {
            cap.push(n_pupils - seats as usize);
            n_real as u32
        });
        let n_schools = cap.len();
        let k = k.min(n_real);
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
        Self {
            cost,
            n_real,
            load: vec![0; n_schools],
            cap,
            pi: vec![0; n_schools + 1],
            school_of: vec![NONE; n_pupils],
            bound,
            cost_at: vec![0; n_pupils],
            cands: Candidates {
                stride,
                base,
                extra: vec![Vec::new(); n_pupils],
            },
            graph: SchoolGraph {
                heaps: Vec::new(),
                position: PairIndex::new(n_schools),
                out: vec![Vec::new(); n_schools],
            },
            search: Search::new(n_schools + 1),
            stats: AllocationStats::default(),
        }
    }

    fn sink(&self) -> u32 {
        self.cap.len() as u32
    }

    /// Places `pupil` at `school` (cost `c` mm), leaving its old school if any.
    fn assign(&mut self, pupil: u32, school: u32, c: i64) {
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
    fn dijkstra(&mut self, goal: Goal) -> Option<i64> {
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
    fn update_potentials(&mut self, d_goal: i64) {
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
    fn apply_path(&mut self, mut node: u32) {
        while node != NONE {
            let v = node as usize;
            let pupil = self.search.pred_pupil[v];
            if pupil != NONE {
                self.assign(pupil, node, self.search.pred_cost[v]);
            }
            node = self.search.pred_school[v];
        }
    }

    /// Adds new candidate schools to a placed pupil and restores optimality: if one of them
    /// is now cheaper at the current prices, the pupil moves there and the resulting
    /// negative cycle is cancelled by a shortest path from its new school back to its old
    /// one (the excess and the deficit of that move), which is usually short.
    fn add_columns(&mut self, pupil: u32, new_columns: &[(u32, i64)]) {
        let i = pupil as usize;
        self.stats.columns_added += new_columns.len() as u64;
        self.cands.extra[i].extend_from_slice(new_columns);
        let s = self.school_of[i];
        if s == NONE {
            self.insert(pupil);
            return;
        }
        let own = self.cost_at[i] - self.pi[s as usize];
        let best = self
            .cands
            .of(i)
            .map(|(j, c)| (c - self.pi[j as usize], j, c))
            .min();
        let Some((key, j_star, c_star)) = best.filter(|&(key, _, _)| key < own) else {
            for &(j, c) in new_columns {
                self.graph.push(s, j, c - self.cost_at[i], pupil);
            }
            return;
        };
        debug_assert!(key < own);
        self.stats.repairs += 1;
        self.assign(pupil, j_star, c_star);
        self.search.goal = s;
        self.search.excess_at = j_star;
        self.search.deficit_at = s;
        self.search.relax(j_star, 0, NONE, NONE, 0);
        let found = self.dijkstra(Goal::School(s));
        self.search.excess_at = NONE;
        self.search.deficit_at = NONE;
        if let Some(d_school) = found {
            self.update_potentials(d_school);
            self.apply_path(s);
            self.search.reset();
        } else {
            // Unreachable: the pupil's own edge back to `s` closes the cycle. Undo the move
            // rather than leave an excess.
            debug_assert!(found.is_some(), "no way back to the old school");
            self.search.reset();
            self.assign(pupil, s, own + self.pi[s as usize]);
        }
    }

    /// Inserts an unplaced pupil along a shortest augmenting path.
    fn insert(&mut self, pupil: u32) {
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

    /// Pupils violating the reduced-cost optimality condition over all pairs, each with up
    /// to `max_columns` most violated schools and their costs, in pupil order. Pupils whose
    /// bound rules out a violation are skipped; the bounds of the others are renewed.
    fn violations(&mut self, max_columns: usize) -> Vec<(u32, Vec<(u32, i64)>)> {
        type Found = (i64, Option<Vec<(u32, i64)>>);
        let this = &*self;
        let per_pupil: Vec<Option<Found>> = (0..this.school_of.len())
            .into_par_iter()
            .map_init(
                || (vec![false; this.n_real], Vec::new()),
                |(is_cand, found): &mut (Vec<bool>, Vec<(i64, u32, i64)>), i| {
                    let s = this.school_of[i];
                    if s == NONE {
                        return None;
                    }
                    let own = this.cost_at[i] - this.pi[s as usize];
                    if this.bound[i] >= own {
                        return None;
                    }
                    for (j, _) in this.cands.of(i) {
                        if let Some(flag) = is_cand.get_mut(j as usize) {
                            *flag = true;
                        }
                    }
                    found.clear();
                    let mut rest = INF;
                    for (j, (&skip, &pi)) in is_cand.iter().zip(&this.pi).enumerate() {
                        if skip {
                            continue;
                        }
                        let c = millimetres((this.cost)(i, j));
                        let key = c - pi;
                        if key < own {
                            found.push((key, j as u32, c));
                        } else {
                            rest = rest.min(key);
                        }
                    }
                    for (j, _) in this.cands.of(i) {
                        if let Some(flag) = is_cand.get_mut(j as usize) {
                            *flag = false;
                        }
                    }
                    found.sort_unstable();
                    if let Some(&(key, _, _)) = found.get(max_columns) {
                        rest = rest.min(key);
                    }
                    found.truncate(max_columns);
                    let columns = (!found.is_empty())
                        .then(|| found.iter().map(|&(_, j, c)| (j, c)).collect());
                    Some((rest, columns))
                },
            )
            .collect();
        let mut violations = Vec::new();
        for (i, found) in per_pupil.into_iter().enumerate() {
            if let Some((bound, columns)) = found {
                self.bound[i] = bound;
                if let Some(columns) = columns {
                    violations.push((i as u32, columns));
                }
            }
        }
        violations
    }

    fn finish(self) -> Allocation {
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn splitmix(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..1`.
    fn unit(state: &mut u64) -> f64 {
        (splitmix(state) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Pupils and schools uniform on a `side`-metre square; capacities uniform in
    /// `0..=max_cap`.
    struct Planar {
        pupils: Vec<(f64, f64)>,
        schools: Vec<(f64, f64)>,
        capacity: Vec<u32>,
    }

    impl Planar {
        fn new(seed: u64, n: usize, m: usize, max_cap: u32, side: f64) -> Self {
            let mut st = seed;
            let point = |st: &mut u64| (side * unit(st), side * unit(st));
            let pupils = (0..n).map(|_| point(&mut st)).collect();
            let schools = (0..m).map(|_| point(&mut st)).collect();
            let capacity = (0..m)
                .map(|_| (splitmix(&mut st) % u64::from(max_cap + 1)) as u32)
                .collect();
            Self {
                pupils,
                schools,
                capacity,
            }
        }

        fn cost(&self, i: usize, j: usize) -> f64 {
            let (a, b) = (self.pupils[i], self.schools[j]);
            let (dx, dy) = (a.0 - b.0, a.1 - b.1);
            (dx * dx + dy * dy).sqrt()
        }
    }

    /// Checks the defining properties against an expected minimum (mm): count placed,
    /// capacity, reported totals, and greedy is no better.
    fn check(
        n: usize,
        capacity: &[u32],
        cost: &(impl Fn(usize, usize) -> f64 + Sync),
        p: &Allocation,
        min_mm: u64,
    ) {
        let seats: u64 = capacity.iter().map(|&c| u64::from(c)).sum();
        assert_eq!(p.school_of.len(), n);
        assert_eq!(p.n_placed() as u64, (n as u64).min(seats));
        for (j, (&load, &cap)) in p.loads(capacity.len()).iter().zip(capacity).enumerate() {
            assert!(load <= cap, "school {j} over capacity");
        }
        assert!(p
            .school_of
            .iter()
            .flatten()
            .all(|&j| (j as usize) < capacity.len()));
        let mm: u64 = p
            .school_of
            .iter()
            .enumerate()
            .filter_map(|(i, j)| j.map(|j| millimetres(cost(i, j as usize)) as u64))
            .sum();
        assert_eq!(p.total_cost_mm, mm);
        assert_eq!(p.total_cost_mm, min_mm);
        let greedy = greedy_nearest(n, capacity, cost);
        assert_eq!(greedy.n_placed(), p.n_placed());
        assert!(p.total_cost_mm <= greedy.total_cost_mm);
    }

    /// The worked example of the docs: greedy 12 km, optimum 5 km (pupil 0 to school 1,
    /// pupils 1 and 2 to school 0: 2 + 1 + 2).
    #[test]
    fn greedy_is_worse_than_optimal() {
        let km = [[1.0, 2.0], [1.0, 10.0], [2.0, 10.0]];
        let cost = |i: usize, j: usize| 1000.0 * km[i][j];
        let p = min_cost_placement(3, &[2, 1], cost, &OverflowParams::default());
        check(3, &[2, 1], &cost, &p, 5_000_000);
        assert_eq!(p.school_of, vec![Some(1), Some(0), Some(0)]);
        assert_eq!(p.total_cost, 5000.0);
        let g = greedy_nearest(3, &[2, 1], cost);
        assert_eq!(g.school_of, vec![Some(0), Some(0), Some(1)]);
        assert_eq!(g.total_cost, 12_000.0);
    }

    /// More pupils than seats: the two nearest of three pupils to the one school get the
    /// seats (1 + 3 = 4 m), not the first two (5 + 1 = 6 m, greedy).
    #[test]
    fn overloaded_keeps_the_nearest() {
        let m = [5.0, 1.0, 3.0];
        let cost = |i: usize, _: usize| m[i];
        let p = min_cost_placement(3, &[2], cost, &OverflowParams::default());
        check(3, &[2], &cost, &p, 4000);
        assert_eq!(p.school_of, vec![None, Some(0), Some(0)]);
        assert_eq!(greedy_nearest(3, &[2], cost).total_cost, 6.0);
    }

    /// A chain of moves: schools 0 and 1 have one seat, school 2 two; pupils 2 and 3 both
    /// want school 0, so the later arrivals push earlier ones along 0 → 1 → 2. Costs (m):
    /// p0 [0, 1, 5], p1 [1, 0, 2], p2 [0, 3, 9], p3 [0, 9, 9]. Optimum by hand: p3 → 0 (0),
    /// p2 → 1 (3), p1 → 2 (2), p0 → 2 (5), 10 m; the next best, p3 → 0, p0 → 1, p1 and p2
    /// → 2, is 12 m.
    #[test]
    fn augmenting_chain() {
        let c = [
            [0.0, 1.0, 5.0],
            [1.0, 0.0, 2.0],
            [0.0, 3.0, 9.0],
            [0.0, 9.0, 9.0],
        ];
        let cost = |i: usize, j: usize| c[i][j];
        let p = min_cost_placement(
            4,
            &[1, 1, 2],
            cost,
            &OverflowParams::default().candidates(1),
        );
        check(4, &[1, 1, 2], &cost, &p, 10_000);
    }

    #[test]
    fn empty_and_seatless() {
        let p = min_cost_placement(0, &[3, 1], |_, _| 1.0, &OverflowParams::default());
        assert!(p.school_of.is_empty());
        let p = min_cost_placement(4, &[], |_, _| 1.0, &OverflowParams::default());
        assert_eq!(p.school_of, vec![None; 4]);
        let p = min_cost_placement(2, &[0, 0], |_, _| 1.0, &OverflowParams::default());
        assert_eq!(p.school_of, vec![None; 2]);
        assert_eq!((p.total_cost, p.total_cost_mm), (0.0, 0));
    }

    /// Negative costs count as 0, NaN and huge costs as the maximum; nothing panics.
    #[test]
    fn odd_costs_are_clamped() {
        let c = [[-5.0, f64::NAN], [f64::INFINITY, 2.0]];
        let cost = |i: usize, j: usize| c[i][j];
        let p = min_cost_placement(2, &[1, 1], cost, &OverflowParams::default());
        assert_eq!(p.school_of, vec![Some(0), Some(1)]);
        assert_eq!(p.total_cost_mm, 2000);
        assert_eq!(millimetres(1e300), MAX_COST_MM);
        assert_eq!(millimetres(-0.0), 0);
        assert_eq!(millimetres(0.0004), 0);
        assert_eq!(millimetres(0.0006), 1);
    }

    /// Brute force: the most pupils placeable, and the least total (mm) among placements
    /// of that many.
    fn brute_force(costs: &[Vec<i64>], capacity: &[u32]) -> (usize, i64) {
        fn go(
            i: usize,
            costs: &[Vec<i64>],
            left: &mut [u32],
            placed: usize,
            total: i64,
            best: &mut (usize, i64),
        ) {
            if i == costs.len() {
                if placed > best.0 || (placed == best.0 && total < best.1) {
                    *best = (placed, total);
                }
                return;
            }
            go(i + 1, costs, left, placed, total, best);
            for j in 0..left.len() {
                if left[j] > 0 {
                    left[j] -= 1;
                    go(i + 1, costs, left, placed + 1, total + costs[i][j], best);
                    left[j] += 1;
                }
            }
        }
        let mut best = (0, 0);
        go(0, costs, &mut capacity.to_vec(), 0, 0, &mut best);
        best
    }

    /// An exact dense solver, the test oracle: successive shortest paths over every pair,
    /// pupils in reverse order, full (untruncated) O(m²) Dijkstra on the school graph whose
    /// edge weights are recomputed from all pupils at a school whenever it changes. Returns
    /// (placed, total mm).
    fn dense_ssp(costs: &[Vec<i64>], capacity: &[u32]) -> (usize, i64) {
        let n = costs.len();
        let m = capacity.len();
        let seats: usize = capacity.iter().map(|&c| c as usize).sum();
        let mut cap: Vec<usize> = capacity.iter().map(|&c| c as usize).collect();
        if n > seats {
            cap.push(n - seats);
        }
        let ms = cap.len();
        let c = |i: usize, j: usize| if j < m { costs[i][j] } else { 0 };
        let mut at = vec![usize::MAX; n];
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); ms];
        let mut pi = vec![0i64; ms];
        // w[j][k]: cheapest (c(i,k) - c(i,j), i) over pupils i at j.
        let mut w = vec![vec![(i64::MAX, usize::MAX); ms]; ms];
        let recompute = |j: usize, members: &[Vec<usize>], w: &mut [Vec<(i64, usize)>]| {
            for (k, best) in w[j].iter_mut().enumerate() {
                *best = (i64::MAX, usize::MAX);
                if k == j {
                    continue;
                }
                for &i in &members[j] {
                    let key = c(i, k) - c(i, j);
                    if key < best.0 {
                        *best = (key, i);
                    }
                }
            }
        };
        for i in (0..n).rev() {
            let mut dist: Vec<i64> = (0..ms).map(|j| c(i, j) - pi[j]).collect();
            let lo = dist.iter().copied().min().unwrap_or(0);
            dist.iter_mut().for_each(|d| *d -= lo);
            let mut pred = vec![(usize::MAX, i); ms];
            let mut done = vec![false; ms];
            for _ in 0..ms {
                let Some(v) = (0..ms).filter(|&v| !done[v]).min_by_key(|&v| (dist[v], v)) else {
                    break;
                };
                done[v] = true;
                for k in 0..ms {
                    if !done[k] && w[v][k].0 != i64::MAX {
                        let red = w[v][k].0 + pi[v] - pi[k];
                        assert!(red >= 0);
                        if dist[v] + red < dist[k] {
                            dist[k] = dist[v] + red;
                            pred[k] = (v, w[v][k].1);
                        }
                    }
                }
            }
            // Actual cost of ending at free school j: dist[j] + pi[j] (+ a constant).
            let end = (0..ms)
                .filter(|&j| members[j].len() < cap[j])
                .min_by_key(|&j| (dist[j] + pi[j], j))
                .expect("a free seat");
            for (p, d) in pi.iter_mut().zip(&dist) {
                *p += d;
            }
            let mut node = end;
            let mut changed = vec![end];
            loop {
                let (from, pupil) = pred[node];
                if at[pupil] != usize::MAX {
                    members[at[pupil]].retain(|&x| x != pupil);
                }
                at[pupil] = node;
                members[node].push(pupil);
                if from == usize::MAX {
                    break;
                }
                changed.push(from);
                node = from;
            }
            for j in changed {
                recompute(j, &members, &mut w);
            }
        }
        let placed = (0..n).filter(|&i| at[i] < m).count();
        let total = (0..n).filter(|&i| at[i] < m).map(|i| c(i, at[i])).sum();
        (placed, total)
    }

    #[test]
    fn dense_oracle_agrees_with_brute_force() {
        let c = vec![vec![1, 2], vec![1, 10], vec![2, 10]];
        assert_eq!(dense_ssp(&c, &[2, 1]), (3, 5));
        assert_eq!(brute_force(&c, &[2, 1]), (3, 5));
        assert_eq!(dense_ssp(&c, &[1, 0]), (1, 1));
    }

    fn mm_matrix(n: usize, m: usize, cost: impl Fn(usize, usize) -> f64) -> Vec<Vec<i64>> {
        (0..n)
            .map(|i| (0..m).map(|j| millimetres(cost(i, j))).collect())
            .collect()
    }

    /// 3,000 pupils × 200 schools on a 20 km square, Euclidean costs: equal to the dense
    /// oracle's optimum, with seats both short of and beyond the number of pupils, and the
    /// same result on one thread as on several.
    #[test]
    fn planar_matches_dense_oracle() {
        for (seed, max_cap) in [(1u64, 24u32), (2, 36)] {
            let city = Planar::new(seed, 3000, 200, max_cap, 20_000.0);
            let cost = |i: usize, j: usize| city.cost(i, j);
            let costs = mm_matrix(3000, 200, cost);
            let (placed, total) = dense_ssp(&costs, &city.capacity);
            let params = OverflowParams::default();
            let p = min_cost_placement(3000, &city.capacity, cost, &params);
            assert_eq!(p.n_placed(), placed);
            check(3000, &city.capacity, &cost, &p, total as u64);
            let one = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .expect("thread pool");
            let p1 = one.install(|| min_cost_placement(3000, &city.capacity, cost, &params));
            assert_eq!(p1, p);
        }
    }

    /// Few candidates and a crowded corner force fallback columns and several rounds of the
    /// all-pairs check; the optimum is unchanged.
    #[test]
    fn crowded_corner_needs_columns() {
        let mut city = Planar::new(7, 600, 60, 12, 10_000.0);
        for (i, p) in city.pupils.iter_mut().enumerate() {
            if i % 3 != 0 {
                *p = (p.0 / 10.0, p.1 / 10.0);
            }
        }
        let cost = |i: usize, j: usize| city.cost(i, j);
        let costs = mm_matrix(600, 60, cost);
        let (_, total) = dense_ssp(&costs, &city.capacity);
        for k in [0, 1, 3, 16] {
            let p = min_cost_placement(
                600,
                &city.capacity,
                cost,
                &OverflowParams::default().candidates(k),
            );
            check(600, &city.capacity, &cost, &p, total as u64);
            if k <= 3 {
                assert!(p.stats.columns_added > 0);
            }
        }
    }

    /// A tiny instance as plain data, so proptest can shrink it.
    #[derive(Clone, Debug)]
    struct Tiny {
        capacity: Vec<u32>,
        /// Half-metres, so ties and non-integer metres both occur.
        costs: Vec<Vec<u32>>,
        candidates: usize,
    }

    fn arb_tiny() -> impl Strategy<Value = Tiny> {
        (0usize..=7, 0usize..=4, 0usize..=4).prop_flat_map(|(n, m, candidates)| {
            (
                prop::collection::vec(0u32..=3, m),
                prop::collection::vec(prop::collection::vec(0u32..=12, m), n),
            )
                .prop_map(move |(capacity, costs)| Tiny {
                    capacity,
                    costs,
                    candidates,
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Places min(n, Σ capacity) pupils at the brute-force minimum total, within
        /// capacity, no worse than greedy, with the dense oracle agreeing, and the same input
        /// gives the same output.
        #[test]
        fn optimal_on_tiny_instances(t in arb_tiny()) {
            let n = t.costs.len();
            let cost = |i: usize, j: usize| f64::from(t.costs[i][j]) / 2.0;
            let params = OverflowParams::default().candidates(t.candidates).columns_per_round(1);
            let p = min_cost_placement(n, &t.capacity, cost, &params);
            let costs = mm_matrix(n, t.capacity.len(), cost);
            let (placed, total) = brute_force(&costs, &t.capacity);
            prop_assert_eq!(p.n_placed(), placed);
            check(n, &t.capacity, &cost, &p, total as u64);
            prop_assert_eq!(dense_ssp(&costs, &t.capacity), (placed, total));
            prop_assert_eq!(&p, &min_cost_placement(n, &t.capacity, cost, &params));
            let again = min_cost_placement(n, &t.capacity, cost, &OverflowParams::default());
            prop_assert_eq!(again.total_cost_mm, p.total_cost_mm);
        }
    }
}
