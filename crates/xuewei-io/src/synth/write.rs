//! Writing a [`SynthCity`] in the formats of `docs/formats.md`: `zones.geojson`,
//! `schools.csv`, `pupils.csv`, `roll.csv`, `blocks.csv` and `roads.geojson`.
//!
//! Output is byte-stable: coordinates are written from micro-degrees with exactly six
//! decimals, scores with one, and every list in the city's order.

use std::fmt;
use std::io::{self, Write};

use xuewei_core::Sector;
use xuewei_synth::{Micro, Rect, SynthCity};

/// The files of a city, in the order [`write_all`] writes them.
pub const FILES: [&str; 6] = [
    "zones.geojson",
    "schools.csv",
    "pupils.csv",
    "roll.csv",
    "blocks.csv",
    "roads.geojson",
];

/// Writes every file, asking `open` for a writer per file name (see [`FILES`]).
///
/// # Errors
/// Any error of `open` or of writing.
pub fn write_all<W: Write>(
    city: &SynthCity,
    mut open: impl FnMut(&str) -> io::Result<W>,
) -> io::Result<()> {
    write_zones(city, open(FILES[0])?)?;
    write_schools(city, open(FILES[1])?)?;
    write_pupils(city, open(FILES[2])?)?;
    write_roll(city, open(FILES[3])?)?;
    write_blocks(city, open(FILES[4])?)?;
    write_roads(city, open(FILES[5])?)
}

/// Writes micro-degrees as a decimal with exactly six places (exact, no float rounding).
struct Deg(i64);

impl fmt::Display for Deg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:06}", a / 1_000_000, a % 1_000_000)
    }
}

fn json_str(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

fn position(p: Micro) -> String {
    format!("[{},{}]", Deg(p.lon), Deg(p.lat))
}

fn ring(r: &Rect) -> String {
    let pts: Vec<String> = r.ring().iter().map(|&p| position(p)).collect();
    format!("[{}]", pts.join(","))
}

/// `zones.geojson`: one Feature per line, properties `id`, `stage`, `schools`, `district`;
/// a Polygon for one rectangle, a MultiPolygon for several.
///
/// # Errors
/// Write errors.
pub fn write_zones(city: &SynthCity, mut w: impl Write) -> io::Result<()> {
    writeln!(w, "{{\"type\":\"FeatureCollection\",\"features\":[")?;
    for (i, z) in city.zones.iter().enumerate() {
        let schools: Vec<String> = z
            .schools
            .iter()
            .map(|&s| json_str(&city.schools[s as usize].id))
            .collect();
        let geometry = if z.rects.len() == 1 {
            format!(
                "{{\"type\":\"Polygon\",\"coordinates\":[{}]}}",
                ring(&z.rects[0])
            )
        } else {
            let polys: Vec<String> = z.rects.iter().map(|r| format!("[{}]", ring(r))).collect();
            format!(
                "{{\"type\":\"MultiPolygon\",\"coordinates\":[{}]}}",
                polys.join(",")
            )
        };
        writeln!(
            w,
            "{{\"type\":\"Feature\",\"properties\":{{\"id\":{},\"stage\":\"{}\",\"schools\":[{}],\"district\":{}}},\"geometry\":{}}}{}",
            json_str(&z.id),
            z.stage.name(),
            schools.join(","),
            json_str(&city.areas[z.area as usize].label),
            geometry,
            if i + 1 < city.zones.len() { "," } else { "" }
        )?;
    }
    writeln!(w, "]}}")?;
    w.flush()
}

/// `schools.csv`: `id,name,stage,sector,lon,lat,entry_classes,district` (district = the
/// 学区 of urban schools, the county of county schools).
///
/// # Errors
/// Write errors.
pub fn write_schools(city: &SynthCity, w: impl Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "id",
        "name",
        "stage",
        "sector",
        "lon",
        "lat",
        "entry_classes",
        "district",
    ])?;
    for s in &city.schools {
        out.write_record([
            s.id.as_str(),
            s.name.as_str(),
            s.stage.name(),
            match s.sector {
                Sector::Private => "private",
                _ => "public",
            },
            &Deg(s.at.lon).to_string(),
            &Deg(s.at.lat).to_string(),
            &s.entry_classes.to_string(),
            city.areas[s.area as usize].label.as_str(),
        ])?;
    }
    out.flush()
}

