//! An independent reader (arrow-rs `parquet`, not polars) opens every Parquet file the run
//! wrote and checks column names, physical and logical types and row counts against the CSV
//! files, so a writer bug cannot hide behind the library that wrote the files.

mod common;

use std::fs::File;

use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use zonefacts::schema::{ColumnType, TABLES};

#[test]
fn parquet_types_and_row_counts_match_the_contract_and_the_csv() {
    let out = tempfile::tempdir().unwrap();
    common::run_ok(&common::root().join("input"), out.path(), &[]);
    for table in TABLES {
        let pq = out.path().join(format!("{}.parquet", table.name));
        let reader = SerializedFileReader::new(File::open(&pq).unwrap()).unwrap();
        let meta = reader.metadata().file_metadata();
        let fields = meta.schema().get_fields();
        let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
        let expected: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, expected, "{}: column order", table.name);
        for (f, c) in fields.iter().zip(table.columns) {
            let info = f.get_basic_info();
            match c.ty {
                ColumnType::String => {
                    assert_eq!(
                        f.get_physical_type(),
                        Physical::BYTE_ARRAY,
                        "{}.{}",
                        table.name,
                        c.name
                    );
                    assert!(
                        matches!(info.logical_type_ref(), Some(LogicalType::String))
                            || info.converted_type() == ConvertedType::UTF8,
                        "{}.{} is not a UTF-8 string",
                        table.name,
                        c.name
                    );
                }
                ColumnType::Int => {
                    assert_eq!(
                        f.get_physical_type(),
                        Physical::INT64,
                        "{}.{}",
                        table.name,
                        c.name
                    )
                }
                ColumnType::Bool => {
                    assert_eq!(
                        f.get_physical_type(),
                        Physical::BOOLEAN,
                        "{}.{}",
                        table.name,
                        c.name
                    )
                }
                ColumnType::Float => {
                    assert_eq!(
                        f.get_physical_type(),
                        Physical::DOUBLE,
                        "{}.{}",
                        table.name,
                        c.name
                    )
                }
                ColumnType::Date => {
                    assert_eq!(
                        f.get_physical_type(),
                        Physical::INT32,
                        "{}.{}",
                        table.name,
                        c.name
                    );
                    assert!(
                        matches!(info.logical_type_ref(), Some(LogicalType::Date))
                            || info.converted_type() == ConvertedType::DATE,
                        "{}.{} is not a DATE",
                        table.name,
                        c.name
                    );
                }
                ColumnType::StringList => {
                    assert!(
                        f.is_group(),
                        "{}.{} is not a LIST group",
                        table.name,
                        c.name
                    );
                    assert!(
                        matches!(info.logical_type_ref(), Some(LogicalType::List))
                            || info.converted_type() == ConvertedType::LIST,
                        "{}.{} is not a LIST",
                        table.name,
                        c.name
                    );
                }
            }
            if !c.nullable && info.has_repetition() {
                // polars marks every column optional; the data must still hold no nulls
                assert_ne!(info.repetition(), Repetition::REPEATED);
            }
        }
        let (header, rows) = common::read_csv(&out.path().join(format!("{}.csv", table.name)));
        assert_eq!(header, expected, "{}: CSV header", table.name);
        assert_eq!(
            meta.num_rows() as usize,
            rows.len(),
            "{}: Parquet vs CSV rows",
            table.name
        );
        assert!(!rows.is_empty(), "{}: the seed run yields rows", table.name);

        // cell by cell: every Parquet value equals its CSV rendering; non-nullable columns hold no nulls
        let iter = reader.get_row_iter(None).unwrap();
        for (i, row) in iter.enumerate() {
            let row = row.unwrap();
            for (j, (_, field)) in row.get_column_iter().enumerate() {
                let csv_cell = &rows[i][j];
                let col = &table.columns[j];
                let rendered = match field {
                    Field::Null => {
                        assert!(col.nullable, "{}.{} row {i} is null", table.name, col.name);
                        String::new()
                    }
                    Field::Str(s) => s.clone(),
                    Field::Long(v) => v.to_string(),
                    Field::Bool(v) => v.to_string(),
                    Field::Double(v) => zonefacts::write::csv_out::format_float(*v),
                    Field::Date(d) => zonefacts::write::csv_out::format_date(*d),
                    Field::ListInternal(l) => l
                        .elements()
                        .iter()
                        .map(|e| match e {
                            Field::Str(s) => s.clone(),
                            other => panic!("list element {other:?}"),
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    other => panic!(
                        "{}.{}: unexpected Parquet value {other:?}",
                        table.name, col.name
                    ),
                };
                assert_eq!(&rendered, csv_cell, "{}.{} row {i}", table.name, col.name);
            }
        }
    }
}
