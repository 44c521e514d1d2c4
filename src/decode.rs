//! Stage 2: bytes to text.
//!
//! UTF-16 is recognised by its byte-order mark or its NUL bytes; then UTF-8 (with or without a
//! byte-order mark) is tried. A file that is not valid UTF-8 is in a legacy encoding, and
//! legacy encodings decode almost any bytes without an error (Shift-JIS Japanese reads as
//! GB18030 rare characters), so the encoding is first guessed from the bytes by `chardetng`
//! (Firefox's detector): GBK/GB18030 (simplified Chinese) and Big5 (traditional) are decoded
//! when that yields Chinese text; any other guess (Shift-JIS, EUC-KR, a Western code page) is
//! refused with the likely encoding named. A UTF-8 file cut in the middle of its last
//! character keeps its valid part with a warning rather than being misread as GB18030.
//!
//! A web page saved as text with its markup (HTML) is refused too: its style sheets and
//! scripts would give figures (`font-size:14px`) and its tags would break every article.
//!
//! The decoded text (BOM removed) is the coordinate system of every offset in the output.

use std::fmt;

use crate::lexicon::floor_char_boundary;

/// Why a file's bytes could not be turned into text. Callers list these in `rejected.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file has no bytes (or only a BOM / whitespace).
    Empty,
    /// The bytes look like binary data (NUL or control bytes).
    Binary,
    /// Neither UTF-8 nor GB18030 decodes the bytes.
    Undecodable,
    /// The bytes look like text in a legacy encoding that is not Chinese (named: the
    /// detector's guess, such as `Shift_JIS`).
    NotChinese(&'static str),
    /// An HTML document (markup, style sheets, scripts), not a text page.
    Html,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "empty file: no text to process"),
            DecodeError::Binary => write!(f, "binary data, not a text page"),
            DecodeError::Undecodable => {
                write!(f, "not decodable as UTF-8 or GB18030")
            }
            DecodeError::NotChinese(encoding) => write!(
                f,
                "not Chinese text: the bytes look like {encoding}{}; zonefacts reads UTF-8, \
                 UTF-16, GB18030 and Big5",
                language_of(encoding).map_or(String::new(), |l| format!(" ({l})"))
            ),
            DecodeError::Html => write!(
                f,
                "an HTML document (markup, not a text page): save the page as text, or strip \
                 its markup, before it is read"
            ),
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
            DecodeError::NotChinese(_) => "not_chinese",
            DecodeError::Html => "html",
        }
    }
}

