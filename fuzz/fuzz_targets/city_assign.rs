//! A small city generated from the fuzz bytes and written out as the files xuewei reads:
//! up to 8 schools (primary or junior, public or private, classes, stated seats, district),
//! a grid of up to 3×3 square catchment zones (single- and multi-school, some without a
//! school), up to 60 pupils on a 250 m lattice (so homes fall on shared zone edges and
//! corners), sometimes outside every zone, with hukou, home, permit, sibling, score and
//! preferences, and sometimes a road grid. Options: seed, tie-breaking, class policy per
//! stage, priority rules.
//!
//! Checks: `xuewei_io::city::parse` accepts the valid files it is given
//! (`xuewei_testkit::oracle::city_valid` on the result), and `assign` keeps every invariant of
//! `xuewei_testkit::oracle::check_city_assignment`:
//! one placement per pupil, placed or unplaced with a reason, nobody unplaced beside a free
//! public seat of their stage, seats respected, counts and summaries that add up, the same
//! placements twice.
#![no_main]

use std::fmt::Write;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use xuewei_core::city::{AssignParams, Criterion, PriorityRules};
use xuewei_core::{SeatRule, Stage, TieBreak};
use xuewei_fuzz::check;
use xuewei_io::city::{parse, CityFiles};
use xuewei_testkit::oracle;

/// Grid origin and step (degrees): zones are `STEP` squares; homes sit on a lattice of a
/// quarter step.
const LON0: f64 = 113.60;
const LAT0: f64 = 34.74;
const STEP: f64 = 0.01;

struct Files {
    schools: String,
    pupils: String,
    zones: String,
    roads: Option<String>,
    params: AssignParams,
}

fn stage(u: &mut Unstructured<'_>) -> Result<Stage> {
    Ok(if u.ratio(3, 4)? {
        Stage::Primary
    } else {
        Stage::Junior
    })
}

/// A coordinate on the quarter-step lattice, from one cell before the grid to one after.
fn lattice(u: &mut Unstructured<'_>, origin: f64, cells: u32) -> Result<f64> {
    let k = u.int_in_range(0..=4 * (cells + 2))?;
    Ok(origin + (f64::from(k) - 4.0) * STEP / 4.0)
}

fn policy(u: &mut Unstructured<'_>) -> Result<SeatRule> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => SeatRule::Guarantee,
        1 => SeatRule::Cap(u.int_in_range(1..=4u32)?),
        _ => SeatRule::Standard,
    })
}

