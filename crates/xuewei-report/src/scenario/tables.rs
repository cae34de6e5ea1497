//! The tables of a scenario report: targets per year, figures per year and stage, equity,
//! the edits, and the inputs.

use xuewei_scenario::run::EquityYear;
use xuewei_scenario::state::STAGES;
use xuewei_scenario::Scenario;

use crate::table::{Cell, Table};

use super::side::Side;

pub(super) fn targets_table(side: &Side) -> Table {
    let years = side.years();
    let mut cols: Vec<String> = vec!["target".into(), "due".into(), "limit".into()];
    cols.extend(years.iter().map(ToString::to_string));
    cols.push("met when due".into());
    let cols_ref: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut t = Table::new("targets", "The plan's targets per year", &cols_ref);
    let first = years.first().copied().unwrap_or(0);
    for v in side.verdicts.iter().filter(|v| v.year == first) {
        let mut row = vec![
            Cell::text(&v.target),
            Cell::int(v.due),
            Cell::text(format!("{} {}", v.comparison, v.show(v.limit))),
        ];
        for y in &years {
            row.push(
                match side
                    .verdicts
                    .iter()
                    .find(|x| x.year == *y && x.target == v.target)
                {
                    Some(x) => Cell::text(format!(
                        "{} {}",
                        x.show(x.value),
                        if x.met { "✔" } else { "✘" }
                    )),
                    None => Cell::Empty,
                },
            );
        }
        let due = side
            .verdicts
            .iter()
            .find(|x| x.year == x.due && x.target == v.target);
        row.push(Cell::text(due.map_or("–", |x| {
            if x.met {
                "ok"
            } else {
                "NO"
            }
        })));
        t.rows.push(row);
    }
    t
}

pub(super) fn years_table(side: &Side) -> Table {
    let mut t = Table::new(
        "years",
        format!(
            "Per year and stage (mean of {} replication(s), 5–95% band)",
            side.runs.len()
        ),
        &[
            "year",
            "stage",
            "entrants",
            "placed",
            "unplaced",
            "overflow",
            "roll",
            "classes",
            "56+",
            "66+",
            "mean class",
            "mean distance m",
            "seats",
        ],
    );
    for (k, year) in side.years().iter().enumerate() {
        for (j, stage) in STAGES.iter().enumerate() {
            let b = |read: fn(&xuewei_scenario::run::StageYear) -> f64| {
                side.band(k, |y| y.stages.get(j).map_or(0.0, read))
            };
            let l = b(|s| s.large_share);
            let s = b(|s| s.super_large_share);
            t.rows.push(vec![
                Cell::int(*year),
                Cell::text(stage.name()),
                Cell::Num(b(|s| s.pupils as f64).mean, 0),
                Cell::Num(b(|s| s.placed as f64).mean, 0),
                Cell::Num(b(|s| s.unplaced as f64).mean, 0),
                Cell::Num(b(|s| s.overflow as f64).mean, 0),
                Cell::Num(b(|s| s.roll as f64).mean, 0),
                Cell::Num(b(|s| s.classes as f64).mean, 0),
                Cell::PctBand(l.mean, l.p5, l.p95),
                Cell::PctBand(s.mean, s.p5, s.p95),
                Cell::Num(b(|s| s.mean_class_size).mean, 1),
                Cell::Num(b(|s| s.mean_distance_m).mean, 0),
                Cell::Num(b(|s| s.seats as f64).mean, 0),
            ]);
        }
    }
    t
}

pub(super) fn equity_table(side: &Side) -> Table {
    let k = side.last();
    let mut t = Table::new(
        "equity",
        format!(
            "Equity by stage and group, {} (mean over replications)",
            side.years().get(k).copied().unwrap_or(0)
        ),
        &[
            "stage",
            "group",
            "entrants",
            "placed in own zone",
            "mean distance m",
            "in a 56+ class",
            "unplaced",
        ],
    );
    let Some(first) = side.runs.first().and_then(|r| r.years.get(k)) else {
        return t;
    };
    let n = side.runs.len() as f64;
    for (j, e) in first.equity.iter().enumerate() {
        let mean = |read: fn(&EquityYear) -> f64| {
            side.runs
                .iter()
                .filter_map(|r| r.years.get(k).and_then(|y| y.equity.get(j)))
                .map(read)
                .sum::<f64>()
                / n
        };
        t.rows.push(vec![
            Cell::text(e.stage.name()),
            Cell::text(e.group),
            Cell::Num(mean(|e| e.pupils as f64), 0),
            Cell::Pct(mean(|e| e.own_zone_share)),
            Cell::Num(mean(|e| e.mean_distance_m), 0),
            Cell::Pct(mean(|e| e.large_class_share)),
            Cell::Num(mean(|e| e.unplaced as f64), 1),
        ]);
    }
    t
}

pub(super) fn edits_table(id: &str, title: &str, scenario: &Scenario) -> Table {
    let mut t = Table::new(id, title, &["year", "kind", "details"]);
    for e in &scenario.edits {
        let details = match serde_json::to_value(&e.edit) {
            Ok(serde_json::Value::Object(map)) => map
                .iter()
                .filter(|(k, v)| *k != "kind" && !v.is_null())
                .map(|(k, v)| match v {
                    serde_json::Value::String(s) => format!("{k}={s}"),
                    v => format!("{k}={v}"),
                })
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        };
        t.rows.push(vec![
            Cell::int(e.year),
            Cell::text(e.edit.kind()),
            Cell::text(details),
        ]);
    }
    t
}

pub(super) fn inputs_of(side: &Side, prefix: &str, seed: u64) -> Vec<(String, String)> {
    let s = side.scenario;
    let p = |k: &str| format!("{prefix}{k}");
    vec![
        (p("scenario"), s.name.clone()),
        (p("description"), s.description.clone().unwrap_or_default()),
        (p("base city"), s.city.display().to_string()),
        (
            p("years"),
            format!("{} → {}..={}", s.base_year, s.base_year + 1, s.end_year),
        ),
        (p("population seed"), s.seed.to_string()),
        (p("lottery seed"), seed.to_string()),
        (p("replications"), side.runs.len().to_string()),
        (p("scale"), s.scale.to_string()),
        (
            p("initial class policy"),
            STAGES
                .iter()
                .map(|&st| format!("{}={:?}", st.name(), s.policy.class_policy[st]))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            p("targets"),
            s.targets
                .as_ref()
                .map_or("(none)".into(), |t| t.display().to_string()),
        ),
        (p("edits"), s.edits.len().to_string()),
    ]
}
