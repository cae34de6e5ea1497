//! Times one deferred-acceptance run on a generated instance (for profiling; the
//! benchmarks in `benches/` are the reference figures).
//!
//! `cargo run --release -p xuewei-core --example da_timing -- 1000000`

use std::time::Instant;
use xuewei_core::generate::{random_instance, GenParams};
use xuewei_core::{deferred_acceptance, Lottery, LotteryParams};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let t = Instant::now();
    let instance = random_instance(&GenParams::default().students(n).seed(2016));
    println!("generate: {:?}", t.elapsed());
    let t = Instant::now();
    let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(7));
    println!("draw: {:?}", t.elapsed());
    for _ in 0..3 {
        let t = Instant::now();
        let a = deferred_acceptance(&instance, &lottery);
        println!(
            "da: {:?} placed {} proposals {}",
            t.elapsed(),
            a.n_placed(),
            a.stats().proposals
        );
    }
}
