//! Messy input as a planner meets it on the command line: `xuewei validate`, `assign`,
//! `classes` and `match` either refuse it with exit code 2 and a message naming the file,
//! line or feature and field, or repair it as `docs/formats.md` ("Messy input") says —
//! never a panic (exit code 101).

mod common;

use common::{root, stderr, stdout, temp_dir, xuewei};
use std::path::{Path, PathBuf};
use std::process::Output;
use xuewei_testkit::fixtures::small_city_file as fixture;

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Writes the small fixture city into `dir`, with `changes` replacing whole files.
fn city(dir: &Path, changes: &[(&str, &[u8])]) {
    for f in [
        "zones.geojson",
        "schools.csv",
        "pupils.csv",
        "roll.csv",
        "blocks.csv",
    ] {
        std::fs::write(dir.join(f), fixture(f)).expect("write");
    }
    for (f, bytes) in changes {
        std::fs::write(dir.join(f), bytes).expect("write");
    }
}

/// Runs `xuewei validate` and returns (exit code, stdout).
fn validate(args: &[&str]) -> (Option<i32>, String) {
    let mut full = vec!["validate"];
    full.extend_from_slice(args);
    let out = xuewei(&full);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    (out.status.code(), stdout(&out))
}

/// Runs `xuewei assign --city dir --out dir/name` and asserts it succeeded.
fn assign_ok(dir: &Path, name: &str, extra: &[&str]) -> (PathBuf, Output) {
    let out_dir = dir.join(name);
    let mut args = vec!["assign", "--city", path(dir), "--out", path(&out_dir)];
    args.extend_from_slice(extra);
    let out = xuewei(&args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    (out_dir, out)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

const OUTPUTS: [&str; 5] = [
    "placements.csv",
    "schools.csv",
    "classes.csv",
    "lottery.csv",
    "summary.json",
];

/// A square zone feature of stage primary.
fn zone(id: &str, schools: &str, x0: f64, x1: f64) -> String {
    format!(
        r#"{{"type": "Feature", "properties": {{"id": "{id}", "stage": "primary", "schools": {schools}}},
            "geometry": {{"type": "Polygon", "coordinates": [[[{x0}, 34.74], [{x1}, 34.74], [{x1}, 34.75], [{x0}, 34.75], [{x0}, 34.74]]]}}}}"#
    )
}

fn collection(features: &[String]) -> String {
    format!(
        "{{\"type\": \"FeatureCollection\", \"features\": [{}]}}",
        features.join(",\n")
    )
}

// ---- Encodings -------------------------------------------------------------------------

