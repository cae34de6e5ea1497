//! Scenario files (TOML): the base city, the years, the policy, and the timed edits,
//! validated into a [`Scenario`]. Documented with examples in `docs/scenarios.md`. The
//! files a run writes: [`write`](mod@write).
//!
//! ```
//! use std::path::Path;
//! let text = "name = \"plan\"\ncity = \"city\"\nbase_year = 2015\nend_year = 2017\n\
//!             [policy]\nclass_policy = \"cap:56\"\n\
//!             [[edit]]\nyear = 2016\nkind = \"close\"\nschool = \"PA\"\n";
//! let s = xuewei_io::scenario::parse("plan.toml", text, Path::new("plans"))?;
//! assert_eq!(s.city, Path::new("plans/city"));
//! assert_eq!(s.years().collect::<Vec<_>>(), [2016, 2017]);
//! let late = text.replace("year = 2016", "year = 2019");
//! let e = xuewei_io::scenario::parse("plan.toml", &late, Path::new("plans")).unwrap_err();
//! assert_eq!(e.to_string(), "plan.toml: edit 0 (close): year 2019 is outside 2016..=2017");
//! # Ok::<(), xuewei_io::LoadError>(())
//! ```

pub mod write;

use std::path::Path;

use xuewei_core::city::PriorityRules;
use xuewei_core::TieBreak;
use xuewei_scenario::edit::Edit;
use xuewei_scenario::state::Policy;
use xuewei_scenario::{Core, Scenario, TimedEdit};

use crate::error::LoadError;
use crate::text::Reader;

/// The policy at the start (before any edit), as written.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicySpec {
    /// Class policy (default `standard`), e.g. `guarantee`, `cap:56`,
    /// `primary=guarantee,junior=cap:56`.
    #[serde(default)]
    class_policy: Option<String>,
    /// Priority rules (default: hukou and home, hukou or home, residence permit, others).
    #[serde(default)]
    rules: Option<PriorityRules>,
    /// Lottery tie-breaking (default single).
    #[serde(default)]
    tie_break: Option<TieBreak>,
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

/// Parses a scenario from the text of the file named `file`; relative paths are resolved
/// against `dir`.
///
/// # Errors
/// Malformed TOML, unknown fields or edit kinds ([`LoadError::Toml`]), years out of order
/// ([`LoadError::Years`]), a scale that is not positive ([`LoadError::Scale`]), a bad
/// class policy ([`LoadError::ClassPolicy`]), an edit dated outside the simulated years
/// ([`LoadError::EditYear`]).
pub fn parse(file: &str, text: &str, dir: &Path) -> Result<Scenario, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let f: ScenarioFile = toml::from_str(text).map_err(|e| LoadError::Toml {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    if f.end_year <= f.base_year {
        return Err(LoadError::Years {
            file: file.to_owned(),
            base_year: f.base_year,
            end_year: f.end_year,
        });
    }
    if !(f.scale.is_finite() && f.scale > 0.0) {
        return Err(LoadError::Scale {
            file: file.to_owned(),
            scale: f.scale,
        });
    }
    let class_policy = |edit: Option<usize>, source| LoadError::ClassPolicy {
        file: file.to_owned(),
        edit,
        source,
    };
    let mut policy = Policy::default();
    if let Some(text) = &f.policy.class_policy {
        policy.class_policy = policy
            .class_policy
            .parse_onto(text)
            .map_err(|e| class_policy(None, e))?;
    }
    if let Some(r) = f.policy.rules {
        policy.rules = r;
    }
    if let Some(t) = f.policy.tie_break {
        policy.tie_break = t;
    }
    for (i, e) in f.edit.iter().enumerate() {
        if e.year <= f.base_year || e.year > f.end_year {
            return Err(LoadError::EditYear {
                file: file.to_owned(),
                edit: i,
                kind: e.edit.kind(),
                year: e.year,
                first: f.base_year + 1,
                last: f.end_year,
            });
        }
        if let Edit::Policy {
            class_policy: Some(text),
            ..
        } = &e.edit
        {
            policy
                .class_policy
                .parse_onto(text)
                .map_err(|e| class_policy(Some(i), e))?;
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

/// Reads and parses a scenario file; its relative paths are resolved against its
/// directory, and messages name it by `path` as given.
///
/// # Errors
/// The file cannot be read or decoded, or anything [`parse`] reports.
pub fn load(path: &Path, reader: &Reader<'_>) -> Result<Scenario, LoadError> {
    let text = reader.read(path)?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    parse(&path.display().to_string(), &text, dir)
}
