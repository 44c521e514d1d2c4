//! The output contract: every table, its columns, their types and meanings.
//!
//! The writer builds its Parquet and CSV columns from these definitions and the `schema`
//! command prints them, so the data dictionary cannot drift from what is written.

use serde::Serialize;

use crate::config::MeasureDef;
use crate::model::Stat;

/// Logical column types, mapped to Parquet and CSV by the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    /// UTF-8 text.
    String,
    /// 64-bit integer.
    Int,
    /// Boolean (CSV `true` / `false`).
    Bool,
    /// 64-bit float.
    Float,
    /// Calendar date (Parquet `DATE`, CSV `YYYY-MM-DD`).
    Date,
    /// List of text (Parquet `LIST<STRING>`, CSV joined with the list separator).
    StringList,
}

impl ColumnType {
    /// Name used in the data dictionary.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::String => "string",
            ColumnType::Int => "int",
            ColumnType::Bool => "bool",
            ColumnType::Float => "float",
            ColumnType::Date => "date",
            ColumnType::StringList => "list of string",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ColumnDef {
    /// Column name (the contract: never renamed without a version bump).
    pub name: &'static str,
    /// Logical type.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// Whether the column may hold nulls (empty CSV fields).
    pub nullable: bool,
    /// What the column means.
    pub doc: &'static str,
}

/// One output table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TableDef {
    /// File stem: `NAME.parquet`, `NAME.csv`.
    pub name: &'static str,
    /// What one row is.
    pub doc: &'static str,
    /// How rows are ordered (the files are byte-identical for the same input).
    pub order: &'static str,
    /// Columns, in file order.
    pub columns: &'static [ColumnDef],
}

const fn col(name: &'static str, ty: ColumnType, nullable: bool, doc: &'static str) -> ColumnDef {
    ColumnDef {
        name,
        ty,
        nullable,
        doc,
    }
}

use ColumnType::{Bool, Date, Float, Int, String as Str, StringList};

/// `articles`: one row per article (a dimension of the star schema).
pub const ARTICLES: TableDef = TableDef {
    name: "articles",
    doc: "One row per article.",
    order: "source_file, seq",
    columns: &[
        col(
            "article_id",
            Str,
            false,
            "Unique key; stable across runs while the source file is unchanged.",
        ),
        col(
            "source_file",
            Str,
            false,
            "Path of the raw file, relative to the input folder, `/`-separated.",
        ),
        col(
            "seq",
            Int,
            false,
            "1-based position of the article in its file.",
        ),
        col(
            "title",
            Str,
            true,
            "Headline; null for an untitled brief or caption.",
        ),
        col(
            "subtitle",
            Str,
            true,
            "Second headline line (kicker or deck).",
        ),
        col(
            "authors",
            StringList,
            false,
            "Reporters, correspondents, photographers.",
        ),
        col(
            "published",
            Date,
            true,
            "Publication date, as precise as the page supports (see published_precision).",
        ),
        col(
            "published_precision",
            Str,
            true,
            "`day`, `month` (date is the 1st), `year` (date is 1 January), or null.",
        ),
        col(
            "zone_id",
            Str,
            true,
            "Key into `zones`: the zone the article is about.",
        ),
        col("zone", Str, true, "That zone's canonical name."),
        col("char_count", Int, false, "Characters of body text."),
        col("paragraph_count", Int, false, "Paragraphs of body text."),
        col(
            "text",
            Str,
            false,
            "Normalized body text, paragraphs separated by newlines.",
        ),
        col(
            "story_id",
            Str,
            false,
            "The same for every article that is the same story (a reprint in another file, \
             on another site or night): the article_id of the story's representative: its \
             earliest-published copy (then the first in source-file order), or with \
             `stories.representative = \"first_copy\"` its first copy in source-file order. Rules: `[stories]` in \
             pipeline.toml.",
        ),
        col(
            "duplicate_of",
            Str,
            true,
            "Null for the story's representative, else the representative's article_id.",
        ),
    ],
};

