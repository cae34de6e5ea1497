//! The parameters of a synthetic city (`seeds/zhengzhou.toml`), read with serde and
//! validated field by field.

use std::fmt;

use serde::Deserialize;

/// A rectangle in km east/north of the centre: `[x0, y0, x1, y1]`.
pub type RectKm = [f64; 4];

/// The parameters of a synthetic city. Every field is documented in `seeds/zhengzhou.toml`.
/// Build with [`Params::from_toml`], which validates.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Display name.
    pub name: String,
    /// The year the files describe.
    pub base_year: u32,
    /// The city centre.
    pub centre: Centre,
    /// The territory tiled by the districts.
    pub territory: Territory,
    /// Ring roads.
    pub rings: Rings,
    /// Arterial road grids.
    pub roads: Roads,
    /// County-level units (urban districts and counties).
    pub districts: Vec<District>,
    /// School districts (学区).
    pub xuequ: Xuequ,
    /// Growth areas (e.g. the airport zone).
    #[serde(default)]
    pub growth: Vec<Growth>,
    /// Where people live.
    pub population: Population,
    /// Family attributes.
    pub families: Families,
    /// Multi-school zones in the core.
    pub multi_school: MultiSchool,
    /// Per-stage school counts, rolls and class sizes.
    pub stages: Stages,
}

/// The centre (WGS84 degrees).
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Centre {
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
}

/// The territory.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Territory {
    /// Its rectangle (km).
    pub rect: RectKm,
}

/// Square ring roads around the centre.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rings {
    /// Names, innermost first.
    pub names: Vec<String>,
    /// Half-widths (km), increasing.
    pub half_width_km: Vec<f64>,
    /// Speed (km/h).
    pub speed_kmh: f64,
}

/// Arterial grids.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roads {
    /// Area of the fine urban grid (km).
    pub urban_rect: RectKm,
    /// Spacing of the urban grid (km).
    pub urban_spacing_km: f64,
    /// Speed on the urban grid (km/h).
    pub urban_speed_kmh: f64,
    /// Spacing of the territory grid (km).
    pub county_spacing_km: f64,
    /// Speed on the territory grid (km/h).
    pub county_speed_kmh: f64,
}

/// Kind of county-level unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An urban district (市区).
    Urban,
    /// A county or county-level city (县、市).
    County,
}

/// A county-level unit.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    /// Name.
    pub name: String,
    /// Urban district or county.
    pub kind: Kind,
    /// Area (km).
    pub rect: RectKm,
    /// Seat (km).
    pub seat: [f64; 2],
    /// Share of the seat in the population mixture.
    pub weight: f64,
    /// Radial scale of the seat's density (km).
    pub radius_km: f64,
    /// 学区 of an urban district.
    #[serde(default)]
    pub xuequ: u32,
}

/// School districts (学区).
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Xuequ {
    /// Number of 学区 over the urban districts.
    pub count: u32,
    /// Junior highs in the urban districts at scale 1.
    pub urban_junior_schools: u32,
}

/// A growth area.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Growth {
    /// Name.
    pub name: String,
    /// Centre (km).
    pub at: [f64; 2],
    /// Homes within this radius are in it (km).
    pub radius_km: f64,
    /// Share in the population mixture.
    pub weight: f64,
    /// Radial scale of its density (km).
    pub scale_km: f64,
}

/// Where people live.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Share of the central component.
    pub core_weight: f64,
    /// Radial scale of the central component (km).
    pub core_radius_km: f64,
    /// Share of the uniform background.
    pub rural_weight: f64,
    /// Blocks at scale 1.
    pub blocks: u32,
    /// Blocks at scale F: blocks × F^blocks_exponent.
    pub blocks_exponent: f64,
    /// Children aged 0–17 per household.
    pub children_per_household: f64,
    /// Log-normal spread of block sizes.
    pub block_sigma: f64,
    /// Extra block size near the centre.
    pub block_core_boost: f64,
    /// Homes lie within this distance of their block (km).
    pub home_jitter_km: f64,
}

