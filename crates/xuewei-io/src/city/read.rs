//! Parsing the city's files: `schools.csv`, `pupils.csv`, `zones.geojson` and the optional
//! `roads.geojson` (formats in `docs/formats.md`). Every problem is reported at once, each
//! naming the file, the line as a text editor counts it (header = line 1) or the feature
//! (0-based index, and its id), and the field.

use std::collections::HashMap;

use geo::{LineString, MultiPolygon, Point};
use xuewei_core::city::geometry;
use xuewei_core::city::{City, Pupil, RecordError, RecordKind, School, Zone};
use xuewei_core::distance::RoadNetwork;
use xuewei_core::{Problems, Sector, Stage};

use super::records::{syntax, CsvTable, Fields, Ids};
use crate::error::{FieldProblem, GeometryProblem, LoadError, LoadErrors, Place};

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

/// Parses and validates a city.
///
/// CSV files follow the conventions of `docs/formats.md` (byte-order mark, free column
/// order, unknown columns ignored, lines as an editor counts them); zone rings are checked by the rules of
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
pub fn parse(files: &CityFiles<'_>) -> Result<City, LoadErrors> {
    let mut errors = Vec::new();
    let mut districts = Interner::default();
    let read = read_schools(files.schools, &mut districts, &mut errors);
    let school_ids = SchoolIds(read.as_ref().map(|(schools, _)| {
        schools
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.id.as_str(), i as u32))
            .collect()
    }));
    let schools = read.as_ref().map_or(&[][..], |(schools, _)| schools);
    let (pupils, pupil_places) = read_pupils(files.pupils, schools, &school_ids, &mut errors);
    let zones = read_zones(
        files.zones,
        schools,
        &school_ids,
        &mut districts,
        &mut errors,
    );
    let roads = files.roads.and_then(|r| read_roads(r, &mut errors));
    if !errors.is_empty() {
        return Err(Problems(errors));
    }
    let (schools, school_places) = read.unwrap_or_default();
    let places = Places {
        files,
        schools: school_places,
        pupils: pupil_places,
    };
    City::new(schools, pupils, zones, districts.names, roads)
        .map_err(|e| Problems(e.0.into_iter().map(|e| places.locate(e)).collect()))
}

/// Where each record of a city came from, to name a problem [`City::new`] finds in the
/// records by file and line or feature.
struct Places<'f> {
    files: &'f CityFiles<'f>,
    schools: Vec<Place>,
    pupils: Vec<Place>,
}

