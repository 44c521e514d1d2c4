//! What a single line of a page is, before paragraphs are rejoined and articles assembled:
//! site chrome (breadcrumbs, banners, counters, footers) or a metadata line (发布时间:… 来源:…).
//! Both normalization (which must not rejoin such lines with prose) and segmentation ask.

use std::sync::LazyLock;

use regex::Regex;

use crate::lexicon::{Lexicon, ONLINE_PRESS_ENDINGS, PRESS_ENDINGS};
use crate::model::{DatePrecision, Published};

/// Longest metadata line, in characters.
pub const MAX_META_CHARS: usize = 160;

/// `t` without a leading list marker a crawler's text export puts before menu and list items
/// (`- `, `* `, `· `, `• `, `1. `).
pub fn strip_list_marker(t: &str) -> &str {
    let t = t
        .trim_start_matches(['-', '*', '·', '•', '▪', '►', '»'])
        .trim_start();
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && digits <= 2 {
        if let Some(rest) = t[digits..].strip_prefix(". ") {
            return rest.trim_start();
        }
    }
    t
}

/// True when `t` opens with a list marker a crawler's text export puts before menu and list
/// items (`- `, `· `, `1. `): such a line is an item, never the second half of a paragraph.
pub fn opens_list_item(t: &str) -> bool {
    let t = t.trim_start();
    strip_list_marker(t).len() < t.len()
}

/// Longest line of Latin letters alone that is taken for page chrome.
const SHORT_LATIN_MAX_CHARS: usize = 24;

/// Longest paragraph read as a site's rights notice (see `[page] notice_words`).
const MAX_NOTICE_CHARS: usize = 400;

/// Longest rights notice that two of its words make one (a longer one needs three).
const SHORT_NOTICE_CHARS: usize = 120;

/// Shortest line of digits alone taken for a code rather than a figure.
const MIN_CODE_DIGITS: usize = 8;

/// Longest line read as a newspaper's page number (`第2版(经济)`, `第A05版:要闻`).
const PAGE_NUMBER_MAX_CHARS: usize = 16;

/// Longest breadcrumb line, in characters.
const MAX_BREADCRUMB_CHARS: usize = 60;

/// Longest channel name in a breadcrumb, in characters.
const MAX_CHANNEL_CHARS: usize = 12;

/// How many times `chrome_max_chars` a footer line of several chrome fields may be.
const FOOTER_CHARS_PER_LIMIT: usize = 3;

/// Names of a page's fields printed on a line of their own over their value (a summary).
const LONE_FIELD_LABELS: &[&str] = &[
    "简介",
    "网站简介",
    "网站介绍",
    "内容简介",
    "摘要",
    "内容摘要",
    "正文",
];

/// Longest account name after a repost's 原创 mark, in characters (with its author's name).
const MAX_ACCOUNT_CHARS: usize = 16;

