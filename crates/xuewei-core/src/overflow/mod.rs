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

mod candidates;
mod column_generation;
mod greedy;
mod school_graph;
mod search;
mod successive_shortest_paths;

pub use greedy::greedy_nearest;

use successive_shortest_paths::Solver;

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

/// No school / pupil / predecessor.
const NONE: u32 = u32::MAX;
/// Unreached.
const INF: i64 = i64::MAX;
/// Cost of the dummy school "unplaced": the same for every pupil, so any value gives the
/// same optimum; the largest cost makes it the last resort, so that augmenting paths end
/// there rather than pass through it.
const DUMMY_COST: i64 = MAX_COST_MM;

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
