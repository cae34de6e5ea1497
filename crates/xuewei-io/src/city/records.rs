//! The reading conventions every CSV file of a city shares (`schools.csv`, `pupils.csv`,
//! `roll.csv`, and the scenario's `blocks.csv`), and the field checks whose messages name
//! the file, the line and the field. Private to the loaders of this crate.
//!
//! - A UTF-8 byte-order mark is dropped; fields are trimmed; header names are matched
//!   case-insensitively; column order is free; empty lines are skipped.
//! - Columns the header names but no loader asks for are ignored.
//! - An empty file (no header line) is an error, as are a column named twice in the header
//!   and a row with non-empty fields beyond the header's columns (usually a comma inside an
//!   unquoted field, such as `PA,PB` where `PA;PB` was meant). Empty trailing fields, as
//!   spreadsheets write them, are ignored.
//! - Lines are counted as a text editor counts them: the header is line 1.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use xuewei_core::Stage;

use crate::error::{FieldProblem, LoadError, Place};

/// One data row of a [`CsvTable`].
#[derive(Clone, Debug)]
pub struct CsvRow {
    line: u64,
    record: csv::StringRecord,
}

impl CsvRow {
    /// The line the row starts on (header = line 1).
    #[must_use]
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The row's place, for messages.
    #[must_use]
    pub fn place(&self) -> Place {
        Place::Line(self.line)
    }
}

/// A CSV file with its header mapped to column positions; see the [module docs](self) for
/// the conventions.
#[derive(Clone, Debug)]
pub struct CsvTable<'a> {
    file: &'a str,
    columns: HashMap<String, usize>,
    rows: Vec<CsvRow>,
}

impl<'a> CsvTable<'a> {
    /// Reads `(file name, text)`. Problems go to `errors`; `None` when the table cannot be
    /// read at all (an empty file, an unreadable header, a required column missing). Rows
    /// that cannot be read are reported and left out.
    pub fn read(
        (file, text): (&'a str, &str),
        required: &[&'static str],
        errors: &mut Vec<LoadError>,
    ) -> Option<Self> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                errors.push(syntax(file, Some(1), &e.to_string()));
                return None;
            }
        };
        if header.iter().all(str::is_empty) {
            errors.push(LoadError::NoHeader {
                file: file.to_owned(),
                empty: text.trim().is_empty(),
                columns: required.to_vec(),
            });
            return None;
        }
        let mut columns: HashMap<String, usize> = HashMap::with_capacity(header.len());
        for (i, name) in header.iter().enumerate() {
            let name = name.to_ascii_lowercase();
            if name.is_empty() {
                continue;
            }
            if let Some(&first) = columns.get(&name) {
                errors.push(LoadError::RepeatedColumn {
                    file: file.to_owned(),
                    column: name,
                    first: first + 1,
                    second: i + 1,
                });
            } else {
                columns.insert(name, i);
            }
        }
        let mut ok = true;
        for &column in required {
            if !columns.contains_key(column) {
                errors.push(LoadError::MissingColumn {
                    file: file.to_owned(),
                    column,
                });
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let width = header.len();
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(record) => {
                    let line = record.position().map_or(0, |p| start_line(text, p));
                    if record.iter().all(str::is_empty) {
                        continue;
                    }
                    if let Some(extra) = record.iter().skip(width).find(|f| !f.is_empty()) {
                        errors.push(LoadError::ExtraFields {
                            file: file.to_owned(),
                            line,
                            fields: record.len(),
                            columns: width,
                            extra: extra.to_owned(),
                        });
                        continue;
                    }
                    rows.push(CsvRow { line, record });
                }
                Err(e) => {
                    let line = e.position().map(|p| start_line(text, p));
                    errors.push(syntax(file, line, &e.to_string()));
                }
            }
        }
        Some(Self {
            file,
            columns,
            rows,
        })
    }

    /// The file name used in messages.
    #[must_use]
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The data rows, in file order (empty lines left out).
    #[must_use]
    pub fn rows(&self) -> &[CsvRow] {
        &self.rows
    }

    /// A row's field in a column (lowercase name), trimmed; `""` when the column is absent
    /// or the row is short.
    #[must_use]
    pub fn get<'r>(&self, row: &'r CsvRow, column: &str) -> &'r str {
        self.columns
            .get(column)
            .and_then(|&i| row.record.get(i))
            .unwrap_or("")
    }
}

