//! Assigning every entering pupil of a city (就近入学).
//!
//! For each stage, independently (stages run in parallel), one module per step:
//!
//! 1. **Private schools** (民办, `private`) admit first, by lottery among the pupils who
//!    list them (deferred acceptance over the pupils' private choices, all applicants
//!    tied); an admitted pupil leaves the public pool.
//! 2. **Catchment** (划片, `catchment`): each home is located in a zone of its stage.
//!    Single-school zones seat their pupils at the zone's school in priority order up to its
//!    seats; multi-school zones (多校划片) let families rank the zone's schools (their
//!    `preferences`, then the zone's other schools nearest first) and fill seats by deferred
//!    acceptance with a seeded lottery within priority tiers (电脑派位). One deferred
//!    acceptance over the whole stage does both.
//! 3. **Overflow** (统筹, `district_overflow`): pupils without a seat in their zone go to
//!    public schools of their stage with free seats, minimising total travel distance: first
//!    within their own school district (学区), then in adjacent districts (zones that touch),
//!    then anywhere. Whoever is left is **unplaced**, with the reason.
//! 4. **Measures** (`measures`): distances and the stage's summary; once every stage is
//!    done, the entering grade's classes at each school and their measures (大班额, 超大班额).
//!
//! Seats follow the class policy of the stage, its [`SeatRule`]: `standard` (entry classes ×
//! the standard class size, or the `seats` column), `cap:N` (entry classes × N, or the
//! `seats` column), or `guarantee` (every catchment pupil is admitted to a zone school
//! whatever the class size: pupils the zone's seats cannot hold join the zone school where
//! they raise the class size least).

mod catchment;
mod district_overflow;
mod measures;
pub(crate) mod params;
pub(crate) mod placement;
mod private;
mod stage;

use rayon::prelude::*;

use self::stage::{Metric, Seating, StageInput, StageResult};
use super::conservation::check_city;
use super::City;
use crate::class_size::SeatRule;
use crate::conservation::ConservationError;
use crate::model::{Sector, Stage};

pub use self::params::AssignParams;
pub use self::placement::{CityAssignment, Draw, How, Placement, StageSummary, UnplacedReason};

/// Assigns every pupil of the city (see the module docs). Deterministic for a given city,
/// parameters and seed, whatever the number of threads.
///
/// Complexity per stage: O(n log z) to locate n homes among z zones, the deferred acceptance
/// over the zone lists, and the overflow solver on the pupils left over.
///
/// # Errors
///
/// [`ConservationError`] if the result does not account for every pupil exactly once (see
/// [`check_city`]): a defect, never an input problem.
pub fn assign(city: &City, params: &AssignParams) -> Result<CityAssignment, ConservationError> {
    let metric = Metric::new(city);
    let seats: Vec<u32> = city
        .schools
        .iter()
        .map(|s| {
            let policy = match (params.policy_of(s.stage), s.sector) {
                (SeatRule::Guarantee, Sector::Private) => SeatRule::Standard,
                (p, _) => p,
            };
            policy.seats(s.entry_classes, s.seats, s.stage, &params.class_sizes)
        })
        .collect();
    let results: Vec<StageResult> = Stage::ALL
        .par_iter()
        .map(|&stage| assign_stage(&StageInput::new(city, params, &metric, &seats, stage)))
        .collect();
    let mut placements = vec![
        Placement {
            school: None,
            how: How::Unplaced,
            distance_m: None,
            zone: None,
            reason: None,
        };
        city.pupils.len()
    ];
    let mut placed = vec![0u32; city.schools.len()];
    let mut stages = Vec::new();
    let mut draws = Vec::new();
    let mut times = vec![0u8; city.pupils.len()];
    for r in results {
        for (p, placement) in r.placements {
            if let Some(s) = placement.school {
                placed[s as usize] += 1;
            }
            times[p as usize] = times[p as usize].saturating_add(1);
            placements[p as usize] = placement;
        }
        if r.summary.pupils > 0 || r.summary.seats > 0 {
            stages.push((r.stage, r.summary));
        }
        draws.extend(r.draws);
    }
    let classes = measures::classes(city, params, &placed, &mut stages);
    if let Some(p) = times.iter().position(|&t| t != 1) {
        return Err(ConservationError::Repeated {
            pupil: city.pupils[p].id.clone(),
            times: usize::from(times[p]),
        });
    }
    let result = CityAssignment {
        placements,
        seats,
        placed,
        classes,
        stages,
        draws,
        seed: params.seed,
    };
    check_city(city, params, &result)?;
    Ok(result)
}

/// The four steps of one stage (see the module docs).
fn assign_stage(input: &StageInput<'_>) -> StageResult {
    let mut seating = Seating::new(input.pupils.len(), input.city.schools.len());
    let mut summary = StageSummary {
        pupils: input.pupils.len(),
        seats: input
            .private
            .iter()
            .chain(&input.public)
            .map(|&s| u64::from(input.seats[s as usize]))
            .sum(),
        ..StageSummary::default()
    };
    let mut draws = Vec::new();
    draws.extend(private::admit(input, &mut seating));
    let homes = catchment::locate(input, &mut summary);
    draws.push(catchment::admit(input, &homes, &mut seating, &mut summary));
    district_overflow::place(input, &homes, &mut seating);
    measures::stage_result(input, &homes, &seating, summary, draws)
}
