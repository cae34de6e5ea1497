//! Writing an assignment out: `placements.csv`, `schools.csv`, `classes.csv`, `lottery.csv`
//! and `summary.json` (formats in `docs/formats.md`); and the classes and measures of a
//! whole-school roll (`xuewei classes`). Functions write to any `io::Write`; the caller
//! chooses the files.

use std::io::{self, Write};

use xuewei_core::city::roll::RollReport;
use xuewei_core::city::{City, CityAssignment};
use xuewei_core::class_size::ClassMeasures;
use xuewei_core::Sector;

/// `placements.csv`: one row per pupil in input order:
/// `pupil_id,stage,school_id,how,distance_m,zone_id,reason`.
///
/// # Errors
/// Any error of the writer.
pub fn placements(city: &City, result: &CityAssignment, out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "pupil_id",
        "stage",
        "school_id",
        "how",
        "distance_m",
        "zone_id",
        "reason",
    ])?;
    for (pupil, p) in city.pupils().iter().zip(&result.placements) {
        let school = p
            .school
            .map_or("", |s| city.schools()[s as usize].id.as_str());
        let distance = p.distance_m.map(|d| format!("{d:.0}")).unwrap_or_default();
        let zone = p.zone.map_or("", |z| city.zones()[z as usize].id.as_str());
        w.write_record([
            pupil.id.as_str(),
            pupil.stage.name(),
            school,
            p.how.name(),
            distance.as_str(),
            zone,
            p.reason_text(pupil.stage).as_str(),
        ])?;
    }
    w.flush()
}

/// `schools.csv`: one row per school:
/// `school_id,name,stage,sector,district,seats,placed,utilisation`.
///
/// # Errors
/// Any error of the writer.
pub fn schools(city: &City, result: &CityAssignment, out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "school_id",
        "name",
        "stage",
        "sector",
        "district",
        "entry_classes",
        "seats",
        "placed",
        "utilisation",
        "classes",
        "largest_class",
    ])?;
    for (i, s) in city.schools().iter().enumerate() {
        let seats = result.seats[i];
        let placed = result.placed[i];
        let utilisation = if seats > 0 {
            format!("{:.3}", f64::from(placed) / f64::from(seats))
        } else {
            String::new()
        };
        w.write_record([
            s.id.as_str(),
            s.name.as_str(),
            s.stage.name(),
            match s.sector {
                Sector::Public => "public",
                Sector::Private => "private",
            },
            s.district
                .map_or("", |d| city.districts()[d as usize].as_str()),
            s.entry_classes.to_string().as_str(),
            seats.to_string().as_str(),
            placed.to_string().as_str(),
            utilisation.as_str(),
            result.classes[i].count.to_string().as_str(),
            result.classes[i]
                .sizes()
                .next()
                .unwrap_or(0)
                .to_string()
                .as_str(),
        ])?;
    }
    w.flush()
}

/// `classes.csv`: every class of the entering grade, `school_id,grade,class_no,size`
/// (grade 1 = the entering grade of the school's stage; classes numbered from 1, largest
/// first).
///
/// # Errors
/// Any error of the writer.
pub fn classes(city: &City, result: &CityAssignment, out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["school_id", "grade", "class_no", "size"])?;
    for (s, g) in city.schools().iter().zip(&result.classes) {
        for (k, size) in g.sizes().enumerate() {
            w.write_record([
                s.id.as_str(),
                "1",
                (k + 1).to_string().as_str(),
                size.to_string().as_str(),
            ])?;
        }
    }
    w.flush()
}

/// `lottery.csv`: every draw, `stage,lottery,seed,position,pupil_id` (position 1 = drawn
/// first), so a draw can be published and replayed.
///
/// # Errors
/// Any error of the writer.
pub fn draws(city: &City, result: &CityAssignment, out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["stage", "lottery", "seed", "position", "pupil_id"])?;
    for d in &result.draws {
        let seed = d.seed.to_string();
        for (pos, &p) in d.order.iter().enumerate() {
            w.write_record([
                d.stage.name(),
                d.lottery,
                seed.as_str(),
                (pos + 1).to_string().as_str(),
                city.pupils()[p as usize].id.as_str(),
            ])?;
        }
    }
    w.flush()
}

/// `summary.json`: `{"seed": …, "stages": {"primary": {…}, …}}` with each stage's figures.
///
/// # Errors
/// Any error of the writer.
pub fn summary(result: &CityAssignment, mut out: impl Write) -> io::Result<()> {
    let mut stages = serde_json::Map::new();
    for (stage, summary) in &result.stages {
        let mut v = serde_json::to_value(summary).map_err(io::Error::other)?;
        if let Some(o) = v.as_object_mut() {
            for key in ["mean_distance_m", "max_distance_m", "mean_class_size"] {
                if let Some(x) = o.get(key).and_then(serde_json::Value::as_f64) {
                    o.insert(key.into(), serde_json::json!((x * 10.0).round() / 10.0));
                }
            }
            for key in ["large_share", "super_large_share"] {
                if let Some(x) = o.get(key).and_then(serde_json::Value::as_f64) {
                    o.insert(
                        key.into(),
                        serde_json::json!((x * 10_000.0).round() / 10_000.0),
                    );
                }
            }
        }
        stages.insert(stage.name().to_owned(), v);
    }
    let doc = serde_json::json!({ "seed": result.seed, "stages": stages });
    serde_json::to_writer_pretty(&mut out, &doc).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// `classes.csv` of a whole-school roll: every class of every grade,
/// `school_id,grade,class_no,size` (classes numbered from 1, largest first).
///
/// # Errors
/// Any error of the writer.
pub fn roll_classes(report: &RollReport, out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["school_id", "grade", "class_no", "size"])?;
    for (row, g) in &report.grades {
        for (k, size) in g.sizes().enumerate() {
            w.write_record([
                row.school.as_str(),
                row.grade.to_string().as_str(),
                (k + 1).to_string().as_str(),
                size.to_string().as_str(),
            ])?;
        }
    }
    w.flush()
}

/// `summary.json` of a whole-school roll: the measures of the city, of each stage and of
/// each district (学区), each with its shares of large and super-large classes and its mean
/// class size.
///
/// # Errors
/// Any error of the writer.
pub fn roll_summary(report: &RollReport, mut out: impl Write) -> io::Result<()> {
    let summarise = |m: &ClassMeasures| {
        let mut v = serde_json::to_value(m).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert("large_share".into(), serde_json::json!(m.large_share()));
            o.insert(
                "super_large_share".into(),
                serde_json::json!(m.super_large_share()),
            );
            o.insert(
                "mean_class_size".into(),
                serde_json::json!(m.mean_class_size()),
            );
        }
        v
    };
    let doc = serde_json::json!({
        "city": summarise(&report.city),
        "stages": report.stages.iter().map(|(s, m)| (s.name().to_owned(), summarise(m))).collect::<serde_json::Map<_, _>>(),
        "districts": report.districts.iter().map(|(d, m)| (d.clone(), summarise(m))).collect::<serde_json::Map<_, _>>(),
    });
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}
