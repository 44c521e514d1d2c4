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

use std::sync::LazyLock;

use regex::Regex;

use crate::lexicon::{is_han, Lexicon, PRESS_ENDINGS};
use crate::lines::{
    date_only_line, dateline_by_press, field_value, is_chrome, is_kicker, is_meta_line,
    is_zone_name_alone, meta_fields, meta_text, names_a_zone, opens_list_item, parse_iso_date,
    print_edition_line, stamp_line, strip_list_marker, CN_DATE, DATELINE, ISO_DATE, MAX_META_CHARS,
};
use crate::model::Published;
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
    /// Month and day of the article's dateline (`新华社北京12月6日电`), if any: the year comes
    /// from the page.
    pub dateline: Option<(u32, u32)>,
    /// The publisher a metadata line credits (`来源:岳阳经济技术开发区`), if any: a zone's own
    /// site calls its zone just 经开区.
    pub source: Option<String>,
    /// The site's name printed over the headline (如皋高新技术产业开发区(如城街道、城南街道)),
    /// if the page has one: like `source`, the zone whose site it is.
    pub site: Option<String>,
    /// `published` came from a line with metadata keys.
    published_keyed: bool,
    closed: bool,
    /// Heads came before a metadata line and no body yet: on a web page they may be the
    /// site's header over an 索引号 table, with the headline printed after it.
    heads_over_meta: bool,
    /// The article is an editor's note (`编者按`): it ends with its first paragraph.
    editor_note: bool,
    /// A summary was followed by the story's headline (`…电 题:…`): its text is still to
    /// come, so a credit line now closes nothing.
    awaits_text: bool,
}

/// Longest photo caption kept with the headline and lead it stands between, in characters.
const MAX_CAPTION_CHARS: usize = 40;

impl ArticleDraft {
    /// True when the article has a headline and, under it, only photo captions (credited ones, or
    /// short lines of at most one sentence), before any lead or dateline.
    fn only_captions_under_title(&self, page: &NormalizedPage, lex: &Lexicon) -> bool {
        self.only_under_title(page, |t| {
            // a credited photo (…发布会举行。 卢梦梦 摄) is a caption whatever its length
            is_caption(t, lex)
                || (t.chars().count() <= MAX_CAPTION_CHARS
                    && !t.trim_end_matches('。').contains(['。', ';']))
        })
    }

    /// True when the article has a headline and, under it, nothing but pictures: credited
    /// captions (…开工现场。 张三 摄) or lines that say they describe one (图为…). Stricter than
    /// [`Self::only_captions_under_title`]: on a printed page a short first sentence under a
    /// headline is its lead, not a caption.
    fn only_photos_under_title(&self, page: &NormalizedPage, lex: &Lexicon) -> bool {
        self.only_under_title(page, |t| is_caption(t, lex) || t.contains("图为"))
    }

    /// True when the article has a headline, no lead or dateline yet, and every body line under
    /// the headline is `picture`'s.
    fn only_under_title(&self, page: &NormalizedPage, picture: impl Fn(&str) -> bool) -> bool {
        self.title().is_some()
            && self.dateline.is_none()
            && self
                .segments
                .iter()
                .filter(|s| s.role == Role::Body)
                .all(|s| picture(page.block_text(s.block).trim()))
    }

    /// The headline segment.
    pub fn title(&self) -> Option<Block> {
        self.role_block(Role::Title)
    }

