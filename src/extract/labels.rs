//! What a figure measures: its label (the text's own words, usually the noun phrase before the
//! number or the counted noun after it) and its canonical measure key from the taxonomy.

use std::sync::LazyLock;

use super::figures::FoundFigure;
use crate::config::MeasureDef;
use crate::lexicon::{is_han, Lexicon, WordSet};

/// Punctuation that ends a clause for labelling purposes. Quotes do not: a quoted name is
/// often part of the noun phrase (省级“两业融合”试点企业).
fn is_clause_delim(c: char) -> bool {
    matches!(
        c,
        ',' | '。'
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '《'
            | '》'
            | '\n'
            | ' '
            | '、'
            | '—'
            | '…'
    )
}
/// Linking words inside a clause: what follows them names the measure (产品为中间体 → 中间体).
const LINKS: &[char] = &['为', '是', '和', '及', '并'];
/// Words that do not belong at the end of a label (linking verbs, prepositions, qualifiers).
const TRAILING_NOISE: &[&str] = &[
    "达到", "达", "为", "是", "有", "约", "近", "超过", "超", "了", "至", "到", "从", "由", "共",
    "累计", "按", "仅", "可", "将", "可以", "已", "均", "总计", "共计", "合计", "突破", "逾",
    "至少", "要", "不到", "以上", "首期", "经过", "历经",
];
/// Words that do not belong at the start of a label.
const LEADING_NOISE: &[&str] = &[
    "对", "在", "从", "由", "将", "把", "并", "且", "其中", "同时", "此外", "内", "的", "该区",
    "该市", "该县", "该", "其", "是", "而且", "还",
];
/// Words after which the counted noun ends (28条改革硬招,打造 → 改革硬招). 的 does not end
/// it: 8条有针对性的改革措施.
const NOUN_STOPS: &[&str] = &[
    "和", "及", "等", "在", "将", "已", "累计", "正在", "共", "都", "也", "还", "入选", "列入",
    "到", "就", "约", "近", "超", "为",
];
/// [`NOUN_STOPS`] as one automaton.
static NOUN_STOP_SET: LazyLock<WordSet> = LazyLock::new(|| {
    let words: Vec<String> = NOUN_STOPS.iter().map(|w| w.to_string()).collect();
    WordSet::new(&words).expect("static word list")
});
/// First characters that make the text after a number a verb phrase, not a counted noun.
const VERBISH: &str = "精减缩压增提降达为至到是在实完获签入列帮带成新开";
/// Longest label, in characters (the tail of a long clause is kept).
const MAX_LABEL_CHARS: usize = 16;
/// Longest counted noun after a number, in characters.
const MAX_NOUN_CHARS: usize = 12;

/// The label of `fig` in `text`; `prev_end` is where the previous figure ended (a label does
/// not reach back over another figure).
pub fn label(text: &str, fig: &FoundFigure, prev_end: usize, lex: &Lexicon) -> String {
    let following = counted_noun(&text[fig.end..], lex);
    let before = preceding_clause(text, fig.start, prev_end, lex);
    let classifier = matches!(fig.unit_kind.as_str(), "count" | "rank");
    // 拥有高新技术企业1100余家的创新高地: after 的 comes what the figure describes, not what it
    // counts — unless the clause before names nothing (后续还将启动200人的招聘计划)
    let modifies_next =
        text[fig.end..].starts_with('的') && named_measure(lex, None, &before).is_some();
    if classifier && following.chars().count() >= 2 && !modifies_next {
        return following;
    }
    if following.chars().count() >= 2 {
        // 投入300万元专项资金, 获得了银行300万元贷款额度: the noun after names the measure
        let names_measure = |s: &str| named_measure(lex, Some(&fig.unit_kind), s).is_some();
        if names_measure(&following) && (before.chars().count() <= 2 || !names_measure(&before)) {
            return following;
        }
        // 可申请不少于100万元的研发补助: the figure describes the noun after 的, and the
        // clause before names no measure (it is a verb phrase)
        if text[fig.end..].starts_with('的') && named_measure(lex, None, &before).is_none() {
            return following;
        }
    }
    let only_zone = lex
        .zone_suffixes
        .find(&before)
        .is_some_and(|m| m.end() == before.len());
    if before.chars().count() >= 2 && !(only_zone && following.chars().count() >= 2) {
        return before;
    }
    if following.chars().count() >= 2 {
        return following;
    }
    // the clause before the number is empty (从110个工作日缩短…): use the clause before it
    let clause_start = clause_start(text, fig.start, 0);
    if clause_start > 0 {
        let prev = preceding_clause(text, clause_start.saturating_sub(1), prev_end, lex);
        if prev.chars().count() >= 2 {
            return prev;
        }
    }
    before
}

