//! The parameters of a synthetic city (`seeds/zhengzhou.toml`, TOML; every field documented
//! there) → validated [`Params`].
//!
//! ```
//! let text = include_str!("../../../../seeds/zhengzhou.toml");
//! let params = xuewei_io::synth::params::parse("zhengzhou.toml", text)?;
//! assert_eq!(params.base_year, 2015);
//! let bad = text.replace("count = 20", "count = 21");
//! let e = xuewei_io::synth::params::parse("zhengzhou.toml", &bad).unwrap_err();
//! assert_eq!(
//!     e.to_string(),
//!     "zhengzhou.toml: 1 problem in the parameters:\n  \
//!      xuequ.count: is 21 but the urban districts' xuequ sum to 20"
//! );
//! # Ok::<(), xuewei_io::LoadError>(())
//! ```

use std::path::Path;

use xuewei_synth::Params;

use crate::error::LoadError;
use crate::text::Reader;

/// Parses and validates the text of a parameters file; `file` names it in messages.
///
/// # Errors
/// Malformed TOML, or a field missing, unknown or of the wrong type ([`LoadError::Toml`]);
/// every field out of range or inconsistent ([`LoadError::SynthParams`]).
pub fn parse(file: &str, text: &str) -> Result<Params, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let params: Params = toml::from_str(text).map_err(|e| LoadError::Toml {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    params
        .validate()
        .map_err(|problems| LoadError::SynthParams {
            file: file.to_owned(),
            problems,
        })?;
    Ok(params)
}

/// Reads, parses and validates a parameters file; messages name it by `path` as given.
///
/// # Errors
/// The file cannot be read or decoded, or anything [`parse`] reports.
pub fn load(path: &Path, reader: &Reader<'_>) -> Result<Params, LoadError> {
    parse(&path.display().to_string(), &reader.read(path)?)
}

#[cfg(test)]
mod tests {
    use xuewei_synth::Kind;

    use super::*;

    const SEED: &str = include_str!("../../../../seeds/zhengzhou.toml");

    #[test]
    fn the_seed_parameters_are_valid() {
        let p = parse("zhengzhou.toml", SEED).expect("valid");
        assert_eq!(p.districts.len(), 15);
        assert_eq!(
            p.districts.iter().filter(|d| d.kind == Kind::Urban).count(),
            9
        );
    }

    /// A field the parameters do not have is refused by name, with the file.
    #[test]
    fn unknown_fields_are_refused() {
        let text = SEED.replace("base_year = 2015", "base_year = 2015\ncolour = 1");
        let err = parse("zz.toml", &text).expect_err("unknown field");
        assert!(
            matches!(err, LoadError::Toml { ref file, ref message }
                if file == "zz.toml" && message.contains("colour")),
            "{err}"
        );
    }

    /// Every out-of-range field is listed, under the file's name.
    #[test]
    fn every_invalid_field_is_reported() {
        let text = SEED
            .replace("private = 88", "private = 935")
            .replace("count = 20", "count = 21");
        let err = parse("zz.toml", &text).expect_err("invalid");
        let LoadError::SynthParams { ref problems, .. } = err else {
            panic!("{err}");
        };
        assert_eq!(problems.len(), 2, "{err}");
        assert!(
            err.to_string()
                .starts_with("zz.toml: 2 problems in the parameters:\n  "),
            "{err}"
        );
    }
}
