//! Stage 3: clean the decoded text for extraction, keeping a map back to the source.
//!
//! - NFKC folds full-width digits, letters and punctuation (２８条 → 28条, ， → ,);
//! - CRLF and CR become LF, other whitespace becomes a single space, lines are trimmed;
//! - traditional characters become simplified (高新區 → 高新区) with `fast2s`, a
//!   character-for-character converter, so offsets stay aligned;
//! - a paragraph that print layout broke in two by a blank line in mid-sentence
//!   (`…李宁对出` / `台的“工业快批”…`) is rejoined;
//! - a verbatim duplicated fragment (the tail of the previous paragraph printed again) is dropped.
//!
//! The result is one line per paragraph ("block"). Every character of the normalized text
//! remembers the source character it came from, so any match can be reported as a span of the
//! original file, exactly as the source has it.

use std::sync::LazyLock;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::lexicon::Lexicon;
use crate::model::SourceSpan;

/// A paragraph of the normalized page: a byte range of [`NormalizedPage::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

/// The normalized page and its map back to the source.
#[derive(Debug, Clone)]
pub struct NormalizedPage {
    /// Normalized, simplified text: blocks separated by `\n`.
    pub text: String,
    /// Paragraphs, in order.
    pub blocks: Vec<Block>,
    /// For each byte of `text`: the source character index of the character it belongs to.
    src_of_byte: Vec<u32>,
    /// Start offsets (sorted) of the blocks that a blank line set apart from the block before:
    /// layout that tells a kicker over a headline from a headline printed over two lines.
    after_blank: Vec<usize>,
}

impl NormalizedPage {
    /// Text of a block.
    pub fn block_text(&self, b: Block) -> &str {
        &self.text[b.start..b.end]
    }

    /// True when the block holding byte `pos` was set apart from the block before it by a
    /// blank line in the source.
    pub fn blank_line_before(&self, pos: usize) -> bool {
        let i = self.blocks.partition_point(|b| b.start <= pos);
        i > 0
            && self
                .after_blank
                .binary_search(&self.blocks[i - 1].start)
                .is_ok()
    }

    /// Source character index of the character starting at normalized byte `pos`.
    pub fn source_char(&self, pos: usize) -> usize {
        self.src_of_byte.get(pos).copied().unwrap_or(0) as usize
    }

    /// The source span covered by the normalized byte range `[start, end)` (non-empty).
    pub fn source_span(&self, start: usize, mut end: usize) -> SourceSpan {
        end = end.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        if start >= end {
            let s = self.source_char(start);
            return SourceSpan { start: s, end: s };
        }
        let last_start = self.text[..end]
            .char_indices()
            .next_back()
            .map(|(i, _)| i)
            .unwrap_or(start);
        SourceSpan {
            start: self.source_char(start),
            end: self.source_char(last_start.max(start)) + 1,
        }
    }
}

/// The decoded source with a character index, to cut spans out of it.
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    text: &'a str,
    char_starts: Vec<usize>,
}

impl<'a> SourceText<'a> {
    /// Indexes the decoded text.
    pub fn new(text: &'a str) -> SourceText<'a> {
        let mut char_starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        char_starts.push(text.len());
        SourceText { text, char_starts }
    }

    /// The exact source text of a character span.
    pub fn slice(&self, span: SourceSpan) -> &'a str {
        let n = self.char_starts.len() - 1;
        let s = self.char_starts[span.start.min(n)];
        let e = self.char_starts[span.end.min(n)];
        &self.text[s..e.max(s)]
    }

    /// Number of characters.
    pub fn char_len(&self) -> usize {
        self.char_starts.len() - 1
    }
}

/// One normalized character and the source character it came from.
#[derive(Clone, Copy)]
struct MappedChar {
    ch: char,
    src: u32,
}

/// Normalizes a decoded page.
pub fn normalize(source: &str, lex: &Lexicon) -> NormalizedPage {
    let mut chars = fold_chars(source);
    strip_inserted_ads(&mut chars, &lex.page.rules.inserted_ad_words);
    mark_han_full_stops(&mut chars);
    let flat = split_lines(&chars);
    let lines = rejoin_broken(&flat, lex);
    let lines = drop_duplicate_fragments(&flat, lines, lex);
    let lines = split_glued_lines(&flat, lines, lex);
    assemble(&flat, &lines)
}

/// `国家级开发区成最有活力增长点http://www.sina.com.cn 2007年06月06日 06:49 人民网`: a headline
/// with the site's address, date and source glued after it: where the address starts, when
/// what comes before it is a headline and a date follows the address.
fn stamped_headline(t: &str) -> Option<(usize, usize)> {
    let at = crate::lexicon::find_ascii(t, "http")?;
    let head = &t[..at];
    let (_, rest) = t[at..].split_once(' ')?;
    let headline = head.chars().count() >= MIN_STAMPED_HEADLINE_CHARS
        && !head.contains(['。', ',', ';', ':'])
        && head.chars().any(crate::lexicon::is_han);
    let dated = crate::lines::ISO_DATE
        .find(rest)
        .or_else(|| crate::lines::CN_DATE.find(rest))
        .is_some_and(|m| m.start() == 0);
    (headline && dated).then_some((at, at))
}

