//! Excel sink: `zonefacts.xlsx`, one sheet per table plus a `README` sheet explaining the
//! columns. Bold frozen header row, autofilter, sensible column widths, numbers as numbers
//! (never in scientific notation), dates as dates.
//!
//! The workbook is written as it streams in. Each table's sheet XML is deflated as its rows
//! arrive, into a one-entry zip in the staging folder; when a sheet is complete (a table's
//! last row, or a full sheet that continues on the next) its compressed entry is copied into
//! `zonefacts.xlsx` without inflating it again, and saving adds the small package parts
//! (content types, relationships, workbook, styles, README). Memory stays flat, the
//! uncompressed XML never touches the disk, and the compression happens on the workbook's
//! writer thread while files are still being extracted instead of in one serial pass at the
//! end (which is what the rust_xlsxwriter sink this replaces did: on 1 GB it wrote 6.3 GB of
//! temporary XML and then compressed it on one core). See PERFORMANCE.md.
//!
//! The package is the minimal SpreadsheetML that Excel, WPS, LibreOffice and openpyxl open:
//! inline strings (no shared-string table to hold in memory), one cell style per format, and
//! fixed zip timestamps so the same tables give a byte-identical workbook.
//!
//! Limits, stated in the README sheet: a table with more rows than `xlsx.max_rows` is left
//! out (a spreadsheet of a million rows is slow to open and of little use there, and writing
//! it was a quarter of a run; its sheets are discarded as soon as the row past the limit
//! arrives, so a long table costs the workbook at most that many rows of work). Excel holds
//! 1 048 576 rows per sheet (with no row limit a longer table continues on `NAME (2)`, …,
//! added at the end of the workbook) and 32 767 characters per cell (longer article texts are
//! cut, the Parquet and CSV files keep them whole).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};
use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::late_head::LateHeadEntry;
use super::tables::Value;
use crate::schema::{ColumnType, TableDef, TABLES, ZONE_MEASURES};

/// Data rows per sheet (Excel's limit minus the header row).
pub const MAX_DATA_ROWS: usize = 1_048_575;
/// Characters per cell.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Deflate level of the sheets: the fastest. On 212 MB with `--jobs 2` level 3 made the
/// whole run 12–15 % slower than level 1 for a file a quarter smaller.
const ZIP_LEVEL: i64 = 1;
/// Uncompressed XML bytes after which a sheet continues on the next one, like a full sheet.
/// A zip entry under 4 GiB needs no zip64 headers, which some Excel versions answer with an
/// offer to repair the file.
const MAX_SHEET_XML_BYTES: u64 = 3 << 30;

/// Cell style ids: indexes into `cellXfs` of [`STYLES_XML`].
mod style {
    pub const HEADER: u8 = 1;
    pub const DATE: u8 = 2;
    pub const INTEGER: u8 = 3;
    pub const DECIMAL: u8 = 4;
    pub const WRAP: u8 = 5;
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// Fonts, fills and the six cell formats: default, header (bold on light blue), date
/// (`yyyy-mm-dd`), integer (`0`), decimal (`0.0###########`, never scientific) and wrapped text.
const STYLES_XML: &str = concat!(
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/>",
    "<numFmt numFmtId=\"165\" formatCode=\"0.0###########\"/></numFmts>",
    "<fonts count=\"2\"><font><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/>",
    "<family val=\"2\"/><scheme val=\"minor\"/></font><font><b/><sz val=\"11\"/>",
    "<color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/><scheme val=\"minor\"/></font>",
    "</fonts><fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill>",
    "<fill><patternFill patternType=\"gray125\"/></fill><fill><patternFill patternType=\"solid\">",
    "<fgColor rgb=\"FFDDEBF7\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>",
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>",
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>",
    "</cellStyleXfs><cellXfs count=\"6\">",
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>",
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"2\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" ",
    "applyFill=\"1\"/>",
    "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" ",
    "applyNumberFormat=\"1\"/>",
    "<xf numFmtId=\"1\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" ",
    "applyNumberFormat=\"1\"/>",
    "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" ",
    "applyNumberFormat=\"1\"/>",
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\">",
    "<alignment vertical=\"top\" wrapText=\"1\"/></xf></cellXfs>",
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>",
    "</styleSheet>"
);

/// Where one table's rows go in the workbook: its current sheet and how full it is.
#[derive(Debug)]
pub struct SheetStream {
    def: TableDef,
    /// Index of the sheet being filled in [`WorkbookStream::sheets`].
    index: usize,
    /// 0 for `NAME`, 1 for `NAME (2)`, …
    part: usize,
    /// Data rows in the sheet being filled.
    rows: usize,
    /// Uncompressed XML bytes written to it.
    xml_bytes: u64,
    /// Rows of the table so far, over all its sheets (and past the row limit).
    table_rows: usize,
    /// Whether the row limit applies (not to a summary, which is what stays when its table
    /// is left out).
    limited: bool,
    /// The table passed the row limit: its sheets are gone and its rows are only counted.
    left_out: bool,
    /// Width of each column in the sheet being filled, in characters: its header's, then
    /// the widest cell so far (up to a cap; see [`ColumnWidth`]).
    widths: Vec<f64>,
}

impl SheetStream {
    /// Whether the table was left out of the workbook for its length: its rows are only
    /// counted from then on, so a caller may count them without building them.
    pub fn is_left_out(&self) -> bool {
        self.left_out
    }

