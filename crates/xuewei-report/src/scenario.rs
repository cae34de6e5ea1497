//! The reports of `xuewei simulate` (one scenario, replicated) and `xuewei compare` (two).

use xuewei_core::city::How;
use xuewei_core::{Sector, Stage};
use xuewei_scenario::output::{Band, Move};
use xuewei_scenario::run::{EquityYear, YearResult};
use xuewei_scenario::state::STAGES;
use xuewei_scenario::targets::Verdict;
use xuewei_scenario::{CityState, FinalCity, Run, Scenario};

use crate::assign::{district_table, group_flows, school_table};
use crate::chart::{axis_max, color, pct, Chart, Layer};
use crate::figures::{self, beyond, DistanceSeries, EquityRow};
use crate::map::{MapData, MapSchool, MapZone, Status};
use crate::table::{Cell, Table};
use crate::{Figure, Headline, Report, ReportParams};

/// One scenario with its runs, the first run's final city, and the map.
struct Side<'a> {
    scenario: &'a Scenario,
    runs: &'a [Run],
    verdicts: &'a [Verdict],
    /// The city the first run left (every edit applied); `None` for runs built without one.
    city: Option<&'a FinalCity>,
    map: MapData,
}

impl<'a> Side<'a> {
    fn new(
        scenario: &'a Scenario,
        base: &CityState,
        runs: &'a [Run],
        verdicts: &'a [Verdict],
    ) -> Self {
        let first = runs.first();
        let city = first.and_then(|r| r.final_city.as_ref());
        let map = match (city, first.and_then(|r| r.years.last())) {
            (Some(city), Some(last)) => map_data(city, base, last),
            _ => MapData::default(),
        };
        Self {
            scenario,
            runs,
            verdicts,
            city,
            map,
        }
    }

    fn years(&self) -> Vec<i32> {
        self.runs
            .first()
            .map(|r| r.years.iter().map(|y| y.year).collect())
            .unwrap_or_default()
    }

    fn last(&self) -> usize {
        self.years().len().saturating_sub(1)
    }

    /// A value per run of year `k`.
    fn band(&self, k: usize, read: impl Fn(&YearResult) -> f64) -> Band {
        let values: Vec<f64> = self
            .runs
            .iter()
            .filter_map(|r| r.years.get(k))
            .map(read)
            .collect();
        Band::of(&values)
    }

    fn metric(&self, k: usize, name: &str) -> Band {
        self.band(k, |y| y.metric(name).unwrap_or(0.0))
    }

    fn unplaced(&self, k: usize, stage: Option<Stage>) -> Band {
        self.band(k, |y| {
            y.stages
                .iter()
                .filter(|s| stage.is_none_or(|st| s.stage == st))
                .map(|s| s.unplaced as f64)
                .sum()
        })
    }

    /// Distances of placed entrants of a stage in year `k`, pooled over runs.
    fn distances(&self, k: usize, stage: Stage) -> Vec<f64> {
        self.runs
            .iter()
            .filter_map(|r| r.years.get(k))
            .flat_map(|y| &y.entrants)
            .filter(|e| e.stage == stage)
            .filter_map(|e| e.distance_m)
            .collect()
    }

    /// Public seats' utilisation of the entering grade in year `k` (first run).
    fn utilisation(&self, k: usize, stage: Option<Stage>) -> (u64, u64) {
        let Some(y) = self.runs.first().and_then(|r| r.years.get(k)) else {
            return (0, 0);
        };
        let mut acc = (0u64, 0u64);
        for (i, s) in y.schools.iter().enumerate() {
            let Some(st) = self.city.and_then(|c| c.schools.get(i)) else {
                continue;
            };
            if st.school.sector == Sector::Public
                && s.open
                && stage.is_none_or(|x| st.school.stage == x)
            {
                acc.0 += u64::from(s.placed);
                acc.1 += u64::from(s.seats);
            }
        }
        acc
    }

    /// The latest-due target of a metric judged in year `year`.
    fn target(&self, metric: &str, year: i32) -> Option<&Verdict> {
        self.verdicts
            .iter()
            .filter(|v| v.metric == metric && v.year == year)
            .max_by_key(|v| v.due)
    }