impl Places<'_> {
    /// The file and place of record `index` of a kind.
    fn of(&self, kind: RecordKind, index: usize) -> (&str, Place) {
        let line = |places: &[Place]| places.get(index).copied();
        match kind {
            RecordKind::School => (
                self.files.schools.0,
                line(&self.schools).unwrap_or(Place::Line(index as u64 + 2)),
            ),
            RecordKind::Pupil => (
                self.files.pupils.0,
                line(&self.pupils).unwrap_or(Place::Line(index as u64 + 2)),
            ),
            _ => (self.files.zones.0, Place::Feature(index)),
        }
    }

    /// A problem of the records as a problem of the files.
    fn locate(&self, e: RecordError) -> LoadError {
        match e {
            RecordError::OutOfRange {
                kind,
                index,
                field,
                value,
                ..
            } => {
                let (file, place) = self.of(kind, index);
                LoadError::Field {
                    file: file.to_owned(),
                    place,
                    field,
                    value: value.to_string(),
                    problem: FieldProblem::IndexOutOfRange,
                }
            }
            RecordError::DuplicateId {
                kind,
                index,
                first,
                id,
            } => {
                let (file, place) = self.of(kind, index);
                LoadError::DuplicateId {
                    file: file.to_owned(),
                    place,
                    id,
                    first: self.of(kind, first).1,
                }
            }
            source => LoadError::Record {
                file: self.files.zones.0.to_owned(),
                source,
            },
        }
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

/// The schools and their places, `None` when the file cannot be read at all.
fn read_schools(
    source: (&str, &str),
    districts: &mut Interner,
    errors: &mut Vec<LoadError>,
) -> Option<(Vec<School>, Vec<Place>)> {
    let table = CsvTable::read(
        source,
        &["id", "stage", "lon", "lat", "entry_classes"],
        errors,
    )?;
    let mut seen = Ids::with_capacity(table.rows().len());
    let mut out = Vec::with_capacity(table.rows().len());
    let mut places = Vec::with_capacity(table.rows().len());
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
                f.bad("sector", other, FieldProblem::NotSector);
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
        places.push(row.place());
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
    Some((out, places))
}

/// The pupils and their places.
fn read_pupils(
    source: (&str, &str),
    schools: &[School],
    school_ids: &SchoolIds<'_>,
    errors: &mut Vec<LoadError>,
) -> (Vec<Pupil>, Vec<Place>) {
    let Some(table) = CsvTable::read(source, &["id", "stage", "lon", "lat"], errors) else {
        return (Vec::new(), Vec::new());
    };
    let mut seen = Ids::with_capacity(table.rows().len());
    let mut out = Vec::with_capacity(table.rows().len());
    let mut places = Vec::with_capacity(table.rows().len());
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
                    f.bad("sibling_school", s, FieldProblem::UnknownSchool);
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
                    f.bad("preferences", s, FieldProblem::ListedTwice);
                }
                Lookup::Found(i) if schools[i as usize].stage != stage => {
                    f.bad("preferences", s, FieldProblem::WrongStage { stage });
                }
                Lookup::Found(i) => preferences.push(i),
                Lookup::Unknown => {
                    f.bad("preferences", s, FieldProblem::UnknownSchool);
                }
                Lookup::Unchecked => {}
            }
        }
        seen.note(&id, table.file(), row.place(), errors);
        places.push(row.place());
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
    (out, places)
}

