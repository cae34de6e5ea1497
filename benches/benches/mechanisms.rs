//! Every mechanism on generated instances: 10-school lists over n/100 schools,
//! popularity-skewed (weight (i+1)^-0.8), seats 1.05 n, three priority tiers, single
//! tie-breaking. The lottery draw is inside the timed closure (it is part of a run); building
//! the instance is not.
// criterion_group! generates undocumented functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use xuewei_core::generate::{random_instance, GenParams};
use xuewei_core::{
    chen_kesten, deferred_acceptance, immediate_acceptance, school_proposing, serial_dictatorship,
    top_trading_cycles, ChoiceBand, Lottery, LotteryParams, TieBreak,
};

fn mechanisms(c: &mut Criterion) {
    for n in xuewei_benches::sizes() {
        let instance = random_instance(&GenParams::default().students(n).seed(2016));
        let mut group = c.benchmark_group("mechanism");
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1_000_000 {
            group.sample_size(10);
        }
        let draw = |tb| Lottery::draw(&instance, &LotteryParams::default().seed(7).tie_break(tb));
        group.bench_with_input(BenchmarkId::new("da", n), &instance, |b, inst| {
            b.iter(|| deferred_acceptance(inst, &draw(TieBreak::Single)));
        });
        group.bench_with_input(BenchmarkId::new("da-mtb", n), &instance, |b, inst| {
            b.iter(|| deferred_acceptance(inst, &draw(TieBreak::Multiple)));
        });
        group.bench_with_input(BenchmarkId::new("boston", n), &instance, |b, inst| {
            b.iter(|| immediate_acceptance(inst, &draw(TieBreak::Single)));
        });
        group.bench_with_input(BenchmarkId::new("parallel-e3", n), &instance, |b, inst| {
            b.iter(|| chen_kesten(inst, &draw(TieBreak::Single), ChoiceBand::Choices(3)));
        });
        group.bench_with_input(BenchmarkId::new("serial", n), &instance, |b, inst| {
            b.iter(|| serial_dictatorship(inst, &draw(TieBreak::Single)));
        });
        group.bench_with_input(BenchmarkId::new("school-da", n), &instance, |b, inst| {
            b.iter(|| school_proposing(inst, &draw(TieBreak::Single)));
        });
        group.bench_with_input(BenchmarkId::new("ttc", n), &instance, |b, inst| {
            b.iter(|| top_trading_cycles(inst, &draw(TieBreak::Single)));
        });
        // The solve alone, with the draw made outside: the figure the 0.25 s target is about.
        let lottery = draw(TieBreak::Single);
        group.bench_with_input(
            BenchmarkId::new("da-solve-only", n),
            &instance,
            |b, inst| {
                b.iter(|| deferred_acceptance(inst, black_box(&lottery)));
            },
        );
        group.finish();
    }
}

criterion_group!(benches, mechanisms);
criterion_main!(benches);
