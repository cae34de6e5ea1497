//! Worked examples from the literature with their known answers.
//!
//! Each test cites its source. Where the paper's own numbered example could not be
//! reproduced verbatim, the test says so and the answer was worked out by hand.

use xuewei_core::{
    chen_kesten, deferred_acceptance, immediate_acceptance, serial_dictatorship, ChoiceBand,
    Instance, InstanceBuilder, Lottery, LotteryParams, ReserveOrder, SchoolId, StudentId,
    UnfilledReserves,
};

/// Builds an instance from `(school, capacity, priority)` and `(pupil, list)`; a priority is
/// a space-separated order, highest first, with `{a b}` for a tie.
fn instance(schools: &[(&str, u32, &str)], students: &[(&str, &str)]) -> Instance {
    let tiers = |p: &str| -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut group: Option<Vec<String>> = None;
        for tok in p.split_whitespace() {
            let open = tok.starts_with('{');
            let close = tok.ends_with('}');
            let name = tok.trim_matches(|c| c == '{' || c == '}').to_owned();
            match (&mut group, open) {
                (None, true) => group = Some(vec![name]),
                (Some(g), _) => g.push(name),
                (None, false) => out.push(vec![name]),
            }
            if close {
                out.extend(group.take());
            }
        }
        out
    };
    let mut b = InstanceBuilder::new();
    let school_ids: Vec<SchoolId> = schools
        .iter()
        .map(|&(id, capacity, _)| b.add_school(id, capacity))
        .collect();
    let school = |name: &str| {
        let i = schools.iter().position(|s| s.0 == name);
        school_ids[i.unwrap_or_else(|| panic!("unknown school {name}"))]
    };
    let student_ids: Vec<StudentId> = students
        .iter()
        .map(|&(id, list)| b.add_student(id, list.split_whitespace().map(school)))
        .collect();
    let student = |name: &str| {
        let i = students.iter().position(|s| s.0 == name);
        student_ids[i.unwrap_or_else(|| panic!("unknown pupil {name}"))]
    };
    for (&(_, _, priority), &s) in schools.iter().zip(&school_ids) {
        for tier in tiers(priority) {
            b.push_tier(s, tier.iter().map(|name| student(name)));
        }
    }
    b.build().expect("valid instance")
}

/// Asserts `expected` ("pupil:school ...", `-` for unplaced) against an assignment.
fn check(instance: &Instance, assignment: &xuewei_core::Assignment, expected: &str) {
    let mut got = Vec::new();
    for (st, s) in assignment.iter() {
        got.push(format!(
            "{}:{}",
            instance.student_name(st),
            s.map_or("-", |s| instance.school_name(s))
        ));
    }
    assert_eq!(got.join(" "), expected);
}

fn lottery(instance: &Instance) -> Lottery {
    Lottery::draw(instance, &LotteryParams::default())
}

/// Gale & Shapley (1962), "College admissions and the stability of marriage", Amer. Math.
/// Monthly 69(1), the 3×3 ranking-matrix example with three stable matchings: with men
/// α, β, γ proposing (pupils) to women A, B, C (one-seat schools), every man gets his first
/// choice (the man-optimal stable matching).
#[test]
fn gale_shapley_1962_three_by_three() {
    let inst = instance(
        &[("A", 1, "β γ α"), ("B", 1, "γ α β"), ("C", 1, "α β γ")],
        &[("α", "A B C"), ("β", "B C A"), ("γ", "C A B")],
    );
    let l = lottery(&inst);
    check(&inst, &deferred_acceptance(&inst, &l), "α:A β:B γ:C");
}

fn as2003() -> Instance {
    instance(
        &[
            ("s1", 2, "i1 i2 i3 i4 i5 i6 i7 i8"),
            ("s2", 2, "i3 i5 i4 i8 i7 i2 i1 i6"),
            ("s3", 3, "i5 i3 i1 i7 i2 i8 i6 i4"),
            ("s4", 3, "i6 i8 i7 i4 i2 i3 i5 i1"),
        ],
        &[
            ("i1", "s2 s1 s3 s4"),
            ("i2", "s1 s2 s3 s4"),
            ("i3", "s3 s2 s1 s4"),
            ("i4", "s3 s4 s1 s2"),
            ("i5", "s1 s3 s4 s2"),
            ("i6", "s4 s1 s2 s3"),
            ("i7", "s1 s2 s3 s4"),
            ("i8", "s1 s2 s4 s3"),
        ],
    )
}

