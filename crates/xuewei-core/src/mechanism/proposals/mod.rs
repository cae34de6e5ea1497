//! The shared student-proposing engine behind deferred acceptance, immediate acceptance
//! (Boston) and Chen–Kesten (`chen_kesten`).
//!
//! Pupils propose down their lists in bands of `e` choices. Within a band, proposals are
//! deferred acceptance (McVitie–Wilson chains: a displaced pupil proposes on at once); at the
//! end of a band every hold becomes final and the school's free seats shrink. `e = 1` is
//! immediate acceptance, an unlimited band is deferred acceptance.
//!
//! Responsive schools (no reserves) keep their holds in a max-heap laid out in one flat array
//! (worst hold at the root), so a proposal is one comparison with the root and, when it wins,
//! one sift-down. Schools with reserves keep a small hold list and apply the slot choice rule.
//!
//! `keys`: how schools rank proposals; `schools`: the holds (heaps and reserve lists) and a
//! proposal to one school; `rounds`: the parallel first rounds of deferred acceptance. This
//! module has the entry points and the sequential loop, the rounds' test oracle.

mod keys;
mod rounds;
mod schools;

use crate::ids::NONE;
use crate::instance::Instance;
use crate::lottery::{Lottery, TieBreak};

use keys::{Keys, MultipleKeys, SingleKeys};
use rounds::{parallel_rounds, PARALLEL_MIN_FREE, PARALLEL_SHARE};
use schools::{finalize, propose, Schools};

/// Runs the engine with the schools' priority tiers broken by the lottery.
pub(crate) fn run_tiers(instance: &Instance, lottery: &Lottery, band: Option<u32>) -> Matching {
    if lottery.tie_break() == TieBreak::Multiple {
        run(
            instance,
            &MultipleKeys {
                tiers: &instance.pref_tier,
                lottery,
            },
            band,
        )
    } else {
        run(
            instance,
            &SingleKeys::new(&instance.pref_tier, lottery.positions()),
            band,
        )
    }
}

/// Runs the engine with every school ranking pupils by one common order (positions).
pub(crate) fn run_common(instance: &Instance, position: &[u32], band: Option<u32>) -> Matching {
    let zeros = vec![0u32; instance.pref_schools.len()];
    run(instance, &SingleKeys::new(&zeros, position), band)
}

/// What the proposals end in.
pub(crate) struct Matching {
    /// Each pupil's school, `NONE` when unplaced.
    pub school_of: Vec<u32>,
    /// Proposals made.
    pub proposals: u64,
    /// Bands run by the sequential loop.
    pub rounds: u32,
}

/// Runs the engine with bands of `band` choices (`None`: unlimited, i.e. deferred
/// acceptance). Deferred acceptance without reserves starts with parallel rounds when the
/// pool has more than one thread and enough pupils are proposing; the result is the same
/// either way.
fn run<Ks>(instance: &Instance, keys: &Ks, band: Option<u32>) -> Matching
where
    Ks: Keys + Sync,
    Ks::Key: Send + Sync,
{
    let parallel = band.is_none() && !instance.has_reserves() && rayon::current_num_threads() > 1;
    let min_free = (instance.n_students() / PARALLEL_SHARE).max(PARALLEL_MIN_FREE);
    run_with(instance, keys, band, parallel.then_some(min_free))
}

/// [`run`] with the parallel rounds forced on (down to `min_free` proposing pupils) or off
/// (`None`). The sequential loop alone is the oracle the parallel rounds are tested against.
pub(crate) fn run_with<Ks>(
    instance: &Instance,
    keys: &Ks,
    band: Option<u32>,
    min_free: Option<usize>,
) -> Matching
where
    Ks: Keys + Sync,
    Ks::Key: Send + Sync,
{
    let n = instance.n_students();
    let offsets = &instance.pref_offsets;
    let mut schools = Schools::new(instance, Ks::Key::default());
    let words = n.div_ceil(64);
    let mut free = vec![0u64; words];
    let mut proposals = 0u64;
    // (next entry to propose to, end of list) per pupil, side by side.
    let cursor: Vec<[u32; 2]> = match min_free {
        Some(min_free) if band.is_none() && !instance.has_reserves() => {
            let rounds = parallel_rounds(instance, keys, &mut schools, min_free.max(1));
            proposals = rounds.proposals;
            for (to, from) in free.iter_mut().zip(rounds.free) {
                *to = from.into_inner();
            }
            rounds
                .next
                .into_iter()
                .zip(&offsets[1..])
                .map(|(k, &end)| [k.into_inner() as u32, end])
                .collect()
        }
        _ => {
            for st in 0..n {
                if offsets[st] < offsets[st + 1] {
                    free[st / 64] |= 1 << (st % 64);
                }
            }
            (0..n).map(|i| [offsets[i], offsets[i + 1]]).collect()
        }
    };
    sequential(instance, keys, band, schools, cursor, free, proposals)
}

