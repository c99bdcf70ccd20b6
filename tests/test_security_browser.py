"""Text from case files becomes HTML in many widgets: HTML payloads must stay text.

A copy of the demo case gets script and event-handler payloads in a person's name and
description, in a document, and in the case's title, summary and a phase title; a server of
its own serves it (``CASEBOOK_CASES``), and the start page, the case file and the network are
opened in Chromium. No dialog may open, no element from a payload may reach the DOM, and the
payload text is shown as text.
"""

from __future__ import annotations

import csv
import shutil

import pytest
from browser import NODE_POSITION, screenshot, wait_until_ready
from servers import CASES_DIR, free_port, standalone_command, start_server, stop_server

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
ATTR = '" onmouseover="alert(1)'
PAYLOAD = f"{SCRIPT} {IMG} {ATTR}"

# What would be in the DOM if a payload were parsed as HTML.
INJECTED = """() => [
    ...Array.from(document.querySelectorAll('img[src="x"]'), e => 'img: ' + e.outerHTML),
    ...Array.from(document.querySelectorAll('#rendered_cells script'))
        .filter(e => e.textContent.includes('alert(1)') && !e.type.includes('json'))
        .map(e => 'script: ' + e.outerHTML.slice(0, 80)),
    ...Array.from(document.querySelectorAll('[onmouseover], [onerror]'),
                  e => 'handler: ' + e.outerHTML.slice(0, 120)),
]"""


@pytest.fixture(scope="module")
def hostile_cases(tmp_path_factory):
    """A folder of cases holding one: the demo case with HTML payloads in its text."""
    root = tmp_path_factory.mktemp("hostile-cases")
    case = root / "demo"
    shutil.copytree(CASES_DIR / "demo", case)

    persons = case / "persons.csv"
    with persons.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0])
    for row in rows:
        if row["id"] == "P-DRV":
            row["name"] = f"Dragan {IMG} Kostovski"
            row["alias"] = ATTR
            row["description"] = f"Driver {PAYLOAD}"
    with persons.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(rows)

    document = case / "documents" / "D-POL.md"
    text = document.read_text(encoding="utf-8")
    text = text.replace(
        "title: Police report on the interception of a van on the A1",
        f"title: 'Police report {IMG}'",
    )
    text += f'\n\nNote of the officer: {PAYLOAD}\n\n<div onmouseover="alert(1)">hover</div>\n'
    document.write_text(text, encoding="utf-8")

    yml = case / "case.yml"
    text = yml.read_text(encoding="utf-8")
    text = text.replace(
        "  The driver is arrested. Who sent him, who was paid, and who needs protection?",
        "  The driver is arrested. Who sent him, who was paid, and who needs protection?\n"
        f"  {SCRIPT} {IMG}",
    )
    text = text.replace("    title: The interception", f"    title: 'The interception {IMG}'")
    yml.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_server(hostile_cases):
    port = free_port()
    command = ["env", f"CASEBOOK_CASES={hostile_cases}", *standalone_command(port)]
    server = start_server("hostile", command, port, ready_path="")
    yield server
    stop_server(server)


@pytest.fixture
def dialogs(page):
    """Every dialog the page opens (alert, confirm, prompt), dismissed."""
    opened: list[str] = []

    def on_dialog(dialog) -> None:
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


def check(page, dialogs, name: str, shown: list[str]) -> None:
    page.wait_for_timeout(1000)  # an onerror fires once the image has failed to load
    shot = screenshot(page, name)
    assert not dialogs, f"{name}: a payload ran ({shot}): {dialogs}"
    injected = page.evaluate(INJECTED)
    assert not injected, f"{name}: payload HTML reached the DOM ({shot}):\n  " + "\n  ".join(
        injected
    )
    text = page.locator("#rendered_cells").inner_text()
    missing = [s for s in shown if s not in text]
    assert not missing, f"{name}: payload not shown as text ({shot}): {missing}"


def test_payloads_on_the_start_page(page, dialogs, hostile_server):
    page.goto(f"{hostile_server.url}voila/render/00-start.ipynb?case=demo&team=x")
    wait_until_ready(page)
    # Hover everything that shows case text: an onmouseover would fire now.
    for element in page.locator(".casebook-start, .casebook-card, .casebook-banner").all():
        element.hover()
    check(page, dialogs, "xss-00-start", [IMG])


def test_payloads_in_the_case_file(page, dialogs, hostile_server):
    page.goto(f"{hostile_server.url}voila/render/01-case-file.ipynb?case=demo&team=x")
    wait_until_ready(page)
    # Open the police report, whichever control lists the documents.
    selects = page.locator("select")
    for index in range(selects.count()):
        options = selects.nth(index).locator("option").all_text_contents()
        police = [o for o in options if "Police report" in o]
        if police:
            selects.nth(index).select_option(label=police[0])
            break
    page.wait_for_timeout(1500)
    page.get_by_text("Note of the officer", exact=False).first.wait_for(timeout=30_000)
    page.get_by_text("Note of the officer", exact=False).first.hover()
    page.get_by_text('<div onmouseover="alert(1)">hover', exact=False).first.hover()
    check(page, dialogs, "xss-01-case-file", [SCRIPT, IMG, '<div onmouseover="alert(1)">'])


def test_payloads_in_the_network(page, dialogs, hostile_server):
    page.goto(f"{hostile_server.url}voila/render/02-network.ipynb?case=demo&team=x")
    wait_until_ready(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.casebook-network *')]"
        ".some(e => e.__casebook_network && e.dataset.stabilized === 'true')",
        timeout=60_000,
    )
    # The driver's dossier: his name, alias and description, with the payloads.
    where = page.evaluate(NODE_POSITION, "P-DRV")
    page.mouse.move(where["x"], where["y"])  # the graph's tooltip shows the name too
    page.mouse.click(where["x"], where["y"])
    dossier = page.locator(".casebook-dossier").first
    dossier.get_by_text("Kostovski", exact=False).first.wait_for(timeout=30_000)
    dossier.hover()
    check(page, dialogs, "xss-02-network", [IMG, SCRIPT])
