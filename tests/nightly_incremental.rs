//! Incremental runs: only new and changed files are extracted, removed files leave the
//! tables, a new config or program rebuilds everything, and the tables are byte-identical to
//! a `--full` run on the same input.

mod common;
mod nightly_support;

use nightly_support as ns;

#[test]
fn incremental_run_matches_a_full_run_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    ns::gen_corpus(&input, "1M", "0.05", 11);

    // first run: everything is new
    ns::run_ok(&input, &out);
    let m1 = ns::manifest(&out);
    assert_eq!(
        m1["rebuild_reason"],
        "no previous run in this output folder"
    );
    let first = ns::outcomes(&m1);
    assert!(first.len() >= 30, "{} files", first.len());
    assert!(first.values().all(|o| o == "new" || o == "rejected"));
    assert!(
        first.values().any(|o| o == "rejected"),
        "the corpus has faults"
    );

    // the night's changes: one file edited, one removed, one added, one empty file added
    let good: Vec<&String> = first
        .iter()
        .filter(|(_, o)| *o == "new")
        .map(|(f, _)| f)
        .collect();
    let (edited, removed) = (good[3].clone(), good[7].clone());
    let mut text = std::fs::read_to_string(input.join(&edited)).unwrap();
    text.push_str("\n\n");
    text.push_str(&ns::seed_text());
    std::fs::write(input.join(&edited), text).unwrap();
    std::fs::remove_file(input.join(&removed)).unwrap();
    std::fs::create_dir_all(input.join("extra")).unwrap();
    std::fs::write(input.join("extra/added.txt"), ns::seed_text()).unwrap();
    std::fs::write(input.join("extra/empty.txt"), b"").unwrap();

    ns::run_ok(&input, &out);
    let m2 = ns::manifest(&out);
    assert!(m2["rebuild_reason"].is_null(), "an incremental run");
    let second = ns::outcomes(&m2);
    assert_eq!(second[&edited], "changed");
    assert_eq!(second["extra/added.txt"], "new");
    assert_eq!(second["extra/empty.txt"], "rejected");
    assert!(!second.contains_key(&removed));
    assert_eq!(m2["removed"], serde_json::json!([removed]));
    let reused = second.values().filter(|o| *o == "reused").count();
    assert_eq!(
        reused,
        good.len() - 2,
        "every untouched good file is reused"
    );
    let c = &m2["counts"];
    assert_eq!(
        (
            c["new"].as_u64(),
            c["changed"].as_u64(),
            c["removed"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(
        c["extracted"].as_u64(),
        Some(3),
        "only the edited, the added and the empty file are extracted"
    );
    let (_, articles) = common::read_csv(&out.join("articles.csv"));
    assert!(
        articles.iter().all(|r| r[1] != removed),
        "removed rows left"
    );
    assert!(articles.iter().any(|r| r[1] == "extra/added.txt"));

    // a full run on the same input, in a fresh folder and in place, writes the same bytes
    let full = tmp.path().join("full");
    let (code, err) = ns::run(&ns::run_args(&input, &full, &["--full"]));
    assert_eq!(code, Some(0), "{err}");
    ns::assert_same_tables(&out, &full);
    let before = ns::tables(&out);
    let (code, err) = ns::run(&ns::run_args(&input, &out, &["--full"]));
    assert_eq!(code, Some(0), "{err}");
    let m3 = ns::manifest(&out);
    assert_eq!(m3["rebuild_reason"], "--full was given");
    assert!(ns::outcomes(&m3)
        .values()
        .all(|o| o == "rebuilt" || o == "rejected"));
    assert!(ns::tables(&out) == before, "--full in place: same bytes");

    // a damaged cache entry is a miss, not a wrong row
    let state = out.join(".zonefacts").join("cache");
    for key_dir in std::fs::read_dir(&state).unwrap() {
        for e in std::fs::read_dir(key_dir.unwrap().path()).unwrap() {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
        }
    }
    // nothing changed: the published tables are linked again, the cache is not even read
    ns::run_ok(&input, &out);
    let quiet = ns::manifest(&out);
    assert_eq!(quiet["counts"]["extracted"].as_u64(), Some(0));
    assert!(ns::tables(&out) == before, "a quiet night: same bytes");
    // one new file makes the run rebuild the tables: the damaged entries are misses
    std::fs::write(input.join("extra/added_again.txt"), ns::seed_text()).unwrap();
    ns::run_ok(&input, &out);
    let m4 = ns::manifest(&out);
    assert_eq!(m4["counts"]["reused"].as_u64(), Some(0));
    let full2 = tmp.path().join("full2");
    let (code, err) = ns::run(&ns::run_args(&input, &full2, &["--full"]));
    assert_eq!(code, Some(0), "{err}");
    ns::assert_same_tables(&out, &full2);
}

#[test]
fn a_new_config_or_program_version_rebuilds_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let input = common::root().join("input");
    let out = tmp.path().join("out");
    ns::run_ok(&input, &out);

    ns::run_ok(&input, &out);
    let m = ns::manifest(&out);
    assert_eq!(m["counts"]["reused"].as_u64(), Some(3));
    assert_eq!(m["counts"]["extracted"].as_u64(), Some(0));
    let tables = ns::tables(&out);

    // the same config with one more comment line is another config
    let cfg_dir = tmp.path().join("cfg");
    std::fs::create_dir_all(cfg_dir.join("data")).unwrap();
    for data in ["data/zones.csv", "data/places.txt"] {
        std::fs::copy(common::root().join(data), cfg_dir.join(data)).unwrap();
    }
    let text = std::fs::read_to_string(common::root().join("pipeline.toml")).unwrap();
    let cfg = cfg_dir.join("pipeline.toml");
    std::fs::write(&cfg, format!("# tuned\n{text}")).unwrap();
    let mut args = vec!["--config", cfg.to_str().unwrap()];
    args.extend(ns::run_args(&input, &out, &[]));
    let (code, err) = ns::run(&args);
    assert_eq!(code, Some(0), "{err}");
    let m = ns::manifest(&out);
    assert_eq!(m["rebuild_reason"], "the configuration changed");
    assert_eq!(m["counts"]["rebuilt"].as_u64(), Some(3));
    assert_eq!(m["counts"]["extracted"].as_u64(), Some(3));
    assert!(ns::tables(&out) == tables);

    // outputs of an older program version: its state names that version, and its cache sits
    // under its own key
    let state_path = out.join(".zonefacts/current/state.json");
    let mut state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state_path).unwrap()).unwrap();
    state["key"]["version"] = "0.0.1".into();
    std::fs::write(&state_path, serde_json::to_vec(&state).unwrap()).unwrap();
    let cache = out.join(".zonefacts/cache");
    let key_dir = std::fs::read_dir(&cache)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::rename(&key_dir, cache.join("0123456789abcdef")).unwrap();
    let (code, err) = ns::run(&args);
    assert_eq!(code, Some(0), "{err}");
    let m = ns::manifest(&out);
    assert!(
        m["rebuild_reason"]
            .as_str()
            .unwrap()
            .contains("program version changed"),
        "{}",
        m["rebuild_reason"]
    );
    assert_eq!(m["counts"]["rebuilt"].as_u64(), Some(3));
    assert_eq!(m["counts"]["reused"].as_u64(), Some(0));
    assert!(ns::tables(&out) == tables);
    let caches: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(caches.len(), 1, "the old key's cache is collected");
    assert_ne!(caches[0], "0123456789abcdef");
}