fn features((file, text): (&str, &str), errors: &mut Vec<LoadError>) -> Vec<geojson::Feature> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        errors.push(LoadError::NotFeatureCollection {
            file: file.to_owned(),
            empty: true,
        });
        return Vec::new();
    }
    match text.parse::<geojson::GeoJson>() {
        Ok(geojson::GeoJson::FeatureCollection(fc)) => fc.features,
        Ok(_) => {
            errors.push(LoadError::NotFeatureCollection {
                file: file.to_owned(),
                empty: false,
            });
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
    errors: &mut Vec<LoadError>,
) -> Vec<Zone> {
    let file = source.0;
    let mut seen = Ids::default();
    let mut out = Vec::new();
    for (i, feature) in features(source, errors).iter().enumerate() {
        let mut f = Fields::new(file, Place::Feature(i), errors);
        let id = match property_text(feature, "id") {
            Some(id) if !id.is_empty() => id,
            _ => {
                f.bad("id", "", FieldProblem::Missing);
                String::new()
            }
        };
        let stage = match property_text(feature, "stage") {
            Some(s) => f.stage(&s),
            None => {
                f.bad("stage", "", FieldProblem::Missing);
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
                            f.bad("schools", &s, FieldProblem::WrongStage { stage });
                        }
                        Lookup::Found(k) if schools[k as usize].sector == Sector::Private => {
                            f.bad("schools", &s, FieldProblem::PrivateSchool);
                        }
                        Lookup::Found(k) if zone_schools.contains(&k) => {
                            f.bad("schools", &s, FieldProblem::ListedTwice);
                        }
                        Lookup::Found(k) => zone_schools.push(k),
                        Lookup::Unknown => {
                            f.bad("schools", &s, FieldProblem::UnknownSchool);
                        }
                        Lookup::Unchecked => {}
                    }
                }
            }
            _ => f.bad("schools", "", FieldProblem::MissingSchools),
        }
        let district = property_text(feature, "district")
            .filter(|d| !d.is_empty())
            .map(|d| districts.get(&d));
        let geometry = zone_geometry(feature).unwrap_or_else(|problem| {
            errors.push(LoadError::Geometry {
                file: file.to_owned(),
                feature: i,
                id: Some(id.clone()).filter(|id| !id.is_empty()),
                problem: Box::new(problem),
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
fn zone_geometry(feature: &geojson::Feature) -> Result<MultiPolygon<f64>, GeometryProblem> {
    fn rings(rings: &[Vec<geojson::Position>]) -> Vec<Vec<&[f64]>> {
        rings
            .iter()
            .map(|r| r.iter().map(geojson::Position::as_slice).collect())
            .collect()
    }
    match feature.geometry.as_ref().map(|g| &g.value) {
        Some(geojson::GeometryValue::Polygon { coordinates }) => {
            Ok(MultiPolygon(vec![geometry::polygon(
                &rings(coordinates),
                None,
            )?]))
        }
        Some(geojson::GeometryValue::MultiPolygon { coordinates }) => {
            if coordinates.is_empty() {
                return Err(GeometryProblem::NoPolygons);
            }
            Ok(MultiPolygon(
                coordinates
                    .iter()
                    .enumerate()
                    .map(|(k, r)| geometry::polygon(&rings(r), Some(k)))
                    .collect::<Result<Vec<_>, _>>()?,
            ))
        }
        Some(other) => Err(GeometryProblem::WrongType {
            found: other.type_name(),
            expected: "Polygon or MultiPolygon",
        }),
        None => Err(GeometryProblem::Missing {
            record: "zone",
            needs: "a Polygon or MultiPolygon",
        }),
    }
}

fn read_roads(source: (&str, &str), errors: &mut Vec<LoadError>) -> Option<RoadNetwork> {
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
                    f.bad("speed_kmh", &n.to_string(), FieldProblem::NotPositive);
                    None
                }
            },
            Some(other) => {
                f.bad("speed_kmh", &other.to_string(), FieldProblem::NotPositive);
                None
            }
        };
        match road_geometry(feature) {
            Ok(parts) => lines.extend(parts.into_iter().map(|l| (l, speed))),
            Err(problem) => errors.push(LoadError::Geometry {
                file: file.to_owned(),
                feature: i,
                id: property_text(feature, "id"),
                problem: Box::new(problem),
            }),
        }
    }
    if errors.len() > before {
        return None;
    }
    match RoadNetwork::from_lines(&lines) {
        Ok(n) => Some(n),
        Err(source) => {
            errors.push(LoadError::Roads {
                file: file.to_owned(),
                source,
            });
            None
        }
    }
}

