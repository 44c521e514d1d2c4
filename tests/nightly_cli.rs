//! Talking to the scheduler: exit codes, `--strict`, `--max-file-size`, log formats,
//! `zonefacts status`, and bad input that never stops the run.

mod common;
mod nightly_support;

use std::path::Path;

use nightly_support as ns;

fn good_and_empty(dir: &Path) {
    std::fs::write(dir.join("good.txt"), ns::seed_text()).unwrap();
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
}

#[test]
fn strict_turns_rejections_into_exit_3_after_publishing() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    good_and_empty(&input);
    let out = tmp.path().join("out");

    let (code, err) = ns::run(&ns::run_args(&input, &out, &[]));
    assert_eq!(code, Some(0), "rejections are not failures: {err}");
    let (code, err) = ns::run(&ns::run_args(&input, &out, &["--strict"]));
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("--strict"), "{err}");
    assert_eq!(
        ns::manifest(&out)["counts"]["rejected"],
        1,
        "still published"
    );

    std::fs::remove_file(input.join("empty.txt")).unwrap();
    let (code, err) = ns::run(&ns::run_args(&input, &out, &["--strict"]));
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn max_file_size_flag_overrides_the_config() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    good_and_empty(&input);
    let out = tmp.path().join("out");
    let (code, err) = ns::run(&ns::run_args(&input, &out, &["--max-file-size", "1K"]));
    assert_eq!(code, Some(0), "{err}");
    let (_, rows) = common::read_csv(&out.join("rejected.csv"));
    let good = rows
        .iter()
        .find(|r| r[0] == "good.txt")
        .expect("good.txt rejected");
    assert_eq!(good[2], "too_large");
    assert!(good[1].contains("1024 bytes"), "{}", good[1]);

    let (code, err) = ns::run(&ns::run_args(&input, &out, &["--max-file-size", "64M"]));
    assert_eq!(code, Some(0), "{err}");
    let (_, rows) = common::read_csv(&out.join("rejected.csv"));
    assert_eq!(rows.len(), 1, "only the empty file");

    for bad in ["0", "12X", "lots"] {
        let (code, _) = ns::run(&ns::run_args(&input, &out, &["--max-file-size", bad]));
        assert_eq!(code, Some(2), "--max-file-size {bad}");
    }
}

#[test]
fn logs_are_plain_lines_or_json_with_one_summary_line() {
    let tmp = tempfile::tempdir().unwrap();
    let input = common::root().join("input");
    let out = tmp.path().join("out");

    // not a terminal: plain lines, no progress bar escapes, a summary line last
    let err = ns::run_ok(&input, &out);
    assert!(!err.contains('\r') && !err.contains('\x1b'), "{err:?}");
    assert!(err.lines().all(|l| l.starts_with("zonefacts: ")), "{err}");
    let last = err.lines().last().unwrap();
    for part in [
        "done: 3 files",
        "3 new",
        "0 changed",
        "0 reused",
        "0 rejected",
        "articles",
        "figures",
        "s -> ",
    ] {
        assert!(last.contains(part), "summary has {part:?}: {last}");
    }

    let mut args = vec!["--log-format", "json"];
    args.extend(ns::run_args(&input, &out, &[]));
    let (code, err) = ns::run(&args);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<serde_json::Value> = err
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(lines
        .iter()
        .all(|l| l["ts"].is_string() && l["level"].is_string()));
    let summary = lines.last().unwrap();
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["files"], 3);
    assert_eq!(summary["reused"], 3);
    assert_eq!(summary["rejected"], 0);
    assert!(summary["articles"].as_u64().unwrap() > 10);
    assert!(summary["figures"].as_u64().unwrap() > 10);
    assert!(summary["seconds"].is_f64());

    // errors too are JSON lines, with the usage exit code
    let (code, err) = ns::run(&[
        "--log-format",
        "json",
        "run",
        "--input",
        "/nonexistent/zonefacts-input",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2));
    let line: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(line["level"], "error");
}

