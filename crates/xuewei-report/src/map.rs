//! The map: catchment zones shaded by a measure, schools as dots sized by seats, edits
//! marked (new, relocated, expanded, closed), overflow flows as lines, a legend and a scale
//! bar; and what the same layers carry as GeoJSON FeatureCollections (written by
//! `xuewei_io::report_files`).
//!
//! The projection is equirectangular around the centre latitude (x scaled by cos φ), which
//! at a city's extent is within a fraction of a percent of a local conformal projection.

use std::fmt::Write;
use std::io;

use geo::{MultiPolygon, Point};
use xuewei_core::{Sector, Stage};
use xuewei_io::report_files::{write_layer, Feature, Geometry};

use crate::chart::{color, esc, pct};

/// What a plan did to a school.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Status {
    /// Unchanged (or no plan).
    Existing,
    /// Built by the plan.
    New,
    /// Moved by the plan.
    Relocated,
    /// Given more (or fewer) entry classes.
    Expanded,
    /// Closed by the plan.
    Closed,
}

impl Status {
    /// Lowercase name, as in the exports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Status::Existing => "existing",
            Status::New => "new",
            Status::Relocated => "relocated",
            Status::Expanded => "expanded",
            Status::Closed => "closed",
        }
    }
}

/// A catchment zone with its measures.
#[derive(Clone, Debug, PartialEq)]
pub struct MapZone {
    /// Zone id.
    pub id: String,
    /// Stage.
    pub stage: Stage,
    /// District (学区) name, empty when none.
    pub district: String,
    /// School ids serving it.
    pub schools: Vec<String>,
    /// Outline.
    pub geometry: MultiPolygon<f64>,
    /// Entrants placed at its schools over their seats (`None` without seats).
    pub utilisation: Option<f64>,
    /// Share of its schools' classes with 56+ pupils (`None` without classes).
    pub large_share: Option<f64>,
}

impl MapZone {
    /// A zone shaded by the schools serving it: `schools` indexes `map_schools`, and the
    /// zone's utilisation and 大班额 share add up their seats, placements and classes.
    #[must_use]
    pub fn shaded(
        zone: &xuewei_core::city::Zone,
        district: String,
        map_schools: &[MapSchool],
    ) -> Self {
        let serving = || {
            zone.schools
                .iter()
                .filter_map(|&i| map_schools.get(i as usize))
        };
        let (mut seats, mut placed, mut classes, mut large) = (0u64, 0u64, 0u64, 0u64);
        for s in serving() {
            seats += u64::from(s.seats);
            placed += u64::from(s.placed);
            classes += u64::from(s.classes);
            large += u64::from(s.large_classes);
        }
        MapZone {
            id: zone.id.clone(),
            stage: zone.stage,
            district,
            schools: serving().map(|s| s.id.clone()).collect(),
            geometry: zone.geometry.clone(),
            utilisation: (seats > 0).then(|| placed as f64 / seats as f64),
            large_share: (classes > 0).then(|| large as f64 / classes as f64),
        }
    }
}

/// A school with its measures.
#[derive(Clone, Debug, PartialEq)]
pub struct MapSchool {
    /// School id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Stage.
    pub stage: Stage,
    /// Public or private.
    pub sector: Sector,
    /// District (学区) name, empty when none.
    pub district: String,
    /// Location.
    pub location: Point<f64>,
    /// Where it stood before a relocation.
    pub moved_from: Option<Point<f64>>,
    /// What the plan did to it.
    pub status: Status,
    /// Entry classes.
    pub entry_classes: u32,
    /// Seats of the entering grade.
    pub seats: u32,
    /// Entrants placed.
    pub placed: u32,
    /// Pupils on roll, all grades (`None` when only the entering grade is known).
    pub roll: Option<u32>,
    /// Classes (all grades when `roll` is known, else the entering grade).
    pub classes: u32,
    /// Classes of 56+ pupils.
    pub large_classes: u32,
    /// Classes of 66+ pupils.
    pub super_large_classes: u32,
    /// Largest class.
    pub largest_class: u32,
}

