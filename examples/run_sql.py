#!/usr/bin/env python3
"""Run a DuckDB SQL file against a zonefacts output folder with the duckdb Python client.

    python examples/run_sql.py OUTPUT_DIR [SQL_FILE]     (SQL_FILE defaults to examples/questions.sql)

Sets the DuckDB variable `out` to OUTPUT_DIR, then runs the file statement by statement and
prints each query's comment and result table. No DuckDB CLI needed: `pip install duckdb`.
"""

import sys
from pathlib import Path

import duckdb


def main(argv):
    if len(argv) not in (2, 3) or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(argv[1])
    sql_file = Path(argv[2]) if len(argv) == 3 else Path(__file__).with_name("questions.sql")
    if not (out / "measures.parquet").is_file():
        print(f"run_sql: {out} holds no measures.parquet (not a zonefacts output folder)",
              file=sys.stderr)
        return 2

    con = duckdb.connect()
    con.execute("SET VARIABLE out = ?", [str(out)])
    for stmt in duckdb.extract_statements(sql_file.read_text(encoding="utf-8")):
        rel = con.sql(stmt.query)
        if rel is None:  # SET, CREATE VIEW, ...
            continue
        # The comment block just above the query is its heading.
        comment = [l.strip()[2:].strip() for l in stmt.query.strip().splitlines()
                   if l.strip().startswith("--")]
        print("\n" + ("\n".join(comment) if comment else stmt.query.strip().splitlines()[0]))
        rel.show(max_width=200, max_rows=40, max_col_width=60)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
