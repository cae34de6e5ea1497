//! Small instances and cities described by plain data, so that proptest can generate and
//! shrink them, and tests can write one by hand.
//!
//! [`Spec`] builds an [`Instance`]; [`CitySpec`] builds a [`City`] on a grid of square
//! zones. With the `proptest` feature (on by default), [`arb_spec`] and [`arb_city_spec`]
//! generate them.

use geo::{polygon, MultiPolygon, Point};
#[cfg(feature = "proptest")]
use proptest::prelude::*;
use xuewei_core::city::{City, Pupil, School, Zone};
use xuewei_core::{
    Instance, InstanceBuilder, ReserveOrder, SchoolId, Sector, Stage, StudentId, UnfilledReserves,
};

/// A small instance: schools `s0, s1, …`, pupils `p0, p1, …`, groups `g0, g1, …`.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Seats of each school.
    pub capacities: Vec<u32>,
    /// Each pupil's list, as school indices (taken modulo the number of schools, repeats
    /// dropped when built).
    pub lists: Vec<Vec<usize>>,
    /// Tier of pupil `i` at school `s`: `tiers[s][i]`; a school's highest tier means
    /// "not named" (pupils there share the tier after the named ones).
    pub tiers: Vec<Vec<u32>>,
    /// Each pupil's score.
    pub scores: Vec<u32>,
    /// Each pupil's group, if any.
    pub groups: Vec<Option<u8>>,
    /// At most one reserve per school: (group, seats, open seats first, unfilled reserved
    /// seats stay empty); seats above the capacity are cut to it.
    pub reserves: Vec<Option<(u8, u32, bool, bool)>>,
}

