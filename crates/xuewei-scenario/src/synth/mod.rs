//! The synthetic city: a Zhengzhou-like generator of schools, catchment zones, pupils,
//! whole-school rolls, residential blocks and roads, in the formats of `xuewei assign` and
//! `xuewei classes` (see `docs/formats.md` and `docs/synthetic-city.md`).
//!
//! The city is described by [`Params`] (read from `seeds/zhengzhou.toml`, the single source
//! of its numbers); [`generate`] builds a [`SynthCity`] deterministically from the parameters,
//! a seed and a scale; the `write_*` functions of [`write`](mod@write) print each file to any
//! [`std::io::Write`].
//!
//! ```no_run
//! use xuewei_scenario::synth::{generate, Params};
//!
//! let text = std::fs::read_to_string("seeds/zhengzhou.toml")?;
//! let params = Params::from_toml(&text)?;
//! let city = generate(&params, 1, 0.01)?;
//! let mut schools = Vec::new();
//! xuewei_scenario::synth::write::write_schools(&city, &mut schools)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! How the city is made (each step draws from its own ChaCha8 stream, derived from the seed
//! and the step's index by a SplitMix64 mix, so steps never share random numbers):
//!
//! 1. **Blocks** (小区) are drawn from a mixture: an exponential density around the centre,
//!    one around each district seat and growth area, and a uniform background. Households
//!    and children of each age 0–17 are spread over the blocks by systematic sampling, so
//!    totals are exact.
//! 2. **Areas**: every urban district is cut into its 学区 by a weighted k-d partition of its
//!    rectangle (equal children per 学区 and school); each county is one area.
//! 3. **Schools** of each stage are apportioned to areas by population (Sainte-Laguë), the
//!    junior highs of the urban districts fixed at `xuequ.urban_junior_schools`; private
//!    schools likewise.
//! 4. **Zones**: each area is cut by a weighted k-d partition into one zone per public
//!    primary or junior school (2–3 schools per zone, 多校划片, in the old core); senior
//!    zones are one per area. An area without a public school of the stage is added to the
//!    zone of the nearest school, so zones tile the territory exactly.
//! 5. **Pupils**: the entering cohorts, drawn from the blocks' children of the entry age, with
//!    hukou, home ownership, residence permits, siblings, private applications and
//!    preferences in multi-school zones.
//! 6. **Classes**: each public school's target class size comes from its band (core, inner,
//!    middle, outer, growth, town, rural); its entry classes are its expected intake over
//!    that size. The roll of every grade is apportioned from the exact stage total.
//! 7. **Roads**: square ring roads and two grids of arterials sharing every crossing.

pub mod geom;
pub mod params;
pub mod write;

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use xuewei_core::lottery::derive_seed;
use xuewei_core::{Sector, Stage};

pub use geom::{Frame, Micro, Rect};
pub use params::{Kind, Params, ParamsError, Problem, StageParams};

use geom::{partition, Node, Weighted};

/// Where a place lies, for class sizes and family shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Band {
    /// Urban, inside the first ring road (the old core).
    Core,
    /// Urban, between the first and second ring roads.
    Inner,
    /// Urban, between the second and the last ring road.
    Middle,
    /// Urban, beyond the last ring road.
    Outer,
    /// A growth area (e.g. the airport zone).
    Growth,
    /// A county town (near the county seat).
    Town,
    /// Rural county.
    Rural,
}

impl Band {
    /// All bands, inner to outer.
    pub const ALL: [Band; 7] = [
        Band::Core,
        Band::Inner,
        Band::Middle,
        Band::Outer,
        Band::Growth,
        Band::Town,
        Band::Rural,
    ];

    /// Lowercase name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Band::Core => "core",
            Band::Inner => "inner",
            Band::Middle => "middle",
            Band::Outer => "outer",
            Band::Growth => "growth",
            Band::Town => "town",
            Band::Rural => "rural",
        }
    }
}

/// The three stages the generator makes, in file order.
pub const STAGES: [Stage; 3] = [Stage::Primary, Stage::Junior, Stage::Senior];

/// A residential block (小区).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Id (`b000001`).
    pub id: String,
    /// Location.
    pub at: Micro,
    /// Area (index into [`SynthCity::areas`]).
    pub area: u32,
    /// Households.
    pub households: u32,
    /// Children by single year of age 0..=17.
    pub ages: [u32; 18],
}

/// An area: a 学区 of an urban district, or a county.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Area {
    /// Label: the 学区 (`金水区第2学区`) or the county's name. It is the `district` column
    /// of schools, zones and blocks.
    pub label: String,
    /// The county-level unit (index into [`Params::districts`]).
    pub district: u32,
    /// Its rectangle.
    pub rect: Rect,
}

