//! # xuewei-testkit
//!
//! What xuewei's tests, benches and fuzz targets share, written once: the oracles that say
//! whether a result keeps the properties that define it, builders of random instances and
//! small cities, and the repository's fixtures. Not published; only tests, benches and fuzz
//! targets depend on it.
//!
//! - [`oracle`]: brute force and property checks over the public API of `xuewei-core` —
//!   every assignment of a tiny instance, its stable ones, preference comparisons and Pareto
//!   dominance, feasibility, stability, non-wastefulness, the battery every mechanism must
//!   pass ([`oracle::check_mechanisms`]), invariance under input order, and the promises of a
//!   city and of its assignment. Each check returns `Err` with a message saying what is
//!   wrong, so a proptest can fail the case with it (`.map_err(TestCaseError::fail)?`) and a
//!   fuzz target can panic with it.
//! - [`instance`]: small instances and cities described by plain data ([`instance::Spec`],
//!   [`instance::CitySpec`]) and, with the default `proptest` feature, the strategies that
//!   generate them.
//! - [`fixtures`]: paths of the repository's fixtures, loaders of the small city through
//!   `xuewei-io`, and fresh temporary directories.
//!
//! ```
//! use xuewei_core::{deferred_acceptance, top_trading_cycles, Lottery, LotteryParams, TieBreak};
//! use xuewei_testkit::instance::Spec;
//! use xuewei_testkit::oracle;
//!
//! // Two pupils want school 0 (one seat); pupil 1 also lists school 1.
//! let spec = Spec {
//!     capacities: vec![1, 1],
//!     lists: vec![vec![0], vec![0, 1]],
//!     tiers: vec![vec![1, 0], vec![0, 0]],
//!     scores: vec![0, 0],
//!     groups: vec![None, None],
//!     reserves: vec![None, None],
//! };
//! let instance = spec.build();
//! let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(7));
//! let da = deferred_acceptance(&instance, &lottery);
//! oracle::feasible(&instance, &da)?;
//! oracle::stable(&instance, &lottery, &da)?;
//! // Brute force on a tiny instance: DA is the pupil-optimal stable matching, and no
//! // feasible assignment Pareto-dominates top trading cycles.
//! let stable = oracle::all_stable(&instance, &lottery, 1024).ok_or("too many to enumerate")?;
//! oracle::pupil_optimal_stable(&instance, &da, &stable)?;
//! let all = oracle::all_assignments(&instance, 1024).ok_or("too many to enumerate")?;
//! oracle::pareto_efficient(&instance, &top_trading_cycles(&instance, &lottery), &all)?;
//! // Or everything every mechanism promises, at once.
//! oracle::check_mechanisms(&instance, 7, TieBreak::Single, 1)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

/// Returns `Err(message)` from the enclosing function when the condition is false.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// Returns `Err` from the enclosing function when the two values differ, with the message
/// and both values (as `assert_eq!` prints them).
macro_rules! ensure_eq {
    ($left:expr, $right:expr, $($msg:tt)+) => {
        match (&$left, &$right) {
            (left, right) => {
                if *left != *right {
                    return Err(format!(
                        "{}\n  left: {:?}\n right: {:?}",
                        format_args!($($msg)+),
                        left,
                        right
                    ));
                }
            }
        }
    };
}

pub mod fixtures;
pub mod instance;
pub mod oracle;