/// `pupils.csv`: `id,stage,lon,lat,hukou_local,owns_home,residence_permit,sibling_school,
/// score,origin_school,preferences`.
///
/// # Errors
/// Write errors.
pub fn write_pupils(city: &SynthCity, w: impl Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "id",
        "stage",
        "lon",
        "lat",
        "hukou_local",
        "owns_home",
        "residence_permit",
        "sibling_school",
        "score",
        "origin_school",
        "preferences",
    ])?;
    let id = |s: Option<u32>| {
        s.map(|s| city.schools[s as usize].id.as_str())
            .unwrap_or("")
    };
    let flag = |b: bool| if b { "1" } else { "0" };
    for p in &city.pupils {
        let prefs: Vec<&str> = p
            .preferences
            .iter()
            .map(|&s| city.schools[s as usize].id.as_str())
            .collect();
        out.write_record([
            p.id.as_str(),
            p.stage.name(),
            &Deg(p.home.lon).to_string(),
            &Deg(p.home.lat).to_string(),
            flag(p.hukou_local),
            flag(p.owns_home),
            flag(p.residence_permit),
            id(p.sibling_school),
            &p.score.map(|s| format!("{s:.1}")).unwrap_or_default(),
            id(p.origin_school),
            &prefs.join(";"),
        ])?;
    }
    out.flush()
}

/// `roll.csv`: `school_id,grade,pupils,classrooms,stage,district`.
///
/// # Errors
/// Write errors.
pub fn write_roll(city: &SynthCity, w: impl Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "school_id",
        "grade",
        "pupils",
        "classrooms",
        "stage",
        "district",
    ])?;
    for r in &city.roll {
        let s = &city.schools[r.school as usize];
        out.write_record([
            s.id.as_str(),
            &r.grade.to_string(),
            &r.pupils.to_string(),
            &r.classrooms.to_string(),
            s.stage.name(),
            city.areas[s.area as usize].label.as_str(),
        ])?;
    }
    out.flush()
}

/// `blocks.csv`: `id,lon,lat,district,households,age_0,…,age_17`.
///
/// # Errors
/// Write errors.
pub fn write_blocks(city: &SynthCity, w: impl Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header: Vec<String> = ["id", "lon", "lat", "district", "households"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    header.extend((0..18).map(|a| format!("age_{a}")));
    out.write_record(&header)?;
    for b in &city.blocks {
        let mut row = vec![
            b.id.clone(),
            Deg(b.at.lon).to_string(),
            Deg(b.at.lat).to_string(),
            city.areas[b.area as usize].label.clone(),
            b.households.to_string(),
        ];
        row.extend(b.ages.iter().map(u32::to_string));
        out.write_record(&row)?;
    }
    out.flush()
}

/// `roads.geojson`: one LineString Feature per line, properties `id`, `name`, `kind`
/// (`ring`, `urban`, `county`) and `speed_kmh`.
///
/// # Errors
/// Write errors.
pub fn write_roads(city: &SynthCity, mut w: impl Write) -> io::Result<()> {
    writeln!(w, "{{\"type\":\"FeatureCollection\",\"features\":[")?;
    for (i, r) in city.roads.iter().enumerate() {
        let pts: Vec<String> = r.points.iter().map(|&p| position(p)).collect();
        let kind = r.kind.name();
        writeln!(
            w,
            "{{\"type\":\"Feature\",\"properties\":{{\"id\":{},\"name\":{},\"kind\":\"{kind}\",\"speed_kmh\":{:.1}}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[{}]}}}}{}",
            json_str(&r.id),
            json_str(&r.name),
            r.speed_kmh,
            pts.join(","),
            if i + 1 < city.roads.len() { "," } else { "" }
        )?;
    }
    writeln!(w, "]}}")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degrees_are_written_exactly() {
        assert_eq!(Deg(113_660_000).to_string(), "113.660000");
        assert_eq!(Deg(-1).to_string(), "-0.000001");
        assert_eq!(Deg(34_750_123).to_string(), "34.750123");
    }
}
