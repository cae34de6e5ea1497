//! Reading the city's files: `schools.csv`, `pupils.csv`, `zones.geojson` and the optional
//! `roads.geojson` (formats in `docs/formats.md`). Every problem is reported at once, each
//! naming the file, the line as a text editor counts it (header = line 1) or the feature
//! (0-based index, and its id), and the field.

use std::collections::HashMap;
use std::fmt;

use geo::{LineString, MultiPolygon, Point};

use super::geometry;
use super::records::{syntax, CsvTable, Fields, Ids};
use super::{City, Pupil, School, Zone};

use crate::distance::RoadNetwork;
use crate::model::{Sector, Stage};

/// One problem in the city's files.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CityError {
    /// The file is not readable as CSV / GeoJSON at all, or a row is malformed.
    #[error("{file}{}: {message}", at_line(*.line))]
    Syntax {
        /// File name.
        file: String,
        /// Line, when known.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A required column is missing from the header.
    #[error("{file} line 1: missing column \"{column}\"")]
    MissingColumn {
        /// File name.
        file: String,
        /// The column.
        column: &'static str,
    },
    /// A field has a bad value.
    #[error("{file} {place}: {field} {value} {problem}")]
    Field {
        /// File name.
        file: String,
        /// `line N` or `feature N`.
        place: Place,
        /// The field.
        field: String,
        /// The value as written (quoted when text).
        value: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A GeoJSON feature's geometry is missing, of the wrong type, or unusable: an empty
    /// or degenerate ring, positions out of range, a ring that crosses itself.
    #[error("{file} feature {feature}{}: geometry: {problem}", id_note(id.as_deref()))]
    Geometry {
        /// File name.
        file: String,
        /// 0-based index of the feature in the collection.
        feature: usize,
        /// The feature's `id` property, when it has one.
        id: Option<String>,
        /// What is wrong, naming the polygon, ring and position where it applies.
        problem: String,
    },
    /// An id appears twice.
    #[error("{file} {place}: id \"{id}\" already used at {first}")]
    DuplicateId {
        /// File name.
        file: String,
        /// Where the second one is.
        place: Place,
        /// The id.
        id: String,
        /// Where the first one is.
        first: Place,
    },
}

fn at_line(line: Option<u64>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}

fn id_note(id: Option<&str>) -> String {
    id.map(|id| format!(" (id \"{id}\")")).unwrap_or_default()
}

/// Where in a file a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A CSV line (header = line 1).
    Line(u64),
    /// A GeoJSON feature (0-based index in the collection).
    Feature(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(l) => write!(f, "line {l}"),
            Place::Feature(i) => write!(f, "feature {i}"),
        }
    }
}

/// Every problem found in one set of city files (never empty).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct CityErrors(pub Vec<CityError>);

impl fmt::Display for CityErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} in the city files",
            if n == 1 { "" } else { "s" }
        )?;
        for e in self.0.iter().take(200) {
            write!(f, "\n  {e}")?;
        }
        if n > 200 {
            write!(f, "\n  ... and {} more", n - 200)?;
        }
        Ok(())
    }
}

/// The texts of a city's files, each with the name used in messages.
#[derive(Clone, Copy, Debug)]
pub struct CityFiles<'a> {
    /// `zones.geojson`: (name, text).
    pub zones: (&'a str, &'a str),
    /// `schools.csv`: (name, text).
    pub schools: (&'a str, &'a str),
    /// `pupils.csv`: (name, text).
    pub pupils: (&'a str, &'a str),
    /// `roads.geojson`, optional: (name, text).
    pub roads: Option<(&'a str, &'a str)>,
}

impl City {
    /// Parses and validates a city.
    ///
    /// CSV files follow the conventions of [`records`](super::records) (byte-order mark,
    /// free column order, unknown columns ignored); zone rings are checked by the rules of
    /// `docs/formats.md` ("Messy input").
    ///
    /// # Errors
    /// Every problem found in any file: malformed CSV or GeoJSON, an empty file, missing or
    /// repeated columns, fields beyond the header, bad values (stage, sector, booleans,
    /// coordinates out of range or swapped, negative counts, NaN or negative scores),
    /// duplicate ids, unknown school ids in zones, preferences or sibling fields, a school
    /// listed twice in one preference list, zones serving a school of another stage, zone
    /// geometry that is missing, empty, degenerate, out of range or crosses itself, road
    /// geometry out of range.
    pub fn load(files: &CityFiles<'_>) -> Result<City, CityErrors> {
        let mut errors = Vec::new();
        let mut districts = Interner::default();
        let read = read_schools(files.schools, &mut districts, &mut errors);
        let school_ids = SchoolIds(read.as_ref().map(|schools| {
            schools
                .iter()
                .enumerate()
                .rev()
                .map(|(i, s)| (s.id.as_str(), i as u32))
                .collect()
        }));
        let schools = read.as_deref().unwrap_or_default();
        let pupils = read_pupils(files.pupils, schools, &school_ids, &mut errors);
        let zones = read_zones(
            files.zones,
            schools,
            &school_ids,
            &mut districts,
            &mut errors,
        );
        let roads = files.roads.and_then(|r| read_roads(r, &mut errors));
        if errors.is_empty() {
            City::new(
                read.unwrap_or_default(),
                pupils,
                zones,
                districts.names,
                roads,
            )
        } else {
            Err(CityErrors(errors))
        }
    }
}