/// The sequential loop, from pupils `free` with list cursors `cursor`. Complexity
/// O(P log_d c) for P proposals and school sizes c, plus O(rounds × (m + n/64)) for the
/// passes and for finalising bands.
///
/// Pupils waiting to propose are kept in a bitmap and served in passes in index order: a
/// pupil proposes down their list until held, and a pupil displaced from a hold waits for
/// the pass to reach them. Serving pupils in index order keeps the pupil-side reads (list
/// cursor, preference entries) moving forward through memory instead of jumping to every
/// displaced pupil at once; the result is the same in any order (the pupil-optimal stable
/// matching within each band), and so is the number of proposals.
fn sequential<Ks: Keys>(
    instance: &Instance,
    keys: &Ks,
    band: Option<u32>,
    mut schools: Schools<Ks::Key>,
    mut cursor: Vec<[u32; 2]>,
    mut free: Vec<u64>,
    mut proposals: u64,
) -> Matching {
    let n = instance.n_students();
    let offsets = &instance.pref_offsets;
    let prefs = &instance.pref_schools;
    let mut school_of = vec![NONE; n];
    let words = free.len();
    let mut waiting = vec![0u64; words];
    let mut any_free = free.iter().any(|&w| w != 0);
    let mut extra = Vec::new();
    let mut rounds = 0u32;
    while any_free {
        let width = band.map_or(u64::MAX, |e| u64::from(e.max(1)) * (u64::from(rounds) + 1));
        rounds += 1;
        let mut pending = true;
        while pending {
            pending = false;
            for w in 0..words {
                while free[w] != 0 {
                    let bit = free[w].trailing_zeros() as usize;
                    free[w] &= free[w] - 1;
                    let c = w * 64 + bit;
                    loop {
                        let [k, end] = cursor[c];
                        let limit = if band.is_none() {
                            end
                        } else {
                            u64::from(offsets[c])
                                .saturating_add(width)
                                .min(u64::from(end)) as u32
                        };
                        if k >= limit {
                            if k < end {
                                waiting[w] |= 1 << bit;
                            }
                            break;
                        }
                        cursor[c][0] = k + 1;
                        proposals += 1;
                        let school = prefs[k as usize].0;
                        let key = keys.key(k as usize, c as u32, school);
                        match propose(
                            &mut schools,
                            keys,
                            instance,
                            school as usize,
                            key,
                            c as u32,
                            &mut extra,
                        ) {
                            None => break,
                            Some(d) if d as usize == c => {}
                            Some(d) => {
                                free[d as usize / 64] |= 1 << (d % 64);
                                pending |= d as usize / 64 < w;
                                break;
                            }
                        }
                    }
                    for d in extra.drain(..) {
                        free[d as usize / 64] |= 1 << (d % 64);
                        pending |= d as usize / 64 <= w;
                    }
                }
            }
        }
        finalize(&mut schools, keys, &mut school_of);
        std::mem::swap(&mut free, &mut waiting);
        any_free = free.iter().any(|&w| w != 0);
    }
    if rounds == 0 {
        // Parallel rounds may have left nobody to propose, with holds still to record.
        finalize(&mut schools, keys, &mut school_of);
    }
    Matching {
        school_of,
        proposals,
        rounds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{random_instance, GenParams};
    use crate::lottery::LotteryParams;
    use proptest::prelude::*;

    fn solve(instance: &Instance, lottery: &Lottery, min_free: Option<usize>) -> Matching {
        if lottery.tie_break() == TieBreak::Multiple {
            let keys = MultipleKeys {
                tiers: &instance.pref_tier,
                lottery,
            };
            run_with(instance, &keys, None, min_free)
        } else {
            let keys = SingleKeys::new(&instance.pref_tier, lottery.positions());
            run_with(instance, &keys, None, min_free)
        }
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Parallel rounds (run down to `min_free` proposing pupils, at 1, 2 and 5 threads)
        /// reach exactly the matching and the proposal count of the sequential loop.
        #[test]
        fn parallel_rounds_equal_sequential(
            students in 1usize..3_000,
            schools in 1usize..60,
            list_len in 1usize..8,
            seat_ratio in 0.3f64..1.5,
            tiers in 1u32..4,
            seed in any::<u64>(),
            multiple in any::<bool>(),
            min_free in 1usize..200,
        ) {
            let instance = random_instance(
                &GenParams::default()
                    .students(students)
                    .schools(schools)
                    .list_len(list_len)
                    .seat_ratio(seat_ratio)
                    .tiers(tiers)
                    .seed(seed),
            );
            let tb = if multiple { TieBreak::Multiple } else { TieBreak::Single };
            let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(seed).tie_break(tb));
            let oracle = solve(&instance, &lottery, None);
            for threads in [1, 2, 5] {
                let got = pool(threads).install(|| solve(&instance, &lottery, Some(min_free)));
                prop_assert_eq!(&got.school_of, &oracle.school_of, "{} threads", threads);
                prop_assert_eq!(got.proposals, oracle.proposals, "{} threads", threads);
            }
        }
    }

    /// On an instance big enough for the default threshold, the default path (parallel when
    /// the pool has threads) agrees with the sequential loop.
    #[test]
    fn default_path_equals_sequential_at_scale() {
        let instance = random_instance(&GenParams::default().students(60_000).seed(9));
        let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(3));
        let oracle = solve(&instance, &lottery, None);
        let keys = SingleKeys::new(&instance.pref_tier, lottery.positions());
        let got = pool(4).install(|| run(&instance, &keys, None));
        assert_eq!(got.school_of, oracle.school_of);
        assert_eq!(got.proposals, oracle.proposals);
        assert!(oracle.proposals > 60_000, "{} proposals", oracle.proposals);
    }
}