/// Words that join the items of a list (A、B和C): between the subjects of a 分别 sentence
/// and between its figures.
pub(crate) const LIST_JOINS: &[&str] = &["、", "和", "及", "与", "以及"];
/// The word that pairs two lists item by item.
const RESPECTIVELY: &str = "分别";
/// Longest verb between 分别 and the first figure (增长, 同比增长, 达到), in characters.
const MAX_RESPECTIVE_VERB_CHARS: usize = 6;

/// The figures of a 分别 list: their labels, in order, and where the verb they share is.
#[derive(Debug, Clone, PartialEq)]
pub struct RespectiveList {
    /// One label per figure: its own subject and the shared verb.
    pub labels: Vec<String>,
    /// Byte range of the verb between 分别 and the first figure (增长), which also tells the
    /// direction of every figure of the list.
    pub verb: std::ops::Range<usize>,
}

/// `A、B和C分别增长6.5%、8.3%和12.1%`: in a 分别 sentence the figures of the list after it
/// belong, in order, to the subjects of the list before it. When `found[k]` starts such a
/// list of figures, returns one label per figure of the list — its own subject and the shared
/// verb (地区生产总值增长) — and `None` when the text is not of that shape, or the two lists
/// differ in length (then each figure is labelled on its own).
pub fn respective_labels(
    text: &str,
    found: &[FoundFigure],
    k: usize,
    lex: &Lexicon,
) -> Option<RespectiveList> {
    let first = found.get(k)?;
    let mut n = 1;
    while let Some(next) = found.get(k + n) {
        let gap = text.get(found[k + n - 1].end..next.start)?.trim();
        if !LIST_JOINS.contains(&gap) {
            break;
        }
        n += 1;
    }
    if n < 2 {
        return None;
    }
    let before = text.get(..first.start)?;
    let at = before.rfind(RESPECTIVELY)?;
    let verb = &before[at + RESPECTIVELY.len()..];
    if verb.chars().count() > MAX_RESPECTIVE_VERB_CHARS || verb.chars().any(is_clause_delim) {
        return None;
    }
    let head_start = before[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, ',' | '。' | ';' | ':' | '!' | '?' | '\n' | '(' | ')'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let mut subjects = vec![&before[head_start..at]];
    for join in LIST_JOINS {
        subjects = subjects.iter().flat_map(|s| s.split(join)).collect();
    }
    if subjects.len() != n {
        return None;
    }
    let labels = subjects
        .into_iter()
        .map(|subject| {
            // a zone name at the start is the sentence's subject, not the measure's
            let mut s = subject;
            if let Some(m) = lex.zone_suffixes.find_iter(s).last() {
                if m.end() < s.len() {
                    s = &s[m.end()..];
                }
            }
            // only dates and punctuation go: a subject is a whole noun phrase, so a leading
            // 从 or 对 is part of it (从业人员), unlike in a clause cut out before a number
            let s = strip_leading_date(
                s.trim_matches(|c: char| !is_han(c) && !c.is_ascii_alphanumeric()),
            );
            (s.chars().count() >= 2)
                .then(|| strip_trailing_noise(&format!("{s}{verb}")).to_string())
        })
        .collect::<Option<Vec<String>>>()?;
    Some(RespectiveList {
        labels,
        verb: at + RESPECTIVELY.len()..first.start,
    })
}

fn clause_start(text: &str, pos: usize, floor: usize) -> usize {
    text[..pos]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_clause_delim(c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
        .max(floor)
}

fn preceding_clause(text: &str, pos: usize, prev_end: usize, lex: &Lexicon) -> String {
    let pos = crate::lexicon::floor_char_boundary(text, pos);
    let floor = if prev_end <= pos { prev_end } else { 0 };
    let start = clause_start(text, pos, floor);
    let mut s = &text[start..pos];
    // a zone name at the start belongs to the subject, not to the measure
    if let Some(m) = lex.zone_suffixes.find_iter(s).last() {
        if m.end() < s.len() {
            s = &s[m.end()..];
        }
    }
    let mut s = strip_noise(s);
    // 产品为中间体 → 中间体, 功夫酸和年产 → 年产: keep what follows the last link word
    for &w in LINKS {
        if let Some(i) = s.rfind(w) {
            let rest = strip_noise(&s[i + w.len_utf8()..]);
            if rest.chars().count() >= 2 && i > 0 {
                s = rest;
            }
        }
    }
    let tail = keep_tail(s, MAX_LABEL_CHARS);
    strip_noise(&tail).to_string()
}

/// `s.strip_suffix(w)`, comparing the last byte first (most words do not end there).
fn strip_suffix_word<'a>(s: &'a str, w: &str) -> Option<&'a str> {
    if s.as_bytes().last() != w.as_bytes().last() {
        return None;
    }
    s.strip_suffix(w)
}

