//! `xuewei synth`: the synthetic Zhengzhou-like city, written as the files of `xuewei assign`
//! and `xuewei classes` (plus `blocks.csv` and `roads.geojson`).

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use xuewei_core::{Sector, Stage};
use xuewei_synth::generate;

use crate::{input_error, reader, spinner};

#[derive(clap::Args, Debug)]
pub(crate) struct SynthArgs {
    /// Seed of the generator (same seed and scale, same bytes).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Scale: schools and pupils are the full city's × F (1 = the plan's 2015 figures).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// The city's parameters (TOML).
    #[arg(long, default_value = "seeds/zhengzhou.toml")]
    params: PathBuf,
    /// Output directory (created when missing).
    #[arg(long)]
    out: PathBuf,
    /// No progress spinner (it is also hidden when stderr is not a terminal).
    #[arg(long)]
    quiet: bool,
}

pub(crate) fn run(args: &SynthArgs) -> anyhow::Result<()> {
    let params = xuewei_io::synth::params::load(&args.params, &reader())
        .map_err(|e| input_error(e.to_string()))?;
    let start = Instant::now();
    let progress = spinner(
        args.quiet,
        &format!("generating the city at scale {}", args.scale),
    );
    let city = generate(&params, args.seed, args.scale)
        .map_err(|e| input_error(format!("--scale: {e}")))?;
    let generated = start.elapsed();
    progress.set_message(format!("writing {}", args.out.display()));
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    xuewei_io::synth::write_all(&city, |name| {
        let path = args.out.join(name);
        File::create(&path).map(BufWriter::new)
    })
    .with_context(|| format!("writing the city to {}", args.out.display()))?;
    progress.finish_and_clear();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}: seed {}, scale {} → {} ({} blocks, {} zones, {} roads; generated in {:.2} s, written in {:.2} s)",
        params.name,
        args.seed,
        args.scale,
        args.out.display(),
        city.blocks.len(),
        city.zones.len(),
        city.roads.len(),
        generated.as_secs_f64(),
        start.elapsed().as_secs_f64() - generated.as_secs_f64()
    )?;
    writeln!(
        out,
        "{:<9}{:>8}{:>9}{:>10}{:>10}",
        "stage", "public", "private", "roll", "entering"
    )?;
    for stage in [Stage::Primary, Stage::Junior, Stage::Senior] {
        writeln!(
            out,
            "{:<9}{:>8}{:>9}{:>10}{:>10}",
            stage.name(),
            city.school_count(stage, Sector::Public),
            city.school_count(stage, Sector::Private),
            city.roll_total(stage),
            city.pupils.iter().filter(|p| p.stage == stage).count()
        )?;
    }
    Ok(())
}
