//! # xuewei-io
//!
//! Every file format of xuewei, and nothing else: the crates below it hold the model and the
//! mechanisms and take their input as data; this crate turns files into that data and data
//! back into files.
//!
//! - [`text`]: the one decoder of every file (UTF-8 with or without a byte-order mark,
//!   otherwise GBK with a [`Warning`](text::Warning); UTF-16 refused by name), and the
//!   [`Reader`] every loader reads through.
//! - [`interchange`]: the JSON format of `xuewei match` ([`MatchInput`](interchange::MatchInput)
//!   in, [`MatchOutput`](interchange::MatchOutput) out).
//! - [`city`]: the city's files (`zones.geojson`, `schools.csv`, `pupils.csv`,
//!   `roads.geojson`, `roll.csv`, `blocks.csv`, priority rules JSON) → a validated
//!   [`City`](xuewei_core::city::City) or a scenario's base
//!   [`CityState`](xuewei_scenario::CityState).
//! - [`scenario`] and [`targets`]: the TOML files of a plan → a
//!   [`Scenario`](xuewei_scenario::Scenario) and its [`Target`](xuewei_scenario::targets::Target)s.
//! - [`LoadError`]: one problem, naming the file, the place in it and the field;
//!   [`LoadErrors`] when every problem of a set of files is reported at once; [`Error`] for
//!   loaders that can fail either way.
#![deny(missing_docs)]

pub mod city;
pub mod error;
pub mod interchange;
pub mod scenario;
pub mod targets;
pub mod text;

pub use error::{Error, GeometryProblem, LoadError, LoadErrors, Place};
pub use text::Reader;
