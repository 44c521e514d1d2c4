//! Named entities in article text: organizations (a name ending in a legal or institutional
//! suffix: 有限公司, 银行…分行, 大学, 研究院 …), people (the name after a job title, 副局长李宁;
//! the speaker after a quote, …”李丹群说; the name before 院士) and policy titles in 《》, with
//! back-references such as 《办法》 resolved to the full title.

use crate::lexicon::{floor_char_boundary, is_han, Lexicon};
use regex::Regex;
use std::sync::LazyLock;

/// A list of firms by their short names closed by `等…企业` or by their count (晖致、艾昆纬、
/// 华熙生物等企业52家, 裕同、大胜达等行业龙头企业, 新增恒远、博达电子2家上市公司, 三一重工、东风汽车
/// 等一大批工业企业): every item is a company. One name alone is a list only with its count
/// (潍柴动力等4家企业). Groups: the items, the count after 等, a count without 等, and the words
/// before 企业 (checked against `firm_list_qualifiers`; 等世界500强企业 has digits among them).
static LISTED_FIRMS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"((?:[\p{Han}A-Za-z]{2,12}、)*[\p{Han}A-Za-z]{2,12}(?:和[\p{Han}A-Za-z]{2,8})?)(?:等([0-9一二三四五六七八九十百多余]+[家户])?|([0-9一二三四五六七八九十]+[家户]|[两二三四五六七八九十]大))([\p{Han}0-9.]{0,16}?)(企业|公司|项目)",
    )
    .expect("static regex")
});

/// Bytes after 等 searched for the 企业 or 公司 that closes a list of firms (等15家行业龙头企业).
const LIST_CLOSE_BYTES: usize = 40;

/// Bytes after a list's count in 家 searched for the kind it counts (等10余家中央级媒体).
const COUNTED_KIND_BYTES: usize = 24;

/// Bytes after a list's 企业的 searched for the 项目 that makes it a list of projects
/// (等8家企业的重点项目).
const PROJECTS_AFTER_BYTES: usize = 18;

/// Bytes after the 家 of a count searched for the 企业 or 公司 that closes a list of firms
/// (2家上市公司, 三家高新区企业).
const COUNT_CLOSE_BYTES: usize = 24;

/// Longest short company name in such a list, in characters.
const MAX_LISTED_FIRM_CHARS: usize = 8;

/// An entity occurrence in a piece of normalized text (byte offsets into that text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundEntity {
    /// Name as normalized.
    pub text: String,
    /// Start of the mention.
    pub start: usize,
}

/// Adds `name`, found at byte `start`, unless `out` already holds it (a name is listed once,
/// at its first mention).
fn push_once(out: &mut Vec<FoundEntity>, name: &str, start: usize) {
    if !out.iter().any(|e| e.text == name) {
        out.push(FoundEntity {
            text: name.to_string(),
            start,
        });
    }
}

/// Zone words that are stop words before a name (高新区企业…) but part of a body's name
/// when the suffix follows at once (中国开发区协会); a list item ending with one is a zone,
/// no firm (济南高新区、郑州高新区等5家).
const ZONE_WORDS: [&str; 6] = ["高新区", "开发区", "示范区", "农高区", "经开区", "自创区"];

/// Bytes before a name searched for its job title (the longest title is well below this).
const TITLE_WINDOW_BYTES: usize = 64;

/// Longest organization name, in characters.
const MAX_ORG_CHARS: usize = 30;
/// Two suffix matches this close (in characters), with no stop word or punctuation between,
/// belong to one name: 浙商银行东莞分行, 南京大学苏州校区.
const ORG_JOIN_GAP_CHARS: usize = 16;

/// Organizations named in `text`.
pub fn organizations(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    let matches: Vec<(usize, usize)> = lex
        .organization_suffixes
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    let mut out: Vec<FoundEntity> = Vec::new();
    let mut i = 0;
    while i < matches.len() {
        let (s0, suffix_end) = matches[i];
        let mut end = suffix_end;
        // extend over a following suffix close by (银行 … 分行, 大学 … 校区)
        while i + 1 < matches.len() {
            let (ns, ne) = matches[i + 1];
            let gap = &text[end..ns];
            if gap.chars().count() <= ORG_JOIN_GAP_CHARS
                && gap.chars().all(is_han)
                && !lex.organization_stop_set.any_in(gap)
            {
                end = ne;
                i += 1;
            } else {
                break;
            }
        }
        i += 1;
        let Some(start) = org_start(text, s0, lex) else {
            continue;
        };
        let name = &text[start..end];
        if !plausible_core(&text[start..s0], lex) || name.chars().count() > MAX_ORG_CHARS {
            continue;
        }
        // 光谷上市公司, 知名跨国公司: a kind of firm (but 中国国际跨国公司研究会 is a body)
        if end == suffix_end
            && lex
                .organization_kind_endings
                .iter()
                .any(|w| text[start..s0].ends_with(w.as_str()))
        {
            continue;
        }
        // 大学城, 大学生, 大学科技园: a place or people, not the university
        if name.ends_with("大学")
            && (text[end..].starts_with(['城', '生']) || text[end..].starts_with("科技园"))
        {
            continue;
        }
        if is_back_reference(text, start) || super::inside_title(text, start) {
            continue; // 《新型产业研究院落地支持政策》 names a policy, not the institute
        }
        out.push(FoundEntity {
            text: name.to_string(),
            start,
        });
    }
    out
}

/// Companies named by their short names in a list closed by `等…企业` (the suffix rules find
/// none of 晖致、艾昆纬、乐泰): each item after the words that open a name.
pub fn listed_firms(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    // the regex runs only where 等 is followed closely by 企业 or 公司 (most paragraphs hold
    // 等 and 、, few such a list)
    // (上汽、宇通、东风日产、海马四大整车企业; 华建新材料、中石油燃气等8户企业)
    let closes_a_list = text.match_indices(['等', '家', '户', '大']).any(|(i, w)| {
        let reach = if w == "等" {
            LIST_CLOSE_BYTES
        } else {
            COUNT_CLOSE_BYTES
        };
        let after = &text[i..floor_char_boundary(text, (i + reach).min(text.len()))];
        after.contains("企业") || after.contains("公司") || after.contains("项目")
    });
    // a list of several names has a 、, a list of one its count after 等 (潍柴动力等4家企业)
    if !closes_a_list || !(text.contains('、') || counts_after_deng(text).next().is_some()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    // 云计算、大数据等企业 and 生物医药、高端装备制造等企业 are kinds of firms: a list is of
    // sectors when an item is one, or every item ends with one (昆吾半导体、友嘉国际、航星科技等
    // 一批企业 are firms, though 昆吾半导体 ends with a sector's word)
    let ends_with_sector = |item: &str| {
        lex.sector_words.iter().any(|w| item.ends_with(w.as_str())) || names_a_field(item)
    };
    let of_sectors = |items: &[&str]| {
        items.iter().any(|item| is_sector_item(item, lex))
            || items.iter().all(|item| ends_with_sector(item))
    };
    for c in LISTED_FIRMS.captures_iter(text) {
        let Some(list) = c.get(1) else { continue };
        // the last item takes the 等 of `等10家企业` when the count alone could close the list
        let list_text = list.as_str();
        let list_text = list_text.strip_suffix('等').unwrap_or(list_text);
        // one name is a list only as `X等4家企业` (区域内8家头部企业 and 上报7家企业 name none)
        let counted = c.get(2).is_some() || (c.get(3).is_some() && list.as_str().ends_with('等'));
        let several = list_text.contains(['、', '和']);
        // 汇龙环保、矽盛电子、联茂机械等27个项目: a list of projects named by their firms,
        // which say they are firms by their trade (see below)
        let projects = c.get(5).is_some_and(|m| m.as_str() == "项目");
        // 等方式支持企业: only qualifiers may stand before the 企业
        // (东风本田、神龙、东风雷诺等整车企业: a trade qualifies them too, and both
        // 等9户规模以上大数据企业)
        let qualified = projects
            || c.get(4).is_none_or(|q| {
                is_made_of(q.as_str(), &lex.firm_list_qualifiers)
                    || (several && is_made_of(q.as_str(), &lex.list_qualifiers_and_sectors))
            });
        if !(several || counted) || !qualified {
            continue;
        }
        // 华凌大冰箱、伟世通汽车零部件等企业的项目 name projects by firm and product: no item is
        // a firm's name
        // (华星光电、百济神州等一批重大项目: in a list of projects, a firm's name that ends
        // with a sector's word may be the project's trade, so such an item stops the list)
        // (示例冰箱、远景汽车零部件等8家企业的项目: so is a list of firms' projects)
        let firms_projects = projects || {
            let after = &text[c.get(0).map_or(text.len(), |m| m.end())..];
            after.starts_with('的')
                && after[..floor_char_boundary(after, PROJECTS_AFTER_BYTES)].contains("项目")
        };
        let items: Vec<&str> = list_text.split(['、', '和']).collect();
        if of_sectors(&items) || (firms_projects && items.iter().any(|item| ends_with_sector(item)))
        {
            continue;
        }
        for (k, (start, item)) in items_at(list_text, list.start(), &['、', '和']).enumerate() {
            // the first item carries the words before the list (签约落地晖致, 包括裕同), which
            // end before the name's last two characters (同 of 裕同 is no stop there)
            let name = list_item_name(item, k == 0, lex);
            let cut = item.len() - name.len();
            if may_be_listed_firm(name, lex) && (!projects || names_a_firm_by_trade(name, lex)) {
                out.push(FoundEntity {
                    text: name.to_string(),
                    start: start + cut,
                });
            }
        }
    }
    out
}

/// The firm's name in an item of a list of short names: the first item carries the words
/// before the list (签约落地晖致, 包括裕同), which end before the name's last two characters
/// (同 of 裕同 is no stop there); a country before a name is no part of it (韩国三星).
fn list_item_name<'a>(item: &'a str, first: bool, lex: &Lexicon) -> &'a str {
    let cut = if first {
        let keep = item.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
        lex.organization_stop_set
            .max_end(&item[..keep])
            .unwrap_or(0)
    } else {
        0
    };
    // (聚集了大同新研: 同 is a stop word, but 大同 a place the name opens on)
    let cut = back_off_places(item, cut, lex);
    let name = &item[cut..];
    lex.firm_origins
        .iter()
        .find_map(|c| name.strip_prefix(c.as_str()))
        .filter(|rest| rest.chars().count() >= 2)
        .unwrap_or(name)
}

/// `武大有机硅、海创电子、科益药业等4家`, `中国科学院、中国农科院等56家高校院所`: a list of
/// several names closed by a count in 家 (the measure word of firms and institutions).
static COUNTED_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"({SHORT_NAME_LIST})等[0-9一二三四五六七八九十百]+[多余]?家"
    ))
    .expect("static regex")
});

