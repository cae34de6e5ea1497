//! The headline figures of a scenario report: class-size shares against the targets,
//! unplaced entrants, distances beyond the service radii, seat utilisation, targets met.

use xuewei_scenario::state::STAGES;
use xuewei_scenario::targets::Verdict;

use crate::chart::pct;
use crate::figures::{self, beyond};
use crate::{Headline, ReportParams};

use super::side::Side;

pub(super) fn headline_of(side: &Side, rp: &ReportParams, other: Option<&Side>) -> Vec<Headline> {
    let k = side.last();
    let year = side.years().get(k).copied().unwrap_or(0);
    let other_text = |f: &dyn Fn(&Side) -> String| {
        other.map_or(String::new(), |o| format!("A (baseline): {}; ", f(o)))
    };
    let mut out = Vec::new();
    for (metric, label, default) in [
        ("large_share", "Classes 56+ (大班额)", rp.large_target),
        (
            "super_large_share",
            "Classes 66+ (超大班额)",
            rp.super_large_target,
        ),
    ] {
        let (b, band) = side.headline_value(k, metric);
        let (target, verdict) = match side.target(metric, year) {
            Some(v) => (
                format!("target {} {} by {}", v.comparison, v.show(v.limit), v.due),
                Some(v.met),
            ),
            None => (
                format!("target ≤ {}", pct(default)),
                Some(b.mean <= default + 1e-12),
            ),
        };
        out.push(Headline {
            label: format!("{label}, {year}"),
            value: pct(b.mean),
            target,
            verdict,
            detail: format!(
                "{}primary + junior, all grades{}",
                other_text(&|o: &Side| pct(o.metric(o.last(), metric).mean)),
                if band.is_empty() {
                    String::new()
                } else {
                    format!("; {band}")
                }
            ),
        });
    }
    let unplaced = side.unplaced(k, None);
    let total: f64 = (0..=k).map(|j| side.unplaced(j, None).mean).sum();
    out.push(Headline {
        label: format!("Unplaced entrants, {year}"),
        value: format!("{:.0}", unplaced.mean),
        target: String::new(),
        verdict: None,
        detail: format!(
            "{}{}; {:.0} over all years",
            other_text(&|o: &Side| format!("{:.0}", o.unplaced(o.last(), None).mean)),
            STAGES
                .iter()
                .map(|&s| format!("{} {:.0}", s.name(), side.unplaced(k, Some(s)).mean))
                .collect::<Vec<_>>()
                .join(" · "),
            total
        ),
    });
    for stage in STAGES {
        if let Some(r) = rp.radius_of(stage) {
            let d = side.distances(k, stage);
            out.push(Headline {
                label: format!("{} entrants farther than {r} m, {year}", stage.name()),
                value: pct(beyond(&d, r)),
                target: String::new(),
                verdict: None,
                detail: format!(
                    "{}mean {:.0} m",
                    other_text(&|o: &Side| pct(beyond(&o.distances(o.last(), stage), r))),
                    figures::mean(&d)
                ),
            });
        }
    }
    let (placed, seats) = side.utilisation(k, None);
    let util = |p: u64, s: u64| {
        if s > 0 {
            pct(p as f64 / s as f64)
        } else {
            "–".into()
        }
    };
    out.push(Headline {
        label: format!("Seat utilisation, {year}"),
        value: util(placed, seats),
        target: String::new(),
        verdict: None,
        detail: format!(
            "{}public schools, entering grade: {placed} placed on {seats} seats; {}",
            other_text(&|o: &Side| {
                let (p, s) = o.utilisation(o.last(), None);
                util(p, s)
            }),
            STAGES
                .iter()
                .map(|&st| {
                    let (p, s) = side.utilisation(k, Some(st));
                    format!("{} {}", st.name(), util(p, s))
                })
                .collect::<Vec<_>>()
                .join(" · ")
        ),
    });
    if !side.verdicts.is_empty() {
        let due: Vec<&Verdict> = side.verdicts.iter().filter(|v| v.year == v.due).collect();
        let met = due.iter().filter(|v| v.met).count();
        out.push(Headline {
            label: "Plan targets met in their due year".into(),
            value: format!("{met} / {}", due.len()),
            target: String::new(),
            verdict: None,
            detail: other.map_or_else(
                || {
                    due.iter()
                        .filter(|v| !v.met)
                        .map(|v| v.target.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                        .chars()
                        .take(160)
                        .collect::<String>()
                },
                |o| {
                    let od: Vec<&Verdict> = o.verdicts.iter().filter(|v| v.year == v.due).collect();
                    format!(
                        "A (baseline): {} / {}",
                        od.iter().filter(|v| v.met).count(),
                        od.len()
                    )
                },
            ),
        });
    }
    out
}
