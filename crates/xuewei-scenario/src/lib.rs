//! # xuewei-scenario
//!
//! Plans replayed year by year on top of [`xuewei_core`], and the synthetic Zhengzhou-like
//! city they run on.
#![deny(missing_docs)]

pub mod synth;