    /// The headline as printed: its lines joined without a space when it runs over two
    /// (乌鲁木齐经济技术开发区 / 2023年国民经济和社会发展计划执行情况).
    pub fn title_text(&self, page: &NormalizedPage) -> Option<String> {
        let mut lines = self
            .segments
            .iter()
            .filter(|s| s.role == Role::Title)
            // (- 某某高新区大干快上: a crawler's list marker is not part of the headline)
            .map(|s| crate::lines::strip_list_marker(page.block_text(s.block)))
            .peekable();
        lines.peek()?;
        let joined: String = lines.collect();
        Some(without_trailing_date(without_file_name(&joined)).to_string())
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

    /// Makes `b` the headline of an article that has none (`…电 题:…`).
    fn add_title(&mut self, b: Block) {
        self.segments.push(Segment {
            block: b,
            role: Role::Title,
        });
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
        /// The date came with metadata keys (`发布时间:…`), not on a line of its own (a page
        /// header's `2024年04月20日 星期六` may be the day the page was crawled).
        keyed: bool,
        /// The value of its source field (`来源:`), if any.
        source: Option<String>,
        /// A date field giving only the month and day (`日期:12-30`): the year is the page's
        /// (an e-paper reader's header date, or the year its text gives).
        month_day: Option<(u32, u32)>,
    },
    /// `本报讯(…)`, `新华社北京12月6日电(记者 XX)`: body text starting at `body_start`, with
    /// the credited names and the dateline's month and day.
    Lead {
        body_start: usize,
        authors: Vec<String>,
        dateline: Option<(u32, u32)>,
        /// An editor's note (`编者按:`): it opens an article only where no body came yet; in
        /// the middle of one it is a paragraph of it.
        note: bool,
        /// The headline a wire dateline prints after `题:` (`中新网重庆6月25日电 题:…`).
        headline: Option<Block>,
    },
    Caption,
    Body,
    /// Site chrome (breadcrumbs, banners, counters, footers): dropped.
    Chrome,
    /// The heading of a list of other stories (相关新闻): it and its list are dropped.
    ListHeading,
    /// A section label (图片新闻, 简讯): the briefs after it are untitled articles.
    BriefLabel,
    /// `编者按` on a line of its own: the editor's note under it is an untitled article of its
    /// own, and the story it introduces starts at the next headline.
    NoteLabel,
}

/// Fewest headlines in a row, closed by chrome, taken for the page's index of stories.
const MIN_INDEX_HEADS: usize = 3;

/// Labels of an editor's note printed on a line of their own.
const NOTE_LABELS: [&str; 3] = ["编者按", "编者语", "编者的话"];

/// Longest headline that may end with a full stop, in characters.
const MAX_STOPPED_HEADLINE_CHARS: usize = 40;

/// `江华高新区亿元项目建设如火如荼。` over `红网时刻永州1月19日讯(…)`: a short line with one
/// sentence, the first text of the page or after chrome or metadata, right before a lead is
/// that lead's headline though a full stop ends it.
fn headlines_with_a_full_stop(page: &NormalizedPage, kinds: &mut [Kind]) {
    for i in 0..kinds.len().saturating_sub(1) {
        let opens_page = matches!(
            kinds[i],
            Kind::Chrome | Kind::ListHeading | Kind::WebMeta { .. } | Kind::PhotoCredit
        );
        if opens_page {
            continue;
        }
        // only the first text of the page can be such a headline
        let t = page.block_text(page.blocks[i]).trim();
        if kinds[i] == Kind::Body
            && matches!(kinds[i + 1], Kind::Lead { .. })
            && t.chars().count() <= MAX_STOPPED_HEADLINE_CHARS
            && t.ends_with('。')
            && t.matches('。').count() == 1
            && !t.contains([',', ',', ';', ':'])
            // (■陝汽新疆汽車有限公司的員工在對車輛進行總裝。 under 放大圖片: a photo's caption,
            // marked as a paper marks its captions)
            && !t.starts_with(['■', '▲', '●', '◆', '△', '□'])
        {
            kinds[i] = Kind::Headline;
        }
        return;
    }
}

/// Longest line over a web page's metadata taken for its headline though it ends with `!`.
const MAX_EXCLAIMED_HEADLINE_CHARS: usize = 40;

/// `104.51亿元!弋江区第三季度云签约、开工活动举行!` over `发布时间:… 来源:…`: before any body
/// text, a short line right over metadata keys, or over the story's first paragraph, is the
/// headline though `!` ends it.
fn exclaimed_headlines(page: &NormalizedPage, kinds: &mut [Kind]) {
    for i in 0..kinds.len().saturating_sub(1) {
        match &kinds[i] {
            Kind::Chrome | Kind::ListHeading | Kind::Headline | Kind::PhotoCredit => continue,
            Kind::Body => {}
            _ => return,
        }
        let t = page.block_text(page.blocks[i]).trim();
        // (GDP增长8.3%!珠海高新区经济“期中答卷”出炉! / 2025年上半年,…: or over the story's
        // first paragraph, when it holds no comma and the paragraph is a story's)
        let over_story = || {
            kinds[i + 1] == Kind::Body
                && !t.contains(',')
                && t.chars().filter(|&c| is_han(c)).count() >= MIN_EVENT_HEADLINE_CHARS
                && page.block_text(page.blocks[i + 1]).chars().count() >= MIN_QUOTED_STORY_CHARS
        };
        if (matches!(kinds[i + 1], Kind::WebMeta { keyed: true, .. }) || over_story())
            && t.chars().count() <= MAX_EXCLAIMED_HEADLINE_CHARS
            && t.ends_with('!')
            && !t.contains(['。', ';', '?'])
        {
            kinds[i] = Kind::Headline;
        }
        return;
    }
}

/// Longest line right over a web page's metadata taken for its headline though it is longer
/// than a headline usually is, in characters.
const MAX_LONG_HEADLINE_CHARS: usize = 70;

/// Longest line (in characters) that may stand between a page's top and its headline without
/// being a paragraph (图片, 视频, a site's name).
const MAX_LABEL_ABOVE_HEADLINE: usize = 12;

/// `海口高新区1-4月营业总收入实现较快增长,工业和服务业企业的营业收入分别增长13.6%和66%` over
/// `01.06.2017 11:31`: the page's first text, right over its date or metadata, finishing no
/// sentence, is the headline though it is too long for one elsewhere.
fn long_headline_over_metadata(page: &NormalizedPage, kinds: &mut [Kind]) {
    // the block just above the first metadata line, when nothing before it is a paragraph:
    // a site's name or a picture's label (图片) may stand above the headline
    let Some(meta) = kinds.iter().position(|k| matches!(k, Kind::WebMeta { .. })) else {
        return;
    };
    let Some(i) = meta.checked_sub(1) else {
        return;
    };
    if kinds[i] != Kind::Body {
        return;
    }
    let paragraph_before = (0..i).any(|j| {
        kinds[j] == Kind::Body
            && page.block_text(page.blocks[j]).trim().chars().count() > MAX_LABEL_ABOVE_HEADLINE
    });
    if paragraph_before {
        return;
    }
    let t = page.block_text(page.blocks[i]).trim();
    // an exclamation closes a headline (福州7个园区上榜全省30强!), it does not open a second
    // sentence
    let inner = t.trim_end_matches('!');
    if t.chars().count() <= MAX_LONG_HEADLINE_CHARS
        && !inner.contains(['。', ';', '?', '!', ':'])
        && !t.ends_with([',', '、', '…'])
        && t.matches(',').count() <= 1
    {
        kinds[i] = Kind::Headline;
    }
}

/// Splits a page into article drafts.
pub fn segment(page: &NormalizedPage, lex: &Lexicon) -> Vec<ArticleDraft> {
    let mut kinds: Vec<Kind> = page
        .blocks
        .iter()
        .map(|&b| classify(page.block_text(b), b.start, lex))
        .collect();
    drop_story_lists(page, &mut kinds);
    stacked_date_stamps(page, &mut kinds);
    headlines_with_a_full_stop(page, &mut kinds);
    exclaimed_headlines(page, &mut kinds);
    long_headline_over_metadata(page, &mut kinds);
    // a web page (metadata lines) is one article and its section heads: only a byline, a lead
    // or metadata after a headline opens another
    let web = kinds.iter().any(|k| matches!(k, Kind::WebMeta { .. }));
    let mut site = None;
    if web {
        header_over_breadcrumb(page, &mut kinds);
        site = site_name_over_headline(page, lex, &mut kinds);
        menus_after_article_end(page, lex, &mut kinds);
        furniture_before_headline(page, &mut kinds);
    }
    // 第A08版:滁州经开区风采: a newspaper page given over to a zone is, like a zone's site, the
    // zone's own: its stories' bare 经开区 is that zone
    if site.is_none() {
        site = zone_edition_section(page, &kinds, lex);
    }
    let briefs = is_brief_list(&kinds);
    let mut blocks = original_title_first(page, &mut kinds);
    untag_headlines(page, lex, &mut kinds, &mut blocks);
    let mut articles: Vec<ArticleDraft> = Vec::new();
    let mut pending_heads: Vec<Block> = Vec::new();
    // the latest full date a metadata or date line gave: the year of a field that gives only
    // the month and day
    let mut page_date: Option<Published> = None;
    let mut i = 0;
    while i < page.blocks.len() {
        let block = blocks[i];
        let kind = &kinds[i];
        if matches!(kind, Kind::Chrome | Kind::ListHeading) {
            // 西藏和平解放 / 我市走访慰问 / … / 返回主页 | 郑州晚报 | 标题导航 / 上一期 下一期 / the
            // headline: a run of headlines the page's navigation closes, with no text of their
            // own, is the page's index of stories, not this story's heads
            // (a picture's label, 资料图片, under the heads and their photo's caption is no
            // navigation)
            let picture_label = || {
                let t = page.block_text(block).trim();
                lex.page
                    .rules
                    .picture_labels
                    .iter()
                    .any(|l| t.starts_with(l.as_str()))
            };
            if picture_label() {
                // (…迎来开门红 / 从海门起航的中国首制极地探险邮轮 / 资料图片: the line right over a
                // picture's label is that picture's caption, not a head)
                if pending_heads.len() >= 2
                    && pending_heads
                        .last()
                        .is_some_and(|&h| printed_together(page, h, block))
                {
                    pending_heads.pop();
                }
            } else if pending_heads.len() >= MIN_INDEX_HEADS
                && articles.last().is_none_or(|a| a.closed || !a.has_body())
            {
                pending_heads.clear();
            }
            i += 1;
            continue;
        }
        if *kind == Kind::Headline {
            pending_heads.push(block);
            i += 1;
            continue;
        }
        if !pending_heads.is_empty() {
            // a photo credit or chrome between headline and lead does not decide anything
            let next_kind = kinds[i..]
                .iter()
                .find(|k| !matches!(k, Kind::PhotoCredit | Kind::Chrome | Kind::ListHeading))
                .unwrap_or(&Kind::Body);
            // `《勇立潮头 澎湃向前》` over a long paragraph: a site that reprints several
            // stories prints each one's headline in title marks, and that opens a story
            let quoted_headline = || {
                *next_kind == Kind::Body
                    && page.block_text(block).chars().count() >= MIN_QUOTED_STORY_CHARS
                    && pending_heads
                        .iter()
                        .any(|&h| is_quoted_title(page.block_text(h).trim()))
            };
            let signals_new = matches!(
                next_kind,
                Kind::Byline(_) | Kind::WebMeta { .. } | Kind::Lead { .. }
            ) || quoted_headline();
            let heads = std::mem::take(&mut pending_heads);
            let over_meta = matches!(next_kind, Kind::WebMeta { .. });
            place_heads(page, lex, &mut articles, heads, signals_new, over_meta, web);
        }
        match kind {
            Kind::Headline | Kind::PhotoCredit | Kind::Chrome | Kind::ListHeading => {}
            Kind::BriefLabel => {
                // (a headline, its metadata, then a rule of dashes over the text: the rule ends
                // no story, its text has not begun)
                // (a headline, then a rule, then its text: 乐山高新区:在融合发展中… / - / 远眺…:
                // a rule under a headline with nothing under it yet ends nothing either)
                let text_next = kinds[i + 1..]
                    .iter()
                    .find(|k| !matches!(k, Kind::PhotoCredit | Kind::Chrome))
                    .is_some_and(|k| *k == Kind::Body);
                if let Some(cur) = articles
                    .last_mut()
                    .filter(|a| a.has_body() || a.published.is_none() && !text_next)
                {
                    cur.closed = true;
                }
            }
            Kind::NoteLabel => {
                if let Some(cur) = articles.last_mut() {
                    cur.closed = true;
                }
                articles.push(ArticleDraft {
                    editor_note: true,
                    ..ArticleDraft::default()
                });
            }
            Kind::Byline(names) => {
                let cur = current_or_new(&mut articles);
                // the photographer of a picture under the headline (…综合体。 / 符超军摄) ends
                // no article: the article's text is still to come
                let photo_credit = page.block_text(block).trim_end().ends_with('摄')
                    && cur.only_photos_under_title(page, lex);
                // (乐山高新区:… / 远眺乐山高新区。 / □罗高: a byline set off by a mark, under a
                // headline and its photo's caption, opens the text below it)
                let marked = page
                    .block_text(block)
                    .trim_start()
                    .starts_with(crate::lexicon::BYLINE_MARKS)
                    && cur.only_captions_under_title(page, lex);
                // (the headline / [摘要]… / 记者…: a byline under the site's summary opens the
                // text too)
                let trailing = cur.has_body()
                    && !photo_credit
                    && !marked
                    && !cur.awaits_text
                    && !cur.only_under_title(page, is_summary);
                cur.add_author(names.clone());
                if trailing {
                    cur.closed = true;
                }
            }
            Kind::WebMeta {
                authors,
                published,
                keyed,
                source,
                month_day,
            } => {
                if published.is_some() {
                    page_date = *published;
                }
                let cur = current_or_new(&mut articles);
                if !cur.has_body() && cur.title().is_some() {
                    cur.heads_over_meta = true;
                }
                cur.add_author(authors.clone());
                if cur.source.is_none() {
                    cur.source.clone_from(source);
                }
                // 2026-01-23 星期五 / … / 日期:12-30: an e-paper reader's header gives the
                // day it was read; the paper's own month and day are the latest before it
                let day = published.or_else(|| {
                    let (month, day) = (*month_day)?;
                    crate::lines::latest_day_by(page_date?, month, day)
                });
                if day.is_some() && (cur.published.is_none() || (*keyed && !cur.published_keyed)) {
                    cur.published = day;
                    cur.published_keyed = *keyed;
                }
                // no full date on the page: the month and day are the article's dateline, in
                // the year its text gives
                if day.is_none() && cur.dateline.is_none() {
                    cur.dateline = *month_day;
                }
            }
            Kind::Lead {
                body_start,
                authors,
                dateline,
                note,
                headline,
            } => {
                let cur = current_or_new(&mut articles);
                if *note && cur.has_body() && !briefs {
                    push_body(page, lex, cur, block);
                    i += 1;
                    continue;
                }
                // `…电报道,重庆高新区…` (an untitled summary) / `中新网重庆6月25日电 题:…`: a
                // dateline that prints only the headline names the story summed up above it,
                // whose text goes on below (a credit line between closes nothing)
                if let Some(h) = headline.filter(|_| {
                    *body_start >= block.end
                        && cur.has_body()
                        && !cur.closed
                        && cur.title().is_none()
                }) {
                    cur.add_title(h);
                    cur.add_author(authors.clone());
                    cur.awaits_text = true;
                    i += 1;
                    continue;
                }
                // a lead always opens an article, but a photo's caption between a headline and
                // its lead (项目开工仪式现场。) is that article's; on a printed page only a
                // picture's own line (图为…, …摄) is
                let pictured = if web {
                    cur.only_captions_under_title(page, lex)
                } else {
                    cur.only_photos_under_title(page, lex)
                };
                if cur.has_body() && !pictured {
                    articles.push(ArticleDraft::default());
                }
                let Some(cur) = articles.last_mut() else {
                    break;
                };
                cur.add_author(authors.clone());
                if cur.dateline.is_none() {
                    cur.dateline = *dateline;
                }
                let b = Block {
                    start: *body_start,
                    end: block.end,
                };
                if b.end > b.start {
                    push_body(page, lex, cur, b);
                }
                // the headline after 题: is that of the story the dateline opens
                if let Some(h) = headline.filter(|_| cur.title().is_none()) {
                    cur.add_title(h);
                }
            }
            Kind::Caption => {
                let text = page.block_text(block);
                // on a web page (one article) a photo is the article's; on a printed page
                // while the headline has nothing but photos under it (a feature's headline over
                // its picture spread, then its text)
                // (and a picture between two paragraphs of a story is the story's)
                let text_follows = kinds.get(i + 1).is_some_and(|k| *k == Kind::Body);
                if let Some(cur) = articles.last_mut().filter(|a| {
                    !a.closed
                        && (web
                            || a.only_photos_under_title(page, lex)
                            || (a.has_body() && text_follows))
                }) {
                    cur.add_author(caption_credit(text, lex).into_iter().collect());
                    push_body(page, lex, cur, block);
                    i += 1;
                    continue;
                }
                // a web page is one article: a photo over its text (时间:… / 经开区企业 孙理
                // 摄 / 日前,…) opens it; on a printed page a photo alone is an article
                articles.push(ArticleDraft {
                    authors: caption_credit(text, lex).into_iter().collect(),
                    segments: vec![Segment {
                        block,
                        role: Role::Body,
                    }],
                    closed: !web,
                    ..ArticleDraft::default()
                });
            }
            Kind::Body => {
                if articles
                    .last()
                    .is_none_or(|a| a.closed || (briefs && a.has_body()))
                {
                    articles.push(ArticleDraft::default());
                }
                let n = articles.len() - 1;
                push_body(page, lex, &mut articles[n], block);
            }
        }
        i += 1;
    }
    if !pending_heads.is_empty() {
        place_heads(page, lex, &mut articles, pending_heads, false, false, web);
    }
    headline_after_the_story(page, lex, &mut articles);
    continue_across_bylines(page, lex, &mut articles);
    // a headline with no body under it is another story's link, not an article; a date its
    // metadata gave dates the next article (这里是郑州高新区 / 图片新闻…2019-12-05 10:29:12 /
    // captions)
    for i in 0..articles.len() {
        if articles[i].has_body() || articles[i].published.is_none() {
            continue;
        }
        let (published, keyed) = (articles[i].published, articles[i].published_keyed);
        if let Some(next) = articles[i + 1..].iter_mut().find(|a| a.has_body()) {
            if next.published.is_none() || (keyed && !next.published_keyed) {
                next.published = published;
                next.published_keyed = keyed;
            }
        }
    }
    articles.retain(|a| a.has_body());
    drop_preview_copies(page, &mut articles);
    browser_title_headline(page, &kinds, &mut articles);
    if let Some(site) = site {
        for a in &mut articles {
            a.site = Some(site.clone());
        }
    }
    articles
}

/// `图片新闻|秀山:凝心聚力 为奋战四季度释放经济动能_张春晓_建设_中小企业`: a crawler that keeps
/// the page's browser title (channel|headline_keywords…) on its first line, over a story that
/// prints no headline of its own: the title's headline part is the story's.
fn browser_title_headline(page: &NormalizedPage, kinds: &[Kind], articles: &mut [ArticleDraft]) {
    let [story] = articles else {
        return;
    };
    let (Some(&first), Some(Kind::Chrome)) = (page.blocks.first(), kinds.first()) else {
        return;
    };
    if story.title().is_some() {
        return;
    }
    let line = page.block_text(first);
    if line.matches('_').count() < 2 || line.contains('。') {
        return;
    }
    let head = &line[..line.find('_').unwrap_or(line.len())];
    let cut = head.rfind('|').map_or(0, |i| i + '|'.len_utf8());
    let part = head[cut..].trim();
    if part.chars().count() < MIN_BROWSER_TITLE_CHARS || !is_headline(part) || is_masthead(part) {
        return;
    }
    // (a spam site's keyword line has the same shape: the headline's words are the story's)
    let story_text: String = story.body().map(|b| page.block_text(b)).collect();
    let han: Vec<char> = part.chars().filter(|&c| is_han(c)).collect();
    let shared = han.iter().filter(|&&c| story_text.contains(c)).count();
    if shared * 2 < han.len() {
        return;
    }
    let start = first.start + (part.as_ptr() as usize - line.as_ptr() as usize);
    story.segments.insert(
        0,
        Segment {
            block: Block {
                start,
                end: start + part.len(),
            },
            role: Role::Title,
        },
    );
}

/// Least characters of a story's lead that a preview must hold to be taken for its copy.
const MIN_PREVIEW_CHARS: usize = 30;

/// `本报讯 随着…全新的“汽` / (the headline, its date) / `本报讯 随着…全新的“汽车城”…`: a share
/// card or a list entry prints the start of the story's lead over its headline. An untitled
/// article of one paragraph that the next article's first paragraph starts with is that
/// preview, not a story of its own.
fn drop_preview_copies(page: &NormalizedPage, articles: &mut Vec<ArticleDraft>) {
    let mut k = 0;
    while k + 1 < articles.len() {
        let preview = {
            let mut body = articles[k].body();
            match (articles[k].title(), body.next(), body.next()) {
                (None, Some(only), None) => Some(squeezed(page, only)),
                _ => None,
            }
        };
        let copied = preview.is_some_and(|p| {
            let p = p.trim_end_matches(['…', '.']);
            p.chars().count() >= MIN_PREVIEW_CHARS
                && articles[k + 1]
                    .body()
                    .next()
                    .is_some_and(|lead| squeezed(page, lead).starts_with(p))
        });
        if copied {
            articles.remove(k);
        } else {
            k += 1;
        }
    }
}

/// `2021` / `03/18` / `13:12`: a site that prints its posting time as a card, the year, the
/// month and day and the time each on a line of their own. The three lines are the page's
/// metadata (its date), not a figure nor text.
fn stacked_date_stamps(page: &NormalizedPage, kinds: &mut [Kind]) {
    let text = |i: usize| {
        page.blocks
            .get(i)
            .map_or("", |&b| page.block_text(b).trim())
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    for i in 0..page.blocks.len().saturating_sub(1) {
        // (most blocks are no four-digit year: nothing more is read for them)
        let year = text(i);
        if year.len() != 4 || !all_digits(year) {
            continue;
        }
        let Some((month, day)) = text(i + 1).split_once('/') else {
            continue;
        };
        if !crate::lines::one_or_two_digits(month) || !crate::lines::one_or_two_digits(day) {
            continue;
        }
        let Some(published) = crate::lines::parse_iso_date(&format!("{year}-{month}-{day}")) else {
            continue;
        };
        let time = text(i + 2);
        let timed = time.contains(':') && crate::lines::clock_parts(time);
        // with its time of day it is the story's posting stamp, as good as a keyed date
        kinds[i] = Kind::WebMeta {
            authors: Vec::new(),
            published: Some(published),
            keyed: timed,
            source: None,
            month_day: None,
        };
        kinds[i + 1] = Kind::Chrome;
        if timed {
            kinds[i + 2] = Kind::Chrome;
        }
    }
}

/// Longest line without a sentence above a web page's breadcrumb that is still the site's
/// header (a contact field, a channel's name), in characters.
const MAX_FIELD_ABOVE_CRUMB_CHARS: usize = 20;

/// Words that mark a breadcrumb, the line that ends a site's header (您现在的位置:首页 > …).
const BREADCRUMB_MARKS: [&str; 8] = [
    "当前位置",
    "当前的位置",
    "您的位置",
    "您现在的位置",
    "你的位置",
    "你现在的位置",
    "所在位置",
    "首页 >",
];

/// `打造网上国际投资促进平台 致力于…` / `您现在的位置:首页 > 开发区新闻` / the headline: on a web
/// page, headline-like lines above the breadcrumb, before any text or metadata, are the site's
/// slogan and name, not the story's headline; the teasers of other stories cut short with an
/// ellipsis there are the site's links too.
fn header_over_breadcrumb(page: &NormalizedPage, kinds: &mut [Kind]) {
    let crumb = kinds.iter().zip(&page.blocks).position(|(k, b)| {
        *k == Kind::Chrome && {
            let t = page.block_text(*b);
            BREADCRUMB_MARKS.iter().any(|m| t.contains(m)) || t.contains("首页>")
        }
    });
    let Some(crumb) = crumb else {
        return;
    };

    // (功勋闪耀齐鲁,殊荣载入史册。近日,国务院、...: another story's teaser, cut short)
    // (微信:dzw5122000: a contact field, no sentence)
    let teaser = |k: &Kind, b: &Block| {
        *k == Kind::Body && {
            let t = page.block_text(*b).trim();
            t.ends_with("...")
                || t.ends_with('…')
                || (t.chars().count() <= MAX_FIELD_ABOVE_CRUMB_CHARS
                    && !t.contains(['。', ',', ';']))
        }
    };
    if kinds[..crumb].iter().zip(&page.blocks).any(|(k, b)| {
        !matches!(
            k,
            Kind::Chrome | Kind::Headline | Kind::ListHeading | Kind::PhotoCredit
        ) && !teaser(k, b)
    }) {
        return;
    }
    for (k, b) in kinds[..crumb].iter_mut().zip(&page.blocks) {
        if teaser(k, b) {
            *k = Kind::Chrome;
        }
    }
    // (《…报告2021》发布 / 首页 > 科技 > 正文 / 日期:… 来源:… / 记者… / the text: with no
    // headline under the breadcrumb before the text, the line right over it is the headline)
    let headline_below = kinds[crumb + 1..]
        .iter()
        .find(|k| {
            !matches!(
                k,
                Kind::Chrome
                    | Kind::ListHeading
                    | Kind::PhotoCredit
                    | Kind::WebMeta { .. }
                    | Kind::Byline(_)
            )
        })
        .is_none_or(|k| *k == Kind::Headline);
    let own =
        (!headline_below && crumb > 0 && kinds[crumb - 1] == Kind::Headline).then(|| crumb - 1);
    for (i, k) in kinds[..crumb].iter_mut().enumerate() {
        if *k == Kind::Headline && Some(i) != own {
            *k = Kind::Chrome;
        }
    }
}

/// `如皋高新技术产业开发区(如城街道、城南街道)` / `高新区2024年工作规划`: on a web page, a line
/// right over the headline that is only a zone's or its administration's name (with the
/// districts it runs in brackets, or as 管委会) is the site's name. A zone's bare name over a
/// headline is the headline's first half (乌鲁木齐经济技术开发区 / 2023年…执行情况), and stays.
/// Returns the site's name.
fn site_name_over_headline(
    page: &NormalizedPage,
    lex: &Lexicon,
    kinds: &mut [Kind],
) -> Option<String> {
    let mut site = None;
    for i in 0..kinds.len().saturating_sub(1) {
        if kinds[i] != Kind::Headline || kinds[i + 1] != Kind::Headline {
            continue;
        }
        let t = page.block_text(page.blocks[i]).trim();
        let (name, bracketed) = match t.strip_suffix(')').and_then(|r| r.rsplit_once('(')) {
            Some((name, _)) => (name, true),
            None => (t, false),
        };
        let (name, office) = match name
            .strip_suffix("管理委员会")
            .or_else(|| name.strip_suffix("管委会"))
        {
            Some(zone) => (zone, true),
            None => (name, false),
        };
        if is_zone_name_alone(name, lex) && (bracketed || office) {
            kinds[i] = Kind::Chrome;
            site.get_or_insert_with(|| name.to_string());
        }
    }
    site
}

/// Longest line above a headline and its metadata taken for a menu item (关注公众号, 《中国开发区》).
const MAX_MENU_ITEM_CHARS: usize = 8;

/// `科技是第一生产力、…自立自强` / `氢能科技 沙蓬…园区 园区`: on a web page, text above the first
/// headline that finishes no sentence is the site's banner and menus, not a story.
///
/// The headline is the one its metadata line follows when there is one (`重庆开发区十六个重大
/// 项目集中开工` / `来源:… 发布时间:…`): the short lines above it that head no sentence
/// (关注公众号 / 加入QQ / 交流群 / 留言, a magazine's 《中国开发区》) are the site's menus too
/// (a longer one may be the headline itself, over a field such as 所属地区:湖南).
fn furniture_before_headline(page: &NormalizedPage, kinds: &mut [Kind]) {
    let prose = |i: usize| {
        page.blocks
            .get(i)
            .is_some_and(|b| page.block_text(*b).contains(['。', '!', '?']))
    };
    let over_meta = (0..kinds.len()).find(|&i| {
        kinds[i] == Kind::Headline
            && kinds[i + 1..]
                .iter()
                .find(|k| **k != Kind::Chrome)
                .is_some_and(|k| matches!(k, Kind::WebMeta { keyed: true, .. }))
    });
    // (筑巢引凤凤蹁跹 / ——莆田高新技术产业开发区发展建设扫描 / 【发布日期:…】: the line over the
    // metadata may be the headline's `——` deck, and the headline is the line over it)
    let deck = |i: usize| {
        page.blocks
            .get(i)
            .is_some_and(|b| page.block_text(*b).trim_start().starts_with(DECK_DASHES))
    };
    let over_meta = over_meta.map(|h| match h.checked_sub(1) {
        Some(above) if deck(h) && kinds[above] == Kind::Headline => above,
        _ => h,
    });
    if let Some(head) = over_meta {
        for i in (0..head).rev() {
            if prose(i) {
                break;
            }
            let short = page
                .blocks
                .get(i)
                .is_some_and(|b| page.block_text(*b).trim().chars().count() <= MAX_MENU_ITEM_CHARS);
            if short && matches!(kinds[i], Kind::Headline | Kind::Body) {
                kinds[i] = Kind::Chrome;
            }
        }
    }
    let Some(first_head) = kinds.iter().position(|k| *k == Kind::Headline) else {
        return;
    };
    for (i, kind) in kinds[..first_head].iter_mut().enumerate() {
        if *kind == Kind::Body && !prose(i) {
            *kind = Kind::Chrome;
        }
    }
}

/// Longest site name cut from the end of a headline after `-`, in characters.
const MAX_SITE_SUFFIX_CHARS: usize = 6;

/// Shortest headline a site name is cut from.
const MIN_SUFFIXED_HEADLINE_CHARS: usize = 10;

/// Shortest headline cut from a browser title at its first `_`.
const MIN_BROWSER_TITLE_CHARS: usize = 5;

/// Longest bracketed tag cut from the front of a headline, in characters (a campaign's
/// column: 【牢记嘱托 奋力谱写中国式现代化甘肃篇章】).
const MAX_HEADLINE_TAG_CHARS: usize = 24;

/// The section name of the page label of an e-paper (`第A08版:滁州经开区风采`, a line of
/// chrome), when it names a zone.
fn zone_edition_section(page: &NormalizedPage, kinds: &[Kind], lex: &Lexicon) -> Option<String> {
    page.blocks
        .iter()
        .zip(kinds)
        .filter(|(_, k)| **k == Kind::Chrome)
        .find_map(|(&b, _)| {
            crate::lines::page_number_section(page.block_text(b).trim())
                .filter(|section| crate::lines::names_a_zone(section, lex))
                .map(str::to_string)
        })
}

/// `【琅琊新闻网】5个月高新区签约引进产业化项目16个`, `【世界速看料】…`: a site's, paper's or
/// column's tag before a headline is no part of it.
///
/// So is a channel's tag that the headline repeats (`广东广州|广东广州:…`).
///
/// A spam site's keyword line printed again in quotes before the headline
/// (`明博体育app官网` … `“明博体育app官网”兰州高新区跻身…50强`) is such a tag too.
fn untag_headlines(page: &NormalizedPage, lex: &Lexicon, kinds: &mut [Kind], blocks: &mut [Block]) {
    for i in 0..kinds.len().min(blocks.len()) {
        let block = &mut blocks[i];
        if kinds[i] != Kind::Headline {
            continue;
        }
        let t = page.block_text(*block);
        // 经开区:项目为王 弓满弦张__新闻频道——漯河网-…: a browser title, whose parts after the
        // headline (channel, site) are joined by _
        if let Some((head, _)) = t.split_once('_') {
            let head = head.trim_end();
            if head.chars().count() >= MIN_BROWSER_TITLE_CHARS && is_headline(head) {
                block.end = block.start + head.len();
                continue;
            }
        }
        // …重大重点项目集中开工-世界播报: a site's or channel's name after the headline, as a
        // browser title prints it
        if let Some((head, site)) = t.rsplit_once('-') {
            let site_n = site.chars().count();
            if (2..=MAX_SITE_SUFFIX_CHARS).contains(&site_n)
                && site.chars().all(is_han)
                && head.chars().count() >= MIN_SUFFIXED_HEADLINE_CHARS
                && is_headline(head.trim_end())
            {
                block.end = block.start + head.trim_end().len();
            }
        }
        // 全国产业园区竞速,黄石经开区“三项排名”亮眼 热议: a portal's tag after the headline, set
        // off by a space
        let t = page.block_text(*block).trim_end();
        if let Some((head, tag)) = t.rsplit_once(' ') {
            let head = head.trim_end();
            if lex.page.rules.headline_tags.iter().any(|w| w == tag)
                && head.chars().count() >= MIN_SUFFIXED_HEADLINE_CHARS
                && is_headline(head)
            {
                block.end = block.start + head.len();
            }
        }
        let t = page.block_text(*block);
        // 广东广州|广东广州:142个建设项目动工…: a channel tag before a headline that opens with
        // the same words (a bar inside a headline that does not repeat itself stays)
        if let Some((tag, head)) = t.split_once('|') {
            let head = head.trim_start();
            if !tag.trim().is_empty() && head.starts_with(tag.trim()) && is_headline(head) {
                block.start += t.len() - head.len();
                continue;
            }
        }
        let t = page.block_text(*block);
        // 文章标题: 半年辽宁省高新区…: an archive's field name before the headline
        if let Some(value) = crate::lines::headline_field_value(t, lex) {
            if is_headline(value) {
                block.start += t.len() - value.len();
                continue;
            }
        }
        if let Some(close) = t.strip_prefix('“').and_then(|r| r.find('”')) {
            let tag = &t['“'.len_utf8()..'“'.len_utf8() + close];
            let cut = '“'.len_utf8() + close + '”'.len_utf8();
            let tag = tag.trim();
            let repeated = if tag.is_empty() {
                None
            } else {
                page.blocks[..i.min(page.blocks.len())]
                    .iter()
                    .position(|b| page.block_text(*b).trim() == tag)
            };
            if let Some(keyword) = repeated.filter(|_| is_headline(t[cut..].trim_start())) {
                block.start += cut + (t[cut..].len() - t[cut..].trim_start().len());
                // the keyword's own line is the spam's, not a kicker
                kinds[keyword] = Kind::Chrome;
                continue;
            }
        }
        // ([江城资讯] 科技部火炬中心公布…: a forum's board tag, in ASCII brackets and set apart
        // by a space; [坚定信心竞进提质]周保汉:… glued to it is a column's label, and stays)
        let Some((open, close, at)) = [('【', '】'), ('[', ']')].into_iter().find_map(|(o, c)| {
            t.strip_prefix(o)
                .and_then(|r| r.find(c))
                .filter(|&at| o == '【' || t[o.len_utf8() + at + c.len_utf8()..].starts_with(' '))
                .map(|at| (o, c, at))
        }) else {
            continue;
        };
        let tag = &t[open.len_utf8()..open.len_utf8() + at];
        // (【世界速看料】: any short bracketed tag, the site's or a column's)
        let short = tag.chars().count() <= MAX_HEADLINE_TAG_CHARS;
        let cut = open.len_utf8() + at + close.len_utf8();
        let cut = cut + (t[cut..].len() - t[cut..].trim_start().len());
        if short && is_headline(&t[cut..]) {
            block.start += cut;
        }
    }
}

/// `原标题:南宁高新区多项经济指标逆势增长` (or `原题:`) opening a page that prints no headline before it: a
/// reprint's only headline, read as one (the line is chrome wherever a headline came first).
/// Returns the page's blocks, that line's cut to the title.
fn original_title_first(page: &NormalizedPage, kinds: &mut [Kind]) -> Vec<Block> {
    let mut blocks = page.blocks.clone();
    let Some(first) = kinds
        .iter()
        .position(|k| !matches!(k, Kind::Chrome | Kind::ListHeading | Kind::WebMeta { .. }))
    else {
        return blocks;
    };
    for i in 0..=first {
        if kinds[i] != Kind::Chrome {
            continue;
        }
        let b = blocks[i];
        let t = page.block_text(b);
        let lead = t.len() - t.trim_start_matches(['(', '【', '[', ' ']).len();
        let Some(title) = ["原标题:", "原标题 ", "原题:", "原题 "]
            .iter()
            .find_map(|p| t[lead..].strip_prefix(p))
        else {
            continue;
        };
        let title = title.trim_end_matches([')', '】', ']', ' ']).trim_start();
        // `原标题:25个项目计划总投资72亿元` / `经开区重点项目集中开工` / `绵阳新闻网讯 3月18日,…`:
        // a headline of the site's own right under it, over the site's lead, is the headline
        // (a deck under it has a comma: 上半年规上工业产值增速全市排名第一,一批…; over a bare
        // body the line under it may be the reprint's subtitle)
        let own_headline = kinds.get(i + 1) == Some(&Kind::Headline)
            && !page.block_text(blocks[i + 1]).contains([',', ','])
            && matches!(kinds.get(i + 2), Some(Kind::Lead { .. }));
        if is_headline(title) && !own_headline {
            // `title` is a slice of `t`: its offset in it
            let start = b.start + (title.as_ptr() as usize - t.as_ptr() as usize);
            blocks[i] = Block {
                start,
                end: start + title.len(),
            };
            kinds[i] = Kind::Headline;
        }
        break;
    }
    blocks
}

/// `…四是发展后劲势头强劲。…` / `重庆高新区工业经济扩量提质成效明显` / `来源:聘聘发布时间:2017-06-22`:
/// an aggregator prints the story first and its headline and metadata after it. When the page
/// holds one untitled story and ends with a headline that has no body, that headline (and its
/// date) is the story's.
///
/// (`入选博士后科研工作站企业名单` / `文章来源:…`: a heading over a list the page lost is not
/// that headline; `page.list_heading_endings`)
fn headline_after_the_story(page: &NormalizedPage, lex: &Lexicon, articles: &mut [ArticleDraft]) {
    let [.., story, last] = articles else {
        return;
    };
    if last.has_body() || last.title().is_none() || !story.has_body() || story.title().is_some() {
        return;
    }
    let list_heading = last.title_text(page).is_some_and(|t| {
        lex.page
            .rules
            .list_heading_endings
            .iter()
            .any(|w| t.trim_end().ends_with(w.as_str()))
    });
    // (`近年来,南宁高新区坚持把科`: a page cut off in a sentence that opens on a time and a comma
    // ends on the start of a paragraph, not on a headline)
    let opens_sentence = last.title_text(page).is_some_and(|t| {
        let t = t.trim_start();
        crate::extract::after_vague_time_comma(t, lex).is_some()
            || crate::extract::periods::leading_time(t)
                .is_some_and(|m| t[m.len()..].starts_with(','))
    });
    if list_heading || opens_sentence {
        return;
    }
    let heads: Vec<Segment> = last
        .segments
        .iter()
        .filter(|s| matches!(s.role, Role::Title | Role::Subtitle))
        .copied()
        .collect();
    story.segments.splice(0..0, heads);
    last.segments
        .retain(|s| !matches!(s.role, Role::Title | Role::Subtitle));
    if story.published.is_none() || (last.published_keyed && !story.published_keyed) {
        story.published = last.published.take();
        story.published_keyed = last.published_keyed;
    }
}

/// `…共千余人参加开工仪式。` / `记者 王赛华 李佳露` / `通讯员 付文龙 文/图` / `数量多、额度大、种类全` /
/// `这次开工项目共79个,…`: a paper that prints the byline under the lead seems to end the
/// article there, but a story cannot open with words that go on from text before it (这次,
/// 此外, 其中: `page.continuation_openers`). An untitled-looking article whose first paragraph,
/// a line of its own, opens so, and that has no dateline, metadata or date of its own, is the
/// article above going on: its heads are section heads and its credits are that article's.
fn continue_across_bylines(page: &NormalizedPage, lex: &Lexicon, articles: &mut Vec<ArticleDraft>) {
    let openers = &lex.page.rules.continuation_openers;
    let goes_on = |a: &ArticleDraft| {
        a.dateline.is_none()
            && a.published.is_none()
            && a.source.is_none()
            && a.segments
                .iter()
                .find(|s| s.role == Role::Body)
                .is_some_and(|s| {
                    let own_line = s.block.start == 0
                        || page
                            .text
                            .get(..s.block.start)
                            .is_some_and(|t| t.ends_with('\n'));
                    let text = page.block_text(s.block).trim_start();
                    own_line && openers.iter().any(|o| text.starts_with(o.as_str()))
                })
    };
    let mut out: Vec<ArticleDraft> = Vec::with_capacity(articles.len());
    for next in articles.drain(..) {
        match out.last_mut() {
            Some(prev)
                if prev.has_body()
                    && prev.title().is_some()
                    && !prev.editor_note
                    && goes_on(&next) =>
            {
                prev.segments
                    .extend(next.segments.into_iter().map(|s| Segment {
                        role: Role::Body,
                        ..s
                    }));
                prev.add_author(next.authors);
                prev.closed = next.closed;
            }
            _ => out.push(next),
        }
    }
    *articles = out;
}

/// `【打印】 【上一條】 【回頁頂】 【下一條】 【關閉】` then `財經`: on a web page, the short
/// lines without sentence punctuation after the buttons that end its article are the site's
/// menu, not section heads of the article.
fn menus_after_article_end(page: &NormalizedPage, lex: &Lexicon, kinds: &mut [Kind]) {
    let ends = |t: &str| {
        lex.page
            .rules
            .article_end_words
            .iter()
            .any(|w| t.contains(w.as_str()))
    };
    // buttons above the article (a forum's 上一主题 下一主题 over the post) end nothing
    let Some(body) = kinds
        .iter()
        .position(|k| matches!(k, Kind::Body | Kind::Lead { .. }))
    else {
        return;
    };
    let Some(first_end) = (body..kinds.len())
        .find(|&i| kinds[i] == Kind::Chrome && ends(page.block_text(page.blocks[i])))
    else {
        return;
    };
    for (kind, block) in kinds.iter_mut().zip(&page.blocks).skip(first_end + 1) {
        let t = page.block_text(*block).trim();
        let short_line = t.chars().count() <= MAX_STOPPED_HEADLINE_CHARS
            && !t.contains(['。', '!', '?', ';', ',']);
        if matches!(kind, Kind::Headline | Kind::Body) && short_line {
            *kind = Kind::Chrome;
        }
    }
}

/// A page of untitled briefs, each opened by its own lead (`新民晚报讯(记者 XX)…`,
/// `新京报讯…`) and nothing that is a headline or web metadata: nothing ties two paragraphs
/// together, so each paragraph is a brief of its own.
fn is_brief_list(kinds: &[Kind]) -> bool {
    let leads = kinds
        .iter()
        .filter(|k| matches!(k, Kind::Lead { note: false, .. }))
        .count();
    leads >= 2
        && !kinds.iter().any(|k| {
            matches!(
                k,
                Kind::Headline | Kind::WebMeta { .. } | Kind::BriefLabel | Kind::Byline(_)
            )
        })
}

/// Fewest items of a list of links without a heading.
const MIN_LINK_LIST_ITEMS: usize = 3;

/// `- ·《雄狮少年2》定档12月14日…` three times or more: short list-marked lines in a row, with
/// no heading, are links to other pages (a mirror's spam, a portal's reading list).
fn drop_link_lists(page: &NormalizedPage, kinds: &mut [Kind]) {
    chrome_runs(page, kinds, MIN_LINK_LIST_ITEMS, |k, t| {
        opens_list_item(t)
            && t.chars().count() <= MAX_LIST_ITEM_CHARS
            && !t.contains('。')
            && matches!(k, Kind::Headline | Kind::Body | Kind::Chrome)
    });
}

/// Makes chrome of every run of at least `min_run` lines in a row whose kind and trimmed text
/// `item` accepts.
fn chrome_runs(
    page: &NormalizedPage,
    kinds: &mut [Kind],
    min_run: usize,
    item: impl Fn(&Kind, &str) -> bool,
) {
    let marked: Vec<bool> = kinds
        .iter()
        .zip(&page.blocks)
        .map(|(k, &b)| item(k, page.block_text(b).trim()))
        .collect();
    let mut i = 0;
    while i < kinds.len() {
        let run = marked[i..].iter().take_while(|&&x| x).count();
        if run >= min_run {
            for k in &mut kinds[i..i + run] {
                *k = Kind::Chrome;
            }
        }
        i += run.max(1);
    }
}

/// Fewest lines of a run of menu words for the run to be the site's toolbar.
const MIN_MENU_RUN: usize = 6;
/// Longest menu word, in characters.
const MAX_MENU_WORD_CHARS: usize = 8;

/// `辅助浏览` / `读屏` / `放大` / `缩小` / `配色` / `白底黑字蓝链接` …: six or more very short
/// lines in a row with no punctuation and no digits are a site's toolbar or menu (an
/// accessibility bar, channel links), never a headline or a story. A story's section heads
/// finish a thought on longer lines, and a run of them is not six words long.
fn drop_menu_runs(page: &NormalizedPage, kinds: &mut [Kind]) {
    chrome_runs(page, kinds, MIN_MENU_RUN, |k, t| {
        let n = t.chars().count();
        n > 0
            && n <= MAX_MENU_WORD_CHARS
            && t.chars().all(is_han)
            // (连读 reads like a reporter's name on a line of its own)
            && matches!(
                k,
                Kind::Headline | Kind::Body | Kind::Chrome | Kind::Byline(_)
            )
    });
}

/// Longest line, in characters, of a list of other stories under a list heading.
const MAX_LIST_ITEM_CHARS: usize = 40;

/// The short lines after a list heading (相关新闻, 点击排行) are other stories' headlines.
fn drop_story_lists(page: &NormalizedPage, kinds: &mut [Kind]) {
    drop_link_lists(page, kinds);
    drop_menu_runs(page, kinds);
    let mut in_list = false;
    // an untitled lead in a list (新闻推荐 / 华商报讯(记者…)几人聚餐后…) is another story's
    // teaser: it and the text after it go, up to the next headline
    let mut in_teaser = false;
    // (大庆高新区——新兴产业项目引领转型创新 / 本报记者 倪伟龄: the line or two right over a
    // byline or a credit line are the page's own headline, which ends the list; over a lead
    // they are a teaser of another story)
    // (热点内容 / 宁夏“二号工程”彰显“磁场效应” / 2009-04-30: so is the line over the page's
    // date, alone or with its metadata keys)
    // (最新动态 / 构建五大工业园区… / 来源:贵州日报: and so is the line over the page's source
    // field)
    let credits = |k: &Kind| match k {
        Kind::Byline(_) => true,
        Kind::WebMeta {
            authors,
            published,
            keyed,
            source,
            month_day,
        } => {
            !authors.is_empty()
                || published.is_some()
                || month_day.is_some()
                || (*keyed && source.is_some())
        }
        _ => false,
    };
    // (版面导航 / 示例新闻网 示例日报 / 3上一篇 下一篇4 2019年1月31日 放大 缩小 默认 / the
    // headline: an e-paper story's toolbar dates the page, and the story's headline comes after
    // it, not over it)
    let toolbar = |i: usize| {
        page.blocks
            .get(i)
            .is_some_and(|&b| crate::lines::is_story_toolbar(page.block_text(b)))
    };
    for (i, &b) in page.blocks.iter().enumerate().take(kinds.len()) {
        // (what follows is read before this block's kind changes, and is not changed yet)
        if in_list && kinds[i] == Kind::Headline {
            let next = kinds.get(i + 1);
            if next.is_some_and(credits) && !toolbar(i + 1)
                || (next == Some(&Kind::Headline) && kinds.get(i + 2).is_some_and(credits))
            {
                in_list = false;
            }
        }
        let k = &mut kinds[i];
        if *k == Kind::ListHeading {
            in_list = true;
            in_teaser = false;
            continue;
        }
        if in_teaser {
            if matches!(k, Kind::Headline | Kind::ListHeading | Kind::WebMeta { .. }) {
                in_teaser = false;
            } else {
                *k = Kind::Chrome;
            }
            continue;
        }
        if !in_list {
            continue;
        }
        if matches!(k, Kind::Lead { .. }) {
            *k = Kind::Chrome;
            in_teaser = true;
            continue;
        }
        let t = page.block_text(b);
        let item = t.chars().count() <= MAX_LIST_ITEM_CHARS && !t.contains('。');
        if item && matches!(k, Kind::Headline | Kind::Body | Kind::Chrome) {
            *k = Kind::Chrome;
        } else {
            in_list = false;
        }
    }
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
    cur.awaits_text = false;
    let text = &page.text[b.start..b.end];
    let mut block = b;
    // (…规模都比较大。0befa44a32d848ee…~tplv-obj_960_1602发布于 数据社区0条评论 联系我们:
    // a site's footer glued after the last sentence, opening on an asset's hex id)
    if let Some(end) = text.rfind('。').map(|i| i + '。'.len_utf8()).filter(|&e| {
        text[e..].bytes().take_while(u8::is_ascii_hexdigit).count() >= MIN_ASSET_ID_CHARS
    }) {
        block.end = b.start + end;
    }
    let text = &page.text[block.start..block.end];
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
        if cur.editor_note {
            cur.closed = true;
        }
    }
}

/// Shortest run of hex digits taken for an asset's id (an image's hash) glued after a
/// paragraph's last sentence.
const MIN_ASSET_ID_CHARS: usize = 16;

/// Shortest part of a headline printed again on its own line that is dropped as a copy of it.
const MIN_TITLE_HALF_CHARS: usize = 6;

/// Shortest headline printed under a web page's metadata block that replaces the heads over
/// it, in characters.
const MIN_WEB_HEADLINE_CHARS: usize = 8;

/// Shortest paragraph, in characters, under a headline in title marks for the two to open a
/// story (a document's name over a line or two of text is a section head).
const MIN_QUOTED_STORY_CHARS: usize = 60;

/// `《勇立潮头 澎湃向前》`: a line that is one title in title marks and nothing else.
fn is_quoted_title(t: &str) -> bool {
    t.starts_with('《')
        && t.ends_with('》')
        && t.matches('《').count() == 1
        && t.chars().filter(|&c| is_han(c)).count() >= 4
}

/// True when `heads` is one zone's name alone (maybe after a section mark) and the story so
/// far, in `cur`, has named that zone (国务院批复咸宁高新区、黄冈高新区晋升… / 咸宁高新区 / …):
/// a section of the story on that zone, not a new story.
fn zone_section_head(
    page: &NormalizedPage,
    lex: &Lexicon,
    cur: &ArticleDraft,
    heads: &[Block],
) -> bool {
    let [head] = heads else {
        return false;
    };
    let Some(name) = crate::lines::zone_section_name(page.block_text(*head), lex) else {
        return false;
    };
    let zone_of = |t: &str| {
        crate::extract::zones::find_zones(t, lex)
            .into_iter()
            .filter_map(|z| z.zone.map(|r| r.name))
            .collect::<Vec<_>>()
    };
    let Some(zone) = zone_of(name).pop() else {
        return false;
    };
    cur.segments
        .iter()
        .filter(|s| s.role == Role::Body)
        .any(|s| zone_of(page.block_text(s.block)).contains(&zone))
}

/// Decides whether pending headlines open a new article or are section headings.
fn place_heads(
    page: &NormalizedPage,
    lex: &Lexicon,
    articles: &mut Vec<ArticleDraft>,
    heads: Vec<Block>,
    signals_new: bool,
    over_meta: bool,
    web: bool,
) {
    // a title printed twice (the page's title, then the headline) is one title
    let mut heads = heads;
    // (…总投资1878亿元 / …总投资 187.8亿元: the copy that lost a decimal point or a space is
    // the page's title; the fuller copy is the headline)
    let bare = |h: Block| -> String {
        page.block_text(h)
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation())
            .collect()
    };
    let mut k = 1;
    while k < heads.len() {
        let (a, b) = (heads[k - 1], heads[k]);
        if bare(a) == bare(b) && squeezed(page, a) != squeezed(page, b) {
            let fuller = |h: Block| squeezed(page, h).chars().count();
            heads.remove(if fuller(a) >= fuller(b) { k } else { k - 1 });
        } else {
            k += 1;
        }
    }
    let mut seen: Vec<String> = Vec::new();
    // (商务部公布…结果 / 商务部公布…结果 园区产业招商: or the second time with the site's or
    // account's name after it)
    heads.retain(|&h| {
        let key = squeezed(page, h);
        let new = !seen.iter().any(|s| {
            key.strip_prefix(s.as_str()).is_some_and(|rest| {
                rest.is_empty()
                    || (rest.chars().count() <= MAX_SITE_SUFFIX_CHARS && rest.chars().all(is_han))
            })
        });
        seen.push(key);
        new
    });
    // 天津日报, 搜狐网站, 中国电力网, 时刻新闻: a paper's or site's name alone among the heads is
    // its masthead, not a headline nor a deck; so is a line of metadata (… 来源: 兰州晚报)
    heads.retain(|&h| {
        let t = page.block_text(h).trim();
        !is_masthead(t) && !crate::lines::is_apart(t, lex)
    });
    if heads.is_empty() {
        return;
    }
    // (拟落户高新区项目协议金额超150亿, 越来越多高新区出现独角兽: a cross-head that says 高新区
    // after words that are no place names no zone, and stays a section of its story)
    let mentions_zone = !web
        && heads.iter().any(|&h| {
            let t = page.block_text(h);
            names_a_zone(t, lex)
                && crate::extract::zones::find_zones(t, lex)
                    .iter()
                    .any(|z| z.zone.is_some())
        });
    let open_new = match articles.last() {
        None => true,
        Some(a) if a.closed => true,
        Some(a) if !a.has_body() => false,
        Some(a) => (signals_new || mentions_zone) && !zone_section_head(page, lex, a, &heads),
    };
    if open_new {
        articles.push(ArticleDraft::default());
    }
    let Some(cur) = articles.last_mut() else {
        return;
    };
    if !open_new && cur.has_body() {
        for h in heads {
            cur.segments.push(Segment {
                block: h,
                role: Role::Body,
            });
        }
        return;
    }
    // 湛江经济技术开发区党政办公室政府信息公开 / 索引号… 名称: … / the headline / 发布日期:…: on a
    // web page, heads over a metadata block and heads over metadata of their own: the first
    // were the site's header, the second are the headline (a subtitle under the metadata
    // runs straight into the body; a `——` deck is no headline). A scene between the metadata
    // and a lead (…总投资909亿元 / 2019-05-26 来源:… / …集中签约和开工现场 / 【…网讯】) is the
    // photo's caption under the headline, not the headline.
    let scene_captions = || {
        heads.iter().all(|&h| {
            lex.scene_caption_endings
                .iter()
                .any(|w| page.block_text(h).trim_end().ends_with(w.as_str()))
        })
    };
    // (高新技术项目陆续开工 高新区成海口经济发展强引擎 / 时间:… / 高新区成海口经济发展强引擎: a
    // head under the metadata that the headline over it holds is that headline's half, printed
    // again; so is the first head under it when a deck follows: 厦门X高新区… / meta / X高新区… /
    // 火炬(翔安)产业区已形成…)
    let halves_of_earlier = || {
        let earlier: Vec<String> = cur
            .segments
            .iter()
            .filter(|s| s.role != Role::Body)
            .map(|s| squeezed(page, s.block))
            .collect();
        heads.first().is_some_and(|&h| {
            let t = squeezed(page, h);
            t.chars().count() >= MIN_TITLE_HALF_CHARS
                && earlier
                    .iter()
                    .any(|e| e.len() > t.len() && e.contains(t.as_str()))
        })
    };
    // (…周保汉:襄阳高新区汽车产业达580亿 / 发布时间:… / 襄阳高新区管委会副主任周保汉: the
    // portrait of the man the headline quotes)
    let portraits = || {
        heads
            .iter()
            .all(|&h| is_portrait_caption(page.block_text(h), lex))
    };
    if web
        && signals_new
        && (over_meta || !scene_captions())
        && cur.heads_over_meta
        && !halves_of_earlier()
        && !portraits()
        && heads.iter().any(|&h| {
            !page.block_text(h).starts_with(DECK_DASHES)
                && page.block_text(h).chars().count() >= MIN_WEB_HEADLINE_CHARS
        })
    {
        cur.segments.retain(|s| s.role == Role::Body);
    }
    // `高新区接下来这么干!` / `作者:… 关键词:` / `今天是高新区开发建设30周年` / `暨冲刺四季度动员大会` /
    // `1~8月,…`: the headline is the line over the metadata; short lines under it that run into
    // the body with no metadata of their own are the body's first lines, set one to a line
    // (a single line there may be a deck, and stays a subtitle); and a portrait under the
    // metadata is neither the headline nor its deck: it stays with the story, as its picture
    // does
    if web && cur.heads_over_meta && ((!signals_new && heads.len() >= 2) || portraits()) {
        cur.heads_over_meta = false;
        for h in heads {
            cur.segments.push(Segment {
                block: h,
                role: Role::Body,
            });
        }
        return;
    }
    let heads_were_over_meta = std::mem::take(&mut cur.heads_over_meta);
    // heads of an article without body yet: pick the title, the rest is subtitle
    let mut all: Vec<Block> = cur
        .segments
        .iter()
        .filter(|s| s.role != Role::Body)
        .map(|s| s.block)
        .collect();
    let over_meta = all.len();
    all.extend(heads);
    cur.segments.retain(|s| s.role == Role::Body);
    // (五大百亿工程齐头并进 / 发布时间:… / 访株洲高新区工委书记…: on a web page, a head kept under
    // the metadata is the deck of the headline over it, though it names the zone)
    let title_idx = if web && heads_were_over_meta && over_meta > 0 {
        choose_title(page, lex, &all[..over_meta])
    } else {
        choose_title(page, lex, &all)
    };
    // the headline on one line, then printed again over two (中国农科院…开工建设 50亿元巨资… /
    // 中国农科院…开工建设 / 50亿元巨资…): the halves are that title, not subtitles
    let title_text = squeezed(page, all[title_idx]);
    let mut segs: Vec<Segment> = all
        .iter()
        .enumerate()
        .filter(|&(k, &b)| {
            k == title_idx || {
                let t = squeezed(page, b);
                (t.chars().count() < MIN_TITLE_HALF_CHARS || !title_text.contains(t.as_str()))
                    // (a zone's name alone, last under the headline, is no deck either)
                    && !(k > title_idx && k + 1 == all.len() && bare_zone_name(&t, lex))
            }
        })
        .map(|(k, &b)| Segment {
            block: if k == title_idx {
                strip_bullet(page, strip_cell_rules(page, b))
            } else {
                strip_leading_dashes(page, strip_cell_rules(page, b))
            },
            role: if k == title_idx {
                Role::Title
            } else {
                Role::Subtitle
            },
        })
        .collect();
    split_deck_off_title(page, &mut segs);
    // 乌鲁木齐经济技术开发区 / 2023年国民经济和社会发展计划执行情况, 山西大同: / 招商引资促发展: a
    // headline line that is only a zone's name or a place before a colon runs on into the
    // line right under it
    if let Some(t) = segs.iter().position(|s| s.role == Role::Title) {
        let line = page.block_text(segs[t].block).trim();
        // (襄阳高新区 / 位于襄阳高新区的保税物流中心, 宜昌高新区 / 宜昌高新区一角: a line under
        // a zone's name that names the zone again is its photo's caption, a headline does not
        // repeat its subject)
        let zone_alone = is_zone_name_alone(line, lex);
        // (公文时效: | / the headline: a field of an 索引号 table left empty, its cell rule
        // after it, does not run on)
        let empty_cell = page
            .text
            .get(segs[t].block.end..)
            .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with('|'));
        let runs_on = zone_alone || (line.ends_with([':', '—']) && !empty_cell);
        let end = segs[t].block.end;
        let mut caption = None;
        if let Some(next) = segs
            .iter_mut()
            .find(|s| s.role == Role::Subtitle && page.text.get(end..s.block.start) == Some("\n"))
        {
            // 郑州经开区2个项目 / 拟入选河南首批产业园区集群地标: a line under the headline that
            // opens on a predicate is the rest of its sentence
            let predicate = page.block_text(next.block).trim_start();
            let continues = lex
                .page
                .rules
                .headline_predicates
                .iter()
                .any(|w| predicate.starts_with(w.as_str()));
            // (华中农高区 / 崛起的新城——华中农高区: a head that names the zone after a dash is
            // the headline the name was the kicker of, not a caption)
            let next_text = page.block_text(next.block);
            if zone_alone && next_text.contains(line) {
                if next_text.contains("——") {
                    next.role = Role::Title;
                    segs[t].role = Role::Subtitle;
                } else {
                    caption = Some(next.block);
                }
            } else if is_kicker(line, lex) && page.blank_line_before(next.block.start) {
                // 贵阳高新区 / (blank line) / 综合评价排名升至全国第37位: a zone's name set apart
                // over the headline is its kicker, not its first half
                next.role = Role::Title;
                segs[t].role = Role::Subtitle;
            } else if runs_on || continues {
                next.role = Role::Title;
            }
        }
        segs.retain(|s| Some(s.block) != caption);
    }
    // only one subtitle segment is reported; further kicker lines stay as subtitle segments
    segs.append(&mut cur.segments);
    cur.segments = segs;
}

