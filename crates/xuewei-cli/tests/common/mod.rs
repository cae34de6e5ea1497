//! Helpers shared by the end-to-end tests of the `xuewei` binary: running it needs
//! `CARGO_BIN_EXE_xuewei`, which only this package's tests have. Paths and temporary
//! directories come from `xuewei-testkit`.
#![allow(dead_code)] // each test binary uses its own subset

use std::process::{Command, Output};

pub use xuewei_testkit::fixtures::{root, temp_dir};

/// Runs `xuewei` with `args` from the repository root.
pub fn xuewei(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xuewei"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

/// A run's stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A run's stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
