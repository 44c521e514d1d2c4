//! Excel sink: `zonefacts.xlsx`, one sheet per table plus a `README` sheet explaining the
//! columns. Bold frozen header row, autofilter, sensible column widths, numbers as numbers
//! (never in scientific notation), dates as dates. Sheets are written in rust_xlsxwriter's
//! constant-memory mode (one row in memory at a time), so 100 000-row sheets are fine.
//!
//! Limits, stated in the README sheet: Excel holds 1 048 576 rows per sheet (a longer table
//! continues on `NAME (2)`, …) and 32 767 characters per cell (longer article texts are cut,
//! the Parquet and CSV files keep them whole).

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

use super::tables::{ColumnData, Table, Tables};
use crate::schema::{ColumnType, TABLES};

/// Data rows per sheet (Excel's limit minus the header row).
pub const MAX_DATA_ROWS: usize = 1_048_575;
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

/// Writes the workbook.
pub fn write_workbook(tables: &Tables, path: &Path, list_separator: &str) -> Result<()> {
    let mut wb = Workbook::new();
    let f = Formats::new();
    write_readme(wb.add_worksheet(), &f)?;
    for t in tables.all() {
        let rows = t.rows();
        let sheets = rows.div_ceil(MAX_DATA_ROWS).max(1);
        for part in 0..sheets {
            let name = if part == 0 {
                t.def.name.to_string()
            } else {
                format!("{} ({})", t.def.name, part + 1)
            };
            let from = part * MAX_DATA_ROWS;
            let to = (from + MAX_DATA_ROWS).min(rows);
            let ws = wb.add_worksheet_with_constant_memory()?;
            ws.set_name(&name)?;
            write_sheet(ws, t, from, to, &f, list_separator)?;
        }
    }
    wb.save(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
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

fn write_sheet(
    ws: &mut Worksheet,
    t: &Table,
    from: usize,
    to: usize,
    f: &Formats,
    list_sep: &str,
) -> Result<()> {
    let ncols = t.def.columns.len() as u16;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, (to - from) as u32, ncols.saturating_sub(1))?;
    for (c, def) in t.def.columns.iter().enumerate() {
        ws.set_column_width(c as u16, width_for(def.name, def.ty))?;
        ws.write_string_with_format(0, c as u16, def.name, &f.header)?;
    }
    for (out_row, row) in (from..to).enumerate() {
        let r = out_row as u32 + 1;
        for (c, col) in t.columns.iter().enumerate() {
            let c = c as u16;
            match col {
                ColumnData::Str(v) => {
                    if let Some(s) = &v[row] {
                        ws.write_string(r, c, clip(s))?;
                    }
                }
                ColumnData::Int(v) => {
                    ws.write_number_with_format(r, c, v[row] as f64, &f.integer)?;
                }
                ColumnData::Float(v) => {
                    if let Some(x) = v[row] {
                        let fmt = if x.fract() == 0.0 {
                            &f.integer
                        } else {
                            &f.decimal
                        };
                        ws.write_number_with_format(r, c, x, fmt)?;
                    }
                }
                ColumnData::Date(v) => {
                    if let Some(days) = v[row] {
                        let d = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).and_then(|e| {
                            e.checked_add_signed(chrono::Duration::days(days as i64))
                        });
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
                }
                ColumnData::StrList(v) => {
                    if !v[row].is_empty() {
                        ws.write_string(r, c, clip(&v[row].join(list_sep)))?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn clip(s: &str) -> &str {
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
