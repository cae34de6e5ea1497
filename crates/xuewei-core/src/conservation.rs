//! Conservation of pupils, checked at the end of every run: every pupil who came in is
//! placed exactly once or reported unplaced with a reason, no school holds more pupils than
//! its seats allow, and every placement is one the pupil could have.
//!
//! [`solve`](crate::solve) and [`city::assign`](fn@crate::city::assign) run these checks
//! before returning, so a broken accounting surfaces as a [`ConservationError`] instead of
//! output files that quietly lose pupils. The mechanisms guarantee all of this by
//! construction and the property tests check it; the run-time check is the last line that
//! makes "nothing lost" a fact of every output rather than of the test suite.

use crate::assignment::Assignment;
use crate::city::{assign::How, AssignParams, City, CityAssignment};
use crate::class_size::SeatRule;
use crate::instance::Instance;
use crate::model::{Sector, Stage};
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

/// Checks a city assignment: one placement per pupil, a school exactly when placed and a
/// reason when not, schools of the pupil's stage, the per-school and per-stage counts in
/// agreement with the placements, and no school over its seats except public schools under
/// the guarantee policy (which admits every catchment pupil by design). O(n + m).
pub fn check_city(
    city: &City,
    params: &AssignParams,
    result: &CityAssignment,
) -> Result<(), ConservationError> {
    let pupils = city.pupils();
    let schools = city.schools();
    if result.placements.len() != pupils.len() {
        let placed = result
            .placements
            .iter()
            .filter(|p| p.school.is_some())
            .count();
        return Err(ConservationError::Count {
            stage: None,
            pupils: pupils.len(),
            placed,
            unplaced: result.placements.len() - placed,
        });
    }
    let mut placed = vec![0u64; schools.len()];
    let mut by_stage = [(0usize, 0usize, 0usize); Stage::ALL.len()];
    for (pupil, p) in pupils.iter().zip(&result.placements) {
        let stage = pupil.stage.index();
        by_stage[stage].0 += 1;
        match (p.school, p.how) {
            (None, How::Unplaced) => {
                if p.reason.is_none() {
                    return Err(ConservationError::NoReason {
                        pupil: pupil.id.clone(),
                    });
                }
                by_stage[stage].2 += 1;
            }
            (Some(s), how) if how != How::Unplaced => {
                let school =
                    schools
                        .get(s as usize)
                        .ok_or_else(|| ConservationError::Impossible {
                            pupil: pupil.id.clone(),
                            school: s.to_string(),
                            why: "no such school",
                        })?;
                if school.stage != pupil.stage {
                    return Err(ConservationError::Impossible {
                        pupil: pupil.id.clone(),
                        school: school.id.clone(),
                        why: "a school of another stage",
                    });
                }
                placed[s as usize] += 1;
                by_stage[stage].1 += 1;
            }
            _ => {
                return Err(ConservationError::Impossible {
                    pupil: pupil.id.clone(),
                    school: p.school.map_or_else(String::new, |s| s.to_string()),
                    why: "placement and its status disagree",
                })
            }
        }
    }
    for (i, school) in schools.iter().enumerate() {
        let recorded = u64::from(result.placed.get(i).copied().unwrap_or(0));
        let seats = u64::from(result.seats.get(i).copied().unwrap_or(0));
        let guaranteed = params.policy_of(school.stage) == SeatRule::Guarantee
            && school.sector == Sector::Public;
        if recorded != placed[i] {
            return Err(ConservationError::Count {
                stage: Some(school.stage),
                pupils: placed[i] as usize,
                placed: recorded as usize,
                unplaced: 0,
            });
        }
        if placed[i] > seats && !guaranteed {
            return Err(ConservationError::OverCapacity {
                school: school.id.clone(),
                placed: placed[i],
                seats,
            });
        }
    }
    for (stage, summary) in &result.stages {
        let (pupils, placed, unplaced) = by_stage[stage.index()];
        let parts = summary.zone + summary.lottery + summary.overflow + summary.private;
        if summary.pupils != pupils
            || summary.placed != placed
            || summary.unplaced != unplaced
            || parts != placed
            || pupils != placed + unplaced
        {
            return Err(ConservationError::Count {
                stage: Some(*stage),
                pupils,
                placed: parts,
                unplaced: summary.unplaced,
            });
        }
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
