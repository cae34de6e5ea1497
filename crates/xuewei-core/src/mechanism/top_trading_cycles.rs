//! Top trading cycles.

use crate::assignment::{Assignment, Stats};
use crate::ids::{SchoolId, StudentId, NONE};
use crate::instance::Instance;
use crate::lottery::{Lottery, Rank, TieBreak};
use crate::mechanism::reserve_slots::{self, Block};

/// Top trading cycles: pupils trade the priorities schools give them.
///
/// Every remaining pupil points to the best school on their list that still has a seat for
/// them (a pupil with none left leaves unplaced); every school with seats points to its
/// highest-priority remaining pupil among *all* pupils — whether or not that pupil lists it —
/// by the strict order tier, then lottery number, then pupil index. Every cycle is cleared:
/// each pupil in it gets the school they point to, and the school loses a seat. Repeat until
/// no pupil remains. The cycles can be cleared in any order with the same result.
///
/// Top trading cycles is Pareto efficient and strategy-proof for pupils, but not stable: a
/// pupil may lose a school to one of lower priority who traded for it.
///
/// Schools with reserves (指标到校) point through their seat blocks in precedence order: the
/// first block with seats left chooses, a reserved block its group's best remaining member
/// (or, when none is left and unfilled reserves revert, the best remaining pupil), the open
/// block the best remaining pupil; a reserved block that may not revert and has no member
/// left is skipped. A block's free seats are those the slot choice rule leaves after choosing
/// the pupils the school has taken so far, and a pupil points to such a school only if the
/// rule would admit them with those pupils, so every school's final pupils are a set its
/// rule admits in full. (If only such skipped blocks have seats the school points to its
/// best remaining pupil, which keeps every pointed-at school pointing.)
///
/// Reference: A. Abdulkadiroğlu and T. Sönmez, "School choice: a mechanism design
/// approach", *American Economic Review* 93(3) (2003), 729–747.
///
/// [`Stats::rounds`] is the number of cycles cleared (not of steps: the cycles are found by
/// a depth-first walk, not in synchronous steps); [`Stats::proposals`] is 0.
///
/// Complexity: O(n·L + Σ_s k_s log k_s) for k_s pupils named by school s's priority, plus
/// O((n + m) α(n)) for the walk: every school keeps a pointer into a strict order of pupils
/// that only moves forward; under single tie-breaking the unnamed pupils share the global
/// draw, skipped over with a union–find of the pupils already gone. Under multiple
/// tie-breaking a school draws the numbers of its remaining unnamed pupils and sorts them,
/// O(n log n), when its pointer first reaches them: O(m·n log n) in the worst case, and the
/// lottery draws dominate (about a minute for 400 000 pupils and 4 000 schools). Schools with reserves apply their slot rule, O(c·b) for c seats and b
/// blocks, each time a pupil points to them.
///
/// ```
/// use xuewei_core::{top_trading_cycles, InstanceBuilder, Lottery, LotteryParams};
/// let mut b = InstanceBuilder::new();
/// let (x, y) = (b.add_school("X", 1), b.add_school("Y", 1));
/// let a = b.add_student("a", [x, y]);
/// let c = b.add_student("c", [y, x]);
/// // a has priority at Y, c at X: they trade.
/// b.push_tier(x, [c]);
/// b.push_tier(y, [a]);
/// let instance = b.build()?;
/// let lottery = Lottery::draw(&instance, &LotteryParams::default());
/// let result = top_trading_cycles(&instance, &lottery);
/// assert_eq!(result.school_of(a), Some(x));
/// assert_eq!(result.school_of(c), Some(y));
/// assert_eq!(result.stats().rounds, Some(1));
/// # Ok::<(), xuewei_core::ValidationErrors>(())
/// ```
pub fn top_trading_cycles(instance: &Instance, lottery: &Lottery) -> Assignment {
    let mut ttc = Ttc::new(instance, lottery);
    let cycles = ttc.run();
    Assignment::from_raw(
        ttc.school_of,
        Stats {
            rounds: Some(u32::try_from(cycles).unwrap_or(u32::MAX)),
            ..Stats::default()
        },
    )
}

