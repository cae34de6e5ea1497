//! The city: schools on a map, catchment zones (划片) grouped into school districts (学区),
//! pupils with homes and the attributes priority rules use, and the assignment of every
//! entering pupil (就近入学) — see [`assign`](fn@crate::city::assign).
//!
//! A [`City`] is validated once by [`City::new`]; ids become dense indices before it (the
//! files' formats, `schools.csv`, `pupils.csv`, `zones.geojson` and `roads.geojson`, are
//! read by `xuewei-io`).

pub mod assign;
pub mod conservation;
mod error;
pub mod geometry;
pub mod roll;
pub mod rules;

use geo::{MultiPolygon, Point};

use crate::distance::RoadNetwork;
use crate::error::Problems;
use crate::model::{Sector, Stage};

pub use assign::{
    assign, AssignParams, CityAssignment, How, Placement, StageSummary, UnplacedReason,
};
pub use error::{RecordError, RecordErrors, RecordKind};
pub use geometry::GeometryError;
pub use rules::{Criterion, PriorityRules};

/// A school of the city.
#[derive(Clone, Debug, PartialEq)]
pub struct School {
    /// External id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Stage it admits to.
    pub stage: Stage,
    /// Public (公办) or private (民办).
    pub sector: Sector,
    /// Location (WGS84 lon/lat).
    pub location: Point<f64>,
    /// Classes opened for the entering grade (classrooms available to it).
    pub entry_classes: u32,
    /// School district (学区), index into [`City::districts`].
    pub district: Option<u32>,
    /// Seats stated in the input, overriding entry classes × class size where policy allows.
    pub seats: Option<u32>,
}

/// An entering pupil.
#[derive(Clone, Debug, PartialEq)]
pub struct Pupil {
    /// External id.
    pub id: String,
    /// Stage entered.
    pub stage: Stage,
    /// Home (WGS84 lon/lat).
    pub home: Point<f64>,
    /// Local household registration (本地户籍).
    pub hukou_local: bool,
    /// The family owns the home (房产).
    pub owns_home: bool,
    /// Migrant child with a residence permit (随迁子女, 居住证).
    pub residence_permit: bool,
    /// School an older sibling attends (index into [`City::schools`]).
    pub sibling_school: Option<u32>,
    /// Exam score, for score-based admission.
    pub score: Option<f64>,
    /// School the pupil comes from (e.g. their primary school), as written.
    pub origin_school: Option<String>,
    /// Schools applied to, best first (indices into [`City::schools`]).
    pub preferences: Vec<u32>,
}

/// A catchment zone (招生片区).
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    /// External id.
    pub id: String,
    /// Stage whose admission it governs.
    pub stage: Stage,
    /// Schools serving it: one for a single-school zone, several for a multi-school zone
    /// (多校划片) filled by lottery.
    pub schools: Vec<u32>,
    /// School district (学区) it belongs to.
    pub district: Option<u32>,
    /// Its area.
    pub geometry: MultiPolygon<f64>,
}

/// A validated city: ids unique, every index in range, zones indexable. Build it with
/// [`City::new`]; it is immutable afterwards.
#[derive(Clone, Debug)]
pub struct City {
    pub(crate) schools: Vec<School>,
    pub(crate) pupils: Vec<Pupil>,
    pub(crate) zones: Vec<Zone>,
    pub(crate) districts: Vec<String>,
    pub(crate) roads: Option<RoadNetwork>,
}

impl City {
    /// Validates a city assembled in code.
    ///
    /// # Errors
    /// Every problem at once, each naming the record and field: duplicate school, pupil or
    /// zone ids; school indices (zones, preferences, siblings) or district indices out of
    /// range; zone coordinates that are not finite.
    pub fn new(
        schools: Vec<School>,
        pupils: Vec<Pupil>,
        zones: Vec<Zone>,
        districts: Vec<String>,
        roads: Option<RoadNetwork>,
    ) -> Result<City, RecordErrors> {
        let mut errors = Vec::new();
        // What an index field points into: its length, and its name in messages.
        let all_schools = (schools.len(), "school(s)");
        let all_districts = (districts.len(), "district(s)");
        let mut range = |(kind, index, id): (RecordKind, usize, &str),
                         field,
                         value: u32,
                         (len, of): (usize, &'static str)| {
            if value as usize >= len {
                errors.push(RecordError::OutOfRange {
                    kind,
                    index,
                    id: id.to_owned(),
                    field,
                    value,
                    len,
                    of,
                });
            }
        };
        for (i, s) in schools.iter().enumerate() {
            let record = (RecordKind::School, i, s.id.as_str());
            if let Some(d) = s.district {
                range(record, "district", d, all_districts);
            }
        }
        for (i, p) in pupils.iter().enumerate() {
            let record = (RecordKind::Pupil, i, p.id.as_str());
            if let Some(s) = p.sibling_school {
                range(record, "sibling_school", s, all_schools);
            }
            if let Some(&s) = p.preferences.iter().find(|&&s| s as usize >= all_schools.0) {
                range(record, "preferences", s, all_schools);
            }
        }
        for (i, z) in zones.iter().enumerate() {
            let record = (RecordKind::Zone, i, z.id.as_str());
            if let Some(&s) = z.schools.iter().find(|&&s| s as usize >= all_schools.0) {
                range(record, "schools", s, all_schools);
            }
            if let Some(d) = z.district {
                range(record, "district", d, all_districts);
            }
        }
        if let Err(e) =
            crate::catchment::ZoneIndex::new(zones.iter().map(|z| z.geometry.clone()).collect())
        {
            errors.extend(e.0.into_iter().map(RecordError::Zones));
        }
        check_unique(
            RecordKind::School,
            schools.iter().map(|s| s.id.as_str()),
            &mut errors,
        );
        check_unique(
            RecordKind::Pupil,
            pupils.iter().map(|p| p.id.as_str()),
            &mut errors,
        );
        check_unique(
            RecordKind::Zone,
            zones.iter().map(|z| z.id.as_str()),
            &mut errors,
        );
        if errors.is_empty() {
            Ok(City {
                schools,
                pupils,
                zones,
                districts,
                roads,
            })
        } else {
            Err(Problems(errors))
        }
    }

