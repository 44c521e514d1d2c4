//! `zonefacts inspect FILE`: one file's articles, zones and figures, for checking by eye.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{exit, InspectArgs};
use crate::config::Config;
use crate::lexicon::Lexicon;
use crate::model::Page;
use crate::pipeline::{process_bytes, read_bounded};
use crate::write::csv_out::format_float;

/// Processes one file and prints what was found.
pub fn execute(config: &Option<PathBuf>, args: &InspectArgs) -> Result<i32> {
    let cfg = Config::locate(config.as_deref())?;
    let lex = Lexicon::from_config(&cfg)?;
    // a missing file is bad usage (exit 2), as the README promises; a file that exists but
    // cannot be read is a failure (exit 1)
    if !args.file.is_file() {
        return Err(super::UsageError(format!("{} is not a file", args.file.display())).into());
    }
    let name = args.file.to_string_lossy();
    // read as a run reads: never past input.max_file_size, never blocking on a FIFO
    let bytes = match read_bounded(&args.file, *cfg.input.max_file_size.get_ref()) {
        Ok(b) => b,
        Err((_, r)) if r.kind == "too_large" => {
            super::emit(&format!("{name}: rejected ({}): {}\n", r.kind, r.reason))?;
            return Ok(exit::OK);
        }
        Err((_, r)) => anyhow::bail!("cannot read {}: {}", args.file.display(), r.reason),
    };
    match process_bytes(&name, &bytes, &lex) {
        Ok(page) => {
            super::emit(&render(&page))?;
            Ok(exit::OK)
        }
        Err(r) => {
            super::emit(&format!("{name}: rejected ({}): {}\n", r.kind, r.reason))?;
            Ok(exit::OK)
        }
    }
}

/// The terminal report for a processed page.
pub fn render(page: &Page) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  ({} bytes, {}, published {})",
        page.source_file,
        page.size,
        page.encoding,
        page.published
            .map(|p| format!("{} [{}]", p.iso(), p.precision.as_str()))
            .unwrap_or_else(|| "unknown".into())
    );
    for w in &page.warnings {
        let _ = writeln!(s, "  warning: {w}");
    }
    for a in &page.articles {
        let zone = a.zone.map(|i| a.zones[i].name.as_str()).unwrap_or("-");
        let _ = writeln!(
            s,
            "\n#{} {}",
            a.seq,
            a.title.as_deref().unwrap_or("(untitled)")
        );
        if let Some(sub) = &a.subtitle {
            let _ = writeln!(s, "   subtitle: {sub}");
        }
        let _ = writeln!(
            s,
            "   zone: {zone}   authors: {}   {} paragraphs, {} chars",
            if a.authors.is_empty() {
                "-".to_string()
            } else {
                a.authors.join(", ")
            },
            a.paragraphs.len(),
            a.char_count()
        );
        let zones: Vec<&str> = a.zones.iter().map(|z| z.name.as_str()).collect();
        if !zones.is_empty() {
            let _ = writeln!(s, "   zones named: {}", zones.join(", "));
        }
        for f in &a.figures {
            let value = match f.value_max {
                Some(m) => format!("{}–{}", format_float(f.value), format_float(m)),
                None => format_float(f.value),
            };
            let mut extra = String::new();
            for word in [
                f.qualifier.map(|q| q.as_str()),
                f.change.map(|c| c.as_str()),
                f.role.map(|r| r.as_str()),
            ]
            .into_iter()
            .flatten()
            {
                extra.push(' ');
                extra.push_str(word);
            }
            let _ = writeln!(
                s,
                "   [{:>5}-{:<5}] {:<14} = {} {} ({}){}  label: {}  measure: {}  period: {}  zone: {}",
                f.span.start,
                f.span.end,
                f.raw_text,
                value,
                f.unit,
                f.unit_kind,
                extra,
                f.label,
                f.measure_key.as_deref().unwrap_or("-"),
                f.period.as_deref().unwrap_or("-"),
                f.zone.map(|i| a.zones[i].name.as_str()).unwrap_or("-"),
            );
        }
        for e in &a.entities {
            if e.kind != crate::model::EntityKind::Zone {
                let _ = writeln!(s, "   {:<12} {} ×{}", e.kind.as_str(), e.text, e.mentions);
            }
        }
    }
    s
}
