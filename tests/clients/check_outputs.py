#!/usr/bin/env python3
"""Open every zonefacts output with the real clients analysts use and check what they see.

    python tests/clients/check_outputs.py OUTPUT_DIR [--schema SCHEMA_JSON]

OUTPUT_DIR is a folder written by `zonefacts run`. SCHEMA_JSON (from
`zonefacts schema --format json`) is optional: with it, column names, order, types and
nullability are checked against the data dictionary; without it, the column types follow the
naming contract below and the tables are the four documented ones.

Clients: pyarrow (Parquet schema), pandas (read_csv with the BOM, read_parquet), DuckDB
(read_parquet, read_csv_auto, star-schema joins), openpyxl (zonefacts.xlsx, when written), and
the examples/ scripts. Nothing here hard-codes row counts: counts are compared across files and
clients, and with _manifest.json.

Prints one line per check and ends with the line `N passed, M failed`; exits 1 when any check
failed.
"""

import argparse
import csv
import datetime
import json
import re
import subprocess
import sys
import traceback
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[2]
DEFAULT_TABLES = ["articles", "measures", "zones", "entities"]

# The naming contract (README "Output tables"): these columns have these types whatever the
# table; every other column is a string.
DATE_COLUMNS = {"published"}
FLOAT_COLUMNS = {"value", "value_max"}
INT_COLUMNS = {"seq", "char_count", "paragraph_count", "char_start", "char_end",
               "article_count", "measure_count", "story_count", "measure_rows", "mentions",
               "first_char"}
BOOL_COLUMNS = {"representative"}
LIST_COLUMNS = {"authors"}
# `zonefacts schema --format json` type names -> the same kinds.
SCHEMA_KINDS = {"date": "date", "float": "float", "int": "int", "bool": "bool",
                "string_list": "list", "string": "string"}

# Primary keys and the star-schema foreign keys (child table, column, parent table, column).
PRIMARY_KEYS = {"articles": "article_id", "measures": "measure_id", "zones": "zone_id"}
FOREIGN_KEYS = [("measures", "article_id", "articles", "article_id"),
                ("measures", "zone_id", "zones", "zone_id"),
                ("articles", "zone_id", "zones", "zone_id"),
                ("entities", "article_id", "articles", "article_id")]


class Runner:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def check(self, name, fn, *args):
        try:
            detail = fn(*args)
        except Exception as e:  # an assertion or a client error: both are failures
            self.failed += 1
            if isinstance(e, AssertionError):
                msg = str(e)
            elif isinstance(e, (OSError, duckdb.Error, pa.ArrowException)):
                msg = f"{type(e).__name__}: {e}"  # the client's own word is enough
            else:
                msg = traceback.format_exc().strip()
            print(f"FAIL  {name}: {msg}")
            return
        self.passed += 1
        print(f"ok    {name}" + (f" ({detail})" if detail else ""))

    def skip(self, name, why):
        self.skipped += 1
        print(f"skip  {name}: {why}")

    def summary(self):
        if self.skipped:
            print(f"{self.skipped} skipped")
        # The last line, in the form CI reads.
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0


# --------------------------------------------------------------------------------------------
# expectations


def kind_by_name(col):
    if col in DATE_COLUMNS:
        return "date"
    if col in FLOAT_COLUMNS:
        return "float"
    if col in INT_COLUMNS:
        return "int"
    if col in BOOL_COLUMNS:
        return "bool"
    if col in LIST_COLUMNS:
        return "list"
    return "string"


def expected_tables(schema):
    """{table: [(column, kind, nullable or None)]} from the schema JSON, else the contract."""
    if schema is None:
        return None
    tables = {}
    # {"tables": [...], "measure_keys": [...], "stats": [...]}; a bare list before contract 2
    for t in schema["tables"] if isinstance(schema, dict) else schema:
        cols = []
        for c in t["columns"]:
            assert c["type"] in SCHEMA_KINDS, f"schema JSON: unknown type {c['type']!r}"
            cols.append((c["name"], SCHEMA_KINDS[c["type"]], c.get("nullable")))
        tables[t["name"]] = cols
    return tables


