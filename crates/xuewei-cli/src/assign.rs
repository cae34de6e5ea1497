//! `xuewei assign`: a city's files in, placements, schools, classes and a summary out.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::Context;
use xuewei_core::city::{self, AssignParams, City};
use xuewei_core::TieBreak;
use xuewei_io::city::{write, CityPaths};

use crate::{input_error, reader, spinner, ReportArgs, TieBreakArg};

#[derive(clap::Args, Debug)]
pub(crate) struct AssignArgs {
    /// A directory holding zones.geojson, schools.csv, pupils.csv and optionally
    /// roads.geojson (as `xuewei synth` writes them); the flags below override single files.
    #[arg(long)]
    city: Option<PathBuf>,
    /// Catchment zones (GeoJSON FeatureCollection of Polygon/MultiPolygon).
    #[arg(long, required_unless_present = "city")]
    zones: Option<PathBuf>,
    /// Schools (CSV: `id,name,stage,sector,lon,lat,entry_classes,district[,seats]`).
    #[arg(long, required_unless_present = "city")]
    schools: Option<PathBuf>,
    /// Entering pupils (CSV: id,stage,lon,lat,hukou_local,owns_home,residence_permit,...).
    #[arg(long, required_unless_present = "city")]
    pupils: Option<PathBuf>,
    /// Road network (GeoJSON LineStrings) for distances along roads.
    #[arg(long)]
    roads: Option<PathBuf>,
    /// Master lottery seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Tie-breaking of the catchment lottery.
    #[arg(long, value_enum, default_value_t = TieBreakArg::Single)]
    tie_break: TieBreakArg,
    /// Priority rules (JSON: {"tiers": ["hukou_and_home", ...], "sibling_lift": true}).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Class policy: guarantee, standard or cap:N, for every stage or per stage
    /// (primary=cap:56,junior=standard).
    #[arg(long, default_value = "standard")]
    class_policy: String,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    report: ReportArgs,
}

pub(crate) fn load_city(
    zones: &Path,
    schools: &Path,
    pupils: &Path,
    roads: Option<&Path>,
) -> Result<City, xuewei_io::Error> {
    let paths = CityPaths {
        zones,
        schools,
        pupils,
        roads,
    };
    xuewei_io::city::load(&paths, &reader())
}

pub(crate) fn run(args: &AssignArgs) -> anyhow::Result<()> {
    let mut params = AssignParams::default()
        .seed(args.seed)
        .tie_break(match args.tie_break {
            TieBreakArg::Single => TieBreak::Single,
            TieBreakArg::Multiple => TieBreak::Multiple,
        });
    params.class_policy = args
        .class_policy
        .parse()
        .map_err(|e| input_error(format!("--class-policy: {e}")))?;
    if let Some(path) = &args.rules {
        let rules = xuewei_io::city::rules::load(path, &reader())
            .map_err(|e| input_error(e.to_string()))?;
        params = params.rules(rules);
    }
    let file = |given: &Option<PathBuf>, name: &str| -> Option<PathBuf> {
        given
            .clone()
            .or_else(|| args.city.as_ref().map(|dir| dir.join(name)))
    };
    let missing = |what: &str| input_error(format!("--{what} (or --city DIR) is required"));
    let zones = file(&args.zones, "zones.geojson").ok_or_else(|| missing("zones"))?;
    let schools = file(&args.schools, "schools.csv").ok_or_else(|| missing("schools"))?;
    let pupils = file(&args.pupils, "pupils.csv").ok_or_else(|| missing("pupils"))?;
    let roads = file(&args.roads, "roads.geojson").filter(|p| args.roads.is_some() || p.exists());
    let progress = spinner(args.report.quiet, "loading the city");
    let city = load_city(&zones, &schools, &pupils, roads.as_deref())
        .map_err(|e| input_error(e.to_string()))?;
    progress.set_message(format!(
        "assigning {} pupils to {} schools",
        city.pupils().len(),
        city.schools().len()
    ));
    let result = city::assign(&city, &params)?;
    progress.set_message("writing");
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let create = |file: &str| -> anyhow::Result<BufWriter<File>> {
        let path = args.out.join(file);
        Ok(BufWriter::new(
            File::create(&path).with_context(|| format!("writing {}", path.display()))?,
        ))
    };
    write::placements(&city, &result, create("placements.csv")?)?;
    write::schools(&city, &result, create("schools.csv")?)?;
    write::classes(&city, &result, create("classes.csv")?)?;
    write::draws(&city, &result, create("lottery.csv")?)?;
    write::summary(&result, create("summary.json")?)?;
    if args.report.wanted() {
        progress.set_message("writing the report");
        let mut inputs = vec![
            ("zones".to_owned(), zones.display().to_string()),
            ("schools".to_owned(), schools.display().to_string()),
            ("pupils".to_owned(), pupils.display().to_string()),
        ];
        if let Some(r) = &roads {
            inputs.push(("roads".to_owned(), r.display().to_string()));
        }
        if let Some(r) = &args.rules {
            inputs.push(("rules".to_owned(), r.display().to_string()));
        }
        let report = xuewei_report::assign_report(
            &city,
            &result,
            &params,
            &xuewei_report::ReportParams::default(),
            inputs,
        );
        args.report.write(&report)?;
    }
    progress.finish_and_clear();
    print_summary(&result);
    Ok(())
}

fn print_summary(result: &city::CityAssignment) {
    println!(
        "{:<13}{:>9}{:>9}{:>9}{:>9}{:>9}{:>10}{:>8}{:>8}{:>8}",
        "stage",
        "pupils",
        "placed",
        "unplaced",
        "overflow",
        "private",
        "mean_m",
        "classes",
        "56+",
        "66+"
    );
    for (stage, s) in &result.stages {
        println!(
            "{:<13}{:>9}{:>9}{:>9}{:>9}{:>9}{:>10.0}{:>8}{:>7.1}%{:>7.1}%",
            stage.name(),
            s.pupils,
            s.placed,
            s.unplaced,
            s.overflow,
            s.private,
            s.mean_distance_m,
            s.classes.classes,
            100.0 * s.large_share,
            100.0 * s.super_large_share
        );
    }
}