impl MapSchool {
    /// Entrants over seats (`None` without seats).
    #[must_use]
    pub fn utilisation(&self) -> Option<f64> {
        (self.seats > 0).then(|| f64::from(self.placed) / f64::from(self.seats))
    }
    /// Share of classes with 56+ pupils (`None` without classes).
    #[must_use]
    pub fn large_share(&self) -> Option<f64> {
        (self.classes > 0).then(|| f64::from(self.large_classes) / f64::from(self.classes))
    }
}

/// Overflow pupils (统筹) from one origin to one school.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    /// Stage.
    pub stage: Stage,
    /// Origin: the mean home of the pupils (grouped by home zone).
    pub from: Point<f64>,
    /// The school's location.
    pub to: Point<f64>,
    /// School id.
    pub school: String,
    /// Origin zone id (empty for homes outside every zone).
    pub zone: String,
    /// Pupils.
    pub pupils: u32,
}

/// Everything the map shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapData {
    /// Zones.
    pub zones: Vec<MapZone>,
    /// Schools.
    pub schools: Vec<MapSchool>,
    /// Overflow flows.
    pub flows: Vec<Flow>,
}

/// The measure zones are shaded by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shade {
    /// Entering-grade utilisation (placed / seats).
    Utilisation,
    /// Share of classes with 56+ pupils.
    LargeShare,
}

const UTIL_CLASSES: [(f64, &str, &str); 6] = [
    (0.0, "#f7fbff", "< 50%"),
    (0.5, "#d9f0d3", "50–80%"),
    (0.8, "#fff7bc", "80–95%"),
    (0.95, "#fec44f", "95–105%"),
    (1.05, "#f768a1", "105–120%"),
    (1.2, "#ae017e", "≥ 120%"),
];

const LARGE_CLASSES: [(f64, &str, &str); 5] = [
    (0.0, "#f7fbff", "0%"),
    (1e-9, "#fee8c8", "0–10%"),
    (0.1, "#fdbb84", "10–30%"),
    (0.3, "#e34a33", "30–50%"),
    (0.5, "#b30000", "≥ 50%"),
];

fn fill(shade: Shade, value: Option<f64>) -> &'static str {
    let Some(v) = value else {
        return "#eeeeee";
    };
    let classes: &[(f64, &str, &str)] = match shade {
        Shade::Utilisation => &UTIL_CLASSES,
        Shade::LargeShare => &LARGE_CLASSES,
    };
    classes
        .iter()
        .rev()
        .find(|c| v >= c.0)
        .map_or(classes[0].1, |c| c.1)
}

/// The frame of the map: a lon/lat box and the pixel size.
struct Frame {
    lon0: f64,
    lat1: f64,
    k: f64,
    coslat: f64,
    width: f64,
    height: f64,
    pad: f64,
}

impl Frame {
    fn new(data: &MapData, width: f64) -> Self {
        let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        let mut add = |p: (f64, f64)| {
            b = (b.0.min(p.0), b.1.min(p.1), b.2.max(p.0), b.3.max(p.1));
        };
        for z in &data.zones {
            for poly in &z.geometry.0 {
                for c in poly.exterior().coords() {
                    add((c.x, c.y));
                }
            }
        }
        for s in &data.schools {
            add((s.location.x(), s.location.y()));
            if let Some(m) = s.moved_from {
                add((m.x(), m.y()));
            }
        }
        if b.0 > b.2 {
            b = (113.6, 34.7, 113.7, 34.8);
        }
        let coslat = ((b.1 + b.3) / 2.0).to_radians().cos();
        let pad = 12.0;
        let span_x = ((b.2 - b.0) * coslat).max(1e-6);
        let span_y = (b.3 - b.1).max(1e-6);
        let k = (width - 2.0 * pad) / span_x;
        let height = (span_y * k + 2.0 * pad).clamp(200.0, 1.4 * width);
        let k = k.min((height - 2.0 * pad) / span_y);
        Self {
            lon0: b.0,
            lat1: b.3,
            k,
            coslat,
            width,
            height,
            pad,
        }
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.pad + (lon - self.lon0) * self.coslat * self.k,
            self.pad + (self.lat1 - lat) * self.k,
        )
    }

    /// Metres per pixel.
    fn m_per_px(&self) -> f64 {
        111_195.0 / self.k
    }
}

