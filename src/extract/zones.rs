//! Zones: `…高新区`, `…高新技术产业开发区`, `…农高区`, `…农业高新技术产业示范区`,
//! `…经济技术开发区`, `…自创区` (suffixes from the config), resolved against the gazetteer
//! (贵阳国家高新区 → 贵阳高新区, 阿拉善高新区 → 阿拉善盟高新区). A zone not in the gazetteer is
//! still found by pattern (its place prefix, cut at words such as 在/于/推动) and gets no
//! province, city or level. A bare `高新区` or `该高新区` is a reference to the article's zone.

use crate::lexicon::{floor_char_boundary, is_han, place_prefix_len, starts_with_place, Lexicon};
use crate::model::ZoneRef;

/// A zone mention in a piece of normalized text.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundZone {
    /// Byte offset where the name starts (the place prefix, or the suffix for a bare mention).
    pub start: usize,
    /// Byte offset after the suffix.
    pub end: usize,
    /// The zone, or `None` for a bare reference (高新区, 该高新区) or a group.
    pub zone: Option<ZoneRef>,
    /// Zones named as a group (国家高新区, 全省高新区), not one zone nor the article's.
    pub group: bool,
    /// A two-character prefix that is no known place (锡沂高新区: 无锡 and 新沂 together), with
    /// where it starts: a zone only when its article names it so again ([`promote_unplaced`]).
    pub unplaced: Option<(usize, String)>,
    /// For a mention that names no zone (高新区, 该经开区, a group): the kind of zone it says,
    /// as an index into [`Lexicon::zone_suffix_canon`]. `None` for a named zone, whose name
    /// ends with its kind.
    pub kind: Option<usize>,
}

impl FoundZone {
    /// A mention of a named zone at `start..end`.
    fn named(start: usize, end: usize, zone: ZoneRef) -> FoundZone {
        FoundZone {
            start,
            end,
            zone: Some(zone),
            group: false,
            unplaced: None,
            kind: None,
        }
    }
}

/// Adds mentions found later to a segment's list, kept in text order.
fn merge_mentions(list: &mut Vec<FoundZone>, added: Vec<FoundZone>) {
    if !added.is_empty() {
        list.extend(added);
        list.sort_by_key(|z| z.start);
    }
}

/// Most characters of qualifier between a group prefix and a word for zones in general
/// (全部参评开发区).
const GROUP_QUALIFIER_CHARS: usize = 2;

/// Least mentions of one unplaced name in an article for it to be a zone.
const MIN_UNPLACED_MENTIONS: usize = 2;

/// What opens a short name an article gives a zone for the rest of its text:
/// `西宁(国家级)经济技术开发区(以下简称“西宁开发区”)`.
const ABBREVIATION_OPENERS: &[&str] = &["(以下简称“", "(下称“", "(简称“"];

/// Longest short name an article gives a zone, in characters.
const MAX_ABBREVIATION_CHARS: usize = 10;

/// Adds the mentions of the short names an article gives its zones (`(以下简称“西宁开发区”)`
/// after the zone's name) to the mentions found after that definition. `texts` are the
/// article's segments, `found` their mentions, in the same order.
pub fn expand_abbreviations(texts: &[&str], found: &mut [Vec<FoundZone>], lex: &Lexicon) {
    let mut names: Vec<(String, ZoneRef)> = Vec::new();
    for (k, text) in texts.iter().enumerate() {
        let Some(list) = found.get_mut(k) else { break };
        // the short names defined in this segment, with where each definition ends
        let mut defined: Vec<(usize, String, ZoneRef)> = Vec::new();
        for z in list.iter() {
            let Some(zone) = &z.zone else { continue };
            let after = &text[z.end..];
            let Some(rest) = ABBREVIATION_OPENERS
                .iter()
                .find_map(|o| after.strip_prefix(*o))
            else {
                continue;
            };
            let Some(close) = rest.find('”') else {
                continue;
            };
            let short = &rest[..close];
            let n = short.chars().count();
            // (以下简称“高新区”: a bare kind stays a bare mention)
            let bare_kind = lex
                .zone_suffixes
                .find_iter(short)
                .any(|m| m.start() == 0 && m.end() == short.len());
            if (2..=MAX_ABBREVIATION_CHARS).contains(&n)
                && !bare_kind
                && !names.iter().any(|(s, _)| s == short)
            {
                let end = text.len() - rest.len() + close;
                defined.push((end, short.to_string(), zone.clone()));
            }
        }
        let mut added = Vec::new();
        for (from, short, zone) in names
            .iter()
            .map(|(s, z)| (0, s, z))
            .chain(defined.iter().map(|(e, s, z)| (*e, s, z)))
        {
            for (at, _) in text[from..].match_indices(short.as_str()) {
                let (start, end) = (from + at, from + at + short.len());
                if list.iter().any(|z| z.start < end && start < z.end) {
                    continue;
                }
                added.push(FoundZone::named(start, end, zone.clone()));
            }
        }
        merge_mentions(list, added);
        names.extend(defined.into_iter().map(|(_, s, z)| (s, z)));
    }
}

/// A place's level words that a zone's short name leaves out before its kind (广州市高新区 is
/// 广州高新区, as GUIDELINES and the scorer reduce it; 交城县开发区 is 交城经开区's).
const PLACE_LEVELS: [&str; 3] = ["市", "盟", "县"];

