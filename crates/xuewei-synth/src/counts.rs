//! School and roll counts at a scale, computed without generating anything.

use crate::apportion::hamilton;
use crate::city::STAGES;
use crate::error::ParamsError;
use crate::params::{stage_params, Params};

/// School and pupil counts at a scale, computed without generating anything.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct Counts {
    /// Per stage in [`STAGES`] order: (public schools, private schools).
    pub schools: [(u32, u32); 3],
    /// Per stage: pupils on roll by grade (index 0 = grade 1).
    pub roll: [Vec<u32>; 3],
    /// Junior highs in the urban districts.
    pub urban_junior: u32,
}

/// The counts [`generate`](crate::generate()) produces at a scale: schools are the full
/// counts × scale, rounded, at least one where the full city has some (exact at scale 1);
/// the roll is the full roll × scale, rounded, split over grades by cohort growth (exact
/// sums).
///
/// # Errors
/// [`ParamsError::Scale`] for a scale that is not positive, finite and at most 10.
pub fn counts(params: &Params, scale: f64) -> Result<Counts, ParamsError> {
    if !(scale.is_finite() && scale > 0.0 && scale <= 10.0) {
        return Err(ParamsError::Scale(scale));
    }
    let scaled = |n: u32| -> u32 {
        if n == 0 {
            0
        } else {
            ((f64::from(n) * scale).round() as u32).max(1)
        }
    };
    let mut schools = [(0, 0); 3];
    let mut roll: [Vec<u32>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for (i, &stage) in STAGES.iter().enumerate() {
        let sp = stage_params(params, stage);
        schools[i] = (scaled(sp.schools - sp.private), scaled(sp.private));
        let total = (f64::from(sp.roll) * scale).round() as u64;
        let weights: Vec<f64> = (0..stage.grades())
            .map(|g| sp.growth.powi(-(g as i32)))
            .collect();
        roll[i] = hamilton(total, &weights);
    }
    let junior_total = schools[1].0 + schools[1].1;
    let urban_junior =
        ((f64::from(params.xuequ.urban_junior_schools) * scale).round() as u32).min(junior_total);
    Ok(Counts {
        schools,
        roll,
        urban_junior,
    })
}
