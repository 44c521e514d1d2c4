//! Run logging on stderr, for people and for log shippers.
//!
//! Three shapes, chosen once per process with [`init`]:
//! - text on a terminal: `zonefacts: …` lines and an indicatif progress bar;
//! - text elsewhere (cron mail, journald, a file): the same lines, and a plain progress line at
//!   every tenth of the files instead of a bar;
//! - JSON (`--log-format json`): one object per line with `ts`, `level`, `msg` and fields.
//!
//! Standard output is left to the commands that print results (`schema`, `inspect`, `status`).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use clap::ValueEnum;
use serde_json::{Map, Value};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines (and a progress bar when stderr is a terminal).
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Progress and results.
    Info,
    /// Something was skipped or repaired; the run goes on.
    Warn,
    /// The command failed.
    Error,
}

impl Level {
    /// The `level` string of JSON lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

static FORMAT: OnceLock<LogFormat> = OnceLock::new();
/// The progress bar currently drawn, so that log lines are printed above it.
static BAR: Mutex<Option<indicatif::ProgressBar>> = Mutex::new(None);

/// Chooses the log format for the rest of the process (the first call wins).
pub fn init(format: LogFormat) {
    let _ = FORMAT.set(format);
}

/// The log format in force (text until [`init`] is called).
pub fn format() -> LogFormat {
    FORMAT.get().copied().unwrap_or_default()
}

/// Formats one log line (without the newline).
pub fn render(format: LogFormat, level: Level, msg: &str, fields: &[(&str, Value)]) -> String {
    match format {
        LogFormat::Text => match level {
            Level::Info => format!("zonefacts: {msg}"),
            Level::Warn => format!("zonefacts: warning: {msg}"),
            Level::Error => format!("zonefacts: error: {msg}"),
        },
        LogFormat::Json => {
            let mut obj = Map::new();
            obj.insert(
                "ts".into(),
                Value::String(
                    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                ),
            );
            obj.insert("level".into(), Value::String(level.as_str().into()));
            obj.insert("msg".into(), Value::String(msg.into()));
            for (k, v) in fields {
                obj.insert((*k).to_string(), v.clone());
            }
            Value::Object(obj).to_string()
        }
    }
}

/// Writes one log line with structured fields (fields appear only in JSON lines).
pub fn emit(level: Level, msg: &str, fields: &[(&str, Value)]) {
    let line = render(format(), level, msg, fields);
    let bar = BAR.lock().ok().and_then(|b| b.clone());
    match bar {
        Some(bar) => bar.suspend(|| write_line(&line)),
        None => write_line(&line),
    }
}

fn write_line(line: &str) {
    let mut err = std::io::stderr().lock();
    // stderr going away (a closed pipe) must not take the run down
    let _ = writeln!(err, "{line}");
}

/// An informational line.
pub fn info(msg: &str) {
    emit(Level::Info, msg, &[]);
}

/// A warning line: something was skipped or repaired, the run goes on.
pub fn warn(msg: &str) {
    emit(Level::Warn, msg, &[]);
}

/// An error line: the command failed.
pub fn error(msg: &str) {
    emit(Level::Error, msg, &[]);
}

/// Progress over a known number of files, safe to advance from worker threads.
pub struct Progress {
    total: usize,
    done: AtomicUsize,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// Starts progress reporting: a bar when the format is text and stderr is a terminal,
    /// otherwise a plain line at every tenth of `total`.
    pub fn start(total: usize) -> Progress {
        let bar = (format() == LogFormat::Text && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files ({per_sec}, eta {eta})",
            ) {
                bar.set_style(style);
            }
            bar
        });
        if let (Some(b), Ok(mut slot)) = (&bar, BAR.lock()) {
            *slot = Some(b.clone());
        }
        Progress {
            total,
            done: AtomicUsize::new(0),
            bar,
        }
    }

    /// Marks one more file as done.
    pub fn inc(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => bar.inc(1),
            None => {
                if let Some(pct) = step_crossed(done, self.total) {
                    emit(
                        Level::Info,
                        &format!("read {done}/{} files ({pct}%)", self.total),
                        &[
                            ("event", Value::from("progress")),
                            ("done", Value::from(done)),
                            ("total", Value::from(self.total)),
                        ],
                    );
                }
            }
        }
    }

    /// Removes the bar (if any) from the terminal.
    pub fn finish(self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if let Ok(mut slot) = BAR.lock() {
            *slot = None;
        }
    }
}

/// The share of files read (percent, floored) when `done` of `total` is the first count at or
/// past a tenth of them, so a run logs about ten progress lines; else `None`.
fn step_crossed(done: usize, total: usize) -> Option<usize> {
    if total == 0 || done == 0 || done > total {
        return None;
    }
    let tenth = |n: usize| n * 10 / total;
    // a line at every tenth, saying the share actually read (1 of 3 is 33 %, not 30 %)
    (tenth(done) > tenth(done - 1)).then(|| done * 100 / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines_at_every_tenth() {
        let steps: Vec<usize> = (1..=25).filter_map(|d| step_crossed(d, 25)).collect();
        assert_eq!(steps, [12, 20, 32, 40, 52, 60, 72, 80, 92, 100]); // 3 of 25 is 12 %
        let few: Vec<usize> = (1..=3).filter_map(|d| step_crossed(d, 3)).collect();
        assert_eq!(few, [33, 66, 100]);
        assert_eq!(step_crossed(0, 0), None);
    }

    #[test]
    fn json_lines_carry_level_message_and_fields() {
        let line = render(
            LogFormat::Json,
            Level::Warn,
            "file rejected",
            &[("file", Value::from("a.txt"))],
        );
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["level"], "warn");
        assert_eq!(v["msg"], "file rejected");
        assert_eq!(v["file"], "a.txt");
        assert!(v["ts"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            render(LogFormat::Text, Level::Error, "x", &[]),
            "zonefacts: error: x"
        );
    }
}
