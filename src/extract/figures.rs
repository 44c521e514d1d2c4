//! Figures: quantities stated with their unit (28条, 139.26公顷, 超17亿元, 近2/3, 20-50年,
//! 两三个月), with the value in the base unit, the range's upper end and the qualifier.
//!
//! Not figures (GUIDELINES.md): calendar dates and clock times (2021年, 8月22日, 11:31), spans
//! of years (2005年-2024年), plan and congress names (十四五, 二十届三中全会), version labels
//! (3.0, 工业4.0), product and model names (5G-A, H20, 3D打印, T+2), ordinals (第一批, 首个),
//! numbers inside slogans in quotes and inside 《》 titles. Units come from the config's unit
//! lexicon, so a number without a known unit is never reported.

use std::sync::LazyLock;

use regex::Regex;

use super::cnum;
use crate::lexicon::{floor_char_boundary, is_han, Lexicon, Unit};
use crate::model::Qualifier;

/// A figure found in a piece of normalized text (byte offsets into that text).
#[derive(Debug, Clone, PartialEq)]
pub struct FoundFigure {
    /// Start of the figure's text, qualifier words included.
    pub start: usize,
    /// End of the figure's text, qualifier words included.
    pub end: usize,
    /// Start of the number itself.
    pub num_start: usize,
    /// End of the unit (before any trailing qualifier).
    pub unit_end: usize,
    /// Value in the base unit.
    pub value: f64,
    /// Upper end of a range.
    pub value_max: Option<f64>,
    /// Canonical unit.
    pub unit: String,
    /// Unit class.
    pub unit_kind: String,
    /// Qualifier, if stated.
    pub qualifier: Option<Qualifier>,
    /// Written with Arabic digits.
    pub arabic: bool,
}

static ARABIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?").expect("static regex"));
static CN_FRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([一二两三四五六七八九十百]+)分之([一二两三四五六七八九十]+)")
        .expect("static regex")
});

/// Multipliers that may follow an Arabic number before the unit, longest first.
const MULTIPLIERS: &[(&str, u32)] = &[
    ("万亿", 12),
    ("千亿", 11),
    ("百亿", 10),
    ("十亿", 9),
    ("亿", 8),
    ("千万", 7),
    ("百万", 6),
    ("十万", 5),
    ("万", 4),
    ("千", 3),
];

/// Range separators between two numbers (20-50年, 4——6个月, 20%至30%).
const RANGE_SEPS: &[&str] = &["——", "—", "–", "-", "~", "至", "到"];

/// Characters after which a number is part of a model or product name (H20, T+2, O2O).
fn glued_to_code(text: &str, num_start: usize) -> bool {
    let mut back = text[..num_start].chars().rev();
    match back.next() {
        Some(c) if c.is_ascii_alphanumeric() || c == '.' => true,
        Some('+' | '-' | '/' | '·') => back.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        _ => false,
    }
}

/// Finds every figure in `text`, in reading order.
pub fn find_figures(text: &str, lex: &Lexicon) -> Vec<FoundFigure> {
    let protected = merge(protected_ranges(text, lex));
    // binary searches keep this linear-logarithmic on pages that are one long line
    let in_protected = |pos: usize| {
        let i = protected.partition_point(|&(s, _)| s <= pos);
        i > 0 && pos < protected[i - 1].1
    };
    let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let overlaps = |taken: &std::collections::BTreeMap<usize, usize>, s: usize, e: usize| {
        taken
            .range(..e)
            .next_back()
            .is_some_and(|(_, &end)| end > s)
    };
    let mut out: Vec<FoundFigure> = Vec::new();
    let mut consumed = 0usize;
    for m in ARABIC.find_iter(text) {
        if m.start() < consumed || in_protected(m.start()) {
            continue;
        }
        if glued_to_code(text, m.start()) {
            continue;
        }
        let ordinal = text[..m.start()].ends_with('第');
        // the next number of a list of ranks (位居第43、52、108): a rank too
        let next_in_ranks = out
            .last()
            .is_some_and(|f| f.unit_kind == "rank" && text.get(f.end..m.start()) == Some("、"));
        // 第16名, 排名第7位, 位居第43, 综合排名33, 进入全国50强: a rank; other ordinals
        // (第3批) are not figures
        let rank = rank_figure(text, m.start(), m.end(), ordinal, next_in_ranks, lex)
            .or_else(|| top_rank_figure(text, m.start(), m.end(), lex));
        if let Some(f) = rank {
            consumed = f.end;
            taken.insert(f.start, f.end);
            out.push(f);
            continue;
        }
        if ordinal {
            continue;
        }
        if let Some(f) = arabic_figure(text, m.start(), m.end(), lex) {
            consumed = f.end;
            taken.insert(f.start, f.end);
            out.push(f);
        }
    }
    // every match holds the literal 分之: most texts need no regex search at all
    let fractions = if text.contains("分之") {
        Some(CN_FRACTION.captures_iter(text))
    } else {
        None
    };
    for m in fractions.into_iter().flatten() {
        let all = m.get(0).expect("group 0");
        if in_protected(all.start()) || overlaps(&taken, all.start(), all.end()) {
            continue;
        }
        let (Some((d, None)), Some((n, None))) = (cnum::parse(&m[1]), cnum::parse(&m[2])) else {
            continue;
        };
        if d == 0.0 || n > d {
            continue;
        }
        let (start, pre_q) = qualifier_before(text, all.start(), lex);
        let percent = Unit {
            surface: String::new(),
            unit: "%".into(),
            kind: "percent".into(),
            chinese_only: false,
            scale: 1.0,
            lead_words: Vec::new(),
        };
        let (end, post_q) = qualifier_after(text, all.end(), &percent, lex);
        let qualifier = pre_q.or(post_q);
        taken.insert(start, end);
        out.push(FoundFigure {
            start,
            end,
            num_start: all.start(),
            unit_end: all.end(),
            value: round2(n / d * 100.0),
            value_max: None,
            unit: "%".into(),
            unit_kind: "percent".into(),
            qualifier,
            arabic: false,
        });
    }
    for (ms, me) in cnum::numeral_runs(text) {
        if in_protected(ms) || overlaps(&taken, ms, me) {
            continue;
        }
        if let Some(f) = chinese_figure(text, ms, me, lex) {
            if !overlaps(&taken, f.start, f.end) {
                taken.insert(f.start, f.end);
                out.push(f);
            }
        }
    }
    out.sort_by_key(|f| f.start);
    out
}

