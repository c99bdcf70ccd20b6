"""The money trail in a real browser: brush the payments timeline, click the Sankey, follow a click.

Workbook 04-money is opened in standalone Voila on the demo case (phase 2) and on the
corridor (phase 5). A drag across the timeline must reach Python and change the totals; a
click on a node of the Sankey must put that person in focus and show the evidence of their
benefit; a click on a person in the linked network explorer must do the same. Screenshots go
to test-artifacts/screenshots/04-money-*.png for a person to look at.
"""

from __future__ import annotations

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

TRAIL = ".casebook-money"
TIMELINE = f"{TRAIL} .casebook-money-timeline"
SANKEY = f"{TRAIL} .casebook-money-sankey"
RANGE = f"{TRAIL} .casebook-money-range"
TOTALS = f"{TRAIL} .casebook-money-totals"
FOCUS = f"{TRAIL} .casebook-money-focus"
BENEFIT = f"{TRAIL} .casebook-money-benefit"


def open_trail(page, server, case: str, unlocked: list[int]) -> None:
    unlock(server, case, "Money", unlocked)
    page.goto(f"{server.url}voila/render/04-money.ipynb?case={case}&team=Money")
    wait_until_ready(page)
    # both charts have been drawn by plotly.js (the Chart marks them)
    page.wait_for_selector(f"{TIMELINE} .casebook-chart-plot[data-drawn]", timeout=60_000)
    page.wait_for_selector(f"{SANKEY} .casebook-chart-plot[data-drawn]", timeout=60_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


def brush(page, start: float, end: float) -> None:
    """Drag across the payments timeline from ``start`` to ``end`` (fractions of its width)."""
    area = page.locator(f"{TIMELINE} .nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end, y + 5, steps=10)
    page.mouse.up()


def click_sankey_node(page, name: str) -> None:
    """Click the bar of the Sankey node labelled ``name``."""
    node = page.locator(f"{SANKEY} .sankey-node", has_text=name).first
    node.scroll_into_view_if_needed()
    box = node.locator(".node-rect").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def shoot_tabs(page, name: str) -> None:
    """A picture of the trail on each of its tabs, for a person to look at."""
    trail = page.locator(TRAIL).first
    for tab in ("Flows", "Guarantees", "Totals", "Benefit"):
        page.get_by_role("tab", name=tab, exact=True).first.click()
        # Voila's page scrolls inside a panel: a window as tall as the page paints all of it
        height = min(int(page.evaluate(CONTENT_HEIGHT)), 12_000)
        page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        page.wait_for_timeout(600)
        trail.screenshot(path=str(SCREENSHOTS / f"{name}-{tab.lower()}.png"))
        page.set_viewport_size(VIEWPORT)
    page.get_by_role("tab", name="Flows", exact=True).first.click()


def wait_for_network(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.casebook-network *')]"
        ".some(e => e.__casebook_network && e.dataset.stabilized === 'true')",
        timeout=60_000,
    )


def test_money_trail_on_the_demo_case(page, voila_standalone):
    open_trail(page, voila_standalone, "demo", [2])
    rng = page.locator(RANGE).first
    expect(rng).to_contain_text("Showing the whole period, 2024-05-03 10:12 to 2024-05-12 15:30")
    totals = page.locator(TOTALS).first
    before = totals.text_content()
    assert "EUR 8,510" in before, before  # what the organiser received in all
    screenshot(page, "04-money-demo")

    # a drag over the first part of the timeline (3 to 8 May) narrows every view
    brush(page, 0.01, 0.6)
    expect(rng).not_to_contain_text("whole period", timeout=30_000)
    expect(totals).not_to_have_text(before, timeout=30_000)
    assert "Showing 2024-05-0" in rng.inner_text(), rng.inner_text()
    text = totals.text_content()
    assert "EUR 5,750" in text and "EUR 8,510" not in text, text  # PAY2 and PAY3 only
    screenshot(page, "04-money-demo-brushed")
    page.get_by_role("button", name="Show the whole period").first.click()
    expect(totals).to_have_text(before, timeout=30_000)

    # a click on the organiser in the Sankey puts him in focus, with the proof of his benefit
    click_sankey_node(page, "Besnik Marku")
    expect(page.locator(FOCUS).first).to_contain_text("Besnik Marku: received EUR 8,510")
    chooser = page.get_by_label("In focus", exact=True)
    chosen = chooser.evaluate("s => s.selectedOptions[0].textContent").replace("\xa0", " ")
    assert chosen == "Besnik Marku", chosen  # ipywidgets writes no-break spaces
    page.get_by_role("tab", name="Benefit", exact=True).first.click()
    benefit = page.locator(BENEFIT).first
    expect(benefit).to_contain_text("Financial benefit: Besnik Marku")
    expect(benefit).to_contain_text("received EUR 8,510 in 3 payments")
    expect(benefit).to_contain_text("source reliable; information known personally")
    shoot_tabs(page, "04-money-demo")

    # a click on the driver in the linked network: the trail follows, below the network too
    wait_for_network(page)
    where = page.evaluate(NODE_POSITION, "P-DRV")
    page.mouse.click(where["x"], where["y"])
    expect(page.locator(".casebook-dossier").first).to_contain_text("Dragan Kostovski")
    expect(page.locator(FOCUS).first).to_contain_text("Dragan Kostovski", timeout=30_000)
    below = page.locator(".casebook-money-benefit").last
    expect(below).to_contain_text("Financial benefit: Dragan Kostovski", timeout=30_000)
    expect(below).to_contain_text("EUR 822")  # salary (MKD 32,000) and EUR 300 from Besnik
    screenshot(page, "04-money-demo-linked")
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


def test_money_trail_on_the_corridor(page, voila_standalone):
    open_trail(page, voila_standalone, "corridor", [2, 3, 4, 5])
    assert "Phase 5 of 5" in page.locator(".casebook-banner").first.inner_text()
    guarantees = page.locator(f"{TRAIL} .casebook-money-guarantees").first
    expect(guarantees).to_contain_text("27 released, 5 refunded, 0 still held.")
    screenshot(page, "04-money-corridor")
    shoot_tabs(page, "04-money-corridor")

    # brush a stretch in the middle of the period: fewer payments, other totals
    totals = page.locator(TOTALS).first
    before = totals.text_content()
    brush(page, 0.4, 0.6)
    expect(page.locator(RANGE).first).not_to_contain_text("whole period", timeout=30_000)
    expect(totals).not_to_have_text(before, timeout=30_000)
    screenshot(page, "04-money-corridor-brushed")
    page.get_by_role("button", name="Show the whole period").first.click()
    expect(totals).to_have_text(before, timeout=30_000)

    # the broker chosen in the list: the ledger's releases prove his benefit
    page.get_by_label("In focus", exact=True).select_option(label="Selim Bajrami")
    page.get_by_role("tab", name="Benefit", exact=True).first.click()
    benefit = page.locator(BENEFIT).first
    expect(benefit).to_contain_text("Financial benefit: Selim Bajrami", timeout=30_000)
    expect(benefit).to_contain_text("27 of them are guarantees released after an “OK” message")
    screenshot(page, "04-money-corridor-benefit")

    # a click on the money keeper in the Sankey
    page.get_by_role("tab", name="Flows", exact=True).first.click()
    click_sankey_node(page, "Kadir Yildiz")
    expect(page.locator(FOCUS).first).to_contain_text("Kadir Yildiz", timeout=30_000)
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)
