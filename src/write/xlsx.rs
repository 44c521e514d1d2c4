//! Excel sink: `zonefacts.xlsx`, one sheet per table plus a `README` sheet explaining the
//! columns. Bold frozen header row, autofilter, sensible column widths, numbers as numbers
//! (never in scientific notation), dates as dates. Sheets are written in rust_xlsxwriter's
//! constant-memory mode (one row in memory at a time, the rest in temporary files), fed row by
//! row by the streaming sink, so 100 000-row sheets are fine and memory stays flat.
//!
//! Limits, stated in the README sheet: Excel holds 1 048 576 rows per sheet (a longer table
//! continues on `NAME (2)`, …, added at the end of the workbook) and 32 767 characters per cell (longer article texts are cut,
//! the Parquet and CSV files keep them whole).

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

use super::tables::Value;
use crate::schema::{ColumnType, TableDef, TABLES};

/// Data rows per sheet (Excel's limit minus the header row).
pub const MAX_DATA_ROWS: usize = 1_048_575;
/// Deflate level of the workbook's zip container: the fastest. The sheets' XML is compressed
/// in one piece when the workbook is saved, after the last row, so this is a serial tail of
/// every run. On a 53 MB corpus level 6 (the default) wrote the workbook in 3.3–3.7 s (46 MB),
/// level 3 in 2.4–2.6 s (51 MB), level 1 in 2.0 s (67 MB); on 212 MB with `--jobs 2` the whole
/// run took 14.9–15.1 s at level 1 and 16.8–17.4 s at level 3 (271 MB and 203 MB files).
const ZIP_LEVEL: u8 = 1;
/// Characters per cell.
pub const MAX_CELL_CHARS: usize = 32_767;