/// A pointer into a school's strict order of pupils, optionally restricted to one group.
#[derive(Clone, Copy, Debug)]
struct Stream {
    /// The group followed, `NONE` for everyone.
    group: u32,
    /// Next index into the school's named pupils.
    named: u32,
    /// Next index into the unnamed order (global draw, group order or the arena).
    unnamed: u32,
    /// End of the unnamed order.
    unnamed_end: u32,
    /// Under multiple tie-breaking: whether the unnamed order is in the arena yet.
    materialised: bool,
}

/// A school with reserves.
struct Reserved {
    /// Its blocks with all seats free.
    full: Vec<Block>,
    /// Its blocks with the seats the slot rule leaves after choosing `held`.
    left: Vec<Block>,
    /// The pupils it has taken, (rank, group), best first.
    held: Vec<(Rank, u32)>,
}

struct Ttc<'a> {
    instance: &'a Instance,
    lottery: &'a Lottery,
    single: bool,
    removed: Vec<bool>,
    school_of: Vec<u32>,
    /// Each pupil's current preference entry.
    cursor: Vec<u32>,
    /// Pupils taken by each school.
    count: Vec<u32>,
    /// Named pupils of every school sorted by rank (CSR).
    named_off: Vec<u32>,
    named: Vec<StudentId>,
    /// Streams of every school: the general one, then one per block (CSR).
    stream_off: Vec<u32>,
    streams: Vec<Stream>,
    reserved_of: Vec<u32>,
    reserved: Vec<Reserved>,
    /// Single tie-breaking: the draw, and for each position the next position whose pupil
    /// may remain (union–find with path halving; `n` is the end).
    order: Vec<StudentId>,
    next_alive: Vec<u32>,
    /// Pupils of every group, in draw order under single tie-breaking (CSR).
    group_off: Vec<u32>,
    group_order: Vec<StudentId>,
    /// Multiple tie-breaking: the materialised unnamed orders.
    arena: Vec<StudentId>,
    merged: Vec<(Rank, u32)>,
    slot_of: Vec<u32>,
    keyed: Vec<Rank>,
}

impl<'a> Ttc<'a> {
    fn new(instance: &'a Instance, lottery: &'a Lottery) -> Self {
        let n = instance.n_students();
        let m = instance.n_schools();
        let single = matches!(lottery.tie_break(), TieBreak::Single);

        let mut named_off = Vec::with_capacity(m + 1);
        named_off.push(0u32);
        let mut named = Vec::new();
        let mut keyed = Vec::new();
        for s in instance.schools() {
            keyed.clear();
            keyed.extend(
                instance
                    .named_priority(s)
                    .map(|(st, tier)| lottery.rank(tier, st, s)),
            );
            keyed.sort_unstable();
            named.extend(keyed.iter().map(|r| r.student()));
            named_off.push(named.len() as u32);
        }

        let n_groups = instance.n_groups();
        let order = if single {
            lottery.order()
        } else {
            instance.students().collect()
        };
        let mut group_off = vec![0u32; n_groups + 1];
        for &st in &order {
            let g = reserve_slots::raw_group(instance, st);
            if g != NONE {
                group_off[g as usize + 1] += 1;
            }
        }
        for g in 0..n_groups {
            group_off[g + 1] += group_off[g];
        }
        let mut fill = group_off.clone();
        let mut group_order = vec![StudentId(0); group_off[n_groups] as usize];
        for &st in &order {
            let g = reserve_slots::raw_group(instance, st);
            if g != NONE {
                group_order[fill[g as usize] as usize] = st;
                fill[g as usize] += 1;
            }
        }

        let mut stream_off = Vec::with_capacity(m + 1);
        stream_off.push(0u32);
        let mut streams = Vec::new();
        let mut reserved_of = vec![NONE; m];
        let mut reserved = Vec::new();
        for s in instance.schools() {
            let i = s.index();
            let general = |group: u32| {
                let (unnamed, unnamed_end) = match group {
                    NONE => (0, n as u32),
                    g => (group_off[g as usize], group_off[g as usize + 1]),
                };
                Stream {
                    group,
                    named: named_off[i],
                    unnamed,
                    unnamed_end,
                    materialised: false,
                }
            };
            streams.push(general(NONE));
            if let Some(policy) = instance.reserves(s) {
                let full = reserve_slots::blocks_of(instance.capacity(s), policy);
                streams.extend(full.iter().map(|b| general(b.group)));
                reserved_of[i] = reserved.len() as u32;
                reserved.push(Reserved {
                    left: full.clone(),
                    full,
                    held: Vec::new(),
                });
            }
            stream_off.push(streams.len() as u32);
        }

        Self {
            instance,
            lottery,
            single,
            removed: vec![false; n],
            school_of: vec![NONE; n],
            cursor: instance.pref_offsets[..n].to_vec(),
            count: vec![0; m],
            named_off,
            named,
            stream_off,
            streams,
            reserved_of,
            reserved,
            order,
            next_alive: (0..=n as u32).collect(),
            group_off,
            group_order,
            arena: Vec::new(),
            merged: Vec::new(),
            slot_of: Vec::new(),
            keyed,
        }
    }

