//! `xuewei simulate` and `xuewei compare`: plans replayed year by year.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::ProgressBar;
use xuewei_io::scenario::write;
use xuewei_io::Reader;
use xuewei_report::ReportParams;
use xuewei_scenario::output::Move;
use xuewei_scenario::output::{self, Spread};
use xuewei_scenario::targets::{judge, Verdict};
use xuewei_scenario::{replicate_with_progress, CityState, Run, Scenario, ScenarioError};

use crate::{input_error, progress_bar, reader, ReportArgs};

#[derive(clap::Args, Debug)]
pub(crate) struct SimulateArgs {
    /// The scenario file (TOML, docs/scenarios.md).
    scenario: PathBuf,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// Lottery replications (Monte Carlo), run in parallel.
    #[arg(long, default_value_t = 1)]
    replications: usize,
    /// Master lottery seed (default: the scenario's seed).
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(clap::Args, Debug)]
pub(crate) struct CompareArgs {
    /// The first scenario (A, e.g. the baseline).
    a: PathBuf,
    /// The second scenario (B, e.g. the plan).
    b: PathBuf,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// Lottery replications of each scenario.
    #[arg(long, default_value_t = 1)]
    replications: usize,
    /// Master lottery seed (default: A's seed).
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    report: ReportArgs,
}

fn scenario_error(e: ScenarioError) -> anyhow::Error {
    input_error(e.to_string())
}

/// A scenario, its base city and its runs.
struct Loaded {
    scenario: Scenario,
    base: CityState,
    runs: Vec<Run>,
}

/// Loads a scenario and its base city, and runs the replications; `progress` advances by
/// one per replication-year from `offset`.
fn run_scenario(
    path: &Path,
    replications: usize,
    seed: Option<u64>,
    progress: &ProgressBar,
    offset: u64,
) -> anyhow::Result<Loaded> {
    let scenario =
        xuewei_io::scenario::load(path, &reader()).map_err(|e| input_error(e.to_string()))?;
    let base = xuewei_io::city::load_state(&scenario.city, &reader())
        .map_err(|e| input_error(e.to_string()))?;
    let seed = seed.unwrap_or(scenario.seed);
    if replications == 0 {
        return Err(input_error("--replications: must be at least 1"));
    }
    let runs = replicate_with_progress(&scenario, &base, replications, seed, &|done, _| {
        progress.set_position(offset + done as u64);
    })
    .map_err(scenario_error)?;
    Ok(Loaded {
        scenario,
        base,
        runs,
    })
}

/// Replication-years of a scenario file (for the progress bar; 0 when unreadable). Read
/// quietly: the run reads it again and warns then.
fn steps(path: &Path, replications: usize) -> u64 {
    xuewei_io::scenario::load(path, &Reader::default())
        .map_or(0, |s| (s.years().count() * replications.max(1)) as u64)
}

fn create(dir: &Path, file: &str) -> anyhow::Result<BufWriter<File>> {
    let path = dir.join(file);
    Ok(BufWriter::new(
        File::create(&path).with_context(|| format!("writing {}", path.display()))?,
    ))
}

fn verdicts(scenario: &Scenario, runs: &[Run]) -> anyhow::Result<Vec<Verdict>> {
    Ok(match &scenario.targets {
        Some(path) => judge(
            &xuewei_io::targets::load(path, &reader()).map_err(|e| input_error(e.to_string()))?,
            runs,
            scenario.scale,
        ),
        None => Vec::new(),
    })
}

pub(crate) fn simulate(args: &SimulateArgs) -> anyhow::Result<()> {
    let progress = progress_bar(
        args.report.quiet,
        steps(&args.scenario, args.replications),
        "simulating",
    );
    let Loaded {
        scenario,
        base,
        runs,
    } = run_scenario(&args.scenario, args.replications, args.seed, &progress, 0)?;
    progress.finish_and_clear();
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    write::years(&runs, create(&args.out, "years.csv")?)?;
    write::districts(&runs[0], create(&args.out, "districts.csv")?)?;
    write::equity(&runs, create(&args.out, "equity.csv")?)?;
    let verdicts = verdicts(&scenario, &runs)?;
    write::targets(&verdicts, create(&args.out, "targets.csv")?)?;
    if args.report.wanted() {
        let report = xuewei_report::simulate_report(
            &scenario,
            &base,
            &runs,
            &verdicts,
            &ReportParams::default(),
        );
        args.report.write(&report)?;
    }
    println!("{} — {} replication(s)", scenario.name, runs.len());
    print_years(&runs);
    print_targets(&verdicts);
    Ok(())
}

fn pct(b: &Spread, banded: bool) -> String {
    if banded {
        format!(
            "{:.1}% [{:.1}–{:.1}]",
            100.0 * b.mean,
            100.0 * b.p5,
            100.0 * b.p95
        )
    } else {
        format!("{:.1}%", 100.0 * b.mean)
    }
}

fn print_years(runs: &[Run]) {
    let banded = runs.len() > 1;
    let col = |name: &str| {
        output::MEASURES
            .iter()
            .position(|m| m.0 == name)
            .unwrap_or(0)
    };
    println!(
        "{:<6}{:<9}{:>9}{:>9}{:>9}{:>9}{:>9}{:>22}{:>22}{:>10}",
        "year",
        "stage",
        "pupils",
        "unplaced",
        "overflow",
        "roll",
        "classes",
        "56+",
        "66+",
        "mean_m"
    );
    for (year, stage, b) in output::bands(runs) {
        println!(
            "{:<6}{:<9}{:>9.0}{:>9.0}{:>9.0}{:>9.0}{:>9.0}{:>22}{:>22}{:>10.0}",
            year,
            stage.name(),
            b[col("pupils")].mean,
            b[col("unplaced")].mean,
            b[col("overflow")].mean,
            b[col("roll")].mean,
            b[col("classes")].mean,
            pct(&b[col("large_share")], banded),
            pct(&b[col("super_large_share")], banded),
            b[col("mean_distance_m")].mean,
        );
    }
}