/// `烟台经济技术开发区…。烟台开发区继…`: once an article names a zone in full, the zone's place
/// before a word for zones in general (开发区) refers to it again. `found` holds each segment's
/// mentions; the references are added to them.
///
/// Returns where the word for zones in general also stands alone, naming no zone, no group
/// and no place (`开发区将大力支持…`), as (segment, byte): bare references back to the zone
/// the article named. Both are read in one scan of the word.
pub fn expand_place_references(
    texts: &[&str],
    found: &mut [Vec<FoundZone>],
    lex: &Lexicon,
) -> Vec<(usize, usize)> {
    let mut named: Vec<ZoneRef> = Vec::new();
    for z in found.iter().flatten().filter_map(|z| z.zone.as_ref()) {
        if !named.iter().any(|n| n.name == z.name) {
            named.push(z.clone());
        }
    }
    // (the place: the name without its kind's suffix, at least two characters)
    // (and the gazetteer's other places of the zone: 葛店开发区 is 鄂州葛店经开区's)
    let places: Vec<(&str, &ZoneRef)> = named
        .iter()
        .flat_map(|z| {
            let own = lex
                .zone_suffix_canon
                .iter()
                .find(|c| z.name.ends_with(c.as_str()))
                .map(|kind| &z.name[..z.name.len() - kind.len()]);
            // (the zone's own place is mostly one of them: asked once)
            let aliases = lex
                .gazetteer_places_of
                .get(&z.name)
                .into_iter()
                .flatten()
                .map(String::as_str)
                .filter(move |&a| Some(a) != own);
            own.into_iter()
                .chain(aliases)
                .filter(|place| place.chars().count() >= 2)
                .map(move |place| (place, z))
        })
        .collect();
    // (an article that names no zone has nothing to refer back to)
    if named.is_empty() {
        return Vec::new();
    }
    let mut bare = Vec::new();
    for (seg, (text, list)) in texts.iter().zip(found.iter_mut()).enumerate() {
        let mut added = Vec::new();
        for m in lex.zone_group_suffixes.find_iter(text) {
            if list.iter().any(|z| m.start() < z.end && z.start < m.end()) {
                continue;
            }
            let before = &text[..m.start()];
            // (交城经济开发区… / 交城县开发区“签约一批”项目2个: the place's level may stand
            // between, as the zone's name leaves it out)
            let place_at = |place: &str| {
                std::iter::once("").chain(PLACE_LEVELS).find_map(|level| {
                    let head = before.strip_suffix(level)?;
                    head.ends_with(place)
                        .then(|| m.start() - level.len() - place.len())
                })
            };
            match places.iter().find_map(|(p, z)| Some((place_at(p)?, z))) {
                Some((start, zone)) => {
                    added.push(FoundZone::named(start, m.end(), (*zone).clone()))
                }
                None => bare.push((seg, m.start())),
            }
        }
        merge_mentions(list, added);
    }
    bare
}

/// Makes zones of the unplaced names an article uses at least [`MIN_UNPLACED_MENTIONS`]
/// times (锡沂高新区 named four times is a zone the place list lacks; 推动新建高新区 once is
/// no zone). `found` holds each segment's mentions.
pub fn promote_unplaced(texts: &[&str], found: &mut [Vec<FoundZone>], lex: &Lexicon) {
    // (most articles have no unplaced name: nothing to read then)
    if !found.iter().flatten().any(|z| z.unplaced.is_some()) {
        return;
    }
    let named: Vec<String> = found
        .iter()
        .flatten()
        .filter_map(|z| z.zone.as_ref().map(|r| r.name.clone()))
        .collect();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (_, name) in found.iter().flatten().filter_map(|z| z.unplaced.as_ref()) {
        match counts.iter_mut().find(|(n, _)| n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name.clone(), 1)),
        }
    }
    for z in found.iter_mut().flatten() {
        let Some((start, name)) = z.unplaced.take() else {
            continue;
        };
        // (泰州医药高新区 … 医药高新区, 中山市…火炬高新区: the end of a gazetteer alias is no
        // place; it is that zone when only one alias ends so, or the article names one of
        // them or the place the rest of its alias is, else no zone)
        let of_aliases = alias_tail_zones(&name, lex);
        if !of_aliases.is_empty() {
            // (one zone's aliases, or those of the article's place, may be several)
            let only = |mut zones: Vec<usize>| {
                zones.dedup();
                match zones[..] {
                    [one] => Some(one),
                    _ => None,
                }
            };
            let zone = only(of_aliases.iter().map(|&(gi, _)| gi).collect())
                .or_else(|| {
                    of_aliases
                        .iter()
                        .map(|&(gi, _)| gi)
                        .find(|&gi| named.contains(&lex.gazetteer[gi].zone.name))
                })
                .or_else(|| {
                    only(
                        of_aliases
                            .iter()
                            .filter(|(_, place)| texts.iter().any(|t| t.contains(place.as_str())))
                            .map(|&(gi, _)| gi)
                            .collect(),
                    )
                });
            if let Some(gi) = zone {
                z.start = start;
                z.zone = Some(lex.gazetteer[gi].zone.clone());
            }
            continue;
        }
        if counts
            .iter()
            .any(|(n, c)| *n == name && *c >= MIN_UNPLACED_MENTIONS)
        {
            z.start = start;
            z.zone = Some(ZoneRef::unlisted(name));
        }
    }
}

/// The gazetteer zones one of whose aliases ends with the place of `name` (a pattern name:
/// place, then a canonical suffix) without being it, each with the rest of that alias, the
/// place before: 医药高新区 → (泰州医药高新区, 泰州).
fn alias_tail_zones(name: &str, lex: &Lexicon) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (suffix, by_alias) in &lex.gazetteer_alias_by_suffix {
        let Some(place) = name.strip_suffix(suffix.as_str()).filter(|p| !p.is_empty()) else {
            continue;
        };
        for (alias, &gi) in by_alias {
            if let Some(before) = alias.strip_suffix(place).filter(|b| !b.is_empty()) {
                out.push((gi, before.to_string()));
            }
        }
    }
    // (the map's order is no order: sorted, so the tables stay the same run to run)
    out.sort_unstable();
    out
}

/// True when `s` is nothing but place names, each perhaps followed by 省 or 市 (江苏盐城,
/// 江苏省盐城市, 南通).
fn only_places(mut s: &str, lex: &Lexicon) -> bool {
    while !s.is_empty() {
        let Some(e) = place_prefix_len(s, lex) else {
            return false;
        };
        s = &s[e..];
        s = s
            .strip_prefix('省')
            .or_else(|| s.strip_prefix('市'))
            .unwrap_or(s);
    }
    true
}

/// Makes one zone of the two names an article gives a zone found by pattern only, one with
/// its province or city before it and one without (江苏盐城射阳高新区…射阳高新区, 南通市北高新区…
/// 市北高新区): both mentions take the shorter name, which is what the article calls the zone
/// otherwise and what other articles call it too. `found` holds each segment's mentions.
pub fn unify_place_qualified(found: &mut [Vec<FoundZone>], lex: &Lexicon) {
    let mut names: Vec<&str> = Vec::new();
    for z in found.iter().flatten() {
        if let Some(zr) = z.zone.as_ref().filter(|zr| zr.level.is_none()) {
            if !names.contains(&zr.name.as_str()) {
                names.push(&zr.name);
            }
        }
    }
    if names.len() < 2 {
        return;
    }
    let renames: Vec<(String, String)> = names
        .iter()
        .filter_map(|long| {
            names
                .iter()
                .filter(|short| short.len() < long.len() && long.ends_with(**short))
                .find(|short| only_places(&long[..long.len() - short.len()], lex))
                .map(|short| (long.to_string(), short.to_string()))
        })
        .collect();
    for z in found.iter_mut().flatten() {
        if let Some(zr) = z.zone.as_mut() {
            if let Some((_, short)) = renames.iter().find(|(long, _)| *long == zr.name) {
                zr.name = short.clone();
            }
        }
    }
}