/// `s.strip_prefix(w)`, comparing the first byte first.
fn strip_prefix_word<'a>(s: &'a str, w: &str) -> Option<&'a str> {
    if s.as_bytes().first() != w.as_bytes().first() {
        return None;
    }
    s.strip_prefix(w)
}

fn strip_noise(mut s: &str) -> &str {
    loop {
        let before = s;
        s = strip_trailing_noise(s);
        for w in LEADING_NOISE {
            if let Some(r) = strip_prefix_word(s, w) {
                s = r;
            }
        }
        s = s.trim_matches(|c: char| !is_han(c) && !c.is_ascii_alphanumeric());
        s = strip_leading_date(s);
        if s == before {
            return s;
        }
    }
}

/// `s` without linking verbs and qualifiers at its end (企业数为 → 企业数).
fn strip_trailing_noise(mut s: &str) -> &str {
    loop {
        let before = s;
        for w in TRAILING_NOISE {
            if let Some(r) = strip_suffix_word(s, w) {
                s = r;
            }
        }
        s = s.trim_end_matches(|c: char| !is_han(c) && !c.is_ascii_alphanumeric());
        if s == before {
            return s;
        }
    }
}

/// `2021年`, `8月22日`, `“十三五”期间` at the start of a label are when, not what; a leading
/// digit run is the tail of another number (12345热线).
fn strip_leading_date(s: &str) -> &str {
    let s = super::periods::strip_leading_time(s);
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || s[digits..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return s; // 3D打印 keeps its code
    }
    let rest = &s[digits..];
    match rest.chars().next() {
        Some('年' | '月' | '日') => &rest['年'.len_utf8()..],
        _ => rest,
    }
}

fn keep_tail(s: &str, max: usize) -> String {
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(max)).collect()
}

/// The noun counted by a classifier (28条改革硬招 → 改革硬招; 300余人的施工队伍 → 施工队伍).
fn counted_noun(after: &str, lex: &Lexicon) -> String {
    let after = after.strip_prefix('的').unwrap_or(after);
    // 百亿元级产业集群: the grade marker is not part of the noun
    let after = after.strip_prefix('级').unwrap_or(after);
    if after.chars().next().is_some_and(|c| VERBISH.contains(c)) {
        return String::new();
    }
    let run: String = after.chars().take_while(|&c| is_han(c)).collect();
    let mut end = run.len();
    // 169家国家高新区综合评价中: the counted noun ends with the zone suffix
    if let Some(m) = lex.zone_suffixes.find(&run) {
        end = end.min(m.end());
    }
    // one pass finds the stop words in the run; only those are looked at
    let present = NOUN_STOP_SET.present(&run);
    for (k, w) in NOUN_STOPS.iter().enumerate() {
        if !NOUN_STOP_SET.contains(&present, k) {
            continue;
        }
        for (i, _) in run.match_indices(w) {
            // 就业 is a noun, not 就 + 业; 签约 a verb, not 签 + 约 (but 产品约占 is "about")
            let word_part = (*w == "就" && run[i + w.len()..].starts_with('业'))
                || (*w == "约"
                    && run[..i].ends_with(['签', '节', '预', '履', '合', '特', '制', '契']));
            if i > 0 && !word_part {
                end = end.min(i);
                break;
            }
        }
    }
    let mut noun = &run[..end];
    // …关键环节的基础上: 的 before a positional phrase ends the noun
    let phrases: &[&str] = if noun.contains('的') {
        &["的基础", "的同时", "的情况", "的过程", "的前提", "的背景"]
    } else {
        &[]
    };
    for phrase in phrases {
        if let Some(i) = noun.find(phrase) {
            noun = &noun[..i];
        }
    }
    noun.trim_end_matches('的')
        .chars()
        .take(MAX_NOUN_CHARS)
        .collect()
}

