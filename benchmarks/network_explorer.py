"""Measure the network explorer: building it in Python, and showing 02-network in a browser.

Run: .venv/bin/python benchmarks/network_explorer.py [--runs 3]

1. In this process: the median time to build ``NetworkExplorer`` (network, measures, styling,
   dossier lists) for the demo case, the corridor case, and the corridor generated at ten
   times its size, each in its last phase; with node and tie counts.
2. In Debian's headless Chromium, from a standalone Voila started as ``make serve`` starts it:
   seconds from navigation to the page's ``casebook-ready`` marker and to the end of the
   graph's layout, for the demo and the corridor in their last phase.

The 2,000-node, 6,000-edge graph is measured by benchmarks/graph_view_large.py. Nothing fails
on a timing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402
from servers import free_port, standalone_command, start_server, stop_server  # noqa: E402

from widgets import NetworkExplorer, load_case  # noqa: E402

STABLE = (
    "() => [...document.querySelectorAll('.casebook-network *')]"
    ".some(e => e.__casebook_network && e.dataset.stabilized === 'true')"
)


def python_side(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "corridor-x10"
        subprocess.run(
            [
                sys.executable,
                str(REPO / "cases" / "make_corridor.py"),
                "--scale",
                "10",
                "--out",
                str(big),
            ],
            check=True,
            capture_output=True,
        )
        print(f"{'case':<16}{'events':>8}{'nodes':>7}{'ties':>7}{'build s':>9}")
        for name in ("demo", "corridor", big):
            case = load_case(name)
            last = case.released(len(case.phases))
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                explorer = NetworkExplorer(last)
                times.append(time.perf_counter() - start)
            label = Path(str(name)).name
            print(
                f"{label:<16}{len(last.events):>8}{explorer.g.number_of_nodes():>7}"
                f"{explorer.g.number_of_edges():>7}{statistics.median(times):>9.2f}"
            )


def browser_side(runs: int) -> None:
    port = free_port()
    server = start_server("benchmark", standalone_command(port), port, ready_path="")
    try:
        print(f"\n{'page':<28}{'ready s':>9}{'layout done s':>15}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for case in ("demo", "corridor"):
                phases = len(load_case(case).phases)
                progress = server.data_dir / "progress" / case / "bench.json"
                progress.parent.mkdir(parents=True, exist_ok=True)
                unlocked = list(range(2, phases + 1))
                progress.write_text(json.dumps({"unlocked": unlocked}), encoding="utf-8")
                ready, stable = [], []
                for _ in range(runs):
                    page = browser.new_page(viewport=VIEWPORT)
                    page.route(
                        "**/*",
                        lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort(),
                    )
                    start = time.perf_counter()
                    page.goto(f"{server.url}voila/render/02-network.ipynb?case={case}&team=bench")
                    page.wait_for_selector(".casebook-ready", timeout=300_000)
                    ready.append(time.perf_counter() - start)
                    page.wait_for_function(STABLE, timeout=300_000)
                    stable.append(time.perf_counter() - start)
                    page.close()
                label = f"02-network {case} (phase {phases})"
                print(
                    f"{label:<28}{statistics.median(ready):>9.2f}{statistics.median(stable):>15.2f}"
                )
            browser.close()
    finally:
        stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    python_side(args.runs)
    browser_side(args.runs)


if __name__ == "__main__":
    main()
