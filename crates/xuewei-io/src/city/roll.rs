//! Whole-school rolls (`roll.csv`): `school_id,grade,pupils,classrooms` and optionally
//! `stage` and `district` (taken from the schools file of an assignment when absent); and
//! an assignment's `schools.csv` read back as the entering grade of a roll.

use std::collections::HashMap;
use std::path::Path;

use xuewei_core::city::roll::{RollRow, SchoolInfo};
use xuewei_core::city::City;
use xuewei_core::model::UnknownStage;
use xuewei_core::{Problems, Stage};

use super::records::CsvTable;
use crate::error::{Error, LoadError, LoadErrors, Place};
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
        let mut bad = |field: &str, value: &str, problem: &str| {
            errors.push(LoadError::Field {
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
        return Err(syntax(
            None,
            "not an xuewei assign schools.csv (needs school_id, stage, district, entry_classes, placed)"
                .to_owned(),
        ));
    };
    let mut known = HashMap::new();
    let mut entering = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let r = record.map_err(|e| syntax(None, e.to_string()))?;
        let line = i as u64 + 2;
        let field = |k: usize| r.get(k).unwrap_or("");
        let stage: Stage = field(i_stage)
            .parse()
            .map_err(|e: UnknownStage| syntax(Some(line), e.to_string()))?;
        let number = |k: usize, what: &str| -> Result<u32, LoadError> {
            field(k).parse().map_err(|_| LoadError::Field {
                file: file.clone(),
                place: Place::Line(line),
                field: what.to_owned(),
                value: format!("\"{}\"", field(k)),
                problem: "is not a count".to_owned(),
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
    }
}