def is_string(t):
    return pa.types.is_string(t) or pa.types.is_large_string(t) or (
        hasattr(pa.types, "is_string_view") and pa.types.is_string_view(t))


def arrow_matches(kind, t):
    if kind == "date":
        return pa.types.is_date32(t)
    if kind == "float":
        return pa.types.is_float64(t)
    if kind == "int":
        return pa.types.is_int64(t)
    if kind == "bool":
        return pa.types.is_boolean(t)
    if kind == "list":
        return (pa.types.is_list(t) or pa.types.is_large_list(t)) and is_string(t.value_type)
    return is_string(t)


KIND_TEXT = {"date": "date32", "float": "float64", "int": "int64", "bool": "bool",
             "list": "list<string>",
             "string": "string"}


# --------------------------------------------------------------------------------------------
# checks


def column_kinds(out, table, expected):
    """{column: kind}: from the schema JSON when given, else by the naming contract."""
    if expected is not None:
        return {c: k for c, k, _ in expected[table]}
    return {c: kind_by_name(c) for c in pq.read_schema(out / f"{table}.parquet").names}


def check_schema_json_agrees_with_contract(expected):
    # Only the contract's named columns: a new non-string column elsewhere is fine.
    bad = [f"{t}.{c}: schema says {k}, contract {kind_by_name(c)}"
           for t, cols in expected.items() for c, k, _ in cols
           if kind_by_name(c) != "string" and k != kind_by_name(c)]
    assert not bad, "; ".join(bad)


def check_files_present(out, tables):
    want = [f"{t}.{ext}" for t in tables for ext in ("parquet", "csv")] + ["rejected.csv"]
    missing = [f for f in want if not (out / f).is_file()]
    assert not missing, f"missing from {out}: {missing}"
    return f"{len(want)} files"


def check_arrow_schema(out, table, expected_cols):
    schema = pq.read_schema(out / f"{table}.parquet")
    names = schema.names
    if expected_cols is not None:
        want = [c for c, _, _ in expected_cols]
        assert names == want, f"columns {names} != schema {want}"
        kinds = {c: k for c, k, _ in expected_cols}
    else:
        kinds = {c: kind_by_name(c) for c in names}
    bad = [f"{c} is {schema.field(c).type}, want {KIND_TEXT[kinds[c]]}"
           for c in names if not arrow_matches(kinds[c], schema.field(c).type)]
    # The contract's named columns, whatever the schema JSON says.
    bad += [f"{c} is {schema.field(c).type}, want {KIND_TEXT[kind_by_name(c)]}"
            for c in names if kind_by_name(c) != "string"
            and not arrow_matches(kind_by_name(c), schema.field(c).type)]
    assert not bad, "; ".join(dict.fromkeys(bad))
    return f"{len(names)} columns"


def check_arrow_nulls(out, table, expected_cols):
    t = pq.read_table(out / f"{table}.parquet")
    bad = [f"{c} has {t.column(c).null_count} nulls" for c, _, nullable in expected_cols
           if nullable is False and t.column(c).null_count]
    assert not bad, "; ".join(bad)
    return f"{t.num_rows} rows"


def check_arrow_values(out, table):
    t = pq.read_table(out / f"{table}.parquet")
    notes = []
    if "published" in t.column_names:
        years = [d.year for d in t.column("published").to_pylist() if d is not None]
        assert all(1949 <= y <= 2100 for y in years), f"published years out of range: {years}"
        notes.append(f"{len(years)} dates")
    if "authors" in t.column_names:
        for row in t.column("authors").to_pylist():
            assert row is None or all(isinstance(a, str) and a for a in row), \
                f"authors holds a non-string or empty element: {row!r}"
        notes.append("authors are lists of strings")
    if {"char_start", "char_end"} <= set(t.column_names):
        s = t.column("char_start").to_numpy(zero_copy_only=False)
        e = t.column("char_end").to_numpy(zero_copy_only=False)
        assert ((s >= 0) & (s < e)).all(), "char_start < char_end does not hold everywhere"
    return ", ".join(notes)


