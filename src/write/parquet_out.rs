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

/// Opens a table's Parquet file for writing row group by row group, on the calling thread.
pub fn open(def: TableDef, path: &Path) -> Result<(File, BatchedWriter<WriteBehind>)> {
    let f = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let handle = f
        .try_clone()
        .with_context(|| format!("cannot open {}", path.display()))?;
    let schema = schema(def);
    // polars' own encoding threads stay off: a table that wants another thread gets a
    // [`RowGroupWriter`] lane, which overlaps whole row groups with the rows being built
    let w = ParquetWriter::new(WriteBehind::new(handle))
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::default())
        .with_key_value_metadata(Some(compatible_arrow_schema(&schema)))
        .set_parallel(false)
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

/// A table's Parquet file, written row group by row group either on the caller's thread or
/// on a thread of its own (a *lane*). Encoding a row group (building the frame, dictionary
/// and zstd) is most of what writing Parquet costs; on a lane it overlaps the caller's
/// next rows, so a writer that is the run's critical path (the second pass of story
/// linking) is not held up by it. Row groups are written in the order they are handed
/// over, so the file is the same bytes either way.
pub enum RowGroupWriter {
    /// Encodes on the caller's thread.
    Inline {
        /// The open file (kept to sync it at the end).
        file: File,
        /// The polars writer.
        writer: Box<BatchedWriter<WriteBehind>>,
    },
    /// Encodes on its own thread; at most one row group waits for it.
    Lane {
        /// Row groups to write; dropped to finish the file.
        tx: Option<std::sync::mpsc::SyncSender<Table>>,
        /// The lane; its result is the first error it met.
        handle: Option<std::thread::JoinHandle<Result<()>>>,
    },
}

impl RowGroupWriter {
    /// Opens `path` for the rows of `def`; `lane` puts the encoding on a thread of its own.
    pub fn open(def: TableDef, path: &Path, lane: bool) -> Result<RowGroupWriter> {
        let (file, writer) = open(def, path)?;
        if !lane {
            return Ok(RowGroupWriter::Inline {
                file,
                writer: Box::new(writer),
            });
        }
        let (tx, rx) = std::sync::mpsc::sync_channel::<Table>(1);
        let owned = path.to_path_buf();
        let handle = std::thread::Builder::new()
            .name(format!("zf-parquet-{}", def.name))
            .spawn(move || -> Result<()> {
                let mut writer = writer;
                for table in rx.iter() {
                    write_row_group(&mut writer, &table)
                        .with_context(|| format!("cannot write {}", owned.display()))?;
                }
                finish(writer, file, &owned)
            })
            .with_context(|| format!("cannot start the writer thread of {}", path.display()))?;
        Ok(RowGroupWriter::Lane {
            tx: Some(tx),
            handle: Some(handle),
        })
    }

    /// Writes `table` as the next row group.
    pub fn write(&mut self, table: Table, path: &Path) -> Result<()> {
        match self {
            RowGroupWriter::Inline { writer, .. } => write_row_group(writer, &table)
                .with_context(|| format!("cannot write {}", path.display())),
            RowGroupWriter::Lane { tx, .. } => {
                let sent = tx.as_ref().is_some_and(|tx| tx.send(table).is_ok());
                if sent {
                    Ok(())
                } else {
                    // the lane stopped at an error: that error is the one to report
                    self.join().and_then(|()| {
                        Err(anyhow::anyhow!("the writer of {} stopped", path.display()))
                    })
                }
            }
        }
    }

    /// Writes the footer and syncs the file (after the lane wrote every row group).
    pub fn finish(self, path: &Path) -> Result<()> {
        match self {
            RowGroupWriter::Inline { file, writer } => finish(*writer, file, path),
            mut lane => lane.join(),
        }
    }

    fn join(&mut self) -> Result<()> {
        let RowGroupWriter::Lane { tx, handle } = self else {
            return Ok(());
        };
        drop(tx.take());
        match handle.take() {
            Some(h) => h
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("a Parquet writer thread failed"))),
            None => Err(anyhow::anyhow!("a Parquet writer thread already stopped")),
        }
    }
}
