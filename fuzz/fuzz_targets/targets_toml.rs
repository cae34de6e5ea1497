//! The plan's targets (`xuewei_io::targets::parse`, TOML).
//!
//! Checks: no panic; accepted targets all compare with `<=`, `>=` or `==`; judging them
//! against no runs gives no verdict, and a verdict's display of any limit never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xuewei_io::targets;
use xuewei_scenario::targets::{judge, Verdict};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(targets) = targets::parse("targets.toml", text) else {
        return;
    };
    for t in &targets {
        assert!(
            matches!(t.comparison.as_str(), "<=" | ">=" | "=="),
            "{}",
            t.comparison
        );
        let v = Verdict {
            year: t.year,
            target: t.id.clone(),
            metric: t.metric.clone(),
            value: t.limit,
            limit: t.limit,
            comparison: t.comparison.clone(),
            due: t.year,
            met: true,
        };
        let _ = v.show(t.limit);
    }
    assert!(judge(&targets, &[], 1.0).is_empty());
});
