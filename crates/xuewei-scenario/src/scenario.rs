//! Scenario files (TOML): the base city, the years, the policy, and the timed edits.
//! Documented with examples in `docs/scenarios.md`.

use std::path::{Path, PathBuf};

use xuewei_core::city::PriorityRules;
use xuewei_core::TieBreak;

use crate::edit::Edit;
use crate::error::ScenarioError;
use crate::state::Policy;

/// The policy at the start (before any edit).
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    /// Class policy (default `standard`), e.g. `guarantee`, `cap:56`,
    /// `primary=guarantee,junior=cap:56`.
    #[serde(default)]
    pub class_policy: Option<String>,
    /// Priority rules (default: hukou and home, hukou or home, residence permit, others).
    #[serde(default)]
    pub rules: Option<PriorityRules>,
    /// Lottery tie-breaking (default single).
    #[serde(default)]
    pub tie_break: Option<TieBreak>,
}

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

/// The scenario file as written.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default = "dot")]
    city: String,
    base_year: i32,
    end_year: i32,
    #[serde(default)]
    seed: u64,
    #[serde(default = "one")]
    scale: f64,
    #[serde(default)]
    targets: Option<String>,
    #[serde(default)]
    policy: PolicySpec,
    #[serde(default)]
    core: Core,
    #[serde(default)]
    edit: Vec<TimedEdit>,
}

fn dot() -> String {
    ".".into()
}
fn one() -> f64 {
    1.0
}

/// A validated scenario.
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
    /// Parses a scenario; relative paths are resolved against `dir`.
    ///
    /// # Errors
    /// Malformed TOML, unknown fields or edit kinds, years out of order, a bad class policy,
    /// an edit dated outside the simulated years.
    pub fn parse(file: &str, text: &str, dir: &Path) -> Result<Self, ScenarioError> {
        let bad = |message: String| ScenarioError::Scenario {
            file: file.to_owned(),
            message,
        };
        let f: ScenarioFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        if f.end_year <= f.base_year {
            return Err(bad(format!(
                "end_year {} must come after base_year {}",
                f.end_year, f.base_year
            )));
        }
        if !(f.scale.is_finite() && f.scale > 0.0) {
            return Err(bad(format!("scale {} must be positive", f.scale)));
        }
        let mut policy = Policy::default();
        if let Some(text) = &f.policy.class_policy {
            policy.class_policy = policy
                .class_policy
                .parse_onto(text)
                .map_err(|e| bad(format!("policy.class_policy: {e}")))?;
        }
        if let Some(r) = f.policy.rules {
            policy.rules = r;
        }
        if let Some(t) = f.policy.tie_break {
            policy.tie_break = t;
        }
        for (i, e) in f.edit.iter().enumerate() {
            if e.year <= f.base_year || e.year > f.end_year {
                return Err(bad(format!(
                    "edit {i} ({}): year {} is outside {}..={}",
                    e.edit.kind(),
                    e.year,
                    f.base_year + 1,
                    f.end_year
                )));
            }
            if let Edit::Policy {
                class_policy: Some(text),
                ..
            } = &e.edit
            {
                policy
                    .class_policy
                    .parse_onto(text)
                    .map_err(|m| bad(format!("edit {i} (policy): {m}")))?;
            }
        }
        Ok(Scenario {
            name: f.name,
            description: f.description,
            city: dir.join(f.city),
            base_year: f.base_year,
            end_year: f.end_year,
            seed: f.seed,
            scale: f.scale,
            targets: f.targets.map(|t| dir.join(t)),
            policy,
            core: f.core,
            edits: f.edit,
        })
    }

    /// Reads and parses a scenario file.
    ///
    /// # Errors
    /// An unreadable file, or anything [`Scenario::parse`] reports.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        Self::parse(&path.display().to_string(), &text, dir)
    }

    /// The simulated years.
    pub fn years(&self) -> impl Iterator<Item = i32> {
        self.base_year + 1..=self.end_year
    }
}
