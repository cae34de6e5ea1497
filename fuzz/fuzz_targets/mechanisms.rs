//! Every mechanism on an arbitrary small instance (up to 40 pupils, 8 schools, capacities
//! 0..=5, tiers, scores, groups, reserves, sometimes a published draw), checked against the
//! properties that define it (`xuewei_testkit::oracle::check_mechanisms`), and against the
//! same instance given in another order (`xuewei_testkit::oracle::check_input_order`).
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use xuewei_fuzz::check;
use xuewei_testkit::oracle;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(case) = xuewei_fuzz::read_case(&mut u, 40, 8) else {
        return;
    };
    check(oracle::check_mechanisms(
        &case.instance,
        case.seed,
        case.tie_break,
        case.band,
    ));
    check(oracle::check_input_order(
        &case.instance,
        case.seed,
        case.band as usize,
    ));
});
