//! Timed edits of a plan: build, relocate, expand or shrink, close, split, campus,
//! trusteeship, redraw, growth, housing, policy. Each applies to a [`CityState`] at the
//! start of its year.

use geo::{BooleanOps, LineString, MultiPolygon, Point, Polygon};
use xuewei_core::city::{PriorityRules, School, Zone};
use xuewei_core::{Sector, Stage, TieBreak};

use crate::error::EditError;
use crate::state::{Block, CityState, Grade, SchoolState};

/// What a new or moved school's catchment becomes.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ZoneRule {
    /// Carve a square of `carve_km` half-width around the school out of the zones of its
    /// stage (default for builds).
    #[default]
    Carve,
    /// Keep the zone it has (default for relocations: the catchment stays, the building
    /// moves).
    Keep,
    /// Join the zone that contains the new location (a multi-school zone).
    Join,
    /// No zone: the school takes overflow and private applicants only.
    None,
}

/// One edit of the city.
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Edit {
    /// Build a school.
    Build {
        /// New school id.
        id: String,
        /// Display name (default: the id).
        #[serde(default)]
        name: Option<String>,
        /// Stage.
        stage: Stage,
        /// Public or private (default public).
        #[serde(default)]
        sector: Sector,
        /// Location.
        lon: f64,
        /// Location.
        lat: f64,
        /// Entry classes.
        entry_classes: u32,
        /// District (学区/county) name; default: that of the zone containing the location.
        #[serde(default)]
        district: Option<String>,
        /// Its catchment (default carve).
        #[serde(default)]
        zone: ZoneRule,
        /// Half-width of a carved zone, km (default 1.0).
        #[serde(default = "default_carve_km")]
        carve_km: f64,
        /// A polygon for its zone instead of a rule (ring of [lon, lat]).
        #[serde(default)]
        polygon: Option<Vec<[f64; 2]>>,
    },
    /// Move a school.
    Relocate {
        /// School id.
        school: String,
        /// New location.
        lon: f64,
        /// New location.
        lat: f64,
        /// What its catchment becomes (default keep).
        #[serde(default = "keep")]
        zone: ZoneRule,
        /// Half-width of a carved zone, km (default 1.0).
        #[serde(default = "default_carve_km")]
        carve_km: f64,
    },
    /// Add (or, negative, remove) entry classes.
    Expand {
        /// School id.
        school: String,
        /// Classes added to the entering grade (negative to shrink).
        by: i32,
    },
    /// Close a school: it admits no one; its pupils move to the nearest open school of its
    /// stage.
    Close {
        /// School id.
        school: String,
    },
    /// Reopen a closed school.
    Reopen {
        /// School id.
        school: String,
    },
    /// Split a combined school (完全中学): part of its entry classes become a new school of
    /// another stage, at the same place or elsewhere.
    Split {
        /// School id.
        school: String,
        /// The new school's id.
        new_id: String,
        /// The new school's stage.
        stage: Stage,
        /// Entry classes of the new school.
        entry_classes: u32,
        /// Entry classes the old school gives up (default 0).
        #[serde(default)]
        take_classes: u32,
        /// Location of the new school (default: the old one's).
        #[serde(default)]
        lon: Option<f64>,
        /// Location of the new school.
        #[serde(default)]
        lat: Option<f64>,
    },
    /// A new campus of a school (一校多区): a new school of the same stage sharing the
    /// parent's zones (a multi-school zone).
    Campus {
        /// Parent school id.
        school: String,
        /// Campus id.
        campus_id: String,
        /// Location.
        lon: f64,
        /// Location.
        lat: f64,
        /// Entry classes.
        entry_classes: u32,
    },
    /// Trusteeship (强校托管): a weaker school joins a stronger one's group; the two share
    /// their zones (one lottery over both).
    Trusteeship {
        /// The stronger school.
        strong: String,
        /// The school taken into its group.
        weak: String,
    },
    /// Redraw a zone: its new polygon is cut out of the other zones of its stage.
    Redraw {
        /// Zone id.
        zone: String,
        /// The new outline (ring of [lon, lat]).
        polygon: Vec<[f64; 2]>,
    },
    /// Growth of children per year from this year on, in a district (or `*` for all).
    Growth {
        /// District name, or `*`.
        district: String,
        /// Annual rate (0.08 = 8% a year).
        rate: f64,
    },
    /// A housing development: a new block of `homes` homes, with `children_per_home`
    /// children spread evenly over ages 0–17.
    Housing {
        /// Block id.
        id: String,
        /// Location.
        lon: f64,
        /// Location.
        lat: f64,
        /// Homes.
        homes: u32,
        /// Children per home (default 0.5).
        #[serde(default = "default_yield")]
        children_per_home: f64,
        /// District (default: that of the nearest block).
        #[serde(default)]
        district: Option<String>,
    },
    /// A policy change from this year on.
    Policy {
        /// Class policy, e.g. `"cap:56"` or `"primary=standard,junior=cap:56"`.
        #[serde(default)]
        class_policy: Option<String>,
        /// Priority rules.
        #[serde(default)]
        rules: Option<PriorityRules>,
        /// Tie-breaking.
        #[serde(default)]
        tie_break: Option<TieBreak>,
    },
}

