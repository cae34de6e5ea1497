//! The report of `xuewei compare`: B (the plan) against A (the baseline).

use xuewei_scenario::output::Move;
use xuewei_scenario::state::STAGES;
use xuewei_scenario::targets::Verdict;
use xuewei_scenario::{CityState, Run, Scenario};

use crate::assign::{district_table, school_table};
use crate::figures;
use crate::map::MapSchool;
use crate::table::{Cell, Table};
use crate::{Figure, Headline, Report, ReportParams};

use super::charts::{distance_chart, histogram, per_school_chart, shares_chart, unplaced_chart};
use super::headline::headline_of;
use super::map::{map_stages, MAP_CAPTION};
use super::side::Side;
use super::tables::{edits_table, equity_table, inputs_of};

/// Builds the report of a comparison: B (the plan) against A (the baseline), both run
/// with the same seeds. Headline figures of B with A's beside, the map of B, the charts
/// with A dashed, before/after per school, tables per school (both sides), per year, per
/// target, the pupils who change school, and both scenarios' inputs.
///
/// The map is B's, drawn as in [`simulate_report`](crate::simulate_report).
pub fn compare_report(
    a: (&Scenario, &CityState, &[Run], &[Verdict]),
    b: (&Scenario, &CityState, &[Run], &[Verdict]),
    moves: &[Move],
    rp: &ReportParams,
) -> Report {
    let sa = Side::new(a.0, a.1, a.2, a.3);
    let sb = Side::new(b.0, b.1, b.2, b.3);
    let year = sb.years().get(sb.last()).copied().unwrap_or(b.0.end_year);
    let mut headline = headline_of(&sb, rp, Some(&sa));
    let farther = moves
        .iter()
        .filter(|m| matches!((m.distance_a, m.distance_b), (Some(x), Some(y)) if y > x))
        .count();
    headline.push(Headline {
        label: "Pupil-years changing school (B vs A)".into(),
        value: moves.len().to_string(),
        target: String::new(),
        verdict: None,
        detail: format!("{farther} travel farther in B (first replication)"),
    });
    let charts = charts(&sa, &sb, rp);
    let mut tables = vec![years_table(&sa, &sb)];
    if !sb.verdicts.is_empty() {
        tables.push(targets_table(&sa, &sb));
    }
    let mut d = district_table(&sb.map.schools, Some(&sa.map.schools));
    d.title =
        format!("Per 学区 (school district), {year}: B, with A's figures (first replication)");
    tables.push(d);
    let mut s = school_table(&sb.map.schools, Some(&sa.map.schools));
    s.title = format!("Per school, {year}: B, with A's figures before (first replication)");
    tables.push(s);
    tables.push(moves_table(&sb, moves));
    tables.push(equity_table(&sb));
    tables.push(edits_table("edits_b", "B's edits", b.0));
    if !a.0.edits.is_empty() {
        tables.push(edits_table("edits_a", "A's edits", a.0));
    }
    let seed = |s: &Side| s.runs.first().map_or(s.scenario.seed, |r| r.lottery_seed);
    let mut inputs = inputs_of(&sa, "A: ", seed(&sa));
    inputs.extend(inputs_of(&sb, "B: ", seed(&sb)));
    inputs.push(("xuewei version".into(), env!("CARGO_PKG_VERSION").into()));
    Report {
        title: format!("{} vs {} — xuewei compare", b.0.name, a.0.name),
        subtitle: format!(
            "B = {} against A = {}; {}–{}, {} replication(s), same seeds",
            b.0.name,
            a.0.name,
            b.0.base_year + 1,
            b.0.end_year,
            sb.runs.len()
        ),
        headline,
        map_stages: map_stages(&sb.map),
        map: sb.map.clone(),
        map_caption: format!("B: {MAP_CAPTION}"),
        charts,
        tables,
        inputs,
        map_width: rp.map_width,
    }
}

