//! Step 5: the entering pupils of each stage.

use xuewei_core::{Sector, Stage};

use crate::apportion::systematic;
use crate::city::{PupilRecord, SchoolRecord, SynthCity};
use crate::counts::Counts;
use crate::geom::{Frame, Micro};
use crate::params::stage_params;

use super::stream::{Rng, Unit};
use super::{Generator, Locator};

impl Generator<'_> {
    /// Step 5: the entering pupils of a stage.
    pub(super) fn pupils(
        &self,
        city: &mut SynthCity,
        stage: Stage,
        si: usize,
        counts: &Counts,
        loc: &Locator<'_>,
    ) {
        let p = self.params;
        let f = &p.families;
        let sp = stage_params(p, stage);
        let age = sp.age as usize;
        let entering = u64::from(counts.roll[si].first().copied().unwrap_or(0));
        let mut rng = Rng::new(self.seed, Unit::Pupils, si as u64);
        let weights: Vec<f64> = city.blocks.iter().map(|b| f64::from(b.ages[age])).collect();
        let per_block = systematic(entering, &weights, rng.f64());
        let private: Vec<u32> = (0..city.schools.len() as u32)
            .filter(|&s| {
                let s = &city.schools[s as usize];
                s.stage == stage && s.sector == Sector::Private
            })
            .collect();
        let prefix = match stage {
            Stage::Junior => "jun",
            Stage::Senior => "sen",
            _ => "pri",
        };
        let jitter = p.population.home_jitter_km;
        let mut n = 0usize;
        let mut out = Vec::with_capacity(entering as usize);
        for (b, &k) in per_block.iter().enumerate() {
            let block_at = city.blocks[b].at;
            let (bx, by) = self.frame.km(block_at);
            for _ in 0..k {
                n += 1;
                let home = self.territory.clamp_inside(
                    self.frame
                        .point(bx + jitter * rng.normal(), by + jitter * rng.normal()),
                );
                let area = loc.area(home);
                let zone = loc.zone(si, area).locate(home);
                let locale = self.locale(home);
                let migrant = rng.bernoulli(f.migrant_share.get(locale));
                let owns_home = rng.bernoulli(if migrant {
                    f.owns_home_migrant
                } else {
                    f.owns_home_local
                });
                let residence_permit = migrant && rng.bernoulli(f.residence_permit_migrant);
                let zone_schools = &city.zones[zone as usize].schools;
                let by_distance = |list: &[u32]| -> Vec<u32> {
                    let mut v: Vec<(f64, u32)> = list
                        .iter()
                        .map(|&s| (self.frame.dist_km(home, city.schools[s as usize].at), s))
                        .collect();
                    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    v.into_iter().map(|x| x.1).collect()
                };
                let mut preferences = Vec::new();
                if !private.is_empty() && rng.bernoulli(sp.private_apply) {
                    let near = nearest_two(&self.frame, home, &private, &city.schools);
                    preferences.push(near.0);
                    if let Some(second) = near.1 {
                        if rng.bernoulli(0.5) {
                            preferences.push(second);
                        }
                    }
                }
                if zone_schools.len() > 1 && rng.bernoulli(f.rank_zone_schools) {
                    let mut ranked = by_distance(zone_schools);
                    for i in 1..ranked.len() {
                        if rng.bernoulli(f.rank_swap) {
                            ranked.swap(i - 1, i);
                        }
                    }
                    preferences.extend(ranked);
                }
                let sibling_school = if stage == Stage::Primary && rng.bernoulli(f.sibling_share) {
                    by_distance(zone_schools).first().copied()
                } else {
                    None
                };
                let score = (stage == Stage::Senior).then(|| {
                    let s =
                        (f.score_mean + f.score_sd * rng.normal()).clamp(f.score_min, f.score_max);
                    (s * 10.0).round() / 10.0
                });
                let origin_school = if si > 0 {
                    let z = loc.zone(si - 1, area).locate(home);
                    city.zones[z as usize].schools.first().copied()
                } else {
                    None
                };
                out.push(PupilRecord {
                    id: format!("{prefix}{n:06}"),
                    stage,
                    home,
                    hukou_local: !migrant,
                    owns_home,
                    residence_permit,
                    sibling_school,
                    score,
                    origin_school,
                    preferences,
                    zone,
                    block: b as u32,
                });
            }
        }
        city.pupils.extend(out);
    }
}

/// The nearest and second-nearest schools of a list.
fn nearest_two(
    frame: &Frame,
    home: Micro,
    list: &[u32],
    schools: &[SchoolRecord],
) -> (u32, Option<u32>) {
    let mut best: [(f64, Option<u32>); 2] = [(f64::INFINITY, None); 2];
    for &s in list {
        let d = frame.dist_km(home, schools[s as usize].at);
        if d < best[0].0 {
            best[1] = best[0];
            best[0] = (d, Some(s));
        } else if d < best[1].0 {
            best[1] = (d, Some(s));
        }
    }
    (best[0].1.unwrap_or(list[0]), best[1].1)
}
