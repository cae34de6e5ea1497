//! Oracles shared by the fuzz targets: the defining properties of every mechanism, checked
//! with [`xuewei_core::verify`] as the property tests do (`crates/xuewei-core/tests/`), and a
//! byte reader that turns fuzz input into small instances.
//!
//! A failed check panics, which libFuzzer reports as a crash with the input that caused it.

use std::collections::HashSet;

use libfuzzer_sys::arbitrary::{Result as ArbResult, Unstructured};
use xuewei_core::city::{assign, AssignParams, City, How};
use xuewei_core::mechanism::serial::score_order;
use xuewei_core::{
    deferred_acceptance, immediate_acceptance, school_proposing, serial_dictatorship, solve,
    stable_improvement_cycles, verify, Assignment, ChoiceBand, Instance, InstanceBuilder, Lottery,
    LotteryParams, Mechanism, ReserveOrder, SchoolId, SeatRule, Sector, SolveParams, StudentId,
    TieBreak, UnfilledReserves,
};

/// Schools of an assignment as a plain vector (ignores statistics).
#[must_use]
pub fn schools_of(a: &Assignment) -> Vec<Option<SchoolId>> {
    a.iter().map(|(_, s)| s).collect()
}

/// Position of a placement in the pupil's list; unplaced is worst.
fn rank(instance: &Instance, st: StudentId, s: Option<SchoolId>) -> usize {
    s.and_then(|s| instance.rank_of(st, s))
        .unwrap_or(usize::MAX)
}

/// Feasibility every mechanism owes: one entry per pupil, no school over its seats (or its
/// slot rule), nobody at a school they did not list.
pub fn assert_feasible(instance: &Instance, a: &Assignment, what: &str) {
    assert_eq!(
        a.len(),
        instance.n_students(),
        "{what}: one entry per pupil"
    );
    assert_eq!(
        verify::over_capacity(instance, a),
        Vec::<SchoolId>::new(),
        "{what}: over capacity"
    );
    assert_eq!(
        verify::unlisted_placements(instance, a),
        Vec::<StudentId>::new(),
        "{what}: placed at an unlisted school"
    );
    let filled: u64 = a
        .filled(instance.n_schools())
        .iter()
        .map(|&f| u64::from(f))
        .sum();
    assert_eq!(
        filled,
        a.n_placed() as u64,
        "{what}: filled seats = placed pupils"
    );
}

/// Stability under the tie-broken priorities: nobody their school would not keep, no blocking
/// pair (no justified envy, no waste).
pub fn assert_stable(instance: &Instance, lottery: &Lottery, a: &Assignment, what: &str) {
    assert_eq!(
        verify::unchosen(instance, lottery, a),
        Vec::<StudentId>::new(),
        "{what}: a pupil the school's choice rule rejects"
    );
    assert_eq!(
        verify::blocking_pairs(instance, lottery, a),
        vec![],
        "{what}: blocking pair"
    );
}

