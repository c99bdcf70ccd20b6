"""Measure how fast a 2,000-node graph appears in Voila, and whether the page stays responsive.

Run: .venv/bin/python benchmarks/graph_view_large.py [--nodes 2000] [--edges 6000] [--runs 1]
     [--mode physics|positions]

A standalone Voila (on 127.0.0.1, the repository's voila.json) serves a notebook that builds a
random graph (networkx's G(n, m), seeded) and shows it in a GraphView, twice over:

- ``physics``: no positions; the browser lays the graph out with bounded physics;
- ``positions``: positions from ``layout_positions`` in the kernel; no physics in the browser.

Headless Chromium (Debian's, internet blocked) opens each page and reports, in seconds from
navigation: when Voila showed the cells, when the canvas existed, when the layout was done
(``data-stabilized="true"`` on the widget), and how long a click on a node took to reach
Python. While the layout runs, a probe asks the page for ``1`` every 50 ms: the slowest
answer says how long the page was frozen at worst. Nothing fails on a timing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402
from servers import free_port, is_external, start_server, stop_server  # noqa: E402

GRAPH = ".casebook-graph"
CLICKED = ".graph-view-clicked"

BUILD = """\
import time

import networkx as nx
from ipywidgets import Label, VBox

from widgets.graph_view import GraphView, layout_positions

start = time.perf_counter()
graph = nx.gnm_random_graph({nodes}, {edges}, seed=1)
pos = layout_positions(graph) if {positions} else {{}}
layout_s = time.perf_counter() - start
nodes = [
    {{"id": str(n), "label": str(n), "group": f"g{{n % 5}}", **(
        {{"x": pos[n][0], "y": pos[n][1]}} if n in pos else {{}})}}
    for n in graph
]
view = GraphView(nodes=nodes, edges=[{{"from": str(a), "to": str(b)}} for a, b in graph.edges()])
clicked = Label("nothing selected").add_class("graph-view-clicked")
view.on_select(lambda kind, id: setattr(clicked, "value", f"{{kind}} {{id}}"))
build_s = time.perf_counter() - start
Label(f"kernel: layout {{layout_s:.2f}} s, build {{build_s:.2f}} s").add_class("graph-view-build")
"""

SHOW = "VBox([clicked, view])"

# Where the node nearest the middle of the drawing is, in the page.
MIDDLE = """(selector) => {
    const net = document.querySelector(selector).__casebook_network;
    const box = net.body.container.getBoundingClientRect();
    const middle = net.DOMtoCanvas({x: box.width / 2, y: box.height / 2});
    const near = (p) => (p.x - middle.x) ** 2 + (p.y - middle.y) ** 2;
    const nearest = Object.values(net.getPositions()).reduce((a, b) => near(a) <= near(b) ? a : b);
    const dom = net.canvasToDOM(nearest);
    return {x: box.left + dom.x, y: box.top + dom.y};
}"""
SELECTED = """(selector) =>
    document.querySelector(selector).__casebook_network.getSelectedNodes()[0] ?? null"""


def write_notebooks(folder: Path, nodes: int, edges: int) -> list[str]:
    """Write one notebook per mode into ``folder``; return their names."""
    names = []
    for mode in ("physics", "positions"):
        code = BUILD.format(nodes=nodes, edges=edges, positions=mode == "positions")
        notebook = new_notebook(
            cells=[new_code_cell(code), new_code_cell(SHOW)],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        )
        nbformat.write(notebook, folder / f"graph-{mode}.ipynb")
        names.append(f"graph-{mode}.ipynb")
    return names


def measure(page, url: str) -> dict[str, float | str]:
    """Open ``url`` and time the stages; return seconds from navigation, and notes."""
    blocked: list[str] = []
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: is_external(r.url) and blocked.append(r.url))
    result: dict[str, float | str] = {}
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector("#rendered_cells", state="visible", timeout=600_000)
    result["cells"] = time.perf_counter() - start
    page.wait_for_selector(f"{GRAPH} canvas", state="attached", timeout=600_000)
    result["canvas"] = time.perf_counter() - start
    # Probe responsiveness until the layout is done (Playwright's sync API: one thread).
    delays = []
    while True:
        asked = time.perf_counter()
        done = page.evaluate(f"document.querySelector('{GRAPH}').dataset.stabilized === 'true'")
        delays.append(time.perf_counter() - asked)
        if done:
            break
        if time.perf_counter() - start > 600:
            result["note"] = "layout not done after 600 s"
            break
        page.wait_for_timeout(50)
    result["stabilized"] = time.perf_counter() - start
    result["probe_max_ms"] = max(delays) * 1000
    result["probe_median_ms"] = statistics.median(delays) * 1000
    result["probes"] = len(delays)
    where = page.evaluate(MIDDLE, GRAPH)
    clicked = time.perf_counter()
    page.mouse.click(where["x"], where["y"])
    node = page.evaluate(SELECTED, GRAPH)
    page.wait_for_function(
        f"document.querySelector('{CLICKED}').textContent === 'node {node}'", timeout=60_000
    )
    result["click_ms"] = (time.perf_counter() - clicked) * 1000
    result["kernel"] = page.locator(".graph-view-build").inner_text()
    result["blocked"] = len(blocked)
    result["errors"] = len(errors)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--mode", choices=["physics", "positions"], action="append")
    parser.add_argument("--screenshots", type=Path, default=REPO / "test-artifacts" / "screenshots")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="casebook-graph-bench-"))
    names = write_notebooks(folder, args.nodes, args.edges)
    port = free_port()
    command = [
        sys.executable, "-m", "voila", str(folder), "--no-browser",
        "--Voila.ip=127.0.0.1", f"--Voila.port={port}", "--Voila.port_retries=0",
    ]  # fmt: skip
    server = start_server("graph-view-bench", command, port, ready_path="")
    print(f"G(n={args.nodes}, m={args.edges}); seconds from navigation")
    print(
        f"{'mode':<11}{'cells':>7}{'canvas':>8}{'layout':>8}{'frozen max ms':>15}"
        f"{'median ms':>11}{'click ms':>10}{'blocked':>9}{'errors':>8}  kernel"
    )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            for name in names:
                if args.mode and name[6:-6] not in args.mode:
                    continue
                for _ in range(args.runs):
                    page = browser.new_page(viewport=VIEWPORT)
                    page.route(
                        "**/*",
                        lambda route: (
                            route.abort() if is_external(route.request.url) else route.continue_()
                        ),
                    )
                    r = measure(page, f"{server.url}voila/render/{name}")
                    args.screenshots.mkdir(parents=True, exist_ok=True)
                    page.screenshot(
                        path=str(args.screenshots / f"graph_view_large_{name[6:-6]}.png")
                    )
                    page.close()
                    print(
                        f"{name[6:-6]:<11}{r['cells']:>7.1f}{r['canvas']:>8.1f}"
                        f"{r['stabilized']:>8.1f}{r['probe_max_ms']:>15.0f}"
                        f"{r['probe_median_ms']:>11.0f}{r['click_ms']:>10.0f}"
                        f"{r['blocked']:>9}{r['errors']:>8}  {r['kernel']}"
                        + (f"  ({r['note']})" if "note" in r else ""),
                        flush=True,
                    )
            browser.close()
    finally:
        stop_server(server)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
