//! The config's word lists, compiled once per run and shared read-only by every worker.
//!
//! Building automata and sets here (not per file) keeps per-file processing a pure, cheap
//! function of the bytes and this struct.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use anyhow::{anyhow, Context, Result};

use crate::config::{Config, MeasureDef};
use crate::model::ZoneRef;

/// A unit surface form and what it means.
#[derive(Debug, Clone)]
pub struct Unit {
    /// As written after the number (个工作日).
    pub surface: String,
    /// Canonical base unit (工作日).
    pub unit: String,
    /// Unit class (duration).
    pub kind: String,
    /// Only valid after Chinese numerals.
    pub chinese_only: bool,
}

/// One gazetteer row.
#[derive(Debug, Clone)]
pub struct GazetteerZone {
    /// Canonical name and attributes.
    pub zone: ZoneRef,
    /// Canonical suffix this zone's name ends with (高新区, 农高区 …).
    pub suffix: String,
}

/// Everything the stages look words up in.
#[derive(Debug)]
pub struct Lexicon {
    surnames: HashSet<char>,
    compound_surnames: Vec<String>,
    /// Byline role words, longest first.
    pub byline_roles: Vec<String>,
    /// Titles before names, as an automaton (leftmost-longest).
    pub person_titles: AhoCorasick,
    /// Titles after names (院士).
    pub person_titles_after: Vec<String>,
    /// Speech verbs after a speaker.
    pub speech_verbs: Vec<String>,
    name_stop_chars: HashSet<char>,
    /// Organization suffixes, as an automaton (leftmost-longest).
    pub organization_suffixes: AhoCorasick,
    /// Words an organization name cannot start with.
    pub organization_stops: Vec<String>,
    /// Generic name cores that do not identify an organization (科技 in 科技银行).
    pub organization_generic: Vec<String>,
    /// Units, longest surface first.
    pub units: Vec<Unit>,
    /// The measure taxonomy, in priority order.
    pub measures: Vec<MeasureDef>,
    /// Zone suffix surfaces as an automaton; pattern index → canonical suffix.
    pub zone_suffixes: AhoCorasick,
    /// Canonical suffix of each `zone_suffixes` pattern.
    pub zone_suffix_canon: Vec<String>,
    /// Known zones.
    pub gazetteer: Vec<GazetteerZone>,
    /// (alias prefix, canonical suffix) → gazetteer index.
    pub gazetteer_alias: HashMap<(String, String), usize>,
    /// Longest alias length in characters.
    pub max_alias_chars: usize,
    /// Full surface name → canonical zone name (config `zones.aliases`).
    pub zone_aliases: BTreeMap<String, String>,
    /// Prefixes that do not name a place.
    pub generic_prefixes: HashSet<String>,
    /// Words that end a place prefix, longest first.
    pub prefix_stops: Vec<String>,
    /// Label words that put a figure outside any zone.
    pub not_zone_words: Vec<String>,
    /// Qualifier words, longest first within each list.
    pub approx_before: Vec<String>,
    /// See [`Lexicon::approx_before`].
    pub approx_after: Vec<String>,
    /// See [`Lexicon::approx_before`].
    pub over_before: Vec<String>,
    /// See [`Lexicon::approx_before`].
    pub over_after: Vec<String>,
    /// See [`Lexicon::approx_before`].
    pub under_before: Vec<String>,
    /// See [`Lexicon::approx_before`].
    pub under_after: Vec<String>,
    /// Maximum length of a slogan in quotes.
    pub slogan_max_chars: usize,
    /// Words before a year that make it a forecast.
    pub future_markers: Vec<String>,
    /// Direction words, longest first.
    pub increase_words: Vec<String>,
    /// See [`Lexicon::increase_words`].
    pub decrease_words: Vec<String>,
    /// Words that contain a direction word without being one.
    pub direction_exceptions: Vec<String>,
    /// From→to pair openers.
    pub pair_from: Vec<String>,
    /// From→to pair links.
    pub pair_to: Vec<String>,
}

fn longest_first(mut v: Vec<String>) -> Vec<String> {
    v.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    v.dedup();
    v
}

fn automaton(words: &[String]) -> Result<AhoCorasick> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(words)
        .map_err(|e| anyhow!("cannot build word automaton: {e}"))
}

