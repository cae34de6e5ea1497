//! The figures of runs as they are written out (by `xuewei_io::scenario::write`): the
//! measures of `years.csv` with their mean and 5–95% band over replications, and the pupils
//! who change school between two runs.

use std::collections::HashMap;

use crate::run::{Run, StageYear};

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