fn path_of(frame: &Frame, geometry: &MultiPolygon<f64>) -> String {
    let mut d = String::new();
    for poly in &geometry.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for (i, c) in ring.coords().enumerate() {
                let (x, y) = frame.xy(c.x, c.y);
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
    }
    d
}

/// Renders the map of one stage as an `<svg>` element.
#[must_use]
pub fn render(data: &MapData, stage: Stage, shade: Shade, width: f64) -> String {
    let frame = Frame::new(data, width);
    let (w, h) = (frame.width, frame.height);
    let legend_w = 230.0;
    let total_w = w + legend_w;
    let mut s = String::new();
    let sid = format!("{}-{}", stage.name(), shade_name(shade));
    let _ = write!(
        s,
        r#"<svg class="map" id="map-{sid}" viewBox="0 0 {total_w} {h:.0}" width="{total_w}" height="{h:.0}" role="img" aria-label="map of {} zones and schools">"#,
        stage.name()
    );
    let _ = write!(
        s,
        r##"<defs><marker id="arrow-{sid}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{}"/></marker></defs>"##,
        color::PURPLE
    );
    let _ = write!(
        s,
        r##"<rect x="0" y="0" width="{w}" height="{h:.0}" fill="#fbfbf8" stroke="#ccc"/>"##
    );
    // Zones of other stages: faint outlines for orientation.
    s.push_str(r#"<g class="zones-other">"#);
    for z in data.zones.iter().filter(|z| z.stage != stage) {
        let _ = write!(
            s,
            r##"<path d="{}" fill="none" stroke="#ddd" stroke-width="0.6"/>"##,
            path_of(&frame, &z.geometry)
        );
    }
    s.push_str("</g><g class=\"zones\">");
    for z in data.zones.iter().filter(|z| z.stage == stage) {
        let value = match shade {
            Shade::Utilisation => z.utilisation,
            Shade::LargeShare => z.large_share,
        };
        let _ = write!(
            s,
            r##"<path class="zone" d="{}" fill="{}" fill-opacity="0.85" stroke="#555" stroke-width="0.8"><title>zone {} ({}) — schools {}; utilisation {}; 56+ classes {}</title></path>"##,
            path_of(&frame, &z.geometry),
            fill(shade, value),
            esc(&z.id),
            esc(&z.district),
            esc(&z.schools.join(", ")),
            z.utilisation.map_or_else(|| "–".to_owned(), pct),
            z.large_share.map_or_else(|| "–".to_owned(), pct),
        );
    }
    s.push_str("</g><g class=\"flows\">");
    let max_flow = data
        .flows
        .iter()
        .filter(|f| f.stage == stage)
        .map(|f| f.pupils)
        .max()
        .unwrap_or(1)
        .max(1);
    for f in data.flows.iter().filter(|f| f.stage == stage) {
        let (x0, y0) = frame.xy(f.from.x(), f.from.y());
        let (x1, y1) = frame.xy(f.to.x(), f.to.y());
        let width = 1.0 + 4.0 * (f64::from(f.pupils) / f64::from(max_flow)).sqrt();
        let _ = write!(
            s,
            r#"<line class="flow" x1="{x0:.1}" y1="{y0:.1}" x2="{x1:.1}" y2="{y1:.1}" stroke="{}" stroke-opacity="0.75" stroke-width="{width:.1}" marker-end="url(#arrow-{sid})"><title>{} overflow pupils from zone {} to {}</title></line>"#,
            color::PURPLE,
            f.pupils,
            esc(if f.zone.is_empty() { "(none)" } else { &f.zone }),
            esc(&f.school)
        );
    }
    s.push_str("</g><g class=\"schools\">");
    let max_seats = data
        .schools
        .iter()
        .map(|x| x.seats.max(x.placed))
        .max()
        .unwrap_or(1)
        .max(1);
    let radius = |seats: u32| 3.0 + 11.0 * (f64::from(seats) / f64::from(max_seats)).sqrt();
    for sc in data.schools.iter().filter(|x| x.stage == stage) {
        let (x, y) = frame.xy(sc.location.x(), sc.location.y());
        let r = radius(sc.seats.max(sc.placed));
        if let Some(from) = sc.moved_from {
            let (fx, fy) = frame.xy(from.x(), from.y());
            let _ = write!(
                s,
                r##"<circle class="old-site" cx="{fx:.1}" cy="{fy:.1}" r="{r:.1}" fill="none" stroke="{o}" stroke-width="1.5" stroke-dasharray="3 2"/><line x1="{fx:.1}" y1="{fy:.1}" x2="{x:.1}" y2="{y:.1}" stroke="{o}" stroke-width="1.5" stroke-dasharray="5 3"/>"##,
                o = color::ORANGE
            );
        }
        let fill_color = match sc.sector {
            Sector::Public => "#1f3b73",
            Sector::Private => "#7a5195",
        };
        let (stroke, sw) = match sc.status {
            Status::New => (color::GREEN, 3.0),
            Status::Relocated => (color::ORANGE, 3.0),
            Status::Expanded => (color::SKY, 3.0),
            Status::Closed => ("#000000", 1.0),
            Status::Existing => ("#ffffff", 1.2),
        };
        let fill_color = if sc.status == Status::Closed {
            "#bbbbbb"
        } else {
            fill_color
        };
        let _ = write!(
            s,
            r#"<circle class="school" cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{fill_color}" fill-opacity="0.9" stroke="{stroke}" stroke-width="{sw}"><title>{} {} ({}, {}) — {} seats, {} placed ({}), 56+ classes {}</title></circle>"#,
            esc(&sc.id),
            esc(&sc.name),
            sc.status.name(),
            match sc.sector {
                Sector::Public => "public",
                Sector::Private => "private",
            },
            sc.seats,
            sc.placed,
            sc.utilisation().map_or_else(|| "–".to_owned(), pct),
            sc.large_share().map_or_else(|| "–".to_owned(), pct),
        );
        if sc.status == Status::Closed {
            let d = r * 0.8;
            let _ = write!(
                s,
                r##"<path d="M{:.1},{:.1}L{:.1},{:.1}M{:.1},{:.1}L{:.1},{:.1}" stroke="#000" stroke-width="2"/>"##,
                x - d,
                y - d,
                x + d,
                y + d,
                x - d,
                y + d,
                x + d,
                y - d
            );
        }
        if sc.status != Status::Existing {
            let _ = write!(
                s,
                r#"<text class="maplabel" x="{:.1}" y="{:.1}">{}</text>"#,
                x + r + 3.0,
                y + 4.0,
                esc(&sc.name)
            );
        }
    }
    s.push_str("</g>");
    // Scale bar, bottom left.
    let target_m = frame.m_per_px() * w / 5.0;
    let nice = [
        100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0, 20_000.0, 50_000.0, 100_000.0,
    ];
    let len_m = nice
        .iter()
        .copied()
        .min_by(|a, b| (a - target_m).abs().total_cmp(&(b - target_m).abs()))
        .unwrap_or(1000.0);
    let len_px = len_m / frame.m_per_px();
    let (bx, by) = (16.0, h - 16.0);
    let _ = write!(
        s,
        r##"<g class="scale"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="26" fill="#fff" fill-opacity="0.8"/><path d="M{bx},{:.1}V{by}H{:.1}V{:.1}" fill="none" stroke="#000" stroke-width="2"/><text x="{bx}" y="{:.1}" class="tick">{}</text></g>"##,
        bx - 6.0,
        by - 22.0,
        len_px + 30.0,
        by - 6.0,
        bx + len_px,
        by - 6.0,
        by - 9.0,
        if len_m >= 1000.0 {
            format!("{} km", len_m / 1000.0)
        } else {
            format!("{len_m} m")
        }
    );
    let _ = write!(
        s,
        r#"<g class="north"><path d="M{:.1},30L{:.1},14L{:.1},30Z" fill="{}"/><text x="{:.1}" y="44" class="tick" text-anchor="middle">N</text></g>"#,
        w - 26.0,
        w - 20.0,
        w - 14.0,
        color::INK,
        w - 20.0
    );
    legend(&mut s, shade, w + 12.0);
    s.push_str("</svg>");
    s
}

fn shade_name(shade: Shade) -> &'static str {
    match shade {
        Shade::Utilisation => "utilisation",
        Shade::LargeShare => "large",
    }
}

