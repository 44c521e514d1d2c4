#!/usr/bin/env python3
"""A pyarrow reader of all four tables while the nightly job publishes (issue 18, item 1).

usage: snapshot_loop.py ZONEFACTS INPUT_PAGES WORK_DIR [--publications N]

Copies INPUT_PAGES into WORK_DIR/in with one extra page that grows by a sentence (and a figure)
before each run, then runs `ZONEFACTS run` N times (default 30) into WORK_DIR/out while a
thread reads, as the README says to: resolve `out/current` once, then read articles, measures,
entities and zones in full from that folder and compare their rows with the manifest of the
same folder. Every run has its own counts, so two runs mixed in one read would not match.
Prints the tally and exits 1 on any mixed or failed read.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading

import pyarrow.parquet as pq

TABLES = ("articles", "measures", "entities", "zones")


def growing_page(n: int) -> str:
    """A page written for this check; its body gains one sentence with figures per run."""
    lines = ["北塘高新区动态", "", "北塘高新区推进新型工业化项目建设", "本报记者 宋雨", ""]
    for i in range(n + 1):
        lines.append(f"第{i + 1}季度,北塘高新区新落地项目{5 + i}个,完成投资{12 + 2 * i}亿元。")
    return "\n".join(lines) + "\n"


def read_run(run_dir: str):
    with open(os.path.join(run_dir, "_manifest.json"), encoding="utf-8") as f:
        counts = json.load(f)["counts"]
    expected = [counts[t] for t in TABLES]
    found = [pq.read_table(os.path.join(run_dir, f"{t}.parquet")).num_rows for t in TABLES]
    return expected, found


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("zonefacts")
    ap.add_argument("pages")
    ap.add_argument("work")
    ap.add_argument("--publications", type=int, default=30)
    ap.add_argument("--resolve", default="current",
                    help="the link to resolve, relative to the output folder")
    args = ap.parse_args()

    inp = os.path.join(args.work, "in")
    out = os.path.join(args.work, "out")
    os.makedirs(inp, exist_ok=True)
    for name in sorted(os.listdir(args.pages)):
        shutil.copy(os.path.join(args.pages, name), inp)
    grower = os.path.join(inp, "zz_growing.txt")

    def publish(n: int) -> None:
        with open(grower, "w", encoding="utf-8") as f:
            f.write(growing_page(n))
        subprocess.run([args.zonefacts, "run", "--input", inp, "--output", out, "--jobs", "1"],
                       check=True, stderr=subprocess.DEVNULL)

    publish(0)
    stop = threading.Event()
    tally = {"reads": 0, "mixed": [], "failed": [], "runs": set()}

    def reader() -> None:
        while not stop.is_set():
            try:
                run_dir = os.path.realpath(os.path.join(out, args.resolve))
                expected, found = read_run(run_dir)
            except Exception as e:  # a read that fails is what this check looks for
                tally["failed"].append(repr(e))
                continue
            tally["runs"].add(run_dir)
            if expected == found:
                tally["reads"] += 1
            else:
                tally["mixed"].append((expected, found))

    t = threading.Thread(target=reader)
    t.start()
    for n in range(1, args.publications + 1):
        publish(n)
    stop.set()
    t.join()
    print(f"snapshot loop: {args.publications} publications, {tally['reads']} consistent reads "
          f"of all four tables from {len(tally['runs'])} runs, {len(tally['mixed'])} mixed, "
          f"{len(tally['failed'])} failed")
    for m in tally["mixed"][:3]:
        print("  mixed:", m)
    for e in tally["failed"][:3]:
        print("  failed:", e)
    ok = not tally["mixed"] and not tally["failed"] and tally["reads"] >= args.publications
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
