//! Reading the city's files: `schools.csv`, `pupils.csv`, `zones.geojson` and the optional
//! `roads.geojson` (formats in `docs/formats.md`). Every problem is reported at once, each
//! naming the file, the line as a text editor counts it (header = line 1) or the feature,
//! and the field.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::fmt;

use geo::{Coord, LineString, MultiPolygon, Point, Polygon};

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
    /// # Errors
    /// Every problem found in any file: malformed CSV or GeoJSON, missing columns, bad
    /// values (stage, sector, booleans, coordinates out of range, negative counts or scores),
    /// duplicate ids, unknown school ids in zones, preferences or sibling fields, a school
    /// listed twice in one preference list, zones serving a school of another stage.
    pub fn load(files: &CityFiles<'_>) -> Result<City, CityErrors> {
        let mut errors = Vec::new();
        let mut districts = Interner::default();
        let schools = read_schools(files.schools, &mut districts, &mut errors);
        let school_ids: HashMap<&str, u32> = schools
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.id.as_str(), i as u32))
            .collect();
        let pupils = read_pupils(files.pupils, &schools, &school_ids, &mut errors);
        let zones = read_zones(
            files.zones,
            &schools,
            &school_ids,
            &mut districts,
            &mut errors,
        );
        let roads = files.roads.and_then(|r| read_roads(r, &mut errors));
        if errors.is_empty() {
            City::new(schools, pupils, zones, districts.names, roads)
        } else {
            Err(CityErrors(errors))
        }
    }
}

/// Records where an id was first seen, or reports it as a duplicate.
fn note_id(
    seen: &mut FxHashMap<String, Place>,
    id: &str,
    file: &str,
    place: Place,
    errors: &mut Vec<CityError>,
) {
    if id.is_empty() {
        return;
    }
    match seen.get(id) {
        Some(&first) => errors.push(CityError::DuplicateId {
            file: file.to_owned(),
            place,
            id: id.to_owned(),
            first,
        }),
        None => {
            seen.insert(id.to_owned(), place);
        }
    }
}

/// Reports ids used twice among records built in code (files report their own lines).
pub(crate) fn check_unique<'a>(
    file: &str,
    ids: impl Iterator<Item = &'a str>,
    errors: &mut Vec<CityError>,
) {
    let mut seen = FxHashMap::default();
    for (i, id) in ids.enumerate() {
        note_id(&mut seen, id, file, Place::Line(i as u64 + 2), errors);
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

/// A CSV file with its header mapped to column positions.
struct Table<'a> {
    file: &'a str,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl<'a> Table<'a> {
    fn read(
        (file, text): (&'a str, &str),
        required: &[&'static str],
        errors: &mut Vec<CityError>,
    ) -> Option<Self> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                errors.push(syntax(file, Some(1), &e.to_string()));
                return None;
            }
        };
        let columns: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_ascii_lowercase(), i))
            .collect();
        let mut ok = true;
        for &column in required {
            if !columns.contains_key(column) {
                errors.push(CityError::MissingColumn {
                    file: file.to_owned(),
                    column,
                });
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, csv::Position::line);
                    if r.iter().all(str::is_empty) {
                        continue;
                    }
                    rows.push((line, r));
                }
                Err(e) => {
                    let line = e.position().map(csv::Position::line);
                    errors.push(syntax(file, line, &e.to_string()));
                }
            }
        }
        Some(Self {
            file,
            columns,
            rows,
        })
    }

    fn get<'r>(&self, row: &'r csv::StringRecord, column: &str) -> &'r str {
        self.columns
            .get(column)
            .and_then(|&i| row.get(i))
            .unwrap_or("")
    }
}

fn syntax(file: &str, line: Option<u64>, message: &str) -> CityError {
    CityError::Syntax {
        file: file.to_owned(),
        line,
        message: message.to_owned(),
    }
}

/// Collects field problems of one record.
struct Fields<'e> {
    file: &'e str,
    place: Place,
    errors: &'e mut Vec<CityError>,
}