/// Abdulkadiroğlu & Sönmez (2003), "School choice: a mechanism design approach", AER 93(3),
/// appendix example (8 pupils, 4 schools with 2, 2, 3, 3 seats): the pupil-optimal stable
/// matching. Also fixtures/match/as2003.json.
#[test]
fn abdulkadiroglu_sonmez_2003_deferred_acceptance() {
    let inst = as2003();
    let l = lottery(&inst);
    check(
        &inst,
        &deferred_acceptance(&inst, &l),
        "i1:s1 i2:s1 i3:s3 i4:s3 i5:s3 i6:s4 i7:s2 i8:s2",
    );
}

/// The same example under the Boston mechanism: i5 ranks s1 first and takes it in round 1
/// although i1 and i2 rank higher there; i7 misses s1 and s2, which filled in earlier rounds.
#[test]
fn abdulkadiroglu_sonmez_2003_boston() {
    let inst = as2003();
    let l = lottery(&inst);
    let expected = "i1:s2 i2:s1 i3:s3 i4:s3 i5:s1 i6:s4 i7:s3 i8:s2";
    check(&inst, &immediate_acceptance(&inst, &l), expected);
    check(
        &inst,
        &chen_kesten(&inst, &l, ChoiceBand::Choices(1)),
        expected,
    );
    // Bands of two or more choices already give the stable matching here.
    check(
        &inst,
        &chen_kesten(&inst, &l, ChoiceBand::Choices(2)),
        "i1:s1 i2:s1 i3:s3 i4:s3 i5:s3 i6:s4 i7:s2 i8:s2",
    );
}

/// Haeringer & Klijn (2009), "Constrained school choice", JET 144(5), §3.4 illustrative
/// example (4 pupils; s1, s2, s3 with 1, 2, 1 seats): published outcomes
/// Boston β(P) = {s1: i2; s2: i1, i4; s3: i3} and DA γ(P) = {s1: i1; s2: i3, i4; s3: i2}.
#[test]
fn haeringer_klijn_2009_boston_and_da() {
    let inst = instance(
        &[
            ("s1", 1, "i1 i2 i3 i4"),
            ("s2", 2, "i3 i4 i1 i2"),
            ("s3", 1, "i4 i1 i2 i3"),
        ],
        &[
            ("i1", "s2 s1 s3"),
            ("i2", "s1 s2 s3"),
            ("i3", "s1 s2 s3"),
            ("i4", "s2 s3 s1"),
        ],
    );
    let l = lottery(&inst);
    check(
        &inst,
        &immediate_acceptance(&inst, &l),
        "i1:s2 i2:s1 i3:s3 i4:s2",
    );
    check(
        &inst,
        &deferred_acceptance(&inst, &l),
        "i1:s1 i2:s3 i3:s2 i4:s2",
    );
}

/// The nesting of Chen & Kesten (2017), "Chinese college admissions and school choice
/// reforms: a theoretical analysis", JPE 125(1): band 1 is Boston, a band covering the whole
/// list is DA, and band 2 lies strictly between. Hand-worked instance (not the paper's own
/// example): with e = 2, i4 is rejected by both of its first two choices in round 1, the
/// holds of round 1 become final, and i4 takes s1 in round 2; under DA, i4's later proposal
/// to s2 sets off a chain that moves i2 and i3.
#[test]
fn chen_kesten_2017_band_nesting() {
    let inst = instance(
        &[
            ("s1", 1, "i1 i3 i2 i4"),
            ("s2", 1, "i2 i4 i3 i1"),
            ("s3", 1, "i3 i2 i4 i1"),
            ("s4", 1, "i1 i4 i3 i2"),
        ],
        &[
            ("i1", "s4 s3 s2 s1"),
            ("i2", "s4 s3 s2 s1"),
            ("i3", "s4 s2 s3 s1"),
            ("i4", "s3 s4 s2 s1"),
        ],
    );
    let l = lottery(&inst);
    check(
        &inst,
        &chen_kesten(&inst, &l, ChoiceBand::Choices(1)),
        "i1:s4 i2:s1 i3:s2 i4:s3",
    );
    check(
        &inst,
        &chen_kesten(&inst, &l, ChoiceBand::Choices(2)),
        "i1:s4 i2:s3 i3:s2 i4:s1",
    );
    check(
        &inst,
        &chen_kesten(&inst, &l, ChoiceBand::Unlimited),
        "i1:s4 i2:s2 i3:s3 i4:s1",
    );
    check(
        &inst,
        &deferred_acceptance(&inst, &l),
        "i1:s4 i2:s2 i3:s3 i4:s1",
    );
}

