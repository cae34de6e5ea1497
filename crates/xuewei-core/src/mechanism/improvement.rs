//! Stable improvement cycles (Erdil & Ergin 2008).

use crate::assignment::{Assignment, Stats};
use crate::ids::{SchoolId, NONE};
use crate::instance::Instance;
use crate::lottery::{Lottery, Rank};

/// Stable improvement cycles: makes a stable matching Pareto-better for pupils while keeping
/// it stable under the original, tied priorities.
///
/// Breaking ties with a lottery costs efficiency: deferred acceptance is stable for the
/// tie-broken priorities, but pupils tied at two schools may be stuck where they would gladly
/// swap. Repeatedly, for every school `s` let `D_s` be the pupils who prefer `s` to their
/// placement (unplaced pupils included). A placed pupil `i` at school `t` *points* to `s` when
/// `s` is full, `i ∈ D_s` and `i`'s tier at `s` is the best tier in `D_s`; this gives an edge
/// `t → s` of a graph on schools, labelled by the pupil ranked best at `s` by the lottery
/// among those eligible. A cycle of such edges is a stable improvement cycle: moving every
/// pupil along it makes them better off, keeps every school's size, and admits each into a
/// school where nobody who wants it has a strictly better tier, so no pair blocks under the
/// tied priorities. Each pass builds the graph once and walks it depth first, carrying out
/// every cycle as it closes and dropping the edges of pupils who moved — the edges left stay
/// valid because `D_s` only shrinks as pupils improve — until the graph holds no cycle; then
/// the next pass rebuilds the graph, until a pass finds none.
///
/// Schools with reserves (指标到校) take no part: no pupil leaves or enters them, so their
/// pupils stay a set their slot rule picks and they stay stable under it. Pupils placed there,
/// and unplaced pupils, still count in `D_s`, which keeps the other schools stable.
///
/// Every pupil weakly improves; the result is stable under the tied priorities
/// ([`verify::weak_blocking_pairs`](crate::verify::weak_blocking_pairs) stays empty when it
/// was empty for the input), and when the input is a stable matching no stable matching
/// Pareto-dominates the result (Erdil & Ergin 2008, Theorem 1).
///
/// Reference: A. Erdil and H. Ergin, "What's the matter with tie-breaking? Improving
/// efficiency in school choice", *American Economic Review* 98(3) (2008), 669–689.
///
/// Returns the improved assignment with [`Stats::improvement_cycles`] and
/// [`Stats::students_improved`] set for this run (pupils whose school changed; they all
/// improved); the other statistics are those of `assignment`.
///
/// Complexity: O(n·L + E log E + m) per pass for E ≤ n·L pointing pairs (the walk is O(E + m));
/// every pass but the last moves at least two pupils up their lists, so there are at most
/// n·L passes, in practice a handful.
///
/// ```
/// use xuewei_core::{
///     deferred_acceptance, stable_improvement_cycles, verify, InstanceBuilder, Lottery,
/// };
/// let mut b = InstanceBuilder::new();
/// let (x, y, z) = (b.add_school("X", 1), b.add_school("Y", 1), b.add_school("Z", 1));
/// let a = b.add_student("a", [y, x, z]);
/// let c = b.add_student("c", [z, y, x]);
/// let d = b.add_student("d", [y, z, x]);
/// // Each school puts one pupil first and ties the other two.
/// b.push_tier(x, [a]);
/// b.push_tier(y, [c]);
/// b.push_tier(z, [d]);
/// let instance = b.build()?;
/// let lottery = Lottery::from_order(&instance, &[a, c, d]);
/// let da = deferred_acceptance(&instance, &lottery);
/// assert_eq!(da.school_of(c), Some(y));
/// assert_eq!(da.school_of(d), Some(z));
/// // c and d both prefer the other's school, and d is tied with a at Y: they swap.
/// let improved = stable_improvement_cycles(&instance, &lottery, da);
/// assert_eq!(improved.school_of(a), Some(x));
/// assert_eq!(improved.school_of(c), Some(z));
/// assert_eq!(improved.school_of(d), Some(y));
/// assert_eq!(improved.stats().improvement_cycles, 1);
/// assert!(verify::weak_blocking_pairs(&instance, &lottery, &improved).is_empty());
/// # Ok::<(), xuewei_core::ValidationErrors>(())
/// ```
pub fn stable_improvement_cycles(
    instance: &Instance,
    lottery: &Lottery,
    assignment: Assignment,
) -> Assignment {
    let n = instance.n_students();
    let m = instance.n_schools();
    let Assignment {
        mut school_of,
        stats,
    } = assignment;
    let input = school_of.clone();
    let frozen: Vec<bool> = instance
        .schools()
        .map(|s| instance.reserves(s).is_some())
        .collect();
    let count = {
        let mut count = vec![0u32; m];
        for &s in &school_of {
            if s != NONE {
                count[s as usize] += 1;
            }
        }
        count
    };
    let full: Vec<bool> = (0..m).map(|s| count[s] >= instance.capacity[s]).collect();

    let mut position = vec![0u32; n];
    let mut best_tier = vec![NONE; m];
    // Pointing pairs (from school, to school, rank at `to`, pupil), sorted: every school's
    // out-edges are one run, and the pupils pointing to one school are in lottery order.
    let mut edges: Vec<(u32, u32, Rank, u32)> = Vec::new();
    let mut edge_end = vec![0u32; m];
    let mut next_edge = vec![0u32; m];
    let mut dead = vec![false; m];
    let mut path: Vec<u32> = Vec::new();
    let mut path_pos = vec![NONE; m];
    let mut moved = vec![false; n];
    let mut cycles = 0u64;
    loop {
        // D_s and its best tier.
        best_tier.fill(NONE);
        for st in instance.students() {
            let s = school_of[st.index()];
            let prefs = instance.preferences(st);
            let pos = if s == NONE {
                prefs.len()
            } else {
                instance.rank_of(st, SchoolId(s)).unwrap_or(prefs.len())
            };
            position[st.index()] = pos as u32;
            for (&want, &tier) in prefs[..pos].iter().zip(instance.preference_tiers(st)) {
                let b = &mut best_tier[want.index()];
                *b = (*b).min(tier);
            }
        }

        // Pointing pairs: a pupil at t who may take a seat of the full school s.
        edges.clear();
        for st in instance.students() {
            let t = school_of[st.index()];
            if t == NONE || frozen[t as usize] {
                continue;
            }
            let pos = position[st.index()] as usize;
            let prefs = &instance.preferences(st)[..pos];
            for (&s, &tier) in prefs.iter().zip(instance.preference_tiers(st)) {
                let si = s.index();
                if !frozen[si] && full[si] && tier == best_tier[si] {
                    edges.push((t, s.0, lottery.rank(tier, st, s), st.0));
                }
            }
        }
        edges.sort_unstable();
        next_edge.fill(0);
        edge_end.fill(0);
        for (i, e) in edges.iter().enumerate() {
            let t = e.0 as usize;
            if edge_end[t] == 0 {
                next_edge[t] = i as u32;
            }
            edge_end[t] = i as u32 + 1;
        }
        dead.fill(false);
        moved.fill(false);

        // Depth-first walk: every school follows its first live edge (to a school not known
        // to be dead, labelled by a pupil who has not moved in this pass — the best-ranked
        // such pupil for that target). A cycle closing on the path is carried out at once;
        // a school with no live edge left is dead for the pass. Edges only die during a pass
        // (a pupil who has not moved still desires the same schools, and the best tier of a
        // school's desirers can only rise to theirs), so every live edge is a valid pointing
        // pair of the current matching.
        let before = cycles;
        for start in 0..m {
            if edge_end[start] == 0 || dead[start] {
                continue;
            }
            path_pos[start] = 0;
            path.push(start as u32);
            while let Some(&top) = path.last() {
                let t = top as usize;
                let mut k = next_edge[t];
                while k < edge_end[t] {
                    let e = edges[k as usize];
                    if !moved[e.3 as usize] && !dead[e.1 as usize] {
                        break;
                    }
                    k += 1;
                }
                next_edge[t] = k;
                if k == edge_end[t] {
                    dead[t] = true;
                    path.pop();
                    path_pos[t] = NONE;
                    continue;
                }
                let s = edges[k as usize].1 as usize;
                if path_pos[s] == NONE {
                    path_pos[s] = path.len() as u32;
                    path.push(s as u32);
                    continue;
                }
                let c = path_pos[s] as usize;
                for &u in &path[c..] {
                    let e = edges[next_edge[u as usize] as usize];
                    school_of[e.3 as usize] = e.1;
                    moved[e.3 as usize] = true;
                    path_pos[u as usize] = NONE;
                }
                path.truncate(c);
                cycles += 1;
            }
        }
        if cycles == before {
            break;
        }
    }

    let students_improved = school_of.iter().zip(&input).filter(|(a, b)| a != b).count() as u64;
    Assignment::from_raw(
        school_of,
        Stats {
            improvement_cycles: cycles,
            students_improved,
            ..stats
        },
    )
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::mechanism::school_proposing::testkit::{arb_spec, choice_of};
    use crate::{
        deferred_acceptance, verify, InstanceBuilder, ReserveOrder, StudentId, UnfilledReserves,
    };

    /// Illustrates the point of Erdil & Ergin (2008), "What's the matter with tie-breaking?",
    /// AER 98(3): deferred acceptance after tie-breaking can be Pareto-dominated by another
    /// stable matching, and one stable improvement cycle reaches it. The instance is the
    /// constructed one of /work/notes/literature.md §3 (not the paper's own example): s1
    /// ranks i1 > {i2, i3}, s2 ranks i2 > {i1, i3}, s3 ranks i3 > {i1, i2}; lists i1: s2 s1
    /// s3, i2: s3 s2 s1, i3: s2 s3 s1; single draw i1, i2, i3. DA gives i1 s1, i2 s2, i3 s3
    /// (checked by hand); i2 and i3 swap (i3 is a top-tier desirer of s2, tied with i1).
    #[test]
    fn one_cycle_removes_the_cost_of_tie_breaking() {
        let mut b = InstanceBuilder::new();
        let s: Vec<_> = (1..=3).map(|k| b.add_school(format!("s{k}"), 1)).collect();
        let i1 = b.add_student("i1", [s[1], s[0], s[2]]);
        let i2 = b.add_student("i2", [s[2], s[1], s[0]]);
        let i3 = b.add_student("i3", [s[1], s[2], s[0]]);
        b.push_tier(s[0], [i1]);
        b.push_tier(s[1], [i2]);
        b.push_tier(s[2], [i3]);
        b.set_lottery(vec![i1, i2, i3]);
        let instance = b.build().expect("valid");
        let lottery = Lottery::draw(&instance, &crate::LotteryParams::default());
        let da = deferred_acceptance(&instance, &lottery);
        assert_eq!(
            [i1, i2, i3].map(|st| da.school_of(st)),
            [Some(s[0]), Some(s[1]), Some(s[2])]
        );
        let proposals = da.stats().proposals;
        let better = stable_improvement_cycles(&instance, &lottery, da);
        assert_eq!(
            [i1, i2, i3].map(|st| better.school_of(st)),
            [Some(s[0]), Some(s[2]), Some(s[1])]
        );
        assert_eq!(better.stats().improvement_cycles, 1);
        assert_eq!(better.stats().students_improved, 2);
        assert_eq!(better.stats().proposals, proposals);
        assert!(verify::weak_blocking_pairs(&instance, &lottery, &better).is_empty());
    }

    /// Unplaced pupils count among a school's desirers. i1 at s1 and i2 at s2 would like
    /// to swap, but the unplaced i3, tied with i1 at the top of s1, desires s1 with a better
    /// tier than i2: after the swap i3 would block with s1 (held by i2). Nothing moves.
    #[test]
    fn unplaced_pupils_count_among_the_desirers() {
        let mut b = InstanceBuilder::new();
        let s1 = b.add_school("s1", 1);
        let s2 = b.add_school("s2", 1);
        let i1 = b.add_student("i1", [s2, s1]);
        let i2 = b.add_student("i2", [s1, s2]);
        let i3 = b.add_student("i3", [s1]);
        b.push_tier(s1, [i1, i3]);
        b.push_tier(s2, [i2]);
        let instance = b.build().expect("valid");
        let lottery = Lottery::from_order(&instance, &[i1, i3, i2]);
        let a = Assignment::from_schools([Some(s1), Some(s2), None]);
        assert!(verify::weak_blocking_pairs(&instance, &lottery, &a).is_empty());
        let out = stable_improvement_cycles(&instance, &lottery, a.clone());
        assert_eq!(out.school_of(i1), Some(s1));
        assert_eq!(out.school_of(i2), Some(s2));
        assert_eq!(out.stats().improvement_cycles, 0);
        // Without i3 on s1's list the swap happens.
        let mut b = InstanceBuilder::new();
        let s1 = b.add_school("s1", 1);
        let s2 = b.add_school("s2", 1);
        let i1 = b.add_student("i1", [s2, s1]);
        let i2 = b.add_student("i2", [s1, s2]);
        let i3 = b.add_student("i3", []);
        b.push_tier(s1, [i1, i3]);
        b.push_tier(s2, [i2]);
        let instance = b.build().expect("valid");
        let lottery = Lottery::from_order(&instance, &[i1, i3, i2]);
        let out = stable_improvement_cycles(&instance, &lottery, a);
        assert_eq!(out.school_of(i1), Some(s2));
        assert_eq!(out.school_of(i2), Some(s1));
    }

    /// Schools with reserves take no part: the swap of the first example does not happen when
    /// s3 has reserved seats.
    #[test]
    fn schools_with_reserves_are_left_alone() {
        let mut b = InstanceBuilder::new();
        let s: Vec<_> = (1..=3).map(|k| b.add_school(format!("s{k}"), 1)).collect();
        let i1 = b.add_student("i1", [s[1], s[0], s[2]]);
        let i2 = b.add_student("i2", [s[2], s[1], s[0]]);
        let i3 = b.add_student("i3", [s[1], s[2], s[0]]);
        b.push_tier(s[0], [i1]);
        b.push_tier(s[1], [i2]);
        b.push_tier(s[2], [i3]);
        let g = b.group("g");
        b.add_reserve(s[2], g, 0);
        b.set_reserve_policy(s[2], ReserveOrder::ReservedFirst, UnfilledReserves::Open);
        let instance = b.build().expect("valid");
        let lottery = Lottery::from_order(&instance, &[i1, i2, i3]);
        let da = deferred_acceptance(&instance, &lottery);
        let out = stable_improvement_cycles(&instance, &lottery, da.clone());
        assert_eq!(out, da);
    }

    /// Whether a weakly stable assignment (no reserves) Pareto-dominates `a`.
    fn dominated_by_stable(instance: &Instance, lottery: &Lottery, a: &Assignment) -> bool {
        fn go(
            instance: &Instance,
            lottery: &Lottery,
            base: &[usize],
            pick: &mut Vec<Option<SchoolId>>,
            left: &mut [u32],
            strict: bool,
        ) -> bool {
            let i = pick.len();
            if i == base.len() {
                let candidate = Assignment::from_schools(pick.iter().copied());
                return strict
                    && verify::weak_blocking_pairs(instance, lottery, &candidate).is_empty();
            }
            let prefs = instance.preferences(StudentId::from_index(i));
            for pos in 0..=base[i].min(prefs.len()) {
                let school = prefs.get(pos).copied();
                if let Some(s) = school {
                    if left[s.index()] == 0 {
                        continue;
                    }
                    left[s.index()] -= 1;
                }
                pick.push(school);
                let found = go(instance, lottery, base, pick, left, strict || pos < base[i]);
                pick.pop();
                if let Some(s) = school {
                    left[s.index()] += 1;
                }
                if found {
                    return true;
                }
            }
            false
        }
        let base: Vec<usize> = instance
            .students()
            .map(|st| choice_of(instance, a, st))
            .collect();
        let mut left: Vec<u32> = instance.schools().map(|s| instance.capacity(s)).collect();
        go(instance, lottery, &base, &mut Vec::new(), &mut left, false)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// After DA, stable improvement cycles keep the matching feasible and stable under the
        /// tied priorities, every pupil weakly improves, the statistics count the movers, and
        /// the same draw gives the same result.
        #[test]
        fn stable_and_weakly_better(spec in arb_spec(true)) {
            let (instance, lottery) = spec.build();
            let da = deferred_acceptance(&instance, &lottery);
            let out = stable_improvement_cycles(&instance, &lottery, da.clone());
            prop_assert_eq!(verify::over_capacity(&instance, &out), vec![]);
            prop_assert_eq!(verify::unlisted_placements(&instance, &out), vec![]);
            prop_assert_eq!(verify::weak_blocking_pairs(&instance, &lottery, &out), vec![]);
            let mut moved = 0;
            for st in instance.students() {
                prop_assert!(choice_of(&instance, &out, st) <= choice_of(&instance, &da, st));
                moved += u64::from(out.school_of(st) != da.school_of(st));
            }
            prop_assert_eq!(out.stats().students_improved, moved);
            prop_assert_eq!(out.stats().proposals, da.stats().proposals);
            prop_assert!(moved >= 2 * u64::from(out.stats().improvement_cycles > 0));
            prop_assert_eq!(out.clone(), stable_improvement_cycles(&instance, &lottery, da));
            let again = stable_improvement_cycles(&instance, &lottery, out);
            prop_assert_eq!(again.stats().improvement_cycles, 0);
        }

        /// Without reserves the result is constrained efficient: no matching that is stable
        /// under the tied priorities Pareto-dominates it (Erdil & Ergin 2008, Theorem 1),
        /// checked by brute force.
        #[test]
        fn no_stable_matching_dominates(spec in arb_spec(false)) {
            let (instance, lottery) = spec.build();
            let da = deferred_acceptance(&instance, &lottery);
            let out = stable_improvement_cycles(&instance, &lottery, da);
            prop_assert!(!dominated_by_stable(&instance, &lottery, &out));
        }
    }
}
