//! `pipeline.toml`: the run settings and every lexicon the extractor uses.
//!
//! Lexicons (units, measures, zone suffixes, titles, surnames …) are data, so a user can grow
//! them without touching code. Unknown keys and bad values are refused with the key's name and
//! its line in the file, before anything is read or written.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::Deserialize;
use toml::Spanned;

/// A configuration problem, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The config file.
    pub path: PathBuf,
    /// 1-based line of the offending key, when known.
    pub line: Option<usize>,
    /// Dotted key name, when known.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// `[input]`: where raw pages come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSection {
    /// Folder walked recursively (relative paths are relative to the config file's folder).
    pub dir: String,
    /// Glob patterns (relative to `dir`) a file must match to be read.
    pub include: Vec<Spanned<String>>,
    /// Glob patterns that exclude a file even when it matches `include`.
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    /// Files larger than this many bytes are rejected before being read.
    pub max_file_size: Spanned<u64>,
}

/// `[output]`: where tables go and in which formats.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    /// Output folder (relative paths are relative to the config file's folder).
    pub dir: String,
    /// Any of `parquet`, `csv`, `xlsx` (zonefacts.xlsx), `report` (report.html).
    pub formats: Spanned<Vec<String>>,
    /// (optional, default [`DEFAULT_KEEP_PREVIOUS_SECONDS`]) How long a replaced generation
    /// stays readable: a reader that resolved `OUTPUT/current` just before a run published
    /// finishes reading the run it started on.
    #[serde(default)]
    pub keep_previous_seconds: Option<Spanned<i64>>,
}

/// `output.keep_previous_seconds` when the key is absent: one hour.
pub const DEFAULT_KEEP_PREVIOUS_SECONDS: i64 = 3600;
/// The largest `output.keep_previous_seconds`: 30 days.
pub const MAX_KEEP_PREVIOUS_SECONDS: i64 = 30 * 24 * 3600;

/// `[run]`: parallelism.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSection {
    /// Worker threads; 0 means one per core.
    pub jobs: Spanned<i64>,
    /// (optional, default 0.5) A run that finds more than this share of the previous run's
    /// input files gone publishes nothing and exits 4; 1 never refuses.
    #[serde(default)]
    pub max_removed_share: Option<Spanned<f64>>,
    /// (optional, default 12) A run that finds the lock held for longer than this many hours
    /// says, as an error, that the holder may be stuck.
    #[serde(default)]
    pub max_lock_age_hours: Option<Spanned<f64>>,
}

/// `run.max_lock_age_hours` when the key is absent.
pub const DEFAULT_MAX_LOCK_AGE_HOURS: f64 = 12.0;

/// `run.max_removed_share` when the key is absent.
pub const DEFAULT_MAX_REMOVED_SHARE: f64 = 0.5;

/// `[csv]`: how CSV files are written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvSection {
    /// Write a UTF-8 byte-order mark first (Excel needs it to show Chinese).
    pub bom: bool,
    /// Field delimiter, one ASCII character.
    pub delimiter: Spanned<String>,
    /// Separator used to join list columns (authors) into one field.
    pub list_separator: String,
    /// (optional, default true) Guard text cells that start with `=`, `+`, `-` or `@` with a
    /// leading `'`, so that a spreadsheet shows them as text instead of running a formula.
    #[serde(default = "default_true")]
    pub formula_guard: bool,
}

fn default_true() -> bool {
    true
}

impl CsvSection {
    /// How the writer formats text cells.
    pub fn cell_format(&self) -> crate::write::csv_out::CellFormat<'_> {
        crate::write::csv_out::CellFormat {
            list_sep: &self.list_separator,
            formula_guard: self.formula_guard,
        }
    }
}

/// `[xlsx]` (optional): how large `zonefacts.xlsx` may grow.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XlsxSection {
    /// A table with more rows than this is left out of the workbook (its Parquet and CSV files
    /// hold it whole; the README sheet says so); 0 puts every table in, however long.
    pub max_rows: Spanned<i64>,
}

/// `[stories]` (optional): linking reprints of one story (see [`crate::stories`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoriesSection {
    /// False: every article is its own story (`story_id` = `article_id`).
    pub enabled: bool,
    /// Bodies with fewer Chinese characters and digits are never linked (captions, briefs).
    pub min_chars: Spanned<usize>,
    /// Sentences with fewer Chinese characters and digits are left out of the comparison.
    pub min_sentence_chars: Spanned<usize>,
    /// Share of the shorter body's characters that must lie in sentences both bodies hold.
    pub min_shared: Spanned<f64>,
    /// Characters per shingle of the MinHash signature.
    pub shingle_chars: Spanned<usize>,
    /// LSH bands of the signature.
    pub bands: Spanned<usize>,
    /// Signature slots per band.
    pub rows_per_band: Spanned<usize>,
    /// Most articles one band bucket keeps (bounds the work per article).
    pub max_bucket: Spanned<usize>,
    /// Which copy represents its story: one of [`REPRESENTATIVE_RULES`].
    pub representative: Spanned<String>,
}

/// The values of `stories.representative`: the story's first copy in source-file order (one
/// pass), or its earliest-published copy (two passes: every story must be complete before
/// its representative is known).
pub const REPRESENTATIVE_RULES: &[&str] = &["first_copy", "earliest_published"];

impl Default for StoriesSection {
    fn default() -> Self {
        let s = |v| Spanned::new(0..0, v);
        StoriesSection {
            enabled: true,
            min_chars: s(60),
            min_sentence_chars: s(6),
            min_shared: Spanned::new(0..0, 0.7),
            shingle_chars: s(5),
            bands: s(16),
            rows_per_band: s(3),
            max_bucket: s(4),
            representative: Spanned::new(0..0, "earliest_published".to_string()),
        }
    }
}

/// Rows a table may have and still go into the workbook when `[xlsx]` is not in the file:
/// the 100 000-row sheet the workbook was built to carry comfortably in Excel and WPS.
pub const DEFAULT_XLSX_MAX_ROWS: usize = 100_000;

/// One surface form of a unit: its canonical base unit, its class and its multiplier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDef {
    /// Canonical base unit written to `measures.unit`.
    pub unit: String,
    /// Unit class written to `measures.unit_kind`.
    pub kind: Spanned<String>,
    /// Only valid after a Chinese numeral (三大, 两位): too ambiguous after digits.
    #[serde(default)]
    pub chinese_only: bool,
    /// (optional) What one of this unit is in the base unit: 成 is 10 %, 万方 10,000 平方米.
    #[serde(default)]
    pub scale: Option<f64>,
    /// (optional) Words one of which must stand right before the number (分三期建设, 参加3期):
    /// without one, the unit names a thing (二期工程 is a phase, not a count).
    #[serde(default)]
    pub lead_words: Vec<String>,
}

/// One measure of the taxonomy: what a figure measures (its subject), whatever statistic of it
/// the figure states (the statistic is `measures.stat`, decided by [`StatsSection`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDef {
    /// Stable key written to `measures.measure_key` (the keys of GUIDELINES.md's measure table).
    pub key: String,
    /// Chinese name (营业收入): the report and the workbook name measures in Chinese first.
    pub zh: String,
    /// English name for the data dictionary.
    pub name: String,
    /// The unit classes a level of this measure takes (`money` for revenue, `count` for
    /// enterprises). A growth, change or share of it may come in any unit.
    pub unit_kinds: Spanned<Vec<String>>,
    /// Words that identify the measure in the figure's label or clause.
    pub words: Vec<String>,
    /// (optional) Unit classes for which this measure is the fallback: a level figure of such a
    /// unit whose words name no measure takes this one (a mass in tonnes is a production).
    #[serde(default)]
    pub fallback_for: Vec<String>,
    /// (optional) Words that, right after a level figure, make it this measure: `项目` for
    /// investment (10亿元以上项目有9个: money that sizes projects). Not label words: they do not
    /// name what a figure before them measures.
    #[serde(default)]
    pub after_words: Vec<String>,
    /// (optional) Words that, right before a level figure (its label ends with them), make it
    /// this measure ahead of the taxonomy's order: `总投资` for investment (签约了总投资6.3亿元
    /// is a project's investment, though 签约 names contract value).
    #[serde(default)]
    pub before_words: Vec<String>,
    /// (optional) The words name this measure only at the end of the text they are looked
    /// for in, as the counted noun (169家国家高新区 counts zones; 占兰州高新区生产总值比重 is
    /// no share of zones).
    #[serde(default)]
    pub words_at_end: bool,
    /// (optional) The statistic every figure of this measure states, whatever its words
    /// (新增企业 counts new enterprises: a level of `new_enterprises`, not a change).
    #[serde(default)]
    pub stat: Option<crate::model::Stat>,
}

