//! Charts and measures shared by the assign, simulate and compare reports.

use xuewei_core::{ClassSizeStandard, Stage};

use crate::chart::{axis_max, color, pct, Chart, Layer};

/// The colour of a stage.
pub(crate) fn stage_color(stage: Stage) -> &'static str {
    match stage {
        Stage::Primary => color::BLUE,
        Stage::Junior => color::SKY,
        Stage::Senior => color::GREEN,
        _ => color::GREY,
    }
}

/// Share of distances above `radius` (0 when empty).
pub(crate) fn beyond(distances: &[f64], radius: f64) -> f64 {
    if distances.is_empty() {
        0.0
    } else {
        distances.iter().filter(|&&d| d > radius).count() as f64 / distances.len() as f64
    }
}

/// One curve of the distance chart.
pub(crate) struct DistanceSeries {
    pub name: String,
    pub color: &'static str,
    pub dashed: bool,
    pub metres: Vec<f64>,
}

/// Cumulative share of pupils within a distance, per series, with the service radii.
pub(crate) fn distance_cdf(series: &[DistanceSeries], radii: &[(Stage, f64)]) -> Chart {
    let mut all: Vec<f64> = series
        .iter()
        .flat_map(|s| s.metres.iter().copied())
        .collect();
    all.sort_by(f64::total_cmp);
    let p98 = all
        .get(((all.len() as f64 * 0.98) as usize).min(all.len().saturating_sub(1)))
        .copied()
        .unwrap_or(1000.0);
    let radius_max = radii.iter().map(|r| r.1).fold(0.0, f64::max);
    let x_max = axis_max(p98.max(radius_max * 1.2) / 1000.0);
    let mut chart = Chart::new(
        "Home–school distance (placed entrants)",
        (0.0, x_max),
        (0.0, 1.0),
    )
    .labels("distance, km", "share of pupils within")
    .percent();
    for s in series {
        let mut v = s.metres.clone();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n == 0 {
            continue;
        }
        let steps = 80usize;
        let points: Vec<(f64, f64)> = (0..=steps)
            .map(|i| {
                let x = x_max * i as f64 / steps as f64;
                let within = v.partition_point(|&d| d / 1000.0 <= x);
                (x, within as f64 / n as f64)
            })
            .collect();
        chart.push(Layer::Line {
            name: s.name.clone(),
            color: s.color,
            points,
            dashed: s.dashed,
        });
    }
    for (stage, r) in radii {
        chart.push(Layer::VLine {
            x: r / 1000.0,
            label: format!("{} {} m", stage.name(), r),
            color: stage_color(*stage),
        });
    }
    chart
}

/// Class-size histogram, stacked by stage, with lines at the standards and thresholds.
pub(crate) fn class_histogram(title: &str, stacks: &[(Stage, &[u64])]) -> Chart {
    let max_size = stacks
        .iter()
        .map(|(_, h)| h.iter().rposition(|&c| c > 0).unwrap_or(0))
        .max()
        .unwrap_or(0)
        .max(70);
    let mut totals = vec![0u64; max_size + 1];
    for (_, h) in stacks {
        for (size, &c) in h.iter().enumerate() {
            totals[size] += c;
        }
    }
    let y_max = axis_max(totals.iter().copied().max().unwrap_or(1) as f64);
    let mut chart = Chart::new(title, (0.0, max_size as f64 + 1.0), (0.0, y_max))
        .labels("pupils in the class", "classes");
    let mut base = vec![0u64; max_size + 1];
    for (stage, h) in stacks {
        let mut bars = Vec::new();
        for (size, &c) in h.iter().enumerate() {
            if c > 0 {
                let y0 = base[size] as f64;
                bars.push((
                    size as f64,
                    0.9,
                    y0,
                    y0 + c as f64,
                    format!("{}: {c} classes of {size}", stage.name()),
                ));
                base[size] += c;
            }
        }
        chart.push(Layer::Bars {
            name: stage.name().to_owned(),
            color: stage_color(*stage),
            bars,
        });
    }
    let sizes = ClassSizeStandard::default();
    for (x, label, c) in [
        (sizes.primary, "45", color::GREY),
        (sizes.junior, "50", color::GREY),
        (sizes.large, "56 大班额", color::ORANGE),
        (sizes.super_large, "66 超大班额", color::RED),
    ] {
        chart.push(Layer::VLine {
            x: f64::from(x) - 0.5,
            label: label.to_owned(),
            color: c,
        });
    }
    chart
}

/// One group of the equity chart: (group, share placed in own zone, share in a large
/// class, share unplaced).
pub(crate) type EquityRow = (String, f64, f64, f64);

/// Grouped bars per equity group.
pub(crate) fn equity_chart(title: &str, rows: &[EquityRow], other: Option<&[EquityRow]>) -> Chart {
    let labels: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let mut chart = Chart::new(title, (0.0, 1.0), (0.0, 1.0))
        .categories(&labels)
        .labels("group", "share of entrants")
        .percent();
    type Measure = (&'static str, &'static str, fn(&EquityRow) -> f64);
    let measures: [Measure; 3] = [
        ("placed in own zone", color::GREEN, |r| r.1),
        ("in a 56+ class", color::ORANGE, |r| r.2),
        ("unplaced", color::RED, |r| r.3),
    ];
    let w = 0.26;
    for (k, (name, c, read)) in measures.iter().enumerate() {
        let off = (k as f64 - 1.0) * w;
        chart.push(Layer::Bars {
            name: (*name).to_owned(),
            color: c,
            bars: rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    (
                        i as f64 + off,
                        w * 0.92,
                        0.0,
                        read(r),
                        format!("{}: {name} {}", r.0, pct(read(r))),
                    )
                })
                .collect(),
        });
        if let Some(other) = other {
            chart.push(Layer::Segments {
                color: color::INK,
                segments: other
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let x = i as f64 + off;
                        ((x - w * 0.45, read(r)), (x + w * 0.45, read(r)))
                    })
                    .collect(),
            });
        }
    }
    chart
}

/// Mean of values (0 when empty).
pub(crate) fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}