/// Serial dictatorship by score (分数优先): the highest score picks first; equal scores are
/// ordered by the published draw. Hand-worked.
#[test]
fn serial_by_score_with_a_published_draw() {
    let mut b = InstanceBuilder::new();
    let no1 = b.add_school("No1", 1);
    let no2 = b.add_school("No2", 2);
    let a = b.add_student("a", [no1, no2]);
    let bb = b.add_student("b", [no1, no2]);
    let c = b.add_student("c", [no1]);
    let d = b.add_student("d", [no1, no2]);
    for (pupil, score) in [(a, 610.0), (bb, 640.0), (c, 610.0)] {
        b.set_score(pupil, score);
    }
    b.set_lottery(vec![d, c, bb, a]);
    let inst = b.build().expect("valid");
    let l = lottery(&inst);
    // b (640) takes No1; c beats a on the draw but listed only No1; a then d take No2.
    check(
        &inst,
        &serial_dictatorship(&inst, &l),
        "a:No2 b:No1 c:- d:No2",
    );
}

/// Reserved seats (指标到校): with "reserved-first" the group's best member takes the
/// reserved seat and the open seat goes by priority; with "open-first" the open seat goes by
/// priority first, so the group can win both. Unfilled reserved seats revert to open or
/// stay empty as told. Hand-worked, in the style of Dur, Kominers, Pathak & Sönmez (2018),
/// "Reserve design: unintended consequences and the demise of Boston's walk zones", JPE 126(6).
#[test]
fn reserve_order_and_unfilled_reserves() {
    let make = |order: ReserveOrder, unfilled: UnfilledReserves, with_member_b: bool| {
        let mut b = InstanceBuilder::new();
        let h = b.add_school("H", 2);
        let m1 = b.add_student("m1", [h]);
        let x = b.add_student("x", [h]);
        let m2 = b.add_student("m2", if with_member_b { vec![h] } else { vec![] });
        let j = b.group("J");
        b.set_group(m1, j);
        b.set_group(m2, j);
        for tier in [m1, x, m2] {
            b.push_tier(h, [tier]);
        }
        b.add_reserve(h, j, 1);
        b.set_reserve_policy(h, order, unfilled);
        b.build().expect("valid")
    };
    let run = |inst: &Instance| deferred_acceptance(inst, &lottery(inst));
    // reserved-first: m1 takes the reserved seat, x (tier 1) beats m2 for the open seat.
    let i = make(ReserveOrder::ReservedFirst, UnfilledReserves::Open, true);
    check(&i, &run(&i), "m1:H x:H m2:-");
    // open-first: m1 takes the open seat, then the reserved seat goes to m2 over x.
    let i = make(ReserveOrder::OpenFirst, UnfilledReserves::Open, true);
    check(&i, &run(&i), "m1:H x:- m2:H");
    // Without a second member, open-first with seats that stay empty leaves x out.
    let i = make(ReserveOrder::OpenFirst, UnfilledReserves::Empty, false);
    check(&i, &run(&i), "m1:H x:- m2:-");
    // ... and with reverting seats x gets the reserved seat.
    let i = make(ReserveOrder::OpenFirst, UnfilledReserves::Open, false);
    check(&i, &run(&i), "m1:H x:H m2:-");
}