/// `[stats]`: which statistic of its measure a figure states (`measures.stat`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsSection {
    /// Words that make a percentage or a multiple a relative change (增长, 增速, 同比, 压缩).
    pub growth_words: Vec<String>,
    /// Words that make a percentage a proportion of a whole (占, 比重, 率, 强度).
    pub share_words: Vec<String>,
    /// Direction words that state a new level, not a change (增至, 降至, 缩短为, 突破).
    pub level_words: Vec<String>,
    /// Units that are always an absolute change (百分点).
    pub change_units: Vec<String>,
    /// Words that make a sentence about a ranking (排名, 位列, 评价结果). Its figures that
    /// state no time of their own are of the year the article's ranking is for
    /// (`2016年度国家高新区排名` … `综合排名33,较去年进步了9位` → 2016).
    #[serde(default = "default_ranking_words")]
    pub ranking_words: Vec<String>,
}

/// `[page]`: what tells the lines of a page apart (chrome, metadata, datelines, briefs)
/// before articles are assembled; one set of rules for newspaper and web pages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSection {
    /// A line starting with one of these is site chrome (当前位置, 上一篇, 版权所有 …).
    pub chrome_prefixes: Vec<String>,
    /// A short line holding one of these anywhere is site chrome (ICP备, 分享到 …).
    pub chrome_words: Vec<String>,
    /// Longest line, in characters, that `chrome_words` can make chrome.
    pub chrome_max_chars: usize,
    /// Headings of lists of other stories (相关新闻, 点击排行): they and their list are chrome.
    pub list_headings: Vec<String>,
    /// Metadata field names (发布时间, 来源, 作者, 责任编辑 …).
    pub meta_keys: Vec<String>,
    /// Metadata fields naming credited authors (作者, 记者); editors are not authors.
    pub author_keys: Vec<String>,
    /// Metadata fields naming the publisher (来源, 发布机构): on a zone's own site, the zone an
    /// article calls just 经开区.
    #[serde(default = "default_source_keys")]
    pub source_keys: Vec<String>,
    /// A site's font-size and print buttons (【大 中 小】, 【关闭】): on a metadata line, text
    /// glued after the last of them is the story's first paragraph.
    #[serde(default = "default_toolbar_marks")]
    pub toolbar_marks: Vec<String>,
    /// Words of the ads a mirror site splices into a story (注册就送, 无需存款): a `《…》` or
    /// `【…】` holding one of them is noise inside a sentence, dropped before extraction.
    #[serde(default = "default_inserted_ad_words")]
    pub inserted_ad_words: Vec<String>,
    /// Metadata fields holding the publication date (发布时间, 日期).
    pub date_keys: Vec<String>,
    /// Words that alone on a line, maybe after a number, make it a page counter or its
    /// button (30阅读, 0回复, 评论): site chrome.
    #[serde(default = "default_counter_words")]
    pub counter_words: Vec<String>,
    /// Words of a forum member's profile line (每日心情, 签到天数): a date on such a line is
    /// when the member last checked in, not when the page was published.
    #[serde(default = "default_profile_words")]
    pub profile_words: Vec<String>,
    /// Words of a site's rights notice (版权, 授权, 转载): a paragraph holding two of them is the
    /// notice, not the article's text.
    #[serde(default = "default_notice_words")]
    pub notice_words: Vec<String>,
    /// Buttons that end a web page's article (上一篇, 下一条, 返回顶部): the short lines after a
    /// chrome line holding one of them are the site's menu, not section heads of the article.
    #[serde(default = "default_article_end_words")]
    pub article_end_words: Vec<String>,
    /// Section labels that open untitled briefs (图片新闻, 简讯).
    pub brief_labels: Vec<String>,
    /// Words a paragraph can open with only when it goes on from text before it (这次, 此外,
    /// 其中): a body that opens with one continues the article above, across a byline.
    #[serde(default = "default_continuation_openers")]
    pub continuation_openers: Vec<String>,
    /// Words that open a predicate with no subject: a headline line under another that opens
    /// with one is the rest of its sentence (郑州经开区2个项目 / 拟入选…), not a deck.
    #[serde(default = "default_headline_predicates")]
    pub headline_predicates: Vec<String>,
    /// Field names a page prints before its headline (`文章标题: …`): cut from the title.
    #[serde(default = "default_headline_labels")]
    pub headline_labels: Vec<String>,
    /// Endings of a heading over a list or a table (名单, 情况表): printed under a story, such a
    /// heading is not the story's headline.
    #[serde(default = "default_list_heading_endings")]
    pub list_heading_endings: Vec<String>,
    /// Marks that open a photo's caption (▲吴建平一行在…观摩): such a line is a caption, never a
    /// headline.
    #[serde(default = "default_caption_marks")]
    pub caption_marks: Vec<String>,
    /// Labels of a picture printed on their own line (资料图片): such a line is no navigation,
    /// so it does not make the headlines over it an index of other stories.
    #[serde(default = "default_picture_labels")]
    pub picture_labels: Vec<String>,
    /// Tags a portal prints after a headline, set off by a space (…亮眼 热议): cut from the
    /// title.
    #[serde(default = "default_headline_tags")]
    pub headline_tags: Vec<String>,
    /// Endings of the bodies that issue a text (管委会, 工委): a line made only of such names
    /// (中共绵阳经开区工委 绵阳经开区管委会) credits its issuers, it is no headline.
    #[serde(default = "default_issuer_endings")]
    pub issuer_endings: Vec<String>,
    /// Agencies and papers that open a dateline lead (新华社, 本报, 中新网).
    pub dateline_agencies: Vec<String>,
}

