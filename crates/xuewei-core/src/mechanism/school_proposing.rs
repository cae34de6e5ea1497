//! School-proposing deferred acceptance.

use crate::assignment::{Assignment, Stats};
use crate::ids::{SchoolId, NONE};
use crate::instance::Instance;
use crate::lottery::{Lottery, Rank};
use crate::mechanism::reserve_slots::{self, Block};

/// State of an applicant at a school with reserves.
const NOT_OFFERED: u8 = 0;
const OFFERED: u8 = 1;
const REJECTED: u8 = 2;

/// School-proposing deferred acceptance: the school-optimal stable matching under the
/// tie-broken priorities.
///
/// Every school offers its seats to the applicants it ranks best (tier, then lottery); a
/// pupil holds the best offer by their own list and rejects the others; a school that is
/// rejected offers on down its list. Only pupils who list a school ever receive its offers
/// (an offer to anyone else would be refused at once). A school with reserves (指标到校)
/// always offers to the set its slot choice rule picks from the applicants that have not
/// rejected it; that rule is substitutable, so the set only grows and no offer is withdrawn.
///
/// The result is stable and every school weakly prefers it to any other stable matching;
/// every pupil weakly prefers the student-proposing result
/// ([`deferred_acceptance`](crate::mechanism::deferred_acceptance())). Unlike the student-proposing
/// mechanism it is not strategy-proof for pupils.
///
/// Reference: D. Gale and L. S. Shapley, "College admissions and the stability of
/// marriage", *American Mathematical Monthly* 69 (1962), 9–15.
///
/// [`Stats::proposals`] counts the offers made.
///
/// Complexity: O(L·n log n) to sort the applicants of every school by rank, plus one step
/// per offer (at most n·L offers); a school with reserves re-applies its slot rule, in
/// O(a·b) for a applicants and b blocks, each time it is rejected.
///
/// ```
/// use xuewei_core::{deferred_acceptance, school_proposing, InstanceBuilder, Lottery, LotteryParams};
/// let mut b = InstanceBuilder::new();
/// let (x, y) = (b.add_school("X", 1), b.add_school("Y", 1));
/// let a = b.add_student("a", [x, y]);
/// let c = b.add_student("c", [y, x]);
/// b.push_tier(x, [c]);
/// b.push_tier(y, [a]);
/// let instance = b.build()?;
/// let lottery = Lottery::draw(&instance, &LotteryParams::default());
/// // The schools get their first choices; the pupils their second.
/// let result = school_proposing(&instance, &lottery);
/// assert_eq!(result.school_of(a), Some(y));
/// assert_eq!(result.school_of(c), Some(x));
/// // Pupil-proposing gives the pupils their first choices.
/// let da = deferred_acceptance(&instance, &lottery);
/// assert_eq!(da.school_of(a), Some(x));
/// # Ok::<(), xuewei_core::ValidationErrors>(())
/// ```
pub fn school_proposing(instance: &Instance, lottery: &Lottery) -> Assignment {
    let n = instance.n_students();
    let m = instance.n_schools();
    let (offsets, mut entries) = instance.applicant_index();
    let owners = instance.entry_students();
    let prefs = &instance.pref_schools;

    // Each school's applicants (preference entries) sorted best first, with their ranks.
    let mut ranks: Vec<Rank> = Vec::with_capacity(entries.len());
    let mut scratch: Vec<(Rank, u32)> = Vec::new();
    for s in 0..m {
        let range = offsets[s] as usize..offsets[s + 1] as usize;
        let school = SchoolId::from_index(s);
        scratch.clear();
        scratch.extend(entries[range.clone()].iter().map(|&k| {
            let st = owners[k as usize];
            (lottery.rank(instance.pref_tier[k as usize], st, school), k)
        }));
        scratch.sort_unstable();
        for (i, &(r, k)) in scratch.iter().enumerate() {
            entries[range.start + i] = k;
            ranks.push(r);
        }
    }

    // Schools with reserves: their blocks and, per applicant position, an offer state.
    let blocks: Vec<Option<Vec<Block>>> = instance
        .schools()
        .map(|s| {
            instance
                .reserves(s)
                .map(|p| reserve_slots::blocks_of(instance.capacity(s), p))
        })
        .collect();
    let mut position_of = vec![NONE; entries.len()];
    let mut state = vec![NOT_OFFERED; entries.len()];
    for s in 0..m {
        if blocks[s].is_some() {
            for pos in offsets[s]..offsets[s + 1] {
                position_of[entries[pos as usize] as usize] = pos;
            }
        }
    }

    // Responsive schools: the next applicant to offer to and the offers currently held.
    let mut next: Vec<u32> = offsets[..m].to_vec();
    let mut holding = vec![0u32; m];
    // The entry each pupil holds, NONE when none; lower entries are better for the pupil.
    let mut held = vec![NONE; n];
    let mut queue: Vec<u32> = (0..m as u32).rev().collect();
    let mut queued = vec![true; m];
    let mut candidates: Vec<(Rank, u32)> = Vec::new();
    let mut candidate_pos: Vec<u32> = Vec::new();
    let mut slot_of: Vec<u32> = Vec::new();
    let mut proposals = 0u64;

    // A pupil receives the offer of entry `k`; returns whether they keep it. A school they
    // drop is queued to offer on.
    let receive = |k: u32,
                   held: &mut [u32],
                   holding: &mut [u32],
                   state: &mut [u8],
                   queue: &mut Vec<u32>,
                   queued: &mut [bool]| {
        let st = owners[k as usize].index();
        let old = held[st];
        if old != NONE && old < k {
            return false;
        }
        held[st] = k;
        if old != NONE {
            let t = prefs[old as usize].index();
            let pos = position_of[old as usize];
            if pos == NONE {
                holding[t] -= 1;
            } else {
                state[pos as usize] = REJECTED;
            }
            if !queued[t] {
                queued[t] = true;
                queue.push(t as u32);
            }
        }
        true
    };

    while let Some(s) = queue.pop() {
        let s = s as usize;
        queued[s] = false;
        let end = offsets[s + 1];
        match &blocks[s] {
            None => {
                let cap = instance.capacity[s];
                while holding[s] < cap && next[s] < end {
                    let pos = next[s];
                    next[s] += 1;
                    proposals += 1;
                    let k = entries[pos as usize];
                    if receive(
                        k,
                        &mut held,
                        &mut holding,
                        &mut state,
                        &mut queue,
                        &mut queued,
                    ) {
                        holding[s] += 1;
                    }
                }
            }
            Some(blocks) => loop {
                // Ch_s of the applicants that have not rejected s.
                candidates.clear();
                candidate_pos.clear();
                for pos in offsets[s]..end {
                    if state[pos as usize] != REJECTED {
                        let k = entries[pos as usize];
                        let group = reserve_slots::raw_group(instance, owners[k as usize]);
                        candidates.push((ranks[pos as usize], group));
                        candidate_pos.push(pos);
                    }
                }
                reserve_slots::choose(&candidates, blocks, &mut slot_of);
                let mut refused = false;
                for (i, &pos) in candidate_pos.iter().enumerate() {
                    if slot_of[i] == NONE || state[pos as usize] != NOT_OFFERED {
                        debug_assert!(
                            slot_of[i] != NONE || state[pos as usize] != OFFERED,
                            "substitutability: an offer is never withdrawn"
                        );
                        continue;
                    }
                    proposals += 1;
                    let k = entries[pos as usize];
                    if receive(
                        k,
                        &mut held,
                        &mut holding,
                        &mut state,
                        &mut queue,
                        &mut queued,
                    ) {
                        state[pos as usize] = OFFERED;
                    } else {
                        state[pos as usize] = REJECTED;
                        refused = true;
                    }
                }
                if !refused {
                    break;
                }
            },
        }
    }

    let school_of = held
        .iter()
        .map(|&k| if k == NONE { NONE } else { prefs[k as usize].0 })
        .collect();
    Assignment::from_raw(
        school_of,
        Stats {
            proposals,
            ..Stats::default()
        },
    )
}