fn default_carve_km() -> f64 {
    1.0
}
fn keep() -> ZoneRule {
    ZoneRule::Keep
}
fn default_yield() -> f64 {
    0.5
}

impl Edit {
    /// The kind's name, as in the scenario file.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Edit::Build { .. } => "build",
            Edit::Relocate { .. } => "relocate",
            Edit::Expand { .. } => "expand",
            Edit::Close { .. } => "close",
            Edit::Reopen { .. } => "reopen",
            Edit::Split { .. } => "split",
            Edit::Campus { .. } => "campus",
            Edit::Trusteeship { .. } => "trusteeship",
            Edit::Redraw { .. } => "redraw",
            Edit::Growth { .. } => "growth",
            Edit::Housing { .. } => "housing",
            Edit::Policy { .. } => "policy",
        }
    }

    /// Whether the edit builds or expands a compulsory (primary or junior) school, for the
    /// plan's "about 30 schools built or expanded a year" target.
    #[must_use]
    pub fn builds_compulsory(&self, state: &CityState) -> Option<String> {
        let compulsory = |s: Stage| matches!(s, Stage::Primary | Stage::Junior);
        match self {
            Edit::Build {
                stage, district, ..
            } if compulsory(*stage) => Some(district.clone().unwrap_or_default()),
            Edit::Expand { school, by } if *by > 0 => state.school(school).and_then(|i| {
                let s = &state.schools[i].school;
                compulsory(s.stage)
                    .then(|| s.district.map(|d| state.districts[d as usize].clone()))
                    .map(Option::unwrap_or_default)
            }),
            Edit::Campus { school, .. } => state.school(school).and_then(|i| {
                let s = &state.schools[i].school;
                compulsory(s.stage)
                    .then(|| s.district.map(|d| state.districts[d as usize].clone()))
                    .map(Option::unwrap_or_default)
            }),
            _ => None,
        }
    }

    /// Applies the edit.
    ///
    /// # Errors
    /// An unknown school or zone, a duplicate id, a school that cannot shrink further, an
    /// invalid polygon or class policy; the state is unchanged then.
    pub fn apply(&self, state: &mut CityState) -> Result<(), EditError> {
        match self {
            Edit::Build {
                id,
                name,
                stage,
                sector,
                lon,
                lat,
                entry_classes,
                district,
                zone,
                carve_km,
                polygon,
            } => {
                if state.school(id).is_some() {
                    return Err(EditError::SchoolExists { id: id.clone() });
                }
                let at = point(*lon, *lat)?;
                // Checked before anything changes, so that a bad outline leaves the state as it was.
                let area = match (sector, polygon) {
                    (Sector::Public, Some(ring)) => Some(ring_polygon(ring)?),
                    _ => None,
                };
                let district = match district {
                    Some(d) => Some(state.district(d)),
                    None => zone_at(state, *stage, at).and_then(|z| state.zones[z].district),
                };
                let i = state.schools.len();
                state.schools.push(SchoolState {
                    school: School {
                        id: id.clone(),
                        name: name.clone().unwrap_or_else(|| id.clone()),
                        stage: *stage,
                        sector: *sector,
                        location: at,
                        entry_classes: *entry_classes,
                        district,
                        seats: None,
                    },
                    open: true,
                    grades: vec![Grade::default(); stage.grades() as usize],
                });
                if *sector == Sector::Private {
                    return Ok(());
                }
                match area {
                    Some(area) => add_zone(state, i, area),
                    None => place_zone(state, i, zone, *carve_km),
                }
                Ok(())
            }
            Edit::Relocate {
                school,
                lon,
                lat,
                zone,
                carve_km,
            } => {
                let i = find(state, school)?;
                state.schools[i].school.location = point(*lon, *lat)?;
                if *zone != ZoneRule::Keep {
                    for z in &mut state.zones {
                        z.schools.retain(|&s| s as usize != i);
                    }
                    place_zone(state, i, zone, *carve_km);
                }
                Ok(())
            }
            Edit::Expand { school, by } => {
                let i = find(state, school)?;
                let s = &mut state.schools[i].school;
                let classes = i64::from(s.entry_classes) + i64::from(*by);
                s.entry_classes = u32::try_from(classes).map_err(|_| EditError::TooFewClasses {
                    school: school.clone(),
                    classes: s.entry_classes,
                })?;
                Ok(())
            }
            Edit::Close { school } => {
                let i = find(state, school)?;
                state.schools[i].open = false;
                Ok(())
            }
            Edit::Reopen { school } => {
                let i = find(state, school)?;
                state.schools[i].open = true;
                Ok(())
            }
            Edit::Split {
                school,
                new_id,
                stage,
                entry_classes,
                take_classes,
                lon,
                lat,
            } => {
                let i = find(state, school)?;
                if state.school(new_id).is_some() {
                    return Err(EditError::SchoolExists { id: new_id.clone() });
                }
                let old = state.schools[i].school.clone();
                if *take_classes > old.entry_classes {
                    return Err(EditError::TooFewClasses {
                        school: school.clone(),
                        classes: old.entry_classes,
                    });
                }
                state.schools[i].school.entry_classes -= take_classes;
                let at = match (lon, lat) {
                    (Some(x), Some(y)) => point(*x, *y)?,
                    _ => old.location,
                };
                let n = state.schools.len();
                state.schools.push(SchoolState {
                    school: School {
                        id: new_id.clone(),
                        name: new_id.clone(),
                        stage: *stage,
                        location: at,
                        entry_classes: *entry_classes,
                        seats: None,
                        ..old
                    },
                    open: true,
                    grades: vec![Grade::default(); stage.grades() as usize],
                });
                if state.schools[n].school.sector == Sector::Public {
                    place_zone(state, n, &ZoneRule::Join, 1.0);
                }
                Ok(())
            }
            Edit::Campus {
                school,
                campus_id,
                lon,
                lat,
                entry_classes,
            } => {
                let i = find(state, school)?;
                if state.school(campus_id).is_some() {
                    return Err(EditError::SchoolExists {
                        id: campus_id.clone(),
                    });
                }
                let parent = state.schools[i].school.clone();
                let n = state.schools.len() as u32;
                state.schools.push(SchoolState {
                    school: School {
                        id: campus_id.clone(),
                        name: format!("{} ({campus_id})", parent.name),
                        location: point(*lon, *lat)?,
                        entry_classes: *entry_classes,
                        seats: None,
                        ..parent
                    },
                    open: true,
                    grades: vec![Grade::default(); parent.stage.grades() as usize],
                });
                for z in &mut state.zones {
                    if z.schools.contains(&(i as u32)) {
                        z.schools.push(n);
                    }
                }
                Ok(())
            }
            Edit::Trusteeship { strong, weak } => {
                let (a, b) = (find(state, strong)? as u32, find(state, weak)? as u32);
                for z in &mut state.zones {
                    let has_a = z.schools.contains(&a);
                    let has_b = z.schools.contains(&b);
                    if has_a && !has_b {
                        z.schools.push(b);
                    } else if has_b && !has_a {
                        z.schools.push(a);
                    }
                }
                Ok(())
            }
            Edit::Redraw { zone, polygon } => {
                let z = state
                    .zones
                    .iter()
                    .position(|z| &z.id == zone)
                    .ok_or_else(|| EditError::UnknownZone { id: zone.clone() })?;
                let area = ring_polygon(polygon)?;
                let stage = state.zones[z].stage;
                for (k, other) in state.zones.iter_mut().enumerate() {
                    if k != z && other.stage == stage {
                        other.geometry = other.geometry.difference(&area);
                    }
                }
                state.zones[z].geometry = area;
                Ok(())
            }
            Edit::Growth { district, rate } => {
                if !rate.is_finite() || *rate <= -1.0 {
                    return Err(EditError::Rate { rate: *rate });
                }
                if district == "*" {
                    state.growth.iter_mut().for_each(|g| *g = *rate);
                } else {
                    let d = state
                        .districts
                        .iter()
                        .position(|x| x == district)
                        .ok_or_else(|| EditError::UnknownDistrict {
                            id: district.clone(),
                        })?;
                    state.growth[d] = *rate;
                }
                Ok(())
            }
            Edit::Housing {
                id,
                lon,
                lat,
                homes,
                children_per_home,
                district,
            } => {
                let at = point(*lon, *lat)?;
                if !children_per_home.is_finite() || *children_per_home < 0.0 {
                    return Err(EditError::ChildrenPerHome {
                        value: *children_per_home,
                    });
                }
                let district = match district {
                    Some(d) => d.clone(),
                    None => nearest_block(&state.blocks, at)
                        .map(|b| state.blocks[b].district.clone())
                        .unwrap_or_default(),
                };
                state.district(&district);
                let each = f64::from(*homes) * children_per_home / 18.0;
                state.blocks.push(Block {
                    id: id.clone(),
                    location: at,
                    district,
                    households: f64::from(*homes),
                    children: [each; 18],
                });
                Ok(())
            }
            Edit::Policy {
                class_policy,
                rules,
                tie_break,
            } => {
                if let Some(text) = class_policy {
                    state.policy.class_policy = state.policy.class_policy.parse_onto(text)?;
                }
                if let Some(r) = rules {
                    state.policy.rules = r.clone();
                }
                if let Some(t) = tie_break {
                    state.policy.tie_break = *t;
                }
                Ok(())
            }
        }
    }
}