/// Longest paper's or site's name taken for a masthead, in characters.
const MAX_MASTHEAD_CHARS: usize = 6;

/// A paper's or site's name alone (天津日报, 中国电力网, 搜狐网站, 时刻新闻), maybe after its
/// channel (搜狐财经-搜狐网站).
fn is_masthead(t: &str) -> bool {
    let parts: Vec<&str> = t.split(['-', '—', '_', '|']).map(str::trim).collect();
    let name = parts.last().copied().unwrap_or(t);
    parts.len() <= 2
        && parts
            .iter()
            .all(|p| (2..=MAX_MASTHEAD_CHARS).contains(&p.chars().count()) && p.chars().all(is_han))
        && (name.ends_with(crate::lexicon::PRESS_ENDINGS)
            || name.ends_with("网站")
            || name.ends_with("新闻")
            // (随州论坛: a forum's name over a post's title)
            || name.ends_with("论坛"))
}

/// `| 常州高新区对外开放收获5个“100” |`: a page copied out of a table keeps the cell's rules
/// around the headline; they are no part of it.
fn strip_cell_rules(page: &NormalizedPage, b: Block) -> Block {
    let t = page.block_text(b);
    let start = t.len() - t.trim_start_matches(['|', ' ']).len();
    let end = t.trim_end_matches(['|', ' ']).len().max(start);
    Block {
        start: b.start + start,
        end: b.start + end,
    }
}