/// A value per band (see [`Band`](super::Band)).
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerBand {
    /// Inside the first ring.
    pub core: f64,
    /// Between the first and second rings.
    pub inner: f64,
    /// Between the second and last rings.
    pub middle: f64,
    /// Urban, beyond the last ring.
    pub outer: f64,
    /// Growth areas.
    pub growth: f64,
    /// County towns.
    pub town: f64,
    /// Rural counties.
    pub rural: f64,
}

impl PerBand {
    /// The value of a band.
    #[must_use]
    pub fn get(&self, band: super::Band) -> f64 {
        use super::Band;
        match band {
            Band::Core => self.core,
            Band::Inner => self.inner,
            Band::Middle => self.middle,
            Band::Outer => self.outer,
            Band::Growth => self.growth,
            Band::Town => self.town,
            Band::Rural => self.rural,
        }
    }

    fn values(&self) -> [(&'static str, f64); 7] {
        [
            ("core", self.core),
            ("inner", self.inner),
            ("middle", self.middle),
            ("outer", self.outer),
            ("growth", self.growth),
            ("town", self.town),
            ("rural", self.rural),
        ]
    }
}

/// Family attributes.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Families {
    /// Share of migrant children (随迁子女) per band.
    pub migrant_share: PerBand,
    /// Local families owning their home.
    pub owns_home_local: f64,
    /// Migrant families owning their home.
    pub owns_home_migrant: f64,
    /// Migrant families with a residence permit.
    pub residence_permit_migrant: f64,
    /// Primary pupils with an older sibling at their zone school.
    pub sibling_share: f64,
    /// Families in multi-school zones who rank the zone's schools.
    pub rank_zone_schools: f64,
    /// Chance that two neighbouring ranked schools swap.
    pub rank_swap: f64,
    /// Mean exam score of senior entrants.
    pub score_mean: f64,
    /// Standard deviation of the score.
    pub score_sd: f64,
    /// Lowest score.
    pub score_min: f64,
    /// Highest score.
    pub score_max: f64,
}

/// Multi-school zones.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultiSchool {
    /// Ring (0 = innermost) inside which areas of 2–3 schools may form one zone.
    pub within_ring: usize,
    /// Probability that such an area forms one zone.
    pub probability: f64,
}

/// The three school stages.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stages {
    /// Primary (小学).
    pub primary: StageParams,
    /// Junior high (初中).
    pub junior: StageParams,
    /// Senior high (高中).
    pub senior: StageParams,
}

/// One stage's counts and calibration.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageParams {
    /// Schools (public + private) at scale 1.
    pub schools: u32,
    /// Private schools at scale 1.
    pub private: u32,
    /// Pupils on roll, all grades, at scale 1.
    pub roll: u32,
    /// Age of the entering cohort.
    pub age: u32,
    /// Cohort growth per year.
    pub growth: f64,
    /// Share of the entering cohort private schools take.
    pub private_share: f64,
    /// Share of entering pupils applying to a private school.
    pub private_apply: f64,
    /// Class size of private schools.
    pub private_class: f64,
    /// Target mean class size of public schools per band.
    pub class_size: PerBand,
    /// Log-normal spread of a school's class size.
    pub class_spread: f64,
    /// Spread of a grade's size around the school's.
    pub grade_spread: f64,
}

/// One problem in the parameters, naming the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The field, as a TOML path (`stages.primary.private`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Why parameters were refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParamsError {
    /// Not valid TOML, or a field missing, unknown or of the wrong type.
    #[error("{0}")]
    Parse(String),
    /// Fields with values out of range or inconsistent (every problem found).
    #[error("{} problem{} in the parameters:{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, list(.0))]
    Invalid(Vec<Problem>),
    /// The scale is not a positive finite number of at most 10.
    #[error("scale {0} is not a positive number of at most 10")]
    Scale(f64),
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("\n  {p}")).collect()
}

impl Params {
    /// Reads and validates parameters from TOML text.
    ///
    /// # Errors
    /// [`ParamsError::Parse`] for malformed TOML or missing, unknown or mistyped fields;
    /// [`ParamsError::Invalid`] with every out-of-range or inconsistent field.
    pub fn from_toml(text: &str) -> Result<Params, ParamsError> {
        let params: Params = toml::from_str(text).map_err(|e| ParamsError::Parse(e.to_string()))?;
        params.validate()?;
        Ok(params)
    }

