//! The parallel first rounds of deferred acceptance without reserves, run while many pupils
//! are proposing; the sequential loop finishes from where they stop.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use rayon::prelude::*;

use crate::instance::Instance;

use super::keys::Keys;
use super::schools::{propose_responsive, Meta, Schools};

/// The parallel rounds run while at least this many pupils are proposing...
pub(super) const PARALLEL_MIN_FREE: usize = 1 << 14;

/// ...and at least one pupil in `PARALLEL_SHARE` is. Rounds lose the locality of the
/// sequential loop, where a rejected pupil proposes on at once down the same cache lines of
/// their list; they pay off only while proposals are dense (measured in docs/perf.md: the
/// first round, where every pupil proposes, gains on two threads, the sparse later rounds
/// lose).
pub(super) const PARALLEL_SHARE: usize = 2;

/// What the parallel rounds leave for the sequential loop.
pub(super) struct Rounds {
    /// Next entry to propose to (low half) and end of the list (high half), per pupil.
    pub(super) next: Vec<AtomicU64>,
    /// Bitmap of the pupils rejected in the last round, still to propose.
    pub(super) free: Vec<AtomicU64>,
    /// Proposals made.
    pub(super) proposals: u64,
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
pub(super) fn parallel_rounds<Ks>(
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
