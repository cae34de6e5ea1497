//! The synthetic city's files: the committed fixture regenerates byte for byte, and the
//! bytes depend only on the seed. (That the fixture's files load and assign is tested with
//! the loaders, in `city.rs`.)

use std::sync::OnceLock;

use xuewei_io::{synth, Reader};
use xuewei_synth::{generate, Params, SynthCity};
use xuewei_testkit::fixtures::root;

fn params() -> &'static Params {
    static P: OnceLock<Params> = OnceLock::new();
    P.get_or_init(|| {
        synth::params::load(&root().join("seeds/zhengzhou.toml"), &Reader::default())
            .expect("valid parameters")
    })
}

/// The fixture's seed and scale (also in `docs/synthetic-city.md` and `seeds/README.md`).
const FIXTURE: (&str, u64, f64) = ("fixtures/zhengzhou-s001", 1, 0.01);

fn files(city: &SynthCity) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    synth::write_all(city, |_| Ok(Vec::new())).expect("in memory");
    for name in synth::FILES {
        let mut buf = Vec::new();
        match name {
            "zones.geojson" => synth::write_zones(city, &mut buf),
            "schools.csv" => synth::write_schools(city, &mut buf),
            "pupils.csv" => synth::write_pupils(city, &mut buf),
            "roll.csv" => synth::write_roll(city, &mut buf),
            "blocks.csv" => synth::write_blocks(city, &mut buf),
            _ => synth::write_roads(city, &mut buf),
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
