//! End to end on the real seed pages: the binary's tables, scored against the hand-made gold
//! keys by the project's independent scorer (`shared/gold/score`, Python, standard library).

mod common;

use std::process::Command;

/// The extraction quality the project commits to on the seed pages (issues 3 and 4).
const REQUIRED: &[&str] = &[
    "figures_f1=0.97",
    "figures_zone_accuracy=0.97",
    "figures_label_agreement=0.90",
    "titles_f1=0.97",
    "article_zone_accuracy=1.0",
    "organization_f1=0.85",
    "person_f1=0.90",
    "policy_f1=0.95",
    "offsets_valid=1.0",
];

#[test]
fn seed_pages_meet_the_gold_thresholds() {
    let shared = common::shared();
    let out = tempfile::tempdir().unwrap();
    common::run_ok(&shared.join("seeds"), out.path(), &[]);
    let score = Command::new("python3")
        .arg(shared.join("gold").join("score"))
        .args(["--output", out.path().to_str().unwrap()])
        .args(["--gold", shared.join("gold").to_str().unwrap()])
        .args(["--input", shared.join("seeds").to_str().unwrap()])
        .args(REQUIRED.iter().flat_map(|r| ["--require", r]))
        .output()
        .expect("python3 runs the scorer");
    let report = String::from_utf8_lossy(&score.stdout);
    println!("{report}");
    assert!(
        score.status.success(),
        "score below threshold:\n{report}\n{}",
        String::from_utf8_lossy(&score.stderr)
    );
}