/// A position in a ranking, in the unit 位: `第16名`, `第7位` (an ordinal with a rank unit), and
/// a number right after a ranking word with or without 第 and a rank unit (`位居第43`,
/// `综合排名33`, `排名24名`). A number with another unit after a ranking word (排名2021年) is
/// not a rank. `next_in_list` says the number follows a rank and `、` (位居第43、52).
fn rank_figure(
    text: &str,
    ns: usize,
    ne: usize,
    ordinal: bool,
    next_in_list: bool,
    lex: &Lexicon,
) -> Option<FoundFigure> {
    let start = if ordinal { ns - '第'.len_utf8() } else { ns };
    let unit_len = ["名", "位"]
        .iter()
        .find(|u| text[ne..].starts_with(**u))
        .map(|u| u.len());
    let after_ranking_word = || {
        let head = text[..start].strip_suffix(' ').unwrap_or(&text[..start]);
        next_in_list
            || lex
                .rank_lead_words
                .iter()
                .any(|w| head.ends_with(w.as_str()))
    };
    // 排名分别是:长沙高新区33名、长沙经开区38名: a 名 or 位 that closes its item, in a
    // clause a ranking word opened, is a place in that ranking (100名员工 counts people;
    // 排名第5,引进人才100名 is another clause)
    let ranked_item = |len: usize| {
        let closes = text[ne + len..].chars().next().is_none_or(|c| !is_han(c));
        let head = &text[floor_char_boundary(text, start.saturating_sub(RANK_CLAUSE_BYTES))..start];
        let clause = head
            .rfind(['。', ';', '!', '?', '\n', ',', ','])
            .map_or(head, |i| &head[i..]);
        closes
            && lex
                .rank_lead_words
                .iter()
                .any(|w| clause.contains(w.as_str()))
    };
    // 进入全国前100名: the top of a ranking (前30名名单 names a list)
    let names_a_list = |len: usize| {
        let rest = &text[ne + len..];
        rest.starts_with('单') || rest.starts_with("名单")
    };
    let top_of_ranking =
        |len: usize| len == '名'.len_utf8() && text[..start].ends_with('前') && !names_a_list(len);
    // 较上年度的88名, 上升了14名: a 名 after a word that places it, in a sentence about a
    // ranking, is a place in it (共有2850名客商 counts people and follows no such word)
    let placed_in_ranking = |len: usize| {
        len == '名'.len_utf8()
            && !names_a_list(len)
            && lex
                .rank_place_leads
                .iter()
                .any(|w| text[..start].ends_with(w.as_str()))
            && {
                let head = &text
                    [floor_char_boundary(text, start.saturating_sub(RANK_CLAUSE_BYTES))..start];
                let sentence = head
                    .rfind(['。', '!', '?', '\n'])
                    .map_or(head, |i| &head[i..]);
                lex.ranking_sentence_words
                    .iter()
                    .any(|w| sentence.contains(w.as_str()))
            }
    };
    let unit_len = match unit_len {
        Some(len)
            if ordinal
                || after_ranking_word()
                || ranked_item(len)
                || top_of_ranking(len)
                || placed_in_ranking(len) =>
        {
            len
        }
        None if after_ranking_word()
            && !text[ne..].starts_with(['.', '%', '%'])
            && lex.unit_at(&text[ne..], false).is_none() =>
        {
            0
        }
        _ => return None,
    };
    let value: f64 = text[ns..ne].parse().ok()?;
    // the span of 前N名 holds its 前
    let start = if !ordinal && top_of_ranking(unit_len) {
        start - '前'.len_utf8()
    } else {
        start
    };
    Some(rank(start, ns, ne + unit_len, value))
}

/// `进入全国50强`, `跻身30强行列`: the zone's rank as a place in a top list (the unit 位), when
/// a rank verb opens the clause; `世界500强企业` names a list and is no figure.
fn top_rank_figure(text: &str, ns: usize, ne: usize, lex: &Lexicon) -> Option<FoundFigure> {
    let rest = text[ne..].strip_prefix('强')?;
    // 进入前30强的国家级经开区: `前N强` is the top of a list even before 的
    let top = text[..ns].ends_with('前');
    let closes = match rest.chars().next() {
        None => true,
        Some(c) => {
            !is_han(c) || ["行列", "之列"].iter().any(|w| rest.starts_with(w)) || (top && c == '的')
        }
    };
    if !closes {
        return None;
    }
    let head = &text[floor_char_boundary(text, ns.saturating_sub(TOP_RANK_CLAUSE_BYTES))..ns];
    let clause = head
        .rfind(['。', ',', ';', ':', '\n', '、'])
        .map_or(head, |i| &head[i..]);
    if !lex
        .top_rank_verbs
        .iter()
        .any(|v| clause.contains(v.as_str()))
    {
        return None;
    }
    let value: f64 = text[ns..ne].parse().ok()?;
    let start = if top { ns - '前'.len_utf8() } else { ns };
    Some(rank(start, ns, ne + '强'.len_utf8(), value))
}

