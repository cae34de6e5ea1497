//! # xuewei-core
//!
//! The admission engine of xuewei (学位, "school place"): a validated model of schools, seats,
//! priorities and pupils' preference lists, and the admission mechanisms used in school
//! choice and in Chinese admissions, each provably doing what it defines.
//!
//! - [`InstanceBuilder`] → [`Instance`]: schools with seats and priority tiers (tied pupils
//!   share a tier), pupils with lists, reserved seats ([`ReservePolicy`], 指标到校 quota
//!   places) and an optional published draw. External string ids become dense `u32` ids once.
//! - [`Lottery`] (电脑派位): single or multiple tie-breaking, drawn from a seeded ChaCha8
//!   stream or given.
//! - Mechanisms ([`mechanism`]), one module each, one free function each:
//!   [`deferred_acceptance`](fn@deferred_acceptance) (student-proposing, the default), [`school_proposing`](fn@school_proposing),
//!   [`immediate_acceptance`](fn@immediate_acceptance) (Boston, 志愿优先), [`top_trading_cycles`](fn@top_trading_cycles),
//!   [`serial_dictatorship`] (分数优先), [`chen_kesten`](fn@chen_kesten) (Chen–Kesten),
//!   and [`stable_improvement_cycles`] (Erdil–Ergin) after a stable mechanism.
//!   [`solve`] picks one at run time.
//! - [`verify`]: the defining properties as checks (capacity, stability, waste);
//!   [`conservation`]: the accounting of pupils every run checks before it returns.
//! - [`model`]: stages, values per stage ([`PerStage`]) and sectors.
//! - The city layer: [`city`] (a validated city, and `assign`: private lottery, catchment
//!   deferred acceptance, overflow, classes; its files are read by `xuewei-io`),
//!   [`catchment`] (homes → zones),
//!   [`distance`] (great-circle and road distances), [`overflow`] (minimum-distance
//!   placement), [`class_size`] (the class policy: [`SeatRule`] — guarantee, standard,
//!   `cap:N` — and [`ClassSizeStandard`] — 45/50 standard classes, 大班额 56+, 超大班额 66+;
//!   classes and their measures).
//!
//! ```
//! use xuewei_core::{deferred_acceptance, verify, InstanceBuilder, Lottery, LotteryParams};
//!
//! let mut b = InstanceBuilder::new();
//! let near = b.add_school("near", 1);
//! let far = b.add_school("far", 2);
//! let li = b.add_student("li", [near, far]);
//! let wang = b.add_student("wang", [near, far]);
//! let zhao = b.add_student("zhao", [near]);
//! b.push_tier(near, [zhao]); // e.g. local hukou and owns the home
//! let instance = b.build()?;
//!
//! let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(2016));
//! let result = deferred_acceptance(&instance, &lottery);
//! assert_eq!(result.school_of(zhao), Some(near));
//! assert_eq!(result.school_of(li), Some(far));
//! assert_eq!(result.school_of(wang), Some(far));
//! assert!(verify::blocking_pairs(&instance, &lottery, &result).is_empty());
//! # Ok::<(), xuewei_core::ValidationErrors>(())
//! ```
#![deny(missing_docs)]

pub mod assignment;
pub mod catchment;
pub mod city;
pub mod class_size;
pub mod conservation;
pub mod distance;
pub mod error;
pub mod generate;
pub mod ids;
pub mod instance;
pub mod lottery;
pub mod mechanism;
pub mod model;
pub mod overflow;
pub mod verify;

pub use assignment::{cutoffs, reserve_use, Assignment, BySchool, ReserveUse, Stats};
pub use class_size::{ClassSizeStandard, SeatRule, UnknownSeatRule};
pub use conservation::ConservationError;
pub use error::{Problem, Problems, Record, ValidationError, ValidationErrors};
pub use ids::{DistrictId, GroupId, SchoolId, StudentId};
pub use instance::{
    Instance, InstanceBuilder, Reserve, ReserveOrder, ReservePolicy, UnfilledReserves,
};
pub use lottery::{DrawSource, Lottery, LotteryParams, Rank, TieBreak};
pub use mechanism::{
    chen_kesten, deferred_acceptance, immediate_acceptance, school_proposing, serial_dictatorship,
    solve, stable_improvement_cycles, top_trading_cycles, ChoiceBand, Mechanism, Outcome,
    SolveParams,
};
pub use model::{PerStage, PerStageError, Sector, Stage, UnknownStage};
