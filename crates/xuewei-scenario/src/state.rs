//! The state of a city between years: schools with their rolls by grade, zones,
//! residential blocks with children by age, roads, and the policy in force.

use std::collections::HashMap;

use geo::Point;
use xuewei_core::catchment::ZoneIndex;
use xuewei_core::city::roll::RollRow;
use xuewei_core::city::{AssignParams, City, School, Zone};
use xuewei_core::distance::RoadNetwork;
use xuewei_core::{Sector, Stage};

use crate::error::ScenarioError;

/// Age at which pupils enter each stage (kindergarten 3, primary 6, junior 12, senior 15).
#[must_use]
pub fn entry_age(stage: Stage) -> usize {
    match stage {
        Stage::Kindergarten => 3,
        Stage::Primary => 6,
        Stage::Junior => 12,
        Stage::Senior => 15,
    }
}

/// Stages xuewei admits to, in order.
pub const STAGES: [Stage; 3] = [Stage::Primary, Stage::Junior, Stage::Senior];

/// A residential block (小区): where children live, by single year of age.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Block id.
    pub id: String,
    /// Location.
    pub location: Point<f64>,
    /// District name as written (学区 or county).
    pub district: String,
    /// Households.
    pub households: f64,
    /// Children by age 0..=17 (fractional after growth).
    pub children: [f64; 18],
}

/// One grade of a school's roll.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Grade {
    /// Pupils.
    pub pupils: u32,
    /// Classrooms.
    pub classrooms: u32,
}

/// A school with its roll.
#[derive(Clone, Debug, PartialEq)]
pub struct SchoolState {
    /// The school (location, stage, entry classes, district index into [`CityState::districts`]).
    pub school: School,
    /// Whether it admits pupils this year.
    pub open: bool,
    /// Grades 1.. of its stage.
    pub grades: Vec<Grade>,
}

/// Shares that describe the families of a district, estimated from the base year's pupils.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Families {
    /// Local hukou.
    pub hukou: f64,
    /// Owns the home, given local hukou.
    pub home_if_local: f64,
    /// Owns the home, given migrant.
    pub home_if_migrant: f64,
    /// Residence permit, given migrant.
    pub permit_if_migrant: f64,
}

/// The policy in force: the admission parameters of [`assign`](fn@xuewei_core::city::assign) — the
/// seat rule per stage (`class_policy`), priority rules, tie-breaking, class-size
/// standards. Scenario files and `policy` edits set the first three; the runner sets each
/// year's `seed` (derived from the run's lottery seed and the year) when it admits.
pub type Policy = AssignParams;

/// Everything that carries over from one year to the next.
#[derive(Clone, Debug)]
pub struct CityState {
    /// Schools, in the base order, then those built.
    pub schools: Vec<SchoolState>,
    /// Zones (their `schools` index [`CityState::schools`]).
    pub zones: Vec<Zone>,
    /// District names (学区 / county), by index.
    pub districts: Vec<String>,
    /// Residential blocks.
    pub blocks: Vec<Block>,
    /// Road network.
    pub roads: Option<RoadNetwork>,
    /// Annual growth rate of children per district (index as `districts`).
    pub growth: Vec<f64>,
    /// Families per district, and city-wide as the last entry.
    pub families: Vec<Families>,
    /// Entrants per child of the entry age, per stage (indexed like [`Stage::ALL`]).
    pub participation: [f64; 4],
    /// Share of entrants applying to a private school, per stage (as in the base year).
    pub private_share: [f64; 4],
    /// The policy in force.
    pub policy: Policy,
}

