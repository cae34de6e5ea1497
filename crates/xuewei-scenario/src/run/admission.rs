//! Step 5 of a year: the year's city is rebuilt from the state (open schools only) and its
//! entrants are admitted under the policy in force (`xuewei_core::city::assign`); each open
//! school's first grade is then the pupils it took.

use xuewei_core::city::{assign, City, CityAssignment, Pupil, Zone};
use xuewei_core::lottery::derive_seed;

use crate::error::ScenarioError;
use crate::state::{CityState, Grade};

/// One year's admission: the city it ran on and its result.
pub(super) struct Admitted {
    /// The open schools of the state, its zones and districts, and the entrants.
    pub(super) city: City,
    /// Each school of the state's index in `city`, `None` when closed.
    pub(super) to_city: Vec<Option<u32>>,
    /// The assignment of the entrants.
    pub(super) result: CityAssignment,
}

/// Admits `pupils` into the state's open schools with the lottery seed of `year`, and makes
/// each open school's first grade the pupils it took (in its entry classes).
///
/// # Errors
/// A city that fails validation (e.g. an edit created a duplicate id), or a broken
/// conservation of pupils.
pub(super) fn admit(
    state: &mut CityState,
    pupils: Vec<Pupil>,
    year: i32,
    lottery_seed: u64,
) -> Result<Admitted, ScenarioError> {
    let (city, to_city) =
        year_city(state, pupils).map_err(|source| ScenarioError::City { year, source })?;
    let params = state
        .policy
        .clone()
        .seed(derive_seed(lottery_seed, year as u64));
    let result =
        assign(&city, &params).map_err(|source| ScenarioError::Conservation { year, source })?;
    for (s, k) in state.schools.iter_mut().zip(&to_city) {
        if let Some(k) = k {
            s.grades[0] = Grade {
                pupils: result.placed[*k as usize],
                classrooms: s.school.entry_classes,
            };
        }
    }
    Ok(Admitted {
        city,
        to_city,
        result,
    })
}

/// The year's city: the open schools of the state, in state order, with the zones' schools
/// and the pupils' choices re-indexed to them (closed schools dropped). Returns it with each
/// state school's index in it.
fn year_city(
    state: &CityState,
    mut pupils: Vec<Pupil>,
) -> Result<(City, Vec<Option<u32>>), xuewei_core::city::RecordErrors> {
    let mut to_city = vec![None; state.schools.len()];
    let mut n_open = 0u32;
    for (i, s) in state.schools.iter().enumerate() {
        if s.open {
            to_city[i] = Some(n_open);
            n_open += 1;
        }
    }
    let remap = |schools: &[u32]| -> Vec<u32> {
        schools
            .iter()
            .filter_map(|&s| to_city[s as usize])
            .collect()
    };
    for p in &mut pupils {
        p.preferences = remap(&p.preferences);
    }
    let zones: Vec<Zone> = state
        .zones
        .iter()
        .map(|z| Zone {
            schools: remap(&z.schools),
            ..z.clone()
        })
        .collect();
    let city = City::new(
        state
            .schools
            .iter()
            .filter(|s| s.open)
            .map(|s| s.school.clone())
            .collect(),
        pupils,
        zones,
        state.districts.clone(),
        state.roads.clone(),
    )?;
    Ok((city, to_city))
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use geo::{polygon, MultiPolygon, Point};
    use xuewei_core::city::{RecordError, RecordErrors, RecordKind, School};
    use xuewei_core::{Sector, Stage};

    use super::*;

    /// One primary school in one square zone, no pupils.
    fn state() -> CityState {
        let school = School {
            id: "S".into(),
            name: "S".into(),
            stage: Stage::Primary,
            sector: Sector::Public,
            location: Point::new(113.605, 34.745),
            entry_classes: 1,
            district: None,
            seats: None,
        };
        let square = polygon![(x: 113.60, y: 34.74), (x: 113.61, y: 34.74), (x: 113.61, y: 34.75), (x: 113.60, y: 34.75)];
        let zone = Zone {
            id: "Z".into(),
            stage: Stage::Primary,
            schools: vec![0],
            district: None,
            geometry: MultiPolygon(vec![square]),
        };
        let city = City::new(vec![school], Vec::new(), vec![zone], Vec::new(), None)
            .expect("a valid city");
        CityState::from_city(&city, &[], Vec::new()).expect("a valid state")
    }

    /// A year's city that fails validation is reported with the city's own typed problems
    /// as the source, each naming the record and field, and the year in the message.
    #[test]
    fn a_year_city_that_fails_validation_carries_its_record_errors() {
        let mut state = state();
        assert!(admit(&mut state, Vec::new(), 2020, 7).is_ok());
        let repeat = state.zones[0].clone();
        state.zones.push(repeat);
        let e = admit(&mut state, Vec::new(), 2021, 7)
            .err()
            .expect("a zone id used twice");
        let duplicate = RecordError::DuplicateId {
            kind: RecordKind::Zone,
            index: 1,
            first: 0,
            id: "Z".into(),
        };
        match &e {
            ScenarioError::City { year, source } => {
                assert_eq!(*year, 2021);
                assert_eq!(source.errors(), std::slice::from_ref(&duplicate));
            }
            other => panic!("expected a city error, got {other:?}"),
        }
        let source = e.source().and_then(|s| s.downcast_ref::<RecordErrors>());
        assert_eq!(source.map(RecordErrors::errors), Some(&[duplicate][..]));
        assert_eq!(
            e.to_string(),
            "year 2021: 1 problem in the city\n  \
             zone \"Z\" at position 1: field \"id\": already used at position 0"
        );
    }
}