def read_csv(path, **kw):
    # keep_default_na=False: an empty field is null, but the text "NA" (or "null") is text.
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""], **kw)


def check_pandas_csv(out, table, expected):
    kinds = column_kinds(out, table, expected)
    pq_df = pd.read_parquet(out / f"{table}.parquet", engine="pyarrow")
    floats = {c: "float64" for c in pq_df.columns if kinds.get(c) == "float"}
    csv = read_csv(out / f"{table}.csv", dtype=floats)
    assert "\ufeff" not in csv.columns[0], f"first column name is {csv.columns[0]!r}"
    # pandas' default (no encoding given) must also see a clean first header.
    first = pd.read_csv(out / f"{table}.csv", nrows=0).columns[0]
    assert "\ufeff" not in first, f"default read_csv sees first column {first!r}"
    assert list(csv.columns) == list(pq_df.columns), \
        f"CSV header {list(csv.columns)} != Parquet columns {list(pq_df.columns)}"
    assert len(csv) == len(pq_df), f"read_csv: {len(csv)} rows, read_parquet: {len(pq_df)}"
    for c in floats:
        assert csv[c].dtype == np.float64, f"CSV {c} parses as {csv[c].dtype}"
        a, b = csv[c].to_numpy(), pq_df[c].to_numpy(dtype="float64")
        diff = ~((a == b) | (np.isnan(a) & np.isnan(b)))
        assert not diff.any(), \
            f"CSV {c} differs from Parquet in {diff.sum()} rows, first {a[diff][0]} vs {b[diff][0]}"
    for c in pq_df.columns:
        if kinds.get(c) == "int" and not pq_df[c].isna().any():
            assert pd.api.types.is_integer_dtype(csv[c]), f"CSV {c} parses as {csv[c].dtype}"
            assert (csv[c].to_numpy() == pq_df[c].to_numpy()).all(), f"CSV {c} != Parquet"
        if kinds.get(c) == "bool":
            # the CSV's true / false read back as booleans, equal to the Parquet column
            assert pd.api.types.is_bool_dtype(csv[c]), f"CSV {c} parses as {csv[c].dtype}"
            assert (csv[c].to_numpy() == pq_df[c].to_numpy()).all(), f"CSV {c} != Parquet"
        if kinds.get(c) == "date":
            # pandas 3 keeps a date column's resolution (seconds), pandas 2 uses nanoseconds:
            # compare the dates at one resolution
            got = pd.to_datetime(csv[c], format="%Y-%m-%d").astype("datetime64[ns]")
            want = pd.to_datetime(pq_df[c]).astype("datetime64[ns]")
            assert got.equals(want), f"CSV {c} (ISO dates) != Parquet {c}"
    key = pq_df.columns[0]
    assert (csv[key].astype(str).to_numpy() == pq_df[key].astype(str).to_numpy()).all(), \
        f"rows of the CSV and the Parquet are not in the same order (by {key})"
    return f"{len(csv)} rows"


def check_pandas_rejected(out):
    df = read_csv(out / "rejected.csv")
    assert "\ufeff" not in df.columns[0], f"first column name is {df.columns[0]!r}"
    assert list(df.columns) == ["source_file", "reason", "kind", "size_bytes"], list(df.columns)
    return f"{len(df)} rows"


