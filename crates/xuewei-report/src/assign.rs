//! The report of one year's assignment (`xuewei assign`).

use std::collections::BTreeMap;

use geo::Point;
use xuewei_core::city::{AssignParams, City, CityAssignment, How};
use xuewei_core::class_size::ClassMeasures;
use xuewei_core::{Sector, Stage};
use xuewei_scenario::Core;

use crate::chart::{axis_max, color, pct, Chart, Layer};
use crate::figures::{self, beyond, DistanceSeries, EquityRow};
use crate::map::{Flow, MapData, MapSchool, MapZone, Status};
use crate::table::{Cell, Table};
use crate::{Figure, Headline, Report, ReportParams};

fn sector_name(s: Sector) -> &'static str {
    match s {
        Sector::Public => "public",
        Sector::Private => "private",
    }
}

/// Groups overflow placements into flows: per (stage, home zone, school), from the mean
/// home of the group to the school.
pub(crate) fn group_flows(
    items: impl Iterator<Item = (Stage, String, Point<f64>, String, Point<f64>)>,
) -> Vec<Flow> {
    /// Sum of home lon, lat, pupils, the school's location, the stage.
    type Acc = (f64, f64, u32, Point<f64>, Stage);
    let mut groups: BTreeMap<(u8, String, String), Acc> = BTreeMap::new();
    for (stage, zone, home, school, at) in items {
        let key = (stage.index() as u8, zone, school);
        let e = groups.entry(key).or_insert((0.0, 0.0, 0, at, stage));
        e.0 += home.x();
        e.1 += home.y();
        e.2 += 1;
    }
    groups
        .into_iter()
        .map(|((_, zone, school), (x, y, n, at, stage))| Flow {
            stage,
            from: Point::new(x / f64::from(n), y / f64::from(n)),
            to: at,
            school,
            zone,
            pupils: n,
        })
        .collect()
}