/// Bytes before a ranked item searched for its ranking word (about 40 characters).
const RANK_CLAUSE_BYTES: usize = 120;

/// Bytes before `N强` searched for the verb that makes it a rank (about 15 characters).
const TOP_RANK_CLAUSE_BYTES: usize = 48;

/// A rank figure spanning `start..end`, its number at `ns`.
fn rank(start: usize, ns: usize, end: usize, value: f64) -> FoundFigure {
    FoundFigure {
        start,
        end,
        num_start: ns,
        unit_end: end,
        value,
        value_max: None,
        unit: "位".into(),
        unit_kind: "rank".into(),
        qualifier: None,
        arabic: true,
    }
}

/// Sorted, merged intervals.
fn merge(mut v: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    v.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Exact decimal scaling: "3.592" × 10⁸ → 359200000 without binary rounding noise.
fn scaled(num: &str, pow10: u32) -> Option<f64> {
    // the common case (ASCII, short) is written into a buffer on the stack: the same decimal
    // text as below, without allocating
    if num.is_ascii() && num.len() + pow10 as usize <= 48 {
        let mut buf = [0u8; 64];
        let mut n = 0;
        let mut push = |b: u8| {
            buf[n] = b;
            n += 1;
        };
        let p = pow10 as usize;
        let bytes = num.as_bytes();
        let (int, frac) = match bytes.iter().position(|&b| b == b'.') {
            Some(d) => (&bytes[..d], &bytes[d + 1..]),
            None => (bytes, &bytes[bytes.len()..]),
        };
        int.iter().filter(|&&b| b != b',').for_each(|&b| push(b));
        let frac_len = frac.iter().filter(|&&b| b != b',').count();
        if frac_len <= p {
            frac.iter().filter(|&&b| b != b',').for_each(|&b| push(b));
            (0..p - frac_len).for_each(|_| push(b'0'));
        } else {
            for (k, &b) in frac.iter().filter(|&&b| b != b',').enumerate() {
                if k == p {
                    push(b'.');
                }
                push(b);
            }
        }
        return std::str::from_utf8(&buf[..n]).ok()?.parse::<f64>().ok();
    }
    scaled_general(num, pow10)
}

/// [`scaled`] for any text, building the decimal string on the heap.
fn scaled_general(num: &str, pow10: u32) -> Option<f64> {
    let clean: String = num.chars().filter(|&c| c != ',').collect();
    let (int, frac) = match clean.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (clean, String::new()),
    };
    let p = pow10 as usize;
    let s = if frac.len() <= p {
        format!("{int}{frac}{}", "0".repeat(p - frac.len()))
    } else {
        format!("{int}{}.{}", &frac[..p], &frac[p..])
    };
    s.parse::<f64>().ok()
}

fn multiplier_at(s: &str) -> Option<(&'static str, u32)> {
    MULTIPLIERS
        .iter()
        .find(|(m, _)| s.starts_with(m))
        .map(|&(m, p)| (m, p))
}

/// A multiplier (unless a unit starts here: 千米, 千克 are units), then 余/多 before a unit
/// or multiplier: returns (power of ten, bytes consumed, 余/多 seen).
fn multiplier_and_infix(text: &str, pos: usize, lex: &Lexicon) -> (u32, usize, bool) {
    let mut p = pos;
    let mut pow = 0;
    if lex.unit_at(&text[p..], false).is_none() {
        if let Some((m, k)) = multiplier_at(&text[p..]) {
            pow = k;
            p += m.len();
        }
    }
    let mut over = false;
    for infix in ["余", "多"] {
        if let Some(rest) = text[p..].strip_prefix(infix) {
            if lex.unit_at(rest, false).is_some() || multiplier_at(rest).is_some() {
                over = true;
                p += infix.len();
                if let Some((m, k)) = multiplier_at(&text[p..]) {
                    pow = k;
                    p += m.len();
                }
            }
            break;
        }
    }
    (pow, p - pos, over)
}

/// The unit at `pos`, reading 个多月 as 个月 with "over" (1个多月).
fn unit_with_gap(text: &str, pos: usize, lex: &Lexicon) -> Option<(Unit, usize, bool)> {
    if let Some(tail) = text[pos..].strip_prefix("个多") {
        let glued: String = "个".chars().chain(tail.chars().take(4)).collect();
        if let Some(u) = lex
            .unit_at(&glued, false)
            .filter(|u| u.surface.len() > "个".len())
        {
            return Some((u.clone(), "个多".len() + u.surface.len() - "个".len(), true));
        }
    }
    lex.unit_at(&text[pos..], false)
        .map(|u| (u.clone(), u.surface.len(), false))
}

/// An Arabic number right at the start of `s`.
fn number_at(s: &str) -> Option<regex::Match<'_>> {
    ARABIC.find(s).filter(|m| m.start() == 0)
}

