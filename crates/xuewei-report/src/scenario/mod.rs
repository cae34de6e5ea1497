//! The reports of `xuewei simulate` (one scenario, replicated) and `xuewei compare` (two),
//! one module per part: `side` (one scenario's runs and the figures read from them),
//! `headline`, `map`, `charts`, `tables`, and `compare` (the comparison report).

mod charts;
mod compare;
mod headline;
mod map;
mod side;
mod tables;

use xuewei_scenario::targets::Verdict;
use xuewei_scenario::{CityState, Run, Scenario};

use crate::assign::{district_table, school_table};
use crate::figures;
use crate::{Figure, Report, ReportParams};

use self::charts::{distance_chart, histogram, shares_chart, unplaced_chart};
use self::headline::headline_of;
use self::map::{map_stages, MAP_CAPTION};
use self::side::Side;
use self::tables::{edits_table, equity_table, inputs_of, targets_table, years_table};

pub use self::compare::compare_report;

/// Builds the report of a scenario's runs: headline figures of the last year against the
/// plan's targets, the map of the city after the edits, the charts per year (large- and
/// super-large-class shares with their 5–95% band and target lines, unplaced), the
/// class-size histogram, distances and equity, and tables per target, year, 学区 and
/// school, the edits and the inputs.
///
/// The map shows the first run's [`FinalCity`](xuewei_scenario::FinalCity) (against `base`
/// for what the plan built, moved, expanded or closed); runs without one give an empty map.
pub fn simulate_report(
    scenario: &Scenario,
    base: &CityState,
    runs: &[Run],
    verdicts: &[Verdict],
    rp: &ReportParams,
) -> Report {
    let side = Side::new(scenario, base, runs, verdicts);
    let seed_note = if runs.len() > 1 {
        format!("mean of {} replications with the 5–95% band", runs.len())
    } else {
        "one run".to_owned()
    };
    let k = side.last();
    let year = side.years().get(k).copied().unwrap_or(scenario.end_year);
    let charts = vec![
        Figure {
            id: "large".into(),
            chart: shares_chart(&side, None),
            note: format!("Share of classes (primary and junior, all grades) with 56+ and 66+ pupils, {seed_note}; dashed: the plan's targets."),
        },
        Figure {
            id: "unplaced".into(),
            chart: unplaced_chart(&side, None),
            note: format!("Entrants without a seat at any public school of their stage, {seed_note} (whiskers)."),
        },
        Figure {
            id: "class-sizes".into(),
            chart: histogram(&side),
            note: "Classes of every grade by size in the last year (first replication), stacked by stage; lines at the standards and the 56/66 thresholds.".into(),
        },
        Figure {
            id: "distance".into(),
            chart: distance_chart(&side, None, rp),
            note: format!("Cumulative share of placed entrants within a distance of their school in {year}, pooled over replications; the service radii dashed."),
        },
        Figure {
            id: "equity".into(),
            chart: figures::equity_chart(&format!("Equity by group, {year} (primary + junior entrants)"), &side.equity(k), None),
            note: "local = local hukou, migrant = 随迁子女; core = inside the 3rd ring, edge = outside.".into(),
        },
    ];
    let mut tables = Vec::new();
    if !verdicts.is_empty() {
        tables.push(targets_table(&side));
    }
    tables.push(years_table(&side));
    let mut d = district_table(&side.map.schools, None);
    d.title = format!("Per 学区 (school district), {year} (first replication)");
    tables.push(d);
    let mut s = school_table(&side.map.schools, None);
    s.title = format!("Per school, {year} (first replication; roll and classes over all grades)");
    tables.push(s);
    tables.push(equity_table(&side));
    tables.push(edits_table("edits", "The scenario's edits", scenario));
    let mut inputs = inputs_of(
        &side,
        "",
        runs.first().map_or(scenario.seed, |r| r.lottery_seed),
    );
    inputs.push(("xuewei version".into(), env!("CARGO_PKG_VERSION").into()));
    Report {
        title: format!("{} — xuewei simulate", scenario.name),
        subtitle: format!(
            "{}–{}, {seed_note}; scale {}",
            scenario.base_year + 1,
            scenario.end_year,
            scenario.scale
        ),
        headline: headline_of(&side, rp, None),
        map_stages: map_stages(&side.map),
        map: side.map.clone(),
        map_caption: MAP_CAPTION.into(),
        charts,
        tables,
        inputs,
        map_width: rp.map_width,
    }
}
