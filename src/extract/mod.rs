//! Stage 5: extraction. Turns an article draft into an [`Article`] with its zones, figures
//! and entities, every one traced back to its span in the source.

pub mod cnum;
pub mod dates;
pub mod entities;
pub mod figures;
pub mod labels;
pub mod measures;
pub mod periods;
pub mod relations;
pub mod zones;

use std::collections::BTreeMap;

use crate::lexicon::{is_han, Lexicon};
use crate::model::{Article, Entity, EntityKind, Figure, Published, ZoneMention, ZoneRef};
use crate::normalize::{NormalizedPage, SourceText};
use crate::segment::{ArticleDraft, Role};

/// How far before a figure (in characters) a direction word still applies to it.
const MAX_DIRECTION_DISTANCE: usize = 10;

/// Sentence-final punctuation for the `sentence` column.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';' | '\n')
}

pub(crate) use crate::lexicon::{find_char, rfind_char};

/// Bytes before a position searched for an open 《 (policy titles are at most 80 characters).
pub(crate) const TITLE_SPAN_BYTES: usize = 400;

/// True when byte `pos` lies inside a 《title》 (a policy's name, where a year is a plan's
/// term and a suffix no organization). Looks back a bounded span, so asking it of every
/// match in a long text stays linear.
pub(crate) fn inside_title(text: &str, pos: usize) -> bool {
    let from = crate::lexicon::floor_char_boundary(text, pos.saturating_sub(TITLE_SPAN_BYTES));
    let head = &text[from..pos];
    match (rfind_char(head, '《'), rfind_char(head, '》')) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Extracts one article.
/// The one zone a page's stories name, if they name exactly one: what a story on the same
/// page that names none but refers to a zone bare (高新区) is about.
pub fn sole_zone_named(
    page: &NormalizedPage,
    drafts: &[ArticleDraft],
    lex: &Lexicon,
) -> Option<ZoneRef> {
    let mut sole: Option<ZoneRef> = None;
    for seg in drafts.iter().flat_map(|d| &d.segments) {
        for z in zones::find_zones(page.block_text(seg.block), lex)
            .into_iter()
            .filter_map(|z| z.zone)
        {
            match &sole {
                Some(s) if s.name != z.name => return None,
                Some(_) => {}
                None => sole = Some(z),
            }
        }
    }
    sole
}

pub fn extract_article(
    page: &NormalizedPage,
    src: &SourceText<'_>,
    draft: &ArticleDraft,
    seq: usize,
    published: Option<Published>,
    page_zone: &dyn Fn() -> Option<ZoneRef>,
    lex: &Lexicon,
) -> Article {
    let title = draft.title_text(page);
    let subtitle = draft.subtitle().map(|b| page.block_text(b).to_string());
    let paragraphs: Vec<String> = draft
        .body()
        .map(|b| page.block_text(b).to_string())
        .collect();

    let mut zones: Vec<ZoneRef> = Vec::new();
    let mut zone_mentions: Vec<ZoneMention> = Vec::new();
    let mut title_zone: Option<usize> = None;
    // the kind of zone (canonical suffix) a title names bare (高新区接下来这么干)
    let mut title_bare: Option<&str> = None;
    let mut figures: Vec<Figure> = Vec::new();
    let mut orgs: Vec<(String, usize)> = Vec::new();
    let mut persons: Vec<(String, usize)> = Vec::new();
    let mut policy_found: Vec<(String, usize)> = Vec::new();

    // zones first: figures are attributed to the zone their sentence is about
    let mut seg_zones: Vec<Vec<(usize, Option<usize>)>> = Vec::new();
    // where each segment names zones as a group (国家高新区, 全省高新区)
    let mut seg_groups: Vec<Vec<usize>> = Vec::new();
    // bare mentions (该经开区, 省级以上经开区): their segment, their place in its mentions,
    // where they stand in the page and their kind
    let mut bare_mentions: Vec<(usize, usize, usize, &str)> = Vec::new();
    let texts: Vec<&str> = draft
        .segments
        .iter()
        .map(|seg| page.block_text(seg.block))
        .collect();
    let mut found: Vec<Vec<zones::FoundZone>> =
        texts.iter().map(|t| zones::find_zones(t, lex)).collect();
    zones::promote_unplaced(&texts, &mut found, lex);
    zones::unify_place_qualified(&mut found, lex);
    zones::expand_abbreviations(&texts, &mut found, lex);
    // 武汉经济技术开发区… / 武汉开发区现已拥有… / 开发区将大力支持…: the word for zones in
    // general, where it names neither a zone nor a group, refers back to the zone named
    let bare_references = zones::expand_place_references(&texts, &mut found, lex);
    let refers_back = !bare_references.is_empty();
    for ((seg, text), found_here) in draft.segments.iter().zip(&texts).zip(found) {
        let mut here: Vec<(usize, Option<usize>)> = Vec::new();
        let mut groups = Vec::new();
        // 咸宁高新区黄冈高新区晋升国家级, 咸宁高新区、黄冈高新区…: zones named side by side in a
        // title, with at most a list mark between, are what it is about together, not one
        // (only a title's zones are looked at)
        let spans: Vec<(usize, usize)> = if seg.role == Role::Title {
            found_here
                .iter()
                .filter(|z| z.zone.is_some())
                .map(|z| (z.start, z.end))
                .collect()
        } else {
            Vec::new()
        };
        let side_by_side = |start: usize, end: usize| {
            let touches = |a: usize, b: usize| {
                a == b
                    || text
                        .get(a..b)
                        .is_some_and(|gap| ["、", "和", "与", "及", " "].contains(&gap))
            };
            spans
                .iter()
                .any(|&(s, e)| (s, e) != (start, end) && (touches(end, s) || touches(e, start)))
        };
        for z in found_here {
            if z.group {
                // (洛阳高新区是1992年经国务院批准设立的国家级高新区: a group after a zone named
                // in its clause is said of that zone)
                let window = crate::lexicon::floor_char_boundary(
                    text,
                    z.start.saturating_sub(GROUP_CLAUSE_BYTES),
                );
                let clause_from = zones::clause_start(text, window, z.start, GROUP_CLAUSE_STOPS);
                let named_before = here
                    .iter()
                    .rev()
                    .take_while(|&&(at, _)| at >= clause_from)
                    .any(|&(_, idx)| idx.is_some());
                if !named_before
                    && !zones::is_comparison_set(text, z.start, z.end, lex)
                    && !zones::is_status(text, z.start, lex)
                {
                    groups.push(z.start);
                }
                continue;
            }
            if let Some(kind) = z.kind.and_then(|k| lex.zone_suffix_canon.get(k)) {
                if seg.role == Role::Title && title_bare.is_none() {
                    title_bare = Some(kind);
                }
                let abs = seg.block.start + z.start;
                bare_mentions.push((seg_zones.len(), here.len(), abs, kind));
            }
            let idx = z.zone.map(|zr| {
                zones
                    .iter()
                    .position(|k| k.name == zr.name)
                    .unwrap_or_else(|| {
                        zones.push(zr);
                        zones.len() - 1
                    })
            });
            if let Some(i) = idx {
                let abs = seg.block.start + z.start;
                zone_mentions.push(ZoneMention {
                    zone: i,
                    span: page.source_span(abs, seg.block.start + z.end),
                    norm_start: abs,
                });
                if seg.role == Role::Title
                    && title_zone.is_none()
                    && !paired_in_title(text, z.start, &zones[i].name, lex)
                    && !side_by_side(z.start, z.end)
                {
                    title_zone = Some(i);
                }
            }
            // 全省16家高新区(不含新增的黄山、六安和亳州高新区)共实现…: a zone left out of the
            // group is no subject a figure could be of
            if !in_exclusion(text, z.start, lex) {
                here.push((z.start, idx));
            }
        }
        seg_zones.push(here);
        seg_groups.push(groups);
    }
    // an article that opens on a group of zones (1-5月国家高新区实现营业收入…, 近日,不少国家高新区
    // 公布了…) before naming any one of them is about the group: the zones it then quotes are
    // examples. The opening is the title, else the first sentence of the body.
    // (聚力“主引擎” 跑出“加速度” / ——全省开发区项目建设活力涌动: a title that names neither a
    // zone nor a group leaves the opening to its deck)
    // the opening: the title, else the first paragraph (its first sentence)
    let title_seg = draft
        .segments
        .iter()
        .position(|seg| seg.role == Role::Title);
    let first = title_seg.or_else(|| draft.segments.iter().position(|seg| seg.role == Role::Body));
    // segment `i`'s text and where its opening ends: a whole heading, else the first sentence
    let opening = |i: usize| {
        let text = page.block_text(draft.segments[i].block);
        let end = if title_seg.is_some() {
            text.len()
        } else {
            text.find('。').unwrap_or(text.len())
        };
        (text, end)
    };
    let opens_on_group = || {
        let deck = title_seg
            .filter(|&t| seg_groups[t].is_empty() && seg_zones[t].is_empty())
            .and_then(|_| {
                draft
                    .segments
                    .iter()
                    .position(|seg| seg.role == Role::Subtitle)
            });
        first.into_iter().chain(deck).any(|i| {
            let (text, end) = opening(i);
            let group = seg_groups[i].iter().copied().filter(|&g| g < end).min();
            let zone = seg_zones[i]
                .iter()
                .filter(|(_, idx)| idx.is_some())
                .map(|&(at, _)| at)
                .min();
            // in a title the group is its subject, after at most a time (1-5月国家高新区…),
            // not an object (山东再添国家级经济技术开发区 is about the one added)
            let subject = |g: usize| {
                let head = &text[..g];
                let head = head.rfind([':', ',', ' ']).map_or(head, |i| &head[i + 1..]);
                // (四川省10个国家级经开区…: a province's zones are a group too)
                let head = lex
                    .provinces
                    .iter()
                    .find_map(|p| head.strip_prefix(p.as_str()))
                    .map_or(head, |rest| rest.strip_prefix('省').unwrap_or(rest));
                title_seg.is_none()
                    || head
                        .chars()
                        .all(|c| c.is_ascii_digit() || GROUP_LEAD_CHARS.contains(c))
            };
            // (共有53家国家级高新区入榜,北京中关村科技园区、上海张江高新区…分列一二三: a zone the
            // opening then lists with places that are no zones is one of the group's)
            // (我区新增3家自治区级高新区: a title that counts the zones it is about and names
            // none of them is about them all, the group being its object)
            let counted = |g: usize| {
                let head = &text[..g];
                let head = lex
                    .group_prefixes
                    .iter()
                    .find_map(|p| head.strip_suffix(p.as_str()))
                    .unwrap_or(head);
                zones::counted(text, head.len())
            };
            group.is_some_and(|g| {
                (subject(g) || (title_seg.is_some() && zone.is_none() && counted(g)))
                    && zone.is_none_or(|z| g < z)
                    && zone.is_none_or(|z| z >= end || in_mixed_list(text, z))
            })
        })
    };
    // a title that names its zone bare (高新区接下来这么干!) is about the one zone of that kind
    // the article names (苏州高新区 once, beside a 浒墅关经开区 named three times)
    if title_zone.is_none() {
        title_zone = title_bare.and_then(|kind| only_zone_of_kind(&zones, kind));
    }
    // a zone named once in a long text, never in its title nor referred to again (肇庆 加快建设
    // …门户城市, a feature on a city that names 肇庆高新区 in one sentence) is a zone the
    // article passes by, not the one it is about
    // (but a zone named in brackets after a body's name is that body's other name, which the
    // article is about: 中国(云南)自由贸易试验区昆明片区(昆明经开区)…)
    let lead = draft
        .segments
        .iter()
        .find(|seg| seg.role == Role::Body)
        .map(|seg| seg.block);
    // (近年来,南宁高新区…: after a time at most)
    let opens_lead_sentence = |at: usize| {
        lead.is_some_and(|b| {
            (b.start..b.end).contains(&at) && {
                let before = &page.text[b.start..at];
                // (the stop may be one byte: NFKC folds ! ? ; to ASCII)
                let head = before
                    .char_indices()
                    .rfind(|&(_, c)| matches!(c, '。' | '!' | '?' | ';'))
                    .map_or(before, |(i, c)| &before[i + c.len_utf8()..]);
                let rest = periods::strip_leading_time(head.trim_start()).trim_end();
                // (1月18日,在河北保定高新技术产业开发区,…: the place the lead's event is held)
                let rest = lex
                    .provinces
                    .iter()
                    .find_map(|p| rest.strip_suffix(p.as_str()))
                    .unwrap_or(rest);
                let rest = rest.strip_suffix('在').unwrap_or(rest);
                // (or a short adverbial set off by a comma: 近年来, 目前, 据悉)
                rest.is_empty()
                    || (rest.ends_with(',')
                        && rest.chars().count() <= MAX_OPENING_ADVERBIAL_CHARS + 1
                        && !rest[..rest.len() - ','.len_utf8()].contains(','))
            }
        })
    };
    let in_first_lead_sentence = |at: usize| {
        lead.is_some_and(|b| {
            (b.start..b.end).contains(&at)
                && !page.text[b.start..at].contains(['。', '!', '?', ';'])
        })
    };
    let passed_by = |z: usize| {
        zone_mentions.iter().filter(|m| m.zone == z).count() == 1
            && bare_mentions.is_empty()
            && !refers_back
            && !zone_mentions
                .iter()
                .any(|m| m.zone == z && page.text[..m.norm_start].ends_with('('))
            // (南宁·中关村科技园(…)…。南宁高新区深入贯彻…: a zone that opens a sentence of the
            // lead paragraph is the subject the article starts from)
            // (and 6年前,在哈尔滨市松北区,刚规划出的哈尔滨高新技术产业开发区“科技创新城”…: nor is
            // the zone the lead's first sentence is set in)
            && !zone_mentions.iter().any(|m| {
                m.zone == z
                    && (opens_lead_sentence(m.norm_start) || in_first_lead_sentence(m.norm_start))
            })
            && draft
                .segments
                .iter()
                .filter(|seg| seg.role == Role::Body)
                .map(|seg| page.block_text(seg.block).chars().count())
                .sum::<usize>()
                >= LONE_MENTION_BODY_CHARS
    };
    // 我市举行2023年春季重点项目集中开工活动, 9月20日,遂宁市投资环境推介会暨项目签约仪式…: an
    // opening whose subject is a city, a county or a province as a whole, naming no zone, is
    // about that place
    let opens_on_place = || {
        first.is_some_and(|i| {
            let (text, end) = opening(i);
            if seg_zones[i]
                .iter()
                .any(|&(at, idx)| at < end && idx.is_some())
            {
                return false;
            }
            // (12月2日,天水市委副书记、市长王军率项目观摩组到开发区检查…: the city's leaders at
            // the zone the article names, which the opening calls just 开发区)
            if zones.len() == 1 && bare_references.iter().any(|&(s, at)| s == i && at < end) {
                return false;
            }
            let opening = periods::strip_leading_time(text[..end].trim_start());
            // (四地获批升级为国家级经开区, 多地…: places counted, several of them)
            let counted_places = {
                let digits = opening
                    .chars()
                    .take_while(|&c| {
                        c.is_ascii_digit() || cnum::is_numeral_char(c) || matches!(c, '多' | '几')
                    })
                    .count();
                digits > 0 && opening.chars().nth(digits) == Some('地')
            };
            counted_places
                || lex
                    .place_subjects
                    .iter()
                    .any(|w| opening.starts_with(w.as_str()))
                || opens_with_city_or_province(&text[..end], lex)
        })
    };
    let opens_the_lead = |z: usize| {
        zone_mentions.iter().any(|m| {
            m.zone == z && opens_lead_sentence(m.norm_start) && in_first_lead_sentence(m.norm_start)
        })
    };
    let mut article_zone = title_zone.or_else(|| {
        if opens_on_group() || opens_on_place() {
            return None;
        }
        let (top, count, second) = top_mentions(&zone_mentions, zones.len())?;
        // a roundup of several zones (常州高新区 … 武进高新区 …, 1-5月国家高新区 … 济南高新区 …)
        // is about none of them: the zone an untitled-by-zone article is about is named at
        // least twice as often as any other, or (烟台经济技术开发区荣获…。… 烟台高新区…) more
        // often than any other and the one the lead's first sentence opens on, the subject
        // the article starts from
        ((count >= 2 * second && !passed_by(top)) || (count > second && opens_the_lead(top)))
            .then_some(top)
    });
    // a zone's own site (来源:岳阳经济技术开发区) calls its zone just 经开区: an article that
    // names no zone but refers to one bare is about the zone that published it
    // (我区召开… on the zone's own site is the same reference)
    // (asked only of an article that names no zone and has a publisher: the scan is not free)
    let bare_reference = || {
        seg_zones.iter().flatten().any(|&(_, idx)| idx.is_none())
            || draft
                .segments
                .iter()
                .any(|seg| page.block_text(seg.block).contains("我区"))
    };
    // (the site's name over the headline says it as well: 如皋高新技术产业开发区(…))
    if zones.is_empty() && (draft.source.is_some() || draft.site.is_some()) && bare_reference() {
        let publisher = [draft.source.as_deref(), draft.site.as_deref()]
            .into_iter()
            .flatten()
            .find_map(|src| zones::find_zones(src, lex).into_iter().find_map(|z| z.zone));
        if let Some(z) = publisher {
            zones.push(z);
            article_zone = Some(0);
        }
    }
    // (on a page of briefs that names one zone, a brief that says 高新区 bare is that zone's)
    if zones.is_empty() && !bare_mentions.is_empty() {
        if let Some(z) = page_zone().filter(|z| {
            bare_mentions
                .iter()
                .any(|&(.., kind)| z.name.ends_with(kind))
        }) {
            zones.push(z);
            article_zone = Some(0);
        }
    }
    // a bare mention stands for the zone of its kind named last before it (苏州高新区… /
    // 浒墅关经开区…; 在全省省级以上经开区…排名28位 is 浒墅关经开区's), else the one zone of its
    // kind the article names; the figures of its sentence are that zone's
    // (most articles have none: their mentions are used as they are)
    let mut seg_resolved = std::borrow::Cow::Borrowed(&seg_zones);
    for &(seg_no, nth, abs, kind) in &bare_mentions {
        let resolved = zone_mentions
            .iter()
            .rev()
            .find(|m| m.norm_start < abs && zones[m.zone].name.ends_with(kind))
            .map(|m| m.zone)
            .or_else(|| only_zone_of_kind(&zones, kind));
        if let Some(entry) = seg_resolved.to_mut()[seg_no].get_mut(nth) {
            entry.1 = resolved;
        }
    }
    let titles_in_article: Vec<String> = draft
        .segments
        .iter()
        .flat_map(|seg| entities::policies(page.block_text(seg.block)))
        .map(|e| e.text)
        .collect();

    let about_ranking = |sentence: &str| {
        lex.ranking_words
            .iter()
            .any(|w| sentence.contains(w.as_str()))
    };
    // the year the article's ranking is for: 2016年度 in a sentence about a ranking
    let ranking_year = draft.segments.iter().find_map(|seg| {
        let text = page.block_text(seg.block);
        text.match_indices("年度").find_map(|(at, _)| {
            let year = text[..at].get(at.checked_sub(4)?..)?;
            let y: i32 = year.parse().ok()?;
            let (ss, se) = sentence_bounds(text, at, at);
            ((1949..=2100).contains(&y) && about_ranking(&text[ss..se])).then(|| year.to_string())
        })
    });

    for (((seg, here), groups), resolved) in draft
        .segments
        .iter()
        .zip(&seg_zones)
        .zip(&seg_groups)
        .zip(seg_resolved.iter())
    {
        let text = page.block_text(seg.block);
        let base = seg.block.start;
        let mut prev_end = 0;
        // what the current sentence says of time, read once per sentence (a page that is
        // one long sentence stays linear): its bounds, whether it holds a time expression
        // at all, and whether it is about a ranking (when the article names a ranking year)
        let mut sentence_time: Option<((usize, usize), bool, bool)> = None;
        // the period a sentence of this paragraph opened with (今年前4月,开发区完成…), which
        // dates the figures of the paragraph's later sentences that state no time of their
        // own (五大工业园实现产值105.2亿元)
        let mut paragraph_period: Option<String> = None;
        // the last measure named in the current sentence, which a bare growth, share or change
        // takes (营收10.26万亿元,同比增长7.3%; 兩年平均增長8.2% after a rank and a duration)
        let mut last_in_sentence: Option<((usize, usize), String)> = None;
        // whether the figure's sentence is about shares, read once per sentence
        let mut shares_in: Option<((usize, usize), bool)> = None;
        let found = figures::find_figures(text, lex);
        let roles = relations::pair_roles(text, &found, lex);
        // A、B和C分别增长x、y、z: each figure of the list takes its own subject
        let mut respective: Vec<Option<(String, std::ops::Range<usize>)>> = vec![None; found.len()];
        let mut k = 0;
        while k < found.len() {
            match labels::respective_labels(text, &found, k, lex) {
                Some(list) => {
                    let n = list.labels.len();
                    for (slot, l) in respective[k..k + n].iter_mut().zip(list.labels) {
                        *slot = Some((l, list.verb.clone()));
                    }
                    k += n;
                }
                None => k += 1,
            }
        }
        let respective_zones = respective_zones(text, here, &found);
        for (k, f) in found.iter().cloned().enumerate() {
            let (ss, se) = sentence_bounds(text, f.start, f.end);
            let sentence = text[ss..se].trim().to_string();
            let respective_verb = respective[k].as_ref().map(|(_, verb)| verb.clone());
            // 比重达到31.5%和27.2%: a figure that goes on a list (no words of its own)
            // measures what the one before it does
            let mut label = match respective[k].take() {
                Some((l, _)) => l,
                None => match figures.last().filter(|_| continues_list(text, &found, k)) {
                    Some(prev) => prev.label.clone(),
                    None => labels::label(text, &f, prev_end, lex),
                },
            };
            if roles[k] == Some(crate::model::Role::After) {
                // 审批时限由18个工作日缩短为1个工作日: the "after" side measures the same thing
                if let Some(prev) = figures.last() {
                    label = format!("{}{}", prev.label, &text[found[k - 1].end..f.start]);
                }
            }
            let clause_from = text[..f.start]
                .char_indices()
                .rev()
                .find(|&(_, c)| matches!(c, ',' | '。' | ';' | ':' | '\n'))
                .map(|(i, c)| i + c.len_utf8())
                .unwrap_or(0)
                .max(ss)
                .max(prev_end.min(f.start));
            // the label's zones, once: 169家国家高新区 (a count of zones in general is about no
            // single zone) and 兰州高新区18.3% (a label that is only a zone's name, below)
            let label_zones = zones::find_zones(&label, lex);
            // (a place in a ranking of zones is still the zone's: 进入前30强的国家级经开区,
            // 稳居全国218家国家级经开区第17位; but 排名前20位的高新区 are the others)
            let top_of_list = text[..f.start].ends_with('前') || text[f.start..].starts_with('前');
            let zones_place =
                f.unit_kind == "rank" && (text[f.start..f.end].ends_with('强') || !top_of_list);
            let counts_zones_in_general = !zones_place
                && !label_zones.is_empty()
                && label_zones.iter().all(|z| z.zone.is_none());
            // 全省规上工业增加值增长9.1%: the label's subject is the province, not the zone
            // (but 占全市的比重 is the zone's share)
            let subject = trim_start_word(
                trim_start_word(trim_start_word(&label, "同期"), "同比"),
                "其中",
            );
            // (…占全市入选总数的62%,全省12% / 是全省的155倍,全市的11倍: a label that is only
            // the scope, with no measure of its own, is the comparison's second term, and the
            // figure is still the zone's; but 全国2000余家开发区 counts the country's)
            let comparison = matches!(f.unit_kind.as_str(), "percent" | "ratio");
            // (厦门火炬高新区2021年全国排名第14位: a rank's 全国 is where it ranks, not what)
            // (较全国、全省、全市分别高10.4、6.2、6.3个百分点: the items after the first keep only
            // the scope and the comparison's verb, and the gap is still the zone's)
            let beyond_zones = f.unit_kind != "rank"
                && lex.not_zone_words.iter().any(|w| {
                    subject.strip_prefix(w.as_str()).is_some_and(|rest| {
                        !(comparison
                            && matches!(rest.trim(), "" | "的" | "高" | "低" | "快" | "慢"))
                    })
                });
            // 1-5月,国家高新区实现营业收入12.35万亿元…;净利润7265亿元: figures of a sentence about
            // zones as a group (and naming no zone after them) are about no single zone
            let (ps, _) = period_sentence_bounds(text, ss, se);
            let last_zone = here
                .iter()
                .map(|&(p, _)| p)
                .filter(|&p| p >= ps && p < f.start)
                .max();
            // (a rank places a zone among a group: 在全国169家国家高新区综合评价中上升至71位)
            // (16家开发区参评: a count right before the group counts the group)
            // (长沙高新区创建于1988年,是首批国家级高新区,园区聚集企业3000余家: a group the named
            // zone is said to belong to is its predicate, not the sentence's subject)
            let about_group = f.unit_kind != "rank"
                && (groups.contains(&f.end)
                    || groups
                        .iter()
                        .filter(|&&p| p >= ps && p < f.start)
                        .max()
                        .is_some_and(|&g| {
                            last_zone.is_none_or(|z| z < g)
                                && !(last_zone.is_some() && is_membership_clause(text, ps, g))
                        }));
            // 西宁市17日举行…,102个项目集中签约: a sentence whose subject is a city or a
            // province by name, with no zone named before the figure, is about that place
            // (去年,全县共引进…项目14个: a sentence opening on the county, city or province as a
            // whole is about it too)
            // (…记者从省发展改革委获悉,河南省第一批36个…: or the figure's clause opens on it)
            // (近日,湖北省正式发布…153家企业: a vague time may stand before the subject; only
            // for a figure's sentence: an article opening 近日,某市… is still the zone's)
            // (呼和浩特经开区已开复工5项,扎兰屯市已开复工2项,清水河县已开复工3项: a clause of
            // its own that opens on another place is that place's, whatever zone the sentence
            // named first)
            // (包头多角度…推动…,现已落地永磁电机项目14个: a city by its bare name, too)
            let sentence_about_place = !named_in(here, ss..f.start) && {
                let subject = after_vague_time(&text[ss..f.start], lex);
                opens_with_city_or_province(subject, lex)
                    || opens_with_bare_city(subject, lex)
                    || opens_with_scope(&text[ss..f.start], lex)
            };
            // (广州高新区、广州市黄埔区联合发布…,黄埔区每年安排…: not a place the sentence named
            // with its zone before)
            let named_with_zone = |place: &str| {
                text[ss..clause_from].contains(place) && named_in(here, ss..clause_from)
            };
            let clause_about_place = clause_from > ss
                && !named_in(here, clause_from..f.start)
                && city_or_province_opening(&text[clause_from..f.start], lex)
                    .is_some_and(|place| !named_with_zone(place));
            let about_place = sentence_about_place || clause_about_place;
            // 成为国家级九个农业示范区其中之一: a count of the set the zone is one of
            // (a bounded reach: this runs for every count)
            let one_of_a_set = f.unit_kind == "count" && {
                let after = &text
                    [f.end..crate::lexicon::floor_char_boundary(text, f.end + ONE_OF_REACH_BYTES)];
                after
                    .split([',', '。', ';', ':', '\n'])
                    .next()
                    .is_some_and(|clause| clause.ends_with("之一"))
            };
            // 在全国97家综合保税区中排名第15, 占全市总量36家, 广东全省共有172家企业入选: a count
            // right after the country, the province or the city as a whole counts that scope's
            // set, not the zone's (a bounded look back: this runs for every count)
            let scope_count = f.unit_kind == "count" && {
                let from = crate::lexicon::ceil_char_boundary(
                    text,
                    f.start
                        .saturating_sub(SCOPE_COUNT_REACH_BYTES)
                        .max(clause_from),
                );
                let before = &text[from..f.start];
                before.contains('全')
                    && lex.count_scopes.iter().any(|w| {
                        before.rfind(w.as_str()).is_some_and(|i| {
                            let link = &before[i + w.len()..];
                            (link.is_empty() || lex.count_scope_links.iter().any(|l| l == link))
                                && !lex
                                    .count_scope_verbs
                                    .iter()
                                    .any(|v| text[..from + i].ends_with(v.as_str()))
                        })
                    })
            };
            // 五华区第一批项目开工…。该区力争…加快74项在建续建重点项目: 该区 goes back to the
            // district the sentence before opened on, when no zone was named since
            let anaphor_of_place = || {
                ss > 0
                    && !named_in(here, ss..f.start)
                    && lex
                        .zone_anaphors
                        .iter()
                        .any(|w| text[ss..f.start].contains(w.as_str()))
                    && {
                        let prev = sentence_start_before(text, ss);
                        !named_in(here, prev..ss)
                            && opens_with_city_or_province(&text[prev..ss], lex)
                    }
            };
            // 当天,该市…等13个总投资62亿元的项目也正式开工: the city the sentence refers back
            // to, with no zone named after it (but 占该市的比重 is the zone's share)
            // (该市工业园区完成工业增加值88.1亿元,同比增长21.36%;实现主营业务收入385.8亿元: the
            // clauses after it and after a semicolon go on about the same subject; a share in
            // the figure's own clause, 占该市的比重, is still the zone's)
            let place_anaphor = f.unit_kind != "rank" && {
                let head = &text[ps..f.start];
                head.contains('该')
                    && lex.place_anaphors.iter().any(|w| {
                        head.rfind(w.as_str()).is_some_and(|i| {
                            let own_clause_share = comparison && ps + i >= clause_from;
                            !named_in(here, ps + i..f.start) && !own_clause_share
                        })
                    })
            };
            // 天通股份16日收于10.80元,下跌2.17%: a sentence about a company's shares
            let about_shares = match shares_in {
                Some((bounds, v)) if bounds == (ss, se) => v,
                _ => {
                    let v = lex.market_words.any_in(&text[ss..se]);
                    shares_in = Some(((ss, se), v));
                    v
                }
            };
            // 兰白两区预计完成地区生产总值1436亿元, 苏南五市全社会研发投入…: places counted
            // as a whole, with no zone named after them
            let about_counted_places = counted_places_end(&text[ss..f.start])
                .is_some_and(|end| !named_in(here, ss + end..f.start));
            // 庆祝改革开放40周年, 新中国成立75周年: an anniversary whose clause names no area
            // (区, 园, 基地) is the country's or an institution's, not the zone's (设区四周年,
            // 高新区成立22周年, 奉贤园十周年, 示范基地揭牌3周年 are the zone's)
            let others_anniversary = text[..f.end].ends_with("周年") && {
                let head = &text[clause_from..f.start];
                !head.contains(['区', '园']) && !head.contains("基地")
            };
            // 评价体系包括…等5个一级指标, 此次考核从…五个方面: the dimensions of an assessment,
            // counted, describe its method, not a zone (五项一级指标均进入前列, in 项, is what the
            // zone achieved)
            let assessment_dimensions = f.unit_kind == "count"
                && f.unit == "个"
                && lex
                    .dimension_nouns
                    .iter()
                    .any(|w| text[f.end..].starts_with(w.as_str()))
                && lex
                    .assessment_words
                    .iter()
                    .any(|w| text[ss..se].contains(w.as_str()));
            // 占南宁市(36家)的50%, 占全省(公示3619家)10%: a count in brackets after the whole a
            // share is taken of is that whole's total, not the zone's
            let whole_total = f.unit_kind == "count" && {
                let head = &text[clause_from..f.start];
                head.rfind('(').is_some_and(|open| {
                    let inside = &head[open + 1..];
                    let whole = &head[..open];
                    inside.chars().count() <= MAX_TOTAL_LABEL_CHARS
                        && inside.chars().all(crate::lexicon::is_han)
                        && whole.rfind('占').is_some_and(|at| {
                            let w = &whole[at + '占'.len_utf8()..];
                            lex.count_scopes.iter().any(|s| s == w)
                                || w.strip_suffix(['市', '省'])
                                    .is_some_and(|p| is_city_or_province(p, lex))
                        })
                })
            };
            let zone = if counts_zones_in_general
                || assessment_dimensions
                || whole_total
                || about_shares
                || about_counted_places
                || others_anniversary
                || beyond_zones
                || about_group
                || about_place
                || one_of_a_set
                || scope_count
                || place_anaphor
                || anaphor_of_place()
            {
                None
            } else if let Some(z) = respective_zones[k] {
                // 兰州、白银高新区…分别位列第65名和第128名: each figure its own zone
                Some(z)
            } else if let Some((p, z)) =
                sentence_mention(text, resolved, ss, se, f.start, article_zone)
            {
                // 其他县区和宝鸡高新区、宝鸡港务区299个项目: a zone listed with other places is
                // one of a group
                // 与莱芜高新区同年启动的滨州开发区,…地区生产总值将突破100亿元: an area that is
                // no zone, named after the zone and before the figure, is what the figure is of
                // 镇江、淮安两家经开区…双双跻身全国30强: a figure after a list of zones (and no
                // 分别 to share it out) is the list's
                (!in_mixed_list(text, p)
                    && !follows_zone_list(text, resolved, p)
                    && !other_area_between(text, p, f.start, &zones[z].name, lex))
                .then_some(z)
            } else if let Some(z) =
                anaphor_zone(&text[ps..f.start], resolved, ps, article_zone, lex)
            {
                // 乌鲁木齐高新区…。现在,该区有国家级高新技术企业176家: 该区 is the zone named last
                Some(z)
            } else if let Some(z) = paragraph_subject(text, here, ss) {
                // 威海高新区前三季度经济延续了…。初步核算,前三季度,该区生产总值增长9.2%
                Some(z)
            } else if let Some(title) = policy_subject(&text[ss..f.start], &titles_in_article) {
                // a sentence about a plan (《阿拉善盟…实施方案》提出10项措施) is about the zone the
                // plan names, or about no zone when it names none
                zones::find_zones(&title, lex)
                    .into_iter()
                    .find_map(|z| z.zone)
                    .and_then(|zr| zones.iter().position(|k| k.name == zr.name))
            } else if paragraph_about_place(text, here, ss, lex) {
                // 2019年,全省16家高新区实现工业总产值9735.4亿元…。区内注册企业62645家: the
                // paragraph goes on about the province, not the article's zone
                None
            } else {
                article_zone
            };
            let span = page.source_span(base + f.start, base + f.end);
            let role = roles[k];
            // the direction of a pair is stated between its two figures (缩短为)
            let direction_text = match role {
                Some(crate::model::Role::Before) => &text[f.end..found[k + 1].start],
                Some(crate::model::Role::After) => &text[found[k - 1].end..f.start],
                // 分别增长6.5%、8.3%: the shared verb gives every figure of the list its direction
                None => match respective_verb {
                    Some(verb) => &text[verb],
                    None => {
                        // a direction word stands close before its figure (同比增长12%)
                        let near = text[clause_from..f.start]
                            .char_indices()
                            .rev()
                            .take(MAX_DIRECTION_DISTANCE)
                            .take_while(|&(_, c)| c != '、')
                            .last()
                            .map_or(f.start, |(i, _)| clause_from + i);
                        &text[near..f.start]
                    }
                },
            };
            let change = relations::change_in(direction_text, lex);
            let previous = match &last_in_sentence {
                Some((bounds, key)) if *bounds == (ss, se) => Some(key.as_str()),
                _ => None,
            };
            // (兰州高新区18.3%、白银高新区15.6%): a label that is only a zone's name says whose
            // figure it is, not what it measures; the figure breaks down the one before it
            let label_is_zone = match label_zones.as_slice() {
                [z] => z.zone.is_some() && z.start == 0 && z.end == label.len(),
                _ => false,
            };
            let (measure_key, stat) = measures::classify(
                lex,
                &measures::FigureContext {
                    unit: &f.unit,
                    unit_kind: &f.unit_kind,
                    raw_text: &text[f.start..f.end],
                    arabic: f.arabic,
                    paired: role.is_some(),
                    direction: change,
                    direction_text,
                    label: if label_is_zone { "" } else { &label },
                    clause: if label_is_zone {
                        ""
                    } else {
                        &text[clause_from..f.start]
                    },
                    sentence_head: &text[ss..f.start],
                    // up to the next figure at most: 5个方面累计推出28条改革措施
                    after: clause_after(
                        &text[..found.get(k + 1).map_or(text.len(), |n| n.start)],
                        f.end,
                    ),
                    previous,
                },
            );
            let measure_key = match (measure_key, previous) {
                (None, Some(prev)) if label_is_zone && f.unit_kind != "rank" => {
                    Some(prev.to_string())
                }
                (key, _) => key,
            };
            match (&measure_key, &last_in_sentence) {
                (Some(key), _) => last_in_sentence = Some(((ss, se), key.clone())),
                (None, Some((bounds, _))) if *bounds != (ss, se) => last_in_sentence = None,
                _ => {}
            }
            // a time dates the whole sentence, past its semicolons (1-5月,营业收入12.35万亿元,
            // 同比增长8.13%;净利润7265亿元,同比增长8.78%)
            let (ps, pe) = period_sentence_bounds(text, ss, se);
            let (has_time, ranking) = match sentence_time {
                Some((bounds, t, r)) if bounds == (ps, pe) => (t, r),
                _ => {
                    let sentence = &text[ps..pe];
                    let t = periods::mentions_time(sentence);
                    let r = ranking_year.is_some() && about_ranking(sentence);
                    sentence_time = Some(((ps, pe), t, r));
                    if t {
                        if let Some(opening) = periods::leading_time(sentence.trim_start()) {
                            paragraph_period = periods::period_before(opening, published);
                        }
                    }
                    (t, r)
                }
            };
            let period = if has_time {
                periods::period_of(&text[ps..pe], f.start - ps, published)
            } else {
                paragraph_period.clone()
            };
            let period = match (period, &ranking_year) {
                (None, Some(year)) if ranking => Some(year.clone()),
                (period, _) => period,
            };
            prev_end = f.end;
            figures.push(Figure {
                value: f.value,
                value_max: f.value_max,
                unit: f.unit,
                unit_kind: f.unit_kind,
                qualifier: f.qualifier,
                label,
                measure_key,
                stat,
                zone,
                raw_text: src.slice(span).to_string(),
                sentence,
                span,
                arabic: f.arabic,
                role,
                change,
                period,
            });
        }
        for e in entities::policies(text) {
            policy_found.push((e.text, page.source_char(base + e.start)));
        }
        if seg.role == Role::Body {
            for e in entities::organizations(text, lex) {
                orgs.push((e.text, page.source_char(base + e.start)));
            }
            for e in entities::listed_firms(text, lex)
                .into_iter()
                .chain(entities::acting_firms(text, lex))
                .chain(entities::project_firms(text, lex))
                .chain(entities::cluster_firms(text, lex))
                .chain(entities::counted_and_apposed_firms(text, lex))
                .chain(entities::trade_named_lists(text, lex))
            {
                if !orgs.iter().any(|(t, _)| *t == e.text) {
                    orgs.push((e.text, page.source_char(base + e.start)));
                }
            }
            // the other items of a list that holds a firm found so far
            for e in entities::coordinated_firms(text, &orgs, lex) {
                if !orgs.iter().any(|(t, _)| *t == e.text) {
                    orgs.push((e.text, page.source_char(base + e.start)));
                }
            }
            // a well-known firm by its short name, unless it is part of a name found
            // (华为 in 华为技术有限公司)
            for e in entities::known_firms(text, lex) {
                if !orgs.iter().any(|(t, _)| t.contains(e.text.as_str())) {
                    orgs.push((e.text, page.source_char(base + e.start)));
                }
            }
            for e in entities::people(text, lex) {
                persons.push((e.text, page.source_char(base + e.start)));
            }
        }
    }
    entities::drop_short_references(&mut orgs);
    let mut policy_refs: Vec<entities::FoundEntity> = policy_found
        .iter()
        .map(|(t, s)| entities::FoundEntity {
            text: t.clone(),
            start: *s,
        })
        .collect();
    entities::resolve_policy_refs(&mut policy_refs);
    let policies: Vec<(String, usize)> =
        policy_refs.into_iter().map(|e| (e.text, e.start)).collect();

    let mut entity_list = Vec::new();
    let zone_names: Vec<(String, usize)> = zone_mentions
        .iter()
        .map(|m| (zones[m.zone].name.clone(), m.span.start))
        .collect();
    for (kind, found) in [
        (EntityKind::Zone, zone_names),
        (EntityKind::Organization, orgs),
        (EntityKind::Person, persons),
        (EntityKind::Policy, policies),
    ] {
        entity_list.extend(tally(kind, found));
    }

    Article {
        seq,
        title,
        subtitle,
        authors: draft.authors.clone(),
        published: draft.published.or(published),
        paragraphs,
        zones,
        zone: article_zone,
        zone_mentions,
        figures,
        entities: entity_list,
    }
}

/// `s.trim_start_matches(w)` without building a substring searcher.
fn trim_start_word<'a>(mut s: &'a str, w: &str) -> &'a str {
    if w.is_empty() {
        return s;
    }
    while let Some(rest) = s.strip_prefix(w) {
        s = rest;
    }
    s
}

