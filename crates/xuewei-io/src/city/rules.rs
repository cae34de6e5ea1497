//! Priority rules (`xuewei assign --rules`): JSON such as
//! `{"tiers": ["hukou_and_home", "hukou_or_home", "residence_permit"], "sibling_lift": true}`.

use std::path::Path;

use xuewei_core::city::PriorityRules;

use crate::error::LoadError;
use crate::text::Reader;

/// Parses rules from the JSON text of the file named `file` (a byte-order mark is dropped).
///
/// # Errors
/// [`LoadError::Syntax`] for malformed JSON, an unknown criterion or field.
pub fn parse(file: &str, text: &str) -> Result<PriorityRules, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| LoadError::Syntax {
        file: file.to_owned(),
        line: None,
        message: e.to_string(),
    })
}

/// Reads and parses a rules file; messages name it by `path` as given.
///
/// # Errors
/// The file cannot be read or decoded, or anything [`parse`] reports.
pub fn load(path: &Path, reader: &Reader<'_>) -> Result<PriorityRules, LoadError> {
    parse(&path.display().to_string(), &reader.read(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use xuewei_core::city::Criterion;

    #[test]
    fn rules_read_from_json() {
        let r = parse(
            "rules.json",
            r#"{"tiers": ["hukou", "any"], "sibling_lift": false}"#,
        )
        .expect("valid rules");
        assert_eq!(r.tiers, vec![Criterion::Hukou, Criterion::Any]);
        assert!(!r.sibling_lift);
        let e = parse("rules.json", r#"{"tiers": ["wealth"]}"#).expect_err("no such criterion");
        assert!(
            e.to_string()
                .starts_with("rules.json: unknown variant `wealth`"),
            "{e}"
        );
    }
}
