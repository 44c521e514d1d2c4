//! Stage 4: split a normalized page into articles.
//!
//! A page holds several articles. An article starts at its headline (a short line without
//! sentence punctuation) and runs until the next headline that starts a new article. A
//! headline starts a new article when it is the first on the page, when the previous article
//! has ended (a reporter's name after its last sentence), when a byline, `本报讯` lead or web
//! metadata follows it, or when it names a zone; otherwise it is a section heading inside the
//! current article. Bylines (`▶ 本报特约通讯员 范敏铃`), `本报讯(特约通讯员 王亚东)` leads, trailing
//! reporter names, `图片来源:…` lines and web metadata (`来源:… 作者:… 发布时间:…`) are
//! metadata: they fill `authors` and `published` and are not body text. A block of body text
//! after an ended article, or a photo caption (`… 张三 摄`), is an untitled article.

use crate::lexicon::{is_han, Lexicon};
use crate::model::{DatePrecision, Published};
use crate::normalize::{Block, NormalizedPage};

/// The role of a piece of article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The headline.
    Title,
    /// Kicker or deck.
    Subtitle,
    /// Body paragraph (including in-article section headings).
    Body,
}

/// A span of normalized text with its role in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// Byte range in the normalized page text.
    pub block: Block,
    /// What it is.
    pub role: Role,
}

/// An article as cut from the page, before extraction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleDraft {
    /// Title, subtitle and body segments in reading order.
    pub segments: Vec<Segment>,
    /// Credited reporters, correspondents, photographers.
    pub authors: Vec<String>,
    /// Date from the article's own metadata (`发布时间:`), if any.
    pub published: Option<Published>,
    closed: bool,
}

impl ArticleDraft {
    /// The headline segment.
    pub fn title(&self) -> Option<Block> {
        self.role_block(Role::Title)
    }

    /// The subtitle segment.
    pub fn subtitle(&self) -> Option<Block> {
        self.role_block(Role::Subtitle)
    }

    fn role_block(&self, role: Role) -> Option<Block> {
        self.segments
            .iter()
            .find(|s| s.role == role)
            .map(|s| s.block)
    }

    /// Body segments, in order.
    pub fn body(&self) -> impl Iterator<Item = Block> + '_ {
        self.segments
            .iter()
            .filter(|s| s.role == Role::Body)
            .map(|s| s.block)
    }

    fn has_body(&self) -> bool {
        self.segments.iter().any(|s| s.role == Role::Body)
    }

    fn add_author(&mut self, names: Vec<String>) {
        for n in names {
            if !self.authors.contains(&n) {
                self.authors.push(n);
            }
        }
    }
}

/// What a block is, before it is assigned to an article.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Headline,
    Byline(Vec<String>),
    PhotoCredit,
    WebMeta {
        authors: Vec<String>,
        published: Option<Published>,
    },
    /// `本报讯(…)`: body text starting at `body_start`, with the credited names.
    Lead {
        body_start: usize,
        authors: Vec<String>,
    },
    Caption,
    Body,
}

/// Splits a page into article drafts.
pub fn segment(page: &NormalizedPage, lex: &Lexicon) -> Vec<ArticleDraft> {
    let kinds: Vec<Kind> = page
        .blocks
        .iter()
        .map(|&b| classify(page.block_text(b), b.start, lex))
        .collect();
    let mut articles: Vec<ArticleDraft> = Vec::new();
    let mut pending_heads: Vec<Block> = Vec::new();
    let mut i = 0;
    while i < page.blocks.len() {
        let block = page.blocks[i];
        let kind = &kinds[i];
        if *kind == Kind::Headline {
            pending_heads.push(block);
            i += 1;
            continue;
        }
        if !pending_heads.is_empty() {
            // a photo credit between headline and lead does not decide anything: look past it
            let next_kind = kinds[i..]
                .iter()
                .find(|k| **k != Kind::PhotoCredit)
                .unwrap_or(&Kind::Body);
            let signals_new = matches!(
                next_kind,
                Kind::Byline(_) | Kind::WebMeta { .. } | Kind::Lead { .. }
            );
            let heads = std::mem::take(&mut pending_heads);
            place_heads(page, lex, &mut articles, heads, signals_new);
        }
        match kind {
            Kind::Headline | Kind::PhotoCredit => {}
            Kind::Byline(names) => {
                let cur = current_or_new(&mut articles);
                let trailing = cur.has_body();
                cur.add_author(names.clone());
                if trailing {
                    cur.closed = true;
                }
            }
            Kind::WebMeta { authors, published } => {
                let cur = current_or_new(&mut articles);
                cur.add_author(authors.clone());
                if published.is_some() {
                    cur.published = *published;
                }
            }
            Kind::Lead {
                body_start,
                authors,
            } => {
                let cur = current_or_new(&mut articles);
                if cur.has_body() {
                    // a lead always opens an article
                    articles.push(ArticleDraft::default());
                }
                let cur = articles.last_mut().expect("an article was just ensured");
                cur.add_author(authors.clone());
                let b = Block {
                    start: *body_start,
                    end: block.end,
                };
                push_body(page, lex, cur, b);
            }
            Kind::Caption => {
                let text = page.block_text(block);
                articles.push(ArticleDraft {
                    authors: caption_credit(text, lex).into_iter().collect(),
                    segments: vec![Segment {
                        block,
                        role: Role::Body,
                    }],
                    closed: true,
                    ..ArticleDraft::default()
                });
            }
            Kind::Body => {
                if articles.last().is_none_or(|a| a.closed) {
                    articles.push(ArticleDraft::default());
                }
                let cur = articles.last_mut().expect("an article was just ensured");
                push_body(page, lex, cur, block);
            }
        }
        i += 1;
    }
    if !pending_heads.is_empty() {
        place_heads(page, lex, &mut articles, pending_heads, false);
    }
    articles.retain(|a| !a.segments.is_empty());
    articles
}

