//! The HTML report in a real browser: `xuewei simulate --report` on the fixture's plan is
//! rendered by headless Chromium, and the map and charts must be there with content.
//!
//! The browser part needs `chromium` (Debian package; `.ci/run` installs it). Without a
//! browser it says that it skipped and passes, so that `cargo test --workspace` passes on a
//! machine with only Rust; with `CI=true` or `XUEWEI_REQUIRE_BROWSER=1` (as `.ci/run` sets) a
//! missing browser fails the test. `XUEWEI_SKIP_BROWSER=1` skips the browser part always.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{root, temp_dir};

/// The browser: `$XUEWEI_CHROMIUM`, else the first of chromium, chromium-browser,
/// google-chrome on the PATH.
fn browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("XUEWEI_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs the browser headless on a page with extra flags; returns stdout. Kills it after
/// 120 s.
fn headless(browser: &Path, profile: &Path, extra: &[&str], page: &Path) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the browser starts");
    // Read stdout while the browser runs: a full pipe would block it.
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match child.try_wait().expect("waiting for the browser") {
            Some(_) => break,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                panic!("{} did not finish within 120 s", browser.display());
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    reader.join().expect("stdout reader")
}

/// The text of the element that starts with `start` up to its closing `end`.
fn section<'a>(dom: &'a str, start: &str, end: &str) -> &'a str {
    let from = dom
        .find(start)
        .unwrap_or_else(|| panic!("{start} missing from the rendered page"));
    let rest = &dom[from..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

#[test]
fn plan_report_renders_in_headless_chromium() {
    let dir = temp_dir("plan");
    let report = dir.join("plan.html");
    let geo = dir.join("geo");
    let out = Command::new(env!("CARGO_BIN_EXE_xuewei"))
        .current_dir(root())
        .args([
            "simulate",
            "fixtures/zhengzhou-s001/plan-2016-2020.toml",
            "--replications",
            "3",
            "--quiet",
            "--out",
        ])
        .arg(dir.join("out"))
        .arg("--report")
        .arg(&report)
        .arg("--geojson")
        .arg(&geo)
        .output()
        .expect("xuewei runs");
    assert!(
        out.status.success(),
        "simulate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "--quiet (and no terminal): no progress on stderr"
    );

    // Self-contained: nothing fetched, no scripts.
    let html = std::fs::read_to_string(&report).expect("report written");
    for banned in [
        "<script", "http://", "https://", " src=", "@import", "<link",
    ] {
        assert!(!html.contains(banned), "the report contains {banned:?}");
    }
    assert_eq!(
        html.matches("url(").count(),
        html.matches("url(#").count(),
        "url() may only point inside the document"
    );
    for part in [
        "id=\"headline\"",
        "id=\"map\"",
        "id=\"charts\"",
        "id=\"tables\"",
        "id=\"inputs\"",
    ] {
        assert!(html.contains(part), "{part} missing");
    }
    // Exports: GeoJSON layers and one CSV per table.
    for layer in ["schools.geojson", "zones.geojson", "flows.geojson"] {
        let text = std::fs::read_to_string(geo.join(layer)).expect("layer written");
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(v["type"], "FeatureCollection", "{layer}");
        assert!(
            v["features"].as_array().is_some_and(|f| !f.is_empty()),
            "{layer} has no features"
        );
    }
    for table in [
        "targets",
        "years",
        "districts",
        "schools",
        "equity",
        "edits",
    ] {
        assert!(
            geo.join(format!("table_{table}.csv")).is_file(),
            "table_{table}.csv"
        );
    }

    if std::env::var_os("XUEWEI_SKIP_BROWSER").is_some_and(|v| v == "1") {
        eprintln!("XUEWEI_SKIP_BROWSER=1: the report was not rendered in a browser");
        return;
    }
    let Some(browser) = browser() else {
        let required = std::env::var_os("XUEWEI_REQUIRE_BROWSER").is_some_and(|v| v == "1")
            || std::env::var_os("CI").is_some_and(|v| v == "true" || v == "1");
        assert!(
            !required,
            "no chromium on the PATH and CI=true or XUEWEI_REQUIRE_BROWSER=1 asks for one: install \
             it (apt-get install -y chromium fonts-noto-cjk, as .ci/run does) or point \
             XUEWEI_CHROMIUM at a Chromium binary"
        );
        eprintln!(
            "skipped: no chromium on the PATH, so the report was not rendered in a browser \
             (install chromium, or set XUEWEI_REQUIRE_BROWSER=1 to make this a failure)"
        );
        return;
    };

    // The DOM as the browser built it.
    let dom = headless(&browser, &dir.join("profile-dom"), &["--dump-dom"], &report);
    assert!(
        dom.contains("<svg"),
        "no SVG in the rendered DOM:\n{}",
        &dom[..dom.len().min(2000)]
    );
    let map = section(&dom, "id=\"map-primary-utilisation\"", "</svg>");
    assert!(
        map.matches("class=\"zone\"").count() >= 5,
        "the primary map shows too few zones"
    );
    assert!(
        map.matches("class=\"school\"").count() >= 5,
        "the map shows too few schools"
    );
    assert!(
        map.contains("class=\"flow\""),
        "the map shows no overflow flow"
    );
    assert!(map.contains("class=\"scale\""), "the map has no scale bar");
    assert!(map.contains("class=\"legend\""), "the map has no legend");
    for chart in ["large", "unplaced", "class-sizes", "distance", "equity"] {
        let fig = section(&dom, &format!("id=\"chart-{chart}\""), "</figure>");
        let marks = fig.matches("class=\"mark\"").count()
            + fig.matches("class=\"bar\"").count()
            + fig.matches("class=\"series\"").count();
        assert!(marks > 0, "chart {chart} is empty");
    }
    let large = section(&dom, "id=\"chart-large\"", "</figure>");
    assert!(large.contains("class=\"band\""), "no 5–95% band");
    assert!(large.contains("class=\"target\""), "no target line");

    // A screenshot that is not blank.
    let shot = dir.join("report.png");
    headless(
        &browser,
        &dir.join("profile-shot"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1800",
        ],
        &report,
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("screenshot written"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut buf).expect("PNG frame");
    let bytes = &buf[..info.buffer_size()];
    let channels = info.color_type.samples();
    let mut colours = std::collections::HashSet::new();
    let mut inked = 0usize;
    for px in bytes.chunks(channels) {
        let rgb = [px[0], px[1], px[2]];
        colours.insert(rgb);
        if rgb.iter().any(|&c| c < 200) {
            inked += 1;
        }
    }
    let pixels = bytes.len() / channels;
    assert!(
        colours.len() > 50,
        "the screenshot has {} colours",
        colours.len()
    );
    assert!(
        inked * 20 > pixels,
        "the screenshot is nearly blank ({inked} of {pixels} pixels inked)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
