//! The charts of a scenario report: class-size shares per year, unplaced entrants,
//! distances, the class-size histogram, and (comparisons) before/after per school.

use xuewei_core::{Sector, Stage};
use xuewei_scenario::output::Spread;
use xuewei_scenario::state::STAGES;

use crate::chart::{axis_max, color, pct, Chart, Layer};
use crate::figures::{self, DistanceSeries};
use crate::map::MapSchool;
use crate::ReportParams;

use super::side::Side;

/// Large- and super-large-class shares per year with bands and target lines; with `a`,
/// the other scenario dashed.
pub(super) fn shares_chart(side: &Side, a: Option<&Side>) -> Chart {
    let years = side.years();
    let mut top: f64 = 0.0;
    let mut chart = Chart::new(
        "Classes 56+ and 66+ per year (primary + junior, all grades)",
        (0.0, 1.0),
        (0.0, 1.0),
    )
    .categories(&years)
    .labels("year", "share of classes")
    .percent();
    for (metric, name, c) in [
        ("large_share", "56+ (大班额)", color::ORANGE),
        ("super_large_share", "66+ (超大班额)", color::RED),
    ] {
        if let Some(a) = a {
            let points: Vec<(f64, f64)> = (0..years.len())
                .map(|k| (k as f64, a.metric(k, metric).mean))
                .collect();
            top = points.iter().map(|p| p.1).fold(top, f64::max);
            chart.push(Layer::Line {
                name: format!("{name} A"),
                color: c,
                points,
                dashed: true,
            });
        }
        let bands: Vec<Spread> = (0..years.len()).map(|k| side.metric(k, metric)).collect();
        if side.runs.len() > 1 {
            chart.push(Layer::Band {
                color: c,
                points: bands
                    .iter()
                    .enumerate()
                    .map(|(k, b)| (k as f64, b.p5, b.p95))
                    .collect(),
            });
        }
        top = bands.iter().map(|b| b.p95.max(b.mean)).fold(top, f64::max);
        chart.push(Layer::Line {
            name: if a.is_some() {
                format!("{name} B")
            } else {
                name.to_owned()
            },
            color: c,
            points: bands
                .iter()
                .enumerate()
                .map(|(k, b)| (k as f64, b.mean))
                .collect(),
            dashed: false,
        });
    }
    let mut seen: Vec<(String, f64)> = Vec::new();
    for v in side.verdicts.iter().filter(|v| {
        (v.metric == "large_share" || v.metric == "super_large_share")
            && v.year == years.first().copied().unwrap_or(0)
    }) {
        if seen
            .iter()
            .any(|s| s.0 == v.metric && (s.1 - v.limit).abs() < 1e-12)
        {
            continue;
        }
        seen.push((v.metric.clone(), v.limit));
        top = top.max(v.limit);
        chart.push(Layer::HLine {
            y: v.limit,
            label: format!(
                "{} target {} {} by {}",
                if v.metric == "large_share" {
                    "56+"
                } else {
                    "66+"
                },
                v.comparison,
                v.show(v.limit),
                v.due
            ),
            color: if v.metric == "large_share" {
                color::ORANGE
            } else {
                color::RED
            },
        });
    }
    chart.y = (0.0, axis_max(top).min(1.0));
    chart
}

pub(super) fn unplaced_chart(side: &Side, a: Option<&Side>) -> Chart {
    let years = side.years();
    let mut chart = Chart::new("Unplaced entrants per year", (0.0, 1.0), (0.0, 1.0))
        .categories(&years)
        .labels("year", "pupils");
    let mut top: f64 = 0.0;
    match a {
        None => {
            let w = 0.26;
            let mut whiskers = Vec::new();
            for (j, &stage) in STAGES.iter().enumerate() {
                let off = (j as f64 - 1.0) * w;
                let bars = (0..years.len())
                    .map(|k| {
                        let b = side.unplaced(k, Some(stage));
                        top = top.max(b.p95).max(b.mean);
                        if side.runs.len() > 1 && b.p95 > b.p5 {
                            let x = k as f64 + off;
                            whiskers.push(((x, b.p5), (x, b.p95)));
                        }
                        (
                            k as f64 + off,
                            w * 0.9,
                            0.0,
                            b.mean,
                            format!(
                                "{} {}: {:.0} unplaced (5–95%: {:.0}–{:.0})",
                                years[k],
                                stage.name(),
                                b.mean,
                                b.p5,
                                b.p95
                            ),
                        )
                    })
                    .collect();
                chart.push(Layer::Bars {
                    name: stage.name().into(),
                    color: figures::stage_color(stage),
                    bars,
                });
            }
            chart.push(Layer::Segments {
                color: color::INK,
                segments: whiskers,
            });
        }
        Some(a) => {
            for (j, (side, name, c)) in [(a, "A", color::GREY), (side, "B", color::ORANGE)]
                .into_iter()
                .enumerate()
            {
                let off = (j as f64 - 0.5) * 0.36;
                let bars = (0..years.len())
                    .map(|k| {
                        let b = side.unplaced(k, None);
                        top = top.max(b.mean);
                        (
                            k as f64 + off,
                            0.34,
                            0.0,
                            b.mean,
                            format!("{} {name}: {:.0} unplaced", years[k], b.mean),
                        )
                    })
                    .collect();
                chart.push(Layer::Bars {
                    name: name.into(),
                    color: c,
                    bars,
                });
            }
        }
    }
    chart.y = (0.0, axis_max(top));
    chart
}