fn current_or_new(articles: &mut Vec<ArticleDraft>) -> &mut ArticleDraft {
    if articles.last().is_none_or(|a| a.closed) {
        articles.push(ArticleDraft::default());
    }
    let n = articles.len() - 1;
    &mut articles[n]
}

/// Appends a body block, peeling off reporter names that end the article.
fn push_body(page: &NormalizedPage, lex: &Lexicon, cur: &mut ArticleDraft, b: Block) {
    let text = &page.text[b.start..b.end];
    let mut block = b;
    if let Some((pos, names)) = lex.trailing_names(text) {
        let keep = text[..pos].trim_end().len();
        block.end = b.start + keep;
        cur.add_author(names);
        cur.closed = true;
    }
    if block.end > block.start {
        cur.segments.push(Segment {
            block,
            role: Role::Body,
        });
    }
}

/// Decides whether pending headlines open a new article or are section headings.
fn place_heads(
    page: &NormalizedPage,
    lex: &Lexicon,
    articles: &mut Vec<ArticleDraft>,
    heads: Vec<Block>,
    signals_new: bool,
) {
    let mentions_zone = heads.iter().any(|&h| names_a_zone(page.block_text(h), lex));
    let open_new = match articles.last() {
        None => true,
        Some(a) if a.closed => true,
        Some(a) if !a.has_body() => false,
        Some(_) => signals_new || mentions_zone,
    };
    if open_new {
        articles.push(ArticleDraft::default());
    }
    let cur = articles.last_mut().expect("an article exists");
    if !open_new && cur.has_body() {
        for h in heads {
            cur.segments.push(Segment {
                block: h,
                role: Role::Body,
            });
        }
        return;
    }
    // heads of an article without body yet: pick the title, the rest is subtitle
    let mut all: Vec<Block> = cur
        .segments
        .iter()
        .filter(|s| s.role != Role::Body)
        .map(|s| s.block)
        .collect();
    all.extend(heads);
    cur.segments.retain(|s| s.role == Role::Body);
    let title_idx = choose_title(page, lex, &all);
    let mut segs: Vec<Segment> = all
        .iter()
        .enumerate()
        .map(|(k, &b)| Segment {
            block: if k == title_idx {
                b
            } else {
                strip_leading_dashes(page, b)
            },
            role: if k == title_idx {
                Role::Title
            } else {
                Role::Subtitle
            },
        })
        .collect();
    // only one subtitle segment is reported; further kicker lines stay as subtitle segments
    segs.append(&mut cur.segments);
    cur.segments = segs;
}

fn strip_leading_dashes(page: &NormalizedPage, b: Block) -> Block {
    let t = page.block_text(b);
    let stripped = t.trim_start_matches(['—', '-', '─', ' ']);
    Block {
        start: b.end - stripped.len(),
        end: b.end,
    }
}

/// The main headline among stacked heads: not a `——` deck, preferably the one naming a zone,
/// else the longest.
fn choose_title(page: &NormalizedPage, lex: &Lexicon, heads: &[Block]) -> usize {
    let cands: Vec<usize> = (0..heads.len())
        .filter(|&k| !page.block_text(heads[k]).starts_with('—'))
        .collect();
    let cands = if cands.is_empty() {
        (0..heads.len()).collect()
    } else {
        cands
    };
    if let Some(&k) = cands
        .iter()
        .find(|&&k| names_a_zone(page.block_text(heads[k]), lex))
    {
        return k;
    }
    cands
        .iter()
        .copied()
        .max_by_key(|&k| {
            (
                page.block_text(heads[k]).chars().count(),
                std::cmp::Reverse(k),
            )
        })
        .unwrap_or(0)
}