/// The full title of the last 《policy》 named in a sentence head, back-references (《办法》)
/// resolved against the article's titles.
fn policy_subject(head: &str, titles: &[String]) -> Option<String> {
    let last = entities::policies(head).pop()?;
    let mut refs = vec![last];
    let mut all: Vec<entities::FoundEntity> = titles
        .iter()
        .map(|t| entities::FoundEntity {
            text: t.clone(),
            start: 0,
        })
        .collect();
    all.append(&mut refs);
    entities::resolve_policy_refs(&mut all);
    all.pop().map(|e| e.text)
}

/// What may stand before a group of zones that is a title's subject: a time (1-5月, 前三季度,
/// 上半年), a count (156个国家高新区) and words for "all of" (全国, 全省, 各).
/// Bytes after a count searched for the 之一 that ends its clause (about 40 characters).
const ONE_OF_REACH_BYTES: usize = 120;
/// Longest label before a whole's total in brackets (占全省(公示3619家)), in characters.
const MAX_TOTAL_LABEL_CHARS: usize = 4;

/// How far before a count its scope (`[zones] count_scopes`) and link are looked for.
const SCOPE_COUNT_REACH_BYTES: usize = 24;

/// Bytes before a group of zones searched for a zone named in its clause (about 65 characters).
const GROUP_CLAUSE_BYTES: usize = 200;

