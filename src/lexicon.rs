//! The config's word lists, compiled once per run and shared read-only by every worker.
//!
//! Building automata and sets here (not per file) keeps per-file processing a pure, cheap
//! function of the bytes and this struct.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
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
    /// What one of this unit is in the base unit (成 → 10 %).
    pub scale: f64,
    /// Words one of which must stand right before the number (分三期); empty: none needed.
    pub lead_words: Vec<String>,
}

/// One gazetteer row.
#[derive(Debug, Clone)]
pub struct GazetteerZone {
    /// Canonical name and attributes.
    pub zone: ZoneRef,
    /// Canonical suffix this zone's name ends with (高新区, 农高区 …).
    pub suffix: String,
}

/// `[page]`, compiled: what tells site chrome, metadata, datelines and briefs apart.
#[derive(Debug)]
pub struct PageLexicon {
    /// The section as configured, its prefix lists sorted longest first (责任编辑 before 编辑).
    pub rules: crate::config::PageSection,
    /// `chrome_prefixes` as one automaton: every line is asked whether it opens on one.
    pub chrome_prefixes: WordSet,
    /// `chrome_words` as one automaton.
    pub chrome_words: WordSet,
    /// `notice_words` as one automaton (most lines hold none: one scan rules them out).
    pub notice_words: WordSet,
    /// `profile_words` as one automaton: every line is asked before it is read as metadata.
    pub profile_words: WordSet,
    /// `counter_words` as a set: most lines are asked whether they are one (a comparison with
    /// each of the hundred-odd words was 0.5 % of extraction).
    pub counter_words: rustc_hash::FxHashSet<String>,
}

