//! Writing runs out: `years.csv`, `districts.csv`, `equity.csv`, `targets.csv`, and for a
//! comparison `compare.csv` and `moves.csv`. Replicated figures are the mean with the
//! 5–95% band.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::run::{Run, StageYear};
use crate::targets::Verdict;

/// The mean and the 5% and 95% quantiles (linear interpolation) of some values.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Spread {
    /// Mean.
    pub mean: f64,
    /// 5% quantile.
    pub p5: f64,
    /// 95% quantile.
    pub p95: f64,
}

impl Spread {
    /// The spread of a set of values (all zero when empty).
    #[must_use]
    pub fn of(values: &[f64]) -> Self {
        if values.is_empty() {
            return Self::default();
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let x = p * (v.len() - 1) as f64;
            let (lo, hi) = (x.floor() as usize, x.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (x - lo as f64)
        };
        Self {
            mean: v.iter().sum::<f64>() / v.len() as f64,
            p5: q(0.05),
            p95: q(0.95),
        }
    }
}

/// A measure's column name and how to read it from a stage-year.
pub type Measure = (&'static str, fn(&StageYear) -> f64);

/// The measures of `years.csv`, in column order.
pub const MEASURES: [Measure; 11] = [
    ("pupils", |s| s.pupils as f64),
    ("placed", |s| s.placed as f64),
    ("unplaced", |s| s.unplaced as f64),
    ("overflow", |s| s.overflow as f64),
    ("classes", |s| s.classes as f64),
    ("large_share", |s| s.large_share),
    ("super_large_share", |s| s.super_large_share),
    ("mean_class_size", |s| s.mean_class_size),
    ("mean_distance_m", |s| s.mean_distance_m),
    ("roll", |s| s.roll as f64),
    ("seats", |s| s.seats as f64),
];

/// The band of every measure per (year, stage) over the runs: `(year, stage, bands)`.
#[must_use]
pub fn bands(runs: &[Run]) -> Vec<(i32, xuewei_core::Stage, Vec<Spread>)> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, y) in first.years.iter().enumerate() {
        for (j, s) in y.stages.iter().enumerate() {
            let bands = MEASURES
                .iter()
                .map(|(_, read)| {
                    let values: Vec<f64> = runs
                        .iter()
                        .filter_map(|r| r.years.get(k).and_then(|y| y.stages.get(j)).map(read))
                        .collect();
                    Spread::of(&values)
                })
                .collect();
            out.push((y.year, s.stage, bands));
        }
    }
    out
}

fn fmt(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.4}")
    }
}

/// `years.csv`: `year,stage,` then every measure (mean over replications), then the 5% and
/// 95% quantiles of every measure (`pupils_p5,pupils_p95,placed_p5,…`).
///
/// # Errors
/// Write errors.
pub fn write_years(runs: &[Run], out: impl Write) -> io::Result<()> {
    let banded: Vec<&str> = MEASURES.iter().map(|m| m.0).collect();
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["year".to_owned(), "stage".to_owned()];
    header.extend(MEASURES.iter().map(|m| m.0.to_owned()));
    for b in &banded {
        header.push(format!("{b}_p5"));
        header.push(format!("{b}_p95"));
    }
    w.write_record(&header)?;
    for (year, stage, bands) in bands(runs) {
        let mut row = vec![year.to_string(), stage.name().to_owned()];
        row.extend(bands.iter().map(|b| fmt(b.mean)));
        for b in &bands {
            row.push(fmt(b.p5));
            row.push(fmt(b.p95));
        }
        w.write_record(&row)?;
    }
    w.flush()
}

/// `districts.csv` of one run: `year,stage,district,roll,classes,large_share,super_large_share`.
///
/// # Errors
/// Write errors.
pub fn write_districts(run: &Run, out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "year",
        "stage",
        "district",
        "roll",
        "classes",
        "large_share",
        "super_large_share",
    ])?;
    for y in &run.years {
        for d in &y.districts {
            w.write_record([
                d.year.to_string(),
                d.stage.name().to_owned(),
                d.district.clone(),
                d.roll.to_string(),
                d.classes.to_string(),
                fmt(d.large_share),
                fmt(d.super_large_share),
            ])?;
        }
    }
    w.flush()
}