/// The first measure of the taxonomy (of `unit_kind`, when given) one of whose words is in
/// `hay`: the one lookup behind labels and measure keys.
pub(crate) fn named_measure<'a>(
    lex: &'a Lexicon,
    unit_kind: Option<&str>,
    hay: &str,
) -> Option<&'a MeasureDef> {
    // one pass over `hay` finds every measure word in it; then the taxonomy is walked in order
    let set = &lex.measure_word_set;
    let present = set.present(hay);
    if present.is_empty() {
        return None;
    }
    lex.measures
        .iter()
        .zip(&lex.measure_word_ranges)
        .find(|&(m, words)| {
            unit_kind.is_none_or(|k| m.unit_kinds.get_ref().iter().any(|u| u == k))
                && if m.words_at_end {
                    m.words.iter().any(|w| hay.trim_end().ends_with(w.as_str()))
                } else {
                    words.clone().any(|k| set.contains(&present, k))
                }
        })
        .map(|(m, _)| m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::figures::find_figures;

    fn labels(text: &str) -> Vec<String> {
        let lex = Lexicon::for_tests();
        let figs = find_figures(text, &lex);
        let mut prev = 0;
        figs.iter()
            .map(|f| {
                let l = label(text, f, prev, &lex);
                prev = f.end;
                l
            })
            .collect()
    }

    #[test]
    fn nouns_after_classifiers_and_clauses_before_measures() {
        assert_eq!(
            labels("重点围绕5个方面累计推出28条改革措施,"),
            ["方面", "改革措施"]
        );
        assert_eq!(
            labels("精简项目申报材料50%,平均压缩项目审批时限60%,"),
            ["精简项目申报材料", "平均压缩项目审批时限"]
        );
        assert_eq!(labels("申报材料从10份精减至4份,"), ["申报材料", "精减"]);
        assert_eq!(
            labels("审批时限可由18个工作日缩短为1个工作日。"),
            ["审批时限", "缩短"]
        );
        assert_eq!(labels("近日,300余人的施工队伍正在紧张施工"), ["施工队伍"]);
        assert_eq!(
            labels("实现从企业签订土地合同至取得施工许可证,从110个工作日缩短到“拿地即动工”。"),
            ["企业签订土地合同至取得施工许可证"]
        );
    }

    fn respective(text: &str) -> Option<(Vec<String>, String)> {
        let lex = Lexicon::for_tests();
        let found = super::super::figures::find_figures(text, &lex);
        let list = respective_labels(text, &found, 0, &lex)?;
        Some((list.labels, text[list.verb].to_string()))
    }

    #[test]
    fn a_fenbie_list_gives_each_figure_its_own_subject() {
        let (labels, verb) =
            respective("今年以来,营业收入和净利润分别同比增长12.5%和8.1%。").unwrap();
        assert_eq!(labels, ["营业收入同比增长", "净利润同比增长"]);
        assert_eq!(verb, "同比增长");
        // the zone opening the sentence is its subject, not part of the first measure
        let (labels, _) =
            respective("广州高新区企业数、从业人员及税收分别为1200家、5万人和30亿元。").unwrap();
        assert_eq!(labels, ["企业数", "从业人员", "税收"]);
        // lists of different lengths, no 分别, or one figure: each figure on its own
        assert_eq!(respective("A类、B类和C类分别增长5%和6%。"), None);
        assert_eq!(respective("营业收入和净利润增长12.5%和8.1%。"), None);
        assert_eq!(respective("营业收入分别增长12.5%。"), None);
    }
}