/// Several short names (two to twelve characters each) joined by `、`: the list the list
/// rules read.
const SHORT_NAME_LIST: &str = r"(?:[\p{Han}A-Za-z]{2,12}、)+[\p{Han}A-Za-z]{2,12}";

/// The qualifiers of the kinds of firm [`APPOSED_LIST`] opens with (龙头企业, 上市公司).
const APPOSING_QUALIFIERS: [&str; 7] = ["龙头", "骨干", "重点", "领军", "链主", "头部", "上市"];

/// The kinds those qualifiers qualify.
const APPOSING_KINDS: [&str; 2] = ["企业", "公司"];

/// `龙头企业东材科技、虹科创新等`: a list of short names right after the kind of firm they are
/// (企业盈利能力、国际化水平等方面 is no such list: only a qualified kind stands before it).
static APPOSED_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{})(?:{})((?:[\p{{Han}}A-Za-z]{{2,10}}、)+[\p{{Han}}A-Za-z]{{2,10}})等",
        APPOSING_QUALIFIERS.join("|"),
        APPOSING_KINDS.join("|")
    ))
    .expect("static regex")
});

/// The text after each 等 that a count follows (等4家, 等十余家): what closes a list by its
/// count.
fn counts_after_deng(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('等')
        .map(move |(i, _)| &text[i + '等'.len_utf8()..])
        .filter(|after| {
            after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || super::cnum::is_numeral_char(c))
        })
}

/// Short names in lists that [`listed_firms`] does not read: several names closed by a count
/// in 家 (X、Y等4家), and names right after the kind of firm they are (龙头企业X、Y等).
pub fn counted_and_apposed_firms(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    // every list read here has a 、 and closes with 等
    if !text.contains('、') || !text.contains('等') {
        return Vec::new();
    }
    let mut out = counted_list_firms(text, lex);
    out.extend(apposed_list_firms(text, lex));
    out
}

/// `X、Y、Z等4家`: several names closed by a count in 家. Lists whose count is followed by
/// 企业/公司 are left to [`listed_firms`]; a count of 媒体 is of newspapers and broadcasters.
fn counted_list_firms(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    // the cheap test first: a count in 家 close after a 等
    if !counts_after_deng(text)
        .any(|after| after[..floor_char_boundary(after, COUNT_CLOSE_BYTES)].contains('家'))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in COUNTED_LIST.captures_iter(text) {
        let Some(list) = c.get(1) else { continue };
        let whole = c.get(0).map_or(text.len(), |m| m.end());
        let after = &text[whole..floor_char_boundary(text, whole + COUNTED_KIND_BYTES)];
        if ["企业", "公司", "媒体"].iter().any(|w| after.contains(w)) {
            continue;
        }
        out.extend(list_of_firms(list, lex).unwrap_or_default());
    }
    out
}

/// `龙头企业X、Y等`: names right after a qualified kind of firm, when one of them at least
/// says it is a firm by its trade.
fn apposed_list_firms(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    // the cheap test first: a qualified kind, found from its 企业 or 公司
    let present = APPOSING_KINDS.iter().any(|kind| {
        text.match_indices(kind)
            .any(|(i, _)| APPOSING_QUALIFIERS.iter().any(|q| text[..i].ends_with(q)))
    });
    if !present {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in APPOSED_LIST.captures_iter(text) {
        let Some(list) = c.get(1) else { continue };
        if let Some(firms) = list_of_firms(list, lex) {
            if firms.iter().any(|e| names_a_firm_by_trade(&e.text, lex)) {
                out.extend(firms);
            }
        }
    }
    out
}

/// The firms of a list of short names joined by 、 (the first item without the words before
/// it, each without its country), or `None` when an item is a sector, a field, a place, a
/// zone or anything else no firm's short name can be.
fn list_of_firms(list: regex::Match<'_>, lex: &Lexicon) -> Option<Vec<FoundEntity>> {
    items_at(list.as_str(), list.start(), &['、'])
        .enumerate()
        .map(|(k, (start, item))| {
            let name = list_item_name(item, k == 0, lex);
            (!is_sector_item(name, lex) && may_be_listed_firm(name, lex)).then(|| FoundEntity {
                text: name.to_string(),
                start: start + item.len() - name.len(),
            })
        })
        .collect()
}

/// The items of `list` (which stands at byte `start` of its text) between the separators
/// `seps`, each with its own byte offset in that text.
fn items_at<'a>(
    list: &'a str,
    start: usize,
    seps: &'a [char],
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    // each item is a slice of `list`: its offset in it
    list.split(seps).map(move |item| {
        (
            start + (item.as_ptr() as usize - list.as_ptr() as usize),
            item,
        )
    })
}

/// `先后引进了吉利、隆基、华天科技等一批重大产业项目`: a list of short names closed by 等, one
/// of whose items is a firm found by another rule: the items are of one kind, so the others
/// are firms too, but for items no firm's name can be (sectors, places, zones, parks).
static COORDINATED_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"({SHORT_NAME_LIST})等")).expect("static regex"));

/// Firms named in a list closed by 等 beside a firm already found (`known`: the firms other
/// rules read so far, with where they stand).
pub fn coordinated_firms(text: &str, known: &[(String, usize)], lex: &Lexicon) -> Vec<FoundEntity> {
    // the cheap tests first: a list, its 等, and a firm found so far named in the text (the
    // list's regex is not free, and most lists name none)
    if !text.contains('、')
        || !text.contains('等')
        || !known.iter().any(|(t, _)| text.contains(t.as_str()))
    {
        return Vec::new();
    }
    let found = |n: &str| known.iter().any(|(t, _)| t == n);
    let mut out = Vec::new();
    for c in COORDINATED_LIST.captures_iter(text) {
        let Some(list) = c.get(1) else { continue };
        let items: Vec<(usize, &str)> = items_at(list.as_str(), list.start(), &['、'])
            .enumerate()
            .map(|(k, (start, item))| {
                let name = list_item_name(item, k == 0, lex);
                (start + (item.len() - name.len()), name)
            })
            .collect();
        if !items.iter().any(|(_, name)| found(name)) {
            continue;
        }
        // one item no firm can be (汽车产业, 济南高新区, 世纪联合二期, EOD项目资金) makes it a
        // list of something else; an item with 等 in it runs past an earlier list's end
        // (湖南大学、湖南师范大学等高校、…等)
        if items.iter().any(|(_, name)| {
            !may_be_listed_firm(name, lex)
                || is_sector_item(name, lex)
                || name.contains(['等', '期'])
                || ["项目", "资金", "基金", "国债", "企业"]
                    .iter()
                    .any(|w| name.contains(w))
        }) {
            continue;
        }
        out.extend(
            items
                .iter()
                .filter(|(_, name)| !found(name))
                .map(|&(start, name)| FoundEntity {
                    text: name.to_string(),
                    start,
                }),
        );
    }
    out
}

/// True when an item of a list of firms may be a firm's short name: two to eight characters,
/// no generic word, park, place, digit or kind of firm.
fn may_be_listed_firm(name: &str, lex: &Lexicon) -> bool {
    (2..=MAX_LISTED_FIRM_CHARS).contains(&name.chars().count())
        && !lex.organization_generic.iter().any(|g| g == name)
        // 氢能产业园 in 到华兰生物、正大航空、氢能产业园等重点企业及项目: a park
        && !lex
            .facility_suffixes
            .iter()
            .any(|w| name.ends_with(w.as_str()))
        && !lex.places.contains(name)
        // 济南高新区、郑州高新区等5家: zones
        && !ZONE_WORDS.iter().any(|w| name.ends_with(w))
        && !name.chars().any(|ch| ch.is_ascii_digit())
        // 专精特新企业等3家企业: a kind of firm
        && !name.ends_with("企业")
        && !name.ends_with("公司")
}

/// True when an item names an industry or a field as such (汽车产业, 相关行业, 新兴领域).
fn names_a_field(item: &str) -> bool {
    ["产业", "行业", "领域"].iter().any(|w| item.ends_with(w))
}

/// True when a list item is a sector or a field (云计算, 汽车产业, 金融业), not a firm (a firm's
/// short name may end with a sector's word: 四维光电).
fn is_sector_item(item: &str, lex: &Lexicon) -> bool {
    lex.sector_words.iter().any(|w| item == w.as_str())
        || names_a_field(item)
        || ["服务业", "金融业"].iter().any(|w| item.ends_with(w))
}

/// `以驰腾科技、麦穗科技、思普康为龙头的…产业集群`, `以恒力、中兴为代表的专用车`: firms that lead
/// or stand for a cluster, by their short names.
static LED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"以((?:[\p{Han}A-Za-z]{2,12}、)*[\p{Han}A-Za-z]{2,12})(?:等)?为(?:龙头|代表)(?:的|企业)",
    )
    .expect("static regex")
});

/// `新增5家上市公司:四方光电、中科通达、康圣环球`: firms listed after their count and kind.
static AFTER_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"[0-9一二三四五六七八九十]+家\p{{Han}}{{0,6}}?(?:公司|企业):({SHORT_NAME_LIST})(?:[。;,]|$)"
    ))
    .expect("static regex")
});

/// Companies named by their short names where the sentence says they lead a cluster (以A、B为
/// 龙头的…) or lists them after their count (5家上市公司:A、B、C). A list holding a sector
/// (以冶金、汽车为代表的产业), or none of whose items says it is a firm, names no firm.
pub fn cluster_firms(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    // most paragraphs hold neither 为龙头/为代表 nor 家…: with a list after it
    let led = text.contains("为龙头") || text.contains("为代表");
    let counted = text.contains("家") && text.contains(':') && text.contains('、');
    if !led && !counted {
        return Vec::new();
    }
    let mut out: Vec<FoundEntity> = Vec::new();
    for re in [&*LED_BY, &*AFTER_COUNT] {
        for c in re.captures_iter(text) {
            let Some(list) = c.get(1) else { continue };
            let items: Vec<(usize, &str)> = items_at(list.as_str(), list.start(), &['、'])
                .map(|(start, item)| (start, item.trim_end_matches('等')))
                .collect();
            // one item at least says it is a firm, by its trade or its suffix (驰腾科技, 三星集团):
            // 以太阳能、风能为代表的… lists what is made
            if items.iter().any(|&(_, item)| is_sector_item(item, lex))
                || !items.iter().any(|&(_, item)| {
                    names_a_firm_by_trade(item, lex) || lex.organization_suffixes.is_match(item)
                })
            {
                continue;
            }
            for (start, name) in items {
                if may_be_listed_firm(name, lex) {
                    push_once(&mut out, name, start);
                }
            }
        }
    }
    out
}

/// [`SHORT_NAME_LIST`] alone: a list that may be of firms.
static NAME_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(SHORT_NAME_LIST).expect("static regex"));

/// Fewest items of a list that must say they are firms by their trade for the whole list to
/// be taken for firms.
const MIN_TRADE_NAMED_ITEMS: usize = 2;

/// Marks before a list that open its clause: its first item holds no other words.
const CLAUSE_OPENING_MARKS: [char; 7] = [',', ':', ';', '。', '(', '\n', '“'];

