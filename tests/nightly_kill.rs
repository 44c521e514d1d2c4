//! Atomic output: a run killed with SIGKILL at any moment leaves the previous run's tables
//! complete, byte for byte, with a consistent manifest (or, past the switch, the complete new
//! set); the next run cleans up and finishes normally.

mod common;
mod nightly_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use nightly_support as ns;

/// The files a manifest says were read.
fn manifest_inputs(m: &serde_json::Value) -> BTreeSet<String> {
    ns::outcomes(m).into_keys().collect()
}

/// Every `.txt` file under a corpus folder, relative, `/`-separated.
fn corpus_files(root: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, acc: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, acc);
            } else if p.extension().is_some_and(|x| x == "txt") {
                let rel = p.strip_prefix(root).unwrap();
                acc.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut acc = BTreeSet::new();
    walk(root, root, &mut acc);
    acc
}

/// The manifest agrees with the files beside it: every listed output has its size.
fn assert_manifest_consistent(out: &Path, m: &serde_json::Value) {
    for o in m["outputs"].as_array().unwrap() {
        let name = o["file"].as_str().unwrap();
        let len = std::fs::metadata(out.join(name))
            .unwrap_or_else(|e| panic!("{name} listed in the manifest: {e}"))
            .len();
        assert_eq!(Some(len), o["bytes"].as_u64(), "{name} size");
    }
}

#[test]
fn killed_runs_leave_the_previous_tables_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let input_a = tmp.path().join("a");
    let input_b = tmp.path().join("b");
    ns::gen_corpus(&input_a, "3M", "0.05", 7);
    ns::copy_tree(&input_a, &input_b);
    let files: Vec<String> = corpus_files(&input_b).into_iter().collect();
    for f in &files[..3] {
        std::fs::remove_file(input_b.join(f)).unwrap();
    }
    for f in &files[10..12] {
        let mut t = std::fs::read_to_string(input_b.join(f)).unwrap_or_default();
        t.push_str("\n\n");
        t.push_str(&ns::seed_text());
        std::fs::write(input_b.join(f), t).unwrap();
    }
    std::fs::write(input_b.join("added.txt"), ns::seed_text()).unwrap();
    let inputs = [input_a.clone(), input_b.clone()];
    let expected_inputs = [corpus_files(&input_a), corpus_files(&input_b)];

    // the two states an output folder may be in: the tables of input a, or of input b
    let out = tmp.path().join("out");
    let clock = Instant::now();
    let (code, err) = ns::run(&ns::run_args(&input_a, &out, &[]));
    assert_eq!(code, Some(0), "{err}");
    let first_run = clock.elapsed();
    let reference_b = tmp.path().join("ref_b");
    let clock = Instant::now();
    let (code, err) = ns::run(&ns::run_args(&input_b, &reference_b, &["--full"]));
    assert_eq!(code, Some(0), "{err}");
    // the duration of a run that extracts every file (the faster of two, against noise)
    let full_run = clock.elapsed().min(first_run);
    let snapshots = [ns::tables(&out), ns::tables(&reference_b)];
    assert_ne!(snapshots[0], snapshots[1]);

    let mut current = 0usize;
    let mut manifest_bytes = std::fs::read(out.join("_manifest.json")).unwrap();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let fractions = [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.97, 1.05];
    for (i, frac) in fractions.iter().enumerate() {
        let target = 1 - current;
        // odd kills hit incremental runs, which are shorter (cached files are not extracted)
        let (extra, span): (&[&str], _) = if i % 2 == 0 {
            (&["--full"], full_run)
        } else {
            (&[], full_run / 2)
        };
        let args = ns::run_args(&inputs[target], &out, extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_zonefacts"))
            .args(&args)
            .current_dir(common::root())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(tmp.path().join(format!("kill-{i}.log"))).unwrap())
            .spawn()
            .unwrap();
        std::thread::sleep(span.mul_f64(*frac));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();

        let now = ns::tables(&out);
        let m = ns::manifest(&out);
        assert_manifest_consistent(&out, &m);
        if now == snapshots[current] {
            assert!(
                std::fs::read(out.join("_manifest.json")).unwrap() == manifest_bytes,
                "kill {i} at {frac}: tables untouched, so the manifest must be too"
            );
            assert_eq!(manifest_inputs(&m), expected_inputs[current]);
            *seen.entry("before the switch").or_default() += 1;
        } else {
            assert!(
                now == snapshots[target],
                "kill {i} at {frac} (status {status}): the tables are neither the previous set nor the new one"
            );
            assert_eq!(manifest_inputs(&m), expected_inputs[target]);
            *seen
                .entry(if finished {
                    "finished"
                } else {
                    "after the switch"
                })
                .or_default() += 1;
            current = target;
            manifest_bytes = std::fs::read(out.join("_manifest.json")).unwrap();
        }
    }
    let logs: Vec<String> = (0..fractions.len())
        .map(|i| std::fs::read_to_string(tmp.path().join(format!("kill-{i}.log"))).unwrap())
        .collect();
    let takeovers = logs
        .iter()
        .filter(|l| l.contains("taking over the lock"))
        .count();
    let cleanups = logs
        .iter()
        .filter(|l| l.contains("left by an interrupted run"))
        .count();
    eprintln!(
        "kill outcomes over {} kills: {seen:?}; later runs took over a dead lock {takeovers} times and removed leftovers {cleanups} times (full run {full_run:?})",
        fractions.len()
    );
    assert!(takeovers >= 1, "a killed holder's lock is taken over");
    assert!(
        seen.get("before the switch").copied().unwrap_or(0) >= 3,
        "most kills land mid-run: {seen:?}"
    );

    // the next run cleans up and finishes normally, incrementally
    let target = 1 - current;
    let (code, err) = ns::run(&ns::run_args(&inputs[target], &out, &[]));
    assert_eq!(code, Some(0), "{err}");
    assert!(ns::tables(&out) == snapshots[target]);
    assert_manifest_consistent(&out, &ns::manifest(&out));
    let state_dir: Vec<String> = std::fs::read_dir(out.join(".zonefacts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut state_dir = state_dir;
    state_dir.sort();
    // no leftovers of the killed runs: the published generation, and replaced ones that
    // stay readable for output.keep_previous_seconds (each marked retired)
    let current_gen = std::fs::read_link(out.join(".zonefacts/current")).unwrap();
    let (gens, rest): (Vec<&String>, Vec<&String>) =
        state_dir.iter().partition(|n| n.starts_with("gen-"));
    assert_eq!(rest, ["cache", "current", "lock"], "{state_dir:?}");
    for g in &gens {
        let retired = out.join(".zonefacts").join(g).join(".retired").is_file();
        assert_eq!(
            !retired,
            Path::new(g.as_str()) == current_gen,
            "{g}: only the current generation is not retired ({state_dir:?})"
        );
    }
    assert_eq!(
        std::fs::read(out.join(".zonefacts/lock")).unwrap().len(),
        0,
        "the lock is released"
    );
    // and once more back to input a, to be sure nothing stale is reused wrongly
    let (code, err) = ns::run(&ns::run_args(&inputs[current], &out, &[]));
    assert_eq!(code, Some(0), "{err}");
    assert!(ns::tables(&out) == snapshots[current]);
}
