//! The Chen–Kesten application-rejection family (the "parallel" mechanism, 平行志愿).

use crate::assignment::{Assignment, Stats};
use crate::instance::Instance;
use crate::lottery::Lottery;
use crate::mechanism::proposals;

/// How many choices form one band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Band {
    /// Bands of this many choices (0 is read as 1).
    Choices(u32),
    /// One band holding the whole list: deferred acceptance.
    Unlimited,
}

impl Band {
    fn width(self) -> Option<u32> {
        match self {
            Band::Choices(e) => Some(e.max(1)),
            Band::Unlimited => None,
        }
    }
}

/// The application-rejection mechanism with band `e`: choices are taken in bands of `e`;
/// within a band, pupils still unplaced apply through their choices of that band by deferred
/// acceptance on the seats still free; at the end of the band every hold becomes final, and
/// the pupils left unplaced move on to their next band.
///
/// `e = 1` is immediate acceptance (Boston), `e = ∞` is deferred acceptance; in between lie
/// the parallel (平行志愿) mechanisms of Chinese admissions. Larger `e` is more stable and
/// less manipulable (Chen & Kesten 2017, Theorems 1–2).
///
/// Reference: Y. Chen and O. Kesten, "Chinese college admissions and school choice reforms:
/// a theoretical analysis", *Journal of Political Economy* 125 (2017).
///
/// Complexity: O(n·L + P log c + (L/e)·m).
pub fn application_rejection(instance: &Instance, lottery: &Lottery, band: Band) -> Assignment {
    let out = proposals::run_tiers(instance, lottery, band.width());
    Assignment::from_raw(
        out.school_of,
        Stats {
            proposals: out.proposals,
            rounds: band.width().map(|_| out.rounds),
            ..Stats::default()
        },
    )
}