/// Site chrome: breadcrumbs, banners, login and channel links, share buttons, page-view
/// counters, contact lines, footers, URLs (the word lists of `[page]`).
pub fn is_chrome(t: &str, lex: &Lexicon) -> bool {
    let pg = &lex.page.rules;
    if lex.page.chrome_prefixes.starts(t) {
        return true;
    }
    // 经开区 on a line of its own at the head of a page: the site's channel, naming no zone
    let bare = t.trim();
    // 简介: / 网站简介: / 网站介绍: on a line of its own: a field's name, whose value is the text below
    if bare
        .strip_suffix(':')
        .is_some_and(|label| LONE_FIELD_LABELS.contains(&label.trim_end()))
    {
        return true;
    }
    // 原创 中国光谷公众号: a repost's mark of original content, with the account's name
    if bare.strip_prefix("原创 ").is_some_and(|account| {
        account.chars().count() <= MAX_ACCOUNT_CHARS && !account.contains([',', '。', ','])
    }) {
        return true;
    }
    if lex.zone_suffix_canon.iter().any(|w| w == bare) {
        return true;
    }
    // 首页 历史上的今天 1997年 7月29日 …: a breadcrumb whose levels only spaces set apart
    if bare
        .strip_prefix("首页 ")
        .is_some_and(|trail| !trail.contains(['。', ',']) && trail.split(' ').count() >= 2)
    {
        return true;
    }
    let n = t.chars().count();
    // a rights notice: two of its words in a short paragraph, three in a long one
    let needed = if n <= SHORT_NOTICE_CHARS { 2 } else { 3 };
    if n <= MAX_NOTICE_CHARS
        && lex.page.notice_words.any_in(t)
        && lex.page.notice_words.present(t).count() >= needed
    {
        return true;
    }
    if n <= pg.chrome_max_chars
        && (lex.page.chrome_words.any_in(t)
            || has_email(t)
            || has_phone_number(t)
            || lex.page.profile_words.any_in(t))
    {
        return true;
    }
    if t.contains('。') {
        return false;
    }
    // a site's footer of several fields on one line (广告部:… 投稿信箱:…@… 版权所有:…): two
    // chrome words, or one and an e-mail address, in a line of no sentence
    // (a shorter line holding a chrome word was taken above: no second scan for it)
    if n > pg.chrome_max_chars
        && n <= FOOTER_CHARS_PER_LIMIT * pg.chrome_max_chars
        && lex.page.chrome_words.any_in(t)
        && lex.page.chrome_words.present(t).count() + usize::from(has_email(t)) >= 2
    {
        return true;
    }
    // 标题_频道_网站 or a spam site's keywords (甲_乙_丙_丁): three or more parts joined by _
    // in a line without a comma is a browser title or keyword stuffing, never a story's line
    if t.matches('_').count() >= 2
        && !t.contains([',', ';'])
        && t.split('_').all(|part| !part.trim().is_empty())
    {
        return true;
    }
    // an image's alt text or a menu item left by the crawler (logo, Home, English): a short line
    // with no Chinese character and no digit is no text of a Chinese news page
    if n <= SHORT_LATIN_MAX_CHARS
        && t.chars().any(|c| c.is_ascii_alphabetic())
        && !t
            .chars()
            .any(|c| c.is_ascii_digit() || crate::lexicon::is_han(c))
    {
        return true;
    }
    // a breadcrumb (新闻频道 > 经济新闻, 香港商报官网 > 安徽 > 每日经济): short channel names
    // joined by `>` or `»`
    if n <= MAX_BREADCRUMB_CHARS && t.contains(['>', '»']) {
        let parts: Vec<&str> = t.split(['>', '»']).map(str::trim).collect();
        if parts.iter().all(|p| {
            (1..=MAX_CHANNEL_CHARS).contains(&p.chars().count())
                && !p.contains([',', '。', ';', ':', '!', '?'])
        }) {
            return true;
        }
    }
    // a link to the site's home page (新华丝路首页) over the headline
    if n <= MAX_HOME_LINK_CHARS && t.ends_with("首页") {
        return true;
    }
    // an image's file name left by the crawler (微信图片_20230418100135.jpg, IMG_0412.JPG)
    if n <= pg.chrome_max_chars && is_image_file_name(t) {
        return true;
    }
    // a tracking code or an article number left by the crawler (010070200010000000000…)
    if n >= MIN_CODE_DIGITS && t.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    // a newspaper's page number (第3版, 第2版(经济), 第A05版:要闻, and an e-paper's 00001版:一版要闻)
    // on a line of its own
    if page_number_section(t).is_some() {
        return true;
    }
    // a document's number on a line of its own (〔2012〕3号, 冀科发〔2012〕15号): the notice's
    // reference, no headline and no text
    if document_number_end(t) == Some(t.len()) {
        return true;
    }
    // a counter alone (30阅读, 0回复, 12 评论, 0 条) or its button (评论, 关注): one of the
    // page's counter words, maybe after a number
    // (—分享—, 【订阅】: the button's frame aside)
    let framed = t.trim_matches(['—', '-', '【', '】', '[', ']', ' ', ':']);
    // (共1个回答: a Q&A site's count of answers)
    let framed = framed
        .strip_prefix('共')
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(framed);
    let digits = framed.len()
        - framed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let counter_words = &lex.page.counter_words;
    if counter_words.contains(framed[digits..].trim_start()) {
        return true;
    }
    // (返回 相似 举报: a row of such buttons)
    if t.contains(' ') && t.split_whitespace().all(|w| counter_words.contains(w)) {
        return true;
    }
    // a document's pager (第1页 / 共1页, 共3页)
    if is_pager(t) {
        return true;
    }
    // a number alone (47: a page's view count)
    if (1..=MAX_COUNTER_DIGITS).contains(&n) && t.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    // a line of punctuation or symbols alone (a separator left by the crawler: `|`)
    if n <= pg.chrome_max_chars && !t.chars().any(|c| c.is_alphanumeric()) {
        return true;
    }
    // a menu of short links (今日宿州 今日萧县 今日砀山 今日灵璧 今日泗县)
    // (a site's name in Latin letters and digits is a link too: ChinaRen, 17173)
    let short_link = |w: &str| {
        let brand = w.len() <= 10 && w.chars().all(|c| c.is_ascii_alphanumeric());
        brand
            || (w.chars().count() <= 6
                && !w.contains(|c: char| c.is_ascii_digit() || "。,,;:".contains(c)))
    };
    // (one longer link among many short ones is still a menu: 沙蓬绿色种养产业模式 … 园区 园区)
    let fair_link = |w: &str| {
        w.chars().count() <= MAX_MENU_LINK_CHARS && !w.contains(|c: char| "。,,;:".contains(c))
    };
    // (words, short links, and whether every word is a fair link, in one pass)
    let menu = n <= 2 * pg.chrome_max_chars && {
        let (mut words, mut short, mut fair) = (0usize, 0usize, true);
        for w in t.split_whitespace() {
            words += 1;
            short += usize::from(short_link(w));
            fair &= fair_link(w);
        }
        words >= 5 && short * 5 >= words * 4 && fair
    };
    if menu && lex.byline_names(t).is_none() {
        return true;
    }
    // menus (新闻 | 政务 | 服务) and breadcrumbs (新闻中心 > 正文)
    let bars = t.matches(['|', '丨', '｜']).count();
    let arrows = t.matches(['>', '»', '›']).count();
    bars >= 2 || (arrows >= 1 && n <= pg.chrome_max_chars && t.contains("首页")) || arrows >= 2
}

/// Longest number standing alone on a line that is taken for a counter (47, 1685).
const MAX_COUNTER_DIGITS: usize = 8;

/// Longest link of a menu of otherwise short links, in characters.
const MAX_MENU_LINK_CHARS: usize = 12;

/// Longest link to a site's home page (`新华丝路首页`, `返回首页`), in characters.
const MAX_HOME_LINK_CHARS: usize = 12;

/// True when `t` is one file name ending in an image extension.
fn is_image_file_name(t: &str) -> bool {
    let Some((stem, ext)) = t.rsplit_once('.') else {
        return false;
    };
    ["jpg", "jpeg", "png", "gif", "bmp", "webp"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
        && !stem.is_empty()
        && !stem.contains(char::is_whitespace)
}

/// The section after a newspaper's page number on a line of its own (`要闻` of `第A05版:要闻`,
/// `一版要闻` of `00001版:一版要闻`, empty for `第3版`), `None` for any other line. `t` is
/// trimmed.
pub(crate) fn page_number_section(t: &str) -> Option<&str> {
    if t.chars().count() > PAGE_NUMBER_MAX_CHARS {
        return None;
    }
    let rest = t.strip_prefix('第').or_else(|| {
        t.starts_with(|c: char| c.is_ascii_digit())
            .then_some(t)
            .filter(|r| {
                r.trim_start_matches(|c: char| c.is_ascii_digit())
                    .starts_with('版')
            })
    })?;
    let code = rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
            .len();
    let section = rest[code..].strip_prefix('版').filter(|_| code > 0)?;
    Some(section.trim_start_matches([':', ' ']).trim())
}

/// The metadata fields of a line: (byte offset of the key, the key) for every `key:`.
pub fn meta_fields<'a>(t: &str, lex: &'a Lexicon) -> Vec<(usize, &'a str)> {
    let mut out: Vec<(usize, &str)> = Vec::new();
    // every field is `key:`: a line without a colon has none (most lines; one scan instead of
    // one per key)
    if !t.contains([':', '|']) {
        return out;
    }
    // `key:value`, or a table's `key | value` (公开日期 | 2013-10-31 |): a key is what ends
    // right before a colon or bar (spaces aside). One look back from each colon, instead of a
    // search of the line for each of the 60-odd keys.
    let keys = &lex.page.rules.meta_keys;
    let mut found: Vec<(usize, usize)> = Vec::new(); // (key's index, offset)
    for (j, _) in t.match_indices([':', '|']) {
        let head = t[..j].trim_end();
        for (n, k) in keys.iter().enumerate() {
            if !k.is_empty() && head.ends_with(k.as_str()) {
                found.push((n, head.len() - k.len()));
            }
        }
    }
    // in the keys' order: 责任编辑 holds 编辑, and the longer key, listed first, owns the place
    found.sort_unstable();
    for (n, at) in found {
        if out.iter().any(|&(s, key)| at >= s && at < s + key.len()) {
            continue;
        }
        out.push((at, keys[n].as_str()));
    }
    out.sort_unstable();
    out
}

