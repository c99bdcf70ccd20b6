"""Measure the communications trail, the money trail and the route map on a 100,000-event case.

Run: .venv/bin/python benchmarks/trails.py [--scale 70] [--runs 3] [--no-browser]

The corridor case is generated at ``--scale`` times its size (70 gives about 100,000 calls,
messages, payments, trips and detections) in a temporary folder. For each widget, in its last
phase, the script prints the median seconds, in this process, to build it and then to update
every view after a change of filter: the phase (last to first and back), a time range of one
week (what a drag on the timeline does), the time range cleared, and the entity in focus,
twice (what a click in a linked view does). The issue's goal is under one second for every
change; the script prints the figures and says which exceed it. Nothing fails on a timing.

Then, in Debian's headless Chromium, from a standalone Voila serving that case: the seconds
from navigation to each workbook's ``casebook-ready`` marker, and from the end of a drag across
its timeline to the moment the page stops changing (every chart redrawn, every table
replaced; "stops" means nothing changed for half a second, which is not counted).
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

sys.path.insert(0, str(REPO / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from servers import free_port, is_external, standalone_command, start_server, stop_server  # noqa: E402

from widgets import CommunicationsTrail, MoneyTrail, RouteMap, load_case  # noqa: E402

WORKBOOKS = ("03-communications", "04-money", "05-route")
# The first chart whose drag is a horizontal selection: the widget's timeline.
TIMELINE = """() => {
    const plots = [...document.querySelectorAll('.casebook-chart-plot')];
    const i = plots.findIndex(p => p._fullLayout && p._fullLayout.dragmode === 'select');
    if (i < 0) return null;
    plots[i].scrollIntoView({block: 'center'});
    const box = plots[i].querySelector('.nsewdrag').getBoundingClientRect();
    return {x: box.x, y: box.y, width: box.width, height: box.height};
}"""
# What the widget shows, in short: every chart's revision and the widget's text.
STATE = """() => {
    const view = document.querySelector('.casebook-comms, .casebook-money, .casebook-route');
    const text = view ? view.innerText : '';
    return [...document.querySelectorAll('.casebook-chart-plot')]
        .map(p => p.dataset.drawn).join(',') + '|' + text.length + '|' + text;
}"""

GOAL_S = 1.0


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def focuses(case) -> dict[str, tuple[str, str]]:
    """Two entities for each widget to focus on in turn: busy phones, payees and travellers.

    The phones are the sixth and seventh busiest: the trail opens on the busiest, and a focus
    on what is already shown changes nothing.
    """
    comms = case.communications
    phones = pd.concat([comms["caller"], comms["receiver"]]).value_counts().index[5:7]
    payees = case.payments["payee"].dropna().value_counts().index[:2]
    travellers = case.trips["passengers"].explode().dropna().value_counts().index[:2]
    return {
        "CommunicationsTrail": tuple(phones),
        "MoneyTrail": tuple(payees),
        "RouteMap": tuple(travellers),
    }


def measure(widget_class, case, focus: tuple[str, str], runs: int) -> dict[str, float]:
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

    def focus_in_turn() -> None:
        widget.selected = focus[0]
        widget.selected = focus[1]

    return {
        "build": built,
        "phase 1 and back (2 updates)": median_seconds(phase_round_trip, runs),
        "time range: one week": median_seconds(lambda: widget.set_time_range(*week), runs),
        "time range cleared": median_seconds(lambda: widget.set_time_range(None, None), runs),
        "focus on one, then another (2 updates)": median_seconds(focus_in_turn, runs),
    }


def settle_seconds(page, quiet_s: float = 0.5, limit_s: float = 30.0) -> float:
    """Seconds until the page last changed, polled every 20 ms until quiet for ``quiet_s``."""
    start = time.perf_counter()
    last_state, last_change = page.evaluate(STATE), start
    while time.perf_counter() - last_change < quiet_s and time.perf_counter() - start < limit_s:
        page.wait_for_timeout(20)
        state = page.evaluate(STATE)
        if state != last_state:
            last_state, last_change = state, time.perf_counter()
    return last_change - start


def browser_side(cases: Path, runs: int, workbooks: list[str]) -> None:
    port = free_port()
    command = ["env", f"CASEBOOK_CASES={cases}", *standalone_command(port)]
    server = start_server("benchmark-trails", command, port, ready_path="")
    try:
        progress = server.data_dir / "progress" / "corridor" / "bench.json"
        progress.parent.mkdir(parents=True, exist_ok=True)
        progress.write_text('{"unlocked": [2, 3, 4, 5]}', encoding="utf-8")
        print(f"\nin Chromium, median of {runs} runs, s")
        print(f"  {'workbook':<22}{'ready':>8}{'after a drag':>14}{'blocked':>9}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for workbook in workbooks:
                ready, settled, blocked = [], [], []
                for _ in range(runs):
                    page = browser.new_page(viewport=VIEWPORT)

                    def guard(route, blocked=blocked):
                        if is_external(route.request.url):
                            blocked.append(route.request.url)
                            route.abort()
                        else:
                            route.continue_()

                    page.route("**/*", guard)
                    start = time.perf_counter()
                    page.goto(
                        f"{server.url}voila/render/{workbook}.ipynb?case=corridor&team=bench",
                        wait_until="commit",
                    )
                    page.wait_for_selector(".casebook-ready", timeout=600_000)
                    page.wait_for_selector(".casebook-chart-plot[data-drawn]", timeout=120_000)
                    ready.append(time.perf_counter() - start)
                    settle_seconds(page)
                    box = page.evaluate(TIMELINE)
                    page.wait_for_timeout(300)  # the scroll
                    box = page.evaluate(TIMELINE)
                    y = box["y"] + box["height"] / 2
                    page.mouse.move(box["x"] + box["width"] * 0.45, y)
                    page.mouse.down()
                    page.mouse.move(box["x"] + box["width"] * 0.55, y + 5, steps=5)
                    page.mouse.up()
                    settled.append(settle_seconds(page))
                    page.close()
                print(
                    f"  {workbook:<22}{statistics.median(ready):>8.2f}"
                    f"{statistics.median(settled):>14.2f}{len(blocked):>9}"
                )
            browser.close()
    finally:
        stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=70)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    parser.add_argument("--workbooks", nargs="*", default=list(WORKBOOKS), help="for Chromium")
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
        focus = focuses(last)
        slow = []
        for widget_class in (CommunicationsTrail, MoneyTrail, RouteMap):
            name = widget_class.__name__
            figures = measure(widget_class, last, focus[name], args.runs)
            print(f"\n{name} (focus: {' then '.join(focus[name])}), median of {args.runs} runs, s")
            for what, seconds in figures.items():
                per_update = seconds / 2 if "(2 updates)" in what else seconds
                flag = "" if what == "build" or per_update < GOAL_S else "  <-- over 1 s"
                if flag:
                    slow.append(f"{name}: {what}")
                print(f"  {what:<40}{seconds:>8.3f}{flag}")
        print("\nevery filter change under 1 s" if not slow else f"\nover 1 s: {slow}")
        if not args.no_browser:
            browser_side(Path(tmp), args.runs, args.workbooks)


if __name__ == "__main__":
    main()