/// The charts: B's with A dashed or beside, and before/after per school.
fn charts(sa: &Side, sb: &Side, rp: &ReportParams) -> Vec<Figure> {
    let k = sb.last();
    let year = sb.years().get(k).copied().unwrap_or(sb.scenario.end_year);
    vec![
        Figure {
            id: "large".into(),
            chart: shares_chart(sb, Some(sa)),
            note: "Share of classes (primary and junior, all grades) with 56+ and 66+ pupils: B solid with its 5–95% band, A dashed; the plan's targets as dashed lines.".into(),
        },
        Figure {
            id: "unplaced".into(),
            chart: unplaced_chart(sb, Some(sa)),
            note: "Entrants without a seat, all stages, A beside B.".into(),
        },
        Figure {
            id: "school-utilisation".into(),
            chart: per_school_chart(&format!("Before/after per school: seat utilisation of the entering grade, {year}"), &sa.map.schools, &sb.map.schools, MapSchool::utilisation),
            note: "Public schools; grey = A, orange = B (first replication); the schools that change most, at most 40.".into(),
        },
        Figure {
            id: "school-large".into(),
            chart: per_school_chart(&format!("Before/after per school: share of classes 56+, {year}"), &sa.map.schools, &sb.map.schools, MapSchool::large_share),
            note: "Public schools, all grades; grey = A, orange = B.".into(),
        },
        Figure {
            id: "class-sizes".into(),
            chart: histogram(sb),
            note: "Classes of every grade by size in B's last year (first replication).".into(),
        },
        Figure {
            id: "distance".into(),
            chart: distance_chart(sb, Some(sa), rp),
            note: format!("Cumulative share of placed entrants within a distance of their school in {year}: B solid, A dashed."),
        },
        Figure {
            id: "equity".into(),
            chart: figures::equity_chart(&format!("Equity by group, {year} (B bars, A ticks)"), &sb.equity(k), Some(&sa.equity(sa.last()))),
            note: "Primary + junior entrants; black ticks mark A's values.".into(),
        },
    ]
}

/// Per year and stage, A's and B's means side by side.
fn years_table(sa: &Side, sb: &Side) -> Table {
    let mut t = Table::new(
        "compare_years",
        "Per year and stage, A and B (means)",
        &[
            "year",
            "stage",
            "unplaced A",
            "unplaced B",
            "56+ A",
            "56+ B",
            "66+ A",
            "66+ B",
            "mean distance m A",
            "mean distance m B",
        ],
    );
    for (kk, y) in sb.years().iter().enumerate() {
        for (j, stage) in STAGES.iter().enumerate() {
            let get = |s: &Side, read: fn(&xuewei_scenario::run::StageYear) -> f64| {
                s.band(kk, |y| y.stages.get(j).map_or(0.0, read)).mean
            };
            t.rows.push(vec![
                Cell::int(*y),
                Cell::text(stage.name()),
                Cell::Num(get(sa, |s| s.unplaced as f64), 0),
                Cell::Num(get(sb, |s| s.unplaced as f64), 0),
                Cell::Pct(get(sa, |s| s.large_share)),
                Cell::Pct(get(sb, |s| s.large_share)),
                Cell::Pct(get(sa, |s| s.super_large_share)),
                Cell::Pct(get(sb, |s| s.super_large_share)),
                Cell::Num(get(sa, |s| s.mean_distance_m), 0),
                Cell::Num(get(sb, |s| s.mean_distance_m), 0),
            ]);
        }
    }
    t
}

/// The targets due in each year, A's and B's values and verdicts.
fn targets_table(sa: &Side, sb: &Side) -> Table {
    let mut t = Table::new(
        "compare_targets",
        "The plan's targets in their due year, A and B",
        &["target", "due", "limit", "A", "A met", "B", "B met"],
    );
    for v in sb.verdicts.iter().filter(|v| v.year == v.due) {
        let va = sa
            .verdicts
            .iter()
            .find(|x| x.year == x.due && x.target == v.target);
        t.rows.push(vec![
            Cell::text(&v.target),
            Cell::int(v.due),
            Cell::text(format!("{} {}", v.comparison, v.show(v.limit))),
            va.map_or(Cell::Empty, |x| Cell::text(x.show(x.value))),
            va.map_or(Cell::Empty, |x| Cell::text(if x.met { "ok" } else { "NO" })),
            Cell::text(v.show(v.value)),
            Cell::text(if v.met { "ok" } else { "NO" }),
        ]);
    }
    t
}

/// Per year, the pupils who change school between A and B (first replication).
fn moves_table(sb: &Side, moves: &[Move]) -> Table {
    let mut t = Table::new(
        "moves",
        "Pupils who change school between A and B (first replication)",
        &[
            "year",
            "pupils",
            "farther in B",
            "nearer in B",
            "placed only in B",
            "placed only in A",
            "mean change m",
        ],
    );
    for y in sb.years() {
        let ms: Vec<&Move> = moves.iter().filter(|m| m.year == y).collect();
        let changes: Vec<f64> = ms
            .iter()
            .filter_map(|m| Some(m.distance_b? - m.distance_a?))
            .collect();
        t.rows.push(vec![
            Cell::int(y),
            Cell::Int(ms.len() as i64),
            Cell::Int(changes.iter().filter(|c| **c > 0.0).count() as i64),
            Cell::Int(changes.iter().filter(|c| **c < 0.0).count() as i64),
            Cell::Int(
                ms.iter()
                    .filter(|m| m.school_a.is_none() && m.school_b.is_some())
                    .count() as i64,
            ),
            Cell::Int(
                ms.iter()
                    .filter(|m| m.school_a.is_some() && m.school_b.is_none())
                    .count() as i64,
            ),
            Cell::Num(figures::mean(&changes), 0),
        ]);
    }
    t
}
