//! What the steps of one stage share: the stage's part of the city ([`StageInput`]), where
//! each of its pupils stands so far ([`Seating`]), distances ([`Metric`]), and the stage's
//! result.

use geo::Point;
use rayon::prelude::*;

use super::params::AssignParams;
use super::placement::{Draw, How, Placement, StageSummary, UnplacedReason};
use crate::city::City;
use crate::distance::{great_circle_m, RoadDistances};
use crate::lottery::{derive_seed, Lottery};
use crate::model::{Sector, Stage};

/// Distances from homes to schools: great-circle, or along the roads when the city has them.
pub(super) struct Metric<'a> {
    city: &'a City,
    roads: Option<RoadDistances>,
}

impl<'a> Metric<'a> {
    /// The metric of a city: along its roads (one Dijkstra per school) when it has them.
    pub(super) fn new(city: &'a City) -> Self {
        Metric {
            city,
            roads: city.roads.as_ref().map(|net| {
                let sources: Vec<Point<f64>> = city.schools.iter().map(|s| s.location).collect();
                RoadDistances::new(net, &sources)
            }),
        }
    }

    /// Where each home meets the road network (nearest node and the straight offset), found
    /// once per pupil; `None` everywhere without roads.
    pub(super) fn snap_all(&self, homes: &[Point<f64>]) -> Vec<Option<(u32, f64)>> {
        match self.city.roads.as_ref().filter(|_| self.roads.is_some()) {
            Some(net) => homes.par_iter().map(|&h| net.snap(h)).collect(),
            None => vec![None; homes.len()],
        }
    }

    /// Metres from a home (snapped by [`snap_all`](Self::snap_all)) to a school.
    pub(super) fn metres(&self, home: Point<f64>, snap: Option<(u32, f64)>, school: u32) -> f64 {
        match (&self.roads, snap) {
            (Some(r), Some((node, offset))) => r.metres_from_node(school as usize, node, offset),
            (Some(r), None) => r.metres(school as usize, home),
            (None, _) => great_circle_m(home, self.city.schools[school as usize].location),
        }
    }
}

/// What the steps of one stage read: the city, the options, and the stage's pupils, schools
/// and zones (indices into the city's lists, in city order). A pupil's position in `pupils`
/// is its local index (`lp`) in the steps' per-pupil vectors.
pub(super) struct StageInput<'a> {
    pub(super) city: &'a City,
    pub(super) params: &'a AssignParams,
    pub(super) metric: &'a Metric<'a>,
    /// Seats of every school of the city under the class policy.
    pub(super) seats: &'a [u32],
    pub(super) stage: Stage,
    /// Entering pupils of the stage.
    pub(super) pupils: Vec<u32>,
    /// Private schools of the stage.
    pub(super) private: Vec<u32>,
    /// Public schools of the stage.
    pub(super) public: Vec<u32>,
    /// Zones of the stage.
    pub(super) zones: Vec<u32>,
}

impl<'a> StageInput<'a> {
    pub(super) fn new(
        city: &'a City,
        params: &'a AssignParams,
        metric: &'a Metric<'a>,
        seats: &'a [u32],
        stage: Stage,
    ) -> Self {
        let of_stage = |n: usize, is: &dyn Fn(usize) -> bool| -> Vec<u32> {
            (0..n as u32).filter(|&i| is(i as usize)).collect()
        };
        let school_of = |sector: Sector| {
            of_stage(city.schools.len(), &|s| {
                city.schools[s].stage == stage && city.schools[s].sector == sector
            })
        };
        StageInput {
            city,
            params,
            metric,
            seats,
            stage,
            pupils: of_stage(city.pupils.len(), &|p| city.pupils[p].stage == stage),
            private: school_of(Sector::Private),
            public: school_of(Sector::Public),
            zones: of_stage(city.zones.len(), &|z| city.zones[z].stage == stage),
        }
    }

    /// The seed of one of the stage's lotteries (`1` private, `2` catchment), derived from
    /// the master seed and the stage's index.
    pub(super) fn seed(&self, lottery: u64) -> u64 {
        derive_seed(self.params.seed, self.stage.index() as u64 * 8 + lottery)
    }

    /// The published form of a lottery over some pupils of the stage: `pupil(k)` is the
    /// local index of the draw's k-th instance pupil.
    pub(super) fn draw(
        &self,
        name: &'static str,
        seed: u64,
        lottery: &Lottery,
        pupil: impl Fn(usize) -> usize,
    ) -> Draw {
        Draw {
            stage: self.stage,
            lottery: name,
            seed,
            order: lottery
                .order()
                .iter()
                .map(|st| self.pupils[pupil(st.index())])
                .collect(),
        }
    }
}

/// Where each pupil of a stage stands so far, by local index.
pub(super) struct Seating {
    /// The school (index into [`City::schools`]).
    pub(super) school_of: Vec<Option<u32>>,
    /// How the place was given ([`How::Unplaced`] until it is).
    pub(super) how: Vec<How>,
    /// Why the pupil was not seated in their zone.
    pub(super) reason: Vec<Option<UnplacedReason>>,
    /// Pupils seated at each school of the city.
    pub(super) placed: Vec<u32>,
}

impl Seating {
    pub(super) fn new(n_pupils: usize, n_schools: usize) -> Self {
        Seating {
            school_of: vec![None; n_pupils],
            how: vec![How::Unplaced; n_pupils],
            reason: vec![None; n_pupils],
            placed: vec![0; n_schools],
        }
    }

    /// Seats pupil `lp` at `school`.
    pub(super) fn seat(&mut self, lp: usize, school: u32, how: How) {
        self.school_of[lp] = Some(school);
        self.how[lp] = how;
        self.placed[school as usize] += 1;
    }

    /// Pupils of the public pool without a seat, by local index in increasing order.
    pub(super) fn waiting(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.school_of.len())
            .filter(|&lp| self.school_of[lp].is_none() && self.how[lp] != How::Private)
    }
}

/// One stage's placements (city pupil index, placement), summary and draws.
pub(super) struct StageResult {
    pub(super) stage: Stage,
    pub(super) placements: Vec<(u32, Placement)>,
    pub(super) summary: StageSummary,
    pub(super) draws: Vec<Draw>,
}