/// `阅读次数: 来源:长春市发改委 日期:2015-08-03 14:51:39 【打印此页】 【关闭】 字号:【大 中 小】上半年,
/// 汽开区…`: a metadata line with the site's buttons and the first paragraph glued after them:
/// where the text after the last button starts.
fn toolbar_glued(t: &str, lex: &Lexicon) -> Option<(usize, usize)> {
    let rules = &lex.page.rules;
    // the cheap test first: this runs for every line
    if !t.contains(['】', ']']) {
        return None;
    }
    let end = rules
        .toolbar_marks
        .iter()
        .filter(|m| !m.is_empty())
        .filter_map(|m| t.rfind(m.as_str()).map(|i| i + m.len()))
        .max()?;
    let head = &t[..end];
    let is_meta = rules.meta_keys.iter().any(|k| head.contains(k.as_str()));
    let rest = t[end..].trim_start();
    let body = rest.chars().filter(|&c| crate::lexicon::is_han(c)).count() >= MIN_GLUED_BODY_CHARS;
    (is_meta && body).then_some((end, t.len() - rest.len()))
}

/// Fewest Chinese characters of a paragraph split off the buttons it is glued to.
const MIN_GLUED_BODY_CHARS: usize = 10;

/// Shortest headline split off a site stamp glued after it (see [`stamped_headline`]).
const MIN_STAMPED_HEADLINE_CHARS: usize = 6;

/// Longest label before a web address glued to the text after it, in characters.
const MAX_URL_LABEL_CHARS: usize = 8;

/// `本文引用地址:http://…/97522.htm自治区、银川市领导…`: a page's address, after a short label,
/// glued before the story's text. Returns where the address ends (both sides of the cut).
fn url_glued(t: &str) -> Option<(usize, usize)> {
    let at = crate::lexicon::find_ascii(t, "http")?;
    if t[..at].chars().count() > MAX_URL_LABEL_CHARS {
        return None;
    }
    let end = at + t[at..].find(|c: char| !c.is_ascii_graphic())?;
    t[end..]
        .starts_with(crate::lexicon::is_han)
        .then_some((end, end))
}

/// `…负责人参加。记者 扈炜 摄 长城网衡水3月27日讯(记者 扈炜)3月27日,…`: a photo's caption
/// and the story's dateline printed on one line are two lines, so that the caption stays a
/// caption and the dateline opens the story. A headline with a site's stamp glued after it
/// is two lines too (see [`stamped_headline`]).
fn split_glued_lines(flat: &FlatLines, lines: Vec<Line>, lex: &Lexicon) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        let mut line = line;
        loop {
            let t = flat.text(line);
            // (a summary line, 摘要: …摄 中新网…电, is chrome as a whole)
            let cut = stamped_headline(t)
                .or_else(|| toolbar_glued(t, lex))
                .or_else(|| url_glued(t))
                .or_else(|| {
                    // (the cheap test first: most lines hold no photo credit)
                    if !t.contains("摄 ") || crate::lines::is_apart(t, lex) {
                        return None;
                    }
                    t.match_indices("摄 ").find_map(|(i, m)| {
                        let after = i + m.len();
                        let rest = t[after..].trim_start();
                        let start = t.len() - rest.len();
                        crate::lines::opens_with_dateline(rest, lex)
                            .then_some((i + "摄".len(), start))
                    })
                });
            let Some((end, start)) = cut else {
                out.push(line);
                break;
            };
            let chars_to = |b: usize| t[..b].chars().count();
            out.push(Line {
                c0: line.c0,
                c1: line.c0 + chars_to(end),
                b0: line.b0,
                b1: line.b0 + end,
                after_blank: line.after_blank,
            });
            line = Line {
                c0: line.c0 + chars_to(start),
                c1: line.c1,
                b0: line.b0 + start,
                b1: line.b1,
                after_blank: false,
            };
        }
    }
    out
}

/// Per-character facts for the Basic Multilingual Plane, computed once from the libraries
/// themselves (so they can never disagree with them): which characters NFKC and whitespace
/// folding leave alone, and which ones `fast2s` may convert.
struct CharTable {
    /// Bit set: NFKC quick check says "yes" and the character is not whitespace.
    nfkc_stable: Vec<u64>,
    /// Bit set: `fast2s` may replace the character (3-byte UTF-8 characters only).
    t2s_maybe: Vec<u64>,
}

/// Characters whose `fast2s` conversion depends on their neighbours (the keys of its
/// exclusion and special-case tables, fast2s 0.3 `special.rs`). Each is always sent through
/// the converter with its neighbours, even where it is unchanged on its own.
const T2S_CONTEXT_CHARS: &[char] = &[
    '兒', '覆', '夥', '藉', '瞭', '麽', '幺', '於', '乾', '著', '苧', '闔', '鍾', '讎', '畫',
];

impl CharTable {
    fn build() -> CharTable {
        let mut nfkc_stable = vec![0u64; 0x10000 / 64];
        let mut t2s_maybe = vec![0u64; 0x10000 / 64];
        let mut buf = String::new();
        for cp in 0x80u32..0x10000 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let (w, b) = (cp as usize / 64, cp % 64);
            if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes && !c.is_whitespace() {
                nfkc_stable[w] |= 1 << b;
            }
            if c.len_utf8() == 3 {
                buf.clear();
                buf.push(c);
                fast2s::replace(&mut buf);
                if buf.chars().ne(std::iter::once(c)) || T2S_CONTEXT_CHARS.contains(&c) {
                    t2s_maybe[w] |= 1 << b;
                }
            }
        }
        CharTable {
            nfkc_stable,
            t2s_maybe,
        }
    }

    fn bit(set: &[u64], c: char) -> Option<bool> {
        let cp = c as usize;
        set.get(cp / 64).map(|w| w >> (cp % 64) & 1 == 1)
    }

    /// NFKC leaves `c` as it is and it is not whitespace.
    fn nfkc_stable(&self, c: char) -> bool {
        Self::bit(&self.nfkc_stable, c).unwrap_or_else(|| {
            is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes && !c.is_whitespace()
        })
    }

    /// `fast2s` may replace `c` (it only ever looks at 3-byte characters, all in the BMP).
    fn t2s_maybe(&self, c: char) -> bool {
        Self::bit(&self.t2s_maybe, c).unwrap_or(false)
    }
}

