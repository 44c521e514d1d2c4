//! The streaming writer: file results go in one at a time, in source-file order, and every
//! output is written as they come — CSV rows and workbook rows at once, Parquet row groups
//! whenever enough rows have gathered. Only what must wait for the last file stays in memory:
//! the zone aggregates, the report's summary, the rejected files and one row group per table.
//! Memory therefore does not grow with the corpus.
//!
//! Every output depends only on the sequence of results pushed, never on when or by which
//! thread they were made, so a run with any number of jobs, an incremental run, a `--full`
//! run and a shard merge write the same bytes.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::csv_reuse::CsvReuse;
use super::report::{self, ArticleRow, FigureRow, ReportData};
use super::tables::{article_id, article_id_prefix, zone_id, Table, Value};
use super::{csv_out, parquet_out, xlsx, OutputRecord, Written, REJECTED, REPORT, WORKBOOK};
use crate::config::Config;
use crate::model::Page;
use crate::pipeline::{Change, FileOutcome};
use crate::schema::{
    TableDef, ARTICLES, ENTITIES, MEASURES, REJECTED_COLUMNS, ZONES, ZONE_MEASURES,
};
use crate::state::CsvRanges;
use crate::stories::StoryLink;

/// A Parquet row group is written once a table has gathered this many rows…
pub const ROW_GROUP_ROWS: usize = 65_536;
/// …or this many bytes of text, whichever comes first.
pub const ROW_GROUP_TEXT_BYTES: usize = 16 << 20;

/// One table's open files.
struct TableStream {
    /// When to write a row group: (rows, bytes of text).
    limits: (usize, usize),
    /// Rows since the last Parquet row group.
    pending: Table,
    pending_text: usize,
    parquet: Option<(PathBuf, parquet_out::RowGroupWriter)>,
    csv: Option<(PathBuf, csv_out::TableCsv)>,
    /// The current input file's CSV rows were copied from the published run: rows pushed
    /// for it skip the CSV file.
    csv_copied: bool,
    sheet: Option<xlsx::SheetStream>,
    rows: usize,
    /// Reused text buffers for CSV fields.
    scratch: Vec<String>,
}

impl TableStream {
    /// Opens a table's Parquet and CSV files (when `files` and the config ask for them) and
    /// its workbook sheet (when a workbook is given). `lane`: Parquet row groups are encoded
    /// on a thread of their own.
    fn open(
        cfg: &Config,
        dir: &Path,
        def: TableDef,
        files: bool,
        workbook: Option<&mut xlsx::WorkbookStream>,
        lane: bool,
    ) -> Result<TableStream> {
        let parquet = if files && cfg.writes("parquet") {
            let path = dir.join(format!("{}.parquet", def.name));
            let writer = parquet_out::RowGroupWriter::open(def, &path, lane)?;
            Some((path, writer))
        } else {
            None
        };
        let csv = if files && cfg.writes("csv") {
            let path = dir.join(format!("{}.csv", def.name));
            let w = csv_out::TableCsv::create(&path, &cfg.csv, def.columns.iter().map(|c| c.name))?;
            Some((path, w))
        } else {
            None
        };
        let sheet = match workbook {
            Some(wb) => Some(wb.add_table(def)?),
            None => None,
        };
        Ok(TableStream {
            limits: (ROW_GROUP_ROWS, ROW_GROUP_TEXT_BYTES),
            pending: Table::new(def),
            pending_text: 0,
            parquet,
            csv,
            csv_copied: false,
            sheet,
            rows: 0,
            scratch: vec![String::new(); def.columns.len()],
        })
    }

    fn push(
        &mut self,
        row: &[Value<'_>],
        workbook: Option<&mut xlsx::WorkbookStream>,
        fmt: &csv_out::CellFormat<'_>,
    ) -> Result<()> {
        self.rows += 1;
        if let Some((_, w)) = self.csv.as_mut().filter(|_| !self.csv_copied) {
            for (value, buf) in row.iter().zip(self.scratch.iter_mut()) {
                csv_out::format_value(value, fmt, buf);
                w.write_field(buf.as_bytes())?;
            }
            w.end_row()?;
        }
        if let (Some(sheet), Some(wb)) = (&mut self.sheet, workbook) {
            wb.write_row(sheet, row, fmt.list_sep)?;
        }
        if self.parquet.is_some() {
            self.pending.push(row);
            self.pending_text += row.iter().map(Value::text_len).sum::<usize>();
            if self.pending.rows() >= self.limits.0 || self.pending_text >= self.limits.1 {
                self.flush_row_group()?;
            }
        }
        Ok(())
    }

    /// Whether rows must be built for this table: some file or sheet still takes them. A
    /// workbook-only sink whose sheet was left out for its length only counts them.
    fn wants_rows(&self) -> bool {
        self.csv.is_some()
            || self.parquet.is_some()
            || self.sheet.as_ref().is_some_and(|s| !s.is_left_out())
    }

    /// Counts rows that [`Self::wants_rows`] said nobody takes.
    fn count_rows(&mut self, n: usize) {
        self.rows += n;
        if let Some(sheet) = &mut self.sheet {
            sheet.count_left_out_rows(n);
        }
    }

    fn flush_row_group(&mut self) -> Result<()> {
        if let Some((path, w)) = &mut self.parquet {
            if self.pending.rows() > 0 {
                let def = self.pending.def;
                let rows = std::mem::replace(&mut self.pending, Table::new(def));
                w.write(rows, path)?;
            }
        }
        self.pending.clear();
        self.pending_text = 0;
        Ok(())
    }

    /// Closes and syncs the table's files; returns their records.
    fn finish(mut self, workbook: Option<&mut xlsx::WorkbookStream>) -> Result<Vec<OutputRecord>> {
        self.flush_row_group()?;
        let mut out = Vec::new();
        if let Some((path, w)) = self.parquet.take() {
            w.finish(&path)?;
            out.push(record(&path, self.rows)?);
        }
        if let Some((path, w)) = self.csv.take() {
            w.finish(&path)?;
            out.push(record(&path, self.rows)?);
        }
        if let (Some(sheet), Some(wb)) = (&self.sheet, workbook) {
            wb.finish_table(sheet)?;
        }
        Ok(out)
    }
}

fn record(path: &Path, rows: usize) -> Result<OutputRecord> {
    let bytes = std::fs::metadata(path)
        .with_context(|| format!("{} was not written", path.display()))?
        .len();
    let blake3 = super::file_checksum(path)
        .with_context(|| format!("cannot read back {}", path.display()))?;
    Ok(OutputRecord {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        rows,
        bytes,
        blake3: Some(blake3),
    })
}

struct ZoneAgg {
    /// `zones.zone_id`, hashed once per zone rather than once per row.
    id: String,
    province: Option<String>,
    city: Option<String>,
    level: Option<String>,
    articles: usize,
    /// Representative articles (stories) whose zone this is.
    stories: usize,
    /// Figures of representative articles.
    measures: usize,
    /// Figures of every article.
    measure_rows: usize,
}

/// One row of the workbook's `zone_measures` sheet, gathered as figures stream past.
struct ZoneMeasureAgg {
    /// Figures of representative articles.
    figures: usize,
    /// Figures of every article.
    rows: usize,
    /// Representative articles counted.
    articles: usize,
    /// Number of the last article counted in `articles` (articles come one after another,
    /// so counting changes of this number counts distinct articles).
    last_article: usize,
    min: f64,
    max: f64,
}

impl ZoneMeasureAgg {
    /// The row of a key's first figure, from article number `article` (a story's
    /// representative when `counted`).
    fn first(f: &crate::model::Figure, article: usize, counted: bool) -> ZoneMeasureAgg {
        ZoneMeasureAgg {
            figures: usize::from(counted),
            rows: 1,
            articles: usize::from(counted),
            last_article: if counted { article } else { 0 },
            min: f.value,
            max: f.value_max.unwrap_or(f.value),
        }
    }

