//! Whole-school rolls (`roll.csv`): every grade of every school, so the plan's class-size
//! ratios cover all grades as the plan counts them.
//!
//! `roll.csv` has `school_id,grade,pupils,classrooms` and optionally `stage` and `district`
//! (taken from the schools file of an assignment when absent). Grade 1 is the entering
//! grade of the school's stage.

use std::collections::{BTreeMap, HashMap};

use super::load::{CityError, CityErrors, Place};
use super::records::CsvTable;
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

/// Reads `roll.csv`. Stage and district come from the row, else from `known`.
///
/// # Errors
/// Missing columns, bad numbers, grades out of the stage's range, unknown stage, a school
/// and grade given twice — all at once, naming the line.
pub fn read_roll(
    (file, text): (&str, &str),
    known: &HashMap<String, SchoolInfo>,
) -> Result<Vec<RollRow>, CityErrors> {
    let mut errors = Vec::new();
    let Some(table) = CsvTable::read(
        (file, text),
        &["school_id", "grade", "pupils", "classrooms"],
        &mut errors,
    ) else {
        return Err(CityErrors(errors));
    };
    let mut rows = Vec::new();
    let mut seen: HashMap<(String, u32), u64> = HashMap::new();
    for row in table.rows() {
        let line = row.line();
        let get = |column: &str| table.get(row, column);
        let mut bad = |field: &str, value: &str, problem: &str| {
            errors.push(CityError::Field {
                file: file.to_owned(),
                place: Place::Line(line),
                field: field.to_owned(),
                value: format!("\"{value}\""),
                problem: problem.to_owned(),
            });
        };
        let school = get("school_id").to_owned();
        if school.is_empty() {
            bad("school_id", "", "is empty");
            continue;
        }
        let mut number = |field: &str, v: &str| match v.parse::<u32>() {
            Ok(x) => Some(x),
            Err(_) => {
                bad(field, v, "is not a non-negative integer");
                None
            }
        };
        let grade = number("grade", get("grade"));
        let pupils = number("pupils", get("pupils"));
        let classrooms = number("classrooms", get("classrooms"));
        let info = known.get(&school);
        let stage = match Some(get("stage")).filter(|s| !s.is_empty()) {
            Some(s) => match s.parse::<Stage>() {
                Ok(st) => Some(st),
                Err(_) => {
                    bad("stage", s, "is not kindergarten, primary, junior or senior");
                    None
                }
            },
            None => match info {
                Some(i) => Some(i.stage),
                None => {
                    bad(
                        "stage",
                        "",
                        "is unknown: add a stage column or give the assignment's schools",
                    );
                    None
                }
            },
        };
        let district = Some(get("district").to_owned())
            .filter(|d| !d.is_empty())
            .or_else(|| info.and_then(|i| i.district.clone()));
        let (Some(grade), Some(pupils), Some(classrooms), Some(stage)) =
            (grade, pupils, classrooms, stage)
        else {
            continue;
        };
        if grade == 0 || grade > stage.grades() {
            bad(
                "grade",
                &grade.to_string(),
                &format!("is outside 1..={} for a {stage} school", stage.grades()),
            );
            continue;
        }
        if let Some(first) = seen.insert((school.clone(), grade), line) {
            bad(
                "grade",
                &grade.to_string(),
                &format!("is given twice for school \"{school}\" (first at line {first})"),
            );
            continue;
        }
        rows.push(RollRow {
            school,
            grade,
            pupils,
            classrooms,
            stage,
            district,
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(CityErrors(errors))
    }
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
        let roll = "school_id,grade,pupils,classrooms,stage,district\n\
                    A,1,130,2,primary,D1\nA,2,90,2,primary,D1\nB,1,140,2,primary,D2\n\
                    C,1,150,3,junior,D1\nC,2,0,3,junior,D1\n";
        let rows = read_roll(("roll.csv", roll), &HashMap::new()).expect("valid roll");
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

    #[test]
    fn bad_rows_are_reported_with_their_lines() {
        let roll = "school_id,grade,pupils,classrooms\nA,1,x,2\nB,7,10,1\n";
        let mut known = HashMap::new();
        known.insert(
            "B".to_owned(),
            SchoolInfo {
                stage: Stage::Junior,
                district: None,
            },
        );
        let err = read_roll(("roll.csv", roll), &known).expect_err("bad roll");
        let text = err.to_string();
        assert!(text.contains("roll.csv line 2: pupils \"x\""), "{text}");
        assert!(text.contains("roll.csv line 2: stage"), "{text}");
        assert!(
            text.contains("roll.csv line 3: grade \"7\" is outside 1..=3"),
            "{text}"
        );
    }
}
