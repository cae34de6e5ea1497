//! The plan's targets (`seeds/targets.toml`): `[[targets]]` tables with `id`, `description`,
//! `metric`, `comparison` (`<=`, `>=` or `==`), `limit`, `year` and `source`.

use std::path::Path;

use xuewei_scenario::targets::Target;

use crate::error::LoadError;
use crate::text::Reader;

#[derive(serde::Deserialize)]
struct TargetsFile {
    targets: Vec<Target>,
}

/// Parses the text of a targets file; `file` names it in messages.
///
/// # Errors
/// Malformed TOML or a missing field ([`LoadError::Toml`]), an unknown comparison
/// ([`LoadError::Comparison`]).
pub fn parse(file: &str, text: &str) -> Result<Vec<Target>, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let f: TargetsFile = toml::from_str(text).map_err(|e| LoadError::Toml {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    for t in &f.targets {
        if !matches!(t.comparison.as_str(), "<=" | ">=" | "==") {
            return Err(LoadError::Comparison {
                file: file.to_owned(),
                target: t.id.clone(),
                comparison: t.comparison.clone(),
            });
        }
    }
    Ok(f.targets)
}

/// Reads and parses a targets file; messages name it by `path` as given.
///
/// # Errors
/// The file cannot be read or decoded, or anything [`parse`] reports.
pub fn load(path: &Path, reader: &Reader<'_>) -> Result<Vec<Target>, LoadError> {
    parse(&path.display().to_string(), &reader.read(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan's targets file parses from text, and a bad comparison names the file and
    /// the target.
    #[test]
    fn parse_reads_text_and_rejects_bad_comparisons() {
        let targets = parse("targets.toml", include_str!("../../../seeds/targets.toml"))
            .expect("the plan's targets parse");
        assert!(!targets.is_empty());
        let bad = "[[targets]]\nid = \"t\"\ndescription = \"d\"\nmetric = \"large_share\"\n\
                   comparison = \"<\"\nlimit = 0.0\nyear = 2020\nsource = \"s\"\n";
        let err = parse("t.toml", bad).expect_err("bad comparison");
        assert_eq!(
            err.to_string(),
            "t.toml: target t: comparison \"<\" is not <=, >= or =="
        );
    }
}