    /// Counts one more figure, from article number `article` (a story's representative
    /// when `counted`). Copies of a story carry the same numbers, so the range takes them all.
    fn add(&mut self, f: &crate::model::Figure, article: usize, counted: bool) {
        self.rows += 1;
        if counted {
            self.figures += 1;
            if self.last_article != article {
                self.last_article = article;
                self.articles += 1;
            }
        }
        self.min = self.min.min(f.value);
        self.max = self.max.max(f.value_max.unwrap_or(f.value));
    }
}

/// Writes the `zone_measures` key of a figure into `key`: zone, measure key, stat, period,
/// unit and unit kind joined by NUL, zone, measure key and period marked `0` (there) or `1`
/// (null) so that nulls sort last. One string, so that counting a figure under a key already
/// seen allocates nothing; [`split_zone_measure_key`] takes it apart.
fn zone_measure_key(key: &mut String, zone: Option<&str>, f: &crate::model::Figure) {
    key.clear();
    for part in [
        zone,
        f.measure_key.as_deref(),
        Some(f.stat.as_str()),
        f.period.as_deref(),
    ] {
        key.push(if part.is_some() { '0' } else { '1' });
        key.push_str(part.unwrap_or_default());
        key.push('\0');
    }
    key.push_str(&f.unit);
    key.push('\0');
    key.push_str(&f.unit_kind);
}

/// The parts of a key made by [`zone_measure_key`].
struct ZoneMeasureKey<'a> {
    zone: Option<&'a str>,
    measure_key: Option<&'a str>,
    stat: &'a str,
    period: Option<&'a str>,
    unit: &'a str,
    unit_kind: &'a str,
}

/// Takes apart a key made by [`zone_measure_key`].
fn split_zone_measure_key(key: &str) -> ZoneMeasureKey<'_> {
    let mut parts = key.splitn(6, '\0');
    let mut next = || parts.next().unwrap_or_default();
    let (zone, measure_key) = (next().strip_prefix('0'), next().strip_prefix('0'));
    let stat = next().strip_prefix('0').unwrap_or_default();
    let period = next().strip_prefix('0');
    ZoneMeasureKey {
        zone,
        measure_key,
        stat,
        period,
        unit: next(),
        unit_kind: next(),
    }
}

/// Per-outcome totals of processed files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeCounts {
    /// Not in the previous run.
    pub new: usize,
    /// Content changed since the previous run.
    pub changed: usize,
    /// Cached result used.
    pub reused: usize,
    /// Unchanged but extracted again.
    pub rebuilt: usize,
}

impl ChangeCounts {
    /// Counts one processed file.
    pub fn add(&mut self, change: Change) {
        match change {
            Change::New => self.new += 1,
            Change::Changed => self.changed += 1,
            Change::Reused => self.reused += 1,
            Change::Rebuilt => self.rebuilt += 1,
        }
    }
}

/// Which outputs a [`Sink`] writes. A run with more than one job splits the work between
/// two sinks on two threads — the workbook (the costliest output to write) and everything
/// else — and joins their records with [`Written::with_workbook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Every output the config asks for.
    All,
    /// Everything but the workbook.
    Tables,
    /// Only the workbook.
    Workbook,
}

/// The streaming writer of every output of a run (see the module doc).
pub struct Sink<'c> {
    cfg: &'c Config,
    part: Part,
    dir: PathBuf,
    articles: TableStream,
    measures: TableStream,
    entities: TableStream,
    workbook: Option<xlsx::WorkbookStream>,
    zones: BTreeMap<String, ZoneAgg>,
    /// The workbook's `zone_measures` sheet (gathered only when this sink writes the workbook).
    zone_measures: BTreeMap<String, ZoneMeasureAgg>,
    /// Reused buffer for a figure's `zone_measures` key.
    zone_measure_key: String,
    /// Articles pushed so far.
    article_no: usize,
    /// Of them, the representatives of their stories.
    stories: usize,
    report: ReportData,
    rejected: Vec<[String; 4]>,
    changes: ChangeCounts,
    processed: usize,
    last_path: Option<String>,
    /// Time spent in `push` so far (the manifest's `write` stage).
    busy: std::time::Duration,
    /// The published run's CSV rows of unchanged input files (incremental runs).
    csv_reuse: Option<CsvReuse<'c>>,
    /// The current input file's rows copied from the published run, per row table.
    csv_copy: [Vec<u8>; 3],
    /// Where each processed file's rows went in the row tables' CSV files.
    csv_ranges: Vec<(String, CsvRanges)>,
}

