//! Residential blocks (`blocks.csv`): `id,lon,lat,district,households,age_0..age_17`, with
//! the conventions of every city CSV file (`docs/formats.md`: byte-order mark,
//! free column order, unknown columns ignored, lines as an editor counts them).

use geo::Point;
use xuewei_core::Problems;
use xuewei_scenario::state::Block;

use super::records::{CsvTable, Fields, Ids};
use crate::error::LoadErrors;

/// Parses `blocks.csv` (`(file name, text)`).
///
/// # Errors
/// Every problem at once, naming the line and field: missing columns, an empty or repeated
/// id, a location out of range (or lon and lat swapped), households or children that are
/// not finite, non-negative numbers.
pub fn parse((file, text): (&str, &str)) -> Result<Vec<Block>, LoadErrors> {
    let mut required = vec!["id", "lon", "lat", "district", "households"];
    required.extend(AGE_COLUMNS);
    let mut errors = Vec::new();
    let Some(table) = CsvTable::read((file, text), &required, &mut errors) else {
        return Err(Problems(errors));
    };
    let mut ids = Ids::with_capacity(table.rows().len());
    let mut out = Vec::with_capacity(table.rows().len());
    for row in table.rows() {
        let mut f = Fields::new(file, row.place(), &mut errors);
        let id = f
            .required("id", table.get(row, "id"))
            .unwrap_or("")
            .to_owned();
        let (lon, lat) = f.lon_lat(table.get(row, "lon"), table.get(row, "lat"));
        let households = f.amount("households", table.get(row, "households"));
        let mut children = [0.0; 18];
        for (c, age) in children.iter_mut().zip(AGE_COLUMNS) {
            *c = f.amount(age, table.get(row, age));
        }
        ids.note(&id, file, row.place(), &mut errors);
        out.push(Block {
            id,
            location: Point::new(lon, lat),
            district: table.get(row, "district").to_owned(),
            households,
            children,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Problems(errors))
    }
}

/// The age columns of `blocks.csv`.
const AGE_COLUMNS: [&str; 18] = [
    "age_0", "age_1", "age_2", "age_3", "age_4", "age_5", "age_6", "age_7", "age_8", "age_9",
    "age_10", "age_11", "age_12", "age_13", "age_14", "age_15", "age_16", "age_17",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{FieldProblem, LoadError, Place};

    const AGES: &str = "age_0,age_1,age_2,age_3,age_4,age_5,age_6,age_7,age_8,age_9,\
                        age_10,age_11,age_12,age_13,age_14,age_15,age_16,age_17";

    fn row(id: &str, lon: &str, lat: &str, households: &str, age_6: &str) -> String {
        let mut ages = vec!["0"; 18];
        ages[6] = age_6;
        format!("{id},{lon},{lat},D1,{households},{}", ages.join(","))
    }

    fn blocks(rows: &[String]) -> String {
        format!(
            "id,lon,lat,district,households,{AGES}\n{}\n",
            rows.join("\n")
        )
    }

    fn problems(text: &str) -> String {
        match parse(("blocks.csv", text)) {
            Ok(b) => panic!("{} blocks read; expected problems", b.len()),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn blocks_read_with_bom_extra_columns_and_any_order() {
        let plain = blocks(&[
            row("B1", "113.6", "34.7", "10", "2.5"),
            row("B2", "113.7", "34.8", "3", "0"),
        ]);
        let a = parse(("blocks.csv", &plain)).expect("valid");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].children[6], 2.5);
        // Columns reversed, one unknown column, upper-case names, a BOM, a blank line.
        let mut lines: Vec<Vec<String>> = plain
            .lines()
            .map(|l| l.split(',').rev().map(str::to_owned).collect())
            .collect();
        lines[0] = lines[0].iter().map(|c| c.to_uppercase()).collect();
        for (i, l) in lines.iter_mut().enumerate() {
            l.push(if i == 0 {
                "备注".into()
            } else {
                format!("note {i}")
            });
        }
        let text: Vec<String> = lines.iter().map(|l| l.join(",")).collect();
        let messy = format!("\u{feff}{}\n\n{}\n{}\n", text[0], text[1], text[2]);
        assert_eq!(parse(("blocks.csv", &messy)).expect("valid"), a);
    }

    #[test]
    fn missing_columns_are_all_named() {
        let text = "id,lon,district,households,age_0\nB1,113.6,D1,3,0\n";
        let e = problems(text);
        assert!(e.starts_with("18 problems in the city files"), "{e}");
        assert!(
            e.contains("\n  blocks.csv line 1: missing column \"lat\""),
            "{e}"
        );
        assert!(
            e.contains("\n  blocks.csv line 1: missing column \"age_1\""),
            "{e}"
        );
        assert!(
            e.contains("\n  blocks.csv line 1: missing column \"age_17\""),
            "{e}"
        );
        assert!(!e.contains("\"age_0\""), "{e}");
    }

    #[test]
    fn bad_rows_name_line_and_field() {
        let mut rows = vec![
            row("B1", "34.7", "113.6", "10", "1"),
            row("B2", "213.6", "34.7", "-3", "NaN"),
            String::new(),
            row("B1", "113.6", "34.7", "1", "1"),
            row("", "113.6", "34.7", "1", "x"),
        ];
        // A short row: age_17 missing.
        rows.push(format!("B9,113.6,34.7,D1,1{}", ",0".repeat(17)));
        assert_eq!(
            problems(&blocks(&rows)),
            "8 problems in the city files\n  \
             blocks.csv line 2: lat 113.6 out of range [-90, 90] (lon 34.7 and lat 113.6 swapped?)\n  \
             blocks.csv line 3: lon 213.6 out of range [-180, 180]\n  \
             blocks.csv line 3: households -3 is not a finite, non-negative number\n  \
             blocks.csv line 3: age_6 NaN is not a finite, non-negative number\n  \
             blocks.csv line 5: id \"B1\" already used at line 2\n  \
             blocks.csv line 6: id \"\" is empty\n  \
             blocks.csv line 6: age_6 \"x\" is not a finite, non-negative number\n  \
             blocks.csv line 7: age_17 \"\" is not a finite, non-negative number"
        );
    }

    #[test]
    fn empty_blocks_file() {
        assert_eq!(
            problems(""),
            "1 problem in the city files\n  blocks.csv line 1: the file is empty: expected a \
             header line naming the columns (id, lon, lat, district, households, age_0, age_1, \
             age_2, age_3, age_4, age_5, age_6, age_7, age_8, age_9, age_10, age_11, age_12, \
             age_13, age_14, age_15, age_16, age_17)"
        );
        assert_eq!(parse(("blocks.csv", &blocks(&[]))).map(|b| b.len()), Ok(0));
    }

    /// Every problem is a typed [`LoadError`] naming the file, line and field; the message
    /// lists the first 200.
    #[test]
    fn problems_are_typed_and_the_message_lists_200() {
        let rows: Vec<String> = (0..201)
            .map(|i| row(&format!("B{i}"), "113.6", "34.7", "-1", "0"))
            .collect();
        let e = parse(("blocks.csv", &blocks(&rows))).expect_err("negative households");
        assert_eq!(e.len(), 201);
        assert_eq!(
            e.errors()[200],
            LoadError::Field {
                file: "blocks.csv".into(),
                place: Place::Line(202),
                field: "households",
                value: "-1".into(),
                problem: FieldProblem::NotNonNegativeNumber,
            }
        );
        let message = e.to_string();
        assert!(
            message.starts_with("201 problems in the city files\n"),
            "{message}"
        );
        assert!(message.ends_with("\n  ... and 1 more"), "{message}");
        assert_eq!(message.lines().count(), 202);
    }
}
