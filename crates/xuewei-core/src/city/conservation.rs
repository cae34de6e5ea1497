//! Conservation of pupils in a city assignment, checked at the end of every
//! [`assign`](fn@super::assign): the city half of [`crate::conservation`], whose
//! [`ConservationError`] it reports.

use super::assign::params::AssignParams;
use super::assign::placement::{CityAssignment, How};
use super::City;
use crate::class_size::SeatRule;
use crate::conservation::ConservationError;
use crate::model::{Sector, Stage};

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