/// True when a zone suffix stands after a place prefix of at least two Han characters.
fn names_a_zone(text: &str, lex: &Lexicon) -> bool {
    lex.zone_suffixes.find_iter(text).any(|m| {
        let before: String = text[..m.start()]
            .chars()
            .rev()
            .take_while(|&c| is_han(c))
            .take(2)
            .collect();
        before.chars().count() == 2
            && !lex
                .generic_prefixes
                .contains(&before.chars().rev().collect::<String>())
    })
}

fn classify(text: &str, start: usize, lex: &Lexicon) -> Kind {
    let t = text.trim();
    if t.starts_with("图片来源") || t.starts_with("图片由") || t.starts_with("(图片来源")
    {
        return Kind::PhotoCredit;
    }
    if let Some(meta) = parse_web_meta(t, lex) {
        return meta;
    }
    if let Some(names) = lex.byline_names(t) {
        return Kind::Byline(names);
    }
    if let Some(lead) = parse_lead(text, start, lex) {
        return lead;
    }
    if is_caption(t, lex) {
        return Kind::Caption;
    }
    if is_headline(t) {
        return Kind::Headline;
    }
    Kind::Body
}

/// `来源:湘潭高新区 作者:戴宁 刘澜 发布时间:2022-01-20 11:31`.
fn parse_web_meta(t: &str, lex: &Lexicon) -> Option<Kind> {
    let has_src = t.starts_with("来源:") || t.contains("作者:");
    if !has_src {
        return None;
    }
    let has_time = t.contains("发布时间:") || t.contains("发布日期:") || t.contains("时间:");
    if !(has_src && (has_time || t.starts_with("来源:"))) || t.chars().count() > 120 {
        return None;
    }
    let field = |key: &str| -> Option<&str> {
        let at = t.find(key)? + key.len();
        let rest = &t[at..];
        let end = [
            "来源:",
            "作者:",
            "发布时间:",
            "发布日期:",
            "编辑:",
            "责任编辑:",
            "浏览",
        ]
        .iter()
        .filter_map(|k| rest.find(k))
        .min()
        .unwrap_or(rest.len());
        Some(rest[..end].trim())
    };
    let authors = field("作者:")
        .map(|s| {
            s.split([' ', '、', ','])
                .filter(|n| lex.is_name(n))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let published = field("发布时间:")
        .or_else(|| field("发布日期:"))
        .and_then(parse_iso_date);
    Some(Kind::WebMeta { authors, published })
}

/// `2022-01-20`, `2022/1/20`, `2022年1月20日` at the start of `s`.
pub fn parse_iso_date(s: &str) -> Option<Published> {
    let digits: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(3)
        .collect();
    if digits.len() < 3 {
        return None;
    }
    let year: i32 = digits[0].parse().ok()?;
    let month: u32 = digits[1].parse().ok()?;
    let day: u32 = digits[2].parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    Some(Published {
        year,
        month,
        day,
        precision: DatePrecision::Day,
    })
}

/// `本报讯 (特约通讯员 李雯文) 近日,…`: the body starts after the lead and its credit.
fn parse_lead(text: &str, start: usize, lex: &Lexicon) -> Option<Kind> {
    let lead_words = ["本报讯", "本刊讯", "本网讯"];
    let word = lead_words.iter().find(|w| text.starts_with(**w))?;
    let mut rest = &text[word.len()..];
    rest = rest.trim_start();
    let mut authors = Vec::new();
    if rest.starts_with('(') {
        if let Some(close) = rest.find(')') {
            let inner = &rest[1..close];
            if inner.chars().count() <= 40 {
                if let Some(names) = lex.byline_names(inner) {
                    authors = names;
                }
                rest = rest[close + 1..].trim_start();
            }
        }
    }
    let body_start = start + (text.len() - rest.len());
    Some(Kind::Lead {
        body_start,
        authors,
    })
}

/// The photographer of a caption (`… 赵磊 摄` → 赵磊).
fn caption_credit(t: &str, lex: &Lexicon) -> Option<String> {
    let rest = t.trim().strip_suffix('摄')?.trim_end_matches(['/', ' ']);
    let name: String = rest
        .chars()
        .rev()
        .take_while(|c| is_han(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let name = name.strip_prefix("记者").unwrap_or(&name).to_string();
    lex.is_name(&name).then_some(name)
}

/// A short stand-alone block ending with a photographer's credit (`… 张三 摄`, `…/摄`).
fn is_caption(t: &str, lex: &Lexicon) -> bool {
    t.chars().count() <= 160 && (caption_credit(t, lex).is_some() || t.trim().ends_with("/摄"))
}

/// A short line without sentence punctuation: a headline or a section heading.
fn is_headline(t: &str) -> bool {
    let n = t.chars().count();
    if n == 0 || n > 50 {
        return false;
    }
    if t.chars().any(|c| matches!(c, '。' | '?' | ';')) {
        return false;
    }
    let last = t.chars().next_back().unwrap_or(' ');
    if matches!(last, ',' | '、' | ':' | '!' | '…') {
        return false;
    }
    if t.matches(',').count() > 1 {
        return false;
    }
    t.chars().filter(|&c| is_han(c)).count() >= 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    /// title, subtitle, authors, body joined with `|`
    type Cut = (Option<String>, Option<String>, Vec<String>, String);

    fn titles(src: &str) -> Vec<Cut> {
        let lex = Lexicon::for_tests();
        let page = normalize(src, &lex);
        segment(&page, &lex)
            .into_iter()
            .map(|a| {
                let body: Vec<&str> = a.body().map(|b| page.block_text(b)).collect();
                (
                    a.title().map(|b| page.block_text(b).to_string()),
                    a.subtitle().map(|b| page.block_text(b).to_string()),
                    a.authors.clone(),
                    body.join("|"),
                )
            })
            .collect()
    }

    #[test]
    fn newspaper_page_with_byline_subheads_and_trailing_name() {
        let src = "\n\n广州高新区28个硬招提速“工业快批”\n\n▶ 本报特约通讯员 范敏铃\n\n8月22日,广州高新区举行新闻发布会。\n\n28个硬招创新“工业快批”模式\n\n广州高新区率先破冰。”李涛说。 王铁潇\n\n济南高新区 储能装备产业园与城市更新项目开建\n\n\n\n图片来源:济南高新区\n\n本报讯 8月23日,新型储能装备产业园开工活动举行。";
        let a = titles(src);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].0.as_deref(), Some("广州高新区28个硬招提速“工业快批”"));
        assert_eq!(a[0].2, ["范敏铃", "王铁潇"]);
        assert!(
            a[0].3.contains("28个硬招创新“工业快批”模式"),
            "section heading stays in the body"
        );
        assert!(a[0].3.ends_with("”李涛说。"));
        assert_eq!(
            a[1].0.as_deref(),
            Some("济南高新区 储能装备产业园与城市更新项目开建")
        );
        assert_eq!(a[1].3, "8月23日,新型储能装备产业园开工活动举行。");
    }

    #[test]
    fn kicker_above_title_and_lone_byline() {
        let src = "变过去“企业跑”为现在“政府跑”\n\n沈阳高新区:“软服务”提升“硬实力”\n\n冯启东\n\n初春时节是建设项目办理开复工审批最忙碌的时间。\n\n图片来源:沈阳高新区\n\n风欲起而石燕飞,势将起而招商舞。";
        let a = titles(src);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].0.as_deref(), Some("沈阳高新区:“软服务”提升“硬实力”"));
        assert_eq!(a[0].1.as_deref(), Some("变过去“企业跑”为现在“政府跑”"));
        assert_eq!(a[0].2, ["冯启东"]);
    }

    #[test]
    fn lead_credit_and_untitled_brief_after_ended_article() {
        let src = "常州高新区 建智能网联创新示范基地\n\n本报讯(特约通讯员 王亚东)近日,活动举行。\n\n此次项目启动,将打造产业高地。 张小瑛\n\n图片来源:常州高新区\n\n8月27日,浙商银行东莞分行与松山湖材料实验室联合开展结对共建。";
        let a = titles(src);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].2, ["王亚东", "张小瑛"]);
        assert!(a[0].3.starts_with("近日,"));
        assert_eq!(a[1].0, None);
        assert!(a[1].3.starts_with("8月27日,浙商银行"));
    }

    #[test]
    fn web_article_metadata() {
        let src = "改革风来满目春——2021年湘潭高新区全面深化改革工作纪实\n\n来源:湘潭高新区 作者:戴宁 刘澜 发布时间:2022-01-20 11:31\n\n“因高而远,因新而活。”这则作品是生动诠释。";
        let lex = Lexicon::for_tests();
        let page = normalize(src, &lex);
        let arts = segment(&page, &lex);
        assert_eq!(arts.len(), 1);
        assert_eq!(arts[0].authors, ["戴宁", "刘澜"]);
        let p = arts[0].published.unwrap();
        assert_eq!((p.year, p.month, p.day), (2022, 1, 20));
        assert_eq!(
            page.block_text(arts[0].title().unwrap()),
            "改革风来满目春——2021年湘潭高新区全面深化改革工作纪实"
        );
    }

    #[test]
    fn trailing_author_line_after_body_closes_the_article() {
        let src = "瞄准“产业高地”目标 杨凌农高区打造百亿元级产业集群\n\n本报讯 近日消息。\n\n实现产业强。\n\n万英俊 何家岐 周阳\n\n\n\n图片来源:杨凌农高区";
        let a = titles(src);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].2, ["万英俊", "何家岐", "周阳"]);
    }
}