/// `佳铭特汽车电子、麦开食品、大佑农生物`, `维和药业、红云制药等中成药`: names joined by `、`, two
/// of which at least say they are firms by their trade (`firm_short_endings` after a core of
/// their own) and none of which is a sector, a place or a zone, are companies, however the
/// list closes (the other list rules need a closing 等…企业 or a count). The last item ends
/// at 等; the first counts only when the list opens its clause or a word that opens names
/// (`organization_stops`) stands right before it.
pub fn trade_named_lists(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    // the cheap test first: such a list has an item that ends with a trade right before a 、
    // (most paragraphs have none, and need no regex)
    if !lex.has_trade_list_mark(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for list in NAME_LIST.find_iter(text) {
        let mut items: Vec<(usize, &str)> =
            items_at(list.as_str(), list.start(), &['、']).collect();
        let Some(last) = items.last_mut() else {
            continue;
        };
        // (…、美日丰创等企业 / …、美日丰创分别比增…: the last item ends where the list closes)
        last.1 = lex
            .list_closer_set
            .first_start(last.1)
            .map_or(last.1, |at| &last.1[..at]);
        // the cheap test first: most lists (科技、教育、文化) hold fewer than two items that
        // end with a trade after two characters or more
        let trade_ended = items
            .iter()
            .filter(|&&(_, item)| {
                without_trade(item, lex).any(|core| core.chars().nth(1).is_some())
            })
            .count();
        if trade_ended < MIN_TRADE_NAMED_ITEMS {
            continue;
        }
        let opens_clause = text[..list.start()]
            .chars()
            .next_back()
            .is_none_or(|c| CLAUSE_OPENING_MARKS.contains(&c));
        // every item a brand: named by its trade after a core of its own, or a short name
        // alone (京东方, 联芯); a longer item is a sector or a description (化工新材料, 汽车及
        // 高端装备, 光学与电子信息)
        let by_trade = |item: &str| branded_by_trade(item, lex);
        // (曲轴二期 of 北船重工、武船重工、曲轴二期等项目: a project's phase)
        let short = |item: &str| {
            item.chars().count() <= MAX_BARE_BRAND_CHARS
                && !lex
                    .project_product_words
                    .iter()
                    .any(|w| item.contains(w.as_str()))
        };
        let brand = |item: &str| by_trade(item) || short(item);
        if let Some(first) = items.first_mut() {
            // (其中华建新材料: a word that opens names may open the clause too; one inside a
            // brand (维和药业) is part of its name)
            let name = match without_stop_prefix(first.1, lex) {
                Some(rest) if opens_clause => rest,
                _ if opens_clause && brand(first.1) => first.1,
                // (已集聚蔚来汽车: the words cut at the last stop may open on another)
                _ => {
                    let name = list_item_name(first.1, true, lex);
                    without_stop_prefix(name, lex).unwrap_or(name)
                }
            };
            // (no word that opens names before it, in the middle of a clause: where the name
            // starts is unknown)
            let bounded = opens_clause || name.len() < first.1.len();
            first.0 += first.1.len() - name.len();
            first.1 = name;
            if !bounded || !brand(name) {
                items.remove(0);
            }
        }
        if items
            .iter()
            .any(|&(_, item)| is_sector_item(item, lex) || !brand(item))
            || items.iter().filter(|&&(_, item)| by_trade(item)).count() < MIN_TRADE_NAMED_ITEMS
        {
            continue;
        }
        for (start, name) in items {
            if may_be_listed_firm(name, lex) {
                out.push(FoundEntity {
                    text: name.to_string(),
                    start,
                });
            }
        }
    }
    out
}

/// `item` without the words that open names (`organization_stops`) it starts with, one
/// after another, while two characters at least are left (其中华建新材料 → 华建新材料, 已集聚蔚来
/// 汽车 → 蔚来汽车); `None` when it starts with none.
fn without_stop_prefix<'a>(item: &'a str, lex: &Lexicon) -> Option<&'a str> {
    let strip_one = |s: &'a str| {
        lex.organization_stop_set
            .prefix_ends(s)
            .filter(|&end| s[end..].chars().nth(1).is_some())
            // (正英电子, 同路生物: a one-character word that would leave a one-character brand
            // before the trade is the brand's first character, not a word before the name)
            .filter(|&end| {
                !(s[..end].chars().nth(1).is_none() && leaves_one_char_brand(&s[end..], lex))
            })
            .max()
            .map(|end| &s[end..])
    };
    let mut rest = strip_one(item)?;
    while let Some(shorter) = strip_one(rest) {
        rest = shorter;
    }
    Some(rest)
}

/// True when `rest`, without the trades it ends with (科技, 机械, 电子), is one character: a
/// name cut after a one-character stop word (正星科技 → 星科技) that is no name.
fn leaves_one_char_brand(rest: &str, lex: &Lexicon) -> bool {
    let mut core = rest;
    while let Some(shorter) = without_trade(core, lex).next() {
        core = shorter;
    }
    core.len() < rest.len() && core.chars().count() == 1
}

/// Longest short name taken for a brand in a list without a trade after it (京东方), in
/// characters.
const MAX_BARE_BRAND_CHARS: usize = 4;

/// Longest core of a brand before its trade (佳铭特 of 佳铭特汽车电子), in characters.
const MAX_BRAND_CORE_CHARS: usize = 4;

/// True when `name` is a brand then its trade (麦开食品, 佳铭特汽车电子): a trade ending, maybe
/// after another, after a core of two to four characters that holds no sector, product,
/// trade or generic word and no 及, 与 or 的 (化工新材料, 生物科技 and 汽车及高端装备 are sectors).
fn branded_by_trade(name: &str, lex: &Lexicon) -> bool {
    let brand_core = |core: &str| {
        (2..=MAX_BRAND_CORE_CHARS).contains(&core.chars().count())
            && !core.contains(['及', '与', '的'])
            && !lex.brand_core_stops.any_in(core)
    };
    without_trade(name, lex)
        .any(|core| brand_core(core) || without_trade(core, lex).any(&brand_core))
}

/// `name` without each trade ending (`firm_short_endings`) it ends with.
fn without_trade<'a>(name: &'a str, lex: &'a Lexicon) -> impl Iterator<Item = &'a str> + 'a {
    lex.firm_short_endings
        .iter()
        .filter_map(move |end| name.strip_suffix(end.as_str()))
}

/// True when a short name ends with a firm's trade (`firm_short_endings`) after a core of
/// its own (汇龙环保, 联茂机械), not after a word a product or a sector is made of (智慧能源,
/// 新型材料).
fn names_a_firm_by_trade(name: &str, lex: &Lexicon) -> bool {
    lex.firm_short_endings.iter().any(|end| {
        name.strip_suffix(end.as_str()).is_some_and(|core| {
            core.chars().count() >= 2
                && !lex.project_product_words.iter().any(|w| w == core)
                && !lex.sector_words.iter().any(|w| w == core)
                && !lex.organization_generic.iter().any(|w| w == core)
        })
    })
}

/// `总投资10.5亿元的斯高德智慧农业…基地项目`: a project by its investment, then the firm and
/// what it makes, up to 项目 or the end of its list item (at most 30 characters are read).
static INVESTED_PROJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"投资(?:约|超|近|达)?[0-9.]+[亿万]元的(\p{Han}[\p{Han}A-Za-z0-9/]{3,29}?)(?:项目|[、,;。])")
        .expect("static regex")
});

/// Longest firm's name before a project's product, in characters (合肥常青股份).
const MAX_PROJECT_FIRM_CHARS: usize = 6;

/// Firms named before what their project makes (总投资2亿元的无锡长盛树脂生产项目 → 无锡长盛):
/// the name runs from 的 to the first product word or number (`project_product_words`) at
/// least two characters in. A place, a zone or a kind of firm is no name.
pub fn project_firms(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    if !text.contains("项目") {
        return Vec::new();
    }
    let mut out: Vec<FoundEntity> = Vec::new();
    for c in INVESTED_PROJECT.captures_iter(text) {
        let Some(run) = c.get(1) else { continue };
        let r = run.as_str();
        // where the product starts: the first product word or digit two or more characters in
        let cut = r
            .char_indices()
            .skip(2)
            .take(MAX_PROJECT_FIRM_CHARS - 1)
            .find(|&(i, ch)| {
                // 中核钛白20万吨/年…: a capacity; 新华08: a product's own name
                (ch.is_ascii_digit()
                    && r[i..]
                        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                        .starts_with(|c: char| is_han(c)))
                    || lex
                        .project_product_words
                        .iter()
                        .any(|w| !w.is_empty() && r[i..].starts_with(w.as_str()))
            })
            .map(|(i, _)| i);
        let Some(cut) = cut else { continue };
        let name = &r[..cut];
        // 现代智慧物流园, 智能水表产业园: what is made, with no firm before it
        let product_first = lex
            .project_product_words
            .iter()
            .any(|w| !w.is_empty() && name.starts_with(w.as_str()));
        if !name.chars().all(is_han)
            || product_first
            || lex.places.contains(name)
            || ends_a_place(name, lex)
            || name.ends_with(['区', '市', '县', '镇', '园', '村'])
            // 总投资451.3亿元的重点项目135个: the projects counted, no firm
            || name.ends_with("项目")
            || lex.organization_generic.iter().any(|g| g == name)
            || lex
                .sector_words
                .iter()
                .any(|w| name.starts_with(w.as_str()))
            || name
                .chars()
                .any(|ch| "一二三四五六七八九十百千万两".contains(ch))
        {
            continue;
        }
        push_once(&mut out, name, run.start());
    }
    out
}

/// Longest short name of a company acting in its sentence, in characters (康迪电动汽车).
const MAX_ACTING_FIRM_CHARS: usize = 6;

