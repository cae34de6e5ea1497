//! Charts as hand-written inline SVG: axes with round ticks, lines, 5–95% bands, bars,
//! segments (error bars, dumbbells), reference lines and a legend.
//!
//! Text is left to the browser's fonts (no font files, no text measuring), so a chart is a
//! few kilobytes of plain SVG that opens offline.

use std::fmt::Write;

/// Escapes text for XML/HTML content and attribute values.
#[must_use]
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A share as a percentage with one decimal.
#[must_use]
pub fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// Colours of the report (colour-blind-safe Okabe–Ito palette).
pub mod color {
    /// Orange: large classes, scenario B.
    pub const ORANGE: &str = "#e69f00";
    /// Vermilion: super-large classes, bad.
    pub const RED: &str = "#d55e00";
    /// Blue: primary.
    pub const BLUE: &str = "#0072b2";
    /// Sky blue: junior.
    pub const SKY: &str = "#56b4e9";
    /// Bluish green: senior, good.
    pub const GREEN: &str = "#009e73";
    /// Reddish purple: flows, overflow.
    pub const PURPLE: &str = "#cc79a7";
    /// Grey: scenario A, neutral.
    pub const GREY: &str = "#888888";
    /// Near-black: text and targets.
    pub const INK: &str = "#222222";
}

/// One layer of a chart, drawn in order.
#[derive(Clone, Debug)]
pub enum Layer {
    /// A polyline with markers.
    Line {
        /// Legend name.
        name: String,
        /// Colour.
        color: &'static str,
        /// Points (x, y).
        points: Vec<(f64, f64)>,
        /// Dashed stroke.
        dashed: bool,
    },
    /// A shaded band between two curves sharing their x values (5–95%).
    Band {
        /// Colour (drawn translucent).
        color: &'static str,
        /// (x, low, high).
        points: Vec<(f64, f64, f64)>,
    },
    /// Rectangles from y0 to y1, centred on x.
    Bars {
        /// Legend name.
        name: String,
        /// Colour.
        color: &'static str,
        /// (x centre, width, y0, y1, tooltip).
        bars: Vec<(f64, f64, f64, f64, String)>,
    },
    /// Straight segments (error bars, dumbbells).
    Segments {
        /// Colour.
        color: &'static str,
        /// ((x0, y0), (x1, y1)).
        segments: Vec<((f64, f64), (f64, f64))>,
    },
    /// Dots.
    Dots {
        /// Legend name.
        name: String,
        /// Colour.
        color: &'static str,
        /// (x, y, tooltip).
        dots: Vec<(f64, f64, String)>,
    },
    /// A horizontal reference line (a target).
    HLine {
        /// Where.
        y: f64,
        /// Label at the right end.
        label: String,
        /// Colour.
        color: &'static str,
    },
    /// A vertical reference line (a threshold).
    VLine {
        /// Where.
        x: f64,
        /// Label at the top.
        label: String,
        /// Colour.
        color: &'static str,
    },
}

/// A chart: title, axes and layers. Build it, push layers, then [`Chart::svg`].
#[derive(Clone, Debug)]
pub struct Chart {
    /// Title above the plot.
    pub title: String,
    /// Label of the x axis.
    pub x_label: String,
    /// Label of the y axis.
    pub y_label: String,
    /// x range.
    pub x: (f64, f64),
    /// y range.
    pub y: (f64, f64),
    /// x ticks (value, label); round ticks when empty.
    pub x_ticks: Vec<(f64, String)>,
    /// y values shown as percentages.
    pub y_percent: bool,
    /// Layers, drawn in order.
    pub layers: Vec<Layer>,
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
}

impl Chart {
    /// An empty chart with the given title and ranges.
    #[must_use]
    pub fn new(title: impl Into<String>, x: (f64, f64), y: (f64, f64)) -> Self {
        Self {
            title: title.into(),
            x_label: String::new(),
            y_label: String::new(),
            x,
            y,
            x_ticks: Vec::new(),
            y_percent: false,
            layers: Vec::new(),
            width: 560.0,
            height: 320.0,
        }
    }

