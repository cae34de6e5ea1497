//! Parameters of the synthetic city (`xuewei_io::synth::params::parse`, TOML) and the counts
//! they imply (`xuewei_synth::counts`).
//!
//! Checks: no panic; accepted parameters validate again; at scales 0.01 and 1 the counts are
//! computed, each stage's roll is split over its grades with the exact rounded total, a stage
//! with schools keeps at least one, and the urban junior highs are among the junior highs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xuewei_synth::{counts, stage_params, STAGES};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(params) = xuewei_io::synth::params::parse("params.toml", text) else {
        return;
    };
    params
        .validate()
        .expect("accepted parameters validate again");
    for scale in [0.01, 1.0] {
        let c = counts(&params, scale).expect("a valid scale");
        for (i, &stage) in STAGES.iter().enumerate() {
            let sp = stage_params(&params, stage);
            assert_eq!(c.roll[i].len() as u32, stage.grades());
            let total: u64 = c.roll[i].iter().map(|&x| u64::from(x)).sum();
            assert_eq!(
                total,
                (f64::from(sp.roll) * scale).round() as u64,
                "{stage} roll"
            );
            let (public, private) = c.schools[i];
            if sp.schools > sp.private {
                assert!(public >= 1, "{stage}: public schools vanish");
            }
            if sp.private > 0 {
                assert!(private >= 1, "{stage}: private schools vanish");
            }
        }
        assert!(c.urban_junior <= c.schools[1].0 + c.schools[1].1);
    }
});