/// Longest run before a 、 read as one place of a coordinated list (特别是广州、南沙经开区).
const MAX_COORDINATED_CHARS: usize = 8;
/// Longest place prefix considered, in characters.
const MAX_PREFIX_CHARS: usize = 12;
/// A pattern-found prefix longer than this is running text, not a place name.
const MAX_PATTERN_PREFIX_CHARS: usize = 6;
/// Levels written between a zone's place and its suffix (杨凌国家级农高区, 石嘴山自治区级农高区).
/// A canonical name drops all but 自治区级 ([`canonical_place`]), as GUIDELINES and the scorer do.
const LEVEL_WORDS: &[&str] = &["国家级", "国家", "省级", "自治区级"];

/// `s` without the level it ends with (石嘴山 of 石嘴山自治区级), `None` when it ends with none.
fn without_level(s: &str) -> Option<&str> {
    LEVEL_WORDS.iter().find_map(|w| s.strip_suffix(w))
}

/// `广州市9个经开区`, `4个国家级经开区`, `两家高新区`: a count right before the suffix makes the
/// zones a group, whatever place stands before the count.
pub(crate) fn counted(text: &str, suffix_start: usize) -> bool {
    let mut before = text[..suffix_start].chars().rev();
    matches!(before.next(), Some('个' | '家' | '所'))
        && before
            .next()
            .is_some_and(|c| c.is_ascii_digit() || super::cnum::is_numeral_char(c))
}

/// A zone's level in brackets, printed between its place and its suffix.
const LEVEL_NOTES: &[&str] = &["(国家级)", "(省级)"];

/// Most characters of a town named in brackets between a zone's place and its suffix.
const MAX_SUBPLACE_CHARS: usize = 4;

/// Where `(双凤)` starts when `head` ends with a town's name in brackets (`长丰(双凤)`); a
/// level (`(国家级)`) is no town.
fn bracketed_subplace(head: &str) -> Option<usize> {
    let inner_end = head.strip_suffix(')')?.len();
    let open = head[..inner_end].rfind('(')?;
    let inner = &head[open + 1..inner_end];
    let n = inner.chars().count();
    ((1..=MAX_SUBPLACE_CHARS).contains(&n)
        && inner.chars().all(is_han)
        && !LEVEL_WORDS.contains(&inner))
    .then_some(open)
}

/// Finds zone mentions, in order.
pub fn find_zones(text: &str, lex: &Lexicon) -> Vec<FoundZone> {
    let mut out = Vec::new();
    for m in lex.zone_suffixes.find_iter(text) {
        let canon = &lex.zone_suffix_canon[m.pattern().as_usize()];
        // up to MAX_PREFIX_CHARS Han characters right before the suffix
        let prefix_start = han_run_start(text, m.start(), MAX_PREFIX_CHARS).unwrap_or(m.start());
        let prefix = &text[prefix_start..m.start()];
        // 西宁(国家级)经济技术开发区: the zone's level in brackets between place and suffix
        let leveled = || {
            let note = LEVEL_NOTES
                .iter()
                .find(|n| text[..m.start()].ends_with(*n))?;
            let stem_end = m.start() - note.len();
            let stem_start = han_run_start(text, stem_end, MAX_PREFIX_CHARS)?;
            gazetteer_match(&text[stem_start..stem_end], stem_start, canon, lex)
        };
        // 长丰(双凤)经开区: a zone of a place named with its town in brackets (not in the
        // gazetteer, which holds the national zones): the place, the brackets and the suffix
        let subplaced = || {
            let stem_end = bracketed_subplace(&text[..m.start()])?;
            let stem_start = han_run_start(text, stem_end, MAX_PREFIX_CHARS)?;
            let (start, place, _) = pattern_prefix(&text[stem_start..stem_end], stem_start, lex);
            let place = place.filter(|p| !is_province(p, lex))?;
            let short = canonical_place(place, lex);
            let name = format!("{short}{}{canon}", &text[stem_end..m.start()]);
            Some((start, ZoneRef::unlisted(name)))
        };
        if let Some((start, zone)) = gazetteer_match(prefix, prefix_start, canon, lex)
            .or_else(leveled)
            .or_else(subplaced)
        {
            out.push(FoundZone {
                start,
                end: m.end(),
                zone: Some(zone),
                group: false,
                unplaced: None,
                kind: None,
            });
            coordinated_before(text, start, canon, lex, &mut out);
            continue;
        }
        // 镇江、淮安两家经济技术开发区, 衡阳、益阳2个高新区: places counted before the suffix
        // are that many zones when the gazetteer knows each
        if let Some(listed) = counted_places(text, m.start(), m.end(), canon, lex) {
            out.extend(listed);
            continue;
        }
        // (某某高新技术产业园区 after a place the gazetteer does not know: any park)
        if lex.zone_suffix_gazetteer_only[m.pattern().as_usize()] {
            continue;
        }
        let (start, place, unplaced) = pattern_prefix(prefix, prefix_start, lex);
        // 四川国家级经济技术开发区: a province's national zones, a group (a municipality's 国家
        // 高新区 is one zone); so is a province's name alone before a suffix the gazetteer does
        // not know with it (广西高新区创新能力提升计划: Guangxi's zones; 青海高新区 is one)
        // (山东五大高新区, 广西各级经开区: the place's zones counted or ranked, a group too)
        let province_group = place.is_some_and(|p| {
            provinces_national_zones(p, lex)
                || is_province(p, lex)
                || qualifies_zones_of_place(p, lex)
        });
        let place = place.filter(|_| !province_group);
        let zone = place.map(|p| {
            let short = canonical_place(p, lex);
            // (江西省赣州市经开区 is the gazetteer's 赣州经开区 once the province is gone)
            if let Some(&gi) = lex
                .gazetteer_alias_by_suffix
                .get(canon.as_str())
                .and_then(|by_alias| by_alias.get(short))
            {
                return lex.gazetteer[gi].zone.clone();
            }
            let name = format!("{short}{canon}");
            ZoneRef::unlisted(lex.zone_aliases.get(&name).cloned().unwrap_or(name))
        });
        // 国家高新区 (the suffix list holds it whole), 全省高新区, 各高新区
        let suffix = &text[m.start()..m.end()];
        let group = province_group
            || zone.is_none()
                && (lex
                    .group_prefixes
                    .iter()
                    .any(|g| prefix.ends_with(g.as_str()) || suffix.starts_with(g.as_str()))
                    || counted(text, m.start()));
        let named = zone.is_some();
        out.push(FoundZone {
            start: if named { start } else { m.start() },
            end: m.end(),
            zone,
            group,
            unplaced: unplaced
                .filter(|_| !group)
                .map(|p| (start, format!("{p}{canon}"))),
            kind: (!named).then(|| m.pattern().as_usize()),
        });
        if named {
            coordinated_before(text, start, canon, lex, &mut out);
        }
    }
    // words for development zones in general (开发区) are a group when counted or after a group
    // prefix (全省93家开发区, 各开发区) and otherwise no mention at all; where one ends a zone's
    // suffix (经济技术开发区) that zone was found
    for m in lex.zone_group_suffixes.find_iter(text) {
        if out.iter().any(|z| m.start() < z.end && z.start < m.end()) {
            continue;
        }
        // the group starts at its prefix, as 国家级高新区 does (23家国家级开发区), which may
        // stand a short qualifier before the word (全部参评开发区, 全省各类开发区)
        let prefix_at = text[..m.start()]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_han(c))
            .take(GROUP_QUALIFIER_CHARS + 1)
            .map(|(i, _)| i)
            .chain(std::iter::once(m.start()))
            // (the nearest prefix)
            .filter_map(|at| {
                let before = &text[..at];
                lex.group_prefixes
                    .iter()
                    .find(|g| before.ends_with(g.as_str()))
                    .map(|g| at - g.len())
            })
            .max();
        if prefix_at.is_some() || counted(text, m.start()) {
            out.push(FoundZone {
                start: prefix_at.unwrap_or(m.start()),
                end: m.end(),
                zone: None,
                group: true,
                unplaced: None,
                kind: None,
            });
        }
    }
    // full-name aliases from the config (杨凌示范区 → 杨凌农高区)
    let aliases_here = lex.zone_alias_set.present(text);
    for (k, (alias, canonical)) in lex.zone_aliases.iter().enumerate() {
        if !lex.zone_alias_set.contains(&aliases_here, k) {
            continue;
        }
        let mut from = 0;
        while let Some(i) = text[from..].find(alias.as_str()) {
            let s = from + i;
            let e = s + alias.len();
            // (哈经开区: the bare 经开区 inside the alias was read as a reference to the zone
            // the text is about; the alias names it)
            let bare_inside = |z: &FoundZone| z.zone.is_none() && s <= z.start && z.end <= e;
            out.retain(|z| !bare_inside(z));
            if !out.iter().any(|z| s < z.end && z.start < e) {
                let zone = lex
                    .gazetteer
                    .iter()
                    .find(|g| &g.zone.name == canonical)
                    .map(|g| g.zone.clone())
                    .unwrap_or_else(|| ZoneRef::unlisted(canonical.clone()));
                out.push(FoundZone {
                    start: s,
                    end: e,
                    zone: Some(zone),
                    group: false,
                    unplaced: None,
                    kind: None,
                });
            }
            from = e;
        }
    }
    elliptical_after(text, lex, &mut out);
    out.sort_by_key(|z| z.start);
    out
}