/// The punctuation that ends that clause: a colon, `!` or `?` does not (narrower than the
/// clause stops of `zones`).
const GROUP_CLAUSE_STOPS: &[char] = &[',', '。', ';', '\n'];

/// What may stand before a group of zones that is a title's subject: a time, a count, a
/// scope or a batch (1-5月国家高新区…, 全省高新区…, 首批国家农高区…, 第二批…).
const GROUP_LEAD_CHARS: &str = "-—~至年月季度前上下半一二三四五六七八九十全国省市各地个家首第批";

/// The article's one zone of a kind (its canonical suffix, 高新区), if it names exactly one.
fn only_zone_of_kind(zones: &[ZoneRef], kind: &str) -> Option<usize> {
    let mut of_kind = (0..zones.len()).filter(|&z| zones[z].name.ends_with(kind));
    match (of_kind.next(), of_kind.next()) {
        (Some(z), None) => Some(z),
        _ => None,
    }
}

/// `兰州白银国家高新区综合排名进位`: another zone's place right before a title's zone, with no
/// mark between, makes the title about the pair (兰州高新区 and 白银高新区), not about the one
/// whose place touches the suffix.
fn paired_in_title(title: &str, place_start: usize, zone: &str, lex: &Lexicon) -> bool {
    let Some(canon) = lex
        .zone_suffix_canon
        .iter()
        .filter(|c| zone.ends_with(c.as_str()))
        .max_by_key(|c| c.len())
    else {
        return false;
    };
    let Some(aliases) = lex.gazetteer_alias_by_suffix.get(canon) else {
        return false;
    };
    let before = &title[..place_start];
    (2..=lex.max_alias_chars.min(MAX_PAIRED_PLACE_CHARS)).any(|n| {
        let Some((i, _)) = before.char_indices().rev().nth(n - 1) else {
            return false;
        };
        let place = &before[i..];
        place.chars().all(is_han)
            && aliases
                .get(place)
                .and_then(|&g| lex.gazetteer.get(g))
                .is_some_and(|g| g.zone.name != zone)
    })
}

