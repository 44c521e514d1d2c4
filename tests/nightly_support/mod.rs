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

/// Generates a corpus (deterministic for a seed): with `../shared/tools/gen-corpus` when the
/// shared folder sits beside the checkout (as in CI), else with [`builtin_corpus`] from the
/// project's own sample pages, so that `cargo test` passes on a fresh clone alone.
pub fn gen_corpus(out: &Path, size: &str, faults: &str, seed: u32) {
    let Some(shared) = common::shared_if_present() else {
        let bytes = parse_size(size);
        let rate: f64 = faults.parse().expect("fault rate");
        builtin_corpus(out, bytes, rate, seed);
        return;
    };
    let tool = shared.join("tools").join("gen-corpus");
    let o = Command::new("python3")
        .arg(&tool)
        .args(["--seeds"])
        .arg(shared.join("seeds"))
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

fn parse_size(s: &str) -> usize {
    let (num, mult) = match s.chars().last() {
        Some('K') => (&s[..s.len() - 1], 1 << 10),
        Some('M') => (&s[..s.len() - 1], 1 << 20),
        Some('G') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<usize>().expect("size") * mult
}

/// The fault kinds of gen-corpus that fit in a small corpus, in the order they are dealt.
const FAULT_KINDS: &[&str] = &["empty", "binary", "gb18030", "bom", "crlf", "truncated"];

/// A small stand-in for gen-corpus: pages of ~24 KiB recombined from the paragraphs of the
/// sample pages in `input/` (a headline, then paragraphs), spread over shard folders, with
/// `rate` of the files (at least one of each kind) made bad input of the kinds gen-corpus
/// makes, listed in `_faults.csv`.
pub fn builtin_corpus(out: &Path, bytes: usize, rate: f64, seed: u32) {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut dir: Vec<_> = std::fs::read_dir(common::root().join("input"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dir.sort();
    for p in dir {
        let text = std::fs::read_to_string(p).unwrap();
        paragraphs.extend(
            text.split("\n\n")
                .map(str::trim)
                .filter(|t| t.chars().count() >= 40)
                .map(str::to_string),
        );
    }
    let mut state = u64::from(seed)
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1);
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    let files = (bytes / (24 << 10)).max(8);
    let n_faults = ((files as f64 * rate).round() as usize).max(FAULT_KINDS.len());
    let mut faults = String::from("path,kind\n");
    for i in 0..files {
        let rel = format!("shard{:02}/page_{i:05}.txt", i % 4);
        let path = out.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut page = format!("某市高新区新闻第{i}期\n\n");
        while page.len() < 24 << 10 {
            page.push_str(&paragraphs[next(paragraphs.len())]);
            page.push_str("\n\n");
        }
        let fault = (i % (files / n_faults).max(1) == 0
            && i / (files / n_faults).max(1) < n_faults)
            .then(|| FAULT_KINDS[(i / (files / n_faults).max(1)) % FAULT_KINDS.len()]);
        let data: Vec<u8> = match fault {
            None => page.into_bytes(),
            Some("empty") => Vec::new(),
            Some("binary") => (0..4096u32).map(|k| (k * 7 % 256) as u8).collect(),
            Some("gb18030") => encoding_rs::GB18030.encode(&page).0.into_owned(),
            Some("bom") => [&[0xEF, 0xBB, 0xBF][..], page.as_bytes()].concat(),
            Some("crlf") => page.replace('\n', "\r\n").into_bytes(),
            Some(_) => {
                // truncated: cut in the middle of the last character
                let mut b = page.into_bytes();
                while b.last().is_some_and(|c| c.is_ascii()) {
                    b.pop();
                }
                b.pop();
                b
            }
        };
        if let Some(kind) = fault {
            faults.push_str(&format!("{rel},{kind}\n"));
        }
        std::fs::write(&path, data).unwrap();
    }
    std::fs::write(out.join("_faults.csv"), faults).unwrap();
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
