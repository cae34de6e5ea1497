//! The city loaders on raw text: `xuewei_io::city::parse` over `schools.csv`, `pupils.csv`,
//! `zones.geojson` and `roads.geojson`, plus a priority-rules JSON (`xuewei assign --rules`).
//!
//! Input: UTF-8 text cut at NUL characters into the five files, in that order (a missing or
//! empty roads section means no roads; a missing or malformed rules section means the
//! default rules).
//!
//! Checks: no panic on any text; a rejected city reports at least one problem, each naming
//! its file; an accepted city keeps every promise of `City`
//! (`xuewei_testkit::oracle::city_valid`); when it is small, `assign` places every pupil
//! exactly once or leaves them unplaced with a reason
//! (`xuewei_testkit::oracle::check_city_assignment`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use xuewei_core::city::AssignParams;
use xuewei_fuzz::check;
use xuewei_io::city::{parse, rules, CityFiles};
use xuewei_io::LoadError;
use xuewei_testkit::oracle;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split('\0');
    let mut next = || parts.next().unwrap_or("");
    let (schools, pupils, zones, roads, rules) = (next(), next(), next(), next(), next());
    let files = CityFiles {
        schools: ("schools.csv", schools),
        pupils: ("pupils.csv", pupils),
        zones: ("zones.geojson", zones),
        roads: (!roads.is_empty()).then_some(("roads.geojson", roads)),
    };
    let city = match parse(&files) {
        Ok(city) => city,
        Err(errors) => {
            assert!(!errors.0.is_empty(), "rejected without a reason");
            for e in &errors.0 {
                let file = match e {
                    LoadError::Syntax { file, .. }
                    | LoadError::NoHeader { file, .. }
                    | LoadError::RepeatedColumn { file, .. }
                    | LoadError::ExtraFields { file, .. }
                    | LoadError::NotFeatureCollection { file, .. }
                    | LoadError::MissingColumn { file, .. }
                    | LoadError::Field { file, .. }
                    | LoadError::Geometry { file, .. }
                    | LoadError::Roads { file, .. }
                    | LoadError::Record { file, .. }
                    | LoadError::DuplicateId { file, .. } => file,
                    _ => continue,
                };
                assert!(!file.is_empty(), "an error names no file: {e}");
            }
            let _ = errors.to_string();
            return;
        }
    };
    check(oracle::city_valid(&city));
    let vertices: usize = city
        .zones()
        .iter()
        .flat_map(|z| &z.geometry.0)
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum();
    if city.pupils().len() > 200
        || city.schools().len() > 30
        || city.zones().len() > 30
        || vertices > 2000
        || city.roads().is_some_and(|r| r.n_nodes() > 500)
    {
        return;
    }
    let mut params = AssignParams::default().seed(data.len() as u64);
    if let Ok(rules) = rules::parse("rules.json", rules) {
        assert_eq!(rules.n_tiers() as usize, rules.tiers.len() + 1);
        for p in city.pupils() {
            for s in 0..city.schools().len() as u32 {
                assert!(rules.tier(p, s) < rules.n_tiers());
            }
        }
        params = params.rules(rules);
    }
    check(oracle::check_city_assignment(&city, &params));
});