/// Number, multiplier, optional range, 余/多, unit, then trailing qualifier:
/// 28条, 3.592亿元, 20-50年, 3万-5万元, 20%至30%, 10万元至50万元, 800余个, 1个多月.
fn arabic_figure(text: &str, ns: usize, ne: usize, lex: &Lexicon) -> Option<FoundFigure> {
    let num1 = &text[ns..ne];
    let after = &text[ne..];
    // a number followed by a letter is a model name (5G, 3D), unless the letters are a unit of
    // the lexicon standing alone (42GWh, 20GW); a fraction is handled here too
    if after.starts_with(|c: char| c.is_ascii_alphabetic())
        && !lex.unit_at(after, false).is_some_and(|u| {
            !after[u.surface.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
        })
    {
        return None;
    }
    if let Some(rest) = after.strip_prefix('/') {
        return fraction(text, ns, ne, rest, lex);
    }
    // 2000 余家, 60 个工作日: one space may stand between the number and what follows it
    let gap = usize::from(
        after.starts_with(' ')
            && after[1..].starts_with(is_han)
            && (lex.unit_at(&after[1..], false).is_some()
                || multiplier_at(&after[1..]).is_some()
                || after[1..].starts_with(['余', '多'])),
    );
    let (mut mult1, used, mut over_infix) = multiplier_and_infix(text, ne + gap, lex);
    let mut pos = ne + gap + used;
    let mut value_max: Option<f64> = None;
    let unit: Unit;
    // range with one unit: 20-50年, 4——6个月, 3-5万元, 3万-5万元
    let mut ranged = None;
    for sep in RANGE_SEPS {
        if let Some(rest) = text[pos..].strip_prefix(sep) {
            if let Some(m2) = number_at(rest) {
                let p2 = pos + sep.len() + m2.end();
                let (mult2, used2, over2) = multiplier_and_infix(text, p2, lex);
                if let Some((u, ulen, gap_over)) = unit_with_gap(text, p2 + used2, lex) {
                    ranged = Some((m2.as_str(), mult2, p2 + used2 + ulen, u, over2 || gap_over));
                }
            }
            break;
        }
    }
    if let Some((n2, mult2, end2, u, over2)) = ranged {
        if mult1 == 0 {
            mult1 = mult2; // 3-5万元: the multiplier applies to both ends
        }
        value_max = scaled(n2, mult2);
        over_infix |= over2;
        pos = end2;
        unit = u;
    } else {
        let (u, ulen, gap_over) = match unit_with_gap(text, pos, lex) {
            Some(found) => {
                // 压减至79个、60个工作日: a bare 个 before a list takes the list's full unit
                let longer = (found.0.surface == "个")
                    .then(|| shared_unit(text, pos + found.1, lex))
                    .flatten()
                    .filter(|u| u.surface.starts_with('个') && u.surface.len() > "个".len());
                match longer {
                    Some(u) => (u, found.1, found.2),
                    None => found,
                }
            }
            // 上升6、12个名次: a number of a list takes the unit of the list's last number
            None => (shared_unit(text, pos, lex)?, 0, false),
        };
        over_infix |= gap_over;
        pos += ulen;
        // range with the unit written twice: 20%至30%, 10万元至50万元
        for sep in RANGE_SEPS {
            let Some(rest) = text[pos..].strip_prefix(sep) else {
                continue;
            };
            if let Some(m2) = number_at(rest) {
                let p2 = pos + sep.len() + m2.end();
                let (mult2, used2, _) = multiplier_and_infix(text, p2, lex);
                if text[p2 + used2..].starts_with(u.surface.as_str()) {
                    value_max = scaled(m2.as_str(), mult2);
                    pos = p2 + used2 + u.surface.len();
                }
            }
            break;
        }
        unit = u;
    }
    if !led_in(text, ns, &unit) {
        return None;
    }
    let unit_end = pos;
    let value = scaled(num1, mult1)? * unit.scale;
    // 前30名名单 names a list; 2023成都 is a year before a place, not 20230 %
    if (unit.surface == "名" && (text[pos..].starts_with("名单") || text[pos..].starts_with('单')))
        || (unit.kind == "percent" && unit.scale > 1.0 && value > 100.0)
    {
        return None;
    }
    let value_max = value_max.map(|v| v * unit.scale);
    if is_calendar(text, ns, ne, &unit, value, value_max)
        || names_first_months(text, ns, &unit)
        || is_decade(&unit, value, &text[unit_end..])
    {
        return None;
    }
    // 5000吨/年: keep the rate in the span
    let mut end = unit_end;
    for rate in ["/年", "/天", "/月", "/日"] {
        if text[end..].starts_with(rate) {
            end += rate.len();
            break;
        }
    }
    let (end, post_q) = qualifier_after(text, end, &unit, lex);
    let (start, pre_q) = qualifier_before(text, ns, lex);
    let qualifier = pre_q.or(post_q).or(if over_infix {
        Some(Qualifier::Over)
    } else {
        None
    });
    Some(FoundFigure {
        start,
        end,
        num_start: ns,
        unit_end,
        value,
        value_max,
        unit: unit.unit.clone(),
        unit_kind: unit.kind.clone(),
        qualifier,
        arabic: true,
    })
}

/// The unit of the next number of a list (`6、12个名次`: after `6` comes `、12个名次`), when
/// `pos` stands at the list's separator.
fn shared_unit(text: &str, pos: usize, lex: &Lexicon) -> Option<Unit> {
    let rest = text[pos..].strip_prefix('、')?;
    let m = number_at(rest)?;
    let p2 = pos + '、'.len_utf8() + m.end();
    let (_, used, _) = multiplier_and_infix(text, p2, lex);
    if used > 0 {
        return None; // 6、12万元: the multiplier may not be shared
    }
    match unit_with_gap(text, p2, lex) {
        Some((u, _, _)) => Some(u),
        None => shared_unit(text, p2, lex),
    }
}

/// `前4个月` after a year (今年前4个月, 2019年前10个月), a place (东湖开发区前5个月) or opening
/// a clause (前三个月,…) names the year's first months, a period, not a duration (`提前三个月`
/// and `投产前5个月` are durations).
fn names_first_months(text: &str, num_start: usize, unit: &Unit) -> bool {
    let Some(head) = text[..num_start].strip_suffix('前') else {
        return false;
    };
    unit.unit == "月"
        && (head.ends_with(['年', '区', '园', '市', '县', '省'])
            || head
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, ',' | ';' | ':' | '。' | '，' | '\n' | ' ' | '】')))
}