/// Builds the report of an assignment: headline figures, the map (zones shaded by
/// utilisation or large-class share, schools sized by seats, overflow flows), charts
/// (class sizes by stage against the targets, placements by how, class-size histogram,
/// distances, equity) and tables per stage, 学区 and school. `inputs` lists what the run
/// was given (files, seed, policy), shown as is.
#[must_use]
pub fn assign_report(
    city: &City,
    result: &CityAssignment,
    params: &AssignParams,
    rp: &ReportParams,
    inputs: Vec<(String, String)>,
) -> Report {
    let sizes = params.class_sizes;
    let schools = city.schools();
    let district =
        |d: Option<u32>| d.map_or(String::new(), |d| city.districts()[d as usize].clone());
    let measures: Vec<ClassMeasures> = schools
        .iter()
        .enumerate()
        .map(|(i, s)| {
            ClassMeasures::of_grade(
                &result.classes[i],
                s.entry_classes,
                sizes.standard(s.stage),
                &sizes,
            )
        })
        .collect();
    let map_schools: Vec<MapSchool> = schools
        .iter()
        .enumerate()
        .map(|(i, s)| MapSchool {
            id: s.id.clone(),
            name: s.name.clone(),
            stage: s.stage,
            sector: s.sector,
            district: district(s.district),
            location: s.location,
            moved_from: None,
            status: Status::Existing,
            entry_classes: s.entry_classes,
            seats: result.seats[i],
            placed: result.placed[i],
            roll: None,
            classes: result.classes[i].count,
            large_classes: measures[i].large_classes as u32,
            super_large_classes: measures[i].super_large_classes as u32,
            largest_class: result.classes[i].sizes().next().unwrap_or(0),
        })
        .collect();
    let zones: Vec<MapZone> = city
        .zones()
        .iter()
        .map(|z| MapZone::shaded(z, district(z.district), &map_schools))
        .collect();
    let flows = group_flows(
        city.pupils()
            .iter()
            .zip(&result.placements)
            .filter(|(_, pl)| pl.how == How::Overflow)
            .filter_map(|(p, pl)| {
                let s = &schools[pl.school? as usize];
                let zone = pl
                    .zone
                    .map_or(String::new(), |z| city.zones()[z as usize].id.clone());
                Some((p.stage, zone, p.home, s.id.clone(), s.location))
            }),
    );
    let stages: Vec<Stage> = result.stages.iter().map(|(s, _)| *s).collect();
    let distances: Vec<(Stage, Vec<f64>)> = stages
        .iter()
        .map(|&stage| {
            (
                stage,
                city.pupils()
                    .iter()
                    .zip(&result.placements)
                    .filter(|(p, _)| p.stage == stage)
                    .filter_map(|(_, pl)| pl.distance_m)
                    .collect(),
            )
        })
        .collect();

    // Headline.
    let mut compulsory = ClassMeasures::default();
    for (stage, s) in &result.stages {
        if matches!(stage, Stage::Primary | Stage::Junior) {
            compulsory.add(&s.classes);
        }
    }
    let per_stage = |f: &dyn Fn(&xuewei_core::city::StageSummary) -> String| {
        result
            .stages
            .iter()
            .map(|(st, s)| format!("{} {}", st.name(), f(s)))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let mut headline = vec![
        Headline {
            label: "Classes 56+ (大班额), entering grade".into(),
            value: pct(compulsory.large_share()),
            target: format!("target ≤ {}", pct(rp.large_target)),
            verdict: Some(compulsory.large_share() <= rp.large_target + 1e-12),
            detail: format!(
                "primary + junior, {} of {} classes; {}",
                compulsory.large_classes,
                compulsory.classes,
                per_stage(&|s| pct(s.large_share))
            ),
        },
        Headline {
            label: "Classes 66+ (超大班额), entering grade".into(),
            value: pct(compulsory.super_large_share()),
            target: format!("target ≤ {}", pct(rp.super_large_target)),
            verdict: Some(compulsory.super_large_share() <= rp.super_large_target + 1e-12),
            detail: format!(
                "primary + junior, {} classes; {}",
                compulsory.super_large_classes,
                per_stage(&|s| pct(s.super_large_share))
            ),
        },
        Headline {
            label: "Unplaced pupils".into(),
            value: result
                .stages
                .iter()
                .map(|(_, s)| s.unplaced)
                .sum::<usize>()
                .to_string(),
            target: String::new(),
            verdict: None,
            detail: per_stage(&|s| format!("{} of {}", s.unplaced, s.pupils)),
        },
    ];
    for (stage, d) in &distances {
        if let Some(r) = rp.radius_of(*stage) {
            headline.push(Headline {
                label: format!("{} pupils farther than {r} m", stage.name()),
                value: pct(beyond(d, r)),
                target: String::new(),
                verdict: None,
                detail: format!("{} placed; mean {:.0} m", d.len(), figures::mean(d)),
            });
        }
    }
    let (seats, placed) = schools
        .iter()
        .enumerate()
        .filter(|(_, s)| s.sector == Sector::Public)
        .fold((0u64, 0u64), |(a, b), (i, _)| {
            (
                a + u64::from(result.seats[i]),
                b + u64::from(result.placed[i]),
            )
        });
    headline.push(Headline {
        label: "Seat utilisation (public, entering grade)".into(),
        value: if seats > 0 {
            pct(placed as f64 / seats as f64)
        } else {
            "–".into()
        },
        target: String::new(),
        verdict: None,
        detail: format!("{placed} placed on {seats} seats"),
    });

    // Charts.
    let mut charts = Vec::new();
    let labels: Vec<&str> = stages.iter().map(|s| s.name()).collect();
    let y_max = axis_max(
        result
            .stages
            .iter()
            .map(|(_, s)| s.large_share)
            .fold(rp.large_target, f64::max),
    )
    .min(1.0);
    let mut shares = Chart::new(
        "Classes 56+ and 66+ by stage (entering grade)",
        (0.0, 1.0),
        (0.0, y_max),
    )
    .categories(&labels)
    .labels("stage", "share of classes")
    .percent();
    for (k, (name, c, read)) in [
        (
            "56+ (大班额)",
            color::ORANGE,
            (|s: &xuewei_core::city::StageSummary| s.large_share) as fn(&_) -> f64,
        ),
        ("66+ (超大班额)", color::RED, |s| s.super_large_share),
    ]
    .into_iter()
    .enumerate()
    {
        shares.push(Layer::Bars {
            name: name.into(),
            color: c,
            bars: result
                .stages
                .iter()
                .enumerate()
                .map(|(i, (st, s))| {
                    (
                        i as f64 + (k as f64 - 0.5) * 0.36,
                        0.34,
                        0.0,
                        read(s),
                        format!("{} {name}: {}", st.name(), pct(read(s))),
                    )
                })
                .collect(),
        });
    }
    shares.push(Layer::HLine {
        y: rp.large_target,
        label: format!("56+ target {}", pct(rp.large_target)),
        color: color::ORANGE,
    });
    shares.push(Layer::HLine {
        y: rp.super_large_target,
        label: format!("66+ target {}", pct(rp.super_large_target)),
        color: color::RED,
    });
    charts.push(Figure {
        id: "large".into(),
        chart: shares,
        note: "Share of entering-grade classes with 56+ and 66+ pupils, against the plan's 2020 targets (dashed).".into(),
    });

    let max_pupils = result
        .stages
        .iter()
        .map(|(_, s)| s.pupils)
        .max()
        .unwrap_or(1);
    let mut how = Chart::new(
        "Placements by how, and unplaced",
        (0.0, 1.0),
        (0.0, axis_max(max_pupils as f64)),
    )
    .categories(&labels)
    .labels("stage", "pupils");
    let mut base = vec![0usize; stages.len()];
    type Part = (
        &'static str,
        &'static str,
        fn(&xuewei_core::city::StageSummary) -> usize,
    );
    let parts: [Part; 5] = [
        ("zone", color::GREEN, |s| s.zone),
        ("lottery", color::SKY, |s| s.lottery),
        ("private", color::GREY, |s| s.private),
        ("overflow (统筹)", color::PURPLE, |s| s.overflow),
        ("unplaced", color::RED, |s| s.unplaced),
    ];
    for (name, c, read) in parts {
        let bars = result
            .stages
            .iter()
            .enumerate()
            .map(|(i, (st, s))| {
                let y0 = base[i] as f64;
                base[i] += read(s);
                (
                    i as f64,
                    0.6,
                    y0,
                    base[i] as f64,
                    format!("{} {name}: {}", st.name(), read(s)),
                )
            })
            .collect();
        how.push(Layer::Bars {
            name: name.into(),
            color: c,
            bars,
        });
    }
    charts.push(Figure {
        id: "unplaced".into(),
        chart: how,
        note: "Entering pupils by how they were placed; red = no seat at any public school of the stage.".into(),
    });

    let mut hist: Vec<(Stage, Vec<u64>)> = Vec::new();
    for &stage in &stages {
        let mut h = Vec::new();
        for (i, s) in schools.iter().enumerate() {
            if s.stage == stage {
                for size in result.classes[i].sizes() {
                    if h.len() <= size as usize {
                        h.resize(size as usize + 1, 0);
                    }
                    h[size as usize] += 1;
                }
            }
        }
        hist.push((stage, h));
    }
    let stacks: Vec<(Stage, &[u64])> = hist.iter().map(|(s, h)| (*s, h.as_slice())).collect();
    charts.push(Figure {
        id: "class-sizes".into(),
        chart: figures::class_histogram("Class sizes (entering grade)", &stacks),
        note: "Classes by size, stacked by stage; lines at the standards (45 primary, 50 junior/senior) and the 56/66 thresholds.".into(),
    });
    let series: Vec<DistanceSeries> = distances
        .iter()
        .map(|(stage, d)| DistanceSeries {
            name: stage.name().into(),
            color: figures::stage_color(*stage),
            dashed: false,
            metres: d.clone(),
        })
        .collect();
    let radii: Vec<(Stage, f64)> = stages
        .iter()
        .filter_map(|&s| rp.radius_of(s).map(|r| (s, r)))
        .collect();
    charts.push(Figure {
        id: "distance".into(),
        chart: figures::distance_cdf(&series, &radii),
        note: "Cumulative share of placed entrants within a distance of their school, with the service radii.".into(),
    });
    let equity = equity_rows(city, result);
    charts.push(Figure {
        id: "equity".into(),
        chart: figures::equity_chart("Equity by group (primary + junior entrants)", &equity, None),
        note:
            "local = local hukou, migrant = 随迁子女; core = inside the 3rd ring, edge = outside."
                .into(),
    });

    // Tables.
    let mut tables = Vec::new();
    let mut t = Table::new(
        "stages",
        "Per stage",
        &[
            "stage",
            "pupils",
            "placed",
            "unplaced",
            "zone",
            "lottery",
            "overflow",
            "private",
            "seats",
            "classes",
            "56+",
            "66+",
            "mean class",
            "mean distance m",
        ],
    );
    for (stage, s) in &result.stages {
        t.rows.push(vec![
            Cell::text(stage.name()),
            Cell::Int(s.pupils as i64),
            Cell::Int(s.placed as i64),
            Cell::Int(s.unplaced as i64),
            Cell::Int(s.zone as i64),
            Cell::Int(s.lottery as i64),
            Cell::Int(s.overflow as i64),
            Cell::Int(s.private as i64),
            Cell::Int(s.seats as i64),
            Cell::Int(s.classes.classes as i64),
            Cell::Pct(s.large_share),
            Cell::Pct(s.super_large_share),
            Cell::Num(s.mean_class_size, 1),
            Cell::Num(s.mean_distance_m, 0),
        ]);
    }
    tables.push(t);
    tables.push(district_table(&map_schools, None));
    tables.push(school_table(&map_schools, None));
    let mut t = Table::new(
        "equity",
        "Equity by group (primary + junior entrants)",
        &["group", "placed in own zone", "in a 56+ class", "unplaced"],
    );
    for r in &equity {
        t.rows.push(vec![
            Cell::text(&r.0),
            Cell::Pct(r.1),
            Cell::Pct(r.2),
            Cell::Pct(r.3),
        ]);
    }
    tables.push(t);

    let mut all_inputs = inputs;
    all_inputs.push(("seed".into(), result.seed.to_string()));
    all_inputs.push((
        "class policy".into(),
        stages
            .iter()
            .map(|&s| format!("{}={:?}", s.name(), params.policy_of(s)))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    all_inputs.push(("tie-break".into(), format!("{:?}", params.tie_break)));
    all_inputs.push(("priority rules".into(), format!("{:?}", params.rules)));
    all_inputs.push(("xuewei version".into(), env!("CARGO_PKG_VERSION").into()));

    Report {
        title: "xuewei assign — one year's admission".into(),
        subtitle: format!(
            "{} pupils, {} schools, {} zones; seed {}",
            city.pupils().len(),
            schools.len(),
            city.zones().len(),
            result.seed
        ),
        headline,
        map: MapData {
            zones,
            schools: map_schools,
            flows,
        },
        map_stages: stages,
        map_caption: "Zones of the selected stage shaded by the entering grade's seat utilisation (or 56+ class share); schools sized by seats; purple lines: overflow pupils (统筹) from their home zone to the school that took them. Hover for figures.".into(),
        charts,
        tables,
        inputs: all_inputs,
        map_width: rp.map_width,
    }
}

/// Equity over primary and junior entrants by group.
fn equity_rows(city: &City, result: &CityAssignment) -> Vec<EquityRow> {
    let core = Core::default();
    let large = xuewei_core::ClassSizeStandard::default().large;
    type Pred = fn(&xuewei_core::city::Pupil, &Core) -> bool;
    let groups: [(&str, Pred); 4] = [
        ("local", |p, _| p.hukou_local),
        ("migrant", |p, _| !p.hukou_local),
        ("core", |p, c| c.contains(p.home)),
        ("edge", |p, c| !c.contains(p.home)),
    ];
    groups
        .iter()
        .map(|(name, member)| {
            let (mut n, mut own, mut in_large, mut unplaced, mut placed) =
                (0u64, 0u64, 0u64, 0u64, 0u64);
            for (p, pl) in city.pupils().iter().zip(&result.placements) {
                if !matches!(p.stage, Stage::Primary | Stage::Junior) || !member(p, &core) {
                    continue;
                }
                n += 1;
                match pl.school {
                    None => unplaced += 1,
                    Some(s) => {
                        placed += 1;
                        own += u64::from(matches!(pl.how, How::Zone | How::Lottery));
                        let biggest = result.classes[s as usize].sizes().next().unwrap_or(0);
                        in_large += u64::from(biggest >= large);
                    }
                }
            }
            let share = |a: u64, b: u64| if b > 0 { a as f64 / b as f64 } else { 0.0 };
            (
                (*name).to_owned(),
                share(own, n),
                share(in_large, placed),
                share(unplaced, n),
            )
        })
        .collect()
}

/// Per 学区 and stage: schools, seats, placed, utilisation, classes, 56+ and 66+ shares;
/// with `before` (the other scenario's schools), the change too.
pub(crate) fn district_table(schools: &[MapSchool], before: Option<&[MapSchool]>) -> Table {
    #[derive(Default, Clone, Copy)]
    struct Acc {
        schools: u32,
        seats: u64,
        placed: u64,
        roll: u64,
        classes: u64,
        large: u64,
        super_large: u64,
    }
    let fold = |list: &[MapSchool]| {
        let mut m: BTreeMap<(u8, String), Acc> = BTreeMap::new();
        for s in list.iter().filter(|s| s.status != Status::Closed) {
            let a = m
                .entry((s.stage.index() as u8, s.district.clone()))
                .or_default();
            a.schools += 1;
            a.seats += u64::from(s.seats);
            a.placed += u64::from(s.placed);
            a.roll += u64::from(s.roll.unwrap_or(s.placed));
            a.classes += u64::from(s.classes);
            a.large += u64::from(s.large_classes);
            a.super_large += u64::from(s.super_large_classes);
        }
        m
    };
    let after = fold(schools);
    let prior = before.map(fold);
    let mut cols = vec![
        "stage",
        "学区 / district",
        "schools",
        "seats",
        "placed",
        "utilisation",
        "roll",
        "classes",
        "56+",
        "66+",
    ];
    if prior.is_some() {
        cols.extend(["56+ before", "utilisation before"]);
    }
    let mut t = Table::new("districts", "Per 学区 (school district)", &cols);
    let stage_of = |k: u8| Stage::ALL[k as usize];
    for ((stage, d), a) in &after {
        let ratio = |x: u64, y: u64| (y > 0).then(|| x as f64 / y as f64);
        let mut row = vec![
            Cell::text(stage_of(*stage).name()),
            Cell::text(if d.is_empty() { "–" } else { d }),
            Cell::int(a.schools),
            Cell::Int(a.seats as i64),
            Cell::Int(a.placed as i64),
            Cell::pct_or_empty(ratio(a.placed, a.seats)),
            Cell::Int(a.roll as i64),
            Cell::Int(a.classes as i64),
            Cell::pct_or_empty(ratio(a.large, a.classes)),
            Cell::pct_or_empty(ratio(a.super_large, a.classes)),
        ];
        if let Some(p) = &prior {
            let b = p.get(&(*stage, d.clone())).copied().unwrap_or_default();
            row.push(Cell::pct_or_empty(ratio(b.large, b.classes)));
            row.push(Cell::pct_or_empty(ratio(b.placed, b.seats)));
        }
        t.rows.push(row);
    }
    t
}

/// Per school; with `before`, the other scenario's utilisation and 56+ share beside.
pub(crate) fn school_table(schools: &[MapSchool], before: Option<&[MapSchool]>) -> Table {
    let mut cols = vec![
        "school",
        "name",
        "stage",
        "sector",
        "学区 / district",
        "status",
        "entry classes",
        "seats",
        "placed",
        "utilisation",
        "roll",
        "classes",
        "56+",
        "66+",
        "largest class",
    ];
    if before.is_some() {
        cols.extend([
            "utilisation before",
            "56+ share before",
            "classes 56+ share change",
        ]);
    }
    let mut t = Table::new("schools", "Per school", &cols);
    for s in schools {
        let mut row = vec![
            Cell::text(&s.id),
            Cell::text(&s.name),
            Cell::text(s.stage.name()),
            Cell::text(sector_name(s.sector)),
            Cell::text(&s.district),
            Cell::text(s.status.name()),
            Cell::int(s.entry_classes),
            Cell::int(s.seats),
            Cell::int(s.placed),
            Cell::pct_or_empty(s.utilisation()),
            s.roll.map_or(Cell::Empty, Cell::int),
            Cell::int(s.classes),
            Cell::int(s.large_classes),
            Cell::int(s.super_large_classes),
            Cell::int(s.largest_class),
        ];
        if let Some(before) = before {
            let b = before.iter().find(|x| x.id == s.id);
            row.push(Cell::pct_or_empty(b.and_then(MapSchool::utilisation)));
            row.push(Cell::pct_or_empty(b.and_then(MapSchool::large_share)));
            row.push(
                match (s.large_share(), b.and_then(MapSchool::large_share)) {
                    (Some(x), Some(y)) => Cell::Pct(x - y),
                    _ => Cell::Empty,
                },
            );
        }
        t.rows.push(row);
    }
    t
}