    /// Sets the axis labels.
    #[must_use]
    pub fn labels(mut self, x: impl Into<String>, y: impl Into<String>) -> Self {
        self.x_label = x.into();
        self.y_label = y.into();
        self
    }

    /// Shows y values as percentages.
    #[must_use]
    pub fn percent(mut self) -> Self {
        self.y_percent = true;
        self
    }

    /// Categorical x ticks at 0, 1, 2, ... with the given labels.
    #[must_use]
    pub fn categories<S: ToString>(mut self, labels: &[S]) -> Self {
        self.x = (-0.5, labels.len() as f64 - 0.5);
        self.x_ticks = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (i as f64, l.to_string()))
            .collect();
        self
    }

    /// Adds a layer.
    pub fn push(&mut self, layer: Layer) {
        self.layers.push(layer);
    }

    /// Number of data marks (points, bars, dots, segments) in the chart.
    #[must_use]
    pub fn marks(&self) -> usize {
        self.layers
            .iter()
            .map(|l| match l {
                Layer::Line { points, .. } => points.len(),
                Layer::Band { points, .. } => points.len(),
                Layer::Bars { bars, .. } => bars.len(),
                Layer::Segments { segments, .. } => segments.len(),
                Layer::Dots { dots, .. } => dots.len(),
                Layer::HLine { .. } | Layer::VLine { .. } => 0,
            })
            .sum()
    }

    /// The chart as an `<svg>` element (no XML declaration, no external references).
    #[must_use]
    pub fn svg(&self) -> String {
        let (w, h) = (self.width, self.height);
        let (ml, mr, mt, mb) = (58.0, 18.0, 34.0, 62.0);
        let (pw, ph) = (w - ml - mr, h - mt - mb);
        let (x0, x1) = if self.x.1 > self.x.0 {
            self.x
        } else {
            (self.x.0, self.x.0 + 1.0)
        };
        let (y0, y1) = if self.y.1 > self.y.0 {
            self.y
        } else {
            (self.y.0, self.y.0 + 1.0)
        };
        let sx = |x: f64| ml + (x.clamp(x0, x1) - x0) / (x1 - x0) * pw;
        let sy = |y: f64| mt + ph - (y.clamp(y0, y1) - y0) / (y1 - y0) * ph;
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}">"#,
            t = esc(&self.title)
        );
        let _ = write!(
            s,
            r#"<text class="ctitle" x="{ml}" y="20">{}</text>"#,
            esc(&self.title)
        );
        // Grid and y ticks.
        for t in nice_ticks(y0, y1, 5) {
            let y = sy(t);
            let label = if self.y_percent {
                format!("{:.0}%", 100.0 * t)
            } else {
                short_number(t)
            };
            let _ = write!(
                s,
                r##"<line class="grid" x1="{ml}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{label}</text>"##,
                ml + pw,
                ml - 6.0,
                y + 4.0
            );
        }
        let x_ticks: Vec<(f64, String)> = if self.x_ticks.is_empty() {
            nice_ticks(x0, x1, 6)
                .into_iter()
                .map(|t| (t, short_number(t)))
                .collect()
        } else {
            self.x_ticks.clone()
        };
        let rotate = x_ticks.len() > 12;
        for (t, label) in &x_ticks {
            let x = sx(*t);
            let ty = mt + ph + 16.0;
            if rotate {
                let _ = write!(
                    s,
                    r#"<text class="tick" x="{x:.1}" y="{ty:.1}" text-anchor="end" transform="rotate(-45 {x:.1} {ty:.1})">{}</text>"#,
                    esc(label)
                );
            } else {
                let _ = write!(
                    s,
                    r#"<text class="tick" x="{x:.1}" y="{ty:.1}" text-anchor="middle">{}</text>"#,
                    esc(label)
                );
            }
        }
        let _ = write!(
            s,
            r#"<line class="axis" x1="{ml}" x2="{:.1}" y1="{:.1}" y2="{:.1}"/><line class="axis" x1="{ml}" x2="{ml}" y1="{mt}" y2="{:.1}"/>"#,
            ml + pw,
            mt + ph,
            mt + ph,
            mt + ph
        );
        if !rotate {
            let _ = write!(
                s,
                r#"<text class="alabel" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                ml + pw / 2.0,
                mt + ph + 34.0,
                esc(&self.x_label)
            );
        }
        let _ = write!(
            s,
            r#"<text class="alabel" transform="rotate(-90)" x="{:.1}" y="14" text-anchor="middle">{}</text>"#,
            -(mt + ph / 2.0),
            esc(&self.y_label)
        );
        let mut legend: Vec<(String, &'static str, bool)> = Vec::new();
        for layer in &self.layers {
            match layer {
                Layer::Band { color, points } => {
                    if points.is_empty() {
                        continue;
                    }
                    let mut d = String::new();
                    for (i, (x, _, hi)) in points.iter().enumerate() {
                        let _ = write!(
                            d,
                            "{}{:.1},{:.1}",
                            if i == 0 { "M" } else { "L" },
                            sx(*x),
                            sy(*hi)
                        );
                    }
                    for (x, lo, _) in points.iter().rev() {
                        let _ = write!(d, "L{:.1},{:.1}", sx(*x), sy(*lo));
                    }
                    let _ = write!(
                        s,
                        r#"<path class="band" d="{d}Z" fill="{color}" fill-opacity="0.22" stroke="none"><title>5–95% band</title></path>"#
                    );
                }
                Layer::Line {
                    name,
                    color,
                    points,
                    dashed,
                } => {
                    let pts: Vec<String> = points
                        .iter()
                        .map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(*y)))
                        .collect();
                    let _ = write!(
                        s,
                        r#"<polyline class="series" points="{}" fill="none" stroke="{color}" stroke-width="2.2"{}/>"#,
                        pts.join(" "),
                        if *dashed {
                            r#" stroke-dasharray="6 4""#
                        } else {
                            ""
                        }
                    );
                    if points.len() <= 40 {
                        for (x, y) in points {
                            let _ = write!(
                                s,
                                r#"<circle class="mark" cx="{:.1}" cy="{:.1}" r="3" fill="{color}"><title>{}: {}</title></circle>"#,
                                sx(*x),
                                sy(*y),
                                esc(name),
                                if self.y_percent {
                                    pct(*y)
                                } else {
                                    short_number(*y)
                                }
                            );
                        }
                    }
                    legend.push((name.clone(), color, *dashed));
                }
                Layer::Bars { name, color, bars } => {
                    for (x, bw, b0, b1, tip) in bars {
                        let px0 = sx(x - bw / 2.0);
                        let px1 = sx(x + bw / 2.0);
                        let (top, bottom) = (sy(b0.max(*b1)), sy(b0.min(*b1)));
                        let _ = write!(
                            s,
                            r#"<rect class="bar" x="{px0:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="{color}"><title>{}</title></rect>"#,
                            (px1 - px0).max(0.5),
                            (bottom - top).max(0.0),
                            esc(tip)
                        );
                    }
                    if !name.is_empty() {
                        legend.push((name.clone(), color, false));
                    }
                }
                Layer::Segments { color, segments } => {
                    for ((a, b), (c, d)) in segments {
                        let _ = write!(
                            s,
                            r#"<line class="seg" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{color}" stroke-width="1.6"/>"#,
                            sx(*a),
                            sy(*b),
                            sx(*c),
                            sy(*d)
                        );
                    }
                }
                Layer::Dots { name, color, dots } => {
                    for (x, y, tip) in dots {
                        let _ = write!(
                            s,
                            r#"<circle class="mark" cx="{:.1}" cy="{:.1}" r="4" fill="{color}"><title>{}</title></circle>"#,
                            sx(*x),
                            sy(*y),
                            esc(tip)
                        );
                    }
                    legend.push((name.clone(), color, false));
                }
                Layer::HLine { y, label, color } => {
                    if *y < y0 || *y > y1 {
                        continue;
                    }
                    let py = sy(*y);
                    let _ = write!(
                        s,
                        r#"<line class="target" x1="{ml}" x2="{:.1}" y1="{py:.1}" y2="{py:.1}" stroke="{color}" stroke-width="1.4" stroke-dasharray="3 3"/><text class="tlabel" x="{:.1}" y="{:.1}" text-anchor="end" fill="{color}">{}</text>"#,
                        ml + pw,
                        ml + pw - 2.0,
                        py - 4.0,
                        esc(label)
                    );
                }
                Layer::VLine { x, label, color } => {
                    if *x < x0 || *x > x1 {
                        continue;
                    }
                    let px = sx(*x);
                    let _ = write!(
                        s,
                        r#"<line class="target" x1="{px:.1}" x2="{px:.1}" y1="{mt}" y2="{:.1}" stroke="{color}" stroke-width="1.2" stroke-dasharray="3 3"/><text class="tlabel" x="{:.1}" y="{:.1}" fill="{color}">{}</text>"#,
                        mt + ph,
                        px + 2.0,
                        mt + 10.0,
                        esc(label)
                    );
                }
            }
        }
        // Legend below the x label.
        let mut lx = ml;
        let ly = h - 10.0;
        for (name, color, dashed) in legend {
            let _ = write!(
                s,
                r#"<line x1="{lx:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{color}" stroke-width="{}"{}/><text class="legend" x="{:.1}" y="{ly:.1}">{}</text>"#,
                lx + 16.0,
                ly - 4.0,
                ly - 4.0,
                if dashed { 2.2 } else { 6.0 },
                if dashed {
                    r#" stroke-dasharray="4 3""#
                } else {
                    ""
                },
                lx + 20.0,
                esc(&name)
            );
            lx += 30.0 + 7.0 * name.chars().count() as f64;
        }
        s.push_str("</svg>");
        s
    }
}