/// `长沙高新区排名第16名,株洲第28名,湘潭第80名`: after a zone named in full, the next clauses
/// of its sentence may name further zones of its kind by their place alone, right before a
/// figure; each such place the gazetteer knows for that kind is that zone.
fn elliptical_after(text: &str, lex: &Lexicon, out: &mut Vec<FoundZone>) {
    let mut found = Vec::new();
    for z in out.iter().filter(|z| z.zone.is_some()) {
        let Some(canon) = lex
            .zone_suffixes
            .find_iter(&text[z.start..z.end])
            .last()
            .map(|m| lex.zone_suffix_canon[m.pattern().as_usize()].as_str())
        else {
            continue;
        };
        // (a bounded reach: a page that is one long sentence must cost what its size does)
        let rest = &text[z.end..floor_char_boundary(text, z.end + ELLIPTICAL_REACH_BYTES)];
        let sentence = &rest[..rest.find(['。', ';', '\n']).unwrap_or(rest.len())];
        for (i, sep) in sentence.match_indices([',', '、']) {
            let p = z.end + i + sep.len();
            let clause = &text[p..];
            for k in (2..=MAX_ELLIPTICAL_PLACE_CHARS).rev() {
                let Some((end, _)) = clause.char_indices().nth(k) else {
                    continue;
                };
                let place = &clause[..end];
                let before_figure =
                    clause[end..].starts_with(|c: char| c == '第' || c.is_ascii_digit());
                if !before_figure || !place.chars().all(is_han) {
                    continue;
                }
                if let Some((start, zone)) = gazetteer_match(place, p, canon, lex) {
                    if start == p {
                        found.push(FoundZone {
                            start: p,
                            end: p + end,
                            zone: Some(zone),
                            group: false,
                            unplaced: None,
                            kind: None,
                        });
                        break;
                    }
                }
            }
        }
    }
    for f in found {
        if !out.iter().any(|z| f.start < z.end && z.start < f.end) {
            out.push(f);
        }
    }
}

/// Bytes before a group of zones searched for a status word (about 65 characters).
const STATUS_CLAUSE_BYTES: usize = 200;

/// Bytes after a zone searched for places named alone after it (about 100 characters).
const ELLIPTICAL_REACH_BYTES: usize = 300;

/// Longest place named alone for a zone in a list after it (株洲第28名), in characters.
const MAX_ELLIPTICAL_PLACE_CHARS: usize = 4;

