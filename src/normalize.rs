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
}

impl NormalizedPage {
    /// Text of a block.
    pub fn block_text(&self, b: Block) -> &str {
        &self.text[b.start..b.end]
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
    let chars = fold_chars(source);
    let lines = split_lines(&chars);
    let lines = rejoin_broken(lines, lex);
    let lines = drop_duplicate_fragments(lines);
    assemble(lines)
}

/// NFKC per character, newline and whitespace folding, then traditional → simplified.
fn fold_chars(source: &str) -> Vec<MappedChar> {
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
                if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes && !c.is_whitespace() {
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
    to_simplified(&mut out);
    out
}

/// Traditional → simplified, character for character (offsets stay aligned).
fn to_simplified(chars: &mut [MappedChar]) {
    // Only pages with CJK characters outside the common simplified set need the converter;
    // it is cheap, but skipping pure-ASCII pages keeps the fast path fast.
    if chars.iter().all(|m| m.ch.is_ascii()) {
        return;
    }
    let s: String = chars.iter().map(|m| m.ch).collect();
    let converted = fast2s::convert(&s);
    if converted.chars().count() != chars.len() {
        return; // never misalign offsets: keep the text as it is
    }
    for (m, c) in chars.iter_mut().zip(converted.chars()) {
        m.ch = c;
    }
}

/// A trimmed, space-collapsed line and whether blank lines preceded it.
struct Line {
    chars: Vec<MappedChar>,
}

impl Line {
    fn text(&self) -> String {
        self.chars.iter().map(|m| m.ch).collect()
    }
}

fn split_lines(chars: &[MappedChar]) -> Vec<Line> {
    let mut lines = Vec::new();
    for raw in chars.split(|m| m.ch == '\n') {
        let mut cur: Vec<MappedChar> = Vec::with_capacity(raw.len());
        for &m in raw {
            if m.ch == ' ' && cur.last().is_none_or(|p| p.ch == ' ') {
                continue;
            }
            cur.push(m);
        }
        while cur.last().is_some_and(|m| m.ch == ' ') {
            cur.pop();
        }
        if !cur.is_empty() {
            lines.push(Line { chars: cur });
        }
    }
    lines
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

fn rejoin_broken(lines: Vec<Line>, lex: &Lexicon) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(prev) = out.last_mut() {
            if is_broken_paragraph(&prev.text(), lex) {
                prev.chars.extend(line.chars);
                continue;
            }
        }
        out.push(line);
    }
    out
}

fn drop_duplicate_fragments(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(prev) = out.last() {
            let p = prev.text();
            let t = line.text();
            if t.chars().count() >= 4 && p.ends_with(&t) {
                continue;
            }
        }
        out.push(line);
    }
    out
}

fn assemble(lines: Vec<Line>) -> NormalizedPage {
    let cap: usize = lines.iter().map(|l| l.chars.len() * 3 + 1).sum();
    let mut text = String::with_capacity(cap);
    let mut src_of_byte: Vec<u32> = Vec::with_capacity(cap);
    let mut blocks = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            let src = line
                .chars
                .first()
                .map(|m| m.src.saturating_sub(1))
                .unwrap_or(0);
            text.push('\n');
            src_of_byte.push(src);
        }
        let start = text.len();
        for m in &line.chars {
            text.push(m.ch);
            for _ in 0..m.ch.len_utf8() {
                src_of_byte.push(m.src);
            }
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
    fn collapses_spaces_and_trims() {
        let p = normalize("  ▶  本报特约通讯员\u{3000}范敏铃  \n", &lex());
        assert_eq!(p.text, "▶ 本报特约通讯员 范敏铃");
    }
}