def check_manifest(out, tables):
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    listed = {o["file"]: o.get("rows") for o in manifest.get("outputs", [])}
    actual = {}
    for t in tables:
        actual[f"{t}.parquet"] = pq.ParquetFile(out / f"{t}.parquet").metadata.num_rows
        actual[f"{t}.csv"] = len(read_csv(out / f"{t}.csv"))
    actual["rejected.csv"] = len(read_csv(out / "rejected.csv"))
    bad = [f"{f}: manifest {listed.get(f)} rows, file {n}" for f, n in actual.items()
           if listed.get(f) != n]
    assert not bad, "; ".join(bad)
    return f"{len(actual)} files"


def check_duckdb_counts(con, out, table):
    p, c = str(out / f"{table}.parquet"), str(out / f"{table}.csv")
    n_pq = con.execute("SELECT count(*) FROM read_parquet(?)", [p]).fetchone()[0]
    n_csv = con.execute("SELECT count(*) FROM read_csv_auto(?)", [c]).fetchone()[0]
    assert n_pq == n_csv, f"read_parquet: {n_pq} rows, read_csv_auto: {n_csv}"
    cols = [d[0] for d in con.execute("SELECT * FROM read_csv_auto(?) LIMIT 0", [c]).description]
    pcols = [d[0] for d in con.execute("SELECT * FROM read_parquet(?) LIMIT 0", [p]).description]
    assert cols == pcols, f"read_csv_auto header {cols} != Parquet {pcols}"
    return f"{n_pq} rows"


def check_duckdb_primary_key(con, table, key):
    dup = con.execute(f"SELECT {key}, count(*) FROM {table} GROUP BY 1 "
                      f"HAVING count(*) > 1 OR {key} IS NULL LIMIT 5").fetchall()
    assert not dup, f"{table}.{key} is not a unique non-null key: {dup}"


def check_duckdb_join(con, child, col, parent, pcol):
    total, dangling, sample = con.execute(
        f"SELECT count(c.{col}), count(c.{col}) FILTER (WHERE p.{pcol} IS NULL), "
        f"       any_value(c.{col}) FILTER (WHERE p.{pcol} IS NULL) "
        f"FROM {child} c LEFT JOIN (SELECT DISTINCT {pcol} FROM {parent}) p "
        f"  ON c.{col} = p.{pcol} WHERE c.{col} IS NOT NULL").fetchone()
    assert dangling == 0, f"{dangling} of {total} non-null {child}.{col} have no {parent} row " \
                          f"(e.g. {sample!r})"
    return f"{total} keys"


def check_duckdb_zone_counts(con):
    bad = con.execute("""
        SELECT z.zone, z.article_count, coalesce(a.n, 0), z.story_count, coalesce(a.s, 0),
               z.measure_count, coalesce(m.once, 0), z.measure_rows, coalesce(m.n, 0)
        FROM zones z
        LEFT JOIN (SELECT zone_id, count(*) n, count(*) FILTER (WHERE duplicate_of IS NULL) s
                   FROM articles GROUP BY 1) a USING (zone_id)
        LEFT JOIN (SELECT zone_id, count(*) n, count(*) FILTER (WHERE representative) once
                   FROM measures GROUP BY 1) m USING (zone_id)
        WHERE z.article_count <> coalesce(a.n, 0) OR z.story_count <> coalesce(a.s, 0)
           OR z.measure_count <> coalesce(m.once, 0) OR z.measure_rows <> coalesce(m.n, 0)
        LIMIT 5""").fetchall()
    assert not bad, "zones counts disagree with the fact tables (zone, article_count, " \
                    f"articles, story_count, stories, measure_count, representative figures, " \
                    f"measure_rows, figures): {bad}"
    # a representative is its own story; a copy points at its story's representative
    bad = con.execute("""
        SELECT a.article_id FROM articles a LEFT JOIN articles r ON r.article_id = a.story_id
        WHERE (a.duplicate_of IS NULL) <> (a.story_id = a.article_id)
           OR (a.duplicate_of IS NOT NULL AND (a.duplicate_of <> a.story_id
               OR r.duplicate_of IS NOT NULL))
        LIMIT 5""").fetchall()
    assert not bad, f"story_id / duplicate_of inconsistent for {bad}"
    bad = con.execute("""
        SELECT m.measure_id FROM measures m JOIN articles a USING (article_id)
        WHERE m.representative <> (a.duplicate_of IS NULL) LIMIT 5""").fetchall()
    assert not bad, f"measures.representative disagrees with articles.duplicate_of: {bad}"


