"""A room on one laptop: tabs left open lose their kernel after a while, and say so.

``make serve`` closes a kernel after an hour without use, even with its tab still open
(voila.json: ``cull_connected``), so that a room's forgotten tabs cannot fill the trainer's
memory. The page then tells its participant, with a button to reload it; notes are saved as
they are written. Here the hour is ten seconds. The page also says when the server cannot be
reached, and takes the message back when it answers again.
"""

from __future__ import annotations

import json
import sys
import time

import psutil
import pytest
import requests
from browser import screenshot, wait_until_ready
from servers import REPO, free_port, start_server, stop_server

pytestmark = pytest.mark.browser

PAGE = "voila/render/01-case-file.ipynb?case=demo&team=Culled"


def test_voila_json_culls_idle_kernels_even_with_their_tab_open():
    settings = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))["MappingKernelManager"]
    assert settings["cull_connected"] is True
    assert 0 < settings["cull_interval"] <= settings["cull_idle_timeout"] <= 2 * 3600


@pytest.mark.parametrize("config", ["voila.json", "binder/jupyter_server_config.json"])
def test_a_busy_laptop_does_not_drop_a_page_s_outputs(config):
    """Voila waits 4 s by default for a cell's outputs, then sends the page without them.

    With 20 participants opening a page at once on 2 cores, 40 outputs of 20 pages were lost
    that way (benchmarks/room.py): pages without their notes box, and no error shown.
    """
    settings = json.loads((REPO / config).read_text(encoding="utf-8"))
    assert settings["VoilaExecutor"]["iopub_timeout"] >= 60


@pytest.fixture
def quick_culling():
    """Voila over the workbooks, configured by voila.json, but culling after 10 s idle."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "voila",
        str(REPO / "workbooks"),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--MappingKernelManager.cull_idle_timeout=10",
        "--MappingKernelManager.cull_interval=1",
    ]
    server = start_server("quick-culling", command, port, ready_path="")
    yield server
    stop_server(server)


def kernel_of(page) -> str:
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def test_an_idle_open_tab_loses_its_kernel_and_says_so(page, quick_culling):
    server = quick_culling
    page.goto(server.url + PAGE)
    wait_until_ready(page)
    assert page.evaluate("window.casebookCheckKernel()") == "running"
    assert not page.locator(".casebook-stopped").count()
    gone = kernel_of(page)
    url = f"{server.url}api/kernels/{gone}"
    deadline = time.monotonic() + 60
    while requests.get(url, timeout=10).status_code != 404:
        assert time.monotonic() < deadline, "the idle kernel of an open tab was never culled"
        time.sleep(0.5)
    assert page.evaluate("window.casebookCheckKernel()") == "stopped"
    banner = page.locator(".casebook-stopped")
    assert banner.is_visible()
    assert "Your notes are saved" in banner.inner_text()
    screenshot(page, "room-kernel-stopped")
    banner.get_by_role("button", name="Reload the page").click()
    wait_until_ready(page)  # a new kernel, a working page
    assert not page.locator(".casebook-stopped").count()
    assert page.evaluate("window.casebookCheckKernel()") == "running"
    # The browser logs the 404s of asking after the culled kernel, and of Voila shutting it
    # down on reload; nothing else may go wrong.
    problems = [p for p in page.watch.problems() if not ("404" in p and gone in p)]
    assert not problems, problems


def test_a_server_out_of_reach_is_said_and_unsaid(page, voila_standalone):
    page.goto(voila_standalone.url + PAGE)
    wait_until_ready(page)
    page.route("**/api/kernels/**", lambda route: route.abort())
    assert page.evaluate("window.casebookCheckKernel()") == "unreachable"
    banner = page.locator(".casebook-stopped")
    assert "cannot be reached" in banner.inner_text()
    assert not banner.get_by_role("button").is_visible()
    page.unroute("**/api/kernels/**")
    assert page.evaluate("window.casebookCheckKernel()") == "running"
    assert not banner.count()
    voila_standalone.shutdown_kernel(kernel_of(page))


def test_make_serve_keeps_a_kernel_ready_for_the_network_page(page, voila_standalone):
    """The network workbook gets a preheated kernel, which still learns its case and team."""
    page.goto(voila_standalone.url + "voila/render/02-network.ipynb?case=demo&team=Preheat")
    wait_until_ready(page)
    assert "Team: Preheat" in page.locator(".casebook-banner").inner_text()
    kernel_id = kernel_of(page)
    kernels = [
        p
        for p in psutil.Process(voila_standalone.process.pid).children(recursive=True)
        if any(kernel_id in part for part in p.cmdline())
    ]
    assert len(kernels) == 1
    assert kernels[0].environ().get("VOILA_PREHEAT") == "True", (
        "the page's kernel was not preheated"
    )
    assert not page.watch.problems(), page.watch.problems()
    voila_standalone.shutdown_kernel(kernel_id)