/// A school.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct School {
    /// Id: `P0001` (public primary), `PM001` (private primary), `J…`, `S…`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Stage.
    pub stage: Stage,
    /// Public or private.
    pub sector: Sector,
    /// Location.
    pub at: Micro,
    /// Classes opened for the entering grade.
    pub entry_classes: u32,
    /// Area (index into [`SynthCity::areas`]).
    pub area: u32,
    /// Band of its location.
    pub band: Band,
}

/// A catchment zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone {
    /// Id: `ZP0001`, `ZJ0001`, `ZS0001`.
    pub id: String,
    /// Stage.
    pub stage: Stage,
    /// Public schools (indices into [`SynthCity::schools`]).
    pub schools: Vec<u32>,
    /// Area of its first school (index into [`SynthCity::areas`]).
    pub area: u32,
    /// Its rectangles (one, plus the areas without a school of the stage it serves).
    pub rects: Vec<Rect>,
}

/// An entering pupil.
#[derive(Clone, Debug, PartialEq)]
pub struct Pupil {
    /// Id: `pri000001`, `jun000001`, `sen000001`.
    pub id: String,
    /// Stage entered.
    pub stage: Stage,
    /// Home.
    pub home: Micro,
    /// Local hukou (false = migrant child, 随迁子女).
    pub hukou_local: bool,
    /// The family owns the home.
    pub owns_home: bool,
    /// Residence permit (migrants).
    pub residence_permit: bool,
    /// School an older sibling attends.
    pub sibling_school: Option<u32>,
    /// Exam score (senior entrants).
    pub score: Option<f64>,
    /// The school of the previous stage's zone (junior and senior entrants).
    pub origin_school: Option<u32>,
    /// Schools applied to, best first (indices into [`SynthCity::schools`]).
    pub preferences: Vec<u32>,
    /// The home's zone (index into [`SynthCity::zones`]).
    pub zone: u32,
    /// The block the pupil lives in (index into [`SynthCity::blocks`]).
    pub block: u32,
}

/// One grade of one school's roll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RollRow {
    /// School (index into [`SynthCity::schools`]).
    pub school: u32,
    /// Grade (1 = entering).
    pub grade: u32,
    /// Pupils.
    pub pupils: u32,
    /// Classrooms.
    pub classrooms: u32,
}

/// What a road is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoadKind {
    /// A ring road.
    Ring,
    /// An urban arterial.
    Urban,
    /// A county road of the territory grid.
    County,
}

/// A road polyline; roads share exact vertices where they cross.
#[derive(Clone, Debug, PartialEq)]
pub struct Road {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: RoadKind,
    /// Speed (km/h).
    pub speed_kmh: f64,
    /// Vertices.
    pub points: Vec<Micro>,
}

/// The generated city. All vectors are in file order.
#[derive(Clone, Debug)]
#[must_use]
pub struct SynthCity {
    /// Seed.
    pub seed: u64,
    /// Scale.
    pub scale: f64,
    /// The km ↔ degree frame.
    pub frame: Frame,
    /// County-level unit names.
    pub districts: Vec<String>,
    /// Areas (学区 and counties).
    pub areas: Vec<Area>,
    /// Residential blocks.
    pub blocks: Vec<Block>,
    /// Schools: primary, junior, senior; public then private within each.
    pub schools: Vec<School>,
    /// Zones: primary, junior, senior.
    pub zones: Vec<Zone>,
    /// Entering pupils: primary, junior, senior.
    pub pupils: Vec<Pupil>,
    /// Every grade of every school.
    pub roll: Vec<RollRow>,
    /// Roads.
    pub roads: Vec<Road>,
}

impl SynthCity {
    /// Pupils on roll of a stage, all grades.
    #[must_use]
    pub fn roll_total(&self, stage: Stage) -> u64 {
        self.roll
            .iter()
            .filter(|r| self.schools[r.school as usize].stage == stage)
            .map(|r| u64::from(r.pupils))
            .sum()
    }

    /// Schools of a stage and sector.
    #[must_use]
    pub fn school_count(&self, stage: Stage, sector: Sector) -> usize {
        self.schools
            .iter()
            .filter(|s| s.stage == stage && s.sector == sector)
            .count()
    }
}

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

/// The counts [`generate`] produces at a scale: schools are the full counts × scale,
/// rounded, at least one where the full city has some (exact at scale 1); the roll is the
/// full roll × scale, rounded, split over grades by cohort growth (exact sums).
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

/// The parameters of a stage.
#[must_use]
pub fn stage_params(params: &Params, stage: Stage) -> &StageParams {
    match stage {
        Stage::Junior => &params.stages.junior,
        Stage::Senior => &params.stages.senior,
        _ => &params.stages.primary,
    }
}

