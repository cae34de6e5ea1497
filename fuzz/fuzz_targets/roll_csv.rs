//! `roll.csv` (`xuewei_io::city::roll::parse`) and the class measures of a roll
//! (`measure_roll`).
//!
//! Input: the first byte chooses whether the schools of `fixtures/city-small` are known (stage and
//! district from elsewhere, as `xuewei classes --placements` gives them); the rest is the
//! CSV text.
//!
//! Checks: no panic; a rejected roll reports at least one problem; an accepted roll has a
//! school id on every row, grades within the stage's range, each (school, grade) once, the
//! stage from the row or the known schools; its measures add up: the schools', the stages'
//! (and, when every row has a district, the districts') totals equal the city's, the classes
//! seat every pupil of a grade with a classroom, and the class counts agree.
#![no_main]

use std::collections::{HashMap, HashSet};

use libfuzzer_sys::fuzz_target;
use xuewei_core::city::roll::{measure_roll, SchoolInfo};
use xuewei_core::class_size::ClassMeasures;
use xuewei_core::{ClassSizeStandard, Stage};
use xuewei_io::city::roll;

fn sum<'a>(it: impl Iterator<Item = &'a ClassMeasures>) -> ClassMeasures {
    let mut total = ClassMeasures::default();
    for m in it {
        total.add(m);
    }
    total
}

fuzz_target!(|data: &[u8]| {
    let Some((&flag, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut known = HashMap::new();
    if flag & 1 == 1 {
        for (id, stage, district) in [
            ("PA", Stage::Primary, Some("D1")),
            ("PB1", Stage::Primary, None),
            ("PC", Stage::Primary, Some("D2")),
            ("J1", Stage::Junior, Some("D1")),
            ("J2", Stage::Junior, Some("D2")),
            ("H1", Stage::Senior, None),
            ("K1", Stage::Kindergarten, Some("D1")),
        ] {
            known.insert(
                id.to_owned(),
                SchoolInfo {
                    stage,
                    district: district.map(str::to_owned),
                },
            );
        }
    }
    let rows = match roll::parse(("roll.csv", text), &known) {
        Ok(rows) => rows,
        Err(errors) => {
            assert!(!errors.0.is_empty(), "rejected without a reason");
            let _ = errors.to_string();
            return;
        }
    };
    let mut seen = HashSet::new();
    for r in &rows {
        assert!(!r.school.is_empty(), "row without a school");
        assert!(
            (1..=r.stage.grades()).contains(&r.grade),
            "grade {} of {}",
            r.grade,
            r.stage
        );
        assert!(
            seen.insert((r.school.as_str(), r.grade)),
            "{} grade {} twice",
            r.school,
            r.grade
        );
        if let Some(info) = known.get(&r.school) {
            assert!(r.district.is_some() || info.district.is_none());
        }
    }
    // Totals far beyond any city would only make the loops below slow.
    if rows.iter().any(|r| r.pupils > 1_000_000) {
        return;
    }
    let report = measure_roll(&rows, &ClassSizeStandard::default());
    assert_eq!(report.grades.len(), rows.len());
    assert_eq!(
        sum(report.schools.values()),
        report.city,
        "schools add up to the city"
    );
    assert_eq!(
        sum(report.stages.values()),
        report.city,
        "stages add up to the city"
    );
    if rows.iter().all(|r| r.district.is_some()) {
        assert_eq!(
            sum(report.districts.values()),
            report.city,
            "districts add up"
        );
    }
    let mut pupils = 0u64;
    let mut classes = 0u64;
    for (row, g) in &report.grades {
        assert_eq!(
            g.pupils() + u64::from(g.without_classroom),
            u64::from(row.pupils)
        );
        assert!(g.count <= row.classrooms, "more classes than classrooms");
        assert_eq!(
            g.without_classroom > 0,
            row.classrooms == 0 && row.pupils > 0
        );
        pupils += u64::from(row.pupils);
        classes += u64::from(g.count);
    }
    let city = &report.city;
    assert_eq!(
        city.pupils_in_classes + city.pupils_without_classroom,
        pupils
    );
    assert_eq!(city.classes, classes);
    assert!(city.super_large_classes <= city.large_classes);
    assert!(city.large_classes <= city.classes);
});