/// A decade (上世纪50年代, 八十年代初) is a time, not a duration of 50 years: `value` years
/// (a multiple of ten below a hundred) with `after` the unit starting with 代.
fn is_decade(unit: &Unit, value: f64, after: &str) -> bool {
    unit.surface == "年"
        && after.starts_with('代')
        && (10.0..100.0).contains(&value)
        && value % 10.0 == 0.0
}

/// Years (2021年, 2005年-2024年) are dates, not durations.
fn is_calendar(
    text: &str,
    ns: usize,
    ne: usize,
    unit: &Unit,
    value: f64,
    max: Option<f64>,
) -> bool {
    if unit.surface != "年" {
        return false;
    }
    let digits = text[ns..ne].chars().filter(|c| c.is_ascii_digit()).count();
    let year_like = |v: f64| (1900.0..=2100.0).contains(&v) && v.fract() == 0.0;
    digits == 4 && year_like(value) || max.is_some_and(year_like)
}

/// `2/3` as a percentage (66.67 %), when it is a plain fraction.
fn fraction(text: &str, ns: usize, ne: usize, rest: &str, lex: &Lexicon) -> Option<FoundFigure> {
    let m2 = ARABIC.find(rest).filter(|m| m.start() == 0)?;
    let after = &rest[m2.end()..];
    if after.starts_with(['/', '.']) || after.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None; // a date (2024/6/1) or a code
    }
    if lex.unit_at(after, false).is_some() {
        return None; // 5000吨/年 is handled as a rate; 3/5个 is not a fraction
    }
    let n: f64 = text[ns..ne].parse().ok()?;
    let d: f64 = m2.as_str().parse().ok()?;
    if d == 0.0 || n >= d || d > 100.0 {
        return None;
    }
    let end = ne + 1 + m2.end();
    let (start, qualifier) = qualifier_before(text, ns, lex);
    Some(FoundFigure {
        start,
        end,
        num_start: ns,
        unit_end: end,
        value: round2(n / d * 100.0),
        value_max: None,
        unit: "%".into(),
        unit_kind: "percent".into(),
        qualifier,
        arabic: true,
    })
}

/// Chinese numerals that state a plain quantity: 三个关键环节, 两三个月, 十余家, 一百多人.
fn chinese_figure(text: &str, ms: usize, me: usize, lex: &Lexicon) -> Option<FoundFigure> {
    let numeral = &text[ms..me];
    let before = text[..ms].chars().next_back();
    // ordinals (第一, 首), weekdays and words that merely contain a numeral (统一, 唯一)
    if matches!(
        before,
        Some('第' | '首' | '初' | '周' | '星' | '礼' | '统' | '唯' | '同' | '单' | '之' | '万')
    ) {
        return None;
    }
    // 零件, 零售: a zero alone is a word's first character, never a count
    if numeral == "零" {
        return None;
    }
    // 上半年, 下半年 are periods, not half a year
    if numeral == "半" && matches!(before, Some('上' | '下')) {
        return None;
    }
    let (value, value_max) = cnum::parse(numeral)?;
    // a bare 千/万/百 is a word part (千家万户) unless a qualifier says it counts (近万人)
    if numeral.chars().count() == 1
        && matches!(numeral, "百" | "千" | "万" | "亿")
        && qualifier_before(text, ms, lex).1.is_none()
    {
        return None;
    }
    let mut pos = me;
    let mut over_infix = false;
    for infix in ["余", "多"] {
        if let Some(rest) = text[pos..].strip_prefix(infix) {
            if lex.unit_at(rest, true).is_some() {
                over_infix = true;
                pos += infix.len();
            }
            break;
        }
    }
    let unit = lex.unit_at(&text[pos..], true)?.clone();
    // 一 is an article as often as a number: only with units where it clearly counts
    if numeral == "一" && !matches!(unit.surface.as_str(), "天" | "套" | "次") {
        return None;
    }
    if !led_in(text, ms, &unit) {
        return None;
    }
    let unit_len = unit.surface.len();
    let after_unit = &text[pos + unit_len..];
    if numeral == "一" && (after_unit.starts_with('性') || after_unit.starts_with('都')) {
        return None;
    }
    // 两位数增长 is a magnitude, not two people
    if unit.surface == "位" && after_unit.starts_with('数') {
        return None;
    }
    // 千亿级产业集群, 百亿级企业: a class of size, not an amount (千亿元级 names its unit)
    if unit.surface == "级" && numeral.ends_with(['亿', '万']) {
        return None;
    }
    // 三大 must be followed by a noun (三大特色园区), not stand alone
    if unit.surface == "大" && !after_unit.starts_with(is_han) {
        return None;
    }
    // 党的二十大报告, 十九大以来: a party congress by its number, not twenty of anything
    if unit.surface == "大" && value > 10.0 && value < 100.0 && value.fract() == 0.0 && {
        let head = &text[..ms];
        head.ends_with("党的")
            || head.ends_with('党')
            || lex
                .congress_words
                .iter()
                .any(|w| after_unit.starts_with(w.as_str()))
    } {
        return None;
    }
    if unit.surface == "年" && value >= 1900.0 || is_decade(&unit, value, after_unit) {
        return None; // 二〇二一年 is a date, 八十年代 a decade
    }
    if names_first_months(text, ms, &unit) {
        return None;
    }
    pos += unit_len;
    let unit_end = pos;
    let (end, post_q) = qualifier_after(text, pos, &unit, lex);
    // 两至三个, 五到八家: a range written in Chinese numerals on both sides
    let (ms, value, value_max) = match chinese_range_start(text, ms, value, value_max) {
        Some((low_start, low)) => (low_start, low, Some(value)),
        None => (ms, value, value_max),
    };
    let (start, pre_q) = qualifier_before(text, ms, lex);
    let qualifier = pre_q.or(post_q).or(if over_infix {
        Some(Qualifier::Over)
    } else {
        None
    });
    Some(FoundFigure {
        start,
        end,
        num_start: ms,
        unit_end,
        value: value * unit.scale,
        value_max: value_max.map(|v| v * unit.scale),
        unit: unit.unit.clone(),
        unit_kind: unit.kind.clone(),
        qualifier,
        arabic: false,
    })
}