fn legend(s: &mut String, shade: Shade, x: f64) {
    let (title, classes): (&str, &[(f64, &str, &str)]) = match shade {
        Shade::Utilisation => ("Zones: seat utilisation", &UTIL_CLASSES),
        Shade::LargeShare => ("Zones: classes 56+ (大班额)", &LARGE_CLASSES),
    };
    let mut y = 20.0;
    let _ = write!(
        s,
        r#"<g class="legend"><text class="lhead" x="{x}" y="{y}">{title}</text>"#
    );
    for (_, c, label) in classes {
        y += 18.0;
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{:.1}" width="18" height="13" fill="{c}" stroke="#555" stroke-width="0.6"/><text class="legend" x="{:.1}" y="{y:.1}">{label}</text>"##,
            y - 11.0,
            x + 24.0
        );
    }
    y += 28.0;
    let _ = write!(
        s,
        r#"<text class="lhead" x="{x}" y="{y}">Schools (size: seats)</text>"#
    );
    let items: [(&str, &str, f64, &str); 6] = [
        ("#1f3b73", "#ffffff", 1.2, "public"),
        ("#7a5195", "#ffffff", 1.2, "private"),
        ("#1f3b73", color::GREEN, 3.0, "new (built)"),
        (
            "#1f3b73",
            color::ORANGE,
            3.0,
            "relocated (dashed: old site)",
        ),
        ("#1f3b73", color::SKY, 3.0, "expanded"),
        ("#bbbbbb", "#000000", 1.0, "closed"),
    ];
    for (f, st, sw, label) in items {
        y += 20.0;
        let _ = write!(
            s,
            r#"<circle cx="{:.1}" cy="{:.1}" r="6" fill="{f}" stroke="{st}" stroke-width="{sw}"/><text class="legend" x="{:.1}" y="{y:.1}">{label}</text>"#,
            x + 9.0,
            y - 4.0,
            x + 24.0
        );
    }
    y += 22.0;
    let _ = write!(
        s,
        r#"<line x1="{x}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{}" stroke-width="3"/><text class="legend" x="{:.1}" y="{y:.1}">overflow (统筹) flow</text></g>"#,
        x + 18.0,
        y - 4.0,
        y - 4.0,
        color::PURPLE,
        x + 24.0
    );
}

