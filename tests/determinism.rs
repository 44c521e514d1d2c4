//! The same input and config give byte-identical tables (and workbook).

mod common;

#[test]
fn two_runs_write_byte_identical_tables() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let input = common::root().join("input");
    common::run_ok(&input, a.path(), &["--jobs", "2"]);
    common::run_ok(&input, b.path(), &["--jobs", "1"]);
    let mut compared = 0;
    for entry in std::fs::read_dir(a.path()).unwrap() {
        let name = entry.unwrap().file_name();
        let n = name.to_string_lossy();
        if n.ends_with(".parquet") || n.ends_with(".csv") || n.ends_with(".xlsx") {
            let x = std::fs::read(a.path().join(&name)).unwrap();
            let y = std::fs::read(b.path().join(&name)).unwrap();
            assert!(x == y, "{n} differs between runs");
            compared += 1;
        }
    }
    assert_eq!(
        compared, 10,
        "4 tables × 2 formats + rejected.csv + zonefacts.xlsx (sheets are written by another \
         thread with --jobs 2, and the zip has fixed timestamps)"
    );
}
