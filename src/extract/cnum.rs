//! Chinese numerals as plain quantities: 三 → 3, 十余 → 10, 一百 → 100, 两三 → 2–3,
//! 百亿 → 10¹⁰, 二〇二一 → 2021, 半 → 0.5.
//!
//! Small and fully tested rather than a dependency: the crates that parse Chinese numerals
//! either reject the approximate forms news writes (两三, 四五) or pull in far more than needed.

/// Characters that can make up a Chinese numeral.
pub const NUMERAL_CHARS: &str = "零〇一二两三四五六七八九十百千万亿半";

/// First code point of the CJK Unified Ideographs block, where every numeral but `〇` lies.
const UNIFIED_START: u32 = 0x4E00;
/// One bit per code point of U+4E00..=U+9FFF.
const UNIFIED_WORDS: usize = (0x9FFF - 0x4E00 + 1) / 64;

/// The numerals of the unified block as a bitset: one load and a shift per character, where a
/// chain of comparisons cost a branch each (this runs on every character of every body).
static NUMERAL_BITS: [u64; UNIFIED_WORDS] = numeral_bits();

const fn numeral_bits() -> [u64; UNIFIED_WORDS] {
    let chars = [
        '零', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万',
        '亿', '半',
    ];
    let mut bits = [0u64; UNIFIED_WORDS];
    let mut i = 0;
    while i < chars.len() {
        let k = (chars[i] as u32 - UNIFIED_START) as usize;
        bits[k / 64] |= 1 << (k % 64);
        i += 1;
    }
    bits
}

/// True for a character that can be part of a Chinese numeral (one of [`NUMERAL_CHARS`]).
pub fn is_numeral_char(c: char) -> bool {
    let k = (c as u32).wrapping_sub(UNIFIED_START) as usize;
    match NUMERAL_BITS.get(k / 64) {
        Some(word) => word >> (k % 64) & 1 == 1,
        None => c == '〇',
    }
}

/// Byte ranges of the maximal runs of numeral characters in `text`, in order (what the
/// regex `[零〇一二两三四五六七八九十百千万亿半]+` finds), except that a bare 千 or 百 right
/// after 亿 or 万 opens a run of its own: 8个百亿千亩项目 holds 百亿 and 千亩 (a number goes on
/// after 亿 with a digit first: 一亿一千万).
pub fn numeral_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut it = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, mut prev) = loop {
            let (i, c) = it.next()?;
            if is_numeral_char(c) {
                break (i, c);
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = it.peek() {
            if !is_numeral_char(c) || (matches!(prev, '亿' | '万') && matches!(c, '千' | '百'))
            {
                end = i;
                break;
            }
            prev = c;
            it.next();
        }
        Some((start, end))
    })
}

fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A small whole number written in digits or in Chinese numerals (12, 十二, 二十八): a month,
/// a day, a count of months. `None` for anything else (半, 1.5, a range's upper end is dropped).
pub fn small_whole_number(s: &str) -> Option<u32> {
    s.parse().ok().or_else(|| {
        let (v, _) = parse(s)?;
        (v.fract() == 0.0 && v > 0.0 && v < f64::from(u16::MAX)).then_some(v as u32)
    })
}

/// Parses a Chinese numeral. Returns `(value, upper)` where `upper` is set for the
/// approximate ranges written as two adjacent digits (两三 → 2..3, 四五 → 4..5).
pub fn parse(s: &str) -> Option<(f64, Option<f64>)> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return None;
    }
    if s == "半" {
        return Some((0.5, None));
    }
    // two adjacent ascending digits: 两三, 三四, 四五 … 八九 (optionally with a multiplier after)
    if chars.len() >= 2 {
        if let (Some(a), Some(b)) = (digit(chars[0]), digit(chars[1])) {
            if a >= 1 && b == a + 1 {
                let rest: String = chars[2..].iter().collect();
                let mult = if rest.is_empty() {
                    1.0
                } else {
                    parse_multiplier(&rest)?
                };
                return Some((a as f64 * mult, Some(b as f64 * mult)));
            }
        }
    }
    // digit-by-digit form (二〇二一): only digits, at least one 〇/零
    if chars.iter().all(|&c| digit(c).is_some()) && chars.len() >= 2 {
        if chars.iter().any(|&c| c == '〇' || c == '零') {
            let mut v: u64 = 0;
            for &c in &chars {
                v = v.checked_mul(10)?.checked_add(digit(c)?)?;
            }
            return Some((v as f64, None));
        }
        return None;
    }
    parse_positional(&chars).map(|v| (v, None))
}

