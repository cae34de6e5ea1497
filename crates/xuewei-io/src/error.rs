//! The one error of loading: [`LoadError`], each naming the file, the place in it (line,
//! feature or key) and the field.

use crate::text::DecodeError;

/// One problem loading a file.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file cannot be read (missing, a directory, no permission).
    #[error("{path}: {message}")]
    Read {
        /// The path, as given.
        path: String,
        /// What the operating system said.
        message: String,
    },
    /// The file is not text xuewei reads (UTF-16, or neither UTF-8 nor GBK).
    #[error("{path}: {problem}")]
    Decode {
        /// The path, as given.
        path: String,
        /// What is wrong with its bytes.
        problem: DecodeError,
    },
    /// A JSON file is malformed, or a field has the wrong shape.
    #[error("{file}: line {line} column {column}: {message}")]
    Json {
        /// The file.
        file: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}
