//! The generator: shared state of the steps, each step in its own module (see the crate
//! docs for what each does).

mod areas;
mod blocks;
mod classes;
mod pupils;
mod roads;
mod schools;
mod stream;

use crate::city::{Locale, SynthCity, STAGES};
use crate::counts::counts;
use crate::error::ParamsError;
use crate::geom::{Frame, Micro, Node, Rect};
use crate::params::{Kind, Params};

/// Generates the city (see the crate docs). Deterministic in (params, seed, scale).
///
/// Complexity: O(B log B + n·(m_private + depth)) for B blocks, n pupils and m_private
/// private schools per stage; scale 1 (≈ 320 000 pupils) takes about a second.
///
/// # Errors
/// [`ParamsError::Invalid`] when the parameters fail [`Params::validate`];
/// [`ParamsError::Scale`] for a scale that is not positive, finite and at most 10.
pub fn generate(params: &Params, seed: u64, scale: f64) -> Result<SynthCity, ParamsError> {
    params.validate()?;
    let counts = counts(params, scale)?;
    let frame = Frame::new(params.centre.lon, params.centre.lat);
    let g = Generator {
        params,
        frame,
        seed,
        territory: frame.rect(params.territory.rect),
        district_rects: params
            .districts
            .iter()
            .map(|d| frame.rect(d.rect))
            .collect(),
    };
    let mut blocks = g.blocks(scale, &counts);
    let (areas, area_trees) = g.areas(&mut blocks);
    let mut city = SynthCity {
        seed,
        scale,
        frame,
        districts: params.districts.iter().map(|d| d.name.clone()).collect(),
        areas,
        blocks,
        schools: Vec::new(),
        zones: Vec::new(),
        pupils: Vec::new(),
        roll: Vec::new(),
        roads: Vec::new(),
    };
    let mut stage_trees = Vec::new();
    for (si, &stage) in STAGES.iter().enumerate() {
        let trees = g.schools_and_zones(&mut city, stage, &counts, si);
        stage_trees.push(trees);
    }
    let locator = Locator {
        district_rects: &g.district_rects,
        area_trees: &area_trees,
        stage_trees: &stage_trees,
    };
    for (si, &stage) in STAGES.iter().enumerate() {
        g.pupils(&mut city, stage, si, &counts, &locator);
    }
    for (si, &stage) in STAGES.iter().enumerate() {
        g.classes_and_roll(&mut city, stage, si, &counts);
    }
    city.roads = g.roads();
    Ok(city)
}

/// Finds the area and zones of a point.
struct Locator<'a> {
    district_rects: &'a [Rect],
    /// Per district: its areas' tree.
    area_trees: &'a [Node],
    /// Per stage, per area: the zones' tree.
    stage_trees: &'a [Vec<Node>],
}

impl Locator<'_> {
    fn area(&self, p: Micro) -> u32 {
        let d = self
            .district_rects
            .iter()
            .position(|r| r.contains(p))
            .unwrap_or(0);
        self.area_trees[d].locate(p)
    }

    fn zone(&self, stage_idx: usize, area: u32) -> &Node {
        &self.stage_trees[stage_idx][area as usize]
    }
}

/// The parameters, frame and seed every step reads.
struct Generator<'a> {
    params: &'a Params,
    frame: Frame,
    seed: u64,
    territory: Rect,
    district_rects: Vec<Rect>,
}

impl Generator<'_> {
    fn district_of(&self, p: Micro) -> u32 {
        self.district_rects
            .iter()
            .position(|r| r.contains(p))
            .unwrap_or(0) as u32
    }

    /// The locale of a place.
    fn locale(&self, p: Micro) -> Locale {
        let (x, y) = self.frame.km(p);
        for g in &self.params.growth {
            if (x - g.at[0]).hypot(y - g.at[1]) <= g.radius_km {
                return Locale::Growth;
            }
        }
        let d = &self.params.districts[self.district_of(p) as usize];
        match d.kind {
            Kind::County => {
                if (x - d.seat[0]).hypot(y - d.seat[1]) <= 2.0 * d.radius_km {
                    Locale::Town
                } else {
                    Locale::Rural
                }
            }
            Kind::Urban => {
                let r = x.abs().max(y.abs());
                let rings = &self.params.rings.half_width_km;
                match rings.iter().position(|&h| r < h) {
                    Some(0) => Locale::Core,
                    Some(1) => Locale::Inner,
                    Some(_) => Locale::Middle,
                    None => Locale::Outer,
                }
            }
        }
    }
}
