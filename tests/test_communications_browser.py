"""The communications trail in a real browser: brush the timeline, pick a line, follow a click.

Workbook 03-communications is opened in standalone Voila on the demo case (phase 2) and on
the corridor (phase 5). A drag across the timeline must reach Python and change the contact
table; picking a line must change the views that depend on it; a click on a person in the
linked network explorer must pick that person's lines in the trail. Screenshots go to
test-artifacts/screenshots/03-communications-*.png for a person to look at.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from browser import (
    CONTENT_HEIGHT,
    NODE_POSITION,
    SCREENSHOTS,
    VIEWPORT,
    screenshot,
    unlock,
    wait_until_ready,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TRAIL = ".casebook-comms"
TIMELINE = f"{TRAIL} .casebook-comms-timeline"
CONTACTS = f"{TRAIL} .casebook-comms-contacts"
RANGE = f"{TRAIL} .casebook-comms-range"


def open_trail(page, server, case: str, unlocked: list[int]) -> None:
    unlock(server, case, "Comms", unlocked)
    page.goto(f"{server.url}voila/render/03-communications.ipynb?case={case}&team=Comms")
    wait_until_ready(page)
    # the timeline has been drawn by plotly.js (the Chart marks it)
    page.wait_for_selector(f"{TIMELINE} .casebook-chart-plot[data-drawn]", timeout=60_000)


def drawn(page, selector: str) -> str:
    return page.locator(f"{selector} .casebook-chart-plot").first.get_attribute("data-drawn")


def brush(page, start: float, end: float) -> None:
    """Drag across the timeline from ``start`` to ``end`` (fractions of its width)."""
    area = page.locator(f"{TIMELINE} .nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end, y + 5, steps=10)
    page.mouse.up()


@contextmanager
def tall_window(page):
    """Make the window as tall as the page, so that a whole element is drawn (as screenshot())."""
    height = min(int(page.evaluate(CONTENT_HEIGHT)), 12_000)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])})
    try:
        page.wait_for_timeout(300)
        yield
    finally:
        page.set_viewport_size(VIEWPORT)


def shoot_tabs(page, name: str) -> None:
    """A picture of the trail on each of its tabs, for a person to look at."""
    trail = page.locator(TRAIL).first
    with tall_window(page):
        for tab in ("Contacts", "Activity", "Between them", "Common contacts", "New numbers"):
            page.get_by_role("tab", name=tab, exact=True).first.click()
            page.wait_for_timeout(600)
            shot = SCREENSHOTS / f"{name}-{tab.lower().replace(' ', '-')}.png"
            trail.screenshot(path=str(shot))
        page.get_by_role("tab", name="Cell sites", exact=True).first.click()
        page.wait_for_timeout(600)
        trail.locator(".casebook-comms-cells").first.screenshot(
            path=str(SCREENSHOTS / f"{name}-cell-sites.png")
        )
        page.get_by_role("tab", name="Contacts", exact=True).first.click()


def wait_for_network(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.casebook-network *')]"
        ".some(e => e.__casebook_network && e.dataset.stabilized === 'true')",
        timeout=60_000,
    )


def test_communications_trail_on_the_demo_case(page, voila_standalone):
    open_trail(page, voila_standalone, "demo", [2])
    contacts = page.locator(CONTACTS).first
    expect(contacts).to_contain_text("4 contacts of +38970000141 (Dragan Kostovski)")
    expect(page.locator(RANGE).first).to_contain_text("Showing all times")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(page, "03-communications-demo")
    shoot_tabs(page, "03-communications-demo")

    # a drag over the last part of the timeline (the night of 13-14 May) narrows every view
    before = contacts.text_content()
    revision = drawn(page, TIMELINE)
    brush(page, 0.965, 0.999)
    expect(page.locator(RANGE).first).not_to_contain_text("all times", timeout=30_000)
    expect(contacts).not_to_have_text(before, timeout=30_000)
    page.wait_for_function(
        f"() => document.querySelector('{TIMELINE} .casebook-chart-plot')"
        f".getAttribute('data-drawn') !== '{revision}'"
    )
    # the timeline, zoomed in and drawn again, keeps the range (plotly re-selecting after a
    # redraw must not count as a clear)
    page.wait_for_timeout(1500)
    assert "Showing 2024-05-1" in page.locator(RANGE).first.inner_text()
    assert "2 contacts of" in contacts.inner_text(), contacts.inner_text()
    screenshot(page, "03-communications-demo-brushed")
    # a double click on the timeline shows all times again
    area = page.locator(f"{TIMELINE} .nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    expect(page.locator(RANGE).first).to_contain_text("Showing all times", timeout=30_000)
    expect(contacts).to_have_text(before, timeout=30_000)

    # picking the walker's line: his contacts, and the map of his cell sites
    page.get_by_label("Lines", exact=True).select_option(label="+38971000588 (Goran Ilievski)")
    expect(contacts).to_contain_text("1 contact of +38971000588 (Goran Ilievski)", timeout=30_000)
    page.get_by_role("tab", name="Cell sites", exact=True).first.click()
    expect(page.locator(f"{TRAIL} .casebook-comms-cells").first).to_contain_text(
        "+38971000588 (Goran Ilievski)"
    )
    page.get_by_role("tab", name="Contacts", exact=True).first.click()

    # a click on the organiser in the linked network picks both of his lines
    wait_for_network(page)
    where = page.evaluate(NODE_POSITION, "P-ORG")
    page.mouse.click(where["x"], where["y"])
    expect(page.locator(".casebook-dossier").first).to_contain_text("Besnik Marku")
    expect(contacts).to_contain_text("the 2 lines chosen", timeout=30_000)
    chosen = page.get_by_label("Lines", exact=True).evaluate(
        "s => [...s.selectedOptions].map(o => o.textContent.replace(/\\s/g, ' '))"
    )
    assert chosen == ["+38163000904 (Besnik Marku)", "+38163000277 (Besnik Marku)"], chosen
    screenshot(page, "03-communications-demo-linked")
    shoot_tabs(page, "03-communications-demo-linked")
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


def test_communications_trail_on_the_corridor(page, voila_standalone):
    open_trail(page, voila_standalone, "corridor", [2, 3, 4, 5])
    assert "Phase 5 of 5" in page.locator(".casebook-banner").first.inner_text()
    contacts = page.locator(CONTACTS).first
    expect(contacts).to_contain_text("+38970000317 (Nikola Stojanovski), busiest first")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(page, "03-communications-corridor-phase5")
    shoot_tabs(page, "03-communications-corridor-phase5")

    # brush a stretch in the middle of the period: the table shows fewer calls and messages
    before = contacts.text_content()
    brush(page, 0.45, 0.55)
    expect(page.locator(RANGE).first).not_to_contain_text("all times", timeout=30_000)
    expect(contacts).not_to_have_text(before, timeout=30_000)
    screenshot(page, "03-communications-corridor-brushed")
    shoot_tabs(page, "03-communications-corridor-brushed")
    page.get_by_role("button", name="Show all times").first.click()
    expect(contacts).to_have_text(before, timeout=30_000)

    # by person: the broker's two numbers are one person
    page.get_by_role("button", name="By person").first.click()
    people = page.get_by_label("People", exact=True)
    people.select_option(label="Selim Bajrami (2 lines)")
    expect(contacts).to_contain_text("contacts of Selim Bajrami, busiest first", timeout=30_000)
    page.get_by_role("tab", name="New numbers", exact=True).first.click()
    swaps = page.locator(f"{TRAIL} .casebook-comms-swaps").first
    expect(swaps).to_contain_text("Same device, new number.")
    page.get_by_role("button", name="By phone line").first.click()

    # a click on the broker in the network: the trail shows his lines, the map follows
    wait_for_network(page)
    where = page.evaluate(NODE_POSITION, "P-D2")
    page.mouse.click(where["x"], where["y"])
    expect(contacts).to_contain_text(
        "contacts of +38970000586 (Aleksandar Mitrevski)", timeout=30_000
    )
    # the map of cell sites shown again under the network (outside the trail's tabs)
    cells = page.locator(".casebook-comms-cells").last
    expect(cells).to_contain_text("Cell sites of +38970000586 (Aleksandar Mitrevski)")
    expect(cells.locator(".casebook-chart-plot")).to_have_attribute("data-drawn", re.compile("."))
    screenshot(page, "03-communications-corridor-linked")
    with tall_window(page):
        cells.screenshot(path=str(SCREENSHOTS / "03-communications-corridor-linked-map.png"))
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)
