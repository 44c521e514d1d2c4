#!/usr/bin/env python3
"""A shard dataset's table folders read as one dataset each (issue 17).

    python dataset_check.py DATASET MERGED_OUTPUT

Every DATASET/parquet/TABLE folder must open with pyarrow.dataset (the reader Spark's
`spark.read.parquet(folder)` matches: one format per folder) and hold the rows of the merged
table, and every DATASET/csv/TABLE folder must open as a CSV dataset with the same row count.
Prints `N passed, M failed` last; exits 1 on a failure.
"""
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pyarrow.parquet as pq

dataset, merged = Path(sys.argv[1]), Path(sys.argv[2])
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    print(("ok    " if ok else "FAIL  ") + name + (f": {detail}" if detail and not ok else ""))
    passed, failed = passed + ok, failed + (not ok)


for table in ("articles", "measures", "entities"):
    want = pq.read_table(merged / f"{table}.parquet").num_rows
    try:
        got = ds.dataset(dataset / "parquet" / table, format="parquet").to_table().num_rows
        check(f"pyarrow.dataset parquet/{table}: {got} rows", got == want, f"merged has {want}")
    except Exception as e:  # noqa: BLE001 - any failure to open is the finding
        check(f"pyarrow.dataset parquet/{table}", False, repr(e))
    try:
        # every column as text: a part whose column is all empty would otherwise be typed
        # null and the next part's values refused (the types live in the Parquet tree)
        first = sorted((dataset / "csv" / table).glob("*.csv"))[0]
        names = first.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        fmt = ds.CsvFileFormat(
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}))
        got = ds.dataset(dataset / "csv" / table, format=fmt).to_table().num_rows
        check(f"pyarrow.dataset csv/{table}: {got} rows", got == want, f"merged has {want}")
    except Exception as e:  # noqa: BLE001
        check(f"pyarrow.dataset csv/{table}", False, repr(e))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
