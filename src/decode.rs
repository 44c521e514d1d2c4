//! Stage 2: bytes to text.
//!
//! UTF-8 (with or without a byte-order mark) is tried first; a file that is not valid UTF-8 is
//! decoded as GB18030, the legacy encoding of Chinese pages, when that decodes cleanly and
//! yields Chinese text. A UTF-8 file cut in the middle of its last character keeps its valid
//! part with a warning rather than being misread as GB18030. The decoded text (BOM removed) is
//! the coordinate system of every offset in the output.

use std::fmt;

/// Why a file's bytes could not be turned into text. Callers list these in `rejected.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file has no bytes (or only a BOM / whitespace).
    Empty,
    /// The bytes look like binary data (NUL or control bytes).
    Binary,
    /// Neither UTF-8 nor GB18030 decodes the bytes.
    Undecodable,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "empty file: no text to process"),
            DecodeError::Binary => write!(f, "binary data, not a text page"),
            DecodeError::Undecodable => {
                write!(f, "not decodable as UTF-8 or GB18030")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    /// Short machine-readable code for the `rejected.csv` `kind` column.
    pub fn code(&self) -> &'static str {
        match self {
            DecodeError::Empty => "empty",
            DecodeError::Binary => "binary",
            DecodeError::Undecodable => "undecodable",
        }
    }
}

/// Decoded text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM.
    pub text: String,
    /// `UTF-8` or `GB18030`.
    pub encoding: &'static str,
    /// Non-fatal problems (truncated final character).
    pub warnings: Vec<String>,
}

/// Decodes a file's bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if looks_binary(body) {
        return Err(DecodeError::Binary);
    }
    match std::str::from_utf8(body) {
        Ok(s) => Ok(Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
            warnings: Vec::new(),
        }),
        Err(e) => {
            // Valid UTF-8 up to an incomplete sequence at the very end: a truncated file.
            if e.error_len().is_none() && e.valid_up_to() > 0 {
                let valid = &body[..e.valid_up_to()];
                let text = String::from_utf8_lossy(valid).into_owned();
                return Ok(Decoded {
                    text,
                    encoding: "UTF-8",
                    warnings: vec![format!(
                        "truncated UTF-8: the last {} byte(s) are an incomplete character and were dropped",
                        body.len() - e.valid_up_to()
                    )],
                });
            }
            decode_gb18030(body)
        }
    }
}

fn decode_gb18030(body: &[u8]) -> Result<Decoded, DecodeError> {
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(body);
    if had_errors {
        return Err(DecodeError::Undecodable);
    }
    // Random bytes sometimes decode as GB18030; real pages are mostly common CJK characters.
    let total = text.chars().filter(|c| !c.is_whitespace()).count();
    let cjk = text
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c) || c.is_ascii_graphic())
        .count();
    if total == 0 || cjk * 10 < total * 7 {
        return Err(DecodeError::Undecodable);
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: "GB18030",
        warnings: Vec::new(),
    })
}

/// NUL bytes or many C0 control bytes (other than tab, newline, carriage return, form feed)
/// in the first 8 KiB mark a binary file.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let ctrl = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    ctrl * 50 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "广州高新区28个硬招提速“工业快批”\n\n8月22日,广州高新区举行新闻发布会。";

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode(PAGE.as_bytes()).unwrap();
        assert_eq!(d.text, PAGE);
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(PAGE.as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!(d.text, PAGE, "BOM is not part of the text");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn gb18030_is_decoded() {
        let (bytes, _, _) = encoding_rs::GB18030.encode(PAGE);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, PAGE);
    }

    #[test]
    fn truncated_utf8_keeps_the_valid_part() {
        let b = PAGE.as_bytes();
        let cut = &b[..b.len() - 1];
        let d = decode(cut).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(PAGE.starts_with(&d.text));
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF \n"), Err(DecodeError::Empty));
        assert_eq!(
            decode(&[0u8, 1, 2, 3, 0xff, 0xfe]),
            Err(DecodeError::Binary)
        );
        let noise: Vec<u8> = (0..4000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(decode(&noise).is_err());
    }
}
