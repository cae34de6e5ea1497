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

use crate::ids::{SchoolId, StudentId, NONE};
use crate::instance::Instance;
use crate::lottery::{Lottery, Rank, TieBreak};
use crate::mechanism::reserve_slots::{self, Block};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// How schools rank proposals. `Key` is what a school's heap stores: compact where the
/// pupil can be recovered from it (8 bytes under single tie-breaking), a full [`Rank`]
/// otherwise.
pub(crate) trait Keys {
    /// A totally ordered key, lower is better; distinct pupils never share one.
    type Key: Copy + Ord + Default;
    /// Children per heap node: a 64-byte cache line of keys.
    const ARITY: usize;
    /// The key of entry `k` (pupil `student` listing `school`).
    fn key(&self, k: usize, student: u32, school: u32) -> Self::Key;
    /// The pupil a key belongs to.
    fn student(&self, key: Self::Key) -> u32;
    /// The full rank of a key (for the slot rule at schools with reserves).
    fn rank(&self, key: Self::Key) -> Rank;
}

/// Tier, then position in one draw: `(tier << 32) | position`, pupil recovered from the draw.
struct SingleKeys<'a> {
    tiers: &'a [u32],
    position: &'a [u32],
    order: Vec<u32>,
}

impl<'a> SingleKeys<'a> {
    fn new(tiers: &'a [u32], position: &'a [u32]) -> Self {
        let mut order = vec![0u32; position.len()];
        for (st, &p) in position.iter().enumerate() {
            order[p as usize] = st as u32;
        }
        Self {
            tiers,
            position,
            order,
        }
    }
}

impl Keys for SingleKeys<'_> {
    type Key = u64;
    const ARITY: usize = 8;
    #[inline]
    fn key(&self, k: usize, student: u32, _school: u32) -> u64 {
        (u64::from(self.tiers[k]) << 32) | u64::from(self.position[student as usize])
    }
    #[inline]
    fn student(&self, key: u64) -> u32 {
        self.order[key as u32 as usize]
    }
    fn rank(&self, key: u64) -> Rank {
        Rank::new((key >> 32) as u32, key as u32, StudentId(self.student(key)))
    }
}

/// Tier, then a per-school number: full ranks.
struct MultipleKeys<'a> {
    tiers: &'a [u32],
    lottery: &'a Lottery,
}

impl Keys for MultipleKeys<'_> {
    type Key = Rank;
    const ARITY: usize = 4;
    #[inline]
    fn key(&self, k: usize, student: u32, school: u32) -> Rank {
        self.lottery
            .rank(self.tiers[k], StudentId(student), SchoolId(school))
    }
    #[inline]
    fn student(&self, key: Rank) -> u32 {
        key.student().0
    }
    fn rank(&self, key: Rank) -> Rank {
        key
    }
}

/// Runs the engine with the schools' priority tiers broken by the lottery.
pub(crate) fn run_tiers(instance: &Instance, lottery: &Lottery, band: Option<u32>) -> EngineResult {
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
pub(crate) fn run_common(instance: &Instance, position: &[u32], band: Option<u32>) -> EngineResult {
    let zeros = vec![0u32; instance.pref_schools.len()];
    run(instance, &SingleKeys::new(&zeros, position), band)
}

/// What the engine returns.
pub(crate) struct EngineResult {
    pub school_of: Vec<u32>,
    pub proposals: u64,
    pub rounds: u32,
}

struct Reserved {
    blocks: Vec<Block>,
    held: Vec<(Rank, u32)>,
}

/// Per-school state of a responsive school, packed so one cache line serves a proposal.
#[derive(Clone, Copy, Default)]
struct Meta {
    /// Start of the heap region in `heap`.
    start: u32,
    /// Seats usable now: the school's seats capped by its applicants, less the holds made
    /// final in earlier bands. The heap occupies the first `cap` slots of the region.
    cap: u32,
    /// Current holds.
    len: u32,
    /// Index into `reserved` for schools with reserves, `NONE` otherwise.
    reserved: u32,
}

struct Schools<K> {
    meta: Vec<Meta>,
    heap: Vec<K>,
    reserved: Vec<Reserved>,
    slot_scratch: Vec<u32>,
}

impl<K: Copy + Ord> Schools<K> {
    fn new(instance: &Instance, fill: K) -> Self {
        let m = instance.n_schools();
        // A heap never holds more than the school's applicants, which bounds memory by the
        // input size whatever the stated capacities.
        let applicants = applicants(instance);
        let mut meta = Vec::with_capacity(m);
        let mut total = 0u32;
        let mut reserved = Vec::new();
        for school in instance.schools() {
            let i = school.index();
            if let Some(policy) = instance.reserves(school) {
                meta.push(Meta {
                    start: total,
                    cap: 0,
                    len: 0,
                    reserved: reserved.len() as u32,
                });
                reserved.push(Reserved {
                    blocks: reserve_slots::blocks_of(instance.capacity[i], policy),
                    held: Vec::new(),
                });
            } else {
                // Applicants are preference entries, so the total fits in u32.
                let size = instance.capacity[i].min(applicants[i]);
                meta.push(Meta {
                    start: total,
                    cap: size,
                    len: 0,
                    reserved: NONE,
                });
                total += size;
            }
        }
        Self {
            meta,
            heap: vec![fill; total as usize],
            reserved,
            slot_scratch: Vec::new(),
        }
    }
}

/// How many preference entries name each school, counted over chunks of the entries in
/// parallel.
fn applicants(instance: &Instance) -> Vec<u32> {
    let m = instance.n_schools();
    let count = |entries: &[SchoolId]| {
        let mut counts = vec![0u32; m];
        for s in entries {
            counts[s.index()] += 1;
        }
        counts
    };
    let entries = &instance.pref_schools;
    if entries.len() < PARALLEL_MIN_ENTRIES {
        return count(entries);
    }
    entries
        .par_chunks(PARALLEL_MIN_ENTRIES)
        .map(count)
        .reduce_with(|mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
            a
        })
        .unwrap_or_else(|| vec![0; m])
}