/// Reports ids used twice among records built in code (files report their own lines).
///
/// A scenario builds a city every simulated year, so the common case (no duplicate) is a
/// set of borrowed ids with no allocation per id; only a set with a duplicate is walked
/// again to name each repeat and its first use.
pub(crate) fn check_unique<'a>(
    file: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
    errors: &mut Vec<CityError>,
) {
    let mut set = rustc_hash::FxHashSet::default();
    set.reserve(ids.size_hint().0);
    if ids.clone().all(|id| id.is_empty() || set.insert(id)) {
        return;
    }
    let mut seen = Ids::default();
    for (i, id) in ids.enumerate() {
        seen.note(id, file, Place::Line(i as u64 + 2), errors);
    }
}

/// School ids → indices; `None` when the schools file could not be read at all (its
/// problems are reported, and references to schools are not checked, rather than each
/// reported as unknown).
struct SchoolIds<'s>(Option<HashMap<&'s str, u32>>);

enum Lookup {
    Found(u32),
    Unknown,
    Unchecked,
}

impl SchoolIds<'_> {
    fn get(&self, id: &str) -> Lookup {
        match &self.0 {
            None => Lookup::Unchecked,
            Some(ids) => ids.get(id).map_or(Lookup::Unknown, |&i| Lookup::Found(i)),
        }
    }
}

#[derive(Default)]
struct Interner {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    fn get(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), i);
        i
    }
}

/// The schools, `None` when the file cannot be read at all.
fn read_schools(
    source: (&str, &str),
    districts: &mut Interner,
    errors: &mut Vec<CityError>,
) -> Option<Vec<School>> {
    let table = CsvTable::read(
        source,
        &["id", "stage", "lon", "lat", "entry_classes"],
        errors,
    )?;
    let mut seen = Ids::with_capacity(table.rows().len());
    let mut out = Vec::with_capacity(table.rows().len());
    for row in table.rows() {
        let mut f = Fields::new(table.file(), row.place(), errors);
        let id = f
            .required("id", table.get(row, "id"))
            .unwrap_or("")
            .to_owned();
        let stage = f.stage(table.get(row, "stage"));
        let sector = match table.get(row, "sector").to_ascii_lowercase().as_str() {
            "" | "public" => Sector::Public,
            "private" => Sector::Private,
            other => {
                f.bad("sector", other, "is not public or private");
                Sector::Public
            }
        };
        let (lon, lat) = f.lon_lat(table.get(row, "lon"), table.get(row, "lat"));
        let entry_classes = f.count("entry_classes", table.get(row, "entry_classes"));
        let seats = match table.get(row, "seats") {
            "" => None,
            v => Some(f.count("seats", v)),
        };
        let district = match table.get(row, "district") {
            "" => None,
            d => Some(districts.get(d)),
        };
        let name = match table.get(row, "name") {
            "" => id.clone(),
            n => n.to_owned(),
        };
        seen.note(&id, table.file(), row.place(), errors);
        out.push(School {
            id,
            name,
            stage,
            sector,
            location: Point::new(lon, lat),
            entry_classes,
            district,
            seats,
        });
    }
    Some(out)
}