/// Companies named by a short name that acts in its sentence (蜜蜂科技签约落户, 宏旺金属成为
/// 肇庆首家…企业, 智洋创新获批…): two to four characters and a trade (`firm_short_endings`)
/// right before a verb (`firm_action_verbs`), at the start of a clause or after the words that
/// open a name. A place, a kind of firm (新能源汽车, 智能制造) or a count is no name.
pub fn acting_firms(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    let mut out: Vec<FoundEntity> = Vec::new();
    for m in lex.firm_action_verbs.find_iter(text) {
        let before = &text[..m.start()];
        // the cheap test first: most verbs follow no trade word
        if !lex.firm_short_ending_set.ends(before) {
            continue;
        }
        // the run of Chinese characters that ends at the verb, at most one character longer
        // than a name (a longer run has no clause start close enough to trust)
        let run_start = before
            .char_indices()
            .rev()
            .take(MAX_ACTING_FIRM_CHARS + 1)
            .take_while(|&(_, c)| is_han(c))
            .last()
            .map_or(m.start(), |(i, _)| i);
        let run = &before[run_start..];
        let opens_clause = before[..run_start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_han(c) && !c.is_ascii_alphanumeric());
        // 支持椰树扩大生产, 其中智洋创新…: the words that open a name end before it
        let cut = lex.organization_stop_set.max_end(run).unwrap_or(0);
        if cut == 0 && !opens_clause {
            continue;
        }
        let name = &run[cut..];
        let Some(ending) = lex
            .firm_short_endings
            .iter()
            .filter(|e| !e.is_empty() && name.ends_with(e.as_str()))
            .max_by_key(|e| e.len())
        else {
            continue;
        };
        let core = &name[..name.len() - ending.len()];
        let core_chars = core.chars().count();
        if !(2..=4).contains(&core_chars)
            || name.chars().count() > MAX_ACTING_FIRM_CHARS
            || lex.places.contains(core)
            || ends_a_place(core, lex)
            || lex.organization_generic.iter().any(|g| g == core)
            || lex.sector_words.iter().any(|w| {
                w == name || w == core || name.ends_with(w.as_str()) && w.len() > ending.len()
            })
            || core.chars().any(|c| {
                c.is_ascii_digit() || "一二三四五六七八九十百千万两全各本该我这其".contains(c)
            })
        {
            continue;
        }
        push_once(&mut out, name, run_start + cut);
    }
    out
}

/// Well-known firms listed by their short names (`lexicon.known_firms`: 引进华为、比亚迪等), which
/// no suffix or trade marks as firms. A Latin name (TCL, ABB) counts only as a whole word.
pub fn known_firms(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    let mut out: Vec<FoundEntity> = Vec::new();
    for m in lex.known_firms.find_iter(text) {
        let name = &text[m.start()..m.end()];
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let latin_joined = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if name.starts_with(|c: char| c.is_ascii_alphanumeric())
            && (latin_joined(before) || latin_joined(after))
        {
            continue;
        }
        // only as an item of a list of firms (引进华为、比亚迪等): alone, a brand often names a
        // product or a project's owner (英伟达H20芯片, 潍柴的新项目), which is no firm named
        let listed = matches!(before, Some('、' | '和' | '与' | '及'))
            || matches!(after, Some('、' | '等' | '和' | '与' | '及'));
        if !listed {
            continue;
        }
        push_once(&mut out, name, m.start());
    }
    out
}

/// True when `s` is a run of words from `words` (longest first at each point), or empty.
fn is_made_of(s: &str, words: &[String]) -> bool {
    let mut rest = s;
    while !rest.is_empty() {
        let Some(w) = words
            .iter()
            .filter(|w| !w.is_empty() && rest.starts_with(w.as_str()))
            .max_by_key(|w| w.len())
        else {
            return false;
        };
        rest = &rest[w.len()..];
    }
    true
}

/// The part of a name before its suffix must say which organization it is: at least two
/// characters that are not numerals, not a count (两家银行, 十大集团, 三所大学), not a generic
/// word (科技银行, 人才银行), not a class (检验检测类实验室).
fn plausible_core(core: &str, lex: &Lexicon) -> bool {
    // 万, 千 and 百 are name characters too (万洋集团): only other numerals count as numerals
    let numeral = |c: char| super::cnum::is_numeral_char(c) && !matches!(c, '万' | '千' | '百');
    let numerals = core.chars().filter(|&c| numeral(c)).count();
    let specific = core.chars().count() - numerals;
    // 亚华电子2家上市公司: a count inside says how many firms, not which one
    let counts = core.chars().zip(core.chars().skip(1)).any(|(a, b)| {
        (a.is_ascii_digit() || numeral(a)) && matches!(b, '家' | '个' | '所' | '座' | '批')
    });
    specific >= 2
        && !counts
        && numerals < specific
        && !core.ends_with(['类', '型', '等', '级', '家', '所', '个', '座', '批'])
        // 高科技企业集团, 相关行业协会: a kind of firm or of body, not a name
        && !core.ends_with("企业")
        && !core.ends_with("行业")
        && !lex.organization_generic.iter().any(|g| g == core || g == uncounted(core))
        // 全省上市公司, 全市重点实验室: the firms or bodies of a whole place, none by name
        && !lex.not_zone_words.iter().any(|w| w.starts_with('全') && core.starts_with(w.as_str()))
}

/// `core` without a leading count (两家上市 → 上市, 3所 → ""), to see what kind it names.
fn uncounted(core: &str) -> &str {
    let rest =
        core.trim_start_matches(|c: char| super::cnum::is_numeral_char(c) || c.is_ascii_digit());
    if rest.len() < core.len() {
        rest.trim_start_matches(['家', '个', '所', '座'])
    } else {
        core
    }
}

/// `该金融顾问工作室`, `这家公司`: a reference to an organization named before, not a name.
fn is_back_reference(text: &str, start: usize) -> bool {
    let head = &text[..start];
    ["该", "此", "这家", "这个", "本"]
        .iter()
        .any(|w| head.ends_with(w))
}

/// Where the organization whose suffix starts at `suffix_start` begins: after the last
/// delimiter or stop word before it.
fn org_start(text: &str, suffix_start: usize, lex: &Lexicon) -> Option<usize> {
    let mut start = suffix_start;
    let mut depth = 0i32;
    for (i, c) in text[..suffix_start].char_indices().rev() {
        let ok = match c {
            ')' => {
                depth += 1;
                true
            }
            '(' if depth > 0 => {
                depth -= 1;
                true
            }
            c => is_han(c) || c.is_ascii_alphanumeric(),
        };
        if !ok || text[i..suffix_start].chars().count() > MAX_ORG_CHARS {
            break;
        }
        start = i;
    }
    let head = &text[start..suffix_start];
    // after the last stop word, unless that word ends a place name (成都南辉实业股份有限公司:
    // 都 is a stop word, 成都 a place)
    let mut cut = lex.organization_stop_set.max_end(head).unwrap_or(0);
    // 中国开发区协会, 中国高新区研究中心: a zone word right before the suffix is part of
    // the name, which then starts after the stop word before it
    if cut == head.len() && cut > 0 {
        if let Some(zone_word) = ZONE_WORDS.iter().find(|w| head.ends_with(**w)) {
            cut = lex
                .organization_stop_set
                .max_end(&head[..head.len() - zone_word.len()])
                .unwrap_or(0);
        }
    }
    cut = back_off_places(head, cut, lex);
    // (正星科技股份有限公司, 正道机械公司: nor when the word is one character that would leave
    // a one-character brand before the trade: it is the brand's first character)
    if cut > 0 && leaves_one_char_brand(&head[cut..], lex) {
        let before = &head[..cut];
        let last = before.chars().next_back().map_or(0, char::len_utf8);
        let one_char_word = !lex
            .organization_stops
            .iter()
            .any(|w| w.len() > last && before.ends_with(w.as_str()));
        // (only when the name then opens right after another stop word or the run's start:
        // 引进正英电子, …出炉,正星科技; 园内的某光电 does not reach back past 的)
        let word_start = before.len() - last;
        let earlier = lex
            .organization_stop_set
            .max_end(&before[..word_start])
            .unwrap_or(0);
        if one_char_word && earlier == word_start {
            cut = word_start;
        }
    }
    let s = start + cut;
    // a name does not start with a digit run (2020年东南大学) or a closing bracket
    // (but 3D打印精准医疗研究院 keeps its code)
    let head = &text[s..suffix_start];
    // 6家湖北实验室, 三所研究院: a kind counted, not one body named
    let count = head.len()
        - head
            .trim_start_matches(|c: char| c.is_ascii_digit() || super::cnum::is_numeral_char(c))
            .len();
    if count > 0 && head[count..].starts_with(COUNT_CLASSIFIERS) {
        return None;
    }
    let digits = head.len() - head.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let code = head[digits..].starts_with(|c: char| c.is_ascii_alphabetic());
    let trimmed = if code { head } else { &head[digits..] };
    let trimmed = trimmed.trim_start_matches(')');
    // 重点企业安徽金星钛白(集团)有限公司, 直属开发企业高新股份公司: a short description of
    // the firm before its name (but 上海企业发展…: a place before 企业 starts a name)
    let trimmed = match trimmed.find(FIRM_WORD) {
        Some(k)
            if k > 0
                && trimmed[..k].chars().count() <= MAX_FIRM_DESCRIPTION_CHARS
                && !ends_a_place(&trimmed[..k], lex)
                && trimmed[k + FIRM_WORD.len()..].chars().count() >= MIN_DESCRIBED_NAME_CHARS =>
        {
            &trimmed[k + FIRM_WORD.len()..]
        }
        _ => trimmed,
    };
    // 南至吉林省吉源农业发展集团有限公司, 到园区最南端四川喜之郎食品有限公司: a company's registered
    // name opens on its province; what stands before the province is the sentence's
    let trimmed = if REGISTERED_SUFFIXES
        .iter()
        .any(|s| text[suffix_start..].starts_with(s))
    {
        from_province(trimmed, lex)
    } else {
        trimmed
    };
    Some(suffix_start - trimmed.len())
}

/// Suffixes of a company's registered name, which opens on the place it is registered in.
const REGISTERED_SUFFIXES: [&str; 4] = ["有限公司", "股份有限公司", "有限责任公司", "集团有限公司"];

/// `cut`, the end of the last stop word in `head`, moved back while the word's last
/// character ends a place (成都南辉…: 都 is a stop word, 成都 a place; 大同新研: 同 of 大同): to
/// the end of the stop word before the place, or to the start.
fn back_off_places(head: &str, mut cut: usize, lex: &Lexicon) -> usize {
    while cut > 0 && ends_a_place(&head[..cut], lex) {
        let before = &head[..cut];
        let last = before.chars().next_back().map_or(0, char::len_utf8);
        cut = lex
            .organization_stop_set
            .max_end(&before[..before.len() - last])
            .unwrap_or(0);
    }
    cut
}

/// `head` from the first province named after words of at least
/// [`MIN_WORDS_BEFORE_PROVINCE_CHARS`] characters, when two characters at least follow the
/// province and what comes before ends on no place (中国四川…), no bracket (可口可乐(云南)饮料) and no
/// firm (…集团四川…: a group's provincial company).
fn from_province<'a>(head: &'a str, lex: &Lexicon) -> &'a str {
    head.char_indices()
        .skip(MIN_WORDS_BEFORE_PROVINCE_CHARS)
        .find(|&(i, _)| {
            let before = &head[..i];
            lex.provinces.iter().any(|p| {
                head[i..].starts_with(p.as_str()) && head[i + p.len()..].chars().nth(1).is_some()
            }) && before.chars().all(is_han)
                && !ends_a_place(before, lex)
                && !lex
                    .organization_suffixes
                    .find_iter(before)
                    .any(|m| m.end() == before.len())
        })
        .map_or(head, |(i, _)| &head[i..])
}

/// Fewest characters of words before a province that are cut from a company's name (到园区最南端
/// 四川…; 陕汽新疆汽车有限公司 keeps its brand).
const MIN_WORDS_BEFORE_PROVINCE_CHARS: usize = 4;