def readme_limits(wb):
    """(row limit or None, {table: rows} left out) as the README sheet states them."""
    limit, left_out = None, {}
    for (line, *_) in wb["README"].iter_rows(values_only=True, max_col=1):
        if not isinstance(line, str):
            continue
        m = re.search(r"a table with more than ([\d,]+) rows is left out", line)
        if m:
            limit = int(m.group(1).replace(",", ""))
        if line.startswith("Left out of this workbook"):
            for name, rows in re.findall(r"(\w+) \(([\d,]+) rows\)", line):
                left_out[name] = int(rows.replace(",", ""))
    return limit, left_out


def check_xlsx(out, tables, expect_left_out):
    import openpyxl

    wb = openpyxl.load_workbook(out / "zonefacts.xlsx", read_only=True)
    try:
        notes, bad = [], []
        limit, left_out = readme_limits(wb)
        if sorted(left_out) != sorted(expect_left_out):
            bad.append(f"README leaves out {sorted(left_out)}, expected {sorted(expect_left_out)}")
        for t in tables:
            pq_file = pq.ParquetFile(out / f"{t}.parquet")
            want_header = pq_file.schema_arrow.names
            n_parquet = pq_file.metadata.num_rows
            # A table longer than a sheet continues on `NAME (2)`, `NAME (3)`, ...
            sheets = [s for s in wb.sheetnames if s == t or s.startswith(f"{t} (")]
            if t in left_out:
                # left out for its length: only when it really is longer than the limit
                if sheets:
                    bad.append(f"{t} is said to be left out but has sheets {sheets}")
                if left_out[t] != n_parquet:
                    bad.append(f"README: {t} left out with {left_out[t]} rows, "
                               f"Parquet has {n_parquet}")
                if limit is None or n_parquet <= limit:
                    bad.append(f"{t} left out with {n_parquet} rows, limit {limit}")
                notes.append(f"{t} left out ({n_parquet} rows)")
                continue
            if limit is not None and n_parquet > limit:
                bad.append(f"{t} has {n_parquet} rows, over the limit {limit}, and is not "
                           "said to be left out")
            if not sheets:
                bad.append(f"no sheet for {t} (sheets: {wb.sheetnames})")
                continue
            rows = 0
            arrow_schema = pq_file.schema_arrow
            want_rows = iter(pq_file.read().to_pylist())
            for s in sheets:
                # the sheet states its size (<dimension>): read-only readers take it from there
                sheet_rows_before = rows
                if wb[s].max_column != len(want_header):
                    bad.append(f"sheet {s!r}: max_column {wb[s].max_column}, "
                               f"{len(want_header)} columns")
                it = wb[s].iter_rows(values_only=True)
                header = list(next(it, ()))
                while header and header[-1] is None:
                    header.pop()
                if header != want_header:
                    bad.append(f"sheet {s!r} header {header} != {want_header}")
                for r in it:
                    if not any(v is not None for v in r):
                        continue
                    rows += 1
                    # every cell holds what Parquet holds (lists joined as in the CSV)
                    want = next(want_rows, None)
                    if want is not None and len(bad) < 10:
                        for name, v in zip(want_header, r):
                            w = want[name]
                            if isinstance(w, list):
                                w = "; ".join(w) or None
                            elif isinstance(w, datetime.date):
                                w = datetime.datetime(w.year, w.month, w.day)
                            elif isinstance(w, str):
                                w = w[:32766] or None
                            if v != w:
                                bad.append(f"{s} row {rows} {name}: {v!r} != Parquet {w!r}")
                    # cells are typed: numbers as numbers, dates as dates, never text
                    for name, v in zip(want_header, r):
                        if v is None:
                            continue
                        typ = arrow_schema.field(name).type
                        if pa.types.is_date(typ) and not isinstance(v, (datetime.date, datetime.datetime)):
                            bad.append(f"{s}.{name}: {v!r} is not a date cell")
                        elif (pa.types.is_integer(typ) or pa.types.is_floating(typ)) and (
                                isinstance(v, bool) or not isinstance(v, (int, float))):
                            bad.append(f"{s}.{name}: {v!r} is not a number cell")
                if wb[s].max_row != rows - sheet_rows_before + 1:
                    bad.append(f"sheet {s!r}: max_row {wb[s].max_row}, "
                               f"{rows - sheet_rows_before} data rows + header")
            if len(sheets) == 1:
                with open(out / f"{t}.csv", newline="", encoding="utf-8-sig") as f:
                    csv_rows = sum(1 for _ in csv.reader(f))
                if wb[sheets[0]].max_row != csv_rows:
                    bad.append(f"sheet {t!r}: max_row {wb[sheets[0]].max_row}, "
                               f"{t}.csv has {csv_rows} rows with its header")
            if rows != n_parquet:
                bad.append(f"{t}: {rows} data rows in {sheets}, {n_parquet} in Parquet")
            notes.append(f"{t} {rows} rows")
        assert not bad, "; ".join(bad)
        return ", ".join(notes)
    finally:
        wb.close()