static CHAR_TABLE: LazyLock<CharTable> = LazyLock::new(CharTable::build);

/// NFKC per character, newline and whitespace folding, then traditional → simplified.
fn fold_chars(source: &str) -> Vec<MappedChar> {
    let table = &*CHAR_TABLE;
    let mut out: Vec<MappedChar> = Vec::with_capacity(source.len() / 2);
    let mut it = source.chars().enumerate().peekable();
    while let Some((i, c)) = it.next() {
        let src = i as u32;
        match c {
            '\r' => {
                if it.peek().map(|&(_, n)| n) != Some('\n') {
                    out.push(MappedChar { ch: '\n', src });
                }
            }
            '\n' => out.push(MappedChar { ch: '\n', src }),
            '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{00AD}' => {}
            c if c.is_ascii() => {
                let ch = if c.is_ascii_whitespace() { ' ' } else { c };
                if !ch.is_ascii_control() || ch == ' ' {
                    out.push(MappedChar { ch, src });
                }
            }
            c => {
                if table.nfkc_stable(c) {
                    out.push(MappedChar { ch: c, src });
                } else {
                    for n in std::iter::once(c).nfkc() {
                        let ch = if n.is_whitespace() && n != '\n' {
                            ' '
                        } else {
                            n
                        };
                        if ch.is_control() && ch != '\n' {
                            continue;
                        }
                        out.push(MappedChar { ch, src });
                    }
                }
            }
        }
    }
    to_simplified(&mut out, table);
    strip_mirror_pinyin(&mut out);
    strip_forum_jammer(&mut out);
    out
}

/// Fewest filler tokens in a run taken for a forum's anti-copy filler.
const MIN_JAMMER_TOKENS: usize = 4;

/// A token of a forum's anti-copy filler: one to three printable ASCII characters.
fn is_jammer_token(t: &[MappedChar]) -> bool {
    (1..=3).contains(&t.len()) && t.iter().all(|m| m.ch.is_ascii_graphic())
}

/// A run of tokens that is filler, not text: at least [`MIN_JAMMER_TOKENS`], a letter among
/// them, and two that mix a sign with a letter or digit (`m&`, `U#`, `g0` with `Z:`). Lists
/// such as `(1) (2) (3) (4)` hold no letter; English words mix no signs.
fn looks_jammed(tokens: &[&[MappedChar]]) -> bool {
    let mixed = tokens
        .iter()
        .filter(|t| {
            t.len() >= 2
                && t.iter().any(|m| m.ch.is_ascii_punctuation())
                && t.iter().any(|m| m.ch.is_ascii_alphanumeric())
        })
        .count();
    tokens.len() >= MIN_JAMMER_TOKENS
        && mixed >= 2
        && tokens
            .iter()
            .any(|t| t.iter().any(|m| m.ch.is_ascii_alphabetic()))
}

/// Drops the filler a forum inserts into posts against copying (`3 m& `1 U# Z: g0 p 昨天上午,…`,
/// `…多个领域。% m0 {' M! g/ F, T`, or a line of it alone): random signs, letters and digits
/// in short tokens at the start or the end of a line. Left in, its digits are read as figures
/// and the line's first words are noise. The characters around it keep their source offsets.
fn strip_forum_jammer(chars: &mut Vec<MappedChar>) {
    let mut drop: Vec<(usize, usize)> = Vec::new();
    let mut line_start = 0;
    while line_start < chars.len() {
        let line_end = chars[line_start..]
            .iter()
            .position(|m| m.ch == '\n')
            .map_or(chars.len(), |i| line_start + i);
        let line = &chars[line_start..line_end];
        // the cheap test first: a line of text starts and ends with other characters
        let edge_token = |t: Option<&MappedChar>| t.is_some_and(|m| m.ch.is_ascii_graphic());
        if edge_token(line.first()) || edge_token(line.last()) {
            let tokens: Vec<&[MappedChar]> = line.split(|m| m.ch == ' ').collect();
            let lead = tokens.iter().take_while(|t| is_jammer_token(t)).count();
            if lead == tokens.len() {
                if looks_jammed(&tokens) {
                    drop.push((line_start, line_end));
                }
            } else {
                if looks_jammed(&tokens[..lead]) {
                    let len: usize = tokens[..lead].iter().map(|t| t.len() + 1).sum();
                    drop.push((line_start, line_start + len));
                }
                let trail = tokens
                    .iter()
                    .rev()
                    .take_while(|t| is_jammer_token(t))
                    .count();
                if trail < tokens.len() - lead && looks_jammed(&tokens[tokens.len() - trail..]) {
                    let len: usize = tokens[tokens.len() - trail..]
                        .iter()
                        .map(|t| t.len() + 1)
                        .sum();
                    let mut from = line_end - len;
                    // (领域。% m0 …: the filler's first token glued to the full stop)
                    if from >= line_start + 2
                        && chars[from - 1].ch.is_ascii_graphic()
                        && chars[from - 2].ch == '。'
                    {
                        from -= 1;
                    }
                    drop.push((from, line_end));
                }
            }
        }
        line_start = line_end + 1;
    }
    // last first, so that the earlier spans keep their indices
    for &(s, e) in drop.iter().rev() {
        chars.drain(s..e);
    }
}

/// Longest ad, in characters, that a mirror site splices into a story between brackets.
const MAX_INSERTED_AD_CHARS: usize = 30;

