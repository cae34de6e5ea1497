//! Whole-school rolls (`roll.csv`): `school_id,grade,pupils,classrooms` and optionally
//! `stage` and `district` (taken from the schools file of an assignment when absent); and
//! an assignment's `schools.csv` read back as the entering grade of a roll.

use std::collections::HashMap;
use std::path::Path;

use xuewei_core::city::roll::{RollRow, SchoolInfo};
use xuewei_core::city::City;
use xuewei_core::{Problems, Stage};

use super::records::CsvTable;
use crate::error::{Error, FieldProblem, LoadError, LoadErrors, Place};
use crate::text::{file_name, Reader};

/// Parses `roll.csv` (`(file name, text)`). Stage and district come from the row, else
/// from `known`.
///
/// # Errors
/// Missing columns, bad numbers, grades out of the stage's range, unknown stage, a school
/// and grade given twice — all at once, naming the line.
pub fn parse(
    (file, text): (&str, &str),
    known: &HashMap<String, SchoolInfo>,
) -> Result<Vec<RollRow>, LoadErrors> {
    let mut errors = Vec::new();
    let Some(table) = CsvTable::read(
        (file, text),
        &["school_id", "grade", "pupils", "classrooms"],
        &mut errors,
    ) else {
        return Err(Problems(errors));
    };
    let mut rows = Vec::new();
    let mut seen: HashMap<(String, u32), u64> = HashMap::new();
    for row in table.rows() {
        let line = row.line();
        let get = |column: &str| table.get(row, column);
        let mut bad = |field: &'static str, value: &str, problem: FieldProblem| {
            errors.push(LoadError::Field {
                file: file.to_owned(),
                place: Place::Line(line),
                field,
                value: format!("\"{value}\""),
                problem,
            });
        };
        let school = get("school_id").to_owned();
        if school.is_empty() {
            bad("school_id", "", FieldProblem::Empty);
            continue;
        }
        let mut number = |field: &'static str, v: &str| match v.parse::<u32>() {
            Ok(x) => Some(x),
            Err(_) => {
                bad(field, v, FieldProblem::NotNonNegativeInteger);
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
                    bad("stage", s, FieldProblem::NotStage);
                    None
                }
            },
            None => match info {
                Some(i) => Some(i.stage),
                None => {
                    bad("stage", "", FieldProblem::StageUnknown);
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
                FieldProblem::GradeOutOfRange {
                    stage,
                    grades: stage.grades(),
                },
            );
            continue;
        }
        if let Some(first) = seen.insert((school.clone(), grade), line) {
            bad(
                "grade",
                &grade.to_string(),
                FieldProblem::GradeTwice {
                    school: school.clone(),
                    first,
                },
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
        Err(Problems(errors))
    }
}

/// Reads and parses a roll; messages name it by its file name.
///
/// # Errors
/// The file cannot be read or decoded ([`Error::Load`]), or every problem [`parse`] finds
/// ([`Error::Files`]).
pub fn load(
    path: &Path,
    known: &HashMap<String, SchoolInfo>,
    reader: &Reader<'_>,
) -> Result<Vec<RollRow>, Error> {
    let text = reader.read(path)?;
    Ok(parse((&file_name(path), &text), known)?)
}

/// What a city's schools file says of each school, by id: its stage and district (学区).
#[must_use]
pub fn known_schools(city: &City) -> HashMap<String, SchoolInfo> {
    city.schools()
        .iter()
        .map(|s| {
            (
                s.id.clone(),
                SchoolInfo {
                    stage: s.stage,
                    district: s.district.map(|d| city.districts()[d as usize].clone()),
                },
            )
        })
        .collect()
}

