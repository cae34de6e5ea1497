//! The schools' side of the proposals: each responsive school's holds in a d-ary max-heap
//! (worst hold at the root) in one flat array, and a small hold list under the slot choice
//! rule for each school with reserves.

use rayon::prelude::*;

use crate::ids::{SchoolId, NONE};
use crate::instance::Instance;
use crate::lottery::Rank;
use crate::mechanism::reserve_slots::{self, Block};

use super::keys::Keys;

/// Below this many preference entries, setup passes run on one thread.
const PARALLEL_MIN_ENTRIES: usize = 1 << 16;

struct Reserved {
    blocks: Vec<Block>,
    held: Vec<(Rank, u32)>,
}

/// Per-school state of a responsive school, packed so one cache line serves a proposal.
#[derive(Clone, Copy, Default)]
pub(super) struct Meta {
    /// Start of the heap region in `heap`.
    pub(super) start: u32,
    /// Seats usable now: the school's seats capped by its applicants, less the holds made
    /// final in earlier bands. The heap occupies the first `cap` slots of the region.
    pub(super) cap: u32,
    /// Current holds.
    pub(super) len: u32,
    /// Index into `reserved` for schools with reserves, `NONE` otherwise.
    reserved: u32,
}

/// Every school's holds.
pub(super) struct Schools<K> {
    pub(super) meta: Vec<Meta>,
    pub(super) heap: Vec<K>,
    reserved: Vec<Reserved>,
    slot_scratch: Vec<u32>,
}

impl<K: Copy + Ord> Schools<K> {
    pub(super) fn new(instance: &Instance, fill: K) -> Self {
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
pub(super) fn propose<Ks: Keys>(
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
pub(super) fn propose_responsive<Ks: Keys>(
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
pub(super) fn finalize<Ks: Keys>(schools: &mut Schools<Ks::Key>, keys: &Ks, school_of: &mut [u32]) {
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
