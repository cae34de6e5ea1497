//! Every mechanism on an arbitrary small instance (up to 40 pupils, 8 schools, capacities
//! 0..=5, tiers, scores, groups, reserves, sometimes a published draw), checked against the
//! properties that define it (`xuewei_fuzz::check_mechanisms`), and against the same instance
//! given in another order (`xuewei_fuzz::check_input_order`).
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(case) = xuewei_fuzz::read_case(&mut u, 40, 8) else {
        return;
    };
    xuewei_fuzz::check_mechanisms(&case.instance, case.seed, case.tie_break, case.band);
    xuewei_fuzz::check_input_order(&case.instance, case.seed, case.band as usize);
});