impl Lexicon {
    /// Compiles the config's lexicons and loads the gazetteer.
    pub fn from_config(cfg: &Config) -> Result<Lexicon> {
        let l = &cfg.lexicon;
        let mut units: Vec<Unit> = cfg
            .units
            .iter()
            .map(|(surface, d)| Unit {
                surface: surface.clone(),
                unit: d.unit.clone(),
                kind: d.kind.get_ref().clone(),
                chinese_only: d.chinese_only,
            })
            .collect();
        units.sort_by(|a, b| {
            b.surface
                .chars()
                .count()
                .cmp(&a.surface.chars().count())
                .then(a.surface.cmp(&b.surface))
        });
        let z = &cfg.zones;
        let suffix_surfaces: Vec<String> = z.suffixes.keys().cloned().collect();
        let zone_suffix_canon: Vec<String> = z.suffixes.values().cloned().collect();
        let gaz_path = cfg.resolve(&z.gazetteer);
        let canon_suffixes: Vec<String> = {
            let mut v: Vec<String> = zone_suffix_canon.clone();
            v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
            v.dedup();
            v
        };
        let gazetteer = load_gazetteer(&gaz_path, &canon_suffixes)
            .with_context(|| format!("zones.gazetteer: cannot load {}", gaz_path.display()))?;
        let mut gazetteer_alias = HashMap::new();
        let mut max_alias_chars = 0;
        for (i, g) in gazetteer.iter().enumerate() {
            for a in &g.aliases {
                max_alias_chars = max_alias_chars.max(a.chars().count());
                gazetteer_alias
                    .entry((a.clone(), g.entry.suffix.clone()))
                    .or_insert(i);
            }
        }
        Ok(Lexicon {
            surnames: l.surnames.chars().filter(|c| !c.is_whitespace()).collect(),
            compound_surnames: l.compound_surnames.clone(),
            byline_roles: longest_first(l.byline_roles.clone()),
            person_titles: automaton(&l.person_titles)?,
            person_titles_after: l.person_titles_after.clone(),
            speech_verbs: longest_first(l.speech_verbs.clone()),
            name_stop_chars: l.name_stop_chars.chars().collect(),
            organization_suffixes: automaton(&l.organization_suffixes)?,
            organization_stops: longest_first(l.organization_stops.clone()),
            organization_generic: l.organization_generic.clone(),
            units,
            measures: cfg.measures.clone(),
            zone_suffixes: automaton(&suffix_surfaces)?,
            zone_suffix_canon,
            gazetteer: gazetteer.into_iter().map(|g| g.entry).collect(),
            gazetteer_alias,
            max_alias_chars,
            zone_aliases: z.aliases.clone(),
            generic_prefixes: z.generic_prefixes.iter().cloned().collect(),
            prefix_stops: longest_first(z.prefix_stops.clone()),
            not_zone_words: z.not_zone_words.clone(),
            approx_before: longest_first(cfg.figures.approx_before.clone()),
            approx_after: longest_first(cfg.figures.approx_after.clone()),
            over_before: longest_first(cfg.figures.over_before.clone()),
            over_after: longest_first(cfg.figures.over_after.clone()),
            under_before: longest_first(cfg.figures.under_before.clone()),
            under_after: longest_first(cfg.figures.under_after.clone()),
            slogan_max_chars: cfg.figures.slogan_max_chars,
            future_markers: longest_first(cfg.figures.future_markers.clone()),
            increase_words: longest_first(cfg.figures.increase_words.clone()),
            decrease_words: longest_first(cfg.figures.decrease_words.clone()),
            direction_exceptions: cfg.figures.direction_exceptions.clone(),
            pair_from: longest_first(cfg.figures.pair_from.clone()),
            pair_to: longest_first(cfg.figures.pair_to.clone()),
        })
    }

    /// The shipped `pipeline.toml`, for unit tests.
    #[doc(hidden)]
    pub fn for_tests() -> Lexicon {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline.toml");
        let cfg = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
        Lexicon::from_config(&cfg).unwrap_or_else(|e| panic!("{e:#}"))
    }

    /// True when `c` can start a Chinese surname.
    pub fn is_surname_char(&self, c: char) -> bool {
        self.surnames.contains(&c)
    }

    /// True when `s` looks like a person's name: 2–3 Han characters starting with a surname
    /// (or 3–4 with a two-character surname).
    pub fn is_name(&self, s: &str) -> bool {
        let n = s.chars().count();
        if !s.chars().all(is_han) {
            return false;
        }
        if self
            .compound_surnames
            .iter()
            .any(|c| s.starts_with(c.as_str()))
            && (3..=4).contains(&n)
        {
            return true;
        }
        (2..=3).contains(&n) && s.chars().next().is_some_and(|c| self.is_surname_char(c))
    }

    /// True when `c` ends a name (a verb or particle after it).
    pub fn is_name_stop(&self, c: char) -> bool {
        self.name_stop_chars.contains(&c) || !is_han(c)
    }

    /// Reporter names appended to the end of a paragraph after its final punctuation
    /// (`…李涛说。 王铁潇`): returns the byte offset where the names start and the names.
    pub fn trailing_names(&self, text: &str) -> Option<(usize, Vec<String>)> {
        let trimmed = text.trim_end();
        // walk back over "name( name)*" preceded by whitespace and sentence-final punctuation
        let mut names = Vec::new();
        let mut end = trimmed.len();
        loop {
            let head = &trimmed[..end];
            let sp = head.rfind(' ')?;
            let token = &head[sp + 1..];
            if !self.is_name(token) {
                return None;
            }
            names.push(token.to_string());
            let before = head[..sp].trim_end();
            let last = before.chars().next_back()?;
            if matches!(last, '。' | '!' | '?' | '”' | '…' | ')' | '」') {
                names.reverse();
                return Some((sp + 1, names));
            }
            if names.len() >= 4 || !is_han(last) {
                return None;
            }
            end = before.len();
        }
    }