fn find(state: &CityState, id: &str) -> Result<usize, EditError> {
    state
        .school(id)
        .ok_or_else(|| EditError::UnknownSchool { id: id.to_owned() })
}

fn point(lon: f64, lat: f64) -> Result<Point<f64>, EditError> {
    if lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0 {
        Ok(Point::new(lon, lat))
    } else {
        Err(EditError::Location { lon, lat })
    }
}

/// A zone outline from a scenario file, checked as the zone loader checks rings.
fn ring_polygon(ring: &[[f64; 2]]) -> Result<MultiPolygon<f64>, EditError> {
    let polygon = xuewei_core::city::zone_outline(ring).map_err(EditError::Polygon)?;
    Ok(MultiPolygon(vec![polygon]))
}

/// The zone of `stage` containing a point (first listed on ties).
fn zone_at(state: &CityState, stage: Stage, at: Point<f64>) -> Option<usize> {
    use geo::Intersects;
    state
        .zones
        .iter()
        .position(|z| z.stage == stage && z.geometry.intersects(&at))
}

fn nearest_block(blocks: &[Block], at: Point<f64>) -> Option<usize> {
    blocks
        .iter()
        .enumerate()
        .min_by(|a, b| {
            let d = |p: Point<f64>| (p.x() - at.x()).powi(2) + (p.y() - at.y()).powi(2);
            d(a.1.location).total_cmp(&d(b.1.location))
        })
        .map(|(i, _)| i)
}