fn parse_multiplier(s: &str) -> Option<f64> {
    match s {
        "十" => Some(10.0),
        "百" => Some(100.0),
        "千" => Some(1_000.0),
        "万" => Some(10_000.0),
        "十万" => Some(100_000.0),
        "百万" => Some(1_000_000.0),
        "千万" => Some(10_000_000.0),
        "亿" => Some(100_000_000.0),
        _ => None,
    }
}

/// 一百二十三, 十五, 三千万, 百亿, 一万五千.
fn parse_positional(chars: &[char]) -> Option<f64> {
    let mut total: f64 = 0.0; // completed 亿 groups
    let mut section: f64 = 0.0; // completed 万 group
    let mut small: f64 = 0.0; // below 万
    let mut pending: Option<f64> = None;
    let mut any = false;
    for &c in chars {
        if let Some(d) = digit(c) {
            if pending.is_some() && d != 0 {
                return None; // two digits in a row without a unit: not positional
            }
            pending = if d == 0 { pending } else { Some(d as f64) };
            any = true;
            continue;
        }
        let unit = match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1_000.0,
            '万' => 10_000.0,
            '亿' => 100_000_000.0,
            _ => return None,
        };
        any = true;
        match c {
            '十' | '百' | '千' => {
                small += pending.take().unwrap_or(1.0) * unit;
            }
            '万' => {
                let v = small + pending.take().unwrap_or(0.0);
                section += if v == 0.0 { 1.0 } else { v } * unit;
                small = 0.0;
            }
            _ => {
                // 亿
                let v = section + small + pending.take().unwrap_or(0.0);
                total += if v == 0.0 { 1.0 } else { v } * unit;
                section = 0.0;
                small = 0.0;
            }
        }
    }
    if !any {
        return None;
    }
    Some(total + section + small + pending.unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    use super::{is_numeral_char, parse, NUMERAL_CHARS};

    #[test]
    fn numeral_bitset_is_the_numeral_list() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_numeral_char(c), NUMERAL_CHARS.contains(c), "{c:?}");
        }
    }

    #[test]
    fn plain_numbers() {
        let cases: &[(&str, f64)] = &[
            ("一", 1.0),
            ("两", 2.0),
            ("三", 3.0),
            ("十", 10.0),
            ("十二", 12.0),
            ("二十", 20.0),
            ("一百", 100.0),
            ("一百零五", 105.0),
            ("一百二十三", 123.0),
            ("三千", 3000.0),
            ("两千五百", 2500.0),
            ("一万五千", 15000.0),
            ("三万", 30000.0),
            ("百亿", 1e10),
            ("千亿", 1e11),
            ("五十亿", 5e9),
            ("一亿两千万", 1.2e8),
            ("二〇二一", 2021.0),
            ("半", 0.5),
        ];
        for &(s, v) in cases {
            assert_eq!(parse(s), Some((v, None)), "{s}");
        }
    }

    #[test]
    fn approximate_ranges() {
        assert_eq!(parse("两三"), Some((2.0, Some(3.0))));
        assert_eq!(parse("四五"), Some((4.0, Some(5.0))));
        assert_eq!(parse("七八"), Some((7.0, Some(8.0))));
        assert_eq!(parse("三四十"), Some((30.0, Some(40.0))));
        assert_eq!(parse("两三百"), Some((200.0, Some(300.0))));
    }

    #[test]
    fn numeral_chars_and_runs() {
        for c in ('\u{0}'..='\u{FFFF}').chain(['\u{20000}']) {
            assert_eq!(
                super::is_numeral_char(c),
                super::NUMERAL_CHARS.contains(c),
                "{c:?}"
            );
        }
        let re = regex::Regex::new(r"[零〇一二两三四五六七八九十百千万亿半]+").unwrap();
        for t in [
            "",
            "一",
            "三个关键环节,两三个月,一百二十三",
            "首个千亿元级产业a十",
            "abc",
            "二〇二一年半",
            "ab一二三",
            "一二三ab",
            "𠀀一𠀀十",
            "é三",
        ] {
            let ours: Vec<(usize, usize)> = super::numeral_runs(t).collect();
            let theirs: Vec<(usize, usize)> =
                re.find_iter(t).map(|m| (m.start(), m.end())).collect();
            assert_eq!(ours, theirs, "{t}");
        }
        // a bare 千 or 百 after 亿 or 万 opens a number of its own
        fn runs(t: &str) -> Vec<&str> {
            super::numeral_runs(t).map(|(s, e)| &t[s..e]).collect()
        }
        assert_eq!(runs("8个百亿千亩项目"), ["百亿", "千"]);
        assert_eq!(
            runs("一亿一千万,三万五千,千万"),
            ["一亿一千万", "三万五千", "千万"]
        );
    }

    #[test]
    fn not_numbers() {
        assert_eq!(parse(""), None);
        assert_eq!(parse("五三"), None);
        assert_eq!(parse("三三"), None);
    }
}