/// Everything the stages look words up in.
#[derive(Debug)]
pub struct Lexicon {
    /// `[page]`: line classes of a page.
    pub page: PageLexicon,
    surnames: HashSet<char>,
    compound_surnames: Vec<String>,
    /// Byline role words, longest first.
    pub byline_roles: Vec<String>,
    /// First characters of the byline roles of two or more characters, sorted: a line is
    /// only compared with the roles where one of these stands.
    role_heads: Vec<char>,
    /// Titles before names, as an automaton (leftmost-longest).
    pub person_titles: AhoCorasick,
    /// Titles after names (院士), then the words for people that follow names only after a
    /// count (`person_titles_after_counted`).
    pub person_titles_after: Vec<String>,
    /// Words for people after names, only after a count (3位企业家).
    pub person_titles_after_counted: Vec<String>,
    /// Speech verbs after a speaker.
    pub speech_verbs: Vec<String>,
    /// Words that follow a name: speech verbs and [`crate::config`]'s `name_follow_words`.
    pub name_follow_words: Vec<String>,
    name_stop_chars: HashSet<char>,
    /// Organization suffixes, as an automaton (leftmost-longest).
    pub organization_suffixes: AhoCorasick,
    /// Words an organization name cannot start with.
    pub organization_stops: Vec<String>,
    /// Generic name cores that do not identify an organization (科技 in 科技银行).
    pub organization_generic: Vec<String>,
    /// Endings of a core that make a name a kind of firm (`[lexicon] organization_kind_endings`).
    pub organization_kind_endings: Vec<String>,
    /// Industries and sectors (云计算, 新能源汽车): no firm's short name.
    pub sector_words: Vec<String>,
    /// Endings of parks and sites (产业园, 基地): no firm's short name.
    pub facility_suffixes: Vec<String>,
    /// The words that may stand between a list of firms' 等 and its 企业 (一批, 知名, 龙头).
    pub firm_list_qualifiers: Vec<String>,
    /// Countries before a firm's short name (`[lexicon] firm_origins`: 韩国三星): not part of it.
    pub firm_origins: Vec<String>,
    /// Editorial roles (`[lexicon] editor_roles`: 编辑, 二审): the names after one are no
    /// authors (GUIDELINES: an editor is not one).
    pub editor_roles: Vec<String>,
    /// [`Lexicon::firm_list_qualifiers`] and [`Lexicon::sector_words`] together: what may stand
    /// between 等 and 企业 after several names (等9户规模以上大数据企业).
    pub list_qualifiers_and_sectors: Vec<String>,
    /// Endings of a photo's caption that describes a scene (…开工现场): under a headline and
    /// its metadata such a line is no headline.
    pub scene_caption_endings: Vec<String>,
    /// Words of a wire photo's caption formula (这是…拍摄的…).
    pub shot_caption_words: Vec<String>,
    /// Trades that end a firm's short name (科技, 金属).
    pub firm_short_endings: Vec<String>,
    /// The same trades as one set: whether a text ends with one, tested at every firm verb.
    pub firm_short_ending_set: WordSet,
    /// Words that close a list of names (等, 分别): where its last item ends.
    pub list_closer_set: WordSet,
    /// `known_firms` as one automaton (leftmost-longest: 吉利汽车 before 吉利).
    pub known_firms: AhoCorasick,
    /// Verbs after which a short name acts as a company (签约, 获批): where to look for one.
    pub firm_action_verbs: aho_corasick::AhoCorasick,
    /// Words that open a project's product after its firm's name (智慧, 新能源, 树脂).
    pub project_product_words: Vec<String>,
    /// Units, longest surface first.
    pub units: Vec<Unit>,
    /// The measure taxonomy, in priority order.
    pub measures: Vec<MeasureDef>,
    /// Zone suffix surfaces as an automaton; pattern index → canonical suffix.
    pub zone_suffixes: AhoCorasick,
    /// Canonical suffix of each `zone_suffixes` pattern.
    pub zone_suffix_canon: Vec<String>,
    /// True for the `zone_suffixes` patterns that name a zone only with a gazetteer place
    /// (config `zones.gazetteer_suffixes`).
    pub zone_suffix_gazetteer_only: Vec<bool>,
    /// Words that name zones only as a group (`[zones] group_suffixes`: 全省93家开发区).
    pub zone_group_suffixes: AhoCorasick,
    /// Words that refer back to the zone named before (`[zones] anaphors`: 该区).
    pub zone_anaphors: Vec<String>,
    /// Words that refer back to a city or a county (`[zones] place_anaphors`: 该市).
    pub place_anaphors: Vec<String>,
    /// Words of a sentence about a company's shares (`[zones] market_words`: 收盘, 市值).
    pub market_words: WordSet,
    /// Vague times before a sentence's subject (`[zones] vague_times`: 近日, 日前).
    pub vague_times: Vec<String>,
    /// Words that open a sentence before its subject (`[zones] sentence_openers`: 据了解, 此外).
    pub sentence_openers: Vec<String>,
    /// `zones.exclusion_openers`: a zone named in a parenthesis opening so is left out.
    pub zone_exclusion_openers: Vec<String>,
    /// Words that open an article on a whole city or province (`[zones] place_subjects`: 我市).
    pub place_subjects: Vec<String>,
    /// Known zones.
    pub gazetteer: Vec<GazetteerZone>,
    /// Short names of the gazetteer's provinces (湖南, 广西), longest first: a province before
    /// a county in a zone's name is left out (湖南江华高新区 is 江华高新区).
    pub provinces: Vec<String>,
    /// Place names a zone name may start with: every gazetteer alias, and the provinces and
    /// cities of the gazetteer, full and short (江苏省, 江苏, 苏州市, 苏州).
    pub places: HashSet<String>,
    /// Longest entry of [`Lexicon::places`], in characters.
    pub max_place_chars: usize,
    /// Short names of the gazetteer's cities (包头, 南通): a sentence may open on one bare.
    pub cities: HashSet<String>,
    /// (alias prefix, canonical suffix) → gazetteer index.
    pub gazetteer_alias: HashMap<(String, String), usize>,
    /// Canonical zone name → the gazetteer's place aliases of that zone (鄂州葛店经开区 →
    /// 鄂州葛店, 葛店): the places a story may name the zone by.
    pub gazetteer_places_of: HashMap<String, Vec<String>>,
    /// The same map keyed canonical suffix first, for lookups with borrowed text.
    pub gazetteer_alias_by_suffix: HashMap<String, HashMap<String, usize>>,
    /// Longest alias length in characters.
    pub max_alias_chars: usize,
    /// Full surface name → canonical zone name (config `zones.aliases`).
    pub zone_aliases: BTreeMap<String, String>,
    /// Prefixes that do not name a place.
    pub generic_prefixes: HashSet<String>,
    /// Words before a zone suffix that name zones as a group (国家高新区, 全省高新区).
    pub group_prefixes: Vec<String>,
    /// Words after a place that rank or single out its zones (唯一, 首家): no zone's name.
    pub zone_rank_words: Vec<String>,
    /// Words that make a following group of zones a zone's status (升格为国家级经开区).
    pub status_words: Vec<String>,
    /// Words around a group of zones that make it a comparison set (see the config).
    pub comparison_before: Vec<String>,
    /// Words after a group of zones that complete a comparison.
    pub comparison_after: Vec<String>,
    /// Words that end a place prefix, longest first.
    pub prefix_stops: Vec<String>,
    /// Label words that put a figure outside any zone.
    pub not_zone_words: Vec<String>,
    /// The country, a province or a city as a whole before a count (`[zones] count_scopes`).
    pub count_scopes: Vec<String>,
    /// What may stand between a scope and its count (`[zones] count_scope_links`: 共有).
    pub count_scope_links: Vec<String>,
    /// What a zone does across a scope (`[zones] count_scope_verbs`: 走访全国近20所高校).
    pub count_scope_verbs: Vec<String>,
    /// Nouns naming an assessment's dimensions after a count (`[zones] dimension_nouns`).
    pub dimension_nouns: Vec<String>,
    /// Words of a sentence describing an assessment (`[zones] assessment_words`).
    pub assessment_words: Vec<String>,
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
    /// Words before a year that make it the time a status was read at (截至): not a forecast.
    pub as_of_words: Vec<String>,
    /// Words that make a year the year something was founded (history).
    pub founding_words: Vec<String>,
    /// `figures.year_result_verbs`: a sentence opening on a year that reports its results.
    pub year_result_verbs: Vec<String>,
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
    /// Words right before a number that make it a rank (综合排名33), longest first.
    pub rank_lead_words: Vec<String>,
    /// Verbs that make `N强` a rank of the zone (进入全国50强).
    pub top_rank_verbs: Vec<String>,
    /// Words of a sentence about a ranking, from `[figures]`.
    pub ranking_sentence_words: Vec<String>,
    /// Words right before `N名` that place it in its sentence's ranking, from `[figures]`.
    pub rank_place_leads: Vec<String>,
    /// Set phrases whose numerals are no figures (四面八方, 三次产业), as one automaton: a
    /// single pass over a text finds them all.
    pub set_phrases: AhoCorasick,
    /// Words after `N大` that make it a party congress (二十大报告).
    pub congress_words: Vec<String>,
    /// [`Lexicon::organization_stops`] as one automaton.
    pub organization_stop_set: WordSet,
    /// Sector, product, trade and generic words together (`sector_words`,
    /// `project_product_words`, `firm_short_endings`, `organization_generic`): none of them
    /// stands in the brand of a firm named by its trade (化工新材料 is a sector).
    pub brand_core_stops: WordSet,
    /// [`Lexicon::prefix_stops`] as one automaton.
    pub prefix_stop_set: WordSet,
    /// [`Lexicon::speech_verbs`] as one automaton (same order).
    pub speech_verb_set: WordSet,
    /// [`Lexicon::person_titles_after`] as one automaton (same order).
    pub person_titles_after_set: WordSet,
    /// The keys of [`Lexicon::zone_aliases`] as one automaton (same order).
    pub zone_alias_set: WordSet,
    /// [`Lexicon::increase_words`] as one automaton (same order).
    pub increase_set: WordSet,
    /// [`Lexicon::decrease_words`] as one automaton (same order).
    pub decrease_set: WordSet,
    /// `[stats]` growth words (增长, 同比 …) as one automaton.
    pub growth_set: WordSet,
    /// `[stats]` share words (占, 比重, 率 …).
    pub share_set: WordSet,
    /// `[stats]` level words (增至, 降至 …): a direction word that states a new level.
    pub level_set: WordSet,
    /// `[stats]` units that are always an absolute change (百分点).
    pub change_units: Vec<String>,
    /// `[stats] ranking_words`: a sentence about a ranking.
    pub ranking_words: Vec<String>,
    /// Every measure's words, measure after measure, as one automaton.
    pub measure_word_set: WordSet,
    /// For each measure: its words' positions in [`Lexicon::measure_word_set`].
    pub measure_word_ranges: Vec<std::ops::Range<usize>>,
    /// Units by the first character of their surface: (character, unit indices ascending).
    unit_index: Vec<(char, Vec<usize>)>,
    /// Indices of units with an empty surface (they match anywhere).
    empty_units: Vec<usize>,
}

fn longest_first(mut v: Vec<String>) -> Vec<String> {
    v.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    v.dedup();
    v
}

fn automaton<P: AsRef<[u8]>>(words: &[P]) -> Result<AhoCorasick> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(words)
        .map_err(|e| anyhow!("cannot build word automaton: {e}"))
}

/// A word list compiled into one automaton, to ask in a single pass over a text what
/// `str::contains` / `str::rfind` asked once per word.
#[derive(Debug)]
pub struct WordSet {
    /// Every distinct non-empty word (the automaton's patterns, by pattern id), for
    /// overlapping searches.
    ac: AhoCorasick,
    /// The same words, leftmost-longest: a fast (prefiltered) scan that finds every place
    /// where some word starts or overlaps.
    scan: AhoCorasick,
    /// Longest word, in bytes.
    max_len: usize,
    /// For each position of the source list: its pattern id (`None` for an empty word).
    ids: Vec<Option<usize>>,
    /// Number of distinct non-empty words.
    distinct: usize,
    /// The list holds an empty word, which every text contains.
    has_empty: bool,
}

