//! `seeds/targets.toml`: every target of the plan is complete and cites its source.

use std::path::Path;

#[test]
fn every_target_is_complete_and_cites_the_plan() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds/targets.toml");
    let text = std::fs::read_to_string(&path).expect("seeds/targets.toml");
    let doc: toml::Table = toml::from_str(&text).expect("valid TOML");
    let targets = doc["targets"].as_array().expect("[[targets]]");
    assert_eq!(targets.len(), 10);
    let plan =
        std::fs::read_to_string(path.with_file_name("zhengzhou-education-plan-2016-2020.txt"))
            .expect("the plan");
    for t in targets {
        let field = |k: &str| t.get(k).unwrap_or_else(|| panic!("{t:?}: no {k}"));
        let id = field("id").as_str().expect("id is text");
        assert!(
            ["<=", ">=", "=="].contains(&field("comparison").as_str().expect("text")),
            "{id}"
        );
        assert!(
            field("limit").is_integer() || field("limit").is_float(),
            "{id}"
        );
        assert!(
            (2016..=2020).contains(&field("year").as_integer().expect("year")),
            "{id}"
        );
        assert!(!field("metric").as_str().expect("text").is_empty(), "{id}");
        assert!(
            !field("description").as_str().expect("text").is_empty(),
            "{id}"
        );
        let source = field("source").as_str().expect("text");
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
