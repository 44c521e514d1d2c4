//! CSV sink: RFC 4180 quoting, header row, ISO dates, empty field for null, list columns
//! joined with the configured separator, optional UTF-8 BOM for spreadsheets.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::tables::Value;
use crate::config::CsvSection;
use crate::disk::{BackgroundFile, WriteBehind};

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

/// How text cells are written: the list separator, and whether text that a spreadsheet would
/// run as a formula is guarded.
#[derive(Debug, Clone, Copy)]
pub struct CellFormat<'a> {
    /// Joins list items (authors) in one field.
    pub list_sep: &'a str,
    /// Prefix `'` to a text cell starting with `=`, `+`, `-`, `@`, tab or CR (the OWASP advice
    /// against CSV formula injection): Excel, WPS and LibreOffice then show it as text.
    pub formula_guard: bool,
}

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Formats one value as a CSV field into `buf` (cleared first).
pub fn format_value(value: &Value<'_>, fmt: &CellFormat<'_>, buf: &mut String) {
    use std::fmt::Write as _;
    let list_sep = fmt.list_sep;
    buf.clear();
    match value {
        Value::Str(x) => {
            let x = x.unwrap_or("");
            if fmt.formula_guard && x.starts_with(FORMULA_STARTS) {
                buf.push('\'');
            }
            buf.push_str(x);
        }
        Value::Int(x) => {
            let _ = write!(buf, "{x}");
        }
        Value::Bool(x) => buf.push_str(if *x { "true" } else { "false" }),
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
                if i == 0 && fmt.formula_guard && item.starts_with(FORMULA_STARTS) {
                    buf.push('\'');
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
    let w = create_file(path, opts)?;
    Ok(writer_builder(opts).from_writer(w))
}

/// The byte-order mark a CSV file starts with (none unless configured).
fn bom(opts: &CsvSection) -> &'static [u8] {
    if opts.bom {
        b"\xEF\xBB\xBF"
    } else {
        b""
    }
}

/// Creates a CSV file and writes the BOM when configured.
fn create_file(path: &Path, opts: &CsvSection) -> Result<std::io::BufWriter<WriteBehind>> {
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, WriteBehind::new(f));
    w.write_all(bom(opts))?;
    Ok(w)
}

/// The configured delimiter, CRLF row ends, quoting where needed.
fn writer_builder(opts: &CsvSection) -> csv::WriterBuilder {
    let delim = opts
        .delimiter
        .get_ref()
        .as_bytes()
        .first()
        .copied()
        .unwrap_or(b',');
    let mut b = csv::WriterBuilder::new();
    b.delimiter(delim).terminator(csv::Terminator::CRLF);
    b
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

/// Memory the CSV writer formats rows into, shared with the [`TableCsv`] that moves them
/// to the file (the csv crate's writer lends out no mutable access to what it writes to).
#[derive(Clone, Default)]
struct Formatted(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Formatted {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        // a panic elsewhere while holding it leaves whole bytes: nothing to repair
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Write for Formatted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A row table's CSV file, written one input file at a time: each file's rows are either
/// formatted here or copied verbatim from the previous run's file (an unchanged input file
/// under the same program and config has the same rows, byte for byte). Every byte's offset
/// is known, so the next run can find each input file's rows again.
pub struct TableCsv {
    /// Formats records into `formatted`; [`Self::position`] moves them to `out`.
    rows: csv::Writer<Formatted>,
    formatted: Formatted,
    /// The file, written on a thread of its own.
    out: BackgroundFile,
    /// Bytes handed to `out` so far.
    written: u64,
}

impl TableCsv {
    /// Creates the file (with the BOM when configured) and writes the header row.
    pub fn create<'h>(
        path: &Path,
        opts: &CsvSection,
        header: impl IntoIterator<Item = &'h str>,
    ) -> Result<TableCsv> {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let out = BackgroundFile::start(file)
            .with_context(|| format!("cannot start writing {}", path.display()))?;
        let formatted = Formatted::default();
        formatted.lock().extend_from_slice(bom(opts));
        let rows = writer_builder(opts).from_writer(formatted.clone());
        let mut t = TableCsv {
            rows,
            formatted,
            out,
            written: 0,
        };
        t.rows.write_record(header)?;
        Ok(t)
    }

    /// Writes one field of the current row.
    pub fn write_field(&mut self, field: &[u8]) -> Result<()> {
        Ok(self.rows.write_field(field)?)
    }

    /// Ends the current row.
    pub fn end_row(&mut self) -> Result<()> {
        Ok(self.rows.write_record(None::<&[u8]>)?)
    }

    /// Offset in the file at which the next row starts (moving the formatted rows to it).
    pub fn position(&mut self) -> Result<u64> {
        self.rows.flush()?;
        let fresh = self.out.buffer();
        let buf = std::mem::replace(&mut *self.formatted.lock(), fresh);
        self.written += buf.len() as u64;
        self.out.send(buf)?;
        Ok(self.written)
    }

    /// Appends bytes verbatim (rows of the previous run's file).
    pub fn append_raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.position()?;
        let mut buf = self.out.buffer();
        buf.extend_from_slice(bytes);
        self.written += bytes.len() as u64;
        self.out.send(buf)?;
        Ok(())
    }

    /// Flushes and syncs the file.
    pub fn finish(mut self, path: &Path) -> Result<()> {
        self.position()
            .with_context(|| format!("cannot write {}", path.display()))?;
        self.out
            .finish()
            .with_context(|| format!("cannot write {}", path.display()))?
            .sync_all()
            .with_context(|| format!("cannot sync {}", path.display()))
    }
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

    #[test]
    fn text_that_a_spreadsheet_would_run_is_guarded() {
        let on = CellFormat {
            list_sep: "; ",
            formula_guard: true,
        };
        let off = CellFormat {
            formula_guard: false,
            ..on
        };
        let mut buf = String::new();
        for (text, want) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+86苏州", "'+86苏州"),
            ("-园区", "'-园区"),
            ("@园区", "'@园区"),
            ("园区=1", "园区=1"),
        ] {
            format_value(&Value::Str(Some(text)), &on, &mut buf);
            assert_eq!(buf, want);
            format_value(&Value::Str(Some(text)), &off, &mut buf);
            assert_eq!(buf, text);
        }
        // numbers are never touched
        format_value(&Value::Float(Some(-3.5)), &on, &mut buf);
        assert_eq!(buf, "-3.5");
        let list = ["=a".to_string(), "b".to_string()];
        format_value(&Value::List(&list), &on, &mut buf);
        assert_eq!(buf, "'=a; b");
    }
}
