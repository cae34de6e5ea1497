//! Why parameters or a scale were refused.

use std::fmt;

/// One problem in the parameters, naming the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The field, as a TOML path (`stages.primary.private`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Why parameters were refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParamsError {
    /// Not valid TOML, or a field missing, unknown or of the wrong type.
    #[error("{0}")]
    Parse(String),
    /// Fields with values out of range or inconsistent (every problem found).
    #[error("{} problem{} in the parameters:{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, list(.0))]
    Invalid(Vec<Problem>),
    /// The scale is not a positive finite number of at most 10.
    #[error("scale {0} is not a positive number of at most 10")]
    Scale(f64),
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("\n  {p}")).collect()
}
