"""Measure the communications trail, the money trail and the route map on a 100,000-event case.

Run: .venv/bin/python benchmarks/trails.py [--scale 70] [--runs 3]

The corridor case is generated at ``--scale`` times its size (70 gives about 100,000 calls,
messages, payments, trips and detections) in a temporary folder. For each widget, in its last
phase, the script prints the median seconds, in this process, to build it and then to update
every view after a change of filter: the phase (last to first and back), a time range of one
week (what a drag on the timeline does), the time range cleared, and the entity in focus (what
a click in a linked view does). The issue's goal is under one second for every change; the
script prints the figures and says which exceed it. Nothing fails on a timing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from widgets import CommunicationsTrail, MoneyTrail, RouteMap, load_case  # noqa: E402

GOAL_S = 1.0


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def busiest(case) -> dict[str, str]:
    """The entity each widget is told to focus on: the busiest phone, payee and traveller."""
    comms = case.communications
    phone = pd.concat([comms["caller"], comms["receiver"]]).value_counts().index[0]
    payee = case.payments["payee"].dropna().value_counts().index[0]
    trips = case.trips
    people = trips["passengers"].explode().dropna()
    traveller = people.value_counts().index[0]
    return {"CommunicationsTrail": phone, "MoneyTrail": payee, "RouteMap": traveller}


def measure(widget_class, case, focus: str, runs: int) -> dict[str, float]:
    start = time.perf_counter()
    widget = widget_class(case)
    built = time.perf_counter() - start
    last = widget.phase.value
    times = case.events["time"].dropna().sort_values()
    middle = times.iloc[len(times) // 2]
    week = (middle, middle + pd.Timedelta(days=7))

    def phase_round_trip() -> None:
        widget.phase.value = 1
        widget.phase.value = last

    def focus_and_back() -> None:
        widget.selected = focus
        widget.selected = None

    return {
        "build": built,
        "phase 1 and back (2 updates)": median_seconds(phase_round_trip, runs),
        "time range: one week": median_seconds(lambda: widget.set_time_range(*week), runs),
        "time range cleared": median_seconds(lambda: widget.set_time_range(None, None), runs),
        "focus and back (2 updates)": median_seconds(focus_and_back, runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=70)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corridor"
        shutil.copytree(REPO / "cases" / "corridor", folder)
        subprocess.run(
            [sys.executable, str(REPO / "cases" / "make_corridor.py"), "--scale", str(args.scale)]
            + ["--out", str(folder)],
            check=True,
            capture_output=True,
        )
        start = time.perf_counter()
        case = load_case(folder)
        loaded = time.perf_counter() - start
        last = case.released(len(case.phases))
        print(
            f"corridor x{args.scale}: {len(last.events):,} events "
            f"({len(last.communications):,} calls and messages, {len(last.payments):,} "
            f"payments, {len(last.trips):,} trips, {len(last.detections):,} detections); "
            f"loaded and validated in {loaded:.1f} s"
        )
        focus = busiest(last)
        slow = []
        for widget_class in (CommunicationsTrail, MoneyTrail, RouteMap):
            name = widget_class.__name__
            figures = measure(widget_class, last, focus[name], args.runs)
            print(f"\n{name} (focus: {focus[name]}), median of {args.runs} runs, seconds")
            for what, seconds in figures.items():
                per_update = seconds / 2 if "(2 updates)" in what else seconds
                flag = "" if what == "build" or per_update < GOAL_S else "  <-- over 1 s"
                if flag:
                    slow.append(f"{name}: {what}")
                print(f"  {what:<30}{seconds:>8.3f}{flag}")
        print("\nevery filter change under 1 s" if not slow else f"\nover 1 s: {slow}")


if __name__ == "__main__":
    main()
