//! Scale-out: 4 shards run as separate processes, then merged, give the tables of a single run
//! byte for byte; the part files are a readable dataset on their own.

mod common;

use std::process::Command;

#[test]
fn four_shards_merged_equal_a_single_run() {
    let input = common::root().join("tests").join("golden");
    let tmp = tempfile::tempdir().unwrap();
    let dataset = tmp.path().join("dataset");
    let single = tmp.path().join("single");
    let merged = tmp.path().join("merged");

    // the shards are independent processes started together, as a scheduler would
    let children: Vec<_> = (0..4)
        .map(|k| {
            Command::new(env!("CARGO_BIN_EXE_zonefacts"))
                .current_dir(common::root())
                .args(["run", "--jobs", "1", "--shard", &format!("{k}/4")])
                .arg("--input")
                .arg(&input)
                .arg("--output")
                .arg(&dataset)
                .spawn()
                .expect("shard starts")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a shard failed");
    }
    let mut rows = 0;
    for k in 0..4 {
        let part = dataset
            .join("csv")
            .join("articles")
            .join(format!("part-{k}-of-4.csv"));
        let (_, r) = common::read_csv(&part);
        assert!(!r.is_empty(), "shard {k} has articles");
        rows += r.len();
        assert!(dataset
            .join("parquet")
            .join("measures")
            .join(format!("part-{k}-of-4.parquet"))
            .exists());
        // each format in its own tree: a table folder holds one format only
        assert!(!dataset.join("measures").exists());
    }

    let o = merge(&dataset, &merged);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    common::run_ok(&input, &single, &["--full"]);

    for t in ["articles", "measures", "zones", "entities"] {
        for ext in ["parquet", "csv"] {
            let name = format!("{t}.{ext}");
            let a = std::fs::read(single.join(&name)).unwrap();
            let b = std::fs::read(merged.join(&name)).unwrap();
            assert!(a == b, "{name}: merged shards differ from a single run");
        }
    }
    assert_eq!(
        std::fs::read(single.join("rejected.csv")).unwrap(),
        std::fs::read(merged.join("rejected.csv")).unwrap()
    );
    let (_, all) = common::read_csv(&single.join("articles.csv"));
    assert_eq!(rows, all.len(), "the parts hold every article once");
}

#[test]
fn merge_refuses_an_incomplete_dataset() {
    let input = common::root().join("input");
    let tmp = tempfile::tempdir().unwrap();
    let dataset = tmp.path().join("dataset");
    run_shard("0/3", &input, &dataset);
    let o = merge(&dataset, &tmp.path().join("m"));
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("1/3") && err.contains("2/3"), "{err}");
}

#[test]
fn merge_refuses_a_cut_off_shard_file() {
    let input = common::root().join("input");
    let tmp = tempfile::tempdir().unwrap();
    let dataset = tmp.path().join("dataset");
    run_shard("0/1", &input, &dataset);
    let merged = tmp.path().join("m");
    assert!(
        merge(&dataset, &merged).status.success(),
        "the whole file merges"
    );
    let pages = dataset.join("_pages").join("part-0-of-1.msgpack");
    let bytes = std::fs::read(&pages).unwrap();
    let before = std::fs::read(merged.join("articles.csv")).unwrap();
    // cut inside the end marker, and in the middle of an entry
    for cut in [bytes.len() - 12, bytes.len() / 2] {
        std::fs::write(&pages, &bytes[..cut]).unwrap();
        let o = merge(&dataset, &merged);
        assert!(!o.status.success(), "a file cut at {cut} bytes is refused");
        let err = String::from_utf8_lossy(&o.stderr);
        // the checksum in the part's stamp catches it before any page is read
        assert!(err.contains("part-0-of-1.msgpack is damaged"), "{err}");
        assert_eq!(
            std::fs::read(merged.join("articles.csv")).unwrap(),
            before,
            "the published tables stay as they were"
        );
    }
}