impl CityState {
    /// Builds the state from a validated base city, its whole-school roll (rows of schools
    /// not in the city, or of grades beyond a school's stage, are ignored) and its
    /// residential blocks. `xuewei_io::city::load_state` reads all three from a directory.
    ///
    /// # Errors
    /// The city's primary zones cannot be indexed ([`ScenarioError::Zones`]; never for a
    /// city that [`City::new`] accepted).
    pub fn from_city(
        city: &City,
        rows: &[RollRow],
        blocks: Vec<Block>,
    ) -> Result<Self, ScenarioError> {
        let mut districts: Vec<String> = city.districts().to_vec();
        let index: HashMap<&str, usize> = city
            .schools()
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut schools: Vec<SchoolState> = city
            .schools()
            .iter()
            .map(|s| SchoolState {
                school: s.clone(),
                open: true,
                grades: vec![Grade::default(); s.stage.grades() as usize],
            })
            .collect();
        for row in rows {
            let grade = index.get(row.school.as_str()).and_then(|&i| {
                let g = (row.grade as usize).checked_sub(1)?;
                schools[i].grades.get_mut(g)
            });
            if let Some(grade) = grade {
                *grade = Grade {
                    pupils: row.pupils,
                    classrooms: row.classrooms,
                };
            }
        }
        for b in &blocks {
            if !districts.contains(&b.district) {
                districts.push(b.district.clone());
            }
        }
        // Families per district from the base pupils (district of the zone they live in).
        let primary_zones: Vec<usize> = (0..city.zones().len())
            .filter(|&z| city.zones()[z].stage == Stage::Primary)
            .collect();
        let zindex = ZoneIndex::new(
            primary_zones
                .iter()
                .map(|&z| city.zones()[z].geometry.clone())
                .collect(),
        )
        .map_err(|source| ScenarioError::Zones { source })?;
        let mut tally = vec![[0.0f64; 6]; districts.len() + 1];
        for p in city.pupils() {
            let d = zindex
                .locate(p.home)
                .zone
                .and_then(|z| city.zones()[primary_zones[z as usize]].district)
                .map_or(districts.len(), |d| d as usize);
            for t in [d, districts.len()] {
                let c = &mut tally[t];
                c[0] += 1.0;
                if p.hukou_local {
                    c[1] += 1.0;
                    c[2] += f64::from(u8::from(p.owns_home));
                } else {
                    c[3] += 1.0;
                    c[4] += f64::from(u8::from(p.owns_home));
                    c[5] += f64::from(u8::from(p.residence_permit));
                }
            }
        }
        let ratio = |a: f64, b: f64, default: f64| if b > 0.0 { a / b } else { default };
        let city_wide = tally[districts.len()];
        let families: Vec<Families> = tally
            .iter()
            .map(|c| {
                let c = if c[0] >= 10.0 { *c } else { city_wide };
                Families {
                    hukou: ratio(c[1], c[0], 0.8),
                    home_if_local: ratio(c[2], c[1], 0.8),
                    home_if_migrant: ratio(c[4], c[3], 0.15),
                    permit_if_migrant: ratio(c[5], c[3], 0.85),
                }
            })
            .collect();
        // Participation: base entrants per child of the entry age.
        let mut participation = [1.0; 4];
        for stage in STAGES {
            let entrants = city.pupils().iter().filter(|p| p.stage == stage).count() as f64;
            let children: f64 = blocks.iter().map(|b| b.children[entry_age(stage)]).sum();
            if children > 0.0 && entrants > 0.0 {
                participation[stage.index()] = entrants / children;
            }
        }
        let mut private_share = [0.0; 4];
        for stage in STAGES {
            let of_stage: Vec<_> = city.pupils().iter().filter(|p| p.stage == stage).collect();
            let applying = of_stage
                .iter()
                .filter(|p| {
                    p.preferences
                        .iter()
                        .any(|&s| city.schools()[s as usize].sector == Sector::Private)
                })
                .count();
            if !of_stage.is_empty() {
                private_share[stage.index()] = applying as f64 / of_stage.len() as f64;
            }
        }
        Ok(Self {
            schools,
            zones: city.zones().to_vec(),
            private_share,
            growth: vec![0.0; districts.len()],
            districts,
            blocks,
            roads: city.roads().cloned(),
            families,
            participation,
            policy: Policy::default(),
        })
    }

    /// The index of a school by id.
    #[must_use]
    pub fn school(&self, id: &str) -> Option<usize> {
        self.schools.iter().position(|s| s.school.id == id)
    }

    /// The index of a district by name, added when new.
    pub fn district(&mut self, name: &str) -> u32 {
        if let Some(i) = self.districts.iter().position(|d| d == name) {
            return i as u32;
        }
        self.districts.push(name.to_owned());
        self.growth.push(0.0);
        let city_wide = *self.families.last().unwrap_or(&Families {
            hukou: 0.8,
            home_if_local: 0.8,
            home_if_migrant: 0.15,
            permit_if_migrant: 0.85,
        });
        let n = self.families.len();
        self.families.insert(n.saturating_sub(1), city_wide);
        (self.districts.len() - 1) as u32
    }

    /// Families of a district (city-wide shares when unknown).
    #[must_use]
    pub fn families_of(&self, district: &str) -> Families {
        let city_wide = self.families[self.families.len() - 1];
        self.districts
            .iter()
            .position(|d| d == district)
            .map_or(city_wide, |i| self.families[i])
    }

    /// Pupils on roll in a stage (open and closed schools).
    #[must_use]
    pub fn roll(&self, stage: Stage) -> u64 {
        self.schools
            .iter()
            .filter(|s| s.school.stage == stage)
            .flat_map(|s| &s.grades)
            .map(|g| u64::from(g.pupils))
            .sum()
    }

    /// Whether a school is public and open.
    #[must_use]
    pub fn is_open_public(&self, i: usize) -> bool {
        self.schools[i].open && self.schools[i].school.sector == Sector::Public
    }
}