/// Gives school `i` a zone by the rule.
fn place_zone(state: &mut CityState, i: usize, rule: &ZoneRule, carve_km: f64) {
    let school = state.schools[i].school.clone();
    match rule {
        ZoneRule::Keep | ZoneRule::None => {}
        ZoneRule::Join => match zone_at(state, school.stage, school.location) {
            Some(z) => state.zones[z].schools.push(i as u32),
            None => place_zone(state, i, &ZoneRule::Carve, carve_km),
        },
        ZoneRule::Carve => {
            let lat = school.location.y();
            let dy = carve_km / 111.2;
            let dx = carve_km / (111.2 * lat.to_radians().cos().max(0.1));
            let (x, y) = (school.location.x(), school.location.y());
            let square = MultiPolygon(vec![Polygon::new(
                LineString::from(vec![
                    (x - dx, y - dy),
                    (x + dx, y - dy),
                    (x + dx, y + dy),
                    (x - dx, y + dy),
                    (x - dx, y - dy),
                ]),
                vec![],
            )]);
            // Only the part of the square that the stage's zones cover, so the city's edge
            // stays where it is.
            let mut area = MultiPolygon(Vec::new());
            for z in state.zones.iter_mut().filter(|z| z.stage == school.stage) {
                let part = z.geometry.intersection(&square);
                if !part.0.is_empty() {
                    area = area.union(&part);
                    z.geometry = z.geometry.difference(&square);
                }
            }
            if area.0.is_empty() {
                area = square;
            }
            add_zone(state, i, area);
        }
    }
}

fn add_zone(state: &mut CityState, i: usize, area: MultiPolygon<f64>) {
    let school = &state.schools[i].school;
    let stage = school.stage;
    for z in state.zones.iter_mut().filter(|z| z.stage == stage) {
        z.geometry = z.geometry.difference(&area);
    }
    let id = format!("Z-{}", school.id);
    let district = school.district;
    state.zones.push(Zone {
        id,
        stage,
        schools: vec![i as u32],
        district,
        geometry: area,
    });
}
