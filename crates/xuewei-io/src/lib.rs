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
//! - [`LoadError`]: one problem, naming the file, the place in it and the field.
#![deny(missing_docs)]

pub mod error;
pub mod interchange;
pub mod text;

pub use error::LoadError;
pub use text::Reader;