/// Issue 18, item 5: a part that is last night's leftover, was made under another config or
/// program version, or has a changed byte is refused by `merge` with exit 1 naming the part
/// (it used to merge into wrong tables with exit 0); an absurd shard count is refused up front.
#[test]
fn merge_refuses_parts_of_another_run_config_or_version_and_damaged_ones() {
    let input = common::root().join("input");
    let tmp = tempfile::tempdir().unwrap();
    let dataset = tmp.path().join("dataset");
    let merged = tmp.path().join("m");
    // `--config FILE` goes before the subcommand, the rest after it
    let shard = |spec: &str, extra: &[&str]| {
        let (global, rest) = match extra {
            ["--config", file, rest @ ..] => (vec!["--config", *file], rest.to_vec()),
            _ => (Vec::new(), extra.to_vec()),
        };
        let mut args = global;
        args.extend([
            "run",
            "--shard",
            spec,
            "--input",
            input.to_str().unwrap(),
            "--output",
            dataset.to_str().unwrap(),
        ]);
        args.extend(rest);
        let o = common::zonefacts(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let refused = |extra: &[&str], says: &str| {
        let o = merge_with(&dataset, &merged, extra);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{says}: {err}");
        assert!(err.contains(says), "expected {says:?}: {err}");
    };
    shard("0/2", &[]);
    shard("0/2", &["--run-id", "night-2"]);
    shard("1/2", &["--run-id", "night-2"]);
    assert!(merge(&dataset, &merged).status.success());
    refused(
        &["--run-id", "night-3"],
        "part-0-of-2.msgpack was made by run \"night-2\"",
    );

    // last night's leftover beside tonight's part
    shard("1/2", &["--run-id", "night-1"]);
    refused(&[], "part-1-of-2.msgpack was made by run \"night-1\"");
    shard("1/2", &["--run-id", "night-2"]);

    // another config
    let other_path = common::config_with(tmp.path(), "other.toml", |t| {
        t.replacen("min_chars = 60", "min_chars = 80", 1)
    });
    shard(
        "1/2",
        &[
            "--config",
            other_path.to_str().unwrap(),
            "--run-id",
            "night-2",
        ],
    );
    refused(&[], "part-1-of-2.msgpack was made with another config file");
    shard("1/2", &["--run-id", "night-2"]);

    // another program version
    let stamp = dataset.join("_pages").join("part-1-of-2.stamp.json");
    let text = std::fs::read_to_string(&stamp).unwrap();
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version), "{text}");
    std::fs::write(&stamp, text.replace(&version, "\"version\": \"0.0.9\"")).unwrap();
    refused(&[], "part-1-of-2.msgpack was written by zonefacts 0.0.9");
    std::fs::write(&stamp, &text).unwrap();
    assert!(merge(&dataset, &merged).status.success());

    // a changed byte that still decodes: one character of a page's text for another
    let pages = dataset.join("_pages").join("part-0-of-2.msgpack");
    let bytes = std::fs::read(&pages).unwrap();
    let (from, to) = ("高新区".as_bytes(), "开发区".as_bytes());
    let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
    let mut changed = bytes.clone();
    changed[at..at + from.len()].copy_from_slice(to);
    std::fs::write(&pages, &changed).unwrap();
    refused(&[], "part-0-of-2.msgpack is damaged");
    std::fs::write(&pages, &bytes).unwrap();

    // no stamp: cut off before it was written, or an older zonefacts
    std::fs::remove_file(&stamp).unwrap();
    refused(&[], "part-1-of-2.msgpack has no stamp");

    let o = common::zonefacts(&[
        "run",
        "--shard",
        "0/4294967295",
        "--input",
        input.to_str().unwrap(),
        "--output",
        dataset.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("4096"));
}

/// `zonefacts merge --input dataset --output out`.
fn merge(dataset: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    merge_with(dataset, out, &[])
}

/// `zonefacts merge --input dataset --output out EXTRA…`.
fn merge_with(
    dataset: &std::path::Path,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "merge",
        "--input",
        dataset.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    common::zonefacts(&args)
}

/// Runs one shard of the seed input into `dataset`; it must succeed.
fn run_shard(spec: &str, input: &std::path::Path, dataset: &std::path::Path) {
    let out = common::zonefacts(&[
        "run",
        "--shard",
        spec,
        "--input",
        input.to_str().unwrap(),
        "--output",
        dataset.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "shard {spec}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