    /// Equity of primary + junior entrants in year `k`, weighted by pupils, mean over runs.
    fn equity(&self, k: usize) -> Vec<EquityRow> {
        let groups = ["local", "migrant", "core", "edge"];
        groups
            .iter()
            .map(|g| {
                let (mut n, mut own, mut large, mut unplaced, mut placed) =
                    (0.0, 0.0, 0.0, 0.0, 0.0);
                for y in self.runs.iter().filter_map(|r| r.years.get(k)) {
                    for e in y.equity.iter().filter(|e| {
                        e.group == *g && matches!(e.stage, Stage::Primary | Stage::Junior)
                    }) {
                        let p = e.pupils as f64;
                        let placed_here = p - e.unplaced as f64;
                        n += p;
                        own += e.own_zone_share * p;
                        large += e.large_class_share * placed_here;
                        unplaced += e.unplaced as f64;
                        placed += placed_here;
                    }
                }
                let r = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
                ((*g).to_owned(), r(own, n), r(large, placed), r(unplaced, n))
            })
            .collect()
    }

    fn headline_value(&self, k: usize, metric: &str) -> (Band, String) {
        let b = self.metric(k, metric);
        let text = if self.runs.len() > 1 && (b.p95 - b.p5).abs() > 1e-12 {
            format!("5–95%: {}–{}", pct(b.p5), pct(b.p95))
        } else {
            String::new()
        };
        (b, text)
    }
}

/// The map's layers from a run's final city and its last year.
fn map_data(state: &FinalCity, base: &CityState, last: &YearResult) -> MapData {
    let district = |d: Option<u32>| {
        d.and_then(|d| state.districts.get(d as usize))
            .cloned()
            .unwrap_or_default()
    };
    let schools: Vec<MapSchool> = state
        .schools
        .iter()
        .enumerate()
        .map(|(i, ss)| {
            let s = &ss.school;
            let year = last
                .schools
                .get(i)
                .filter(|y| y.id == s.id)
                .or_else(|| last.schools.iter().find(|y| y.id == s.id))
                .cloned()
                .unwrap_or_default();
            let before = base.school(&s.id).map(|j| &base.schools[j].school);
            let (status, moved_from) = match before {
                None => (Status::New, None),
                Some(_) if !ss.open => (Status::Closed, None),
                Some(b) if b.location != s.location => (Status::Relocated, Some(b.location)),
                Some(b) if b.entry_classes != s.entry_classes => (Status::Expanded, None),
                Some(_) => (Status::Existing, None),
            };
            MapSchool {
                id: s.id.clone(),
                name: s.name.clone(),
                stage: s.stage,
                sector: s.sector,
                district: district(s.district),
                location: s.location,
                moved_from,
                status,
                entry_classes: s.entry_classes,
                seats: year.seats,
                placed: year.placed,
                roll: Some(year.roll),
                classes: year.classes,
                large_classes: year.large_classes,
                super_large_classes: year.super_large_classes,
                largest_class: year.largest_class,
            }
        })
        .collect();
    let zones: Vec<MapZone> = state
        .zones
        .iter()
        .map(|z| {
            let (mut seats, mut placed, mut classes, mut large) = (0u64, 0u64, 0u64, 0u64);
            for &i in &z.schools {
                if let Some(s) = schools.get(i as usize) {
                    seats += u64::from(s.seats);
                    placed += u64::from(s.placed);
                    classes += u64::from(s.classes);
                    large += u64::from(s.large_classes);
                }
            }
            MapZone {
                id: z.id.clone(),
                stage: z.stage,
                district: district(z.district),
                schools: z
                    .schools
                    .iter()
                    .filter_map(|&i| schools.get(i as usize).map(|s| s.id.clone()))
                    .collect(),
                geometry: z.geometry.clone(),
                utilisation: (seats > 0).then(|| placed as f64 / seats as f64),
                large_share: (classes > 0).then(|| large as f64 / classes as f64),
            }
        })
        .collect();
    // Overflow flows of the last year, grouped by home zone.
    let flows = group_flows(
        last.entrants
            .iter()
            .filter(|e| e.how == How::Overflow)
            .filter_map(|e| {
                let id = e.school.as_ref()?;
                let at = schools.iter().find(|s| &s.id == id)?.location;
                let zone = e
                    .zone
                    .and_then(|z| state.zones.get(z as usize))
                    .map(|z| z.id.clone())
                    .unwrap_or_default();
                Some((e.stage, zone, e.home, id.clone(), at))
            }),
    );
    MapData {
        zones,
        schools,
        flows,
    }
}

fn map_stages(map: &MapData) -> Vec<Stage> {
    STAGES
        .iter()
        .copied()
        .filter(|s| map.schools.iter().any(|x| x.stage == *s))
        .collect()
}

const MAP_CAPTION: &str = "The city after the plan's edits, figures of the last simulated year (first replication). Zones of the selected stage shaded by the entering grade's seat utilisation (or the share of classes of all grades with 56+ pupils); schools sized by seats; green ring = built by the plan, orange = relocated (dashed circle: old site), blue = expanded, grey cross = closed; purple lines: overflow pupils (统筹) from their home zone to the school that took them. Hover for figures.";