fn read_pupils(
    source: (&str, &str),
    schools: &[School],
    school_ids: &SchoolIds<'_>,
    errors: &mut Vec<CityError>,
) -> Vec<Pupil> {
    let Some(table) = CsvTable::read(source, &["id", "stage", "lon", "lat"], errors) else {
        return Vec::new();
    };
    let mut seen = Ids::with_capacity(table.rows().len());
    let mut out = Vec::with_capacity(table.rows().len());
    for row in table.rows() {
        let mut f = Fields::new(table.file(), row.place(), errors);
        let id = f
            .required("id", table.get(row, "id"))
            .unwrap_or("")
            .to_owned();
        let stage = f.stage(table.get(row, "stage"));
        let (lon, lat) = f.lon_lat(table.get(row, "lon"), table.get(row, "lat"));
        let hukou_local = f.boolean("hukou_local", table.get(row, "hukou_local"));
        let owns_home = f.boolean("owns_home", table.get(row, "owns_home"));
        let residence_permit = f.boolean("residence_permit", table.get(row, "residence_permit"));
        let sibling_school = match table.get(row, "sibling_school") {
            "" => None,
            s => match school_ids.get(s) {
                Lookup::Found(i) => Some(i),
                Lookup::Unknown => {
                    f.bad("sibling_school", s, "is not a school in the schools file");
                    None
                }
                Lookup::Unchecked => None,
            },
        };
        let score = match table.get(row, "score") {
            "" => None,
            v => Some(f.amount("score", v)),
        };
        let origin_school = match table.get(row, "origin_school") {
            "" => None,
            v => Some(v.to_owned()),
        };
        let mut preferences = Vec::new();
        for s in table
            .get(row, "preferences")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match school_ids.get(s) {
                Lookup::Found(i) if preferences.contains(&i) => {
                    f.bad("preferences", s, "is listed twice");
                }
                Lookup::Found(i) if schools[i as usize].stage != stage => {
                    f.bad("preferences", s, &format!("is not a {stage} school"));
                }
                Lookup::Found(i) => preferences.push(i),
                Lookup::Unknown => {
                    f.bad("preferences", s, "is not a school in the schools file");
                }
                Lookup::Unchecked => {}
            }
        }
        seen.note(&id, table.file(), row.place(), errors);
        out.push(Pupil {
            id,
            stage,
            home: Point::new(lon, lat),
            hukou_local,
            owns_home,
            residence_permit,
            sibling_school,
            score,
            origin_school,
            preferences,
        });
    }
    out
}

fn features((file, text): (&str, &str), errors: &mut Vec<CityError>) -> Vec<geojson::Feature> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        errors.push(syntax(
            file,
            None,
            "the file is empty: expected a GeoJSON FeatureCollection",
        ));
        return Vec::new();
    }
    match text.parse::<geojson::GeoJson>() {
        Ok(geojson::GeoJson::FeatureCollection(fc)) => fc.features,
        Ok(_) => {
            errors.push(syntax(file, None, "expected a GeoJSON FeatureCollection"));
            Vec::new()
        }
        Err(e) => {
            errors.push(syntax(file, None, &e.to_string()));
            Vec::new()
        }
    }
}

