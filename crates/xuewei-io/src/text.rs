//! Text decoding, the one decoder of every loader and of the command line.
//!
//! - UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8" writes one): the mark is
//!   dropped.
//! - Otherwise GBK (GB 18030), as Chinese Excel exports are: read, with a [`Warning`].
//! - UTF-16 (Excel's "Unicode text") is refused by name rather than read as garbage, and so
//!   are bytes that are neither UTF-8 nor GBK.
//!
//! ```
//! use xuewei_io::text::{decode, DecodeError, Encoding};
//! let utf8 = decode("\u{feff}id,name\n".as_bytes().to_vec())?;
//! assert_eq!((utf8.text.as_str(), utf8.encoding), ("id,name\n", Encoding::Utf8));
//! // "第一小学" in GBK.
//! let gbk = decode(vec![0xb5, 0xda, 0xd2, 0xbb, 0xd0, 0xa1, 0xd1, 0xa7])?;
//! assert_eq!((gbk.text.as_str(), gbk.encoding), ("第一小学", Encoding::Gb18030));
//! assert_eq!(decode(vec![0xff, 0xfe, b'i', 0]), Err(DecodeError::Utf16));
//! # Ok::<(), DecodeError>(())
//! ```

use std::fmt;
use std::path::Path;

pub use crate::error::DecodeError;
use crate::error::LoadError;

/// How a file's bytes were read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8 (a byte-order mark, if any, dropped).
    Utf8,
    /// GBK / GB 18030: the bytes were not UTF-8.
    Gb18030,
}

/// A file's text and how it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding it was read in.
    pub encoding: Encoding,
}

/// Decodes a file's bytes: UTF-8 (a byte-order mark dropped), else GBK (GB 18030).
///
/// # Errors
/// [`DecodeError::Utf16`] for UTF-16 text, [`DecodeError::Undecodable`] for bytes that are
/// neither UTF-8 nor GBK.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(DecodeError::Utf16);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_owned(),
                None => text,
            },
            encoding: Encoding::Utf8,
        }),
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
            if had_errors {
                return Err(DecodeError::Undecodable);
            }
            Ok(Decoded {
                text: text.into_owned(),
                encoding: Encoding::Gb18030,
            })
        }
    }
}

/// Something a reader of files should be told, though the file was read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// The file was not UTF-8 and was read as GBK.
    Gbk {
        /// The file, as given.
        path: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Gbk { path } => write!(f, "{path}: not UTF-8; read as GBK (GB 18030)"),
        }
    }
}

/// Reads text files with [`decode`], handing each [`Warning`] to a callback (the command
/// line prints them on stderr). Every loader of this crate that takes a path reads through
/// one.
///
/// ```
/// use std::cell::RefCell;
/// use xuewei_io::text::{Reader, Warning};
/// let seen = RefCell::new(Vec::new());
/// let note = |w: &Warning| seen.borrow_mut().push(w.to_string());
/// let reader = Reader::new(&note);
/// let err = reader.read("no/such/file.csv".as_ref()).unwrap_err();
/// assert!(err.to_string().starts_with("no/such/file.csv: "), "{err}");
/// assert!(seen.borrow().is_empty());
/// ```
#[derive(Clone, Copy)]
pub struct Reader<'w> {
    warn: &'w dyn Fn(&Warning),
}

impl fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader").finish_non_exhaustive()
    }
}

fn ignore(_: &Warning) {}

impl Default for Reader<'static> {
    /// A reader that drops its warnings.
    fn default() -> Self {
        Reader { warn: &ignore }
    }
}

/// The name of a file in messages of loaders that name files by their file name: the file
/// name, or the path when it has none.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl<'w> Reader<'w> {
    /// A reader that tells `warn` about every file read as GBK.
    #[must_use]
    pub fn new(warn: &'w dyn Fn(&Warning)) -> Self {
        Reader { warn }
    }

    /// Reads and decodes a file.
    ///
    /// # Errors
    /// [`LoadError::Read`] when the file cannot be read, [`LoadError::Decode`] when it is
    /// not UTF-8 or GBK text; both name the path as given.
    pub fn read(&self, path: &Path) -> Result<String, LoadError> {
        let bytes = std::fs::read(path).map_err(|e| LoadError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let decoded = decode(bytes).map_err(|problem| LoadError::Decode {
            path: path.display().to_string(),
            problem,
        })?;
        if decoded.encoding == Encoding::Gb18030 {
            (self.warn)(&Warning::Gbk {
                path: path.display().to_string(),
            });
        }
        Ok(decoded.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_a_byte_order_mark() {
        for bytes in ["a,b\n".as_bytes().to_vec(), b"\xef\xbb\xbfa,b\n".to_vec()] {
            assert_eq!(
                decode(bytes),
                Ok(Decoded {
                    text: "a,b\n".into(),
                    encoding: Encoding::Utf8
                })
            );
        }
    }

    #[test]
    fn utf16_and_undecodable_bytes_are_refused() {
        assert_eq!(decode(vec![0xfe, 0xff, 0, b'a']), Err(DecodeError::Utf16));
        // 0xff is never a GB 18030 byte.
        assert_eq!(decode(vec![b'a', 0xff]), Err(DecodeError::Undecodable));
    }
}
