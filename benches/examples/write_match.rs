//! Writes a generated instance as a `xuewei match` JSON input, for runs at sizes too large
//! to commit: `cargo run --release -p xuewei-benches --example write_match -- PUPILS OUT.json`.
//!
//! The instance is the benches' generator (n/100 schools, 10-school lists, popularity-skewed,
//! seats 1.05 n) with every school's pupils tied (no priority tiers), written as it streams.
use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};

use xuewei_core::generate::{random_instance, GenParams};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: write_match PUPILS OUT.json";
    let n: usize = args.next().ok_or(usage)?.parse().map_err(|_| usage)?;
    let path = args.next().ok_or(usage)?;
    let instance = random_instance(&GenParams::default().students(n).seed(2016).tiers(1));
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&path)?);
    writeln!(out, "{{\"schools\": [")?;
    for (i, s) in instance.schools().enumerate() {
        let sep = if i + 1 < instance.n_schools() {
            ","
        } else {
            ""
        };
        writeln!(
            out,
            "{{\"id\": \"{}\", \"capacity\": {}}}{sep}",
            instance.school_name(s),
            instance.capacity(s)
        )?;
    }
    writeln!(out, "], \"students\": [")?;
    for (i, st) in instance.students().enumerate() {
        write!(
            out,
            "{{\"id\": \"{}\", \"preferences\": [",
            instance.student_name(st)
        )?;
        for (k, s) in instance.preferences(st).iter().enumerate() {
            let sep = if k > 0 { ", " } else { "" };
            write!(out, "{sep}\"{}\"", instance.school_name(*s))?;
        }
        let sep = if i + 1 < instance.n_students() {
            ","
        } else {
            ""
        };
        writeln!(out, "]}}{sep}")?;
    }
    writeln!(out, "]}}")?;
    out.flush()?;
    Ok(())
}