/// A share rounded to 4 decimals, as the exports write it.
fn round4(x: Option<f64>) -> Option<f64> {
    x.map(|v| (v * 10_000.0).round() / 10_000.0)
}

#[derive(serde::Serialize)]
struct ZoneProperties<'a> {
    id: &'a str,
    stage: &'static str,
    district: &'a str,
    schools: &'a [String],
    utilisation: Option<f64>,
    large_share: Option<f64>,
}

#[derive(serde::Serialize)]
struct SchoolProperties<'a> {
    id: &'a str,
    name: &'a str,
    stage: &'static str,
    sector: &'static str,
    district: &'a str,
    status: &'static str,
    moved_from: Option<[f64; 2]>,
    entry_classes: u32,
    seats: u32,
    placed: u32,
    utilisation: Option<f64>,
    roll: Option<u32>,
    classes: u32,
    large_classes: u32,
    super_large_classes: u32,
    large_share: Option<f64>,
    largest_class: u32,
}

#[derive(serde::Serialize)]
struct FlowProperties<'a> {
    stage: &'static str,
    zone: &'a str,
    school: &'a str,
    pupils: u32,
}

/// Writes the zones as a GeoJSON FeatureCollection (MultiPolygon features with their
/// measures).
///
/// # Errors
/// Write errors.
pub fn write_zones(data: &MapData, out: impl io::Write) -> io::Result<()> {
    let features: Vec<Feature<'_, ZoneProperties<'_>>> = data
        .zones
        .iter()
        .map(|z| Feature {
            geometry: Geometry::MultiPolygon(&z.geometry),
            properties: ZoneProperties {
                id: &z.id,
                stage: z.stage.name(),
                district: &z.district,
                schools: &z.schools,
                utilisation: round4(z.utilisation),
                large_share: round4(z.large_share),
            },
        })
        .collect();
    write_layer(&features, out)
}