pub(super) fn distance_chart(side: &Side, a: Option<&Side>, rp: &ReportParams) -> Chart {
    let mut series = Vec::new();
    for stage in STAGES {
        if let Some(a) = a {
            series.push(DistanceSeries {
                name: format!("{} A", stage.name()),
                color: figures::stage_color(stage),
                dashed: true,
                metres: a.distances(a.last(), stage),
            });
        }
        series.push(DistanceSeries {
            name: if a.is_some() {
                format!("{} B", stage.name())
            } else {
                stage.name().to_owned()
            },
            color: figures::stage_color(stage),
            dashed: false,
            metres: side.distances(side.last(), stage),
        });
    }
    let radii: Vec<(Stage, f64)> = STAGES
        .iter()
        .filter_map(|&s| rp.radius_of(s).map(|r| (s, r)))
        .collect();
    figures::distance_cdf(&series, &radii)
}

pub(super) fn histogram(side: &Side) -> Chart {
    let last = side.runs.first().and_then(|r| r.years.last());
    let stacks: Vec<(Stage, &[u64])> = last
        .map(|y| {
            y.class_sizes
                .iter()
                .map(|(s, h)| (*s, h.as_slice()))
                .collect()
        })
        .unwrap_or_default();
    let year = last.map_or(0, |y| y.year);
    figures::class_histogram(&format!("Class sizes, {year} (all grades)"), &stacks)
}

/// Dumbbells per school: A's and B's values of the last year for the schools that differ
/// most (at most 40).
pub(super) fn per_school_chart(
    title: &str,
    a: &[MapSchool],
    b: &[MapSchool],
    read: fn(&MapSchool) -> Option<f64>,
) -> Chart {
    let mut rows: Vec<(String, Option<f64>, Option<f64>)> = b
        .iter()
        .filter(|s| s.sector == Sector::Public)
        .map(|s| {
            let before = a.iter().find(|x| x.id == s.id).and_then(read);
            (s.id.clone(), before, read(s))
        })
        .collect();
    rows.sort_by(|x, y| {
        let d = |r: &(String, Option<f64>, Option<f64>)| {
            (r.2.unwrap_or(0.0) - r.1.unwrap_or(0.0)).abs()
        };
        d(y).total_cmp(&d(x)).then(x.0.cmp(&y.0))
    });
    rows.truncate(40);
    rows.sort_by(|x, y| x.0.cmp(&y.0));
    let labels: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let top = rows
        .iter()
        .flat_map(|r| [r.1, r.2])
        .flatten()
        .fold(0.0, f64::max);
    let mut chart = Chart::new(title, (0.0, 1.0), (0.0, axis_max(top)))
        .categories(&labels)
        .labels("school", "")
        .percent();
    chart.height = 340.0;
    chart.push(Layer::Segments {
        color: color::GREY,
        segments: rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some(((i as f64, r.1?), (i as f64, r.2?))))
            .collect(),
    });
    for (name, c, pick) in [
        ("A (before)", color::GREY, 1usize),
        ("B (after)", color::ORANGE, 2usize),
    ] {
        chart.push(Layer::Dots {
            name: name.into(),
            color: c,
            dots: rows
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    let v = if pick == 1 { r.1 } else { r.2 };
                    v.map(|v| (i as f64, v, format!("{} {name}: {}", r.0, pct(v))))
                })
                .collect(),
        });
    }
    chart
}