/// Offers `key` to school `s`. Returns a rejected pupil (possibly the proposer), if any;
/// further rejected pupils (only possible at schools with reserves) go to `extra`.
#[inline]
fn propose<Ks: Keys>(
    schools: &mut Schools<Ks::Key>,
    keys: &Ks,
    instance: &Instance,
    s: usize,
    key: Ks::Key,
    proposer: u32,
    extra: &mut Vec<u32>,
) -> Option<u32> {
    let meta = &mut schools.meta[s];
    if meta.reserved != NONE {
        let ri = meta.reserved as usize;
        return propose_reserved(schools, keys, instance, ri, key, extra);
    }
    let base = meta.start as usize;
    let heap = &mut schools.heap[base..base + meta.cap as usize];
    propose_responsive(meta, heap, keys, key, proposer)
}

/// Offers `key` to a responsive school whose heap region is `heap`.
#[inline]
fn propose_responsive<Ks: Keys>(
    meta: &mut Meta,
    heap: &mut [Ks::Key],
    keys: &Ks,
    key: Ks::Key,
    proposer: u32,
) -> Option<u32> {
    if meta.len < meta.cap {
        sift_up(heap, meta.len as usize, key, Ks::ARITY);
        meta.len += 1;
        None
    } else if meta.cap == 0 || key > heap[0] {
        Some(proposer)
    } else {
        let out = keys.student(heap[0]);
        sift_down_root(heap, key, Ks::ARITY);
        Some(out)
    }
}

fn propose_reserved<Ks: Keys>(
    schools: &mut Schools<Ks::Key>,
    keys: &Ks,
    instance: &Instance,
    ri: usize,
    key: Ks::Key,
    extra: &mut Vec<u32>,
) -> Option<u32> {
    let res = &mut schools.reserved[ri];
    let r = keys.rank(key);
    let g = reserve_slots::raw_group(instance, r.student());
    res.held.push((r, g));
    res.held.sort_unstable();
    reserve_slots::choose(&res.held, &res.blocks, &mut schools.slot_scratch);
    let mut first = None;
    let mut keep = 0;
    for i in 0..res.held.len() {
        if schools.slot_scratch[i] == NONE {
            let st = res.held[i].0.student().0;
            if first.is_none() {
                first = Some(st);
            } else {
                extra.push(st);
            }
        } else {
            res.held[keep] = res.held[i];
            keep += 1;
        }
    }
    res.held.truncate(keep);
    first
}

/// Makes every hold final: records the pupil's school and shrinks the free seats.
fn finalize<Ks: Keys>(schools: &mut Schools<Ks::Key>, keys: &Ks, school_of: &mut [u32]) {
    for s in 0..schools.meta.len() {
        let meta = schools.meta[s];
        if meta.reserved != NONE {
            let res = &mut schools.reserved[meta.reserved as usize];
            reserve_slots::choose(&res.held, &res.blocks, &mut schools.slot_scratch);
            for (i, &(r, _)) in res.held.iter().enumerate() {
                let b = schools.slot_scratch[i];
                if b != NONE {
                    res.blocks[b as usize].left -= 1;
                    school_of[r.student().index()] = s as u32;
                }
            }
            res.held.clear();
            continue;
        }
        let base = meta.start as usize;
        for &key in &schools.heap[base..base + meta.len as usize] {
            school_of[keys.student(key) as usize] = s as u32;
        }
        let m = &mut schools.meta[s];
        m.cap -= meta.len;
        m.len = 0;
    }
}