#[test]
fn status_prints_the_last_run_or_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    good_and_empty(&input);
    let out = tmp.path().join("out");
    let o = common::zonefacts(&["status", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no _manifest.json"));

    ns::run_ok(&input, &out);
    let o = common::zonefacts(&["status", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let s = String::from_utf8_lossy(&o.stdout);
    for part in [
        "files      2: 1 new, 0 changed, 0 reused, 0 rebuilt, 1 rejected",
        "full rebuild (no previous run in this output folder)",
        "articles.parquet",
        "rejected (1)",
        "empty.txt  [empty]",
        "lock       free",
    ] {
        assert!(s.contains(part), "status shows {part:?}:\n{s}");
    }
    let o = common::zonefacts(&["status", "--json", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(m["counts"]["files"], 2);
}

#[test]
fn help_lists_every_exit_code() {
    for args in [&["--help"][..], &["run", "--help"][..]] {
        let o = common::zonefacts(args);
        assert!(o.status.success());
        let help = String::from_utf8_lossy(&o.stdout);
        for code in ["  0 ", "  1 ", "  2 ", "  3 ", "  75 "] {
            assert!(
                help.contains(code),
                "{args:?} --help lists exit code {code:?}"
            );
        }
    }
    let o = common::zonefacts(&["run", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    for flag in ["--full", "--strict", "--max-file-size", "--log-format"] {
        assert!(help.contains(flag), "run --help mentions {flag}");
    }
}

#[test]
fn unreadable_vanished_and_one_line_files_do_not_stop_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("good.txt"), ns::seed_text()).unwrap();
    // a link whose file is gone (as if deleted between listing and reading)
    std::os::unix::fs::symlink(tmp.path().join("nowhere.txt"), input.join("gone.txt")).unwrap();
    // about 1 MB of text without a single newline
    let page = ns::seed_text().replace('\n', " ");
    let one_line = page.repeat(1_000_000 / page.len() + 1);
    std::fs::write(input.join("one_line.txt"), &one_line).unwrap();

    let out = tmp.path().join("out");
    ns::run_ok(&input, &out);
    let m = ns::manifest(&out);
    let by_file = |f: &str| {
        m["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["source_file"] == f)
            .unwrap_or_else(|| panic!("{f} in the manifest"))
            .clone()
    };
    let gone = by_file("gone.txt");
    assert_eq!(gone["status"], "rejected");
    assert_eq!(gone["kind"], "unreadable");
    let line = by_file("one_line.txt");
    assert_eq!(line["status"], "processed", "{line}");
    assert!(line["measures"].as_u64().unwrap() > 100);
    assert_eq!(by_file("good.txt")["status"], "processed");
}

#[test]
fn generated_faults_are_rejected_or_processed_as_their_kind_requires() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    // 3 MiB at 5 %: one file of each fault kind except the multi-MB longline
    ns::gen_corpus(&corpus, "3M", "0.05", 7);
    let faults = ns::faults(&corpus);
    assert!(faults.len() >= 6);
    let out = tmp.path().join("out");
    ns::run_ok(&corpus, &out);
    let m = ns::manifest(&out);
    for (path, kind) in &faults {
        let rec = m["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["source_file"] == path.as_str())
            .unwrap_or_else(|| panic!("{path} in the manifest"));
        match kind.as_str() {
            "empty" | "binary" => {
                assert_eq!(rec["status"], "rejected", "{path} ({kind})");
                assert_eq!(rec["kind"], kind.as_str());
                assert!(rec["reason"].as_str().unwrap().len() > 10);
            }
            "gb18030" | "bom" | "crlf" => assert_eq!(rec["status"], "processed", "{path}"),
            "truncated" => {
                assert_eq!(rec["status"], "processed", "{path}");
                assert!(rec["warnings"][0].as_str().unwrap().contains("truncated"));
            }
            "longline" => assert!(
                rec["status"] == "processed" || rec["reason"].is_string(),
                "{path}"
            ),
            other => panic!("unknown fault kind {other}"),
        }
    }
    let (_, rejected) = common::read_csv(&out.join("rejected.csv"));
    let expected = faults
        .values()
        .filter(|k| *k == "empty" || *k == "binary")
        .count();
    assert_eq!(
        rejected.len(),
        expected,
        "only empty and binary files are rejected"
    );
}

#[test]
fn an_emptied_input_folder_does_not_wipe_last_nights_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    ns::copy_tree(&common::root().join("input"), &input);
    ns::run_ok(&input, &out);
    let before = ns::tables(&out);
    // the share is not mounted tonight: an empty folder
    for e in std::fs::read_dir(&input).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
    let (code, err) = ns::run(&ns::run_args(&input, &out, &[]));
    assert_eq!(code, Some(4), "{err}");
    assert!(err.contains("refusing to publish"), "{err}");
    assert!(before == ns::tables(&out), "the previous tables stay");
    // an operator who removed the files on purpose says so
    let (code, err) = ns::run(&ns::run_args(&input, &out, &["--allow-shrink"]));
    assert_eq!(code, Some(0), "{err}");
    let (_, rows) = common::read_csv(&out.join("articles.csv"));
    assert!(rows.is_empty());
}

/// A disk that fills while the workbook is written: the run fails with exit 1, every line of
/// its JSON log parses (the zip writer's own drop message used to land in the middle of the
/// error line), last night's workbook stays published, and no staging is left behind. The
/// full disk is a file size limit (`ulimit -f`, with SIGXFSZ ignored so that writes fail
/// with EFBIG instead of killing the process) just below the workbook's size: the other
/// files of the run are smaller.
#[cfg(unix)]
#[test]
fn a_disk_full_while_writing_the_workbook_keeps_the_json_log_parseable() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    ns::gen_corpus(&input, "2M", "0", 11);
    let config = common::config_with(tmp.path(), "xlsx.toml", |t| {
        t.replace(
            "formats = [\"parquet\", \"csv\", \"xlsx\", \"report\"]",
            "formats = [\"xlsx\"]",
        )
    });
    let config = config.to_str().unwrap();
    common::run_ok(&input, &out, &["--config", config]);
    let workbook = std::fs::read(out.join("zonefacts.xlsx")).unwrap();
    let limit_kib = workbook.len() / 1024 - 1;
    assert!(limit_kib > 256, "a workbook of {} bytes", workbook.len());

    let mut args = vec!["--log-format", "json"];
    args.extend(ns::run_args(&input, &out, &["--config", config, "--full"]));
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {limit_kib}; exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_zonefacts"))
        .args(&args)
        .current_dir(common::root())
        .output()
        .expect("bash runs zonefacts");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let lines: Vec<serde_json::Value> = err
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    let last = lines.last().expect("an error line");
    assert_eq!(last["level"], "error", "{err}");
    let msg = last["msg"].as_str().unwrap();
    assert!(
        msg.contains("workbook") || msg.contains("zonefacts.xlsx"),
        "the workbook is what did not fit: {msg}"
    );
    assert!(msg.contains("File too large"), "{msg}");
    assert!(
        std::fs::read(out.join("zonefacts.xlsx")).unwrap() == workbook,
        "last night's workbook stays published"
    );
    let state: Vec<String> = std::fs::read_dir(out.join(".zonefacts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("staging"))
        .collect();
    assert!(state.is_empty(), "no staging left: {state:?}");
}
