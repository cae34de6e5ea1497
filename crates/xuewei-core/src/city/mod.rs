//! The city: schools on a map, catchment zones (划片) grouped into school districts (学区),
//! pupils with homes and the attributes priority rules use, and the assignment of every
//! entering pupil (就近入学) — see [`assign`](fn@crate::city::assign).
//!
//! The on-disk formats (`schools.csv`, `pupils.csv`, `zones.geojson`, `roads.geojson`) are
//! read by [`load`] into plain records and validated into a [`City`]; ids become dense
//! indices once.

pub mod assign;
pub mod conservation;
mod geometry;
pub mod load;
pub mod output;
pub mod records;
pub mod roll;
pub mod rules;

use geo::{MultiPolygon, Point};

use crate::distance::RoadNetwork;
use crate::model::{Sector, Stage};

pub use assign::{
    assign, AssignParams, CityAssignment, How, Placement, StageSummary, UnplacedReason,
};
pub use load::{CityError, CityErrors, CityFiles};
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

/// A validated city: ids unique, every index in range. Build it with [`City::load`] or
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
    /// Duplicate school, pupil or zone ids; school indices (zones, preferences, siblings) or
    /// district indices out of range.
    pub fn new(
        schools: Vec<School>,
        pupils: Vec<Pupil>,
        zones: Vec<Zone>,
        districts: Vec<String>,
        roads: Option<RoadNetwork>,
    ) -> Result<City, CityErrors> {
        let mut errors = Vec::new();
        let m = schools.len() as u32;
        let nd = districts.len() as u32;
        let bad = |errors: &mut Vec<CityError>, file: &str, i: usize, field: &str, v: String| {
            errors.push(CityError::Field {
                file: file.to_owned(),
                place: load::Place::Line(i as u64 + 2),
                field: field.to_owned(),
                value: v,
                problem: "is out of range".to_owned(),
            });
        };
        for (i, s) in schools.iter().enumerate() {
            if s.district.is_some_and(|d| d >= nd) {
                bad(
                    &mut errors,
                    "schools",
                    i,
                    "district",
                    format!("{:?}", s.district),
                );
            }
        }
        for (i, p) in pupils.iter().enumerate() {
            if p.sibling_school.is_some_and(|s| s >= m) || p.preferences.iter().any(|&s| s >= m) {
                bad(
                    &mut errors,
                    "pupils",
                    i,
                    "school index",
                    format!("{:?}", p.preferences),
                );
            }
        }
        for (i, z) in zones.iter().enumerate() {
            if z.schools.iter().any(|&s| s >= m) || z.district.is_some_and(|d| d >= nd) {
                bad(&mut errors, "zones", i, "index", format!("{:?}", z.schools));
            }
        }
        if let Err(e) =
            crate::catchment::ZoneIndex::new(zones.iter().map(|z| z.geometry.clone()).collect())
        {
            for problem in e.errors() {
                errors.push(CityError::Syntax {
                    file: "zones".to_owned(),
                    line: None,
                    message: problem.to_string(),
                });
            }
        }
        load::check_unique(
            "schools",
            schools.iter().map(|s| s.id.as_str()),
            &mut errors,
        );
        load::check_unique("pupils", pupils.iter().map(|p| p.id.as_str()), &mut errors);
        load::check_unique("zones", zones.iter().map(|z| z.id.as_str()), &mut errors);
        if errors.is_empty() {
            Ok(City {
                schools,
                pupils,
                zones,
                districts,
                roads,
            })
        } else {
            Err(CityErrors(errors))
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

/// Checks an outline given outside a GeoJSON file (a scenario's new or redrawn zone) the way
/// the zone loader checks a ring: every position a WGS84 lon/lat, at least 3 distinct
/// positions enclosing an area, the ring not crossing itself; an unclosed ring is closed.
///
/// ```
/// let square = [[113.0, 34.0], [113.1, 34.0], [113.1, 34.1], [113.0, 34.1]];
/// assert!(xuewei_core::city::zone_outline(&square).is_ok());
/// let bow_tie = [[113.0, 34.0], [113.1, 34.1], [113.1, 34.0], [113.0, 34.1]];
/// let err = xuewei_core::city::zone_outline(&bow_tie).unwrap_err();
/// assert!(err.contains("crosses itself"), "{err}");
/// ```
///
/// # Errors
///
/// The problem, naming the position where there is one.
pub fn zone_outline(ring: &[[f64; 2]]) -> Result<geo::Polygon<f64>, String> {
    let positions: Vec<geojson::Position> = ring.iter().map(|p| p.to_vec().into()).collect();
    geometry::polygon(std::slice::from_ref(&positions), None)
}