/// Small random instances shared by the unit tests of the mechanisms in this crate.
#[cfg(test)]
pub(crate) mod testkit {
    use proptest::prelude::*;

    use crate::{
        Assignment, Instance, InstanceBuilder, Lottery, LotteryParams, ReserveOrder, SchoolId,
        StudentId, TieBreak, UnfilledReserves,
    };

    /// A tiny instance as plain data, so proptest can shrink it.
    #[derive(Clone, Debug)]
    pub(crate) struct Spec {
        pub capacities: Vec<u32>,
        /// Each pupil's list: a shuffled permutation of the schools and a length.
        pub lists: Vec<(Vec<usize>, usize)>,
        /// `tiers[s][i]`: pupil i's tier at school s; 3 means unnamed.
        pub tiers: Vec<Vec<u32>>,
        /// One reserve: (school, members, seats, open-first, stay-empty).
        pub reserve: Option<(usize, Vec<bool>, u32, bool, bool)>,
        pub seed: u64,
        pub multiple: bool,
    }

    impl Spec {
        pub(crate) fn build(&self) -> (Instance, Lottery) {
            let mut b = InstanceBuilder::new();
            let schools: Vec<SchoolId> = self
                .capacities
                .iter()
                .enumerate()
                .map(|(i, &c)| b.add_school(format!("s{i}"), c))
                .collect();
            let students: Vec<StudentId> = self
                .lists
                .iter()
                .enumerate()
                .map(|(i, (perm, len))| {
                    b.add_student(format!("p{i}"), perm[..*len].iter().map(|&s| schools[s]))
                })
                .collect();
            for (s, tiers) in self.tiers.iter().enumerate() {
                for t in 0..3 {
                    let members = students
                        .iter()
                        .zip(tiers)
                        .filter(|&(_, &x)| x == t)
                        .map(|(&st, _)| st);
                    b.push_tier(schools[s], members);
                }
            }
            if let Some((s, members, seats, open_first, stay_empty)) = &self.reserve {
                let g = b.group("g");
                for (&st, &member) in students.iter().zip(members) {
                    if member {
                        b.set_group(st, g);
                    }
                }
                b.add_reserve(schools[*s], g, (*seats).min(self.capacities[*s]));
                b.set_reserve_policy(
                    schools[*s],
                    if *open_first {
                        ReserveOrder::OpenFirst
                    } else {
                        ReserveOrder::ReservedFirst
                    },
                    if *stay_empty {
                        UnfilledReserves::Empty
                    } else {
                        UnfilledReserves::Open
                    },
                );
            }
            let instance = b.build().expect("generated specs are valid");
            let tie_break = if self.multiple {
                TieBreak::Multiple
            } else {
                TieBreak::Single
            };
            let lottery = Lottery::draw(
                &instance,
                &LotteryParams::default()
                    .seed(self.seed)
                    .tie_break(tie_break),
            );
            (instance, lottery)
        }
    }

