//! CSV sink: RFC 4180 quoting, header row, ISO dates, empty field for null, list columns
//! joined with the configured separator, optional UTF-8 BOM for spreadsheets.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::tables::{ColumnData, Table};
use crate::config::CsvSection;

/// Formats a float without exponent or binary noise (1700000000, 66.67, 0.5).
pub fn format_float(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e17 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// ISO date for days since 1970-01-01.
pub fn format_date(days: i32) -> String {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(days as i64)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn cell(col: &ColumnData, row: usize, list_sep: &str) -> String {
    match col {
        ColumnData::Str(v) => v[row].clone().unwrap_or_default(),
        ColumnData::Int(v) => v[row].to_string(),
        ColumnData::Float(v) => v[row].map(format_float).unwrap_or_default(),
        ColumnData::Date(v) => v[row].map(format_date).unwrap_or_default(),
        ColumnData::StrList(v) => v[row].join(list_sep),
    }
}

fn writer(
    path: &Path,
    opts: &CsvSection,
) -> Result<csv::Writer<std::io::BufWriter<std::fs::File>>> {
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    if opts.bom {
        w.write_all(b"\xEF\xBB\xBF")?;
    }
    let delim = opts
        .delimiter
        .get_ref()
        .as_bytes()
        .first()
        .copied()
        .unwrap_or(b',');
    Ok(csv::WriterBuilder::new()
        .delimiter(delim)
        .terminator(csv::Terminator::CRLF)
        .from_writer(w))
}

/// Writes one table.
pub fn write_table(table: &Table, path: &Path, opts: &CsvSection) -> Result<()> {
    let mut w = writer(path, opts)?;
    w.write_record(table.def.columns.iter().map(|c| c.name))?;
    let mut rec: Vec<String> = Vec::with_capacity(table.columns.len());
    for row in 0..table.rows() {
        rec.clear();
        rec.extend(
            table
                .columns
                .iter()
                .map(|c| cell(c, row, &opts.list_separator)),
        );
        w.write_record(&rec)?;
    }
    finish(w, path)
}

/// Writes rows of plain strings under a header (rejected.csv).
pub fn write_rows(
    header: &[&str],
    rows: &[Vec<String>],
    path: &Path,
    opts: &CsvSection,
) -> Result<()> {
    let mut w = writer(path, opts)?;
    w.write_record(header)?;
    for r in rows {
        w.write_record(r)?;
    }
    finish(w, path)
}

fn finish(w: csv::Writer<std::io::BufWriter<std::fs::File>>, path: &Path) -> Result<()> {
    let inner = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot flush {}: {}", path.display(), e.error()))?;
    let f = inner
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot flush {}: {}", path.display(), e.error()))?;
    f.sync_all()
        .with_context(|| format!("cannot sync {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_plain() {
        assert_eq!(format_float(1.7e9), "1700000000");
        assert_eq!(format_float(66.67), "66.67");
        assert_eq!(format_float(0.5), "0.5");
        assert_eq!(format_float(1e11), "100000000000");
        assert_eq!(format_date(19_936), "2024-08-01");
    }
}