/// The zones of a coordinated list that shares the suffix `canon` of the zone starting at
/// `start` (兰州、白银高新区; 南沙、增城和花都经济技术开发区): each place before it, joined by
/// 、, 和, 与 or 及, that the gazetteer knows for that kind of zone.
fn coordinated_before(
    text: &str,
    mut at: usize,
    canon: &str,
    lex: &Lexicon,
    out: &mut Vec<FoundZone>,
) {
    while let Some(sep) = ["、", "和", "与", "及"]
        .iter()
        .find(|sep| text[..at].ends_with(**sep))
    {
        let sep_start = at - sep.len();
        let run_start = han_run_start(text, sep_start, MAX_COORDINATED_CHARS).unwrap_or(sep_start);
        let run = &text[run_start..sep_start];
        // 苏州高新区、南京高新区: the item before has a suffix of its own
        if lex
            .zone_suffixes
            .find_iter(run)
            .any(|m| m.end() == run.len())
        {
            return;
        }
        let cut = lex.prefix_stop_set.max_end(run).unwrap_or(0);
        let place = &run[cut..];
        match gazetteer_match(place, run_start + cut, canon, lex) {
            Some((start, zone)) if !place.is_empty() => {
                out.push(FoundZone {
                    start,
                    end: sep_start,
                    zone: Some(zone),
                    group: false,
                    unplaced: None,
                    kind: None,
                });
                at = start;
            }
            _ => return,
        }
    }
}

/// The zones of `镇江、淮安两家经济技术开发区`: a coordinated list of places, a count of as many
/// and the suffix (at `suffix_start..suffix_end`, canonical `canon`), when the gazetteer knows
/// every place for that kind. `None` leaves the counted suffix a group (全省9个高新区).
fn counted_places(
    text: &str,
    suffix_start: usize,
    suffix_end: usize,
    canon: &str,
    lex: &Lexicon,
) -> Option<Vec<FoundZone>> {
    // (桂林、南宁、柳州、北海四个国家级高新区: a level may stand between count and suffix)
    let suffix_start = without_level(&text[..suffix_start]).map_or(suffix_start, str::len);
    if !counted(text, suffix_start) {
        return None;
    }
    let before = &text[..suffix_start];
    let classifier = before.chars().next_back()?;
    let count_end = suffix_start - classifier.len_utf8();
    let count_start = text[..count_end]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_ascii_digit() || super::cnum::is_numeral_char(c))
        .last()
        .map(|(i, _)| i)?;
    let count = &text[count_start..count_end];
    let n = match count.parse::<f64>() {
        Ok(n) => n,
        Err(_) => super::cnum::parse(count)?.0,
    };
    if !(2.0..=MAX_COUNTED_PLACES as f64).contains(&n) {
        return None;
    }
    let run_start = han_run_start(text, count_start, MAX_COORDINATED_CHARS)?;
    let (start, last) = gazetteer_match(&text[run_start..count_start], run_start, canon, lex)?;
    let mut listed = vec![FoundZone {
        start,
        end: suffix_end,
        zone: Some(last),
        group: false,
        unplaced: None,
        kind: None,
    }];
    coordinated_before(text, start, canon, lex, &mut listed);
    (listed.len() as f64 == n).then_some(listed)
}

/// Where the run of at most `max` Chinese characters that ends at `at` starts; `None` when
/// the character before `at` is none.
pub(crate) fn han_run_start(text: &str, at: usize, max: usize) -> Option<usize> {
    text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_han(c))
        .take(max)
        .last()
        .map(|(i, _)| i)
}

/// Most places a count before a suffix is read as listing (镇江、淮安两家经开区).
const MAX_COUNTED_PLACES: usize = 9;

/// A zone's place as its canonical name has it (GUIDELINES): without 国家, 国家级 or 省级 in
/// the middle (杨凌国家级农高区 → 杨凌农高区), nor 市, 盟 or 县 just before the suffix
/// (安康市高新区 → 安康高新区), nor a district's 区 (河东区农高区 → 河东农高区), nor a province
/// before a place of its own (湖南江华高新区 → 江华高新区), as long as two characters of place
/// are left.
fn canonical_place<'a>(place: &'a str, lex: &Lexicon) -> &'a str {
    let mut p = place;
    // 湖南江华, 山西繁峙, 江西省赣州市: a province before a place of its own
    if let Some(rest) = lex
        .provinces
        .iter()
        .find_map(|prov| p.strip_prefix(prov.as_str()))
    {
        let rest = rest.strip_prefix('省').unwrap_or(rest);
        if rest.chars().count() >= 2 && is_place_of_its_own(rest, lex) {
            p = rest;
        }
    }
    // 连云港市东海: a city, with its 市, before a county or district of its own
    if let Some((city, rest)) = p.split_once('市') {
        if lex.places.contains(city) && rest.chars().count() >= 2 && lex.places.contains(rest) {
            p = rest;
        }
    }
    // the first of `words` that ends the place goes, if two characters are left
    let drop_last = |p: &'a str, words: &[&str]| {
        words
            .iter()
            .find_map(|w| p.strip_suffix(w))
            .filter(|rest| rest.chars().count() >= 2)
            .unwrap_or(p)
    };
    let p = drop_last(drop_last(p, &["国家级", "国家", "省级"]), &PLACE_LEVELS);
    // 河东区农业高新技术产业示范区 → 河东农高区: a district's 区 goes like a county's 县, when
    // what is left is a place of its own (滨海新区 keeps its 区: 滨海新 is no place)
    match p.strip_suffix('区') {
        Some(rest) if rest.chars().count() >= 2 && lex.places.contains(rest) => rest,
        _ => p,
    }
}

/// True when `place` is a listed place, with or without the 市 or 县 it ends with (赣州市).
fn is_place_of_its_own(place: &str, lex: &Lexicon) -> bool {
    lex.places.contains(place)
        || place
            .strip_suffix(['市', '县'])
            .is_some_and(|p| p.chars().count() >= 2 && lex.places.contains(p))
}

/// True when what follows the place a pattern-found prefix starts with ranks or counts that
/// place's zones (山东五大高新区, 广西各级经开区, 海南省唯一国家级高新区) or is no place at all
/// (云南省集国家级经开区…于一体: one character after a province): a group or no zone, never a
/// zone's name.
fn qualifies_zones_of_place(place: &str, lex: &Lexicon) -> bool {
    let place = without_level(place).unwrap_or(place);
    let Some(n) = place_prefix_len(place, lex) else {
        return false;
    };
    let after = &place[n..];
    let mut chars = after.chars();
    let (first, second) = (chars.next(), chars.next());
    let Some(first) = first else {
        return false;
    };
    let province = is_province(&place[..n], lex);
    lex.group_prefixes
        .iter()
        .chain(&lex.zone_rank_words)
        .any(|w| after.starts_with(w.as_str()))
        || (super::cnum::is_numeral_char(first) && second == Some('大'))
        || (province && second.is_none() && is_han(first))
}

