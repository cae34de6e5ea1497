//! The population between admissions: blocks age and grow, pupils move up a grade, and the
//! entering cohorts are drawn from the blocks' children.

use geo::Point;
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use xuewei_core::city::Pupil;
use xuewei_core::distance::great_circle_m;
use xuewei_core::lottery::derive_seed;
use xuewei_core::Sector;

use crate::state::{entry_age, CityState, Grade, STAGES};

/// A uniform draw in [0, 1) from the top 53 bits.
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Blocks age one year and grow at their district's rate.
pub(super) fn age_blocks(state: &mut CityState) {
    let growth: Vec<f64> = state
        .blocks
        .iter()
        .map(|b| {
            state
                .districts
                .iter()
                .position(|d| *d == b.district)
                .map_or(0.0, |d| state.growth[d])
        })
        .collect();
    for (b, g) in state.blocks.iter_mut().zip(growth) {
        let f = 1.0 + g;
        for a in (1..18).rev() {
            b.children[a] = b.children[a - 1] * f;
        }
        b.children[0] *= f;
        b.households *= f;
    }
}

/// Pupils move up a grade; the top grade leaves; pupils of closed schools move to the
/// nearest open school of the stage (they keep their grade, not their classrooms).
pub(super) fn move_up(state: &mut CityState) {
    for s in &mut state.schools {
        let n = s.grades.len();
        for g in (1..n).rev() {
            s.grades[g] = s.grades[g - 1];
        }
        s.grades[0] = Grade::default();
    }
    let n = state.schools.len();
    for i in 0..n {
        if state.schools[i].open || state.schools[i].grades.iter().all(|g| g.pupils == 0) {
            continue;
        }
        let from = state.schools[i].school.location;
        let stage = state.schools[i].school.stage;
        let target = (0..n)
            .filter(|&j| j != i && state.schools[j].open && state.schools[j].school.stage == stage)
            .min_by(|&a, &b| {
                great_circle_m(from, state.schools[a].school.location)
                    .total_cmp(&great_circle_m(from, state.schools[b].school.location))
                    .then(a.cmp(&b))
            });
        if let Some(j) = target {
            for g in 0..state.schools[i].grades.len() {
                let p = std::mem::take(&mut state.schools[i].grades[g].pupils);
                state.schools[j].grades[g].pupils += p;
            }
        }
    }
}

/// Draws the entering cohorts from the blocks.
pub(super) fn draw_entrants(state: &CityState, seed: u64, year: i32) -> Vec<Pupil> {
    let mut out = Vec::new();
    for stage in STAGES {
        let si = stage.index();
        let privates: Vec<usize> = (0..state.schools.len())
            .filter(|&i| {
                let s = &state.schools[i];
                s.open && s.school.stage == stage && s.school.sector == Sector::Private
            })
            .collect();
        for (bi, b) in state.blocks.iter().enumerate() {
            let expected = b.children[entry_age(stage)] * state.participation[si];
            let unit_id = (u64::from(year as u32) << 40) ^ ((si as u64) << 32) ^ bi as u64;
            let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(seed, unit_id));
            let count = expected.floor() as u64 + u64::from(unit(&mut rng) < expected.fract());
            let fam = state.families_of(&b.district);
            for k in 0..count {
                let local = unit(&mut rng) < fam.hukou;
                let owns = unit(&mut rng)
                    < if local {
                        fam.home_if_local
                    } else {
                        fam.home_if_migrant
                    };
                let permit = !local && unit(&mut rng) < fam.permit_if_migrant;
                let jx = (unit(&mut rng) - 0.5) * 0.002;
                let jy = (unit(&mut rng) - 0.5) * 0.002;
                let home = Point::new(b.location.x() + jx, b.location.y() + jy);
                let mut preferences = Vec::new();
                if !privates.is_empty() && unit(&mut rng) < state.private_share[si] {
                    // One distance per school (the first of equally near ones wins).
                    let nearest = privates
                        .iter()
                        .map(|&i| (great_circle_m(home, state.schools[i].school.location), i))
                        .min_by(|x, y| x.0.total_cmp(&y.0));
                    preferences.extend(nearest.map(|(_, i)| i as u32));
                }
                out.push(Pupil {
                    id: format!("{year}-{}-{}-{k}", &stage.name()[..1], b.id),
                    stage,
                    home,
                    hukou_local: local,
                    owns_home: owns,
                    residence_permit: permit,
                    sibling_school: None,
                    score: None,
                    origin_school: None,
                    preferences,
                });
            }
        }
    }
    out
}
