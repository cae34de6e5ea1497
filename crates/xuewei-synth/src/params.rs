//! The parameters of a synthetic city: the records of `seeds/zhengzhou.toml`, deserialised
//! with serde (`xuewei_io::synth::params` reads the TOML); the checks of every field are in
//! `validate.rs`.

use serde::Deserialize;
use xuewei_core::Stage;

use crate::city::Locale;

/// A rectangle in km east/north of the centre: `[x0, y0, x1, y1]`.
pub type RectKm = [f64; 4];

/// The parameters of a synthetic city. Every field is documented in `seeds/zhengzhou.toml`.
/// Read them with `xuewei_io::synth::params::load`, which validates; parameters made in
/// code are checked with [`Params::validate`] (and by [`generate`](crate::generate)).
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

/// A value per locale (see [`Locale`]).
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerLocale {
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

impl PerLocale {
    /// The value of a locale.
    #[must_use]
    pub fn get(&self, locale: Locale) -> f64 {
        match locale {
            Locale::Core => self.core,
            Locale::Inner => self.inner,
            Locale::Middle => self.middle,
            Locale::Outer => self.outer,
            Locale::Growth => self.growth,
            Locale::Town => self.town,
            Locale::Rural => self.rural,
        }
    }

    /// Every locale's value with its field name, for messages.
    pub(crate) fn values(&self) -> [(&'static str, f64); 7] {
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
    /// Share of migrant children (随迁子女) per locale.
    pub migrant_share: PerLocale,
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
    /// Target mean class size of public schools per locale.
    pub class_size: PerLocale,
    /// Log-normal spread of a school's class size.
    pub class_spread: f64,
    /// Spread of a grade's size around the school's.
    pub grade_spread: f64,
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