impl<'c> Sink<'c> {
    /// Opens the output files of `cfg` that `part` covers, in `dir`. `lanes`: each table's
    /// Parquet row groups are encoded on a thread of its own
    /// ([`parquet_out::RowGroupWriter`]).
    pub fn create(cfg: &'c Config, dir: &Path, part: Part, lanes: bool) -> Result<Sink<'c>> {
        let tables = part != Part::Workbook;
        let mut workbook = if cfg.writes("xlsx") && part != Part::Tables {
            Some(
                xlsx::WorkbookStream::new(dir, &dir.join(WORKBOOK))?
                    .with_max_table_rows(cfg.xlsx_max_rows()),
            )
        } else {
            None
        };
        let open = |def, wb: Option<&mut xlsx::WorkbookStream>| {
            TableStream::open(cfg, dir, def, tables, wb, lanes)
        };
        let articles = open(ARTICLES, workbook.as_mut())?;
        let measures = open(MEASURES, workbook.as_mut())?;
        if let Some(wb) = workbook.as_mut() {
            wb.reserve_zones_sheet()?;
        }
        let entities = open(ENTITIES, workbook.as_mut())?;
        Ok(Sink {
            cfg,
            part,
            dir: dir.to_path_buf(),
            articles,
            measures,
            entities,
            workbook,
            zones: BTreeMap::new(),
            zone_measures: BTreeMap::new(),
            zone_measure_key: String::new(),
            article_no: 0,
            stories: 0,
            report: ReportData::default(),
            rejected: Vec::new(),
            changes: ChangeCounts::default(),
            processed: 0,
            last_path: None,
            busy: std::time::Duration::ZERO,
            csv_reuse: None,
            csv_copy: Default::default(),
            csv_ranges: Vec::new(),
        })
    }

    /// Copies the CSV rows of input files pushed as [`Change::Reused`] from the published
    /// run's files instead of formatting them (see [`super::csv_reuse`]).
    pub fn with_csv_reuse(mut self, reuse: Option<CsvReuse<'c>>) -> Self {
        self.csv_reuse = reuse;
        self
    }

    /// Tells the sink how many rows the row tables will get in all (`[articles, measures,
    /// entities]`), before the first file is pushed, when a first pass has counted them: a
    /// table too long for the workbook is left out of it from the start, and its rows are not
    /// written into a sheet that would be discarded.
    pub fn expect_rows(&mut self, rows: [usize; 3]) {
        let Some(wb) = self.workbook.as_mut() else {
            return;
        };
        let tables = [&mut self.articles, &mut self.measures, &mut self.entities];
        for (t, n) in tables.into_iter().zip(rows) {
            if let Some(sheet) = t.sheet.as_mut() {
                wb.expect_rows(sheet, n);
            }
        }
    }

    /// Writes one file's rows. Files must come in source-file order; a file out of order is
    /// an error (it would make the tables depend on timing).
    /// `links` gives each article's story ([`crate::pipeline::link_file`]); an article
    /// past its end is its own story.
    pub fn push(
        &mut self,
        outcome: &FileOutcome,
        change: Change,
        links: &[StoryLink],
    ) -> Result<()> {
        let clock = std::time::Instant::now();
        let pushed = self.push_ordered(outcome, change, links);
        self.busy += clock.elapsed();
        pushed
    }

    fn push_ordered(
        &mut self,
        outcome: &FileOutcome,
        change: Change,
        links: &[StoryLink],
    ) -> Result<()> {
        let path = outcome.rel_path();
        if self.last_path.as_deref().is_some_and(|last| last >= path) {
            anyhow::bail!("internal error: {path} reached the writer out of source-file order");
        }
        self.last_path = Some(path.to_string());
        match outcome {
            FileOutcome::Processed(page) => {
                self.processed += 1;
                self.changes.add(change);
                // one hash per page: every row id of the file starts with it
                let prefix = article_id_prefix(page);
                let starts = self.begin_csv(page, &prefix, change, links)?;
                self.push_page(page, &prefix, links)?;
                self.end_csv(page, starts)
            }
            FileOutcome::Rejected {
                rel_path,
                size,
                rejection,
                ..
            } => {
                self.push_rejected(rel_path, *size, rejection.kind, &rejection.reason);
                Ok(())
            }
        }
    }

    /// Lists a rejected file that was never part of the ordered stream (a file the walk could
    /// not list). Rejected rows are sorted when written, so order does not matter here.
    pub fn push_rejected(&mut self, rel_path: &str, size: u64, kind: &str, reason: &str) {
        self.rejected.push([
            rel_path.to_string(),
            reason.to_string(),
            kind.to_string(),
            size.to_string(),
        ]);
    }

    /// Starts an input file in the row tables' CSV files: notes where its rows begin and, for
    /// a file unchanged since the published run, reads its rows there to copy them (the rows
    /// pushed for it then skip the CSV files). `None` when no CSV is written. `prefix` is the
    /// page's [`article_id_prefix`].
    /// The articles and measures rows carry the articles' stories, so those two are copied
    /// only when the file's stories are those of the published run too.
    fn begin_csv(
        &mut self,
        page: &Page,
        prefix: &str,
        change: Change,
        links: &[StoryLink],
    ) -> Result<Option<[u64; 3]>> {
        // rows the page gives each row table, counted only when its rows may be copied
        let expected = (change == Change::Reused && self.csv_reuse.is_some()).then(|| {
            [
                page.articles.len(),
                page.articles.iter().map(|a| a.figures.len()).sum(),
                page.articles.iter().map(|a| a.entities.len()).sum(),
            ]
        });
        let reuse = self.csv_reuse.as_ref().zip(expected);
        let same_stories = reuse.is_some_and(|(r, _)| {
            r.stories_unchanged(&page.source_file, &crate::stories::links_digest(links))
        });
        let mut starts = [0; 3];
        let tables = [&mut self.articles, &mut self.measures, &mut self.entities];
        for (i, (t, copy)) in tables.into_iter().zip(&mut self.csv_copy).enumerate() {
            let Some((_, w)) = t.csv.as_mut() else {
                return Ok(None);
            };
            starts[i] = w.position()?;
            let story_rows = i < 2;
            t.csv_copied = (same_stories || !story_rows)
                && reuse
                    .is_some_and(|(r, rows)| r.read(&page.source_file, i, rows[i], prefix, copy));
        }
        Ok(Some(starts))
    }

    /// Ends an input file begun by [`Self::begin_csv`]: appends the copied rows and notes
    /// where the file's rows are.
    fn end_csv(&mut self, page: &Page, starts: Option<[u64; 3]>) -> Result<()> {
        let Some(starts) = starts else {
            return Ok(());
        };
        let mut ranges: CsvRanges = [[0; 2]; 3];
        let tables = [&mut self.articles, &mut self.measures, &mut self.entities];
        for (i, (t, copy)) in tables.into_iter().zip(&self.csv_copy).enumerate() {
            if let Some((_, w)) = t.csv.as_mut() {
                if std::mem::take(&mut t.csv_copied) {
                    w.append_raw(copy)?;
                }
                let end = w.position()?;
                ranges[i] = [starts[i], end - starts[i]];
            }
        }
        self.csv_ranges.push((page.source_file.clone(), ranges));
        Ok(())
    }

    /// Pushes a page's rows; `prefix` is its [`article_id_prefix`].
    fn push_page(&mut self, page: &Page, prefix: &str, links: &[StoryLink]) -> Result<()> {
        let sep = &self.cfg.csv.cell_format();
        for (i, a) in page.articles.iter().enumerate() {
            self.article_no += 1;
            let aid = article_id(prefix, a.seq);
            let link = links.get(i);
            let counted = link.is_none_or(StoryLink::representative);
            self.stories += usize::from(counted);
            for z in &a.zones {
                let e = self.zones.entry(z.name.clone()).or_insert_with(|| ZoneAgg {
                    id: zone_id(&z.name),
                    province: None,
                    city: None,
                    level: None,
                    articles: 0,
                    stories: 0,
                    measures: 0,
                    measure_rows: 0,
                });
                e.province = e.province.take().or_else(|| z.province.clone());
                e.city = e.city.take().or_else(|| z.city.clone());
                e.level = e.level.take().or_else(|| z.level.clone());
            }
            let az = a.zone.map(|i| a.zones[i].name.as_str());
            let wants_article = self.articles.wants_rows();
            let mut az_id = None;
            if let Some(e) = az.and_then(|name| self.zones.get_mut(name)) {
                e.articles += 1;
                e.stories += usize::from(counted);
                az_id = wants_article.then(|| e.id.clone());
            }
            if wants_article {
                let text = a.text();
                let row = [
                    Value::Str(Some(&aid)),
                    Value::Str(Some(&page.source_file)),
                    Value::Int(a.seq as i64),
                    Value::Str(a.title.as_deref()),
                    Value::Str(a.subtitle.as_deref()),
                    Value::List(&a.authors),
                    Value::Date(a.published.and_then(|p| p.days_since_epoch())),
                    Value::Str(a.published.map(|p| p.precision.as_str())),
                    Value::Str(az_id.as_deref()),
                    Value::Str(az),
                    Value::Int(a.char_count() as i64),
                    Value::Int(a.paragraphs.len() as i64),
                    Value::Str(Some(&text)),
                    Value::Str(Some(link.map_or(aid.as_str(), |l| l.story_id.as_str()))),
                    Value::Str(link.and_then(|l| l.duplicate_of.as_deref())),
                ];
                self.articles.push(&row, self.workbook.as_mut(), sep)?;
            } else {
                self.articles.count_rows(1);
            }
            let cited = ArticleRow {
                title: a.title.as_deref(),
                source_file: &page.source_file,
                zone: az,
            };

            let mut figs: Vec<_> = a.figures.iter().collect();
            figs.sort_by_key(|f| (f.span.start, f.span.end));
            for (n, f) in figs.into_iter().enumerate() {
                let fz = f.zone.map(|i| a.zones[i].name.as_str());
                let wants_measure = self.measures.wants_rows();
                let mut fz_id = None;
                if let Some(e) = fz.and_then(|name| self.zones.get_mut(name)) {
                    e.measures += usize::from(counted);
                    e.measure_rows += 1;
                    fz_id = wants_measure.then(|| e.id.clone());
                }
                if wants_measure {
                    let mid = format!("{aid}-{:03}", n + 1);
                    let row = [
                        Value::Str(Some(&mid)),
                        Value::Str(Some(&aid)),
                        Value::Str(fz_id.as_deref()),
                        Value::Str(fz),
                        Value::Str(Some(&f.label)),
                        Value::Str(f.measure_key.as_deref()),
                        Value::Str(Some(f.stat.as_str())),
                        Value::Float(Some(f.value)),
                        Value::Float(f.value_max),
                        Value::Str(Some(&f.unit)),
                        Value::Str(Some(&f.unit_kind)),
                        Value::Str(f.qualifier.map(|q| q.as_str())),
                        Value::Str(f.role.map(|r| r.as_str())),
                        Value::Str(f.change.map(|c| c.as_str())),
                        Value::Str(f.period.as_deref()),
                        Value::Str(Some(&f.raw_text)),
                        Value::Str(Some(&f.sentence)),
                        Value::Int(f.span.start as i64),
                        Value::Int(f.span.end as i64),
                        Value::Bool(counted),
                    ];
                    self.measures.push(&row, self.workbook.as_mut(), sep)?;
                } else {
                    self.measures.count_rows(1);
                }
                if self.workbook.is_some() {
                    self.add_zone_measure(fz, f, counted);
                }
                // the report counts each story's figures once
                if counted && self.writes_report() {
                    self.report.add_figure(
                        &FigureRow {
                            article_id: &aid,
                            zone: fz,
                            measure_key: f.measure_key.as_deref(),
                            label: &f.label,
                            value: Some(f.value),
                            value_max: f.value_max,
                            unit: &f.unit,
                            raw_text: &f.raw_text,
                            sentence: &f.sentence,
                        },
                        &cited,
                    );
                }
            }

            if !self.entities.wants_rows() {
                self.entities.count_rows(a.entities.len());
            } else {
                let mut ents: Vec<_> = a.entities.iter().collect();
                ents.sort_by(|x, y| {
                    x.kind
                        .cmp(&y.kind)
                        .then(x.first_char.cmp(&y.first_char))
                        .then(x.text.cmp(&y.text))
                });
                for e in ents {
                    let row = [
                        Value::Str(Some(&aid)),
                        Value::Str(Some(e.kind.as_str())),
                        Value::Str(Some(&e.text)),
                        Value::Int(e.mentions as i64),
                        Value::Int(e.first_char as i64),
                    ];
                    self.entities.push(&row, self.workbook.as_mut(), sep)?;
                }
            }
        }
        Ok(())
    }

    /// Counts one figure in its `zone_measures` row.
    fn add_zone_measure(&mut self, zone: Option<&str>, f: &crate::model::Figure, counted: bool) {
        zone_measure_key(&mut self.zone_measure_key, zone, f);
        match self.zone_measures.get_mut(&self.zone_measure_key) {
            Some(agg) => agg.add(f, self.article_no, counted),
            None => {
                let agg = ZoneMeasureAgg::first(f, self.article_no, counted);
                self.zone_measures
                    .insert(self.zone_measure_key.clone(), agg);
            }
        }
    }

    /// Writes Parquet row groups of at most `rows` rows or `text_bytes` bytes of text
    /// instead of [`ROW_GROUP_ROWS`] and [`ROW_GROUP_TEXT_BYTES`] (for tests of the
    /// streaming itself).
    pub fn with_row_group_limits(mut self, rows: usize, text_bytes: usize) -> Self {
        for t in [&mut self.articles, &mut self.measures, &mut self.entities] {
            t.limits = (rows.max(1), text_bytes.max(1));
        }
        self
    }

    fn writes_report(&self) -> bool {
        self.part != Part::Workbook && self.cfg.writes("report")
    }

    /// Writes what had to wait for the last file (zones, rejected files, the workbook's
    /// zones sheet, the report), closes and syncs every file, and returns what was written.
    /// `files` is the number of input files of the run, for the report.
    pub fn finish(self, files: usize) -> Result<Written> {
        let clock = std::time::Instant::now();
        let report_wanted = self.writes_report();
        let Sink {
            cfg,
            part,
            dir,
            articles,
            measures,
            entities,
            mut workbook,
            zones,
            zone_measures,
            report: report_data,
            mut rejected,
            changes,
            processed,
            busy,
            csv_ranges,
            stories,
            ..
        } = self;
        let sep = &cfg.csv.cell_format();
        let (n_articles, n_measures, n_entities) = (articles.rows, measures.rows, entities.rows);

        let mut zone_stream =
            TableStream::open(cfg, &dir, ZONES, part != Part::Workbook, None, false)?;
        if let Some(wb) = workbook.as_mut() {
            zone_stream.sheet = Some(wb.zones_sheet(ZONES)?);
        }
        for (name, z) in &zones {
            let row = [
                Value::Str(Some(&z.id)),
                Value::Str(Some(name)),
                Value::Str(z.province.as_deref()),
                Value::Str(z.city.as_deref()),
                Value::Str(z.level.as_deref()),
                Value::Int(z.articles as i64),
                Value::Int(z.measures as i64),
                Value::Int(z.stories as i64),
                Value::Int(z.measure_rows as i64),
            ];
            zone_stream.push(&row, workbook.as_mut(), sep)?;
        }

        let mut outputs = Vec::new();
        outputs.extend(articles.finish(workbook.as_mut())?);
        outputs.extend(measures.finish(workbook.as_mut())?);
        outputs.extend(zone_stream.finish(workbook.as_mut())?);
        outputs.extend(entities.finish(workbook.as_mut())?);
        if let Some(wb) = workbook.as_mut() {
            let mut sheet = wb.add_summary(ZONE_MEASURES)?;
            // Chinese first: the workbook's readers are Chinese analysts (营业收入 Revenue)
            let names: BTreeMap<&str, String> = cfg
                .measures
                .iter()
                .map(|m| (m.key.as_str(), format!("{} {}", m.zh, m.name)))
                .collect();
            for (key, m) in &zone_measures {
                let k = split_zone_measure_key(key);
                let zone_id = k.zone.and_then(|z| zones.get(z)).map(|z| z.id.as_str());
                let name = k
                    .measure_key
                    .and_then(|key| names.get(key))
                    .map(String::as_str);
                let row = [
                    Value::Str(zone_id),
                    Value::Str(k.zone),
                    Value::Str(name),
                    Value::Str(k.measure_key),
                    Value::Str(Some(k.stat)),
                    Value::Str(k.period),
                    Value::Str(Some(k.unit)),
                    Value::Str(Some(k.unit_kind)),
                    Value::Int(m.figures as i64),
                    Value::Int(m.articles as i64),
                    Value::Float(Some(m.min)),
                    Value::Float(Some(m.max)),
                    Value::Int(m.rows as i64),
                ];
                wb.write_row(&mut sheet, &row, sep.list_sep)?;
            }
            wb.finish_table(&sheet)?;
        }

        rejected.sort();
        if part != Part::Workbook {
            let rejected_path = dir.join(REJECTED);
            let mut w = csv_out::open(&rejected_path, &cfg.csv)?;
            w.write_record(REJECTED_COLUMNS)?;
            for r in &rejected {
                w.write_record(r)?;
            }
            csv_out::finish(w, &rejected_path)?;
            outputs.push(record(&rejected_path, rejected.len())?);
        }

        if let Some(wb) = workbook {
            let rows = wb.data_rows();
            let path = wb.save()?;
            outputs.push(record(&path, rows)?);
        }
        if report_wanted {
            let input = report::ReportInput {
                counts: vec![
                    ("files".into(), files),
                    ("processed".into(), processed),
                    ("new".into(), changes.new),
                    ("changed".into(), changes.changed),
                    ("reused".into(), changes.reused),
                    ("re-extracted".into(), changes.rebuilt),
                    ("rejected".into(), rejected.len()),
                    ("articles".into(), n_articles),
                    ("stories (reprints linked)".into(), stories),
                    (
                        "reprints (figures counted once)".into(),
                        n_articles - stories,
                    ),
                    ("figures".into(), n_measures),
                    ("zones".into(), zones.len()),
                ],
                rejected: rejected
                    .iter()
                    .map(|r| (r[0].clone(), r[1].clone()))
                    .collect(),
                measure_names: cfg
                    .measures
                    .iter()
                    .map(|m| (m.key.clone(), format!("{} {}", m.zh, m.name)))
                    .collect(),
            };
            let path = dir.join(REPORT);
            let html = report::render(&report_data, &input);
            let mut f =
                File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
            f.write_all(html.as_bytes())
                .and_then(|()| f.sync_all())
                .with_context(|| format!("cannot write {}", path.display()))?;
            outputs.push(record(&path, n_measures)?);
        }
        Ok(Written {
            outputs,
            processed,
            rejected: rejected.len(),
            articles: n_articles,
            measures: n_measures,
            zones: zones.len(),
            entities: n_entities,
            stories,
            seconds: (busy + clock.elapsed()).as_secs_f64(),
            csv_ranges,
        })
    }
}

impl Written {
    /// Joins the records of a [`Part::Tables`] sink and a [`Part::Workbook`] sink fed the
    /// same files: the workbook's record goes where a [`Part::All`] sink lists it (before
    /// the report), and their writing times add up.
    pub fn with_workbook(mut self, workbook: Written) -> Written {
        let at = self
            .outputs
            .iter()
            .position(|o| o.file == REPORT)
            .unwrap_or(self.outputs.len());
        for (i, o) in workbook.outputs.into_iter().enumerate() {
            self.outputs.insert(at + i, o);
        }
        self.seconds += workbook.seconds;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::pipeline::process_bytes;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    fn seed_outcomes() -> Vec<FileOutcome> {
        let lex = Lexicon::for_tests();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
            .iter()
            .map(|n| {
                let page = process_bytes(n, &std::fs::read(dir.join(n)).unwrap(), &lex).unwrap();
                FileOutcome::Processed(Box::new(page))
            })
            .collect()
    }

    fn write(part: Part, limits: Option<(usize, usize)>, dir: &Path) -> Written {
        write_on(part, limits, dir, false)
    }

    fn write_on(part: Part, limits: Option<(usize, usize)>, dir: &Path, lanes: bool) -> Written {
        let cfg =
            Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline.toml")).unwrap();
        let mut sink = Sink::create(&cfg, dir, part, lanes).unwrap();
        if let Some((rows, bytes)) = limits {
            sink = sink.with_row_group_limits(rows, bytes);
        }
        for o in seed_outcomes() {
            sink.push(&o, Change::New, &[]).unwrap();
        }
        sink.finish(3).unwrap()
    }

    /// The workbook of the seeds with `xlsx.max_rows = max`, the sink told the row counts
    /// first or not.
    fn workbook_of_seeds(max: usize, told: bool, dir: &Path) -> (Written, Vec<u8>) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("pipeline.toml")).unwrap();
        let text = text.replacen("max_rows = 100000", &format!("max_rows = {max}"), 1);
        let cfg = Config::from_toml(&text, &root.join("pipeline.toml"), root).unwrap();
        let mut sink = Sink::create(&cfg, dir, Part::Workbook, false).unwrap();
        let outcomes = seed_outcomes();
        if told {
            let mut rows = [0; 3];
            for o in &outcomes {
                if let FileOutcome::Processed(p) = o {
                    rows[0] += p.articles.len();
                    rows[1] += p.articles.iter().map(|a| a.figures.len()).sum::<usize>();
                    rows[2] += p.articles.iter().map(|a| a.entities.len()).sum::<usize>();
                }
            }
            sink.expect_rows(rows);
            // a workbook-only sink no longer builds the rows of a table left out
            let tables = [&sink.articles, &sink.measures, &sink.entities];
            for (t, n) in tables.into_iter().zip(rows) {
                assert_eq!(t.wants_rows(), n <= max, "{n} rows, at most {max}");
            }
        }
        for o in &outcomes {
            sink.push(o, Change::New, &[]).unwrap();
        }
        let written = sink.finish(3).unwrap();
        (written, std::fs::read(dir.join(WORKBOOK)).unwrap())
    }