/// `measures`: one row per figure (the fact table).
pub const MEASURES: TableDef = TableDef {
    name: "measures",
    doc: "One row per figure stated in an article (the fact table).",
    order: "article order, then char_start",
    columns: &[
        col(
            "measure_id",
            Str,
            false,
            "Unique key; stable like article_id.",
        ),
        col("article_id", Str, false, "Key into `articles`."),
        col(
            "zone_id",
            Str,
            true,
            "Key into `zones`: the zone the figure is about.",
        ),
        col("zone", Str, true, "That zone's canonical name."),
        col(
            "label",
            Str,
            false,
            "What is measured, as the text says it (申报材料, 获得贷款, 审批时限).",
        ),
        col(
            "measure_key",
            Str,
            true,
            "What is measured (the subject): a key of the taxonomy in pipeline.toml (`revenue`, `investment`, `high_tech_enterprises`, …; `zonefacts schema` lists them); null when none fits.",
        ),
        col(
            "stat",
            Str,
            false,
            "Which statistic of it the figure states: `level`, `growth` (同比增长7.3%), `change` (增加84家, 提高2个百分点), `share` (占比70%) or `rank` (第16名).",
        ),
        col(
            "value",
            Float,
            false,
            "The number in the base unit, 万 and 亿 multiplied out; percentages as written.",
        ),
        col(
            "value_max",
            Float,
            true,
            "Upper end of a range (20-50年 gives value 20, value_max 50).",
        ),
        col(
            "unit",
            Str,
            false,
            "Base unit (元, %, 户, 家, 个, 人, 年, 月, 工作日, 平方米, 公顷, 吨, …).",
        ),
        col(
            "unit_kind",
            Str,
            false,
            "`count`, `money`, `percent`, `duration`, `area`, `mass`, `rank`, `ratio`, `other`.",
        ),
        col(
            "qualifier",
            Str,
            true,
            "`approx` (近, 约, 左右), `over` (超, 余, 多, 以上), `under` (不到, 以内), or null.",
        ),
        col(
            "role",
            Str,
            true,
            "`before` / `after` for the two figures of a from→to pair (由18个工作日缩短为1个工作日), else null.",
        ),
        col(
            "change",
            Str,
            true,
            "Direction the text states: `increase` (增长, 提升, 增加) or `decrease` (下降, 减少, 压缩, 缩短, 精简), else null.",
        ),
        col(
            "period",
            Str,
            true,
            "The time the figure refers to, when the text says it (今年1-2月 -> 2021-01/2021-02): in \
             its sentence, else in the time a sentence of its paragraph opened with (今年前4月,…), \
             else, in a sentence about a ranking, the year the article's ranking is for \
             (2016年度…排名); null when the year cannot be known.",
        ),
        col(
            "raw_text",
            Str,
            false,
            "The exact span in the source file, qualifier words included.",
        ),
        col(
            "sentence",
            Str,
            false,
            "The sentence that holds the figure (normalized). A sentence that reaches more \
             than 400 characters beyond the figure on either side is cut there (after a clause \
             mark when one is near), so a page that is one huge sentence stays readable.",
        ),
        col(
            "char_start",
            Int,
            false,
            "Offset of raw_text in the decoded source file, in Unicode characters.",
        ),
        col(
            "char_end",
            Int,
            false,
            "End offset, exclusive: chars(source)[char_start..char_end] == raw_text.",
        ),
        col(
            "representative",
            Bool,
            false,
            "True when the figure's article is its story's representative: filter on it to \
             count each story's figures once, however often it was reprinted.",
        ),
    ],
};

/// `zones`: one row per zone seen (a dimension).
pub const ZONES: TableDef = TableDef {
    name: "zones",
    doc: "One row per zone named in any article.",
    order: "zone",
    columns: &[
        col(
            "zone_id",
            Str,
            false,
            "Stable key (derived from the canonical name).",
        ),
        col("zone", Str, false, "Canonical name (广州高新区)."),
        col(
            "province",
            Str,
            true,
            "Province, from the gazetteer (广东省).",
        ),
        col("city", Str, true, "City, from the gazetteer (广州市)."),
        col(
            "level",
            Str,
            true,
            "`national`, `provincial`, or null when the zone is not in the gazetteer.",
        ),
        col(
            "article_count",
            Int,
            false,
            "Articles whose zone this is, every copy counted.",
        ),
        col(
            "measure_count",
            Int,
            false,
            "Figures attributed to it, each story's figures counted once (the rows of \
             measures where representative is true).",
        ),
        col(
            "story_count",
            Int,
            false,
            "Stories whose zone this is: articles counted once however often reprinted.",
        ),
        col(
            "measure_rows",
            Int,
            false,
            "Figures attributed to it in every copy of every story (rows of measures).",
        ),
    ],
};