/// The word a description of a firm ends with (重点企业).
const FIRM_WORD: &str = "企业";

/// Longest description before [`FIRM_WORD`] cut from a name (直属开发), in characters.
const MAX_FIRM_DESCRIPTION_CHARS: usize = 4;

/// Fewest characters of a name left after its description is cut.
const MIN_DESCRIBED_NAME_CHARS: usize = 4;

/// Measure words of a count before a noun (6家, 三所): what follows is a kind, not a name.
const COUNT_CLASSIFIERS: &[char] = &['家', '个', '所', '座', '批'];

/// Drops the short references of organizations the same text also names in full: 省科学院
/// after 甘肃省科学院 (the place left out), 时变通讯公司 after 湖南时变通讯科技有限公司 (a
/// company by its core), are the same body, not another.
pub fn drop_short_references(orgs: &mut Vec<(String, usize)>) {
    let short: Vec<bool> = orgs
        .iter()
        .map(|(t, _)| {
            let mut longer = orgs.iter().map(|(f, _)| f).filter(|f| f.len() > t.len());
            let place_left_out = t.starts_with(['省', '市', '县'])
                && longer.clone().any(|f| f.ends_with(t.as_str()));
            let company_core = t
                .strip_suffix("公司")
                .filter(|core| !core.ends_with("有限") && !core.is_empty())
                .is_some_and(|core| longer.any(|f| f.contains(core)));
            place_left_out || company_core
        })
        .collect();
    let mut k = 0;
    orgs.retain(|_| {
        k += 1;
        !short[k - 1]
    });
}

/// True when `s` ends with a place name of two or more characters (成都, 首都 is not one).
fn ends_a_place(s: &str, lex: &Lexicon) -> bool {
    s.char_indices()
        .rev()
        .skip(1)
        .take(lex.max_place_chars)
        .any(|(i, _)| lex.places.contains(&s[i..]))
}

/// Bytes after a name searched for a zone suffix that would make it part of a zone's name.
const ZONE_SUFFIX_PEEK_BYTES: usize = 30;

/// People named in `text`: after a job title, before 院士, or as a quote's speaker.
pub fn people(text: &str, lex: &Lexicon) -> Vec<FoundEntity> {
    let mut out: Vec<FoundEntity> = Vec::new();
    let mut push = |name: String, start: usize| {
        if !out.iter().any(|e| e.start == start) {
            out.push(FoundEntity { text: name, start });
        }
    };
    // 副局长李宁, 总经理刘超说
    for m in lex.person_titles.find_iter(text) {
        let mut at = m.end();
        // 县领导徐雪峰、郭鹏、薛剑参加活动: every name of the list after the title
        while let Some(name) = name_at(&text[at..], lex).or_else(|| listed_name(&text[at..], lex)) {
            let end = at + name.len();
            // 我省长沙高新区: a title inside a place, the "name" the start of a zone's
            if lex
                .zone_suffixes
                .find_iter(&text[at..floor_char_boundary(text, end + ZONE_SUFFIX_PEEK_BYTES)])
                .any(|m| m.start() < name.len())
            {
                break;
            }
            push(name, at);
            match text[end..].strip_prefix('、') {
                Some(_) => at = end + '、'.len_utf8(),
                None => break,
            }
        }
    }
    // …”李丹群说, 。陈超表示
    let verbs_here = lex.speech_verb_set.present(text);
    for (k, verb) in lex.speech_verbs.iter().enumerate() {
        if !lex.speech_verb_set.contains(&verbs_here, k) {
            continue;
        }
        let mut from = 0;
        while let Some(p) = text[from..].find(verb.as_str()) {
            let at = from + p;
            from = at + verb.len();
            if let Some((s, name)) = name_before(text, at, lex) {
                let prev = text[..s].chars().next_back();
                // only the few characters before the name can hold its title: a bounded
                // window keeps this linear on pages that are one long line
                let window = floor_char_boundary(text, s.saturating_sub(TITLE_WINDOW_BYTES));
                let after_title = lex
                    .person_titles
                    .find_iter(&text[window..s])
                    .last()
                    .is_some_and(|m| window + m.end() == s);
                if matches!(prev, None | Some('”' | '。' | ',' | '!' | '?' | ' ' | ':'))
                    || after_title
                {
                    push(name, s);
                }
            }
        }
    }
    // 卢秉恒院士, 陈坚、伦世仪两位院士
    let titles_here = lex.person_titles_after_set.present(text);
    for (k, t) in lex.person_titles_after.iter().enumerate() {
        if !lex.person_titles_after_set.contains(&titles_here, k) {
            continue;
        }
        let mut from = 0;
        while let Some(p) = text[from..].find(t.as_str()) {
            let at = from + p;
            from = at + t.len();
            // skip a count between the names and the title (两位, 3位, 等)
            let head = &text[..at];
            let counted = ["两位", "三位", "等"]
                .iter()
                .find_map(|filler| head.strip_suffix(filler))
                .or_else(|| {
                    let h = head.strip_suffix('位')?;
                    let names_end = h.trim_end_matches(|c: char| c.is_ascii_digit());
                    (names_end.len() < h.len()).then_some(names_end)
                });
            // (江西省企业家协会, 和各位企业家: some words name people only after a count)
            if counted.is_none() && lex.person_titles_after_counted.contains(t) {
                continue;
            }
            let mut end = counted
                .or_else(|| head.strip_suffix('位'))
                .unwrap_or(head)
                .len();
            while let Some((s, name)) = name_before(text, end, lex) {
                push(name, s);
                if text[..s].ends_with('、') {
                    end = s - '、'.len_utf8();
                } else {
                    break;
                }
            }
        }
    }
    out.sort_by_key(|e| e.start);
    out
}

/// A 2–3 character name at the start of `s`, the third character dropped when it is a verb
/// or particle (李宁对出台 → 李宁).
fn name_at(s: &str, lex: &Lexicon) -> Option<String> {
    // a verb right after two or three characters ends the name there (蔡军宣布, 张光强介绍):
    // three first, the verb after two characters second
    let cut = |n: usize| {
        let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
        let name = &s[..end];
        let rest = &s[end..];
        // (陈军曾在邮科院工作: a name does not end on a particle or adverb)
        (name.chars().count() == n
            && lex.is_name(name)
            && !given_name_is_a_noun(name)
            && !name.ends_with(|c| NAME_NEVER_ENDS.contains(c))
            && lex
                .name_follow_words
                .iter()
                .any(|w| rest.starts_with(w.as_str())))
        .then(|| name.to_string())
    };
    // (李铭在致辞中: a third character that is itself a word after names ends the name before it)
    let third_follows = s.chars().nth(2).is_some_and(|c| {
        lex.name_follow_words
            .iter()
            .any(|w| w.chars().count() == 1 && w.starts_with(c))
    });
    // (欧阳泽华出席, 上官金龙介绍: a two-character surname and a two-character given name)
    let best = if lex.opens_with_compound_surname(s) {
        cut(4).or_else(|| cut(3))
    } else if third_follows {
        cut(2).or_else(|| cut(3))
    } else {
        cut(3).or_else(|| cut(2))
    };
    if let Some(name) = best {
        return Some(name);
    }
    let chars: Vec<char> = s.chars().take(4).collect();
    if chars.len() < 2
        || !lex.is_surname_char(chars[0])
        || !is_han(chars[1])
        || lex.is_name_stop(chars[1])
    {
        return None;
    }
    // 负责人和一名工作人员: a count of people (一名, 两位) is no given name
    if chars.len() >= 3
        && super::cnum::is_numeral_char(chars[1])
        && PERSON_CLASSIFIERS.contains(chars[2])
    {
        return None;
    }
    // 负责人高兴地对记者说: an adverb (…地) is no name
    if chars.get(2) == Some(&'地') {
        return None;
    }
    if chars.len() >= 3 && is_han(chars[2]) && !lex.is_name_stop(chars[2]) {
        // a fourth Han character that is not a stop means we are inside a longer word
        let name: String = chars[..3].iter().collect();
        return (lex.is_name(&name) && !given_name_is_a_noun(&name)).then_some(name);
    }
    let name: String = chars[..2].iter().collect();
    lex.is_name(&name).then_some(name)
}

/// True when what follows a would-be surname is a noun no given name is (向记者: a preposition
/// before 记者, [`NEVER_GIVEN_NAMES`]).
fn given_name_is_a_noun(name: &str) -> bool {
    let given = name.char_indices().nth(1).map_or("", |(i, _)| &name[i..]);
    NEVER_GIVEN_NAMES.contains(&given)
}

/// Particles and adverbs that never end a given name (陈军曾在…, 游泳等), nor does an
/// academy's 院 (工程院院士): unlike the verbs of `name_stop_chars` (强, 告, 领), which do
/// (张光强).
const NAME_NEVER_ENDS: &str = "曾等的地也都又还就已所被把和与及院";

/// Words after a surname's character that make it a preposition, not a name (向记者介绍,
/// 向中央汇报): no given name is one of them.
const NEVER_GIVEN_NAMES: [&str; 8] = [
    "记者", "中央", "大家", "社会", "全国", "外界", "群众", "媒体",
];

/// Classifiers of a count of people (一名, 两位, 三个).
const PERSON_CLASSIFIERS: &str = "名位个";

/// A name between list delimiters (王向阳 in `郑彦芳、王向阳、王晓明`): the delimiters say where it
/// ends even when a character of it (向) usually ends a name.
fn listed_name(s: &str, lex: &Lexicon) -> Option<String> {
    let end = s.find(['、', ','])?;
    let item = &s[..end];
    lex.is_name(item).then(|| item.to_string())
}

/// A name ending right before byte `at`: 3 characters when they make a name, else 2.
fn name_before(text: &str, at: usize, lex: &Lexicon) -> Option<(usize, String)> {
    let back: Vec<(usize, char)> = text[..at].char_indices().rev().take(3).collect();
    for k in [3usize, 2] {
        if back.len() < k {
            continue;
        }
        let s = back[k - 1].0;
        let cand = &text[s..at];
        // (负责人高兴地对记者说: a name does not end on a particle; 中国工程院院士: nor on the
        // academy a title is of)
        if lex.is_name(cand)
            && !given_name_is_a_noun(cand)
            && !cand
                .chars()
                .next_back()
                .is_some_and(|c| lex.is_name_stop(c) || NAME_NEVER_ENDS.contains(c))
        {
            // the character before a 2-char name must not be a surname-bearing name part
            let prev = text[..s].chars().next_back();
            if k == 2
                && prev.is_some_and(|c| is_han(c) && lex.is_surname_char(c))
                && back.len() >= 3
            {
                continue;
            }
            return Some((s, cand.to_string()));
        }
    }
    None
}