fn headline_of(side: &Side, rp: &ReportParams, other: Option<&Side>) -> Vec<Headline> {
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

/// Large- and super-large-class shares per year with bands and target lines; with `a`,
/// the other scenario dashed.
fn shares_chart(side: &Side, a: Option<&Side>) -> Chart {
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
        let bands: Vec<Band> = (0..years.len()).map(|k| side.metric(k, metric)).collect();
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

fn unplaced_chart(side: &Side, a: Option<&Side>) -> Chart {
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

fn distance_chart(side: &Side, a: Option<&Side>, rp: &ReportParams) -> Chart {
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

fn histogram(side: &Side) -> Chart {
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

fn targets_table(side: &Side) -> Table {
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

fn years_table(side: &Side) -> Table {
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

fn equity_table(side: &Side) -> Table {
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

fn edits_table(id: &str, title: &str, scenario: &Scenario) -> Table {
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

fn inputs_of(side: &Side, prefix: &str, seed: u64) -> Vec<(String, String)> {
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

/// Builds the report of a scenario's runs: headline figures of the last year against the
/// plan's targets, the map of the city after the edits, the charts per year (large- and
/// super-large-class shares with their 5–95% band and target lines, unplaced), the
/// class-size histogram, distances and equity, and tables per target, year, 学区 and
/// school, the edits and the inputs.
///
/// The map shows the first run's [`FinalCity`] (against `base` for what the plan built,
/// moved, expanded or closed); runs without one give an empty map.
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

/// Dumbbells per school: A's and B's values of the last year for the schools that differ
/// most (at most 40).
fn per_school_chart(
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

/// Builds the report of a comparison: B (the plan) against A (the baseline), both run
/// with the same seeds. Headline figures of B with A's beside, the map of B, the charts
/// with A dashed, before/after per school, tables per school (both sides), per year, per
/// target, the pupils who change school, and both scenarios' inputs.
///
/// The map is B's, drawn as in [`simulate_report`].
pub fn compare_report(
    a: (&Scenario, &CityState, &[Run], &[Verdict]),
    b: (&Scenario, &CityState, &[Run], &[Verdict]),
    moves: &[Move],
    rp: &ReportParams,
) -> Report {
    let sa = Side::new(a.0, a.1, a.2, a.3);
    let sb = Side::new(b.0, b.1, b.2, b.3);
    let k = sb.last();
    let year = sb.years().get(k).copied().unwrap_or(b.0.end_year);
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
    let charts = vec![
        Figure {
            id: "large".into(),
            chart: shares_chart(&sb, Some(&sa)),
            note: "Share of classes (primary and junior, all grades) with 56+ and 66+ pupils: B solid with its 5–95% band, A dashed; the plan's targets as dashed lines.".into(),
        },
        Figure {
            id: "unplaced".into(),
            chart: unplaced_chart(&sb, Some(&sa)),
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
            chart: histogram(&sb),
            note: "Classes of every grade by size in B's last year (first replication).".into(),
        },
        Figure {
            id: "distance".into(),
            chart: distance_chart(&sb, Some(&sa), rp),
            note: format!("Cumulative share of placed entrants within a distance of their school in {year}: B solid, A dashed."),
        },
        Figure {
            id: "equity".into(),
            chart: figures::equity_chart(&format!("Equity by group, {year} (B bars, A ticks)"), &sb.equity(k), Some(&sa.equity(sa.last()))),
            note: "Primary + junior entrants; black ticks mark A's values.".into(),
        },
    ];
    let mut tables = Vec::new();
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
                Cell::Num(get(&sa, |s| s.unplaced as f64), 0),
                Cell::Num(get(&sb, |s| s.unplaced as f64), 0),
                Cell::Pct(get(&sa, |s| s.large_share)),
                Cell::Pct(get(&sb, |s| s.large_share)),
                Cell::Pct(get(&sa, |s| s.super_large_share)),
                Cell::Pct(get(&sb, |s| s.super_large_share)),
                Cell::Num(get(&sa, |s| s.mean_distance_m), 0),
                Cell::Num(get(&sb, |s| s.mean_distance_m), 0),
            ]);
        }
    }
    tables.push(t);
    if !sb.verdicts.is_empty() {
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
        tables.push(t);
    }
    let mut d = district_table(&sb.map.schools, Some(&sa.map.schools));
    d.title =
        format!("Per 学区 (school district), {year}: B, with A's figures (first replication)");
    tables.push(d);
    let mut s = school_table(&sb.map.schools, Some(&sa.map.schools));
    s.title = format!("Per school, {year}: B, with A's figures before (first replication)");
    tables.push(s);
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
    tables.push(t);
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
