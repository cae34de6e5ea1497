//! Reports of the fixture city through the public API: what each kind of report holds.

use xuewei_core::city::{assign, AssignParams};
use xuewei_io::city::{load_state, parse, CityFiles};
use xuewei_io::{scenario, targets, Reader};
use xuewei_report::map::Status;
use xuewei_report::{assign_report, compare_report, simulate_report, ReportParams};
use xuewei_scenario::output::moves;
use xuewei_scenario::targets::judge;
use xuewei_scenario::{replicate, CityState, Scenario};
use xuewei_testkit::fixtures::{synthetic_city_dir, temp_dir};

fn load(name: &str) -> (Scenario, CityState) {
    let scenario =
        scenario::load(&synthetic_city_dir().join(name), &Reader::default()).expect("scenario");
    let base = load_state(&scenario.city, &Reader::default()).expect("base city");
    (scenario, base)
}

#[test]
fn simulate_report_has_headline_map_charts_and_tables() {
    let (scenario, base) = load("plan-2016-2020.toml");
    let runs = replicate(&scenario, &base, 2, scenario.seed).expect("runs");
    let path = scenario.targets.as_ref().expect("targets");
    let targets = targets::load(path, &Reader::default()).expect("targets");
    let verdicts = judge(&targets, &runs, scenario.scale);
    let report = simulate_report(&scenario, &base, &runs, &verdicts, &ReportParams::default());
    let labels: Vec<&str> = report.headline.iter().map(|h| h.label.as_str()).collect();
    for want in [
        "56+",
        "66+",
        "Unplaced",
        "farther than 500 m",
        "farther than 1000 m",
        "utilisation",
    ] {
        assert!(
            labels.iter().any(|l| l.contains(want)),
            "headline {want}: {labels:?}"
        );
    }
    let statuses: Vec<Status> = report.map.schools.iter().map(|s| s.status).collect();
    assert!(statuses.contains(&Status::New));
    assert!(statuses.contains(&Status::Relocated));
    assert!(statuses.contains(&Status::Expanded));
    assert!(report
        .map
        .schools
        .iter()
        .any(|s| s.status == Status::Relocated && s.moved_from.is_some()));
    assert!(
        !report.map.flows.is_empty(),
        "overflow flows in the last year"
    );
    let ids: Vec<&str> = report.charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["large", "unplaced", "class-sizes", "distance", "equity"]
    );
    for c in &report.charts {
        assert!(c.chart.marks() > 0, "chart {} is empty", c.id);
    }
    let tables: Vec<&str> = report.tables.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        tables,
        [
            "targets",
            "years",
            "districts",
            "schools",
            "equity",
            "edits"
        ]
    );
    let html = report.html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("管城回族区新建小学"), "Chinese names kept");
    assert!(!html.contains("<script"));
}

#[test]
fn compare_report_has_before_after_per_school() {
    let (a, base_a) = load("baseline.toml");
    let (b, base_b) = load("plan-2016-2020.toml");
    let runs_a = replicate(&a, &base_a, 1, a.seed).expect("A");
    let runs_b = replicate(&b, &base_b, 1, a.seed).expect("B");
    let m = moves(&runs_a[0], &runs_b[0]);
    let report = compare_report(
        (&a, &base_a, &runs_a, &[]),
        (&b, &base_b, &runs_b, &[]),
        &m,
        &ReportParams::default(),
    );
    assert!(report.charts.iter().any(|c| c.id == "school-utilisation"));
    let schools = report
        .tables
        .iter()
        .find(|t| t.id == "schools")
        .expect("schools");
    assert!(schools.columns.iter().any(|c| c == "utilisation before"));
}

#[test]
fn assign_report_and_exports() {
    let read =
        |n: &str| std::fs::read_to_string(synthetic_city_dir().join(n)).expect("fixture file");
    let (z, s, p) = (
        read("zones.geojson"),
        read("schools.csv"),
        read("pupils.csv"),
    );
    let city = parse(&CityFiles {
        zones: ("zones.geojson", &z),
        schools: ("schools.csv", &s),
        pupils: ("pupils.csv", &p),
        roads: None,
    })
    .expect("city");
    let params = AssignParams::default();
    let result = assign(&city, &params).expect("conserved");
    let report = assign_report(
        &city,
        &result,
        &params,
        &ReportParams::default(),
        Vec::new(),
    );
    assert_eq!(report.map.schools.len(), city.schools().len());
    assert_eq!(report.map.zones.len(), city.zones().len());
    let dir = temp_dir("report-assign");
    report
        .write_exports(|name| std::fs::File::create(dir.join(name)))
        .expect("exports");
    let schools: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("schools.geojson")).expect("read"))
            .expect("JSON");
    assert_eq!(
        schools["features"].as_array().map(Vec::len),
        Some(city.schools().len())
    );
    assert!(dir.join("table_schools.csv").is_file());
}