/// Runs every mechanism on `instance` through [`solve`] and checks what each one defines:
///
/// - all: feasibility ([`assert_feasible`]) and the same result for the same seed;
/// - deferred acceptance (pupil- and school-proposing, Chen–Kesten with an unlimited band):
///   stable; pupil-proposing also non-wasteful, and every pupil weakly prefers it to the
///   school-proposing result;
/// - Chen–Kesten: band 1 is Boston, a band as long as the longest list is deferred
///   acceptance;
/// - stable improvement cycles after deferred acceptance: weakly stable, every pupil weakly
///   better off, the movers counted, nothing left to improve;
/// - Boston without reserves: a pupil not at their first choice finds it full;
/// - serial dictatorship without reserves: a pupil who prefers a school finds it full of
///   pupils earlier in the score order;
/// - on tiny instances, by brute force: deferred acceptance is the pupil-optimal stable
///   matching, and without reserves no feasible assignment Pareto-dominates TTC.
///
/// # Panics
/// When a property fails (that is the point).
pub fn check_mechanisms(instance: &Instance, seed: u64, tie_break: TieBreak, band: u32) {
    let n_students = instance.n_students();
    let base = SolveParams::default().seed(seed).tie_break(tie_break);
    let longest = instance
        .students()
        .map(|st| instance.preferences(st).len())
        .max()
        .unwrap_or(0) as u32;
    let mechanisms = [
        Mechanism::DeferredAcceptance,
        Mechanism::SchoolProposing,
        Mechanism::ImmediateAcceptance,
        Mechanism::TopTradingCycles,
        Mechanism::Serial,
        Mechanism::ChenKesten(ChoiceBand::Choices(band)),
        Mechanism::ChenKesten(ChoiceBand::Choices(1)),
        Mechanism::ChenKesten(ChoiceBand::Choices(longest.max(1))),
        Mechanism::ChenKesten(ChoiceBand::Unlimited),
    ];
    let mut results = Vec::with_capacity(mechanisms.len());
    for mechanism in mechanisms {
        let params = base.mechanism(mechanism);
        let out = solve(instance, &params).unwrap_or_else(|e| panic!("{mechanism:?}: {e}"));
        let what = format!("{mechanism:?}");
        assert_feasible(instance, &out.assignment, &what);
        assert!(!out.improved, "{what}: improvement cycles ran uninvited");
        if mechanism.is_stable() {
            assert_stable(instance, &out.lottery, &out.assignment, &what);
        }
        let again = solve(instance, &params).expect("conservation");
        assert_eq!(
            again.assignment, out.assignment,
            "{what}: same seed, other result"
        );
        assert_eq!(
            again.lottery.order(),
            out.lottery.order(),
            "{what}: same seed, other draw"
        );
        results.push(out);
    }
    let lottery = &results[0].lottery;
    assert_eq!(
        lottery.order().len(),
        n_students,
        "the draw orders every pupil"
    );
    let da = &results[0].assignment;
    let sp = &results[1].assignment;
    let boston = &results[2].assignment;
    let serial = &results[4].assignment;
    assert_eq!(
        verify::wasted_seats(instance, lottery, da),
        vec![],
        "deferred acceptance wastes a seat"
    );
    for st in instance.students() {
        assert!(
            rank(instance, st, da.school_of(st)) <= rank(instance, st, sp.school_of(st)),
            "pupil {st:?} prefers the school-proposing result to the pupil-optimal one"
        );
    }
    assert_eq!(
        schools_of(&results[6].assignment),
        schools_of(boston),
        "Chen–Kesten with band 1 differs from Boston"
    );
    assert_eq!(
        schools_of(&results[7].assignment),
        schools_of(da),
        "Chen–Kesten with the longest list as band differs from deferred acceptance"
    );
    assert_eq!(
        schools_of(&results[8].assignment),
        schools_of(da),
        "Chen–Kesten with an unlimited band differs from deferred acceptance"
    );
    // The direct calls agree with `solve`.
    assert_eq!(&deferred_acceptance(instance, lottery), da);
    assert_eq!(&school_proposing(instance, lottery), sp);

    // Stable improvement cycles after deferred acceptance, directly and through `solve`.
    let improved = stable_improvement_cycles(instance, lottery, da.clone());
    assert_feasible(instance, &improved, "improvement cycles");
    assert_eq!(
        verify::weak_blocking_pairs(instance, lottery, &improved),
        vec![],
        "improvement cycles: weakly blocking pair"
    );
    let mut moved = 0u64;
    for st in instance.students() {
        assert!(
            rank(instance, st, improved.school_of(st)) <= rank(instance, st, da.school_of(st)),
            "improvement cycles made pupil {st:?} worse off"
        );
        moved += u64::from(improved.school_of(st) != da.school_of(st));
    }
    assert_eq!(
        improved.stats().students_improved,
        moved,
        "movers miscounted"
    );
    let again = stable_improvement_cycles(instance, lottery, improved.clone());
    assert_eq!(
        again.stats().improvement_cycles,
        0,
        "improvement left a cycle"
    );
    let via_solve = solve(instance, &base.improve(true)).expect("conservation");
    assert!(via_solve.improved);
    assert_eq!(via_solve.assignment, improved, "solve(improve) differs");

    if !instance.has_reserves() {
        let filled = boston.filled(instance.n_schools());
        for st in instance.students() {
            if let Some(&first) = instance.preferences(st).first() {
                if boston.school_of(st) != Some(first) {
                    assert_eq!(
                        filled[first.index()],
                        instance.capacity(first),
                        "Boston: pupil {st:?} left out of a first choice with a free seat"
                    );
                }
            }
        }
        let order = score_order(instance, &results[4].lottery);
        let mut position = vec![0usize; n_students];
        for (p, st) in order.iter().enumerate() {
            position[st.index()] = p;
        }
        let by_school = serial.by_school(instance.n_schools());
        let filled = serial.filled(instance.n_schools());
        for st in instance.students() {
            let mine = rank(instance, st, serial.school_of(st));
            for (k, &s) in instance.preferences(st).iter().enumerate() {
                if k >= mine {
                    break;
                }
                assert_eq!(
                    filled[s.index()],
                    instance.capacity(s),
                    "serial: pupil {st:?} passed over a free seat"
                );
                assert!(
                    by_school
                        .students_at(s)
                        .iter()
                        .all(|o| position[o.index()] < position[st.index()]),
                    "serial: a pupil later in the score order took pupil {st:?}'s school"
                );
            }
        }
    }

    if let Some(all) = all_assignments(instance, 1024) {
        let stable: Vec<&Assignment> = all
            .iter()
            .filter(|a| {
                verify::over_capacity(instance, a).is_empty()
                    && verify::unchosen(instance, lottery, a).is_empty()
                    && verify::blocking_pairs(instance, lottery, a).is_empty()
            })
            .collect();
        assert!(
            stable.iter().any(|a| schools_of(a) == schools_of(da)),
            "deferred acceptance is not among the stable matchings"
        );
        for other in &stable {
            for st in instance.students() {
                assert!(
                    rank(instance, st, da.school_of(st)) <= rank(instance, st, other.school_of(st)),
                    "a stable matching is better than deferred acceptance for pupil {st:?}"
                );
            }
        }
        if !instance.has_reserves() {
            let ttc = &results[3].assignment;
            let dominated = all.iter().any(|a| {
                verify::over_capacity(instance, a).is_empty() && dominates(instance, a, ttc)
            });
            assert!(!dominated, "a feasible assignment Pareto-dominates TTC");
        }
    }
}

