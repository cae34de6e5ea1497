//! Step 6: entry classes of every school and the roll of every grade.

use xuewei_core::{Sector, Stage};

use crate::apportion::hamilton;
use crate::city::{RollRecord, SynthCity};
use crate::counts::Counts;
use crate::params::stage_params;

use super::stream::{Rng, Unit};
use super::Generator;

impl Generator<'_> {
    /// Step 6: entry classes and the roll of every grade.
    pub(super) fn classes_and_roll(
        &self,
        city: &mut SynthCity,
        stage: Stage,
        si: usize,
        counts: &Counts,
    ) {
        let sp = stage_params(self.params, stage);
        let standard = f64::from(xuewei_core::ClassSizeStandard::default().standard(stage));
        let schools: Vec<usize> = (0..city.schools.len())
            .filter(|&s| city.schools[s].stage == stage)
            .collect();
        let entering = f64::from(counts.roll[si].first().copied().unwrap_or(0));
        let mut rng = Rng::new(self.seed, Unit::Classes, si as u64);
        // Private seats: `private_share` of the entering cohort.
        let private: Vec<usize> = schools
            .iter()
            .copied()
            .filter(|&s| city.schools[s].sector == Sector::Private)
            .collect();
        let sizes: Vec<f64> = private
            .iter()
            .map(|_| (0.25 * rng.normal()).exp())
            .collect();
        let seats_total = sp.private_share * entering;
        let size_sum: f64 = sizes.iter().sum();
        for (&s, &z) in private.iter().zip(&sizes) {
            let seats = seats_total * z / size_sum.max(1e-9);
            city.schools[s].entry_classes = ((seats / standard).round() as u32).max(1);
        }
        let seats: f64 = private
            .iter()
            .map(|&s| f64::from(city.schools[s].entry_classes) * standard)
            .sum();
        let applicants = city
            .pupils
            .iter()
            .filter(|q| {
                q.stage == stage
                    && q.preferences
                        .first()
                        .is_some_and(|&s| city.schools[s as usize].sector == Sector::Private)
            })
            .count() as f64;
        let admit = if applicants > 0.0 {
            (seats / applicants).min(1.0)
        } else {
            0.0
        };
        let fill = if seats > 0.0 {
            (applicants / seats).min(1.0)
        } else {
            0.0
        };
        // Expected public intake: zone pupils, shared among the zone's schools.
        let mut intake = vec![0.0f64; city.schools.len()];
        for q in city.pupils.iter().filter(|q| q.stage == stage) {
            let applies = q
                .preferences
                .first()
                .is_some_and(|&s| city.schools[s as usize].sector == Sector::Private);
            let stay = if applies { 1.0 - admit } else { 1.0 };
            let zs = &city.zones[q.zone as usize].schools;
            for &s in zs {
                intake[s as usize] += stay / zs.len() as f64;
            }
        }
        let mut target = vec![0.0f64; city.schools.len()];
        for &s in &schools {
            let school = &mut city.schools[s];
            match school.sector {
                Sector::Private => {
                    intake[s] = f64::from(school.entry_classes) * standard * fill;
                    target[s] = sp.private_class;
                }
                Sector::Public => {
                    let c =
                        sp.class_size.get(school.locale) * (sp.class_spread * rng.normal()).exp();
                    target[s] = c.clamp(15.0, 95.0);
                    school.entry_classes = ((intake[s] / target[s]).round() as u32).max(1);
                }
            }
        }
        // The roll, grade by grade, apportioned from the exact totals.
        let mut rng = Rng::new(self.seed, Unit::Roll, si as u64);
        for (g, &total) in counts.roll[si].iter().enumerate() {
            let noise: Vec<f64> = schools
                .iter()
                .map(|_| {
                    if g == 0 {
                        1.0
                    } else {
                        (sp.grade_spread * rng.normal()).exp()
                    }
                })
                .collect();
            let weights: Vec<f64> = schools
                .iter()
                .zip(&noise)
                .map(|(&s, z)| intake[s].max(1.0) * z)
                .collect();
            let pupils = hamilton(u64::from(total), &weights);
            for (k, &s) in schools.iter().enumerate() {
                let classrooms = if g == 0 {
                    city.schools[s].entry_classes
                } else {
                    let c = target[s] * (sp.grade_spread * rng.normal()).exp();
                    ((f64::from(pupils[k]) / c).round() as u32).max(1)
                };
                city.roll.push(RollRecord {
                    school: s as u32,
                    grade: g as u32 + 1,
                    pupils: pupils[k],
                    classrooms,
                });
            }
        }
    }
}