/// Inserts `key` at position `i` (the current length) of a d-ary max-heap.
#[inline]
fn sift_up<K: Copy + Ord>(heap: &mut [K], mut i: usize, key: K, arity: usize) {
    while i > 0 {
        let parent = (i - 1) / arity;
        if heap[parent] >= key {
            break;
        }
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = key;
}

/// Replaces the root (the worst hold) of a full d-ary max-heap with `key` and restores the
/// order. With 8-byte keys and arity 8 the children of a node share one cache line.
#[inline]
fn sift_down_root<K: Copy + Ord>(heap: &mut [K], key: K, arity: usize) {
    let n = heap.len();
    let mut i = 0;
    loop {
        let first = i * arity + 1;
        if first >= n {
            break;
        }
        let last = (first + arity).min(n);
        let mut c = first;
        for j in first + 1..last {
            if heap[j] > heap[c] {
                c = j;
            }
        }
        if heap[c] <= key {
            break;
        }
        heap[i] = heap[c];
        i = c;
    }
    heap[i] = key;
}

/// The parallel rounds run while at least this many pupils are proposing...
pub(crate) const PARALLEL_MIN_FREE: usize = 1 << 14;

/// ...and at least one pupil in `PARALLEL_SHARE` is. Rounds lose the locality of the
/// sequential loop, where a rejected pupil proposes on at once down the same cache lines of
/// their list; they pay off only while proposals are dense (measured in docs/perf.md: the
/// first round, where every pupil proposes, gains on two threads, the sparse later rounds
/// lose).
const PARALLEL_SHARE: usize = 2;

/// Below this many preference entries, setup passes run on one thread.
const PARALLEL_MIN_ENTRIES: usize = 1 << 16;

/// Runs the engine with bands of `band` choices (`None`: unlimited, i.e. deferred
/// acceptance). Deferred acceptance without reserves starts with parallel rounds when the
/// pool has more than one thread and enough pupils are proposing; the result is the same
/// either way.
fn run<Ks>(instance: &Instance, keys: &Ks, band: Option<u32>) -> EngineResult
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
) -> EngineResult
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

/// What the parallel rounds leave for the sequential loop.
struct Rounds {
    /// Next entry to propose to (low half) and end of the list (high half), per pupil.
    next: Vec<AtomicU64>,
    /// Bitmap of the pupils rejected in the last round, still to propose.
    free: Vec<AtomicU64>,
    proposals: u64,
}

/// Proposals (school, pupil, key) from one chunk of pupils to the schools of one part. The
/// pupil rides in what would be padding beside an 8-byte key, so an outright rejection
/// does not look the pupil up from the key.
type Outbox<K> = Vec<(u32, u32, K)>;

/// One contiguous range of responsive schools and their heap regions, owned by one task.
struct Part<'a, K> {
    first: u32,
    base: u32,
    meta: &'a mut [Meta],
    heap: &'a mut [K],
}

