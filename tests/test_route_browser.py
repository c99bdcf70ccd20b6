"""Real browser: the route map of 05-route, its time brush and its phone lines, offline.

The machinery (Chromium with the internet cut off, the watched ``page`` fixture, waiting for
a page, screenshots) is in tests/browser.py.
"""

from __future__ import annotations

import re

import pytest
from browser import screenshot, unlock, wait_until_ready
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MAP = ".casebook-route-map .casebook-chart-plot"
TIMELINE = ".casebook-route-timeline .casebook-chart-plot"

# Points the map draws over the base map (its first two traces: borders and country codes),
# and the names of its traces, read from plotly's own copy of the figure.
MAP_STATE = """(sel) => {
  const plot = document.querySelector(sel);
  const traces = (plot.data || []).slice(2);
  return {
    points: traces.reduce((n, t) => n + ((t.x || []).filter(v => v !== null).length), 0),
    names: traces.map(t => t.name || ''),
    drawn: Number(plot.getAttribute('data-drawn') || 0),
  };
}"""


# Where a place is drawn on the page, from plotly's axes (the map is plain x/y scatter).
PLACE_POSITION = """([sel, key]) => {
  const plot = document.querySelector(sel);
  plot.scrollIntoView({block: 'center'});
  const trace = plot.data.find(t => (t.customdata || []).includes(key));
  const i = trace.customdata.indexOf(key);
  const {xaxis, yaxis} = plot._fullLayout;
  const box = plot.getBoundingClientRect();
  return {x: box.left + xaxis._offset + xaxis.l2p(trace.x[i]),
          y: box.top + yaxis._offset + yaxis.l2p(trace.y[i])};
}"""


def wait_for_charts(page) -> None:
    for selector in (MAP, TIMELINE):
        page.wait_for_selector(f"{selector}[data-drawn]", timeout=60_000)


def legs_shown(page) -> int:
    text = page.locator(".casebook-route-range").first.inner_text()
    found = re.search(r"([\d,]+) legs shown", text)
    assert found, f"no 'legs shown' in {text!r}"
    return int(found.group(1).replace(",", ""))


def click_place(page, key: str) -> None:
    """Click a place on the map, as a user does: point at it until plotly shows its label."""
    hover = page.locator(f"{MAP} .hoverlayer .hovertext")
    for attempt in range(5):
        where = page.evaluate(PLACE_POSITION, [MAP, f"place:{key}"])
        page.mouse.move(where["x"] - 30, where["y"] - 30)
        page.mouse.move(where["x"], where["y"], steps=6)
        try:
            hover.first.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            if attempt == 4:
                raise
    page.mouse.click(where["x"], where["y"])


def brush(page, start: float, end: float) -> None:
    """Drag across the timeline from ``start`` to ``end`` (fractions of its width)."""
    area = page.locator(f"{TIMELINE} .nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + start * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["x"] + end * box["width"], y, steps=12)
    page.mouse.up()


@pytest.mark.parametrize(
    ("case", "phases", "place", "brushed", "driver"),
    [
        ("demo", [2], ("L-GEV", "Gevgelija border area"), (0.05, 0.5), None),
        (
            "corridor",
            [2, 3, 4, 5],
            ("L-LOJ-SH", "House in Lojane"),
            (0.45, 0.6),
            "Aleksandar Mitrevski",
        ),
    ],
)
def test_route_map_in_the_browser(page, voila_standalone, case, phases, place, brushed, driver):
    unlock(voila_standalone, case, "Route", phases)
    page.goto(f"{voila_standalone.url}voila/render/05-route.ipynb?case={case}&team=Route")
    wait_until_ready(page)
    wait_for_charts(page)
    assert f"Phase {max(phases)} of" in page.locator(".casebook-banner").first.inner_text()
    before = page.evaluate(MAP_STATE, MAP)
    legs = legs_shown(page)
    assert legs > 0 and before["points"] > 0
    assert "journeys" in before["names"], before["names"]
    # test_browser.py saves 05-route-corridor.png, in the first phase
    name = "05-route-demo" if case == "demo" else f"05-route-{case}-phase{max(phases)}"
    screenshot(page, name)

    # a click on a place reaches Python, which shows its evidence beside the map
    click_place(page, place[0])
    details = page.locator(".casebook-route-details").first
    expect(details.locator("h3")).to_contain_text(place[1], timeout=30_000)

    # a horizontal drag on the timeline shows only that time on the map
    drawn = page.evaluate(MAP_STATE, MAP)["drawn"]
    brush(page, *brushed)
    range_text = page.locator(".casebook-route-range").first
    expect(range_text).to_contain_text(re.compile(r"Showing \d{4}-\d\d-\d\d"), timeout=30_000)
    page.wait_for_function(
        f"(n) => Number(document.querySelector('{MAP}').getAttribute('data-drawn')) > n",
        arg=drawn,
        timeout=30_000,
    )
    after = page.evaluate(MAP_STATE, MAP)
    assert legs_shown(page) < legs
    assert after["points"] < before["points"]
    screenshot(page, f"{name}-brushed")

    # all times again, then a phone line: its cell sites appear on the map
    page.get_by_role("button", name="Show all times").click()
    expect(range_text).to_contain_text("Showing all times", timeout=30_000)
    assert legs_shown(page) == legs
    if driver is None:
        page.get_by_label("Phone line", exact=True).select_option(index=1)
    else:  # a driver: their journeys stand out, and their phone's cell sites appear
        person = page.get_by_label("Person", exact=True)
        labels = person.locator("option").all_text_contents()  # spaces shown as &nbsp;
        person.select_option(
            label=next(o for o in labels if o.replace("\xa0", " ").startswith(driver))
        )
    page.wait_for_function(
        f"""() => (document.querySelector('{MAP}').data || [])
            .some(t => t.name === 'phone positions')""",
        timeout=30_000,
    )
    expect(range_text).to_contain_text("phone positions", timeout=30_000)
    details = page.locator(".casebook-route-details").first
    expect(details).to_contain_text(
        "cell sites used" if driver is None else "Phone positions shown"
    )
    screenshot(page, f"{name}-phone")
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


def test_a_chart_workbook_loads_plotly_while_its_cells_run(page, voila_standalone):
    """plotly.js (0.8 s of the browser's time to run) loads before the cells, not after them.

    The workbook says it draws charts in its metadata; the casebook template then loads
    plotly-preload.js in the page's head (widgets.chart.ensure_plotly_asset writes it).
    """
    page.goto(f"{voila_standalone.url}voila/render/05-route.ipynb?case=demo&team=Early")
    wait_until_ready(page)
    page.wait_for_function(
        "document.body.classList.contains('casebook-page-ready')", timeout=60_000
    )
    started, cells, loads = page.evaluate(
        """() => {
        const files = performance.getEntriesByType('resource')
            .filter(r => /plotly-[\\d.]+\\.min\\.js/.test(r.name));
        return [files.length ? files[0].startTime : null,
                Number(document.body.dataset.casebookCells), files.length];
    }"""
    )
    assert loads == 1, f"plotly.js fetched {loads} times"
    assert started is not None and started < cells, (
        f"plotly.js started at {started:.0f} ms, after the cells were shown at {cells} ms"
    )
    assert not page.watch.problems(), page.watch.problems()
