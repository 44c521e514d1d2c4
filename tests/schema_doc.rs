//! docs/SCHEMA.md is generated from the writer's table definitions; this test fails when the
//! committed file no longer matches what the binary prints.

use std::path::Path;
use std::process::Command;

const REGENERATE: &str = "cargo run -q -- schema --format markdown > docs/SCHEMA.md";

#[test]
fn schema_doc_is_current() {
    let o = Command::new(env!("CARGO_BIN_EXE_zonefacts"))
        .args(["schema", "--format", "markdown"])
        .output()
        .expect("cannot run the zonefacts binary");
    assert!(
        o.status.success(),
        "`zonefacts schema --format markdown` failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let generated = String::from_utf8(o.stdout).expect("schema output is not UTF-8");

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/SCHEMA.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "docs/SCHEMA.md is missing ({e}): run `{REGENERATE}` in the repository root and commit it"
        )
    });
    // A checkout with CRLF line endings is not stale.
    let committed = committed.replace("\r\n", "\n");
    if committed == generated {
        return;
    }
    let (c, g): (Vec<&str>, Vec<&str>) = (committed.lines().collect(), generated.lines().collect());
    let line = (0..c.len().max(g.len()))
        .find(|&i| c.get(i) != g.get(i))
        .unwrap_or(c.len().min(g.len()));
    let at = |v: &[&str]| v.get(line).copied().unwrap_or("<end of file>").to_string();
    let (want, have) = (at(&g), at(&c));
    let line = line + 1;
    panic!(
        "docs/SCHEMA.md is stale: run `{REGENERATE}` in the repository root and commit it.\n\
         First difference at line {line}:\n  generated: {want}\n  docs/SCHEMA.md: {have}"
    );
}
