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
        year_city(state, pupils).map_err(|e| ScenarioError::City(format!("year {year}: {e}")))?;
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