    /// Runs the walk; returns the number of cycles cleared.
    fn run(&mut self) -> u64 {
        let n = self.instance.n_students();
        let m = self.instance.n_schools();
        // Nodes: pupils 0..n, schools n..n+m.
        let mut path: Vec<u32> = Vec::new();
        let mut path_pos = vec![NONE; n + m];
        let mut cycles = 0u64;
        for start in 0..n {
            if self.removed[start] {
                continue;
            }
            path_pos[start] = 0;
            path.push(start as u32);
            while let Some(&top) = path.last() {
                let next = if (top as usize) < n {
                    self.pupil_target(top as usize).map(|s| (n + s) as u32)
                } else {
                    self.school_target(top as usize - n).map(|st| st.0)
                };
                match next {
                    None => {
                        path.pop();
                        path_pos[top as usize] = NONE;
                        if (top as usize) < n {
                            self.remove(top as usize);
                        }
                    }
                    Some(x) if path_pos[x as usize] != NONE => {
                        let c = path_pos[x as usize] as usize;
                        self.clear(&path[c..], n);
                        for &node in &path[c..] {
                            path_pos[node as usize] = NONE;
                        }
                        path.truncate(c);
                        cycles += 1;
                    }
                    Some(x) => {
                        path_pos[x as usize] = path.len() as u32;
                        path.push(x);
                    }
                }
            }
        }
        cycles
    }

    /// Gives every pupil of a cycle the school they point to.
    fn clear(&mut self, cycle: &[u32], n: usize) {
        for (i, &node) in cycle.iter().enumerate() {
            let p = node as usize;
            if p >= n {
                continue;
            }
            let s = cycle[(i + 1) % cycle.len()] as usize - n;
            let k = self.cursor[p] as usize;
            debug_assert_eq!(self.instance.pref_schools[k].index(), s);
            self.school_of[p] = s as u32;
            self.count[s] += 1;
            let ri = self.reserved_of[s];
            if ri != NONE {
                let st = StudentId::from_index(p);
                let school = SchoolId::from_index(s);
                let r = self.lottery.rank(self.instance.pref_tier[k], st, school);
                let res = &mut self.reserved[ri as usize];
                let at = res.held.partition_point(|h| h.0 < r);
                res.held
                    .insert(at, (r, reserve_slots::raw_group(self.instance, st)));
                reserve_slots::choose(&res.held, &res.full, &mut self.slot_of);
                res.left.clone_from(&res.full);
                for &b in &self.slot_of {
                    debug_assert_ne!(b, NONE, "a pupil only takes a seat the slot rule admits");
                    if b != NONE {
                        res.left[b as usize].left -= 1;
                    }
                }
            }
            self.remove(p);
        }
    }

    /// Takes a pupil out of the market.
    fn remove(&mut self, p: usize) {
        self.removed[p] = true;
        if self.single {
            let pos = self.lottery.single_number(StudentId::from_index(p)) as usize;
            self.next_alive[pos] = pos as u32 + 1;
        }
    }

