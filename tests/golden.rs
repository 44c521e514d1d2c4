//! Golden tests in the style of DataFusion's sqllogictest: small hand-written raw pages in
//! `tests/golden/NNN_name.txt`, each with the articles and figures a careful human reader finds
//! in `tests/golden/NNN_name.expected` (see `tests/golden/README.md` for the format).
//!
//! The runner processes every case with `zonefacts::pipeline::process_bytes`, using the lexicon
//! of the shipped `pipeline.toml`, renders the result in the same line-per-row format and
//! compares it with the expected file. All mismatching cases are collected and reported
//! together, each with a line diff (`-` expected, `+` actual).
//!
//! To (re)generate the expected files from the current extractor output:
//!
//! ```sh
//! ZONEFACTS_BLESS=1 cargo test --test golden
//! git diff tests/golden      # review every changed line against GUIDELINES.md before committing
//! ```
//!
//! The expected files document the *correct* reading, not whatever the extractor says today:
//! after blessing, hand-edit any line where the extractor is wrong.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use zonefacts::config::Config;
use zonefacts::lexicon::Lexicon;
use zonefacts::model::Page;
use zonefacts::pipeline::process_bytes;
use zonefacts::write::csv_out::format_float;

/// Environment variable that switches the runner from comparing to rewriting.
const BLESS_VAR: &str = "ZONEFACTS_BLESS";

const ARTICLES_HEADER: &str = "# articles: title | subtitle | zone | authors";
const FIGURES_HEADER: &str = "# figures: raw_text | value | value_max | unit | qualifier | label | zone | measure_key | stat | period";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
}

fn lexicon() -> Lexicon {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline.toml");
    let cfg = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    Lexicon::from_config(&cfg).unwrap_or_else(|e| panic!("{e:#}"))
}

fn blessing() -> bool {
    std::env::var(BLESS_VAR).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// One field of a row: `-` for null, and no character that would break the line format.
fn field(s: Option<&str>) -> String {
    match s {
        None => "-".to_string(),
        Some("") => "-".to_string(),
        Some(s) => s.replace('\n', "\\n").replace('|', "¦"),
    }
}

/// Renders a processed page (or its rejection) in the expected-file format.
fn render(result: &Result<Page, zonefacts::pipeline::Rejection>) -> String {
    let mut out = String::new();
    let page = match result {
        Ok(page) => page,
        Err(r) => {
            let _ = writeln!(out, "# rejected: {}: {}", r.kind, r.reason);
            return out;
        }
    };
    let _ = writeln!(out, "{ARTICLES_HEADER}");
    for a in &page.articles {
        let zone = a.zone.map(|i| a.zones[i].name.as_str());
        let authors = a.authors.join(", ");
        let _ = writeln!(
            out,
            "{} | {} | {} | {}",
            field(a.title.as_deref()),
            field(a.subtitle.as_deref()),
            field(zone),
            field(Some(&authors)),
        );
    }
    let _ = writeln!(out, "{FIGURES_HEADER}");
    for a in &page.articles {
        for f in &a.figures {
            let zone = f.zone.map(|i| a.zones[i].name.as_str());
            let _ = writeln!(
                out,
                "{} | {} | {} | {} | {} | {} | {} | {} | {} | {}",
                field(Some(&f.raw_text)),
                format_float(f.value),
                f.value_max.map(format_float).unwrap_or_else(|| "-".into()),
                field(Some(&f.unit)),
                f.qualifier.map(|q| q.as_str()).unwrap_or("-"),
                field(Some(&f.label)),
                field(zone),
                field(f.measure_key.as_deref()),
                f.stat.as_str(),
                field(f.period.as_deref()),
            );
        }
    }
    out
}

/// Lines of a file, without trailing whitespace and without trailing blank lines.
fn lines(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.lines().map(str::trim_end).collect();
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

/// A line diff (longest common subsequence): `  ` same, `- ` expected only, `+ ` actual only.
fn diff(expected: &[&str], actual: &[&str]) -> String {
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i] == actual[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && expected[i] == actual[j] {
            let _ = writeln!(out, "      {}", expected[i]);
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "    - {}", expected[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "    + {}", actual[j]);
            j += 1;
        }
    }
    out
}

/// Every `*.txt` case in the golden folder, sorted by name.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v
}

/// `KNOWN_BUGS`: one `case.txt  reason` per line (`#` comments). These cases keep the right
/// answer in their expected file and are reported, not failed, until the extractor is fixed;
/// a listed case that starts passing fails the run so the list stays true.
fn known_bugs(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("KNOWN_BUGS")).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((n, r)) => (n.to_string(), r.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

#[test]
fn golden_cases() {
    let dir = golden_dir();
    let lex = lexicon();
    let bless = blessing();
    let cases = cases(&dir);
    assert!(!cases.is_empty(), "no golden cases in {}", dir.display());

    let known = known_bugs(&dir);
    let mut failures: Vec<String> = Vec::new();
    let mut still_known: Vec<String> = Vec::new();
    let mut blessed = 0usize;
    for case in &cases {
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .expect("case names are UTF-8");
        let bytes = std::fs::read(case).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        let actual = render(&process_bytes(name, &bytes, &lex));
        let expected_path = case.with_extension("expected");
        // a known bug's expected file holds the right answer: never bless it away
        if bless && !known.contains_key(name) {
            let old = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if old != actual {
                std::fs::write(&expected_path, &actual)
                    .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
                blessed += 1;
            }
            continue;
        }
        if bless && !known.contains_key(name) {
            continue;
        }
        let expected = match std::fs::read_to_string(&expected_path) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!(
                    "{name}: cannot read {} ({e}); run {BLESS_VAR}=1 cargo test --test golden",
                    expected_path.display()
                ));
                continue;
            }
        };
        let (exp, act) = (lines(&expected), lines(&actual));
        if let Some(reason) = known.get(name) {
            if exp == act {
                failures.push(format!(
                    "{name}: listed in KNOWN_BUGS but now passes: remove it from tests/golden/KNOWN_BUGS"
                ));
            } else {
                still_known.push(format!("{name}: {reason}"));
            }
            continue;
        }
        if bless {
            continue;
        }
        if exp != act {
            failures.push(format!(
                "{name}: output differs (- expected, + actual)\n{}",
                diff(&exp, &act)
            ));
        }
    }

    // an expected file whose case was removed or renamed is a mistake, not a pass
    let orphans: Vec<String> = std::fs::read_dir(&dir)
        .expect("golden folder")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "expected"))
        .filter(|p| !p.with_extension("txt").exists())
        .map(|p| p.display().to_string())
        .collect();
    for o in orphans {
        failures.push(format!("{o}: expected file without a .txt case"));
    }

    for name in known.keys() {
        if !cases
            .iter()
            .any(|c| c.file_name().and_then(|n| n.to_str()) == Some(name.as_str()))
        {
            failures.push(format!("KNOWN_BUGS names {name}, which is not a case"));
        }
    }
    if !still_known.is_empty() {
        eprintln!(
            "golden: {} known extractor bugs (tests/golden/KNOWN_BUGS), expected output kept:\n  {}",
            still_known.len(),
            still_known.join("\n  ")
        );
    }
    if bless {
        eprintln!(
            "golden: blessed {blessed} of {} expected files; review `git diff tests/golden`",
            cases.len()
        );
        return;
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden cases failed:\n\n{}\n(if the new output is right: {BLESS_VAR}=1 cargo test --test golden, then review git diff tests/golden)",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