/// `[zones]`: how zones are recognised.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZonesSection {
    /// CSV gazetteer of known zones (relative to the config file's folder).
    pub gazetteer: String,
    /// (optional) Place names a zone name may start with, one per line (`#` comments).
    #[serde(default)]
    pub places: Option<String>,
    /// Zone-type suffixes: surface form → canonical short suffix (高新技术产业开发区 → 高新区).
    pub suffixes: BTreeMap<String, String>,
    /// Suffixes that name a zone only after a place the gazetteer knows with the canonical
    /// suffix (白银高新技术产业园区 is 白银高新区; 某某高新技术产业园区 may be any park).
    #[serde(default)]
    pub gazetteer_suffixes: BTreeMap<String, String>,
    /// Extra aliases: full surface name → canonical zone name.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// Words for development zones in general (开发区) that name no zone of their own but,
    /// counted or after a group prefix (全省93家开发区, 各开发区), name zones as a group.
    #[serde(default = "default_group_suffixes")]
    pub group_suffixes: Vec<String>,
    /// Words that refer back to the zone named before (该区, 该园区): a figure whose sentence
    /// names no zone but says one of them before it is the zone named last in its paragraph.
    #[serde(default = "default_zone_anaphors")]
    pub anaphors: Vec<String>,
    /// Words that refer back to a city or a county (该市, 该县): a figure after one in its
    /// sentence, with no zone named between, is that place's.
    #[serde(default = "default_place_anaphors")]
    pub place_anaphors: Vec<String>,
    /// Words of a sentence about a company's shares (收盘, 市值, 元/股): its figures are the
    /// share's, not any zone's.
    #[serde(default = "default_market_words")]
    pub market_words: Vec<String>,
    /// Vague times a sentence may open with before its subject (近日, 日前, 当天): skipped
    /// when looking for a city or a province opening the sentence.
    #[serde(default = "default_vague_times")]
    pub vague_times: Vec<String>,
    /// Words that open a sentence before its subject: where its news comes from (数据显示,
    /// 据了解) or how it links to the sentence before (此外, 不仅如此). Skipped like a vague time.
    #[serde(default = "default_sentence_openers")]
    pub sentence_openers: Vec<String>,
    /// Words that open a parenthesis leaving zones out of a group (不含, 不包括): a zone named
    /// there is what the sentence is not about.
    #[serde(default = "default_exclusion_openers")]
    pub exclusion_openers: Vec<String>,
    /// Words that open an article on a city, a county or a province as a whole (我市, 全省):
    /// an article whose opening starts so and names no zone is about that place.
    #[serde(default = "default_place_subjects")]
    pub place_subjects: Vec<String>,
    /// Prefixes that do not name a place (国家, 该, 全国 …): `国家高新区` is not a zone.
    pub generic_prefixes: Vec<String>,
    /// (optional) Words that, right before a zone suffix, name zones as a group (国家高新区,
    /// 全省高新区, 各高新区): a figure whose sentence is about them is about no single zone.
    #[serde(default)]
    pub group_prefixes: Vec<String>,
    /// (optional) Words that, after a place and before a zone suffix, rank or single out that
    /// place's zones (海南省唯一国家级高新区, 新疆首家经开区): the place's zones, not a zone named.
    #[serde(default)]
    pub zone_rank_words: Vec<String>,
    /// Words before a group of zones, in its clause, that make it the set a zone is compared
    /// with (增速高居54个国家级高新区首位), not the subject of the sentence.
    #[serde(default = "default_comparison_before")]
    pub comparison_before: Vec<String>,
    /// Words that confer a status on a zone (升格为, 批准为): a group of zones after one in its
    /// clause (升格为国家级经开区) is that zone's new status, not what the sentence is about.
    #[serde(default = "default_status_words")]
    pub status_words: Vec<String>,
    /// Words after a group of zones, in its clause, that complete that comparison (首位, 前列).
    #[serde(default = "default_comparison_after")]
    pub comparison_after: Vec<String>,
    /// Characters and words that cannot be part of a zone's place prefix (在, 于, 推动 …).
    pub prefix_stops: Vec<String>,
    /// Words in a figure's label that put it outside any zone (全省, 全国, 建党 …).
    pub not_zone_words: Vec<String>,
    /// The country, a province or a city as a whole (全国, 全省): a count right after one of
    /// them (全国97家综合保税区) counts that scope's set, not the zone's.
    #[serde(default = "default_count_scopes")]
    pub count_scopes: Vec<String>,
    /// What may stand between such a scope and its count (广东全省共有172家, 全市总量36家).
    #[serde(default = "default_count_scope_links")]
    pub count_scope_links: Vec<String>,
    /// What the zone does across such a scope (走访全国近20所高校): the count after it is the
    /// zone's.
    #[serde(default = "default_count_scope_verbs")]
    pub count_scope_verbs: Vec<String>,
    /// Nouns after a count that name the dimensions of an assessment (一级指标, 方面): with one
    /// of `assessment_words` in the sentence, the count describes the method, no zone.
    #[serde(default = "default_dimension_nouns")]
    pub dimension_nouns: Vec<String>,
    /// Words of a sentence describing an assessment (评价, 考核, 指标体系).
    #[serde(default = "default_assessment_words")]
    pub assessment_words: Vec<String>,
}

/// `[figures]`: qualifier words and exclusions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresSection {
    /// Words before a number meaning "about".
    pub approx_before: Vec<String>,
    /// Words after a unit meaning "about".
    pub approx_after: Vec<String>,
    /// Words before a number meaning "more than".
    pub over_before: Vec<String>,
    /// Words after a unit meaning "more than".
    pub over_after: Vec<String>,
    /// Words before a number meaning "less than".
    pub under_before: Vec<String>,
    /// Words after a unit meaning "less than".
    pub under_after: Vec<String>,
    /// A quoted span this short (characters) without sentence punctuation is a slogan:
    /// numbers inside it are not figures.
    pub slogan_max_chars: usize,
    /// Words that, just before a year, make it a forecast (预计2026年) rather than the past.
    pub future_markers: Vec<String>,
    /// Words that, just before a year, make it the time a status was read at (截至2025年4月底):
    /// passed, even where they end with a future marker (至, 到).
    #[serde(default = "default_as_of_words")]
    pub as_of_words: Vec<String>,
    /// Words that, in the clause right after a year, make it the year something was founded
    /// (1997年,示范区成立; 于1984年获批建设): history, which dates no page.
    #[serde(default = "default_founding_words")]
    pub founding_words: Vec<String>,
    /// Verbs that, in a sentence opening on a year and a comma, report that year's results
    /// (2024年,合肥高新区上市公司合计实现营业收入…): the year is over, so a dateline's month and
    /// day are of a later year the page does not give.
    #[serde(default = "default_year_result_verbs")]
    pub year_result_verbs: Vec<String>,
    /// Words stating an increase (增长, 提升) in the clause before a figure.
    pub increase_words: Vec<String>,
    /// Words stating a decrease (下降, 缩短, 精简) in the clause before a figure.
    pub decrease_words: Vec<String>,
    /// Words containing a direction word that are not one (增加值 is value added).
    pub direction_exceptions: Vec<String>,
    /// Words opening the "from" side of a from→to pair (由, 从).
    pub pair_from: Vec<String>,
    /// Words closing the link to the "to" side (为, 至, 到).
    pub pair_to: Vec<String>,
    /// Words right before a number that make it a position in a ranking even without a rank
    /// unit (综合排名33, 分别位居第43、52位, 排名24名): the unit is then 位.
    #[serde(default = "default_rank_lead_words")]
    pub rank_lead_words: Vec<String>,
    /// Verbs that make `N强` a rank of the zone (首次进入全国50强, 跻身30强); without one,
    /// `世界500强` is the name of a list, not a figure.
    #[serde(default = "default_top_rank_verbs")]
    pub top_rank_verbs: Vec<String>,
    /// Words of a sentence about a ranking (位列, 名次, 榜单): in one, `N名` after a word that
    /// places it (`较上年度的88名`, `上升了14名`) is a position, not a count of people.
    #[serde(default = "default_ranking_sentence_words")]
    pub ranking_sentence_words: Vec<String>,
    /// Words right before `N名` that make it a place in the ranking its sentence is about
    /// (的, 了, 到, 从, 倒数): a count of people follows a noun (引进人才100名).
    #[serde(default = "default_rank_place_leads")]
    pub rank_place_leads: Vec<String>,
    /// Set phrases whose numerals count nothing (四面八方, 三次产业, 四级调研员): no figure is
    /// read inside one.
    #[serde(default = "default_set_phrases")]
    pub set_phrases: Vec<String>,
    /// Words after `N大` (N above ten) that make it a party congress (二十大报告, 十九大以来),
    /// not a count of major things.
    #[serde(default = "default_congress_words")]
    pub congress_words: Vec<String>,
}

/// The shipped `pipeline.toml`, parsed once: it holds the defaults of the word lists added
/// after a config was written (an older `pipeline.toml` without the key keeps working).
static SHIPPED: LazyLock<Option<toml::Table>> =
    LazyLock::new(|| DEFAULT_CONFIG.parse::<toml::Table>().ok());