    /// The best school on the pupil's list that can still take them.
    fn pupil_target(&mut self, p: usize) -> Option<usize> {
        let end = self.instance.pref_offsets[p + 1];
        while self.cursor[p] < end {
            let k = self.cursor[p] as usize;
            let s = self.instance.pref_schools[k].index();
            if self.admits(s, p, k) {
                return Some(s);
            }
            self.cursor[p] += 1;
        }
        None
    }

    /// Whether school `s` can still take pupil `p` (preference entry `k`). Once false,
    /// false for good: seats only fill, and the slot rule is substitutable.
    fn admits(&mut self, s: usize, p: usize, k: usize) -> bool {
        let ri = self.reserved_of[s];
        if ri == NONE {
            return self.count[s] < self.instance.capacity[s];
        }
        let res = &self.reserved[ri as usize];
        if res.held.len() as u32 >= self.instance.capacity[s] {
            return false;
        }
        let st = StudentId::from_index(p);
        let r = self
            .lottery
            .rank(self.instance.pref_tier[k], st, SchoolId::from_index(s));
        let at = res.held.partition_point(|h| h.0 < r);
        self.merged.clear();
        self.merged.extend_from_slice(&res.held[..at]);
        self.merged
            .push((r, reserve_slots::raw_group(self.instance, st)));
        self.merged.extend_from_slice(&res.held[at..]);
        reserve_slots::choose(&self.merged, &res.full, &mut self.slot_of);
        self.slot_of.iter().all(|&b| b != NONE)
    }

    /// The pupil school `s` points to, if it has seats.
    fn school_target(&mut self, s: usize) -> Option<StudentId> {
        let base = self.stream_off[s] as usize;
        let ri = self.reserved_of[s];
        if ri == NONE {
            if self.count[s] >= self.instance.capacity[s] {
                return None;
            }
            return self.peek(base, s);
        }
        let mut any_left = false;
        for b in 0..self.reserved[ri as usize].left.len() {
            let block = self.reserved[ri as usize].left[b];
            if block.left == 0 {
                continue;
            }
            any_left = true;
            if block.group == NONE {
                return self.peek(base, s);
            }
            if let Some(st) = self.peek(base + 1 + b, s) {
                return Some(st);
            }
            if block.revert {
                return self.peek(base, s);
            }
        }
        if any_left {
            self.peek(base, s)
        } else {
            None
        }
    }

    /// The best remaining pupil of a stream of school `s`.
    fn peek(&mut self, stream: usize, s: usize) -> Option<StudentId> {
        let instance = self.instance;
        let mut st_ = self.streams[stream];
        let g = st_.group;
        let admits = |st: StudentId| g == NONE || reserve_slots::raw_group(instance, st) == g;
        let named_end = self.named_off[s + 1];
        while st_.named < named_end {
            let st = self.named[st_.named as usize];
            if !self.removed[st.index()] && admits(st) {
                self.streams[stream] = st_;
                return Some(st);
            }
            st_.named += 1;
        }
        let found = if self.single && g == NONE {
            let pos = find(&mut self.next_alive, st_.unnamed);
            st_.unnamed = pos;
            (pos < st_.unnamed_end).then(|| self.order[pos as usize])
        } else {
            let list: &[StudentId] = if self.single {
                &self.group_order
            } else {
                if !st_.materialised {
                    self.materialise(&mut st_, s);
                }
                &self.arena
            };
            while st_.unnamed < st_.unnamed_end && self.removed[list[st_.unnamed as usize].index()]
            {
                st_.unnamed += 1;
            }
            (st_.unnamed < st_.unnamed_end).then(|| list[st_.unnamed as usize])
        };
        self.streams[stream] = st_;
        found
    }

    /// Multiple tie-breaking: sorts the stream's remaining pupils (all unnamed now) by their
    /// number at school `s` into the arena.
    fn materialise(&mut self, stream: &mut Stream, s: usize) {
        let school = SchoolId::from_index(s);
        let tier = self.instance.n_tiers(school);
        self.keyed.clear();
        let removed = &self.removed;
        let lottery = self.lottery;
        let rank = |st: StudentId| lottery.rank(tier, st, school);
        if stream.group == NONE {
            self.keyed.extend(
                self.instance
                    .students()
                    .zip(lottery.school_numbers(school))
                    .filter(|(st, _)| !removed[st.index()])
                    .map(|(st, number)| Rank::new(tier, number, st)),
            );
        } else {
            let g = stream.group as usize;
            let members =
                &self.group_order[self.group_off[g] as usize..self.group_off[g + 1] as usize];
            self.keyed.extend(
                members
                    .iter()
                    .copied()
                    .filter(|st| !removed[st.index()])
                    .map(rank),
            );
        }
        self.keyed.sort_unstable();
        stream.unnamed = self.arena.len() as u32;
        self.arena.extend(self.keyed.iter().map(|r| r.student()));
        stream.unnamed_end = self.arena.len() as u32;
        stream.materialised = true;
    }
}