/// True when `place` is a province (not a municipality) with 国家级, 国家 or 省级 after it
/// (四川国家级, 广东省级): it names that province's zones of the kind as a group, as does a
/// province before a suffix that starts with 国家 (四川|国家级经济技术开发区).
fn provinces_national_zones(place: &str, lex: &Lexicon) -> bool {
    let Some(province) = ["国家级", "国家", "省级"]
        .iter()
        .find_map(|w| place.strip_suffix(w))
    else {
        return false;
    };
    is_province(province, lex)
}

/// True when `place` is a province other than a municipality (四川, 广东省).
fn is_province(place: &str, lex: &Lexicon) -> bool {
    let province = place.strip_suffix('省').unwrap_or(place);
    !MUNICIPALITIES.contains(&province) && lex.provinces.iter().any(|p| p == province)
}

/// The municipalities, provinces whose one city a zone of theirs is named after.
const MUNICIPALITIES: [&str; 4] = ["北京", "上海", "天津", "重庆"];

/// The longest gazetteer alias that ends the prefix.
fn gazetteer_match(
    prefix: &str,
    prefix_start: usize,
    canon: &str,
    lex: &Lexicon,
) -> Option<(usize, ZoneRef)> {
    let aliases = lex.gazetteer_alias_by_suffix.get(canon)?;
    let starts: Vec<usize> = prefix.char_indices().map(|(i, _)| i).collect();
    let n = starts.len();
    for k in (1..=n.min(lex.max_alias_chars)).rev() {
        let s = starts[n - k];
        let alias = &prefix[s..];
        if let Some(&gi) = aliases.get(alias) {
            return Some((prefix_start + s, lex.gazetteer[gi].zone.clone()));
        }
    }
    None
}

/// Cuts the prefix after the last stop word; `None` when what is left is not a place (and
/// then, as the third value, what is left when it is two characters that might name a place
/// the list lacks).
fn pattern_prefix<'a>(
    prefix: &'a str,
    prefix_start: usize,
    lex: &Lexicon,
) -> (usize, Option<&'a str>, Option<&'a str>) {
    // after the last stop word
    let cut = lex.prefix_stop_set.max_end(prefix).unwrap_or(0);
    let rest = &prefix[cut..];
    let n = rest.chars().count();
    // a level between place and suffix is no part of the place's length (石嘴山自治区级农高区)
    let place_chars = without_level(rest)
        .filter(|p| !p.is_empty())
        .map_or(n, |p| p.chars().count());
    // (市区高新区, 本区高新区; but 市北高新区 is the district's own: a listed place is no
    // generic word)
    let generic = lex.generic_prefixes.contains(rest)
        || (!lex.places.contains(rest)
            && lex
                .generic_prefixes
                .iter()
                .any(|g| g.chars().count() == 1 && rest.starts_with(g.as_str()) && n <= 2));
    // a place, then a count or an ordinal (淮安两家经开区, 新疆第一家经开区): zones of the place
    // counted, not one named
    let mut tail = without_level(rest).unwrap_or(rest).chars().rev();
    let counts = matches!(tail.next(), Some('个' | '家' | '所'))
        && tail
            .next()
            .is_some_and(|c| c.is_ascii_digit() || super::cnum::is_numeral_char(c));
    if counts {
        return (prefix_start + cut, None, None);
    }
    // a zone name starts with a place: 部分高新区, 余家高新区, 上半年高新区 name no zone; nor
    // is a zone's name a place (平果经开区经开区, the suffix printed twice)
    let zone_before = lex
        .zone_suffix_canon
        .iter()
        .any(|k| rest.ends_with(k.as_str()));
    // (工业高新梅州高新区: words a page garbled before the place; the place is the run's
    // longest tail that is a listed place, unless it is a former zone's, 由原浦口经济开发区…
    // 合并而成, which is history)
    if (2..=MAX_PATTERN_PREFIX_CHARS).contains(&place_chars)
        && !generic
        && !zone_before
        && !starts_with_place(rest, lex)
    {
        if let Some(at) = rest
            .char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .find(|&i| {
                (2..=lex.max_place_chars).contains(&rest[i..].chars().count())
                    && lex.places.contains(&rest[i..])
            })
            .filter(|&i| !rest[..i].ends_with('原'))
        {
            return (prefix_start + cut + at, Some(&rest[at..]), None);
        }
    }
    if !(2..=MAX_PATTERN_PREFIX_CHARS).contains(&place_chars)
        || generic
        || zone_before
        || !starts_with_place(rest, lex)
    {
        // (not the tail of 国家 or 省级 whose first character a mirror garbled: ?趪家高新区)
        let unplaced = (n == 2
            && !generic
            && !rest.ends_with(['家', '级'])
            && !rest.chars().any(super::cnum::is_numeral_char))
        .then_some(rest);
        return (prefix_start + cut, None, unplaced);
    }
    (prefix_start + cut, Some(rest), None)
}

/// True when the group of zones at `start..end` of `text` is the set a zone is compared with
/// (增速高居54个国家级高新区首位, 在全国169家国家高新区中排名第20): a comparison word before it
/// and one after it, in its clause. Such a group is not what the sentence is about.
pub fn is_comparison_set(text: &str, start: usize, end: usize, lex: &Lexicon) -> bool {
    let from = clause_start(text, 0, start, CLAUSE_STOPS);
    let to = text[end..]
        .find(CLAUSE_STOPS)
        .map_or(text.len(), |i| end + i);
    let (before, after) = (&text[from..start], &text[end..to]);
    lex.comparison_before
        .iter()
        .any(|w| before.contains(w.as_str()))
        && lex
            .comparison_after
            .iter()
            .any(|w| after.contains(w.as_str()))
}

/// The punctuation that ends a clause.
const CLAUSE_STOPS: &[char] = &[',', '。', ';', ':', '\n', '!', '?'];

/// Where the clause holding `at` starts, after the last of `stops` before it, looking back no
/// further than `window`.
pub(super) fn clause_start(text: &str, window: usize, at: usize, stops: &[char]) -> usize {
    text[window..at].rfind(stops).map_or(window, |i| {
        window + i + text[window + i..].chars().next().map_or(1, char::len_utf8)
    })
}

