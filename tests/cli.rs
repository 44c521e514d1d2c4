//! The command line: help, version, schema, inspect.

mod common;

#[test]
fn help_and_version() {
    let o = common::zonefacts(&["--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    for word in ["run", "inspect", "schema", "Exit codes"] {
        assert!(help.contains(word), "--help mentions {word}");
    }
    let o = common::zonefacts(&["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("zonefacts {}", env!("CARGO_PKG_VERSION"))
    );
    let o = common::zonefacts(&["run", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn schema_lists_every_contract_column() {
    let o = common::zonefacts(&["schema", "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let tables = &v["tables"];
    let names: Vec<&str> = tables
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["articles", "measures", "zones", "entities"]);
    // the taxonomy of measure_key and the values of stat come with it (from the config)
    let keys: Vec<&str> = v["measure_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    for k in [
        "gdp",
        "revenue",
        "investment",
        "high_tech_enterprises",
        "approval_time",
        "age",
    ] {
        assert!(keys.contains(&k), "measure_key {k} in {keys:?}");
    }
    assert_eq!(
        v["measure_keys"][0]["zh"].as_str().map(|z| !z.is_empty()),
        Some(true)
    );
    let stats: Vec<&str> = v["stats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stat"].as_str().unwrap())
        .collect();
    assert_eq!(stats, ["level", "growth", "change", "share", "rank"]);
    let measures = &tables[1]["columns"];
    for c in [
        "measure_id",
        "stat",
        "article_id",
        "zone_id",
        "label",
        "measure_key",
        "value",
        "value_max",
        "unit",
        "unit_kind",
        "qualifier",
        "period",
        "raw_text",
        "sentence",
        "char_start",
        "char_end",
    ] {
        assert!(
            measures.as_array().unwrap().iter().any(|x| x["name"] == c),
            "measures.{c}"
        );
    }
}

#[test]
fn inspect_shows_articles_and_figures() {
    let o = common::zonefacts(&["inspect", "input/003_77e1c0e5d440c466.txt"]);
    assert!(o.status.success());
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("改革风来满目春——2021年湘潭高新区全面深化改革工作纪实"));
    assert!(s.contains("89.6%"));
    assert!(s.contains("zone: 湘潭高新区"));
    assert!(s.contains("2022-01-20 [day]"));
}

/// Runs the binary in `dir` with no config in reach but what `env` names.
fn zonefacts_in(dir: &std::path::Path, args: &[&str], env: Option<&str>) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_zonefacts"));
    c.args(args).current_dir(dir).env_remove("ZONEFACTS_CONFIG");
    if let Some(v) = env {
        c.env("ZONEFACTS_CONFIG", v);
    }
    c.output().expect("the zonefacts binary runs")
}

#[test]
fn runs_from_any_folder_with_the_built_in_config_and_init_writes_it_out() {
    let tmp = tempfile::tempdir().unwrap();
    let input = common::root().join("input");
    let input = input.to_str().unwrap();
    let o = zonefacts_in(
        tmp.path(),
        &["run", "--input", input, "--output", "a"],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest = std::fs::read_to_string(tmp.path().join("a/_manifest.json")).unwrap();
    assert!(
        manifest.contains("built-in defaults of zonefacts"),
        "{manifest}"
    );

    let o = zonefacts_in(tmp.path(), &["init", "cfg"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // init never overwrites
    assert_eq!(
        zonefacts_in(tmp.path(), &["init", "cfg"], None)
            .status
            .code(),
        Some(2)
    );
    // $ZONEFACTS_CONFIG names the written config: the same tables
    let cfg = tmp.path().join("cfg/pipeline.toml");
    let o = zonefacts_in(
        tmp.path(),
        &["run", "--input", input, "--output", "b"],
        cfg.to_str(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest = std::fs::read_to_string(tmp.path().join("b/_manifest.json")).unwrap();
    assert!(manifest.contains("cfg/pipeline.toml"), "{manifest}");
    for t in ["articles.csv", "measures.csv", "zones.csv", "entities.csv"] {
        let a = std::fs::read(tmp.path().join("a").join(t)).unwrap();
        let b = std::fs::read(tmp.path().join("b").join(t)).unwrap();
        assert!(
            a == b,
            "{t} differs between the built-in and the written config"
        );
    }
}

#[test]
fn inspect_of_a_missing_file_is_bad_usage() {
    let o = common::zonefacts(&["inspect", "no/such/page.txt"]);
    assert_eq!(o.status.code(), Some(2));
}