/// Longest place looked for before a title's zone to find the pair it is part of.
const MAX_PAIRED_PLACE_CHARS: usize = 4;

/// Body length, in characters, from which a zone the text names only once is not what the
/// article is about (a short item naming its zone once is about it: 上半年曾都规模工业产值超百亿).
const LONE_MENTION_BODY_CHARS: usize = 500;

/// The zone mentioned most often (ties: the first seen), with how often it and the
/// runner-up are mentioned; `None` when no zone is.
fn top_mentions(mentions: &[ZoneMention], n: usize) -> Option<(usize, usize, usize)> {
    let mut counts = vec![0usize; n];
    for m in mentions {
        counts[m.zone] += 1;
    }
    let top = (0..n)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .filter(|&i| counts[i] > 0)?;
    let second = (0..n)
        .filter(|&i| i != top)
        .map(|i| counts[i])
        .max()
        .unwrap_or(0);
    Some((top, counts[top], second))
}

/// Longest stretch after a figure, in characters, read for what it measures (7%以上的平均增速).
const MAX_AFTER_CHARS: usize = 16;

/// The text after a figure up to the end of its clause, at most [`MAX_AFTER_CHARS`] long.
fn clause_after(text: &str, from: usize) -> &str {
    let rest = &text[from..];
    let end = rest
        .char_indices()
        .take(MAX_AFTER_CHARS)
        .find(|&(_, c)| matches!(c, ',' | '。' | ';' | ':' | '、' | '\n' | '!' | '?'))
        .map(|(i, _)| i)
        .unwrap_or_else(|| {
            rest.char_indices()
                .nth(MAX_AFTER_CHARS)
                .map_or(rest.len(), |(i, _)| i)
        });
    &rest[..end]
}