    /// Checks every field; see [`Params::from_toml`].
    ///
    /// # Errors
    /// [`ParamsError::Invalid`] listing every problem.
    pub fn validate(&self) -> Result<(), ParamsError> {
        let mut p = Vec::new();
        let mut bad = |field: String, message: String| p.push(Problem { field, message });
        let positive = |x: f64| x.is_finite() && x > 0.0;
        let share = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
        if !(self.centre.lon.is_finite() && self.centre.lon.abs() <= 180.0) {
            bad(
                "centre.lon".into(),
                format!("{} is not in [-180, 180]", self.centre.lon),
            );
        }
        if !(self.centre.lat.is_finite() && self.centre.lat.abs() <= 80.0) {
            bad(
                "centre.lat".into(),
                format!("{} is not in [-80, 80]", self.centre.lat),
            );
        }
        let rect_ok = |r: &RectKm| r.iter().all(|x| x.is_finite()) && r[0] < r[2] && r[1] < r[3];
        let t = self.territory.rect;
        if !rect_ok(&t) {
            bad(
                "territory.rect".into(),
                format!("{t:?} is not [x0, y0, x1, y1] with x0 < x1, y0 < y1"),
            );
        }
        if self.rings.names.len() != self.rings.half_width_km.len() || self.rings.names.is_empty() {
            bad(
                "rings.names".into(),
                "needs one name per half-width, at least one ring".into(),
            );
        }
        if !self.rings.half_width_km.windows(2).all(|w| w[0] < w[1])
            || !self.rings.half_width_km.iter().all(|&x| positive(x))
        {
            bad(
                "rings.half_width_km".into(),
                "must be positive and increasing".into(),
            );
        }
        if !positive(self.rings.speed_kmh) {
            bad("rings.speed_kmh".into(), "must be positive".into());
        }
        let r = &self.roads;
        if !rect_ok(&r.urban_rect) {
            bad(
                "roads.urban_rect".into(),
                "is not [x0, y0, x1, y1] with x0 < x1, y0 < y1".into(),
            );
        }
        for (name, v) in [
            ("urban_spacing_km", r.urban_spacing_km),
            ("urban_speed_kmh", r.urban_speed_kmh),
            ("county_spacing_km", r.county_spacing_km),
            ("county_speed_kmh", r.county_speed_kmh),
        ] {
            if !positive(v) {
                bad(format!("roads.{name}"), format!("{v} is not positive"));
            }
        }
        if r.urban_spacing_km.is_finite() && r.urban_spacing_km < 0.2 {
            bad(
                "roads.urban_spacing_km".into(),
                "must be at least 0.2 km".into(),
            );
        }
        if r.county_spacing_km.is_finite() && r.county_spacing_km < 0.2 {
            bad(
                "roads.county_spacing_km".into(),
                "must be at least 0.2 km".into(),
            );
        }
        // Districts.
        if self.districts.is_empty() {
            bad("districts".into(), "needs at least one district".into());
        }
        let mut area = 0.0;
        let mut xuequ = 0;
        for (i, d) in self.districts.iter().enumerate() {
            let at = |f: &str| format!("districts[{i}] ({}).{f}", d.name);
            if d.name.trim().is_empty() {
                bad(at("name"), "is empty".into());
            }
            if self.districts[..i].iter().any(|e| e.name == d.name) {
                bad(at("name"), "is used twice".into());
            }
            if !rect_ok(&d.rect) {
                bad(
                    at("rect"),
                    format!("{:?} is not [x0, y0, x1, y1] with x0 < x1, y0 < y1", d.rect),
                );
            } else {
                if d.rect[0] < t[0] || d.rect[1] < t[1] || d.rect[2] > t[2] || d.rect[3] > t[3] {
                    bad(at("rect"), "is not inside territory.rect".into());
                }
                for (j, e) in self.districts[..i].iter().enumerate() {
                    let ox = d.rect[2].min(e.rect[2]) - d.rect[0].max(e.rect[0]);
                    let oy = d.rect[3].min(e.rect[3]) - d.rect[1].max(e.rect[1]);
                    if ox > 1e-9 && oy > 1e-9 {
                        bad(at("rect"), format!("overlaps districts[{j}] ({})", e.name));
                    }
                }
                area += (d.rect[2] - d.rect[0]) * (d.rect[3] - d.rect[1]);
            }
            if !d.seat.iter().all(|x| x.is_finite()) {
                bad(at("seat"), "is not finite".into());
            }
            if !(d.weight.is_finite() && d.weight >= 0.0) {
                bad(
                    at("weight"),
                    format!("{} is not a non-negative number", d.weight),
                );
            }
            if !positive(d.radius_km) {
                bad(at("radius_km"), format!("{} is not positive", d.radius_km));
            }
            match d.kind {
                Kind::Urban if d.xuequ == 0 => bad(
                    at("xuequ"),
                    "an urban district needs at least one 学区".into(),
                ),
                Kind::County if d.xuequ != 0 => {
                    bad(at("xuequ"), "only urban districts have 学区".into())
                }
                _ => {}
            }
            xuequ += d.xuequ;
        }
        if rect_ok(&t) {
            let total = (t[2] - t[0]) * (t[3] - t[1]);
            if (area - total).abs() > 1e-6 * total {
                bad(
                    "districts".into(),
                    format!("rectangles cover {area:.3} km² of the territory's {total:.3} km² (they must tile it)"),
                );
            }
        }
        if xuequ != self.xuequ.count {
            bad(
                "xuequ.count".into(),
                format!(
                    "is {} but the urban districts' xuequ sum to {xuequ}",
                    self.xuequ.count
                ),
            );
        }
        if self.xuequ.urban_junior_schools > self.stages.junior.schools {
            bad(
                "xuequ.urban_junior_schools".into(),
                "exceeds stages.junior.schools".into(),
            );
        }
        for (i, g) in self.growth.iter().enumerate() {
            let at = |f: &str| format!("growth[{i}] ({}).{f}", g.name);
            if !g.at.iter().all(|x| x.is_finite()) {
                bad(at("at"), "is not finite".into());
            }
            if !positive(g.radius_km) {
                bad(at("radius_km"), "is not positive".into());
            }
            if !positive(g.scale_km) {
                bad(at("scale_km"), "is not positive".into());
            }
            if !(g.weight.is_finite() && g.weight >= 0.0) {
                bad(at("weight"), "is not a non-negative number".into());
            }
        }
        let pop = &self.population;
        for (name, v) in [
            ("core_radius_km", pop.core_radius_km),
            ("children_per_household", pop.children_per_household),
        ] {
            if !positive(v) {
                bad(format!("population.{name}"), format!("{v} is not positive"));
            }
        }
        for (name, v) in [
            ("core_weight", pop.core_weight),
            ("rural_weight", pop.rural_weight),
            ("blocks_exponent", pop.blocks_exponent),
            ("block_sigma", pop.block_sigma),
            ("block_core_boost", pop.block_core_boost),
            ("home_jitter_km", pop.home_jitter_km),
        ] {
            if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
                bad(
                    format!("population.{name}"),
                    format!("{v} is not in [0, 10]"),
                );
            }
        }
        if pop.blocks == 0 || pop.blocks > 5_000_000 {
            bad(
                "population.blocks".into(),
                format!("{} is not in 1..=5000000", pop.blocks),
            );
        }
        let mixture = pop.core_weight
            + pop.rural_weight
            + self.districts.iter().map(|d| d.weight).sum::<f64>()
            + self.growth.iter().map(|g| g.weight).sum::<f64>();
        if !(mixture.is_finite() && mixture > 0.0) {
            bad(
                "population.core_weight".into(),
                "the mixture weights sum to zero".into(),
            );
        }
        let f = &self.families;
        for (name, v) in f.migrant_share.values() {
            if !share(v) {
                bad(
                    format!("families.migrant_share.{name}"),
                    format!("{v} is not in [0, 1]"),
                );
            }
        }
        for (name, v) in [
            ("owns_home_local", f.owns_home_local),
            ("owns_home_migrant", f.owns_home_migrant),
            ("residence_permit_migrant", f.residence_permit_migrant),
            ("sibling_share", f.sibling_share),
            ("rank_zone_schools", f.rank_zone_schools),
            ("rank_swap", f.rank_swap),
        ] {
            if !share(v) {
                bad(format!("families.{name}"), format!("{v} is not in [0, 1]"));
            }
        }
        if !(f.score_min.is_finite()
            && f.score_min >= 0.0
            && f.score_max.is_finite()
            && f.score_min < f.score_max)
        {
            bad(
                "families.score_min".into(),
                "needs 0 <= score_min < score_max".into(),
            );
        }
        if !(f.score_mean.is_finite() && f.score_sd.is_finite() && f.score_sd >= 0.0) {
            bad(
                "families.score_sd".into(),
                "score_mean and score_sd must be finite, sd >= 0".into(),
            );
        }
        if self.multi_school.within_ring >= self.rings.half_width_km.len() {
            bad(
                "multi_school.within_ring".into(),
                "is not the index of a ring".into(),
            );
        }
        if !share(self.multi_school.probability) {
            bad("multi_school.probability".into(), "is not in [0, 1]".into());
        }
        for (stage, s) in [
            ("primary", &self.stages.primary),
            ("junior", &self.stages.junior),
            ("senior", &self.stages.senior),
        ] {
            let at = |f: &str| format!("stages.{stage}.{f}");
            if s.schools == 0 {
                bad(at("schools"), "must be at least 1".into());
            }
            if s.private >= s.schools && s.schools > 0 {
                bad(
                    at("private"),
                    format!("{} leaves no public school of {}", s.private, s.schools),
                );
            }
            if s.roll < s.schools {
                bad(at("roll"), "is smaller than the number of schools".into());
            }
            if s.age > 17 {
                bad(
                    at("age"),
                    "must be at most 17 (blocks count children aged 0–17)".into(),
                );
            }
            if !(s.growth.is_finite() && (0.5..=2.0).contains(&s.growth)) {
                bad(at("growth"), format!("{} is not in [0.5, 2]", s.growth));
            }
            for (name, v) in [
                ("private_share", s.private_share),
                ("private_apply", s.private_apply),
                ("class_spread", s.class_spread),
                ("grade_spread", s.grade_spread),
            ] {
                if !share(v) {
                    bad(at(name), format!("{v} is not in [0, 1]"));
                }
            }
            if !(s.private_class.is_finite() && (5.0..=120.0).contains(&s.private_class)) {
                bad(at("private_class"), "is not in [5, 120]".into());
            }
            for (name, v) in s.class_size.values() {
                if !(v.is_finite() && (5.0..=120.0).contains(&v)) {
                    bad(
                        format!("stages.{stage}.class_size.{name}"),
                        format!("{v} is not in [5, 120]"),
                    );
                }
            }
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(ParamsError::Invalid(p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_text() -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/zhengzhou.toml");
        std::fs::read_to_string(path).expect("seeds/zhengzhou.toml is readable")
    }

    #[test]
    fn the_seed_parameters_are_valid() {
        let p = Params::from_toml(&seed_text()).expect("valid");
        assert_eq!(p.districts.len(), 15);
        assert_eq!(
            p.districts.iter().filter(|d| d.kind == Kind::Urban).count(),
            9
        );
    }

    #[test]
    fn problems_name_their_fields() {
        let text = seed_text()
            .replace("private = 88", "private = 935")
            .replace("count = 20", "count = 21")
            .replace(
                "rect = [-6.0, 0.0, 0.0, 10.0]",
                "rect = [-6.0, 0.0, 1.0, 10.0]",
            );
        let err = Params::from_toml(&text).expect_err("invalid").to_string();
        assert!(
            err.contains("stages.primary.private: 935 leaves no public school"),
            "{err}"
        );
        assert!(err.contains("xuequ.count: is 21"), "{err}");
        assert!(err.contains("overlaps districts[0] (中原区)"), "{err}");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let text = seed_text().replace("base_year = 2015", "base_year = 2015\ncolour = 1");
        let err = Params::from_toml(&text).expect_err("unknown field");
        assert!(
            matches!(err, ParamsError::Parse(ref m) if m.contains("colour")),
            "{err}"
        );
    }
}
