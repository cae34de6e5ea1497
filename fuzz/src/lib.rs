//! What only the fuzz targets need: a byte reader that turns fuzz input into small valid
//! instances ([`read_case`]), and [`check`], which turns an oracle's verdict into a panic
//! (libFuzzer reports it as a crash with the input that caused it).
//!
//! The oracles themselves — the defining properties of every mechanism
//! (`check_mechanisms`), invariance under input order, the promises of a city and of its
//! assignment — live in `xuewei_testkit::oracle`, shared with the property tests in
//! `crates/*/tests/`.

use libfuzzer_sys::arbitrary::{Result as ArbResult, Unstructured};
use xuewei_core::{Instance, InstanceBuilder, ReserveOrder, SchoolId, TieBreak, UnfilledReserves};

/// Panics with the message of a failed oracle of `xuewei_testkit::oracle`.
///
/// # Panics
/// When `verdict` is an `Err` (that is the point).
#[track_caller]
pub fn check(verdict: Result<(), String>) {
    if let Err(e) = verdict {
        panic!("{e}");
    }
}

/// A small instance read from fuzz bytes, with the options to run it.
#[derive(Debug)]
pub struct Case {
    /// The instance (always valid: the reader only makes valid ones).
    pub instance: Instance,
    /// Lottery seed.
    pub seed: u64,
    /// Tie-breaking (ignored by the lottery when the instance carries a draw).
    pub tie_break: TieBreak,
    /// The band of the Chen–Kesten run.
    pub band: u32,
}

/// Reads a valid instance of at most `max_students` pupils and `max_schools` schools:
/// capacities 0..=5, lists without repeats, priority tiers, scores, groups, at most two
/// reserves per school (never above capacity) with either order and either treatment of
/// unfilled seats, and sometimes a published draw.
///
/// # Errors
/// Only when the bytes run out in a way `arbitrary` reports (rare; treat as "skip").
///
/// # Panics
/// If the builder rejects what the reader made valid (a bug in the builder or the reader).
pub fn read_case(
    u: &mut Unstructured<'_>,
    max_students: usize,
    max_schools: usize,
) -> ArbResult<Case> {
    let m = u.int_in_range(1..=max_schools)?;
    let n = u.int_in_range(0..=max_students)?;
    let mut b = InstanceBuilder::new();
    let capacities: Vec<u32> = (0..m)
        .map(|_| u.int_in_range(0..=5u32))
        .collect::<ArbResult<_>>()?;
    let schools: Vec<SchoolId> = capacities
        .iter()
        .enumerate()
        .map(|(i, &c)| b.add_school(format!("s{i}"), c))
        .collect();
    let groups = [b.group("g0"), b.group("g1")];
    let mut students = Vec::with_capacity(n);
    for i in 0..n {
        let len = u.int_in_range(0..=m)?;
        let mut list: Vec<SchoolId> = Vec::with_capacity(len);
        for _ in 0..len {
            let s = schools[u.choose_index(m)?];
            if !list.contains(&s) {
                list.push(s);
            }
        }
        let st = b.add_student(format!("p{i}"), list);
        if u.ratio(3, 4)? {
            b.set_score(st, f64::from(u.int_in_range(0..=4u8)?));
        }
        match u.int_in_range(0..=2u8)? {
            0 => {}
            g => b.set_group(st, groups[usize::from(g) - 1]),
        }
        students.push(st);
    }
    for &s in &schools {
        // Tiers: each pupil gets a tier 0..tiers, the last one meaning "not named".
        let tiers = u.int_in_range(0..=3u32)?;
        if tiers > 0 && n > 0 {
            let mut tier_of = Vec::with_capacity(n);
            for _ in 0..n {
                tier_of.push(u.int_in_range(0..=tiers)?);
            }
            for t in 0..tiers {
                b.push_tier(
                    s,
                    students
                        .iter()
                        .zip(&tier_of)
                        .filter(|&(_, &x)| x == t)
                        .map(|(&st, _)| st),
                );
            }
        }
        if u.ratio(1, 3)? {
            let cap = capacities[s.index()];
            let first = u.int_in_range(0..=cap)?;
            let second = u.int_in_range(0..=cap - first)?;
            b.add_reserve(s, groups[0], first);
            if u.ratio(1, 3)? {
                b.add_reserve(s, groups[1], second);
            }
            let order = if u.arbitrary()? {
                ReserveOrder::OpenFirst
            } else {
                ReserveOrder::ReservedFirst
            };
            let unfilled = if u.arbitrary()? {
                UnfilledReserves::Empty
            } else {
                UnfilledReserves::Open
            };
            b.set_reserve_policy(s, order, unfilled);
        }
    }
    if u.ratio(1, 5)? {
        let mut order = students.clone();
        for i in (1..order.len()).rev() {
            let j = u.int_in_range(0..=i)?;
            order.swap(i, j);
        }
        b.set_lottery(order);
    }
    let seed = u.arbitrary()?;
    let tie_break = if u.arbitrary()? {
        TieBreak::Multiple
    } else {
        TieBreak::Single
    };
    let band = u.int_in_range(0..=(m as u32 + 1))?;
    let instance = b.build().expect("the reader builds only valid instances");
    Ok(Case {
        instance,
        seed,
        tie_break,
        band,
    })
}