/// Policy titles inside 《》.
pub fn policies(text: &str) -> Vec<FoundEntity> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(o) = super::find_char(&text[from..], '《') {
        let s = from + o + '《'.len_utf8();
        let Some(c) = super::find_char(&text[s..], '》') else {
            break;
        };
        let inner = text[s..s + c].trim();
        let after = &text[s + c + '》'.len_utf8()..];
        // a headline line printed in 《》 is a story's title (《勇立潮头 澎湃向前》)
        let whole_line = text[..s - '《'.len_utf8()].trim().is_empty() && after.trim().is_empty();
        if !inner.is_empty()
            && inner.chars().count() <= 80
            && !is_press_title(inner)
            && !names_a_story(after)
            && !whole_line
        {
            out.push(FoundEntity {
                text: inner.to_string(),
                start: s - '《'.len_utf8(),
            });
        }
        from = s + c + '》'.len_utf8();
    }
    out
}

/// Endings of a paper's or magazine's name in 《》 (《天津日报》, 《科技日报》): a press title,
/// not a policy.
const PRESS_TITLE_ENDINGS: [&str; 17] = [
    "日报",
    "晚报",
    "早报",
    "商报",
    "时报",
    "周报",
    "画报",
    "导报",
    "杂志",
    "周刊",
    "月刊",
    "旬刊",
    "参考报",
    "青年报",
    "快报",
    "法治报",
    "经济报",
];

/// True when a 《》 title names a paper or magazine.
fn is_press_title(inner: &str) -> bool {
    PRESS_TITLE_ENDINGS.iter().any(|e| inner.ends_with(e))
}

/// True when the text after a 《》 title says it headed a story (以《…》《…》等为题): a report's
/// headline, not a policy. Further titles of the list and 等 may stand between.
fn names_a_story(after: &str) -> bool {
    let mut rest = after;
    // (the titles listed after it: each a 《…》 of bounded length)
    for _ in 0..MAX_LISTED_TITLES {
        match rest
            .strip_prefix('《')
            .and_then(|r| r.find('》').map(|c| (r, c)))
        {
            Some((r, c)) if c <= super::TITLE_SPAN_BYTES => rest = &r[c + '》'.len_utf8()..],
            _ => break,
        }
    }
    let rest = rest.trim_start_matches(['、', ' ']);
    let rest = rest.strip_prefix('等').unwrap_or(rest);
    // (《新城崛起》系列报道: a series of reports under that name)
    rest.starts_with("为题") || rest.starts_with("系列报道") || rest.starts_with("专题报道")
}

/// Most titles looked past to find a list's 为题.
const MAX_LISTED_TITLES: usize = 8;

/// Resolves short back-references (《办法》, 《方案》) to an earlier full title ending with them.
pub fn resolve_policy_refs(titles: &mut [FoundEntity]) {
    let full: Vec<String> = titles.iter().map(|t| t.text.clone()).collect();
    for t in titles.iter_mut() {
        if t.text.chars().count() > 4 {
            continue;
        }
        let short = t.text.clone();
        if let Some(f) = full.iter().find(|f| {
            f.chars().count() > short.chars().count() && strip_paren(f).ends_with(short.as_str())
        }) {
            t.text = f.clone();
        }
    }
}

