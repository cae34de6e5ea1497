//! # xuewei-io
//!
//! Every file format of xuewei, and nothing else: `xuewei-core` and `xuewei-scenario` hold
//! the model, the mechanisms and the simulation and take their input as data; this crate
//! turns files into that data and data back into files.
//!
//! - [`text`]: the one decoder of every file (UTF-8 with or without a byte-order mark,
//!   otherwise GBK with a [`Warning`](text::Warning); UTF-16 refused by name), and the
//!   [`Reader`] every loader that takes a path reads through.
//! - [`interchange`]: the JSON format of `xuewei match` ([`MatchInput`](interchange::MatchInput)
//!   in, [`MatchOutput`](interchange::MatchOutput) out).
//! - [`city`]: the city's files (`zones.geojson`, `schools.csv`, `pupils.csv`,
//!   `roads.geojson`, `roll.csv`, `blocks.csv`, priority rules JSON) → a validated
//!   [`City`](xuewei_core::city::City) or a scenario's base
//!   [`CityState`](xuewei_scenario::CityState); and an assignment's output files.
//! - [`scenario`] and [`targets`]: the TOML files of a plan → a
//!   [`Scenario`](xuewei_scenario::Scenario) and its
//!   [`Target`](xuewei_scenario::targets::Target)s; and a run's output files.
//! - [`synth`]: the files of the synthetic city (`xuewei synth`), written from a generated
//!   [`SynthCity`](xuewei_synth::SynthCity).
//! - [`report_files`]: the GeoJSON layers and CSV tables of a report's exports.
//! - [`LoadError`]: one problem, naming the file, the place in it (line, feature, key) and
//!   the field; [`LoadErrors`] when every problem of a set of files is reported at once;
//!   [`Error`] for loaders that can fail either way.
//!
//! Parsers take text and a file name for messages (`parse`, `from_json`); loaders take a
//! path and a [`Reader`] (`load`, `load_state`); writers take any `io::Write`.
//!
//! ```
//! use xuewei_core::{solve, SolveParams};
//! use xuewei_io::interchange::{MatchInput, MatchOutput};
//!
//! let input = MatchInput::from_json("input.json", r#"{
//!   "schools": [{"id": "H", "capacity": 1, "priority": [["b"]]}],
//!   "students": [{"id": "a", "preferences": ["H"]}, {"id": "b", "preferences": ["H"]}]
//! }"#)?;
//! let instance = input.to_instance()?;
//! let outcome = solve(&instance, &SolveParams::default())?;
//! let mut json = Vec::new();
//! MatchOutput::new(&instance, &outcome).write(&mut json)?;
//! assert!(String::from_utf8(json)?.contains(r#""b": "H""#));
//!
//! let bad = MatchInput::from_json("input.json", r#"{"schools": [{"id": "H"}]}"#).unwrap_err();
//! assert_eq!(
//!     bad.to_string(),
//!     "input.json: line 1 column 24: missing field `capacity`"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod city;
pub mod error;
pub mod interchange;
pub mod report_files;
pub mod scenario;
pub mod synth;
pub mod targets;
pub mod text;

pub use error::{Error, FieldProblem, GeometryProblem, LoadError, LoadErrors, Place};
pub use text::Reader;