/// Generates the city (see the module docs). Deterministic in (params, seed, scale).
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

/// Units of work, each with its own stream.
#[derive(Clone, Copy)]
enum Unit {
    Blocks = 1,
    Households = 2,
    Ages = 3,
    Zones = 4,
    Schools = 5,
    Pupils = 6,
    Classes = 7,
    Roll = 8,
}

/// A random stream.
struct Rng(ChaCha8Rng);

impl Rng {
    fn new(seed: u64, unit: Unit, index: u64) -> Self {
        Rng(ChaCha8Rng::seed_from_u64(derive_seed(
            seed,
            ((unit as u64) << 32) | index,
        )))
    }
    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    fn bernoulli(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    /// Index drawn with probability proportional to `cum` increments (cumulative weights).
    fn pick(&mut self, cum: &[f64]) -> usize {
        let total = cum.last().copied().unwrap_or(0.0);
        let x = self.f64() * total;
        cum.partition_point(|&c| c <= x)
            .min(cum.len().saturating_sub(1))
    }
}

/// Splits `total` over weights by largest remainders (ties to the lower index).
fn hamilton(total: u64, weights: &[f64]) -> Vec<u32> {
    let w: f64 = weights.iter().sum();
    if weights.is_empty() {
        return Vec::new();
    }
    let quotas: Vec<f64> = if w > 0.0 {
        weights.iter().map(|&x| total as f64 * x / w).collect()
    } else {
        vec![total as f64 / weights.len() as f64; weights.len()]
    };
    let mut out: Vec<u32> = quotas.iter().map(|q| q.floor() as u32).collect();
    let given: u64 = out.iter().map(|&x| u64::from(x)).sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = quotas[a] - quotas[a].floor();
        let fb = quotas[b] - quotas[b].floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for &i in order
        .iter()
        .cycle()
        .take(total.saturating_sub(given) as usize)
    {
        out[i] += 1;
    }
    out
}

/// Splits `total` over weights by Sainte-Laguë highest averages, each share at most its cap.
fn highest_averages(total: u32, weights: &[f64], caps: &[u32]) -> Vec<u32> {
    let mut out = vec![0u32; weights.len()];
    let any = weights.iter().zip(caps).any(|(&w, &c)| w > 0.0 && c > 0);
    for _ in 0..total {
        let mut best: Option<(f64, usize)> = None;
        for i in 0..weights.len() {
            if out[i] >= caps[i] {
                continue;
            }
            let w = if any { weights[i] } else { 1.0 };
            if w <= 0.0 && any {
                continue;
            }
            let q = w / f64::from(2 * out[i] + 1);
            if best.is_none_or(|(b, _)| q > b) {
                best = Some((q, i));
            }
        }
        match best {
            Some((_, i)) => out[i] += 1,
            None => break,
        }
    }
    out
}

/// Spreads `total` over weights by systematic sampling with offset `u` ∈ [0, 1): exact
/// total, each share within one of its quota.
fn systematic(total: u64, weights: &[f64], u: f64) -> Vec<u32> {
    let w: f64 = weights.iter().sum();
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    if w <= 0.0 {
        return hamilton(total, &vec![1.0; n]);
    }
    let mut out = Vec::with_capacity(n);
    let (mut cum, mut prev) = (0.0, 0u64);
    for (i, &x) in weights.iter().enumerate() {
        cum += x;
        let cur = if i + 1 == n {
            total
        } else {
            ((u + total as f64 * cum / w).floor() as u64)
                .min(total)
                .max(prev)
        };
        out.push((cur - prev) as u32);
        prev = cur;
    }
    out
}

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

    /// The band of a place.
    fn band(&self, p: Micro) -> Band {
        let (x, y) = self.frame.km(p);
        for g in &self.params.growth {
            if (x - g.at[0]).hypot(y - g.at[1]) <= g.radius_km {
                return Band::Growth;
            }
        }
        let d = &self.params.districts[self.district_of(p) as usize];
        match d.kind {
            Kind::County => {
                if (x - d.seat[0]).hypot(y - d.seat[1]) <= 2.0 * d.radius_km {
                    Band::Town
                } else {
                    Band::Rural
                }
            }
            Kind::Urban => {
                let r = x.abs().max(y.abs());
                let rings = &self.params.rings.half_width_km;
                match rings.iter().position(|&h| r < h) {
                    Some(0) => Band::Core,
                    Some(1) => Band::Inner,
                    Some(_) => Band::Middle,
                    None => Band::Outer,
                }
            }
        }
    }