/// True when `t` holds an e-mail address (`name@host.cn`): an `@` between ASCII letters or
/// digits with a dot after it. A bare `@` is text like any other character.
fn has_email(t: &str) -> bool {
    t.match_indices('@').any(|(i, _)| {
        let before = t[..i].chars().next_back();
        let after = &t[i + 1..];
        before.is_some_and(|c| c.is_ascii_alphanumeric())
            && after.starts_with(|c: char| c.is_ascii_alphanumeric())
            && after
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
                .next()
                .is_some_and(|host| host.contains('.'))
    })
}

/// Fewest digits of a local number after its area code.
const MIN_LOCAL_NUMBER_DIGITS: usize = 7;

/// True when `t` holds a landline number with its area code (`0514-84683100`, `010-6512345`):
/// a 0, two or three digits, a hyphen, seven or eight digits, no digit around. A short line
/// holding one is a site's hotline or contact line.
fn has_phone_number(t: &str) -> bool {
    let b = t.as_bytes();
    t.match_indices('-').any(|(i, _)| {
        let area = b[..i]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let local = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        (3..=4).contains(&area)
            && b[i - area] == b'0'
            && (MIN_LOCAL_NUMBER_DIGITS..=MIN_LOCAL_NUMBER_DIGITS + 1).contains(&local)
    })
}

/// The text of a possible metadata line without its list marker and opening bracket.
pub fn meta_text(t: &str) -> &str {
    let t = strip_list_marker(t).trim_start_matches(['【', '(', '[', ' ']);
    // (点关注👉 烟台日报 2022-09-29: a repost's call to follow before its outlet and date)
    FOLLOW_PROMPTS
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .map_or(t, |rest| {
            rest.trim_start_matches(|c: char| !c.is_alphanumeric() && !c.is_ascii_punctuation())
        })
}

/// What a reposted social-media article prints before its outlet's name and date.
const FOLLOW_PROMPTS: &[&str] = &["点关注", "点击关注", "点击上方蓝字关注", "点击蓝字关注"];

/// Fields (from [`meta_fields`]) that make a metadata line: one at its start, or two.
pub fn is_meta(fields: &[(usize, &str)]) -> bool {
    fields.first().is_some_and(|&(at, _)| at == 0) || fields.len() >= 2
}

/// True when the metadata fields of line `t` make it a metadata line: [`is_meta`], or one
/// field after a date the line opens with (`2015-01-05 10:37:00 来源:中国广播网 说两句 分享到:`),
/// or a last field whose value, to the end of the line, is a full date (a forum post's
/// `只看楼主 倒序阅读 0 发表于: 1993-03-05`), or a first field after a site's stamp (its name,
/// then the date and time it posted: `光纤在线编辑部  2011-02-14 17:10:26  文章来源:综合整理`).
pub fn is_meta_line(t: &str, fields: &[(usize, &str)]) -> bool {
    is_meta(fields)
        || (!fields.is_empty() && opens_with_date(t))
        || fields
            .first()
            .is_some_and(|&(at, _)| stamp_line(&t[..at]).is_some())
        || fields.last().is_some_and(|&(at, key)| {
            let value = field_value(&t[at + key.len()..]);
            ISO_DATE.find(value).is_some_and(|m| m.start() == 0) && date_only_line(value).is_some()
        })
}

/// The value of a metadata field, from the text after its key: without the separator
/// (`:`, or a table's `|`) and the spaces around it.
pub fn field_value(s: &str) -> &str {
    s.trim_matches([' ', ':', '|'])
}

/// A full date written with digits and dashes or slashes (2021-11-03, 2021/11/3). Its ends are
/// ASCII word boundaries: a site's name may be glued to it (来源:光明网2022-08-01 16:02).
pub static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}(?-u:\b)").expect("static regex")
});

/// A site's or a poster's name, then the full date and time of day it posted the page
/// (`房大秘  2017-06-30 08:56`, `图片新闻郑州之窗2019-12-05 10:29:12`; `内蒙古新闻网  15-05-13
/// 17:50`: with a time of day after it, a year of two digits is this century's).
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<who>[^。,;:]{0,24}?)\s*[\[【(]?(?:(?P<date>[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日)|(?-u:\b)(?P<short>[0-9]{2}-[0-9]{1,2}-[0-9]{1,2}))\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?P<counters>\s+[^。,;:]{1,30})?$")
        .expect("static regex")
});

/// `房大秘  2017-06-30 08:56`: a short line ending with the date and time of day a page was
/// posted, after the name of its site or poster: the page's publication stamp.
///
/// The site's counters may follow the time (`蝶伤 2024-10-30 16:20:36 供应产品 5142 次浏览
/// 0个评论`).
pub fn stamp_line(t: &str) -> Option<Published> {
    // (新闻发布 [2022-01-03 09:29]: the date and time in brackets)
    let t = t.trim().trim_end_matches([']', '】', ')']);
    // most lines end otherwise: no regex for them
    let counted = || STAMP_COUNTERS.iter().any(|w| t.contains(w));
    if !t.contains(':') || !(t.ends_with(|c: char| c.is_ascii_digit()) || counted()) {
        return None;
    }
    let c = STAMP.captures(t)?;
    if c.name("counters")
        .is_some_and(|m| !STAMP_COUNTERS.iter().any(|w| m.as_str().contains(w)))
    {
        return None;
    }
    match c.name("short") {
        Some(short) => parse_iso_date(&format!("20{}", short.as_str())),
        None => parse_iso_date(c.name("date")?.as_str()),
    }
}

/// Words of a page's counters and reading tools that may follow its posting time on the
/// stamp line (`泸州日报 2020-01-08 09:02 大字`: a button that sets the font size).
const STAMP_COUNTERS: &[&str] = &[
    "浏览", "阅读", "评论", "点击", "大字", "中字", "小字", "字号", "字体", "打印", "收藏", "分享",
];