/// How far, in characters, a figure's sentence reaches on each side of it. A longer sentence
/// is cut to this reach (at a clause mark when one is near the cut), so every figure costs
/// the same however long its sentence: a page that is one 760 KB sentence holds ten thousand
/// figures, which would otherwise each walk and copy the whole of it.
pub const SENTENCE_REACH: usize = 400;

/// Marks a sentence cut short at its reach may end or start at.
fn is_clause_mark(c: char) -> bool {
    matches!(c, ',' | '、' | ':' | ' ')
}

/// The byte range of the sentence holding `[s, e)`, at most [`SENTENCE_REACH`] characters
/// on each side of it.
fn sentence_bounds(text: &str, s: usize, e: usize) -> (usize, usize) {
    let mut start = None;
    let mut before = text[..s].char_indices().rev();
    let mut last_clause = None;
    for (i, c) in before.by_ref().take(SENTENCE_REACH) {
        if is_sentence_end(c) {
            start = Some(i + c.len_utf8());
            break;
        }
        if is_clause_mark(c) {
            last_clause = Some(i + c.len_utf8());
        }
    }
    let start = start.unwrap_or_else(|| match before.next() {
        None => 0,
        // cut: from the clause mark farthest from the figure, else at the reach
        Some((i, c)) => last_clause.unwrap_or(i + c.len_utf8()),
    });
    let mut end = None;
    let mut after = text[e..].char_indices();
    let mut last_clause = None;
    for (i, c) in after.by_ref().take(SENTENCE_REACH) {
        if is_sentence_end(c) {
            end = Some(e + i + c.len_utf8());
            break;
        }
        if is_clause_mark(c) {
            last_clause = Some(e + i + c.len_utf8());
        }
    }
    let end = end.unwrap_or_else(|| match after.next() {
        None => text.len(),
        Some((i, _)) => last_clause.unwrap_or(e + i),
    });
    // keep a closing quote that follows the full stop
    let end = if text[end..].starts_with('”') {
        end + '”'.len_utf8()
    } else {
        end
    };
    (start, end)
}

/// True when a sentence's head, after its time or opener, opens on the country or a whole
/// province, city or county (`not_zone_words`: 我国, 全县, 全市…).
fn opens_with_scope(head: &str, lex: &Lexicon) -> bool {
    // this runs for every figure: most sentence heads hold no 全 (nor 我国)
    if !head.contains('全') && !head.contains("我国") {
        return false;
    }
    let opening = periods::strip_leading_time(after_source_lead(head.trim_start()));
    let opening = opening.strip_prefix("其中,").unwrap_or(opening);
    // (报告显示,我国园区发展…: after an opener and its comma)
    let opening = after_vague_time(opening, lex);
    lex.not_zone_words
        .iter()
        .any(|w| opening.starts_with(w.as_str()))
}

/// True when a zone mention of `here` (byte offsets in the text) starts within `range`.
/// Where the last group of places counted in `head` ends (`兰白两区`, `苏南五市`, `长株潭三市`:
/// two characters of a name, a numeral of two to ten, then 市, 区 or 县), `None` when it counts
/// none. A name that holds a numeral itself (`两带三区`) is a slogan's parts, not places.
fn counted_places_end(head: &str) -> Option<usize> {
    let named = |c: char| is_han(c) && !cnum::is_numeral_char(c);
    // the three characters before each one, read once without copying the head
    let mut last = None;
    let mut window = ['\0'; 3];
    for (at, c) in head.char_indices() {
        if matches!(c, '市' | '区' | '县')
            && "两三四五六七八九十".contains(window[2])
            && named(window[0])
            && named(window[1])
        {
            last = Some(at + c.len_utf8());
        }
        window = [window[1], window[2], c];
    }
    last
}

fn named_in(here: &[(usize, Option<usize>)], range: std::ops::Range<usize>) -> bool {
    here.iter().any(|&(p, _)| range.contains(&p))
}

/// `head` after a vague time it opens with and its comma (近日, 日前: `[zones] vague_times`;
/// or another opener, 据了解, 此外: `[zones] sentence_openers`), else `head`.
fn after_vague_time<'a>(head: &'a str, lex: &Lexicon) -> &'a str {
    after_vague_time_comma(head, lex).unwrap_or(head)
}

/// What follows the vague time `head` opens with and its comma (`近年来,` of a sentence, not a
/// headline), `None` when it opens on none.
pub(crate) fn after_vague_time_comma<'a>(head: &'a str, lex: &Lexicon) -> Option<&'a str> {
    let trimmed = head.trim_start();
    lex.vague_times
        .iter()
        .chain(&lex.sentence_openers)
        .find_map(|w| trimmed.strip_prefix(w.as_str()))
        .or_else(|| after_years_up_to_now(trimmed))
        .and_then(|rest| rest.strip_prefix(','))
}