/// `• 武汉光谷9个项目开工`: a list bullet a site sets before its headline is no part of it.
fn strip_bullet(page: &NormalizedPage, b: Block) -> Block {
    strip_leading(page, b, &['•', '●', '◆', '■', '▪', ' '])
}

/// `国家高新区独角兽持续增长秘诀何在 2024年06月24日` → the headline without the issue's date an
/// e-paper printed after it, set off by a space (the date itself still dates the page).
fn without_trailing_date(title: &str) -> &str {
    let trimmed = title.trim_end();
    let Some((head, date)) = trimmed.rsplit_once(' ') else {
        return title;
    };
    let full_date = date.ends_with('日')
        && crate::lines::parse_iso_date(date)
            .is_some_and(|p| p.precision == crate::model::DatePrecision::Day);
    if full_date && head.chars().filter(|&c| is_han(c)).count() >= 4 {
        head.trim_end()
    } else {
        title
    }
}

/// Extensions of the document files a sharing site names its pages after.
const FILE_EXTENSIONS: &[&str] = &[".txt", ".doc", ".docx", ".pdf", ".wps", ".ppt", ".pptx"];

/// `国函【2022】33号-国务院关于同意建设…的批复.txt`: a document-sharing site's page is titled
/// with the file's name; the headline is the name without its extension and without the
/// document's number before it.
fn without_file_name(title: &str) -> &str {
    let Some(name) = FILE_EXTENSIONS.iter().find_map(|e| {
        let t = title.trim_end();
        let cut = t.len().checked_sub(e.len())?;
        (t.is_char_boundary(cut) && t[cut..].eq_ignore_ascii_case(e)).then(|| &t[..cut])
    }) else {
        return title;
    };
    crate::lines::document_number_end(name).map_or(name, |end| {
        name[end..].trim_start_matches(['-', '—', '_', ' '])
    })
}

