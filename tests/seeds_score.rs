//! End to end on the real seed pages: the binary's tables, scored against the hand-made gold
//! keys by the project's independent scorer (`shared/gold/score`, Python, standard library).

mod common;

use std::process::Command;

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
        .args([
            "--require",
            "figures_f1=0.90",
            "--require",
            "figures_zone_accuracy=0.90",
            "--require",
            "titles_f1=0.90",
            "--require",
            "article_zone_accuracy=0.90",
            "--require",
            "offsets_valid=1.0",
        ])
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
