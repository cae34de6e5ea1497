//! Tables of a report: typed cells shown formatted in HTML and written raw as CSV.

use std::io::{self, Write};

use xuewei_io::report_files::write_table;

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A count.
    Int(i64),
    /// A number shown with the given decimals.
    Num(f64, usize),
    /// A share (0.123 shown as 12.3%, written as 0.1230).
    Pct(f64),
    /// A share with its 5–95% band.
    PctBand(f64, f64, f64),
    /// Nothing.
    Empty,
}

impl Cell {
    /// Text cell.
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }
    /// Count cell.
    #[must_use]
    pub fn int(n: impl Into<i64>) -> Self {
        Cell::Int(n.into())
    }
    /// Share or empty.
    #[must_use]
    pub fn pct_or_empty(x: Option<f64>) -> Self {
        x.map_or(Cell::Empty, Cell::Pct)
    }

    /// As shown in the report.
    #[must_use]
    pub fn shown(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Num(x, d) => format!("{x:.d$}"),
            Cell::Pct(x) => format!("{:.1}%", 100.0 * x),
            Cell::PctBand(x, lo, hi) if (hi - lo).abs() > 1e-12 => {
                format!("{:.1}% [{:.1}–{:.1}]", 100.0 * x, 100.0 * lo, 100.0 * hi)
            }
            Cell::PctBand(x, _, _) => format!("{:.1}%", 100.0 * x),
            Cell::Empty => String::new(),
        }
    }

    /// As written to CSV (fields; a band gives three).
    fn raw(&self) -> Vec<String> {
        match self {
            Cell::Text(s) => vec![s.clone()],
            Cell::Int(n) => vec![n.to_string()],
            Cell::Num(x, d) => vec![format!("{x:.d$}")],
            Cell::Pct(x) => vec![format!("{x:.4}")],
            Cell::PctBand(x, lo, hi) => {
                vec![format!("{x:.4}"), format!("{lo:.4}"), format!("{hi:.4}")]
            }
            Cell::Empty => vec![String::new()],
        }
    }

    fn numeric(&self) -> bool {
        !matches!(self, Cell::Text(_) | Cell::Empty)
    }
}

/// A table: an id (its CSV file is `table_<id>.csv`), a title, columns and rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Identifier, also the CSV file's stem.
    pub id: String,
    /// Title shown above it.
    pub title: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows (as many cells as columns).
    pub rows: Vec<Vec<Cell>>,
}

/// The view of a table handed to the template.
#[derive(serde::Serialize)]
pub(crate) struct TableView {
    id: String,
    title: String,
    columns: Vec<String>,
    rows: Vec<Vec<(String, bool)>>,
    n_rows: usize,
}

impl Table {
    /// An empty table.
    pub fn new(id: &str, title: impl Into<String>, columns: &[&str]) -> Self {
        Self {
            id: id.to_owned(),
            title: title.into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Writes the table as CSV (with `xuewei_io::report_files::write_table`): shares as
    /// fractions; a share with a band as three columns (`x`, `x_p5`, `x_p95`).
    ///
    /// # Errors
    /// Write errors.
    pub fn write_csv(&self, out: impl Write) -> io::Result<()> {
        let banded: Vec<bool> = (0..self.columns.len())
            .map(|i| {
                self.rows
                    .iter()
                    .any(|r| matches!(r.get(i), Some(Cell::PctBand(..))))
            })
            .collect();
        let mut header = Vec::new();
        for (c, &banded) in self.columns.iter().zip(&banded) {
            header.push(c.clone());
            if banded {
                header.push(format!("{c}_p5"));
                header.push(format!("{c}_p95"));
            }
        }
        let rows = self.rows.iter().map(|row| {
            let mut fields = Vec::new();
            for (i, cell) in row.iter().enumerate() {
                let mut raw = cell.raw();
                if banded.get(i) == Some(&true) && raw.len() == 1 {
                    raw.extend([String::new(), String::new()]);
                }
                fields.extend(raw);
            }
            fields
        });
        write_table(&header, rows, out)
    }

    pub(crate) fn view(&self) -> TableView {
        TableView {
            id: self.id.clone(),
            title: self.title.clone(),
            columns: self.columns.clone(),
            rows: self
                .rows
                .iter()
                .map(|r| r.iter().map(|c| (c.shown(), c.numeric())).collect())
                .collect(),
            n_rows: self.rows.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_spreads_bands_over_three_columns() {
        let mut t = Table::new("t", "T", &["year", "share"]);
        t.rows
            .push(vec![Cell::int(2016), Cell::PctBand(0.5, 0.4, 0.6)]);
        t.rows.push(vec![Cell::int(2017), Cell::Pct(0.25)]);
        let mut out = Vec::new();
        t.write_csv(&mut out).expect("written");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "year,share,share_p5,share_p95\n2016,0.5000,0.4000,0.6000\n2017,0.2500,,\n"
        );
        assert_eq!(t.rows[0][1].shown(), "50.0% [40.0–60.0]");
    }
}
