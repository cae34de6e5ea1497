//! Conservation of pupils, checked at the end of every run: every pupil who came in is
//! placed exactly once or reported unplaced with a reason, no school holds more pupils than
//! its seats allow, and every placement is one the pupil could have.
//!
//! [`solve`](crate::solve) runs [`check_match`] and [`city::assign`](fn@crate::city::assign)
//! runs [`city::conservation::check_city`](crate::city::conservation::check_city) before
//! returning, so a broken accounting surfaces as a [`ConservationError`] instead of
//! output files that quietly lose pupils. The mechanisms guarantee all of this by
//! construction and the property tests check it; the run-time check is the last line that
//! makes "nothing lost" a fact of every output rather than of the test suite.

use crate::assignment::Assignment;
use crate::instance::Instance;
use crate::model::Stage;
use crate::verify;

/// A run whose pupils do not add up. Never expected: it means a defect in xuewei, and the
/// run's output must not be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ConservationError {
    /// Pupils in ≠ placed + unplaced.
    #[error("conservation broken{}: {pupils} pupils in, {placed} placed + {unplaced} unplaced", in_stage(*stage))]
    Count {
        /// The stage, for a city run.
        stage: Option<Stage>,
        /// Pupils that came in.
        pupils: usize,
        /// Pupils placed.
        placed: usize,
        /// Pupils reported unplaced.
        unplaced: usize,
    },
    /// A pupil was left out of the result or appears in it twice.
    #[error("conservation broken: pupil \"{pupil}\" appears {times} times in the result")]
    Repeated {
        /// The pupil's id.
        pupil: String,
        /// How often they appear (0: missing).
        times: usize,
    },
    /// An unplaced pupil without a reason.
    #[error("conservation broken: pupil \"{pupil}\" is unplaced without a reason")]
    NoReason {
        /// The pupil's id.
        pupil: String,
    },
    /// A placement the pupil could not have: a school not on their list (match), or a
    /// school of another stage (city).
    #[error("conservation broken: pupil \"{pupil}\" placed at school \"{school}\": {why}")]
    Impossible {
        /// The pupil's id.
        pupil: String,
        /// The school's id.
        school: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A school holds more pupils than its seats allow.
    #[error("conservation broken: school \"{school}\" holds {placed} pupils for {seats} seats")]
    OverCapacity {
        /// The school's id.
        school: String,
        /// Pupils placed there.
        placed: u64,
        /// Its seats.
        seats: u64,
    },
}

fn in_stage(stage: Option<Stage>) -> String {
    stage.map_or_else(String::new, |s| format!(" in {s}"))
}

/// Checks a match: one entry per pupil, placements only at listed schools, seats respected
/// (reserved seats included). O(n·L).
pub fn check_match(instance: &Instance, assignment: &Assignment) -> Result<(), ConservationError> {
    let n = instance.n_students();
    if assignment.len() != n {
        let placed = assignment.n_placed();
        return Err(ConservationError::Count {
            stage: None,
            pupils: n,
            placed,
            unplaced: assignment.len() - placed,
        });
    }
    if let Some(&st) = verify::unlisted_placements(instance, assignment).first() {
        let school = assignment
            .school_of(st)
            .map_or("", |s| instance.school_name(s));
        return Err(ConservationError::Impossible {
            pupil: instance.student_name(st).to_owned(),
            school: school.to_owned(),
            why: "not on their list",
        });
    }
    if let Some(&s) = verify::over_capacity(instance, assignment).first() {
        let filled = assignment.filled(instance.n_schools());
        return Err(ConservationError::OverCapacity {
            school: instance.school_name(s).to_owned(),
            placed: u64::from(filled[s.index()]),
            seats: u64::from(instance.capacity(s)),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{deferred_acceptance, InstanceBuilder, Lottery, LotteryParams};

    fn instance() -> Instance {
        let mut b = InstanceBuilder::new();
        let x = b.add_school("X", 1);
        let y = b.add_school("Y", 1);
        b.add_student("a", [x]);
        b.add_student("b", [x]);
        b.add_student("c", [y]);
        b.build().expect("valid")
    }

    #[test]
    fn a_mechanism_result_conserves_pupils() {
        let inst = instance();
        let lottery = Lottery::draw(&inst, &LotteryParams::default());
        assert_eq!(
            check_match(&inst, &deferred_acceptance(&inst, &lottery)),
            Ok(())
        );
    }

    #[test]
    fn broken_match_results_are_errors() {
        let inst = instance();
        let [x, y] = [crate::SchoolId(0), crate::SchoolId(1)];
        // A pupil missing.
        let short = Assignment::from_schools([Some(x), None]);
        assert!(matches!(
            check_match(&inst, &short),
            Err(ConservationError::Count {
                pupils: 3,
                placed: 1,
                unplaced: 1,
                ..
            })
        ));
        // Two pupils in one seat.
        let over = Assignment::from_schools([Some(x), Some(x), Some(y)]);
        let err = check_match(&inst, &over).expect_err("over capacity");
        assert_eq!(
            err.to_string(),
            "conservation broken: school \"X\" holds 2 pupils for 1 seats"
        );
        // A school the pupil did not list.
        let unlisted = Assignment::from_schools([Some(y), None, None]);
        let err = check_match(&inst, &unlisted).expect_err("unlisted");
        assert!(
            err.to_string()
                .contains("pupil \"a\" placed at school \"Y\": not on their list"),
            "{err}"
        );
    }
}