/// Longest Chinese numeral read as a range's lower end, in characters.
const MAX_RANGE_LOW_CHARS: usize = 4;

/// Where the lower end of a Chinese-numeral range (两至三个, 五到八家) starts before the upper
/// end at `ms`, and its value: the lower end must be smaller than the upper one.
fn chinese_range_start(
    text: &str,
    ms: usize,
    high: f64,
    high_max: Option<f64>,
) -> Option<(usize, f64)> {
    if high_max.is_some() {
        return None;
    }
    let head = ["至", "到"]
        .iter()
        .find_map(|sep| text[..ms].strip_suffix(sep))?;
    let low_start = head
        .char_indices()
        .rev()
        .take(MAX_RANGE_LOW_CHARS)
        .take_while(|&(_, c)| crate::extract::cnum::is_numeral_char(c))
        .last()
        .map(|(i, _)| i)?;
    if head[..low_start].ends_with('第') {
        return None; // 第二至三批: ordinals
    }
    let (low, low_max) = crate::extract::cnum::parse(&head[low_start..])?;
    (low_max.is_none() && low < high).then_some((low_start, low))
}

/// Whether the number at `ns` follows one of the unit's lead words, when it has any (分三期
/// counts phases; 二期工程 names one).
fn led_in(text: &str, ns: usize, unit: &Unit) -> bool {
    unit.lead_words.is_empty()
        || unit
            .lead_words
            .iter()
            .any(|w| text[..ns].ends_with(w.as_str()))
}

/// Qualifier words right before the number (约, 近, 超过, 至少要 …).
fn qualifier_before(text: &str, ns: usize, lex: &Lexicon) -> (usize, Option<Qualifier>) {
    let head = &text[..ns];
    // allow one linking character between the qualifier and the number: 至少要四五个, 超过了
    let candidates: [(&str, usize); 2] = [(head, 0), {
        let mut it = head.char_indices().rev();
        match it.next() {
            Some((i, '要' | '达' | '有' | '了')) => (&head[..i], 1),
            _ => ("", 0),
        }
    }];
    for (h, _) in candidates {
        if h.is_empty() {
            continue;
        }
        // the longest word wins across the lists: 不超过 (under) over 超过 (over)
        let mut best: Option<(usize, Qualifier)> = None;
        for (list, q) in [
            (&lex.over_before, Qualifier::Over),
            (&lex.under_before, Qualifier::Under),
            (&lex.approx_before, Qualifier::Approx),
        ] {
            for w in list.iter() {
                if !h.ends_with(w.as_str()) || best.is_some_and(|(s, _)| h.len() - w.len() >= s) {
                    continue;
                }
                let start = h.len() - w.len();
                // 最近, 附近 are not "about"; 签约, 节约 are not 约
                if w == "近" && text[..start].ends_with(['最', '附', '将', '接', '邻']) {
                    continue;
                }
                if w == "约"
                    && text[..start].ends_with([
                        '签', '节', '制', '预', '合', '公', '条', '契', '违', '履', '特', '邀',
                    ])
                {
                    continue;
                }
                best = Some((start, q));
            }
        }
        if let Some((start, q)) = best {
            return (start, Some(q));
        }
    }
    (ns, None)
}

/// Qualifier words right after the unit (以上, 左右, 以内, 内 for durations).
fn qualifier_after(
    text: &str,
    pos: usize,
    unit: &Unit,
    lex: &Lexicon,
) -> (usize, Option<Qualifier>) {
    let rest = &text[pos..];
    for (list, q) in [
        (&lex.over_after, Qualifier::Over),
        (&lex.under_after, Qualifier::Under),
        (&lex.approx_after, Qualifier::Approx),
    ] {
        for w in list.iter() {
            if !rest.starts_with(w.as_str()) {
                continue;
            }
            if w == "内" && unit.kind != "duration" {
                continue;
            }
            if (w == "多" || w == "余") && rest[w.len()..].starts_with(is_han) {
                continue; // 1个多月 reads on; 余 before a noun is not a qualifier here
            }
            return (pos + w.len(), Some(q));
        }
    }
    (pos, None)
}