impl Fields<'_> {
    fn bad(&mut self, field: &str, value: &str, problem: &str) {
        let value = if value.parse::<f64>().is_ok() {
            value.to_owned()
        } else {
            format!("\"{value}\"")
        };
        self.errors.push(CityError::Field {
            file: self.file.to_owned(),
            place: self.place,
            field: field.to_owned(),
            value,
            problem: problem.to_owned(),
        });
    }

    fn required<'v>(&mut self, field: &str, value: &'v str) -> Option<&'v str> {
        if value.is_empty() {
            self.bad(field, value, "is empty");
            None
        } else {
            Some(value)
        }
    }

    fn stage(&mut self, value: &str) -> Stage {
        value.parse().unwrap_or_else(|_| {
            self.bad(
                "stage",
                value,
                "is not kindergarten, primary, junior or senior",
            );
            Stage::Primary
        })
    }

    /// A home or school location. A latitude out of range whose longitude would be a valid
    /// latitude is reported as probably swapped (an error all the same: which column is
    /// which is not ours to guess).
    fn lon_lat(&mut self, lon: &str, lat: &str) -> (f64, f64) {
        let (x, y) = (lon.parse::<f64>(), lat.parse::<f64>());
        if let (Ok(x), Ok(y)) = (x, y) {
            if y.abs() > 90.0 && y.abs() <= 180.0 && x.abs() <= 90.0 {
                self.bad(
                    "lat",
                    lat,
                    &format!("out of range [-90, 90] (lon {lon} and lat {lat} swapped?)"),
                );
                return (0.0, 0.0);
            }
        }
        (self.coord("lon", lon, 180.0), self.coord("lat", lat, 90.0))
    }

    fn coord(&mut self, field: &str, value: &str, limit: f64) -> f64 {
        match value.parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() <= limit => x,
            Ok(_) => {
                self.bad(field, value, &format!("out of range [-{limit}, {limit}]"));
                0.0
            }
            Err(_) => {
                self.bad(field, value, "is not a number");
                0.0
            }
        }
    }

    fn count(&mut self, field: &str, value: &str) -> u32 {
        match value.parse::<u32>() {
            Ok(x) if x != u32::MAX => x,
            _ => {
                self.bad(field, value, "is not a non-negative integer");
                0
            }
        }
    }

    fn boolean(&mut self, field: &str, value: &str) -> bool {
        match value.to_ascii_lowercase().as_str() {
            "" | "0" | "false" | "no" | "n" | "f" => false,
            "1" | "true" | "yes" | "y" | "t" => true,
            _ => {
                self.bad(field, value, "is not a boolean (0/1, true/false)");
                false
            }
        }
    }
}

fn read_schools(
    source: (&str, &str),
    districts: &mut Interner,
    errors: &mut Vec<CityError>,
) -> Vec<School> {
    let Some(table) = Table::read(
        source,
        &["id", "stage", "lon", "lat", "entry_classes"],
        errors,
    ) else {
        return Vec::new();
    };
    let mut seen: FxHashMap<String, Place> = FxHashMap::default();
    let mut out = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let mut f = Fields {
            file: table.file,
            place: Place::Line(*line),
            errors,
        };
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
        note_id(&mut seen, &id, table.file, Place::Line(*line), errors);
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
    out
}