impl Spec {
    /// The instance this describes.
    ///
    /// # Panics
    /// If the builder rejects it (the fields' lengths disagree, or a bug in the builder).
    #[must_use]
    pub fn build(&self) -> Instance {
        let mut b = InstanceBuilder::new();
        let schools: Vec<SchoolId> = self
            .capacities
            .iter()
            .enumerate()
            .map(|(i, &c)| b.add_school(format!("s{i}"), c))
            .collect();
        let mut students = Vec::new();
        for (i, list) in self.lists.iter().enumerate() {
            let mut seen = Vec::new();
            for &s in list {
                let s = s % schools.len();
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            let st = b.add_student(format!("p{i}"), seen.iter().map(|&s| schools[s]));
            b.set_score(st, f64::from(self.scores[i]));
            if let Some(g) = self.groups[i] {
                let g = b.group(&format!("g{g}"));
                b.set_group(st, g);
            }
            students.push(st);
        }
        for (s, tiers) in self.tiers.iter().enumerate() {
            let top = tiers.iter().copied().max().unwrap_or(0);
            for t in 0..top {
                let members: Vec<StudentId> = tiers
                    .iter()
                    .enumerate()
                    .filter(|&(_, &x)| x == t)
                    .map(|(i, _)| students[i])
                    .collect();
                b.push_tier(schools[s], members);
            }
        }
        for (s, r) in self.reserves.iter().enumerate() {
            if let Some((g, seats, open_first, stay_empty)) = *r {
                let g = b.group(&format!("g{g}"));
                b.add_reserve(schools[s], g, seats.min(self.capacities[s]));
                b.set_reserve_policy(
                    schools[s],
                    if open_first {
                        ReserveOrder::OpenFirst
                    } else {
                        ReserveOrder::ReservedFirst
                    },
                    if stay_empty {
                        UnfilledReserves::Empty
                    } else {
                        UnfilledReserves::Open
                    },
                );
            }
        }
        b.build().expect("generated specs are valid")
    }
}

/// Instances with 1 to `max_n` pupils and 1 to `max_m` schools: capacities 0–3, lists of up
/// to `max_m` entries, up to `max_tiers` tiers per school, scores 0–3, two groups, and
/// (when `reserves`) a reserve at some schools.
#[cfg(feature = "proptest")]
pub fn arb_spec(
    max_n: usize,
    max_m: usize,
    max_tiers: u32,
    reserves: bool,
) -> impl Strategy<Value = Spec> {
    (1..=max_n, 1..=max_m).prop_flat_map(move |(n, m)| {
        let capacities = prop::collection::vec(0u32..=3, m);
        let lists = prop::collection::vec(prop::collection::vec(0..m, 0..=m), n);
        let tiers = prop::collection::vec(prop::collection::vec(0..max_tiers.max(1), n), m);
        let scores = prop::collection::vec(0u32..4, n);
        let groups = prop::collection::vec(prop::option::of(0u8..2), n);
        let res = prop::collection::vec(
            prop::option::weighted(
                if reserves { 0.4 } else { 0.000_001 },
                (0u8..2, 0u32..=2, any::<bool>(), any::<bool>()),
            ),
            m,
        );
        (capacities, lists, tiers, scores, groups, res).prop_map(
            |(capacities, lists, tiers, scores, groups, reserves)| Spec {
                capacities,
                lists,
                tiers,
                scores,
                groups,
                reserves,
            },
        )
    })
}

/// A small primary-school city on a grid of `cols × rows` square zones of 0.01° from
/// (113.60°, 34.74°), row by row: zone `Zz` is served by public school `Sz_0` and, when
/// `second_school[z]`, also `Sz_1`; with `districts`, each pair of columns is a district.
#[derive(Clone, Debug)]
pub struct CitySpec {
    /// Zones across.
    pub cols: usize,
    /// Zones up.
    pub rows: usize,
    /// Stated seats of school `k` of zone `z`: `seats[2 * z + k]`.
    pub seats: Vec<u32>,
    /// Whether zone `z` has a second school.
    pub second_school: Vec<bool>,
    /// Pupils `p0, p1, …`: home as fractions (x, y) of the grid's width and height (outside
    /// 0–1 is outside every zone); kind bits (1: local hukou, 2: owns the home; 0 alone: a
    /// residence permit); whether they list the second school of the city.
    pub pupils: Vec<(f64, f64, u8, bool)>,
    /// Whether zones and schools belong to districts.
    pub districts: bool,
}

impl CitySpec {
    /// The city this describes.
    ///
    /// # Panics
    /// If `City::new` rejects it (the fields' lengths disagree, or a bug in the validation).
    #[must_use]
    pub fn build(&self) -> City {
        let (x0, y0, w) = (113.60, 34.74, 0.01);
        let mut schools = Vec::new();
        let mut zones = Vec::new();
        for r in 0..self.rows {
            for c in 0..self.cols {
                let z = r * self.cols + c;
                let (zx, zy) = (x0 + w * c as f64, y0 + w * r as f64);
                let mut ids = Vec::new();
                for k in 0..1 + usize::from(self.second_school[z]) {
                    ids.push(schools.len() as u32);
                    schools.push(School {
                        id: format!("S{z}_{k}"),
                        name: format!("S{z}_{k}"),
                        stage: Stage::Primary,
                        sector: Sector::Public,
                        location: Point::new(zx + w * (0.3 + 0.4 * k as f64), zy + w * 0.5),
                        entry_classes: 1,
                        district: self.districts.then_some((c / 2) as u32),
                        seats: Some(self.seats[2 * z + k]),
                    });
                }
                let poly = polygon![(x: zx, y: zy), (x: zx + w, y: zy), (x: zx + w, y: zy + w), (x: zx, y: zy + w), (x: zx, y: zy)];
                zones.push(Zone {
                    id: format!("Z{z}"),
                    stage: Stage::Primary,
                    schools: ids,
                    district: self.districts.then_some((c / 2) as u32),
                    geometry: MultiPolygon(vec![poly]),
                });
            }
        }
        let pupils = self
            .pupils
            .iter()
            .enumerate()
            .map(|(i, &(fx, fy, kind, pref))| Pupil {
                id: format!("p{i}"),
                stage: Stage::Primary,
                home: Point::new(
                    x0 + w * self.cols as f64 * fx,
                    y0 + w * self.rows as f64 * fy,
                ),
                hukou_local: kind & 1 == 1,
                owns_home: kind & 2 == 2,
                residence_permit: kind == 0,
                sibling_school: None,
                score: None,
                origin_school: None,
                preferences: if pref && schools.len() > 1 {
                    vec![1]
                } else {
                    Vec::new()
                },
            })
            .collect();
        let n_districts = if self.districts {
            self.cols.div_ceil(2)
        } else {
            0
        };
        City::new(
            schools,
            pupils,
            zones,
            (0..n_districts).map(|d| format!("D{d}")).collect(),
            None,
        )
        .expect("generated cities are valid")
    }
}

/// Cities of 1–3 × 1–2 zones with 0–3 seats per school, up to 29 pupils (some outside the
/// grid), with or without districts.
#[cfg(feature = "proptest")]
pub fn arb_city_spec() -> impl Strategy<Value = CitySpec> {
    (1usize..4, 1usize..3, any::<bool>()).prop_flat_map(|(cols, rows, districts)| {
        let z = cols * rows;
        (
            prop::collection::vec(0u32..4, 2 * z),
            prop::collection::vec(any::<bool>(), z),
            prop::collection::vec((-0.2f64..1.2, -0.2f64..1.2, 0u8..4, any::<bool>()), 0..30),
        )
            .prop_map(move |(seats, second_school, pupils)| CitySpec {
                cols,
                rows,
                seats,
                second_school,
                pupils,
                districts,
            })
    })
}
