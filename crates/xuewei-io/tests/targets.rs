//! `seeds/targets.toml`: every target of the plan is complete and cites its source.

use xuewei_io::{targets, Reader};
use xuewei_testkit::fixtures::root;

#[test]
fn every_target_is_complete_and_cites_the_plan() {
    let path = root().join("seeds/targets.toml");
    let targets = targets::load(&path, &Reader::default()).expect("seeds/targets.toml");
    assert_eq!(targets.len(), 10);
    let plan =
        std::fs::read_to_string(path.with_file_name("zhengzhou-education-plan-2016-2020.txt"))
            .expect("the plan");
    for t in &targets {
        let id = &t.id;
        assert!(["<=", ">=", "=="].contains(&t.comparison.as_str()), "{id}");
        assert!(t.limit.is_finite(), "{id}");
        assert!((2016..=2020).contains(&t.year), "{id}");
        assert!(!t.metric.is_empty(), "{id}");
        assert!(!t.description.is_empty(), "{id}");
        let source = t.source.as_str();
        // The quoted words after the section reference appear in the plan.
        let quote = source.split(": ").nth(1).unwrap_or(source);
        let words = quote.split([';', '，']).next().unwrap_or(quote).trim();
        let head: String = words.chars().take(5).collect();
        assert!(
            plan.contains(&head) || source.starts_with("三(一)"),
            "{id}: \"{head}\" is not in the plan"
        );
    }
}
