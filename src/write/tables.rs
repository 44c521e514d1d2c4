//! Row values and column buffers, in the column order of [`crate::schema`].
//!
//! The sink ([`super::sink`]) turns each page into rows of [`Value`]s once and hands the same
//! row to every format, so Parquet, CSV and the workbook always carry the same rows in the same
//! order. Parquet row groups are collected in a [`Table`] until they are big enough to write.

use crate::model::Page;
use crate::schema::{ColumnType, TableDef};

/// One cell of a row, borrowed from the page it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// Text, null where `None`.
    Str(Option<&'a str>),
    /// Integer.
    Int(i64),
    /// Boolean.
    Bool(bool),
    /// Float, null where `None`.
    Float(Option<f64>),
    /// Date as days since 1970-01-01, null where `None`.
    Date(Option<i32>),
    /// List of text.
    List(&'a [String]),
}

impl Value<'_> {
    /// Bytes of text this cell carries (for sizing row groups).
    pub fn text_len(&self) -> usize {
        match self {
            Value::Str(s) => s.map_or(0, str::len),
            Value::List(l) => l.iter().map(String::len).sum(),
            _ => 0,
        }
    }
}

/// A text column's values packed into one buffer. A row group holds millions of short
/// values (ids, units, labels); one `String` each cost an allocation and a free per value,
/// about a third of the table writer's time on 1 GB of input.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextColumn {
    /// Every non-null value, one after the other.
    bytes: String,
    /// Per row: where its value ends in `bytes`, `None` for a null.
    ends: Vec<Option<usize>>,
}

impl TextColumn {
    /// Appends a value (or a null).
    pub fn push(&mut self, value: Option<&str>) {
        self.ends.push(value.map(|v| {
            self.bytes.push_str(v);
            self.bytes.len()
        }));
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The values in row order.
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |end| {
            end.map(|end| {
                let v = &self.bytes[start..end];
                start = end;
                v
            })
        })
    }

    /// Removes every row, keeping the buffers for the next row group.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }
}

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Text, null where `None`.
    Str(TextColumn),
    /// Integers.
    Int(Vec<i64>),
    /// Booleans.
    Bool(Vec<bool>),
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
            ColumnType::String => ColumnData::Str(TextColumn::default()),
            ColumnType::Int => ColumnData::Int(Vec::new()),
            ColumnType::Bool => ColumnData::Bool(Vec::new()),
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
            ColumnData::Bool(v) => v.len(),
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

fn fits(col: &ColumnData, v: &Value<'_>) -> bool {
    matches!(
        (col, v),
        (ColumnData::Str(_), Value::Str(_))
            | (ColumnData::Int(_), Value::Int(_))
            | (ColumnData::Bool(_), Value::Bool(_))
            | (ColumnData::Float(_), Value::Float(_))
            | (ColumnData::Date(_), Value::Date(_))
            | (ColumnData::StrList(_), Value::List(_))
    )
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
    /// An empty table.
    pub fn new(def: TableDef) -> Table {
        Table {
            def,
            columns: def
                .columns
                .iter()
                .map(|c| ColumnData::empty(c.ty))
                .collect(),
        }
    }

    /// Appends a row; values in column order. A value of the wrong type for its column (a
    /// bug in the row builder, caught by the tests) is stored as the column's null or zero.
    pub fn push(&mut self, row: &[Value<'_>]) {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.def.name);
        for (col, value) in self.columns.iter_mut().zip(row) {
            debug_assert!(fits(col, value), "{value:?} in {}", self.def.name);
            match col {
                ColumnData::Str(v) => v.push(match value {
                    Value::Str(x) => *x,
                    _ => None,
                }),
                ColumnData::Int(v) => v.push(match value {
                    Value::Int(x) => *x,
                    _ => 0,
                }),
                ColumnData::Bool(v) => v.push(matches!(value, Value::Bool(true))),
                ColumnData::Float(v) => v.push(match value {
                    Value::Float(x) => *x,
                    _ => None,
                }),
                ColumnData::Date(v) => v.push(match value {
                    Value::Date(x) => *x,
                    _ => None,
                }),
                ColumnData::StrList(v) => v.push(match value {
                    Value::List(x) => x.to_vec(),
                    _ => Vec::new(),
                }),
            }
        }
    }

    /// Removes every row, keeping the definition and the text buffers.
    pub fn clear(&mut self) {
        for col in &mut self.columns {
            match col {
                ColumnData::Str(v) => v.clear(),
                ColumnData::Int(v) => v.clear(),
                ColumnData::Bool(v) => v.clear(),
                ColumnData::Float(v) => v.clear(),
                ColumnData::Date(v) => v.clear(),
                ColumnData::StrList(v) => v.clear(),
            }
        }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, ColumnData::len)
    }
}

/// Stable id of an article: its page's [`article_id_prefix`] (the file's identity, path and
/// content) and its position.
pub fn article_id(prefix: &str, seq: usize) -> String {
    format!("{prefix}{seq:03}")
}

/// What every article id of a page starts with (`0123456789abcdef-`): every row an input
/// file gives starts with it, which is how a row range is checked to belong to its file.
pub fn article_id_prefix(page: &Page) -> String {
    let h = blake3::hash(format!("{}\n{}", page.source_file, page.content_hash).as_bytes());
    format!("{}-", &h.to_hex()[..16])
}

/// Stable id of a zone, from its canonical name.
pub fn zone_id(name: &str) -> String {
    format!("z{}", &blake3::hash(name.as_bytes()).to_hex()[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_come_back_in_order_with_nulls_and_empty_strings() {
        let mut col = TextColumn::default();
        for v in [Some("高新区"), None, Some(""), Some("28条"), None] {
            col.push(v);
        }
        assert_eq!(col.len(), 5);
        let back: Vec<_> = col.iter().collect();
        assert_eq!(back, [Some("高新区"), None, Some(""), Some("28条"), None]);
        col.clear();
        assert!(col.is_empty());
        col.push(Some("89.6%"));
        assert_eq!(col.iter().collect::<Vec<_>>(), [Some("89.6%")]);
    }
}