    /// A line made only of names and byline role words (`▶ 本报特约通讯员 范敏铃`,
    /// `万英俊 何家岐 周阳`, `张三 本报记者 李四`): returns the names.
    pub fn byline_names(&self, line: &str) -> Option<Vec<String>> {
        let body = line
            .trim_start_matches(['▶', '►', '■', '●', '□', ' '])
            .trim();
        if body.is_empty() || body.chars().count() > 40 {
            return None;
        }
        let mut names = Vec::new();
        let mut had_role = false;
        for raw in body.split([' ', '、', ',', '/']).filter(|t| !t.is_empty()) {
            let mut tok = raw;
            // role words may be glued to a name: 本报记者范敏铃, 范敏铃摄
            loop {
                let before = tok;
                for r in &self.byline_roles {
                    if let Some(rest) = tok.strip_prefix(r.as_str()) {
                        tok = rest;
                        had_role = true;
                        break;
                    }
                    if let Some(rest) = tok.strip_suffix(r.as_str()) {
                        if !rest.is_empty() && self.is_name(rest) {
                            tok = rest;
                            had_role = true;
                            break;
                        }
                    }
                }
                if tok == before || tok.is_empty() {
                    break;
                }
            }
            if tok.is_empty() {
                continue;
            }
            if self.is_name(tok) {
                names.push(tok.to_string());
            } else {
                return None;
            }
        }
        if names.is_empty() || (names.len() > 6 && !had_role) {
            return None;
        }
        Some(names)
    }

    /// The unit written at the start of `s`, longest form first.
    pub fn unit_at(&self, s: &str, chinese: bool) -> Option<&Unit> {
        self.units
            .iter()
            .find(|u| s.starts_with(u.surface.as_str()) && (chinese || !u.chinese_only))
    }
}

/// True for CJK unified ideographs (the characters names and words are made of).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

struct LoadedZone {
    entry: GazetteerZone,
    aliases: Vec<String>,
}

fn load_gazetteer(path: &Path, canon_suffixes: &[String]) -> Result<Vec<LoadedZone>> {
    let mut rdr = csv::Reader::from_path(path)?;
    let headers = rdr.headers()?.clone();
    let col = |name: &str| -> Result<usize> {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| anyhow!("missing column {name:?}"))
    };
    let (c_zone, c_alias, c_prov, c_city, c_level) = (
        col("zone")?,
        col("aliases")?,
        col("province")?,
        col("city")?,
        col("level")?,
    );
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("row {}", i + 2))?;
        let get = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
        let name = get(c_zone);
        let suffix = canon_suffixes
            .iter()
            .find(|s| name.ends_with(s.as_str()))
            .cloned()
            .ok_or_else(|| anyhow!("row {}: zone {name:?} ends with no known suffix", i + 2))?;
        let opt = |s: String| if s.is_empty() { None } else { Some(s) };
        let aliases: Vec<String> = get(c_alias)
            .split(';')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        out.push(LoadedZone {
            entry: GazetteerZone {
                zone: ZoneRef {
                    name: name.clone(),
                    province: opt(get(c_prov)),
                    city: opt(get(c_city)),
                    level: opt(get(c_level)),
                },
                suffix,
            },
            aliases,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_bylines() {
        let lex = Lexicon::for_tests();
        assert!(lex.is_name("范敏铃"));
        assert!(lex.is_name("欧阳修"));
        assert!(!lex.is_name("近年来"));
        assert_eq!(
            lex.byline_names("▶ 本报特约通讯员 范敏铃"),
            Some(vec!["范敏铃".into()])
        );
        assert_eq!(
            lex.byline_names("万英俊 何家岐 周阳"),
            Some(vec!["万英俊".into(), "何家岐".into(), "周阳".into()])
        );
        assert_eq!(
            lex.byline_names("蒋明 本报记者 陆霞晓"),
            Some(vec!["蒋明".into(), "陆霞晓".into()])
        );
        assert_eq!(
            lex.byline_names("强化联动、挂图作业 不断蓄积项目建设新动能"),
            None
        );
    }

    #[test]
    fn trailing_reporter_names() {
        let lex = Lexicon::for_tests();
        let t = "济南高新区将与企业携手并肩。”李涛说。 王铁潇";
        let (pos, names) = lex.trailing_names(t).unwrap();
        assert_eq!(&t[pos..], "王铁潇");
        assert_eq!(names, ["王铁潇"]);
        assert!(lex
            .trailing_names("打造产业高地奠定基础,构建路径。")
            .is_none());
        assert!(lex
            .trailing_names("济南高新区 储能装备产业园与城市更新项目开建")
            .is_none());
    }

    #[test]
    fn gazetteer_is_loaded() {
        let lex = Lexicon::for_tests();
        assert!(lex.gazetteer.len() >= 170);
        let i = lex.gazetteer_alias[&("阿拉善".to_string(), "高新区".to_string())];
        assert_eq!(lex.gazetteer[i].zone.name, "阿拉善盟高新区");
        assert_eq!(
            lex.gazetteer[i].zone.province.as_deref(),
            Some("内蒙古自治区")
        );
    }
}