/// What follows the span of years up to now that `s` opens with (`五年来`, `近3年来`, `多年来`,
/// `十年间`), `None` when it opens on none.
fn after_years_up_to_now(s: &str) -> Option<&str> {
    let s = s.strip_prefix('近').unwrap_or(s);
    let count = s
        .char_indices()
        .find(|&(_, c)| {
            !(c.is_ascii_digit() || cnum::is_numeral_char(c) || matches!(c, '多' | '几'))
        })
        .map_or(s.len(), |(i, _)| i);
    if count == 0 {
        return None;
    }
    ["年来", "年以来", "年间"]
        .iter()
        .find_map(|w| s[count..].strip_prefix(w))
}

/// True when `head` (a sentence up to a figure) opens, after a time at most, with a place named
/// as a city or a province: 西宁市, 湖北省 (a bare 西宁 may be the zone's short name); or as a
/// district or county (五华区, 荣昌区, 东海县: the place as a whole, not the zone it hosts).
fn opens_with_city_or_province(head: &str, lex: &Lexicon) -> bool {
    city_or_province_opening(head, lex).is_some()
}

/// The place `head` opens on, as [`opens_with_city_or_province`] finds it (黄埔 of 黄埔区每年…).
fn city_or_province_opening<'a>(head: &'a str, lex: &Lexicon) -> Option<&'a str> {
    // this runs for every figure: most sentence heads hold no 市, 省, 区 or 县 at all
    if !head.contains(['市', '省', '区', '县']) {
        return None;
    }
    let opening = periods::strip_leading_time(head.trim_start());
    let opening = opening.strip_prefix("其中,").unwrap_or(opening);
    let place = opening
        .char_indices()
        .skip(2)
        .take(lex.max_place_chars)
        .find(|&(i, _)| {
            // the cheap test first: this runs for every figure
            let rest = &opening[i..];
            let place = &opening[..i];
            (rest.starts_with(['市', '省'])
                && !rest.starts_with("市场")
                && is_city_or_province(place, lex))
                || (rest.starts_with(['区', '县'])
                    && !rest.starts_with("区域")
                    && !rest.starts_with("县域")
                    && lex.places.contains(place))
        })
        .map(|(i, _)| &opening[..i])?;
    // 宝鸡市金山钛业有限责任公司等9家企业: the place opens a company's name
    (!opens_a_company(opening, lex)).then_some(place)
}

/// True when `place`, a name before 市 or 省, is a known place or province (宜宾, 四川).
fn is_city_or_province(place: &str, lex: &Lexicon) -> bool {
    lex.places.contains(place) || lex.provinces.iter().any(|p| p == place)
}

/// True when the first clause of `opening` holds an organization's suffix: a place it opens
/// on is the start of a company's name (宝鸡市金山钛业有限责任公司…, 包头钢铁集团…).
fn opens_a_company(opening: &str, lex: &Lexicon) -> bool {
    let clause = opening.split([',', ';']).next().unwrap_or(opening);
    // (江西省高层次人才产业园正式开园: or a facility the place names, ending close to the start;
    // 福建省共有3个园区上榜 counts facilities and is the province's)
    let head = &clause[..crate::lexicon::floor_char_boundary(clause, MAX_FACILITY_NAME_BYTES)];
    let names_facility = |w: &str| {
        head.match_indices(w).any(|(i, _)| {
            head[..i].chars().next_back().is_some_and(|c| {
                is_han(c) && !cnum::is_numeral_char(c) && !matches!(c, '个' | '家' | '所')
            })
        })
    };
    lex.organization_suffixes.is_match(clause)
        || lex.facility_suffixes.iter().any(|w| names_facility(w))
}

/// Bytes of a sentence's start in which a facility's name must end to be its subject
/// (about 14 characters).
const MAX_FACILITY_NAME_BYTES: usize = 42;

/// True when `head` (after a leading time) opens on a city's bare name (包头多角度推动…,
/// 南通以开发园区为…) and not on a company's name (包头钢铁集团…).
fn opens_with_bare_city(head: &str, lex: &Lexicon) -> bool {
    let opening = periods::strip_leading_time(head.trim_start());
    let mut ends = opening.char_indices().map(|(i, c)| i + c.len_utf8());
    let Some(second) = ends.nth(1) else {
        return false;
    };
    let city = std::iter::once(second)
        .chain(ends.take(1))
        .filter(|&e| lex.cities.contains(&opening[..e]))
        .last();
    let Some(e) = city else {
        return false;
    };
    let rest = &opening[e..];
    BARE_CITY_SUBJECT_NEXT.iter().any(|w| rest.starts_with(w)) && !opens_a_company(opening, lex)
}

/// Words that, right after a city's bare name, make it the sentence's subject (包头多角度…,
/// 南通以开发园区为…), where other characters would go on into a name (南宁综合保税区, 郑州国际陆港).
const BARE_CITY_SUBJECT_NEXT: &[&str] = &[
    "以", "在", "多", "全", "将", "已", "共", "把", "通过", "着力", "大力", "积极", "坚持", "持续",
    "不断", "加快", "围绕", "立足", "聚焦", "今年", "去年", "累计",
];

/// `opening` after a source lead-in (据统计,2020年兰白自创区…, 根据区县生产总值统一核算结果,
/// 前三季度济南高新区…), which stands before the sentence's subject.
fn after_source_lead(opening: &str) -> &str {
    ["根据", "据"]
        .iter()
        .find_map(|p| opening.strip_prefix(p))
        .and_then(|r| r.split_once(','))
        .filter(|(lead, _)| lead.chars().count() <= MAX_SOURCE_LEAD_CHARS)
        .map_or(opening, |(_, rest)| rest)
}

/// Longest adverbial before a sentence's subject (近年来, 与此同时), in characters.
const MAX_OPENING_ADVERBIAL_CHARS: usize = 4;

/// Longest source lead-in (`据统计`, `根据区县生产总值统一核算结果`) before a paragraph's subject,
/// in characters after 据 or 根据.
const MAX_SOURCE_LEAD_CHARS: usize = 16;

/// The zone an anaphor before the figure in its sentence (`head`, starting at `ss`) refers
/// back to: the article's zone when the paragraph named it before the sentence (华中农高区…
/// 此前…设立杨凌农高区。该区规划面积…: the article's subject, not the zone in passing), else
/// the zone the paragraph named last before the sentence.
fn anaphor_zone(
    head: &str,
    here: &[(usize, Option<usize>)],
    ss: usize,
    article_zone: Option<usize>,
    lex: &Lexicon,
) -> Option<usize> {
    if !lex.zone_anaphors.iter().any(|w| head.contains(w.as_str())) {
        return None;
    }
    let mut before = here
        .iter()
        .filter(|&&(p, _)| p < ss)
        .filter_map(|&(_, z)| z);
    match article_zone {
        Some(a) if before.clone().any(|z| z == a) => Some(a),
        _ => before.next_back(),
    }
}

/// The zone that is the subject of an earlier sentence of the same paragraph (one that opens
/// with it, after a time at most: `威海高新区前三季度经济…`), the nearest such: what a sentence
/// that names no zone (初步核算,前三季度,该区…) goes on about. Only a named zone counts, and
/// a sentence that opens on a list of zones (桂林、南宁两个国家级高新区…) is about the group:
/// the sentences after it have no zone's subject.
fn paragraph_subject(text: &str, here: &[(usize, Option<usize>)], ss: usize) -> Option<usize> {
    here.iter()
        .enumerate()
        .rev()
        .filter(|&(_, &(p, _))| p < ss)
        .find_map(|(i, &(p, z))| {
            let (start, _) = sentence_bounds(text, p, p);
            let opening = after_source_lead(text[start..p].trim_start());
            let opening = periods::strip_leading_time(opening);
            if !opening.is_empty() || z.is_none() {
                return None;
            }
            let listed = here
                .get(i + 1)
                .is_some_and(|&(q, _)| follows_zone_list(text, here, q));
            Some(z.filter(|_| !listed))
        })
        .flatten()
}

/// Where the sentence before byte `end` (a sentence start) begins: the sentence holding the
/// mark that ends it. `end` must be above 0.
fn sentence_start_before(text: &str, end: usize) -> usize {
    let back = crate::lexicon::floor_char_boundary(text, end - 1);
    sentence_bounds(text, back, back).0
}

/// True when the nearest earlier sentence of the paragraph that has a subject the figure's
/// sentence could go on about opens on a province, city, county or a whole place (全省, 全市)
/// and names no zone: a sentence that names no subject of its own (区内注册企业62645家) is about
/// that place, not the article's zone. Walks back from `ss` (the figure's sentence start); a
/// sentence naming a zone stops the walk.
fn paragraph_about_place(
    text: &str,
    here: &[(usize, Option<usize>)],
    ss: usize,
    lex: &Lexicon,
) -> bool {
    let mut end = ss;
    while end > 0 {
        let start = sentence_start_before(text, end);
        if start >= end {
            return false;
        }
        if named_in(here, start..end) {
            return false;
        }
        // (数据显示,晋城市…: after an opener)
        let sentence = after_vague_time(&text[start..end], lex);
        // 安徽省委常委、…合肥市委书记虞爱华出席…: a sentence about an official, not the place
        let first_clause = sentence.split([',', ';', ':']).next().unwrap_or(sentence);
        if !lex.person_titles.is_match(first_clause)
            && (opens_with_city_or_province(sentence, lex) || opens_with_scope(sentence, lex))
        {
            return true;
        }
        end = start;
    }
    false
}

/// True when byte `at` of `text` is inside a parenthesis that opens with a word leaving things
/// out (`zones.exclusion_openers`: (不含新增的黄山、六安和亳州高新区)). Normalized text has
/// ASCII brackets only (NFKC folds the full-width ones).
fn in_exclusion(text: &str, at: usize, lex: &Lexicon) -> bool {
    let head = &text[..at];
    let Some(open) = head.rfind('(') else {
        return false;
    };
    let inside = &head[open + '('.len_utf8()..];
    !inside.contains(')')
        && lex
            .zone_exclusion_openers
            .iter()
            .any(|w| inside.starts_with(w.as_str()))
}