/// `entities`: named things per article.
pub const ENTITIES: TableDef = TableDef {
    name: "entities",
    doc: "Named things per article: zones, organizations, people, policies.",
    order: "article order, then kind, then first_char",
    columns: &[
        col("article_id", Str, false, "Key into `articles`."),
        col(
            "kind",
            Str,
            false,
            "`zone`, `organization`, `person`, `policy`.",
        ),
        col(
            "text",
            Str,
            false,
            "The name as normalized (policy titles without 《》).",
        ),
        col(
            "mentions",
            Int,
            false,
            "How often it occurs in the article.",
        ),
        col(
            "first_char",
            Int,
            false,
            "Offset of the first mention in the decoded source file, in characters.",
        ),
    ],
};

/// `zone_measures`: a sheet of `zonefacts.xlsx` only, not a table file. It sums up the
/// measures table by zone and measure, so a spreadsheet user keeps the picture when the
/// measures table itself is too long for the workbook (`xlsx.max_rows`).
pub const ZONE_MEASURES: TableDef = TableDef {
    name: "zone_measures",
    doc: "Workbook sheet only: the figures of `measures` summed up per zone, measure, statistic, period and unit.",
    order: "zone, measure_key (nulls last), stat, period (nulls last), unit, unit_kind",
    columns: &[
        col(
            "zone_id",
            Str,
            true,
            "Key into `zones`; null for figures attributed to no zone.",
        ),
        col("zone", Str, true, "The zone's canonical name."),
        col(
            "measure",
            Str,
            true,
            "The measure's Chinese and English names (营业收入 Revenue); null for figures that fit none.",
        ),
        col(
            "measure_key",
            Str,
            true,
            "Canonical measure; null for figures that fit none.",
        ),
        col("stat", Str, false, "`level`, `growth`, `change`, `share` or `rank`."),
        col(
            "period",
            Str,
            true,
            "The time the figures cover (`2024`, `2024-01/2024-06`); null when unknown.",
        ),
        col("unit", Str, false, "Base unit of the figures."),
        col("unit_kind", Str, false, "`count`, `money`, `percent`, …"),
        col(
            "figures",
            Int,
            false,
            "Figures with this zone, measure, stat, period and unit, each story's counted \
             once (rows of `measures` where representative is true).",
        ),
        col(
            "articles",
            Int,
            false,
            "Stories those figures come from (representative articles).",
        ),
        col("value_min", Float, false, "Smallest `value` among them."),
        col(
            "value_max",
            Float,
            false,
            "Largest `value` (or `value_max` of a range).",
        ),
        col(
            "figure_rows",
            Int,
            false,
            "Rows of `measures` with this key in every copy of every story: more than \
             `figures` when reprints were seen.",
        ),
    ],
};

/// All tables, in the order they are written.
pub const TABLES: &[TableDef] = &[ARTICLES, MEASURES, ZONES, ENTITIES];

/// The `rejected.csv` columns.
pub const REJECTED_COLUMNS: &[&str] = &["source_file", "reason", "kind", "size_bytes"];

/// The values of `measures.stat`, with what each states (GUIDELINES.md).
pub const STATS: &[(Stat, &str)] = &[
    (
        Stat::Level,
        "an amount, count, area or duration (营收10.26万亿元, 企业181家, 审批时限60个工作日)",
    ),
    (
        Stat::Growth,
        "a relative change in % or 倍, up or down (同比增长7.3%, 压缩60%)",
    ),
    (
        Stat::Change,
        "an absolute change (较2012年增加84家, 提高2.3个百分点, 缩短5天)",
    ),
    (
        Stat::Share,
        "a proportion of a whole (占比70%, 研发投入强度6.64%, 8成)",
    ),
    (Stat::Rank, "a position in a ranking (第16名, 排名第7位)"),
];

/// How many of a measure's words the dictionary shows.
const WORDS_SHOWN: usize = 8;

/// A measure's cells in the dictionary: key, Chinese name, English name, unit kinds, words.
fn measure_cells(m: &MeasureDef) -> [String; 5] {
    [
        m.key.clone(),
        m.zh.clone(),
        m.name.clone(),
        m.unit_kinds.get_ref().join(", "),
        words_of(m),
    ]
}

