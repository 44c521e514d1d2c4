//! Plain typed records that the stages hand to each other.
//!
//! Every stage takes and returns these structs; no stage sees a DataFrame (only the writer
//! builds those). Offsets are always Unicode-character offsets into the *decoded source text*
//! (UTF-8 without BOM, or GB18030 decoded), so a user can trace every value back to the exact
//! span it came from.

use serde::{Deserialize, Serialize};

/// A half-open range of character offsets `[start, end)` into the decoded source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSpan {
    /// First character, inclusive.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// How precisely a publication date is known: the page may give a full date or only a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// A full calendar date was stated (web metadata, a dated dateline).
    Day,
    /// Year and month are known; the date is stored as the first of that month.
    Month,
    /// Only the year is known; the date is stored as 1 January of that year.
    Year,
}

impl DatePrecision {
    /// The contract's string for this precision (`day`, `month`, `year`).
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

/// A publication date with the precision the page supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// Calendar year.
    pub year: i32,
    /// Month 1–12 (1 when only the year is known).
    pub month: u32,
    /// Day 1–31 (1 when only year or month is known).
    pub day: u32,
    /// How much of the date the page actually states.
    pub precision: DatePrecision,
}

impl Published {
    /// ISO `YYYY-MM-DD` form used in CSV and the terminal.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Days since 1970-01-01, the Parquet/Arrow `date32` representation.
    pub fn days_since_epoch(&self) -> Option<i32> {
        let d = chrono::NaiveDate::from_ymd_opt(self.year, self.month, self.day)?;
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
        i32::try_from((d - epoch).num_days()).ok()
    }
}

/// Qualifier words around a figure (近, 超, 以内 …), reduced to three classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualifier {
    /// 近, 约, 左右, 大约: the true value is close to the stated one.
    Approx,
    /// 超, 超过, 突破, 余, 多, 以上, 至少: the true value is above the stated one.
    Over,
    /// 不到, 以内, 内: the true value is below the stated one.
    Under,
}

impl Qualifier {
    /// The contract's string for this qualifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Approx => "approx",
            Qualifier::Over => "over",
            Qualifier::Under => "under",
        }
    }
}

/// A zone mention resolved to its canonical zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneRef {
    /// Canonical name, e.g. `广州高新区`.
    pub name: String,
    /// Province from the gazetteer, when the zone is known.
    pub province: Option<String>,
    /// City from the gazetteer, when the zone is known.
    pub city: Option<String>,
    /// `national` / `provincial` from the gazetteer; `None` for zones found only by pattern.
    pub level: Option<String>,
}

impl ZoneRef {
    /// A zone the gazetteer does not hold (found by pattern or named by an alias): its name
    /// only.
    pub fn unlisted(name: String) -> ZoneRef {
        ZoneRef {
            name,
            province: None,
            city: None,
            level: None,
        }
    }
}

/// One occurrence of a zone name in an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneMention {
    /// Index into the article's `zones` list.
    pub zone: usize,
    /// Where the mention stands in the source.
    pub span: SourceSpan,
    /// Byte range in the normalized page text (for sentence-level attribution).
    pub norm_start: usize,
}

/// A quantity stated in the text with its unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The number in the base unit (万/亿 multiplied out; percentages as written).
    pub value: f64,
    /// Upper end of a range (`20-50年`), else `None`.
    pub value_max: Option<f64>,
    /// Canonical base unit (元, %, 个, 工作日, 平方米 …).
    pub unit: String,
    /// Unit class from the unit lexicon (`count`, `money`, `percent`, …).
    pub unit_kind: String,
    /// Approximation qualifier, if the text states one.
    pub qualifier: Option<Qualifier>,
    /// What is measured, in the text's own words.
    pub label: String,
    /// Canonical measure key from the taxonomy (the subject: revenue, investment …), when one
    /// fits.
    pub measure_key: Option<String>,
    /// Which statistic of the measure the figure states.
    pub stat: Stat,
    /// Index into the article's `zones` the figure is about, if any.
    pub zone: Option<usize>,
    /// The exact source text of the figure.
    pub raw_text: String,
    /// The sentence holding the figure (normalized text).
    #[serde(with = "long_text")]
    pub sentence: String,
    /// Where `raw_text` stands in the decoded source.
    pub span: SourceSpan,
    /// True when written with Arabic digits (false for Chinese numerals).
    pub arabic: bool,
    /// In a from→to pair (由18个工作日缩短为1个工作日): which side this figure is.
    pub role: Option<Role>,
    /// The direction the text states for the figure (增长 → increase, 缩短 → decrease).
    pub change: Option<Change>,
    /// The time the figure refers to, as an ISO 8601 date or interval (`2021-01/2021-02`).
    pub period: Option<String>,
}

/// Which statistic of its measure a figure states: what makes two figures of one measure
/// comparable (a level with a level, a growth rate with a growth rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stat {
    /// An amount, count, area or duration (营收10.26万亿元, 企业181家).
    Level,
    /// A relative change in % or 倍 (同比增长7.3%, 压缩60%).
    Growth,
    /// An absolute change (增加84家, 提高2.3个百分点, 缩短5天).
    Change,
    /// A proportion of a whole (占比70%, 研发投入强度6.64%, 8成).
    Share,
    /// A position in a ranking (第16名, 排名第7位).
    Rank,
}

