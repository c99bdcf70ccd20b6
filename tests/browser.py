"""Real browser machinery: Debian's Chromium, driven by Playwright, with the internet blocked.

Every request to a host other than this machine is aborted and counted, console errors and
uncaught page errors are collected ("Unsatisfied version" messages from the widget manager
are warnings, and harmless), and a full-page screenshot of each page is saved to
test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from servers import ARTIFACTS, is_external

CHROMIUM = Path(os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOTS = ARTIFACTS / "screenshots"
READY = ".casebook-ready"  # the widgets package sets it when a page has finished building
RENDER_TIMEOUT_MS = 120_000  # the kernel runs every cell first
READY_TIMEOUT_MS = 30_000


@dataclass
class Watch:
    """What one page did that it must not: requests off this machine, errors."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Return everything wrong, one line each."""
        return [f"request off this machine (blocked): {u}" for u in self.blocked] + [
            f"console error: {e}" for e in self.errors
        ]


class Guard:
    """Aborts every request that would leave this machine, and records it."""

    def __init__(self) -> None:
        self.watch = Watch()

    def route(self, route) -> None:
        url = route.request.url
        if is_external(url):
            self.watch.blocked.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()


@pytest.fixture(scope="session")
def browser():
    """A Chromium of its own (fresh profile), 1280x800, with the internet cut off.

    Yields its first context and the guard; :func:`other_browser_context` opens another.
    """
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Install Debian's package (`make chromium` or "
            "`apt-get install chromium`), or set CASEBOOK_CHROMIUM to its path. Playwright's "
            "own browser download does not work offline, so these tests use the system's.",
            pytrace=False,
        )
    guard = Guard()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = guarded_context(chromium, guard)
        yield context, guard
        context.close()
        chromium.close()


def guarded_context(chromium, guard: Guard):
    """A fresh browser context (its own cookies and storage), 1280x800, internet cut off."""
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    context.route("**/*", guard.route)
    return context


def watch_tab(tab: Page, watch: Watch) -> Page:
    """Record the tab's console errors, uncaught errors and off-machine websockets."""

    def on_console(message) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            watch.errors.append(f"{message.text} ({where})" if where else message.text)

    def on_websocket(socket) -> None:
        if is_external(socket.url):
            watch.blocked.append(socket.url)

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: watch.errors.append(f"uncaught: {error}"))
    tab.on("websocket", on_websocket)
    tab.watch = watch
    return tab


def other_browser_context(page: Page) -> Page:
    """A tab in a second browser context (another participant's browser), watched like ``page``.

    Close its context when done: ``tab.context.close()``.
    """
    guard = Guard()
    guard.watch = page.watch
    context = guarded_context(page.context.browser, guard)
    return watch_tab(context.new_page(), page.watch)


@pytest.fixture
def page(browser):
    """A new tab, watched: blocked requests, console errors and page errors are recorded."""
    context, guard = browser
    guard.watch = watch = Watch()
    tab = watch_tab(context.new_page(), watch)
    yield tab
    tab.close()


# Where a node of the network explorer is on the screen (scrolled into view first).
NODE_POSITION = """(id) => {
  const el = [...document.querySelectorAll('.casebook-network *')].find(e => e.__casebook_network);
  const net = el.__casebook_network;
  el.scrollIntoView({block: 'center'});
  const p = net.canvasToDOM(net.getPositions([id])[id]);
  const box = el.querySelector('canvas').getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y, stable: el.dataset.stabilized};
}"""


def unlock(server, case: str, team: str, phases: list[int]) -> None:
    """Release ``phases`` of ``case`` to ``team`` on ``server``, as codes entered would."""
    from widgets.progress import team_slug

    progress = server.data_dir / "progress" / case / f"{team_slug(team)}.json"
    progress.parent.mkdir(parents=True, exist_ok=True)
    progress.write_text(json.dumps({"team": team, "unlocked": phases}), encoding="utf-8")


def wait_until_ready(page: Page) -> None:
    """Wait for Voila to show the cells, for the widgets to be built, then for calm.

    ``.casebook-ready`` must be visible in Playwright's sense: a box of some size, not
    hidden. Voila's own signal comes first, so that a page without the marker fails fast.
    """
    failure = None
    try:
        page.wait_for_selector("#rendered_cells", state="visible", timeout=RENDER_TIMEOUT_MS)
    except PlaywrightTimeout:
        failure = f"Voila did not show the cells within {RENDER_TIMEOUT_MS // 1000} s"
    if failure is None:
        try:
            page.wait_for_selector(READY, state="visible", timeout=READY_TIMEOUT_MS)
        except PlaywrightTimeout:
            found = page.locator(READY).count()
            state = "is there but not visible (no size, or hidden)" if found else "never appeared"
            failure = f"{READY} {state} within {READY_TIMEOUT_MS // 1000} s of the cells"
    if failure:
        pytest.fail(f"{page.url}: {failure}; so far: {page.watch.problems()}", pytrace=False)
    try:
        page.wait_for_load_state("networkidle", timeout=15_000)
    except PlaywrightTimeout:
        pass  # a page may keep polling; the errors collected so far still count
    page.wait_for_timeout(500)  # late errors from widgets that render after the marker


# Voila's page scrolls inside a panel (#rendered_cells), not the document, so a "full page"
# screenshot would stop at the window: the window is made as tall as the content instead.
CONTENT_HEIGHT = """() => Math.max(document.documentElement.scrollHeight,
    ...Array.from(document.querySelectorAll('*'), e => {
        const overflow = getComputedStyle(e).overflowY;
        return overflow === 'auto' || overflow === 'scroll' ? e.scrollHeight : 0;
    }))"""


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot of the whole page as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    height = min(int(page.evaluate(CONTENT_HEIGHT)), 12_000)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)
    return path
