//! Placements compared through the pupils' lists.

use xuewei_core::{Assignment, Instance, SchoolId, StudentId};

/// Position of `school` in the pupil's list (0 = first choice); `usize::MAX`, the worst, for
/// no school or a school the pupil did not list.
#[must_use]
pub fn rank(instance: &Instance, student: StudentId, school: Option<SchoolId>) -> usize {
    school
        .and_then(|s| instance.rank_of(student, s))
        .unwrap_or(usize::MAX)
}

/// Whether the pupil likes `a` at least as much as `b` (unplaced is worst).
#[must_use]
pub fn weakly_prefers(
    instance: &Instance,
    student: StudentId,
    a: Option<SchoolId>,
    b: Option<SchoolId>,
) -> bool {
    rank(instance, student, a) <= rank(instance, student, b)
}

/// Whether `a` makes every pupil weakly and some pupil strictly better off than `b`
/// (Pareto dominance).
#[must_use]
pub fn dominates(instance: &Instance, a: &Assignment, b: &Assignment) -> bool {
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

/// The schools of an assignment as a plain vector, for comparisons that ignore statistics.
#[must_use]
pub fn schools_of(a: &Assignment) -> Vec<Option<SchoolId>> {
    a.iter().map(|(_, s)| s).collect()
}
