//! City-scale pieces: locating homes in catchment zones, and the overflow solver.
//! Zones are a jittered grid of quadrilaterals with exact shared vertices around
//! Zhengzhou (a ~40 km square); homes are uniform over a slightly larger square.
// criterion_group! generates undocumented functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use geo::{Coord, LineString, MultiPolygon, Point, Polygon};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use xuewei_core::catchment::ZoneIndex;
use xuewei_core::overflow::{min_cost_placement, OverflowParams};

fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A `k × k` grid of quadrilateral zones over [113.46, 113.86] × [34.57, 34.93].
fn zones(k: usize, rng: &mut ChaCha8Rng) -> Vec<MultiPolygon<f64>> {
    let (x0, y0, w, h) = (113.46, 34.57, 0.40, 0.36);
    let mut vertex = vec![vec![Coord { x: 0.0, y: 0.0 }; k + 1]; k + 1];
    for (i, row) in vertex.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            let inner = |t: usize| t > 0 && t < k;
            let jx = if inner(j) {
                (unit(rng) - 0.5) * 0.3
            } else {
                0.0
            };
            let jy = if inner(i) {
                (unit(rng) - 0.5) * 0.3
            } else {
                0.0
            };
            *v = Coord {
                x: x0 + w * (j as f64 + jx) / k as f64,
                y: y0 + h * (i as f64 + jy) / k as f64,
            };
        }
    }
    let mut out = Vec::with_capacity(k * k);
    for i in 0..k {
        for j in 0..k {
            let ring = LineString::new(vec![
                vertex[i][j],
                vertex[i][j + 1],
                vertex[i + 1][j + 1],
                vertex[i + 1][j],
                vertex[i][j],
            ]);
            out.push(MultiPolygon(vec![Polygon::new(ring, vec![])]));
        }
    }
    out
}

fn homes(n: usize, rng: &mut ChaCha8Rng) -> Vec<Point<f64>> {
    (0..n)
        .map(|_| Point::new(113.44 + 0.44 * unit(rng), 34.55 + 0.40 * unit(rng)))
        .collect()
}

fn catchment(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(2016);
    let index = ZoneIndex::new(zones(55, &mut rng)).expect("finite zones");
    let mut group = c.benchmark_group("catchment");
    for n in xuewei_benches::sizes() {
        let points = homes(n, &mut rng);
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1_000_000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::new("locate_all", n), &points, |b, p| {
            b.iter(|| index.locate_all(p));
        });
        group.bench_with_input(
            BenchmarkId::new("locate_all_sequential", n),
            &points,
            |b, p| {
                b.iter(|| index.locate_all_sequential(p));
            },
        );
    }
    group.finish();
}

fn overflow(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut group = c.benchmark_group("overflow");
    group.sample_size(10);
    for (n, m) in [(5_000usize, 300usize), (50_000, 1_000)] {
        let n = n.min(xuewei_benches::sizes().into_iter().max().unwrap_or(n));
        let pupils = homes(n, &mut rng);
        let schools = homes(m, &mut rng);
        let capacity = vec![(n as u32 * 11 / 10).div_ceil(m as u32); m];
        let cost =
            |i: usize, j: usize| xuewei_core::distance::great_circle_m(pupils[i], schools[j]);
        group.bench_function(
            BenchmarkId::new("min_cost_placement", format!("{n}x{m}")),
            |b| {
                b.iter(|| min_cost_placement(n, &capacity, cost, &OverflowParams::default()));
            },
        );
    }
    group.finish();
}

criterion_group!(benches, catchment, overflow);
criterion_main!(benches);