fn property_text(feature: &geojson::Feature, key: &str) -> Option<String> {
    match feature.property(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn read_zones(
    source: (&str, &str),
    schools: &[School],
    school_ids: &SchoolIds<'_>,
    districts: &mut Interner,
    errors: &mut Vec<CityError>,
) -> Vec<Zone> {
    let file = source.0;
    let mut seen = Ids::default();
    let mut out = Vec::new();
    for (i, feature) in features(source, errors).iter().enumerate() {
        let mut f = Fields::new(file, Place::Feature(i), errors);
        let id = match property_text(feature, "id") {
            Some(id) if !id.is_empty() => id,
            _ => {
                f.bad("id", "", "is missing");
                String::new()
            }
        };
        let stage = match property_text(feature, "stage") {
            Some(s) => f.stage(&s),
            None => {
                f.bad("stage", "", "is missing");
                Stage::Primary
            }
        };
        let mut zone_schools = Vec::new();
        match feature.property("schools") {
            Some(serde_json::Value::Array(list)) => {
                for v in list {
                    let s = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    match school_ids.get(s.as_str()) {
                        Lookup::Found(k) if schools[k as usize].stage != stage => {
                            f.bad("schools", &s, &format!("is not a {stage} school"));
                        }
                        Lookup::Found(k) if schools[k as usize].sector == Sector::Private => {
                            f.bad(
                                "schools",
                                &s,
                                "is a private school (zones serve public schools)",
                            );
                        }
                        Lookup::Found(k) if zone_schools.contains(&k) => {
                            f.bad("schools", &s, "is listed twice");
                        }
                        Lookup::Found(k) => zone_schools.push(k),
                        Lookup::Unknown => {
                            f.bad("schools", &s, "is not a school in the schools file");
                        }
                        Lookup::Unchecked => {}
                    }
                }
            }
            _ => f.bad("schools", "", "is missing (an array of school ids)"),
        }
        let district = property_text(feature, "district")
            .filter(|d| !d.is_empty())
            .map(|d| districts.get(&d));
        let geometry = zone_geometry(feature).unwrap_or_else(|problem| {
            errors.push(CityError::Geometry {
                file: file.to_owned(),
                feature: i,
                id: Some(id.clone()).filter(|id| !id.is_empty()),
                problem,
            });
            MultiPolygon(Vec::new())
        });
        seen.note(&id, file, Place::Feature(i), errors);
        out.push(Zone {
            id,
            stage,
            schools: zone_schools,
            district,
            geometry,
        });
    }
    out
}

/// A zone's area: a Polygon or a MultiPolygon of at least one polygon, every ring checked
/// by [`geometry::polygon`].
fn zone_geometry(feature: &geojson::Feature) -> Result<MultiPolygon<f64>, String> {
    match feature.geometry.as_ref().map(|g| &g.value) {
        Some(geojson::GeometryValue::Polygon { coordinates }) => {
            geometry::polygon(coordinates, None).map(|p| MultiPolygon(vec![p]))
        }
        Some(geojson::GeometryValue::MultiPolygon { coordinates }) => {
            if coordinates.is_empty() {
                return Err("MultiPolygon has no polygons (an empty zone)".to_owned());
            }
            coordinates
                .iter()
                .enumerate()
                .map(|(k, rings)| geometry::polygon(rings, Some(k)))
                .collect::<Result<Vec<_>, _>>()
                .map(MultiPolygon)
        }
        Some(other) => Err(format!(
            "{} is not a Polygon or MultiPolygon",
            other.type_name()
        )),
        None => Err("is missing (a zone needs a Polygon or MultiPolygon)".to_owned()),
    }
}

fn read_roads(source: (&str, &str), errors: &mut Vec<CityError>) -> Option<RoadNetwork> {
    let file = source.0;
    let before = errors.len();
    let mut lines = Vec::new();
    for (i, feature) in features(source, errors).iter().enumerate() {
        let mut f = Fields::new(file, Place::Feature(i), errors);
        let speed = match feature.property("speed_kmh") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Number(n)) => match n.as_f64() {
                Some(x) if x.is_finite() && x > 0.0 => Some(x),
                _ => {
                    f.bad("speed_kmh", &n.to_string(), "is not a positive number");
                    None
                }
            },
            Some(other) => {
                f.bad("speed_kmh", &other.to_string(), "is not a positive number");
                None
            }
        };
        match road_geometry(feature) {
            Ok(parts) => lines.extend(parts.into_iter().map(|l| (l, speed))),
            Err(problem) => errors.push(CityError::Geometry {
                file: file.to_owned(),
                feature: i,
                id: property_text(feature, "id"),
                problem,
            }),
        }
    }
    if errors.len() > before {
        return None;
    }
    match RoadNetwork::from_lines(&lines) {
        Ok(n) => Some(n),
        Err(e) => {
            errors.push(syntax(file, None, &e.to_string()));
            None
        }
    }
}

/// A road's lines: a LineString or the parts of a MultiLineString, each of 2+ WGS84
/// lon/lat positions.
fn road_geometry(feature: &geojson::Feature) -> Result<Vec<LineString<f64>>, String> {
    let parts: Vec<(Option<usize>, &Vec<geojson::Position>)> =
        match feature.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::LineString { coordinates }) => vec![(None, coordinates)],
            Some(geojson::GeometryValue::MultiLineString { coordinates }) => {
                if coordinates.is_empty() {
                    return Err("MultiLineString has no lines".to_owned());
                }
                coordinates
                    .iter()
                    .enumerate()
                    .map(|(k, c)| (Some(k), c))
                    .collect()
            }
            Some(other) => {
                return Err(format!(
                    "{} is not a LineString or MultiLineString",
                    other.type_name()
                ))
            }
            None => return Err("is missing (a road needs a LineString)".to_owned()),
        };
    parts
        .into_iter()
        .map(|(k, positions)| {
            let what = k.map_or_else(|| "line".to_owned(), |k| format!("line {k}"));
            let coords = geometry::coords(positions, &what)?;
            if coords.len() < 2 {
                return Err(format!(
                    "{what} has {} position(s); a road needs 2 or more",
                    coords.len()
                ));
            }
            Ok(LineString::new(coords))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_unique_names_every_repeat_and_its_first_use() {
        let mut errors = Vec::new();
        check_unique("pupils", ["a", "b", "", ""].into_iter(), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        check_unique(
            "pupils",
            ["a", "b", "a", "c", "b", "a"].into_iter(),
            &mut errors,
        );
        let found: Vec<(u64, &str, u64)> = errors
            .iter()
            .map(|e| match e {
                CityError::DuplicateId {
                    place: Place::Line(l),
                    id,
                    first: Place::Line(f),
                    ..
                } => (*l, id.as_str(), *f),
                other => panic!("unexpected {other}"),
            })
            .collect();
        assert_eq!(found, [(4, "a", 2), (6, "b", 3), (7, "a", 2)]);
    }
}
