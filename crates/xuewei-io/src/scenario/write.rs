//! Writing runs out: `years.csv`, `districts.csv`, `equity.csv`, `targets.csv`, and for a
//! comparison `compare.csv` and `moves.csv` (formats in `docs/scenarios.md`). Replicated
//! figures are the mean with the 5–95% band. Functions write to any `io::Write`; the caller
//! chooses the files.

use std::io::{self, Write};

use xuewei_scenario::output::{bands, Move, MEASURES};
use xuewei_scenario::run::{EquityYear, Run};
use xuewei_scenario::targets::Verdict;

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
pub fn years(runs: &[Run], out: impl Write) -> io::Result<()> {
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
pub fn districts(run: &Run, out: impl Write) -> io::Result<()> {
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
pub fn equity(runs: &[Run], out: impl Write) -> io::Result<()> {
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
            let mean = |read: fn(&EquityYear) -> f64| {
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
pub fn targets(verdicts: &[Verdict], out: impl Write) -> io::Result<()> {
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
pub fn compare(a: &[Run], b: &[Run], out: impl Write) -> io::Result<()> {
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

/// `moves.csv`: `year,pupil_id,school_a,school_b,distance_a_m,distance_b_m,change_m`.
///
/// # Errors
/// Write errors.
pub fn moves(moves: &[Move], out: impl Write) -> io::Result<()> {
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
