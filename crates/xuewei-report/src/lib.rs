//! # xuewei-report
//!
//! Reports planners look at: one self-contained HTML file per run of `xuewei assign`,
//! `simulate` or `compare` (inline SVG and CSS, no scripts, nothing fetched), and the same
//! content as GeoJSON layers and CSV tables for GIS users.
//!
//! - [`Report`]: headline figures, a [`map::MapData`], [`chart::Chart`]s and
//!   [`table::Table`]s, and the inputs. [`Report::html`] renders it; [`Report::write_exports`]
//!   writes `schools.geojson`, `zones.geojson`, `flows.geojson` and `table_<id>.csv` (in the
//!   encodings of `xuewei_io::report_files`) to writers the caller opens.
//! - Built from results: [`assign_report`] (one year's assignment), [`simulate_report`] (a
//!   scenario's replications) and [`compare_report`] (two scenarios).
//! - [`ReportParams`]: service radii (500 m primary, 1000 m junior) and the class-size
//!   targets used when a run has no targets file.
//!
//! ```no_run
//! use std::path::Path;
//! use xuewei_report::{simulate_report, ReportParams};
//! use xuewei_io::{city, scenario, Reader};
//! use xuewei_scenario::replicate;
//! let plan = Path::new("fixtures/zhengzhou-s001/plan-2016-2020.toml");
//! let scenario = scenario::load(plan, &Reader::default())?;
//! let base = city::load_state(&scenario.city, &Reader::default())?;
//! let runs = replicate(&scenario, &base, 4, scenario.seed)?;
//! let report = simulate_report(&scenario, &base, &runs, &[], &ReportParams::default());
//! std::fs::write("plan.html", report.html()).expect("written");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod chart;
mod figures;
pub mod map;
mod scenario;
pub mod table;

mod assign;

use std::io;

use minijinja::value::Serde;
use minijinja::{context, Environment, Value};
use xuewei_core::Stage;

pub use assign::assign_report;
pub use chart::Chart;
pub use map::MapData;
pub use scenario::{compare_report, simulate_report};
pub use table::{Cell, Table};

/// Options of a report, with documented defaults and by-value setters.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportParams {
    /// Service radius per stage, indexed like [`Stage::ALL`] (default: 500 m primary,
    /// 1000 m junior, none for kindergarten and senior).
    pub radius_m: [Option<f64>; 4],
    /// Target share of classes of 56+ when the run has no targets file (default 10%, the
    /// plan's 2020 target).
    pub large_target: f64,
    /// Target share of classes of 66+ when the run has no targets file (default 0, the
    /// plan's 2020 target).
    pub super_large_target: f64,
    /// Width of the map in pixels (default 820).
    pub map_width: f64,
}

impl Default for ReportParams {
    fn default() -> Self {
        Self {
            radius_m: [None, Some(500.0), Some(1000.0), None],
            large_target: 0.10,
            super_large_target: 0.0,
            map_width: 820.0,
        }
    }
}

impl ReportParams {
    /// Sets the service radius of a stage (`None`: not measured).
    #[must_use]
    pub fn radius(mut self, stage: Stage, metres: Option<f64>) -> Self {
        self.radius_m[stage.index()] = metres;
        self
    }
    /// The service radius of a stage.
    #[must_use]
    pub fn radius_of(&self, stage: Stage) -> Option<f64> {
        self.radius_m[stage.index()]
    }
}

/// One headline figure.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Headline {
    /// What it is.
    pub label: String,
    /// The figure as shown.
    pub value: String,
    /// The target it is judged against, as shown (empty when none).
    pub target: String,
    /// Whether the target is met (`None` without a target).
    pub verdict: Option<bool>,
    /// A line of detail (per stage, the band, the other scenario).
    pub detail: String,
}

/// A chart with its id and caption.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Identifier (`chart-<id>` in the HTML).
    pub id: String,
    /// The chart.
    pub chart: Chart,
    /// What it shows and from which runs.
    pub note: String,
}

/// A report: everything the HTML file shows, as data.
#[derive(Clone, Debug)]
pub struct Report {
    /// Title.
    pub title: String,
    /// One line under the title.
    pub subtitle: String,
    /// Headline figures, in order.
    pub headline: Vec<Headline>,
    /// The map's layers.
    pub map: MapData,
    /// Stages with a map, in order.
    pub map_stages: Vec<Stage>,
    /// Caption of the map.
    pub map_caption: String,
    /// Charts.
    pub charts: Vec<Figure>,
    /// Tables.
    pub tables: Vec<Table>,
    /// Inputs: (name, value).
    pub inputs: Vec<(String, String)>,
    /// Map width in pixels.
    pub map_width: f64,
}

const TEMPLATE: &str = include_str!("report.html");

impl Report {
    /// The report as one self-contained HTML document.
    #[must_use]
    pub fn html(&self) -> String {
        let mut env = Environment::new();
        // The name ends in .html: minijinja escapes every value unless marked safe.
        if let Err(e) = env.add_template("report.html", TEMPLATE) {
            return format!("<!DOCTYPE html><p>report template: {e}</p>");
        }
        let maps: Vec<Value> = self
            .map_stages
            .iter()
            .map(|&stage| {
                context! {
                    stage => stage.name(),
                    util => Value::from_safe_string(map::render(&self.map, stage, map::Shade::Utilisation, self.map_width)),
                    large => Value::from_safe_string(map::render(&self.map, stage, map::Shade::LargeShare, self.map_width)),
                }
            })
            .collect();
        let charts: Vec<Value> = self
            .charts
            .iter()
            .map(|f| {
                context! {
                    id => &f.id,
                    svg => Value::from_safe_string(f.chart.svg()),
                    note => &f.note,
                }
            })
            .collect();
        let tables: Vec<Value> = self
            .tables
            .iter()
            .map(|t| Value::from(Serde(t.view())))
            .collect();
        let ctx = context! {
            title => &self.title,
            subtitle => &self.subtitle,
            version => env!("CARGO_PKG_VERSION"),
            headline => Value::from(Serde(&self.headline)),
            maps => maps,
            map_caption => &self.map_caption,
            charts => charts,
            tables => tables,
            inputs => Value::from(Serde(&self.inputs)),
        };
        match env.get_template("report.html").and_then(|t| t.render(ctx)) {
            Ok(html) => html,
            Err(e) => format!("<!DOCTYPE html><p>report template: {e}</p>"),
        }
    }

    /// Writes the map's layers as GeoJSON (`schools.geojson`, `zones.geojson`,
    /// `flows.geojson`) and every table as `table_<id>.csv`, asking `open` for a writer per
    /// file name (the caller decides where they go).
    ///
    /// # Errors
    /// Any error of `open` or of writing.
    pub fn write_exports<W: io::Write>(
        &self,
        mut open: impl FnMut(&str) -> io::Result<W>,
    ) -> io::Result<()> {
        map::write_schools(&self.map, open("schools.geojson")?)?;
        map::write_zones(&self.map, open("zones.geojson")?)?;
        map::write_flows(&self.map, open("flows.geojson")?)?;
        for t in &self.tables {
            t.write_csv(open(&format!("table_{}.csv", t.id))?)?;
        }
        Ok(())
    }
}