/// `《 人民日报 》( 2023年12月13日 第 04 版)`: the paper, date and page a story was printed on,
/// given under it by a site that reprints it.
static PRINT_EDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^《\s*(?P<paper>\p{Han}{2,12})\s*》\s*[((]\s*(?P<date>[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日)\s*(?:第\s*[0-9A-Za-z]{1,4}\s*版)?\s*[))]$")
        .expect("static regex")
});

/// The paper and date of a print-edition line (see [`PRINT_EDITION`]).
pub fn print_edition_line(t: &str) -> Option<(String, Published)> {
    let t = t.trim();
    if !t.starts_with('《') {
        return None;
    }
    let c = PRINT_EDITION.captures(t)?;
    Some((
        c["paper"].to_string(),
        parse_iso_date(c.name("date")?.as_str())?,
    ))
}

/// A full date written with 年, 月 and 日 (2022年05月31日).
pub static CN_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日").expect("static regex"));

/// True when `t` opens with a full date (2015-01-05, 2015/1/5, 2022年05月31日), maybe a time
/// after.
fn opens_with_date(t: &str) -> bool {
    [&ISO_DATE, &CN_DATE].iter().any(|re| {
        re.find(t)
            .is_some_and(|m| m.start() == 0 && parse_iso_date(m.as_str()).is_some())
    })
}

/// True when a line is metadata or chrome: never part of a paragraph of prose.
pub fn is_apart(t: &str, lex: &Lexicon) -> bool {
    let bare = meta_text(t);
    is_chrome(strip_list_marker(t), lex)
        || date_only_line(bare).is_some()
        || date_then_source(bare).is_some()
        || (bare.chars().count() <= MAX_META_CHARS && is_meta_line(bare, &meta_fields(bare, lex)))
}

/// Longest paper name in `《》` after a date line (2019-02-19 《柳州日报》), in characters.
const MAX_PAPER_CHARS: usize = 12;

/// What joins the parts of a channel path before a date (城市镜像。新闻汇总, 首页 | 要闻).
const LABEL_JOINS: &[char] = &['。', '.', '·', '|', '/', ' '];

/// Most parts of a label before a date line's date.
const MAX_LABEL_RUNS: usize = 2;

/// Longest label before an edition's date on an e-paper's header line (当前报章), in characters.
const MAX_EDITION_LABEL_CHARS: usize = 6;

/// A line holding only a date, maybe with a time of day (`2019-06-15 09:30`, `2019年6月15日`)
/// or the paper after it (`2019-02-19 《柳州日报》`), or an e-paper's edition label and date
/// (`当前报章2020年04月11日`).
pub fn date_only_line(t: &str) -> Option<Published> {
    // the cheap test first: most lines hold too few digits for a full date, and need no regex
    if !has_full_date_digits(t) {
        return None;
    }
    // 2024年07月04日 星期四 报料热线:966123, 2020年3月18日 星期 放大 缩小 …: an e-paper's header,
    // its date and weekday, then the paper's hotline or its page buttons (3上一篇 下一篇4
    // 2019年1月31日 放大 缩小 默认: or a story's toolbar, its date between the story links and
    // the type-size buttons)
    if let Some(date) = EPAPER_HEADER.captures(t).and_then(|c| c.name("date")) {
        return parse_iso_date(date.as_str());
    }
    // 浙江日报 要闻 00002 全力复产 “云”上招商 2022-04-25 24135391 2 2022年04月25日 星期一: an
    // e-paper's record of the story, the paper first and its date and weekday last
    if t.len() <= MAX_EPAPER_RECORD_BYTES && t.ends_with(|c: char| "一二三四五六日天".contains(c))
    {
        if let Some(date) = EPAPER_RECORD.captures(t).and_then(|c| c.name("date")) {
            return parse_iso_date(date.as_str());
        }
    }
    // (光明日报 2024年03月24日 星期日: the paper's name, a space, its date; 城市镜像。新闻汇总
    // 2021-11-03: a site's channel path; | 招商动态 |2016-09-29: the path in a table's cells)
    let t = t.trim_start_matches(['|', ' ']);
    let label = t.len()
        - t.trim_start_matches(|c: char| crate::lexicon::is_han(c) || LABEL_JOINS.contains(&c))
            .len();
    let dated = &t[label..];
    let runs = t[..label].split(LABEL_JOINS).filter(|r| !r.is_empty());
    let t = if t[..label].starts_with(crate::lexicon::is_han)
        && runs.clone().count() <= MAX_LABEL_RUNS
        && runs
            .clone()
            .all(|r| r.chars().count() <= MAX_EDITION_LABEL_CHARS)
        && dated.starts_with(|c: char| c.is_ascii_digit())
    {
        dated
    } else {
        t
    };
    let p = parse_iso_date(t)?;
    // 2007年5月17日 星期四: the weekday of a newspaper's page header
    let t = ["星期", "周"]
        .iter()
        .find_map(|w| {
            let (head, day) = t.trim_end().rsplit_once(w)?;
            ["一", "二", "三", "四", "五", "六", "日", "天"]
                .contains(&day)
                .then_some(head)
        })
        .unwrap_or(t);
    // 2019-02-19   《柳州日报》: the date and the paper it was printed in (2022年11月30日《今日
    // 高新区》资讯: or the programme whose news of the day follows)
    let t = t.trim_end();
    let t = ["资讯", "新闻", "快讯"]
        .iter()
        .find_map(|w| t.strip_suffix(w).filter(|head| head.ends_with('》')))
        .unwrap_or(t);
    let t = t
        .strip_suffix('》')
        .and_then(|head| head.rsplit_once('《'))
        .filter(|(_, paper)| {
            (2..=MAX_PAPER_CHARS).contains(&paper.chars().count())
                && paper.chars().all(crate::lexicon::is_han)
        })
        .map_or(t, |(date, _)| date);
    // 2018年11月19日第01版, 2024-03-05 第A3版:要闻: the e-paper page the date heads
    let t = EDITION_TAIL.find(t).map_or(t, |m| &t[..m.start()]);
    // (2020年12月23日 14时12分: a time of day in characters too)
    let rest = t.trim_matches(|c: char| {
        c.is_ascii_digit()
            || matches!(
                c,
                '-' | '/' | '.' | ':' | ' ' | '年' | '月' | '日' | '时' | '分' | '秒'
            )
    });
    rest.is_empty().then_some(p)
}

