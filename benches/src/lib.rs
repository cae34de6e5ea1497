//! Shared helpers for the xuewei benchmarks.

/// The pupil counts to sweep: `XUEWEI_BENCH_SIZES` (comma-separated) or the default
/// 10k, 100k and 1M. CI sets a tiny size so the benches run in smoke mode.
#[must_use]
pub fn sizes() -> Vec<usize> {
    std::env::var("XUEWEI_BENCH_SIZES")
        .ok()
        .map(|v| {
            v.split(',')
                .filter_map(|s| s.trim().replace('_', "").parse().ok())
                .collect::<Vec<usize>>()
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000])
}