def check_xlsx_zone_measures(out):
    """The zone_measures sheet equals measures.parquet grouped by DuckDB (zone, measure, stat,
    period, unit), each measure named in Chinese first; figures and articles count each story
    once (representative rows), figure_rows every copy."""
    import openpyxl

    con = duckdb.connect()
    path = str(out / "measures.parquet").replace("'", "''")
    want = con.execute(f"""
        SELECT zone_id, zone, measure_key, stat, period, unit, unit_kind,
               count(*) FILTER (WHERE representative),
               count(DISTINCT article_id) FILTER (WHERE representative),
               min(value), max(coalesce(value_max, value)), count(*)
        FROM read_parquet('{path}') GROUP BY ALL""").fetchall()
    con.close()
    wb = openpyxl.load_workbook(out / "zonefacts.xlsx", read_only=True)
    try:
        rows = wb["zone_measures"].iter_rows(values_only=True)
        header = list(next(rows))
        assert header == ["zone_id", "zone", "measure", "measure_key", "stat", "period", "unit",
                          "unit_kind", "figures", "articles", "value_min", "value_max",
                          "figure_rows"], header
        got = [tuple(r) for r in rows if any(v is not None for v in r)]
    finally:
        wb.close()
    # a measure is named in Chinese, then in English (营业收入 Revenue)
    for r in got:
        if r[3] is not None:
            assert r[2] and re.match(r"[\u4e00-\u9fff]", r[2]) and " " in r[2], r
    got = [r[:2] + r[3:] for r in got]
    # rows in order: zone, measure_key (nulls last), stat, period (nulls last), unit, unit_kind
    def order(r):
        return (r[1] is None, r[1] or "", r[2] is None, r[2] or "", r[3],
                r[4] is None, r[4] or "", r[5], r[6])
    assert got == sorted(got, key=order), "zone_measures rows are not in order"
    assert sorted(got, key=order) == sorted(want, key=order), \
        f"zone_measures differs from DuckDB's grouping: {set(got) ^ set(want)}"[:2000]
    assert sum(r[11] for r in got) == pq.ParquetFile(out / "measures.parquet").metadata.num_rows
    return f"{len(got)} rows, {sum(r[7] for r in got)} figures counted once, " \
           f"{sum(r[11] for r in got)} rows"


