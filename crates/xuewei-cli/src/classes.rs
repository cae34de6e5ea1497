//! `xuewei classes`: whole-school rolls → classes → 大班额 / 超大班额 shares.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use xuewei_core::city::roll::measure_roll;
use xuewei_core::class_size::ClassMeasures;
use xuewei_core::ClassSizePolicy;

use xuewei_io::city::roll;

use crate::{input_error, reader};

#[derive(clap::Args, Debug)]
pub(crate) struct ClassesArgs {
    /// The roll (CSV: `school_id,grade,pupils,classrooms[,stage][,district]`).
    #[arg(long)]
    roll: PathBuf,
    /// An `xuewei assign` output directory: its entering grade replaces grade 1 of the roll,
    /// and its schools.csv supplies stages and districts.
    #[arg(long)]
    placements: Option<PathBuf>,
    /// Where to write classes.csv and summary.json (only printed when omitted).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub(crate) fn run(args: &ClassesArgs) -> anyhow::Result<()> {
    let (known, entering) = match &args.placements {
        Some(dir) => roll::load_assigned(&dir.join("schools.csv"), &reader())
            .map_err(|e| input_error(e.to_string()))?,
        None => (HashMap::new(), Vec::new()),
    };
    let mut rows =
        roll::load(&args.roll, &known, &reader()).map_err(|e| input_error(e.to_string()))?;
    if !entering.is_empty() {
        rows.retain(|r| r.grade != 1 || !known.contains_key(&r.school));
        rows.extend(entering);
    }
    let report = measure_roll(&rows, &ClassSizePolicy::default());
    println!(
        "{:<13}{:>9}{:>9}{:>8}{:>8}{:>8}{:>8}{:>9}",
        "scope", "classes", "pupils", "mean", "56+", "66+", "56+%", "66+%"
    );
    let line = |scope: &str, m: &ClassMeasures| {
        println!(
            "{:<13}{:>9}{:>9}{:>8.1}{:>8}{:>8}{:>7.1}%{:>8.1}%",
            scope,
            m.classes,
            m.pupils_in_classes,
            m.mean_class_size(),
            m.large_classes,
            m.super_large_classes,
            100.0 * m.large_share(),
            100.0 * m.super_large_share()
        );
    };
    for (stage, m) in &report.stages {
        line(stage.name(), m);
    }
    line("city", &report.city);
    if let Some(out) = &args.out {
        fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        let mut w =
            csv::Writer::from_writer(BufWriter::new(File::create(out.join("classes.csv"))?));
        w.write_record(["school_id", "grade", "class_no", "size"])?;
        for (row, g) in &report.grades {
            for (k, size) in g.sizes().enumerate() {
                w.write_record([
                    row.school.as_str(),
                    row.grade.to_string().as_str(),
                    (k + 1).to_string().as_str(),
                    size.to_string().as_str(),
                ])?;
            }
        }
        w.flush()?;
        let summarise = |m: &ClassMeasures| {
            let mut v = serde_json::to_value(m).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("large_share".into(), serde_json::json!(m.large_share()));
                o.insert(
                    "super_large_share".into(),
                    serde_json::json!(m.super_large_share()),
                );
                o.insert(
                    "mean_class_size".into(),
                    serde_json::json!(m.mean_class_size()),
                );
            }
            v
        };
        let doc = serde_json::json!({
            "city": summarise(&report.city),
            "stages": report.stages.iter().map(|(s, m)| (s.name().to_owned(), summarise(m))).collect::<serde_json::Map<_, _>>(),
            "districts": report.districts.iter().map(|(d, m)| (d.clone(), summarise(m))).collect::<serde_json::Map<_, _>>(),
        });
        let mut f = BufWriter::new(File::create(out.join("summary.json"))?);
        serde_json::to_writer_pretty(&mut f, &doc)?;
        f.write_all(b"\n")?;
    }
    Ok(())
}
