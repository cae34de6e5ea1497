//! The exports of a report (`--geojson DIR`): map layers as GeoJSON FeatureCollections and
//! tables as CSV. What a layer's features carry and what a table's columns are is the
//! report's business (`xuewei-report`); this module knows the encodings.
//!
//! ```
//! use geo::Point;
//! use xuewei_io::report_files::{write_layer, Feature, Geometry};
//! #[derive(serde::Serialize)]
//! struct School<'a> {
//!     id: &'a str,
//!     seats: u32,
//! }
//! let features = [Feature {
//!     geometry: Geometry::Point(Point::new(113.65, 34.75)),
//!     properties: School { id: "A", seats: 90 },
//! }];
//! let mut out = Vec::new();
//! write_layer(&features, &mut out)?;
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[113.65,34.75]},"properties":{"id":"A","seats":90}}]}"#
//!         .to_owned()
//!         + "\n"
//! );
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Write};

use geo::{LineString, MultiPolygon, Point};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// A feature's geometry, in WGS84 lon/lat.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Geometry<'a> {
    /// A GeoJSON Point.
    Point(Point<f64>),
    /// A GeoJSON LineString from the first point to the second.
    Line(Point<f64>, Point<f64>),
    /// A GeoJSON MultiPolygon: each polygon's outer ring, then its holes.
    MultiPolygon(&'a MultiPolygon<f64>),
}

fn ring(ring: &LineString<f64>) -> Vec<[f64; 2]> {
    ring.coords().map(|c| [c.x, c.y]).collect()
}

impl Serialize for Geometry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        match *self {
            Geometry::Point(p) => {
                map.serialize_entry("type", "Point")?;
                map.serialize_entry("coordinates", &[p.x(), p.y()])?;
            }
            Geometry::Line(from, to) => {
                map.serialize_entry("type", "LineString")?;
                map.serialize_entry("coordinates", &[[from.x(), from.y()], [to.x(), to.y()]])?;
            }
            Geometry::MultiPolygon(m) => {
                let polygons: Vec<Vec<Vec<[f64; 2]>>> =
                    m.0.iter()
                        .map(|p| {
                            std::iter::once(ring(p.exterior()))
                                .chain(p.interiors().iter().map(ring))
                                .collect()
                        })
                        .collect();
                map.serialize_entry("type", "MultiPolygon")?;
                map.serialize_entry("coordinates", &polygons)?;
            }
        }
        map.end()
    }
}

/// One feature of a layer: a geometry and its properties (any serde struct or map, written
/// in field order).
#[derive(Clone, Debug, PartialEq)]
pub struct Feature<'a, P> {
    /// Where it is.
    pub geometry: Geometry<'a>,
    /// What it carries.
    pub properties: P,
}

impl<P: Serialize> Serialize for Feature<'_, P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("type", "Feature")?;
        map.serialize_entry("geometry", &self.geometry)?;
        map.serialize_entry("properties", &self.properties)?;
        map.end()
    }
}

/// Writes a layer as one GeoJSON FeatureCollection on one line, then a newline.
///
/// # Errors
/// Write errors, or properties that do not serialise to a JSON object.
pub fn write_layer<P: Serialize>(
    features: &[Feature<'_, P>],
    mut out: impl Write,
) -> io::Result<()> {
    struct Collection<'f, 'a, P>(&'f [Feature<'a, P>]);
    impl<P: Serialize> Serialize for Collection<'_, '_, P> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(Some(2))?;
            map.serialize_entry("type", "FeatureCollection")?;
            map.serialize_entry("features", self.0)?;
            map.end()
        }
    }
    serde_json::to_writer(&mut out, &Collection(features))?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Writes a table as CSV: the header, then each row's fields as given.
///
/// # Errors
/// Write errors.
pub fn write_table<R, F>(header: &[String], rows: R, out: impl Write) -> io::Result<()>
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header)?;
    for row in rows {
        w.write_record(&row)?;
    }
    w.flush()
}
