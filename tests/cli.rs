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
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["articles", "measures", "zones", "entities"]);
    let measures = &v[1]["columns"];
    for c in [
        "measure_id",
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