/// About `n` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k).
#[must_use]
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi <= lo || hi.is_nan() || lo.is_nan() || !lo.is_finite() || !hi.is_finite() {
        return vec![lo];
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let mut out = Vec::new();
    for k in first.. {
        // Integer multiples of the step: 3 × 0.2 is 0.6000000000000001, 6 / 10 is 0.6.
        let t = if step < 1.0 {
            let inv = (1.0 / step).round();
            k as f64 / inv
        } else {
            k as f64 * step
        };
        if t > hi + step * 1e-9 {
            break;
        }
        out.push(t);
    }
    out
}

/// A number for a tick or tooltip: integers without decimals, thousands as "k".
#[must_use]
pub fn short_number(x: f64) -> String {
    if x.abs() >= 10_000.0 {
        format!("{:.0}k", x / 1000.0)
    } else if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else if x.abs() < 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.1}")
    }
}

/// The upper end of an axis showing `max` (with headroom, never zero).
#[must_use]
pub fn axis_max(max: f64) -> f64 {
    if max > 0.0 {
        let ticks = nice_ticks(0.0, max * 1.08, 5);
        let step = if ticks.len() > 1 {
            ticks[1] - ticks[0]
        } else {
            max
        };
        (max * 1.08 / step).ceil() * step
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.0, 95.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        assert_eq!(nice_ticks(1.0, 1.0, 5), vec![1.0]);
    }

    #[test]
    fn text_is_escaped() {
        let mut c = Chart::new("a <b> & \"c\"", (0.0, 1.0), (0.0, 1.0));
        c.push(Layer::Line {
            name: "<x>".into(),
            color: color::BLUE,
            points: vec![(0.0, 0.0), (1.0, 1.0)],
            dashed: false,
        });
        let svg = c.svg();
        assert!(svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"));
        assert!(!svg.contains("<x>"));
        assert_eq!(c.marks(), 2);
    }
}