/// Words that open a clause saying what the subject named before it is (是首批国家级高新区,
/// 为全国首批…, 系…).
const MEMBERSHIP_COPULAS: [&str; 3] = ["是", "为", "系"];

/// True when the clause holding byte `at` (within the sentence from `from`) opens on a copula:
/// `…,是首批国家级高新区` names a group the sentence's subject belongs to.
fn is_membership_clause(text: &str, from: usize, at: usize) -> bool {
    let head = &text[from.min(at)..at];
    let clause = head
        .rfind([',', ';', ':'])
        .map_or(head, |i| &head[i + ','.len_utf8()..]);
    MEMBERSHIP_COPULAS
        .iter()
        .any(|w| clause.trim_start().starts_with(w))
}

/// The sentence `ss..se` (as [`sentence_bounds`] cuts it) widened across semicolons to the
/// full stops around it: the span a time at its start dates.
fn period_sentence_bounds(text: &str, ss: usize, se: usize) -> (usize, usize) {
    let is_full_end = |c: char| matches!(c, '。' | '!' | '?' | '\n');
    let mut start = ss;
    while text[..start].ends_with(';') {
        start = text[..start - ';'.len_utf8()]
            .char_indices()
            .rev()
            .find(|&(_, c)| is_full_end(c) || c == ';')
            .map_or(0, |(i, c)| i + c.len_utf8());
    }
    let mut end = se;
    // (each step moves `end` on or to the text's end: a text that ends with ';' stops there)
    while end < text.len() && text[..end].ends_with(';') {
        end = text[end..]
            .char_indices()
            .find(|&(_, c)| is_full_end(c) || c == ';')
            .map_or(text.len(), |(i, c)| end + i + c.len_utf8());
    }
    (start, end)
}

/// Endings of a development zone's name: a list element ending in one of them is a zone.
const ZONE_NAME_ENDINGS: &[&str] = &["高新区", "经开区", "开发区", "示范区", "农高区", "自创区"];

/// The single characters that join the items of a list of places or zones (A、B和C).
const LIST_JOIN_CHARS: &[char] = &['、', '和', '与', '及'];

/// Endings of a place that is not a zone (a district, county, city, banner, port area).
const PLACE_ENDINGS: &[char] = &['区', '县', '市', '旗'];

/// True when the zone mention at `p` ends a list of zones: the mention before it is joined to
/// it by 、, 和, 与 or 及 with nothing but its name between (镇江、淮安两家经开区, 兰州高新区和
/// 白银高新区).
fn follows_zone_list(text: &str, here: &[(usize, Option<usize>)], p: usize) -> bool {
    let at = here.partition_point(|&(q, _)| q < p);
    at > 0
        && here[at - 1].1.is_some()
        && text[here[at - 1].0..p]
            .strip_suffix(LIST_JOIN_CHARS)
            .is_some_and(|name| {
                name.chars().all(is_han) && name.chars().count() <= MAX_LIST_ITEM_CHARS
            })
}

/// True when the zone mention at `p` is one item of a list that also holds places that are
/// not zones (其他县区和宝鸡高新区、宝鸡港务区299个项目同步开工): the figure is the group's.
fn in_mixed_list(text: &str, p: usize) -> bool {
    let is_place = |run: &str| {
        let run = run.strip_suffix('等').unwrap_or(run);
        run.chars().count() >= 2
            && run.ends_with(PLACE_ENDINGS)
            && !ZONE_NAME_ENDINGS.iter().any(|e| run.ends_with(e))
    };
    // the item before: the run of Chinese characters before a 、, 和, 与 or 及 right before it
    let before = &text[..p];
    let item_before = before.strip_suffix(LIST_JOIN_CHARS).is_some_and(|rest| {
        let start =
            zones::han_run_start(rest, rest.len(), MAX_LIST_ITEM_CHARS).unwrap_or(rest.len());
        is_place(&rest[start..])
    });
    if item_before {
        return true;
    }
    // the item after: past the mention's zone ending, after a 、, 和, 与 or 及
    let reach = crate::lexicon::floor_char_boundary(text, p + MAX_LIST_ITEM_CHARS * 3 * 2);
    let Some(end) = mention_end(&text[p..reach]) else {
        return false;
    };
    text[p + end..]
        .strip_prefix(LIST_JOIN_CHARS)
        .is_some_and(|rest| {
            let len: usize = rest
                .chars()
                .take(MAX_LIST_ITEM_CHARS)
                .take_while(|&c| is_han(c))
                .map(char::len_utf8)
                .sum();
            is_place(&rest[..len])
        })
}

/// Where the zone mention that opens `from` ends: after its first zone ending.
fn mention_end(from: &str) -> Option<usize> {
    // every ending ends on 区: the first 区 that closes one is where the first ending ends
    // (one search for the character instead of one substring search per ending)
    from.match_indices(ZONE_ENDING_LAST)
        .map(|(i, c)| i + c.len())
        .find(|&end| ZONE_NAME_ENDINGS.iter().any(|e| from[..end].ends_with(e)))
}

/// The last character of every [`ZONE_NAME_ENDINGS`] entry.
const ZONE_ENDING_LAST: char = '区';

/// The name ending of a development area that is no zone (滨州开发区): a figure after one is its.
const OTHER_AREA_ENDING: &str = "开发区";

/// True when, after the zone mention at `p` and before the figure at `fs`, the sentence names
/// a city's development area that is no zone (与莱芜高新区同年启动的滨州开发区,三年内…): the
/// figure is that area's. Not the zone's own place (西宁开发区 is 西宁经开区), nor a province's
/// areas as a whole (山西省开发区), nor a bare 开发区.
fn other_area_between(text: &str, p: usize, fs: usize, zone: &str, lex: &Lexicon) -> bool {
    if fs <= p {
        return false;
    }
    let between = &text[p..fs];
    // the cheap test first: this is asked for most figures
    if !between.contains(OTHER_AREA_ENDING) {
        return false;
    }
    let Some(end) = mention_end(between) else {
        return false;
    };
    let rest = &between[end..];
    rest.match_indices(OTHER_AREA_ENDING).any(|(i, _)| {
        let head = &rest[..i];
        // the place right before it: a city or county of the gazetteer's places
        head.char_indices()
            .rev()
            .skip(1)
            .take(lex.max_place_chars)
            .map(|(k, _)| &head[k..])
            .find(|place| lex.places.contains(*place))
            .is_some_and(|place| {
                let place = place.strip_suffix('省').unwrap_or(place);
                !place.is_empty()
                    && !zone.contains(place)
                    && !lex.provinces.iter().any(|pr| pr == place)
            })
    })
}

/// Longest list item looked at by [`in_mixed_list`], in characters.
const MAX_LIST_ITEM_CHARS: usize = 8;

/// The zone named in the sentence, with the offset of its mention: the last one before the
/// figure, else the first after it. A bare 高新区 / 该高新区 stands for the article's zone.
fn sentence_mention(
    text: &str,
    here: &[(usize, Option<usize>)],
    ss: usize,
    se: usize,
    fs: usize,
    article_zone: Option<usize>,
) -> Option<(usize, usize)> {
    // `here` is in text order: only the mentions inside the sentence are looked at
    let lo = here.partition_point(|(p, _)| *p < ss);
    let hi = here.partition_point(|(p, _)| *p < se);
    let in_sentence = || {
        here[lo..hi]
            .iter()
            .filter_map(|&(p, z)| z.or(article_zone).map(|z| (p, z)))
    };
    // a zone inside brackets the figure is not in is a breakdown, not the figure's subject
    // (兰白自创区生产总值420亿元(兰州高新区292亿元、白银高新区128亿元),比2019年增长5.86%;
    // 比重17.48%(兰州高新区18.3%、白银高新区15.6%))
    let apart = |p: usize| {
        let (a, b) = if p < fs { (p, fs) } else { (fs, p) };
        let between = text.get(a..b).unwrap_or("");
        let (open, close) = (between.matches('(').count(), between.matches(')').count());
        if p < fs {
            close > open
        } else {
            open > close
        }
    };
    in_sentence()
        .rfind(|&(p, _)| p < fs && !apart(p))
        .or_else(|| in_sentence().find(|&(p, _)| p >= fs && !apart(p)))
}

/// The zone of each figure that a list of zones gives its own: `A、B和C…分别为x、y、z` (or
/// `…分别位列x和y`) pairs the figures after 分别, up to the sentence's end or its next 分别,
/// with the zones of a list before it in the sentence, in order, when the counts agree; so
/// does a list of figures of one unit without 分别 (`桂林、南宁两个高新区…比重达到38.74%和
/// 40.85%`), when its count is that of the list of zones before it.
fn respective_zones(
    text: &str,
    here: &[(usize, Option<usize>)],
    found: &[figures::FoundFigure],
) -> Vec<Option<usize>> {
    let mut out = vec![None; found.len()];
    const RESPECTIVELY: &str = "分别";
    for (at, _) in text.match_indices(RESPECTIVELY) {
        let (ss, se) = sentence_bounds(text, at, at + RESPECTIVELY.len());
        let stop = text[at + RESPECTIVELY.len()..se]
            .find(RESPECTIVELY)
            .map_or(se, |i| at + RESPECTIVELY.len() + i);
        // the figures it shares out: the first after it and those joined to it as a list
        // (分别为6.81%、5.48%,其中…七成: the next clause's figures are not the list's)
        let mut figs: Vec<usize> = Vec::new();
        for k in (0..found.len()).filter(|&k| found[k].start > at && found[k].start < stop) {
            let joined = figs.last().is_none_or(|&j| {
                let gap = text.get(found[j].end..found[k].start).unwrap_or("x");
                gap == "," || labels::LIST_JOINS.contains(&gap)
            });
            if !joined {
                break;
            }
            figs.push(k);
        }
        share_out(text, here, ss, at, &figs, &mut out);
    }
    // lists of figures of one unit with no 分别 before them in their sentence
    let mut k = 0;
    while k < found.len() {
        let mut end = k + 1;
        while end < found.len() && continues_list(text, found, end) {
            end += 1;
        }
        let figs = k..end;
        k = end;
        if figs.len() < 2 || figs.clone().any(|f| out[f].is_some()) {
            continue;
        }
        let figs: Vec<usize> = figs.collect();
        let at = found[figs[0]].start;
        let (ss, _) = sentence_bounds(text, at, at);
        if !text[ss..at].contains(RESPECTIVELY) {
            share_out(text, here, ss, at, &figs, &mut out);
        }
    }
    out
}