fn read_pupils(
    source: (&str, &str),
    schools: &[School],
    school_ids: &HashMap<&str, u32>,
    errors: &mut Vec<CityError>,
) -> Vec<Pupil> {
    let Some(table) = Table::read(source, &["id", "stage", "lon", "lat"], errors) else {
        return Vec::new();
    };
    let mut seen: FxHashMap<String, Place> =
        FxHashMap::with_capacity_and_hasher(table.rows.len(), Default::default());
    let mut out = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let mut f = Fields {
            file: table.file,
            place: Place::Line(*line),
            errors,
        };
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
                Some(&i) => Some(i),
                None => {
                    f.bad("sibling_school", s, "is not a school in the schools file");
                    None
                }
            },
        };
        let score = match table.get(row, "score") {
            "" => None,
            v => match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => Some(x),
                _ => {
                    f.bad("score", v, "is not a finite, non-negative number");
                    None
                }
            },
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
                Some(&i) if preferences.contains(&i) => {
                    f.bad("preferences", s, "is listed twice");
                }
                Some(&i) if schools[i as usize].stage != stage => {
                    f.bad("preferences", s, &format!("is not a {stage} school"));
                }
                Some(&i) => preferences.push(i),
                None => f.bad("preferences", s, "is not a school in the schools file"),
            }
        }
        note_id(&mut seen, &id, table.file, Place::Line(*line), errors);
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
    school_ids: &HashMap<&str, u32>,
    districts: &mut Interner,
    errors: &mut Vec<CityError>,
) -> Vec<Zone> {
    let file = source.0;
    let mut seen: FxHashMap<String, Place> = FxHashMap::default();
    let mut out = Vec::new();
    for (i, feature) in features(source, errors).iter().enumerate() {
        let mut f = Fields {
            file,
            place: Place::Feature(i),
            errors,
        };
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
                        Some(&k) if schools[k as usize].stage != stage => {
                            f.bad("schools", &s, &format!("is not a {stage} school"));
                        }
                        Some(&k) if schools[k as usize].sector == Sector::Private => {
                            f.bad(
                                "schools",
                                &s,
                                "is a private school (zones serve public schools)",
                            );
                        }
                        Some(&k) if zone_schools.contains(&k) => {
                            f.bad("schools", &s, "is listed twice");
                        }
                        Some(&k) => zone_schools.push(k),
                        None => f.bad("schools", &s, "is not a school in the schools file"),
                    }
                }
            }
            _ => f.bad("schools", "", "is missing (an array of school ids)"),
        }
        let district = property_text(feature, "district")
            .filter(|d| !d.is_empty())
            .map(|d| districts.get(&d));
        let geometry = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::Polygon { coordinates }) => {
                polygon(coordinates).map(|p| MultiPolygon(vec![p]))
            }
            Some(geojson::GeometryValue::MultiPolygon { coordinates }) => coordinates
                .iter()
                .map(|rings| polygon(rings))
                .collect::<Option<Vec<_>>>()
                .map(MultiPolygon),
            _ => None,
        };
        let geometry = geometry.unwrap_or_else(|| {
            f.bad(
                "geometry",
                "",
                "is not a Polygon or MultiPolygon with finite lon/lat rings of 4+ positions",
            );
            MultiPolygon(Vec::new())
        });
        note_id(&mut seen, &id, file, Place::Feature(i), errors);
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

fn ring(positions: &[geojson::Position]) -> Option<LineString<f64>> {
    if positions.len() < 4 {
        return None;
    }
    positions
        .iter()
        .map(|p| match p.as_slice() {
            [x, y, ..] if x.is_finite() && y.is_finite() && x.abs() <= 180.0 && y.abs() <= 90.0 => {
                Some(Coord { x: *x, y: *y })
            }
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .map(LineString::new)
}

fn polygon(rings: &[Vec<geojson::Position>]) -> Option<Polygon<f64>> {
    let mut rings = rings.iter().map(|r| ring(r));
    let exterior = rings.next()??;
    let interiors = rings.collect::<Option<Vec<_>>>()?;
    Some(Polygon::new(exterior, interiors))
}

fn read_roads(source: (&str, &str), errors: &mut Vec<CityError>) -> Option<RoadNetwork> {
    let file = source.0;
    let before = errors.len();
    let mut lines = Vec::new();
    for (i, feature) in features(source, errors).iter().enumerate() {
        let mut f = Fields {
            file,
            place: Place::Feature(i),
            errors,
        };
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
        let geometry = feature.geometry.as_ref().map(|g| &g.value);
        let parts: Vec<&Vec<geojson::Position>> = match geometry {
            Some(geojson::GeometryValue::LineString { coordinates }) => vec![coordinates],
            Some(geojson::GeometryValue::MultiLineString { coordinates }) => {
                coordinates.iter().collect()
            }
            _ => {
                f.bad("geometry", "", "is not a LineString or MultiLineString");
                continue;
            }
        };
        for part in parts {
            let coords: Option<Vec<Coord<f64>>> = part
                .iter()
                .map(|p| match p.as_slice() {
                    [x, y, ..] if x.is_finite() && y.is_finite() => Some(Coord { x: *x, y: *y }),
                    _ => None,
                })
                .collect();
            match coords {
                Some(c) if c.len() >= 2 => lines.push((LineString::new(c), speed)),
                _ => f.bad("geometry", "", "needs 2+ positions with finite lon/lat"),
            }
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
