//! Helpers shared by the integration tests: run the real binary, locate shared/.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout (seeds, gold keys, score, gen-corpus). CI clones the repo
/// with shared/ beside it; a test that needs it fails loudly rather than skipping.
pub fn shared() -> PathBuf {
    let p = root().join("..").join("shared");
    assert!(
        p.join("gold").join("score").exists(),
        "the shared/ folder (seeds, gold keys, score) must sit beside the checkout: {}",
        p.display()
    );
    p
}

/// `../shared` when it sits beside the checkout (CI), else `None` (a fresh clone alone).
pub fn shared_if_present() -> Option<PathBuf> {
    let p = root().join("..").join("shared");
    p.join("gold").join("score").exists().then_some(p)
}

/// Runs `zonefacts ARGS` from the crate root.
pub fn zonefacts(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zonefacts"))
        .args(args)
        .current_dir(root())
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the zonefacts binary runs")
}

/// `run --input IN --output OUT EXTRA…` as an argument list.
pub fn run_args<'a>(input: &'a Path, output: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "run",
        "--input",
        input.to_str().expect("utf-8 path"),
        "--output",
        output.to_str().expect("utf-8 path"),
    ];
    v.extend_from_slice(extra);
    v
}

/// Runs `zonefacts run --input IN --output OUT` and asserts exit 0.
pub fn run_ok(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let out = zonefacts(&run_args(input, output, extra));
    assert!(
        out.status.success(),
        "zonefacts run failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Reads a CSV file written by zonefacts (BOM allowed) into header + rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut rdr = csv::ReaderBuilder::new().from_reader(body);
    let header = rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = rdr
        .records()
        .map(|r| r.expect("csv record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Writes the shipped `pipeline.toml`, with `edit` applied and its data files named by
/// absolute path, as `dir/name`, and returns its path: a config that differs in one key.
pub fn config_with(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let shipped = std::fs::read_to_string(root().join("pipeline.toml")).expect("pipeline.toml");
    let data = root().join("data");
    let text = edit(shipped.replace("\"data/", &format!("\"{}/", data.display())));
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the config is written");
    path
}
