"""Measure how a case's load time and memory grow with its size, parsed and from the disk cache.

Run: .venv/bin/python benchmarks/load_case.py [--runs 5] [--scale 10 100]

For each case in cases/, and for the corridor case generated ``--scale`` times larger
(cases/make_corridor.py, in a temporary folder), the script prints the median of ``--runs``
loads in this process:

- ``parse s``: reading, parsing and validating the files (what the first kernel does);
- ``cached s``: reading the parsed case back from the disk cache (widgets/case_cache.py),
  what every later page's kernel does;
- ``tables MB``: what the case's tables hold in memory (pandas, deep);
- ``peak MB``: the growth of this process's peak resident memory while parsing, measured in a
  child process per case so that one case's peak does not hide another's.

Nothing fails on a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# One load in a fresh process: parse (empty cache), then read back (cache filled), then sizes.
CHILD = """
import json, resource, sys, time
from widgets import case as case_module
from widgets.case import load_case

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

before = peak()
start = time.perf_counter()
case = load_case(sys.argv[1])
parse = time.perf_counter() - start
grown = peak() - before
case_module._load_cached.cache_clear()
start = time.perf_counter()
case = load_case(sys.argv[1])
cached = time.perf_counter() - start
tables = sum(f.memory_usage(deep=True).sum() for f in case.tables.values()) / 2**20
print(json.dumps({"parse": parse, "cached": cached, "tables": tables, "peak": grown,
                  "entities": len(case.entities), "events": len(case.events)}))
"""


def measure(folder: Path, runs: int) -> dict:
    """Return the medians of ``runs`` child processes loading ``folder``, each cache empty."""
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="casebook-cache-") as cache:
            env = {**os.environ, "CASEBOOK_CACHE": cache}
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(folder)],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, nargs="*", default=[10, 100])
    args = parser.parse_args()
    from widgets import list_cases

    print(
        f"{'case':<16}{'entities':>9}{'events':>8}{'parse s':>9}{'cached s':>10}"
        f"{'tables MB':>11}{'peak MB':>9}"
    )
    with tempfile.TemporaryDirectory(prefix="casebook-bench-load-") as tmp:
        folders = [(s.id, s.path) for s in list_cases()]
        for scale in args.scale:
            folder = Path(tmp) / f"corridor-x{scale}"
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    str(REPO / "cases" / "make_corridor.py"),
                    "--scale",
                    str(scale),
                    "--out",
                    str(folder),
                ],
                check=True,
                capture_output=True,
            )
            print(f"(generated corridor x{scale} in {time.perf_counter() - started:.1f} s)")
            folders.append((f"corridor x{scale}", folder))
        for name, folder in folders:
            m = measure(folder, args.runs)
            print(
                f"{name:<16}{m['entities']:>9.0f}{m['events']:>8.0f}{m['parse']:>9.2f}"
                f"{m['cached']:>10.3f}{m['tables']:>11.1f}{m['peak']:>9.0f}"
            )


if __name__ == "__main__":
    main()
