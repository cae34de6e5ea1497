//! # xuewei-synth
//!
//! The synthetic city: a Zhengzhou-like generator of schools, catchment zones, pupils,
//! whole-school rolls, residential blocks and roads, the records of the files of
//! `xuewei assign` and `xuewei classes` (see `docs/formats.md` and
//! `docs/synthetic-city.md`). It knows nothing of scenarios, the CLI, the terminal or any
//! file format: it takes parameters and returns data.
//!
//! The city is described by [`Params`] (the numbers of `seeds/zhengzhou.toml`, its single
//! source); [`generate`] builds a [`SynthCity`] deterministically from the parameters, a seed
//! and a scale. `xuewei_io::synth` writes the city's files.
//!
//! ```
//! use xuewei_core::{Sector, Stage};
//! use xuewei_synth::{generate, Params};
//!
//! // `xuewei_io::synth::params::load` reads and checks `seeds/zhengzhou.toml`.
//! # let params: Params = toml::from_str(include_str!("../../../seeds/zhengzhou.toml"))?;
//! params.validate()?;
//! let city = generate(&params, 1, 0.01)?;
//! assert_eq!(city.school_count(Stage::Primary, Sector::Public), 8);
//! // `xuewei_io::synth::write_all` writes its files.
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
//! 6. **Classes**: each public school's target class size comes from its locale (core, inner,
//!    middle, outer, growth, town, rural); its entry classes are its expected intake over
//!    that size. The roll of every grade is apportioned from the exact stage total.
//! 7. **Roads**: square ring roads and two grids of arterials sharing every crossing.

#![deny(missing_docs)]

mod apportion;
mod city;
mod counts;
mod error;
mod generate;
pub mod geom;
pub mod params;
mod validate;

pub use city::{
    Area, BlockRecord, Locale, PupilRecord, RoadKind, RoadRecord, RollRecord, SchoolRecord,
    SynthCity, ZoneRecord, STAGES,
};
pub use counts::{counts, Counts};
pub use error::{ParamsError, ParamsProblems, Problem};
pub use generate::generate;
pub use geom::{Frame, Micro, Rect};
pub use params::{stage_params, Kind, Params, StageParams};
