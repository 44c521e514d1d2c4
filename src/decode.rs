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
    if let Some(utf16) = decode_utf16(bytes) {
        return utf16;
    }
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

/// UTF-16 text (Windows' "Unicode" save): by its byte-order mark, or without one by its
/// NUL bytes, which in UTF-16 fall on every other byte of ASCII characters (newlines,
/// digits, punctuation). `None` when the bytes are not UTF-16. The NUL bytes would otherwise
/// make such a page "binary".
fn decode_utf16(bytes: &[u8]) -> Option<Result<Decoded, DecodeError>> {
    let (encoding, body, by_bom) = if let Some(b) = bytes.strip_prefix(b"\xFF\xFE") {
        (encoding_rs::UTF_16LE, b, true)
    } else if let Some(b) = bytes.strip_prefix(b"\xFE\xFF") {
        (encoding_rs::UTF_16BE, b, true)
    } else {
        let head = &bytes[..bytes.len().min(8192) & !1];
        let nul_at = |parity: usize| {
            head.iter()
                .enumerate()
                .filter(|&(i, &b)| b == 0 && i % 2 == parity)
                .count()
        };
        let (even, odd) = (nul_at(0), nul_at(1));
        // ASCII in UTF-16LE is `c 0`, in UTF-16BE `0 c`: NULs on one side only
        let pairs = head.len() / 2;
        if pairs == 0 || (even + odd) * 8 < pairs {
            return None;
        }
        if odd > even * 20 {
            (encoding_rs::UTF_16LE, bytes, false)
        } else if even > odd * 20 {
            (encoding_rs::UTF_16BE, bytes, false)
        } else {
            return None;
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors || body.len() % 2 != 0 || !plausible_text(&text) {
        // with a byte-order mark it meant to be UTF-16; without one it may be anything
        return by_bom.then_some(Err(DecodeError::Undecodable));
    }
    if text.chars().all(char::is_whitespace) {
        return Some(Err(DecodeError::Empty));
    }
    Some(Ok(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        warnings: Vec::new(),
    }))
}

/// Text a page could be: no control characters but whitespace, and mostly CJK or printable
/// ASCII.
fn plausible_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut common = 0usize;
    for c in text.chars() {
        if c.is_control() && !c.is_whitespace() {
            return false;
        }
        if !c.is_whitespace() {
            total += 1;
            common += usize::from(
                ('\u{4E00}'..='\u{9FFF}').contains(&c)
                    || c.is_ascii_graphic()
                    || ('\u{3000}'..='\u{303F}').contains(&c)
                    || ('\u{FF00}'..='\u{FFEF}').contains(&c),
            );
        }
    }
    total > 0 && common * 10 >= total * 7
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
    fn utf16_with_or_without_a_byte_order_mark_is_decoded() {
        let le: Vec<u8> = PAGE.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = PAGE.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, name) in [
            ([&b"\xFF\xFE"[..], &le].concat(), "UTF-16LE"),
            ([&b"\xFE\xFF"[..], &be].concat(), "UTF-16BE"),
            (le.clone(), "UTF-16LE"),
            (be.clone(), "UTF-16BE"),
        ] {
            let d = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!((d.text.as_str(), d.encoding), (PAGE, name));
        }
        // a byte-order mark before what is not UTF-16 text
        assert_eq!(
            decode(b"\xFF\xFE\x01\x00\x02"),
            Err(DecodeError::Undecodable)
        );
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