    #[test]
    fn a_table_known_to_be_too_long_is_left_out_before_its_first_row_with_the_same_workbook() {
        let (whole, _) = workbook_of_seeds(100_000, false, tempfile::tempdir().unwrap().path());
        assert!(whole.articles < 30 && whole.measures > 100 && whole.entities > 30);
        // 30 rows: articles stay, measures and entities are left out; and at the exact limit
        // a table stays
        for max in [30, whole.measures, whole.entities] {
            let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
            let (_, late) = workbook_of_seeds(max, false, a.path());
            let (_, early) = workbook_of_seeds(max, true, b.path());
            assert!(late == early, "max_rows {max}: the workbooks differ");
        }
        let (_, cut) = workbook_of_seeds(30, true, tempfile::tempdir().unwrap().path());
        let (_, all) = workbook_of_seeds(100_000, true, tempfile::tempdir().unwrap().path());
        assert!(cut.len() < all.len(), "long tables were left out");
    }

    /// (row groups, rows) of a Parquet file, read with arrow-rs, not polars.
    fn row_groups(path: &Path) -> (usize, i64) {
        let r = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
        let m = r.metadata();
        (m.num_row_groups(), m.file_metadata().num_rows())
    }

    #[test]
    fn rows_stream_out_in_row_groups_and_the_csv_does_not_change() {
        let whole = tempfile::tempdir().unwrap();
        let small = tempfile::tempdir().unwrap();
        let w1 = write(Part::All, None, whole.path());
        let w2 = write(Part::All, Some((7, 1 << 30)), small.path());
        assert_eq!((w1.articles, w1.measures), (w2.articles, w2.measures));
        assert!(w1.measures > 100, "the seeds hold many figures");
        let (groups, rows) = row_groups(&small.path().join("measures.parquet"));
        assert_eq!(rows as usize, w1.measures);
        assert_eq!(groups, w1.measures.div_ceil(7), "a row group every 7 rows");
        assert_eq!(row_groups(&whole.path().join("measures.parquet")).0, 1);
        // a text budget also closes row groups: every article text is over 10 bytes
        let tiny = tempfile::tempdir().unwrap();
        write(Part::All, Some((1 << 20, 10)), tiny.path());
        let (groups, rows) = row_groups(&tiny.path().join("articles.parquet"));
        assert_eq!((groups, rows as usize), (w1.articles, w1.articles));
        for t in ["articles", "measures", "zones", "entities"] {
            let name = format!("{t}.csv");
            assert_eq!(
                std::fs::read(whole.path().join(&name)).unwrap(),
                std::fs::read(small.path().join(&name)).unwrap(),
                "{name}"
            );
        }
    }

