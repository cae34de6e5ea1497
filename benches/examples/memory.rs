//! Peak memory of a deferred-acceptance run beyond its input, per pupil:
//! `cargo run --release -p xuewei-benches --example memory -- [pupils]` (Linux only; reads
//! `/proc/self/status`).
//!
//! Builds a generated instance (n pupils, 10-school lists, as in the benches) and draws the
//! lottery, notes the resident set, resets the kernel's peak counter
//! (`/proc/self/clear_refs`), runs `deferred_acceptance` and reads the peak again. The
//! difference is what the solve itself needed on top of the instance and the draw.
use std::error::Error;
use std::fs;
use std::time::Instant;

use xuewei_core::generate::{random_instance, GenParams};
use xuewei_core::{deferred_acceptance, Lottery, LotteryParams};

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`).
fn status_bytes(field: &str) -> Result<u64, Box<dyn Error>> {
    let status = fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .ok_or_else(|| format!("no {field} in /proc/self/status"))?;
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .ok_or("malformed status line")?
        .parse()?;
    Ok(kb * 1024)
}

fn main() -> Result<(), Box<dyn Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let instance = random_instance(&GenParams::default().students(n).seed(2016));
    let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(7));
    let entries: usize = instance
        .students()
        .map(|s| instance.preferences(s).len())
        .sum();
    let before = status_bytes("VmRSS:")?;
    // "5" resets the peak resident set to the current one (Linux ≥ 4.0).
    fs::write("/proc/self/clear_refs", "5")?;
    let t = Instant::now();
    let result = deferred_acceptance(&instance, &lottery);
    let secs = t.elapsed().as_secs_f64();
    let peak = status_bytes("VmHWM:")?;
    let extra = peak.saturating_sub(before);
    println!(
        "{{\"pupils\": {n}, \"list_entries\": {entries}, \"rss_before_bytes\": {before}, \
         \"peak_bytes\": {peak}, \"solve_extra_bytes\": {extra}, \
         \"solve_extra_per_pupil\": {:.1}, \"placed\": {}, \"seconds\": {secs:.3}}}",
        extra as f64 / n.max(1) as f64,
        result.n_placed()
    );
    Ok(())
}
