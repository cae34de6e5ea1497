//! `xuewei`: school admission matching and planning from the command line.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use xuewei_core::{solve, ChoiceBand, Mechanism, SolveParams, TieBreak};
use xuewei_io::interchange::{MatchInput, MatchOutput};
use xuewei_io::text::Warning;
use xuewei_io::Reader;

/// Exit code for bad input (files, formats, values, flag combinations).
const EXIT_INPUT: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "xuewei",
    version,
    about = "School admission matching and planning (学位)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Assign pupils to schools with an admission mechanism (JSON interchange format).
    Match(MatchArgs),
    /// Assign every pupil of a city: catchment zones, lotteries, private schools, overflow.
    Assign(assign::AssignArgs),
    /// Form classes over whole-school rolls and report 大班额 / 超大班额 shares.
    Classes(classes::ClassesArgs),
    /// Generate the synthetic Zhengzhou-like city (zones, schools, pupils, roll, blocks, roads).
    Synth(synth::SynthArgs),
    /// Replay a plan year by year (scenario TOML) and judge it against the plan's targets.
    Simulate(simulate::SimulateArgs),
    /// Run two scenarios side by side: measures per year and the pupils who change school.
    Compare(simulate::CompareArgs),
    /// Check input files and report every problem at once (errors and warnings).
    Validate(validate::ValidateArgs),
}

#[derive(clap::Args, Debug)]
struct MatchArgs {
    /// The instance: schools, pupils and optional lottery (docs/formats.md).
    #[arg(long)]
    input: PathBuf,
    /// The mechanism.
    #[arg(long, value_enum, default_value_t = MechanismArg::Da)]
    mechanism: MechanismArg,
    /// Choices per band for `--mechanism parallel` (1 = boston; omit for 3).
    #[arg(long)]
    band: Option<u32>,
    /// Tie-breaking within priority tiers.
    #[arg(long, value_enum, default_value_t = TieBreakArg::Single)]
    tie_break: TieBreakArg,
    /// Lottery seed (ignored when the input gives a draw).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Run stable improvement cycles after da or school-da (Erdil & Ergin 2008).
    #[arg(long)]
    improve: bool,
    /// Where to write the result (stdout when omitted).
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum MechanismArg {
    /// Student-proposing deferred acceptance.
    Da,
    /// School-proposing deferred acceptance.
    SchoolDa,
    /// Immediate acceptance (志愿优先).
    Boston,
    /// Top trading cycles.
    Ttc,
    /// Serial dictatorship by score (分数优先).
    Serial,
    /// Chen–Kesten parallel mechanism (平行志愿) with --band.
    Parallel,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum TieBreakArg {
    /// One draw for all schools.
    Single,
    /// One draw per school.
    Multiple,
}

/// Reports and progress, shared by `assign`, `simulate` and `compare`.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct ReportArgs {
    /// Also write a self-contained HTML report (map, charts, tables; opens offline).
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
    /// Also write the map's layers as GeoJSON (schools, zones, flows) and every table of
    /// the report as CSV into this directory.
    #[arg(long, value_name = "DIR")]
    geojson: Option<PathBuf>,
    /// No progress bars (they are also hidden when stderr is not a terminal).
    #[arg(long)]
    quiet: bool,
}

impl ReportArgs {
    /// Whether a report or exports were asked for.
    pub(crate) fn wanted(&self) -> bool {
        self.report.is_some() || self.geojson.is_some()
    }