/// Decoded text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM.
    pub text: String,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE`, `GB18030` or `Big5`.
    pub encoding: &'static str,
    /// Non-fatal problems (truncated final character).
    pub warnings: Vec<String>,
}

/// Decodes a file's bytes into the text of a page.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let decoded = decode_text(bytes)?;
    if looks_like_html(&decoded.text) {
        return Err(DecodeError::Html);
    }
    Ok(decoded)
}

fn decode_text(bytes: &[u8]) -> Result<Decoded, DecodeError> {
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
    // (simdutf8's check gives std's answer, error position included, several times faster on
    // Chinese text, where std's validation was 1.2 % of extraction's instructions)
    match simdutf8::compat::from_utf8(body) {
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
            decode_legacy(body)
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
        // (NULs are found with memchr: most files have none, and counting them byte by byte
        // cost more than anything else in decoding but the UTF-8 check)
        let (mut even, mut odd) = (0usize, 0usize);
        for i in memchr::memchr_iter(0, head) {
            *if i % 2 == 0 { &mut even } else { &mut odd } += 1;
        }
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

/// Bytes in a legacy (non-Unicode) encoding: the detector's guess decides which, and only
/// the Chinese ones are read.
fn decode_legacy(body: &[u8]) -> Result<Decoded, DecodeError> {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(body, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (encoding, name) = if guess == encoding_rs::GBK || guess == encoding_rs::GB18030 {
        // GB18030 is GBK's superset (its four-byte sequences included)
        (encoding_rs::GB18030, "GB18030")
    } else if guess == encoding_rs::BIG5 {
        (encoding_rs::BIG5, "Big5")
    } else {
        return Err(DecodeError::NotChinese(guess.name()));
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(DecodeError::Undecodable);
    }
    // Random bytes sometimes decode; real pages are mostly common CJK characters.
    if !plausible_text(&text) {
        return Err(DecodeError::Undecodable);
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: name,
        warnings: Vec::new(),
    })
}

/// The language a legacy encoding is for, to say in a rejection.
fn language_of(encoding: &str) -> Option<&'static str> {
    Some(match encoding {
        "Shift_JIS" | "EUC-JP" | "ISO-2022-JP" => "Japanese",
        "EUC-KR" => "Korean",
        "windows-1252" | "ISO-8859-2" | "windows-1250" => "a Western or Central European code page",
        "windows-1251" | "KOI8-U" | "IBM866" | "ISO-8859-5" => "Cyrillic",
        "windows-1253" | "ISO-8859-7" => "Greek",
        "windows-1254" => "Turkish",
        "windows-1255" | "ISO-8859-8" => "Hebrew",
        "windows-1256" | "ISO-8859-6" => "Arabic",
        "windows-1257" | "ISO-8859-4" | "ISO-8859-13" => "Baltic",
        "windows-1258" => "Vietnamese",
        "windows-874" => "Thai",
        _ => return None,
    })
}

/// An HTML document rather than text: it opens with a doctype or an `<html>` / `<head>` tag,
/// or markup is a fair share of its opening 8 KiB (many element tags, closing tags among
/// them). A page that quotes a tag or two is text.
fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let window = &start[..floor_char_boundary(start, 8192)];
    let head = window[..floor_char_boundary(window, 1024)].to_ascii_lowercase();
    if ["<!doctype html", "<html", "<head"]
        .iter()
        .any(|p| head.starts_with(p))
        || (head.starts_with("<?xml") && head.contains("<html"))
    {
        return true;
    }
    let mut tags = 0usize;
    let mut closing = 0usize;
    let mut markup = 0usize;
    let bytes = window.as_bytes();
    let mut i = 0;
    // from one `<` to the next (memchr: most pages have none)
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]) {
        i += lt;
        let rest = &bytes[i + 1..];
        let close = rest.first() == Some(&b'/');
        let name = &rest[usize::from(close)..];
        let len = name
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let element = std::str::from_utf8(&name[..len]).map(str::to_ascii_lowercase);
        if element.is_ok_and(|e| HTML_ELEMENTS.contains(&e.as_str())) {
            if let Some(end) = rest.iter().position(|&b| b == b'>') {
                tags += 1;
                closing += usize::from(close);
                markup += end + 2;
                i += end + 2;
                continue;
            }
        }
        i += 1;
    }
    tags >= 8 && closing >= 2 && markup * 5 >= window.len()
}

/// HTML elements whose tags mark a document as markup.
const HTML_ELEMENTS: &[&str] = &[
    "a", "body", "br", "div", "em", "font", "h1", "h2", "h3", "h4", "head", "html", "img", "li",
    "link", "meta", "p", "script", "span", "strong", "style", "table", "td", "title", "tr", "ul",
];

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

    /// Text of a page in another language, written for this test.
    const JAPANESE: &str =
        "東京の新しい技術開発区は、今年の投資額が前年より12%増えたと発表した。\n\
        区内の企業はおよそ三百社で、そのうち半分はソフトウェアの会社である。\n";
    const KOREAN: &str =
        "서울의 새로운 기술 개발 구역은 올해 투자액이 작년보다 12% 늘었다고 밝혔다.\n";
    const TRADITIONAL: &str = "蘇州高新區今年新增企業120家,總投資達到35億元。\n\n\
        園區管理委員會表示,將繼續擴大對外開放。\n";

    #[test]
    fn japanese_and_korean_in_legacy_encodings_are_refused_by_name() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(JAPANESE);
        // the bytes GB18030 would have taken without an error
        assert!(!encoding_rs::GB18030.decode_without_bom_handling(&sjis).1);
        let e = decode(&sjis).unwrap_err();
        assert_eq!(e, DecodeError::NotChinese("Shift_JIS"));
        assert_eq!(e.code(), "not_chinese");
        assert!(e.to_string().contains("Shift_JIS (Japanese)"), "{e}");
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode(KOREAN);
        assert_eq!(decode(&euc_kr), Err(DecodeError::NotChinese("EUC-KR")));
    }

    #[test]
    fn big5_traditional_chinese_is_decoded() {
        let (big5, _, _) = encoding_rs::BIG5.encode(TRADITIONAL);
        let d = decode(&big5).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (TRADITIONAL, "Big5"));
    }

    #[test]
    fn html_documents_are_refused_and_a_quoted_tag_is_not_html() {
        let page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>新闻</title>\
            <style>body{font-size:14px;margin:0 20px}</style></head><body><div class=\"main\">\
            <p>广州高新区举行新闻发布会。</p></div></body></html>\n";
        assert_eq!(decode(page.as_bytes()), Err(DecodeError::Html));
        let (gbk, _, _) = encoding_rs::GB18030.encode(page);
        assert_eq!(decode(&gbk), Err(DecodeError::Html));
        // a fragment without a doctype: markup is most of it
        let fragment =
            "<div class=\"nav\"><a href=\"/\">首页</a><a href=\"/news\">新闻</a></div>\n\
            <div class=\"content\"><p>8月22日,广州高新区举行新闻发布会。</p>\
            <p>会上发布了28条措施。</p><span>来源:广州日报</span></div>\n";
        assert_eq!(decode(fragment.as_bytes()), Err(DecodeError::Html));
        // text that mentions a tag is text
        let text = format!("{PAGE}\n网页中的换行用<br>标签表示,段落用<p>标签。\n");
        assert!(decode(text.as_bytes()).is_ok());
    }
}
