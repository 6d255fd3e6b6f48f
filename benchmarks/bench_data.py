"""Time and memory of loading, cleaning and fitting a full-size IoTID20 file.

Makes a synthetic file of the official release's size and format (625,783
rows, 86 columns, every class in release proportion), then, in a fresh
process so that the peak memory is the pipeline's own, reads it, cleans it
and runs the whole fit (candidates, ranking, selection, parameters,
threshold). Prints one table. Target (issue 4): cleaning and fitting within
60 s and 1.5 GB peak resident memory on this machine.

Usage: ``python benchmarks/bench_data.py [--rows N] [--keep FILE]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mirai_gmm.facts import OFFICIAL_ROWS

# Runs in the child process; prints one JSON line of timings.
CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from mirai_gmm.cleaning import clean_flows
from mirai_gmm.loading import read_flows
from mirai_gmm.pipeline import fit_pipeline
marks = {"import": time.perf_counter() - start}
raw = read_flows(sys.argv[1])
marks["load"] = time.perf_counter() - start - sum(marks.values())
clean = clean_flows(raw)
marks["clean"] = time.perf_counter() - start - sum(marks.values())
del raw
result = fit_pipeline(clean, seed=0)
marks["fit"] = time.perf_counter() - start - sum(marks.values())
marks["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
marks["rows_kept"] = clean.report["rows_kept"]
marks["selected"] = len(result.selected)
print(json.dumps(marks))
"""


def make_file(path: Path, rows: int) -> float:
    from mirai_gmm.synthetic import write_synthetic

    start = time.perf_counter()
    write_synthetic(path, n_rows=rows, seed=0, classes="all")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=OFFICIAL_ROWS, help="file size")
    parser.add_argument("--keep", type=Path, help="write the file here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "iotid20-synthetic-full.csv"
        made = make_file(path, args.rows)
        size_mib = path.stat().st_size / 2**20
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
    marks = json.loads(child.stdout.strip().splitlines()[-1])
    total = marks["load"] + marks["clean"] + marks["fit"]

    print(f"# Full-size pipeline benchmark, {time.strftime('%Y-%m-%d')}")
    print(f"File: {args.rows:,} rows x 86 columns, {size_mib:.0f} MiB CSV")
    print(f"(made in {made:.1f} s, not counted)\n")
    print("| step | seconds |")
    print("| --- | ---: |")
    for step in ("load", "clean", "fit"):
        print(f"| {step} | {marks[step]:.1f} |")
    print(f"| load + clean + fit | {total:.1f} |")
    print(f"\nRows kept {marks['rows_kept']:,}; features selected {marks['selected']}.")
    print(f"Peak resident memory of the process: {marks['peak_rss_mib']:.0f} MiB")
    met = total <= 60 and marks["peak_rss_mib"] <= 1.5 * 1024
    print(f"Target (<= 60 s and <= 1,536 MiB): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
