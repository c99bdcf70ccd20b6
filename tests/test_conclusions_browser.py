"""Real browser: a team's conclusions are never lost, export and import, two teams, payloads.

The machinery (Chromium with the internet cut off, the watched ``page`` fixture, waiting for
a page, screenshots) is in tests/browser.py; the servers in tests/servers.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
from pathlib import Path

import pytest
from browser import SCREENSHOTS, other_browser_context, screenshot, wait_until_ready
from playwright.sync_api import expect
from servers import _descendants, free_port, standalone_command, start_server, stop_server

from widgets.notes import NotesStore
from widgets.progress import team_slug

pytestmark = pytest.mark.browser

WORKBOOK = "voila/render/06-conclusions.ipynb"
PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


def open_form(page, server, team: str, notebook: str = WORKBOOK) -> None:
    page.goto(f"{server.url}{notebook}?case=demo&team={team}")
    wait_until_ready(page)


def write_finding(page, topic: str, text: str, index: int = 0) -> None:
    """Add a finding under ``topic`` and type ``text`` in it; wait until it is saved."""
    page.locator(f".casebook-add-{topic}").first.click()
    area = page.locator(f".casebook-topic-{topic} .casebook-finding-text textarea").nth(index)
    area.wait_for(timeout=30_000)
    area.fill(text)
    expect(page.locator(".casebook-saved").first).to_contain_text("Saved at", timeout=30_000)


def notes_of(data_dir: Path, team: str) -> dict:
    path = data_dir / "notes" / "demo" / team_slug(team) / "current.json"
    return json.loads(path.read_text(encoding="utf-8"))["data"]


def finding_texts(data: dict) -> list[str]:
    return [f["text"] for f in data.get("findings", [])]


def wait_for_file(data_dir: Path, team: str, text: str, page, timeout_ms: int = 30_000) -> dict:
    for _ in range(timeout_ms // 200):
        try:
            data = notes_of(data_dir, team)
        except (OSError, ValueError):
            data = {}
        if any(text in t for t in finding_texts(data)) or text in data.get("free_text", ""):
            return data
        page.wait_for_timeout(200)
    raise AssertionError(f"{text!r} never reached the store of team {team} in {data_dir}")


def upload(page, file: Path) -> None:
    """Choose ``file`` with the Import button, as a participant does."""
    with page.expect_file_chooser(timeout=30_000) as chooser:
        page.locator(".casebook-conclusions .widget-upload").first.click()
    chooser.value.set_files(str(file))


def form_texts(page) -> list[str]:
    return page.locator(".casebook-finding-text textarea").evaluate_all(
        "areas => areas.map(a => a.value)"
    )


def test_findings_come_back_after_a_reload(page, voila_standalone):
    open_form(page, voila_standalone, "Reload")
    page.get_by_label("Police (criminal investigation)").check()
    page.get_by_label("Prosecution", exact=True).check()
    write_finding(page, "structure", "Besnik Marku gives the driver his orders.")
    # cite evidence by picking it: filter, then pick
    picker = page.locator(".casebook-topic-structure .casebook-picker").first
    picker.locator("input[type=text]").fill("interception")
    picker.locator("select").select_option(index=0)
    expect(picker).to_contain_text("DET1 · 2024-05-14 03:40 Interception", timeout=30_000)
    page.locator(".casebook-conclusions textarea").last.fill("Free text, last typed.")
    data = wait_for_file(voila_standalone.data_dir, "Reload", "Free text, last typed.", page)
    assert data["agencies"] == ["police", "prosecution"]
    assert data["findings"][0]["cites"] == ["DET1"]
    screenshot(page, "06-conclusions-demo")
    page.locator(".casebook-part-investigation").first.screenshot(
        path=str(SCREENSHOTS / "06-conclusions-investigation.png")
    )
    page.reload()
    wait_until_ready(page)
    assert form_texts(page) == ["Besnik Marku gives the driver his orders."]
    assert page.locator(".casebook-conclusions textarea").last.input_value() == (
        "Free text, last typed."
    )
    expect(page.locator(".casebook-topic-structure .casebook-picker").first).to_contain_text(
        "DET1 · 2024-05-14 03:40 Interception"
    )
    assert page.get_by_label("Prosecution", exact=True).is_checked()
    screenshot(page, "06-conclusions-reloaded")
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


def test_findings_come_back_after_the_server_is_killed(page, tmp_path):
    data_dir = tmp_path / "data"
    port = free_port()
    command = ["env", f"CASEBOOK_DATA={data_dir}", *standalone_command(port)]
    server = start_server("conclusions-restart", command, port, ready_path="")
    try:
        open_form(page, server, "Restart")
        write_finding(page, "evidence", "The van's false wall is in the police report.")
        wait_for_file(data_dir, "Restart", "false wall", page)
    finally:
        kernels = _descendants(server.process.pid)
        server.process.kill()  # no goodbye: a killed server
        stop_server(server)
        for pid in kernels:  # the kernels of a killed server are ours to end
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    port = free_port()
    command = ["env", f"CASEBOOK_DATA={data_dir}", *standalone_command(port)]
    server = start_server("conclusions-restart", command, port, ready_path="")
    try:
        page.goto("about:blank")
        open_form(page, server, "Restart")
        assert form_texts(page) == ["The van's false wall is in the police report."]
    finally:
        stop_server(server)
    problems = [p for p in page.watch.problems() if "WebSocket" not in p]
    assert not problems, "\n  ".join(problems)


def test_export_and_import_into_another_team(page, voila_standalone, tmp_path):
    open_form(page, voila_standalone, "Exporter")
    write_finding(page, "referral", "Hamid (16, alone) to the child protection service.")
    page.get_by_text("Export", exact=True).first.click()
    page.get_by_role("button", name="Make the report").click()
    link = page.locator('a.casebook-download[download$=".json"]').first
    link.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as download:
        link.click()
    exported = Path(download.value.path()).read_bytes()
    data = json.loads(exported)
    assert data["team"] == "Exporter" and data["format"] == "casebook-conclusions/1"
    assert finding_texts(data) == ["Hamid (16, alone) to the child protection service."]
    with page.expect_download(timeout=30_000) as report:
        page.locator('a.casebook-download[download$=".html"]').first.click()
    assert b"child protection service" in Path(report.value.path()).read_bytes()
    file = tmp_path / "exporter.json"
    file.write_bytes(exported)

    open_form(page, voila_standalone, "Importer")
    page.get_by_text("Import", exact=True).first.click()
    upload(page, file)
    expect(page.get_by_text("Load the conclusions of team Exporter")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Yes, load it").click()
    expect(page.get_by_text("Imported: saved as version")).to_be_visible(timeout=30_000)
    assert form_texts(page) == ["Hamid (16, alone) to the child protection service."]
    imported = notes_of(voila_standalone.data_dir, "Importer")
    assert imported["team"] == "Importer"
    assert finding_texts(imported) == ["Hamid (16, alone) to the child protection service."]
    screenshot(page, "06-conclusions-imported")
    # a wrong file is refused with a sentence naming it
    bad = tmp_path / "broken.json"
    bad.write_text('{"case": "demo"}', encoding="utf-8")
    upload(page, bad)
    expect(page.get_by_text("broken.json: team: Field required", exact=False)).to_be_visible(
        timeout=30_000
    )
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


def test_two_teams_write_at_once(page, voila_standalone):
    """Two teams, each in a browser of its own (two contexts), type at the same time."""
    other = other_browser_context(page)
    try:
        open_form(page, voila_standalone, "Alpha")
        open_form(other, voila_standalone, "Bravo")
        for tab in (page, other):
            tab.locator(".casebook-add-structure").first.click()
        areas = [
            tab.locator(".casebook-topic-structure .casebook-finding-text textarea").first
            for tab in (page, other)
        ]
        for area in areas:
            area.wait_for(timeout=30_000)
        for i in range(1, 6):  # interleaved: each keystroke batch is a save
            areas[0].fill(f"Alpha finding, draft {i}")
            areas[1].fill(f"Bravo finding, draft {i}")
        alpha = wait_for_file(voila_standalone.data_dir, "Alpha", "draft 5", page)
        bravo = wait_for_file(voila_standalone.data_dir, "Bravo", "draft 5", other)
        assert finding_texts(alpha) == ["Alpha finding, draft 5"]
        assert finding_texts(bravo) == ["Bravo finding, draft 5"]
        for tab, team in ((page, "Alpha"), (other, "Bravo")):
            tab.reload()
            wait_until_ready(tab)
            assert form_texts(tab) == [f"{team} finding, draft 5"]
        screenshot(other, "06-conclusions-second-team")
    finally:
        other.context.close()
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "img-onerror"])
def test_html_payloads_do_not_run(page, voila_standalone, payload):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    team = "Payload" + str(PAYLOADS.index(payload))
    open_form(page, voila_standalone, team)
    write_finding(page, "evidence", payload)
    wait_for_file(voila_standalone.data_dir, team, payload, page)
    # written at the bottom of another workbook, shown on page 06 as HTML
    page.goto(f"{voila_standalone.url}voila/render/01-case-file.ipynb?case=demo&team={team}")
    wait_until_ready(page)
    page.locator(".casebook-conclusions textarea").first.fill(payload + " note")
    wait_for_file(voila_standalone.data_dir, team, payload + " note", page)
    page.locator(".casebook-conclusions").first.screenshot(
        path=str(SCREENSHOTS / f"01-case-file-notes-{PAYLOADS.index(payload)}.png")
    )
    open_form(page, voila_standalone, team)
    expect(page.locator(".casebook-note-text").first).to_have_text(payload + " note")
    page.get_by_text("Export", exact=True).first.click()
    page.get_by_role("button", name="Make the report").click()
    page.locator('a.casebook-download[download$=".html"]').first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    assert form_texts(page) == [payload]
    assert not dialogs, f"a payload ran: {dialogs}"
    screenshot(page, f"06-conclusions-payload-{PAYLOADS.index(payload)}")
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


def test_a_finding_carries_a_picture_of_the_network(page, voila_standalone):
    """02-network: the compact notes attach what the explorer draws to the next finding."""
    team = "Snapshot"
    page.goto(f"{voila_standalone.url}voila/render/02-network.ipynb?case=demo&team={team}")
    wait_until_ready(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.casebook-network *')]"
        ".some(e => e.__casebook_network && e.dataset.stabilized === 'true')",
        timeout=60_000,
    )
    page.get_by_text("Add a finding with the evidence it rests on", exact=True).click()
    page.get_by_role("button", name="Attach a picture of the network as it is now").click()
    picture = page.locator(".casebook-snapshot img")
    expect(picture).to_be_visible(timeout=30_000)
    assert picture.get_attribute("src").startswith("data:image/png;base64,")
    notes = page.locator(".casebook-conclusions").last
    notes.get_by_placeholder("What you conclude, in a sentence or two").fill(
        "The organiser sits between the drivers and the money."
    )
    notes.get_by_role("button", name="Add the finding").click()
    expect(notes.get_by_text("Added to your conclusions", exact=False)).to_be_visible(
        timeout=30_000
    )
    stored = NotesStore("demo", team, root=voila_standalone.data_dir).load()
    finding = next(f for f in stored["findings"] if f["text"].startswith("The organiser"))
    assert finding["snapshot"].startswith("data:image/png;base64,")
    assert len(finding["snapshot"]) > 2_000  # a real picture, not an empty canvas
    screenshot(page, "02-network-snapshot")
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)