/// Deferred acceptance in Gale–Shapley rounds while many pupils are proposing: every
/// proposing pupil makes one proposal (in parallel over ranges of pupils, in index order so
/// that reads of the pupils' lists move forward through memory, each proposal routed to the
/// part owning its school), then every part takes its proposals into its schools' heaps (in
/// parallel over parts, each part's heaps small enough to stay in cache) and marks whom it
/// rejected in a bitmap. A school's holds after a round are the best of its holds and
/// proposals, whatever their order, so the rounds reach the same matching, with the same
/// proposals, as the sequential loop.
fn parallel_rounds<Ks>(
    instance: &Instance,
    keys: &Ks,
    schools: &mut Schools<Ks::Key>,
    min_free: usize,
) -> Rounds
where
    Ks: Keys + Sync,
    Ks::Key: Send + Sync,
{
    let n = instance.n_students();
    let offsets = &instance.pref_offsets;
    let prefs = &instance.pref_schools;
    let next: Vec<AtomicU64> = offsets
        .windows(2)
        .map(|w| AtomicU64::new(u64::from(w[1]) << 32 | u64::from(w[0])))
        .collect();
    let words = n.div_ceil(64);
    let free: Vec<AtomicU64> = (0..words)
        .map(|w| {
            let mut bits = 0u64;
            for st in w * 64..(w * 64 + 64).min(n) {
                if offsets[st] < offsets[st + 1] {
                    bits |= 1 << (st % 64);
                }
            }
            AtomicU64::new(bits)
        })
        .collect();
    let mut n_free: usize = free
        .iter()
        .map(|w| w.load(Relaxed).count_ones() as usize)
        .sum();
    let mut proposals = 0u64;
    if n_free < min_free {
        return Rounds {
            next,
            free,
            proposals,
        };
    }
    // Parts of about equal seats, a few per thread so that uneven demand evens out.
    let threads = rayon::current_num_threads();
    let n_parts = (threads * 4).min(schools.meta.len()).max(1);
    let seats: u64 = schools.meta.iter().map(|m| u64::from(m.cap) + 1).sum();
    let mut owner = vec![0u32; schools.meta.len()];
    let mut bounds = vec![0usize];
    let mut acc = 0u64;
    for (s, m) in schools.meta.iter().enumerate() {
        let p = (acc * n_parts as u64 / seats) as usize;
        if p >= bounds.len() {
            bounds.push(s);
        }
        owner[s] = (bounds.len() - 1) as u32;
        acc += u64::from(m.cap) + 1;
    }
    bounds.push(schools.meta.len());
    let mut parts = Vec::with_capacity(bounds.len() - 1);
    let (mut meta, mut heap) = (&mut schools.meta[..], &mut schools.heap[..]);
    let mut heap_base = 0u32;
    for w in bounds.windows(2) {
        let (m, rest_meta) = meta.split_at_mut(w[1] - w[0]);
        let heap_end = rest_meta
            .first()
            .map_or(heap_base + heap.len() as u32, |r| r.start);
        let (h, rest_heap) = heap.split_at_mut((heap_end - heap_base) as usize);
        parts.push(Part {
            first: w[0] as u32,
            base: heap_base,
            meta: m,
            heap: h,
        });
        (meta, heap, heap_base) = (rest_meta, rest_heap, heap_end);
    }
    let n_parts = parts.len();
    let n_chunks = threads * 4;
    let chunk_words = words.div_ceil(n_chunks).max(1);
    // outbox[chunk][part]: the proposals a chunk of pupils makes to the schools of a part.
    let mut outbox: Vec<Vec<Outbox<Ks::Key>>> = (0..words.div_ceil(chunk_words))
        .map(|_| (0..n_parts).map(|_| Vec::new()).collect())
        .collect();
    while n_free >= min_free {
        proposals += free
            .par_chunks(chunk_words)
            .zip(outbox.par_iter_mut())
            .enumerate()
            .map(|(i, (bitmap, out))| {
                let mut made = 0u64;
                for (j, word) in bitmap.iter().enumerate() {
                    let mut bits = word.swap(0, Relaxed);
                    while bits != 0 {
                        let c = (i * chunk_words + j) * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        let cursor = next[c].load(Relaxed);
                        let k = cursor as u32;
                        if k >= (cursor >> 32) as u32 {
                            continue;
                        }
                        next[c].store(cursor + 1, Relaxed);
                        let school = prefs[k as usize].0;
                        out[owner[school as usize] as usize].push((
                            school,
                            c as u32,
                            keys.key(k as usize, c as u32, school),
                        ));
                        made += 1;
                    }
                }
                made
            })
            .sum::<u64>();
        let outbox_ref = &outbox;
        let free_ref = &free;
        n_free = parts
            .par_iter_mut()
            .enumerate()
            .map(|(p, part)| {
                let mut rejected = 0usize;
                for from in outbox_ref {
                    for &(school, proposer, key) in &from[p] {
                        let meta = &mut part.meta[(school - part.first) as usize];
                        let start = (meta.start - part.base) as usize;
                        let heap = &mut part.heap[start..start + meta.cap as usize];
                        if let Some(r) = propose_responsive(meta, heap, keys, key, proposer) {
                            free_ref[r as usize / 64].fetch_or(1 << (r % 64), Relaxed);
                            rejected += 1;
                        }
                    }
                }
                rejected
            })
            .sum();
        for from in &mut outbox {
            for to in from.iter_mut() {
                to.clear();
            }
        }
    }
    Rounds {
        next,
        free,
        proposals,
    }
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
) -> EngineResult {
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
    EngineResult {
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

    fn solve(instance: &Instance, lottery: &Lottery, min_free: Option<usize>) -> EngineResult {
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
