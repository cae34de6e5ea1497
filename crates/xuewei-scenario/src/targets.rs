//! The plan's targets and their verdicts per simulated year. The targets file
//! (`seeds/targets.toml`) is read by `xuewei_io::targets`.

use crate::run::Run;

/// One target of the plan (its comparison checked by `xuewei_io::targets::parse`).
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Target {
    /// Stable id.
    pub id: String,
    /// What the plan says.
    pub description: String,
    /// The measured metric (see `docs/scenarios.md`).
    pub metric: String,
    /// `<=`, `>=` or `==`.
    pub comparison: String,
    /// The bound (for absolute counts: at the real city's scale).
    pub limit: f64,
    /// The year it is due.
    pub year: i32,
    /// Where the plan states it.
    pub source: String,
}

/// Metrics that are counts of the whole city: their limits scale with the city.
const ABSOLUTE: [&str; 4] = [
    "roll_primary",
    "roll_junior",
    "roll_senior",
    "urban_compulsory_schools_built_per_year",
];

/// Relative tolerance of `==` for non-zero limits (rolls are forecasts, not exact counts).
pub const EQUAL_TOLERANCE: f64 = 0.05;

/// A target judged in one year.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Verdict {
    /// The simulated year.
    pub year: i32,
    /// Target id.
    pub target: String,
    /// The metric.
    pub metric: String,
    /// The measured value (mean over replications).
    pub value: f64,
    /// The limit at this city's scale.
    pub limit: f64,
    /// `<=`, `>=` or `==`.
    pub comparison: String,
    /// The year it is due.
    pub due: i32,
    /// Whether the value meets the limit.
    pub met: bool,
}

/// Judges every target in every simulated year, on the mean of the runs' values.
/// Absolute limits (rolls, schools built a year) are multiplied by `scale`; `==` on a
/// non-zero limit allows ±[`EQUAL_TOLERANCE`]. Metrics the runs do not measure are skipped.
#[must_use]
pub fn judge(targets: &[Target], runs: &[Run], scale: f64) -> Vec<Verdict> {
    let mut out = Vec::new();
    let Some(first) = runs.first() else {
        return out;
    };
    for (k, y) in first.years.iter().enumerate() {
        for t in targets {
            let values: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.years.get(k).and_then(|y| y.metric(&t.metric)))
                .collect();
            if values.is_empty() {
                continue;
            }
            let value = values.iter().sum::<f64>() / values.len() as f64;
            let limit = if ABSOLUTE.contains(&t.metric.as_str()) {
                t.limit * scale
            } else {
                t.limit
            };
            let met = match t.comparison.as_str() {
                "<=" => value <= limit + 1e-12,
                ">=" => value >= limit - 1e-12,
                _ if limit == 0.0 => value.abs() < 1e-12,
                _ => (value - limit).abs() <= EQUAL_TOLERANCE * limit.abs(),
            };
            out.push(Verdict {
                year: y.year,
                target: t.id.clone(),
                metric: t.metric.clone(),
                value,
                limit,
                comparison: t.comparison.clone(),
                due: t.year,
                met,
            });
        }
    }
    out
}

impl Verdict {
    /// The value or the limit as shown to a person: shares as percentages, counts as
    /// numbers.
    #[must_use]
    pub fn show(&self, x: f64) -> String {
        if self.metric.ends_with("share") || self.metric.ends_with("enrolment") {
            format!("{:.1}%", 100.0 * x)
        } else if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.1}")
        }
    }
}
