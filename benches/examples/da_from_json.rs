//! Times xuewei's student-proposing deferred acceptance in process on a `xuewei match` JSON
//! instance, for the cross-check against the Python `matching` package (`benches/compare/`).
//!
//! ```sh
//! cargo run --release -p xuewei-benches --example da_from_json -- INSTANCE.json [RUNS] [OUT.tsv]
//! ```
//!
//! Reading, parsing, validating and the lottery draw happen once, outside the timed runs;
//! each of the `RUNS` runs (default 11) times `deferred_acceptance` alone. Prints one line
//! of JSON with the timings in seconds (`solve_median`, `solve_min`, every run) and the
//! one-off costs; with `OUT.tsv`, writes `pupil<TAB>school` per pupil in input order (an
//! empty school = unplaced).

use std::error::Error;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use xuewei_core::{deferred_acceptance, Lottery, LotteryParams};
use xuewei_io::interchange::MatchInput;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: da_from_json INSTANCE.json [RUNS] [OUT.tsv]";
    let path = args.next().ok_or(usage)?;
    let runs: usize = match args.next() {
        Some(r) => r.parse().map_err(|_| usage)?,
        None => 11,
    };
    let out = args.next();

    let start = Instant::now();
    let text = std::fs::read_to_string(&path)?;
    let read = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let input = MatchInput::from_json(&path, &text)?;
    let instance = input.to_instance()?;
    let load = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let lottery = Lottery::draw(&instance, &LotteryParams::default());
    let draw = start.elapsed().as_secs_f64();

    let mut times = Vec::with_capacity(runs.max(1));
    let mut result = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let assignment = deferred_acceptance(black_box(&instance), black_box(&lottery));
        times.push(start.elapsed().as_secs_f64());
        result = Some(black_box(assignment));
    }
    let result = result.ok_or("no run")?;

    if let Some(out) = out {
        let mut tsv = String::with_capacity(instance.n_students() * 16);
        for (student, school) in result.iter() {
            let pupil = instance.student_name(student);
            let school = school.map_or("", |s| instance.school_name(s));
            if [pupil, school].iter().any(|s| s.contains(['\t', '\n'])) {
                return Err(format!("id {pupil:?} or {school:?} holds a tab or newline").into());
            }
            writeln!(tsv, "{pupil}\t{school}")?;
        }
        std::fs::write(out, tsv)?;
    }

    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let list: Vec<String> = times.iter().map(|t| format!("{t:.6}")).collect();
    println!(
        "{{\"pupils\": {}, \"schools\": {}, \"placed\": {}, \"proposals\": {}, \
         \"runs\": {}, \"solve_median\": {median:.6}, \"solve_min\": {:.6}, \
         \"solve_all\": [{}], \"read\": {read:.6}, \"parse_and_validate\": {load:.6}, \
         \"draw\": {draw:.6}}}",
        instance.n_students(),
        instance.n_schools(),
        result.n_placed(),
        result.stats().proposals,
        times.len(),
        sorted[0],
        list.join(", "),
    );
    Ok(())
}