    /// Step 1: blocks, households and children by age.
    fn blocks(&self, scale: f64, counts: &Counts) -> Vec<Block> {
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
            .map(|b| Block {
                id: format!("b{:06}", b + 1),
                at: at[b],
                area: 0,
                households: hh[b],
                ages: ages[b],
            })
            .collect()
    }

    /// Step 2: areas (学区 of urban districts, counties), and the blocks' areas.
    fn areas(&self, blocks: &mut [Block]) -> (Vec<Area>, Vec<Node>) {
        let mut areas = Vec::new();
        let mut trees = Vec::new();
        let district_of: Vec<u32> = blocks.iter().map(|b| self.district_of(b.at)).collect();
        for (d, dist) in self.params.districts.iter().enumerate() {
            let rect = self.district_rects[d];
            let first = areas.len() as u32;
            match dist.kind {
                Kind::County => {
                    areas.push(Area {
                        label: dist.name.clone(),
                        district: d as u32,
                        rect,
                    });
                    trees.push(Node::Leaf(first));
                }
                Kind::Urban => {
                    let mut points: Vec<Weighted> = blocks
                        .iter()
                        .zip(&district_of)
                        .filter(|(_, &bd)| bd as usize == d)
                        .map(|(b, _)| Weighted {
                            p: b.at,
                            w: b.ages.iter().map(|&c| f64::from(c)).sum(),
                        })
                        .collect();
                    let mut leaves = Vec::new();
                    let tree = partition(
                        &self.frame,
                        rect,
                        dist.xuequ,
                        &mut points,
                        &mut |_, _| false,
                        &mut leaves,
                    );
                    for (k, (r, _)) in leaves.iter().enumerate() {
                        areas.push(Area {
                            label: format!("{}第{}学区", dist.name, k + 1),
                            district: d as u32,
                            rect: *r,
                        });
                    }
                    trees.push(offset(tree, first));
                }
            }
        }
        for (b, &d) in blocks.iter_mut().zip(&district_of) {
            b.area = trees[d as usize].locate(b.at);
        }
        (areas, trees)
    }

    /// Steps 3 and 4 for one stage: schools apportioned to areas, placed, and zoned.
    /// Returns the zone tree of every area.
    fn schools_and_zones(
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
        let mut new_schools: Vec<School> = Vec::new();
        let mut new_zones: Vec<Zone> = Vec::new();
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
            trees[a] = Some(offset(tree, zone_base));
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
                    new_schools.push(School {
                        id: format!("{letter}{n_school_pub:04}"),
                        name: format!("{}第{}{}", p.districts[d].name, per_district[d], kind_name),
                        stage,
                        sector: Sector::Public,
                        at,
                        entry_classes: 0,
                        area: a as u32,
                        band: self.band(at),
                    });
                }
                new_zones.push(Zone {
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
                new_schools.push(School {
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
                    band: self.band(at),
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

    /// Step 5: the entering pupils of a stage.
    fn pupils(
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
                let band = self.band(home);
                let migrant = rng.bernoulli(f.migrant_share.get(band));
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
                out.push(Pupil {
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

    /// Step 6: entry classes and the roll of every grade.
    fn classes_and_roll(&self, city: &mut SynthCity, stage: Stage, si: usize, counts: &Counts) {
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
                    let c = sp.class_size.get(school.band) * (sp.class_spread * rng.normal()).exp();
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
                city.roll.push(RollRow {
                    school: s as u32,
                    grade: g as u32 + 1,
                    pupils: pupils[k],
                    classrooms,
                });
            }
        }
    }

    /// Step 7: ring roads and arterial grids, sharing every crossing vertex.
    fn roads(&self) -> Vec<Road> {
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
            roads.push(Road {
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

/// The nearest and second-nearest schools of a list.
fn nearest_two(frame: &Frame, home: Micro, list: &[u32], schools: &[School]) -> (u32, Option<u32>) {
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

/// Shifts a tree's leaf indices.
fn offset(node: Node, by: u32) -> Node {
    match node {
        Node::Leaf(i) => Node::Leaf(i + by),
        Node::Split {
            along_lon,
            cut,
            lo,
            hi,
        } => Node::Split {
            along_lon,
            cut,
            lo: Box::new(offset(*lo, by)),
            hi: Box::new(offset(*hi, by)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportionments_are_exact() {
        assert_eq!(hamilton(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(hamilton(5, &[0.0, 0.0]), vec![3, 2]);
        let s = systematic(1000, &[1.0, 5.0, 0.0, 3.5], 0.37);
        assert_eq!(s.iter().map(|&x| u64::from(x)).sum::<u64>(), 1000);
        assert_eq!(s[2], 0);
        assert_eq!(
            highest_averages(7, &[1.0, 2.0, 4.0], &[9, 9, 1]),
            vec![2, 4, 1]
        );
    }
}
