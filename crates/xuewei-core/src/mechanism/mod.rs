//! The admission mechanisms, one module and one free function each, and [`solve`], one
//! entry point over all of them for callers that pick the mechanism at run time.
//!
//! - [`deferred_acceptance`](fn@deferred_acceptance) (student-proposing, the default) and
//!   [`school_proposing`](fn@school_proposing);
//! - [`immediate_acceptance`](fn@immediate_acceptance) (Boston, 志愿优先);
//! - [`chen_kesten`](fn@chen_kesten) (Chen–Kesten; see its [module](mod@chen_kesten));
//! - [`serial_dictatorship`] (分数优先);
//! - [`top_trading_cycles`](fn@top_trading_cycles);
//! - [`stable_improvement_cycles`] (Erdil–Ergin) after a stable mechanism.
//!
//! Deferred acceptance, Boston and Chen–Kesten (and serial dictatorship with reserves) share
//! one student-proposing engine, `proposals`; schools with reserved seats (指标到校) choose
//! by the slot rule of `reserve_slots`. See `docs/mechanisms.md`.

pub mod chen_kesten;
pub mod deferred_acceptance;
pub mod immediate_acceptance;
pub mod improvement;
mod proposals;
pub(crate) mod reserve_slots;
pub mod school_proposing;
pub mod serial;
pub mod top_trading_cycles;

pub use chen_kesten::{chen_kesten, ChoiceBand};
pub use deferred_acceptance::deferred_acceptance;
pub use immediate_acceptance::immediate_acceptance;
pub use improvement::stable_improvement_cycles;
pub use school_proposing::school_proposing;
pub use serial::serial_dictatorship;
pub use top_trading_cycles::top_trading_cycles;

use crate::assignment::Assignment;
use crate::conservation::{self, ConservationError};
use crate::instance::Instance;
use crate::lottery::{Lottery, LotteryParams, TieBreak};

/// An admission mechanism.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mechanism {
    /// Student-proposing deferred acceptance (the default).
    #[default]
    DeferredAcceptance,
    /// School-proposing deferred acceptance.
    SchoolProposing,
    /// Immediate acceptance (Boston; 志愿优先).
    ImmediateAcceptance,
    /// Top trading cycles.
    TopTradingCycles,
    /// Serial dictatorship by score (分数优先).
    Serial,
    /// Chen–Kesten with a band of choices ([`chen_kesten`](fn@chen_kesten); its
    /// [`name`](Mechanism::name) is `parallel`).
    ChenKesten(ChoiceBand),
}

impl Mechanism {
    /// The short name used on the command line and in output files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::DeferredAcceptance => "da",
            Mechanism::SchoolProposing => "school-da",
            Mechanism::ImmediateAcceptance => "boston",
            Mechanism::TopTradingCycles => "ttc",
            Mechanism::Serial => "serial",
            Mechanism::ChenKesten(_) => "parallel",
        }
    }

    /// Whether the mechanism's result is stable for the tie-broken priorities, so that
    /// stable improvement cycles may follow it.
    #[must_use]
    pub fn is_stable(self) -> bool {
        matches!(
            self,
            Mechanism::DeferredAcceptance
                | Mechanism::SchoolProposing
                | Mechanism::ChenKesten(ChoiceBand::Unlimited)
        )
    }
}

/// Options of [`solve`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SolveParams {
    /// The mechanism (default deferred acceptance).
    pub mechanism: Mechanism,
    /// Seed and tie-breaking of the lottery.
    pub lottery: LotteryParams,
    /// Run stable improvement cycles after a stable mechanism (default off).
    pub improve: bool,
}

impl SolveParams {
    /// Sets the mechanism.
    #[must_use]
    pub fn mechanism(mut self, mechanism: Mechanism) -> Self {
        self.mechanism = mechanism;
        self
    }

    /// Sets the lottery seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.lottery.seed = seed;
        self
    }

    /// Sets the tie-breaking rule.
    #[must_use]
    pub fn tie_break(mut self, tie_break: TieBreak) -> Self {
        self.lottery.tie_break = tie_break;
        self
    }

    /// Turns stable improvement cycles on or off.
    #[must_use]
    pub fn improve(mut self, improve: bool) -> Self {
        self.improve = improve;
        self
    }
}

/// What [`solve`] returns: the assignment and the draw that produced it.
#[derive(Clone, Debug)]
#[must_use]
pub struct Outcome {
    /// The mechanism that ran.
    pub mechanism: Mechanism,
    /// The lottery used.
    pub lottery: Lottery,
    /// Who goes where.
    pub assignment: Assignment,
    /// Whether stable improvement cycles ran.
    pub improved: bool,
}

/// Draws the lottery and runs the chosen mechanism.
///
/// Stable improvement cycles run only after a stable mechanism
/// ([`Mechanism::is_stable`]); for the others `improve` is ignored and
/// [`Outcome::improved`] is false.
///
/// ```
/// use xuewei_core::{solve, InstanceBuilder, Mechanism, SolveParams};
/// let mut b = InstanceBuilder::new();
/// let x = b.add_school("X", 1);
/// let a = b.add_student("a", [x]);
/// let instance = b.build()?;
/// let out = solve(&instance, &SolveParams::default().mechanism(Mechanism::Serial).seed(7))?;
/// assert_eq!(out.assignment.school_of(a), Some(x));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`ConservationError`] if the assignment does not account for every pupil, places a
/// pupil at a school they did not list or overfills a school (see
/// [`conservation::check_match`]): a defect, never an input problem.
pub fn solve(instance: &Instance, params: &SolveParams) -> Result<Outcome, ConservationError> {
    let lottery = Lottery::draw(instance, &params.lottery);
    let assignment = match params.mechanism {
        Mechanism::DeferredAcceptance => deferred_acceptance(instance, &lottery),
        Mechanism::SchoolProposing => school_proposing(instance, &lottery),
        Mechanism::ImmediateAcceptance => immediate_acceptance(instance, &lottery),
        Mechanism::TopTradingCycles => top_trading_cycles(instance, &lottery),
        Mechanism::Serial => serial_dictatorship(instance, &lottery),
        Mechanism::ChenKesten(band) => chen_kesten(instance, &lottery, band),
    };
    let improved = params.improve && params.mechanism.is_stable();
    let assignment = if improved {
        stable_improvement_cycles(instance, &lottery, assignment)
    } else {
        assignment
    };
    conservation::check_match(instance, &assignment)?;
    Ok(Outcome {
        mechanism: params.mechanism,
        lottery,
        assignment,
        improved,
    })
}