fn generate(u: &mut Unstructured<'_>) -> Result<Files> {
    let (cols, rows) = (u.int_in_range(1..=3u32)?, u.int_in_range(1..=3u32)?);
    let n_schools = u.int_in_range(1..=8usize)?;
    let mut schools = Vec::with_capacity(n_schools);
    let mut text = String::from("id,name,stage,sector,lon,lat,entry_classes,district,seats\n");
    for i in 0..n_schools {
        let st = stage(u)?;
        let private = u.ratio(1, 5)?;
        let lon = lattice(u, LON0, cols)?;
        let lat = lattice(u, LAT0, rows)?;
        let classes = u.int_in_range(0..=3u32)?;
        let district = match u.int_in_range(0..=3u8)? {
            0 => String::new(),
            d => format!("D{d}"),
        };
        let seats = if u.ratio(1, 2)? {
            u.int_in_range(0..=6u32)?.to_string()
        } else {
            String::new()
        };
        let sector = if private { "private" } else { "public" };
        let _ = writeln!(
            text,
            "S{i},School {i},{},{sector},{lon},{lat},{classes},{district},{seats}",
            st.name()
        );
        schools.push((st, private));
    }
    let schools_csv = text;

    let mut features = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            let st = stage(u)?;
            let mut served = Vec::new();
            for (i, &(s_stage, private)) in schools.iter().enumerate() {
                if s_stage == st && !private && u.ratio(1, 3)? {
                    served.push(format!("\"S{i}\""));
                }
            }
            let district = match u.int_in_range(0..=3u8)? {
                0 => String::new(),
                d => format!(",\"district\":\"D{d}\""),
            };
            let (x0, y0) = (LON0 + f64::from(c) * STEP, LAT0 + f64::from(r) * STEP);
            let (x1, y1) = (x0 + STEP, y0 + STEP);
            features.push(format!(
                "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"Z{r}-{c}\",\"stage\":\"{}\",\
                 \"schools\":[{}]{district}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":\
                 [[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}}}",
                st.name(),
                served.join(",")
            ));
        }
    }
    let zones_geojson = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
        features.join(",")
    );

    let n_pupils = u.int_in_range(0..=60usize)?;
    let mut text = String::from(
        "id,stage,lon,lat,hukou_local,owns_home,residence_permit,sibling_school,score,\
         origin_school,preferences\n",
    );
    for i in 0..n_pupils {
        let st = stage(u)?;
        let lon = lattice(u, LON0, cols)?;
        let lat = lattice(u, LAT0, rows)?;
        let flags: [bool; 3] = [u.arbitrary()?, u.arbitrary()?, u.arbitrary()?];
        let sibling = if u.ratio(1, 4)? {
            format!("S{}", u.choose_index(n_schools)?)
        } else {
            String::new()
        };
        let score = if u.ratio(1, 3)? {
            u.int_in_range(0..=100u32)?.to_string()
        } else {
            String::new()
        };
        let mut prefs = Vec::new();
        for (k, &(s_stage, _)) in schools.iter().enumerate() {
            if s_stage == st && u.ratio(1, 3)? {
                prefs.push(format!("S{k}"));
            }
        }
        // Lists are in school order; rotate for variety.
        if !prefs.is_empty() {
            let k = u.choose_index(prefs.len())?;
            prefs.rotate_left(k);
        }
        let _ = writeln!(
            text,
            "P{i},{},{lon},{lat},{},{},{},{sibling},{score},,{}",
            st.name(),
            u8::from(flags[0]),
            u8::from(flags[1]),
            u8::from(flags[2]),
            prefs.join(";")
        );
    }
    let pupils_csv = text;

    let roads = if u.ratio(1, 3)? {
        let mut lines = Vec::new();
        for r in 0..=rows {
            let y = LAT0 + f64::from(r) * STEP;
            let x1 = LON0 + f64::from(cols) * STEP;
            let speed = u.int_in_range(10..=60u32)?;
            lines.push(format!(
                "{{\"type\":\"Feature\",\"properties\":{{\"speed_kmh\":{speed}}},\"geometry\":\
                 {{\"type\":\"LineString\",\"coordinates\":[[{LON0},{y}],[{x1},{y}]]}}}}"
            ));
        }
        for c in 0..=cols {
            let x = LON0 + f64::from(c) * STEP;
            let y1 = LAT0 + f64::from(rows) * STEP;
            lines.push(format!(
                "{{\"type\":\"Feature\",\"properties\":{{}},\"geometry\":\
                 {{\"type\":\"LineString\",\"coordinates\":[[{x},{LAT0}],[{x},{y1}]]}}}}"
            ));
        }
        Some(format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            lines.join(",")
        ))
    } else {
        None
    };

    let all = [
        Criterion::HukouAndHome,
        Criterion::HukouOrHome,
        Criterion::Hukou,
        Criterion::Home,
        Criterion::ResidencePermit,
        Criterion::Any,
    ];
    let mut tiers = Vec::new();
    for _ in 0..u.int_in_range(0..=4u8)? {
        tiers.push(*u.choose(&all)?);
    }
    let rules = PriorityRules {
        tiers,
        sibling_lift: u.arbitrary()?,
    };
    let tie_break = if u.arbitrary()? {
        TieBreak::Multiple
    } else {
        TieBreak::Single
    };
    let params = AssignParams::default()
        .seed(u.arbitrary()?)
        .tie_break(tie_break)
        .rules(rules)
        .stage_class_policy(Stage::Primary, policy(u)?)
        .stage_class_policy(Stage::Junior, policy(u)?);
    Ok(Files {
        schools: schools_csv,
        pupils: pupils_csv,
        zones: zones_geojson,
        roads,
        params,
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(files) = generate(&mut u) else {
        return;
    };
    let city = parse(&CityFiles {
        schools: ("schools.csv", &files.schools),
        pupils: ("pupils.csv", &files.pupils),
        zones: ("zones.geojson", &files.zones),
        roads: files.roads.as_deref().map(|r| ("roads.geojson", r)),
    })
    .unwrap_or_else(|e| {
        panic!(
            "valid files rejected: {e}\n{}\n{}\n{}",
            files.schools, files.pupils, files.zones
        )
    });
    assert_eq!(city.schools().len(), files.schools.lines().count() - 1);
    assert_eq!(city.pupils().len(), files.pupils.lines().count() - 1);
    check(oracle::city_valid(&city));
    check(oracle::check_city_assignment(&city, &files.params));
});
