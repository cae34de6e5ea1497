//! The defining properties of one result, each returning what is wrong.

use xuewei_core::mechanism::serial::score_order;
use xuewei_core::{verify, Assignment, Instance, Lottery, SchoolId, StudentId};

use super::prefs::rank;

/// Feasibility every mechanism owes: one entry per pupil, no school over its seats (or its
/// slot rule, with reserves), nobody at a school they did not list, and as many seats filled
/// as pupils placed.
///
/// # Errors
/// The first of these that fails, with the offenders.
pub fn feasible(instance: &Instance, a: &Assignment) -> Result<(), String> {
    ensure_eq!(a.len(), instance.n_students(), "one entry per pupil");
    ensure_eq!(
        verify::over_capacity(instance, a),
        Vec::<SchoolId>::new(),
        "over capacity"
    );
    ensure_eq!(
        verify::unlisted_placements(instance, a),
        Vec::<StudentId>::new(),
        "placed at an unlisted school"
    );
    let filled: u64 = a
        .filled(instance.n_schools())
        .iter()
        .map(|&f| u64::from(f))
        .sum();
    ensure_eq!(filled, a.n_placed() as u64, "filled seats = placed pupils");
    Ok(())
}

/// Stability under the tie-broken priorities of `lottery`: nobody their school's choice rule
/// would not keep, and no blocking pair (no justified envy, no waste).
///
/// # Errors
/// The pupils a school rejects, or the blocking pairs.
pub fn stable(instance: &Instance, lottery: &Lottery, a: &Assignment) -> Result<(), String> {
    ensure_eq!(
        verify::unchosen(instance, lottery, a),
        Vec::<StudentId>::new(),
        "a pupil the school's choice rule rejects"
    );
    ensure_eq!(
        verify::blocking_pairs(instance, lottery, a),
        vec![],
        "blocking pair"
    );
    Ok(())
}

/// Non-wastefulness: no pupil prefers a school that could admit them without turning anyone
/// away.
///
/// # Errors
/// The wasted seats, as (pupil, school) pairs.
pub fn non_wasteful(instance: &Instance, lottery: &Lottery, a: &Assignment) -> Result<(), String> {
    ensure_eq!(
        verify::wasted_seats(instance, lottery, a),
        vec![],
        "wasted seat"
    );
    Ok(())
}

/// What immediate acceptance (Boston) promises without reserves: a pupil not at their first
/// choice finds it full. (With reserves a school may keep seats empty for a group.)
///
/// # Errors
/// The first pupil turned away from a first choice with a free seat.
pub fn first_choices_full(instance: &Instance, a: &Assignment) -> Result<(), String> {
    let filled = a.filled(instance.n_schools());
    for st in instance.students() {
        if let Some(&first) = instance.preferences(st).first() {
            if a.school_of(st) != Some(first) {
                ensure_eq!(
                    filled[first.index()],
                    instance.capacity(first),
                    "pupil {st:?} left out of a first choice with a free seat"
                );
            }
        }
    }
    Ok(())
}

/// What serial dictatorship promises without reserves: a pupil who prefers a school to their
/// placement finds it full, and full of pupils earlier in the score order
/// ([`score_order`] under `lottery`).
///
/// # Errors
/// The first pupil passed over.
pub fn respects_score_order(
    instance: &Instance,
    lottery: &Lottery,
    a: &Assignment,
) -> Result<(), String> {
    let order = score_order(instance, lottery);
    let mut position = vec![0usize; instance.n_students()];
    for (p, st) in order.iter().enumerate() {
        position[st.index()] = p;
    }
    let by_school = a.by_school(instance.n_schools());
    let filled = a.filled(instance.n_schools());
    for st in instance.students() {
        let mine = rank(instance, st, a.school_of(st));
        for &s in instance.preferences(st).iter().take(mine) {
            ensure_eq!(
                filled[s.index()],
                instance.capacity(s),
                "pupil {st:?} passed over a free seat"
            );
            ensure!(
                by_school
                    .students_at(s)
                    .iter()
                    .all(|o| position[o.index()] < position[st.index()]),
                "a pupil later in the score order took pupil {st:?}'s school {s:?}"
            );
        }
    }
    Ok(())
}