/// A full date and the weekday word opening a line that holds nothing else of a sentence: the
/// header of an e-paper page (what follows the weekday is a hotline or buttons; `2018年 5月 16日
/// 星期`: a page template pads the month and day to two places with spaces). Group `date` is
/// the date.
static EPAPER_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[上下]一版\s*[0-9]{0,3}\s*|(?P<toolbar>[0-9]?\s*上一篇\s*下一篇\s*[0-9]?\s*))?(?P<date>[0-9]{4}年 ?[0-9]{1,2}月 ?[0-9]{1,2}日)\s*(?:(?:星期|周)[一二三四五六日天]?(?:\s[^,。;!?]{0,40})?|放大\s*缩小(?:\s*默认)?)$")
        .expect("static regex")
});

/// `3上一篇 下一篇4 2019年1月31日 放大 缩小 默认`: the toolbar an e-paper prints over a story
/// (its date between the links to the stories around it and the type-size buttons). The
/// story's headline comes after it.
pub fn is_story_toolbar(t: &str) -> bool {
    EPAPER_HEADER
        .captures(t.trim())
        .is_some_and(|c| c.name("toolbar").is_some())
}

/// Longest e-paper record line read for its date, in bytes.
const MAX_EPAPER_RECORD_BYTES: usize = 300;

/// `浙江日报 要闻 00002 …标题… 2022年04月25日 星期一`: a paper's name opening the line, its date
/// and weekday closing it.
static EPAPER_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\p{Han}{2,10}报\s.*\s(?P<date>[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日)\s*星期[一二三四五六日天]$",
    )
    .expect("static regex")
});

/// An e-paper page after a date (`第01版`, `第 A3 版:要闻`), with its section's name.
static EDITION_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*第\s*[A-Z]?[0-9]{1,3}\s*版(?:\s*[::]?\s*\p{Han}{1,10})?\s*$")
        .expect("static regex")
});

/// A full date, maybe a time of day, then the source's name alone (`2007年06月06日 06:49
/// 人民网—人民日报海外版`, as a portal prints it under a headline; `2018-07-30 09:01:00掌上淮安热:`,
/// a site's column after the posting time, right against it).
static DATE_THEN_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<date>[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2})(?:\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?\s*|\s+)(?P<source>[\p{Han}—·-]{2,24})[::]?$")
        .expect("static regex")
});

/// `山西日报/2023 年/7 月/14 日/第 005 版开发区`: a paper's name, then its date and page, set
/// apart by slashes (a document site's copy of an e-paper page).
static SLASHED_EDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<paper>\p{Han}{2,12})\s*/\s*(?P<y>[0-9]{4})\s*年\s*/\s*(?P<m>[0-9]{1,2})\s*月\s*/\s*(?P<d>[0-9]{1,2})\s*日\s*(?:/.*)?$")
        .expect("static regex")
});

/// The paper and date of a [`SLASHED_EDITION`] line.
pub fn slashed_edition_line(t: &str) -> Option<(String, Published)> {
    // the cheap test first: no slash, no such line (most lines)
    if !t.contains('/') {
        return None;
    }
    let c = SLASHED_EDITION.captures(t.trim())?;
    let date = format!("{}-{}-{}", &c["y"], &c["m"], &c["d"]);
    Some((c["paper"].to_string(), parse_iso_date(&date)?))
}

/// The date and source of a [`DATE_THEN_SOURCE`] line.
pub fn date_then_source(t: &str) -> Option<(Published, String)> {
    let t = t.trim();
    // the cheap test first: the date opens the line
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let c = DATE_THEN_SOURCE.captures(t)?;
    Some((
        parse_iso_date(c.name("date")?.as_str())?,
        c["source"].to_string(),
    ))
}

/// One or two ASCII digits: a month, a day, an hour, a minute or a second.
pub fn one_or_two_digits(p: &str) -> bool {
    (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
}

/// `13:12`, `10:56:00`: parts of one or two digits between colons, as a time of day is printed.
pub fn clock_parts(t: &str) -> bool {
    t.split(':').all(one_or_two_digits)
}

/// `12-30`, `12/30`, `12月30日`, with a time of day or nothing after it: a date field that gives
/// only the month and day (an e-paper reader's `日期:12-30`), as (month, day).
pub fn month_day_only(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    let (date, time) = s.split_once(' ').unwrap_or((s, ""));
    let time = time.trim();
    if !time.is_empty() && !clock_parts(time) {
        return None;
    }
    let date = date.strip_suffix('日').unwrap_or(date);
    let (month, day) = date
        .split_once('-')
        .or_else(|| date.split_once('/'))
        .or_else(|| date.split_once('月'))?;
    if !one_or_two_digits(month) || !one_or_two_digits(day) {
        return None;
    }
    let (month, day) = (month.parse().ok()?, day.parse().ok()?);
    // 2000 is a leap year: 02-29 is a day
    chrono::NaiveDate::from_ymd_opt(2000, month, day)?;
    Some((month, day))
}

/// The latest `month`-`day` on or before the day `by` (12-30 read on 2026-01-23 is
/// 2025-12-30); none when `by` is not a day.
pub fn latest_day_by(by: Published, month: u32, day: u32) -> Option<Published> {
    if by.precision != DatePrecision::Day {
        return None;
    }
    let first = if (month, day) <= (by.month, by.day) {
        by.year
    } else {
        by.year - 1
    };
    // 02-29 is in a leap year, at most four years back
    let year = (first - 3..=first)
        .rev()
        .find(|&y| chrono::NaiveDate::from_ymd_opt(y, month, day).is_some())?;
    Some(Published {
        year,
        month,
        day,
        precision: DatePrecision::Day,
    })
}

/// Fewest ASCII digits a full date is written with: a four-digit year, a month and a day.
const MIN_FULL_DATE_DIGITS: usize = 6;

/// True when `t` holds enough digits for a full date ([`parse_iso_date`] reads none in less):
/// the test that spares most lines the date regexes.
fn has_full_date_digits(t: &str) -> bool {
    t.bytes()
        .filter(u8::is_ascii_digit)
        .nth(MIN_FULL_DATE_DIGITS - 1)
        .is_some()
}

/// `2022-01-20`, `2022/1/20`, `2022年1月20日` (or a day first, `20.01.2022`) at the start of `s`.
pub fn parse_iso_date(s: &str) -> Option<Published> {
    let mut runs = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty());
    let digits = [runs.next()?, runs.next()?, runs.next()?];
    // 22.10.2014: an aggregator's day.month.year
    let (y, m, d) = if digits[0].len() <= 2 && digits[2].len() == 4 && s.contains('.') {
        (digits[2], digits[1], digits[0])
    } else {
        (digits[0], digits[1], digits[2])
    };
    let year: i32 = y.parse().ok()?;
    let month: u32 = m.parse().ok()?;
    let day: u32 = d.parse().ok()?;
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

/// A dateline at the start of a paragraph: `本报讯`, `大众日报讯`, `新华社北京12月6日电`,
/// `本报北京2月15日电`, `中新网3月2日电`, `央广网成都1月5日消息`, `中国日报7月13日北京电` (the place after
/// the date), with the month and day when it gives
/// them.
pub static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?P<head>[\p{Han}、\-—·][\p{Han}、\-—· ]{1,23}?)(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})月(?P<d>[0-9]{1,2}|[一二三四五六七八九十]{1,4})日(?:\p{Han}{2,4}?)?(?:电|讯|消息)|(?P<head2>[\p{Han}·\-]{2,16}?)讯(?P<colon>:)?(?P<credit>\s*(?:本报)?(?:特约|见习)?(?:记者|通讯员))?|(?P<head3>\p{Han}{2,10}?)消息(?:(?P<paren>[((])|\s|:))")
        .expect("static regex")
});

