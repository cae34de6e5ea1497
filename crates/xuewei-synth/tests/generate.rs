//! The synthetic city through its public API: scale 1 matches the plan's 2015 counts, and
//! bad scales are refused. (Its files, and the committed fixture they must reproduce, are
//! tested with the writer, in `xuewei-io`.)

use std::sync::OnceLock;

use xuewei_core::{Sector, Stage};
use xuewei_synth::{counts, generate, Params, SchoolRecord};
use xuewei_testkit::fixtures::root;

/// The seed parameters (read with `toml` in tests only: reading them is `xuewei-io`'s).
fn params() -> &'static Params {
    static P: OnceLock<Params> = OnceLock::new();
    P.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("seeds/zhengzhou.toml"))
            .expect("seeds/zhengzhou.toml");
        let params: Params = toml::from_str(&text).expect("well-formed parameters");
        params.validate().expect("valid parameters");
        params
    })
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

/// Bad scales are refused with an error, not a panic.
#[test]
fn bad_scales_are_refused() {
    for scale in [0.0, -1.0, f64::NAN, 11.0] {
        let err = generate(params(), 1, scale).expect_err("bad scale");
        assert!(err.to_string().contains("scale"), "{err}");
    }
}
