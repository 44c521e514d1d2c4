//! One run at a time: a second run exits at once with code 75 naming the holder and leaves the
//! output untouched; a lock left by a dead process is taken over with a warning.

mod common;
mod nightly_support;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use fs4::FileExt;
use nightly_support as ns;

/// Every path under a folder with its bytes (links followed), to prove nothing changed.
fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let bytes = if e.path().is_file() {
            std::fs::read(e.path()).unwrap()
        } else {
            Vec::new()
        };
        v.push((rel, bytes));
    }
    v
}

#[test]
fn a_second_run_exits_75_and_leaves_the_output_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let input = common::root().join("input");
    let out = tmp.path().join("out");
    ns::run_ok(&input, &out);

    // this test process plays the active run: it holds the flock and names itself
    let lock_path = out.join(".zonefacts").join("lock");
    let mut held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&lock_path)
        .unwrap();
    FileExt::try_lock(&held).unwrap();
    let me = std::process::id();
    write!(
        held,
        r#"{{"pid":{me},"started_at":"2030-01-02T03:04:05Z","version":"test"}}"#
    )
    .unwrap();
    let before = listing(&out);

    let clock = Instant::now();
    let (code, err) = ns::run(&ns::run_args(&input, &out, &["--full"]));
    let took = clock.elapsed();
    assert_eq!(code, Some(75), "{err}");
    assert!(
        err.contains(&format!("pid {me}")) && err.contains("2030-01-02T03:04:05Z"),
        "the message names the holder: {err}"
    );
    assert!(took < Duration::from_secs(5), "exits at once ({took:?})");
    assert!(listing(&out) == before, "the output folder is untouched");

    // the same for log shippers
    let mut args = vec!["--log-format", "json"];
    args.extend(ns::run_args(&input, &out, &[]));
    let (code, err) = ns::run(&args);
    assert_eq!(code, Some(75));
    let line: serde_json::Value = serde_json::from_str(err.lines().last().unwrap()).unwrap();
    assert_eq!(line["event"], "locked");
    assert_eq!(line["pid"], me);

    FileExt::unlock(&held).unwrap();
    drop(held);
    // the holder's record is still in the file, but nobody holds the lock: a dead holder
    let err = ns::run_ok(&input, &out);
    assert!(
        err.contains("taking over the lock") && err.contains(&format!("pid {me}")),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&lock_path).unwrap().len(),
        0,
        "a finished run leaves the lock empty"
    );
}

#[test]
fn a_lock_left_by_a_killed_process_is_taken_over() {
    let tmp = tempfile::tempdir().unwrap();
    let input = common::root().join("input");
    let out = tmp.path().join("out");
    // a real dead process: a sleeping child that took the lock and was killed
    let mut child = hold_lock(&out, "2030-01-02T00:00:00Z");
    let pid = child.id();
    let (code, err) = ns::run(&ns::run_args(&input, &out, &[]));
    assert_eq!(code, Some(75), "{err}");
    assert!(err.contains(&format!("pid {pid}")), "{err}");
    assert!(!out.join("_manifest.json").exists(), "nothing written");

    child.kill().unwrap();
    child.wait().unwrap();
    let err = ns::run_ok(&input, &out);
    assert!(err.contains("taking over the lock"), "{err}");
    assert!(err.contains(&format!("pid {pid}")), "{err}");
    assert!(out.join("_manifest.json").exists());
}

/// Issue 18, item 10: a run that finds the lock held far longer than any run takes (a holder
/// hung on a dead mount, a stopped process) still leaves it alone (exit 75) but says loudly
/// that the holder may be stuck, instead of every later night skipping quietly.
#[test]
fn a_lock_held_for_longer_than_the_limit_is_called_stuck() {
    let tmp = tempfile::tempdir().unwrap();
    let input = common::root().join("input");
    let out = tmp.path().join("out");
    let now = chrono::Utc::now();
    for (hours, stuck) in [(1, false), (30, true)] {
        let since = (now - chrono::Duration::hours(hours))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut child = hold_lock(&out, &since);
        let (code, err) = ns::run(&ns::run_args(&input, &out, &[]));
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(code, Some(75), "{err}");
        assert_eq!(err.contains("may be stuck"), stuck, "held {hours} h: {err}");
    }
}

/// A real other process holding the run lock of `out` (as a run would) and naming itself in
/// the lock file, started at `started_at`; kill it to release the lock.
fn hold_lock(out: &std::path::Path, started_at: &str) -> std::process::Child {
    let lock_path = out.join(".zonefacts").join("lock");
    std::fs::create_dir_all(lock_path.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&lock_path);
    let script = "import fcntl, json, os, sys, time\n\
f = open(sys.argv[1], 'a')\n\
fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n\
f.write(json.dumps({'pid': os.getpid(), 'started_at': sys.argv[2]}))\n\
f.flush()\n\
time.sleep(60)\n";
    let child = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&lock_path)
        .arg(started_at)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read(&lock_path).map_or(0, |b| b.len()) == 0 {
        assert!(Instant::now() < deadline, "the child took the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}