/// Overwrites the byte at `at` of a published file in place, keeping its size and its
/// modification time: an edit that a size-and-time check cannot see.
fn edit_in_place(path: &std::path::Path, at: usize) {
    let path = std::fs::canonicalize(path).unwrap();
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[at] = if bytes[at] == b'7' { b'8' } else { b'7' };
    std::fs::write(&path, &bytes).unwrap();
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(mtime).unwrap();
}

#[test]
fn a_published_table_edited_in_place_is_rebuilt_not_republished_or_copied() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    ns::gen_corpus(&input, "300K", "0", 12);
    ns::run_ok(&input, &out);
    let good = ns::tables(&out);
    let m1 = ns::manifest(&out);
    let sums: Vec<&str> = m1["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["blake3"].as_str().expect("every output has a checksum"))
        .collect();
    assert!(sums.iter().all(|s| s.len() == 64));

    // a quiet night after a hand edit of measures.csv (same size, same time): rebuilt
    let at = good["measures.csv"].len() / 2;
    edit_in_place(&out.join("measures.csv"), at);
    let err = ns::run_ok(&input, &out);
    assert!(
        err.contains("measures.csv no longer has the bytes"),
        "{err}"
    );
    assert_eq!(
        ns::tables(&out),
        good,
        "the rebuilt tables are last night's"
    );

    // an incremental night (one file added) after an edit of articles.csv: its rows of the
    // unchanged files are formatted again, not copied from the edited file
    let at = good["articles.csv"].len() / 2;
    edit_in_place(&out.join("articles.csv"), at);
    std::fs::write(input.join("added.txt"), ns::seed_text()).unwrap();
    ns::run_ok(&input, &out);
    let full = tmp.path().join("full");
    let (code, err) = ns::run(&ns::run_args(&input, &full, &["--full"]));
    assert_eq!(code, Some(0), "{err}");
    ns::assert_same_tables(&out, &full);
}
