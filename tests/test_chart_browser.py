"""Chart in a real browser: plotly.js comes once from this server, and the brush reaches Python.

A standalone Voila serves tests/fixtures/chart.ipynb: a timeline of 48 hours drawn by
widgets.chart.Chart, and a label that says what the brush or a click sent back to Python.
"""

from __future__ import annotations

import pytest
from browser import screenshot
from playwright.sync_api import expect
from servers import fixtures_command, free_port, start_server, stop_server

from widgets.chart import plotly_asset_name

pytestmark = pytest.mark.browser

PLOT = ".chart-timeline .casebook-chart-plot"
SAID = ".chart-said"


@pytest.fixture(scope="module")
def chart_server():
    """Standalone Voila over tests/fixtures, on 127.0.0.1, with the repository's settings."""
    port = free_port()
    server = start_server("chart", fixtures_command(port), port, ready_path="")
    yield server
    stop_server(server)


def test_chart_draws_offline_and_the_brush_reaches_python(page, chart_server):
    libraries = []
    page.on("request", lambda r: "plotly" in r.url and libraries.append(r.url))
    page.goto(chart_server.url + "voila/render/chart.ipynb")
    page.wait_for_selector(f"{PLOT}[data-drawn='1']", timeout=120_000)
    # plotly.js came from this server's template folder, once, and from nowhere else
    assert libraries == [
        f"{chart_server.url}voila/templates/casebook/static/{plotly_asset_name()}"
    ], libraries
    points = page.evaluate(f"document.querySelector('{PLOT}').data[0].x.length")
    assert points == 48
    # a horizontal drag over the plot is a time brush: Python receives the range
    box = page.locator(".chart-timeline .nsewdrag").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2 + 10, steps=8)
    page.mouse.up()
    said = page.locator(SAID)
    expect(said).to_contain_text("brush 2024-03-01", timeout=15_000)
    start, end = said.inner_text().removeprefix("brush ").split(" 2024")[0:2]
    assert start.startswith("2024-03-01") and end, said.inner_text()
    # a double click clears the brush
    page.mouse.dblclick(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
    expect(said).to_have_text("brush None None", timeout=15_000)
    shot = screenshot(page, "chart")
    problems = page.watch.problems()
    assert not problems, f"chart fixture ({shot}):\n  " + "\n  ".join(problems)


def test_plotly_is_served_by_the_binder_server_too(voila_extension):
    reply = voila_extension.get(f"voila/templates/casebook/static/{plotly_asset_name()}")
    assert reply.status == 200, reply.status
    assert "plotly" in reply.text[:2000].lower()