/// Writes the schools as a GeoJSON FeatureCollection (Point features with their measures).
///
/// # Errors
/// Write errors.
pub fn write_schools(data: &MapData, out: impl io::Write) -> io::Result<()> {
    let features: Vec<Feature<'_, SchoolProperties<'_>>> = data
        .schools
        .iter()
        .map(|s| Feature {
            geometry: Geometry::Point(s.location),
            properties: SchoolProperties {
                id: &s.id,
                name: &s.name,
                stage: s.stage.name(),
                sector: match s.sector {
                    Sector::Public => "public",
                    Sector::Private => "private",
                },
                district: &s.district,
                status: s.status.name(),
                moved_from: s.moved_from.map(|p| [p.x(), p.y()]),
                entry_classes: s.entry_classes,
                seats: s.seats,
                placed: s.placed,
                utilisation: round4(s.utilisation()),
                roll: s.roll,
                classes: s.classes,
                large_classes: s.large_classes,
                super_large_classes: s.super_large_classes,
                large_share: round4(s.large_share()),
                largest_class: s.largest_class,
            },
        })
        .collect();
    write_layer(&features, out)
}

/// Writes the overflow flows as a GeoJSON FeatureCollection (LineString features, origin →
/// school).
///
/// # Errors
/// Write errors.
pub fn write_flows(data: &MapData, out: impl io::Write) -> io::Result<()> {
    let features: Vec<Feature<'_, FlowProperties<'_>>> = data
        .flows
        .iter()
        .map(|f| Feature {
            geometry: Geometry::Line(f.from, f.to),
            properties: FlowProperties {
                stage: f.stage.name(),
                zone: &f.zone,
                school: &f.school,
                pupils: f.pupils,
            },
        })
        .collect();
    write_layer(&features, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;
    use serde_json::{json, Value};

    fn data() -> MapData {
        let square = polygon![(x: 113.6, y: 34.7), (x: 113.7, y: 34.7), (x: 113.7, y: 34.8), (x: 113.6, y: 34.8)];
        MapData {
            zones: vec![MapZone {
                id: "Z1".into(),
                stage: Stage::Primary,
                district: "d".into(),
                schools: vec!["A".into()],
                geometry: MultiPolygon(vec![square]),
                utilisation: Some(1.1),
                large_share: Some(0.2),
            }],
            schools: vec![MapSchool {
                id: "A".into(),
                name: "A <school>".into(),
                stage: Stage::Primary,
                sector: Sector::Public,
                district: "d".into(),
                location: Point::new(113.65, 34.75),
                moved_from: None,
                status: Status::New,
                entry_classes: 2,
                seats: 90,
                placed: 99,
                roll: None,
                classes: 2,
                large_classes: 0,
                super_large_classes: 0,
                largest_class: 50,
            }],
            flows: vec![Flow {
                stage: Stage::Primary,
                from: Point::new(113.61, 34.71),
                to: Point::new(113.65, 34.75),
                school: "A".into(),
                zone: "Z1".into(),
                pupils: 3,
            }],
        }
    }

    #[test]
    fn map_has_zones_schools_flows_legend_and_scale() {
        let svg = render(&data(), Stage::Primary, Shade::Utilisation, 600.0);
        assert_eq!(svg.matches("class=\"zone\"").count(), 1);
        assert_eq!(svg.matches("class=\"school\"").count(), 1);
        assert_eq!(svg.matches("class=\"flow\"").count(), 1);
        assert!(svg.contains("class=\"scale\""));
        assert!(svg.contains("105–120%"));
        assert!(svg.contains("A &lt;school&gt;"));
    }

    #[test]
    fn geojson_layers_carry_the_measures() {
        let d = data();
        let layer = |write: fn(&MapData, &mut Vec<u8>) -> io::Result<()>| -> Value {
            let mut out = Vec::new();
            write(&d, &mut out).expect("written");
            serde_json::from_slice(&out).expect("GeoJSON")
        };
        let z = layer(|d, out| write_zones(d, out));
        assert_eq!(z["features"][0]["properties"]["utilisation"], json!(1.1));
        let s = layer(|d, out| write_schools(d, out));
        assert_eq!(s["features"][0]["properties"]["status"], json!("new"));
        assert_eq!(
            s["features"][0]["geometry"]["coordinates"],
            json!([113.65, 34.75])
        );
        let f = layer(|d, out| write_flows(d, out));
        assert_eq!(f["features"][0]["properties"]["pupils"], json!(3));
    }
}
