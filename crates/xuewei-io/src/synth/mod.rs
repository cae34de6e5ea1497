//! The synthetic city's files: its parameters in, its city files out.
//!
//! - [`params`]: `seeds/zhengzhou.toml` (TOML) → validated [`Params`](xuewei_synth::Params).
//! - [`write_all`] writes a generated [`SynthCity`](xuewei_synth::SynthCity) as the city
//!   files of `xuewei assign` and `xuewei classes` (`zones.geojson`, `schools.csv`,
//!   `pupils.csv`, `roll.csv`, `blocks.csv`, `roads.geojson`; formats in
//!   `docs/formats.md`), byte-stably, one function per file.
//!
//! ```
//! let text = include_str!("../../../../seeds/zhengzhou.toml");
//! let params = xuewei_io::synth::params::parse("zhengzhou.toml", text)?;
//! let city = xuewei_synth::generate(&params, 1, 0.01)?;
//! let mut schools = Vec::new();
//! xuewei_io::synth::write_schools(&city, &mut schools)?;
//! assert!(schools.starts_with(b"id,name,stage,sector,lon,lat,entry_classes,district\n"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod params;
mod write;

pub use write::{
    write_all, write_blocks, write_pupils, write_roads, write_roll, write_schools, write_zones,
    FILES,
};