fn words_of(m: &MeasureDef) -> String {
    let mut w = m
        .words
        .iter()
        .take(WORDS_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if m.words.len() > WORDS_SHOWN {
        w.push_str(", …");
    }
    w
}

/// The data dictionary as Markdown: the tables, the workbook's summary sheet, then the values
/// of `measure_key` (the taxonomy of `measures`) and of `stat`.
pub fn to_markdown(measures: &[MeasureDef]) -> String {
    let mut s = String::from("# zonefacts output tables\n\n");
    s.push_str(
        "Generated by `zonefacts schema --format markdown` from the definitions the writer uses.\n",
    );
    for t in TABLES {
        push_markdown_table(&mut s, t, t.name, "");
    }
    push_markdown_table(
        &mut s,
        &ZONE_MEASURES,
        "zone_measures (zonefacts.xlsx only)",
        " Written to the workbook even when `xlsx.max_rows` leaves `measures` out; no Parquet \
         or CSV file.",
    );
    s.push_str(
        "\n## measure_key values\n\nThe subject of a figure, from `[[measures]]` in the \
         configuration (`pipeline.toml`); null when none fits. A level takes a measure whose \
         unit kinds include its unit's; a growth, change or share may come in any unit.\n\n\
         | measure_key | 中文 | name | unit kinds (of a level) | words |\n|---|---|---|---|---|\n",
    );
    for m in measures {
        let [key, zh, name, kinds, words] = measure_cells(m);
        let words = words.replace('|', "\\|");
        s.push_str(&format!("| {key} | {zh} | {name} | {kinds} | {words} |\n"));
    }
    s.push_str("\n## stat values\n\n| stat | meaning |\n|---|---|\n");
    for (stat, doc) in STATS {
        s.push_str(&format!("| {} | {doc} |\n", stat.as_str()));
    }
    s
}

fn push_markdown_table(s: &mut String, t: &TableDef, heading: &str, note: &str) {
    s.push_str(&format!(
        "\n## {heading}\n\n{} Rows ordered by {}.{note}\n\n",
        t.doc, t.order
    ));
    s.push_str("| column | type | nullable | meaning |\n|---|---|---|---|\n");
    for c in t.columns {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            c.name,
            c.ty.as_str(),
            if c.nullable { "yes" } else { "no" },
            c.doc.replace('|', "\\|")
        ));
    }
}

/// The data dictionary as plain text for a terminal.
pub fn to_text(measures: &[MeasureDef]) -> String {
    let mut s = String::new();
    for t in TABLES {
        s.push_str(&format!(
            "{} — {} (ordered by {})\n",
            t.name, t.doc, t.order
        ));
        for c in t.columns {
            s.push_str(&format!(
                "  {:<20} {:<15} {:<9} {}\n",
                c.name,
                c.ty.as_str(),
                if c.nullable { "nullable" } else { "" },
                c.doc
            ));
        }
        s.push('\n');
    }
    s.push_str("measure_key values (pipeline.toml [[measures]]; null when none fits)\n");
    for m in measures {
        let [key, zh, name, kinds, words] = measure_cells(m);
        s.push_str(&format!("  {key:<22} {zh} {name} [{kinds}]: {words}\n"));
    }
    s.push_str("\nstat values\n");
    for (stat, doc) in STATS {
        s.push_str(&format!("  {:<22} {doc}\n", stat.as_str()));
    }
    s
}

/// The data dictionary as JSON: `{"tables": [...], "measure_keys": [...], "stats": [...]}`.
pub fn to_json(measures: &[MeasureDef]) -> String {
    let keys: Vec<serde_json::Value> = measures
        .iter()
        .map(|m| {
            serde_json::json!({
                "key": m.key, "zh": m.zh, "name": m.name,
                "unit_kinds": m.unit_kinds.get_ref(), "words": m.words,
            })
        })
        .collect();
    let stats: Vec<serde_json::Value> = STATS
        .iter()
        .map(|(stat, doc)| serde_json::json!({"stat": stat.as_str(), "meaning": doc}))
        .collect();
    let doc = serde_json::json!({"tables": TABLES, "measure_keys": keys, "stats": stats});
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into())
}