    #[test]
    fn parquet_row_groups_encoded_on_their_own_threads_are_the_same_bytes() {
        let inline = tempfile::tempdir().unwrap();
        let lanes = tempfile::tempdir().unwrap();
        let w1 = write_on(Part::Tables, Some((7, 1 << 30)), inline.path(), false);
        let w2 = write_on(Part::Tables, Some((7, 1 << 30)), lanes.path(), true);
        assert_eq!(
            w1.outputs, w2.outputs,
            "the same files, sizes and checksums"
        );
        let (groups, rows) = row_groups(&lanes.path().join("measures.parquet"));
        assert_eq!(
            (groups, rows as usize),
            (w1.measures.div_ceil(7), w1.measures)
        );
        for t in ["articles", "measures", "zones", "entities"] {
            let name = format!("{t}.parquet");
            assert_eq!(
                std::fs::read(inline.path().join(&name)).unwrap(),
                std::fs::read(lanes.path().join(&name)).unwrap(),
                "{name}"
            );
        }
    }

    /// The run state of a sink's output: every seed file with the CSV ranges it wrote.
    fn state_of(written: &Written) -> crate::state::RunState {
        let key = crate::state::ExtractionKey {
            format: crate::state::STATE_FORMAT,
            version: "test".into(),
            build: String::new(),
            config_hash: String::new(),
            gazetteer_hash: String::new(),
        };
        let files = written
            .csv_ranges
            .iter()
            .map(|(path, ranges)| {
                let f = crate::state::FileState {
                    content_hash: None,
                    size: 0,
                    processed: true,
                    csv: Some(*ranges),
                    stories: Some(crate::stories::links_digest(&[])),
                };
                (path.clone(), f)
            })
            .collect();
        crate::state::RunState { key, files }
    }