/// Whether `a` makes every pupil weakly and some pupil strictly better off than `b`.
fn dominates(instance: &Instance, a: &Assignment, b: &Assignment) -> bool {
    let mut strict = false;
    for st in instance.students() {
        let (ra, rb) = (
            rank(instance, st, a.school_of(st)),
            rank(instance, st, b.school_of(st)),
        );
        if ra > rb {
            return false;
        }
        strict |= ra < rb;
    }
    strict
}

/// Every assignment of pupils to listed schools (or none), if there are at most `limit`.
#[must_use]
pub fn all_assignments(instance: &Instance, limit: usize) -> Option<Vec<Assignment>> {
    let mut count = 1usize;
    for st in instance.students() {
        count = count.checked_mul(instance.preferences(st).len() + 1)?;
        if count > limit {
            return None;
        }
    }
    let mut out = Vec::with_capacity(count);
    let mut cur: Vec<Option<SchoolId>> = vec![None; instance.n_students()];
    fn rec(
        instance: &Instance,
        i: usize,
        cur: &mut Vec<Option<SchoolId>>,
        out: &mut Vec<Assignment>,
    ) {
        if i == cur.len() {
            out.push(Assignment::from_schools(cur.iter().copied()));
            return;
        }
        cur[i] = None;
        rec(instance, i + 1, cur, out);
        for &s in instance.preferences(StudentId::from_index(i)) {
            cur[i] = Some(s);
            rec(instance, i + 1, cur, out);
        }
        cur[i] = None;
    }
    rec(instance, 0, &mut cur, &mut out);
    Some(out)
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

/// What a validated [`City`] promises: ids unique; every school, zone and district index in
/// range; pupils list only schools of their stage, once each; zones serve public schools of
/// their own stage, once each; coordinates finite and on the globe.
///
/// # Panics
/// When a promise is broken.
pub fn check_city_valid(city: &City) {
    let m = city.schools().len();
    let nd = city.districts().len();
    let mut ids = HashSet::new();
    for s in city.schools() {
        assert!(ids.insert(s.id.as_str()), "school id {} twice", s.id);
        assert!(!s.id.is_empty(), "empty school id");
        assert!(s.location.x().abs() <= 180.0 && s.location.y().abs() <= 90.0);
        assert!(s.district.is_none_or(|d| (d as usize) < nd));
    }
    let mut ids = HashSet::new();
    for p in city.pupils() {
        assert!(ids.insert(p.id.as_str()), "pupil id {} twice", p.id);
        assert!(!p.id.is_empty(), "empty pupil id");
        assert!(p.home.x().abs() <= 180.0 && p.home.y().abs() <= 90.0);
        assert!(p.sibling_school.is_none_or(|s| (s as usize) < m));
        assert!(p.score.is_none_or(|x| x.is_finite() && x >= 0.0));
        for (k, &s) in p.preferences.iter().enumerate() {
            assert!((s as usize) < m, "pupil {} lists school index {s}", p.id);
            assert_eq!(city.schools()[s as usize].stage, p.stage, "pupil {}", p.id);
            assert!(
                !p.preferences[..k].contains(&s),
                "pupil {} lists a school twice",
                p.id
            );
        }
    }
    let mut ids = HashSet::new();
    for z in city.zones() {
        assert!(ids.insert(z.id.as_str()), "zone id {} twice", z.id);
        assert!(!z.id.is_empty(), "empty zone id");
        assert!(z.district.is_none_or(|d| (d as usize) < nd));
        for (k, &s) in z.schools.iter().enumerate() {
            assert!((s as usize) < m, "zone {} lists school index {s}", z.id);
            let school = &city.schools()[s as usize];
            assert_eq!(school.stage, z.stage, "zone {}", z.id);
            assert_eq!(school.sector, Sector::Public, "zone {}", z.id);
            assert!(
                !z.schools[..k].contains(&s),
                "zone {} lists a school twice",
                z.id
            );
        }
    }
}

/// Assigns `city` and checks the result: one placement per pupil; a placement has a school
/// exactly when it is not `Unplaced`, and that school is of the pupil's stage; private
/// places only at private schools the pupil listed; zone and lottery places only at a school
/// of the pupil's zone of the right stage (one school for `zone`, several for `lottery`);
/// overflow places only at public schools; every unplaced pupil has a reason, and no public
/// school of their stage has a free seat (overflow places as many as possible); distances
/// finite and non-negative exactly for placed pupils; per-school counts match the
/// placements; no school over its seats except public ones under `guarantee`; classes
/// seat exactly the school's pupils; the stage summaries add up; every published draw
/// orders distinct pupils of its stage; the same inputs give the same placements.
///
/// # Panics
/// When a check fails.
pub fn check_city_assignment(city: &City, params: &AssignParams) {
    let result = assign(city, params).unwrap_or_else(|e| panic!("conservation: {e}"));
    let schools = city.schools();
    let pupils = city.pupils();
    assert_eq!(
        result.placements.len(),
        pupils.len(),
        "one placement per pupil"
    );
    assert_eq!(result.seats.len(), schools.len());
    assert_eq!(result.placed.len(), schools.len());
    assert_eq!(result.classes.len(), schools.len());
    let mut placed = vec![0u32; schools.len()];
    for (p, pl) in pupils.iter().zip(&result.placements) {
        assert_eq!(
            pl.school.is_some(),
            pl.how != How::Unplaced,
            "pupil {}: {pl:?}",
            p.id
        );
        assert_eq!(
            pl.school.is_some(),
            pl.distance_m.is_some(),
            "pupil {}: {pl:?}",
            p.id
        );
        if let Some(d) = pl.distance_m {
            assert!(d.is_finite() && d >= 0.0, "pupil {}: distance {d}", p.id);
        }
        let zone = pl.zone.map(|z| &city.zones()[z as usize]);
        if let Some(z) = zone {
            assert_eq!(
                z.stage, p.stage,
                "pupil {} located in a zone of another stage",
                p.id
            );
        }
        match pl.how {
            How::Unplaced => {
                assert!(
                    pl.reason.is_some(),
                    "pupil {} unplaced without a reason",
                    p.id
                );
            }
            How::Private => {
                let s = pl.school.expect("placed") as usize;
                assert_eq!(schools[s].sector, Sector::Private, "pupil {}", p.id);
                assert!(
                    p.preferences.contains(&(s as u32)),
                    "pupil {} did not list it",
                    p.id
                );
            }
            How::Zone | How::Lottery => {
                let s = pl.school.expect("placed");
                let z = zone.expect("a zone place has a zone");
                assert!(
                    z.schools.contains(&s),
                    "pupil {} placed outside their zone",
                    p.id
                );
                assert_eq!(
                    pl.how == How::Lottery,
                    z.schools.len() > 1,
                    "pupil {}",
                    p.id
                );
            }
            How::Overflow => {
                let s = pl.school.expect("placed") as usize;
                assert_eq!(schools[s].sector, Sector::Public, "pupil {}", p.id);
                assert!(
                    pl.reason.is_some(),
                    "overflow pupil {} without a reason",
                    p.id
                );
            }
        }
        if let Some(s) = pl.school {
            assert_eq!(
                schools[s as usize].stage, p.stage,
                "pupil {} at another stage",
                p.id
            );
            placed[s as usize] += 1;
        }
    }
    assert_eq!(placed, result.placed, "per-school counts");
    for (i, s) in schools.iter().enumerate() {
        let guarantee = params.policy_of(s.stage) == SeatRule::Guarantee;
        if !(guarantee && s.sector == Sector::Public) {
            assert!(
                placed[i] <= result.seats[i],
                "school {} holds {} for {} seats",
                s.id,
                placed[i],
                result.seats[i]
            );
        }
        let c = &result.classes[i];
        assert_eq!(
            c.pupils() + u64::from(c.without_classroom),
            u64::from(placed[i]),
            "classes of {}",
            s.id
        );
    }
    for (p, pl) in pupils.iter().zip(&result.placements) {
        if pl.how == How::Unplaced {
            for (i, s) in schools.iter().enumerate() {
                if s.stage == p.stage && s.sector == Sector::Public {
                    assert!(
                        placed[i] >= result.seats[i],
                        "pupil {} unplaced while {} has a free seat",
                        p.id,
                        s.id
                    );
                }
            }
        }
    }
    for (stage, summary) in &result.stages {
        let of_stage: Vec<_> = pupils
            .iter()
            .zip(&result.placements)
            .filter(|(p, _)| p.stage == *stage)
            .collect();
        assert_eq!(summary.pupils, of_stage.len(), "{stage}: pupils");
        assert_eq!(summary.placed + summary.unplaced, summary.pupils, "{stage}");
        assert_eq!(
            summary.zone + summary.lottery + summary.overflow + summary.private,
            summary.placed,
            "{stage}: placed by how"
        );
        let count = |how: How| of_stage.iter().filter(|(_, pl)| pl.how == how).count();
        assert_eq!(summary.unplaced, count(How::Unplaced), "{stage}: unplaced");
        assert_eq!(summary.overflow, count(How::Overflow), "{stage}: overflow");
        assert!(summary.admitted_beyond_standard <= summary.placed);
        let at_stage: u64 = schools
            .iter()
            .zip(&placed)
            .filter(|(s, _)| s.stage == *stage)
            .map(|(_, &n)| u64::from(n))
            .sum();
        assert_eq!(
            summary.classes.pupils_in_classes + summary.classes.pupils_without_classroom,
            at_stage,
            "{stage}: classes"
        );
        assert!(summary.mean_distance_m.is_finite() && summary.max_distance_m.is_finite());
    }
    for draw in &result.draws {
        let mut seen = HashSet::new();
        for &p in &draw.order {
            assert!((p as usize) < pupils.len(), "draw names pupil index {p}");
            assert_eq!(
                pupils[p as usize].stage, draw.stage,
                "draw of another stage"
            );
            assert!(seen.insert(p), "draw names pupil {p} twice");
        }
    }
    let again = assign(city, params).expect("conservation");
    assert_eq!(
        again.placements, result.placements,
        "same inputs, other placements"
    );
    let mut out = Vec::new();
    xuewei_io::city::write::placements(city, &result, &mut out).expect("writes to memory");
    let rows = csv::Reader::from_reader(out.as_slice()).records().count();
    assert_eq!(rows, pupils.len(), "placements.csv rows");
}

/// Invariance under input order: the instance rebuilt with its pupils rotated by `rot` and
/// its schools reversed, with the same single draw given explicitly, gets the same school
/// for every pupil (by name) from deferred acceptance, Boston and serial dictatorship.
///
/// # Panics
/// When a result changes with the order of the input.
pub fn check_input_order(instance: &Instance, seed: u64, rot: usize) {
    let lottery = Lottery::draw(instance, &LotteryParams::default().seed(seed));
    let n = instance.n_students();
    let m = instance.n_schools();
    let mut b = InstanceBuilder::new();
    let mut new_school = vec![SchoolId(0); m];
    for s in (0..m).rev() {
        let old = SchoolId::from_index(s);
        new_school[s] = b.add_school(instance.school_name(old), instance.capacity(old));
    }
    let mut new_student = vec![StudentId(0); n];
    for k in 0..n {
        let old = (k + rot) % n;
        let st = StudentId::from_index(old);
        let id = b.add_student(
            instance.student_name(st),
            instance
                .preferences(st)
                .iter()
                .map(|s| new_school[s.index()]),
        );
        if let Some(score) = instance.score(st) {
            b.set_score(id, score);
        }
        if let Some(g) = instance.group(st) {
            let g = b.group(instance.group_name(g));
            b.set_group(id, g);
        }
        new_student[old] = id;
    }
    for s in (0..m).rev() {
        let old = SchoolId::from_index(s);
        let named: Vec<(StudentId, u32)> = instance.named_priority(old).collect();
        for t in 0..instance.n_tiers(old) {
            b.push_tier(
                new_school[s],
                named
                    .iter()
                    .filter(|x| x.1 == t)
                    .map(|x| new_student[x.0.index()]),
            );
        }
        if let Some(p) = instance.reserves(old) {
            for r in &p.reserves {
                let g = b.group(instance.group_name(r.group));
                b.add_reserve(new_school[s], g, r.seats);
            }
            b.set_reserve_policy(new_school[s], p.order, p.unfilled);
        }
    }
    b.set_lottery(
        lottery
            .order()
            .iter()
            .map(|st| new_student[st.index()])
            .collect(),
    );
    let permuted = b.build().expect("a permuted valid instance is valid");
    let plottery = Lottery::draw(&permuted, &LotteryParams::default());
    let pairs = [
        (
            "deferred acceptance",
            deferred_acceptance(instance, &lottery),
            deferred_acceptance(&permuted, &plottery),
        ),
        (
            "Boston",
            immediate_acceptance(instance, &lottery),
            immediate_acceptance(&permuted, &plottery),
        ),
        (
            "serial",
            serial_dictatorship(instance, &lottery),
            serial_dictatorship(&permuted, &plottery),
        ),
    ];
    for (what, a, pa) in &pairs {
        for st in instance.students() {
            let before = a.school_of(st).map(|s| instance.school_name(s));
            let after = pa
                .school_of(new_student[st.index()])
                .map(|s| permuted.school_name(s));
            assert_eq!(
                before, after,
                "{what}: pupil {st:?} moves when the input is reordered"
            );
        }
    }
}