/// Drops the ads a mirror site spliced into a story, even inside a word (`工业增《注册就送38无需
/// 存款》加值`): a `《…》` or `【…】` of at most [`MAX_INSERTED_AD_CHARS`] holding one of
/// `page.inserted_ad_words`. Left in, the ad is taken for a policy title, its number for a
/// figure, and it splits the words around it. The characters around it keep their offsets.
fn strip_inserted_ads(chars: &mut Vec<MappedChar>, ad_words: &[String]) {
    let close_of = |c: char| match c {
        '《' => Some('》'),
        '【' => Some('】'),
        _ => None,
    };
    if ad_words.is_empty() {
        return;
    }
    // the spans to drop, found without copying: most pages have brackets, few have ads
    let mut drop: Vec<(usize, usize)> = Vec::new();
    let mut text = String::new();
    for (i, m) in chars.iter().enumerate() {
        let Some(close) = close_of(m.ch) else {
            continue;
        };
        let inner = chars[i + 1..]
            .iter()
            .take(MAX_INSERTED_AD_CHARS + 1)
            .take_while(|m| m.ch != close && m.ch != '\n')
            .count();
        let end = i + 1 + inner;
        if inner > MAX_INSERTED_AD_CHARS || chars.get(end).is_none_or(|m| m.ch != close) {
            continue;
        }
        // (a bracket inside an ad already dropped goes with it)
        if drop.last().is_some_and(|&(_, e)| i < e) {
            continue;
        }
        text.clear();
        text.extend(chars[i + 1..end].iter().map(|m| m.ch));
        // (config validation refuses empty words)
        if ad_words.iter().any(|w| text.contains(w.as_str())) {
            drop.push((i, end + 1));
        }
    }
    // last first, so that the earlier spans keep their indices
    for &(s, e) in drop.iter().rev() {
        chars.drain(s..e);
    }
}

/// A full stop typed as an ASCII period between Chinese characters (`…更名而成.园区总面积…`)
/// becomes `。`: sentences, and so the zone and period a figure's sentence names, end there.
/// Periods between digits or letters (1.5, www.xx.cn) and inside quotes or brackets, where a
/// period separates the parts of a name (「拚经济稳增长.经开区建设」), are left alone.
fn mark_han_full_stops(chars: &mut [MappedChar]) {
    use crate::lexicon::is_han;
    for i in 1..chars.len().saturating_sub(1) {
        if chars[i].ch != '.' || !is_han(chars[i - 1].ch) || !is_han(chars[i + 1].ch) {
            continue;
        }
        // (rare) the brackets and quotes open on its line before it
        let mut depth = 0i32;
        for m in chars[..i].iter().rev().take_while(|m| m.ch != '\n') {
            match m.ch {
                '「' | '『' | '“' | '《' | '(' | '【' | '[' => depth += 1,
                '」' | '』' | '”' | '》' | ')' | '】' | ']' => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 {
            chars[i].ch = '。';
        }
    }
}

/// Longest pinyin syllable a mirror site inserts after a character (`zhuàng`).
const MAX_PINYIN_CHARS: usize = 7;

/// Longest pinyin a mirror site inserts after a whole word (`综保区(zōngbǎoqū)`,
/// `开放型(kāifàngxíng)`): six syllables.
const MAX_PINYIN_WORD_CHARS: usize = 6 * MAX_PINYIN_CHARS;

/// Letters of a pinyin syllable, with tone marks.
fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || is_tone_marked(c)
}

/// A vowel with a pinyin tone mark: what tells a word's pinyin from a Latin word in brackets
/// (`软件(software)` stays: longer than a syllable and with no tone mark).
fn is_tone_marked(c: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ".contains(c)
}

/// Drops the pinyin a mirror site put after characters (`創(chuàng)新(xīn)` → `創新`,
/// `香(xiang)(xiang)`, `区【qū】`) or after a whole word, tone-marked (`综保区(zōngbǎoqū)`):
/// every such group is noise that splits words and numbers apart. The characters around it
/// keep their source offsets.
fn strip_mirror_pinyin(chars: &mut Vec<MappedChar>) {
    if !chars.iter().any(|m| m.ch == '(' || m.ch == '【') {
        return;
    }
    let group_len = |chars: &[MappedChar], at: usize| -> Option<usize> {
        let close_of = match chars.get(at)?.ch {
            '(' => ')',
            '【' => '】',
            _ => return None,
        };
        let group = chars[at + 1..]
            .iter()
            .take(MAX_PINYIN_WORD_CHARS + 1)
            .take_while(|m| is_pinyin_letter(m.ch));
        let (letters, tone_marked) =
            group.fold((0, false), |(n, t), m| (n + 1, t || is_tone_marked(m.ch)));
        // (會(huì )洽: a space may stand before the bracket closes)
        let space = usize::from(chars.get(at + 1 + letters).is_some_and(|m| m.ch == ' '));
        let close = chars.get(at + 1 + letters + space)?;
        // one syllable, or a word's syllables with their tones
        let pinyin = (1..=MAX_PINYIN_CHARS).contains(&letters)
            || (letters <= MAX_PINYIN_WORD_CHARS && tone_marked);
        (pinyin && close.ch == close_of).then_some(letters + space + 2)
    };
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let m = chars[i];
        out.push(m);
        i += 1;
        if crate::lexicon::is_han(m.ch) {
            while let Some(n) = group_len(chars, i) {
                i += n;
            }
        }
    }
    *chars = out;
}

/// Traditional → simplified, character for character (offsets stay aligned).
///
/// `fast2s::convert` maps each 3-byte character using its neighbours in the text, so only the
/// characters it may change are sent through it, each with its original neighbours: the result
/// is the same as converting the whole page, without rebuilding the page.
fn to_simplified(chars: &mut [MappedChar], table: &CharTable) {
    let mut buf = String::new();
    let mut prev: Option<char> = None;
    for i in 0..chars.len() {
        let cur = chars[i].ch;
        if table.t2s_maybe(cur) {
            buf.clear();
            buf.extend(prev);
            buf.push(cur);
            if let Some(next) = chars.get(i + 1) {
                buf.push(next.ch);
            }
            let converted = fast2s::convert(&buf);
            let at = usize::from(prev.is_some());
            if let Some(c) = converted.chars().nth(at) {
                chars[i].ch = c;
            }
        }
        prev = Some(cur);
    }
}