/// Texts up to this length are searched for overlapping words directly, without the
/// prefiltered scan first.
const SHORT_HAY_BYTES: usize = 96;

/// Which words of a [`WordSet`] occur in a text.
#[derive(Debug, Clone, Default)]
pub struct Present {
    small: u128,
    big: Vec<u64>,
}

impl Present {
    /// How many of the words occur.
    pub fn count(&self) -> usize {
        (self.small.count_ones() + self.big.iter().map(|b| b.count_ones()).sum::<u32>()) as usize
    }

    fn set(&mut self, id: usize) {
        if id < 128 {
            self.small |= 1 << id;
        } else {
            let k = (id - 128) / 64;
            if self.big.len() <= k {
                self.big.resize(k + 1, 0);
            }
            self.big[k] |= 1 << ((id - 128) % 64);
        }
    }

    fn get(&self, id: usize) -> bool {
        if id < 128 {
            self.small >> id & 1 == 1
        } else {
            let k = (id - 128) / 64;
            self.big
                .get(k)
                .is_some_and(|w| w >> ((id - 128) % 64) & 1 == 1)
        }
    }

    /// True when no word occurs.
    pub fn is_empty(&self) -> bool {
        self.small == 0 && self.big.iter().all(|&w| w == 0)
    }
}

impl WordSet {
    /// Compiles a word list (its order is kept: callers index words by list position).
    pub fn new(words: &[String]) -> Result<WordSet> {
        let mut distinct: Vec<&str> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let ids = words
            .iter()
            .map(|w| {
                if w.is_empty() {
                    return None;
                }
                Some(*index.entry(w.as_str()).or_insert_with(|| {
                    distinct.push(w.as_str());
                    distinct.len() - 1
                }))
            })
            .collect();
        // a full DFA: these lists are small, and overlapping searches run on every segment
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&distinct)
            .map_err(|e| anyhow!("cannot build word automaton: {e}"))?;
        let scan = automaton(&distinct)?;
        Ok(WordSet {
            ac,
            scan,
            max_len: distinct.iter().map(|w| w.len()).max().unwrap_or(0),
            ids,
            distinct: distinct.len(),
            has_empty: words.iter().any(String::is_empty),
        })
    }

    /// True when `hay` contains at least one of the words (`words.iter().any(|w|
    /// hay.contains(w))`).
    pub fn any_in(&self, hay: &str) -> bool {
        self.has_empty || (self.distinct > 0 && self.ac.is_match(hay))
    }

    /// True when `hay` starts with one of the words (`words.iter().any(|w|
    /// hay.starts_with(w))`).
    pub fn starts(&self, hay: &str) -> bool {
        if self.has_empty {
            return true;
        }
        if self.distinct == 0 {
            return false;
        }
        let head = &hay.as_bytes()[..hay.len().min(self.max_len)];
        self.ac.find_overlapping_iter(head).any(|o| o.start() == 0)
    }

    /// Where the first word in `hay` starts (`words.iter().filter_map(|w| hay.find(w)).min()`).
    pub fn first_start(&self, hay: &str) -> Option<usize> {
        if self.has_empty {
            return Some(0);
        }
        if self.distinct == 0 {
            return None;
        }
        self.scan.find(hay).map(|m| m.start())
    }

    /// True when `hay` ends with one of the words (`words.iter().any(|w| hay.ends_with(w))`):
    /// one search over the last bytes, where a loop over the words compared each in turn.
    pub fn ends(&self, hay: &str) -> bool {
        if self.has_empty {
            return true;
        }
        if self.distinct == 0 {
            return false;
        }
        let bytes = hay.as_bytes();
        // (a word is whole UTF-8, so no match starts inside a character of the tail)
        let tail = &bytes[bytes.len().saturating_sub(self.max_len)..];
        self.ac
            .find_overlapping_iter(tail)
            .any(|o| o.end() == tail.len())
    }

    /// Where each word `hay` starts with ends (`w.len()` for every `w` with
    /// `hay.starts_with(w)`), in no order.
    pub fn prefix_ends<'h>(&'h self, hay: &'h str) -> impl Iterator<Item = usize> + 'h {
        let head = &hay.as_bytes()[..hay.len().min(self.max_len)];
        let empty = self.has_empty.then_some(0);
        let found = (self.distinct > 0)
            .then(|| {
                self.ac
                    .find_overlapping_iter(head)
                    .filter(|o| o.start() == 0)
                    .map(|o| o.end())
            })
            .into_iter()
            .flatten();
        empty.into_iter().chain(found)
    }

    /// The largest `hay.rfind(w) + w.len()` over the words: where the text after the last
    /// word starts. `None` when no word occurs.
    pub fn max_end(&self, hay: &str) -> Option<usize> {
        let mut best = self.has_empty.then_some(hay.len());
        self.each_occurrence(hay, |_, end| best = best.max(Some(end)));
        best
    }

    /// Which words occur in `hay`; ask with [`WordSet::contains`].
    pub fn present(&self, hay: &str) -> Present {
        let mut p = Present::default();
        self.each_occurrence(hay, |id, _| p.set(id));
        p
    }

    /// Calls `f(pattern id, end)` for every occurrence of every word in `hay` (some more than
    /// once).
    ///
    /// Every occurrence starts inside a match of the fast leftmost-longest scan (a leftmost
    /// search would otherwise have stopped at it), so only the text from each such match's
    /// start to a word's length past its end is searched for overlapping occurrences.
    fn each_occurrence(&self, hay: &str, mut f: impl FnMut(usize, usize)) {
        if self.distinct == 0 {
            return;
        }
        let bytes = hay.as_bytes();
        if bytes.len() <= SHORT_HAY_BYTES {
            // a short text (a label, a clause) is searched directly
            for o in self.ac.find_overlapping_iter(bytes) {
                f(o.pattern().as_usize(), o.end());
            }
            return;
        }
        for m in self.scan.find_iter(bytes) {
            // windows may overlap, so an occurrence may be reported twice
            let to = (m.end() + self.max_len).min(bytes.len());
            let window = aho_corasick::Input::new(bytes).range(m.start()..to);
            for o in self.ac.find_overlapping_iter(window) {
                f(o.pattern().as_usize(), o.end());
            }
        }
    }

    /// True when the word at list position `k` is in `present` (an empty word always is).
    pub fn contains(&self, present: &Present, k: usize) -> bool {
        match self.ids.get(k) {
            Some(Some(id)) => present.get(*id),
            Some(None) => true,
            None => false,
        }
    }
}

impl Lexicon {
    /// True when one of `firm_short_endings` stands right before a `、` (科技、): where a list
    /// of firms named by their trades may be. The 、 are found first ([`find_char`]), so a
    /// text without them costs no automaton scan.
    pub fn has_trade_list_mark(&self, text: &str) -> bool {
        let mut from = 0;
        while let Some(i) = find_char(&text[from..], '、') {
            let at = from + i;
            if self.firm_short_ending_set.ends(&text[..at]) {
                return true;
            }
            from = at + '、'.len_utf8();
        }
        false
    }

