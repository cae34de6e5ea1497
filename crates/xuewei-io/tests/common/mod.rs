//! Shared helpers of the loading tests.
#![allow(dead_code)]

use xuewei_core::city::{City, CityAssignment};

/// `pupil:school:how` for every pupil of a city assignment.
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
