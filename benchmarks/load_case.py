"""Measure how long loading and validating each case takes, and the memory its tables hold.

Run: .venv/bin/python benchmarks/load_case.py [--runs 5]
Prints the median of several cold loads (cache cleared) per case. Nothing fails on a timing.
"""

import argparse
import statistics
import time

from widgets import list_cases
from widgets.case import _load_cached, load_case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'case':<16}{'entities':>9}{'events':>8}{'load ms':>9}{'tables MB':>11}")
    for summary in list_cases():
        times = []
        for _ in range(args.runs):
            _load_cached.cache_clear()
            start = time.perf_counter()
            case = load_case(summary.path)
            times.append((time.perf_counter() - start) * 1000)
        size = sum(f.memory_usage(deep=True).sum() for f in case.tables.values()) / 2**20
        print(
            f"{summary.id:<16}{len(case.entities):>9}{len(case.events):>8}"
            f"{statistics.median(times):>9.1f}{size:>11.2f}"
        )


if __name__ == "__main__":
    main()
