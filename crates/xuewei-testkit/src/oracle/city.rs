//! The city layer: what a validated city promises, and what its assignment must satisfy.

use std::collections::HashSet;

use xuewei_core::city::{assign, AssignParams, City, CityAssignment, How};
use xuewei_core::{SeatRule, Sector};

/// What a validated [`City`] promises: ids unique and not empty; every school, zone and
/// district index in range; pupils list only schools of their stage, once each; zones serve
/// public schools of their own stage, once each; coordinates on the globe; scores finite and
/// not negative.
///
/// # Errors
/// The first promise broken, naming the record.
pub fn city_valid(city: &City) -> Result<(), String> {
    let m = city.schools().len();
    let nd = city.districts().len();
    let mut ids = HashSet::new();
    for s in city.schools() {
        ensure!(ids.insert(s.id.as_str()), "school id {} twice", s.id);
        ensure!(!s.id.is_empty(), "empty school id");
        ensure!(
            s.location.x().abs() <= 180.0 && s.location.y().abs() <= 90.0,
            "school {} off the globe: {:?}",
            s.id,
            s.location
        );
        ensure!(
            s.district.is_none_or(|d| (d as usize) < nd),
            "school {}: district index {:?} of {nd}",
            s.id,
            s.district
        );
    }
    let mut ids = HashSet::new();
    for p in city.pupils() {
        ensure!(ids.insert(p.id.as_str()), "pupil id {} twice", p.id);
        ensure!(!p.id.is_empty(), "empty pupil id");
        ensure!(
            p.home.x().abs() <= 180.0 && p.home.y().abs() <= 90.0,
            "pupil {} off the globe: {:?}",
            p.id,
            p.home
        );
        ensure!(
            p.sibling_school.is_none_or(|s| (s as usize) < m),
            "pupil {}: sibling school index {:?} of {m}",
            p.id,
            p.sibling_school
        );
        ensure!(
            p.score.is_none_or(|x| x.is_finite() && x >= 0.0),
            "pupil {}: score {:?}",
            p.id,
            p.score
        );
        for (k, &s) in p.preferences.iter().enumerate() {
            ensure!((s as usize) < m, "pupil {} lists school index {s}", p.id);
            ensure_eq!(
                city.schools()[s as usize].stage,
                p.stage,
                "pupil {} lists a school of another stage",
                p.id
            );
            ensure!(
                !p.preferences[..k].contains(&s),
                "pupil {} lists a school twice",
                p.id
            );
        }
    }
    let mut ids = HashSet::new();
    for z in city.zones() {
        ensure!(ids.insert(z.id.as_str()), "zone id {} twice", z.id);
        ensure!(!z.id.is_empty(), "empty zone id");
        ensure!(
            z.district.is_none_or(|d| (d as usize) < nd),
            "zone {}: district index {:?} of {nd}",
            z.id,
            z.district
        );
        for (k, &s) in z.schools.iter().enumerate() {
            ensure!((s as usize) < m, "zone {} lists school index {s}", z.id);
            let school = &city.schools()[s as usize];
            ensure_eq!(school.stage, z.stage, "zone {}: school's stage", z.id);
            ensure_eq!(
                school.sector,
                Sector::Public,
                "zone {}: school's sector",
                z.id
            );
            ensure!(
                !z.schools[..k].contains(&s),
                "zone {} lists a school twice",
                z.id
            );
        }
    }
    Ok(())
}