/// `——莆田高新区发展建设扫描`: the dashes that open a deck are no part of it.
fn strip_leading_dashes(page: &NormalizedPage, b: Block) -> Block {
    strip_leading(page, b, &['—', '-', '─', ' '])
}

/// `b` without the marks in `marks` at its start.
fn strip_leading(page: &NormalizedPage, b: Block, marks: &[char]) -> Block {
    let stripped = page.block_text(b).trim_start_matches(marks);
    Block {
        start: b.end - stripped.len(),
        end: b.end,
    }
}

/// A block's text without its whitespace: heads printed twice, or split over two lines,
/// compare equal so.
fn squeezed(page: &NormalizedPage, b: Block) -> String {
    page.block_text(b)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// True when block `lower` is printed right under block `upper`, with nothing but blank
/// space between them.
fn printed_together(page: &NormalizedPage, upper: Block, lower: Block) -> bool {
    page.text
        .get(upper.end..lower.start)
        .is_some_and(|gap| gap.trim().is_empty())
}

/// Fewest characters of a headline before a deck printed on its line.
const MIN_HEADLINE_BEFORE_DECK_CHARS: usize = 6;

/// `打造开放包容的示范之区 ——安康高新区“十新”共育“十区”系列报道之三`: a deck printed on the
/// headline's own line, after a space, is the subtitle (`改革风来满目春——2021年…纪实`, with no
/// space before its dashes, is one title). The deck comes before any other subtitle: it is
/// the headline's own.
fn split_deck_off_title(page: &NormalizedPage, segs: &mut Vec<Segment>) {
    let Some(t) = segs.iter().position(|s| s.role == Role::Title) else {
        return;
    };
    let b = segs[t].block;
    let line = page.block_text(b);
    let Some(dash) = line.find(DECK_DASHES) else {
        return;
    };
    let head = line[..dash].trim_end_matches([' ', '\u{3000}']);
    if head.len() == dash
        || head.chars().count() < MIN_HEADLINE_BEFORE_DECK_CHARS
        || !line[dash..]
            .trim_start_matches(DECK_DASHES)
            .starts_with(is_han)
    {
        return;
    }
    segs[t].block.end = b.start + head.len();
    let first_subtitle = segs.iter().position(|s| s.role == Role::Subtitle);
    segs.insert(
        first_subtitle.map_or(t + 1, |k| k.min(t + 1)),
        Segment {
            block: strip_leading_dashes(
                page,
                Block {
                    start: b.start + dash,
                    end: b.end,
                },
            ),
            role: Role::Subtitle,
        },
    );
}

/// Dashes that open a headline's deck (——莆田高新区发展建设扫描; ──绵阳经开区简介, as box
/// drawing).
const DECK_DASHES: [char; 2] = ['—', '─'];

/// The main headline among stacked heads: not a `——` deck, preferably the one naming a zone,
/// else the longest.
fn choose_title(page: &NormalizedPage, lex: &Lexicon, heads: &[Block]) -> usize {
    // not a `——` deck, nor a page header that carries the edition's date (当前报章2020年04月11日)
    let cands: Vec<usize> = (0..heads.len())
        .filter(|&k| {
            // (开发区:11个项目开工!… / 滨州经济技术开发区: a zone's name alone under a
            // headline is the account that posted it or a section's head, no headline)
            // (but 新闻加点料 / 宜宾高新区 / 奋进的新区——宜宾高新区: the kicker of a head
            // under it that names the zone again)
            let name = page.block_text(heads[k]).trim();
            // (开发区 新区 / 哈尔滨经济技术开发区: under a short section label, it is the title)
            let under_a_head = || {
                heads[..k].iter().any(|&b| {
                    let t = squeezed(page, b);
                    t.chars().count() >= MIN_EVENT_HEADLINE_CHARS && !bare_zone_name(&t, lex)
                })
            };
            if bare_zone_name(name, lex)
                && under_a_head()
                && !heads[k + 1..]
                    .iter()
                    .any(|&b| page.block_text(b).contains(name))
            {
                return false;
            }
            // (an indented deck: `    ——长春高新区…`; or one whose dashes were cut off when
            // it was first placed as the subtitle)
            let t = page.block_text(heads[k]).trim_start();
            let cut_deck = page.text[..heads[k].start].ends_with(DECK_DASHES);
            // (【调结构 转方式·国家高新区调研行⑨】: a column's label alone, no headline)
            let column_label = t.starts_with('【') && t.trim_end().ends_with('】');
            !t.starts_with(DECK_DASHES)
                && !cut_deck
                && !column_label
                && !CN_DATE.is_match(t)
                && !ISO_DATE.is_match(t)
        })
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
    // 平坝赴佛山招商引资 / 签约8个项目总投资超23亿元: of two heads printed one under the
    // other, the event over the figures is the headline and the figures are its deck
    if let [first, second] = cands[..] {
        let (a, b) = (
            page.block_text(heads[first]),
            page.block_text(heads[second]),
        );
        let together = printed_together(page, heads[first], heads[second]);
        if together
            && !a.chars().any(|c| c.is_ascii_digit())
            && a.chars().count() >= MIN_EVENT_HEADLINE_CHARS
            && b.chars().any(|c| c.is_ascii_digit())
        {
            return first;
        }
        // 32个大项目集中开工,计划总投资248.7亿 / 海门“突破年”迎来开门红: the figures over the
        // event, in a clause and another, are the kicker over it
        if together
            && !b.chars().any(|c| c.is_ascii_digit())
            && b.chars().count() >= MIN_EVENT_HEADLINE_CHARS
            && a.chars().any(|c| c.is_ascii_digit())
            && a.contains(',')
        {
            return second;
        }
    }
    // a head that holds another whole (高翔:比学赶超… over 比学赶超…) is the headline printed
    // in full; else the first head of headline length (a web page prints its headline over
    // its deck), passing short chrome such as 用户名密码注册
    let texts: Vec<String> = cands.iter().map(|&k| squeezed(page, heads[k])).collect();
    if let Some(i) = (0..cands.len()).find(|&i| {
        (0..cands.len()).any(|j| {
            j != i
                && texts[j].chars().count() >= MIN_TITLE_HALF_CHARS
                && texts[i].len() > texts[j].len()
                && texts[i].contains(texts[j].as_str())
        })
    }) {
        return cands[i];
    }
    cands
        .iter()
        .zip(&texts)
        .find(|(_, t)| t.chars().count() >= MIN_EVENT_HEADLINE_CHARS)
        .or_else(|| cands.iter().zip(&texts).next())
        .map_or(0, |(&k, _)| k)
}

/// True when `t` is a zone's name in Han characters and nothing else (滨州经济技术开发区).
fn bare_zone_name(t: &str, lex: &Lexicon) -> bool {
    t.chars().all(is_han) && is_zone_name_alone(t, lex)
}

/// Least characters of a head without figures preferred as the headline over one with.
const MIN_EVENT_HEADLINE_CHARS: usize = 8;

/// What a character lost to the page's encoding is printed as: a question mark, or the
/// Unicode replacement character.
const MOJIBAKE_MARKS: [char; 2] = ['?', '\u{FFFD}'];

/// Longest credit line that names no one (本报记者综合报道), in characters.
const MAX_UNNAMED_CREDIT_CHARS: usize = 12;

fn classify(text: &str, start: usize, lex: &Lexicon) -> Kind {
    let t = text.trim();
    // (经济开发区(图片来源:网络): a picture's label with its credit)
    if t.starts_with("图片来源") || t.starts_with("图片由") || t.contains("(图片来源") {
        return Kind::PhotoCredit;
    }
    // (消息来源:XX网 中新网成都11月2日电…: a source field glued before the lead is no meta line)
    if source_before_dateline(t, lex).is_some() {
        if let Some(lead) = parse_lead(text, start, lex) {
            return lead;
        }
    }
    if let Some(meta) = parse_web_meta(t, lex) {
        return meta;
    }
    let bare = strip_list_marker(t);
    // (the length first: most lines are too long for a heading before their start is
    // compared with each of the headings)
    if crate::lexicon::at_most_chars(bare, MAX_LIST_HEADING_CHARS)
        && lex
            .page
            .rules
            .list_headings
            .iter()
            .any(|h| bare.starts_with(h.as_str()))
    {
        return Kind::ListHeading;
    }
    // `-` on a line of its own between two stories of an e-paper page: a rule that ends the
    // story above, like a section label
    if t.chars()
        .all(|c| matches!(c, '-' | '—' | '─' | '_' | '*' | '='))
    {
        return Kind::BriefLabel;
    }
    if is_chrome(bare, lex) || is_foreign_text(t) || is_code_token(t) {
        return Kind::Chrome;
    }
    let label = bare.trim_matches(['【', '】', '■', '●', '▲', '◆', '[', ']', ' ']);
    if lex.page.rules.brief_labels.iter().any(|l| l == label) {
        return Kind::BriefLabel;
    }
    if NOTE_LABELS.contains(&label.trim_end_matches(':')) {
        return Kind::NoteLabel;
    }
    // (自贡网记者 张翠娜 罗祥瑞?: a space the page's encoding lost, left as a question mark
    // after the last name, is no question)
    if let Some(names) = lex.byline_names(t.trim_end_matches(MOJIBAKE_MARKS).trim_end()) {
        return Kind::Byline(names);
    }
    // □本报记者综合报道: the paper's reporters credited without a name
    let credit = t.trim_start_matches(|c| crate::lexicon::BYLINE_MARKS.contains(&c) || c == ' ');
    if ["综合报道", "综合"].iter().any(|w| credit.ends_with(w))
        && crate::lexicon::at_most_chars(credit, MAX_UNNAMED_CREDIT_CHARS)
        && lex
            .byline_roles
            .iter()
            .any(|r| r.chars().count() >= 2 && credit.contains(r.as_str()))
    {
        return Kind::Byline(Vec::new());
    }
    if let Some(lead) = parse_lead(text, start, lex) {
        return lead;
    }
    if is_caption(t, lex) {
        return Kind::Caption;
    }
    if is_issuer_line(t, lex) {
        return Kind::Byline(Vec::new());
    }
    // (龙岩高新区(经开区):, a kicker over the headline, ends on its colon)
    // (今年前三季度 / 成都高新区实现地区生产总值2034.2亿元!: a time alone on its line opens
    // the sentence below it, it heads nothing)
    // ([摘要]——安康高新区…系列报道之三: a site's summary of the story, labelled so, is text
    // of it, never a headline)
    if (is_headline(t) || is_kicker(t, lex))
        && !is_summary(t)
        && !crate::extract::periods::strip_leading_time(t).is_empty()
    {
        return Kind::Headline;
    }
    Kind::Body
}

/// Labels of a site's summary of the story, printed under its headline.
const SUMMARY_LABELS: [&str; 2] = ["[摘要]", "【摘要】"];

/// True when line `t` is a site's summary of its story (`[摘要]——…系列报道之三`): text of the
/// story, but not where its text begins.
fn is_summary(t: &str) -> bool {
    let bare = strip_list_marker(t.trim());
    SUMMARY_LABELS.iter().any(|l| bare.starts_with(l))
}

/// `0917zsm`: a short line of Latin letters and digits mixed, no word of any story (an editor's
/// file code, a tracking token).
fn is_code_token(t: &str) -> bool {
    t.len() <= MAX_CODE_TOKEN_BYTES
        && t.bytes().all(|b| b.is_ascii_alphanumeric())
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Longest line taken for a code token.
const MAX_CODE_TOKEN_BYTES: usize = 16;

/// Fewest Latin letters of a line in another language.
const MIN_FOREIGN_LETTERS: usize = 40;

/// `Ces temps-ci, les travaux battent leur plein dans la zone économique…`: a line written in
/// Latin letters with hardly a Chinese character (a site's translation, a foreign summary) is
/// no part of the Chinese story; an English name inside Chinese text is not such a line.
fn is_foreign_text(t: &str) -> bool {
    // every such letter is an ASCII letter or starts with a byte C3-C9 (U+00C0-U+024F): a
    // byte count bounds them without decoding the line, and rules out almost every line
    // (counted in u8 lanes over 255-byte chunks, which the compiler vectorises)
    let bound: usize = t
        .as_bytes()
        .chunks(255)
        .map(|chunk| {
            let flags = chunk
                .iter()
                .map(|&b| u8::from(b.is_ascii_alphabetic() | (0xC3..=0xC9).contains(&b)));
            usize::from(flags.fold(0u8, u8::wrapping_add))
        })
        .sum();
    if bound < MIN_FOREIGN_LETTERS {
        return false;
    }
    let mut latin = 0usize;
    let mut han = 0usize;
    for c in t.chars() {
        if c.is_alphabetic() && (c.is_ascii() || ('\u{c0}'..='\u{24f}').contains(&c)) {
            latin += 1;
        } else if is_han(c) {
            han += 1;
        }
    }
    latin >= MIN_FOREIGN_LETTERS && han * 10 < latin
}

/// Longest list heading, in characters (相关新闻, 点击排行 更多>>).
const MAX_LIST_HEADING_CHARS: usize = 16;

/// `来源:湘潭高新区 作者:戴宁 刘澜 发布时间:2022-01-20 11:31`, `- 发布时间:2015-12-07 来源:广州日报
/// 责任编辑:罗伯特`, `发表时间:2017-02-16`, or a line holding only a date: the metadata of an
/// article. Reporters are authors; editors are not.
fn parse_web_meta(t: &str, lex: &Lexicon) -> Option<Kind> {
    if lex.page.profile_words.any_in(t) {
        return None;
    }
    let dated = |published: Published, keyed: bool, source: Option<String>| Kind::WebMeta {
        authors: Vec::new(),
        published: Some(published),
        keyed,
        source,
        month_day: None,
    };
    if let Some((paper, p)) =
        print_edition_line(t).or_else(|| crate::lines::slashed_edition_line(t))
    {
        return Some(dated(p, true, Some(paper)));
    }
    // `--> 2023-02-21 贵阳高新区 1 1 贵州日报 content_86532.html … /enpproperty-->`: an e-paper
    // system's record of the article, left as text where its page was saved, with the date
    if t.contains("enpproperty") {
        if let Some(p) = ISO_DATE.find(t).and_then(|m| parse_iso_date(m.as_str())) {
            return Some(dated(p, true, None));
        }
    }
    let bare = meta_text(t);
    if bare.chars().count() > MAX_META_CHARS {
        return None;
    }
    if let Some(p) = stamp_line(bare) {
        return Some(dated(p, true, None));
    }
    // the site's address before the date or the fields (http://007sbw.cn 2009-01-06 10:41,
    // http://www.bjmmedia.cn 发布日期:2009-05-07 …, CCTV.com 2009年10月27日 13:59 …)
    let bare = match bare.split_once(' ') {
        Some((first, rest))
            if ["http://", "https://", "www."]
                .iter()
                .any(|p| first.starts_with(p))
                || (first.contains('.')
                    && first.chars().any(|c| c.is_ascii_alphabetic())
                    && first
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')) =>
        {
            rest.trim_start()
        }
        _ => bare,
    };
    if let Some(p) = date_only_line(bare) {
        return Some(dated(p, false, None));
    }
    // 3月3日 on a line of its own over a story: its day, in the year the page gives
    if bare.ends_with('日') {
        if let Some(month_day) = crate::lines::month_day_only(bare) {
            return Some(Kind::WebMeta {
                authors: Vec::new(),
                published: None,
                keyed: false,
                source: None,
                month_day: Some(month_day),
            });
        }
    }
    if let Some((p, source)) = crate::lines::date_then_source(bare) {
        return Some(dated(p, true, Some(source)));
    }
    let fields = meta_fields(bare, lex);
    if !is_meta_line(bare, &fields) {
        return None;
    }
    let value = |k: usize| -> &str {
        let (at, key) = fields[k];
        let from = at + key.len();
        let end = fields.get(k + 1).map_or(bare.len(), |&(next, _)| next);
        field_value(&bare[from..end.max(from)])
    };
    let mut authors = Vec::new();
    // 2009-05-31 杜辉升 冯飞 来源:经济参考报: the names between a date the line opens with and
    // its first field are its authors
    if let Some(date) = ISO_DATE
        .find(bare)
        .or_else(|| CN_DATE.find(bare))
        .filter(|m| m.start() == 0)
    {
        let to = fields.first().map_or(bare.len(), |&(at, _)| at);
        let between = bare.get(date.end()..to).unwrap_or("");
        let between =
            between.trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == ' ');
        let names: Vec<&str> = between.split_whitespace().collect();
        if !names.is_empty() && names.iter().all(|n| lex.is_name(n)) {
            authors.extend(names.iter().map(|n| n.to_string()));
        }
    }
    let mut published = None;
    let mut month_day = None;
    let mut source = None;
    for (k, &(_, key)) in fields.iter().enumerate() {
        let v = value(k);
        if source.is_none() && !v.is_empty() && lex.page.rules.source_keys.iter().any(|a| a == key)
        {
            source = Some(v.to_string());
        } else if lex.page.rules.author_keys.iter().any(|a| a == key) {
            authors.extend(
                v.split([' ', '、', ',', '/'])
                    .map(|n| n.trim_matches(['】', ')', ']', '?', '?']))
                    .filter(|n| lex.is_name(n))
                    .map(str::to_string),
            );
        } else if published.is_none() && lex.page.rules.date_keys.iter().any(|d| d == key) {
            published = parse_iso_date(v);
            if published.is_none() && month_day.is_none() {
                month_day = crate::lines::month_day_only(v);
            }
        }
    }
    if published.is_none() {
        // 来源:中国新闻网 责任编辑:黄秀环 2021-11-03 14:40:48: a date with no key of its own
        published = ISO_DATE
            .find(bare)
            .or_else(|| CN_DATE.find(bare))
            .and_then(|m| parse_iso_date(m.as_str()));
    }
    if published.is_none() {
        // 20-09-08 10:35 来源:金昌日报 编辑:…: a site's stamp with a two-digit year, opening
        // the metadata line and followed by the time of day
        published = SHORT_YEAR_STAMP
            .captures(bare)
            .and_then(|c| parse_iso_date(&format!("20{}-{}-{}", &c["y"], &c["m"], &c["d"])))
            // (内蒙古新闻网  15-05-13 17:50 打印本页 来源:…: or the site's stamp before the first
            // field, its name first)
            .or_else(|| {
                let (at, _) = fields.first()?;
                crate::lines::stamp_line(&bare[..*at])
            });
    }
    Some(Kind::WebMeta {
        authors,
        month_day: month_day.filter(|_| published.is_none()),
        published,
        keyed: true,
        source,
    })
}

/// `20-09-08 10:35`: a two-digit year, month and day opening a metadata line, then the time.
static SHORT_YEAR_STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<y>[0-9]{2})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})\s+[0-9]{1,2}:[0-9]{2}(?-u:\b)",
    )
    .expect("static regex")
});