    /// Writes the seeds as unchanged files, copying CSV rows from the run in `published`
    /// (`expect_reuse`: whether its CSV files are fit to copy from).
    fn write_reusing(published: &Path, first: &Written, dir: &Path, expect_reuse: bool) -> Written {
        let cfg =
            Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline.toml")).unwrap();
        let state = state_of(first);
        let reuse = CsvReuse::open(published, &state, &first.outputs);
        assert_eq!(reuse.is_some(), expect_reuse);
        let mut sink = Sink::create(&cfg, dir, Part::All, false)
            .unwrap()
            .with_csv_reuse(reuse);
        for o in seed_outcomes() {
            sink.push(&o, Change::Reused, &[]).unwrap();
        }
        sink.finish(3).unwrap()
    }

    #[test]
    fn unchanged_files_csv_rows_are_copied_from_the_published_run() {
        let published = tempfile::tempdir().unwrap();
        let first = write(Part::All, None, published.path());
        assert_eq!(first.csv_ranges.len(), 3, "one entry per seed file");
        let state_file = published.path().join(crate::state::STATE_FILE);
        state_of(&first).write(&state_file).unwrap();
        let state_written = std::fs::metadata(&state_file).unwrap().modified().unwrap();
        // writes a published CSV file as if before the state (a same-size edit that kept
        // the file's time, which only the range checks can catch)
        let overwrite = |t: &str, bytes: &[u8]| {
            let path = published.path().join(format!("{t}.csv"));
            std::fs::write(&path, bytes).unwrap();
            let f = File::options().write(true).open(&path).unwrap();
            f.set_modified(state_written).unwrap();
        };
        let csv = |dir: &Path, t: &str| std::fs::read(dir.join(format!("{t}.csv"))).unwrap();
        // each file's ranges follow one another from the header to the end of the file
        for (i, t) in crate::write::csv_reuse::ROW_TABLES.iter().enumerate() {
            let ends: Vec<u64> = first
                .csv_ranges
                .iter()
                .map(|(_, r)| r[i][0] + r[i][1])
                .collect();
            let starts: Vec<u64> = first.csv_ranges.iter().map(|(_, r)| r[i][0]).collect();
            assert_eq!(starts[1..], ends[..2], "{t}");
            assert_eq!(ends[2], csv(published.path(), t).len() as u64, "{t}");
        }

        // reused: the same bytes and ranges
        let again = tempfile::tempdir().unwrap();
        let second = write_reusing(published.path(), &first, again.path(), true);
        assert_eq!(second.csv_ranges, first.csv_ranges);
        for t in ["articles", "measures", "zones", "entities"] {
            assert_eq!(csv(again.path(), t), csv(published.path(), t), "{t}");
        }

        // a manifest whose checksum of measures.csv is that of the file now there (so that
        // only the checks after the checksum decide)
        let vouched = |first: &Written| {
            let mut w = first.clone();
            for o in &mut w.outputs {
                if o.file == "measures.csv" {
                    o.blake3 = crate::write::file_checksum(&published.path().join(&o.file)).ok();
                }
            }
            w
        };

        // an edit that keeps the size and the time is seen by the checksum: nothing copied
        let original = csv(published.path(), "measures");
        let [start, len] = first.csv_ranges[1].1[1];
        let at = (start + len / 2) as usize;
        let mut edited = original.clone();
        edited[at] = if edited[at] == b'7' { b'8' } else { b'7' };
        overwrite("measures", &edited);
        let refused = tempfile::tempdir().unwrap();
        write_reusing(published.path(), &first, refused.path(), false);
        assert_eq!(csv(refused.path(), "measures"), original);

        // copied, not formatted again: with a checksum that vouches for the changed byte
        // inside a file's range, the byte comes along
        let copied = tempfile::tempdir().unwrap();
        write_reusing(published.path(), &vouched(&first), copied.path(), true);
        assert_eq!(csv(copied.path(), "measures"), edited);

        // a range that does not hold its file's rows is formatted again
        let mut moved = original.clone();
        moved[start as usize] = b'#';
        overwrite("measures", &moved);
        let checked = tempfile::tempdir().unwrap();
        write_reusing(published.path(), &vouched(&first), checked.path(), true);
        assert_eq!(csv(checked.path(), "measures"), original);

        // a published file of another size is not used at all
        overwrite("measures", &edited[1..]);
        let shorter = tempfile::tempdir().unwrap();
        write_reusing(published.path(), &first, shorter.path(), false);
        assert_eq!(csv(shorter.path(), "measures"), original);

        // nor one written after the state (saved from a spreadsheet, say), even at its size
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(published.path().join("measures.csv"), &edited).unwrap();
        let later = tempfile::tempdir().unwrap();
        write_reusing(published.path(), &first, later.path(), false);
        assert_eq!(csv(later.path(), "measures"), original);
    }

