"""GraphView in a real browser: the graph is drawn offline and a click reaches Python.

A standalone Voila serves tests/fixtures/: Zachary's karate club drawn by GraphView, a label
that shows what was clicked, and a button that removes a node and brings it back. Chromium
is launched as in test_browser.py, with the internet cut off, but from a thread of its own:
Playwright's sync API allows one instance per thread, and test_browser.py's session browser
may still be open.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, Guard, Watch, screenshot
from playwright.sync_api import sync_playwright
from servers import fixtures_command, free_port, is_external, start_server, stop_server

pytestmark = pytest.mark.browser

GRAPH = ".casebook-graph"
CLICKED = ".graph-view-clicked"
REMOVE = ".graph-view-remove"
NODE = "33"  # the officer's hub: large, far from the edge of the drawing

# The position of a node in the page, through the hook GraphView puts on its element.
NODE_IN_PAGE = """([selector, id]) => {
    const net = document.querySelector(selector).__casebook_network;
    const dom = net.canvasToDOM(net.getPositions([id])[id]);
    const box = net.body.container.getBoundingClientRect();
    return {x: box.left + dom.x, y: box.top + dom.y};
}"""
OPACITY = """([selector, id]) =>
    document.querySelector(selector).__casebook_network.body.data.nodes.get(id).opacity"""
# Marks the network object, to tell an update in place from a new drawing.
MARK = """(selector) => {
    const net = document.querySelector(selector).__casebook_network;
    net.__casebook_mark = true;
    return net.getPositions(["33"])["33"];
}"""
AFTER_REMOVAL = """(selector) => {
    const net = document.querySelector(selector).__casebook_network;
    return {same: net.__casebook_mark === true, nodes: net.body.data.nodes.length,
            edges: net.body.data.edges.length, hub: net.getPositions(["33"])["33"]};
}"""


@dataclass
class Visit:
    """What the browser saw: sizes, texts, and what went wrong."""

    canvas: tuple[int, int] = (0, 0)
    label: str = ""
    opacity: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    screenshot: str = ""
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    restored: dict = field(default_factory=dict)


@pytest.fixture(scope="module")
def fixture_server():
    """Standalone Voila over tests/fixtures, on 127.0.0.1, with the repository's settings."""
    port = free_port()
    server = start_server("graph-view", fixtures_command(port), port, ready_path="")
    yield server
    stop_server(server)


def visit(url: str, profile: str) -> Visit:
    """Open the fixture, wait for the layout, click a node; runs in its own thread."""
    seen = Visit()
    guard = Guard()
    guard.watch = watch = Watch()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
        )
        try:
            context.set_default_timeout(60_000)
            context.route("**/*", guard.route)
            page = context.new_page()
            page.on(
                "console",
                lambda m: m.type == "error" and watch.errors.append(m.text),
            )
            page.on("pageerror", lambda error: watch.errors.append(f"uncaught: {error}"))
            page.on(
                "websocket",
                lambda s: is_external(s.url) and watch.blocked.append(s.url),
            )
            page.goto(url)
            page.wait_for_selector(f"{GRAPH} canvas", timeout=120_000)
            page.wait_for_function(
                f"document.querySelector('{GRAPH}').dataset.stabilized === 'true'",
                timeout=60_000,
            )
            box = page.locator(f"{GRAPH} canvas").first.bounding_box()
            seen.canvas = (round(box["width"]), round(box["height"])) if box else (0, 0)
            where = page.evaluate(NODE_IN_PAGE, [GRAPH, NODE])
            page.mouse.click(where["x"], where["y"])
            try:
                page.wait_for_function(
                    f"document.querySelector('{CLICKED}').textContent.includes('node {NODE}')",
                    timeout=10_000,
                )
            except Exception:  # the assertion below says what the label shows
                pass
            seen.label = page.locator(CLICKED).inner_text()
            page.wait_for_timeout(500)  # the highlight comes back from the kernel
            seen.opacity = {n: page.evaluate(OPACITY, [GRAPH, n]) for n in (NODE, "32", "16")}
            seen.screenshot = str(screenshot(page, "graph_view"))
            seen.before = page.evaluate(MARK, GRAPH)
            page.locator(REMOVE).click()
            page.wait_for_function(
                f"document.querySelector('{GRAPH}').__casebook_network"
                ".body.data.nodes.length === 33",
                timeout=10_000,
            )
            seen.after = page.evaluate(AFTER_REMOVAL, GRAPH)
            page.locator(REMOVE).click()  # back again: a new node is laid out, bounded
            page.wait_for_function(
                f"document.querySelector('{GRAPH}').__casebook_network"
                ".body.data.nodes.length === 34",
                timeout=10_000,
            )
            page.wait_for_function(
                f"document.querySelector('{GRAPH}').dataset.stabilized === 'true'",
                timeout=30_000,
            )
            seen.restored = page.evaluate(AFTER_REMOVAL, GRAPH)
            seen.problems = watch.problems()
        finally:
            context.close()
    return seen


def test_graph_is_drawn_and_a_click_reaches_python(fixture_server, tmp_path):
    url = fixture_server.url + "voila/render/graph_view.ipynb"
    with ThreadPoolExecutor(1) as thread:
        seen = thread.submit(visit, url, str(tmp_path / "profile")).result(timeout=300)
    width, height = seen.canvas
    assert width > 100 and height > 100, f"canvas {seen.canvas}; {seen.screenshot}"
    assert seen.label == f"node {NODE}", f"label after the click: {seen.label!r}"
    # The fixture highlights the clicked node and its neighbours; member 16 is not one.
    assert seen.opacity["33"] == 1 and seen.opacity["32"] == 1, seen.opacity
    assert seen.opacity["16"] < 0.5, seen.opacity
    # Removing a node updates the drawing in place: same network, the others stay put.
    assert seen.after["same"], "the network was drawn anew instead of updated"
    assert (seen.after["nodes"], seen.after["edges"]) == (33, 76), seen.after
    assert seen.after["hub"] == seen.before, (seen.before, seen.after["hub"])
    assert seen.restored["same"] and seen.restored["nodes"] == 34, seen.restored
    assert seen.restored["edges"] == 78, seen.restored
    assert not seen.problems, "\n".join(seen.problems)
