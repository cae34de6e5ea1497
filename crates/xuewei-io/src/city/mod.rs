//! The city's files (formats in `docs/formats.md`): `zones.geojson`, `schools.csv`,
//! `pupils.csv` and the optional `roads.geojson` make a [`City`]; with `roll.csv` and
//! `blocks.csv` they make a scenario's base [`CityState`].
//!
//! - [`parse`] turns the files' texts into a validated city, reporting every problem at once;
//!   [`load`] reads the files first.
//! - [`load_state`] reads a whole city directory, as `xuewei synth` writes it.
//! - [`roll`], [`blocks`] and [`rules`]: the other files. Every CSV file is read with the
//!   same conventions (byte-order mark, free column order and case, unknown columns ignored,
//!   lines counted as an editor counts them: `docs/formats.md`).
//! - [`write`](mod@write): an assignment's files (`placements.csv`, `schools.csv`, `classes.csv`,
//!   `lottery.csv`, `summary.json`) and a roll's classes and measures.
//!
//! ```
//! use xuewei_io::city::{parse, CityFiles};
//! let schools = "id,stage,lon,lat,entry_classes\nPA,primary,113.605,34.745,1\n";
//! let pupils = "id,stage,lon,lat\na1,primary,113.604,34.744\na2,primary,34.744,113.604\n";
//! let zones = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
//!   "properties": {"id": "ZA", "stage": "primary", "schools": ["PA"]},
//!   "geometry": {"type": "Polygon", "coordinates":
//!     [[[113.60, 34.74], [113.61, 34.74], [113.61, 34.75], [113.60, 34.75]]]}}]}"#;
//! let files = CityFiles {
//!     zones: ("zones.geojson", zones),
//!     schools: ("schools.csv", schools),
//!     pupils: ("pupils.csv", pupils),
//!     roads: None,
//! };
//! let e = parse(&files).unwrap_err();
//! assert_eq!(
//!     e.to_string(),
//!     "1 problem in the city files\n  pupils.csv line 3: lat 113.604 out of range [-90, 90] \
//!      (lon 34.744 and lat 113.604 swapped?)"
//! );
//! ```

pub mod blocks;
mod read;
mod records;
pub mod roll;
pub mod rules;
pub mod write;

use std::path::Path;

use xuewei_core::city::City;
use xuewei_scenario::CityState;

pub use read::{parse, CityFiles};

use crate::error::Error;
use crate::text::{file_name, Reader};

/// The paths of a city's files.
#[derive(Clone, Copy, Debug)]
pub struct CityPaths<'p> {
    /// `zones.geojson`.
    pub zones: &'p Path,
    /// `schools.csv`.
    pub schools: &'p Path,
    /// `pupils.csv`.
    pub pupils: &'p Path,
    /// `roads.geojson`, optional.
    pub roads: Option<&'p Path>,
}

/// Reads and parses a city; messages name each file by its file name.
///
/// # Errors
/// A file that cannot be read or decoded ([`Error::Load`], the first such), or every
/// problem [`parse`] finds ([`Error::Files`]).
pub fn load(paths: &CityPaths<'_>, reader: &Reader<'_>) -> Result<City, Error> {
    let (zones, schools, pupils) = (
        reader.read(paths.zones)?,
        reader.read(paths.schools)?,
        reader.read(paths.pupils)?,
    );
    let roads = paths.roads.map(|p| reader.read(p)).transpose()?;
    let names = (
        file_name(paths.zones),
        file_name(paths.schools),
        file_name(paths.pupils),
    );
    let roads_name = paths.roads.map(file_name);
    Ok(parse(&CityFiles {
        zones: (&names.0, &zones),
        schools: (&names.1, &schools),
        pupils: (&names.2, &pupils),
        roads: roads_name.as_deref().zip(roads.as_deref()),
    })?)
}

/// Loads a scenario's base city from a directory laid out as `xuewei synth` writes it:
/// `zones.geojson`, `schools.csv`, `pupils.csv`, `roll.csv`, `blocks.csv`, and optionally
/// `roads.geojson`. Roll rows without a stage or district take them from `schools.csv`.
///
/// # Errors
/// A missing, unreadable or undecodable file ([`Error::Load`], naming its path), every
/// problem of the city files, then of `blocks.csv`, then of `roll.csv`
/// ([`Error::Files`]), or a state that cannot be built ([`Error::Scenario`]).
pub fn load_state(dir: &Path, reader: &Reader<'_>) -> Result<CityState, Error> {
    let read = |name: &str| reader.read(&dir.join(name));
    let (zones, schools, pupils, roll, blocks) = (
        read("zones.geojson")?,
        read("schools.csv")?,
        read("pupils.csv")?,
        read("roll.csv")?,
        read("blocks.csv")?,
    );
    let roads = if dir.join("roads.geojson").exists() {
        Some(read("roads.geojson")?)
    } else {
        None
    };
    let city = parse(&CityFiles {
        zones: ("zones.geojson", &zones),
        schools: ("schools.csv", &schools),
        pupils: ("pupils.csv", &pupils),
        roads: roads.as_deref().map(|r| ("roads.geojson", r)),
    })?;
    let blocks = blocks::parse(("blocks.csv", &blocks))?;
    let rows = roll::parse(("roll.csv", &roll), &roll::known_schools(&city))?;
    Ok(CityState::from_city(&city, &rows, blocks)?)
}