/// Assigns `city` with `params` and checks the result: one placement per pupil; a
/// placement has a school exactly when it is not `Unplaced`, and that school is of the
/// pupil's stage; private places only at private schools the pupil listed; zone and lottery
/// places only at a school of the pupil's zone (one school for `zone`, several for
/// `lottery`), the zone of the pupil's stage; overflow places only at public schools, with a
/// reason; every unplaced pupil has a reason, and no public school of their stage has a free
/// seat (overflow places as many as possible); distances finite and not negative exactly
/// for placed pupils; per-school counts match the placements; no school over its seats
/// except public ones under `guarantee`; classes seat exactly the school's pupils; the stage
/// summaries add up; every published draw orders distinct pupils of its stage; the same
/// inputs give the same placements; `placements.csv` has a row per pupil.
///
/// # Errors
/// The conservation error of `assign`, or the first check that fails.
pub fn check_city_assignment(city: &City, params: &AssignParams) -> Result<(), String> {
    let result = assign(city, params).map_err(|e| format!("conservation: {e}"))?;
    let schools = city.schools();
    let pupils = city.pupils();
    ensure_eq!(
        result.placements.len(),
        pupils.len(),
        "one placement per pupil"
    );
    ensure_eq!(result.seats.len(), schools.len(), "seats per school");
    ensure_eq!(result.placed.len(), schools.len(), "placed per school");
    ensure_eq!(result.classes.len(), schools.len(), "classes per school");
    let mut placed = vec![0u32; schools.len()];
    for (p, pl) in pupils.iter().zip(&result.placements) {
        ensure_eq!(
            pl.school.is_some(),
            pl.how != How::Unplaced,
            "pupil {}: {pl:?}",
            p.id
        );
        ensure_eq!(
            pl.school.is_some(),
            pl.distance_m.is_some(),
            "pupil {}: {pl:?}",
            p.id
        );
        if let Some(d) = pl.distance_m {
            ensure!(d.is_finite() && d >= 0.0, "pupil {}: distance {d}", p.id);
        }
        let zone = pl.zone.map(|z| &city.zones()[z as usize]);
        if let Some(z) = zone {
            ensure_eq!(
                z.stage,
                p.stage,
                "pupil {} located in a zone of another stage",
                p.id
            );
        }
        match (pl.how, pl.school) {
            (How::Unplaced, _) => {
                ensure!(
                    pl.reason.is_some(),
                    "pupil {} unplaced without a reason",
                    p.id
                );
            }
            (How::Private, Some(s)) => {
                ensure_eq!(
                    schools[s as usize].sector,
                    Sector::Private,
                    "pupil {}",
                    p.id
                );
                ensure!(p.preferences.contains(&s), "pupil {} did not list it", p.id);
            }
            (How::Zone | How::Lottery, Some(s)) => {
                let Some(z) = zone else {
                    return Err(format!("pupil {}: a zone place without a zone", p.id));
                };
                ensure!(
                    z.schools.contains(&s),
                    "pupil {} placed outside their zone",
                    p.id
                );
                ensure_eq!(
                    pl.how == How::Lottery,
                    z.schools.len() > 1,
                    "pupil {}: lottery exactly in a multi-school zone",
                    p.id
                );
            }
            (How::Overflow, Some(s)) => {
                ensure_eq!(schools[s as usize].sector, Sector::Public, "pupil {}", p.id);
                ensure!(
                    pl.reason.is_some(),
                    "overflow pupil {} without a reason",
                    p.id
                );
            }
            (how, None) => return Err(format!("pupil {}: {how:?} without a school", p.id)),
        }
        if let Some(s) = pl.school {
            ensure_eq!(
                schools[s as usize].stage,
                p.stage,
                "pupil {} at another stage",
                p.id
            );
            placed[s as usize] += 1;
        }
    }
    ensure_eq!(placed, result.placed, "per-school counts");
    for (i, s) in schools.iter().enumerate() {
        let guarantee = params.policy_of(s.stage) == SeatRule::Guarantee;
        if !(guarantee && s.sector == Sector::Public) {
            ensure!(
                placed[i] <= result.seats[i],
                "school {} holds {} for {} seats",
                s.id,
                placed[i],
                result.seats[i]
            );
        }
        let c = &result.classes[i];
        ensure_eq!(
            c.pupils() + u64::from(c.without_classroom),
            u64::from(placed[i]),
            "classes of {}",
            s.id
        );
    }
    for (p, pl) in pupils.iter().zip(&result.placements) {
        if pl.how == How::Unplaced {
            for (i, s) in schools.iter().enumerate() {
                if s.stage == p.stage && s.sector == Sector::Public {
                    ensure!(
                        placed[i] >= result.seats[i],
                        "pupil {} unplaced while {} has a free seat",
                        p.id,
                        s.id
                    );
                }
            }
        }
    }
    for (stage, summary) in &result.stages {
        let of_stage: Vec<_> = pupils
            .iter()
            .zip(&result.placements)
            .filter(|(p, _)| p.stage == *stage)
            .collect();
        ensure_eq!(summary.pupils, of_stage.len(), "{stage}: pupils");
        ensure_eq!(
            summary.placed + summary.unplaced,
            summary.pupils,
            "{stage}: placed + unplaced"
        );
        ensure_eq!(
            summary.zone + summary.lottery + summary.overflow + summary.private,
            summary.placed,
            "{stage}: placed by how"
        );
        let count = |how: How| of_stage.iter().filter(|(_, pl)| pl.how == how).count();
        ensure_eq!(summary.unplaced, count(How::Unplaced), "{stage}: unplaced");
        ensure_eq!(summary.overflow, count(How::Overflow), "{stage}: overflow");
        ensure!(
            summary.admitted_beyond_standard <= summary.placed,
            "{stage}: {} admitted beyond the standard of {} placed",
            summary.admitted_beyond_standard,
            summary.placed
        );
        let at_stage: u64 = schools
            .iter()
            .zip(&placed)
            .filter(|(s, _)| s.stage == *stage)
            .map(|(_, &n)| u64::from(n))
            .sum();
        ensure_eq!(
            summary.classes.pupils_in_classes + summary.classes.pupils_without_classroom,
            at_stage,
            "{stage}: classes"
        );
        ensure!(
            summary.mean_distance_m.is_finite() && summary.max_distance_m.is_finite(),
            "{stage}: distances {} (mean) and {} (max)",
            summary.mean_distance_m,
            summary.max_distance_m
        );
    }
    for draw in &result.draws {
        let mut seen = HashSet::new();
        for &p in &draw.order {
            ensure!((p as usize) < pupils.len(), "draw names pupil index {p}");
            ensure_eq!(
                pupils[p as usize].stage,
                draw.stage,
                "draw of another stage"
            );
            ensure!(seen.insert(p), "draw names pupil {p} twice");
        }
    }
    let again = assign(city, params).map_err(|e| format!("conservation, again: {e}"))?;
    ensure_eq!(
        again.placements,
        result.placements,
        "same inputs, other placements"
    );
    let mut out = Vec::new();
    xuewei_io::city::write::placements(city, &result, &mut out)
        .map_err(|e| format!("placements.csv: {e}"))?;
    let rows = csv::Reader::from_reader(out.as_slice()).records().count();
    ensure_eq!(rows, pupils.len(), "placements.csv rows");
    Ok(())
}

/// `pupil:school:how` for every pupil of a city assignment, separated by spaces (`-` for no
/// school): a whole assignment as one line to compare with one worked by hand.
#[must_use]
pub fn placement_summary(city: &City, result: &CityAssignment) -> String {
    city.pupils()
        .iter()
        .zip(&result.placements)
        .map(|(p, pl)| {
            let school = pl
                .school
                .map_or("-", |s| city.schools()[s as usize].id.as_str());
            format!("{}:{}:{}", p.id, school, pl.how.name())
        })
        .collect::<Vec<_>>()
        .join(" ")
}