/// `equity.csv`, means over the runs:
/// `year,stage,group,pupils,own_zone_share,mean_distance_m,large_class_share,unplaced`.
///
/// # Errors
/// Write errors.
pub fn write_equity(runs: &[Run], out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "year",
        "stage",
        "group",
        "pupils",
        "own_zone_share",
        "mean_distance_m",
        "large_class_share",
        "unplaced",
    ])?;
    let Some(first) = runs.first() else {
        return w.flush();
    };
    let n = runs.len() as f64;
    for (k, y) in first.years.iter().enumerate() {
        for (j, e) in y.equity.iter().enumerate() {
            let mean = |read: fn(&crate::run::EquityYear) -> f64| {
                runs.iter()
                    .filter_map(|r| r.years.get(k).and_then(|y| y.equity.get(j)))
                    .map(read)
                    .sum::<f64>()
                    / n
            };
            w.write_record([
                e.year.to_string(),
                e.stage.name().to_owned(),
                e.group.to_owned(),
                fmt(mean(|e| e.pupils as f64)),
                fmt(mean(|e| e.own_zone_share)),
                fmt(mean(|e| e.mean_distance_m)),
                fmt(mean(|e| e.large_class_share)),
                fmt(mean(|e| e.unplaced as f64)),
            ])?;
        }
    }
    w.flush()
}

/// `targets.csv`: `year,target,value,limit,met` plus `comparison,due`.
///
/// # Errors
/// Write errors.
pub fn write_targets(verdicts: &[Verdict], out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "year",
        "target",
        "value",
        "limit",
        "met",
        "comparison",
        "due",
    ])?;
    for v in verdicts {
        w.write_record([
            v.year.to_string(),
            v.target.clone(),
            fmt(v.value),
            fmt(v.limit),
            v.met.to_string(),
            v.comparison.clone(),
            v.due.to_string(),
        ])?;
    }
    w.flush()
}

/// `compare.csv`: per year, stage and measure, the means of A and B and B − A.
///
/// # Errors
/// Write errors.
pub fn write_compare(a: &[Run], b: &[Run], out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["year", "stage", "measure", "a", "b", "b_minus_a"])?;
    let (ba, bb) = (bands(a), bands(b));
    for ((year, stage, x), (_, _, y)) in ba.iter().zip(&bb) {
        for (i, (name, _)) in MEASURES.iter().enumerate() {
            w.write_record([
                year.to_string(),
                stage.name().to_owned(),
                (*name).to_owned(),
                fmt(x[i].mean),
                fmt(y[i].mean),
                fmt(y[i].mean - x[i].mean),
            ])?;
        }
    }
    w.flush()
}

/// Pupils who change school between two runs in the same year.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    /// Year.
    pub year: i32,
    /// Pupil id.
    pub pupil: String,
    /// School in A.
    pub school_a: Option<String>,
    /// School in B.
    pub school_b: Option<String>,
    /// Distance in A.
    pub distance_a: Option<f64>,
    /// Distance in B.
    pub distance_b: Option<f64>,
}

/// The pupils present in both runs whose school differs, per year.
#[must_use]
pub fn moves(a: &Run, b: &Run) -> Vec<Move> {
    let mut out = Vec::new();
    for (ya, yb) in a.years.iter().zip(&b.years) {
        let in_b: HashMap<&str, &crate::run::Entrant> =
            yb.entrants.iter().map(|e| (e.id.as_str(), e)).collect();
        for ea in &ya.entrants {
            if let Some(eb) = in_b.get(ea.id.as_str()) {
                if ea.school != eb.school {
                    out.push(Move {
                        year: ya.year,
                        pupil: ea.id.clone(),
                        school_a: ea.school.clone(),
                        school_b: eb.school.clone(),
                        distance_a: ea.distance_m,
                        distance_b: eb.distance_m,
                    });
                }
            }
        }
    }
    out
}

/// `moves.csv`: `year,pupil_id,school_a,school_b,distance_a_m,distance_b_m,change_m`.
///
/// # Errors
/// Write errors.
pub fn write_moves(moves: &[Move], out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "year",
        "pupil_id",
        "school_a",
        "school_b",
        "distance_a_m",
        "distance_b_m",
        "change_m",
    ])?;
    let d = |x: Option<f64>| x.map(|v| format!("{v:.0}")).unwrap_or_default();
    for m in moves {
        let change = match (m.distance_a, m.distance_b) {
            (Some(a), Some(b)) => format!("{:.0}", b - a),
            _ => String::new(),
        };
        w.write_record([
            m.year.to_string(),
            m.pupil.clone(),
            m.school_a.clone().unwrap_or_default(),
            m.school_b.clone().unwrap_or_default(),
            d(m.distance_a),
            d(m.distance_b),
            change,
        ])?;
    }
    w.flush()
}