/// Longest site name before `讯:` taken for a news flash's lead (颗粒在线讯:).
const MAX_FLASH_HEAD_CHARS: usize = 8;

/// Longest name before `讯` taken for a paper's because a reporter's credit follows (南都讯 记者…,
/// 掌上梅州讯记者…).
const MAX_CREDITED_HEAD_CHARS: usize = 4;

/// Where the dateline of a [`DATELINE`] match ends: before the reporter's credit it may have
/// matched (`南都讯 记者…`, `荆楚网消息(记者…)`), which the caller reads as the credit.
pub fn dateline_end(c: &regex::Captures<'_>) -> usize {
    match (c.name("credit").or_else(|| c.name("paren")), c.get(0)) {
        (Some(credit), _) => credit.start(),
        (None, Some(all)) => all.end(),
        (None, None) => 0,
    }
}

/// True when a [`DATELINE`] match is a news agency's or paper's (新华社…电, 湖南日报…讯), not
/// any words before 讯.
pub fn dateline_by_press(c: &regex::Captures<'_>, lex: &Lexicon) -> bool {
    let Some(head) = c
        .name("head")
        .or_else(|| c.name("head2"))
        .or_else(|| c.name("head3"))
    else {
        return false;
    };
    let head = head.as_str();
    // 南都讯 记者张昊 …: a short paper's name before 讯, then its reporter's credit
    let credited = c.name("credit").is_some() && head.chars().count() <= MAX_CREDITED_HEAD_CHARS;
    // 颗粒在线讯:“…”: a site's name, 讯 and a colon, whatever the site is called
    let flash = c.name("colon").is_some() && head.chars().count() <= MAX_FLASH_HEAD_CHARS;
    credited
        || flash
        || lex
            .page
        .rules
        .dateline_agencies
        .iter()
        .any(|a| head.starts_with(a.as_str()))
        || head.chars().take(8).any(|ch| PRESS_ENDINGS.contains(&ch))
        // 华声在线9月27日讯(…), 中安在线讯 …: a site named as online, or an app (but 据示例在线讯,
        // cites it)
        // (国际在线湖北消息:…: or its channel for a province)
        || (ONLINE_PRESS_ENDINGS.iter().any(|w| {
            head.ends_with(w) || head.split_once(w).is_some_and(|(_, p)| lex.places.contains(p))
        }) && !head.starts_with('据'))
        // 新海南客户端、南海网、南国都市报6月30日消息: several outlets named together
        || (head.contains('、') && head.split('、').all(|h| h.ends_with(PRESS_ENDINGS) || h.ends_with("客户端")))
        // 昆明1月24日电(张宇娴): a wire dateline reprinted without its agency, a city and the
        // day it was filed
        || (c.name("head").is_some()
            && c.get(0).is_some_and(|m| m.as_str().ends_with('电'))
            && lex.places.contains(head))
}

/// True when `t` opens with a paper's or agency's dateline (`湖南日报1月27日讯(…)`): the start
/// of a story, never the second half of a paragraph broken by layout.
pub fn opens_with_dateline(t: &str, lex: &Lexicon) -> bool {
    let t = t.trim_start();
    // a dateline ends with 讯 or 电 within its first 22 characters: most lines hold neither
    // there, and need no regex
    let head = t.char_indices().nth(34).map_or(t, |(i, _)| &t[..i]);
    (head.contains(['讯', '电']) || head.contains("消息"))
        && DATELINE
            .captures(t)
            .is_some_and(|c| dateline_by_press(&c, lex))
}

/// True when `t` opens with a full date and a comma (`2025年1月3日,…会议在…召开`): a
/// sentence's opening, which no line above it runs on into.
pub fn opens_with_dated_clause(t: &str) -> bool {
    let t = t.trim_start();
    t.starts_with(|c: char| c.is_ascii_digit())
        && CN_DATE
            .find(t)
            .is_some_and(|m| m.start() == 0 && t[m.end()..].starts_with([',', ' ']))
}

/// Longest headline line taken for a zone's name alone (乌鲁木齐经济技术开发区), in characters.
const MAX_ZONE_NAME_CHARS: usize = 16;

/// True when `line` is a zone's name and nothing else (乌鲁木齐经济技术开发区).
pub(crate) fn is_zone_name_alone(line: &str, lex: &Lexicon) -> bool {
    // (nth, not count: every body paragraph is asked, and most are long)
    line.chars().nth(MAX_ZONE_NAME_CHARS).is_none()
        && names_a_zone(line, lex)
        && lex
            .zone_suffixes
            .find_iter(line)
            .any(|m| m.end() == line.len())
}

/// Marks that open a section's head (▍克拉玛依高新技术产业开发区).
const SECTION_MARKS: &[char] = &['▍', '▌', '■', '●', '◆', '◇', '□', '★', '▶', '►', '◎'];

/// The zone's name a line holds alone, maybe after a section's mark (▍克拉玛依高新技术产业
/// 开发区): inside a story that named the zone, the head of the section about it.
pub(crate) fn zone_section_name<'a>(line: &'a str, lex: &Lexicon) -> Option<&'a str> {
    let name = line.trim().trim_start_matches(SECTION_MARKS).trim_start();
    (name.chars().all(crate::lexicon::is_han) && is_zone_name_alone(name, lex)).then_some(name)
}