/// A road's lines: a LineString or the parts of a MultiLineString, each checked by
/// [`geometry::line`].
fn road_geometry(feature: &geojson::Feature) -> Result<Vec<LineString<f64>>, GeometryProblem> {
    let parts: Vec<(Option<usize>, &Vec<geojson::Position>)> =
        match feature.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::LineString { coordinates }) => vec![(None, coordinates)],
            Some(geojson::GeometryValue::MultiLineString { coordinates }) => {
                if coordinates.is_empty() {
                    return Err(GeometryProblem::NoLines);
                }
                coordinates
                    .iter()
                    .enumerate()
                    .map(|(k, c)| (Some(k), c))
                    .collect()
            }
            Some(other) => {
                return Err(GeometryProblem::WrongType {
                    found: other.type_name(),
                    expected: "LineString or MultiLineString",
                })
            }
            None => {
                return Err(GeometryProblem::Missing {
                    record: "road",
                    needs: "a LineString",
                })
            }
        };
    parts
        .into_iter()
        .map(|(k, positions)| {
            let positions: Vec<&[f64]> =
                positions.iter().map(geojson::Position::as_slice).collect();
            Ok(geometry::line(&positions, k)?)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use xuewei_core::catchment::ZoneError;

    use super::*;

    const SCHOOLS: &str = "id,stage,sector,lon,lat,entry_classes\n\
                           PA,primary,public,113.605,34.745,1\n\
                           PP,primary,private,113.612,34.748,1\n\
                           J1,junior,public,113.607,34.745,1\n";
    const PUPILS: &str = "id,stage,lon,lat,preferences\na1,primary,113.604,34.744,PA\n";

    /// One primary zone `ZA` serving `schools` (a JSON array).
    fn zones(schools: &str) -> String {
        format!(
            r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature",
              "properties": {{"id": "ZA", "stage": "primary", "schools": {schools}}},
              "geometry": {{"type": "Polygon", "coordinates":
                [[[113.60, 34.74], [113.61, 34.74], [113.61, 34.75], [113.60, 34.75]]]}}}}]}}"#
        )
    }

    fn problems(zones: &str, pupils: &str) -> Vec<LoadError> {
        let files = CityFiles {
            zones: ("zones.geojson", zones),
            schools: ("schools.csv", SCHOOLS),
            pupils: ("pupils.csv", pupils),
            roads: None,
        };
        parse(&files).map(|_| ()).expect_err("bad files").0
    }

    fn field(place: Place, field: &'static str, value: &str, problem: FieldProblem) -> LoadError {
        let file = if place == Place::Feature(0) {
            "zones.geojson"
        } else {
            "pupils.csv"
        };
        LoadError::Field {
            file: file.into(),
            place,
            field,
            value: format!("\"{value}\""),
            problem,
        }
    }

    #[test]
    fn school_lists_name_what_is_wrong_with_each_school() {
        let primary = FieldProblem::WrongStage {
            stage: Stage::Primary,
        };
        assert_eq!(
            problems(
                &zones(r#"["PA", "PP", "J1", "PA", "PX"]"#),
                &PUPILS.replace("PA\n", "PA;J1\n")
            ),
            [
                field(Place::Line(2), "preferences", "J1", primary.clone()),
                field(
                    Place::Feature(0),
                    "schools",
                    "PP",
                    FieldProblem::PrivateSchool
                ),
                field(Place::Feature(0), "schools", "J1", primary),
                field(
                    Place::Feature(0),
                    "schools",
                    "PA",
                    FieldProblem::ListedTwice
                ),
                field(
                    Place::Feature(0),
                    "schools",
                    "PX",
                    FieldProblem::UnknownSchool
                ),
            ]
        );
        assert_eq!(
            problems(&zones("\"PA\""), PUPILS)[0].to_string(),
            "zones.geojson feature 0: schools \"\" is missing (an array of school ids)"
        );
    }

    #[test]
    fn geojson_other_than_a_feature_collection() {
        let not = |empty| LoadError::NotFeatureCollection {
            file: "zones.geojson".into(),
            empty,
        };
        assert_eq!(problems(" \n", PUPILS), [not(true)]);
        let point = r#"{"type": "Point", "coordinates": [113.6, 34.7]}"#;
        assert_eq!(problems(point, PUPILS), [not(false)]);
        assert_eq!(
            not(false).to_string(),
            "zones.geojson: expected a GeoJSON FeatureCollection"
        );
    }

    /// A problem `City::new` finds that no line or feature names keeps its typed source.
    #[test]
    fn record_problems_without_a_place_keep_their_source() {
        let files = CityFiles {
            zones: ("zones.geojson", ""),
            schools: ("schools.csv", ""),
            pupils: ("pupils.csv", ""),
            roads: None,
        };
        let places = Places {
            files: &files,
            schools: Vec::new(),
            pupils: Vec::new(),
        };
        let problem = RecordError::Zones(ZoneError::TooMany { count: 7, limit: 3 });
        let e = places.locate(problem.clone());
        assert_eq!(
            e,
            LoadError::Record {
                file: "zones.geojson".into(),
                source: problem.clone(),
            }
        );
        assert_eq!(
            e.to_string(),
            "zones.geojson: zones: 7 exceeds the limit of 3"
        );
        let source = e.source().and_then(|s| s.downcast_ref::<RecordError>());
        assert_eq!(source, Some(&problem));
    }
}