/// `中招网:`, `慧聪智能家居网 `: a site's name (ending in 网) and a colon or a space opening the
/// first paragraph of a story it reprints.
static SITE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<site>\p{Han}{1,10}网)(?:\s*[:]\s*|\s+)").expect("static regex")
});

/// Longest site's tag (`\p{Han}{1,10}网`), in bytes.
const MAX_SITE_TAG_BYTES: usize = 11 * 3;

/// Fewest characters of text after a site's tag for the tag to open a story (a site's name
/// and a few words are a header or a link).
const MIN_TAGGED_BODY_CHARS: usize = 20;

/// `据厦门日报报道`: the paper a story is taken from, opening its first paragraph.
static REPORTED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^据(?P<press>\p{Han}{1,11}?[报网社台刊])报道[ ,:]?").expect("static regex")
});

/// Longest column label in brackets (【记者手记】), in characters.
const MAX_COLUMN_LABEL_CHARS: usize = 6;

/// Shortest text after a column label for the label to open it (a lone `【链接】` is a heading).
const MIN_LABELLED_BODY_CHARS: usize = 20;

/// `光明日报记者 吴琳“…` after a column label: the reporter, then the body (a quote, a bracket or
/// a space shows where the name ends).
static LABEL_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\p{Han}{0,8}?记者\s*(?P<name>\p{Han}{2,4}?)\s*(?P<next>[“「"(])"#)
        .expect("static regex")
});

/// A reporter's role and the names it credits, each later name maybe after a role of its own
/// (`记者唐天才、通讯员余运来、张海英`): the start of [`REPORTER_LEAD`] and [`SPACED_CREDIT`].
const CREDIT_NAMES: &str = r"^(?:本报)?(?:特约|见习|实习)?(?:记者|通讯员)\s*(?P<names>\p{Han}{2,4}(?:[ 、](?:(?:本报)?(?:特约|见习|实习)?(?:记者|通讯员)\s*)?\p{Han}{2,4}){0,5})";

/// `记者 吴超群 报导:`, `本报记者 李宁 王敏报道:`: a reporter's credit that opens a body.
static REPORTER_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"{CREDIT_NAMES}\s*报[道导](?:\s*[:]\s*|\s+)")).expect("static regex")
});

/// Bytes from a paragraph's start within which [`CHANNEL_REPORT`]'s 报道 or 消息 ends: a
/// channel's name of 16 characters of four bytes at most, then the word.
const CHANNEL_REPORT_HEAD_BYTES: usize = 16 * 4 + "报道".len();

/// `国际在线辽宁频道报道(李子平):`: a site's channel and its reporter opening the story.
static CHANNEL_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<press>\p{Han}{2,16}?)(?:报道[((](?P<name>\p{Han}{2,3})[))]|消息)\s*[::]\s*")
        .expect("static regex")
});

/// `澎湃新闻记者 邱海鸿2021年1月27日,…`: a paper's or site's reporter credited at the start of
/// a paragraph, the text running on after the name.
static PRESS_REPORTER_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<press>\p{Han}{2,8}?)记者\s*(?P<name>\p{Han}{2,3}?)\s*(?P<next>[0-9])")
        .expect("static regex")
});

/// The reporters and the body after a [`REPORTER_LEAD`] credit, when every name is a name.
fn reporter_lead<'a>(text: &'a str, lex: &Lexicon) -> Option<(Vec<String>, &'a str)> {
    let c = REPORTER_LEAD.captures(text)?;
    // 记者唐天才、通讯员余运来、张海英报道: each name may carry its own role
    let names = lex.byline_names(&c["names"])?;
    Some((names, &text[c.get(0)?.end()..]))
}

/// `记者张昊 通讯员程学勇 昨日下午,…` right after a dateline: reporters each after a role,
/// set off from the body by a space.
static SPACED_CREDIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("{CREDIT_NAMES} +")).expect("static regex"));

/// `(通讯员傅亮、李胜雄)作为…`: a bracketed credit with a reporter's role that opens a
/// paragraph; the names and the body after it.
fn bracketed_credit<'a>(text: &'a str, lex: &Lexicon) -> Option<(Vec<String>, &'a str)> {
    let inner_and_rest = text.strip_prefix('(')?;
    let close = inner_and_rest.find(')')?;
    let inner = &inner_and_rest[..close];
    // (草原云•内蒙古新闻网记者 周 蕾): or after the outlet's name
    let role = lex.byline_roles.iter().any(|r| {
        r.chars().count() >= 2
            && inner
                .find(r.as_str())
                .is_some_and(|at| at == 0 || inner[..at].ends_with(crate::lexicon::PRESS_ENDINGS))
    });
    if !role || inner.chars().count() > MAX_BRACKETED_CREDIT_CHARS {
        return None;
    }
    let names = lex.byline_names(inner)?;
    let rest = inner_and_rest[close + ')'.len_utf8()..].trim_start();
    (!rest.is_empty()).then_some((names, rest))
}

/// Longest bracketed credit opening a paragraph, in characters.
const MAX_BRACKETED_CREDIT_CHARS: usize = 30;

/// The reporters and the body after a [`SPACED_CREDIT`], when every name is a name.
fn spaced_credit<'a>(text: &'a str, lex: &Lexicon) -> Option<(Vec<String>, &'a str)> {
    let c = SPACED_CREDIT.captures(text)?;
    let names = lex.byline_names(&c["names"])?;
    Some((names, &text[c.get(0)?.end()..]))
}

/// Longest source name in a source field glued before a dateline, in characters.
const MAX_GLUED_SOURCE_CHARS: usize = 16;

/// The text after a source field (`消息来源:四川新闻网 `) when a dateline follows it.
fn source_before_dateline<'a>(text: &'a str, lex: &Lexicon) -> Option<&'a str> {
    let value = lex.page.rules.source_keys.iter().find_map(|k| {
        text.strip_prefix(k.as_str())?
            .strip_prefix([':', ':'])
            .map(str::trim_start)
    })?;
    let name = value.len() - value.trim_start_matches(is_han).len();
    let after = &value[name..];
    let rest = after.trim_start();
    ((2..=MAX_GLUED_SOURCE_CHARS).contains(&value[..name].chars().count())
        && rest.len() < after.len()
        && DATELINE.is_match(rest))
    .then_some(rest)
}

/// Farthest into a run-on line a headline's end is looked for, in characters.
const MAX_RUN_ON_HEADLINE_CHARS: usize = 60;

/// `探访…:打造产业绿洲中新网记者 朱晓颖在中国西部边陲…`: a headline, an agency's reporter credit
/// and the story's text run into one line. Returns the headline, the reporters and the text
/// after the credit, when the agency is a dateline agency and the name a name.
fn run_on_credit<'a>(line: &'a str, lex: &Lexicon) -> Option<(&'a str, Vec<String>, &'a str)> {
    let reach = line
        .char_indices()
        .nth(MAX_RUN_ON_HEADLINE_CHARS)
        .map_or(line.len(), |(i, _)| i);
    line[..reach].match_indices("记者").find_map(|(k, _)| {
        let before = &line[..k];
        let agency = lex
            .page
            .rules
            .dateline_agencies
            .iter()
            .find(|a| before.ends_with(a.as_str()))?;
        let head = before[..before.len() - agency.len()].trim_end();
        let credit = line[k + "记者".len()..].trim_start();
        let (name, after) = [3, 2].into_iter().find_map(|n| {
            let end = credit.char_indices().nth(n).map(|(i, _)| i)?;
            let name = &credit[..end];
            (name.chars().all(is_han) && lex.is_name(name)).then_some((name, &credit[end..]))
        })?;
        (is_headline(head) && !after.trim().is_empty())
            .then(|| (head, vec![name.to_string()], after.trim_start()))
    })
}

/// A press dateline at the start of `text` (`新华社北京12月6日电`, `本报讯`): its month and day
/// when it gives them, and the text after it.
fn read_dateline<'a>(text: &'a str, lex: &Lexicon) -> Option<(Option<(u32, u32)>, &'a str)> {
    let c = DATELINE.captures(text)?;
    if !dateline_by_press(&c, lex) {
        return None;
    }
    let mut date = None;
    if let (Some(m), Some(d)) = (c.name("m"), c.name("d")) {
        // 12月6日, or in numerals as older wire copy wrote it (十月二十八日)
        let number = crate::extract::cnum::small_whole_number;
        let (m, d) = (number(m.as_str())?, number(d.as_str())?);
        if (1..=12).contains(&m) && (1..=31).contains(&d) {
            date = Some((m, d));
        }
    }
    Some((date, &text[crate::lines::dateline_end(&c)..]))
}

/// `本报讯 (特约通讯员 李雯文) 近日,…`, `新华社北京12月6日电(记者 XX)…`, `【XX网讯】…`: the body
/// starts after the lead and its credit.
fn parse_lead(text: &str, start: usize, lex: &Lexicon) -> Option<Kind> {
    dated_lead(text, start, lex).or_else(|| site_tagged_lead(text, start))
}

/// 中招网:近日,敦化18个新项目集中签约…, 慧聪智能家居网 大庆因油而生,…: a site's name and a
/// colon or a space before the first sentence of the story it reprints (read only where no
/// dateline follows the name: 中新网 江城10月18日电 is a dateline).
fn site_tagged_lead(text: &str, start: usize) -> Option<Kind> {
    let rest = text.trim_start();
    // the cheap test first: this runs for every paragraph that opens on no dateline
    if !rest[..crate::lexicon::floor_char_boundary(rest, MAX_SITE_TAG_BYTES)].contains('网') {
        return None;
    }
    let c = SITE_TAG.captures(rest)?;
    let body = &rest[c.get(0).map_or(0, |m| m.end())..];
    (body.contains(['。', ',']) && body.chars().count() >= MIN_TAGGED_BODY_CHARS).then(|| {
        Kind::Lead {
            body_start: start + (text.len() - body.len()),
            authors: Vec::new(),
            dateline: None,
            note: false,
            headline: None,
        }
    })
}