    /// Writes the report and exports asked for.
    pub(crate) fn write(&self, report: &xuewei_report::Report) -> anyhow::Result<()> {
        if let Some(path) = &self.report {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            fs::write(path, report.html())
                .with_context(|| format!("writing {}", path.display()))?;
        }
        if let Some(dir) = &self.geojson {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            report
                .write_exports(|name| fs::File::create(dir.join(name)).map(std::io::BufWriter::new))
                .with_context(|| format!("writing the exports to {}", dir.display()))?;
        }
        Ok(())
    }
}

/// A progress bar of `len` steps on stderr, hidden with `--quiet` or when stderr is not a
/// terminal.
pub(crate) fn progress_bar(quiet: bool, len: u64, what: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg:>12} [{bar:40}] {pos}/{len} ({elapsed}, eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    bar
}

/// A spinner with a message on stderr for steps without a count, hidden like
/// [`progress_bar`].
pub(crate) fn spinner(quiet: bool, what: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(what.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

mod assign;
mod classes;
mod memory;
mod simulate;
mod synth;
mod validate;

/// An error in what the user gave: exit code 2.
#[derive(Debug)]
pub(crate) struct InputError(String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

pub(crate) fn input_error(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(InputError(msg.into()))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Match(args) => run_match(&args),
        Command::Assign(args) => assign::run(&args),
        Command::Classes(args) => classes::run(&args),
        Command::Synth(args) => synth::run(&args),
        Command::Simulate(args) => simulate::simulate(&args),
        Command::Compare(args) => simulate::compare(&args),
        Command::Validate(args) => validate::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xuewei: {e:#}");
            if e.downcast_ref::<InputError>().is_some() {
                ExitCode::from(EXIT_INPUT)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn warn(warning: &Warning) {
    eprintln!("xuewei: {warning}");
}

/// The reader of every input file: UTF-8 (a byte-order mark is dropped), or, when the bytes
/// are not UTF-8, GBK (GB 18030) as Chinese Excel exports are, with a warning on stderr.
/// UTF-16 and bytes that are neither are input errors naming the file.
pub(crate) fn reader() -> Reader<'static> {
    Reader::new(&warn)
}

/// Reads a text file with [`reader`].
pub(crate) fn read_text(path: &Path) -> anyhow::Result<String> {
    reader().read(path).map_err(|e| input_error(e.to_string()))
}

fn run_match(args: &MatchArgs) -> anyhow::Result<()> {
    let mechanism = match args.mechanism {
        MechanismArg::Da => Mechanism::DeferredAcceptance,
        MechanismArg::SchoolDa => Mechanism::SchoolProposing,
        MechanismArg::Boston => Mechanism::ImmediateAcceptance,
        MechanismArg::Ttc => Mechanism::TopTradingCycles,
        MechanismArg::Serial => Mechanism::Serial,
        MechanismArg::Parallel => Mechanism::ChenKesten(match args.band {
            Some(0) => return Err(input_error("--band: must be at least 1")),
            Some(e) => ChoiceBand::Choices(e),
            None => ChoiceBand::Choices(3),
        }),
    };
    if args.band.is_some() && !matches!(mechanism, Mechanism::ChenKesten(_)) {
        return Err(input_error("--band applies only to --mechanism parallel"));
    }
    if args.improve && !mechanism.is_stable() {
        return Err(input_error(format!(
            "--improve applies only to da and school-da (not {})",
            mechanism.name()
        )));
    }
    let tie_break = match args.tie_break {
        TieBreakArg::Single => TieBreak::Single,
        TieBreakArg::Multiple => TieBreak::Multiple,
    };
    let path = &args.input;
    let size = fs::metadata(path)
        .map_err(|e| input_error(format!("{}: {e}", path.display())))?
        .len();
    memory::check(path, size, memory::available_bytes()).map_err(anyhow::Error::msg)?;
    let text = read_text(path)?;
    let input = MatchInput::from_json(&path.display().to_string(), &text)
        .map_err(|e| input_error(e.to_string()))?;
    // Peak memory is what is alive at once: the text, the records, the instance, the
    // output. Each goes as soon as the next stage has what it needs.
    drop(text);
    if input.lottery.is_some() && tie_break == TieBreak::Multiple {
        return Err(input_error(format!(
            "{}: the input gives a single lottery draw; --tie-break multiple cannot use it",
            path.display()
        )));
    }
    let instance = input
        .to_instance()
        .map_err(|e| input_error(format!("{}: {e}", path.display())))?;
    drop(input);
    let params = SolveParams::default()
        .mechanism(mechanism)
        .seed(args.seed)
        .tie_break(tie_break)
        .improve(args.improve);
    let outcome = solve(&instance, &params)?;
    let output = MatchOutput::new(&instance, &outcome);
    drop(outcome);
    // Streamed to the destination rather than built as one string first.
    let write = |to: &mut dyn Write| -> std::io::Result<()> {
        output.write(std::io::BufWriter::with_capacity(1 << 16, to))
    };
    match &args.output {
        Some(out) => fs::File::create(out)
            .and_then(|mut f| write(&mut f))
            .with_context(|| format!("writing {}", out.display()))?,
        None => write(&mut std::io::stdout().lock()).context("writing the result to stdout")?,
    }
    Ok(())
}