struct Formats {
    header: Format,
    date: Format,
    integer: Format,
    decimal: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold().set_background_color("#DDEBF7"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            integer: Format::new().set_num_format("0"),
            decimal: Format::new().set_num_format("0.0###########"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// Where one table's rows go in the workbook: its current sheet and how full it is.
#[derive(Debug)]
pub struct SheetStream {
    def: TableDef,
    /// Index of the sheet being filled.
    index: usize,
    /// 0 for `NAME`, 1 for `NAME (2)`, …
    part: usize,
    /// Data rows in the sheet being filled.
    rows: usize,
}

/// The workbook being written, sheet by sheet in constant-memory mode.
pub struct WorkbookStream {
    wb: Workbook,
    f: Formats,
    zones_index: Option<usize>,
}

impl WorkbookStream {
    /// Starts a workbook with its `README` sheet. Sheet rows spill to temporary files in `dir`
    /// (the run's staging folder), not into memory.
    pub fn new(dir: &Path) -> Result<WorkbookStream> {
        let mut wb = Workbook::new();
        wb.set_zip_compression_level(ZIP_LEVEL);
        wb.set_tempdir(dir)
            .with_context(|| format!("cannot use {} for the workbook", dir.display()))?;
        let f = Formats::new();
        write_readme(wb.add_worksheet(), &f)?;
        Ok(WorkbookStream {
            wb,
            f,
            zones_index: None,
        })
    }

    fn add_sheet(&mut self, def: TableDef, part: usize) -> Result<usize> {
        let name = if part == 0 {
            def.name.to_string()
        } else {
            format!("{} ({})", def.name, part + 1)
        };
        let ws = self.wb.add_worksheet_with_constant_memory()?;
        ws.set_name(&name)?;
        ws.set_freeze_panes(1, 0)?;
        for (c, col) in def.columns.iter().enumerate() {
            ws.set_column_width(c as u16, width_for(col.name, col.ty))?;
            ws.write_string_with_format(0, c as u16, col.name, &self.f.header)?;
        }
        Ok(self.wb.worksheets_mut().len() - 1)
    }

    /// Adds the sheet of a table whose rows will be streamed.
    pub fn add_table(&mut self, def: TableDef) -> Result<SheetStream> {
        let index = self.add_sheet(def, 0)?;
        Ok(SheetStream {
            def,
            index,
            part: 0,
            rows: 0,
        })
    }

    /// Adds the `zones` sheet now, so it sits in table order, though its rows come last.
    pub fn reserve_zones_sheet(&mut self) -> Result<()> {
        self.zones_index = Some(self.add_sheet(crate::schema::ZONES, 0)?);
        Ok(())
    }

    /// The sheet reserved by [`Self::reserve_zones_sheet`] (added now if it was not).
    pub fn zones_sheet(&mut self, def: TableDef) -> Result<SheetStream> {
        let index = match self.zones_index {
            Some(i) => i,
            None => self.add_sheet(def, 0)?,
        };
        Ok(SheetStream {
            def,
            index,
            part: 0,
            rows: 0,
        })
    }

    fn sheet(&mut self, index: usize) -> Result<&mut Worksheet> {
        sheet_mut(&mut self.wb, index)
    }

    fn close_sheet(&mut self, s: &SheetStream) -> Result<()> {
        let last_col = (s.def.columns.len() as u16).saturating_sub(1);
        self.sheet(s.index)?
            .autofilter(0, 0, s.rows as u32, last_col)?;
        Ok(())
    }

    /// Writes one row; a full sheet continues on `NAME (2)`, … (added at the end of the
    /// workbook).
    pub fn write_row(
        &mut self,
        s: &mut SheetStream,
        row: &[Value<'_>],
        list_sep: &str,
    ) -> Result<()> {
        if s.rows == MAX_DATA_ROWS {
            self.close_sheet(s)?;
            s.part += 1;
            s.index = self.add_sheet(s.def, s.part)?;
            s.rows = 0;
        }
        s.rows += 1;
        let r = s.rows as u32;
        let f = &self.f;
        let ws = sheet_mut(&mut self.wb, s.index)?;
        for (c, value) in row.iter().enumerate() {
            let c = c as u16;
            match *value {
                Value::Str(Some(x)) => {
                    ws.write_string(r, c, clip(x))?;
                }
                Value::Str(None) | Value::Float(None) | Value::Date(None) => {}
                Value::Int(x) => {
                    ws.write_number_with_format(r, c, x as f64, &f.integer)?;
                }
                Value::Float(Some(x)) => {
                    let fmt = if x.fract() == 0.0 {
                        &f.integer
                    } else {
                        &f.decimal
                    };
                    ws.write_number_with_format(r, c, x, fmt)?;
                }
                Value::Date(Some(days)) => {
                    let d = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
                        .and_then(|e| e.checked_add_signed(chrono::Duration::days(days as i64)));
                    if let Some(d) = d {
                        use chrono::Datelike;
                        let dt = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        ws.write_datetime_with_format(r, c, &dt, &f.date)?;
                    }
                }
                Value::List(items) => {
                    if !items.is_empty() {
                        ws.write_string(r, c, clip(&items.join(list_sep)))?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Closes a table's last sheet (its autofilter covers the rows written).
    pub fn finish_table(&mut self, s: &SheetStream) -> Result<()> {
        self.close_sheet(s)
    }

    /// Assembles and writes the workbook file, and syncs it.
    pub fn save(mut self, path: &Path) -> Result<()> {
        self.wb
            .save(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        std::fs::File::open(path)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("cannot sync {}", path.display()))
    }
}

/// Sheet `index` of the workbook (sheets are only ever added, so a missing one is a bug).
fn sheet_mut(wb: &mut Workbook, index: usize) -> Result<&mut Worksheet> {
    wb.worksheets_mut()
        .get_mut(index)
        .ok_or_else(|| anyhow::anyhow!("internal error: workbook sheet {index} is missing"))
}

fn width_for(name: &str, ty: ColumnType) -> f64 {
    match (name, ty) {
        ("text" | "sentence", _) => 60.0,
        ("title" | "subtitle" | "label" | "raw_text", _) => 30.0,
        (_, ColumnType::Date) => 12.0,
        (_, ColumnType::Float) => 16.0,
        (_, ColumnType::Int) => 11.0,
        ("article_id" | "measure_id", _) => 24.0,
        _ => 16.0,
    }
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

fn write_readme(ws: &mut Worksheet, f: &Formats) -> Result<()> {
    ws.set_name("README")?;
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 22)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(3, 10)?;
    ws.set_column_width(4, 90)?;
    let intro = [
        "zonefacts: zones, articles, figures and entities extracted from Chinese news pages about development zones.",
        "One sheet per table; `measures` is the fact table, `articles` and `zones` are its dimensions (join on article_id, zone_id).",
        "Every figure can be traced to its source: measures.char_start/char_end are character offsets into the raw file.",
        "Excel limits: 1,048,576 rows per sheet (longer tables continue on 'NAME (2)'), 32,767 characters per cell (longer article texts are cut here; the Parquet and CSV files keep them whole).",
    ];
    for (i, line) in intro.iter().enumerate() {
        ws.write_string(i as u32, 0, *line)?;
    }
    let mut r = intro.len() as u32 + 1;
    for (c, h) in ["table", "column", "type", "nullable", "meaning"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &f.header)?;
    }
    ws.set_freeze_panes(r + 1, 0)?;
    for t in TABLES {
        for c in t.columns {
            r += 1;
            ws.write_string(r, 0, t.name)?;
            ws.write_string(r, 1, c.name)?;
            ws.write_string(r, 2, c.ty.as_str())?;
            ws.write_string(r, 3, if c.nullable { "yes" } else { "no" })?;
            ws.write_string_with_format(r, 4, c.doc, &f.wrap)?;
        }
    }
    Ok(())
}
