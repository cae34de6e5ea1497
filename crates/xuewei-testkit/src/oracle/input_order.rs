//! Invariance under the order of the input.

use xuewei_core::{
    deferred_acceptance, immediate_acceptance, serial_dictatorship, Instance, InstanceBuilder,
    Lottery, LotteryParams, SchoolId, StudentId,
};

/// Invariance under input order: the instance rebuilt with its pupils rotated by `rot` and
/// its schools reversed — names, capacities, lists, scores, groups, priority tiers and
/// reserves carried over — and the single draw of `seed` given explicitly, gets the same
/// school for every pupil (by name) from deferred acceptance, Boston and serial
/// dictatorship.
///
/// # Errors
/// The first pupil whose school changes with the order of the input.
///
/// # Panics
/// If the builder rejects the rebuilt instance (a bug: a reordered valid instance is valid).
pub fn check_input_order(instance: &Instance, seed: u64, rot: usize) -> Result<(), String> {
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
            ensure_eq!(
                before,
                after,
                "{what}: pupil {st:?} moves when the input is reordered"
            );
        }
    }
    Ok(())
}
