//! The JSON match interchange (`xuewei match`): `MatchInput::from_json` → `to_instance` →
//! every mechanism → `MatchOutput`.
//!
//! Checks: no panic on any text; a rejected input reports at least one problem; an accepted
//! one becomes an instance that says what the file says (ids unique and in input order,
//! capacities, lists, scores, tiers, the published draw); on small instances every mechanism
//! keeps its defining properties (`xuewei_testkit::oracle::check_mechanisms`), and the output
//! records add up (one entry per pupil, placed + unplaced = pupils, seats filled = placed,
//! every unplaced pupil listed with a reason) and serialise to JSON.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use xuewei_core::{solve, ChoiceBand, Mechanism, SchoolId, SolveParams, StudentId, TieBreak};
use xuewei_fuzz::check;
use xuewei_io::interchange::{MatchInput, MatchOutput};
use xuewei_testkit::oracle;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(input) = MatchInput::from_json("input.json", text) else {
        return;
    };
    let instance = match input.to_instance() {
        Ok(instance) => instance,
        Err(errors) => {
            assert!(!errors.0.is_empty(), "rejected without a reason");
            return;
        }
    };
    assert_eq!(instance.n_schools(), input.schools.len());
    assert_eq!(instance.n_students(), input.students.len());
    let mut names = HashSet::new();
    for (i, rec) in input.schools.iter().enumerate() {
        let s = SchoolId::from_index(i);
        assert_eq!(instance.school_name(s), rec.id.0);
        assert!(
            names.insert(rec.id.0.as_str()),
            "duplicate school id accepted"
        );
        assert_eq!(
            Some(u64::from(instance.capacity(s))),
            rec.capacity.as_u64(),
            "capacity"
        );
        assert_eq!(instance.n_tiers(s) as usize, rec.priority.len());
        let reserved: u64 = rec.reserves.iter().filter_map(|r| r.seats.as_u64()).sum();
        assert!(
            reserved <= u64::from(instance.capacity(s)),
            "reserves above capacity"
        );
    }
    let mut names = HashSet::new();
    for (i, rec) in input.students.iter().enumerate() {
        let st = StudentId::from_index(i);
        assert_eq!(instance.student_name(st), rec.id.0);
        assert!(
            names.insert(rec.id.0.as_str()),
            "duplicate pupil id accepted"
        );
        let listed: Vec<&str> = instance
            .preferences(st)
            .iter()
            .map(|&s| instance.school_name(s))
            .collect();
        let written: Vec<&str> = rec.preferences.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(listed, written, "preferences of {}", rec.id.0);
        assert_eq!(
            instance.score(st),
            rec.score.as_ref().and_then(serde_json::Value::as_f64)
        );
        assert_eq!(
            instance.group(st).map(|g| instance.group_name(g)),
            rec.group.as_ref().map(|g| g.0.as_str())
        );
    }
    for (i, rec) in input.schools.iter().enumerate() {
        let s = SchoolId::from_index(i);
        for (t, tier) in rec.priority.iter().enumerate() {
            for id in tier {
                let st = input
                    .students
                    .iter()
                    .position(|p| p.id == *id)
                    .map(StudentId::from_index)
                    .expect("named pupils exist");
                assert_eq!(
                    instance.tier(st, s) as usize,
                    t,
                    "tier of {} at {}",
                    id.0,
                    rec.id.0
                );
            }
        }
    }
    if let Some(order) = &input.lottery {
        let given: Vec<&str> = instance
            .given_lottery()
            .expect("the draw is kept")
            .iter()
            .map(|&st| instance.student_name(st))
            .collect();
        let written: Vec<&str> = order.iter().map(|id| id.0.as_str()).collect();
        assert_eq!(given, written);
    }

    // Mechanisms and the output, on instances small enough to keep the fuzzer fast.
    if instance.n_students() > 64
        || instance.n_schools() > 16
        || instance.n_preference_entries() > 512
        || instance.total_seats() > 1 << 20
    {
        return;
    }
    let seed = data.len() as u64;
    let tie_break = if data.len().is_multiple_of(2) {
        TieBreak::Single
    } else {
        TieBreak::Multiple
    };
    check(oracle::check_mechanisms(&instance, seed, tie_break, 2));
    for mechanism in [
        Mechanism::DeferredAcceptance,
        Mechanism::TopTradingCycles,
        Mechanism::ChenKesten(ChoiceBand::Choices(2)),
    ] {
        let params = SolveParams::default()
            .mechanism(mechanism)
            .seed(seed)
            .tie_break(tie_break)
            .improve(true);
        let outcome = solve(&instance, &params).expect("conservation");
        let out = MatchOutput::new(&instance, &outcome);
        let n = instance.n_students();
        assert_eq!(out.assignment.0.len(), n);
        assert_eq!(out.stats.pupils, n);
        assert_eq!(out.stats.placed + out.stats.unplaced, n);
        assert_eq!(out.unplaced.len(), out.stats.unplaced);
        assert!(out.unplaced.iter().all(|u| !u.reason.is_empty()));
        let placed = out.assignment.0.iter().filter(|(_, s)| s.is_some()).count();
        assert_eq!(placed, out.stats.placed);
        assert_eq!(
            out.stats.placed_by_choice.iter().sum::<u64>(),
            placed as u64
        );
        let filled: u64 = out.schools.iter().map(|s| u64::from(s.filled)).sum();
        assert_eq!(filled, placed as u64);
        assert_eq!(out.stats.seats, instance.total_seats());
        for s in &out.schools {
            assert!(s.filled <= s.seats, "school {} over its seats", s.id);
            assert_eq!(s.cutoff.is_some(), s.filled > 0, "cutoff of {}", s.id);
            for r in &s.reserves {
                assert!(r.filled <= r.seats, "reserve of {} over its seats", s.id);
            }
        }
        if let Some(order) = &out.lottery {
            assert_eq!(order.len(), n);
        }
        let json = serde_json::to_string(&out).expect("output serialises");
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    }
});
