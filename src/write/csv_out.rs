//! CSV sink: RFC 4180 quoting, header row, ISO dates, empty field for null, list columns
//! joined with the configured separator, optional UTF-8 BOM for spreadsheets.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::tables::Value;
use crate::config::CsvSection;
use crate::disk::WriteBehind;

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

/// Formats one value as a CSV field into `buf` (cleared first).
pub fn format_value(value: &Value<'_>, list_sep: &str, buf: &mut String) {
    use std::fmt::Write as _;
    buf.clear();
    match value {
        Value::Str(x) => buf.push_str(x.unwrap_or("")),
        Value::Int(x) => {
            let _ = write!(buf, "{x}");
        }
        Value::Float(x) => {
            if let Some(v) = x {
                buf.push_str(&format_float(*v));
            }
        }
        Value::Date(x) => {
            if let Some(d) = x {
                buf.push_str(&format_date(*d));
            }
        }
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    buf.push_str(list_sep);
                }
                buf.push_str(item);
            }
        }
    }
}

/// A CSV file being written.
pub type CsvWriter = csv::Writer<std::io::BufWriter<WriteBehind>>;

/// Opens a CSV file for writing (with the BOM when configured); the caller writes the header.
pub fn open(path: &Path, opts: &CsvSection) -> Result<CsvWriter> {
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, WriteBehind::new(f));
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

/// Flushes and syncs a CSV file.
pub fn finish(w: CsvWriter, path: &Path) -> Result<()> {
    let inner = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot flush {}: {}", path.display(), e.error()))?;
    let f = inner
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot flush {}: {}", path.display(), e.error()))?;
    f.into_inner()
        .sync_all()
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