    /// Counts rows of a table left out without writing them (for the README sheet).
    pub fn count_left_out_rows(&mut self, n: usize) {
        self.table_rows += n;
    }
}

/// One sheet of the workbook, in workbook order.
struct Sheet {
    /// The table whose rows it holds (`README` for the README sheet).
    table: &'static str,
    name: String,
    /// Number of columns (for the autofilter's range).
    columns: usize,
    /// Data rows, known once the sheet is closed.
    rows: usize,
    state: SheetState,
}

/// Where a sheet's XML is.
enum SheetState {
    /// Added (so it has its place in the workbook), no rows yet.
    Reserved,
    /// Its rows being deflated while they come in; its head (size, column widths) is put
    /// in front of them when it closes, into the one-entry zip at `temp`.
    Filling {
        entry: Box<LateHeadEntry>,
        temp: PathBuf,
    },
    /// Complete in the one-entry zip at `temp`, waiting for its table to end: a table that
    /// may still pass the row limit keeps its full sheets out of the workbook until then.
    Closed { temp: PathBuf },
    /// In the workbook file (the README sheet: written by [`WorkbookStream::save`]).
    Written,
    /// Its table passed the row limit: not in the workbook.
    LeftOut,
}

/// The workbook being written: sheets streamed into compressed temporary entries, each copied
/// into the workbook file as soon as it is complete; [`Self::save`] adds the package parts.
pub struct WorkbookStream {
    dir: PathBuf,
    /// Marks the workbook file abandoned when the stream is dropped. Declared before `out`
    /// so that it drops first: see [`WorkbookFile`].
    _abandon_on_drop: AbandonOnDrop,
    /// The workbook file and where it is.
    out: ZipWriter<BufWriter<WorkbookFile>>,
    /// The same file, for write-behind hints (sheets copied into it are several hundred MB
    /// on a large run; the hint keeps them from piling up in the page cache).
    out_file: File,
    path: PathBuf,
    sheets: Vec<Sheet>,
    zones_index: Option<usize>,
    /// Reused buffer for one row's XML.
    buf: String,
    /// Reused buffer for one row's cell widths: (column, width).
    row_widths: Vec<(usize, f64)>,
    /// Column letters: `A`, `B`, …
    letters: Vec<String>,
    /// When a sheet is full: data rows, uncompressed XML bytes.
    limits: (usize, u64),
    /// Most rows a table may have and stay in the workbook (`xlsx.max_rows`); `None`: any.
    max_table_rows: Option<usize>,
    /// Tables left out for passing `max_table_rows`, with their row counts.
    left_out: Vec<(&'static str, usize)>,
}

/// The workbook file under the zip writer. A workbook dropped unsaved (after an error, its
/// own or another table's) or whose file failed a write is abandoned: the error has gone to
/// the caller, the file is deleted with the staging folder, and from then on writes and
/// seeks here succeed without touching it. Otherwise the zip writer's drop would try to
/// finish the archive, fail again on the full disk that stopped the run, and print its own
/// unstructured message into the middle of the log on stderr (a JSON log line no shipper
/// could parse).
///
/// The price: sheets are copied into the workbook through a user-space buffer instead of
/// `copy_file_range`, which measured no different (PERFORMANCE.md).
struct WorkbookFile {
    file: File,
    abandoned: Arc<AtomicBool>,
    /// Once abandoned: where the zip writer believes it is, and the length it believes the
    /// file has (it works out sizes and offsets from positions, so they must stay plausible).
    shadow: Option<(u64, u64)>,
}

impl WorkbookFile {
    fn is_abandoned(&self) -> bool {
        self.abandoned.load(Ordering::Relaxed)
    }

    /// `result`, abandoning the file if it is an error.
    fn abandon_on_error<T>(&self, result: io::Result<T>) -> io::Result<T> {
        if result.is_err() {
            self.abandoned.store(true, Ordering::Relaxed);
        }
        result
    }

    /// The shadow position and length, starting from the file's own.
    fn shadow(&mut self) -> &mut (u64, u64) {
        let file = &mut self.file;
        self.shadow.get_or_insert_with(|| {
            let pos = file.stream_position().unwrap_or(0);
            let len = file.metadata().map_or(0, |m| m.len());
            (pos, len.max(pos))
        })
    }
}

impl Write for WorkbookFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.is_abandoned() {
            let (pos, len) = self.shadow();
            *pos += buf.len() as u64;
            *len = (*len).max(*pos);
            return Ok(buf.len());
        }
        let result = self.file.write(buf);
        self.abandon_on_error(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.is_abandoned() {
            return Ok(());
        }
        let result = self.file.flush();
        self.abandon_on_error(result)
    }
}

impl Seek for WorkbookFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        if self.is_abandoned() {
            let (pos, len) = self.shadow();
            let target = match to {
                SeekFrom::Start(n) => Some(n),
                SeekFrom::Current(d) => pos.checked_add_signed(d),
                SeekFrom::End(d) => len.checked_add_signed(d),
            };
            *pos = target.ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
            return Ok(*pos);
        }
        let result = self.file.seek(to);
        self.abandon_on_error(result)
    }
}

/// Sets the workbook file's abandoned flag when dropped (see [`WorkbookFile`]). A saved
/// workbook has finished its zip writer by then, so the flag changes nothing for it.
struct AbandonOnDrop(Arc<AtomicBool>);

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A zip error as an error chain: an I/O error is that error itself (the zip crate's
/// `i/o error: X` would otherwise print X twice, once for the wrapper and once as its source).
fn zip_error(e: ZipError) -> anyhow::Error {
    match e {
        ZipError::Io(io) => io.into(),
        other => other.into(),
    }
}

fn entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(ZIP_LEVEL))
        .last_modified_time(DateTime::default())
}

impl WorkbookStream {
    /// Starts the workbook file at `path`. Sheets are compressed into temporary files in `dir`
    /// (the run's staging folder) while they fill, and moved into the workbook when full.
    pub fn new(dir: &Path, path: &Path) -> Result<WorkbookStream> {
        let widest = TABLES.iter().map(|t| t.columns.len()).max().unwrap_or(0);
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let abandoned = Arc::new(AtomicBool::new(false));
        Ok(WorkbookStream {
            dir: dir.to_path_buf(),
            out_file: file
                .try_clone()
                .with_context(|| format!("cannot open {}", path.display()))?,
            _abandon_on_drop: AbandonOnDrop(Arc::clone(&abandoned)),
            out: ZipWriter::new(BufWriter::with_capacity(
                1 << 20,
                WorkbookFile {
                    file,
                    abandoned,
                    shadow: None,
                },
            )),
            path: path.to_path_buf(),
            // the README sheet is written whole when the workbook is saved
            sheets: vec![Sheet {
                table: "README",
                name: "README".to_string(),
                columns: 5,
                rows: 0,
                state: SheetState::Written,
            }],
            zones_index: None,
            buf: String::with_capacity(1 << 16),
            row_widths: Vec::new(),
            letters: (0..widest.max(5)).map(column_letters).collect(),
            limits: (MAX_DATA_ROWS, MAX_SHEET_XML_BYTES),
            max_table_rows: None,
            left_out: Vec::new(),
        })
    }

