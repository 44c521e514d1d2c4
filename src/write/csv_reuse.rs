//! The previous run's CSV rows of unchanged input files, copied instead of formatted again.
//!
//! An input file whose content, program and config are those of the published run has the
//! same rows, byte for byte, so an incremental run copies them from the published CSV files
//! (whose offsets the run state records per input file, [`crate::state::FileState::csv`])
//! instead of formatting them again: on 212 MB with 1 % of the files changed, formatting the
//! CSV rows of the other 99 % was a third of the run (PERFORMANCE.md). The published
//! generation is never written to again, but people open these files in spreadsheets, so
//! nothing is copied from a file that was modified after its run state was written or whose
//! bytes are not those the manifest's checksum gives, and a range must hold rows of its input file (every
//! row starts with its article id) ending with a row terminator. A range that fails a check
//! is not used: the file's rows are formatted as in any other run.

use std::fs::File;
use std::path::Path;

use super::OutputRecord;
use crate::schema::{ARTICLES, ENTITIES, MEASURES};
use crate::state::{read_exact_at, RunState, STATE_FILE};

/// The tables whose CSV rows are copied, in the order of [`CsvRanges`].
pub const ROW_TABLES: [&str; 3] = [ARTICLES.name, MEASURES.name, ENTITIES.name];

/// The published run's row-table CSV files and where each input file's rows are in them.
#[derive(Debug)]
pub struct CsvReuse<'s> {
    files: [File; 3],
    sizes: [u64; 3],
    /// The published run's state, whose files carry their ranges.
    state: &'s RunState,
}

impl<'s> CsvReuse<'s> {
    /// Opens the CSV files of the published generation in `dir`, whose run state is `state`
    /// and whose manifest lists `outputs`. `None` when the state records no ranges, or a file
    /// is missing, not the size the manifest gives, or modified after the generation's
    /// `state.json` was written: then every row is formatted.
    pub fn open(dir: &Path, state: &'s RunState, outputs: &[OutputRecord]) -> Option<CsvReuse<'s>> {
        if !state.files.values().any(|f| f.csv.is_some()) {
            return None;
        }
        // the run wrote its tables, then its state: a table touched since is newer
        let state_written = std::fs::metadata(dir.join(STATE_FILE))
            .and_then(|m| m.modified())
            .ok()?;
        let open = |table: &str| -> Option<(File, u64)> {
            let name = format!("{table}.csv");
            let record = outputs.iter().find(|o| o.file == name)?;
            let file = File::open(dir.join(&name)).ok()?;
            let meta = file.metadata().ok()?;
            let untouched = meta.modified().ok()? <= state_written;
            // the bytes themselves, not only their size and time: an edit that keeps both
            // must not be copied into tonight's tables
            (untouched && record.matches(&dir.join(&name))).then_some((file, record.bytes))
        };
        let [a, m, e] = ROW_TABLES.map(open);
        let ((fa, sa), (fm, sm), (fe, se)) = (a?, m?, e?);
        Some(CsvReuse {
            files: [fa, fm, fe],
            sizes: [sa, sm, se],
            state,
        })
    }

    /// Whether the published run gave input file `rel_path`'s articles the stories of
    /// `digest` ([`crate::stories::links_digest`]).
    pub fn stories_unchanged(&self, rel_path: &str, digest: &str) -> bool {
        self.state
            .files
            .get(rel_path)
            .and_then(|f| f.stories.as_deref())
            == Some(digest)
    }

    /// Reads the rows of input file `rel_path` in row table `table` (an index into
    /// [`ROW_TABLES`]) into `buf`, when the published run recorded them and they pass the
    /// checks: `rows` rows are expected, each starting with `id_prefix` (the file's article
    /// id up to its sequence number). False when they cannot be used.
    pub fn read(
        &self,
        rel_path: &str,
        table: usize,
        rows: usize,
        id_prefix: &str,
        buf: &mut Vec<u8>,
    ) -> bool {
        buf.clear();
        let range = self
            .state
            .files
            .get(rel_path)
            .and_then(|f| f.csv?.get(table).copied());
        let Some([offset, len]) = range else {
            return false;
        };
        let (Some(file), Some(&size)) = (self.files.get(table), self.sizes.get(table)) else {
            return false;
        };
        if (rows == 0) != (len == 0) || offset.checked_add(len).is_none_or(|end| end > size) {
            return false;
        }
        let Ok(n) = usize::try_from(len) else {
            return false;
        };
        buf.resize(n, 0);
        if read_exact_at(file, buf, offset).is_err() {
            buf.clear();
            return false;
        }
        let sound = n == 0 || (buf.starts_with(id_prefix.as_bytes()) && buf.ends_with(b"\r\n"));
        if !sound {
            buf.clear();
        }
        sound
    }
}