/// The page's lines, trimmed and space-collapsed, laid end to end.
struct FlatLines {
    /// The characters of all lines, without separators.
    chars: Vec<MappedChar>,
    /// The same characters as text.
    text: String,
    /// Each line (non-empty), in order.
    lines: Vec<Line>,
}

/// A line (or several rejoined lines): ranges of [`FlatLines`]. Lines are contiguous, so two
/// neighbours joined are again one range.
#[derive(Clone, Copy)]
struct Line {
    c0: usize,
    c1: usize,
    b0: usize,
    b1: usize,
    /// A blank line stood between this line and the one before.
    after_blank: bool,
}

impl FlatLines {
    fn text(&self, l: Line) -> &str {
        &self.text[l.b0..l.b1]
    }
}

/// What a page's indent becomes when its encoding loses it: a question mark, or the
/// replacement character.
const LOST_INDENT: [char; 2] = ['?', '\u{FFFD}'];

fn split_lines(chars: &[MappedChar]) -> FlatLines {
    let mut flat = FlatLines {
        chars: Vec::with_capacity(chars.len()),
        text: String::with_capacity(chars.len() * 3),
        lines: Vec::new(),
    };
    let mut blank = false;
    for raw in chars.split(|m| m.ch == '\n') {
        let (c0, b0) = (flat.chars.len(), flat.text.len());
        for &m in raw {
            // (???? 9月18日,…: the page's indent, lost to its encoding, left as question marks
            // or replacement characters; no line opens on a question mark)
            if (m.ch == ' ' || (flat.chars.len() == c0 && LOST_INDENT.contains(&m.ch)))
                && (flat.chars.len() == c0 || flat.chars.last().is_some_and(|p| p.ch == ' '))
            {
                continue;
            }
            flat.chars.push(m);
            flat.text.push(m.ch);
        }
        // trailing spaces, and a table cell's bar left at the end of a line (`标题 |`)
        while flat.chars.len() > c0 && flat.chars.last().is_some_and(|m| matches!(m.ch, ' ' | '|'))
        {
            flat.chars.pop();
            flat.text.pop();
        }
        if flat.chars.len() > c0 {
            flat.lines.push(Line {
                c0,
                c1: flat.chars.len(),
                b0,
                b1: flat.text.len(),
                after_blank: blank && !flat.lines.is_empty(),
            });
            blank = false;
        } else {
            blank = true;
        }
    }
    flat
}

/// Sentence-final punctuation: a paragraph ending with one of these is complete.
const TERMINAL: &[char] = &['。', '!', '?', '…', ';', '.'];
/// Closing quotes and brackets: ambiguous (a headline may end with one), so not joined.
const CLOSING: &[char] = &['”', '’', '」', '』', ')', '》', '"', '\''];
/// Punctuation that cannot end a paragraph: the sentence goes on in the next block.
const CONTINUING: &[char] = &[',', '、', ':', '(', '“', '《', '—', '-', '+', '/'];
/// Punctuation showing a block is running prose rather than a headline.
const PROSE: &[char] = &[',', '。', ';', '!', '?'];

/// True when a block ends in mid-sentence, so the next block continues it.
pub fn is_broken_paragraph(text: &str, lex: &Lexicon) -> bool {
    let Some(last) = text.chars().next_back() else {
        return false;
    };
    if TERMINAL.contains(&last) || CLOSING.contains(&last) {
        return false;
    }
    if lex.trailing_names(text).is_some() {
        return false;
    }
    // (图为…发布现场。 钟欣 摄: a caption, opened and closed as one, is complete)
    if last == '摄'
        && text.starts_with("图为")
        && text.rsplit_once(TERMINAL).is_some_and(|(_, credit)| {
            lex.byline_names(credit.trim())
                .is_some_and(|names| !names.is_empty())
        })
    {
        return false;
    }
    if CONTINUING.contains(&last) {
        return true;
    }
    // running prose (several clauses or a finished sentence) rather than a headline
    let n = text.chars().count();
    let commas = text.matches(',').count();
    (n >= 30 && text.chars().any(|c| PROSE.contains(&c)))
        || (n >= 20 && commas >= 1)
        || commas >= 2
        || text.contains('。')
}

/// Longest line taken for a headline under a deck (see [`stacked_head`]), in characters.
const MAX_STACKED_HEAD_CHARS: usize = 24;

/// True when `prev`, a clause with no sentence end and no mark that carries it on, stands
/// over `line`, a short line with no punctuation at all: a deck and its headline.
fn stacked_head(prev: &str, line: &str) -> bool {
    let open_end = prev
        .chars()
        .next_back()
        .is_some_and(|c| CONTINUING.contains(&c) || TERMINAL.contains(&c));
    !open_end
        && !prev.contains('。')
        && line.chars().count() <= MAX_STACKED_HEAD_CHARS
        && !line.contains([',', '。', ';', ':', '、', '!', '?'])
}