    #[test]
    fn split_sinks_write_what_one_sink_writes() {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let all = write(Part::All, None, one.path());
        let tables = write(Part::Tables, None, two.path());
        let workbook = write(Part::Workbook, None, two.path());
        assert_eq!(workbook.outputs.len(), 1, "{:?}", workbook.outputs);
        let joined = tables.with_workbook(workbook);
        let names = |w: &Written| w.outputs.iter().map(|o| o.file.clone()).collect::<Vec<_>>();
        assert_eq!(names(&all), names(&joined));
        for (a, b) in all.outputs.iter().zip(&joined.outputs) {
            assert_eq!(a.rows, b.rows, "{}", a.file);
            if a.file != WORKBOOK {
                assert_eq!(
                    std::fs::read(one.path().join(&a.file)).unwrap(),
                    std::fs::read(two.path().join(&b.file)).unwrap(),
                    "{}",
                    a.file
                );
            }
        }
    }

    #[test]
    fn zone_measure_keys_sort_by_zone_then_measure_with_nulls_last_and_split_back() {
        let figure = |measure_key: Option<&str>, unit: &str| crate::model::Figure {
            measure_key: measure_key.map(str::to_string),
            unit: unit.to_string(),
            unit_kind: "count".to_string(),
            stat: crate::model::Stat::Level,
            period: (unit == "个").then(|| "2024".to_string()),
            ..seed_figure()
        };
        let cases = [
            (None, Some("enterprises"), "家"),
            (Some("广州高新区"), None, "家"),
            (Some("广州高新区"), Some("enterprises"), "家"),
            (Some("广州"), Some("output_value"), "元"),
            (Some("广州高新区"), Some("enterprises"), "个"),
        ];
        let mut keys: Vec<String> = cases
            .iter()
            .map(|(zone, measure_key, unit)| {
                let mut key = String::from("stale");
                zone_measure_key(&mut key, *zone, &figure(*measure_key, unit));
                key
            })
            .collect();
        keys.sort();
        let split: Vec<_> = keys
            .iter()
            .map(|k| {
                let k = split_zone_measure_key(k);
                (k.zone, k.measure_key, k.stat, k.period, k.unit, k.unit_kind)
            })
            .collect();
        // a period sorts before none
        assert_eq!(
            split,
            [
                (
                    Some("广州"),
                    Some("output_value"),
                    "level",
                    None,
                    "元",
                    "count"
                ),
                (
                    Some("广州高新区"),
                    Some("enterprises"),
                    "level",
                    Some("2024"),
                    "个",
                    "count"
                ),
                (
                    Some("广州高新区"),
                    Some("enterprises"),
                    "level",
                    None,
                    "家",
                    "count"
                ),
                (Some("广州高新区"), None, "level", None, "家", "count"),
                (None, Some("enterprises"), "level", None, "家", "count"),
            ]
        );
    }

    fn seed_figure() -> crate::model::Figure {
        seed_outcomes()
            .into_iter()
            .find_map(|o| match o {
                FileOutcome::Processed(p) => p
                    .articles
                    .into_iter()
                    .find_map(|a| a.figures.into_iter().next()),
                FileOutcome::Rejected { .. } => None,
            })
            .expect("the seeds hold figures")
    }

    #[test]
    fn files_out_of_order_are_refused() {
        let cfg =
            Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline.toml")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut sink = Sink::create(&cfg, dir.path(), Part::All, false).unwrap();
        let mut pages = seed_outcomes();
        pages.reverse();
        sink.push(&pages[0], Change::New, &[]).unwrap();
        let err = sink.push(&pages[1], Change::New, &[]).unwrap_err();
        assert!(
            err.to_string().contains("out of source-file order"),
            "{err}"
        );
    }
}