    /// Compiles the config's lexicons and loads the gazetteer.
    pub fn from_config(cfg: &Config) -> Result<Lexicon> {
        let l = &cfg.lexicon;
        let titles_after: Vec<String> = l
            .person_titles_after
            .iter()
            .chain(&l.person_titles_after_counted)
            .cloned()
            .collect();
        let mut units: Vec<Unit> = cfg
            .units
            .iter()
            .map(|(surface, d)| Unit {
                surface: surface.clone(),
                unit: d.unit.clone(),
                kind: d.kind.get_ref().clone(),
                chinese_only: d.chinese_only,
                scale: d.scale.unwrap_or(1.0),
                lead_words: d.lead_words.clone(),
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
        // the suffixes, then those that need the gazetteer: one pattern list, in that order
        let (suffix_surfaces, zone_suffix_canon): (Vec<String>, Vec<String>) = z
            .suffixes
            .iter()
            .chain(&z.gazetteer_suffixes)
            .map(|(surface, canon)| (surface.clone(), canon.clone()))
            .unzip();
        let zone_suffix_gazetteer_only: Vec<bool> = (0..suffix_surfaces.len())
            .map(|i| i >= z.suffixes.len())
            .collect();
        let gaz_path = cfg.resolve(&z.gazetteer);
        let canon_suffixes: Vec<String> = {
            let mut v: Vec<String> = zone_suffix_canon.clone();
            v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
            v.dedup();
            v
        };
        // a gazetteer that cannot be read or parsed is a config error (exit 2), like the
        // config file's own
        let bytes = cfg.gazetteer_bytes()?;
        let gazetteer = load_gazetteer(&bytes, &canon_suffixes).map_err(|e| {
            cfg.data_file_error(
                "zones.gazetteer",
                format!("cannot load {}: {e:#}", gaz_path.display()),
            )
        })?;
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
        let gazetteer_places_of: HashMap<String, Vec<String>> = gazetteer
            .iter()
            .map(|g| (g.entry.zone.name.clone(), g.aliases.clone()))
            .collect();
        let mut places: HashSet<String> = HashSet::new();
        for g in &gazetteer {
            places.extend(g.aliases.iter().cloned());
            for name in [&g.entry.zone.province, &g.entry.zone.city]
                .into_iter()
                .flatten()
            {
                places.insert(name.clone());
                places.insert(place_short(name));
            }
        }
        let place_list = cfg.places_text()?;
        places.extend(
            place_list
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
        places.retain(|p| p.chars().count() >= 2);
        let max_place_chars = places.iter().map(|p| p.chars().count()).max().unwrap_or(0);
        let mut gazetteer_alias_by_suffix: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for ((alias, suffix), &i) in &gazetteer_alias {
            gazetteer_alias_by_suffix
                .entry(suffix.clone())
                .or_default()
                .insert(alias.clone(), i);
        }
        let measure_words: Vec<String> = cfg
            .measures
            .iter()
            .flat_map(|m| m.words.iter().cloned())
            .collect();
        let mut measure_word_ranges = Vec::with_capacity(cfg.measures.len());
        let mut at = 0;
        for m in &cfg.measures {
            measure_word_ranges.push(at..at + m.words.len());
            at += m.words.len();
        }
        let empty_units: Vec<usize> = (0..units.len())
            .filter(|&i| units[i].surface.is_empty())
            .collect();
        let mut unit_index: Vec<(char, Vec<usize>)> = Vec::new();
        for (i, u) in units.iter().enumerate() {
            if let Some(c) = u.surface.chars().next() {
                match unit_index.iter_mut().find(|(k, _)| *k == c) {
                    Some((_, v)) => v.push(i),
                    None => unit_index.push((c, vec![i])),
                }
            }
        }
        for (_, v) in &mut unit_index {
            v.extend(&empty_units);
            v.sort_unstable();
        }
        unit_index.sort_by_key(|(c, _)| *c);
        let speech_verbs = longest_first(l.speech_verbs.clone());
        let organization_stops = longest_first(l.organization_stops.clone());
        let prefix_stops = longest_first(z.prefix_stops.clone());
        let increase_words = longest_first(cfg.figures.increase_words.clone());
        let decrease_words = longest_first(cfg.figures.decrease_words.clone());
        let alias_keys: Vec<String> = z.aliases.keys().cloned().collect();
        let mut rules = cfg.page.clone();
        for list in [
            &mut rules.chrome_prefixes,
            &mut rules.meta_keys,
            &mut rules.dateline_agencies,
        ] {
            *list = longest_first(std::mem::take(list));
        }
        let page = PageLexicon {
            chrome_prefixes: WordSet::new(&rules.chrome_prefixes)?,
            chrome_words: WordSet::new(&rules.chrome_words)?,
            notice_words: WordSet::new(&rules.notice_words)?,
            profile_words: WordSet::new(&rules.profile_words)?,
            counter_words: rules.counter_words.iter().cloned().collect(),
            rules,
        };
        Ok(Lexicon {
            page,
            organization_stop_set: WordSet::new(&organization_stops)?,
            brand_core_stops: WordSet::new(
                &l.sector_words
                    .iter()
                    .chain(&l.project_product_words)
                    .chain(&l.firm_short_endings)
                    .chain(&l.organization_generic)
                    .cloned()
                    .collect::<Vec<_>>(),
            )?,
            prefix_stop_set: WordSet::new(&prefix_stops)?,
            speech_verb_set: WordSet::new(&speech_verbs)?,
            person_titles_after_set: WordSet::new(&titles_after)?,
            zone_alias_set: WordSet::new(&alias_keys)?,
            increase_set: WordSet::new(&increase_words)?,
            decrease_set: WordSet::new(&decrease_words)?,
            growth_set: WordSet::new(&cfg.stats.growth_words)?,
            share_set: WordSet::new(&cfg.stats.share_words)?,
            level_set: WordSet::new(&cfg.stats.level_words)?,
            change_units: cfg.stats.change_units.clone(),
            ranking_words: cfg.stats.ranking_words.clone(),
            measure_word_set: WordSet::new(&measure_words)?,
            measure_word_ranges,
            unit_index,
            empty_units,
            surnames: l.surnames.chars().filter(|c| !c.is_whitespace()).collect(),
            compound_surnames: l.compound_surnames.clone(),
            byline_roles: longest_first(l.byline_roles.clone()),
            role_heads: {
                let mut heads: Vec<char> = l
                    .byline_roles
                    .iter()
                    .filter(|r| r.chars().count() >= 2)
                    .filter_map(|r| r.chars().next())
                    .collect();
                heads.sort_unstable();
                heads.dedup();
                heads
            },
            person_titles: automaton(&l.person_titles)?,
            person_titles_after: titles_after,
            person_titles_after_counted: l.person_titles_after_counted.clone(),
            name_follow_words: {
                let mut v = speech_verbs.clone();
                v.extend(l.name_follow_words.iter().cloned());
                longest_first(v)
            },
            speech_verbs,
            name_stop_chars: l.name_stop_chars.chars().collect(),
            organization_suffixes: automaton(&l.organization_suffixes)?,
            organization_stops,
            organization_generic: l.organization_generic.clone(),
            organization_kind_endings: l.organization_kind_endings.clone(),
            sector_words: l.sector_words.clone(),
            facility_suffixes: l.facility_suffixes.clone(),
            firm_list_qualifiers: l.firm_list_qualifiers.clone(),
            firm_origins: l.firm_origins.clone(),
            editor_roles: l.editor_roles.clone(),
            list_qualifiers_and_sectors: l
                .firm_list_qualifiers
                .iter()
                .chain(&l.sector_words)
                .cloned()
                .collect(),
            firm_short_endings: l.firm_short_endings.clone(),
            firm_short_ending_set: WordSet::new(&l.firm_short_endings)?,
            list_closer_set: WordSet::new(&l.list_closers)?,
            known_firms: automaton(&l.known_firms)?,
            scene_caption_endings: l.scene_caption_endings.clone(),
            shot_caption_words: l.shot_caption_words.clone(),
            project_product_words: l.project_product_words.clone(),
            firm_action_verbs: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&l.firm_action_verbs)
                .map_err(|e| anyhow!("cannot build the firm verb automaton: {e}"))?,
            units,
            measures: cfg.measures.clone(),
            zone_suffixes: automaton(&suffix_surfaces)?,
            zone_suffix_canon,
            zone_suffix_gazetteer_only,
            zone_group_suffixes: automaton(&z.group_suffixes)?,
            zone_anaphors: z.anaphors.clone(),
            place_anaphors: z.place_anaphors.clone(),
            market_words: WordSet::new(&z.market_words)?,
            vague_times: z.vague_times.clone(),
            sentence_openers: z.sentence_openers.clone(),
            zone_exclusion_openers: z.exclusion_openers.clone(),
            place_subjects: z.place_subjects.clone(),
            provinces: {
                let mut v: Vec<String> = gazetteer
                    .iter()
                    .filter_map(|g| g.entry.zone.province.as_deref())
                    .map(place_short)
                    .collect();
                v.sort();
                v.dedup();
                longest_first(v)
            },
            cities: gazetteer
                .iter()
                .filter_map(|g| g.entry.zone.city.as_deref())
                .map(place_short)
                .filter(|c| c.chars().count() >= 2)
                .collect(),
            gazetteer: gazetteer.into_iter().map(|g| g.entry).collect(),
            gazetteer_places_of,
            places,
            max_place_chars,
            gazetteer_alias,
            gazetteer_alias_by_suffix,
            max_alias_chars,
            zone_aliases: z.aliases.clone(),
            generic_prefixes: z.generic_prefixes.iter().cloned().collect(),
            group_prefixes: longest_first(z.group_prefixes.clone()),
            zone_rank_words: longest_first(z.zone_rank_words.clone()),
            comparison_before: z.comparison_before.clone(),
            status_words: z.status_words.clone(),
            comparison_after: z.comparison_after.clone(),
            prefix_stops,
            not_zone_words: z.not_zone_words.clone(),
            count_scopes: z.count_scopes.clone(),
            count_scope_links: z.count_scope_links.clone(),
            count_scope_verbs: z.count_scope_verbs.clone(),
            dimension_nouns: z.dimension_nouns.clone(),
            assessment_words: z.assessment_words.clone(),
            approx_before: longest_first(cfg.figures.approx_before.clone()),
            approx_after: longest_first(cfg.figures.approx_after.clone()),
            over_before: longest_first(cfg.figures.over_before.clone()),
            over_after: longest_first(cfg.figures.over_after.clone()),
            under_before: longest_first(cfg.figures.under_before.clone()),
            under_after: longest_first(cfg.figures.under_after.clone()),
            slogan_max_chars: cfg.figures.slogan_max_chars,
            future_markers: longest_first(cfg.figures.future_markers.clone()),
            as_of_words: cfg.figures.as_of_words.clone(),
            founding_words: cfg.figures.founding_words.clone(),
            year_result_verbs: cfg.figures.year_result_verbs.clone(),
            increase_words,
            decrease_words,
            direction_exceptions: cfg.figures.direction_exceptions.clone(),
            pair_from: longest_first(cfg.figures.pair_from.clone()),
            pair_to: longest_first(cfg.figures.pair_to.clone()),
            rank_lead_words: longest_first(cfg.figures.rank_lead_words.clone()),
            top_rank_verbs: cfg.figures.top_rank_verbs.clone(),
            ranking_sentence_words: cfg.figures.ranking_sentence_words.clone(),
            rank_place_leads: longest_first(cfg.figures.rank_place_leads.clone()),
            set_phrases: automaton(&cfg.figures.set_phrases)?,
            congress_words: cfg.figures.congress_words.clone(),
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
        if self.opens_with_compound_surname(s) && (3..=4).contains(&n) {
            return true;
        }
        (2..=3).contains(&n) && s.chars().next().is_some_and(|c| self.is_surname_char(c))
    }

    /// True when `s` opens with a two-character surname (欧阳, 上官): a name may run to four
    /// characters after one.
    pub fn opens_with_compound_surname(&self, s: &str) -> bool {
        self.compound_surnames
            .iter()
            .any(|c| s.starts_with(c.as_str()))
    }

    /// True when `c` ends a name (a verb or particle after it).
    pub fn is_name_stop(&self, c: char) -> bool {
        self.name_stop_chars.contains(&c) || !is_han(c)
    }

    /// Reporter names appended to the end of a paragraph after its final punctuation
    /// (`…李涛说。 王铁潇`): returns the byte offset where the names start and the names.
    pub fn trailing_names(&self, text: &str) -> Option<(usize, Vec<String>)> {
        let trimmed = text.trim_end();
        // …进一步优化营商环境。(伊巍 张召辉): the reporters in brackets after the last sentence
        if let Some(open) = trimmed
            .strip_suffix(')')
            .and_then(|t| t.rfind('('))
            .filter(|&at| {
                trimmed[..at]
                    .trim_end()
                    .ends_with(['。', '!', '?', '”', '…'])
            })
        {
            if let Some(names) = self
                .byline_names(&trimmed[open..])
                .filter(|n| !n.is_empty())
            {
                return Some((open, names));
            }
        }
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

    /// `body` with a space before every role word of two characters or more, longest first
    /// (记者乔地实习记者孙越 → 记者乔地 实习记者孙越).
    fn space_before_roles(&self, body: &str) -> String {
        let mut out = String::with_capacity(body.len() + 8);
        let mut i = 0;
        while i < body.len() {
            let rest = &body[i..];
            let Some(c) = rest.chars().next() else {
                break;
            };
            let role = if self.role_heads.binary_search(&c).is_ok() {
                self.byline_roles
                    .iter()
                    .find(|r| r.chars().count() >= 2 && rest.starts_with(r.as_str()))
            } else {
                None
            };
            if let Some(r) = role {
                // (宜宾日报社全媒体记者: the paper's reporter stays one credit)
                let after_press = ends_like_press(&out);
                if !after_press {
                    out.push(' ');
                }
                out.push_str(r);
                i += r.len();
                continue;
            }
            out.push(c);
            i += c.len_utf8();
        }
        out
    }

    /// The name after a reporter's role that opens `rest` (全媒体记者熊孝平 → 熊孝平), when the
    /// rest is a name; an editor's role gives none.
    fn reporter_name<'t>(&self, rest: &'t str) -> Option<&'t str> {
        self.byline_roles.iter().find_map(|r| {
            let name = rest.strip_prefix(r.as_str())?;
            (r.chars().count() >= 2
                && !self.editor_roles.iter().any(|e| e == r)
                && self.is_name(name))
            .then_some(name)
        })
    }

    /// A line made only of names and byline role words (`▶ 本报特约通讯员 范敏铃`,
    /// `万英俊 何家岐 周阳`, `张三 本报记者 李四`): returns the names, without the editors
    /// (`编辑 朱某`, `二审 张某`: a line of editors alone gives none).
    pub fn byline_names(&self, line: &str) -> Option<Vec<String>> {
        let body = line
            .trim_start_matches(|c| BYLINE_MARKS.contains(&c) || c == ' ')
            .trim();
        // a byline in brackets at the end of an article: (记者 李虎成 赵同增)
        let body = [('(', ')'), ('【', '】'), ('[', ']')]
            .iter()
            .find_map(|&(o, c)| body.strip_prefix(o)?.strip_suffix(c))
            .map_or(body, str::trim);
        // □罗高 (图片由乐山高新区提供): a note on the pictures after the names credits no one
        // (文/张三 李四(某某研究所): nor does the writers' affiliation)
        let body = body
            .strip_suffix(')')
            .and_then(|b| b.rsplit_once('('))
            .filter(|(names, note)| {
                PICTURE_NOTE_WORDS.iter().any(|w| note.contains(w))
                    || (!names.trim().is_empty()
                        && self
                            .organization_suffixes
                            .find_iter(*note)
                            .any(|m| m.end() == note.len()))
            })
            .map_or(body, |(names, _)| names.trim_end());
        if body.is_empty() || !at_most_chars(body, MAX_BYLINE_CHARS) {
            return None;
        }
        // 记者乔地实习记者孙越: a role word glued after a name starts the next credit
        let spaced = self.space_before_roles(body);
        let mut names = Vec::new();
        let mut had_role = false;
        // the names after an editorial role (编辑 朱某, 二审 张某) are editors: no authors
        let mut editors = false;
        let mut had_editor = false;
        // (梅州日报记者:赖运香: a colon after the role, like a space)
        let mut tokens: Vec<String> = Vec::new();
        for t in spaced
            .split([' ', '、', ',', '/', ':', '-', '?'])
            .filter(|t| !t.is_empty())
        {
            // (记者 周 蕾: a two-character name spaced out to the width of a longer one; but 文/图
            // are two roles)
            let single = |s: &str| {
                s.chars().count() == 1
                    && s.chars().all(is_han)
                    && !self.byline_roles.iter().any(|r| r == s)
            };
            if let Some(last) = tokens.last_mut() {
                if single(last) && single(t) && self.is_name(&format!("{last}{t}")) {
                    last.push_str(t);
                    continue;
                }
            }
            tokens.push(t.to_string());
        }
        // (遂宁观察 邹霞 四川在线记者 行晓艺: a column's or outlet's name may open the line)
        let mut outlet = false;
        // (记者 行晓艺: the token right after a reporter's role is a name even when its surname
        // is too rare for the surname list)
        let mut credit_pending = false;
        let mut had_credit = false;
        for (i, raw) in tokens.iter().enumerate() {
            let mut tok = raw.as_str();
            let mut credited = false;
            // role words may be glued to a name: 本报记者范敏铃, 范敏铃摄
            loop {
                let before = tok;
                for r in &self.byline_roles {
                    // a one-character role (文, 图, 摄) is glued after a name (范敏铃摄) but
                    // stands apart before one (文 张三): 文章详情 is no credit of 章详情
                    let glued_single = |rest: &str| !rest.is_empty() && r.chars().count() == 1;
                    if let Some(rest) = tok
                        .strip_prefix(r.as_str())
                        .filter(|rest| !glued_single(rest))
                    {
                        tok = rest;
                        had_role = true;
                        editors = self.editor_roles.iter().any(|e| e == r);
                        had_editor |= editors;
                        credited = !editors && r.chars().count() >= 2;
                        break;
                    }
                    if let Some(rest) = tok.strip_suffix(r.as_str()) {
                        if !rest.is_empty() && self.is_name(rest) {
                            tok = rest;
                            had_role = true;
                            break;
                        }
                        // 兰州日报社全媒体记者, 光明日报记者, 四川在线记者: the paper's or
                        // site's reporter
                        if rest.chars().count() >= 2 && ends_like_press(rest) {
                            tok = "";
                            had_role = true;
                            credited = !self.editor_roles.iter().any(|e| e == r);
                            break;
                        }
                    }
                }
                if tok == before || tok.is_empty() {
                    break;
                }
            }
            // (天天天水网-天水日报姬建中 徐建强/文: the site and the paper the names write for,
            // the last name glued after the paper's)
            // (鄂州日报全媒体记者熊孝平: or the paper, its reporter's role, then the name)
            if !self.is_name(tok) {
                let press = tok
                    .char_indices()
                    .filter(|&(i, c)| i > 0 && PRESS_ENDINGS.contains(&c))
                    .map(|(i, c)| i + c.len_utf8())
                    .find_map(|e| {
                        let rest = &tok[e..];
                        if rest.is_empty() || self.is_name(rest) {
                            Some((rest, false))
                        } else {
                            self.reporter_name(rest).map(|name| (name, true))
                        }
                    });
                if let Some((rest, by_role)) = press {
                    tok = rest;
                    had_role |= by_role;
                    credited |= by_role;
                }
            }
            had_credit |= credited;
            if tok.is_empty() {
                credit_pending = credited;
                continue;
            }
            // (本报记者综合报道: a credit of the desk, no name)
            let credited_name = (credited || credit_pending)
                && !editors
                && (2..=3).contains(&tok.chars().count())
                && !UNNAMED_CREDITS.contains(&tok)
                && !tok.chars().any(|c| self.is_name_stop(c));
            credit_pending = false;
            if self.is_name(tok) || credited_name {
                if !editors {
                    names.push(tok.to_string());
                }
            } else if i == 0
                && tok == raw.as_str()
                && (2..=MAX_OUTLET_CHARS).contains(&tok.chars().count())
                && tok.chars().all(is_han)
            {
                outlet = true;
            } else {
                return None;
            }
        }
        if (names.is_empty() && !had_editor)
            || (names.len() > 6 && !had_role)
            || (outlet && !had_credit)
        {
            return None;
        }
        Some(names)
    }

    /// The unit written at the start of `s`, longest form first.
    pub fn unit_at(&self, s: &str, chinese: bool) -> Option<&Unit> {
        // only units starting with the text's first character can start it
        let candidates = match s.chars().next() {
            Some(c) => match self.unit_index.binary_search_by_key(&c, |(k, _)| *k) {
                Ok(i) => &self.unit_index[i].1,
                Err(_) => &self.empty_units,
            },
            None => &self.empty_units,
        };
        candidates
            .iter()
            .map(|&i| &self.units[i])
            .find(|u| s.starts_with(u.surface.as_str()) && (chinese || !u.chinese_only))
    }
}

/// A province's or city's name without its administrative suffix, as running text uses it
/// (江苏省 → 江苏, 广西壮族自治区 → 广西, 楚雄彝族自治州 → 楚雄, 阿拉善盟 → 阿拉善).
fn place_short(name: &str) -> String {
    if name.contains('族') {
        return name.chars().take(2).collect();
    }
    for suffix in [
        "特别行政区",
        "维吾尔自治区",
        "自治区",
        "自治州",
        "地区",
        "省",
        "市",
        "盟",
        "州",
        "县",
        "区",
    ] {
        if let Some(head) = name.strip_suffix(suffix) {
            if head.chars().count() >= 2 {
                return head.to_string();
            }
        }
    }
    name.to_string()
}

/// True when `text` starts with a place name of the lexicon.
pub fn starts_with_place(text: &str, lex: &Lexicon) -> bool {
    place_prefix_len(text, lex).is_some()
}

/// The length in bytes of the longest place name of the lexicon `text` starts with, if any.
pub fn place_prefix_len(text: &str, lex: &Lexicon) -> Option<usize> {
    text.char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .take(lex.max_place_chars)
        .filter(|&e| lex.places.contains(&text[..e]))
        .last()
}

/// Marks that set a byline off at the head of a story's text (□罗高, ■本报记者 蔺艳霜,
/// ▶ 本报特约通讯员 范敏铃).
pub const BYLINE_MARKS: &[char] = &['□', '■', '▶', '►', '●', '◎'];

/// Words of a bracketed note on a story's pictures after a byline's names (图片由…提供, 供图).
const PICTURE_NOTE_WORDS: &[&str] = &["图片", "供图", "提供", "摄"];

/// Characters that end the name of a paper, site or agency (光明日报, 东方网, 兰州日报社,
/// 电视台, 周刊, 天眼新闻): before a reporter's role it is the reporter's employer, not a name.
pub const PRESS_ENDINGS: &[char] = &['报', '网', '社', '台', '刊', '闻'];

/// Words a reporter's role is followed by in place of a name (本报记者综合报道: 综合 and 报道;
/// only tokens of two or three characters are read as unlisted names, so longer words need
/// no entry).
const UNNAMED_CREDITS: [&str; 2] = ["综合", "报道"];

/// Longest column or outlet name opening a byline (遂宁观察 邹霞 …), in characters.
const MAX_OUTLET_CHARS: usize = 8;

/// How a news site's or app's name ends when no character of [`PRESS_ENDINGS`] is in it
/// (华声在线, 新甘肃客户端).
pub const ONLINE_PRESS_ENDINGS: [&str; 2] = ["在线", "客户端"];

/// True when `s` ends like the name of a paper, site, agency or news app (光明日报, 四川在线).
fn ends_like_press(s: &str) -> bool {
    s.ends_with(PRESS_ENDINGS) || ONLINE_PRESS_ENDINGS.iter().any(|w| s.ends_with(w))
}

/// True for CJK unified ideographs (the characters names and words are made of).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// The largest char boundary of `text` at or below `i` (`str::floor_char_boundary`, which
/// is newer than this crate's minimum Rust).
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// True when `t` has at most `n` characters, as `t.chars().count() <= n`, without counting
/// them when its length in bytes decides (a character is 1 to 4 bytes): most lines asked
/// are paragraphs far longer than any such limit.
pub fn at_most_chars(t: &str, n: usize) -> bool {
    t.len() <= n || (t.len() <= 4 * n && t.chars().count() <= n)
}

/// Longest byline, in characters (its marks and a closing note aside).
const MAX_BYLINE_CHARS: usize = 40;

/// Byte offset of the first `needle` (ASCII, not empty) in `hay`, as `hay.find(needle)`: a
/// vectorised search for its first byte, each hit checked for the rest. In Chinese text an
/// ASCII letter is rare, so this skips most of the text, where `str::find` first builds a
/// two-way searcher (more work than the search on a short line).
pub fn find_ascii(hay: &str, needle: &str) -> Option<usize> {
    debug_assert!(needle.is_ascii() && !needle.is_empty());
    let (bytes, n) = (hay.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    memchr::memchr_iter(first, bytes).find(|&at| bytes[at..].starts_with(n))
}

/// Byte offset of the first `c` in `hay`, as `hay.find(c)`: a vectorised search for the
/// character's lead byte, each hit checked for the rest of its UTF-8 bytes (a lead byte is never
/// a continuation byte, so a hit that matches starts the character). Faster than `str::find`
/// for CJK punctuation, whose last byte is common in Chinese text, and than a `memmem` search,
/// whose set-up would cost more than the search on most of the short texts asked.
pub fn find_char(hay: &str, c: char) -> Option<usize> {
    let mut buf = [0u8; 4];
    let needle = c.encode_utf8(&mut buf).as_bytes();
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(needle[0], &bytes[from..]) {
        let at = from + i;
        if bytes[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Byte offset of the last `c` in `hay`, as `hay.rfind(c)` (see [`find_char`]).
pub fn rfind_char(hay: &str, c: char) -> Option<usize> {
    let mut buf = [0u8; 4];
    let needle = c.encode_utf8(&mut buf).as_bytes();
    let bytes = hay.as_bytes();
    let mut to = bytes.len();
    while let Some(at) = memchr::memrchr(needle[0], &bytes[..to]) {
        if bytes[at..].starts_with(needle) {
            return Some(at);
        }
        to = at;
    }
    None
}

/// The smallest char boundary of `text` at or above `i` (`str::ceil_char_boundary`, newer
/// than this crate's minimum Rust).
pub fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

struct LoadedZone {
    entry: GazetteerZone,
    aliases: Vec<String>,
}

fn load_gazetteer(bytes: &[u8], canon_suffixes: &[String]) -> Result<Vec<LoadedZone>> {
    let mut rdr = csv::Reader::from_reader(bytes);
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
    fn at_most_chars_answers_like_a_count() {
        for t in [
            "",
            "abc",
            "高新区",
            "高新区abc",
            &"区".repeat(17),
            &"a".repeat(64),
        ] {
            for n in [0, 1, 3, 6, 16, 17, 64] {
                assert_eq!(at_most_chars(t, n), t.chars().count() <= n, "{t} {n}");
            }
        }
    }

    #[test]
    fn ascii_and_char_searches_answer_like_str_find() {
        let texts = [
            "本文地址:http://a.cn/1.htm自治区",
            "hhttp htt http",
            "没有地址",
            "",
            "高新区、经开区,示范区、",
        ];
        for t in texts {
            assert_eq!(find_ascii(t, "http"), t.find("http"), "{t}");
            assert_eq!(find_ascii(t, "h"), t.find('h'), "{t}");
            for c in ['、', ',', '区', 'h'] {
                assert_eq!(find_char(t, c), t.find(c), "{t} {c}");
                assert_eq!(rfind_char(t, c), t.rfind(c), "{t} {c}");
            }
        }
    }

    #[test]
    fn word_sets_answer_like_per_word_searches() {
        let words: Vec<String> = ["增长", "增长到", "长", "", "增长"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let with_empty = WordSet::new(&words).unwrap();
        let without = WordSet::new(&words[..3]).unwrap();
        let filler = "无关的文字".repeat(30);
        let long: Vec<String> = [
            format!("{filler}同比增长到{filler}"),
            format!("增长{filler}长"),
            format!("{filler}增长到"),
            format!("{filler}增"),
            filler.clone(),
            "增长到".repeat(60),
        ]
        .into_iter()
        .collect();
        let short = ["", "同比增长到", "长长", "无关", "增长率增长"];
        for hay in short.iter().copied().chain(long.iter().map(String::as_str)) {
            for (set, list) in [(&with_empty, &words[..]), (&without, &words[..3])] {
                assert_eq!(
                    set.any_in(hay),
                    list.iter().any(|w| hay.contains(w.as_str())),
                    "{hay}"
                );
                let max_end = list
                    .iter()
                    .filter_map(|w| hay.rfind(w.as_str()).map(|p| p + w.len()))
                    .max();
                assert_eq!(set.max_end(hay), max_end, "{hay}");
                assert_eq!(
                    set.first_start(hay),
                    list.iter().filter_map(|w| hay.find(w.as_str())).min(),
                    "{hay}"
                );
                assert_eq!(
                    set.ends(hay),
                    list.iter().any(|w| hay.ends_with(w.as_str())),
                    "{hay}"
                );
                let present = set.present(hay);
                for (k, w) in list.iter().enumerate() {
                    assert_eq!(
                        set.contains(&present, k),
                        hay.contains(w.as_str()),
                        "{hay} {w}"
                    );
                }
            }
        }
        let empty = WordSet::new(&[]).unwrap();
        assert!(!empty.any_in("增长"));
        assert!(!empty.ends("增长"));
        assert_eq!(empty.max_end("增长"), None);
    }

    #[test]
    fn unit_lookup_is_longest_form_first() {
        let lex = Lexicon::for_tests();
        for s in [
            "个工作日",
            "个月",
            "个",
            "平方公里",
            "千瓦时",
            "千克",
            "元",
            "x",
            "",
        ] {
            for chinese in [false, true] {
                let direct = lex
                    .units
                    .iter()
                    .find(|u| s.starts_with(u.surface.as_str()) && (chinese || !u.chinese_only))
                    .map(|u| u.surface.as_str());
                assert_eq!(lex.unit_at(s, chinese).map(|u| u.surface.as_str()), direct);
            }
        }
    }

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
        // a one-character role stands apart before a name: 文章详情 credits nobody
        assert_eq!(lex.byline_names("文章详情"), None);
        // the site and the paper the writers work for, the first name glued to the paper's
        assert_eq!(
            lex.byline_names("●新城网-新城日报王建平 刘晓东/文"),
            Some(vec!["王建平".to_string(), "刘晓东".to_string()])
        );
        // a paper's name alone credits nobody
        assert_eq!(lex.byline_names("新城日报"), None);
        // spaces a mirror turned into question marks
        assert_eq!(
            lex.byline_names("科技日报记者 王建平?通讯员?刘晓东"),
            Some(vec!["王建平".to_string(), "刘晓东".to_string()])
        );
        // a name spaced out, and a colon after the paper's reporter
        assert_eq!(
            lex.byline_names("新闻网记者 周 蕾"),
            Some(vec!["周蕾".to_string()])
        );
        assert_eq!(
            lex.byline_names("梅州日报记者:赖运香"),
            Some(vec!["赖运香".to_string()])
        );
        assert_eq!(
            lex.byline_names("(记者乔一地实习记者孙二越)"),
            Some(vec!["乔一地".into(), "孙二越".into()])
        );
        assert_eq!(lex.byline_names("文 章一平"), Some(vec!["章一平".into()]));
        assert_eq!(
            lex.byline_names("强化联动、挂图作业 不断蓄积项目建设新动能"),
            None
        );
        // an outlet named 新闻 employs its reporter; editors are no authors, and a line of
        // editors alone is still a credit line
        assert_eq!(
            lex.byline_names("四川日报川观新闻记者 王蕾"),
            Some(vec!["王蕾".into()])
        );
        assert_eq!(
            lex.byline_names("记者 王蕾 编辑 刘洋"),
            Some(vec!["王蕾".into()])
        );
        assert_eq!(lex.byline_names("二审 陈静"), Some(Vec::new()));
        // a note on the pictures after the names
        assert_eq!(
            lex.byline_names("□周明 (图片由德阳高新区提供)"),
            Some(vec!["周明".into()])
        );
        assert_eq!(lex.byline_names("周明 (德阳高新区)"), None);
        // the writers' affiliation after the names, a column's name before them, a site's
        // reporter
        assert_eq!(
            lex.byline_names("◎文/周明 刘洋(某省科学技术研究所)"),
            Some(vec!["周明".into(), "刘洋".into()])
        );
        assert_eq!(
            lex.byline_names("江城观察 周明 湖北在线记者 刘洋"),
            Some(vec!["周明".into(), "刘洋".into()])
        );
        // a reporter whose surname is too rare for the list, right after the role
        assert_eq!(
            lex.byline_names("本报记者 句晓艺"),
            Some(vec!["句晓艺".into()])
        );
        assert_eq!(lex.byline_names("记者 了解到"), None);
        assert_eq!(lex.byline_names("本报记者综合报道"), None);
        // (a picture's credit is no column's byline)
        assert_eq!(lex.byline_names("资料图 黄晓艺 摄"), None);
        // the paper, its reporter's role and the name in one token, and an editor after them
        assert_eq!(
            lex.byline_names("(江城日报全媒体记者周明 通讯员刘洋 责任编辑 王芳)"),
            Some(vec!["周明".into(), "刘洋".into()])
        );
        // (but a column's name before names with no role is no byline)
        assert_eq!(lex.byline_names("江城观察 周明 刘洋"), None);
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
        // the reporters in brackets after the last sentence; a bracketed note is no credit
        let t = "进一步优化营商环境。(王晓东 李娜)";
        let (pos, names) = lex.trailing_names(t).unwrap();
        assert_eq!(&t[pos..], "(王晓东 李娜)");
        assert_eq!(names, ["王晓东", "李娜"]);
        assert!(lex
            .trailing_names("同比增长12%。(数据来源:区统计局)")
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