fn rejoin_broken(flat: &FlatLines, lex: &Lexicon) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(flat.lines.len());
    for (i, &line) in flat.lines.iter().enumerate() {
        if let Some(prev) = out.last_mut() {
            // site chrome and metadata lines are never halves of a paragraph
            if is_broken_paragraph(flat.text(*prev), lex)
                && !crate::lines::is_apart(flat.text(*prev), lex)
                && !crate::lines::is_apart(flat.text(line), lex)
                // 龙岩高新区(经开区): / (blank line) / 7个项目集中开竣工: a kicker, not half a sentence
                && (!line.after_blank || !crate::lines::is_kicker(flat.text(*prev), lex))
                // 32个大项目集中开工,计划总投资248.7亿 / 海门“突破年”迎来开门红: a deck with a
                // comma over a short line with no punctuation are two heads, not one paragraph
                && !stacked_head(flat.text(*prev), flat.text(line))
                // (随州高新区:“比”出新气象,“练”出新作为 / 4月21日,…: a zone-led headline, or
                // one after its field's name, 标题: …)
                && !crate::lines::is_zone_led_headline(flat.text(*prev), lex)
                && crate::lines::headline_field_value(flat.text(*prev).trim_start(), lex).is_none()
                // (but 滚动资讯: / (blank line) / the headline over its metadata: a channel's
                // label set apart, not the headline's first half as a place is, 山西大同:)
                && (flat.text(*prev).ends_with(CONTINUING)
                    && (!line.after_blank
                        || crate::lexicon::starts_with_place(flat.text(*prev).trim_start(), lex))
                    || !headline_over_meta(flat, i, lex))
                && !crate::lines::opens_with_dateline(flat.text(line), lex)
                && !restates_head(flat.text(*prev), flat.text(line))
                // (相关资讯: / 【要闻】…: a list's heading heads the list, it does not run on)
                && !heads_a_list(flat.text(*prev), lex)
                && !crate::lines::opens_with_dated_clause(flat.text(line))
                && !crate::lines::opens_list_item(flat.text(line))
                && !opens_byline(flat.text(line), lex)
            {
                prev.c1 = line.c1;
                prev.b1 = line.b1;
                continue;
            }
        }
        out.push(line);
    }
    out
}

/// True when `t` is one of the page's list headings alone, maybe with a colon (相关资讯:).
fn heads_a_list(t: &str, lex: &Lexicon) -> bool {
    let bare = crate::lines::strip_list_marker(t)
        .trim()
        .trim_end_matches([':', ':']);
    lex.page.rules.list_headings.iter().any(|h| h == bare)
}

/// Characters a story's lead repeats from its headline's opening (先进制造业百强园区:中关村第一,
/// 江苏23个 / 先进制造业百强园区中中关村…) for the two to stay apart.
const RESTATED_HEAD_CHARS: usize = 5;

/// True when `line` opens with the words `prev`, a line of headline length, opens with: a
/// lead restating its headline's subject, where the halves of one broken paragraph never
/// start alike.
fn restates_head(prev: &str, line: &str) -> bool {
    let prev = prev.trim_start();
    // (where the opening ends, with no copy: this is asked of many pairs of lines)
    let Some(end) = prev
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .nth(RESTATED_HEAD_CHARS - 1)
    else {
        return false;
    };
    let opening = &prev[..end];
    prev.chars().nth(MAX_HEADLINE_OVER_META_CHARS).is_none()
        && !prev.contains(['。', ';', '!', '?'])
        && opening.chars().all(crate::lexicon::is_han)
        && line.trim_start().starts_with(opening)
}

/// Longest line taken for a headline over its metadata line (see [`headline_over_meta`]),
/// in characters.
const MAX_HEADLINE_OVER_META_CHARS: usize = 40;

/// True when line `i` is a headline printed over the page's metadata line (`从“北郊”到“新中心”
/// 西安经开区28年实现历史跨越` / `2021-06-09 02:50:34 来源:新华网`): it opens the article, so
/// no line before it (a row of a site's keywords) runs on into it, unless that line breaks
/// off at a mark that carries it on (`山西大同:` / `招商引资促发展`: one headline on two lines).
fn headline_over_meta(flat: &FlatLines, i: usize, lex: &Lexicon) -> bool {
    let Some(&next) = flat.lines.get(i + 1) else {
        return false;
    };
    let line = flat.text(flat.lines[i]);
    line.chars().count() <= MAX_HEADLINE_OVER_META_CHARS
        && !line.contains([',', '。', ';', '!', '?'])
        && !crate::lines::is_apart(line, lex)
        && crate::lines::is_apart(flat.text(next), lex)
        && !crate::lines::is_chrome(flat.text(next), lex)
}

/// `■本报记者林灵 通讯员欧阳钢桥`: a reporter's credit on a line of its own, which no deck or
/// paragraph before it continues into.
fn opens_byline(t: &str, lex: &Lexicon) -> bool {
    let bare = t.trim_start_matches(|c| crate::lexicon::BYLINE_MARKS.contains(&c) || c == ' ');
    lex.byline_roles
        .iter()
        .any(|r| r.chars().count() >= 2 && bare.starts_with(r.as_str()))
        && lex.byline_names(t).is_some()
}

fn drop_duplicate_fragments(flat: &FlatLines, lines: Vec<Line>, lex: &Lexicon) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(&prev) = out.last() {
            let t = flat.text(line);
            let before = flat.text(prev);
            // `名称: 市开发区重抓项目建设` over the headline itself: a metadata field's value
            // printed again is the page's text, not a fragment of the line before
            if t.chars().nth(3).is_some()
                && before.ends_with(t)
                && !crate::lines::is_apart(before, lex)
            {
                continue;
            }
        }
        out.push(line);
    }
    out
}

