//! Times deferred acceptance on one generated instance at 1 and 2 threads, alternating, and
//! prints the minimum and median of each: `cargo run --release -p xuewei-benches --example
//! da_threads -- [pupils] [runs]`. A quick check beside the criterion bench, which runs at the
//! pool's default size only.
use std::time::Instant;
use xuewei_core::generate::{random_instance, GenParams};
use xuewei_core::{deferred_acceptance, Lottery, LotteryParams};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(9);
    let instance = random_instance(&GenParams::default().students(n).seed(2016));
    let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(7));
    let pools: Vec<_> = [1, 2]
        .iter()
        .map(|&t| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .expect("pool")
        })
        .collect();
    let mut times = vec![Vec::new(); pools.len()];
    let mut reference = None;
    for _ in 0..runs {
        for (p, pool) in pools.iter().enumerate() {
            let t = Instant::now();
            let a = pool.install(|| deferred_acceptance(&instance, &lottery));
            times[p].push(t.elapsed().as_secs_f64() * 1e3);
            let placed = a.stats().proposals;
            assert_eq!(*reference.get_or_insert(placed), placed);
        }
    }
    for (p, t) in times.iter_mut().enumerate() {
        t.sort_by(f64::total_cmp);
        println!(
            "{} thread(s): min {:.1} ms, median {:.1} ms",
            p + 1,
            t[0],
            t[t.len() / 2]
        );
    }
}