/// The word list `table.key` of the shipped `pipeline.toml` (empty if it had none, which a
/// test rules out).
fn shipped(table: &str, key: &str) -> Vec<String> {
    SHIPPED
        .as_ref()
        .and_then(|t| t.get(table)?.get(key)?.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `#[serde(default = "…")]` needs a function per field: each of these returns the list of
/// the shipped `pipeline.toml` (see [`shipped`]).
macro_rules! shipped_defaults {
    ($($name:ident($table:literal, $key:literal)),* $(,)?) => {
        $(fn $name() -> Vec<String> {
            shipped($table, $key)
        })*
    };
}

shipped_defaults! {
    default_ranking_words("stats", "ranking_words"),
    default_comparison_before("zones", "comparison_before"),
    default_group_suffixes("zones", "group_suffixes"),
    default_zone_anaphors("zones", "anaphors"),
    default_place_anaphors("zones", "place_anaphors"),
    default_market_words("zones", "market_words"),
    default_vague_times("zones", "vague_times"),
    default_sentence_openers("zones", "sentence_openers"),
    default_exclusion_openers("zones", "exclusion_openers"),
    default_place_subjects("zones", "place_subjects"),
    default_status_words("zones", "status_words"),
    default_comparison_after("zones", "comparison_after"),
    default_count_scopes("zones", "count_scopes"),
    default_count_scope_links("zones", "count_scope_links"),
    default_count_scope_verbs("zones", "count_scope_verbs"),
    default_dimension_nouns("zones", "dimension_nouns"),
    default_assessment_words("zones", "assessment_words"),
    default_founding_words("figures", "founding_words"),
    default_as_of_words("figures", "as_of_words"),
    default_year_result_verbs("figures", "year_result_verbs"),
    default_notice_words("page", "notice_words"),
    default_article_end_words("page", "article_end_words"),
    default_counter_words("page", "counter_words"),
    default_profile_words("page", "profile_words"),
    default_source_keys("page", "source_keys"),
    default_toolbar_marks("page", "toolbar_marks"),
    default_inserted_ad_words("page", "inserted_ad_words"),
    default_continuation_openers("page", "continuation_openers"),
    default_headline_predicates("page", "headline_predicates"),
    default_headline_labels("page", "headline_labels"),
    default_list_heading_endings("page", "list_heading_endings"),
    default_caption_marks("page", "caption_marks"),
    default_picture_labels("page", "picture_labels"),
    default_headline_tags("page", "headline_tags"),
    default_issuer_endings("page", "issuer_endings"),
    default_name_follow_words("lexicon", "name_follow_words"),
    default_person_titles_after_counted("lexicon", "person_titles_after_counted"),
    default_rank_lead_words("figures", "rank_lead_words"),
    default_top_rank_verbs("figures", "top_rank_verbs"),
    default_ranking_sentence_words("figures", "ranking_sentence_words"),
    default_rank_place_leads("figures", "rank_place_leads"),
    default_set_phrases("figures", "set_phrases"),
    default_congress_words("figures", "congress_words"),
    default_sector_words("lexicon", "sector_words"),
    default_facility_suffixes("lexicon", "facility_suffixes"),
    default_firm_list_qualifiers("lexicon", "firm_list_qualifiers"),
    default_firm_origins("lexicon", "firm_origins"),
    default_editor_roles("lexicon", "editor_roles"),
    default_organization_kind_endings("lexicon", "organization_kind_endings"),
    default_firm_short_endings("lexicon", "firm_short_endings"),
    default_scene_caption_endings("lexicon", "scene_caption_endings"),
    default_shot_caption_words("lexicon", "shot_caption_words"),
    default_firm_action_verbs("lexicon", "firm_action_verbs"),
    default_project_product_words("lexicon", "project_product_words"),
    default_list_closers("lexicon", "list_closers"),
    default_known_firms("lexicon", "known_firms"),
}

/// `[lexicon]`: word lists for segmentation and entities.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconSection {
    /// Chinese surnames, as one string of characters (two-character surnames in `compound_surnames`).
    pub surnames: String,
    /// Two-character surnames (欧阳, 司马 …).
    pub compound_surnames: Vec<String>,
    /// Reporter role words in bylines (本报记者, 特约通讯员 …).
    pub byline_roles: Vec<String>,
    /// Job titles that precede a person's name (副局长, 总经理 …).
    pub person_titles: Vec<String>,
    /// Titles that follow a person's name (院士).
    pub person_titles_after: Vec<String>,
    /// Words for people that follow their names only after a count (瞿欢欢、卢军、米仁兵3位企业家;
    /// without one they name a body: 江西省企业家协会).
    #[serde(default = "default_person_titles_after_counted")]
    pub person_titles_after_counted: Vec<String>,
    /// Speech verbs after a quote's speaker (说, 表示 …).
    pub speech_verbs: Vec<String>,
    /// Verbs that follow a person's name (宣布, 主持, 出席): where one starts decides whether a
    /// name has two characters or three (蔡军宣布, 张光强介绍).
    #[serde(default = "default_name_follow_words")]
    pub name_follow_words: Vec<String>,
    /// Characters that end a name (在, 对, 表 …): a 3rd character in this set is not part of it.
    pub name_stop_chars: String,
    /// Legal and institutional suffixes of organizations (有限公司, 大学, 研究院 …).
    pub organization_suffixes: Vec<String>,
    /// Words that cannot start an organization name (与, 和, 在, 推动 …): the name starts after them.
    pub organization_stops: Vec<String>,
    /// Generic cores that do not identify an organization (科技银行, 人才银行 are kinds).
    pub organization_generic: Vec<String>,
    /// Endings of a core that make any name a kind of firm (光谷上市公司, 知名跨国公司).
    #[serde(default = "default_organization_kind_endings")]
    pub organization_kind_endings: Vec<String>,
    /// Industries and sectors: a list of them closed by `等企业` (云计算、大数据等企业) names
    /// kinds of firms, not firms.
    #[serde(default = "default_sector_words")]
    pub sector_words: Vec<String>,
    /// Endings of places and facilities (产业园, 基地): an item of a list of firms that ends
    /// with one is a park or a site, not a firm.
    #[serde(default = "default_facility_suffixes")]
    pub facility_suffixes: Vec<String>,
    /// Words between the 等 that closes a list of firms and its 企业 or 公司 (等一大批国内外知名
    /// 企业): only these may stand there, so 等方式支持企业 closes no list of firms.
    #[serde(default = "default_firm_list_qualifiers")]
    pub firm_list_qualifiers: Vec<String>,
    /// Countries a firm's short name may be introduced with (韩国三星, 法国佛吉亚): the country
    /// says where the firm comes from and is no part of its name.
    #[serde(default = "default_firm_origins")]
    pub firm_origins: Vec<String>,
    /// Editorial roles (编辑, 责任编辑, 二审, 校对): a credit line of them names no author.
    #[serde(default = "default_editor_roles")]
    pub editor_roles: Vec<String>,
    /// Trades a firm's short name ends with (蜜蜂科技, 宏旺金属): with a verb of its own right
    /// after it (签约, 获批, 成为), such a name is a company.
    #[serde(default = "default_firm_short_endings")]
    pub firm_short_endings: Vec<String>,
    /// Endings of a photo caption that describes a scene (…集中签约和开工现场): such a line
    /// between a web page's headline with its metadata and the story's lead is no headline.
    #[serde(default = "default_scene_caption_endings")]
    pub scene_caption_endings: Vec<String>,
    /// Words of a wire photo's caption formula (这是6月27日在…拍摄的…): a line opening with 这是
    /// that holds one of them is a caption, not a headline nor a story's text.
    #[serde(default = "default_shot_caption_words")]
    pub shot_caption_words: Vec<String>,
    /// Verbs that make a short name before them a company acting in its sentence.
    #[serde(default = "default_firm_action_verbs")]
    pub firm_action_verbs: Vec<String>,
    /// Words that close a list of names (…、美日丰创等企业, …、美日丰创分别比增): the last item
    /// ends before the first of them.
    #[serde(default = "default_list_closers")]
    pub list_closers: Vec<String>,
    /// Short names of well-known firms that news names with no suffix or trade (华为, 比亚迪):
    /// organizations as items of a list. Only names that are no common word belong here.
    #[serde(default = "default_known_firms")]
    pub known_firms: Vec<String>,
    /// Words that open what a project makes, after the firm's name in `投资N亿元的<firm><product>
    /// 项目` (斯高德|智慧农业…项目, 无锡长盛|树脂生产项目): where the firm's name ends.
    #[serde(default = "default_project_product_words")]
    pub project_product_words: Vec<String>,
}

/// The whole file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[input]`.
    pub input: InputSection,
    /// `[output]`.
    pub output: OutputSection,
    /// `[run]`.
    pub run: RunSection,
    /// `[csv]`.
    pub csv: CsvSection,
    /// `[xlsx]` (optional).
    #[serde(default)]
    pub xlsx: Option<XlsxSection>,
    /// `[stories]` (optional): reprint linking.
    #[serde(default)]
    pub stories: StoriesSection,
    /// `[units]`: surface form → definition.
    pub units: BTreeMap<String, UnitDef>,
    /// `[[measures]]`: the measure taxonomy, in priority order.
    pub measures: Vec<MeasureDef>,
    /// `[stats]`.
    pub stats: StatsSection,
    /// `[page]`.
    pub page: PageSection,
    /// `[zones]`.
    pub zones: ZonesSection,
    /// `[figures]`.
    pub figures: FiguresSection,
    /// `[lexicon]`.
    pub lexicon: LexiconSection,
    /// Folder the config was read from; relative paths resolve against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// blake3 of the config file's bytes, recorded in the manifest.
    #[serde(skip)]
    pub hash: String,
    /// Where the config came from (a file, or the defaults built into the binary), recorded
    /// in the manifest.
    #[serde(skip)]
    pub source: String,
    /// True for the defaults built into the binary: the default gazetteer is built in too.
    #[serde(skip)]
    pub embedded: bool,
}

