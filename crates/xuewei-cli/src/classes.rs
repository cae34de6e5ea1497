//! `xuewei classes`: whole-school rolls → classes → 大班额 / 超大班额 shares.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::BufWriter;
use std::path::PathBuf;

use anyhow::Context;
use xuewei_core::city::roll::measure_roll;
use xuewei_core::class_size::ClassMeasures;
use xuewei_core::ClassSizeStandard;

use xuewei_io::city::{roll, write};

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
    let report = measure_roll(&rows, &ClassSizeStandard::default());
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
        write::roll_classes(
            &report,
            BufWriter::new(File::create(out.join("classes.csv"))?),
        )?;
        write::roll_summary(
            &report,
            BufWriter::new(File::create(out.join("summary.json"))?),
        )?;
    }
    Ok(())
}