/// Byte ranges where numbers are not figures: inside 《titles》, inside short quoted
/// slogans without sentence punctuation, and inside the configured set phrases.
fn protected_ranges(text: &str, lex: &Lexicon) -> Vec<(usize, usize)> {
    let slogan_max = lex.slogan_max_chars;
    let mut out = Vec::new();
    out.extend(
        lex.set_phrases
            .find_iter(text)
            .map(|m| (m.start(), m.end())),
    );
    for (open, close, always) in [('《', '》', true), ('“', '”', false), ('‘', '’', false)]
    {
        let mut from = 0;
        while let Some(o) = super::find_char(&text[from..], open) {
            let s = from + o;
            let inner_start = s + open.len_utf8();
            let Some(c) = super::find_char(&text[inner_start..], close) else {
                break;
            };
            let e = inner_start + c;
            let inner = &text[inner_start..e];
            let slogan =
                inner.chars().count() <= slogan_max && !inner.contains(['。', ',', '!', '?', ';']);
            if always || slogan {
                out.push((inner_start, e));
            }
            from = e + close.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    /// raw text, value, value_max, unit, qualifier
    type Fig = (String, f64, Option<f64>, String, Option<Qualifier>);

    fn figs(text: &str) -> Vec<Fig> {
        let lex = Lexicon::for_tests();
        find_figures(text, &lex)
            .into_iter()
            .map(|f| {
                (
                    text[f.start..f.end].to_string(),
                    f.value,
                    f.value_max,
                    f.unit,
                    f.qualifier,
                )
            })
            .collect()
    }

    fn one(text: &str) -> Fig {
        let v = figs(text);
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        v.into_iter().next().unwrap()
    }

    #[test]
    fn counts_money_areas_with_multipliers() {
        assert_eq!(
            one("累计推出28条改革硬招"),
            ("28条".into(), 28.0, None, "条".into(), None)
        );
        assert_eq!(one("涉及出让总面积139.26公顷。").1, 139.26);
        let f = one("累计帮助企业获得贷款超17亿元;");
        assert_eq!(
            (f.0.as_str(), f.1, f.4),
            ("超17亿元", 1.7e9, Some(Qualifier::Over))
        );
        assert_eq!(one("预计年完成税收3.592亿元").1, 359_200_000.0);
        let f = one("新增产业载体面积约4000万平方米用于");
        assert_eq!(
            (f.1, f.3.as_str(), f.4),
            (4.0e7, "平方米", Some(Qualifier::Approx))
        );
        assert_eq!(one("总投资1亿美元的项目").3, "美元");
    }

    #[test]
    fn decades_are_times_not_durations() {
        assert!(figs("上世纪50年代人工修筑星湖,80年代啤酒厂落户").is_empty());
        assert!(figs("达到国际九十年代初先进水平").is_empty());
        // a duration right before 代 of another word stays a figure
        assert_eq!(one("建区30年来,代表团到访").3, "年");
        assert_eq!(one("用了15年代替进口").1, 15.0);
    }

    #[test]
    fn units_are_canonicalized() {
        assert_eq!(one("由18个工作日缩短").3, "工作日");
        assert_eq!(one("平均缩短筹建周期6个月,").3, "月");
        assert_eq!(one("建党100周年").3, "年");
    }

    #[test]
    fn ranges_and_qualifiers() {
        assert_eq!(one("出让年期按20-50年,").2, Some(50.0));
        assert_eq!(one("平均入驻减少4——6个月,").1, 4.0);
        assert_eq!(one("增长20%至30%。").2, Some(30.0));
        assert_eq!(one("地块800余个").4, Some(Qualifier::Over));
        assert_eq!(one("吸纳300多人就业").4, Some(Qualifier::Over));
        assert_eq!(one("提速增效30%以上。").0, "30%以上");
        assert_eq!(one("节约申办时间1个月以上").4, Some(Qualifier::Over));
        assert_eq!(one("预计5年内引育").4, Some(Qualifier::Under));
        assert_eq!(one("人力资源合作基地近40个").4, Some(Qualifier::Approx));
        assert_eq!(one("每年制定至少10条线路").0, "至少10条");
    }

    #[test]
    fn web_page_forms_ranks_tenths_and_shared_units() {
        // a space between number and unit, as web pages print it
        assert_eq!(one("企业2000 余家,").0, "2000 余家");
        assert_eq!(one("压缩至60 个工作日。").3, "工作日");
        // ranks
        let r = one("全省排名第7位,");
        assert_eq!((r.0.as_str(), r.1, r.3.as_str()), ("第7位", 7.0, "位"));
        assert_eq!(one("位列第16名。").0, "第16名");
        assert!(figs("第3批项目").is_empty(), "an ordinal is no rank");
        // tenths and 万方
        assert_eq!(one("8成企业").1, 80.0);
        assert_eq!(one("八成企业").1, 80.0);
        let f = one("新建厂房20万方。");
        assert_eq!((f.1, f.3.as_str()), (200000.0, "平方米"));
        // a unit shared by a list
        let v = figs("上升6、12个名次。");
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].1, v[0].3.as_str()), (6.0, "位"));
        let v = figs("压减至79个、60个工作日以内。");
        assert_eq!((v[0].1, v[0].3.as_str()), (79.0, "工作日"));
        // 6、12万元: a multiplier is not shared
        assert_eq!(figs("分别为6、12万元").len(), 1);
    }

    #[test]
    fn chinese_ranges_years_in_zai_and_party_congresses() {
        let f = one("培育两至三个百亿级产业集群");
        assert_eq!((f.0.as_str(), f.1, f.2), ("两至三个", 2.0, Some(3.0)));
        let f = one("用三到五年时间");
        assert_eq!((f.0.as_str(), f.1, f.2), ("三到五年", 3.0, Some(5.0)));
        // not a range: an ordinal, or a lower end that is not lower
        assert_eq!(one("第二至三个").1, 3.0);
        assert_eq!(one("用40载光阴").3, "年");
        assert!(
            figs("党的二十大报告指出").is_empty(),
            "a congress, not 20 of anything"
        );
        assert!(figs("深入学习贯彻十九大精神").is_empty());
        assert_eq!(one("培育十大产业集群").1, 10.0);
    }

    #[test]
    fn ranked_lists_counted_phases_and_set_phrases() {
        // the items of a ranking a ranking word opened are places, not people
        let v = figs("排名分别是:甲高新区33名、乙经开区38名。");
        assert_eq!(v.len(), 2);
        assert!(v.iter().all(|f| f.3 == "位"), "{v:?}");
        assert_eq!(one("新招聘员工100名。").3, "名");
        assert_eq!(figs("综合排名第5位,引进人才100名。")[1].3, "名");
        // 期 counts only after a word that counts it
        assert_eq!(one("项目分三期建设").0, "三期");
        assert_eq!(one("参加3期签约活动").1, 3.0);
        assert!(figs("二期工程开工").is_empty());
        assert_eq!(one("开竣工项目31只").3, "只");
        // set phrases hold no figure; 三方共建 still counts parties
        assert!(figs("喜迎四面八方宾朋,广纳八方客商").is_empty());
        assert!(figs("三次产业结构不断优化").is_empty());
        assert!(figs("局四级调研员某某认为").is_empty());
        assert_eq!(one("三方共建").0, "三方");
        // a year before 成都 is no tenths; a list's name is no count
        assert!(figs("2023成都经开区签约仪式").is_empty());
        assert!(figs("综合发展水平前30名名单").is_empty());
        assert_eq!(one("广东省占9席").3, "席");
    }

    #[test]
    fn places_in_a_ranking_written_with_ming() {
        // the top of a ranking, with its 前
        let f = one("示例高新区进入全国前100名,创新能力较强。");
        assert_eq!((f.0.as_str(), f.1, f.3.as_str()), ("前100名", 100.0, "位"));
        // a 名 placed by 的, 了 or 达到 in a sentence about a ranking
        let v = figs("示例高新区位列全国第40名,较上年度的77名大幅提升。");
        assert_eq!(v.len(), 2);
        assert!(v.iter().all(|f| f.3 == "位"), "{v:?}");
        assert_eq!(one("该区综合排名较上一年度上升了9名。").3, "位");
        // a count of people follows a noun, in a ranking sentence or not
        let v = figs("示例经开区排名第12位,新引进博士25名。");
        assert_eq!((v[1].1, v[1].3.as_str()), (25.0, "名"));
        assert_eq!(one("展会期间共有1800名客商到场。").3, "名");
    }

    #[test]
    fn fractions_are_percentages() {
        let f = one("报批材料减少近2/3,");
        assert_eq!((f.0.as_str(), f.1, f.3.as_str()), ("近2/3", 66.67, "%"));
        assert_eq!(one("占三分之二").1, 66.67);
        assert_eq!(one("中间体5000吨/年功夫酸").0, "5000吨/年");
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(one("前中后三个关键环节").1, 3.0);
        let f = one("提速了至少两三个月,");
        assert_eq!(
            (f.1, f.2, f.3.as_str(), f.4),
            (2.0, Some(3.0), "月", Some(Qualifier::Over))
        );
        assert_eq!(one("至少要四五个工作日才能办成").2, Some(5.0));
        assert_eq!(one("首个千亿元级产业").1, 1e11);
        assert!(figs("齿轮零件制造商").is_empty());
        // ㎡ after NFKC
        assert_eq!(one("总建筑面积约12万m2").3, "平方米");
        // a class of size without its unit is no amount
        assert!(find_figures("打造千亿级产业集群和百亿级企业", &Lexicon::for_tests()).is_empty());
        assert_eq!(one("着力构建等三大特色园区。").3, "个");
        assert_eq!(one("十余家企业").4, Some(Qualifier::Over));
        assert_eq!(one("一百多人参加").1, 100.0);
        assert_eq!(one("仅半年时间就完成").1, 0.5);
        assert_eq!(one("仅用时一天。").1, 1.0);
    }

    #[test]
    fn char_search_matches_str_find() {
        let texts = [
            "",
            "《》",
            "他说“工业快批”《办法》。“",
            "abc《x》def《",
            "“‘’”《》",
            // lead bytes shared with other characters (。、 with 《》, — and … with “”)
            "高新区。、—…“示范区”、《规划》。",
            "。。、、《",
            "𠀀高新区𠀀",
        ];
        for t in texts {
            for c in [
                '《', '》', '“', '”', '‘', '’', 'a', '。', '、', '区', '𠀀', '…',
            ] {
                assert_eq!(super::super::find_char(t, c), t.find(c), "{t} {c}");
                assert_eq!(super::super::rfind_char(t, c), t.rfind(c), "{t} {c}");
            }
        }
    }

    #[test]
    fn scaled_without_allocating_matches_the_general_form() {
        for num in [
            "0",
            "1",
            "28",
            "3.592",
            "139.26",
            "1,234",
            "1,234.5",
            "0.001",
            "12.",
            ".5",
            "1.2.3",
            "007",
            "99999999999",
            "4.0",
            "",
            ",",
            "1,2,3.4,5",
        ] {
            for pow in 0..=12 {
                let (a, b) = (scaled(num, pow), scaled_general(num, pow));
                assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits), "{num} {pow}");
            }
        }
    }

    #[test]
    fn not_figures() {
        for t in [
            "2021年,沈阳高新区",
            "8月22日,广州高新区",
            "2005年-2024年6月,该高新区",
            "今年1-2月,园区",
            "发布时间:2022-01-20 11:31",
            "“工业快批”3.0在总结",
            "基于工业4.0之上",
            "英伟达H20服务器",
            "5G-A+车路云",
            "3D打印精准医疗",
            "作为潍柴T+2项目运营载体",
            "第一批项目",
            "首个平台",
            "深入学习贯彻党的二十届三中全会精神",
            "为沈阳市“十四五”开门红",
            "建立“一个项目、一个领导、一个专班、一套机制”的包办工作机制",
            "完善《沈阳高新区产业促进20条》中的政策",
            "一方面,“工业快批”改革",
            "世界500强企业",
            "第四十年发展的开局之年",
            "构建区域O2O技术转移",
            "今年前4个月,开发区",
            "2019年前10个月,示范区",
            "前三个月,全县上下",
        ] {
            assert!(figs(t).is_empty(), "{t}: {:?}", figs(t));
        }
        // ahead of time by three months is a duration
        assert_eq!(figs("项目提前三个月完成").len(), 1);
    }
}