    /// Schools, in input order.
    #[must_use]
    pub fn schools(&self) -> &[School] {
        &self.schools
    }

    /// Pupils, in input order.
    #[must_use]
    pub fn pupils(&self) -> &[Pupil] {
        &self.pupils
    }

    /// Zones, in input order.
    #[must_use]
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// District (学区) names, by index.
    #[must_use]
    pub fn districts(&self) -> &[String] {
        &self.districts
    }

    /// The road network, when given.
    #[must_use]
    pub fn roads(&self) -> Option<&RoadNetwork> {
        self.roads.as_ref()
    }

    /// Index of a school by external id (linear; for tools and tests, not hot paths).
    #[must_use]
    pub fn school_index(&self, id: &str) -> Option<u32> {
        self.schools
            .iter()
            .position(|s| s.id == id)
            .map(|i| i as u32)
    }
}

/// Reports ids used twice among records of one kind; empty ids are left alone.
///
/// A scenario builds a city every simulated year, so the common case (no duplicate) is a
/// set of borrowed ids with no allocation per id; only a set with a duplicate is walked
/// again to name each repeat and its first use.
fn check_unique<'a>(
    kind: RecordKind,
    ids: impl Iterator<Item = &'a str> + Clone,
    errors: &mut Vec<RecordError>,
) {
    let mut set = rustc_hash::FxHashSet::default();
    set.reserve(ids.size_hint().0);
    if ids.clone().all(|id| id.is_empty() || set.insert(id)) {
        return;
    }
    let mut first_use: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    for (index, id) in ids.enumerate().filter(|(_, id)| !id.is_empty()) {
        match first_use.get(id) {
            Some(&first) => errors.push(RecordError::DuplicateId {
                kind,
                index,
                first,
                id: id.to_owned(),
            }),
            None => {
                first_use.insert(id, index);
            }
        }
    }
}

/// Checks an outline given as plain coordinates (a scenario's new or redrawn zone) the way
/// a zone ring of a file is checked: every position a WGS84 lon/lat, at least 3 distinct
/// positions enclosing an area, the ring not crossing itself; an unclosed ring is closed.
///
/// ```
/// use xuewei_core::city::{zone_outline, GeometryError};
/// let square = [[113.0, 34.0], [113.1, 34.0], [113.1, 34.1], [113.0, 34.1]];
/// assert!(zone_outline(&square).is_ok());
/// let bow_tie = [[113.0, 34.0], [113.1, 34.1], [113.1, 34.0], [113.0, 34.1]];
/// let err = zone_outline(&bow_tie).unwrap_err();
/// assert!(matches!(err, GeometryError::CrossesItself { .. }));
/// assert_eq!(err.to_string(), "outer ring crosses itself at (113.05, 34.05)");
/// ```
///
/// # Errors
///
/// The first problem, naming the position where there is one.
pub fn zone_outline(ring: &[[f64; 2]]) -> Result<geo::Polygon<f64>, GeometryError> {
    geometry::polygon(std::slice::from_ref(&ring), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_unique_names_every_repeat_and_its_first_use() {
        let mut errors = Vec::new();
        check_unique(
            RecordKind::Pupil,
            ["a", "b", "", ""].into_iter(),
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        check_unique(
            RecordKind::Pupil,
            ["a", "b", "a", "c", "b", "a"].into_iter(),
            &mut errors,
        );
        let found: Vec<(usize, &str, usize)> = errors
            .iter()
            .map(|e| match e {
                RecordError::DuplicateId {
                    index, id, first, ..
                } => (*index, id.as_str(), *first),
                other => panic!("unexpected {other}"),
            })
            .collect();
        assert_eq!(found, [(2, "a", 0), (4, "b", 1), (5, "a", 0)]);
        assert_eq!(
            errors[0].to_string(),
            "pupil \"a\" at position 2: field \"id\": already used at position 0"
        );
    }
}