fn strip_paren(s: &str) -> &str {
    match s.rfind('(') {
        Some(i) if s.ends_with(')') => &s[..i],
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: Vec<FoundEntity>) -> Vec<String> {
        v.into_iter().map(|e| e.text).collect()
    }

    #[test]
    fn organizations_with_suffixes() {
        let lex = Lexicon::for_tests();
        // a kind counted is no body named (6家湖北实验室, 三所研究院)
        assert!(organizations("6家湖北实验室高效运行,三所研究院落户。", &lex).is_empty());
        // a ranking's tier and a firm's group of companies are no bodies named
        assert!(organizations("该区在全省考评中综合排名进入第一集团。", &lex).is_empty());
        assert!(organizations("园区紧盯隆基系列公司扩能项目。", &lex).is_empty());
        assert_eq!(
            names(organizations(
                "潍坊高新区新增山东高创物流有限公司、山东中节能天融环保技术有限公司2家省级试点企业",
                &lex
            )),
            ["山东高创物流有限公司", "山东中节能天融环保技术有限公司"]
        );
        assert_eq!(
            names(organizations(
                "桂林高新区管委会与钉钉拍(深圳)技术股份有限公司举行招商会议",
                &lex
            )),
            ["钉钉拍(深圳)技术股份有限公司"]
        );
        assert_eq!(
            names(organizations(
                "8月27日,浙商银行东莞分行与松山湖材料实验室联合开展结对共建",
                &lex
            )),
            ["浙商银行东莞分行", "松山湖材料实验室"]
        );
        assert_eq!(
            names(organizations("在中国光大银行湘潭支行实现放款500万元", &lex)),
            ["中国光大银行湘潭支行"]
        );
    }

    #[test]
    fn organization_names_keep_their_place_and_skip_kinds_of_firms() {
        let lex = Lexicon::for_tests();
        // 都 is a stop word, 成都 a place
        assert_eq!(
            names(organizations(
                "项目分别为:成都远川实业股份有限公司的新厂。",
                &lex
            )),
            ["成都远川实业股份有限公司"]
        );
        assert_eq!(
            names(organizations("双方合资组建湖南星原投资有限公司。", &lex)),
            ["湖南星原投资有限公司"]
        );
        // 正 and 同 are stop words, but 星 and 路 alone are no brands
        assert_eq!(
            names(organizations("名单出炉,正星科技股份有限公司入选。", &lex)),
            ["正星科技股份有限公司"]
        );
        assert_eq!(
            names(organizations("园区引进正道机械公司。", &lex)),
            ["正道机械公司"]
        );
        assert_eq!(
            names(trade_named_lists(
                "项目建成投产。同路生物、小林制药、美欣制药等生物医药企业投产见效。",
                &lex
            )),
            ["同路生物", "小林制药", "美欣制药"]
        );
        // a registered name opens on its province, after words of the sentence (but a brand
        // before the province is the name's)
        assert_eq!(
            names(organizations(
                "从园区最南端四川句芒食品有限公司门前驶过。",
                &lex
            )),
            ["四川句芒食品有限公司"]
        );
        assert_eq!(
            names(organizations("陕汽新疆汽车有限公司的员工正在装配。", &lex)),
            ["陕汽新疆汽车有限公司"]
        );
        // a verb before the name is no part of it
        assert_eq!(
            names(organizations(
                "园区建成航空材料重点实验室,考察组一行深入示例铁合金有限责任公司。",
                &lex
            )),
            ["航空材料重点实验室", "示例铁合金有限责任公司"]
        );
        // (but a stop word before a longer run is still where the name starts)
        assert_eq!(
            names(organizations("园内的某光电有限公司投产。", &lex)),
            ["某光电有限公司"]
        );
        // associations count; a university town, a kind of firm and related trade bodies do not
        assert_eq!(
            names(organizations("由中国园区经济研究会主办,加快提升大学城配套,已组建高科技企业集团6家,联系相关行业协会。", &lex)),
            ["中国园区经济研究会"]
        );
    }

    #[test]
    fn a_bare_company_a_body_named_for_zones_and_no_park_or_generic_lab() {
        let lex = Lexicon::for_tests();
        // 公司 alone ends a name; 上市公司 and 该公司 are no names
        assert_eq!(
            names(organizations(
                "签约企业包括四川蓝湾食品公司,另有两家上市公司和该公司的子公司。",
                &lex
            )),
            ["四川蓝湾食品公司"]
        );
        // a zone word right before the suffix belongs to the name
        assert_eq!(
            names(organizations(
                "报告由中国开发区协会和西部高新区研究中心共同发布。",
                &lex
            )),
            ["中国开发区协会", "西部高新区研究中心"]
        );
        // a university's science park is a place; a kind of lab is no name
        assert_eq!(
            names(organizations(
                "入驻国家大学科技园的团队新建全国重点实验室2个。",
                &lex
            )),
            Vec::<String>::new()
        );
    }

    #[test]
    fn papers_and_the_headlines_of_reports_in_title_marks_are_no_policies() {
        let found = |t: &str| -> Vec<String> { policies(t).into_iter().map(|e| e.text).collect() };
        assert_eq!(
            found("12月6日《滨海日报》以《开放引领发展》《四十年再出发》等为题报道了园区成绩,并解读了《示例高新区促进科技创新若干措施》。"),
            ["示例高新区促进科技创新若干措施"]
        );
        assert!(found("次日《滨海日报》再次以《勇立潮头》为题发表文章。").is_empty());
        assert!(found("《经济参考报》记者获悉,示例商报将推出《新城崛起》系列报道。").is_empty());
        // a headline line in title marks
        assert!(found("《勇立潮头 澎湃向前》").is_empty());
        // a report's 通报 is still a document
        assert_eq!(
            found("印发《关于园区安全检查情况的通报》"),
            ["关于园区安全检查情况的通报"]
        );
    }

    #[test]
    fn a_firm_before_what_its_invested_project_makes_is_a_company() {
        let lex = Lexicon::for_tests();
        let projects = |t: &str| names(project_firms(t, &lex));
        assert_eq!(
            projects(
                "签约总投资6.3亿元的远江钛业20万吨/年钛白后处理、总投资2亿元的常州长盛树脂生产、\
                 总投资2.5亿元的卓越新型环保材料等项目。"
            ),
            ["远江钛业", "常州长盛", "卓越"]
        );
        assert_eq!(
            projects("其中总投资10.5亿元的斯瑞德智慧农业装备研发基地项目开工。"),
            ["斯瑞德"]
        );
        // a firm's regional centre: the firm, not its region
        assert_eq!(
            projects("投资3亿元的中国移动区域数据中心项目落户。"),
            ["中国移动"]
        );
        // what is made, a product's own name, a zone: no firm
        assert!(projects("投资12亿元的现代智慧物流园项目、投资30亿元的新华08项目").is_empty());
        assert!(projects("总投资5亿元的高新区智能制造产业园项目").is_empty());
        assert!(projects("总投资8亿元的年产10万吨新材料项目").is_empty());
        // projects counted: no firm
        assert!(
            projects("全力实施总投资451.3亿元的重点项目135个,总投资157.1亿元的项目70个").is_empty()
        );
    }

    #[test]
    fn a_description_before_a_firm_s_full_name_is_no_part_of_it() {
        let lex = Lexicon::for_tests();
        assert_eq!(
            names(organizations(
                "新材料产业的重点企业安徽示例钛白(集团)有限公司产值增长。直属开发企业高新股份公司完成投资。",
                &lex
            )),
            ["安徽示例钛白(集团)有限公司", "高新股份公司"]
        );
    }

    #[test]
    fn a_short_name_acting_in_its_sentence_is_a_company_a_kind_of_firm_is_not() {
        let lex = Lexicon::for_tests();
        let acting = |t: &str| names(acting_firms(t, &lex));
        // a firm where it acts, or doing so eagerly (…在我国…, …积极拓展…)
        assert_eq!(
            acting("恒力传动在我国风电领域率先上市;智达机器人积极拓展市场。"),
            ["恒力传动", "智达机器人"]
        );
        assert_eq!(acting("今年3月,蜜蜂科技签约落户高新区。"), ["蜜蜂科技"]);
        assert_eq!(
            acting("远帆金属成为全市首家营收破百亿企业;云帆创新获批国家企业技术中心。"),
            ["远帆金属", "云帆创新"]
        );
        // after the words that open a name
        assert_eq!(acting("园区支持飞鸿电气扩大生产。"), ["飞鸿电气"]);
        assert_eq!(
            acting("去年底,经开区的联帆科技年度营收超过1000亿元。"),
            ["联帆科技"]
        );
        // a whole province's listed firms name none
        assert!(names(organizations("其市值位居全省上市公司第一。", &lex)).is_empty());
        // kinds of firms, places, counts, verbs: no names
        assert!(acting("新能源汽车成为全市第一大产业。").is_empty());
        assert!(acting("全市科技实现较快发展,成都科技获评先进。").is_empty());
        assert!(acting("两家电子签约落户,促进科技创新发展。").is_empty());
        // inside a longer run nothing marks where a name would start
        assert!(acting("全区持续推进产业链上下游协同智能制造获批示范").is_empty());
    }

    #[test]
    fn firms_that_lead_a_cluster_or_follow_their_count_are_companies() {
        let lex = Lexicon::for_tests();
        let cluster = |t: &str| names(cluster_firms(t, &lex));
        assert_eq!(
            cluster("已形成以星驰科技、禾穗科技、普思康为龙头的智能终端产业集群。"),
            ["星驰科技", "禾穗科技", "普思康"]
        );
        assert_eq!(
            cluster("以恒锐、远通、南方电气等为代表的专用车产业加快集聚。"),
            ["恒锐", "远通", "南方电气"]
        );
        assert_eq!(
            cluster("去年园区新增3家上市公司:四维光电、中恒通达、康和环球。"),
            ["四维光电", "中恒通达", "康和环球"]
        );
        // sectors, or items none of which says it is a firm, name no firm
        assert!(cluster("形成以冶金、汽车为代表的产业体系。").is_empty());
        assert!(cluster("以太阳能、风能为代表的新能源产业快速发展。").is_empty());
        assert!(cluster("坚持以技术创新为龙头的发展路径。").is_empty());
    }

    #[test]
    fn well_known_firms_listed_by_their_short_names_are_companies() {
        let lex = Lexicon::for_tests();
        let known = |t: &str| names(known_firms(t, &lex));
        // as items of a list; alone, a brand may name a product or a project's owner
        assert_eq!(
            known("园区先后引进华为、比亚迪等龙头企业,宁德时代项目开工。"),
            ["华为", "比亚迪"]
        );
        assert!(known("这批算力设备用的是英伟达H20芯片。").is_empty());
        // the longest name first; a Latin name inside a longer Latin word is none
        assert_eq!(known("吉利汽车和TCL两个项目签约。"), ["吉利汽车", "TCL"]);
        assert!(known("编号ATCL、B7的地块。").is_empty());
        // common words and offices that share a firm's short name are not on the list
        assert!(known("区招商局、财政局负责人介绍,其中粮食产量增长。").is_empty());
    }

    #[test]
    fn a_list_of_brands_by_their_trade_names_companies_however_it_closes() {
        let lex = Lexicon::for_tests();
        let listed = |t: &str| names(trade_named_lists(t, &lex));
        // closed by a semicolon, by 等 and a kind of product, after a colon
        assert_eq!(
            listed("空港园4个:佳铭特汽车电子、麦开食品、大佑农生物;临空区3个。"),
            ["佳铭特汽车电子", "麦开食品", "大佑农生物"]
        );
        assert_eq!(
            listed("中药领域独具特色,维和药业、红云制药等中成药生产加工企业。"),
            ["维和药业", "红云制药"]
        );
        // closed by 分别 and the figures each item takes
        assert_eq!(
            listed("其中,恒远、博华电子、鼎新材料、明川分别增长8.2%、15.6%、20.1%和3.4%。"),
            ["恒远", "博华电子", "鼎新材料", "明川"]
        );
        // a word that opens names before the first item; a short brand among them
        assert_eq!(
            listed("园区引进京东方、晶盛电气、天通电子等项目。"),
            ["京东方", "晶盛电气", "天通电子"]
        );
        // mid-clause, with no such word, the first item's start is unknown: left out
        assert_eq!(
            listed("竣工投运暄洋新材料、沃肯新材料、华科电子等项目。"),
            ["沃肯新材料", "华科电子"]
        );
        // sectors, descriptions and a project's phase are no brands
        assert!(listed("重点发展化工新材料、医药健康、汽车及高端装备。").is_empty());
        assert!(listed("北船重工、曲轴二期等项目正式投产。").is_empty());
        // one trade-named item is not enough to say what the list is
        assert!(listed("签约了恒远电子、物流园、孵化器等项目。").is_empty());
    }

    #[test]
    fn short_names_listed_before_a_kind_of_firm_are_companies_sectors_are_not() {
        let lex = Lexicon::for_tests();
        let listed = |t: &str| names(listed_firms(t, &lex));
        assert_eq!(
            listed("两年来,园区签约落地恒驰、博远医疗、星途等企业36家。"),
            ["恒驰", "博远医疗", "星途"]
        );
        assert_eq!(
            listed("落地企业12家,包括裕丰、金同等行业龙头企业。"),
            ["裕丰", "金同"]
        );
        // where the firms are (三家高新区企业) qualifies them too
        assert_eq!(
            listed("在入围企业中,普恒精电、纽达阀门、施瑞医疗三家高新区企业榜上有名。"),
            ["普恒精电", "纽达阀门", "施瑞医疗"]
        );
        // a trade qualifies the firms too; the verb before the list is no part of a name
        assert_eq!(
            listed("稳固长江本田、神州、长江雷诺等整车企业,壮大恒锐、金泰等新能源企业。"),
            ["长江本田", "神州", "长江雷诺", "恒锐", "金泰"]
        );
        // closed by the count alone
        assert_eq!(
            listed("今年新增恒远、博达电子2家上市公司。"),
            ["恒远", "博达电子"]
        );
        assert!(listed("园区引进了软件、物流3家公司").is_empty());
        // closed by a count of a kind (四大整车企业) or in 户
        assert_eq!(
            listed("整车环节集聚了恒驰、博远、星途三大整车企业及7家专用车厂。"),
            ["恒驰", "博远", "星途"]
        );
        assert_eq!(
            listed("其中恒远电器、博达电气等8户企业增速在45%以上。"),
            ["恒远电器", "博达电气"]
        );
        // a list closed by 等 and qualifiers before 企业; one name only with its count
        assert_eq!(
            listed("90年代涌现了星湖味精、风华高科等一批全国知名企业。"),
            ["星湖味精", "风华高科"]
        );
        assert_eq!(
            listed("现代化工厂鳞次栉比。三一重工、东风汽车等一大批工业企业在这里布局。"),
            ["三一重工", "东风汽车"]
        );
        assert_eq!(
            listed("规模壮大。远航动力等4家企业入选领军企业,海川光学等10家企业入选。"),
            ["远航动力", "海川光学"]
        );
        // a ranking among the qualifiers (世界500强) and a Latin name in the list
        assert_eq!(
            listed("园区先后引进巴斯夫、ABB、施耐德等世界500强企业投资项目40余个。"),
            ["巴斯夫", "ABB", "施耐德"]
        );
        // several names before a count, qualifiers and a sector (等9户规模以上大数据企业)
        assert_eq!(
            listed("新增乐信技术、梦工天地、高远世德等9户规模以上大数据企业。"),
            ["乐信技术", "梦工天地", "高远世德"]
        );
        // a list of projects named by their firms: the names that end with a trade
        assert_eq!(
            listed("上半年,新(扩)建的汇丰环保、晶盛电子、联合机械等27个项目实现达产。"),
            ["汇丰环保", "晶盛电子", "联合机械"]
        );
        assert_eq!(
            listed("重点在谈中新海电子、优视界、金海电子等智能制造项目28个。"),
            ["新海电子", "金海电子"]
        );
        assert!(listed("加快推进综合能源、智慧能源等一批重大项目。").is_empty());
        assert!(listed("以贷款贴息、股权投资等方式支持企业").is_empty());
        assert!(listed("2021年,区域内8家头部企业产值超500亿元,共上报7家企业。").is_empty());
        // a visit's list: the verb before the first name, and a park among the firms
        assert_eq!(
            listed("考察团先后到瑞贝卡发制品、森源电气、氢能装备产业园等重点企业参观。"),
            ["瑞贝卡发制品", "森源电气"]
        );
        assert_eq!(
            listed("其中,远航动力、海川重工等4家企业入选。"),
            ["远航动力", "海川重工"]
        );
        // industries, and firms named with their product, are no short names
        assert!(listed("加大云计算、大数据、人工智能等企业引进力度").is_empty());
        assert!(listed("示例冰箱、远景汽车零部件等8家企业的项目投产").is_empty());
        // a firm's short name may end with a sector's word (星河半导体); in a list of projects
        // it may be the project's trade (华光光电、百泰神州等一批重大项目)
        assert_eq!(
            listed("先后引进星河半导体、友嘉国际、航远科技等一批企业。"),
            ["星河半导体", "友嘉国际", "航远科技"]
        );
        assert!(listed("推动华光光电、百泰神州等一批重大项目开工。").is_empty());
        // a place that ends on a stop word's character opens the first name (大同: 同), and
        // world-class or representative firms are firms
        assert_eq!(
            listed("聚集了大同新研、雄韬氢雄等一批科技企业。"),
            ["大同新研", "雄韬氢雄"]
        );
        assert_eq!(
            listed("拥有远航重科、海川重工等世界级企业。"),
            ["远航重科", "海川重工"]
        );
        assert_eq!(
            listed("拥有远航量子、海川量子等代表性企业。"),
            ["远航量子", "海川量子"]
        );
        // the firm's country is no part of its short name
        assert_eq!(
            listed("韩国恒星、法国佛达、美国德拓等一批世界500强企业相继落户。"),
            ["恒星", "佛达", "德拓"]
        );
        // a count inside the part before the suffix names no firm
        assert!(names(organizations("新增远航、亚光电子2家上市公司。", &lex)).is_empty());
        // 万 is a name's character, 两家 a count
        assert_eq!(
            names(organizations("万洋集团总裁出席,两家集团参加。", &lex)),
            ["万洋集团"]
        );
    }

    #[test]
    fn lists_closed_by_a_count_in_jia_and_lists_after_their_kind_name_firms() {
        let lex = Lexicon::for_tests();
        let found = |t: &str| names(counted_and_apposed_firms(t, &lex));
        assert_eq!(
            found("其中,恒源电子、科达药业、蓝海科技等4家申报材料已获受理。"),
            ["恒源电子", "科达药业", "蓝海科技"]
        );
        assert_eq!(
            found("示范区与中国农科院、南山农大等30余家高校院所合作。"),
            ["中国农科院", "南山农大"]
        );
        assert_eq!(
            found("鼓励现有龙头企业恒尔化学、美泰科技、禾西普等增加研发投入。"),
            ["恒尔化学", "美泰科技", "禾西普"]
        );
        // zones, media, and lists of firms closed by 企业 (listed_firms reads those)
        assert!(found("济南高新区、郑州高新区等5家入选。").is_empty());
        assert!(found("人民日报、光明日报等10余家中央级媒体来访。").is_empty());
        assert!(found("恒远、博达等8家企业投产。").is_empty());
        // after a kind with no qualifier, a list of a firm's traits
        assert!(found("企业盈利能力、国际化水平、节能降耗等方面领先。").is_empty());
    }

    #[test]
    fn items_listed_beside_a_found_firm_are_firms() {
        let lex = Lexicon::for_tests();
        let found = |t: &str, known: &[&str]| {
            let known: Vec<(String, usize)> = known.iter().map(|n| (n.to_string(), 0)).collect();
            names(coordinated_firms(t, &known, &lex))
        };
        assert_eq!(
            found(
                "先后引进了吉利、隆基、华天科技等一批重大产业项目。",
                &["华天科技"]
            ),
            ["吉利", "隆基"]
        );
        // no firm found in the list: nothing is inferred
        assert!(found(
            "先后引进了吉利、隆基、华天科技等一批重大产业项目。",
            &["示例集团"]
        )
        .is_empty());
        // a list with a sector, a zone or a project's phase is no list of firms
        assert!(found("华天科技、新能源汽车产业等领域。", &["华天科技"]).is_empty());
        assert!(found("华天科技、济南高新区等单位。", &["华天科技"]).is_empty());
        assert!(found("华天科技、柯瑞机械二期等项目。", &["华天科技"]).is_empty());
    }

    #[test]
    fn kinds_of_firms_are_no_names_and_verbs_end_the_name_before_it() {
        let lex = Lexicon::for_tests();
        let orgs = |t: &str| names(organizations(t, &lex));
        // kinds of firms and of funds, whatever stands before them
        assert!(orgs("吸引越来越多跨国公司落户,强化上市公司培育,支持拟上市公司。").is_empty());
        assert!(orgs("这些公司都设立了股权基金和产业发展基金。").is_empty());
        assert!(orgs("园区集聚了一批知名跨国公司和光谷上市公司。").is_empty());
        // a verb, or 其, right before 公司 is no name (按约定公司将…, 其子公司)
        assert!(orgs("双方约定公司将在园区投资建厂,其子公司负责运营。").is_empty());
        assert!(orgs("项目符合公司发展战略,园区将给予公司政策支持。").is_empty());
        // factories of a trade are bodies; 现代化工厂 and 转化工厂 are no 化工厂
        assert_eq!(
            orgs("示范卷烟厂和东郊煤气厂扩建。"),
            ["示范卷烟厂", "东郊煤气厂"]
        );
        assert!(orgs("建成现代化工厂和产业转化工厂。").is_empty());
        // but a body named after them is one
        assert_eq!(
            orgs("他是中国示范跨国公司研究会的会员。"),
            ["中国示范跨国公司研究会"]
        );
        // a verb before the name is no part of it
        assert_eq!(
            orgs("该基地荣获中国示范协会授牌,要深入挖掘南江农业大学的人才资源。"),
            ["中国示范协会", "南江农业大学"]
        );
        assert_eq!(
            orgs("作为一级供应商江苏恒跃科技股份有限公司,获示范证券业协会认可。"),
            ["江苏恒跃科技股份有限公司", "示范证券业协会"]
        );
    }

    #[test]
    fn a_short_reference_to_a_body_named_in_full_is_dropped() {
        let mut orgs = vec![
            ("湖北省农业科学院".to_string(), 3),
            ("省农业科学院".to_string(), 40),
            ("省建投集团".to_string(), 60),
            ("浙江云帆智造科技有限公司".to_string(), 80),
            ("云帆智造公司".to_string(), 120),
        ];
        drop_short_references(&mut orgs);
        let kept: Vec<&str> = orgs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            kept,
            ["湖北省农业科学院", "省建投集团", "浙江云帆智造科技有限公司"]
        );
    }

    #[test]
    fn a_list_of_names_after_a_title_and_a_verb_that_ends_a_name() {
        let lex = Lexicon::for_tests();
        // 在 after a three-character name ends it, though 强 of 强调 often ends a name
        assert_eq!(
            names(people("前不久,市委书记张晓峰在一家单位调研。", &lex)),
            ["张晓峰"]
        );
        assert_eq!(
            names(people("前不久,市委书记张小强在一家单位调研。", &lex)),
            ["张小强"]
        );
        assert_eq!(
            names(people("区领导陈立峰、唐明、许嘉文参加开工仪式。", &lex)),
            ["陈立峰", "唐明", "许嘉文"]
        );
        // the delimiters end a listed name that holds a character which usually ends one (向)
        assert_eq!(
            names(people(
                "市领导周红、李向东、孙明,市政协秘书长蔡强参加。",
                &lex
            )),
            ["周红", "李向东", "孙明", "蔡强"]
        );
        // 市级领导 lists the city's leaders as 市领导 does
        assert_eq!(
            names(people("市级领导周明华、陈志刚、刘芳出席仪式。", &lex)),
            ["周明华", "陈志刚", "刘芳"]
        );
        // the verb after the name decides its length
        assert_eq!(
            names(people("管委会主任郑凯宣布项目开工。", &lex)),
            ["郑凯"]
        );
        assert_eq!(
            names(people(
                "据示范区党工委书记林光强介绍,园区已有企业80家。",
                &lex
            )),
            ["林光强"]
        );
        assert_eq!(
            names(people("来自江西的工人梁永发在现场绑扎钢筋。", &lex)),
            ["梁永发"]
        );
        // a third character that is itself a word after names (在) ends a two-character name
        assert_eq!(
            names(people(
                "区委副书记、代区长李铭在致辞中指出,园区发展迅速。",
                &lex
            )),
            ["李铭"]
        );
        // 接受 and 解释 after a name end it
        assert_eq!(
            names(people("管委会副主任徐枋接受记者采访。", &lex)),
            ["徐枋"]
        );
        assert_eq!(
            names(people("管委会主任韩东解释说,这是园区的新目标。", &lex)),
            ["韩东"]
        );
        // a speaker's name does not end on a particle (负责人高兴地对记者说)
        assert!(!names(people(
            "“这是一场及时雨。”众创空间负责人高兴地对记者说。",
            &lex
        ))
        .contains(&"高兴地".to_string()));
    }

    #[test]
    fn a_particle_a_count_of_people_or_an_adverb_after_a_title_is_no_name() {
        let lex = Lexicon::for_tests();
        // 曾 (once) ends a name, it is no part of it; 强 still is (张小强 above)
        assert_eq!(
            names(people("科技公司董事长刘海曾在研究所工作多年。", &lex)),
            ["刘海"]
        );
        assert!(people("一名项目负责人和一名工作人员陪同。", &lex).is_empty());
        assert!(people("园区负责人高兴地介绍新项目。", &lex).is_empty());
        // the academy before 院士 is no name's end; the academician after it is the name
        assert_eq!(
            names(people("由中国工程院院士程建国团队提供技术支撑。", &lex)),
            ["程建国"]
        );
        assert_eq!(
            names(people("项目指挥部副总指挥罗建军介绍了进度。", &lex)),
            ["罗建军"]
        );
    }

    #[test]
    fn a_title_inside_a_place_names_nobody() {
        let lex = Lexicon::for_tests();
        assert!(people("在国家高新区中,我省长沙高新区排名第16名", &lex).is_empty());
        assert_eq!(people("副省长李一宁出席", &lex)[0].text, "李一宁");
    }

    #[test]
    fn people_after_titles_quotes_and_before_academician() {
        let lex = Lexicon::for_tests();
        // a two-character surname and a two-character given name; staff and partners
        assert_eq!(
            names(people("省政协副主席欧阳泽华出席活动并致辞。", &lex)),
            ["欧阳泽华"]
        );
        assert_eq!(
            names(people("项目负责人上官金龙介绍,园区今年将投产。", &lex)),
            ["上官金龙"]
        );
        assert_eq!(
            names(people("示例高新区科技局工作人员赵世森介绍。", &lex)),
            ["赵世森"]
        );
        // a preposition before a noun is no name (向 is a surname too)
        assert!(names(people("工作人员向记者介绍着园区的新产品。", &lex)).is_empty());
        // a rarer surname, and a title after the name
        assert_eq!(
            names(people("国家主席习近平6日下午看望了委员。", &lex)),
            ["习近平"]
        );
        assert_eq!(
            names(people("要挑大梁。”习近平总书记3月5日下午参加审议。", &lex)),
            ["习近平"]
        );
        // 不 of 不禁 is no name's character
        assert_eq!(
            names(people(
                "公共事务部总监白涛不禁感慨:“当年签约,当年投产。”",
                &lex
            )),
            ["白涛"]
        );
        assert_eq!(
            names(people(
                "广州高新区行政审批局副局长李宁对出台的政策作重点介绍。",
                &lex
            )),
            ["李宁"]
        );
        assert_eq!(
            names(people(
                "抢出宝贵的时间。”广州旭妆生物科技有限公司副总经理李丹群说。",
                &lex
            )),
            ["李丹群"]
        );
        assert_eq!(
            names(people("“惟改革者进。”陈超表示,接下来", &lex)),
            ["陈超"]
        );
        assert_eq!(names(people("卢秉恒院士牵头建设", &lex)), ["卢秉恒"]);
        // a rarer surname of the shipped list (惠)
        assert_eq!(
            names(people("市委书记惠立成下达开工令。", &lex)),
            ["惠立成"]
        );
        assert_eq!(
            names(people("以江南大学陈坚、伦世仪两位院士团队领衔", &lex)),
            ["陈坚", "伦世仪"]
        );
        // a count of people closes a list of names before a word for them
        assert_eq!(
            names(people(
                "聘请瞿欢欢、卢军、米仁兵3位企业家为招商大使。",
                &lex
            )),
            ["瞿欢欢", "卢军", "米仁兵"]
        );
        // without a count the word names a body or addresses a room
        assert!(people("江西省企业家协会成立。开发区和各位企业家座谈。", &lex).is_empty());
        // the leaders of a zone's committee, listed after their title
        assert_eq!(
            names(people("管委会领导刘明华、杨明瑞出席。", &lex)),
            ["刘明华", "杨明瑞"]
        );
    }

    #[test]
    fn policy_back_references() {
        let mut p = policies("《贵阳国家高新区科技型中小企业贷款风险补偿资金池管理办法(试行)》正式出台。上述《办法》分为总则");
        resolve_policy_refs(&mut p);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].text, p[1].text);
    }
}