/// True when the group of zones at `start` is a zone's status, after a word that confers it in
/// its clause (2000年升格为国家级经济技术开发区, 经国务院批准为首批27个国家级高新区之一): the
/// sentence is still about the zone that was promoted.
pub fn is_status(text: &str, start: usize, lex: &Lexicon) -> bool {
    let window = floor_char_boundary(text, start.saturating_sub(STATUS_CLAUSE_BYTES));
    let before = &text[clause_start(text, window, start, CLAUSE_STOPS)..start];
    lex.status_words.iter().any(|w| before.contains(w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first group of zones `text` names.
    fn first_group(text: &str, lex: &Lexicon) -> FoundZone {
        find_zones(text, lex)
            .into_iter()
            .find(|z| z.group)
            .expect("a group of zones")
    }

    #[test]
    fn a_group_a_zone_is_ranked_among_is_no_subject() {
        let lex = Lexicon::for_tests();
        let group = |text: &str| {
            let z = first_group(text, &lex);
            is_comparison_set(text, z.start, z.end, &lex)
        };
        assert!(group(
            "总收入增长60%,增速高居54个国家级高新区首位;实现增加值85亿元"
        ));
        assert!(group("在全国169家国家高新区中排名第20"));
        assert!(!group("1-5月,国家高新区实现营业收入12.35万亿元"));
        assert!(!group("前三季度,全省高新区新增企业4800家,居全国前列"));
    }

    #[test]
    fn places_alone_after_a_zone_in_a_ranking_are_zones_of_its_kind() {
        let lex = Lexicon::for_tests();
        let names: Vec<String> = find_zones("长沙高新区排名第16名,株洲第28名,湘潭第80名。", &lex)
            .into_iter()
            .filter_map(|z| z.zone.map(|z| z.name))
            .collect();
        assert_eq!(names, ["长沙高新区", "株洲高新区", "湘潭高新区"]);
    }

    #[test]
    fn a_provinces_national_zones_are_a_group() {
        let lex = Lexicon::for_tests();
        let z = find_zones("作为四川国家级经济技术开发区的代表", &lex);
        assert!(z.iter().all(|z| z.zone.is_none() && z.group), "{z:?}");
        let z = find_zones("重庆国家高新区", &lex);
        assert!(z.iter().any(|z| z.zone.is_some()), "{z:?}");
        // a province's name alone before a suffix: its zones, unless the gazetteer holds one
        // so named (青海高新区, 吉林高新区)
        let z = find_zones("会议部署了广西高新区创新能力提升计划", &lex);
        assert!(z.iter().all(|z| z.zone.is_none() && z.group), "{z:?}");
        for text in ["青海高新区召开大会", "吉林高新区召开大会"] {
            let z = find_zones(text, &lex);
            assert!(z.iter().any(|z| z.zone.is_some()), "{text}: {z:?}");
        }
    }

    #[test]
    fn a_count_of_zones_is_a_group() {
        let lex = Lexicon::for_tests();
        for text in ["全市9个经开区拥有", "其中3个国家级经开区", "两家高新区合作"]
        {
            let z = find_zones(text, &lex);
            assert!(
                !z.is_empty() && z.iter().all(|z| z.zone.is_none() && z.group),
                "{text}: {z:?}"
            );
        }
        let z = find_zones("个人在广州经开区创业", &lex);
        assert!(z.iter().any(|z| z.zone.is_some() && !z.group), "{z:?}");
    }

    #[test]
    fn a_group_a_zone_was_promoted_to_is_its_status() {
        let lex = Lexicon::for_tests();
        let status = |text: &str| is_status(text, first_group(text, &lex).start, &lex);
        assert!(status(
            "甲经开区成立于1992年,2000年升格为国家级经济技术开发区,去年产值2111亿元"
        ));
        assert!(status("1991年3月经国务院批准为首批27个国家级高新区之一"));
        assert!(!status("1-5月,国家高新区实现营业收入12.35万亿元"));
    }

    #[test]
    fn a_town_in_brackets_between_place_and_suffix_is_part_of_the_name() {
        let names: Vec<Option<String>> = zones("长丰(双凤)经济开发区再次蝉联综合排名第一")
            .into_iter()
            .map(|(_, z)| z)
            .collect();
        assert_eq!(names, [Some("长丰(双凤)经开区".to_string())]);
        // a level in brackets is no town: the gazetteer's zone
        let names: Vec<Option<String>> = zones("西宁(国家级)经济技术开发区")
            .into_iter()
            .map(|(_, z)| z)
            .collect();
        assert_eq!(names, [Some("西宁经开区".to_string())]);
    }

    #[test]
    fn a_configured_abbreviation_names_its_zone() {
        // (zones.aliases: 哈经开区 → 哈尔滨经开区; the bare 经开区 inside it is no reference)
        assert_eq!(
            zones("平房区(哈经开区)的50个重点项目集中签约"),
            [("哈经开区".into(), Some("哈尔滨经开区".into()))]
        );
    }

    #[test]
    fn a_park_suffix_names_a_zone_only_with_a_gazetteer_place() {
        assert_eq!(
            zones("甘肃白银高新技术产业园区已引进项目83个"),
            [("白银高新技术产业园区".into(), Some("白银高新区".into()))]
        );
        assert!(zones("我省27个高新技术产业园区").is_empty());
        // a high-tech zone's part of an innovation demonstration zone
        let names: Vec<Option<String>> = zones("沈大自主创新示范区大连高新片区实现地区生产总值")
            .into_iter()
            .map(|(_, z)| z)
            .collect();
        assert!(names.contains(&Some("大连高新区".to_string())), "{names:?}");
        assert!(zones("万年高新技术产业园区").is_empty());
    }

    #[test]
    fn a_pattern_zone_takes_the_canonical_short_form() {
        let names: Vec<Option<String>> =
            zones("安康市高新区和杨凌国家级农业高新技术产业示范区、湖南江华高新技术产业开发区")
                .into_iter()
                .map(|(_, z)| z)
                .collect();
        assert!(
            !names
                .iter()
                .flatten()
                .any(|n| n.contains('市') || n.contains("国家级")),
            "{names:?}"
        );
    }

    #[test]
    fn a_level_between_place_and_suffix_does_not_count_as_place() {
        // a three-character place with a four-character level is still a place
        assert_eq!(
            zones("对巴彦淖尔自治区级农业高新技术产业示范区进行评估"),
            [(
                "巴彦淖尔自治区级农业高新技术产业示范区".to_string(),
                Some("巴彦淖尔自治区级农高区".to_string())
            )]
        );
        // running text before a level is still no place
        assert!(zones("支持他们积极创建省级高新区")
            .iter()
            .all(|(_, z)| z.is_none()));
    }

    #[test]
    fn a_coordinated_list_names_every_zone() {
        assert_eq!(
            zones("兰州、白银高新区综合排名分别位列第65名和第128名"),
            [
                ("兰州".to_string(), Some("兰州高新区".to_string())),
                ("白银高新区".to_string(), Some("白银高新区".to_string())),
            ]
        );
        let names: Vec<Option<String>> = zones("特别是南沙、增城和花都经济技术开发区")
            .into_iter()
            .map(|(_, z)| z)
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
        // items with their own suffix are found once each
        assert_eq!(zones("苏州高新区、南京高新区").len(), 2);
    }

    fn zones(text: &str) -> Vec<(String, Option<String>)> {
        let lex = Lexicon::for_tests();
        find_zones(text, &lex)
            .into_iter()
            .map(|z| (text[z.start..z.end].to_string(), z.zone.map(|r| r.name)))
            .collect()
    }

    #[test]
    fn gazetteer_zones_and_aliases() {
        assert_eq!(
            zones("《贵阳国家高新区科技型中小企业贷款风险补偿资金池管理办法》"),
            [("贵阳国家高新区".into(), Some("贵阳高新区".into()))]
        );
        assert_eq!(
            zones("阿拉善高新区摸清并唤醒“沉睡”专利"),
            [("阿拉善高新区".into(), Some("阿拉善盟高新区".into()))]
        );
        assert_eq!(
            zones("近日从杨凌农业高新技术产业示范区传来消息"),
            [(
                "杨凌农业高新技术产业示范区".into(),
                Some("杨凌农高区".into())
            )]
        );
        assert_eq!(
            zones("成立东莞松山湖高新区首家金融顾问工作室"),
            [("东莞松山湖高新区".into(), Some("东莞松山湖高新区".into()))]
        );
    }

    #[test]
    fn pattern_zones_and_bare_references() {
        let z = zones("未来食品科创中心项目在嘉兴新塍高新区签约");
        assert_eq!(
            z,
            [("嘉兴新塍高新区".into(), Some("嘉兴新塍高新区".into()))]
        );
        let z = zones("今年该高新区省级试点企业增至4家,全国169家国家高新区综合评价");
        assert_eq!(z.len(), 2);
        assert!(z.iter().all(|(_, n)| n.is_none()), "{z:?}");
        assert!(zones("充分发挥自贸区、自创区、高新区的叠加品牌优势")
            .iter()
            .all(|(_, n)| n.is_none()));
    }

    /// Asserts that no mention in `text` names a zone.
    fn assert_names_no_zone(text: &str) {
        assert!(
            zones(text).iter().all(|(_, n)| n.is_none()),
            "{text}: {:?}",
            zones(text)
        );
    }

    #[test]
    fn a_place_whose_zones_are_ranked_or_counted_names_no_zone() {
        for text in [
            "山东三大高新区各具特色",
            "近年来甘肃各级经开区外贸增长较快",
            "银川是宁夏唯一国家级高新区所在地",
            "西藏首家经开区揭牌",
            "支持襄阳争创国家高新区",
            "福建集国家级经济技术开发区、综合保税区于一体",
        ] {
            assert_names_no_zone(text);
        }
    }

    #[test]
    fn the_end_of_a_gazetteer_alias_is_that_zone_not_a_place() {
        let lex = Lexicon::for_tests();
        let names = |texts: &[&str]| {
            let mut found: Vec<Vec<FoundZone>> =
                texts.iter().map(|t| find_zones(t, &lex)).collect();
            promote_unplaced(texts, &mut found, &lex);
            found
                .into_iter()
                .flatten()
                .map(|z| z.zone.map(|r| r.name))
                .collect::<Vec<_>>()
        };
        // the zone the article names in full, of those whose aliases end so
        assert_eq!(
            names(&["泰州医药高新区举行签约活动", "医药高新区完成投资30亿元"]),
            [Some("泰州医药高新区".into()), Some("泰州医药高新区".into())]
        );
        // else the one whose place the article names, else none
        assert_eq!(
            names(&[
                "中山市举行推介会",
                "火炬高新区签约项目8个",
                "火炬高新区总投资50亿元"
            ]),
            [Some("中山火炬高新区".into()), Some("中山火炬高新区".into())]
        );
        assert_eq!(
            names(&["火炬高新区签约项目8个", "火炬高新区总投资50亿元"]),
            [None, None]
        );
    }

    #[test]
    fn a_province_or_city_before_a_place_of_its_own_is_left_out() {
        let lex = Lexicon::for_tests();
        // the gazetteer's zone, with its province, once 浙江省 and 市 are gone
        let found = find_zones("项目落户浙江省湖州市经济技术开发区", &lex);
        let zone = found.iter().find_map(|z| z.zone.as_ref());
        assert_eq!(zone.map(|z| z.name.as_str()), Some("湖州经开区"));
        assert_eq!(zone.and_then(|z| z.province.as_deref()), Some("浙江省"));
        // a county's zone named after its city with 市
        assert_eq!(
            zones("三个项目签约盐城市射阳经济开发区"),
            [("盐城市射阳经济开发区".into(), Some("射阳经开区".into()))]
        );
    }

    #[test]
    fn a_zone_name_starts_with_a_place() {
        for text in [
            "部分高新区经济运行平稳",
            "围绕上半年高新区发展情况交流",
            "10余家高新区参加座谈",
            "依托实力较强高新区建设自创区",
        ] {
            assert_names_no_zone(text);
        }
        // a place of the place list, not in the gazetteer
        assert_eq!(
            zones("六安高新区新能源电池项目投产"),
            [("六安高新区".into(), Some("六安高新区".into()))]
        );
        // a county's zone (东海县), and a county name that is also a word, which is not a place
        assert_eq!(
            zones("东海高新区六个项目集中开工"),
            [("东海高新区".into(), Some("东海高新区".into()))]
        );
        assert!(zones("全力推动新建高新区扩容")
            .iter()
            .all(|(_, n)| n.is_none()));
        // a place followed by a count or a verb names no zone (two zones of a city; a province
        // that gains one)
        for t in [
            "常州两个国家高新区综合排名再创新高",
            "山东再添国家级经济技术开发区",
        ] {
            assert_names_no_zone(t);
        }
    }
}
