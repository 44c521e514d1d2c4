//! Helpers of the nightly-job tests: generated corpora, snapshots of an output folder.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common;
pub use crate::common::run_args;

/// Table files and rejected.csv of a run with the shipped config (both formats).
pub const TABLE_FILES: &[&str] = &[
    "articles.parquet",
    "articles.csv",
    "measures.parquet",
    "measures.csv",
    "zones.parquet",
    "zones.csv",
    "entities.parquet",
    "entities.csv",
    "rejected.csv",
];

/// Generates a corpus with `../shared/tools/gen-corpus` (deterministic for a seed).
pub fn gen_corpus(out: &Path, size: &str, faults: &str, seed: u32) {
    let tool = common::shared().join("tools").join("gen-corpus");
    let o = Command::new("python3")
        .arg(&tool)
        .args(["--seeds"])
        .arg(common::shared().join("seeds"))
        .arg("--out")
        .arg(out)
        .args(["--size", size, "--faults", faults, "--seed"])
        .arg(seed.to_string())
        .args(["--jobs", "1"])
        .output()
        .expect("python3 runs gen-corpus");
    assert!(
        o.status.success(),
        "gen-corpus failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `_faults.csv` of a generated corpus: path → fault kind.
pub fn faults(corpus: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(corpus.join("_faults.csv")).expect("_faults.csv");
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .map(|(p, k)| (p.to_string(), k.to_string()))
        .collect()
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

/// The bytes of every table file present in an output folder (read through the links).
pub fn tables(out: &Path) -> BTreeMap<String, Vec<u8>> {
    TABLE_FILES
        .iter()
        .filter_map(|n| std::fs::read(out.join(n)).ok().map(|b| (n.to_string(), b)))
        .collect()
}

/// The manifest of an output folder, parsed.
pub fn manifest(out: &Path) -> serde_json::Value {
    let bytes = std::fs::read(out.join("_manifest.json")).expect("_manifest.json");
    serde_json::from_slice(&bytes).expect("manifest is JSON")
}

/// source_file → outcome of every input in a manifest.
pub fn outcomes(m: &serde_json::Value) -> BTreeMap<String, String> {
    m["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| {
            (
                i["source_file"].as_str().unwrap().to_string(),
                i["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Asserts that two output folders hold byte-identical tables.
pub fn assert_same_tables(a: &Path, b: &Path) {
    let (x, y) = (tables(a), tables(b));
    assert_eq!(x.len(), TABLE_FILES.len(), "all tables in {}", a.display());
    assert_eq!(
        x.keys().collect::<Vec<_>>(),
        y.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (name, bytes) in &x {
        assert!(bytes == &y[name], "{name} differs");
    }
}

/// Runs zonefacts with arguments and returns (exit code, stderr).
pub fn run(args: &[&str]) -> (Option<i32>, String) {
    let o = common::zonefacts(args);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs `zonefacts run` over `input` into `out` with no extra flags, asserts it exits 0, and
/// returns its stderr.
pub fn run_ok(input: &Path, out: &Path) -> String {
    let (code, err) = run(&run_args(input, out, &[]));
    assert_eq!(code, Some(0), "{err}");
    err
}

/// One seed page's text (a good page).
pub fn seed_text() -> String {
    std::fs::read_to_string(
        common::root()
            .join("input")
            .join("000_8497b564e903e125.txt"),
    )
    .expect("sample page")
}