/// The line a record starts on. The csv reader's position is where it began reading,
/// before the empty lines it skips; step over them.
fn start_line(text: &str, position: &csv::Position) -> u64 {
    let mut line = position.line();
    let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    for &b in text.as_bytes().get(from..).unwrap_or_default() {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

pub(crate) fn syntax(file: &str, line: Option<u64>, message: &str) -> LoadError {
    LoadError::Syntax {
        file: file.to_owned(),
        line,
        message: message.to_owned(),
    }
}

/// Checks the fields of one record, collecting [`LoadError::Field`] problems that name the
/// file, the record's place and the field. Each check returns a usable placeholder after a
/// problem, so that every problem of the record is found.
pub struct Fields<'e> {
    file: &'e str,
    place: Place,
    errors: &'e mut Vec<LoadError>,
}

impl<'e> Fields<'e> {
    /// Checks for the record at `place` of `file`.
    pub fn new(file: &'e str, place: Place, errors: &'e mut Vec<LoadError>) -> Self {
        Self {
            file,
            place,
            errors,
        }
    }

    /// Reports a bad value (quoted unless it is a number).
    pub fn bad(&mut self, field: &'static str, value: &str, problem: FieldProblem) {
        let value = if value.parse::<f64>().is_ok() {
            value.to_owned()
        } else {
            format!("\"{value}\"")
        };
        self.errors.push(LoadError::Field {
            file: self.file.to_owned(),
            place: self.place,
            field,
            value,
            problem,
        });
    }

    /// A field that may not be empty.
    pub fn required<'v>(&mut self, field: &'static str, value: &'v str) -> Option<&'v str> {
        if value.is_empty() {
            self.bad(field, value, FieldProblem::Empty);
            None
        } else {
            Some(value)
        }
    }

    /// A stage name (primary on error).
    pub fn stage(&mut self, value: &str) -> Stage {
        value.parse().unwrap_or_else(|_| {
            self.bad("stage", value, FieldProblem::NotStage);
            Stage::Primary
        })
    }

    /// A location in WGS84 degrees, `(lon, lat)` (`(0, 0)` on error). A latitude out of
    /// range whose longitude would be a valid latitude is reported as probably swapped (an
    /// error all the same: which column is which is not ours to guess).
    pub fn lon_lat(&mut self, lon: &str, lat: &str) -> (f64, f64) {
        let (x, y) = (lon.parse::<f64>(), lat.parse::<f64>());
        if let (Ok(x), Ok(y)) = (x, y) {
            if y.abs() > 90.0 && y.abs() <= 180.0 && x.abs() <= 90.0 {
                self.bad(
                    "lat",
                    lat,
                    FieldProblem::Swapped {
                        lon: lon.into(),
                        lat: lat.into(),
                    },
                );
                return (0.0, 0.0);
            }
        }
        (self.coord("lon", lon, 180), self.coord("lat", lat, 90))
    }

    fn coord(&mut self, field: &'static str, value: &str, limit: u32) -> f64 {
        match value.parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() <= f64::from(limit) => x,
            Ok(_) => {
                self.bad(field, value, FieldProblem::OutOfRange { limit });
                0.0
            }
            Err(_) => {
                self.bad(field, value, FieldProblem::NotNumber);
                0.0
            }
        }
    }

    /// A count: a non-negative integer below `u32::MAX` (0 on error).
    pub fn count(&mut self, field: &'static str, value: &str) -> u32 {
        match value.parse::<u32>() {
            Ok(x) if x != u32::MAX => x,
            _ => {
                self.bad(field, value, FieldProblem::NotNonNegativeInteger);
                0
            }
        }
    }

    /// A finite, non-negative number (0 on error).
    pub fn amount(&mut self, field: &'static str, value: &str) -> f64 {
        match value.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => x,
            _ => {
                self.bad(field, value, FieldProblem::NotNonNegativeNumber);
                0.0
            }
        }
    }

    /// A boolean: `0/1`, `true/false`, `yes/no` (`y/n`, `t/f`); empty is false.
    pub fn boolean(&mut self, field: &'static str, value: &str) -> bool {
        match value.to_ascii_lowercase().as_str() {
            "" | "0" | "false" | "no" | "n" | "f" => false,
            "1" | "true" | "yes" | "y" | "t" => true,
            _ => {
                self.bad(field, value, FieldProblem::NotBoolean);
                false
            }
        }
    }
}

