//! Step 7: ring roads and arterial grids, sharing every crossing vertex.

use crate::city::{RoadKind, RoadRecord};
use crate::geom::Micro;

use super::Generator;

impl Generator<'_> {
    /// Step 7: ring roads and arterial grids, sharing every crossing vertex.
    pub(super) fn roads(&self) -> Vec<RoadRecord> {
        let p = self.params;
        let t = p.territory.rect;
        let u = p.roads.urban_rect;
        // Axis-aligned segments in km: (horizontal?, fixed coordinate, from, to, kind, name).
        let mut segs: Vec<(bool, f64, f64, f64, RoadKind, String)> = Vec::new();
        let grid = |lo: f64, hi: f64, step: f64| -> Vec<f64> {
            let first = (lo / step).ceil() as i64;
            let last = (hi / step).floor() as i64;
            (first..=last).map(|k| k as f64 * step).collect()
        };
        for (&h, name) in p.rings.half_width_km.iter().zip(&p.rings.names) {
            segs.push((true, -h, -h, h, RoadKind::Ring, format!("{name} south")));
            segs.push((false, h, -h, h, RoadKind::Ring, format!("{name} east")));
            segs.push((true, h, -h, h, RoadKind::Ring, format!("{name} north")));
            segs.push((false, -h, -h, h, RoadKind::Ring, format!("{name} west")));
        }
        let us = p.roads.urban_spacing_km;
        for x in grid(u[0], u[2], us) {
            segs.push((
                false,
                x,
                u[1],
                u[3],
                RoadKind::Urban,
                format!("urban x{x:+.1}"),
            ));
        }
        for y in grid(u[1], u[3], us) {
            segs.push((
                true,
                y,
                u[0],
                u[2],
                RoadKind::Urban,
                format!("urban y{y:+.1}"),
            ));
        }
        let cs = p.roads.county_spacing_km;
        for x in grid(t[0], t[2], cs) {
            segs.push((
                false,
                x,
                t[1],
                t[3],
                RoadKind::County,
                format!("county x{x:+.1}"),
            ));
        }
        for y in grid(t[1], t[3], cs) {
            segs.push((
                true,
                y,
                t[0],
                t[2],
                RoadKind::County,
                format!("county y{y:+.1}"),
            ));
        }
        let mut roads = Vec::with_capacity(segs.len());
        for (i, s) in segs.iter().enumerate() {
            let mut along: Vec<f64> = vec![s.2, s.3];
            for o in &segs {
                // Perpendicular segments crossing this one (including at end points).
                if o.0 != s.0 && o.1 >= s.2 && o.1 <= s.3 && s.1 >= o.2 && s.1 <= o.3 {
                    along.push(o.1);
                }
            }
            along.sort_by(f64::total_cmp);
            let mut points: Vec<Micro> = along
                .iter()
                .map(|&a| {
                    if s.0 {
                        self.frame.vertex(a, s.1)
                    } else {
                        self.frame.vertex(s.1, a)
                    }
                })
                .collect();
            points.dedup();
            if points.len() < 2 {
                continue;
            }
            let speed = match s.4 {
                RoadKind::Ring => p.rings.speed_kmh,
                RoadKind::Urban => p.roads.urban_speed_kmh,
                RoadKind::County => p.roads.county_speed_kmh,
            };
            roads.push(RoadRecord {
                id: format!("R{:04}", i + 1),
                name: s.5.clone(),
                kind: s.4,
                speed_kmh: speed,
                points,
            });
        }
        roads
    }
}
