//! The synthetic city through its public API: the committed fixture regenerates byte for
//! byte, scale 1 matches the plan's 2015 counts, and output depends only on the seed. (That
//! the fixture's files load and assign is tested with the loaders, in `xuewei-io`.)

use std::sync::OnceLock;

use xuewei_core::{Sector, Stage};
use xuewei_synth::{counts, generate, write, Params, SchoolRecord, SynthCity};
use xuewei_testkit::fixtures::root;

fn params() -> &'static Params {
    static P: OnceLock<Params> = OnceLock::new();
    P.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("seeds/zhengzhou.toml"))
            .expect("seeds/zhengzhou.toml");
        Params::from_toml(&text).expect("valid parameters")
    })
}

/// The fixture's seed and scale (also in `docs/synthetic-city.md` and `seeds/README.md`).
const FIXTURE: (&str, u64, f64) = ("fixtures/zhengzhou-s001", 1, 0.01);

fn files(city: &SynthCity) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    write::write_all(city, |_| Ok(Vec::new())).expect("in memory");
    for name in write::FILES {
        let mut buf = Vec::new();
        match name {
            "zones.geojson" => write::write_zones(city, &mut buf),
            "schools.csv" => write::write_schools(city, &mut buf),
            "pupils.csv" => write::write_pupils(city, &mut buf),
            "roll.csv" => write::write_roll(city, &mut buf),
            "blocks.csv" => write::write_blocks(city, &mut buf),
            _ => write::write_roads(city, &mut buf),
        }
        .expect("in memory");
        out.push((name, String::from_utf8(buf).expect("UTF-8")));
    }
    out
}

fn fixture_city() -> &'static SynthCity {
    static C: OnceLock<SynthCity> = OnceLock::new();
    C.get_or_init(|| generate(params(), FIXTURE.1, FIXTURE.2).expect("generates"))
}

/// `fixtures/zhengzhou-s001/` is exactly what `xuewei synth --seed 1 --scale 0.01` writes;
/// `UPDATE_GOLDEN=1` rewrites it.
#[test]
fn the_fixture_regenerates_byte_identical() {
    let dir = root().join(FIXTURE.0);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    if update {
        std::fs::create_dir_all(&dir).expect("fixture directory");
    }
    let mut total = 0;
    for (name, text) in files(fixture_city()) {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, &text).expect("fixture written");
            continue;
        }
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 creates it)", path.display()));
        total += committed.len();
        if committed != text {
            let line = committed
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b);
            panic!("{} differs from the generator's output (first differing line: {line:?}); rerun with UPDATE_GOLDEN=1 and review the diff", path.display());
        }
    }
    assert!(
        total < 2_000_000,
        "the fixture should stay small: {total} bytes"
    );
}

/// Scale 1 has the plan's 2015 school counts exactly and its rolls exactly (section 一(一)):
/// 935 primary (88 private) with 791,010 pupils, 297 junior (53 private) with 327,482 of
/// which 144 in the urban districts, 114 senior (33 private) with 184,452; 15 county-level
/// units, 20 学区.
#[test]
fn scale_one_matches_the_plan_baseline() {
    let city = generate(params(), 1, 1.0).expect("generates");
    let check = |stage: Stage, public: usize, private: usize, roll: u64| {
        assert_eq!(
            city.school_count(stage, Sector::Public) + city.school_count(stage, Sector::Private),
            public + private
        );
        assert_eq!(
            city.school_count(stage, Sector::Private),
            private,
            "{stage} private"
        );
        assert_eq!(city.roll_total(stage), roll, "{stage} roll");
    };
    check(Stage::Primary, 847, 88, 791_010);
    check(Stage::Junior, 244, 53, 327_482);
    check(Stage::Senior, 81, 33, 184_452);
    assert_eq!(city.districts.len(), 15);
    let urban_junior: Vec<&SchoolRecord> = city
        .schools
        .iter()
        .filter(|s| s.stage == Stage::Junior && city.areas[s.area as usize].label.contains("学区"))
        .collect();
    assert_eq!(urban_junior.len(), 144);
    let mut xuequ: Vec<&str> = urban_junior
        .iter()
        .map(|s| city.areas[s.area as usize].label.as_str())
        .collect();
    xuequ.sort_unstable();
    xuequ.dedup();
    assert_eq!(xuequ.len(), 20, "every 学区 has junior highs");
    // About a fifth of pupils are migrant children.
    let migrants =
        city.pupils.iter().filter(|p| !p.hukou_local).count() as f64 / city.pupils.len() as f64;
    assert!(
        (0.15..=0.25).contains(&migrants),
        "migrant share {migrants}"
    );
    // The counts function agrees without generating.
    let counts = counts(params(), 1.0).expect("valid scale");
    assert_eq!(counts.schools, [(847, 88), (244, 53), (81, 33)]);
    assert_eq!(counts.urban_junior, 144);
}

/// Same seed, same bytes; another seed, other bytes.
#[test]
fn output_depends_only_on_the_seed() {
    let a = files(fixture_city());
    let b = files(&generate(params(), FIXTURE.1, FIXTURE.2).expect("generates"));
    assert_eq!(a, b);
    let c = files(&generate(params(), FIXTURE.1 + 1, FIXTURE.2).expect("generates"));
    for ((name, x), (_, y)) in a.iter().zip(&c) {
        if *name != "roads.geojson" {
            assert_ne!(x, y, "{name} should change with the seed");
        }
    }
}

/// Bad scales are refused with an error, not a panic.
#[test]
fn bad_scales_are_refused() {
    for scale in [0.0, -1.0, f64::NAN, 11.0] {
        let err = generate(params(), 1, scale).expect_err("bad scale");
        assert!(err.to_string().contains("scale"), "{err}");
    }
}