    /// Up to 7 pupils and 4 schools of 0–3 seats; `reserve` allows one reserved block.
    pub(crate) fn arb_spec(reserve: bool) -> impl Strategy<Value = Spec> {
        (1usize..=7, 1usize..=4).prop_flat_map(move |(n, m)| {
            let list = (Just((0..m).collect::<Vec<_>>()).prop_shuffle(), 0..=m);
            let reserve = if reserve {
                prop::option::of((
                    0..m,
                    prop::collection::vec(any::<bool>(), n),
                    0u32..=3,
                    any::<bool>(),
                    any::<bool>(),
                ))
                .boxed()
            } else {
                Just(None).boxed()
            };
            (
                prop::collection::vec(0u32..=3, m),
                prop::collection::vec(list, n),
                prop::collection::vec(prop::collection::vec(0u32..=3, n), m),
                reserve,
                any::<u64>(),
                any::<bool>(),
            )
                .prop_map(|(capacities, lists, tiers, reserve, seed, multiple)| Spec {
                    capacities,
                    lists,
                    tiers,
                    reserve,
                    seed,
                    multiple,
                })
        })
    }

    /// Position of the pupil's school in their list; unplaced is worst.
    pub(crate) fn choice_of(instance: &Instance, a: &Assignment, st: StudentId) -> usize {
        a.choice_rank(instance, st)
            .unwrap_or(instance.preferences(st).len())
    }

