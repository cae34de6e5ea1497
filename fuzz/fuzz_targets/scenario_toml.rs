//! Scenario files (`xuewei_io::scenario::parse`, TOML), with their class-policy strings
//! (`PerStage::<SeatRule>::parse_onto`).
//!
//! Checks: no panic; an accepted scenario has `end_year` after `base_year`, a positive finite
//! scale, every edit dated inside the simulated years, paths resolved against the
//! scenario's directory, and class caps of at least one pupil.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use xuewei_core::SeatRule;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = Path::new("fuzz-dir");
    let Ok(s) = xuewei_io::scenario::parse("scenario.toml", text, dir) else {
        return;
    };
    assert!(s.end_year > s.base_year);
    assert!(s.scale.is_finite() && s.scale > 0.0);
    let years: Vec<i32> = s.years().collect();
    assert_eq!(
        years.len() as i64,
        i64::from(s.end_year) - i64::from(s.base_year)
    );
    for e in &s.edits {
        assert!(
            e.year > s.base_year && e.year <= s.end_year,
            "edit in {}",
            e.year
        );
        let _ = e.edit.kind();
    }
    for (_, p) in s.policy.class_policy {
        assert!(!matches!(p, SeatRule::Cap(0)), "a cap of zero pupils");
    }
    if s.city.is_relative() {
        assert!(s.city.starts_with(dir));
    }
    if let Some(t) = &s.targets {
        if t.is_relative() {
            assert!(t.starts_with(dir));
        }
    }
});
