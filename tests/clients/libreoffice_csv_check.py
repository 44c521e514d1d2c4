#!/usr/bin/env python3
"""CSV cells that start with =, +, - or @ must open as text in LibreOffice (issue 17).

    python libreoffice_csv_check.py OUTPUT_DIR WORK_DIR

OUTPUT_DIR is a zonefacts run over tests/clients/formula_page/ (a page whose title and
sentences start with those characters). Each CSV table is converted to .xlsx by LibreOffice
headless (soffice) with its CSV import (comma, quote, UTF-8), then read back with openpyxl:
no cell may be a formula, and every text cell must still hold the page's text. The page's
figures must all be in measures.csv. Prints `N passed, M failed` last; exits 1 on a failure.
"""
import csv
import subprocess
import sys
from pathlib import Path

import openpyxl

out, work = Path(sys.argv[1]), Path(sys.argv[2])
work.mkdir(parents=True, exist_ok=True)
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    print(("ok    " if ok else "FAIL  ") + name + (f": {detail}" if detail and not ok else ""))
    passed, failed = passed + ok, failed + (not ok)


for table in ("articles", "measures", "entities", "zones"):
    src = out / f"{table}.csv"
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{work}/profile",
         "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(work), str(src)],
        check=True, capture_output=True, timeout=300)
    wb = openpyxl.load_workbook(work / f"{table}.xlsx")
    formulas = [c.coordinate for row in wb.active.iter_rows() for c in row if c.data_type == "f"]
    check(f"LibreOffice opens {table}.csv without formulas", not formulas, f"formula cells {formulas[:5]}")
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    sheet = [[c.value for c in row] for row in wb.active.iter_rows()]
    guarded = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v[:2] in ("'=", "'+", "'-", "'@")]
    same = all(str(sheet[r][c] or "").lstrip("'") == rows[r][c][1:] for r, c in guarded)
    check(f"{table}: the {len(guarded)} guarded cells read as their text", same)

with open(out / "measures.csv", encoding="utf-8-sig", newline="") as f:
    raw = [r["raw_text"] for r in csv.DictReader(f)]
for fig in ("300家", "5亿元", "12%", "8个", "20亿元"):
    check(f"figure {fig} extracted", fig in raw, f"got {raw}")
with open(out / "articles.csv", encoding="utf-8-sig", newline="") as f:
    titles = [r["title"] for r in csv.DictReader(f)]
check("the page keeps its title", any("苏州高新区新增企业300家" in t for t in titles), f"titles {titles}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
