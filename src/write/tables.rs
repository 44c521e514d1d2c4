//! Pages → columnar tables, in the column order of [`crate::schema`].
//!
//! Both the Parquet and the CSV writer consume these columns, so the two formats always carry
//! the same rows in the same order.

use std::collections::BTreeMap;

use crate::model::Page;
use crate::schema::{ColumnType, TableDef, ARTICLES, ENTITIES, MEASURES, ZONES};

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Text, null where `None`.
    Str(Vec<Option<String>>),
    /// Integers.
    Int(Vec<i64>),
    /// Floats, null where `None`.
    Float(Vec<Option<f64>>),
    /// Dates as days since 1970-01-01, null where `None`.
    Date(Vec<Option<i32>>),
    /// Lists of text.
    StrList(Vec<Vec<String>>),
}

impl ColumnData {
    fn empty(ty: ColumnType) -> ColumnData {
        match ty {
            ColumnType::String => ColumnData::Str(Vec::new()),
            ColumnType::Int => ColumnData::Int(Vec::new()),
            ColumnType::Float => ColumnData::Float(Vec::new()),
            ColumnType::Date => ColumnData::Date(Vec::new()),
            ColumnType::StringList => ColumnData::StrList(Vec::new()),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Str(v) => v.len(),
            ColumnData::Int(v) => v.len(),
            ColumnData::Float(v) => v.len(),
            ColumnData::Date(v) => v.len(),
            ColumnData::StrList(v) => v.len(),
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A cell pushed into a column; its variant must match the column's type.
#[derive(Debug, Clone)]
pub enum Cell {
    /// Text or null.
    Str(Option<String>),
    /// Integer.
    Int(i64),
    /// Float or null.
    Float(Option<f64>),
    /// Date (days since epoch) or null.
    Date(Option<i32>),
    /// List of text.
    List(Vec<String>),
}

/// A table being built: its definition and one vector per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The contract.
    pub def: TableDef,
    /// Values, in `def.columns` order.
    pub columns: Vec<ColumnData>,
}

impl Table {
    fn new(def: TableDef) -> Table {
        Table {
            def,
            columns: def
                .columns
                .iter()
                .map(|c| ColumnData::empty(c.ty))
                .collect(),
        }
    }

    /// Appends a row; cells in column order.
    fn push(&mut self, cells: Vec<Cell>) {
        debug_assert_eq!(cells.len(), self.columns.len(), "{}", self.def.name);
        for (col, cell) in self.columns.iter_mut().zip(cells) {
            match (col, cell) {
                (ColumnData::Str(v), Cell::Str(x)) => v.push(x),
                (ColumnData::Int(v), Cell::Int(x)) => v.push(x),
                (ColumnData::Float(v), Cell::Float(x)) => v.push(x),
                (ColumnData::Date(v), Cell::Date(x)) => v.push(x),
                (ColumnData::StrList(v), Cell::List(x)) => v.push(x),
                (c, cell) => panic!("cell {cell:?} does not fit column type of {c:?}"),
            }
        }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, ColumnData::len)
    }
}

/// The four output tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// `articles`.
    pub articles: Table,
    /// `measures`.
    pub measures: Table,
    /// `zones`.
    pub zones: Table,
    /// `entities`.
    pub entities: Table,
}

impl Tables {
    /// In writing order.
    pub fn all(&self) -> [&Table; 4] {
        [&self.articles, &self.measures, &self.zones, &self.entities]
    }
}

/// Stable id of an article: the file's identity (path and content) and its position.
pub fn article_id(page: &Page, seq: usize) -> String {
    let h = blake3::hash(format!("{}\n{}", page.source_file, page.content_hash).as_bytes());
    format!("{}-{:03}", &h.to_hex()[..16], seq)
}

/// Stable id of a zone, from its canonical name.
pub fn zone_id(name: &str) -> String {
    format!("z{}", &blake3::hash(name.as_bytes()).to_hex()[..12])
}