/// True when figure `k` goes on the list the figure before it opened: joined to it by a list
/// word alone (31.5%和27.2%, 38.74%、40.85%), in the same unit.
fn continues_list(text: &str, found: &[figures::FoundFigure], k: usize) -> bool {
    k > 0
        && found[k - 1].unit == found[k].unit
        && text
            .get(found[k - 1].end..found[k].start)
            .is_some_and(|gap| labels::LIST_JOINS.contains(&gap))
}

/// Gives `figs` (two or more figures, in order) the zones of the last list of as many zones
/// named in `ss..at` (mentions joined only by 、, 和, 与, 及), in order.
fn share_out(
    text: &str,
    here: &[(usize, Option<usize>)],
    ss: usize,
    at: usize,
    figs: &[usize],
    out: &mut [Option<usize>],
) {
    if figs.len() < 2 {
        return;
    }
    let mut lists: Vec<Vec<usize>> = Vec::new();
    let mut prev_end: Option<usize> = None;
    for &(p, z) in here.iter().filter(|&&(p, _)| p >= ss && p < at) {
        let Some(z) = z else { continue };
        let joined = prev_end.is_some_and(|e| {
            let gap = text.get(e..p).unwrap_or("x");
            ["", "、", "和", "与", "及"].contains(&gap)
        });
        match lists.last_mut() {
            Some(list) if joined => list.push(z),
            _ => lists.push(vec![z]),
        }
        // the end of the mention: up to its zone suffix, or its place in a coordinated list
        prev_end = Some(
            text[p..]
                .find(['、', '和', '与', '及', ',', '。'])
                .map_or(text.len(), |i| p + i),
        );
    }
    if let Some(list) = lists.iter().rev().find(|l| l.len() == figs.len()) {
        for (&k, &z) in figs.iter().zip(list) {
            out[k] = Some(z);
        }
    }
}

/// Counts mentions of each name; the first mention's offset is kept. Order: first mention.
fn tally(kind: EntityKind, found: Vec<(String, usize)>) -> Vec<Entity> {
    let mut by_name: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (name, start) in found {
        let e = by_name.entry(name).or_insert((0, start));
        e.0 += 1;
        e.1 = e.1.min(start);
    }
    let mut out: Vec<Entity> = by_name
        .into_iter()
        .map(|(text, (mentions, first_char))| Entity {
            kind,
            text,
            mentions,
            first_char,
        })
        .collect();
    out.sort_by(|a, b| a.first_char.cmp(&b.first_char).then(a.text.cmp(&b.text)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_ends_after_the_first_zone_ending_whichever_it_is() {
        assert!(ZONE_NAME_ENDINGS
            .iter()
            .all(|e| e.ends_with(ZONE_ENDING_LAST)));
        // the first 区 (园区) closes no ending; the mention ends after 经开区, the first
        // ending to close, before the 高新区 further on
        let text = "园区内的郑州经开区与郑州高新区";
        let end = mention_end(text).unwrap();
        assert_eq!(&text[..end], "园区内的郑州经开区");
        assert_eq!(mention_end("市区和县区"), None);
        assert_eq!(
            mention_end("苏州工业园区示范区"),
            Some("苏州工业园区示范区".len())
        );
    }

    #[test]
    fn places_counted_as_a_whole() {
        let head = "经初步测算,兰白两区预计完成";
        assert_eq!(counted_places_end(head), Some("经初步测算,兰白两区".len()));
        assert!(counted_places_end("苏南五市全社会研发投入").is_some());
        // a slogan's parts, and a count of zones, are no places
        assert_eq!(counted_places_end("打造两带三区"), None);
        assert_eq!(counted_places_end("园区一区七园"), None);
    }

    #[test]
    fn a_span_of_years_up_to_now_is_a_vague_time_before_the_subject() {
        let lex = Lexicon::for_tests();
        for (head, rest) in [
            ("五年来,示例市累计发放", "示例市累计发放"),
            ("近3年来,示例市", "示例市"),
            ("多年来,全市", "全市"),
            ("近日,示例市", "示例市"),
            // where the news comes from, or a link to the sentence before
            (
                "数据显示,示例市社会消费品零售总额",
                "示例市社会消费品零售总额",
            ),
            ("不仅如此,示例市", "示例市"),
        ] {
            assert_eq!(after_vague_time_comma(head, &lex), Some(rest), "{head}");
        }
        // a count of years is no span up to now, nor is a year
        assert_eq!(after_vague_time_comma("五年,示例市", &lex), None);
        assert_eq!(after_vague_time_comma("2020年,示例市", &lex), None);
    }

    #[test]
    fn a_text_that_ends_with_a_semicolon_ends_the_period_sentence() {
        // found by the fuzzer: the widening across ';' looped forever at the text's end
        let text = "增长5%;";
        assert_eq!(period_sentence_bounds(text, 0, text.len()), (0, text.len()));
        let text = "增长5%;;";
        assert_eq!(
            period_sentence_bounds(text, 0, "增长5%;".len()),
            (0, text.len())
        );
    }

    #[test]
    fn a_sentence_longer_than_the_reach_is_cut_near_the_figure_at_a_clause_mark() {
        let clause = "园区新签约项目12个,";
        let long = clause.repeat(200) + "总投资50亿元。";
        let at = long.find("总投资").unwrap();
        let (s, e) = sentence_bounds(&long, at, at + "总投资50亿元".len());
        let cut = &long[s..e];
        assert!(
            cut.ends_with("50亿元。"),
            "the sentence end is within reach"
        );
        assert!(
            cut.chars().count() <= SENTENCE_REACH + 8,
            "{}",
            cut.chars().count()
        );
        assert!(cut.starts_with("园区"), "cut after a clause mark: {cut}");
        // a sentence within reach is whole
        let short = "前三季度,园区实现营业收入1280亿元,同比增长12.5%。下一句。";
        let at = short.find("1280").unwrap();
        let (s, e) = sentence_bounds(short, at, at + 4);
        assert_eq!(
            &short[s..e],
            "前三季度,园区实现营业收入1280亿元,同比增长12.5%。"
        );
        // the schema says how far a sentence reaches
        let doc = crate::schema::TABLES
            .iter()
            .flat_map(|t| t.columns.iter())
            .find(|c| c.name == "sentence")
            .map(|c| c.doc)
            .unwrap_or_default();
        assert!(
            doc.contains(&format!("{SENTENCE_REACH} characters")),
            "{doc}"
        );
    }

    /// The zones `text` names, each once, and its mentions as `extract_article` keeps them
    /// (offset, index into the names), groups left out.
    fn zone_mentions(text: &str, lex: &Lexicon) -> (Vec<String>, Vec<(usize, Option<usize>)>) {
        let mut names: Vec<String> = Vec::new();
        let here = zones::find_zones(text, lex)
            .into_iter()
            .filter(|z| !z.group)
            .map(|z| {
                let idx = z.zone.map(|r| {
                    names.iter().position(|n| *n == r.name).unwrap_or_else(|| {
                        names.push(r.name);
                        names.len() - 1
                    })
                });
                (z.start, idx)
            })
            .collect();
        (names, here)
    }

    #[test]
    fn figures_after_fenbie_take_the_zones_of_the_list_in_order() {
        let lex = Lexicon::for_tests();
        let text = "芜湖、蚌埠高新区综合排名分别为第58名、第97名。合肥高新区、马鞍山高新区位列\
                    徐州高新区之后,分别为第101位、第120位。其中,芜湖高新区营收100亿元(蚌埠高新区60亿元),增长8%。";
        let (names, here) = zone_mentions(text, &lex);
        let found = figures::find_figures(text, &lex);
        let got: Vec<Option<&str>> = respective_zones(text, &here, &found)
            .iter()
            .map(|z| z.map(|i| names[i].as_str()))
            .collect();
        assert_eq!(
            got,
            [
                Some("芜湖高新区"),
                Some("蚌埠高新区"),
                Some("合肥高新区"),
                Some("马鞍山慈湖高新区"),
                None,
                None,
                None
            ]
        );
        // the figure outside the brackets is the zone's before them, not the breakdown's
        let at = text.find("8%").unwrap();
        let (ss, se) = sentence_bounds(text, at, at + 2);
        let z = sentence_mention(text, &here, ss, se, at, None).map(|(_, i)| names[i].as_str());
        assert_eq!(z, Some("芜湖高新区"));
    }

    #[test]
    fn a_list_of_figures_of_one_unit_takes_the_zones_of_as_long_a_list_without_fenbie() {
        let lex = Lexicon::for_tests();
        let shared = |text: &str| -> Vec<Option<String>> {
            let (names, here) = zone_mentions(text, &lex);
            let found = figures::find_figures(text, &lex);
            respective_zones(text, &here, &found)
                .into_iter()
                .map(|z| z.map(|i| names[i].clone()))
                .collect()
        };
        assert_eq!(
            shared("南宁、柳州两个国家级高新区的比重达到31.5%和27.2%。"),
            [
                None,
                Some("南宁高新区".to_string()),
                Some("柳州高新区".to_string())
            ]
        );
        // figures of different units are different measures, not one list
        assert_eq!(
            shared("南宁、柳州高新区新增企业120家、项目35个。"),
            [None, None]
        );
        // nor does a list of another length share out
        assert_eq!(
            shared("南宁、柳州高新区增长5%、6%和7%。"),
            [None, None, None]
        );
    }

    #[test]
    fn a_time_dates_its_sentence_past_the_semicolons() {
        let text =
            "一是平稳增长。1-5月,营收12.35万亿元,同比增长8.13%;净利润7265亿元;税费7003亿元。其后";
        let at = |s: &str| text.find(s).unwrap();
        let (ss, se) = sentence_bounds(text, at("7003"), at("7003") + "7003".len());
        assert_eq!(&text[ss..se], "税费7003亿元。");
        let (ps, pe) = period_sentence_bounds(text, ss, se);
        assert_eq!(
            &text[ps..pe],
            "1-5月,营收12.35万亿元,同比增长8.13%;净利润7265亿元;税费7003亿元。"
        );
        let (ss, se) = sentence_bounds(text, at("一是"), at("一是") + "一是".len());
        assert_eq!(period_sentence_bounds(text, ss, se), (ss, se));
    }
}