/// The first position at or after `x` whose pupil may remain (path halving).
fn find(next: &mut [u32], mut x: u32) -> u32 {
    while next[x as usize] != x {
        let up = next[next[x as usize] as usize];
        next[x as usize] = up;
        x = up;
    }
    x
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::mechanism::school_proposing::testkit::{arb_spec, choice_of, strict};
    use crate::{verify, InstanceBuilder, LotteryParams, ReserveOrder, UnfilledReserves};

    fn schools(a: &Assignment) -> Vec<Option<SchoolId>> {
        a.iter().map(|(_, s)| s).collect()
    }

    /// Abdulkadiroğlu & Sönmez (2003), "School choice: a mechanism design approach", AER
    /// 93(3), Appendix example (pp. 742–744; instance and outcome as recorded in
    /// /work/notes/literature.md §2): 8 pupils, 4 schools of 2, 2, 3 and 3 seats. Cycles:
    /// (i1 s2 i3 s3 i5 s1) and (i6 s4), then (i2 s1), (i4 s3 i7 s2), (i8 s4).
    #[test]
    fn abdulkadiroglu_sonmez_appendix() {
        let (instance, s, i) = strict(
            &[2, 2, 3, 3],
            &[
                &[0, 1, 2, 3, 4, 5, 6, 7],
                &[2, 4, 3, 7, 6, 1, 0, 5],
                &[4, 2, 0, 6, 1, 7, 5, 3],
                &[5, 7, 6, 3, 1, 2, 4, 0],
            ],
            &[
                &[1, 0, 2, 3],
                &[0, 1, 2, 3],
                &[2, 1, 0, 3],
                &[2, 3, 0, 1],
                &[0, 2, 3, 1],
                &[3, 0, 1, 2],
                &[0, 1, 2, 3],
                &[0, 1, 3, 2],
            ],
        );
        for tie_break in [TieBreak::Single, TieBreak::Multiple] {
            let lottery = Lottery::draw(&instance, &LotteryParams::default().tie_break(tie_break));
            let a = top_trading_cycles(&instance, &lottery);
            let want = [1, 0, 2, 2, 0, 3, 1, 3].map(|k| Some(s[k]));
            assert_eq!(schools(&a), want);
            assert_eq!(a.stats().rounds, Some(5));
            assert_eq!(a.school_of(i[0]), Some(s[1]));
        }
    }

    /// Haeringer & Klijn (2009), "Constrained school choice", JET, §3.4: the published TTC
    /// outcome τ(P) is s1: i3; s2: i1, i4; s3: i2 (/work/notes/literature.md §5).
    #[test]
    fn haeringer_klijn_published_outcome() {
        let (instance, s, _) = strict(
            &[1, 2, 1],
            &[&[0, 1, 2, 3], &[2, 3, 0, 1], &[3, 0, 1, 2]],
            &[&[1, 0, 2], &[0, 1, 2], &[0, 1, 2], &[1, 2, 0]],
        );
        let lottery = Lottery::draw(&instance, &LotteryParams::default());
        let a = top_trading_cycles(&instance, &lottery);
        assert_eq!(
            schools(&a),
            [Some(s[1]), Some(s[2]), Some(s[0]), Some(s[1])]
        );
    }

    /// A school points to its best pupil among all pupils, listed or not: X points to c,
    /// who does not list X; c points to Y, which points to a, who points to X. a and c trade
    /// (a gets X, c gets Y), and d, who wanted X, is left with nothing.
    #[test]
    fn schools_point_to_pupils_who_do_not_list_them() {
        let mut b = InstanceBuilder::new();
        let x = b.add_school("X", 1);
        let y = b.add_school("Y", 1);
        let a = b.add_student("a", [x]);
        let c = b.add_student("c", [y]);
        let d = b.add_student("d", [x, y]);
        b.push_tier(x, [c]);
        b.push_tier(x, [a]);
        b.push_tier(y, [a]);
        b.push_tier(y, [d]);
        let instance = b.build().expect("valid");
        let lottery = Lottery::draw(&instance, &LotteryParams::default());
        let t = top_trading_cycles(&instance, &lottery);
        assert_eq!(t.school_of(a), Some(x));
        assert_eq!(t.school_of(c), Some(y));
        assert_eq!(t.school_of(d), None);
    }

    /// Reserved-first, one seat of X reserved for group g that may stay empty, one open
    /// seat: X points through its reserved block to its best member r, yet the non-member o
    /// who points to X may take the open seat, and r the reserved one.
    #[test]
    fn reserved_block_points_to_members() {
        let mut b = InstanceBuilder::new();
        let x = b.add_school("X", 2);
        let o = b.add_student("o", [x]);
        let r = b.add_student("r", [x]);
        let z = b.add_student("z", [x]);
        let g = b.group("g");
        b.set_group(r, g);
        b.add_reserve(x, g, 1);
        b.set_reserve_policy(x, ReserveOrder::ReservedFirst, UnfilledReserves::Empty);
        let instance = b.build().expect("valid");
        let lottery = Lottery::from_order(&instance, &[o, z, r]);
        let t = top_trading_cycles(&instance, &lottery);
        assert_eq!(t.school_of(o), Some(x));
        assert_eq!(t.school_of(r), Some(x));
        assert_eq!(t.school_of(z), None);
        assert!(verify::over_capacity(&instance, &t).is_empty());
    }

    /// Open-first with a reserved seat that may stay empty: the low-ranked non-member o
    /// trades into X's open seat (X points to m, who trades it for Y). The member r ranked
    /// above o cannot then take the reserved seat, because the slot rule would give r the
    /// open seat and leave o without one; r stays unplaced and every school keeps a set its
    /// rule admits.
    #[test]
    fn open_first_reserve_admits_only_what_the_slot_rule_admits() {
        let mut b = InstanceBuilder::new();
        let x = b.add_school("X", 2);
        let y = b.add_school("Y", 1);
        let m = b.add_student("m", [y, x]);
        let r = b.add_student("r", [x]);
        let o = b.add_student("o", [x, y]);
        let g = b.group("g");
        b.set_group(m, g);
        b.set_group(r, g);
        b.add_reserve(x, g, 1);
        b.set_reserve_policy(x, ReserveOrder::OpenFirst, UnfilledReserves::Empty);
        b.push_tier(x, [m]);
        b.push_tier(x, [r]);
        b.push_tier(y, [o]);
        let instance = b.build().expect("valid");
        let lottery = Lottery::from_order(&instance, &[m, r, o]);
        let t = top_trading_cycles(&instance, &lottery);
        assert_eq!(t.school_of(o), Some(x));
        assert_eq!(t.school_of(m), Some(y));
        assert_eq!(t.school_of(r), None);
        assert!(verify::over_capacity(&instance, &t).is_empty());
    }

    /// Step-by-step TTC straight from the definition (no reserves): O(n²m) per step.
    fn reference(instance: &Instance, lottery: &Lottery) -> (Vec<Option<SchoolId>>, u32) {
        let n = instance.n_students();
        let mut left: Vec<u32> = instance.schools().map(|s| instance.capacity(s)).collect();
        let mut remaining = vec![true; n];
        let mut out = vec![None; n];
        let mut cycles = 0;
        loop {
            let mut points = vec![None; n];
            for st in instance.students() {
                if remaining[st.index()] {
                    points[st.index()] = instance
                        .preferences(st)
                        .iter()
                        .copied()
                        .find(|s| left[s.index()] > 0);
                    remaining[st.index()] = points[st.index()].is_some();
                }
            }
            if !remaining.contains(&true) {
                return (out, cycles);
            }
            let top: Vec<Option<StudentId>> = instance
                .schools()
                .map(|s| {
                    instance
                        .students()
                        .filter(|st| remaining[st.index()])
                        .min_by_key(|&st| lottery.rank(instance.tier(st, s), st, s))
                })
                .collect();
            let next = |st: StudentId| {
                let s = points[st.index()].expect("remaining pupils point");
                top[s.index()].expect("a pointed-at school has seats")
            };
            let mut on_cycle = vec![false; n];
            for st in instance.students().filter(|st| remaining[st.index()]) {
                // After n steps the walk is on a cycle; is st on it?
                let mut cur = st;
                for _ in 0..n {
                    cur = next(cur);
                }
                let mut probe = cur;
                loop {
                    if probe == st {
                        on_cycle[st.index()] = true;
                    }
                    probe = next(probe);
                    if probe == cur {
                        break;
                    }
                }
                // Count each cycle once, at its lowest pupil.
                if on_cycle[st.index()] {
                    let mut q = next(st);
                    let mut lowest = st;
                    while q != st {
                        lowest = lowest.min(q);
                        q = next(q);
                    }
                    cycles += u32::from(lowest == st);
                }
            }
            for st in instance.students() {
                if on_cycle[st.index()] {
                    let s = points[st.index()].expect("on a cycle");
                    out[st.index()] = Some(s);
                    left[s.index()] -= 1;
                    remaining[st.index()] = false;
                }
            }
        }
    }

    /// Whether some feasible assignment (capacities, listed schools) Pareto-dominates `a`.
    fn dominated(instance: &Instance, a: &Assignment) -> bool {
        fn go(
            instance: &Instance,
            base: &[usize],
            i: usize,
            left: &mut [u32],
            strict: bool,
        ) -> bool {
            if i == base.len() {
                return strict;
            }
            let st = StudentId::from_index(i);
            let prefs = instance.preferences(st);
            // Options no worse than the pupil's own: listed schools up to it, or none when
            // they are unplaced.
            for pos in 0..=base[i].min(prefs.len()) {
                if pos == prefs.len() {
                    if go(instance, base, i + 1, left, strict) {
                        return true;
                    }
                    continue;
                }
                let s = prefs[pos].index();
                if left[s] > 0 {
                    left[s] -= 1;
                    let found = go(instance, base, i + 1, left, strict || pos < base[i]);
                    left[s] += 1;
                    if found {
                        return true;
                    }
                }
            }
            false
        }
        let base: Vec<usize> = instance
            .students()
            .map(|st| choice_of(instance, a, st))
            .collect();
        let mut left: Vec<u32> = instance.schools().map(|s| instance.capacity(s)).collect();
        go(instance, &base, 0, &mut left, false)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// TTC never exceeds capacity (under the slot rule where there are reserves) and
        /// places pupils only at schools they list; same draw, same result.
        #[test]
        fn feasible_and_deterministic(spec in arb_spec(true)) {
            let (instance, lottery) = spec.build();
            let a = top_trading_cycles(&instance, &lottery);
            prop_assert_eq!(verify::over_capacity(&instance, &a), vec![]);
            prop_assert_eq!(verify::unlisted_placements(&instance, &a), vec![]);
            prop_assert_eq!(a.clone(), top_trading_cycles(&instance, &lottery));
        }

        /// Without reserves TTC is Pareto efficient: no feasible assignment of the tiny
        /// instance makes a pupil better off and none worse off.
        #[test]
        fn pareto_efficient(spec in arb_spec(false)) {
            let (instance, lottery) = spec.build();
            let a = top_trading_cycles(&instance, &lottery);
            prop_assert!(!dominated(&instance, &a));
        }

        /// The depth-first walk agrees with TTC run in synchronous steps from the definition,
        /// placements and number of cycles, under single and multiple tie-breaking.
        #[test]
        fn agrees_with_the_definition(spec in arb_spec(false)) {
            let (instance, lottery) = spec.build();
            let a = top_trading_cycles(&instance, &lottery);
            let (want, cycles) = reference(&instance, &lottery);
            prop_assert_eq!(schools(&a), want);
            prop_assert_eq!(a.stats().rounds, Some(cycles));
        }
    }
}