def run_example(args, want):
    r = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                       encoding="utf-8", timeout=300)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stderr.strip()[-2000:]}"
    missing = [w for w in want if w not in r.stdout]
    assert not missing, f"output lacks {missing}:\n{r.stdout[:1000]}"
    return f"{len(r.stdout.splitlines())} lines"


# --------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output_dir", type=Path)
    ap.add_argument("--schema", type=Path, help="output of `zonefacts schema --format json`")
    ap.add_argument("--expect-left-out", default="",
                    help="comma-separated tables the workbook must leave out for their length")
    args = ap.parse_args()
    out = args.output_dir.resolve()
    if not (out / "_manifest.json").is_file():
        print(f"check_outputs: {out} is not a zonefacts output folder (no _manifest.json)")
        print("0 passed, 1 failed")
        return 1

    r = Runner()
    print(f"clients: pyarrow {pa.__version__}, pandas {pd.__version__}, duckdb "
          f"{duckdb.__version__}; output {out}")
    expected = None
    if args.schema:
        expected = expected_tables(json.loads(args.schema.read_text(encoding="utf-8")))
        r.check("schema JSON agrees with the column naming contract",
                check_schema_json_agrees_with_contract, expected)
    tables = list(expected) if expected else DEFAULT_TABLES
    r.check("every table is written as Parquet and CSV", check_files_present, out, tables)

    for t in tables:
        r.check(f"pyarrow: {t}.parquet schema", check_arrow_schema, out, t,
                expected[t] if expected else None)
        if expected:
            r.check(f"pyarrow: {t}.parquet non-nullable columns have no nulls",
                    check_arrow_nulls, out, t, expected[t])
        r.check(f"pyarrow: {t}.parquet values", check_arrow_values, out, t)
    for t in tables:
        r.check(f"pandas: {t}.csv vs read_parquet", check_pandas_csv, out, t, expected)
    r.check("pandas: rejected.csv", check_pandas_rejected, out)
    r.check("_manifest.json row counts match the files", check_manifest, out, tables)

    con = duckdb.connect()
    for t in tables:
        r.check(f"duckdb: {t} read_parquet vs read_csv_auto", check_duckdb_counts, con, out, t)
        path = str(out / f"{t}.parquet").replace("'", "''")  # views take no parameters
        try:  # a missing file has failed above; the joins below then fail on the view
            con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{path}')")
        except duckdb.Error:
            pass
    for t, key in PRIMARY_KEYS.items():
        if t in tables:
            r.check(f"duckdb: {t}.{key} is unique", check_duckdb_primary_key, con, t, key)
    for child, col, parent, pcol in FOREIGN_KEYS:
        if child in tables and parent in tables:
            r.check(f"duckdb: every {child}.{col} joins to {parent}", check_duckdb_join,
                    con, child, col, parent, pcol)
    if {"zones", "articles", "measures"} <= set(tables):
        r.check("duckdb: zones counts and story links match articles/measures",
                check_duckdb_zone_counts, con)
    con.close()

    if (out / "zonefacts.xlsx").is_file():
        r.check("openpyxl: zonefacts.xlsx sheets, headers and row counts", check_xlsx, out,
                tables, [t for t in args.expect_left_out.split(",") if t])
        if "measures" in tables:
            r.check("openpyxl: zone_measures sheet equals DuckDB's grouping of measures",
                    check_xlsx_zone_measures, out)
    else:
        print("xlsx not produced, skipped (no zonefacts.xlsx in the output folder)")
        r.skip("openpyxl: zonefacts.xlsx", "not produced")

    r.check("examples/questions.py runs", run_example,
            ["examples/questions.py", str(out)], ["== Which zones", "== Figures per article"])
    r.check("examples/questions.sql runs (duckdb Python client)", run_example,
            ["examples/run_sql.py", str(out), "examples/questions.sql"],
            ["Q1.", "Q2.", "Q3.", "Q4."])
    return r.summary()


if __name__ == "__main__":
    sys.exit(main())