/// A lead with a dateline, a source's report or an editor's note (see [`parse_lead`]).
fn dated_lead(text: &str, start: usize, lex: &Lexicon) -> Option<Kind> {
    // ????天水网讯…: characters a mirror could not encode, left as question marks before it
    // (○本报讯 …: a bullet a print layout sets before the lead)
    let mut rest = text
        .trim_start_matches(['?', '○', '●', '□', '■'])
        .trim_start();
    // 国际在线辽宁频道报道(李子平):12月20日,…, 国际在线江苏频道消息:…: a site's channel
    // reports, maybe its reporter in brackets
    // (the cheap test first: 报道 or 消息 ends the channel's name of at most 16 characters)
    let head = &rest[..crate::lexicon::floor_char_boundary(rest, CHANNEL_REPORT_HEAD_BYTES)];
    let reports = head.contains("报道") || head.contains("消息");
    if let Some(c) = reports
        .then(|| CHANNEL_REPORT.captures(rest))
        .flatten()
        .filter(|c| {
            let press = &c["press"];
            (press.ends_with("频道") || press.ends_with(PRESS_ENDINGS))
                && c.name("name").is_none_or(|n| lex.is_name(n.as_str()))
        })
    {
        let body = &rest[c.get(0).map_or(0, |m| m.end())..];
        return Some(Kind::Lead {
            body_start: start + (text.len() - body.len()),
            authors: c
                .name("name")
                .map(|n| n.as_str().to_string())
                .into_iter()
                .collect(),
            dateline: None,
            note: false,
            headline: None,
        });
    }
    // `讯 10月18日,…`: a mirror that cut the site's name off its dateline
    if let Some(after) = rest
        .strip_prefix('讯')
        .filter(|r| r.starts_with(char::is_whitespace))
    {
        rest = after.trim_start();
        let body_start = start + (text.len() - rest.len());
        return Some(Kind::Lead {
            body_start,
            authors: Vec::new(),
            dateline: None,
            note: false,
            headline: None,
        });
    }
    // 消息来源:四川新闻网 中新网成都11月2日电…: the page's source field glued before the dateline
    if let Some(after) = source_before_dateline(rest, lex) {
        rest = after;
    }
    let mut dateline = None;
    let mut note = false;
    if let Some(after) = ["编者按:", "编者语:", "编者按 ", "编者语 "]
        .iter()
        .find_map(|label| rest.strip_prefix(label))
    {
        // 编者语:1月3日,…: the label of an editor's note, whose text opens the article
        rest = after;
        note = true;
    } else if let Some(inner) = rest.strip_prefix('【') {
        // 【XX网讯】, 【XX日报讯】
        let close = inner.find('】')?;
        let head = &inner[..close];
        let after = &inner[close + '】'.len_utf8()..];
        if head.ends_with('讯') || head.ends_with('电') {
            if head.chars().count() > 20 {
                return None;
            }
            rest = after;
        } else if let Some((date, after)) = (head.chars().count() <= MAX_GLUED_SOURCE_CHARS)
            .then(|| read_dateline(after.trim_start(), lex))
            .flatten()
        {
            // 【城市信息网】昆明1月24日电(张宇娴)…: the reprinting site's name before the dateline
            dateline = date;
            rest = after;
        } else {
            // 【简介】…, 【记者手记】光明日报记者 吴琳“…”: a column's label over body text; like
            // an editor's note it opens an article only where no body came yet
            let n = head.chars().count();
            // (【人民网】vlog|走进长春国家农高区 看…: a site's name over a headline-shaped line is
            // the reprint's tag on its headline)
            let site_over_headline = head.ends_with(['网', '报']) && is_headline(after.trim());
            if !(2..=MAX_COLUMN_LABEL_CHARS).contains(&n)
                || !head.chars().all(is_han)
                || after.trim().chars().count() < MIN_LABELLED_BODY_CHARS
                || site_over_headline
            {
                return None;
            }
            note = true;
            rest = after.trim_start();
            if let Some(c) = LABEL_CREDIT
                .captures(rest)
                .filter(|c| lex.is_name(&c["name"]))
            {
                let body = c.name("next").map_or(rest.len(), |m| m.start());
                let name = c["name"].to_string();
                let body_start = start + (text.len() - rest.len()) + body;
                return Some(Kind::Lead {
                    body_start,
                    authors: vec![name],
                    dateline,
                    note,
                    headline: None,
                });
            }
        }
    } else if let Some(c) = PRESS_REPORTER_LEAD.captures(rest).filter(|c| {
        let press = &c["press"];
        (press.ends_with(PRESS_ENDINGS) || press.ends_with("新闻")) && lex.is_name(&c["name"])
    }) {
        let body = c.name("next").map_or(rest.len(), |m| m.start());
        return Some(Kind::Lead {
            body_start: start + (text.len() - rest.len()) + body,
            authors: vec![c["name"].to_string()],
            dateline,
            note,
            headline: None,
        });
    } else if REPORTER_LEAD.is_match(rest) {
        // 记者 吴超群 报导:11月13日,…: the reporter's credit opens the body (read below, as
        // after a dateline)
    } else if let Some(c) = REPORTED_BY.captures(rest).filter(|c| {
        c.name("press")
            .is_some_and(|p| p.as_str().ends_with(PRESS_ENDINGS))
    }) {
        // 据福州日报报道 14日,…: the paper the story is taken from
        rest = &rest[c.get(0)?.end()..];
    } else if let Some((names, after)) = bracketed_credit(rest, lex) {
        // (通讯员傅亮、李胜雄)作为…: a reporter's credit in brackets opens the body
        let body_start = start + (text.len() - after.len());
        return Some(Kind::Lead {
            body_start,
            authors: names,
            dateline,
            note,
            headline: None,
        });
    } else {
        // 据新华社武汉4月2日电: a dateline quoted
        let (date, after) = read_dateline(rest.strip_prefix('据').unwrap_or(rest), lex)?;
        dateline = date;
        rest = after;
    }
    rest = rest.trim_start();
    // 台海网10月31日讯 据厦门日报报道 日前,…: the paper the story is taken from, after the
    // site's own dateline
    if let Some(c) = REPORTED_BY.captures(rest) {
        rest = rest[c.get(0).map_or(0, |m| m.end())..].trim_start();
    }
    let mut authors = Vec::new();
    // 【香港商报网讯】记者 吴超群 报导:…: the reporter's credit after the lead
    if let Some((names, after)) = reporter_lead(rest, lex) {
        authors = names;
        rest = after;
    } else if let Some((names, after)) = spaced_credit(rest, lex) {
        // 南都讯 记者张昊 通讯员程学勇 昨日下午,…: a credit set off by a space only
        authors = names;
        rest = after;
    }
    // (记者 XX) after the lead, or 【记者 XX】 as a mirror of a city site prints it
    if let Some((open, close)) = [('(', ')'), ('【', '】')]
        .into_iter()
        .find(|(open, _)| rest.starts_with(*open))
    {
        if let Some(end) = rest.find(close) {
            let inner = &rest[open.len_utf8()..end];
            let names = lex.byline_names(inner);
            // (a bracket after a lead is its credit; a 【】 one only when it names reporters)
            if inner.chars().count() <= 40 && (open == '(' || names.is_some()) {
                if let Some(names) = names {
                    authors = names;
                }
                rest = rest[end + close.len_utf8()..].trim_start();
            }
        }
    }
    // 中新网3月2日电 题:…: the rest of the line is the story's headline (题 :… too)
    let mut headline = None;
    if let Some(title) = rest
        .strip_prefix('题')
        .and_then(|r| r.trim_start().strip_prefix(':'))
    {
        let mut title = title.trim();
        rest = &rest[rest.len()..];
        // 题:探访…:打造产业绿洲中新网记者 朱晓颖在中国西部边陲…: a crawler ran the headline,
        // the reporter's credit and the story into one line
        if let Some((head, names, after)) = run_on_credit(title, lex) {
            title = head;
            authors.extend(names);
            rest = after;
        }
        if !title.is_empty() {
            // `title` is a slice of `text`: its offset in it
            let at = start + (title.as_ptr() as usize - text.as_ptr() as usize);
            headline = Some(Block {
                start: at,
                end: at + title.len(),
            });
        }
    }
    let body_start = start + (text.len() - rest.len());
    Some(Kind::Lead {
        body_start,
        authors,
        dateline,
        note,
        headline,
    })
}

