//! City-scale runs: `assign` of the synthetic city (files read and parsed inside the timed
//! closure, as `xuewei assign` does), and a 5-year scenario with lottery replications.
//! `XUEWEI_BENCH_SCALE` sets the assign city's scale (default 1 = the full city);
//! `XUEWEI_BENCH_REPLICATIONS` the replications (default 100, on a scale-0.01 city).

// criterion_group! generates undocumented functions.
#![allow(missing_docs)]

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use xuewei_core::city::{assign, AssignParams, City};
use xuewei_core::SeatRule;
use xuewei_io::city::{load_state, CityPaths};
use xuewei_io::Reader;
use xuewei_scenario::replicate;
use xuewei_synth::generate;
use xuewei_testkit::fixtures::{root, synthetic_city_dir};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Generates the synthetic city at `scale` into a fresh directory.
fn city_dir(scale: f64) -> PathBuf {
    let params =
        xuewei_io::synth::params::load(&root().join("seeds/zhengzhou.toml"), &Reader::default())
            .expect("valid params");
    let city = generate(&params, 1, scale).expect("generated");
    let dir = std::env::temp_dir().join(format!("xuewei-bench-{}-{scale}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    xuewei_io::synth::write_all(&city, |name| std::fs::File::create(dir.join(name)))
        .expect("written");
    dir
}

fn load(dir: &Path) -> City {
    let (z, s, p, r) = (
        dir.join("zones.geojson"),
        dir.join("schools.csv"),
        dir.join("pupils.csv"),
        dir.join("roads.geojson"),
    );
    let paths = CityPaths {
        zones: &z,
        schools: &s,
        pupils: &p,
        roads: Some(&r),
    };
    xuewei_io::city::load(&paths, &Reader::default()).expect("valid city")
}

fn city(c: &mut Criterion) {
    let scale: f64 = env_or("XUEWEI_BENCH_SCALE", 1.0);
    let dir = city_dir(scale);
    let mut group = c.benchmark_group("city");
    group.sample_size(10);
    let params = AssignParams::default().class_policy(SeatRule::Guarantee);
    group.bench_function(format!("load+assign/scale-{scale}"), |b| {
        b.iter(|| assign(&load(&dir), &params));
    });
    let loaded = load(&dir);
    group.bench_function(format!("assign/scale-{scale}"), |b| {
        b.iter(|| assign(&loaded, &params));
    });
    group.finish();
    std::fs::remove_dir_all(&dir).ok();
}

fn scenario(c: &mut Criterion) {
    let n: usize = env_or("XUEWEI_BENCH_REPLICATIONS", 100);
    let plan = xuewei_io::scenario::load(
        &synthetic_city_dir().join("plan-2016-2020.toml"),
        &Reader::default(),
    )
    .expect("plan parses");
    let base = load_state(&plan.city, &Reader::default()).expect("fixture loads");
    let mut group = c.benchmark_group("scenario");
    group.sample_size(10);
    group.bench_function(format!("plan-5y/s001/replications-{n}"), |b| {
        b.iter(|| replicate(&plan, &base, n, 1).expect("runs"));
    });
    group.finish();
}

criterion_group!(benches, city, scenario);
criterion_main!(benches);
