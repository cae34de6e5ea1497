//! `blocks.csv` (`xuewei_io::city::blocks::parse`): residential blocks with children by
//! age.
//!
//! Checks: no panic; an accepted file gives one block per data record, each with finite
//! coordinates and finite, non-negative households and children at every age.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xuewei_io::city::blocks;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(blocks) = blocks::parse(("blocks.csv", text)) else {
        return;
    };
    for b in &blocks {
        assert!(
            b.location.x().is_finite() && b.location.y().is_finite(),
            "{}",
            b.id
        );
        assert!(b.households.is_finite() && b.households >= 0.0, "{}", b.id);
        assert!(
            b.children.iter().all(|c| c.is_finite() && *c >= 0.0),
            "{}",
            b.id
        );
    }
    // One block per record: the csv reader sees as many records (the header excluded).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
        .records()
        .count();
    assert_eq!(blocks.len(), records);
});