/// Where each id of a file was first seen; a second use is a [`LoadError::DuplicateId`].
#[derive(Clone, Debug, Default)]
pub struct Ids {
    seen: FxHashMap<String, Place>,
}

impl Ids {
    /// An empty register sized for `n` ids.
    #[must_use]
    pub fn with_capacity(n: usize) -> Self {
        Self {
            seen: FxHashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    /// Records where `id` was first seen, or reports it as a duplicate. Empty ids are
    /// skipped (reported as empty by [`Fields::required`]).
    pub fn note(&mut self, id: &str, file: &str, place: Place, errors: &mut Vec<LoadError>) {
        if id.is_empty() {
            return;
        }
        match self.seen.get(id) {
            Some(&first) => errors.push(LoadError::DuplicateId {
                file: file.to_owned(),
                place,
                id: id.to_owned(),
                first,
            }),
            None => {
                self.seen.insert(id.to_owned(), place);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, required: &[&'static str]) -> (Option<usize>, Vec<String>) {
        let (rows, errors) = read_typed(text, required);
        (rows, errors.iter().map(ToString::to_string).collect())
    }

    fn read_typed(text: &str, required: &[&'static str]) -> (Option<usize>, Vec<LoadError>) {
        let mut errors = Vec::new();
        let table = CsvTable::read(("t.csv", text), required, &mut errors);
        (table.map(|t| t.rows().len()), errors)
    }

    #[test]
    fn empty_file_is_an_error_naming_the_columns() {
        for text in ["", "\u{feff}", "\n\n", " \r\n"] {
            assert_eq!(
                read(text, &["id", "lon"]),
                (
                    None,
                    vec![
                        "t.csv line 1: the file is empty: expected a header line naming the \
                         columns (id, lon)"
                            .to_owned()
                    ]
                ),
                "{text:?}"
            );
            assert_eq!(
                read_typed(text, &["id", "lon"]).1,
                [LoadError::NoHeader {
                    file: "t.csv".into(),
                    empty: true,
                    columns: vec!["id", "lon"],
                }]
            );
        }
        assert_eq!(
            read_typed(",,\na,b,c\n", &["id"]).1,
            [LoadError::NoHeader {
                file: "t.csv".into(),
                empty: false,
                columns: vec!["id"],
            }]
        );
        assert_eq!(
            read(",,\na,b,c\n", &["id"]).1,
            vec![
                "t.csv line 1: the header line names no column: expected a header line naming \
                 the columns (id)"
            ]
        );
    }

    /// Header names in any case and order, a byte-order mark, an unknown column; a swapped
    /// location is named by file, line and field.
    #[test]
    fn fields_name_file_line_and_field() {
        let mut errors = Vec::new();
        let text = "\u{feff}ID,Lon,Lat,note\nB1,113.6,34.7,ok\nB2,34.7,113.6,\n";
        let table = CsvTable::read(("blocks.csv", text), &["id", "lon", "lat"], &mut errors)
            .expect("the header has the required columns");
        for row in table.rows() {
            let mut f = Fields::new(table.file(), row.place(), &mut errors);
            f.lon_lat(table.get(row, "lon"), table.get(row, "lat"));
        }
        assert_eq!(
            errors,
            [LoadError::Field {
                file: "blocks.csv".into(),
                place: Place::Line(3),
                field: "lat",
                value: "113.6".into(),
                problem: FieldProblem::Swapped {
                    lon: "34.7".into(),
                    lat: "113.6".into(),
                },
            }]
        );
        assert_eq!(
            errors[0].to_string(),
            "blocks.csv line 3: lat 113.6 out of range [-90, 90] (lon 34.7 and lat 113.6 swapped?)"
        );
    }

    #[test]
    fn header_only_is_a_table_without_rows() {
        assert_eq!(read("id,lon\n", &["id"]), (Some(0), vec![]));
    }

    #[test]
    fn a_column_named_twice_is_an_error() {
        let (_, typed) = read_typed("id,lon,LON\na,1,2\n", &["id"]);
        assert_eq!(
            typed,
            [LoadError::RepeatedColumn {
                file: "t.csv".into(),
                column: "lon".into(),
                first: 2,
                second: 3,
            }]
        );
        let (_, errors) = read("id,lon,LON\na,1,2\n", &["id"]);
        assert_eq!(
            errors,
            vec!["t.csv line 1: column \"lon\" appears twice (columns 2 and 3)"]
        );
    }

    #[test]
    fn extra_fields_beyond_the_header() {
        // Empty trailing fields (spreadsheet padding) are ignored; a value is an error.
        let text = "id,prefs\na,PA,,\nb,PA,PB\n\nc,PC\n";
        assert_eq!(
            read_typed(text, &["id"]).1,
            [LoadError::ExtraFields {
                file: "t.csv".into(),
                line: 3,
                fields: 3,
                columns: 2,
                extra: "PB".into(),
            }]
        );
        let (rows, errors) = read(text, &["id"]);
        assert_eq!(rows, Some(2));
        assert_eq!(
            errors,
            vec![
                "t.csv line 3: 3 fields, but the header has 2 columns: \"PB\" is beyond the \
                 last column (a comma inside an unquoted field?)"
            ]
        );
    }

    #[test]
    fn lines_count_blank_and_quoted_lines() {
        let mut errors = Vec::new();
        let text = "id,name\n\na,\"two\nlines\"\nb,x\r\n\r\n\r\nc,y\n";
        let table = CsvTable::read(("t.csv", text), &["id"], &mut errors).expect("table");
        let lines: Vec<u64> = table.rows().iter().map(CsvRow::line).collect();
        assert_eq!(lines, vec![3, 5, 8]);
        assert_eq!(table.get(&table.rows()[0], "name"), "two\nlines");
        assert_eq!(table.get(&table.rows()[0], "absent"), "");
    }

    #[test]
    fn amounts_are_finite_and_non_negative() {
        let mut errors = Vec::new();
        let mut f = Fields::new("b.csv", Place::Line(4), &mut errors);
        assert_eq!(f.amount("age_3", "2.5"), 2.5);
        for bad in ["-1", "NaN", "inf", "x", ""] {
            assert_eq!(f.amount("age_3", bad), 0.0);
        }
        assert!(errors.iter().all(|e| matches!(
            e,
            LoadError::Field {
                field: "age_3",
                problem: FieldProblem::NotNonNegativeNumber,
                ..
            }
        )));
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 5);
        assert_eq!(
            text[0],
            "b.csv line 4: age_3 -1 is not a finite, non-negative number"
        );
        assert_eq!(
            text[1],
            "b.csv line 4: age_3 NaN is not a finite, non-negative number"
        );
        assert_eq!(
            text[3],
            "b.csv line 4: age_3 \"x\" is not a finite, non-negative number"
        );
    }
}