/// The photographer of a caption (`… 赵磊 摄` → 赵磊).
fn caption_credit(t: &str, lex: &Lexicon) -> Option<String> {
    let t = t.trim();
    // 见习记者 王亚鸽 图: 图 credits a photographer only when set off from the caption by a
    // space (分布图 is a map)
    let rest = match t.strip_suffix('摄') {
        Some(r) => r,
        None => t.strip_suffix(" 图").or_else(|| t.strip_suffix("/图"))?,
    }
    .trim_end_matches(['/', ' ']);
    let name: String = rest
        .chars()
        .rev()
        .take_while(|c| is_han(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let name = name.strip_prefix("记者").unwrap_or(&name).to_string();
    if t.ends_with('图') && !rest.ends_with(&format!(" {name}")) {
        return None;
    }
    lex.is_name(&name).then_some(name)
}

/// A short stand-alone block ending with a photographer's credit (`… 张三 摄`, `…/摄`).
fn is_caption(t: &str, lex: &Lexicon) -> bool {
    let t = t.trim();
    t.chars().count() <= 160
        && (caption_credit(t, lex).is_some()
            || (t.starts_with("这是")
                && lex.shot_caption_words.iter().any(|w| t.contains(w.as_str())))
            || t.ends_with("/摄")
            // …鲜桃丰收季!M应 摄: a credit set apart by a space, even when a mirror garbled
            // the photographer's name
            || t.ends_with(" 摄")
            // ▲吴建平一行在新投产项目恒泰工艺礼品有限公司观摩: a mark that points at the photo,
            // before one clause (a mark before sentences may open a story's text)
            || (lex
                .page
                .rules
                .caption_marks
                .iter()
                .any(|m| t.starts_with(m.as_str()))
                && !t.contains(['。', ',', ';']))
            // …聚集(央广网发 高新区管委会供图): a picture a body supplied, credited in brackets
            || (t.ends_with("供图)") && !t.contains('。'))
            // …图为鄂尔多斯集团高度机械化梳绒车间。 (资料图片): a picture's label closing its
            // caption
            || t
                .strip_suffix(')')
                .and_then(|h| h.rsplit_once('('))
                .is_some_and(|(_, label)| {
                    lex.page
                        .rules
                        .picture_labels
                        .iter()
                        .any(|l| l == label)
                })
            // 厅长杨春庭(右)及市委书记黄汝生(左)为平果经开区揭牌: people placed in the picture
            || (!t.contains(['。', ',']) && PICTURE_PLACES.iter().any(|p| t.contains(p))))
}

/// Where a caption places the people in its picture.
const PICTURE_PLACES: &[&str] = &[
    "(左)",
    "(右)",
    "(中)",
    "(左一)",
    "(左二)",
    "(左三)",
    "(右一)",
    "(右二)",
    "(右三)",
    "(前排左",
    "(前排右",
    "(后排左",
    "(后排右",
];

/// Shortest name of an issuing body, in characters (市政府办公室).
const MIN_ISSUER_CHARS: usize = 5;

/// `中共绵阳经开区工委 绵阳经开区管委会`: a line of two or more names of issuing bodies
/// (`page.issuer_endings`), set apart by spaces, credits who issued the text.
fn is_issuer_line(t: &str, lex: &Lexicon) -> bool {
    let endings = &lex.page.rules.issuer_endings;
    let ends_as_issuer = |s: &str| endings.iter().any(|e| s.ends_with(e.as_str()));
    // this runs for every line: the line's own ending first, before any walk through it
    if !ends_as_issuer(t.trim_end()) {
        return false;
    }
    let mut parts = 0;
    for part in t.split_whitespace() {
        parts += 1;
        if !ends_as_issuer(part)
            || part.chars().count() < MIN_ISSUER_CHARS
            || !part.chars().all(is_han)
        {
            return false;
        }
    }
    parts >= 2
}

/// Longest portrait caption (`襄阳高新区管委会副主任周保汉`), in characters.
const MAX_PORTRAIT_CAPTION_CHARS: usize = 30;

/// `襄阳高新区管委会副主任周保汉`: a short line that is only a person's post and name, with no
/// punctuation, names the person in a portrait; a headline says what happened.
fn is_portrait_caption(t: &str, lex: &Lexicon) -> bool {
    let t = t.trim();
    if t.chars().count() > MAX_PORTRAIT_CAPTION_CHARS || !t.chars().all(is_han) {
        return false;
    }
    lex.person_titles.find_iter(t).any(|m| {
        let name = &t[m.end()..];
        !name.is_empty() && lex.is_name(name)
    })
}

/// Longest headline that both lists (、) and joins clauses (,), in characters.
const MAX_LISTING_HEADLINE_CHARS: usize = 40;

/// Longest item of a list after a headline's colon, in characters (江苏23个).
const MAX_HEADLINE_ITEM_CHARS: usize = 8;

/// A short line without sentence punctuation: a headline or a section heading.
fn is_headline(t: &str) -> bool {
    let n = t.chars().count();
    if n == 0 || n > 50 {
        return false;
    }
    // (奋勇?tīng)?zhēng)先: a question mark a mirror left for a character it lost, its pinyin
    // after it, asks nothing)
    let asks = t.match_indices('?').any(|(i, q)| {
        !t[i + q.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() && !is_han(c))
    });
    if asks || t.chars().any(|c| matches!(c, '。' | ';')) {
        return false;
    }
    let last = t.chars().next_back().unwrap_or(' ');
    if matches!(last, ',' | '、' | ':' | '!' | '…') {
        return false;
    }
    // (先进制造业百强园区:中关村第一,江苏23个,广东10个: but short items after a colon are a
    // headline's list)
    let listed_after_colon = t.split_once(':').is_some_and(|(_, items)| {
        items
            .split(',')
            .all(|i| (1..=MAX_HEADLINE_ITEM_CHARS).contains(&i.chars().count()))
    });
    if t.matches(',').count() > 1 && !listed_after_colon {
        return false;
    }
    // (…活动以现场会形式举行(田谷仓 摄): a photo's caption, credited at its end)
    if t.trim_end().ends_with("摄)") || t.trim_end().ends_with("摄)") {
        return false;
    }
    // (除了刚刚获批的咸宁高新区、黄冈高新区(q: a sentence cut off inside a bracket, as an
    // excerpt's last line is; a headline closes what it opens)
    if t.rfind(['(', '('])
        .is_some_and(|i| !t[i..].contains([')', ')']))
    {
        return false;
    }
    // 科技是第一生产力、人才是第一资源、…,实现高水平科技自立自强: a long line of listed
    // clauses is a slogan, not a headline
    if n > MAX_LISTING_HEADLINE_CHARS && t.contains('、') && t.contains(',') {
        return false;
    }
    t.chars().filter(|&c| is_han(c)).count() >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_in_latin_letters_is_foreign_however_long_and_an_english_name_is_not() {
        // 40 letters at the end of a line of over 255 bytes of Chinese: the count runs over
        // several chunks
        let han = "高新区".repeat(60);
        let letters = "abcdefghij".repeat(4);
        assert!(
            !is_foreign_text(&format!("{han}{letters}")),
            "Chinese dominates"
        );
        let french = "Ces temps-ci, les travaux battent leur plein dans la zone économique. ";
        assert!(is_foreign_text(&french.repeat(6)));
        assert!(is_foreign_text(&format!(
            "{}{}",
            french.repeat(6),
            "高新区"
        )));
        assert!(!is_foreign_text("华为(Huawei)与高新区签约"));
        assert!(!is_foreign_text(&"é".repeat(39)));
        assert!(is_foreign_text(&"é".repeat(40)));
    }
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
                    a.title_text(&page),
                    a.subtitle().map(|b| page.block_text(b).to_string()),
                    a.authors.clone(),
                    body.join("|"),
                )
            })
            .collect()
    }

    #[test]
    fn a_papers_or_sites_name_alone_is_a_masthead() {
        assert!(is_masthead("示例日报"));
        assert!(is_masthead("示例电力网"));
        assert!(is_masthead("搜狐财经-搜狐网站"));
        assert!(!is_masthead("示例高新区营收增长"));
        assert!(!is_masthead("总投资153亿元"));
        assert!(!is_masthead("全力打造科技新城"));
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
    fn a_page_cut_off_in_a_sentence_does_not_end_on_its_headline() {
        // the story's headline printed after it is its title; the start of a paragraph that
        // opens on a time and a comma is not
        let story = "本报讯(记者 陈方)近日,北海高新区12家企业入选自治区科技型企业百强榜单。\n\n在专项榜单中,北海高新区的上榜企业表现突出。";
        let a = titles(&format!("{story}\n\n北海高新区12家企业入选百强榜单"));
        assert_eq!(a[0].0.as_deref(), Some("北海高新区12家企业入选百强榜单"));
        let a = titles(&format!("{story}\n\n近年来,北海高新区坚持把科"));
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].0, None);
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

    #[test]
    fn web_page_chrome_metadata_and_dateline() {
        let src = "logo\n\n您好,欢迎来到东方示例网!登录 | 注册 | 我的频道\n\n当前位置:首页 > 新闻中心 > 正文\n\n宁波高新区前三季度营收增长一成\n\n宁波高新区前三季度营收增长一成\n\n- 发布时间:2023-10-20 09:15 来源:示例日报 作者:王小明 责任编辑:李大伟\n\n阅读:201次\n\n新华社宁波10月19日电(记者 赵一鸣)前三季度,宁波高新区营业收入同比增长10.5%。\n\n园区新增企业120家。\n\n相关新闻\n\n温州高新区举办创新大会\n\n台州高新区新签项目12个\n\n上一篇:嘉兴高新区召开会议\n\n版权所有 示例网 浙ICP备12345678号";
        let lex = Lexicon::for_tests();
        let page = normalize(src, &lex);
        let arts = segment(&page, &lex);
        assert_eq!(arts.len(), 1, "chrome and story lists are no articles");
        let a = &arts[0];
        assert_eq!(
            page.block_text(a.title().unwrap()),
            "宁波高新区前三季度营收增长一成"
        );
        assert_eq!(a.subtitle(), None, "a title printed twice is one title");
        assert_eq!(
            a.authors,
            ["王小明", "赵一鸣"],
            "the editor is not an author"
        );
        let p = a.published.unwrap();
        assert_eq!((p.year, p.month, p.day), (2023, 10, 20));
        assert_eq!(a.dateline, Some((10, 19)));
        let body: Vec<&str> = a.body().map(|b| page.block_text(b)).collect();
        assert_eq!(
            body,
            [
                "前三季度,宁波高新区营业收入同比增长10.5%。",
                "园区新增企业120家。"
            ]
        );
    }

    #[test]
    fn a_metadata_line_dates_the_page_with_a_date_of_no_key() {
        let src = "成都高新区前三季度经济增长\n\n来源:示例新闻网 责任编辑:张小红 2021-11-03 14:40:48\n\n今年前三季度,成都高新区实现地区生产总值2034.2亿元。";
        let lex = Lexicon::for_tests();
        let page = normalize(src, &lex);
        let arts = segment(&page, &lex);
        assert_eq!(arts.len(), 1);
        let p = arts[0].published.unwrap();
        assert_eq!((p.year, p.month, p.day), (2021, 11, 3));
        assert!(arts[0].authors.is_empty(), "an editor is no author");
    }

    #[test]
    fn a_date_before_one_key_or_after_the_sites_address_dates_the_page() {
        let lex = Lexicon::for_tests();
        for (meta, want) in [
            // (a share button on the same line made it chrome)
            (
                "2015-01-05 10:37:00 来源:示例广播网 说两句 分享到:",
                (2015, 1, 5),
            ),
            ("2023-05-07 10:56:54    来源:示例日报", (2023, 5, 7)),
            ("http://example.cn 2009-01-06 10:41", (2009, 1, 6)),
        ] {
            let src = format!(
                "成都高新区综合实力名列全国第四\n\n{meta}\n\n记者从成都高新区获悉,成都高新区继续名列全国第四。"
            );
            let page = normalize(&src, &lex);
            let arts = segment(&page, &lex);
            assert_eq!(arts.len(), 1, "{meta}");
            let p = arts[0]
                .published
                .unwrap_or_else(|| panic!("{meta}: no date"));
            assert_eq!((p.year, p.month, p.day), want, "{meta}");
            assert!(!arts[0]
                .segments
                .iter()
                .any(|s| page.block_text(s.block).contains("来源")));
        }
    }

    #[test]
    fn web_page_furniture_is_no_article_and_no_title() {
        // a menu of short links, a separator, a page header's date with its weekday, the
        // newspaper's own credit line (据…报道) and a headline with a full stop over a lead
        let src = "今日东城 今日西城 今日南区 今日北区 今日新区\n\n|\n\n2019年6月19日 星期三\n\n\
            示例高新区项目建设如火如荼。\n\n示例网永州1月19日讯(通讯员 周立)1月18日,示例高新区的\
            新材料项目开工。\n\n新闻推荐\n\n示例晚报讯(记者 王小明)几人聚餐后各自散去。\n";
        let a = titles(src);
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].0.as_deref(), Some("示例高新区项目建设如火如荼。"));
        assert_eq!(a[0].2, ["周立"]);
        assert!(a[0].3.starts_with("1月18日"), "{a:?}");
        for src in [
            "编者语:14日,示例高新区举行新春座谈会,30家企业参加。",
            "据示例日报报道 14日,示例高新区举行新春座谈会,30家企业参加。",
            "示例网2月15日讯 据示例日报报道 14日,示例高新区举行新春座谈会,30家企业参加。",
        ] {
            let a = titles(src);
            assert_eq!(
                a[0].3, "14日,示例高新区举行新春座谈会,30家企业参加。",
                "{src}"
            );
        }
    }

    #[test]
    fn an_editors_note_inside_an_article_is_a_paragraph_of_it() {
        let src = "示例高新区打造新能源产业高地\n\n本报讯 示例高新区今年新引进项目34个。\n\n\
            编者按:示例高新区的探索为其他园区提供了经验。\n\n园区计划打造千亿级产业集群。";
        let a = titles(src);
        assert_eq!(a.len(), 1, "{a:?}");
        assert!(a[0].3.contains("编者按:示例高新区的探索"), "{a:?}");
    }

    #[test]
    fn a_keyed_date_beats_a_page_header_date() {
        let src = "2024年04月20日 星期六\n\n示例高新区发明专利占全国一半\n\n\
            发布时间:2014-09-24 08:30:53 来源:示例日报\n\n报告指出,示例高新区的专利数量大幅增长。";
        let lex = Lexicon::for_tests();
        let page = normalize(src, &lex);
        let arts = segment(&page, &lex);
        let p = arts[0].published.unwrap();
        assert_eq!((p.year, p.month, p.day), (2014, 9, 24));
    }

    #[test]
    fn brief_label_opens_untitled_briefs() {
        let src = "常州高新区建设示范基地\n\n本报讯 近日,示范基地开工。 张小瑛\n\n简讯\n\n8月27日,某银行与实验室开展结对共建。";
        let a = titles(src);
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].0, None);
        assert!(a[1].3.starts_with("8月27日"));
    }

    #[test]
    fn other_papers_datelines_are_leads() {
        let src =
            "合肥高新区发布新政\n\n安徽日报合肥3月2日电(记者 钱多多)合肥高新区发布人才新政20条。";
        let a = titles(src);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].2, ["钱多多"]);
        assert_eq!(a[0].3, "合肥高新区发布人才新政20条。");
    }

    #[test]
    fn reporters_each_with_a_role_and_a_credited_caption_under_the_headline() {
        // 记者甲、通讯员乙、丙报道: every name of the credit, each after its own role
        let src = "示例区产值超百亿\n\n本报讯 记者唐一才、通讯员余二来、张三英报道:盛夏时节,示例经济开发区企业有序运转。";
        let a = titles(src);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].2, ["唐一才", "余二来", "张三英"]);
        assert_eq!(a[0].3, "盛夏时节,示例经济开发区企业有序运转。");
        // a credited photo between a web page's headline and its dateline, longer than one
        // short line, stays the headline's
        let src = "示例高新区成全省首个GDP千亿级开发区\n\n来源:示例网 2023-02-13\n\n2月13日,示例高新区GDP超千亿元新闻发布会举行。 卢一梦 摄\n\n中新网南昌2月13日电 (卢一梦)13日,记者从发布会上获悉,示例高新区地区生产总值达1010.24亿元。";
        let a = titles(src);
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].2, ["卢一梦"]);
    }

    #[test]
    fn a_bulleted_date_line_with_its_paper_dates_the_page() {
        let lex = Lexicon::for_tests();
        let src = "示例试验区培育工业树\n\n  • 2019-02-19   《示例日报》\n\n内容导航:\n\n记者18日从示例试验区管委会了解到,2018年新引进项目32个。";
        let page = normalize(src, &lex);
        let arts = segment(&page, &lex);
        assert_eq!(arts.len(), 1);
        let p = arts[0].published.expect("dated");
        assert_eq!((p.year, p.month, p.day), (2019, 2, 19));
        let body: Vec<&str> = arts[0].body().map(|b| page.block_text(b)).collect();
        assert!(body[0].starts_with("记者18日"), "{body:?}");
    }

    #[test]
    fn a_report_an_error_link_before_the_editor_is_chrome() {
        let a = titles("示例高新区瞪羚企业突破300家\n\n新华社北京4月2日电(记者 王一涵)示例高新区管委会日前介绍,该区瞪羚企业已超过300家。\n\n【我要糾錯】責任編輯:李一娜\n掃一掃在手機打開當前頁");
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].2, ["王一涵"]);
        assert!(a[0].3.starts_with("示例高新区管委会"), "{a:?}");
        assert!(
            !a[0].3.contains("编辑") && !a[0].3.contains("纠错"),
            "{a:?}"
        );
    }

    #[test]
    fn a_sites_stamp_with_a_two_digit_year_before_its_fields_dates_the_page() {
        let lex = Lexicon::for_tests();
        let src = "示例经开区项目建设跑出加速度\n示例新闻网  16-04-21 09:15 打印本页 来源: 示例日报\n示例经济技术开发区抓好在建项目加快推进,今年已开工重点工业项目12个。";
        let page = normalize(src, &lex);
        let arts = segment(&page, &lex);
        assert_eq!(arts.len(), 1);
        let p = arts[0].published.map(|p| (p.year, p.month, p.day));
        assert_eq!(p, Some((2016, 4, 21)));
    }

    #[test]
    fn a_sites_introduction_label_is_no_text() {
        // a mirror's copy of the label, in traditional script with its pinyin
        let a = titles("網(wǎng)站介紹:\n示例国家高新区成立于1992年,2012年8月升级为国家高新区。");
        assert_eq!(a.len(), 1);
        assert!(a[0].3.starts_with("示例国家高新区"), "{a:?}");
    }

    #[test]
    fn a_source_field_and_an_account_label_under_the_story_are_no_headline() {
        // 稿件来源 is a source key: over an editor's field it is the story's metadata, not a
        // headline printed after its story; 微信公众号 alone is the site's footer link
        for tail in [
            "稿件来源: 示例在线\n|\n编辑: 王小明\n|",
            "(记者 李小红)\n微信公众号\nCopyright © All Rights Reserved 示例集团",
        ] {
            let a = titles(&format!(
                "2月4日上午,16个招商项目正式签约落户示例经开区,合同总金额20亿元。\n{tail}"
            ));
            assert_eq!(a.len(), 1, "{tail}");
            assert_eq!(a[0].0, None, "{tail}");
        }
    }

    #[test]
    fn an_e_paper_readers_month_and_day_take_the_year_of_its_header() {
        let lex = Lexicon::for_tests();
        // the reader's header is the day the page was read: the paper's 12-28 is the latest
        // one before it, and the paper's name is no headline
        let src =
            "电子报阅读机\n2024-02-05\n星期一\n当前报纸名称:示例晚报\n\n项目建设跑出加速度\n\n\
            日期:12-28\n字号:\n版面:第A02版 上一篇 下一篇\n\n□记者 王小明\n\n\
            12月27日,示例高新区3个项目集中开工,总投资12亿元。";
        let page = normalize(src, &lex);
        let arts = segment(&page, &lex);
        assert_eq!(arts.len(), 1);
        assert_eq!(
            arts[0].title().map(|b| page.block_text(b)),
            Some("项目建设跑出加速度")
        );
        let p = arts[0]
            .published
            .map(|p| (p.year, p.month, p.day, p.precision));
        assert_eq!(p, Some((2023, 12, 28, crate::model::DatePrecision::Day)));
        // with no full date on the page, the month and day are the article's dateline, for
        // the year its text gives
        let src = "示例高新区获批升级\n来源:示例网 作者: 发表时间:10-31 10:56\n\n\
            10月30日,示例高新区获批升级为国家高新区。";
        let page = normalize(src, &lex);
        let arts = segment(&page, &lex);
        assert_eq!(arts.len(), 1);
        assert_eq!(arts[0].published, None);
        assert_eq!(arts[0].dateline, Some((10, 31)));
    }

    #[test]
    fn a_date_line_with_its_e_paper_page_dates_the_page() {
        let lex = Lexicon::for_tests();
        for line in ["2018年11月19日第01版", "2024-03-05 第A3版:要闻"] {
            let src = format!(
                "示例高新区赴外地招商\n\n{line}\n\n分享到:\n\n本报讯(记者 陈一斌) 11月16日,示例高新区举办推介会,签约项目8个。"
            );
            let page = normalize(&src, &lex);
            let arts = segment(&page, &lex);
            assert_eq!(arts.len(), 1, "{line}");
            assert!(arts[0].published.is_some(), "{line} dates the page");
            let body: Vec<&str> = arts[0].body().map(|b| page.block_text(b)).collect();
            assert!(body.iter().all(|b| !b.contains('版')), "{body:?}");
        }
        // a page number alone is no date, and a date before other words is no date line
        assert_eq!(crate::lines::date_only_line("第01版"), None);
        assert_eq!(
            crate::lines::date_only_line("2018年11月19日第01版,记者从区里获悉"),
            None
        );
    }

    #[test]
    fn a_credit_set_off_by_spaces_and_a_headline_printed_after_its_story() {
        let src = "发布网友 发布时间:2023-12-21 09:59\n共1个回答\n南都讯 记者张一昊 通讯员程二勇 昨日下午,示例高新区升级为国家级高新区。";
        let a = titles(src);
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].0, None);
        assert_eq!(a[0].2, ["张一昊", "程二勇"]);
        assert!(a[0].3.starts_with("昨日下午"), "{a:?}");
        let src = "6月22日讯 记者从区政府获悉,1—5月示例高新区完成工业投资34亿元,同比增长36.8%。\n示例高新区工业经济扩量提质成效明显\n来源:示例网发布时间:2017-06-22";
        let lex = Lexicon::for_tests();
        let page = normalize(src, &lex);
        let arts = segment(&page, &lex);
        assert_eq!(arts.len(), 1);
        let title = arts[0].title().map(|b| page.block_text(b));
        assert_eq!(title, Some("示例高新区工业经济扩量提质成效明显"));
        let p = arts[0].published.expect("dated");
        assert_eq!((p.year, p.month, p.day), (2017, 6, 22));
        // an outlet's name joined by a dash opens a dateline
        let a = titles("示例标题说园区\n\n示例日报-示例网北京11月28日讯(记者 姚一进)今年前三季度,园区进出口增长7.6%。");
        assert_eq!(a[0].2, ["姚一进"]);
        assert!(a[0].3.starts_with("今年前三季度"));
    }

    #[test]
    fn a_reprints_original_title_a_tagged_headline_and_a_slogan_banner() {
        // 原标题 on a page with no headline before it is the headline; the deck and a marked
        // byline stay apart from the body
        let a = titles("原标题:示例高新区多项经济指标逆势增长\n上半年规上工业产值增速全市排名第一,一批百亿级重大项目开花结果\n■本报记者林一灵 通讯员欧阳钢桥\n今年以来,示例高新区多项经济指标逆势增长。");
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].0.as_deref(), Some("示例高新区多项经济指标逆势增长"));
        assert_eq!(a[0].2, ["林一灵", "欧阳钢桥"]);
        assert_eq!(a[0].3, "今年以来,示例高新区多项经济指标逆势增长。");
        // a site's tag before the headline
        let a = titles("【示例新闻网】5个月高新区签约引进项目16个\n示例宣传部 发布日期:2019-06-15\n\n1-5月份,示例高新区开展招商活动36次。");
        assert_eq!(a[0].0.as_deref(), Some("5个月高新区签约引进项目16个"));
        // a slogan and a menu over a web page's headline are no story
        let a = titles("科技是第一生产力、人才是第一资源、创新是第一动力 加快建设科技强国,实现高水平科技自立自强\n氢能科技 沙蓬绿色种养产业模式 联源科技 超联科技 园区 园区 园区 园区\n\n示例市4家开发区入围安徽省30强\n\n   2019-05-10 示例日报\n47\n\n近日,示例市4家开发区入围全省前30强。");
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].0.as_deref(), Some("示例市4家开发区入围安徽省30强"));
        assert_eq!(a[0].3, "近日,示例市4家开发区入围全省前30强。");
    }

    #[test]
    fn e_paper_headlines_under_a_menu_two_line_titles_and_bracketed_credits() {
        // the headline over a byline ends the list of other stories' titles
        let a = titles("标题导航\n返回首页 | 版面导航 | 标题导航\n示例高新区——\n新兴产业项目引领转型创新\n本报记者 倪一龄\n\n在6.8平方公里盐碱地上建成人才高地,这是示例高新区的发展历程。");
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(
            a[0].0.as_deref(),
            Some("示例高新区——新兴产业项目引领转型创新")
        );
        assert_eq!(a[0].2, ["倪一龄"]);
        // a headline line that is only a zone's name runs on into the line under it
        let a = titles("乌鲁木齐经济技术开发区\n2023年国民经济和社会发展计划执行情况\n\n2023年,经开区坚持稳中求进,地区生产总值增长6.5%。");
        assert_eq!(
            a[0].0.as_deref(),
            Some("乌鲁木齐经济技术开发区2023年国民经济和社会发展计划执行情况")
        );
        // a bracketed credit opens the body; a slashed edition line dates the page
        let a = titles("示例经开区成投资洼地\n\n(通讯员傅一亮、李二雄)作为去年新晋的国家级经开区,示例经开区新签约项目12个。");
        assert_eq!(a[0].2, ["傅一亮", "李二雄"]);
        assert!(a[0].3.starts_with("作为去年"));
        let lex = Lexicon::for_tests();
        let page = normalize("山西日报/2023 年/7 月/14 日/第 005 版开发区\n聚力主引擎 跑出加速度\n本报记者 闫一杰\n仲夏时节,全省开发区项目落地开工。", &lex);
        let arts = segment(&page, &lex);
        let p = arts[0].published.expect("dated");
        assert_eq!((p.year, p.month, p.day), (2023, 7, 14));
        assert_eq!(
            arts[0].title_text(&page).as_deref(),
            Some("聚力主引擎 跑出加速度")
        );
    }

    #[test]
    fn a_home_page_link_and_a_rights_notice_cut_short_are_chrome() {
        let lex = Lexicon::for_tests();
        assert!(is_chrome("示例丝路首页", &lex));
        assert!(is_chrome(
            "凡本网注明“来源:XXX(非示例信息港)”的作品,均转载自其它媒体,转载目的",
            &lex
        ));
        // a sentence that names the site once is no notice
        assert!(!is_chrome("本网记者从管委会获悉,园区新增企业20家。", &lex));
    }

    #[test]
    fn run_on_wire_lines_stamps_with_counters_and_channel_leads() {
        // the headline, the credit and the story run into one line after 题:
        let src = "示例开发区:戈壁上长出新城\n\n小林 2024-09-18 10:12:05 供应产品 2310 次浏览 0个评论\n\n中新网新疆示例9月12日电 题:示例开发区:戈壁上长出新城中新网记者 朱晓颖在西部边陲,示例经济开发区的厂房拔地而起。";
        let lex = Lexicon::for_tests();
        let page = normalize(src, &lex);
        let arts = segment(&page, &lex);
        assert_eq!(arts.len(), 1, "{arts:?}");
        assert_eq!(
            arts[0].title_text(&page).as_deref(),
            Some("示例开发区:戈壁上长出新城")
        );
        assert_eq!(arts[0].authors, ["朱晓颖"]);
        let body: Vec<&str> = arts[0].body().map(|b| page.block_text(b)).collect();
        assert!(body[0].starts_with("在西部边陲"), "{body:?}");
        // the stamp line's counters after its time do not hide its date
        let p = arts[0].published.expect("dated");
        assert_eq!((p.year, p.month, p.day), (2024, 9, 18));
        assert!(
            crate::lines::stamp_line("小林 2024-09-18 10:12:05 供应产品 2310 次浏览").is_some()
        );
        assert!(crate::lines::stamp_line("小林 2024-09-18 10:12:05 供应产品").is_none());
        // a channel's report with its reporter in brackets
        let a = titles(
            "示例标题说园区\n\n示例网频道报道(林海燕):日前,示例高新区一季度完成投资23.6亿元。",
        );
        assert_eq!(a[0].2, ["林海燕"]);
        assert!(a[0].3.starts_with("日前"), "{a:?}");
    }
}
