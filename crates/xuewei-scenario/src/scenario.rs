//! A scenario: the base city, the years, the policy, and the timed edits. Its file format
//! (TOML, `docs/scenarios.md`) is read by `xuewei_io::scenario`.

use std::path::PathBuf;

use crate::edit::Edit;
use crate::state::Policy;

/// The old core, for equity measures and the 3rd-ring target: a square around a centre.
#[derive(Clone, Copy, Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Core {
    /// Centre longitude.
    pub lon: f64,
    /// Centre latitude.
    pub lat: f64,
    /// Half-width of the square, km (Zhengzhou's 3rd ring: 6.5).
    pub half_width_km: f64,
}

impl Default for Core {
    fn default() -> Self {
        Self {
            lon: 113.66,
            lat: 34.75,
            half_width_km: 6.5,
        }
    }
}

impl Core {
    /// Whether a point lies inside the core square.
    #[must_use]
    pub fn contains(&self, p: geo::Point<f64>) -> bool {
        let dy = (p.y() - self.lat).abs() * 111.2;
        let dx = (p.x() - self.lon).abs() * 111.2 * self.lat.to_radians().cos();
        dx <= self.half_width_km && dy <= self.half_width_km
    }
}

/// An edit with its year.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct TimedEdit {
    /// The year it takes effect (before that year's admission).
    pub year: i32,
    /// The edit.
    #[serde(flatten)]
    pub edit: Edit,
}

/// A scenario. `xuewei_io::scenario::parse` builds one from a file and checks that
/// `end_year` comes after `base_year`, the scale is positive and every edit is dated inside
/// the simulated years.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Its name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// Directory of the base city (resolved against the scenario file's directory).
    pub city: PathBuf,
    /// The year of the base data; simulation starts the year after.
    pub base_year: i32,
    /// The last year simulated.
    pub end_year: i32,
    /// Seed of the population (who is born where) and of the lotteries.
    pub seed: u64,
    /// Scale of the city relative to the real one (absolute targets are scaled by it).
    pub scale: f64,
    /// The targets file, resolved, if any.
    pub targets: Option<PathBuf>,
    /// The policy at the start.
    pub policy: Policy,
    /// The old core.
    pub core: Core,
    /// The edits, in file order.
    pub edits: Vec<TimedEdit>,
}

impl Scenario {
    /// The simulated years.
    pub fn years(&self) -> impl Iterator<Item = i32> {
        self.base_year + 1..=self.end_year
    }
}