    /// The same workbook, leaving out every table with more than `max` rows (`None`: none).
    pub fn with_max_table_rows(mut self, max: Option<usize>) -> WorkbookStream {
        self.max_table_rows = max;
        self
    }

    /// The same workbook with smaller sheets, so tests can fill one.
    #[cfg(test)]
    fn with_limits(mut self, rows: usize, xml_bytes: u64) -> WorkbookStream {
        self.limits = (rows, xml_bytes);
        self
    }

    fn add_sheet(&mut self, def: TableDef, part: usize) -> usize {
        let name = if part == 0 {
            def.name.to_string()
        } else {
            format!("{} ({})", def.name, part + 1)
        };
        self.sheets.push(Sheet {
            table: def.name,
            name,
            columns: def.columns.len(),
            rows: 0,
            state: SheetState::Reserved,
        });
        self.sheets.len() - 1
    }

    /// Opens sheet `index`'s compressed stream and writes its header row. What comes before
    /// the rows (the sheet's size, its column widths) is written when it closes.
    fn start_sheet(&mut self, index: usize, def: TableDef, part: usize) -> Result<SheetStream> {
        let temp = self
            .dir
            .join(format!(".zonefacts-sheet{}.zip.tmp", index + 1));
        let body = self
            .dir
            .join(format!(".zonefacts-sheet{}.body.tmp", index + 1));
        let mut entry = LateHeadEntry::create(
            &body,
            format!("xl/worksheets/sheet{}.xml", index + 1),
            ZIP_LEVEL as u32,
        )?;
        let mut head = String::from("<sheetData><row r=\"1\">");
        for (c, col) in def.columns.iter().enumerate() {
            push_string_cell(
                &mut head,
                &self.letters[c],
                "1",
                col.name,
                Some(style::HEADER),
            );
        }
        head.push_str("</row>");
        entry
            .write_all(head.as_bytes())
            .with_context(|| format!("cannot write {}", body.display()))?;
        self.sheets[index].state = SheetState::Filling {
            entry: Box::new(entry),
            temp,
        };
        Ok(SheetStream {
            def,
            index,
            part,
            rows: 0,
            xml_bytes: 0,
            table_rows: 0,
            limited: true,
            left_out: false,
            widths: def
                .columns
                .iter()
                .map(|c| ColumnWidth::of(c.name, c.ty).header(c.name))
                .collect(),
        })
    }

    /// What goes before a sheet's rows, now that they are known: its size (`<dimension>`,
    /// which streaming readers such as openpyxl's read-only mode take as the sheet's extent),
    /// the frozen header row and the column widths.
    fn sheet_head(&self, s: &SheetStream) -> String {
        let last = &self.letters[s.def.columns.len().saturating_sub(1)];
        let mut head = String::from(XML_HEAD);
        let _ = write!(
            head,
            "<worksheet xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_REL}\"><dimension ref=\"A1:{last}{}\"/>\
             <sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" \
             activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\" \
             activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews><sheetFormatPr \
             defaultRowHeight=\"15\"/><cols>",
            s.rows + 1
        );
        for (c, width) in s.widths.iter().enumerate() {
            push_col(&mut head, c, *width);
        }
        head.push_str("</cols>");
        head
    }

    /// Adds the sheet of a table whose rows will be streamed.
    pub fn add_table(&mut self, def: TableDef) -> Result<SheetStream> {
        let index = self.add_sheet(def, 0);
        self.start_sheet(index, def, 0)
    }

    /// Adds the sheet of a summary: like [`Self::add_table`], but never left out for its
    /// length, since it stands in for tables that are.
    pub fn add_summary(&mut self, def: TableDef) -> Result<SheetStream> {
        let mut sheet = self.add_table(def)?;
        sheet.limited = false;
        Ok(sheet)
    }

    /// Adds the `zones` sheet now, so it sits in table order, though its rows come last.
    pub fn reserve_zones_sheet(&mut self) -> Result<()> {
        self.zones_index = Some(self.add_sheet(crate::schema::ZONES, 0));
        Ok(())
    }

    /// The sheet reserved by [`Self::reserve_zones_sheet`] (added now if it was not).
    pub fn zones_sheet(&mut self, def: TableDef) -> Result<SheetStream> {
        let index = match self.zones_index {
            Some(i) => i,
            None => self.add_sheet(def, 0),
        };
        self.start_sheet(index, def, 0)
    }

    /// Writes the sheet's footer (its autofilter covers the rows written) and closes its zip.
    /// Without a row limit the sheet goes into the workbook at once; with one it waits, as
    /// [`SheetState::Closed`], until its table ends within the limit.
    fn close_sheet(&mut self, s: &SheetStream) -> Result<()> {
        let head = self.sheet_head(s);
        let sheet = &mut self.sheets[s.index];
        let (mut entry, temp) = match std::mem::replace(&mut sheet.state, SheetState::Written) {
            SheetState::Filling { entry, temp } => (entry, temp),
            other => {
                sheet.state = other; // not started, closed already or left out
                return Ok(());
            }
        };
        sheet.rows = s.rows;
        let last = &self.letters[sheet.columns.saturating_sub(1)];
        let tail = format!(
            "</sheetData><autoFilter ref=\"A1:{last}{}\"/><pageMargins left=\"0.7\" \
             right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>\
             </worksheet>",
            s.rows + 1
        );
        entry
            .write_all(tail.as_bytes())
            .with_context(|| format!("cannot write {}", temp.display()))?;
        entry.finish(head.as_bytes(), &temp)?;
        if s.limited && self.max_table_rows.is_some() {
            sheet.state = SheetState::Closed { temp };
            return Ok(());
        }
        self.merge_sheet(s.index, temp)
    }

    /// Copies a complete sheet into the workbook now, while the other sheets are still
    /// filling, so that the end of the run copies only the sheets that were open to the last
    /// row. The entry is merged as it is, header and all, without inflating it again.
    fn merge_sheet(&mut self, index: usize, temp: PathBuf) -> Result<()> {
        let name = &self.sheets[index].name;
        let copied = File::open(&temp)
            .map_err(anyhow::Error::from)
            .and_then(|f| ZipArchive::new(f).map_err(zip_error))
            .and_then(|archive| self.out.merge_archive(archive).map_err(zip_error))
            .map(|()| crate::disk::write_behind(&self.out_file, 0))
            .with_context(|| format!("cannot copy the {name} sheet into the workbook"));
        let _ = std::fs::remove_file(&temp);
        self.sheets[index].state = SheetState::Written;
        copied
    }