/// A GBK pupils.csv (Chinese Excel export), a schools.csv and a `--rules` JSON with a UTF-8
/// byte-order mark and a GBK roll give the outputs of their UTF-8 originals (the rules are
/// the defaults); stderr says which files were read as GBK.
#[test]
fn gbk_and_bom_files_give_the_outputs_of_utf8() {
    let pupils = fixture("pupils.csv").replace(
        "a1,primary,113.604,34.744,1,1,0,,,,",
        "a1,primary,113.604,34.744,1,1,0,,,金水区幼儿园,",
    );
    let roll: String = fixture("roll.csv")
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},district\n")
            } else {
                format!("{l},一区\n")
            }
        })
        .collect();
    let (gbk_pupils, _, bad) = encoding_rs::GBK.encode(&pupils);
    assert!(!bad);
    let (gbk_roll, _, bad) = encoding_rs::GBK.encode(&roll);
    assert!(!bad);
    let bom_schools = format!("\u{feff}{}", fixture("schools.csv"));

    let plain = temp_dir("utf8");
    city(
        &plain,
        &[
            ("pupils.csv", pupils.as_bytes()),
            ("roll.csv", roll.as_bytes()),
        ],
    );
    let messy = temp_dir("gbk");
    city(
        &messy,
        &[
            ("pupils.csv", &gbk_pupils),
            ("schools.csv", bom_schools.as_bytes()),
            ("roll.csv", &gbk_roll),
        ],
    );
    let rules = messy.join("rules.json");
    std::fs::write(
        &rules,
        "\u{feff}{\"tiers\": [\"hukou_and_home\", \"hukou_or_home\", \"residence_permit\"], \"sibling_lift\": true}",
    )
    .expect("write");
    let (a, _) = assign_ok(&plain, "out", &["--seed", "7"]);
    let (b, run) = assign_ok(&messy, "out", &["--seed", "7", "--rules", path(&rules)]);
    assert!(
        stderr(&run).contains("pupils.csv: not UTF-8; read as GBK (GB 18030)"),
        "{}",
        stderr(&run)
    );
    assert!(!stderr(&run).contains("schools.csv"), "{}", stderr(&run));
    for f in OUTPUTS {
        assert_eq!(read(&a, f), read(&b, f), "{f}");
    }
    // The golden outputs of the fixture city are unchanged by the origin_school text.
    assert_eq!(
        read(&b, "placements.csv"),
        fixture("expected/placements.csv")
    );

    let roll_path = messy.join("roll.csv");
    let out = xuewei(&[
        "validate",
        "--city",
        path(&messy),
        "--roll",
        path(&roll_path),
    ]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("ok: 0 error(s), 1 warning(s)"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("roll.csv: not UTF-8; read as GBK"),
        "{}",
        stderr(&out)
    );
    let classes = |dir: &Path, placements: &Path| {
        let out = xuewei(&[
            "classes",
            "--roll",
            path(&dir.join("roll.csv")),
            "--placements",
            path(placements),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    assert_eq!(classes(&plain, &a), classes(&messy, &b));
    std::fs::remove_dir_all(&plain).ok();
    std::fs::remove_dir_all(&messy).ok();
}

/// UTF-16 (Excel's "Unicode text") and bytes that are neither UTF-8 nor GBK are refused
/// with the file's name, not read as garbage.
#[test]
fn utf16_and_undecodable_files_are_refused_by_name() {
    let dir = temp_dir("utf16");
    let mut utf16 = vec![0xff, 0xfe];
    for unit in fixture("pupils.csv").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    city(&dir, &[("pupils.csv", &utf16)]);
    let out = xuewei(&[
        "assign",
        "--city",
        path(&dir),
        "--out",
        path(&dir.join("o")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "pupils.csv: UTF-16 text (Excel \"Unicode text\"?); save it as CSV in UTF-8 or GBK"
        ),
        "{}",
        stderr(&out)
    );
    city(&dir, &[("schools.csv", &[0x81, 0x20, 0xff, 0xfe, 0x80])]);
    let (code, text) = validate(&["--city", path(&dir)]);
    assert_eq!(code, Some(2));
    assert!(
        text.contains("schools.csv: neither UTF-8 nor GBK text"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// The base city of a scenario is read like `assign` reads it: a GBK schools.csv with a
/// warning.
#[test]
fn a_gbk_scenario_city_is_read_with_a_warning() {
    let dir = temp_dir("scenario-gbk");
    let schools = fixture("schools.csv").replace("Zone A Primary", "第一小学");
    let (gbk, _, _) = encoding_rs::GBK.encode(&schools);
    city(&dir, &[("schools.csv", &gbk)]);
    let scenario = dir.join("s.toml");
    std::fs::write(
        &scenario,
        "name = \"gbk\"\ncity = \".\"\nbase_year = 2015\nend_year = 2016\nseed = 1\nscale = 1.0\n",
    )
    .expect("write");
    let out = xuewei(&["validate", "--scenario", path(&scenario)]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("schools.csv: not UTF-8; read as GBK (GB 18030)"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}

// ---- Columns ---------------------------------------------------------------------------

/// A missing required column is an error naming file, line 1 and column, in every CSV file
/// `validate` reads; `assign` refuses the same files with exit code 2.
#[test]
fn missing_columns_are_named() {
    let dir = temp_dir("missing-columns");
    let schools = fixture("schools.csv").replacen(",lat,", ",latitude,", 1);
    let pupils = fixture("pupils.csv").replacen("id,stage,", "id,grade,", 1);
    city(
        &dir,
        &[
            ("schools.csv", schools.as_bytes()),
            ("pupils.csv", pupils.as_bytes()),
            ("roll.csv", b"school_id,grade,pupils\nPA,2,58\n"),
        ],
    );
    let (code, text) = validate(&["--city", path(&dir), "--roll", path(&dir.join("roll.csv"))]);
    assert_eq!(code, Some(2));
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("error"))
            .collect::<Vec<_>>(),
        vec![
            "error: schools.csv line 1: missing column \"lat\"",
            "error: pupils.csv line 1: missing column \"stage\"",
            "error: roll.csv line 1: missing column \"classrooms\"",
        ]
    );
    let out = xuewei(&[
        "assign",
        "--city",
        path(&dir),
        "--out",
        path(&dir.join("o")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("schools.csv line 1: missing column \"lat\""));
    // In a match instance a missing field is named with its line and column.
    let json = dir.join("m.json");
    std::fs::write(
        &json,
        "{\"schools\": [\n  {\"id\": \"H\"}\n], \"students\": []}",
    )
    .expect("write");
    let out = xuewei(&["match", "--input", path(&json)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).ends_with("m.json: line 2 column 13: missing field `capacity`\n"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Extra columns — anywhere, with any name — change nothing: the outputs are the reviewed
/// golden files of the fixture city, byte for byte. Extra JSON fields likewise.
#[test]
fn extra_columns_leave_every_output_unchanged() {
    let dir = temp_dir("extra-columns");
    let widen = |text: &str| -> String {
        text.lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("备注,{l},Notes")
                } else {
                    format!("n{i},{l},\"free, text\"")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (schools, pupils, roll) = (
        widen(&fixture("schools.csv")),
        widen(&fixture("pupils.csv")),
        widen(&fixture("roll.csv")),
    );
    city(
        &dir,
        &[
            ("schools.csv", schools.as_bytes()),
            ("pupils.csv", pupils.as_bytes()),
            ("roll.csv", roll.as_bytes()),
        ],
    );
    let (out, _) = assign_ok(&dir, "out", &["--seed", "7"]);
    for f in ["placements.csv", "summary.json", "lottery.csv"] {
        assert_eq!(read(&out, f), fixture(&format!("expected/{f}")), "{f}");
    }
    let classes = |roll: &Path| {
        let o = xuewei(&["classes", "--roll", path(roll), "--placements", path(&out)]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    assert_eq!(
        classes(&dir.join("roll.csv")),
        classes(&root().join("fixtures/city-small/roll.csv"))
    );

    let example =
        std::fs::read_to_string(root().join("fixtures/match/example.json")).expect("example");
    let extra = example.replacen(
        '{',
        "{\"comment\": \"exported 2016-06-01\", \"version\": 3,",
        1,
    );
    assert_ne!(extra, example);
    let json = dir.join("extra.json");
    std::fs::write(&json, extra).expect("write");
    let o = xuewei(&["match", "--input", path(&json)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        std::fs::read_to_string(root().join("fixtures/match/example.da.json")).expect("golden")
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A row with a value beyond the header's last column (an unquoted comma) is an error
/// naming the line, not a silently dropped preference.
#[test]
fn a_value_beyond_the_last_column_is_an_error() {
    let dir = temp_dir("extra-fields");
    let pupils = fixture("pupils.csv").replace(
        "b1,primary,113.617,34.744,1,1,0,,,,PB2",
        "b1,primary,113.617,34.744,1,1,0,,,,PB2,PB1",
    );
    city(&dir, &[("pupils.csv", pupils.as_bytes())]);
    let (code, text) = validate(&["--city", path(&dir)]);
    assert_eq!(code, Some(2));
    assert!(
        text.contains("error: pupils.csv line 5: 12 fields, but the header has 11 columns: \"PB1\" is beyond the last column (a comma inside an unquoted field?)"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

// ---- Coordinates and geometry ----------------------------------------------------------

/// Out-of-range (and swapped) coordinates are errors in every file that carries them:
/// schools, pupils, zones, roads — and blocks, read with a scenario's base city.
#[test]
fn out_of_range_coordinates_in_every_file() {
    let dir = temp_dir("coordinates");
    let schools = fixture("schools.csv").replace("113.613,34.745", "34.745,113.613");
    let pupils = fixture("pupils.csv").replace("113.700,34.800", "113.700,348.00");
    let zones = collection(&[
        zone("ZA", r#"["PA"]"#, 113.60, 113.61),
        zone("ZB", r#"["PB1", "PB2"]"#, 113.61, 213.62),
    ]);
    let roads = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "ring-road"},
         "geometry": {"type": "LineString", "coordinates": [[113.60, 34.745], [-181.0, 34.745]]}}]}"#;
    let blocks = fixture("blocks.csv").replacen("b-a1,113.604,34.744", "b-a1,34.744,113.604", 1);
    city(
        &dir,
        &[
            ("schools.csv", schools.as_bytes()),
            ("pupils.csv", pupils.as_bytes()),
            ("zones.geojson", zones.as_bytes()),
            ("roads.geojson", roads.as_bytes()),
        ],
    );
    let (code, text) = validate(&["--city", path(&dir)]);
    assert_eq!(code, Some(2));
    assert_eq!(
        text.lines().filter(|l| l.starts_with("error")).collect::<Vec<_>>(),
        vec![
            "error: schools.csv line 3: lat 113.613 out of range [-90, 90] (lon 34.745 and lat 113.613 swapped?)",
            "error: pupils.csv line 10: lat 348.00 out of range [-90, 90]",
            "error: zones.geojson feature 1 (id \"ZB\"): geometry: outer ring position 1 (213.62, 34.74): lon out of range [-180, 180] (and 1 more bad position(s))",
            "error: roads.geojson feature 0 (id \"ring-road\"): geometry: line position 1 (-181, 34.745): lon out of range [-180, 180]",
        ]
    );
    // Blocks: a scenario's base city (the other files fine).
    let good = temp_dir("coordinates-blocks");
    city(&good, &[("blocks.csv", blocks.as_bytes())]);
    let scenario = good.join("s.toml");
    std::fs::write(
        &scenario,
        "name = \"b\"\ncity = \".\"\nbase_year = 2015\nend_year = 2016\nseed = 1\nscale = 1.0\n",
    )
    .expect("write");
    let (code, text) = validate(&["--scenario", path(&scenario)]);
    assert_eq!(code, Some(2));
    assert!(
        text.contains("error: blocks.csv line 2: lat 113.604 out of range [-90, 90] (lon 34.744 and lat 113.604 swapped?)"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&good).ok();
}

/// Empty, degenerate and self-crossing zones are errors naming feature, id and field.
#[test]
fn unusable_zones_are_errors_naming_the_feature() {
    let dir = temp_dir("zones");
    let zones = collection(&[
        zone("ZA", r#"["PA"]"#, 113.60, 113.61),
        r#"{"type": "Feature", "properties": {"id": "ZB", "stage": "primary", "schools": ["PB1", "PB2"]},
            "geometry": {"type": "Polygon", "coordinates": [[[113.61, 34.74], [113.62, 34.75], [113.62, 34.74], [113.61, 34.75], [113.61, 34.74]]]}}"#.to_owned(),
        r#"{"type": "Feature", "properties": {"id": "ZC", "stage": "primary", "schools": ["PC"]},
            "geometry": {"type": "MultiPolygon", "coordinates": []}}"#.to_owned(),
        r#"{"type": "Feature", "properties": {"id": "JZ1", "stage": "junior", "schools": ["J1"]},
            "geometry": {"type": "Polygon", "coordinates": [[[113.60, 34.74], [113.61, 34.74], [113.62, 34.74], [113.60, 34.74]]]}}"#.to_owned(),
    ]);
    city(&dir, &[("zones.geojson", zones.as_bytes())]);
    let (code, text) = validate(&["--city", path(&dir)]);
    assert_eq!(code, Some(2));
    assert_eq!(
        text.lines().filter(|l| l.starts_with("error")).collect::<Vec<_>>(),
        vec![
            "error: zones.geojson feature 1 (id \"ZB\"): geometry: outer ring crosses itself at (113.615, 34.745)",
            "error: zones.geojson feature 2 (id \"ZC\"): geometry: MultiPolygon has no polygons (an empty zone)",
            "error: zones.geojson feature 3 (id \"JZ1\"): geometry: outer ring encloses no area (all its points lie on one line)",
        ]
    );
    let out = xuewei(&[
        "assign",
        "--city",
        path(&dir),
        "--out",
        path(&dir.join("o")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("xuewei: 3 problems in the city files"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Overlapping zones: a warning from `validate` naming both; `assign` sends homes in both
/// to the first and counts them in `homes_in_overlapping_zones`.
#[test]
fn overlapping_zones_warn_and_are_counted() {
    let dir = temp_dir("overlap");
    // ZB widened west over half of ZA: a2 (113.606) and a3 (113.608) live in both.
    let zones = {
        let mut v: serde_json::Value =
            serde_json::from_str(&fixture("zones.geojson")).expect("json");
        assert_eq!(v["features"][1]["properties"]["id"], "ZB");
        let ring = &mut v["features"][1]["geometry"]["coordinates"][0];
        for k in [0, 3, 4] {
            assert_eq!(ring[k][0], serde_json::json!(113.61));
            ring[k][0] = serde_json::json!(113.605);
        }
        serde_json::to_string(&v).expect("json")
    };
    city(&dir, &[("zones.geojson", zones.as_bytes())]);
    let (code, text) = validate(&["--city", path(&dir)]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains(
            "warning: zones: zones \"ZA\" and \"ZB\" overlap (homes in both go to the first)"
        ),
        "{text}"
    );
    let (out, _) = assign_ok(&dir, "out", &[]);
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out, "summary.json")).expect("json");
    assert_eq!(
        summary["stages"]["primary"]["homes_in_overlapping_zones"],
        2
    );
    let placements = read(&out, "placements.csv");
    for pupil in ["a1", "a2", "a3"] {
        let row = placements
            .lines()
            .find(|l| l.starts_with(&format!("{pupil},")))
            .expect("row");
        assert!(row.contains(",ZA,"), "{row}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

// ---- Seats and sizes -------------------------------------------------------------------

/// A school without seats is allowed: `validate` warns, `assign` places its zone's pupils
/// elsewhere (overflow) or leaves them unplaced with the reason.
#[test]
fn zero_seat_schools_warn_and_pupils_end_elsewhere() {
    let dir = temp_dir("zero-seats");
    let schools = fixture("schools.csv")
        .replace(
            "PA,Zone A Primary,primary,public,113.605,34.745,1,D1,2",
            "PA,Zone A Primary,primary,public,113.605,34.745,1,D1,0",
        )
        .replace(
            "PP,Private Primary,primary,private,113.615,34.748,1,D1,1",
            "PP,Private Primary,primary,private,113.615,34.748,0,D1,",
        );
    city(&dir, &[("schools.csv", schools.as_bytes())]);
    let (code, text) = validate(&["--city", path(&dir)]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("warning: schools: school \"PA\" has no seats (seats 0): pupils of its zone go to the other zone schools or overflow"), "{text}");
    assert!(text.contains("warning: schools: school \"PP\" has no seats (entry_classes 0): pupils who list it are placed by their zone"), "{text}");
    let (out, _) = assign_ok(&dir, "out", &[]);
    let placements = read(&out, "placements.csv");
    assert!(
        !placements.contains(",PA,") && !placements.contains(",PP,"),
        "{placements}"
    );
    assert!(placements.contains("a1,primary,,unplaced,,ZA,no free seat at any public primary school (zone schools full)"), "{placements}");
    let schools_out = read(&out, "schools.csv");
    assert!(
        schools_out.contains("PA,Zone A Primary,primary,public,D1,1,0,0,"),
        "{schools_out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// An empty city — pupils.csv with its header only — runs: every output is written, the
/// tables have their header, the summary and the printed table count zero; `validate`
/// warns. The HTML report and exports are written too.
#[test]
fn an_empty_city_writes_every_output_with_zero_counts() {
    let dir = temp_dir("empty-city");
    let header = fixture("pupils.csv")
        .lines()
        .next()
        .expect("header")
        .to_owned();
    city(&dir, &[("pupils.csv", format!("{header}\n").as_bytes())]);
    let report = dir.join("report.html");
    let geo = dir.join("geo");
    let (out, run) = assign_ok(
        &dir,
        "out",
        &["--report", path(&report), "--geojson", path(&geo)],
    );
    for f in OUTPUTS {
        assert!(out.join(f).exists(), "{f}");
    }
    assert_eq!(
        read(&out, "placements.csv"),
        "pupil_id,stage,school_id,how,distance_m,zone_id,reason\n"
    );
    assert_eq!(read(&out, "lottery.csv").lines().count(), 1);
    assert_eq!(read(&out, "classes.csv").lines().count(), 1);
    assert_eq!(read(&out, "schools.csv").lines().count(), 1 + 7);
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out, "summary.json")).expect("json");
    for stage in ["primary", "junior"] {
        let s = &summary["stages"][stage];
        assert_eq!(
            (
                s["pupils"].as_u64(),
                s["placed"].as_u64(),
                s["classes"].as_u64()
            ),
            (Some(0), Some(0), Some(0)),
            "{stage}"
        );
    }
    let table = stdout(&run);
    assert!(
        table
            .lines()
            .nth(1)
            .is_some_and(|l| l.split_whitespace().take(4).eq(["primary", "0", "0", "0"])),
        "{table}"
    );
    assert!(report.exists() && geo.join("zones.geojson").exists());

    let (code, text) = validate(&["--city", path(&dir)]);
    assert_eq!(code, Some(0));
    assert_eq!(text, "warning: pupils: no pupils (every output will be empty)\nok: 0 error(s), 1 warning(s) in city (".to_owned() + path(&dir.join("schools.csv")) + ")\n");
    std::fs::remove_dir_all(&dir).ok();
}

/// Pupils but no schools: every pupil unplaced with the reason; `validate` warns per stage.
#[test]
fn a_city_without_schools() {
    let dir = temp_dir("no-schools");
    city(
        &dir,
        &[
            ("schools.csv", b"id,stage,lon,lat,entry_classes\n"),
            (
                "zones.geojson",
                br#"{"type": "FeatureCollection", "features": []}"#,
            ),
            (
                "pupils.csv",
                b"id,stage,lon,lat\na1,primary,113.604,34.744\nj1,junior,113.605,34.745\n",
            ),
        ],
    );
    let (code, text) = validate(&["--city", path(&dir)]);
    assert_eq!(code, Some(0), "{text}");
    for w in [
        "warning: schools: no primary school for 1 primary pupil(s)",
        "warning: schools: no junior school for 1 junior pupil(s)",
    ] {
        assert!(text.contains(w), "{text}");
    }
    let (out, _) = assign_ok(&dir, "out", &[]);
    assert_eq!(
        read(&out, "placements.csv"),
        "pupil_id,stage,school_id,how,distance_m,zone_id,reason\n\
         a1,primary,,unplaced,,,no free seat at any public primary school (home outside every zone of the stage)\n\
         j1,junior,,unplaced,,,no free seat at any public junior school (home outside every zone of the stage)\n"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A city of one pupil, and a match instance of one pupil under every mechanism.
#[test]
fn a_single_pupil() {
    let dir = temp_dir("single");
    let pupils = "id,stage,lon,lat\nc1,primary,113.624,34.746\n";
    city(&dir, &[("pupils.csv", pupils.as_bytes())]);
    let (out, _) = assign_ok(&dir, "out", &["--seed", "3"]);
    assert_eq!(
        read(&out, "placements.csv").lines().nth(1),
        Some("c1,primary,PC,zone,144,ZC,")
    );
    let json = dir.join("one.json");
    std::fs::write(&json, r#"{"schools": [{"id": "H", "capacity": 1}], "students": [{"id": "a", "preferences": ["H"]}]}"#).expect("write");
    for mechanism in ["da", "school-da", "boston", "ttc", "serial", "parallel"] {
        let o = xuewei(&["match", "--input", path(&json), "--mechanism", mechanism]);
        assert!(o.status.success(), "{mechanism}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(v["assignment"]["a"], "H", "{mechanism}");
        assert_eq!(v["stats"]["placed"], 1, "{mechanism}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Match instances with no pupils or no schools run; `validate` warns about them and about
/// seatless schools.
#[test]
fn empty_and_seatless_match_instances() {
    let dir = temp_dir("match-empty");
    let check = |name: &str, json: &str, stats: (u64, u64), warnings: &[&str]| {
        let file = dir.join(format!("{name}.json"));
        std::fs::write(&file, json).expect("write");
        let o = xuewei(&["match", "--input", path(&file)]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(
            (
                v["stats"]["pupils"].as_u64(),
                v["stats"]["unplaced"].as_u64()
            ),
            (Some(stats.0), Some(stats.1)),
            "{name}"
        );
        let (code, text) = validate(&["--input", path(&file)]);
        assert_eq!(code, Some(0), "{name}: {text}");
        let got: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("warning: "))
            .map(|l| l.replace(path(&file), "FILE"))
            .collect();
        assert_eq!(got, warnings, "{name}");
    };
    check(
        "nothing",
        r#"{"schools": [], "students": []}"#,
        (0, 0),
        &["FILE: no pupils (the result will be empty)"],
    );
    check(
        "no-schools",
        r#"{"schools": [], "students": [{"id": "a"}]}"#,
        (1, 1),
        &[
            "FILE: no schools (every pupil will be unplaced)",
            "FILE: 1 pupil(s) list no school (they will be unplaced)",
        ],
    );
    check(
        "seatless",
        r#"{"schools": [{"id": "Z", "capacity": 0}, {"id": "G", "capacity": 1}], "students": [{"id": "a", "preferences": ["Z", "G"]}, {"id": "b", "preferences": ["Z"]}]}"#,
        (2, 1),
        &["FILE: school \"Z\" has no seats"],
    );
    std::fs::remove_dir_all(&dir).ok();
}

// ---- Scores and lotteries --------------------------------------------------------------

/// NaN or negative scores, and a lottery that misses, repeats or invents pupils: exit code
/// 2 with every problem named.
#[test]
fn bad_scores_and_lotteries_are_refused() {
    let dir = temp_dir("scores");
    let file = dir.join("m.json");
    std::fs::write(
        &file,
        r#"{"schools": [{"id": "H", "capacity": 1}],
            "students": [{"id": "a", "score": -1}, {"id": "b", "score": "NaN"}, {"id": "c"}],
            "lottery": ["c", "c"]}"#,
    )
    .expect("write");
    let o = xuewei(&["match", "--input", path(&file), "--mechanism", "serial"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    for needle in [
        "4 problems in the instance",
        "pupil \"a\": field \"score\": -1 is not a finite, non-negative number",
        "pupil \"b\": field \"score\": \"NaN\" is not a finite, non-negative number",
        "lottery[1]: pupil \"c\" drawn twice",
        "lottery: 2 pupil(s) not drawn, first \"a\"; a given draw must order every pupil",
    ] {
        assert!(err.contains(needle), "lacks {needle:?}:\n{err}");
    }
    std::fs::write(
        &file,
        r#"{"schools": [], "students": [{"id": "a"}, {"id": "b"}], "lottery": ["b", "b"]}"#,
    )
    .expect("write");
    let (code, text) = validate(&["--input", path(&file)]);
    assert_eq!(code, Some(2));
    let got: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with("error"))
        .map(|l| l.replace(path(&file), "FILE"))
        .collect();
    assert_eq!(
        got,
        vec![
            "error: FILE: lottery[1]: pupil \"b\" drawn twice",
            "error: FILE: lottery: 1 pupil(s) not drawn, first \"a\"; a given draw must order every pupil",
        ]
    );
    let pupils = fixture("pupils.csv")
        .replace(
            "a2,primary,113.606,34.746,1,0,0,,,,",
            "a2,primary,113.606,34.746,1,0,0,,NaN,,",
        )
        .replace(
            "a3,primary,113.608,34.742,0,0,1,,,,",
            "a3,primary,113.608,34.742,0,0,1,,-5,,",
        );
    city(&dir, &[("pupils.csv", pupils.as_bytes())]);
    let (code, text) = validate(&["--city", path(&dir)]);
    assert_eq!(code, Some(2));
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("error"))
            .collect::<Vec<_>>(),
        vec![
            "error: pupils.csv line 3: score NaN is not a finite, non-negative number",
            "error: pupils.csv line 4: score -5 is not a finite, non-negative number",
        ]
    );
    std::fs::remove_dir_all(&dir).ok();
}
