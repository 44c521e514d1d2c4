//! Parquet sink (polars): real types — dates as `DATE`, lists as `LIST<STRING>`, counts as
//! `INT64` — zstd-compressed with statistics.

use std::path::Path;

use anyhow::{Context, Result};
use polars::prelude::*;

use super::tables::{ColumnData, Table};

fn series(name: &str, col: &ColumnData) -> Result<Series> {
    let name: PlSmallStr = name.into();
    Ok(match col {
        ColumnData::Str(v) => Series::new(name, v.as_slice()),
        ColumnData::Int(v) => Series::new(name, v.as_slice()),
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

/// Writes one table.
pub fn write_table(table: &Table, path: &Path) -> Result<()> {
    let mut df =
        to_frame(table).with_context(|| format!("building the {} frame", table.def.name))?;
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    ParquetWriter::new(&f)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::default())
        .finish(&mut df)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    f.sync_all()
        .with_context(|| format!("cannot sync {}", path.display()))?;
    Ok(())
}