/// Reads the `schools.csv` that `xuewei assign` writes: each school's stage and district,
/// and its entering grade (placed pupils in its entry classes) as rows of a roll.
/// Messages name the file by `path` as given.
///
/// # Errors
/// The first problem: an unreadable file, a header without `school_id`, `stage`,
/// `district`, `entry_classes` and `placed`, a malformed row, a bad stage or count.
pub fn load_assigned(
    path: &Path,
    reader: &Reader<'_>,
) -> Result<(HashMap<String, SchoolInfo>, Vec<RollRow>), LoadError> {
    let text = reader.read(path)?;
    let file = path.display().to_string();
    let syntax = |line: Option<u64>, message: String| LoadError::Syntax {
        file: file.clone(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| syntax(None, e.to_string()))?
        .clone();
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(i_id), Some(i_stage), Some(i_district), Some(i_classes), Some(i_placed)) = (
        col("school_id"),
        col("stage"),
        col("district"),
        col("entry_classes"),
        col("placed"),
    ) else {
        return Err(LoadError::NotAssignedSchools { file });
    };
    let mut known = HashMap::new();
    let mut entering = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let r = record.map_err(|e| syntax(None, e.to_string()))?;
        let line = i as u64 + 2;
        let field = |k: usize| r.get(k).unwrap_or("");
        let stage: Stage = field(i_stage).parse().map_err(|source| LoadError::Stage {
            file: file.clone(),
            line,
            source,
        })?;
        let number = |k: usize, what: &'static str| -> Result<u32, LoadError> {
            field(k).parse().map_err(|_| LoadError::Field {
                file: file.clone(),
                place: Place::Line(line),
                field: what,
                value: format!("\"{}\"", field(k)),
                problem: FieldProblem::NotCount,
            })
        };
        let district = Some(field(i_district).to_owned()).filter(|d| !d.is_empty());
        entering.push(RollRow {
            school: field(i_id).to_owned(),
            grade: 1,
            pupils: number(i_placed, "placed")?,
            classrooms: number(i_classes, "entry_classes")?,
            stage,
            district: district.clone(),
        });
        known.insert(field(i_id).to_owned(), SchoolInfo { stage, district });
    }
    Ok((known, entering))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let err = parse(("roll.csv", roll), &known).expect_err("bad roll");
        let text = err.to_string();
        assert!(text.contains("roll.csv line 2: pupils \"x\""), "{text}");
        assert!(text.contains("roll.csv line 2: stage"), "{text}");
        assert!(
            text.contains("roll.csv line 3: grade \"7\" is outside 1..=3"),
            "{text}"
        );
        let field = |line, field, value: &str, problem| LoadError::Field {
            file: "roll.csv".into(),
            place: Place::Line(line),
            field,
            value: format!("\"{value}\""),
            problem,
        };
        assert_eq!(
            err.errors(),
            [
                field(2, "pupils", "x", FieldProblem::NotNonNegativeInteger),
                field(2, "stage", "", FieldProblem::StageUnknown),
                field(
                    3,
                    "grade",
                    "7",
                    FieldProblem::GradeOutOfRange {
                        stage: Stage::Junior,
                        grades: 3,
                    }
                ),
            ]
        );
    }

    #[test]
    fn a_grade_given_twice_names_the_first_line() {
        let roll = "school_id,grade,pupils,classrooms,stage\nA,1,40,1,primary\nA,1,41,1,primary\n";
        let err = parse(("roll.csv", roll), &HashMap::new()).expect_err("grade 1 twice");
        assert_eq!(
            err.errors(),
            [LoadError::Field {
                file: "roll.csv".into(),
                place: Place::Line(3),
                field: "grade",
                value: "\"1\"".into(),
                problem: FieldProblem::GradeTwice {
                    school: "A".into(),
                    first: 2,
                },
            }]
        );
        assert_eq!(
            err.to_string(),
            "1 problem in the city files\n  roll.csv line 3: grade \"1\" is given twice for \
             school \"A\" (first at line 2)"
        );
    }

    /// An assignment's `schools.csv` read back: a file of another shape, and a row with an
    /// unknown stage, are typed errors naming the file (and the line).
    #[test]
    fn assigned_schools_errors_are_typed() {
        let dir = std::env::temp_dir().join(format!("xuewei-roll-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let path = dir.join("schools.csv");
        let load = |text: &str| {
            std::fs::write(&path, text).expect("written");
            load_assigned(&path, &Reader::default()).expect_err("not readable as assigned")
        };
        let file = path.display().to_string();
        assert_eq!(
            load("id,stage\nA,primary\n"),
            LoadError::NotAssignedSchools { file: file.clone() }
        );
        let e = load("school_id,stage,district,entry_classes,placed\nA,middle,D,1,40\n");
        assert_eq!(
            e,
            LoadError::Stage {
                file: file.clone(),
                line: 2,
                source: xuewei_core::UnknownStage("middle".into()),
            }
        );
        assert_eq!(
            e.to_string(),
            format!(
                "{file} line 2: unknown stage \"middle\" (expected kindergarten, primary, \
                 junior or senior)"
            )
        );
        std::fs::remove_dir_all(&dir).expect("removed");
    }
}