fn assemble(flat: &FlatLines, lines: &[Line]) -> NormalizedPage {
    let cap: usize = lines.iter().map(|l| l.b1 - l.b0 + 1).sum();
    let mut text = String::with_capacity(cap);
    let mut src_of_byte: Vec<u32> = Vec::with_capacity(cap);
    let mut blocks = Vec::with_capacity(lines.len());
    let mut after_blank = Vec::new();
    for (i, &line) in lines.iter().enumerate() {
        let chars = &flat.chars[line.c0..line.c1];
        if i > 0 {
            let src = chars.first().map(|m| m.src.saturating_sub(1)).unwrap_or(0);
            text.push('\n');
            src_of_byte.push(src);
        }
        let start = text.len();
        if line.after_blank {
            after_blank.push(start);
        }
        text.push_str(flat.text(line));
        for m in chars {
            let n = m.ch.len_utf8();
            src_of_byte.extend(std::iter::repeat_n(m.src, n));
        }
        blocks.push(Block {
            start,
            end: text.len(),
        });
    }
    NormalizedPage {
        text,
        blocks,
        src_of_byte,
        after_blank,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    fn lex() -> Lexicon {
        Lexicon::for_tests()
    }

    fn blocks(p: &NormalizedPage) -> Vec<&str> {
        p.blocks.iter().map(|&b| p.block_text(b)).collect()
    }

    /// The source text behind the first `normalized` of the normalized page.
    fn source_of(p: &NormalizedPage, src: &str, normalized: &str) -> String {
        let at = p.text.find(normalized).unwrap();
        let span = p.source_span(at, at + normalized.len());
        src.chars()
            .skip(span.start)
            .take(span.end - span.start)
            .collect()
    }

    #[test]
    fn an_ad_spliced_into_a_word_is_dropped_and_offsets_stay_true() {
        let src = "该区工业增《注册就送38无需存款》加值增长17.5%,《高新区条例》施行。";
        let p = normalize(src, &lex());
        // a policy title in 《》 stays; the ad goes, and the word it split is whole again
        assert_eq!(blocks(&p), ["该区工业增加值增长17.5%,《高新区条例》施行。"]);
        assert_eq!(source_of(&p, src, "17.5%"), "17.5%");
    }

    #[test]
    fn an_ascii_period_between_chinese_characters_ends_a_sentence() {
        let p = normalize(
            "由两区合并而成.园区面积13.5平方公里,见www.example.cn「稳增长.建设」",
            &lex(),
        );
        assert_eq!(
            blocks(&p),
            ["由两区合并而成。园区面积13.5平方公里,见www.example.cn「稳增长.建设」"]
        );
    }

    #[test]
    fn a_forums_anti_copy_filler_is_dropped_and_offsets_stay_true() {
        let src = "3 m& `1 U# Z: g0 p 昨天上午,园区签约8个项目。% m0 {' M! g/ F, T\n* Y v; P* |( C4 V6 S\n总投资12亿元。";
        let p = normalize(src, &lex());
        assert_eq!(blocks(&p), ["昨天上午,园区签约8个项目。", "总投资12亿元。"]);
        assert_eq!(source_of(&p, src, "12亿元"), "12亿元");
        // lists and English keep their signs
        let p = normalize("(1) (2) (3) (4) 园区项目", &lex());
        assert_eq!(blocks(&p), ["(1) (2) (3) (4) 园区项目"]);
        let p = normalize("All Rights Reserved. Copyright", &lex());
        assert_eq!(blocks(&p), ["All Rights Reserved. Copyright"]);
    }

    #[test]
    fn mirror_pinyin_is_dropped_and_offsets_stay_true() {
        let src = "創(chuàng)新(xīn)高新區(qū)營業收入12.3億元(yì yuán)";
        let p = normalize(src, &lex());
        assert_eq!(blocks(&p), ["创新高新区营业收入12.3亿元(yì yuán)"]);
        assert_eq!(source_of(&p, src, "12.3亿元"), "12.3億元");
        // a whole word's pinyin, tone-marked, after the word
        let src = "示例綜保區(zōngbǎoqū)正式運行,開放型(kāifàngxíng)經濟增長8.5%。";
        let p = normalize(src, &lex());
        assert_eq!(blocks(&p), ["示例综保区正式运行,开放型经济增长8.5%。"]);
        assert_eq!(source_of(&p, src, "8.5%"), "8.5%");
        // a longer Latin word in brackets, with no tone mark, is no pinyin
        let p = normalize("示例公司发布工业软件(software)新版本。", &lex());
        assert_eq!(blocks(&p), ["示例公司发布工业软件(software)新版本。"]);
    }

    #[test]
    fn a_caption_glued_to_a_dateline_and_a_stamp_glued_to_a_headline_are_split() {
        let p = normalize(
            "工地现场。记者 李一 摄 长城网衡水3月27日讯(记者 李一)3月27日,园区开工10个项目。",
            &lex(),
        );
        assert_eq!(
            blocks(&p),
            [
                "工地现场。记者 李一 摄",
                "长城网衡水3月27日讯(记者 李一)3月27日,园区开工10个项目。"
            ]
        );
        let p = normalize(
            "示例开发区成最有活力增长点http://www.example.com 2007年06月06日 06:49 示例网",
            &lex(),
        );
        assert_eq!(
            blocks(&p),
            [
                "示例开发区成最有活力增长点",
                "http://www.example.com 2007年06月06日 06:49 示例网"
            ]
        );
        // a summary line is chrome whole
        let p = normalize(
            "摘要: 发布会举行。 李一 摄 中新网南昌2月13日电 (李一)13日,记者获悉",
            &lex(),
        );
        assert_eq!(blocks(&p).len(), 1);
    }

    #[test]
    fn chrome_lines_are_not_rejoined_with_prose() {
        let src =
            "网址导航,热门推荐,精品下载,更多精彩\n\n当前位置: 首页 >\n\n某某高新区新签项目12个";
        let p = normalize(src, &lex());
        assert_eq!(blocks(&p).len(), 3);
    }

    #[test]
    fn folds_full_width_and_newlines() {
        let src = "审批时限缩短为１个工作日，材料减少３０％。\r\n\r\n第二段";
        let p = normalize(src, &lex());
        assert_eq!(
            blocks(&p),
            ["审批时限缩短为1个工作日,材料减少30%。", "第二段"]
        );
        // the span of "30%" maps back to the full-width source characters
        let s = p.text.find("30%").unwrap();
        let span = p.source_span(s, s + 3);
        assert_eq!(SourceText::new(src).slice(span), "３０％");
    }

    #[test]
    fn rejoins_a_paragraph_broken_by_layout() {
        let src = "“……提出8条具体改革措施。”广州高新区行政审批局副局长李宁对出\n\n台的“工业快批”3.0政策作重点介绍。";
        let p = normalize(src, &lex());
        assert_eq!(p.blocks.len(), 1);
        assert!(p.text.contains("李宁对出台的"));
        let s = p.text.find("出台").unwrap();
        let span = p.source_span(s, s + "出台".len());
        assert_eq!(
            SourceText::new(src).slice(span),
            "出\n\n台",
            "raw span keeps the source as it is"
        );
    }

    #[test]
    fn rejoins_after_a_comma_and_inside_a_name() {
        let src = "2020年,为助推企业复工复产,昆\n\n山高新区远赴云南、贵州等劳务合作基地。";
        let p = normalize(src, &lex());
        assert_eq!(
            blocks(&p),
            ["2020年,为助推企业复工复产,昆山高新区远赴云南、贵州等劳务合作基地。"]
        );
    }

    #[test]
    fn keeps_headlines_and_finished_paragraphs_apart() {
        let src = "28个硬招创新“工业快批”模式\n\n广州高新区在改革的“深水区”率先破冰。\n\n济南高新区表示,下一步要让项目“轻装上阵”。 王铁潇\n\n贵阳高新区 “科技贷”风险补偿资金纳入财政预算";
        let p = normalize(src, &lex());
        assert_eq!(p.blocks.len(), 4);
    }

    #[test]
    fn drops_a_verbatim_duplicated_fragment() {
        let src = "针对每个项目存在的问题,实施全流程跟踪调度,全力加速项目进程。\n\n力加速项目进程。\n\n实施挂图作业。";
        let p = normalize(src, &lex());
        assert_eq!(
            blocks(&p),
            [
                "针对每个项目存在的问题,实施全流程跟踪调度,全力加速项目进程。",
                "实施挂图作业。"
            ]
        );
    }

    #[test]
    fn converts_traditional_to_simplified_keeping_offsets() {
        let src = "廣州高新區累計推出28條改革措施。";
        let p = normalize(src, &lex());
        assert_eq!(p.text, "广州高新区累计推出28条改革措施。");
        let s = p.text.find("28条").unwrap();
        let span = p.source_span(s, s + "28条".len());
        assert_eq!(SourceText::new(src).slice(span), "28條");
    }

    #[test]
    fn simplified_conversion_matches_converting_the_whole_text() {
        // traditional characters, every context-dependent one in its special contexts, and
        // filler; random strings of them must convert exactly as fast2s converts the string
        let pool: Vec<char> =
            "廣州高新區累計推出28條改革措施乾隆的乾兒子一邊乾淨利落地擲出了一個乾卦\
            看著苧麻闔家鍾書校讎定仇計畫企畫藉口憑藉慰藉狼藉樊於期瞭望幺麽甚夥答覆批覆回覆兒寬\
            ab 0\n。著名显著"
                .chars()
                .collect();
        let table = CharTable::build();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for len in (1..40).chain([200, 1000]) {
            for _ in 0..50 {
                let s: String = (0..len)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        pool[(seed >> 33) as usize % pool.len()]
                    })
                    .collect();
                let mut chars: Vec<MappedChar> = s
                    .chars()
                    .enumerate()
                    .map(|(i, ch)| MappedChar { ch, src: i as u32 })
                    .collect();
                to_simplified(&mut chars, &table);
                let ours: String = chars.iter().map(|m| m.ch).collect();
                assert_eq!(ours, fast2s::convert(&s), "{s}");
            }
        }
        for s in ["看著", "著", "苧麻", "計畫", "乾卦", "藉口"] {
            let mut chars: Vec<MappedChar> =
                s.chars().map(|ch| MappedChar { ch, src: 0 }).collect();
            to_simplified(&mut chars, &table);
            let ours: String = chars.iter().map(|m| m.ch).collect();
            assert_eq!(ours, fast2s::convert(s), "{s}");
        }
    }

    #[test]
    fn the_character_table_agrees_with_the_libraries() {
        let table = &*CHAR_TABLE;
        for c in ('\u{80}'..='\u{FFFF}').chain(['\u{1F600}', '\u{2F800}', '\u{20000}']) {
            let direct =
                is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes && !c.is_whitespace();
            assert_eq!(table.nfkc_stable(c), direct, "{c:?}");
            if c.len_utf8() == 3 && !table.t2s_maybe(c) {
                let s = c.to_string();
                assert_eq!(fast2s::convert(&s), s, "{c:?}");
            }
        }
    }

    #[test]
    fn collapses_spaces_and_trims() {
        let p = normalize("  ▶  本报特约通讯员\u{3000}范敏铃  \n", &lex());
        assert_eq!(p.text, "▶ 本报特约通讯员 范敏铃");
    }

    #[test]
    fn an_indent_lost_to_question_marks_is_dropped_and_offsets_stay_true() {
        let src = "???? 9月18日,园区通过验收?\n\u{FFFD}\u{FFFD}据介绍,园区引进企业12家。\n";
        let p = normalize(src, &lex());
        assert_eq!(
            blocks(&p),
            ["9月18日,园区通过验收?", "据介绍,园区引进企业12家。"]
        );
        assert_eq!(source_of(&p, src, "9月18日"), "9月18日");
    }
}