fn s(x: &str) -> Cell {
    Cell::Str(Some(x.to_string()))
}

fn opt(x: Option<&str>) -> Cell {
    Cell::Str(x.map(str::to_string))
}

fn int(x: usize) -> Cell {
    Cell::Int(x as i64)
}

#[derive(Default)]
struct ZoneAgg {
    province: Option<String>,
    city: Option<String>,
    level: Option<String>,
    articles: usize,
    measures: usize,
}

/// Builds the tables from processed pages (already in source-file order).
pub fn build(pages: &[&Page]) -> Tables {
    let mut articles = Table::new(ARTICLES);
    let mut measures = Table::new(MEASURES);
    let mut entities = Table::new(ENTITIES);
    let mut zones: BTreeMap<String, ZoneAgg> = BTreeMap::new();
    for page in pages {
        for a in &page.articles {
            let aid = article_id(page, a.seq);
            for z in &a.zones {
                let e = zones.entry(z.name.clone()).or_default();
                e.province = e.province.take().or_else(|| z.province.clone());
                e.city = e.city.take().or_else(|| z.city.clone());
                e.level = e.level.take().or_else(|| z.level.clone());
            }
            let az = a.zone.map(|i| a.zones[i].name.as_str());
            if let Some(name) = az {
                if let Some(e) = zones.get_mut(name) {
                    e.articles += 1;
                }
            }
            articles.push(vec![
                s(&aid),
                s(&page.source_file),
                int(a.seq),
                opt(a.title.as_deref()),
                opt(a.subtitle.as_deref()),
                Cell::List(a.authors.clone()),
                Cell::Date(a.published.and_then(|p| p.days_since_epoch())),
                opt(a.published.map(|p| p.precision.as_str())),
                opt(az.map(zone_id).as_deref()),
                opt(az),
                int(a.char_count()),
                int(a.paragraphs.len()),
                s(&a.text()),
            ]);
            let mut figs: Vec<_> = a.figures.iter().collect();
            figs.sort_by_key(|f| (f.span.start, f.span.end));
            for (n, f) in figs.into_iter().enumerate() {
                let fz = f.zone.map(|i| a.zones[i].name.as_str());
                if let Some(name) = fz {
                    if let Some(e) = zones.get_mut(name) {
                        e.measures += 1;
                    }
                }
                measures.push(vec![
                    s(&format!("{aid}-{:03}", n + 1)),
                    s(&aid),
                    opt(fz.map(zone_id).as_deref()),
                    opt(fz),
                    s(&f.label),
                    opt(f.measure_key.as_deref()),
                    Cell::Float(Some(f.value)),
                    Cell::Float(f.value_max),
                    s(&f.unit),
                    s(&f.unit_kind),
                    opt(f.qualifier.map(|q| q.as_str())),
                    opt(f.role.map(|r| r.as_str())),
                    opt(f.change.map(|c| c.as_str())),
                    opt(f.period.as_deref()),
                    s(&f.raw_text),
                    s(&f.sentence),
                    int(f.span.start),
                    int(f.span.end),
                ]);
            }
            let mut ents: Vec<_> = a.entities.iter().collect();
            ents.sort_by(|x, y| {
                x.kind
                    .cmp(&y.kind)
                    .then(x.first_char.cmp(&y.first_char))
                    .then(x.text.cmp(&y.text))
            });
            for e in ents {
                entities.push(vec![
                    s(&aid),
                    s(e.kind.as_str()),
                    s(&e.text),
                    int(e.mentions),
                    int(e.first_char),
                ]);
            }
        }
    }
    let mut zt = Table::new(ZONES);
    for (name, z) in zones {
        zt.push(vec![
            s(&zone_id(&name)),
            s(&name),
            opt(z.province.as_deref()),
            opt(z.city.as_deref()),
            opt(z.level.as_deref()),
            int(z.articles),
            int(z.measures),
        ]);
    }
    Tables {
        articles,
        measures,
        zones: zt,
        entities,
    }
}