    /// Leaves a table out of the workbook: its sheets, filled or filling, are discarded.
    fn leave_out(&mut self, s: &mut SheetStream) {
        for sheet in self.sheets.iter_mut().filter(|x| x.table == s.def.name) {
            match std::mem::replace(&mut sheet.state, SheetState::LeftOut) {
                SheetState::Filling { entry, temp } => {
                    entry.discard();
                    let _ = std::fs::remove_file(&temp);
                }
                SheetState::Closed { temp } => {
                    let _ = std::fs::remove_file(&temp);
                }
                SheetState::Reserved | SheetState::LeftOut => {}
                written @ SheetState::Written => sheet.state = written,
            }
        }
        s.left_out = true;
    }

    /// Tells the workbook how many rows table `s` will have in all, before its first row: a
    /// table that will pass the row limit is left out at once, so that no row of it is
    /// written, deflated and then discarded. The rows still come (and are counted) as usual.
    pub fn expect_rows(&mut self, s: &mut SheetStream, total: usize) {
        if s.limited && !s.left_out && self.max_table_rows.is_some_and(|max| total > max) {
            self.leave_out(s);
        }
    }

    /// Writes one row; a full sheet continues on `NAME (2)`, … (added at the end of the
    /// workbook).
    pub fn write_row(
        &mut self,
        s: &mut SheetStream,
        row: &[Value<'_>],
        list_sep: &str,
    ) -> Result<()> {
        let over = |max: usize| s.limited && s.table_rows >= max;
        if !s.left_out && self.max_table_rows.is_some_and(over) {
            self.leave_out(s);
        }
        if s.left_out {
            s.table_rows += 1;
            return Ok(());
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let mut row_number = itoa::Buffer::new();
        let r = row_number.format(s.rows + 2); // the header is row 1
        let mut number = itoa::Buffer::new();
        buf.push_str("<row r=\"");
        buf.push_str(r);
        buf.push_str("\">");
        let mut widths = std::mem::take(&mut self.row_widths);
        widths.clear();
        for (c, value) in row.iter().enumerate() {
            let col = &self.letters[c];
            let before = buf.len();
            let rule = ColumnWidth::of(s.def.columns[c].name, s.def.columns[c].ty);
            match *value {
                // an empty text is an empty cell, as in the CSV (no empty inline string)
                Value::Str(Some(x)) if !x.is_empty() => {
                    push_string_cell(&mut buf, col, r, clip(x), None);
                    if !rule.is_fixed() {
                        widths.push((c, text_width(x, rule.cap)));
                    }
                    continue;
                }
                Value::Str(_) | Value::Float(None) | Value::Date(None) => {}
                Value::Int(x) => {
                    push_number_cell(&mut buf, col, r, style::INTEGER, number.format(x));
                }
                Value::Bool(x) => {
                    push_cell_start(&mut buf, col, r, None);
                    buf.push_str(if x {
                        " t=\"b\"><v>1</v></c>"
                    } else {
                        " t=\"b\"><v>0</v></c>"
                    });
                }
                Value::Float(Some(x)) if x.is_finite() => {
                    let style = if x.fract() == 0.0 {
                        style::INTEGER
                    } else {
                        style::DECIMAL
                    };
                    push_cell_start(&mut buf, col, r, Some(style));
                    let _ = write!(buf, "><v>{x}</v></c>");
                }
                Value::Float(Some(_)) => {}
                Value::Date(Some(days)) => {
                    if let Some(serial) = excel_serial(days) {
                        push_number_cell(&mut buf, col, r, style::DATE, number.format(serial));
                    } else {
                        // before 1900 Excel has no date: keep it readable as ISO text
                        let iso = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
                            .and_then(|e| e.checked_add_signed(chrono::Duration::days(days.into())))
                            .map(|d| d.to_string())
                            .unwrap_or_default();
                        push_string_cell(&mut buf, col, r, &iso, None);
                    }
                }
                Value::List(items) => {
                    if !items.is_empty() {
                        let joined = items.join(list_sep);
                        push_string_cell(&mut buf, col, r, clip(&joined), None);
                        widths.push((c, text_width(&joined, rule.cap)));
                    }
                    continue;
                }
            }
            // a number or a date: about as wide as its digits (the XML around them is 25
            // bytes: `<c r="B7" s="3"><v>`, `</v></c>`)
            let digits = buf.len().saturating_sub(before);
            let digits = digits.saturating_sub(25 + col.len() + r.len()) as f64;
            widths.push((c, (digits + 2.0).min(rule.cap)));
        }
        buf.push_str("</row>");
        let bytes = buf.len() as u64;
        let (max_rows, max_bytes) = self.limits;
        if s.rows == max_rows || (s.rows > 0 && s.xml_bytes + bytes > max_bytes) {
            // the row goes to the next sheet: renumber it
            self.close_sheet(s)?;
            let index = self.add_sheet(s.def, s.part + 1);
            let (table_rows, limited) = (s.table_rows, s.limited);
            *s = self.start_sheet(index, s.def, s.part + 1)?;
            (s.table_rows, s.limited) = (table_rows, limited);
            self.buf = buf;
            self.row_widths = widths;
            return self.write_row(s, row, list_sep);
        }
        let sheet = &mut self.sheets[s.index];
        let SheetState::Filling { entry, .. } = &mut sheet.state else {
            anyhow::bail!("internal error: sheet {} is not open", sheet.name);
        };
        entry
            .write_all(buf.as_bytes())
            .with_context(|| format!("cannot write the {} sheet", sheet.name))?;
        s.rows += 1;
        s.table_rows += 1;
        s.xml_bytes += bytes;
        for &(c, w) in &widths {
            if w > s.widths[c] {
                s.widths[c] = w;
            }
        }
        self.buf = buf;
        self.row_widths = widths;
        Ok(())
    }

    /// Closes a table's last sheet (its autofilter covers the rows written) and moves the
    /// table's sheets that were waiting into the workbook; a table left out is only noted,
    /// with its row count, for the README sheet.
    pub fn finish_table(&mut self, s: &SheetStream) -> Result<()> {
        if s.left_out {
            self.left_out.push((s.def.name, s.table_rows));
            return Ok(());
        }
        self.close_sheet(s)?;
        for index in 0..self.sheets.len() {
            if self.sheets[index].table != s.def.name {
                continue;
            }
            if let SheetState::Closed { temp } =
                std::mem::replace(&mut self.sheets[index].state, SheetState::Written)
            {
                self.merge_sheet(index, temp)?;
            }
        }
        Ok(())
    }

    /// Adds the package parts (content types, relationships, workbook, styles, README) after
    /// the sheets, finishes the workbook file and syncs it. Sheet entries come first in the
    /// zip, in the order they were completed; readers find parts through the zip's directory.
    /// Returns where the workbook is.
    pub fn save(mut self) -> Result<PathBuf> {
        let unfinished = |s: &&Sheet| !matches!(s.state, SheetState::Written | SheetState::LeftOut);
        if let Some(sheet) = self.sheets.iter().find(unfinished) {
            anyhow::bail!("internal error: sheet {} was not finished", sheet.name);
        }
        let parts = [
            ("[Content_Types].xml", self.content_types()),
            (
                "_rels/.rels",
                format!(
                    "<Relationships xmlns=\"{NS_PKG_REL}\"><Relationship Id=\"rId1\" \
                     Type=\"{NS_REL}/officeDocument\" Target=\"xl/workbook.xml\"/>\
                     </Relationships>"
                ),
            ),
            ("xl/workbook.xml", self.workbook_xml()),
            ("xl/_rels/workbook.xml.rels", self.workbook_rels()),
            ("xl/styles.xml", STYLES_XML.to_string()),
            ("xl/worksheets/sheet1.xml", self.readme_xml()),
        ];
        let path = self.path.clone();
        for (name, body) in parts {
            self.out
                .start_file(name, entry_options())
                .map_err(zip_error)
                .and_then(|()| Ok(self.out.write_all(XML_HEAD.as_bytes())?))
                .and_then(|()| Ok(self.out.write_all(body.as_bytes())?))
                .with_context(|| format!("cannot write {name} into {}", path.display()))?;
        }
        let file = self
            .out
            .finish()
            .map_err(zip_error)
            .and_then(|w| Ok(w.into_inner().map_err(|e| e.into_error())?))
            .with_context(|| format!("cannot finish {}", path.display()))?;
        if file.is_abandoned() {
            anyhow::bail!("cannot finish {}: a write failed", path.display());
        }
        file.file
            .sync_all()
            .with_context(|| format!("cannot sync {}", path.display()))?;
        Ok(path)
    }

    /// The sheets in the workbook, in order, with the number of their part file
    /// (`xl/worksheets/sheetN.xml`, fixed when the sheet was added): tables left out are
    /// skipped, so sheet ids and relationships count only what is there.
    fn in_workbook(&self) -> impl Iterator<Item = (usize, &Sheet)> {
        self.sheets
            .iter()
            .enumerate()
            .filter(|(_, s)| !matches!(s.state, SheetState::LeftOut))
            .map(|(i, s)| (i + 1, s))
    }

    /// Data rows in the workbook's sheets (tables left out do not count).
    pub fn data_rows(&self) -> usize {
        self.in_workbook().map(|(_, s)| s.rows).sum()
    }

    fn content_types(&self) -> String {
        let mut s = String::from(
            "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" \
             ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/\
             vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/styles.xml\" ContentType=\"application/\
             vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
        );
        for (file, _) in self.in_workbook() {
            let _ = write!(
                s,
                "<Override PartName=\"/xl/worksheets/sheet{file}.xml\" ContentType=\"application/\
                 vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            );
        }
        s.push_str("</Types>");
        s
    }

    fn workbook_xml(&self) -> String {
        let mut s = format!(
            "<workbook xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_REL}\"><bookViews><workbookView/>\
             </bookViews><sheets>"
        );
        for (i, (_, sheet)) in self.in_workbook().enumerate() {
            s.push_str("<sheet name=\"");
            push_escaped(&mut s, &sheet.name);
            let _ = write!(s, "\" sheetId=\"{}\" r:id=\"rId{}\"/>", i + 1, i + 1);
        }
        s.push_str("</sheets><definedNames>");
        // Excel keeps each sheet's autofilter range under this hidden name.
        for (i, (_, sheet)) in self.in_workbook().enumerate().skip(1) {
            let rows = sheet.rows;
            let last = &self.letters[sheet.columns.saturating_sub(1)];
            let _ = write!(
                s,
                "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{i}\" hidden=\"1\">'"
            );
            push_escaped(&mut s, &sheet.name.replace('\'', "''"));
            let _ = write!(s, "'!$A$1:${last}${}</definedName>", rows + 1);
        }
        s.push_str("</definedNames></workbook>");
        s
    }

    fn workbook_rels(&self) -> String {
        let mut s = format!("<Relationships xmlns=\"{NS_PKG_REL}\">");
        for (i, (file, _)) in self.in_workbook().enumerate() {
            let _ = write!(
                s,
                "<Relationship Id=\"rId{}\" Type=\"{NS_REL}/worksheet\" \
                 Target=\"worksheets/sheet{file}.xml\"/>",
                i + 1
            );
        }
        let _ = write!(
            s,
            "<Relationship Id=\"rId{}\" Type=\"{NS_REL}/styles\" Target=\"styles.xml\"/>\
             </Relationships>",
            self.in_workbook().count() + 1
        );
        s
    }

    /// The README sheet: what the workbook is, its limits, and every column of every table.
    fn readme_xml(&self) -> String {
        let mut intro = vec![
            "zonefacts: zones, articles, figures and entities extracted from Chinese news pages about development zones.".to_string(),
            "One sheet per table; `measures` is the fact table, `articles` and `zones` are its dimensions (join on article_id, zone_id). `zone_measures` sums up the figures per zone, measure (Chinese name first), statistic and period.".to_string(),
            "Every figure can be traced to its source: measures.char_start/char_end are character offsets into the raw file.".to_string(),
        ];
        let cells = "32,767 characters per cell (longer article texts are cut here; the Parquet and CSV files keep them whole)";
        intro.push(match self.max_table_rows {
            Some(max) => format!(
                "Limits: a table with more than {} rows is left out of this workbook (xlsx.max_rows in pipeline.toml); {cells}.",
                thousands(max)
            ),
            None => format!(
                "Limits: 1,048,576 rows per sheet (longer tables continue on 'NAME (2)'), {cells}."
            ),
        });
        if !self.left_out.is_empty() {
            let tables: Vec<String> = self
                .left_out
                .iter()
                .map(|(name, rows)| format!("{name} ({} rows)", thousands(*rows)))
                .collect();
            intro.push(format!(
                "Left out of this workbook for their length: {}. Their .parquet and .csv files beside this workbook hold every row; the zone_measures sheet still sums up all figures.",
                tables.join(", ")
            ));
        }
        let header_row = intro.len() + 2;
        let mut s = format!(
            "<worksheet xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_REL}\"><sheetViews><sheetView \
             tabSelected=\"1\" workbookViewId=\"0\"><pane ySplit=\"{header_row}\" \
             topLeftCell=\"A{}\" activePane=\"bottomLeft\" state=\"frozen\"/><selection \
             pane=\"bottomLeft\"/></sheetView></sheetViews><sheetFormatPr \
             defaultRowHeight=\"15\"/><cols>",
            header_row + 1
        );
        for (c, width) in [14.0, 22.0, 16.0, 10.0, 90.0].into_iter().enumerate() {
            push_col(&mut s, c, width);
        }
        s.push_str("</cols><sheetData>");
        for (i, line) in intro.iter().enumerate() {
            let r = (i + 1).to_string();
            let _ = write!(s, "<row r=\"{r}\">");
            push_string_cell(&mut s, &self.letters[0], &r, line, None);
            s.push_str("</row>");
        }
        let row = header_row.to_string();
        let _ = write!(s, "<row r=\"{row}\">");
        for (c, h) in ["table", "column", "type", "nullable", "meaning"]
            .iter()
            .enumerate()
        {
            push_string_cell(&mut s, &self.letters[c], &row, h, Some(style::HEADER));
        }
        s.push_str("</row>");
        let mut r = header_row;
        for t in TABLES.iter().chain([&ZONE_MEASURES]) {
            for c in t.columns {
                r += 1;
                let row = r.to_string();
                let _ = write!(s, "<row r=\"{row}\">");
                let cells = [
                    t.name,
                    c.name,
                    c.ty.as_str(),
                    if c.nullable { "yes" } else { "no" },
                ];
                for (i, text) in cells.iter().enumerate() {
                    push_string_cell(&mut s, &self.letters[i], &row, text, None);
                }
                push_string_cell(&mut s, &self.letters[4], &row, c.doc, Some(style::WRAP));
                s.push_str("</row>");
            }
        }
        s.push_str(
            "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" \
             header=\"0.3\" footer=\"0.3\"/></worksheet>",
        );
        s
    }
}

/// `1234567` as `1,234,567`, the way the README sheet writes row counts.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Column letters of a 0-based column index: `A`, …, `Z`, `AA`, …
fn column_letters(mut c: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A `<col>` element: `width` in characters, stored the way Excel stores it (padding of five
/// pixels on a seven-pixel digit, in 1/256ths).
fn push_col(s: &mut String, c: usize, width: f64) {
    let stored = ((width * 7.0 + 5.0) / 7.0 * 256.0).trunc() / 256.0;
    let _ = write!(
        s,
        "<col min=\"{n}\" max=\"{n}\" width=\"{stored}\" customWidth=\"1\"/>",
        n = c + 1
    );
}

/// Opens a cell: `<c r="B7" s="3"` (without the closing `>`). Written for every cell of the
/// workbook, so without `format!` machinery: the row number comes formatted once per row.
fn push_cell_start(s: &mut String, col: &str, row: &str, style: Option<u8>) {
    s.push_str("<c r=\"");
    s.push_str(col);
    s.push_str(row);
    s.push('"');
    if let Some(style) = style {
        s.push_str(" s=\"");
        s.push_str(itoa::Buffer::new().format(style));
        s.push('"');
    }
}

/// A numeric cell whose value is already text.
fn push_number_cell(s: &mut String, col: &str, row: &str, style: u8, value: &str) {
    push_cell_start(s, col, row, Some(style));
    s.push_str("><v>");
    s.push_str(value);
    s.push_str("</v></c>");
}

/// An inline-string cell.
fn push_string_cell(s: &mut String, col: &str, row: &str, text: &str, style: Option<u8>) {
    push_cell_start(s, col, row, style);
    let edge_space = text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace);
    if edge_space || text.contains(['\n', '\t']) {
        s.push_str(" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
    } else {
        s.push_str(" t=\"inlineStr\"><is><t>");
    }
    push_escaped(s, text);
    s.push_str("</t></is></c>");
}

/// Appends `text` escaped for XML content and attributes. Characters XML 1.0 cannot hold
/// (control characters, U+FFFE, U+FFFF) are written as Excel's `_xHHHH_` escapes, and a
/// literal `_xHHHH_` in the text is protected as `_x005F_xHHHH_` so Excel shows it as is.
fn push_escaped(s: &mut String, text: &str) {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|&b| MAY_ESCAPE[b as usize]) {
        s.push_str(text); // most cells: one branch-free scan, then one copy
        return;
    }
    let mut start = 0; // text[start..i] is still to be copied
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (escape, len): (Option<std::borrow::Cow<'static, str>>, usize) = match b {
            b'&' => (Some("&amp;".into()), 1),
            b'<' => (Some("&lt;".into()), 1),
            b'>' => (Some("&gt;".into()), 1),
            b'"' => (Some("&quot;".into()), 1),
            b'\t' | b'\n' => (None, 1),
            0x00..=0x1f => (Some(format!("_x{b:04X}_").into()), 1),
            b'_' if looks_like_escape(&bytes[i..]) => (Some("_x005F_".into()), 1),
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                let last = if bytes[i + 2] == 0xBE { "E" } else { "F" };
                (Some(format!("_xFFF{last}_").into()), 3)
            }
            _ => (None, 1),
        };
        if let Some(escape) = escape {
            s.push_str(&text[start..i]);
            s.push_str(&escape);
            start = i + len;
        }
        i += len;
    }
    s.push_str(&text[start..]);
}

/// Bytes that may need an escape in [`push_escaped`]: markup, control characters, `_` (of a
/// literal `_xHHHH_`) and 0xEF (the lead byte of U+FFFE and U+FFFF).
const MAY_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b != b'\t' as usize && b != b'\n' as usize;
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'_' as usize] = true;
    t[0xEF] = true;
    t
};