/// A document's number opening a text: an issuer's short name (maybe none), the year in
/// brackets, the number and 号 (〔2012〕3号, 国函【2022】33号).
static DOCUMENT_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{0,8}[〔【\[((](?P<year>[0-9]{4})[〕】\]))][0-9]{1,4}号")
        .expect("static regex")
});

/// Where the document's number `t` opens with ends (国函【2022】33号-…), if it opens with one.
pub(crate) fn document_number_end(t: &str) -> Option<usize> {
    DOCUMENT_NUMBER.find(t).map(|m| m.end())
}

/// The year of a document's number that is all of `t` (冀科发〔2012〕15号 → 2012).
pub(crate) fn document_number_year(t: &str) -> Option<i32> {
    let c = DOCUMENT_NUMBER.captures(t)?;
    if c.get(0)?.end() != t.len() {
        return None;
    }
    c.name("year")?.as_str().parse().ok()
}

/// True when `t` is a document viewer's pager and nothing else (第1页 / 共1页, 共3页).
fn is_pager(t: &str) -> bool {
    // (every line is asked: most end otherwise, and need no copy)
    if !t.trim_end().ends_with('页') {
        return false;
    }
    let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    squeezed.split('/').all(|part| {
        let Some(num) = part
            .strip_prefix(['第', '共'])
            .and_then(|r| r.strip_suffix('页'))
        else {
            return false;
        };
        !num.is_empty() && num.len() <= 4 && num.bytes().all(|b| b.is_ascii_digit())
    })
}

/// True when a headline line is a zone's name alone as a kicker prints it: maybe with its
/// other name in brackets and a colon or dash after it (龙岩高新区(经开区):, 天津滨海高新区——).
pub(crate) fn is_kicker(line: &str, lex: &Lexicon) -> bool {
    let name = line.trim_end_matches([':', '—', ' ']);
    let name = name
        .strip_suffix(')')
        .and_then(|head| head.rsplit_once('('))
        .map_or(name, |(head, _)| head);
    is_zone_name_alone(name, lex)
}

/// Longest headline led by a zone's name and a colon (see [`is_zone_led_headline`]), in
/// characters.
const MAX_ZONE_LED_HEADLINE_CHARS: usize = 40;

/// True when `line` is a headline led by a zone's name and a colon, with no sentence end
/// (随州高新区:“比”出新气象,“练”出新作为): a story's head, though it holds a comma like the
/// first half of a paragraph broken by layout.
pub(crate) fn is_zone_led_headline(line: &str, lex: &Lexicon) -> bool {
    let line = line.trim();
    line.chars().nth(MAX_ZONE_LED_HEADLINE_CHARS).is_none()
        && !line.contains(['。', ';', '?', '!'])
        && line
            .split_once(':')
            .is_some_and(|(lead, rest)| !rest.trim().is_empty() && is_kicker(lead, lex))
}

/// The headline after its field's name (`page.headline_labels`: `标题: …`, `文章标题:…`) that
/// `line` opens with, `None` when it opens with no such field.
pub(crate) fn headline_field_value<'a>(line: &'a str, lex: &Lexicon) -> Option<&'a str> {
    lex.page.rules.headline_labels.iter().find_map(|l| {
        line.strip_prefix(l.as_str())?
            .strip_prefix([':', ':'])
            .map(str::trim_start)
    })
}

/// True when a zone suffix stands after a place prefix of at least two Han characters.
pub(crate) fn names_a_zone(text: &str, lex: &Lexicon) -> bool {
    lex.zone_suffixes.find_iter(text).any(|m| {
        let before: String = text[..m.start()]
            .chars()
            .rev()
            .take_while(|&c| crate::lexicon::is_han(c))
            .take(2)
            .collect();
        before.chars().count() == 2
            && !lex
                .generic_prefixes
                .contains(&before.chars().rev().collect::<String>())
    })
}

#[cfg(test)]
mod date_then_source_tests {
    use super::*;

    #[test]
    fn a_sites_stamp_dates_the_page_with_its_buttons_or_its_source_after_it() {
        let lex = Lexicon::for_tests();
        // a print button after the stamp, as a counter is
        assert_eq!(
            stamp_line("宣传部 2023-06-12 09:30 1 打印此页").map(|p| (p.year, p.month, p.day)),
            Some((2023, 6, 12))
        );
        // the date and time in brackets, a translator's field after them
        let t = "新闻发布 [2022-01-03 09:29] 翻译: someone@example.com";
        assert!(is_meta_line(t, &meta_fields(t, &lex)));
        // a channel in a table's cells before the date
        assert!(date_only_line("| 招商动态 |2016-09-29").is_some());
        // a year of two digits, with the time of day and a print button after it
        assert_eq!(
            stamp_line("内蒙古新闻网  15-05-13 17:50 打印本页").map(|p| (p.year, p.month, p.day)),
            Some((2015, 5, 13))
        );
        assert!(stamp_line("内蒙古新闻网  15-05-13").is_none());
        assert!(stamp_line("编号 115-05-13 17:50").is_none());
        // an e-paper story's toolbar: its links, its date, its type-size buttons
        assert_eq!(
            date_only_line("3上一篇  下一篇4 2019年1月31日 放大 缩小 默认")
                .map(|p| (p.year, p.month, p.day)),
            Some((2019, 1, 31))
        );
        assert!(date_only_line("3上一篇  下一篇4 2019年1月31日 园区动态").is_none());
        // anything else after the time is no stamp
        assert!(stamp_line("宣传部 2023-06-12 09:30 1 项目开工").is_none());
        // a stamp, then the source's field: a metadata line
        let t = "材料在线编辑部  2019-05-20 15:42:10  文章来源:综合整理";
        assert!(is_meta_line(t, &meta_fields(t, &lex)));
        let prose = "记者从区里获悉 今年新增企业12家 文章来源:综合整理";
        assert!(!is_meta_line(prose, &meta_fields(prose, &lex)));
        // 经开区 alone is a site's channel; a zone named in full is not chrome
        assert!(is_chrome("经开区", &lex));
        assert!(!is_chrome("德阳经开区", &lex));
    }

