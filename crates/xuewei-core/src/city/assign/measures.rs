//! Step 4: measures. Per stage, each pupil's distance and the stage's summary; once every
//! stage is done, the entering grade's classes at each school
//! ([`form_classes`] at the stage's class target) and their measures per stage (大班额,
//! 超大班额).

use super::catchment::Homes;
use super::params::AssignParams;
use super::placement::{Draw, How, Placement, StageSummary};
use super::stage::{Seating, StageInput, StageResult};
use crate::city::City;
use crate::class_size::{form_classes, ClassMeasures, GradeClasses};
use crate::model::Stage;

/// The stage's placements with their distances, and its summary completed with the counts
/// per way of placement and the distances.
pub(super) fn stage_result(
    input: &StageInput<'_>,
    homes: &Homes,
    seating: &Seating,
    mut summary: StageSummary,
    draws: Vec<Draw>,
) -> StageResult {
    let mut placements = Vec::with_capacity(input.pupils.len());
    let mut total = 0.0;
    for (lp, &p) in input.pupils.iter().enumerate() {
        let how = seating.how[lp];
        let distance_m = seating.school_of[lp]
            .map(|s| input.metric.metres(homes.points[lp], homes.snaps[lp], s));
        if let Some(d) = distance_m {
            total += d;
            summary.max_distance_m = summary.max_distance_m.max(d);
        }
        match how {
            How::Zone => summary.zone += 1,
            How::Lottery => summary.lottery += 1,
            How::Overflow => summary.overflow += 1,
            How::Private => summary.private += 1,
            How::Unplaced => summary.unplaced += 1,
        }
        placements.push((
            p,
            Placement {
                school: seating.school_of[lp],
                how,
                distance_m,
                zone: homes.zone_of[lp],
                reason: if matches!(how, How::Overflow | How::Unplaced) {
                    seating.reason[lp]
                } else {
                    None
                },
            },
        ));
    }
    summary.placed = summary.pupils - summary.unplaced;
    summary.mean_distance_m = if summary.placed > 0 {
        total / summary.placed as f64
    } else {
        0.0
    };
    StageResult {
        stage: input.stage,
        placements,
        summary,
        draws,
    }
}

/// The entering grade's classes at each school of the city (`placed` pupils in its entry
/// classes, at its stage's class target), with their measures added to each stage's
/// summary.
pub(super) fn classes(
    city: &City,
    params: &AssignParams,
    placed: &[u32],
    stages: &mut [(Stage, StageSummary)],
) -> Vec<GradeClasses> {
    let classes: Vec<GradeClasses> = city
        .schools
        .iter()
        .zip(placed)
        .map(|(s, &p)| form_classes(p, s.entry_classes, params.class_target(s.stage)))
        .collect();
    for (stage, summary) in stages {
        for (i, s) in city.schools.iter().enumerate() {
            if s.stage == *stage {
                let standard = params.class_sizes.standard(s.stage);
                summary.classes.add(&ClassMeasures::of_grade(
                    &classes[i],
                    s.entry_classes,
                    standard,
                    &params.class_sizes,
                ));
            }
        }
        summary.large_share = summary.classes.large_share();
        summary.super_large_share = summary.classes.super_large_share();
        summary.mean_class_size = summary.classes.mean_class_size();
    }
    classes
}
