//! A reader of several tables during publishing (issue 18, item 1): a notebook that reads
//! `articles` and then `measures` while the nightly run publishes must get both from one run,
//! and must not find the run it started on deleted under it. The documented way: resolve
//! `OUTPUT/current` once and read every table from the folder it names.
//!
//! The reader here uses the arrow-rs `parquet` crate (not polars, which wrote the files) and
//! checks each table's row count against the manifest of the same folder. Every publication
//! has its own counts (one input file grows by a paragraph each time), so two runs mixed in one
//! read would not match.

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use parquet::file::reader::{FileReader, SerializedFileReader};

const TABLES: [&str; 4] = ["articles", "measures", "entities", "zones"];
const PUBLICATIONS: usize = 30;

/// A page in the style of the seeds (written for this test) whose body grows with `n`: one
/// more sentence with one more figure per publication.
fn growing_page(n: usize) -> String {
    let mut text =
        String::from("南湖高新区新闻\n\n南湖高新区加快建设创新型产业集群\n本报记者 林晓\n\n");
    for i in 0..=n {
        text.push_str(&format!(
            "第{}批项目中,南湖高新区新签约科技企业{}家,总投资{}亿元。\n",
            i + 1,
            10 + i,
            20 + i * 3
        ));
    }
    text
}

/// What one read of a generation found: the manifest's counts and the tables' rows.
fn read_generation(gen: &Path) -> Result<(Vec<u64>, Vec<u64>), String> {
    let manifest = std::fs::read_to_string(gen.join("_manifest.json"))
        .map_err(|e| format!("manifest: {e}"))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&manifest).map_err(|e| format!("manifest: {e}"))?;
    let mut expected = Vec::new();
    let mut found = Vec::new();
    for t in TABLES {
        expected.push(manifest["counts"][t].as_u64().ok_or("manifest counts")?);
        let path = gen.join(format!("{t}.parquet"));
        let f = File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let reader = SerializedFileReader::new(f).map_err(|e| format!("{t}: {e}"))?;
        found.push(reader.metadata().file_metadata().num_rows() as u64);
    }
    Ok((expected, found))
}

#[test]
fn a_reader_of_the_resolved_run_never_sees_two_runs_mixed_nor_a_deleted_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let output = dir.path().join("out");
    std::fs::create_dir_all(&input).unwrap();
    for e in std::fs::read_dir(common::root().join("input")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), input.join(e.file_name())).unwrap();
    }
    let grower = input.join("zz_growing.txt");
    std::fs::write(&grower, growing_page(0)).unwrap();
    common::run_ok(&input, &output, &["--jobs", "1"]);

    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let stop = Arc::clone(&stop);
        let snapshot: PathBuf = output.join("current");
        std::thread::spawn(move || {
            let (mut reads, mut mixed, mut failed) = (0usize, Vec::new(), Vec::new());
            let mut generations = std::collections::BTreeSet::new();
            while !stop.load(Ordering::Relaxed) {
                // resolve once, then read every table from that folder
                let gen = match std::fs::canonicalize(&snapshot) {
                    Ok(g) => g,
                    Err(e) => {
                        failed.push(format!("resolve: {e}"));
                        continue;
                    }
                };
                match read_generation(&gen) {
                    Ok((expected, found)) if expected == found => reads += 1,
                    Ok((expected, found)) => mixed.push(format!("{expected:?} vs {found:?}")),
                    Err(e) => failed.push(e),
                }
                generations.insert(gen);
            }
            (reads, mixed, failed, generations.len())
        })
    };
    for n in 1..=PUBLICATIONS {
        std::fs::write(&grower, growing_page(n)).unwrap();
        common::run_ok(&input, &output, &["--jobs", "1"]);
    }
    stop.store(true, Ordering::Relaxed);
    let (reads, mixed, failed, generations) = reader.join().unwrap();
    eprintln!(
        "{PUBLICATIONS} publications: {reads} consistent reads of {generations} runs, {} mixed, \
         {} failed",
        mixed.len(),
        failed.len()
    );
    assert!(mixed.is_empty(), "mixed reads: {mixed:?}");
    assert!(
        failed.is_empty(),
        "failed reads: {:?}",
        &failed[..failed.len().min(5)]
    );
    assert!(reads >= PUBLICATIONS, "only {reads} reads");
    assert!(generations > 1, "the reader saw only one run");

    // the runs replaced within the keep time are all still readable; the tables through the
    // per-table links are the newest run's
    let state = output.join(".zonefacts");
    let kept = std::fs::read_dir(&state)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert_eq!(kept, PUBLICATIONS + 1);
    let newest = read_generation(&std::fs::canonicalize(output.join("current")).unwrap()).unwrap();
    let through_links = read_generation(&output).unwrap();
    assert_eq!(newest, through_links);
}

#[test]
fn replaced_runs_go_at_once_when_the_keep_time_is_zero() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let output = dir.path().join("out");
    std::fs::create_dir_all(&input).unwrap();
    let grower = input.join("page.txt");
    let config_path = common::config_with(dir.path(), "p.toml", |t| {
        t.replacen(
            "keep_previous_seconds = 3600",
            "keep_previous_seconds = 0",
            1,
        )
    });
    let config = std::fs::read_to_string(&config_path).unwrap();
    assert!(config.contains("keep_previous_seconds = 0"));
    for n in 0..3 {
        std::fs::write(&grower, growing_page(n)).unwrap();
        common::run_ok(
            &input,
            &output,
            &["--config", config_path.to_str().unwrap()],
        );
    }
    let gens: Vec<String> = std::fs::read_dir(output.join(".zonefacts"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    assert_eq!(gens.len(), 1, "{gens:?}");
}