impl Stat {
    /// The contract's string.
    pub fn as_str(self) -> &'static str {
        match self {
            Stat::Level => "level",
            Stat::Growth => "growth",
            Stat::Change => "change",
            Stat::Share => "share",
            Stat::Rank => "rank",
        }
    }
}

/// Side of a from→to pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The value before the change (由18个工作日…).
    Before,
    /// The value after the change (…缩短为1个工作日).
    After,
}

impl Role {
    /// The contract's string.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Before => "before",
            Role::After => "after",
        }
    }
}

/// A stated direction of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// 增长, 提升, 增加, 提高, 增至.
    Increase,
    /// 下降, 减少, 压缩, 缩短, 精简.
    Decrease,
}

impl Change {
    /// The contract's string.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Increase => "increase",
            Change::Decrease => "decrease",
        }
    }
}

/// Kinds of named entity the entities table carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A development zone (canonical name).
    Zone,
    /// A company, bank, lab, university or institute.
    Organization,
    /// A person named in the body (not the reporters).
    Person,
    /// A policy document title from 《》 (without the brackets).
    Policy,
}

impl EntityKind {
    /// The contract's string for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Zone => "zone",
            EntityKind::Organization => "organization",
            EntityKind::Person => "person",
            EntityKind::Policy => "policy",
        }
    }
}

/// A named thing in an article, with its mention count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// What kind of thing it is.
    pub kind: EntityKind,
    /// The name as normalized (policy titles without 《》).
    pub text: String,
    /// How often it occurs in the article.
    pub mentions: usize,
    /// Offset of the first mention in the decoded source.
    pub first_char: usize,
}

/// One article of a page, with everything extracted from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// 1-based position in its file.
    pub seq: usize,
    /// Headline, `None` for an untitled brief or caption.
    pub title: Option<String>,
    /// Kicker or deck line.
    pub subtitle: Option<String>,
    /// Reporters, correspondents, photographers.
    pub authors: Vec<String>,
    /// Publication date (page-level, copied to each article).
    pub published: Option<Published>,
    /// Body paragraphs, normalized.
    #[serde(with = "long_texts")]
    pub paragraphs: Vec<String>,
    /// Zones named in the article, first-seen order.
    pub zones: Vec<ZoneRef>,
    /// Index into `zones` of the zone the article is about.
    pub zone: Option<usize>,
    /// Every zone mention.
    pub zone_mentions: Vec<ZoneMention>,
    /// Figures in reading order.
    pub figures: Vec<Figure>,
    /// Organizations, people, policies and zones.
    pub entities: Vec<Entity>,
}

impl Article {
    /// Normalized body text: paragraphs joined by newlines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n")
    }

    /// Characters of body text (without paragraph separators).
    pub fn char_count(&self) -> usize {
        self.paragraphs.iter().map(|p| p.chars().count()).sum()
    }
}

/// Everything extracted from one input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Path relative to the input folder, with `/` separators.
    pub source_file: String,
    /// blake3 of the file's bytes, hex.
    pub content_hash: String,
    /// Size in bytes.
    pub size: u64,
    /// Encoding the file was decoded from (`UTF-8`, `GB18030`).
    pub encoding: String,
    /// Non-fatal problems met while processing (e.g. a truncated final character).
    pub warnings: Vec<String>,
    /// The page's publication date, if stated or inferable.
    pub published: Option<Published>,
    /// The articles, in page order.
    pub articles: Vec<Article>,
}

/// Serde for the long texts of a page (a figure's sentence): written as bytes, read back
/// with a SIMD UTF-8 check. Most of a cache entry is these texts, and MessagePack readers
/// check a `str` with the standard library's byte-at-a-time validator, which was the single
/// largest cost of reading a run's pages back from the cache. A reader accepts both forms.
/// (Only for binary formats: a JSON writer would write the bytes as a list of numbers.)
mod long_text {
    use serde::de::{Error, Unexpected, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(text: &str, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_bytes(text.as_bytes())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
        de.deserialize_bytes(Text)
    }

    /// Reads one text from bytes or a string.
    pub struct Text;

    impl Visitor<'_> for Text {
        type Value = String;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("UTF-8 text as bytes or a string")
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<String, E> {
            match simdutf8::basic::from_utf8(v) {
                Ok(text) => Ok(text.to_owned()),
                Err(_) => Err(E::invalid_value(Unexpected::Bytes(v), &self)),
            }
        }
    }
}

/// [`long_text`] for a list of texts (an article's paragraphs).
mod long_texts {
    use serde::de::{SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// One text of the list, as [`super::long_text`] writes it.
    struct Item<T>(T);

    impl Serialize for Item<&String> {
        fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
            super::long_text::serialize(self.0, ser)
        }
    }

    impl<'de> Deserialize<'de> for Item<String> {
        fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
            super::long_text::deserialize(de).map(Item)
        }
    }

    pub fn serialize<S: Serializer>(texts: &[String], ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(texts.len()))?;
        for t in texts {
            seq.serialize_element(&Item(t))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<String>, D::Error> {
        de.deserialize_seq(Texts)
    }

    struct Texts;

    impl<'de> Visitor<'de> for Texts {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of UTF-8 texts")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut texts = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(Item(t)) = seq.next_element::<Item<String>>()? {
                texts.push(t);
            }
            Ok(texts)
        }
    }
}