/// The largest config or data file (gazetteer, place list) read: a path that names a device
/// or a huge file by mistake is refused instead of read for minutes.
pub const MAX_CONFIG_FILE_BYTES: u64 = 64 << 20;

/// Reads a config or data file: a regular file (checked on the open handle, opened without
/// blocking, so a FIFO or device never hangs the run) of at most [`MAX_CONFIG_FILE_BYTES`].
/// The error says what is wrong with it, naming the path.
pub fn read_config_file(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let what = |e: std::io::Error| format!("{}: {e}", path.display());
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(what)?;
    let meta = file.metadata().map_err(what)?;
    if !meta.is_file() {
        return Err(format!("{} is not a regular file", path.display()));
    }
    if meta.len() > MAX_CONFIG_FILE_BYTES {
        return Err(format!(
            "{} is {} bytes, over the {MAX_CONFIG_FILE_BYTES} a config or data file may have",
            path.display(),
            meta.len()
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_CONFIG_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(what)?;
    if bytes.len() as u64 > MAX_CONFIG_FILE_BYTES {
        return Err(format!("{} grew over the limit while read", path.display()));
    }
    Ok(bytes)
}

/// The default `pipeline.toml`, built into the binary so that it runs from any folder.
pub const DEFAULT_CONFIG: &str = include_str!("../pipeline.toml");
/// The default gazetteer (`data/zones.csv`), built in with the config.
pub const DEFAULT_GAZETTEER: &str = include_str!("../data/zones.csv");
/// The default place list (`data/places.txt`), built in with the config.
pub const DEFAULT_PLACES: &str = include_str!("../data/places.txt");
/// The environment variable naming a config file when `--config` is not given.
pub const CONFIG_ENV: &str = "ZONEFACTS_CONFIG";

/// Unit classes a unit or measure may declare.
pub const UNIT_KINDS: &[&str] = &[
    "count", "money", "percent", "duration", "area", "mass", "rank", "ratio", "other",
];

/// Output formats the writer knows.
pub const FORMATS: &[&str] = &["parquet", "csv", "xlsx", "report"];

/// Longest word a word list may hold, in characters.
pub const MAX_WORD_CHARS: usize = 64;

/// The 1-based line of a dotted key's `name =` line (`figures.over_before`), searched after its
/// section header; for `measures.KEY.words`, the `words =` line after `key = "KEY"`.
fn line_of_key(text: &str, dotted: &str) -> Option<usize> {
    let parts: Vec<&str> = dotted.split('.').collect();
    let (anchor, name) = match parts.as_slice() {
        ["measures", key, name] => (format!("key = \"{key}\""), *name),
        [section, name] => (format!("[{section}]"), *name),
        _ => return None,
    };
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.iter().position(|l| l.trim() == anchor)?;
    lines[from..]
        .iter()
        .position(|l| {
            l.trim_start()
                .strip_prefix(name)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| from + i + 1)
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

impl Config {
    /// `output.keep_previous_seconds`: how long a replaced generation stays readable.
    pub fn keep_previous(&self) -> std::time::Duration {
        let secs = self
            .output
            .keep_previous_seconds
            .as_ref()
            .map_or(DEFAULT_KEEP_PREVIOUS_SECONDS, |s| *s.get_ref());
        std::time::Duration::from_secs(secs.clamp(0, MAX_KEEP_PREVIOUS_SECONDS) as u64)
    }

    /// `run.max_lock_age_hours`: how long a lock may be held before a run calls it stuck.
    pub fn max_lock_age(&self) -> std::time::Duration {
        let h = self
            .run
            .max_lock_age_hours
            .as_ref()
            .map_or(DEFAULT_MAX_LOCK_AGE_HOURS, |s| *s.get_ref());
        std::time::Duration::from_secs_f64(h.clamp(0.0, 24.0 * 365.0) * 3600.0)
    }

    /// `run.max_removed_share`, `None` when it is 1 (never refuse).
    pub fn max_removed_share(&self) -> Option<f64> {
        let v = self
            .run
            .max_removed_share
            .as_ref()
            .map_or(DEFAULT_MAX_REMOVED_SHARE, |s| *s.get_ref());
        (v < 1.0).then_some(v)
    }

    /// The config a command uses: `--config FILE` when given, else `$ZONEFACTS_CONFIG`, else
    /// `./pipeline.toml` when it exists, else the defaults built into the binary (relative
    /// paths then resolve against the current folder).
    pub fn locate(flag: Option<&Path>) -> Result<Config, ConfigError> {
        if let Some(p) = flag {
            return Config::load(p);
        }
        if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()) {
            return Config::load(Path::new(&p));
        }
        let local = Path::new("pipeline.toml");
        if local.is_file() {
            return Config::load(local);
        }
        Config::builtin()
    }

    /// The defaults built into the binary.
    pub fn builtin() -> Result<Config, ConfigError> {
        let name = concat!("(built into zonefacts ", env!("CARGO_PKG_VERSION"), ")");
        let mut cfg = Config::from_toml(DEFAULT_CONFIG, Path::new(name), Path::new("."))?;
        cfg.source = format!(
            "built-in defaults of zonefacts {}",
            env!("CARGO_PKG_VERSION")
        );
        cfg.embedded = true;
        Ok(cfg)
    }

    /// A config error about the data file named by `key`.
    pub fn data_file_error(&self, key: &str, message: String) -> ConfigError {
        ConfigError {
            path: PathBuf::from(&self.source),
            line: None,
            key: Some(key.to_string()),
            message,
        }
    }

    /// The gazetteer's bytes: the built-in one for the built-in config, else the file the
    /// config names (a regular file of at most [`MAX_CONFIG_FILE_BYTES`]).
    pub fn gazetteer_bytes(&self) -> Result<Vec<u8>, ConfigError> {
        if self.embedded {
            return Ok(DEFAULT_GAZETTEER.as_bytes().to_vec());
        }
        read_config_file(&self.resolve(&self.zones.gazetteer))
            .map_err(|m| self.data_file_error("zones.gazetteer", m))
    }

    /// The place list's text: the built-in one for the built-in config, else the file
    /// `zones.places` names (empty when it names none).
    pub fn places_text(&self) -> Result<String, ConfigError> {
        if self.embedded {
            return Ok(DEFAULT_PLACES.to_string());
        }
        let Some(p) = &self.zones.places else {
            return Ok(String::new());
        };
        read_config_file(&self.resolve(p))
            .and_then(|b| String::from_utf8(b).map_err(|_| "is not UTF-8 text".to_string()))
            .map_err(|m| self.data_file_error("zones.places", m))
    }

    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_config_file(path)
            .and_then(|b| String::from_utf8(b).map_err(|_| "is not UTF-8 text".to_string()))
            .map_err(|m| ConfigError {
                path: path.to_path_buf(),
                line: None,
                key: None,
                message: format!("cannot read the config file: {m}"),
            })?;
        let base = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let mut cfg = Config::from_toml(&text, path, &base)?;
        cfg.source = path.display().to_string();
        Ok(cfg)
    }

    /// Parses and validates config text; `path` is only used in messages.
    pub fn from_toml(text: &str, path: &Path, base_dir: &Path) -> Result<Config, ConfigError> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            let message = e.message().trim().to_string();
            // `unknown field `x``, `missing field `x``: the backticks hold a key; in
            // `invalid value: integer `-1`` they hold the value, and the key is the line's
            let names_key = ["unknown field", "missing field", "duplicate key"]
                .iter()
                .any(|p| message.starts_with(p));
            let key = if names_key {
                extract_backticked(&message)
            } else {
                line.and_then(|l| key_at_line(text, l))
            };
            ConfigError {
                path: path.to_path_buf(),
                line,
                key,
                message,
            }
        })?;
        cfg.base_dir = if base_dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            base_dir.to_path_buf()
        };
        cfg.hash = blake3::hash(text.as_bytes()).to_hex().to_string();
        cfg.validate(text, path)?;
        Ok(cfg)
    }

    /// Every word list of the file, by its dotted key.
    fn word_lists(&self) -> Vec<(String, &[String])> {
        let f = &self.figures;
        let l = &self.lexicon;
        let z = &self.zones;
        let p = &self.page;
        let s = &self.stats;
        let mut v: Vec<(String, &[String])> = vec![
            ("figures.approx_before".into(), &f.approx_before),
            ("figures.approx_after".into(), &f.approx_after),
            ("figures.over_before".into(), &f.over_before),
            ("figures.over_after".into(), &f.over_after),
            ("figures.under_before".into(), &f.under_before),
            ("figures.under_after".into(), &f.under_after),
            ("figures.future_markers".into(), &f.future_markers),
            ("figures.as_of_words".into(), &f.as_of_words),
            ("figures.founding_words".into(), &f.founding_words),
            ("figures.year_result_verbs".into(), &f.year_result_verbs),
            ("figures.increase_words".into(), &f.increase_words),
            ("figures.decrease_words".into(), &f.decrease_words),
            (
                "figures.direction_exceptions".into(),
                &f.direction_exceptions,
            ),
            ("figures.pair_from".into(), &f.pair_from),
            ("figures.pair_to".into(), &f.pair_to),
            ("figures.rank_lead_words".into(), &f.rank_lead_words),
            ("figures.top_rank_verbs".into(), &f.top_rank_verbs),
            (
                "figures.ranking_sentence_words".into(),
                &f.ranking_sentence_words,
            ),
            ("figures.rank_place_leads".into(), &f.rank_place_leads),
            ("figures.set_phrases".into(), &f.set_phrases),
            ("figures.congress_words".into(), &f.congress_words),
            ("lexicon.compound_surnames".into(), &l.compound_surnames),
            ("lexicon.byline_roles".into(), &l.byline_roles),
            ("lexicon.person_titles".into(), &l.person_titles),
            ("lexicon.person_titles_after".into(), &l.person_titles_after),
            (
                "lexicon.person_titles_after_counted".into(),
                &l.person_titles_after_counted,
            ),
            ("lexicon.name_follow_words".into(), &l.name_follow_words),
            ("lexicon.speech_verbs".into(), &l.speech_verbs),
            (
                "lexicon.organization_suffixes".into(),
                &l.organization_suffixes,
            ),
            ("lexicon.organization_stops".into(), &l.organization_stops),
            (
                "lexicon.organization_generic".into(),
                &l.organization_generic,
            ),
            ("lexicon.sector_words".into(), &l.sector_words),
            ("lexicon.facility_suffixes".into(), &l.facility_suffixes),
            (
                "lexicon.firm_list_qualifiers".into(),
                &l.firm_list_qualifiers,
            ),
            ("lexicon.firm_origins".into(), &l.firm_origins),
            ("lexicon.firm_short_endings".into(), &l.firm_short_endings),
            ("lexicon.firm_action_verbs".into(), &l.firm_action_verbs),
            ("lexicon.list_closers".into(), &l.list_closers),
            ("lexicon.known_firms".into(), &l.known_firms),
            (
                "lexicon.project_product_words".into(),
                &l.project_product_words,
            ),
            ("lexicon.editor_roles".into(), &l.editor_roles),
            (
                "lexicon.organization_kind_endings".into(),
                &l.organization_kind_endings,
            ),
            (
                "lexicon.scene_caption_endings".into(),
                &l.scene_caption_endings,
            ),
            ("lexicon.shot_caption_words".into(), &l.shot_caption_words),
            ("zones.generic_prefixes".into(), &z.generic_prefixes),
            ("zones.group_prefixes".into(), &z.group_prefixes),
            ("zones.zone_rank_words".into(), &z.zone_rank_words),
            ("zones.group_suffixes".into(), &z.group_suffixes),
            ("zones.anaphors".into(), &z.anaphors),
            ("zones.place_anaphors".into(), &z.place_anaphors),
            ("zones.market_words".into(), &z.market_words),
            ("zones.vague_times".into(), &z.vague_times),
            ("zones.sentence_openers".into(), &z.sentence_openers),
            ("zones.exclusion_openers".into(), &z.exclusion_openers),
            ("zones.place_subjects".into(), &z.place_subjects),
            ("zones.comparison_before".into(), &z.comparison_before),
            ("zones.status_words".into(), &z.status_words),
            ("zones.comparison_after".into(), &z.comparison_after),
            ("zones.prefix_stops".into(), &z.prefix_stops),
            ("zones.not_zone_words".into(), &z.not_zone_words),
            ("zones.count_scopes".into(), &z.count_scopes),
            ("zones.count_scope_verbs".into(), &z.count_scope_verbs),
            ("zones.dimension_nouns".into(), &z.dimension_nouns),
            ("zones.assessment_words".into(), &z.assessment_words),
            ("page.chrome_prefixes".into(), &p.chrome_prefixes),
            ("page.chrome_words".into(), &p.chrome_words),
            ("page.list_headings".into(), &p.list_headings),
            ("page.meta_keys".into(), &p.meta_keys),
            ("page.author_keys".into(), &p.author_keys),
            ("page.date_keys".into(), &p.date_keys),
            ("page.counter_words".into(), &p.counter_words),
            ("page.profile_words".into(), &p.profile_words),
            ("page.article_end_words".into(), &p.article_end_words),
            ("page.notice_words".into(), &p.notice_words),
            ("page.source_keys".into(), &p.source_keys),
            ("page.toolbar_marks".into(), &p.toolbar_marks),
            ("page.inserted_ad_words".into(), &p.inserted_ad_words),
            ("page.brief_labels".into(), &p.brief_labels),
            ("page.continuation_openers".into(), &p.continuation_openers),
            ("page.headline_predicates".into(), &p.headline_predicates),
            ("page.headline_labels".into(), &p.headline_labels),
            ("page.list_heading_endings".into(), &p.list_heading_endings),
            ("page.caption_marks".into(), &p.caption_marks),
            ("page.picture_labels".into(), &p.picture_labels),
            ("page.headline_tags".into(), &p.headline_tags),
            ("page.issuer_endings".into(), &p.issuer_endings),
            ("page.dateline_agencies".into(), &p.dateline_agencies),
            ("stats.growth_words".into(), &s.growth_words),
            ("stats.share_words".into(), &s.share_words),
            ("stats.level_words".into(), &s.level_words),
            ("stats.change_units".into(), &s.change_units),
            ("stats.ranking_words".into(), &s.ranking_words),
        ];
        for m in &self.measures {
            v.push((format!("measures.{}.words", m.key), &m.words));
        }
        v
    }

    fn validate(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let err = |key: &str, span: std::ops::Range<usize>, message: String| ConfigError {
            path: path.to_path_buf(),
            line: Some(line_of(text, span.start)),
            key: Some(key.to_string()),
            message,
        };
        // an empty word matches everywhere (empty tables, or a run that never ends) and a
        // huge one costs minutes before any file is read: both are refused up front
        for (key, words) in self.word_lists() {
            let bad = words.iter().find_map(|w| {
                if w.trim().is_empty() {
                    Some(format!("holds an empty or blank word ({w:?})"))
                } else if w.chars().count() > MAX_WORD_CHARS {
                    Some(format!(
                        "holds a word of {} characters (at most {MAX_WORD_CHARS})",
                        w.chars().count()
                    ))
                } else if w.trim() != w {
                    Some(format!("holds a word with spaces around it ({w:?})"))
                } else {
                    None
                }
            });
            if let Some(message) = bad {
                return Err(ConfigError {
                    path: path.to_path_buf(),
                    line: line_of_key(text, &key),
                    key: Some(key),
                    message,
                });
            }
        }
        for f in self.output.formats.get_ref() {
            if !FORMATS.contains(&f.as_str()) {
                return Err(err(
                    "output.formats",
                    self.output.formats.span(),
                    format!("unknown format {f:?}; expected one of {FORMATS:?}"),
                ));
            }
        }
        if self.output.formats.get_ref().is_empty() {
            return Err(err(
                "output.formats",
                self.output.formats.span(),
                "needs at least one format".into(),
            ));
        }
        if let Some(keep) = &self.output.keep_previous_seconds {
            if !(0..=MAX_KEEP_PREVIOUS_SECONDS).contains(keep.get_ref()) {
                return Err(err(
                    "output.keep_previous_seconds",
                    keep.span(),
                    format!(
                        "must be between 0 and {MAX_KEEP_PREVIOUS_SECONDS} (30 days), got {}",
                        keep.get_ref()
                    ),
                ));
            }
        }
        if let Some(h) = &self.run.max_lock_age_hours {
            if !(h.get_ref().is_finite() && *h.get_ref() > 0.0 && *h.get_ref() <= 8760.0) {
                return Err(err(
                    "run.max_lock_age_hours",
                    h.span(),
                    format!(
                        "must be above 0 and at most 8760 (a year), got {}",
                        h.get_ref()
                    ),
                ));
            }
        }
        if let Some(share) = &self.run.max_removed_share {
            if !(0.0..=1.0).contains(share.get_ref()) {
                return Err(err(
                    "run.max_removed_share",
                    share.span(),
                    format!("must be between 0 and 1, got {}", share.get_ref()),
                ));
            }
        }
        let jobs = *self.run.jobs.get_ref();
        if !(0..=crate::cli::MAX_JOBS as i64).contains(&jobs) {
            return Err(err(
                "run.jobs",
                self.run.jobs.span(),
                format!("must be between 0 (all cores) and 1024, got {jobs}"),
            ));
        }
        if *self.input.max_file_size.get_ref() == 0 {
            return Err(err(
                "input.max_file_size",
                self.input.max_file_size.span(),
                "must be a positive number of bytes".into(),
            ));
        }
        if let Some(x) = &self.xlsx {
            let max = *x.max_rows.get_ref();
            if max < 0 {
                return Err(err(
                    "xlsx.max_rows",
                    x.max_rows.span(),
                    format!("must be 0 (no limit) or a positive number of rows, got {max}"),
                ));
            }
        }
        let st = &self.stories;
        let ranges: [(&str, &Spanned<usize>, usize, usize); 6] = [
            ("stories.min_chars", &st.min_chars, 1, 1_000_000),
            (
                "stories.min_sentence_chars",
                &st.min_sentence_chars,
                1,
                10_000,
            ),
            ("stories.shingle_chars", &st.shingle_chars, 2, 32),
            ("stories.bands", &st.bands, 1, 64),
            ("stories.rows_per_band", &st.rows_per_band, 1, 16),
            ("stories.max_bucket", &st.max_bucket, 1, 100_000),
        ];
        for (key, v, lo, hi) in ranges {
            if !(lo..=hi).contains(v.get_ref()) {
                return Err(err(
                    key,
                    v.span(),
                    format!("must be between {lo} and {hi}, got {}", v.get_ref()),
                ));
            }
        }
        let shared = *st.min_shared.get_ref();
        if !(shared > 0.0 && shared <= 1.0) {
            return Err(err(
                "stories.min_shared",
                st.min_shared.span(),
                format!("must be above 0 and at most 1, got {shared}"),
            ));
        }
        let rule = st.representative.get_ref();
        if !REPRESENTATIVE_RULES.contains(&rule.as_str()) {
            return Err(err(
                "stories.representative",
                st.representative.span(),
                format!("unknown rule {rule:?}; expected one of {REPRESENTATIVE_RULES:?}"),
            ));
        }
        let d = self.csv.delimiter.get_ref();
        if d.len() != 1 || !d.is_ascii() || d == "\"" || d == "\n" {
            return Err(err(
                "csv.delimiter",
                self.csv.delimiter.span(),
                format!("must be one ASCII character other than a quote or newline, got {d:?}"),
            ));
        }
        for pat in self.input.include.iter().chain(self.input.exclude.iter()) {
            if let Err(e) = globset::Glob::new(pat.get_ref()) {
                return Err(err(
                    "input.include/exclude",
                    pat.span(),
                    format!("bad glob {:?}: {e}", pat.get_ref()),
                ));
            }
        }
        for (name, u) in &self.units {
            if !UNIT_KINDS.contains(&u.kind.get_ref().as_str()) {
                return Err(err(
                    &format!("units.{name}.kind"),
                    u.kind.span(),
                    format!(
                        "unknown unit kind {:?}; expected one of {UNIT_KINDS:?}",
                        u.kind.get_ref()
                    ),
                ));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for m in &self.measures {
            for k in m.unit_kinds.get_ref().iter().chain(&m.fallback_for) {
                if !UNIT_KINDS.contains(&k.as_str()) {
                    return Err(err(
                        &format!("measures.{}.unit_kinds", m.key),
                        m.unit_kinds.span(),
                        format!("unknown unit kind {k:?}; expected one of {UNIT_KINDS:?}"),
                    ));
                }
            }
            if m.unit_kinds.get_ref().is_empty() {
                return Err(err(
                    &format!("measures.{}.unit_kinds", m.key),
                    m.unit_kinds.span(),
                    "needs at least one unit kind".into(),
                ));
            }
            if !seen.insert(m.key.clone()) {
                return Err(err(
                    "measures.key",
                    m.unit_kinds.span(),
                    format!("measure key {:?} is defined twice", m.key),
                ));
            }
            if m.words.is_empty() {
                return Err(err(
                    &format!("measures.{}.words", m.key),
                    m.unit_kinds.span(),
                    "needs at least one word".into(),
                ));
            }
        }
        Ok(())
    }

    /// Resolves a path from the config against the config file's folder.
    pub fn resolve(&self, p: &str) -> PathBuf {
        let p = Path::new(p);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// Number of worker threads to use (0 in the file means one per core).
    pub fn jobs(&self) -> usize {
        match *self.run.jobs.get_ref() {
            n if n > 0 => n as usize,
            _ => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
        }
    }

    /// Most rows a table may have and still go into the workbook; `None`: no limit.
    pub fn xlsx_max_rows(&self) -> Option<usize> {
        match &self.xlsx {
            None => Some(DEFAULT_XLSX_MAX_ROWS),
            Some(x) => match *x.max_rows.get_ref() {
                n if n > 0 => Some(n as usize),
                _ => None,
            },
        }
    }

    /// Whether a format is enabled.
    pub fn writes(&self, format: &str) -> bool {
        self.output.formats.get_ref().iter().any(|f| f == format)
    }
}

/// The dotted key set on 1-based line `line` of TOML `text` (`run.jobs` for `jobs = -1`
/// under `[run]`), when the line sets one.
fn key_at_line(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let here = lines.get(line.checked_sub(1)?)?;
    let name = here.split_once('=')?.0.trim();
    if name.is_empty() || name.starts_with('#') || name.starts_with('[') {
        return None;
    }
    let section = lines[..line - 1].iter().rev().find_map(|l| {
        let t = l.trim();
        t.strip_prefix("[[")
            .and_then(|r| r.strip_suffix("]]"))
            .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')))
            .map(str::trim)
    });
    Some(match section {
        Some(sec) => format!("{sec}.{name}"),
        None => name.to_string(),
    })
}

fn extract_backticked(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let end = start + msg[start..].find('`')?;
    Some(msg[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_text() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/pipeline.toml"))
            .expect("pipeline.toml at the crate root")
    }

    #[test]
    fn shipped_config_is_valid() {
        let cfg = Config::from_toml(&default_text(), Path::new("pipeline.toml"), Path::new("."))
            .expect("valid");
        assert!(cfg.measures.len() >= 15);
        assert!(cfg.units.contains_key("个工作日"));
    }

    #[test]
    fn defaults_of_later_word_lists_equal_the_shipped_config() {
        let cfg = Config::from_toml(&default_text(), Path::new("pipeline.toml"), Path::new("."))
            .expect("valid");
        assert_eq!(cfg.figures.founding_words, default_founding_words());
        assert_eq!(cfg.zones.comparison_before, default_comparison_before());
        assert_eq!(cfg.zones.status_words, default_status_words());
        assert_eq!(cfg.zones.comparison_after, default_comparison_after());
        assert_eq!(cfg.figures.rank_lead_words, default_rank_lead_words());
        assert_eq!(cfg.figures.top_rank_verbs, default_top_rank_verbs());
        assert_eq!(
            cfg.figures.ranking_sentence_words,
            default_ranking_sentence_words()
        );
        assert_eq!(cfg.figures.rank_place_leads, default_rank_place_leads());
        assert_eq!(cfg.figures.set_phrases, default_set_phrases());
        assert_eq!(cfg.figures.congress_words, default_congress_words());
        assert_eq!(cfg.page.counter_words, default_counter_words());
        assert_eq!(cfg.page.profile_words, default_profile_words());
        assert_eq!(cfg.page.article_end_words, default_article_end_words());
        assert_eq!(cfg.page.notice_words, default_notice_words());
        assert_eq!(cfg.page.source_keys, default_source_keys());
        assert_eq!(
            cfg.page.continuation_openers,
            default_continuation_openers()
        );
        assert_eq!(cfg.lexicon.name_follow_words, default_name_follow_words());
        assert_eq!(
            cfg.lexicon.person_titles_after_counted,
            default_person_titles_after_counted()
        );
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let text = default_text().replacen("[run]\n", "[run]\nthreads = 4\n", 1);
        let line = text.lines().position(|l| l.starts_with("threads")).unwrap() + 1;
        let e = Config::from_toml(&text, Path::new("p.toml"), Path::new(".")).unwrap_err();
        assert_eq!(e.line, Some(line), "{e}");
        assert!(e.to_string().contains("threads"), "{e}");
    }

    #[test]
    fn bad_value_is_named_with_its_line() {
        let text = default_text().replacen("jobs = 0", "jobs = -3", 1);
        let line = text
            .lines()
            .position(|l| l.starts_with("jobs = -3"))
            .unwrap()
            + 1;
        let e = Config::from_toml(&text, Path::new("p.toml"), Path::new(".")).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("run.jobs"));
        assert_eq!(e.line, Some(line));
    }

    #[test]
    fn the_workbook_row_limit_is_optional_zero_lifts_it_and_a_negative_one_is_named() {
        let shipped = default_text();
        let parse = |t: &str| Config::from_toml(t, Path::new("p.toml"), Path::new("."));
        assert_eq!(parse(&shipped).unwrap().xlsx_max_rows(), Some(100_000));
        let without = shipped
            .replacen("[xlsx]", "", 1)
            .replacen("max_rows = 100000", "", 1);
        assert_eq!(
            parse(&without).unwrap().xlsx_max_rows(),
            Some(DEFAULT_XLSX_MAX_ROWS)
        );
        let lifted = shipped.replacen("max_rows = 100000", "max_rows = 0", 1);
        assert_eq!(parse(&lifted).unwrap().xlsx_max_rows(), None);
        let bad = shipped.replacen("max_rows = 100000", "max_rows = -1", 1);
        let line = bad.lines().position(|l| l == "max_rows = -1").unwrap() + 1;
        let e = parse(&bad).unwrap_err();
        assert_eq!(
            (e.key.as_deref(), e.line),
            (Some("xlsx.max_rows"), Some(line))
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_key_not_the_value() {
        let shipped = default_text();
        let bad = shipped.replacen("min_chars = 60", "min_chars = -1", 1);
        let line = bad.lines().position(|l| l == "min_chars = -1").unwrap() + 1;
        let e = Config::from_toml(&bad, Path::new("p.toml"), Path::new(".")).unwrap_err();
        assert_eq!(
            (e.key.as_deref(), e.line),
            (Some("stories.min_chars"), Some(line)),
            "{e}"
        );
        assert!(
            e.to_string().contains("-1"),
            "the value is in the message: {e}"
        );
    }

    #[test]
    fn story_rules_out_of_range_name_their_key_and_line() {
        let shipped = default_text();
        let parse = |t: &str| Config::from_toml(t, Path::new("p.toml"), Path::new("."));
        for (good, bad, key) in [
            ("min_shared = 0.7", "min_shared = 0", "stories.min_shared"),
            ("bands = 16", "bands = 0", "stories.bands"),
            (
                "shingle_chars = 5",
                "shingle_chars = 99",
                "stories.shingle_chars",
            ),
            (
                "representative = \"earliest_published\"",
                "representative = \"newest\"",
                "stories.representative",
            ),
        ] {
            let text = shipped.replacen(good, bad, 1);
            let line = text.lines().position(|l| l == bad).unwrap() + 1;
            let e = parse(&text).unwrap_err();
            assert_eq!((e.key.as_deref(), e.line), (Some(key), Some(line)), "{e}");
        }
        // without the section the defaults apply, and they are the shipped values
        let start = shipped.find("[stories]").unwrap();
        let end = start + shipped[start..].find("\n[csv]").unwrap();
        let without = format!("{}{}", &shipped[..start], &shipped[end + 1..]);
        let a = crate::stories::StoryRules::from_section(&parse(&without).unwrap().stories);
        let b = crate::stories::StoryRules::from_section(&parse(&shipped).unwrap().stories);
        assert_eq!(a, b);
    }

    #[test]
    fn bad_unit_kind_is_refused() {
        let text = default_text().replacen(
            "\"%\" = { unit = \"%\", kind = \"percent\" }",
            "\"%\" = { unit = \"%\", kind = \"percentage\" }",
            1,
        );
        let e = Config::from_toml(&text, Path::new("p.toml"), Path::new(".")).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("units.%.kind"), "{e}");
    }

    #[test]
    fn wrong_type_is_refused_with_line() {
        let text = default_text().replacen("bom = true", "bom = \"yes\"", 1);
        let line = text
            .lines()
            .position(|l| l.starts_with("bom = \"yes\""))
            .unwrap()
            + 1;
        let e = Config::from_toml(&text, Path::new("p.toml"), Path::new(".")).unwrap_err();
        assert_eq!(e.line, Some(line), "{e}");
    }

    #[test]
    fn empty_or_huge_words_are_refused_with_key_and_line() {
        let text = default_text().replacen(
            "over_before = [\"超过\"",
            "over_before = [\"\", \"超过\"",
            1,
        );
        let line = text
            .lines()
            .position(|l| l.starts_with("over_before"))
            .unwrap()
            + 1;
        let e = Config::from_toml(&text, Path::new("p.toml"), Path::new(".")).unwrap_err();
        assert_eq!(
            (e.key.as_deref(), e.line),
            (Some("figures.over_before"), Some(line)),
            "{e}"
        );
        let huge = "字".repeat(5000);
        let text =
            default_text().replacen("words = [\"增加值\"]", &format!("words = [\"{huge}\"]"), 1);
        let e = Config::from_toml(&text, Path::new("p.toml"), Path::new(".")).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("measures.value_added.words"), "{e}");
        assert!(e.line.is_some());
    }
}
