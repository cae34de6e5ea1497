//! `xuewei classes`: whole-school rolls → classes → 大班额 / 超大班额 shares.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use xuewei_core::city::roll::{measure_roll, read_roll, RollRow, SchoolInfo};
use xuewei_core::class_size::ClassMeasures;
use xuewei_core::{ClassSizeStandard, Stage};

use crate::{input_error, read_text};

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

/// Reads an assignment's schools.csv: stage, district, entry classes and placed pupils.
fn read_assigned(
    dir: &std::path::Path,
) -> anyhow::Result<(HashMap<String, SchoolInfo>, Vec<RollRow>)> {
    let path = dir.join("schools.csv");
    let text = read_text(&path)?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| input_error(format!("{}: {e}", path.display())))?
        .clone();
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(i_id), Some(i_stage), Some(i_district), Some(i_classes), Some(i_placed)) = (
        col("school_id"),
        col("stage"),
        col("district"),
        col("entry_classes"),
        col("placed"),
    ) else {
        return Err(input_error(format!(
            "{}: not an xuewei assign schools.csv (needs school_id, stage, district, entry_classes, placed)",
            path.display()
        )));
    };
    let mut known = HashMap::new();
    let mut entering = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let r = record.map_err(|e| input_error(format!("{}: {e}", path.display())))?;
        let line = i + 2;
        let field = |k: usize| r.get(k).unwrap_or("");
        let stage: Stage = field(i_stage)
            .parse()
            .map_err(|e| input_error(format!("{} line {line}: {e}", path.display())))?;
        let number = |k: usize, what: &str| -> anyhow::Result<u32> {
            field(k).parse().map_err(|_| {
                input_error(format!(
                    "{} line {line}: {what} \"{}\" is not a count",
                    path.display(),
                    field(k)
                ))
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

pub(crate) fn run(args: &ClassesArgs) -> anyhow::Result<()> {
    let (known, entering) = match &args.placements {
        Some(dir) => read_assigned(dir)?,
        None => (HashMap::new(), Vec::new()),
    };
    let text = read_text(&args.roll)?;
    let name = args.roll.file_name().map_or_else(
        || args.roll.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut rows = read_roll((&name, &text), &known).map_err(|e| input_error(e.to_string()))?;
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