    /// Builds an instance with strict priorities: `priority[s]` lists pupil indices best
    /// first, one per tier; `lists[i]` lists school indices best first.
    pub(crate) fn strict(
        capacities: &[u32],
        priority: &[&[usize]],
        lists: &[&[usize]],
    ) -> (Instance, Vec<SchoolId>, Vec<StudentId>) {
        let mut b = InstanceBuilder::new();
        let schools: Vec<SchoolId> = capacities
            .iter()
            .enumerate()
            .map(|(i, &c)| b.add_school(format!("s{}", i + 1), c))
            .collect();
        let students: Vec<StudentId> = lists
            .iter()
            .enumerate()
            .map(|(i, l)| b.add_student(format!("i{}", i + 1), l.iter().map(|&s| schools[s])))
            .collect();
        for (s, order) in priority.iter().enumerate() {
            for &i in *order {
                b.push_tier(schools[s], [students[i]]);
            }
        }
        let instance = b.build().expect("valid example");
        (instance, schools, students)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::testkit::{arb_spec, choice_of, strict};
    use super::*;
    use crate::{deferred_acceptance, verify, InstanceBuilder, LotteryParams};

    /// Gale & Shapley (1962), "College admissions and the stability of marriage", Example 1
    /// (three men α, β, γ and three women A, B, C; /work/notes/literature.md §1). With the
    /// men as pupils and the women as one-seat schools, school-proposing deferred acceptance
    /// is the woman-optimal matching αC, βA, γB, while pupil-proposing gives the man-optimal
    /// αA, βB, γC.
    #[test]
    fn gale_shapley_example_1() {
        let (a, b, c) = (0, 1, 2);
        let (alpha, beta, gamma) = (0, 1, 2);
        let (instance, schools, students) = strict(
            &[1, 1, 1],
            &[
                &[beta, gamma, alpha],
                &[gamma, alpha, beta],
                &[alpha, beta, gamma],
            ],
            &[&[a, b, c], &[b, c, a], &[c, a, b]],
        );
        let lottery = Lottery::draw(&instance, &LotteryParams::default());
        let sp = school_proposing(&instance, &lottery);
        let got: Vec<_> = students.iter().map(|&st| sp.school_of(st)).collect();
        assert_eq!(got, [Some(schools[c]), Some(schools[a]), Some(schools[b])]);
        assert_eq!(sp.stats().proposals, 3);
        let da = deferred_acceptance(&instance, &lottery);
        let got: Vec<_> = students.iter().map(|&st| da.school_of(st)).collect();
        assert_eq!(got, [Some(schools[a]), Some(schools[b]), Some(schools[c])]);
    }

    /// Haeringer & Klijn (2009), "Constrained school choice", §3.4 (/work/notes/literature.md
    /// §5): the published deferred acceptance outcome is s1: i1; s2: i3, i4; s3: i2. The
    /// schools proposing reach the same matching (checked by hand), so it is the only stable
    /// one.
    #[test]
    fn haeringer_klijn_unique_stable_matching() {
        let (instance, s, i) = strict(
            &[1, 2, 1],
            &[&[0, 1, 2, 3], &[2, 3, 0, 1], &[3, 0, 1, 2]],
            &[&[1, 0, 2], &[0, 1, 2], &[0, 1, 2], &[1, 2, 0]],
        );
        let lottery = Lottery::draw(&instance, &LotteryParams::default());
        let sp = school_proposing(&instance, &lottery);
        let got: Vec<_> = i.iter().map(|&st| sp.school_of(st)).collect();
        assert_eq!(got, [Some(s[0]), Some(s[2]), Some(s[1]), Some(s[1])]);
        let da = deferred_acceptance(&instance, &lottery);
        assert!(sp.iter().eq(da.iter()));
    }

    /// Reserved-first, one seat reserved for group g that may stay empty: the school offers
    /// its reserved seat to its best member and its open seat to the best applicant, and
    /// offers on down the right list when refused.
    #[test]
    fn reserve_offers_follow_the_slot_rule() {
        let mut b = InstanceBuilder::new();
        let x = b.add_school("X", 2);
        let y = b.add_school("Y", 1);
        let p = b.add_student("p", [y, x]);
        let q = b.add_student("q", [x]);
        let r = b.add_student("r", [x]);
        let u = b.add_student("u", [y, x]);
        let g = b.group("g");
        b.set_group(p, g);
        b.set_group(r, g);
        b.add_reserve(x, g, 1);
        b.set_reserve_policy(
            x,
            crate::ReserveOrder::ReservedFirst,
            crate::UnfilledReserves::Empty,
        );
        b.push_tier(y, [p]);
        let instance = b.build().expect("valid");
        let lottery = Lottery::from_order(&instance, &[p, q, u, r]);
        let sp = school_proposing(&instance, &lottery);
        // All tied at X, drawn p, q, u, r. X offers its reserved seat to p and its open seat
        // to q; p holds Y, so X offers the reserved seat to r, the next member, and not to u,
        // who is drawn before r but is no member.
        assert_eq!(sp.school_of(p), Some(y));
        assert_eq!(sp.school_of(q), Some(x));
        assert_eq!(sp.school_of(r), Some(x));
        assert_eq!(sp.school_of(u), None);
        assert!(verify::blocking_pairs(&instance, &lottery, &sp).is_empty());
        assert!(verify::over_capacity(&instance, &sp).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// School-proposing DA is feasible and stable, and every pupil weakly prefers the
        /// pupil-proposing result (the pupil-optimal stable matching).
        #[test]
        fn stable_and_worse_for_pupils_than_da(spec in arb_spec(true)) {
            let (instance, lottery) = spec.build();
            let sp = school_proposing(&instance, &lottery);
            prop_assert_eq!(verify::over_capacity(&instance, &sp), vec![]);
            prop_assert_eq!(verify::unlisted_placements(&instance, &sp), vec![]);
            prop_assert_eq!(verify::blocking_pairs(&instance, &lottery, &sp), vec![]);
            let da = deferred_acceptance(&instance, &lottery);
            for st in instance.students() {
                prop_assert!(choice_of(&instance, &da, st) <= choice_of(&instance, &sp, st));
            }
            prop_assert_eq!(sp.clone(), school_proposing(&instance, &lottery));
        }
    }
}
