//! End-to-end tests of the `xuewei` binary: golden outputs and error handling.

mod common;

use common::{root, stderr, temp_dir, xuewei};
use std::path::Path;
use std::process::{Command, Output};

/// Compares `actual` with the golden file; `UPDATE_GOLDEN=1` rewrites it instead.
fn check_golden(golden: &str, actual: &str) {
    let path = root().join(golden);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    assert_eq!(expected, actual, "output differs from {golden}");
}

fn check_match(args: &[&str], golden: &str) {
    let mut full = vec!["match", "--input", "fixtures/match/example.json"];
    full.extend_from_slice(args);
    let out = xuewei(&full);
    assert!(out.status.success(), "{:?} failed: {}", full, stderr(&out));
    check_golden(golden, &String::from_utf8_lossy(&out.stdout));
}

#[test]
fn golden_outputs_of_every_mechanism() {
    check_match(&[], "fixtures/match/example.da.json");
    check_match(
        &["--mechanism", "boston"],
        "fixtures/match/example.boston.json",
    );
    check_match(
        &["--mechanism", "serial"],
        "fixtures/match/example.serial.json",
    );
    check_match(
        &["--mechanism", "parallel", "--band", "1"],
        "fixtures/match/example.parallel1.json",
    );
}

#[test]
fn output_file_equals_stdout() {
    let dir = temp_dir("output-file");
    let file = dir.join("result.json");
    let f = file.to_str().expect("utf-8 path");
    let out = xuewei(&[
        "match",
        "--input",
        "fixtures/match/example.json",
        "--output",
        f,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&file).expect("written");
    let stdout = xuewei(&["match", "--input", "fixtures/match/example.json"]).stdout;
    assert_eq!(written, String::from_utf8_lossy(&stdout));
}

/// Writes `json` to a temporary file and runs `xuewei match` on it.
fn run_json(name: &str, json: &str, extra: &[&str]) -> Output {
    let dir = temp_dir(name);
    let file = dir.join("in.json");
    std::fs::write(&file, json).expect("write input");
    let mut args = vec!["match", "--input", file.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    xuewei(&args)
}

/// Asserts a clean input error: exit code 2 (not a panic's 101) and a message naming the
/// record and field.
fn assert_input_error(name: &str, json: &str, extra: &[&str], needles: &[&str]) {
    let out = run_json(name, json, extra);
    assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
    let err = stderr(&out);
    for needle in needles {
        assert!(
            err.contains(needle),
            "{name}: stderr lacks {needle:?}:\n{err}"
        );
    }
    assert!(!err.contains("panicked"), "{name}: {err}");
}

#[test]
fn bad_input_is_a_clean_error_naming_record_and_field() {
    let s = r#"{"id": "H", "capacity": 1}"#;
    assert_input_error(
        "unknown-school",
        &format!(r#"{{"schools": [{s}], "students": [{{"id": "a", "preferences": ["H", "Q"]}}]}}"#),
        &[],
        &[
            r#"pupil "a""#,
            r#""preferences"[1]"#,
            r#"unknown school "Q""#,
        ],
    );
    assert_input_error(
        "duplicate-school",
        &format!(r#"{{"schools": [{s}, {s}], "students": []}}"#),
        &[],
        &[r#"school "H""#, "duplicate school id"],
    );
    assert_input_error(
        "duplicate-pupil",
        &format!(r#"{{"schools": [{s}], "students": [{{"id": "a"}}, {{"id": "a"}}]}}"#),
        &[],
        &[r#"pupil "a""#, "duplicate pupil id"],
    );
    assert_input_error(
        "pupil-twice-in-priority",
        r#"{"schools": [{"id": "H", "capacity": 1, "priority": [["a"], ["b", "a"]]}],
            "students": [{"id": "a"}, {"id": "b"}]}"#,
        &[],
        &[
            r#"school "H""#,
            r#""priority""#,
            r#"pupil "a" appears twice"#,
        ],
    );
    assert_input_error(
        "school-twice-in-list",
        &format!(r#"{{"schools": [{s}], "students": [{{"id": "a", "preferences": ["H", "H"]}}]}}"#),
        &[],
        &[
            r#"pupil "a""#,
            r#""preferences""#,
            r#"school "H" listed twice"#,
        ],
    );
    assert_input_error(
        "negative-capacity",
        r#"{"schools": [{"id": "H", "capacity": -1}], "students": []}"#,
        &[],
        &[r#"school "H""#, r#""capacity""#, "-1"],
    );
    assert_input_error(
        "fractional-capacity",
        r#"{"schools": [{"id": "H", "capacity": 2.5}], "students": []}"#,
        &[],
        &[r#"school "H""#, r#""capacity""#, "2.5"],
    );
    assert_input_error(
        "reserves-above-capacity",
        r#"{"schools": [{"id": "H", "capacity": 1, "reserves": [{"group": "J1", "seats": 2}]}], "students": []}"#,
        &[],
        &[
            r#"school "H""#,
            r#""reserves""#,
            "2 reserved seats exceed capacity 1",
        ],
    );
    assert_input_error(
        "malformed-json",
        "{\"schools\": [\n  {\"id\": \"H\", \"capacity\": 1,,}\n], \"students\": []}",
        &[],
        &["line 2"],
    );
    assert_input_error(
        "lottery-misses-a-pupil",
        &format!(
            r#"{{"schools": [{s}], "students": [{{"id": "a"}}, {{"id": "b"}}], "lottery": ["a"]}}"#
        ),
        &[],
        &["lottery", r#"first "b""#],
    );
    assert_input_error(
        "negative-score",
        &format!(r#"{{"schools": [{s}], "students": [{{"id": "a", "score": -3}}]}}"#),
        &[],
        &[r#"pupil "a""#, r#""score""#],
    );
    assert_input_error(
        "bad-reserve-order",
        r#"{"schools": [{"id": "H", "capacity": 1, "reserve_order": "sideways"}], "students": []}"#,
        &[],
        &[r#"school "H""#, r#""reserve_order""#, "sideways"],
    );
    assert_input_error(
        "band-without-parallel",
        &format!(r#"{{"schools": [{s}], "students": []}}"#),
        &["--band", "2"],
        &["--band"],
    );
    assert_input_error(
        "improve-after-boston",
        &format!(r#"{{"schools": [{s}], "students": []}}"#),
        &["--mechanism", "boston", "--improve"],
        &["--improve"],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let out = run_json(
        "many",
        r#"{"schools": [{"id": "H", "capacity": -2}, {"id": "H", "capacity": 1}],
            "students": [{"id": "a", "preferences": ["Z"]}, {"id": "a"}]}"#,
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("4 problems"), "{err}");
}

#[test]
fn missing_file_is_an_input_error() {
    let out = xuewei(&["match", "--input", "fixtures/match/does-not-exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does-not-exist.json"));
}

fn run_ok(args: &[&str]) -> String {
    let out = xuewei(args);
    assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const CITY: [&str; 6] = [
    "--zones",
    "fixtures/city-small/zones.geojson",
    "--schools",
    "fixtures/city-small/schools.csv",
    "--pupils",
    "fixtures/city-small/pupils.csv",
];

/// `xuewei assign` on the small fixture city writes every file; placements and the summary
/// match the reviewed golden files.
#[test]
fn assign_small_city_golden() {
    let dir = temp_dir("assign");
    let out = dir.to_str().expect("utf-8");
    let mut args = vec!["assign"];
    args.extend_from_slice(&CITY);
    args.extend_from_slice(&["--seed", "7", "--out", out]);
    let table = run_ok(&args);
    assert!(table.contains("primary"), "{table}");
    for file in [
        "placements.csv",
        "schools.csv",
        "classes.csv",
        "lottery.csv",
        "summary.json",
    ] {
        assert!(dir.join(file).exists(), "{file} missing");
    }
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("output");
    check_golden(
        "fixtures/city-small/expected/placements.csv",
        &read("placements.csv"),
    );
    check_golden(
        "fixtures/city-small/expected/summary.json",
        &read("summary.json"),
    );
    check_golden(
        "fixtures/city-small/expected/lottery.csv",
        &read("lottery.csv"),
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// The three class policies give different seats, classes and unplaced pupils.
#[test]
fn assign_under_each_class_policy() {
    let summary = |policy: &str| -> serde_json::Value {
        let dir = temp_dir(&format!("policy-{}", policy.replace(':', "-")));
        let mut args = vec!["assign"];
        args.extend_from_slice(&CITY);
        args.extend_from_slice(&[
            "--class-policy",
            policy,
            "--out",
            dir.to_str().expect("utf-8"),
        ]);
        run_ok(&args);
        let text = std::fs::read_to_string(dir.join("summary.json")).expect("summary");
        std::fs::remove_dir_all(&dir).ok();
        serde_json::from_str(&text).expect("json")
    };
    let standard = summary("standard");
    let guarantee = summary("guarantee");
    let cap = summary("primary=cap:40,junior=standard");
    assert_eq!(standard["stages"]["primary"]["unplaced"], 1);
    assert_eq!(standard["stages"]["junior"]["unplaced"], 1);
    assert_eq!(guarantee["stages"]["junior"]["unplaced"], 0);
    assert_eq!(guarantee["stages"]["primary"]["unplaced"], 0);
    // Stated seats still bind under a cap.
    assert_eq!(
        cap["stages"]["primary"]["seats"],
        standard["stages"]["primary"]["seats"]
    );
    let bad = xuewei(&[
        "assign",
        CITY[0],
        CITY[1],
        CITY[2],
        CITY[3],
        CITY[4],
        CITY[5],
        "--class-policy",
        "cap:0",
        "--out",
        "/tmp",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

/// `xuewei classes` over a roll plus a fresh assignment's entering grade.
#[test]
fn classes_over_roll_and_assignment() {
    let dir = temp_dir("classes");
    let out = dir.to_str().expect("utf-8");
    let mut args = vec!["assign"];
    args.extend_from_slice(&CITY);
    args.extend_from_slice(&["--out", out]);
    run_ok(&args);
    let report_dir = dir.join("report");
    let table = run_ok(&[
        "classes",
        "--roll",
        "fixtures/city-small/roll.csv",
        "--placements",
        out,
        "--out",
        report_dir.to_str().expect("utf-8"),
    ]);
    // Grade 2 and 3 rows: PA 58 (large), PA 70 (super-large), PB1 45+45, PC 40, J1 60+60 (large),
    // J2 55; plus the entering grade of all seven schools (one class each, small).
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(report_dir.join("summary.json")).expect("summary"),
    )
    .expect("json");
    assert_eq!(summary["city"]["large_classes"], 4, "{table}");
    assert_eq!(summary["city"]["super_large_classes"], 1);
    assert_eq!(summary["city"]["classes"], 8 + 7);
    assert!(table.contains("city"));
    std::fs::remove_dir_all(&dir).ok();
}

/// The class-policy table in the README is what `xuewei assign` prints for the fixture city.
#[test]
fn readme_policy_table_is_true() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let mut checked = 0;
    for policy in ["guarantee", "standard", "cap:56"] {
        let dir = temp_dir(&format!("readme-{}", policy.replace(':', "-")));
        let table = run_ok(&[
            "assign",
            "--city",
            "fixtures/zhengzhou-s001",
            "--seed",
            "2016",
            "--class-policy",
            policy,
            "--out",
            dir.to_str().expect("utf-8"),
        ]);
        std::fs::remove_dir_all(&dir).ok();
        for line in table.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            // stage pupils placed unplaced overflow private mean_m classes 56+ 66+
            let row = format!(
                "| {policy} | {} | {} | {} | {} | {} | {} | {} |",
                f[0], f[2], f[3], f[4], f[7], f[8], f[9]
            );
            assert!(readme.contains(&row), "README lacks the row {row}");
            checked += 1;
        }
    }
    assert_eq!(checked, 9);
}

/// `xuewei simulate` runs the shipped plan and writes every file with the documented columns;
/// `xuewei compare` runs baseline and plan side by side.
#[test]
fn simulate_and_compare_the_shipped_plan() {
    let dir = temp_dir("simulate");
    let out = dir.to_str().expect("utf-8");
    let table = run_ok(&[
        "simulate",
        "fixtures/zhengzhou-s001/plan-2016-2020.toml",
        "--out",
        out,
        "--replications",
        "3",
    ]);
    assert!(table.contains("super-large-2020"), "{table}");
    assert!(table.contains("2020"), "{table}");
    let years = std::fs::read_to_string(dir.join("years.csv")).expect("years.csv");
    let header = years.lines().next().expect("header");
    assert!(header.starts_with(
        "year,stage,pupils,placed,unplaced,overflow,classes,large_share,super_large_share,mean_class_size,mean_distance_m"
    ));
    assert_eq!(years.lines().count(), 1 + 5 * 3);
    let targets = std::fs::read_to_string(dir.join("targets.csv")).expect("targets.csv");
    assert!(targets.starts_with("year,target,value,limit,met"));
    for f in ["districts.csv", "equity.csv"] {
        assert!(dir.join(f).exists(), "{f}");
    }
    let cmp = dir.join("cmp");
    let text = run_ok(&[
        "compare",
        "fixtures/zhengzhou-s001/baseline.toml",
        "fixtures/zhengzhou-s001/plan-2016-2020.toml",
        "--out",
        cmp.to_str().expect("utf-8"),
    ]);
    assert!(text.contains("change school"), "{text}");
    let moves = std::fs::read_to_string(cmp.join("moves.csv")).expect("moves.csv");
    assert!(moves.lines().count() > 1, "the plan moves some pupils");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_scenario_exits_2() {
    let dir = temp_dir("bad-scenario");
    let file = dir.join("bad.toml");
    std::fs::write(&file, "name = \"x\"\nbase_year = 2015\nend_year = 2014\n").expect("write");
    let out = xuewei(&[
        "simulate",
        file.to_str().expect("utf-8"),
        "--out",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("end_year 2014 must come after base_year 2015"));
    std::fs::remove_dir_all(&dir).ok();
}

/// Same inputs and seed give byte-identical output files at one thread and at the default
/// thread count, for `assign` and for a replicated `simulate`.
#[test]
fn outputs_are_byte_identical_across_thread_counts() {
    let run = |threads: Option<&str>, args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xuewei"));
        cmd.args(args).current_dir(root());
        match threads {
            Some(t) => cmd.env("RAYON_NUM_THREADS", t),
            None => cmd.env_remove("RAYON_NUM_THREADS"),
        };
        let out = cmd.output().expect("runs");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    let compare = |a: &Path, b: &Path, files: &[&str]| {
        for f in files {
            let x = std::fs::read(a.join(f)).expect("file a");
            let y = std::fs::read(b.join(f)).expect("file b");
            assert!(x == y, "{f} differs between 1 thread and the default");
        }
    };
    let (one, many) = (temp_dir("det-1"), temp_dir("det-n"));
    for (threads, dir) in [(Some("1"), &one), (None, &many)] {
        let out = dir.join("assign");
        run(
            threads,
            &[
                "assign",
                "--city",
                "fixtures/zhengzhou-s001",
                "--seed",
                "9",
                "--out",
                out.to_str().expect("utf-8"),
            ],
        );
        let out = dir.join("plan");
        run(
            threads,
            &[
                "simulate",
                "fixtures/zhengzhou-s001/plan-2016-2020.toml",
                "--replications",
                "4",
                "--quiet",
                "--out",
                out.to_str().expect("utf-8"),
            ],
        );
    }
    compare(
        &one.join("assign"),
        &many.join("assign"),
        &[
            "placements.csv",
            "schools.csv",
            "classes.csv",
            "lottery.csv",
            "summary.json",
        ],
    );
    compare(
        &one.join("plan"),
        &many.join("plan"),
        &["years.csv", "districts.csv", "equity.csv", "targets.csv"],
    );
    std::fs::remove_dir_all(&one).ok();
    std::fs::remove_dir_all(&many).ok();
}

/// A GBK-encoded schools.csv (a Chinese Excel export) is read as GBK with a warning and
/// gives the same result as its UTF-8 original; bytes that are neither are an input error.
#[test]
fn gbk_input_is_decoded_with_a_warning() {
    let dir = temp_dir("gbk");
    let utf8 = std::fs::read_to_string(root().join("fixtures/zhengzhou-s001/schools.csv"))
        .expect("schools");
    assert!(utf8.contains("小学"));
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&utf8);
    assert!(!unmappable);
    let gbk_file = dir.join("schools-gbk.csv");
    std::fs::write(&gbk_file, &gbk).expect("write");
    let run = |schools: &str, out: &Path| {
        xuewei(&[
            "assign",
            "--city",
            "fixtures/zhengzhou-s001",
            "--schools",
            schools,
            "--out",
            out.to_str().expect("utf-8"),
        ])
    };
    let a = run("fixtures/zhengzhou-s001/schools.csv", &dir.join("a"));
    let b = run(gbk_file.to_str().expect("utf-8"), &dir.join("b"));
    assert!(a.status.success() && b.status.success(), "{}", stderr(&b));
    assert!(stderr(&b).contains("read as GBK"), "{}", stderr(&b));
    for f in ["placements.csv", "schools.csv"] {
        assert_eq!(
            std::fs::read(dir.join("a").join(f)).expect("a"),
            std::fs::read(dir.join("b").join(f)).expect("b"),
            "{f}"
        );
    }
    let junk = dir.join("junk.csv");
    std::fs::write(&junk, [0x81u8, 0x20, 0xff, 0xfe, 0x80]).expect("write");
    let c = run(junk.to_str().expect("utf-8"), &dir.join("c"));
    assert_eq!(c.status.code(), Some(2));
    assert!(
        stderr(&c).contains("neither UTF-8 nor GBK"),
        "{}",
        stderr(&c)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `xuewei validate` reports every problem of every file at once and exits 2 on errors;
/// warnings alone pass.
#[test]
fn validate_reports_everything_at_once() {
    let ok = xuewei(&[
        "validate",
        "--city",
        "fixtures/city-small",
        "--roll",
        "fixtures/city-small/roll.csv",
    ]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let out = String::from_utf8_lossy(&ok.stdout).into_owned();
    assert!(
        out.contains("warning: pupils: 1 primary home(s) outside every primary zone"),
        "{out}"
    );
    assert!(
        out.starts_with("warning") && out.contains("ok: 0 error(s), 1 warning(s)"),
        "{out}"
    );

    let dir = temp_dir("validate");
    let pupils = dir.join("pupils.csv");
    std::fs::write(
        &pupils,
        "id,stage,lon,lat\np1,primary,34.7,113.6\np2,primary,113.6,34.7\np2,primary,113.6,34.7\n",
    )
    .expect("write");
    let roll = dir.join("roll.csv");
    std::fs::write(&roll, "school_id,grade,pupils,classrooms\nPA,9,10,1\n").expect("write");
    let bad = xuewei(&[
        "validate",
        "--zones",
        "fixtures/city-small/zones.geojson",
        "--schools",
        "fixtures/city-small/schools.csv",
        "--pupils",
        pupils.to_str().expect("utf-8"),
        "--roll",
        roll.to_str().expect("utf-8"),
        "--input",
        "fixtures/match/example.json",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let out = String::from_utf8_lossy(&bad.stdout).into_owned();
    assert!(
        out.contains("pupils.csv line 2: lat 113.6 out of range"),
        "{out}"
    );
    assert!(
        out.contains("pupils.csv line 4: id \"p2\" already used at line 3"),
        "{out}"
    );
    assert!(out.contains("roll.csv line 2"), "{out}");
    assert!(out.contains("failed: 3 error(s)"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `xuewei validate` lists the problems a loader found one per error, as the loader's
/// message shows them: a value with a line break in it stays one problem, and past 200
/// problems the rest are counted.
#[test]
fn validate_lists_each_problem_once() {
    let dir = temp_dir("validate-each");
    let pupils = dir.join("pupils.csv");
    let mut text = String::from("id,stage,lon,lat\np0,\"prim\n  ary\",113.6,34.7\n");
    for i in 1..=201 {
        text.push_str(&format!("p{i},primary,113.6,34.7\n"));
    }
    text.push_str("p1,primary,113.6,34.7\n");
    std::fs::write(&pupils, &text).expect("write");
    let validate = || {
        xuewei(&[
            "validate",
            "--zones",
            "fixtures/city-small/zones.geojson",
            "--schools",
            "fixtures/city-small/schools.csv",
            "--pupils",
            pupils.to_str().expect("utf-8"),
        ])
    };
    let out = validate();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout.starts_with(
            "error: pupils.csv line 2: stage \"prim\n  ary\" is not kindergarten, primary, \
             junior or senior\nerror: pupils.csv line 205: id \"p1\" already used at line 4\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("failed: 2 error(s)"), "{stdout}");
    text.push_str(&"p1,primary,113.6,34.7\n".repeat(200));
    std::fs::write(&pupils, &text).expect("write");
    let stdout = String::from_utf8_lossy(&validate().stdout).into_owned();
    assert!(
        stdout.contains("\nerror: ... and 2 more\nfailed: 201 error(s)"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// An input too large for the memory the process may use is refused up front with a
/// message naming the file and the figures (exit 1), never an abort part-way; the same
/// limit lets a small input run.
#[test]
fn input_too_large_for_memory_fails_cleanly() {
    let dir = temp_dir("memory");
    let big = dir.join("big.json");
    // Valid JSON, 40 MB: an empty instance padded with whitespace.
    let mut text = String::from("{\"schools\": [], \"students\": []}");
    text.push_str(&" ".repeat(40_000_000));
    std::fs::write(&big, text).expect("write");
    let limited = |input: &Path| {
        Command::new("bash")
            .args(["-c", "ulimit -v 400000 && exec \"$0\" match --input \"$1\""])
            .arg(env!("CARGO_BIN_EXE_xuewei"))
            .arg(input)
            .current_dir(root())
            .output()
            .expect("bash runs")
    };
    let out = limited(&big);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "big.json: 40 MB of input needs about 440 MB of memory and 410 MB is available"
        ),
        "{err}"
    );
    let small = limited(&root().join("fixtures/match/as2003.json"));
    assert!(small.status.success(), "{}", stderr(&small));
    std::fs::remove_dir_all(&dir).ok();
}
