//! The map of a scenario report: the first run's final city, with the last year's figures
//! per school and zone and its overflow flows.

use xuewei_core::city::How;
use xuewei_core::Stage;
use xuewei_scenario::run::YearResult;
use xuewei_scenario::state::STAGES;
use xuewei_scenario::{CityState, FinalCity};

use crate::assign::group_flows;
use crate::map::{MapData, MapSchool, MapZone, Status};

/// The map's layers from a run's final city and its last year.
pub(super) fn map_data(state: &FinalCity, base: &CityState, last: &YearResult) -> MapData {
    let district = |d: Option<u32>| {
        d.and_then(|d| state.districts.get(d as usize))
            .cloned()
            .unwrap_or_default()
    };
    let schools: Vec<MapSchool> = state
        .schools
        .iter()
        .enumerate()
        .map(|(i, ss)| {
            let s = &ss.school;
            let year = last
                .schools
                .get(i)
                .filter(|y| y.id == s.id)
                .or_else(|| last.schools.iter().find(|y| y.id == s.id))
                .cloned()
                .unwrap_or_default();
            let before = base.school(&s.id).map(|j| &base.schools[j].school);
            let (status, moved_from) = match before {
                None => (Status::New, None),
                Some(_) if !ss.open => (Status::Closed, None),
                Some(b) if b.location != s.location => (Status::Relocated, Some(b.location)),
                Some(b) if b.entry_classes != s.entry_classes => (Status::Expanded, None),
                Some(_) => (Status::Existing, None),
            };
            MapSchool {
                id: s.id.clone(),
                name: s.name.clone(),
                stage: s.stage,
                sector: s.sector,
                district: district(s.district),
                location: s.location,
                moved_from,
                status,
                entry_classes: s.entry_classes,
                seats: year.seats,
                placed: year.placed,
                roll: Some(year.roll),
                classes: year.classes,
                large_classes: year.large_classes,
                super_large_classes: year.super_large_classes,
                largest_class: year.largest_class,
            }
        })
        .collect();
    let zones: Vec<MapZone> = state
        .zones
        .iter()
        .map(|z| MapZone::shaded(z, district(z.district), &schools))
        .collect();
    // Overflow flows of the last year, grouped by home zone.
    let flows = group_flows(
        last.entrants
            .iter()
            .filter(|e| e.how == How::Overflow)
            .filter_map(|e| {
                let id = e.school.as_ref()?;
                let at = schools.iter().find(|s| &s.id == id)?.location;
                let zone = e
                    .zone
                    .and_then(|z| state.zones.get(z as usize))
                    .map(|z| z.id.clone())
                    .unwrap_or_default();
                Some((e.stage, zone, e.home, id.clone(), at))
            }),
    );
    MapData {
        zones,
        schools,
        flows,
    }
}

pub(super) fn map_stages(map: &MapData) -> Vec<Stage> {
    STAGES
        .iter()
        .copied()
        .filter(|s| map.schools.iter().any(|x| x.stage == *s))
        .collect()
}

pub(super) const MAP_CAPTION: &str = "The city after the plan's edits, figures of the last simulated year (first replication). Zones of the selected stage shaded by the entering grade's seat utilisation (or the share of classes of all grades with 56+ pupils); schools sized by seats; green ring = built by the plan, orange = relocated (dashed circle: old site), blue = expanded, grey cross = closed; purple lines: overflow pupils (统筹) from their home zone to the school that took them. Hover for figures.";