/// One line per target: the limit, then each year's value with ok / NO.
fn print_targets(verdicts: &[Verdict]) {
    let Some(first_year) = verdicts.first().map(|v| v.year) else {
        return;
    };
    let mut years: Vec<i32> = verdicts.iter().map(|v| v.year).collect();
    years.sort_unstable();
    years.dedup();
    let targets: Vec<&Verdict> = verdicts.iter().filter(|v| v.year == first_year).collect();
    print!("\n{:<34}{:>16}", "target (due)", "limit");
    for y in &years {
        print!("{y:>14}");
    }
    println!();
    for t in targets {
        print!(
            "{:<34}{:>16}",
            format!("{} ({})", t.target, t.due),
            format!("{} {}", t.comparison, t.show(t.limit))
        );
        for y in &years {
            match verdicts
                .iter()
                .find(|v| v.year == *y && v.target == t.target)
            {
                Some(v) => print!(
                    "{:>14}",
                    format!("{} {}", v.show(v.value), if v.met { "ok" } else { "NO" })
                ),
                None => print!("{:>14}", "-"),
            }
        }
        println!();
    }
}

pub(crate) fn compare(args: &CompareArgs) -> anyhow::Result<()> {
    // Read quietly for its seed: the run reads it again and warns then.
    let a_scenario = xuewei_io::scenario::load(&args.a, &Reader::default())
        .map_err(|e| input_error(e.to_string()))?;
    let seed = args.seed.unwrap_or(a_scenario.seed);
    let n_a = steps(&args.a, args.replications);
    let progress = progress_bar(
        args.report.quiet,
        n_a + steps(&args.b, args.replications),
        "simulating",
    );
    let side_a = run_scenario(&args.a, args.replications, Some(seed), &progress, 0)?;
    let side_b = run_scenario(&args.b, args.replications, Some(seed), &progress, n_a)?;
    progress.finish_and_clear();
    let (a, runs_a) = (&side_a.scenario, &side_a.runs);
    let (b, runs_b) = (&side_b.scenario, &side_b.runs);
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    write::compare(runs_a, runs_b, create(&args.out, "compare.csv")?)?;
    let moves = output::moves(&runs_a[0], &runs_b[0]);
    write::moves(&moves, create(&args.out, "moves.csv")?)?;
    write::years(runs_a, create(&args.out, "years_a.csv")?)?;
    write::years(runs_b, create(&args.out, "years_b.csv")?)?;
    let (va, vb) = (verdicts(a, runs_a)?, verdicts(b, runs_b)?);
    write::targets(&va, create(&args.out, "targets_a.csv")?)?;
    write::targets(&vb, create(&args.out, "targets_b.csv")?)?;
    if args.report.wanted() {
        write_compare_report(args, &side_a, &side_b, (&va, &vb), &moves)?;
    }
    println!("A: {}\nB: {}", a.name, b.name);
    let (ba, bb) = (output::bands(runs_a), output::bands(runs_b));
    let col = |name: &str| {
        output::MEASURES
            .iter()
            .position(|m| m.0 == name)
            .unwrap_or(0)
    };
    println!(
        "{:<6}{:<9}{:>12}{:>12}{:>14}{:>14}{:>14}{:>14}",
        "year", "stage", "unplaced A", "unplaced B", "56+ A", "56+ B", "66+ A", "66+ B"
    );
    for ((year, stage, x), (_, _, y)) in ba.iter().zip(&bb) {
        println!(
            "{:<6}{:<9}{:>12.0}{:>12.0}{:>13.1}%{:>13.1}%{:>13.1}%{:>13.1}%",
            year,
            stage.name(),
            x[col("unplaced")].mean,
            y[col("unplaced")].mean,
            100.0 * x[col("large_share")].mean,
            100.0 * y[col("large_share")].mean,
            100.0 * x[col("super_large_share")].mean,
            100.0 * y[col("super_large_share")].mean,
        );
    }
    let longer = moves
        .iter()
        .filter(|m| matches!((m.distance_a, m.distance_b), (Some(x), Some(y)) if y > x))
        .count();
    println!(
        "\n{} pupil-years change school between A and B ({} travel farther in B); see moves.csv",
        moves.len(),
        longer
    );
    let met = |v: &[Verdict]| v.iter().filter(|v| v.met && v.year == v.due).count();
    println!(
        "targets met in their due year: A {} / B {}",
        met(&va),
        met(&vb)
    );
    Ok(())
}

fn write_compare_report(
    args: &CompareArgs,
    a: &Loaded,
    b: &Loaded,
    (va, vb): (&[Verdict], &[Verdict]),
    moves: &[Move],
) -> anyhow::Result<()> {
    let report = xuewei_report::compare_report(
        (&a.scenario, &a.base, &a.runs, va),
        (&b.scenario, &b.base, &b.runs, vb),
        moves,
        &ReportParams::default(),
    );
    args.report.write(&report)
}
