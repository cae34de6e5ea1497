//! The shared student-proposing engine behind deferred acceptance, immediate acceptance
//! (Boston) and the Chen–Kesten application-rejection family.
//!
//! Pupils propose down their lists in bands of `e` choices. Within a band, proposals are
//! deferred acceptance (McVitie–Wilson chains: a displaced pupil proposes on at once); at the
//! end of a band every hold becomes final and the school's free seats shrink. `e = 1` is
//! immediate acceptance, an unlimited band is deferred acceptance.
//!
//! Responsive schools (no reserves) keep their holds in a max-heap laid out in one flat array
//! (worst hold at the root), so a proposal is one comparison with the root and, when it wins,
//! one sift-down. Schools with reserves keep a small hold list and apply the slot choice rule.

use crate::choice::{self, Block};
use crate::ids::{SchoolId, StudentId, NONE};
use crate::instance::Instance;
use crate::lottery::{Lottery, Rank, TieBreak};

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
        let mut applicants = vec![0u32; m];
        for s in &instance.pref_schools {
            applicants[s.index()] += 1;
        }
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
                    blocks: choice::blocks_of(instance.capacity[i], policy),
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
    let meta = schools.meta[s];
    if meta.reserved != NONE {
        return propose_reserved(schools, keys, instance, meta.reserved as usize, key, extra);
    }
    let base = meta.start as usize;
    let heap = &mut schools.heap[base..base + meta.cap as usize];
    if meta.len < meta.cap {
        sift_up(heap, meta.len as usize, key, Ks::ARITY);
        schools.meta[s].len = meta.len + 1;
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
    let g = choice::raw_group(instance, r.student());
    res.held.push((r, g));
    res.held.sort_unstable();
    choice::choose(&res.held, &res.blocks, &mut schools.slot_scratch);
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
            choice::choose(&res.held, &res.blocks, &mut schools.slot_scratch);
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

/// Runs the engine with bands of `band` choices (`None`: unlimited, i.e. deferred
/// acceptance). Complexity O(P log_d c) for P proposals and school sizes c, plus
/// O(rounds × (m + n/64)) for the passes and for finalising bands.
///
/// Pupils waiting to propose are kept in a bitmap and served in passes in index order: a
/// pupil proposes down their list until held, and a pupil displaced from a hold waits for
/// the pass to reach them. Serving pupils in index order keeps the pupil-side reads (list
/// cursor, preference entries) moving forward through memory instead of jumping to every
/// displaced pupil at once; the result is the same in any order (the pupil-optimal stable
/// matching within each band), and so is the number of proposals.
fn run<Ks: Keys>(instance: &Instance, keys: &Ks, band: Option<u32>) -> EngineResult {
    let n = instance.n_students();
    let offsets = &instance.pref_offsets;
    let prefs = &instance.pref_schools;
    let mut schools = Schools::new(instance, Ks::Key::default());
    let mut school_of = vec![NONE; n];
    // (next entry to propose to, end of list) per pupil, side by side.
    let mut cursor: Vec<[u32; 2]> = (0..n).map(|i| [offsets[i], offsets[i + 1]]).collect();
    let words = n.div_ceil(64);
    let mut free = vec![0u64; words];
    let mut waiting = vec![0u64; words];
    let mut any_free = false;
    for st in 0..n {
        if offsets[st] < offsets[st + 1] {
            free[st / 64] |= 1 << (st % 64);
            any_free = true;
        }
    }
    let mut extra = Vec::new();
    let mut proposals = 0u64;
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
    EngineResult {
        school_of,
        proposals,
        rounds,
    }
}
