//! Parquet sink (polars): real types — dates as `DATE`, lists as `LIST<STRING>`, counts as
//! `INT64` — zstd-compressed with statistics, written one row group at a time. polars
//! dictionary-encodes every column whose values repeat (zone ids, units, kinds, sentences)
//! and falls back to plain encoding where they do not.

use std::fs::File;
use std::path::Path;

use anyhow::{Context, Result};
use polars::prelude::*;

use super::tables::{ColumnData, Table};
use crate::disk::WriteBehind;
use crate::schema::{ColumnType, TableDef};

fn series(name: &str, col: &ColumnData) -> Result<Series> {
    let name: PlSmallStr = name.into();
    Ok(match col {
        ColumnData::Str(v) => StringChunked::from_iter_options(name, v.iter()).into_series(),
        ColumnData::Int(v) => Series::new(name, v.as_slice()),
        ColumnData::Bool(v) => Series::new(name, v.as_slice()),
        ColumnData::Float(v) => Series::new(name, v.as_slice()),
        ColumnData::Date(v) => Series::new(name, v.as_slice()).cast(&DataType::Date)?,
        ColumnData::StrList(v) => {
            let inner: Vec<Series> = v
                .iter()
                .map(|l| Series::new(PlSmallStr::EMPTY, l.as_slice()))
                .collect();
            let mut s = Series::new(name, inner.as_slice());
            if v.is_empty() {
                s = s.cast(&DataType::List(Box::new(DataType::String)))?;
            }
            s
        }
    })
}

/// The table as a DataFrame (columns in contract order).
pub fn to_frame(table: &Table) -> Result<DataFrame> {
    let cols: Vec<Column> = table
        .def
        .columns
        .iter()
        .zip(&table.columns)
        .map(|(d, c)| series(d.name, c).map(Column::from))
        .collect::<Result<_>>()?;
    Ok(DataFrame::new(table.rows(), cols)?)
}

/// The polars schema of a table (the same types [`to_frame`] produces).
fn schema(def: TableDef) -> Schema {
    def.columns
        .iter()
        .map(|c| {
            let ty = match c.ty {
                ColumnType::String => DataType::String,
                ColumnType::Int => DataType::Int64,
                ColumnType::Bool => DataType::Boolean,
                ColumnType::Float => DataType::Float64,
                ColumnType::Date => DataType::Date,
                ColumnType::StringList => DataType::List(Box::new(DataType::String)),
            };
            Field::new(c.name.into(), ty)
        })
        .collect()
}

/// The footer's `ARROW:schema` entry at the oldest Arrow compatibility level: `large_string`
/// and `large_list<large_string>` instead of polars' `string_view` types, which pandas (3.x
/// with pyarrow) cannot convert and older Arrow readers do not know. The Parquet column data
/// is the same either way (UTF-8 byte arrays); only the Arrow types readers restore differ.
fn compatible_arrow_schema(schema: &Schema) -> KeyValueMetadata {
    let arrow = schema.to_arrow(CompatLevel::oldest());
    let kv = polars_parquet::write::schema_to_metadata_key(&arrow);
    KeyValueMetadata::Static(vec![kv])
}

/// Opens a table's Parquet file for writing row group by row group. `parallel` lets polars
/// encode columns on several threads.
pub fn open(
    def: TableDef,
    path: &Path,
    parallel: bool,
) -> Result<(File, BatchedWriter<WriteBehind>)> {
    let f = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let handle = f
        .try_clone()
        .with_context(|| format!("cannot open {}", path.display()))?;
    let schema = schema(def);
    let w = ParquetWriter::new(WriteBehind::new(handle))
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::default())
        .with_key_value_metadata(Some(compatible_arrow_schema(&schema)))
        .set_parallel(parallel)
        .batched(&schema)
        .map_err(|e| anyhow::anyhow!("cannot start {}: {e}", path.display()))?;
    Ok((f, w))
}

/// Writes the rows of `table` as one row group.
pub fn write_row_group(w: &mut BatchedWriter<WriteBehind>, table: &Table) -> Result<()> {
    let df = to_frame(table).with_context(|| format!("building the {} frame", table.def.name))?;
    w.write_batch(&df).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Writes the footer and syncs the file.
pub fn finish(w: BatchedWriter<WriteBehind>, file: File, path: &Path) -> Result<()> {
    w.finish()
        .map_err(|e| anyhow::anyhow!("cannot finish {}: {e}", path.display()))?;
    drop(w);
    file.sync_all()
        .with_context(|| format!("cannot sync {}", path.display()))
}
