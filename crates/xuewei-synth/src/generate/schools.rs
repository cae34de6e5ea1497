//! Steps 3 and 4: schools apportioned to areas and placed, and their catchment zones.

use xuewei_core::{Sector, Stage};

use crate::apportion::highest_averages;
use crate::city::{SchoolRecord, SynthCity, ZoneRecord};
use crate::counts::Counts;
use crate::geom::{partition, Micro, Node, Rect, Weighted};
use crate::params::{stage_params, Kind};

use super::stream::{Rng, Unit};
use super::Generator;

impl Generator<'_> {
    /// Steps 3 and 4 for one stage: schools apportioned to areas, placed, and zoned.
    /// Returns the zone tree of every area.
    pub(super) fn schools_and_zones(
        &self,
        city: &mut SynthCity,
        stage: Stage,
        counts: &Counts,
        si: usize,
    ) -> Vec<Node> {
        let p = self.params;
        let sp = stage_params(p, stage);
        let age = sp.age as usize;
        let n_areas = city.areas.len();
        let weight: Vec<f64> = {
            let mut w = vec![0.0; n_areas];
            for b in &city.blocks {
                w[b.area as usize] += f64::from(b.ages[age]);
            }
            w
        };
        let urban = |a: usize| p.districts[city.areas[a].district as usize].kind == Kind::Urban;
        let (n_pub, n_priv) = counts.schools[si];
        let total = n_pub + n_priv;
        let all_caps = vec![u32::MAX; n_areas];
        let per_area = if stage == Stage::Junior {
            let u = counts.urban_junior;
            let wu: Vec<f64> = (0..n_areas)
                .map(|a| if urban(a) { weight[a] } else { 0.0 })
                .collect();
            let wc: Vec<f64> = (0..n_areas)
                .map(|a| if urban(a) { 0.0 } else { weight[a] })
                .collect();
            let cu: Vec<u32> = (0..n_areas)
                .map(|a| if urban(a) { u32::MAX } else { 0 })
                .collect();
            let cc: Vec<u32> = (0..n_areas)
                .map(|a| if urban(a) { 0 } else { u32::MAX })
                .collect();
            let a = highest_averages(u, &wu, &cu);
            let b = highest_averages(total - u, &wc, &cc);
            a.iter().zip(&b).map(|(x, y)| x + y).collect::<Vec<u32>>()
        } else {
            highest_averages(total, &weight, &all_caps)
        };
        // Private schools lean urban.
        let wp: Vec<f64> = (0..n_areas)
            .map(|a| f64::from(per_area[a]) * if urban(a) { 1.5 } else { 1.0 })
            .collect();
        let private = highest_averages(n_priv, &wp, &per_area);
        let public: Vec<u32> = per_area.iter().zip(&private).map(|(t, q)| t - q).collect();

        let mut rng = Rng::new(self.seed, Unit::Zones, si as u64);
        let letter = match stage {
            Stage::Junior => 'J',
            Stage::Senior => 'S',
            _ => 'P',
        };
        let kind_name = match stage {
            Stage::Junior => "初级中学",
            Stage::Senior => "高级中学",
            _ => "小学",
        };
        let mut trees: Vec<Option<Node>> = vec![None; n_areas];
        let first_zone = city.zones.len();
        let mut n_school_pub = 0u32;
        let mut per_district = vec![0u32; p.districts.len()];
        let block_cum = |a: usize| -> (Vec<usize>, Vec<f64>) {
            let idx: Vec<usize> = (0..city.blocks.len())
                .filter(|&b| city.blocks[b].area as usize == a)
                .collect();
            let mut acc = 0.0;
            let cum = idx
                .iter()
                .map(|&b| {
                    acc += f64::from(city.blocks[b].ages[age]);
                    acc
                })
                .collect();
            (idx, cum)
        };
        let mut new_schools: Vec<SchoolRecord> = Vec::new();
        let mut new_zones: Vec<ZoneRecord> = Vec::new();
        let within = p.rings.half_width_km[p.multi_school.within_ring];
        for a in 0..n_areas {
            let n = public[a];
            if n == 0 {
                continue;
            }
            let area = &city.areas[a];
            let (idx, cum) = block_cum(a);
            let mut leaves = Vec::new();
            let tree = if stage == Stage::Senior {
                leaves.push((area.rect, n));
                Node::Leaf(0)
            } else {
                let mut points: Vec<Weighted> = idx
                    .iter()
                    .map(|&b| Weighted {
                        p: city.blocks[b].at,
                        w: f64::from(city.blocks[b].ages[age]),
                    })
                    .collect();
                let frame = self.frame;
                let prob = p.multi_school.probability;
                let mut stop = |r: &Rect, k: u32| {
                    let (x, y) = frame.km(r.centre());
                    (2..=3).contains(&k) && x.abs().max(y.abs()) < within && rng.bernoulli(prob)
                };
                partition(
                    &self.frame,
                    area.rect,
                    n,
                    &mut points,
                    &mut stop,
                    &mut leaves,
                )
            };
            let zone_base = (first_zone + new_zones.len()) as u32;
            trees[a] = Some(tree.offset(zone_base));
            for (rect, k) in leaves {
                let mut zone_schools = Vec::new();
                for j in 0..k {
                    let at = if stage == Stage::Senior {
                        self.random_block_point(&mut rng, city, &idx, &cum, rect)
                    } else {
                        // Strips of the leaf along its longer side, one per school.
                        let wide = self
                            .frame
                            .km(Micro {
                                lon: rect.x1,
                                lat: rect.y0,
                            })
                            .0
                            - self
                                .frame
                                .km(Micro {
                                    lon: rect.x0,
                                    lat: rect.y0,
                                })
                                .0
                            >= self
                                .frame
                                .km(Micro {
                                    lon: rect.x0,
                                    lat: rect.y1,
                                })
                                .1
                                - self
                                    .frame
                                    .km(Micro {
                                        lon: rect.x0,
                                        lat: rect.y0,
                                    })
                                    .1;
                        let strip = |lo: i64, hi: i64| {
                            let w = (hi - lo) / i64::from(k);
                            (lo + w * i64::from(j), lo + w * i64::from(j + 1))
                        };
                        let r = if wide {
                            let (x0, x1) = strip(rect.x0, rect.x1);
                            Rect { x0, x1, ..rect }
                        } else {
                            let (y0, y1) = strip(rect.y0, rect.y1);
                            Rect { y0, y1, ..rect }
                        };
                        self.centroid(&mut rng, city, &idx, age, r)
                    };
                    let d = area.district as usize;
                    per_district[d] += 1;
                    n_school_pub += 1;
                    zone_schools.push((city.schools.len() + new_schools.len()) as u32);
                    new_schools.push(SchoolRecord {
                        id: format!("{letter}{n_school_pub:04}"),
                        name: format!("{}第{}{}", p.districts[d].name, per_district[d], kind_name),
                        stage,
                        sector: Sector::Public,
                        at,
                        entry_classes: 0,
                        area: a as u32,
                        locale: self.locale(at),
                    });
                }
                new_zones.push(ZoneRecord {
                    id: format!("Z{letter}{:04}", new_zones.len() + 1),
                    stage,
                    schools: zone_schools,
                    area: a as u32,
                    rects: vec![rect],
                });
            }
        }
        // Areas without a public school join the zone of the nearest one.
        for (a, slot) in trees.iter_mut().enumerate() {
            if slot.is_some() {
                continue;
            }
            let c = city.areas[a].rect.centre();
            let mut best = (f64::INFINITY, 0usize);
            for (z, zone) in new_zones.iter().enumerate() {
                for &s in &zone.schools {
                    let d = self
                        .frame
                        .dist_km(c, new_schools[s as usize - city.schools.len()].at);
                    if d < best.0 {
                        best = (d, z);
                    }
                }
            }
            new_zones[best.1].rects.push(city.areas[a].rect);
            *slot = Some(Node::Leaf((first_zone + best.1) as u32));
        }
        // Private schools at random homes of their area.
        let mut rng = Rng::new(self.seed, Unit::Schools, si as u64);
        let mut n_school_priv = 0u32;
        let mut per_district_priv = vec![0u32; p.districts.len()];
        for (a, &k) in private.iter().enumerate() {
            if k == 0 {
                continue;
            }
            let (idx, cum) = block_cum(a);
            for _ in 0..k {
                let at = self.random_block_point(&mut rng, city, &idx, &cum, city.areas[a].rect);
                let d = city.areas[a].district as usize;
                per_district_priv[d] += 1;
                n_school_priv += 1;
                new_schools.push(SchoolRecord {
                    id: format!("{letter}M{n_school_priv:03}"),
                    name: format!(
                        "{}民办第{}{}",
                        p.districts[d].name, per_district_priv[d], kind_name
                    ),
                    stage,
                    sector: Sector::Private,
                    at,
                    entry_classes: 0,
                    area: a as u32,
                    locale: self.locale(at),
                });
            }
        }
        city.schools.extend(new_schools);
        city.zones.extend(new_zones);
        trees
            .into_iter()
            .map(|t| t.unwrap_or(Node::Leaf(first_zone as u32)))
            .collect()
    }

    /// A point near the children-weighted centroid of the blocks inside `r`, else its centre.
    fn centroid(
        &self,
        rng: &mut Rng,
        city: &SynthCity,
        idx: &[usize],
        age: usize,
        r: Rect,
    ) -> Micro {
        let (mut sx, mut sy, mut sw) = (0.0, 0.0, 0.0);
        for &b in idx {
            let bl = &city.blocks[b];
            if r.contains(bl.at) {
                let w = f64::from(bl.ages[age]) + 1e-3;
                sx += w * bl.at.lon as f64;
                sy += w * bl.at.lat as f64;
                sw += w;
            }
        }
        let c = if sw > 0.0 {
            Micro {
                lon: (sx / sw).round() as i64,
                lat: (sy / sw).round() as i64,
            }
        } else {
            r.centre()
        };
        let j = self.params.population.home_jitter_km;
        let (x, y) = self.frame.km(c);
        r.clamp_inside(self.frame.point(x + j * rng.normal(), y + j * rng.normal()))
    }

    /// A point near a block drawn by its children, inside `r`.
    fn random_block_point(
        &self,
        rng: &mut Rng,
        city: &SynthCity,
        idx: &[usize],
        cum: &[f64],
        r: Rect,
    ) -> Micro {
        let c = if idx.is_empty() || cum.last().copied().unwrap_or(0.0) <= 0.0 {
            r.centre()
        } else {
            city.blocks[idx[rng.pick(cum)]].at
        };
        let j = self.params.population.home_jitter_km;
        let (x, y) = self.frame.km(c);
        r.clamp_inside(self.frame.point(x + j * rng.normal(), y + j * rng.normal()))
    }
}
