//! Whole-school rolls: every grade of every school, so the plan's class-size ratios cover
//! all grades as the plan counts them. Grade 1 is the entering grade of the school's stage.
//! (`roll.csv` is read by `xuewei-io`.)

use std::collections::BTreeMap;

use crate::class_size::{form_classes, ClassMeasures, ClassSizeStandard, GradeClasses};
use crate::model::Stage;

/// One row of a roll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RollRow {
    /// School id.
    pub school: String,
    /// Grade within the stage (1 = entering grade).
    pub grade: u32,
    /// Pupils in the grade.
    pub pupils: u32,
    /// Classrooms the grade has.
    pub classrooms: u32,
    /// The school's stage.
    pub stage: Stage,
    /// The school's district (学区), if known.
    pub district: Option<String>,
}

/// What is known of a school from elsewhere (an assignment's `schools.csv`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolInfo {
    /// Stage.
    pub stage: Stage,
    /// District.
    pub district: Option<String>,
}

/// Classes and measures of a whole roll.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RollReport {
    /// Every grade's classes, in row order.
    pub grades: Vec<(RollRow, GradeClasses)>,
    /// Per school, by id.
    pub schools: BTreeMap<String, ClassMeasures>,
    /// Per district (学区), by name.
    pub districts: BTreeMap<String, ClassMeasures>,
    /// Per stage.
    pub stages: BTreeMap<Stage, ClassMeasures>,
    /// The whole city.
    pub city: ClassMeasures,
}

/// Forms the classes of every grade at the standard size and adds the measures up.
#[must_use]
pub fn measure_roll(rows: &[RollRow], sizes: &ClassSizeStandard) -> RollReport {
    let mut report = RollReport::default();
    for row in rows {
        let standard = sizes.standard(row.stage);
        let g = form_classes(row.pupils, row.classrooms, standard);
        let m = ClassMeasures::of_grade(&g, row.classrooms, standard, sizes);
        report
            .schools
            .entry(row.school.clone())
            .or_default()
            .add(&m);
        if let Some(d) = &row.district {
            report.districts.entry(d.clone()).or_default().add(&m);
        }
        report.stages.entry(row.stage).or_default().add(&m);
        report.city.add(&m);
        report.grades.push((row.clone(), g));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Measures add up: school totals, district totals and stage totals each sum to the city.
    #[test]
    fn measures_add_up_from_class_to_city() {
        let row = |school: &str, grade, pupils, classrooms, stage, district: &str| RollRow {
            school: school.to_owned(),
            grade,
            pupils,
            classrooms,
            stage,
            district: Some(district.to_owned()),
        };
        let rows = [
            row("A", 1, 130, 2, Stage::Primary, "D1"),
            row("A", 2, 90, 2, Stage::Primary, "D1"),
            row("B", 1, 140, 2, Stage::Primary, "D2"),
            row("C", 1, 150, 3, Stage::Junior, "D1"),
            row("C", 2, 0, 3, Stage::Junior, "D1"),
        ];
        let r = measure_roll(&rows, &ClassSizeStandard::default());
        let sum = |it: &mut dyn Iterator<Item = &ClassMeasures>| {
            let mut t = ClassMeasures::default();
            for m in it {
                t.add(m);
            }
            t
        };
        assert_eq!(sum(&mut r.schools.values()), r.city);
        assert_eq!(sum(&mut r.districts.values()), r.city);
        assert_eq!(sum(&mut r.stages.values()), r.city);
        let classes: u64 = r.grades.iter().map(|(_, g)| u64::from(g.count)).sum();
        assert_eq!(classes, r.city.classes);
        // A1: 65+65, A2: 45+45, B1: 70+70, C1: 50+50+50 → 9 classes, 4 large, 2 super-large.
        assert_eq!(r.city.classes, 9);
        assert_eq!(r.city.large_classes, 4);
        assert_eq!(r.city.super_large_classes, 2);
        assert_eq!(r.city.pupils_in_classes, 510);
    }
}