/// Whether `b` starts with `_xHHHH_`.
fn looks_like_escape(b: &[u8]) -> bool {
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

/// Excel's serial day number of a date given as days since 1970-01-01 (Excel counts from
/// 1899-12-30 and, like Lotus 1-2-3, believes 1900 was a leap year). `None` before 1900.
fn excel_serial(days: i32) -> Option<i64> {
    let serial = days as i64 + 25_569;
    match serial {
        61.. => Some(serial),
        2..=60 => Some(serial - 1),
        _ => None,
    }
}

/// How wide a column is drawn: wide enough for its header (and the autofilter's button) and
/// for its widest cell, between a floor that depends on its type and a cap, so that one long
/// title does not push the other columns off the screen. Long free text (an article's text,
/// a sentence) has a fixed width and wraps.
#[derive(Debug, Clone, Copy)]
struct ColumnWidth {
    floor: f64,
    cap: f64,
}

impl ColumnWidth {
    fn of(name: &str, ty: ColumnType) -> ColumnWidth {
        let (floor, cap) = match (name, ty) {
            ("text" | "sentence", _) => (60.0, 60.0),
            ("title" | "subtitle" | "label" | "raw_text", _) => (12.0, 50.0),
            (_, ColumnType::Date) => (12.0, 12.0),
            (_, ColumnType::Float) => (10.0, 24.0),
            (_, ColumnType::Int) => (8.0, 16.0),
            _ => (8.0, 40.0),
        };
        ColumnWidth { floor, cap }
    }

    /// The width before any row: the header's.
    fn header(self, name: &str) -> f64 {
        (text_width(name, self.cap) + 3.0).clamp(self.floor, self.cap)
    }

    /// Whether cells can widen the column at all.
    fn is_fixed(self) -> bool {
        self.floor >= self.cap
    }
}

/// The width of `text` in the default font's character widths (what `<col width>` counts),
/// plus one of padding: wide (CJK, full-width) characters count two. Stops counting at `cap`.
fn text_width(text: &str, cap: f64) -> f64 {
    let mut width = 1.0;
    for c in text.chars() {
        width += if c.is_ascii() { 1.0 } else { 2.0 };
        if width >= cap {
            return cap;
        }
    }
    width
}

fn clip(s: &str) -> &str {
    if s.len() < MAX_CELL_CHARS {
        return s; // fewer bytes than the limit, so fewer characters too
    }
    match s.char_indices().nth(MAX_CELL_CHARS - 1) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ZONES;
    use std::io::Read;

    fn escaped(text: &str) -> String {
        let mut s = String::new();
        push_escaped(&mut s, text);
        s
    }

    #[test]
    fn text_is_escaped_for_xml_and_for_excel() {
        assert_eq!(
            escaped("广州高新区 <28条> & \"快批\""),
            "广州高新区 &lt;28条&gt; &amp; &quot;快批&quot;"
        );
        assert_eq!(escaped("行一\n行二\t完"), "行一\n行二\t完");
        assert_eq!(escaped("a\u{1}b\rc"), "a_x0001_b_x000D_c");
        assert_eq!(escaped("_x0041_ and _x12_"), "_x005F_x0041_ and _x12_");
        assert_eq!(escaped("x\u{FFFE}y\u{FFFF}z"), "x_xFFFE_y_xFFFF_z");
    }

    #[test]
    fn columns_and_dates_use_excel_numbering() {
        let letters: Vec<String> = [0, 25, 26, 51, 701, 702].map(column_letters).into();
        assert_eq!(letters, ["A", "Z", "AA", "AZ", "ZZ", "AAA"]);
        assert_eq!(excel_serial(0), Some(25_569)); // 1970-01-01
        assert_eq!(excel_serial(19_936), Some(45_505)); // 2024-08-01
        assert_eq!(excel_serial(-25_508), Some(61)); // 1900-03-01
        assert_eq!(excel_serial(-25_509), Some(59)); // 1900-02-28
        assert_eq!(excel_serial(-25_567), Some(1)); // 1900-01-01
        assert_eq!(excel_serial(-25_568), None); // 1899-12-31
    }

    fn entries(path: &Path) -> Vec<(String, String)> {
        let mut zip = ZipArchive::new(File::open(path).unwrap()).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).unwrap();
                let mut text = String::new();
                f.read_to_string(&mut text).unwrap();
                (f.name().unwrap().to_string(), text)
            })
            .collect()
    }

    /// What `save` adds after the sheets, README sheet last.
    const PACKAGE_PARTS: [&str; 6] = [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    ];

    fn write_zones(dir: &Path, limits: (usize, u64), rows: usize) -> PathBuf {
        write_zones_within(dir, limits, None, rows)
    }

    fn write_zones_within(
        dir: &Path,
        limits: (usize, u64),
        max_table_rows: Option<usize>,
        rows: usize,
    ) -> PathBuf {
        let path = dir.join("zonefacts.xlsx");
        let mut wb = WorkbookStream::new(dir, &path)
            .unwrap()
            .with_limits(limits.0, limits.1)
            .with_max_table_rows(max_table_rows);
        let mut sheet = wb.zones_sheet(ZONES).unwrap();
        for i in 0..rows {
            let id = format!("z{i}");
            let row = [
                Value::Str(Some(&id)),
                Value::Str(Some("广州高新区")),
                Value::Str(None),
                Value::Str(Some("广州市")),
                Value::Str(Some("national")),
                Value::Int(i as i64),
                Value::Int(2),
                Value::Int(1),
                Value::Int(3),
            ];
            wb.write_row(&mut sheet, &row, "; ").unwrap();
        }
        wb.finish_table(&sheet).unwrap();
        wb.save().unwrap();
        path
    }

    #[test]
    fn a_full_sheet_continues_on_the_next_and_the_package_is_complete() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_zones(dir.path(), (2, u64::MAX), 5);
        let entries = entries(&path);
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        let sheets = [
            "xl/worksheets/sheet2.xml",
            "xl/worksheets/sheet3.xml",
            "xl/worksheets/sheet4.xml",
        ];
        assert_eq!(names, [&sheets[..], &PACKAGE_PARTS[..]].concat());
        let workbook = &entries[5].1;
        for name in ["README", "zones", "zones (2)", "zones (3)"] {
            assert!(
                workbook.contains(&format!("<sheet name=\"{name}\"")),
                "{workbook}"
            );
        }
        assert!(workbook.contains("'zones (3)'!$A$1:$I$2<"), "{workbook}");
        let third = &entries[2].1;
        // rows renumbered under each sheet's own header; one row left for the last sheet
        assert!(
            third.contains("<row r=\"1\"><c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>zone_id</t>")
        );
        assert!(third.contains("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>z4</t>"));
        assert!(!third.contains("<row r=\"3\""));
        assert!(third.ends_with("<autoFilter ref=\"A1:I2\"/><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>"));
        // the temporary sheet files are gone
        assert_eq!(files_in(dir.path()), ["zonefacts.xlsx"]);
    }

    #[test]
    fn each_sheet_states_its_size_and_fits_its_columns_to_their_cells() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_zones(dir.path(), (2, u64::MAX), 5);
        let entries = entries(&path);
        // sheets of 2, 2 and 1 data rows under a header; 9 columns (A:I)
        for (i, rows) in [(0, 3), (1, 3), (2, 2)] {
            let xml = &entries[i].1;
            let dimension = format!("<worksheet xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_REL}\"><dimension ref=\"A1:I{rows}\"/><sheetViews>");
            assert!(xml.starts_with(&format!("{XML_HEAD}{dimension}")), "{xml}");
        }
        // zone_id (header: 7 characters, padding, filter button), zone (five CJK characters, two
        // columns wide each, the widest cell), article_count (its header, at the cap of a number)
        let first = &entries[0].1;
        for (col, width) in [(1, 11.0), (2, 11.0), (6, 16.0)] {
            let mut want = String::new();
            push_col(&mut want, col - 1, width);
            assert!(first.contains(&want), "{want} in {first}");
        }
    }

    #[test]
    fn cell_widths_count_wide_characters_twice_and_stop_at_the_cap() {
        assert_eq!(text_width("abc", 40.0), 4.0);
        assert_eq!(text_width("广州高新区", 40.0), 11.0);
        assert_eq!(text_width(&"长".repeat(100), 50.0), 50.0);
        let title = ColumnWidth::of("title", ColumnType::String);
        assert_eq!(title.header("title"), 12.0);
        assert!(ColumnWidth::of("text", ColumnType::String).is_fixed());
    }

    fn files_in(dir: &Path) -> Vec<std::ffi::OsString> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect()
    }

    #[test]
    fn a_table_past_the_row_limit_is_left_out_and_the_readme_says_so() {
        for sheet_rows in [2, MAX_DATA_ROWS] {
            // with 2 rows a sheet, the table had a full sheet waiting when it passed the limit
            let dir = tempfile::tempdir().unwrap();
            let path = write_zones_within(dir.path(), (sheet_rows, u64::MAX), Some(3), 1_234);
            let entries = entries(&path);
            let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, PACKAGE_PARTS, "only the README sheet is left");
            let part = |n: &str| &entries.iter().find(|(x, _)| x == n).unwrap().1;
            assert!(!part("[Content_Types].xml").contains("sheet2"));
            assert!(!part("xl/_rels/workbook.xml.rels").contains("sheet2"));
            let workbook = part("xl/workbook.xml");
            assert!(!workbook.contains("zones"), "{workbook}");
            assert!(!workbook.contains("<definedName "), "{workbook}");
            let readme = part("xl/worksheets/sheet1.xml");
            assert!(
                readme.contains("more than 3 rows is left out")
                    && readme.contains("for their length: zones (1,234 rows)"),
                "{readme}"
            );
            assert_eq!(
                files_in(dir.path()),
                ["zonefacts.xlsx"],
                "no temporary sheet left"
            );
        }
    }

    #[test]
    fn a_table_within_the_row_limit_keeps_every_sheet_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let limited = write_zones_within(dir.path(), (2, u64::MAX), Some(5), 5);
        let parts = entries(&limited);
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names[..3],
            [
                "xl/worksheets/sheet2.xml",
                "xl/worksheets/sheet3.xml",
                "xl/worksheets/sheet4.xml"
            ]
        );
        let other = tempfile::tempdir().unwrap();
        let unlimited = write_zones(other.path(), (2, u64::MAX), 5);
        let readme = |p: &Path| {
            entries(p)
                .into_iter()
                .filter(|(n, _)| n != "xl/worksheets/sheet1.xml")
                .collect::<Vec<_>>()
        };
        assert_eq!(
            readme(&limited),
            readme(&unlimited),
            "the sheets are the same whether or not a limit was set"
        );
        assert_eq!(files_in(dir.path()), ["zonefacts.xlsx"]);
    }

    #[test]
    fn thousands_are_grouped() {
        let got: Vec<String> = [0, 999, 1_000, 100_000, 1_234_567].map(thousands).into();
        assert_eq!(got, ["0", "999", "1,000", "100,000", "1,234,567"]);
    }

    #[test]
    fn a_sheet_also_continues_when_its_xml_would_pass_the_byte_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_zones(dir.path(), (MAX_DATA_ROWS, 400), 5);
        let workbook = &entries(&path)
            .into_iter()
            .find(|(n, _)| n == "xl/workbook.xml")
            .unwrap()
            .1;
        assert!(workbook.contains("<sheet name=\"zones (2)\""), "{workbook}");
    }

    #[test]
    fn the_same_rows_give_the_same_bytes() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let a = std::fs::read(write_zones(a.path(), (3, u64::MAX), 7)).unwrap();
        let b = std::fs::read(write_zones(b.path(), (3, u64::MAX), 7)).unwrap();
        assert!(a == b, "two writes of the same rows differ");
    }
}
