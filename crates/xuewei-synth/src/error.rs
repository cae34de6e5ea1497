//! Why parameters or a scale were refused.

use std::fmt;

use xuewei_core::Problems;

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

/// Every problem of a set of parameters is listed (`2 problems in the parameters:` and one
/// field a line).
impl xuewei_core::Problem for Problem {
    const SUBJECT: &'static str = "in the parameters:";
}

/// Every problem found in one set of parameters (never empty when returned as an error).
pub type ParamsProblems = Problems<Problem>;

/// Why parameters or a scale were refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParamsError {
    /// Fields with values out of range or inconsistent (every problem found).
    #[error(transparent)]
    Invalid(#[from] ParamsProblems),
    /// The scale is not a positive finite number of at most 10.
    #[error("scale {0} is not a positive number of at most 10")]
    Scale(f64),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(field: &str, message: &str) -> Problem {
        Problem {
            field: field.to_owned(),
            message: message.to_owned(),
        }
    }

    /// The list's message: a count line, then one field a line.
    #[test]
    fn every_problem_is_listed_under_a_count() {
        let one = ParamsError::Invalid(Problems(vec![problem("a.b", "is not positive")]));
        assert_eq!(
            one.to_string(),
            "1 problem in the parameters:\n  a.b: is not positive"
        );
        let two = ParamsError::Invalid(Problems(vec![
            problem("a", "x"),
            problem("districts[0] (中原区).rect", "y"),
        ]));
        assert_eq!(
            two.to_string(),
            "2 problems in the parameters:\n  a: x\n  districts[0] (中原区).rect: y"
        );
    }
}