    #[test]
    fn a_long_footer_with_its_rights_and_its_registration_is_chrome() {
        let lex = Lexicon::for_tests();
        // too long for a chrome word alone to tell; its rights and its ICP number do
        let footer =
            "维护电话:0791-86000000 版权所有 © 2007-2011 示例省企业联合会。示例省企业家协会 \
                      赣ICP备11000000号 地址:示例市红谷滩新区示例大道100号 邮编:330000";
        assert!(is_chrome(footer, &lex));
        // a story that mentions copyright once is no footer
        assert!(!is_chrome(
            "示例高新区今年新增版权登记作品1200件,同比增长15%,全区知识产权工作成效明显。",
            &lex
        ));
    }

    #[test]
    fn a_field_of_month_and_day_only() {
        assert_eq!(month_day_only("12-30"), Some((12, 30)));
        assert_eq!(month_day_only("10-31 10:56"), Some((10, 31)));
        assert_eq!(month_day_only("2月29日"), Some((2, 29)));
        assert_eq!(month_day_only("12-30 来源"), None);
        assert_eq!(month_day_only("13-01"), None);
        assert_eq!(month_day_only("2023-12-30"), None);
        let by = |y, m, d| Published {
            year: y,
            month: m,
            day: d,
            precision: DatePrecision::Day,
        };
        assert_eq!(
            latest_day_by(by(2026, 1, 23), 12, 30),
            Some(by(2025, 12, 30))
        );
        assert_eq!(latest_day_by(by(2026, 1, 23), 1, 23), Some(by(2026, 1, 23)));
        // 02-29 read in 2025 is of the last leap year
        assert_eq!(latest_day_by(by(2025, 3, 1), 2, 29), Some(by(2024, 2, 29)));
        let month = Published {
            precision: DatePrecision::Month,
            ..by(2026, 1, 1)
        };
        assert_eq!(latest_day_by(month, 12, 30), None);
    }

    #[test]
    fn a_wire_dateline_may_give_its_month_and_day_in_numerals() {
        let c = DATELINE
            .captures("中新社唐山十一月二日电 题:潮涌渤海湾")
            .expect("dateline");
        assert_eq!((&c["m"], &c["d"]), ("十一", "二"));
        let c = DATELINE
            .captures("新华社北京12月6日电(记者 林晓)")
            .expect("dateline");
        assert_eq!((&c["m"], &c["d"]), ("12", "6"));
    }

    #[test]
    fn a_site_s_news_flash_opens_a_story() {
        let lex = Lexicon::for_tests();
        // whatever the site is called, before 讯 and a colon
        assert!(opens_with_dateline(
            "示例在线讯:“示例高新区今年新签项目30个。”",
            &lex
        ));
        assert!(!opens_with_dateline("据示例在线讯,项目签约", &lex));
        // an online outlet's channel for a province, then 消息 and a colon
        assert!(opens_with_dateline(
            "华商在线陕西消息:11月6日,宝鸡高新区集中开工",
            &lex
        ));
        assert!(!opens_with_dateline("据华商在线陕西消息:项目开工", &lex));
        assert!(!opens_with_dateline("示例在线大道消息:项目开工", &lex));
        // a site named as online, dated or not
        assert!(opens_with_dateline(
            "示例在线9月27日讯(张三 李四)今天上午",
            &lex
        ));
        assert!(opens_with_dateline(
            "东南在线讯 据三明日报报道, 今年以来",
            &lex
        ));
    }

    #[test]
    fn breadcrumbs_and_e_paper_page_labels_are_chrome() {
        let lex = Lexicon::for_tests();
        assert!(is_chrome("新闻频道 > 经济新闻", &lex));
        assert!(is_chrome("示例商报官网 > 安徽 > 每日经济", &lex));
        assert!(is_chrome("00001版:一版要闻", &lex));
        // a rights notice's heading, a toolbar cut at its first bracket
        assert!(is_chrome("版权与免责声明:", &lex));
        assert!(is_chrome("收藏此页】【 】【打印】【关闭", &lex));
        // a footer of several fields on one line, longer than a chrome line
        assert!(is_chrome(
            "广告部:0551-61234568 投稿信箱:tougao@example.cn 版权所有:示例科技报社 技术支持:示例科技有限公司网络部",
            &lex
        ));
        assert!(!is_chrome("营业收入增长超过10%,利润>5亿元。", &lex));
        assert!(!is_chrome("2019年营收1200亿元", &lex));
        // a media centre's hotline
        assert!(is_chrome(
            "示例市融媒体中心  新闻线索:0513-81234567  网络辟谣",
            &lex
        ));
        // a range of figures or a year span is no number
        assert!(!is_chrome("营收从2013-2023年增长", &lex));
        assert!(!is_chrome("签约项目投资1000-20000000元", &lex));
    }

    #[test]
    fn an_e_paper_header_with_its_hotline_or_buttons_is_a_date_line() {
        let day = |t: &str| date_only_line(t).map(|p| (p.year, p.month, p.day));
        assert_eq!(
            day("2023年05月12日 星期五  新闻热线:12345678"),
            Some((2023, 5, 12))
        );
        assert_eq!(
            day("2021年4月9日 星期 放大 缩小 默认 2 上一篇 下一篇 3 >>返回首页"),
            Some((2021, 4, 9))
        );
        // the previous page's button and the page number before the date
        assert_eq!(
            day("上一版3 2012年12月3日 星期 放大 缩小 默认"),
            Some((2012, 12, 3))
        );
        // a sentence that opens with the date is no header
        assert_eq!(
            day("2021年4月9日 星期五上午,示例高新区举行签约仪式。"),
            None
        );
        // an e-paper's record of the story: the paper first, its date and weekday last
        assert_eq!(
            day("示例日报 要闻 00002 全力复产 “云”上招商 2022-04-25 24135391 2 2022年04月25日 星期一"),
            Some((2022, 4, 25))
        );
        assert_eq!(
            day("示例日报消息,园区上周签约项目5个,总投资12亿元,签约仪式于2022年04月25日 星期一"),
            None
        );
    }

    #[test]
    fn a_posting_time_then_a_column_tag() {
        let (p, source) = date_then_source("2021-05-18 10:32:06掌上示例热:").unwrap();
        assert_eq!((p.year, p.month, p.day), (2021, 5, 18));
        assert_eq!(source, "掌上示例热");
        assert!(date_then_source("2007年06月06日 06:49 示例网").is_some());
        // a date running into a sentence is no such line
        assert!(date_then_source("2021-05-18园区实现产值12亿元").is_none());
    }
}
