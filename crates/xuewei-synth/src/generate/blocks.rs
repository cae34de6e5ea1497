//! Step 1: residential blocks (小区), households and children by age.

use crate::apportion::systematic;
use crate::city::{BlockRecord, STAGES};
use crate::counts::Counts;
use crate::params::stage_params;

use super::stream::{Rng, Unit};
use super::Generator;

impl Generator<'_> {
    /// Step 1: blocks, households and children by age.
    pub(super) fn blocks(&self, scale: f64, counts: &Counts) -> Vec<BlockRecord> {
        let p = self.params;
        let pop = &p.population;
        let n =
            ((f64::from(pop.blocks) * scale.powf(pop.blocks_exponent)).round() as usize).max(50);
        // Mixture components: (x, y, scale km, weight); scale 0 = uniform.
        let mut comps: Vec<(f64, f64, f64, f64)> =
            vec![(0.0, 0.0, pop.core_radius_km, pop.core_weight)];
        comps.extend(
            p.districts
                .iter()
                .map(|d| (d.seat[0], d.seat[1], d.radius_km, d.weight)),
        );
        comps.extend(
            p.growth
                .iter()
                .map(|g| (g.at[0], g.at[1], g.scale_km, g.weight)),
        );
        comps.push((0.0, 0.0, 0.0, pop.rural_weight));
        let mut cum = Vec::with_capacity(comps.len());
        let mut acc = 0.0;
        for c in &comps {
            acc += c.3;
            cum.push(acc);
        }
        let t = p.territory.rect;
        let mut rng = Rng::new(self.seed, Unit::Blocks, 0);
        let mut at = Vec::with_capacity(n);
        let mut size = Vec::with_capacity(n);
        for _ in 0..n {
            let c = comps[rng.pick(&cum)];
            let mut xy = None;
            for _ in 0..64 {
                let (x, y) = if c.2 == 0.0 {
                    (
                        t[0] + rng.f64() * (t[2] - t[0]),
                        t[1] + rng.f64() * (t[3] - t[1]),
                    )
                } else {
                    let r = -c.2 * ((1.0 - rng.f64()).ln() + (1.0 - rng.f64()).ln());
                    let a = std::f64::consts::TAU * rng.f64();
                    (c.0 + r * a.cos(), c.1 + r * a.sin())
                };
                if x > t[0] && x < t[2] && y > t[1] && y < t[3] {
                    xy = Some((x, y));
                    break;
                }
            }
            let (x, y) = xy.unwrap_or((c.0.clamp(t[0], t[2]), c.1.clamp(t[1], t[3])));
            let point = self.territory.clamp_inside(self.frame.point(x, y));
            let r = x.hypot(y);
            let s = (pop.block_sigma * rng.normal()).exp()
                * (1.0 + pop.block_core_boost * (-r / pop.core_radius_km).exp());
            at.push(point);
            size.push(s);
        }
        // Children by age: anchored on the primary entering cohort, growing `growth` a year
        // (younger cohorts larger), never fewer than a stage's entering cohort at its age.
        let primary = &p.stages.primary;
        let mut totals = [0u64; 18];
        for (a, t) in totals.iter_mut().enumerate() {
            let first = counts.roll[0].first().copied().unwrap_or(0);
            *t = (f64::from(first) * primary.growth.powi(primary.age as i32 - a as i32)).round()
                as u64;
        }
        for (si, &stage) in STAGES.iter().enumerate() {
            let sp = stage_params(p, stage);
            let entering = u64::from(counts.roll[si].first().copied().unwrap_or(0));
            let a = sp.age as usize;
            totals[a] = totals[a].max(entering);
        }
        let children: u64 = totals.iter().sum();
        let households = (children as f64 / pop.children_per_household).round() as u64;
        let mut rng = Rng::new(self.seed, Unit::Households, 0);
        let hh = systematic(households, &size, rng.f64());
        let hh_w: Vec<f64> = hh.iter().map(|&h| f64::from(h)).collect();
        let mut ages = vec![[0u32; 18]; n];
        let mut rng = Rng::new(self.seed, Unit::Ages, 0);
        for (a, &t) in totals.iter().enumerate() {
            for (b, c) in systematic(t, &hh_w, rng.f64()).into_iter().enumerate() {
                ages[b][a] = c;
            }
        }
        (0..n)
            .map(|b| BlockRecord {
                id: format!("b{:06}", b + 1),
                at: at[b],
                area: 0,
                households: hh[b],
                ages: ages[b],
            })
            .collect()
    }
}
