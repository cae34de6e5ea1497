//! The Chen–Kesten parallel mechanism (平行志愿), `--mechanism parallel`: the
//! application-rejection family of Chen & Kesten (2017), in which pupils' choices are
//! taken in bands of `e`. Band 1 is immediate acceptance (Boston), an unlimited band is
//! deferred acceptance; the parallel mechanisms of Chinese admissions lie in between.
//! In code it has one name: the function [`chen_kesten`], the band [`ChoiceBand`] and
//! [`Mechanism::ChenKesten`](crate::Mechanism::ChenKesten). See also `docs/mechanisms.md`.

use crate::assignment::{Assignment, Stats};
use crate::instance::Instance;
use crate::lottery::Lottery;
use crate::mechanism::proposals;

/// How many choices of a pupil's list form one band (one round) of [`chen_kesten`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChoiceBand {
    /// Bands of this many choices (0 is read as 1).
    Choices(u32),
    /// One band holding the whole list: deferred acceptance.
    Unlimited,
}

impl ChoiceBand {
    fn width(self) -> Option<u32> {
        match self {
            ChoiceBand::Choices(e) => Some(e.max(1)),
            ChoiceBand::Unlimited => None,
        }
    }
}

/// The Chen–Kesten mechanism with band `e`: choices are taken in bands of `e`;
/// within a band, pupils still unplaced apply through their choices of that band by deferred
/// acceptance on the seats still free; at the end of the band every hold becomes final, and
/// the pupils left unplaced move on to their next band.
///
/// `e = 1` is immediate acceptance (Boston), `e = ∞` is deferred acceptance. Larger `e` is
/// more stable and less manipulable (Chen & Kesten 2017, Theorems 1–2).
///
/// Reference: Y. Chen and O. Kesten, "Chinese college admissions and school choice reforms:
/// a theoretical analysis", *Journal of Political Economy* 125 (2017).
///
/// Complexity: O(n·L + P log c + (L/e)·m).
pub fn chen_kesten(instance: &Instance, lottery: &Lottery, band: ChoiceBand) -> Assignment {
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
