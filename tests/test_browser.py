"""Real browser: every workbook, the start page, phase codes and the network explorer.

The machinery (Chromium with the internet cut off, the watched ``page`` fixture, waiting for
a page, screenshots) is in tests/browser.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import NODE_POSITION, screenshot, unlock, wait_until_ready
from i18n_check import VISIBLE_TEXT, english_left
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from servers import START_PAGE, case_ids, workbooks

from widgets.i18n import LANGUAGES

pytestmark = pytest.mark.browser


def test_start_page_picks_the_demo_case(page, voila_standalone):
    page.goto(voila_standalone.url + START_PAGE)
    wait_until_ready(page)
    assert page.locator(".casebook-start").first.is_visible(), "no .casebook-start on the page"

    picker = page.get_by_label("Case", exact=True)
    options = picker.locator("option").all_text_contents()
    demo = [o for o in options if "demo" in o.lower()]
    assert demo, f"no option for the demo case in the Case list: {options}"
    picker.select_option(label=demo[0])
    page.get_by_label("Team", exact=True).fill("Test team")
    # The kernel answers with links to the workbooks that keep the case (DESIGN: links
    # between workbooks keep case and team): proof that the page talks to its kernel.
    try:
        page.wait_for_selector('a[href*="case=demo"]', timeout=30_000)
    except PlaywrightTimeout:
        pytest.fail("after picking the demo case and a team, no link carries case=demo")
    wait_until_ready(page)
    shot = screenshot(page, "start")
    problems = page.watch.problems()
    assert not problems, f"start page ({shot}):\n  " + "\n  ".join(problems)


WORKBOOKS = workbooks()
TRANSLATED = [tag for tag in LANGUAGES if tag != "en"]


def language_of(notebook: Path, case: str) -> str:
    """Demo in English; corridor in each translation in turn, so that every workbook is
    opened in a browser in a translation too (and every translation by several workbooks)."""
    if case == "demo" or not notebook.name[0].isdigit():  # template.ipynb is for authors
        return "en"
    return TRANSLATED[WORKBOOKS.index(notebook) % len(TRANSLATED)]


@pytest.mark.parametrize("case", case_ids())
@pytest.mark.parametrize("notebook", WORKBOOKS, ids=lambda p: p.name)
def test_workbook_renders_in_the_browser(page, voila_standalone, notebook, case):
    lang = language_of(notebook, case)
    page.goto(
        f"{voila_standalone.url}voila/render/{notebook.name}?case={case}&team=test&lang={lang}"
    )
    try:
        wait_until_ready(page)
    finally:
        shot = screenshot(
            page, notebook.stem if case == "demo" else f"{notebook.stem}-{case}-{lang}"
        )
    problems = page.watch.problems()
    if lang != "en":
        left = english_left(page.evaluate(VISIBLE_TEXT), lang)
        problems += [f"English left in {lang}: {left}"] if left else []
    assert not problems, f"{notebook.name} ({shot}):\n  " + "\n  ".join(problems)


def test_list_of_workbooks_in_the_browser(page, voila_standalone):
    page.goto(voila_standalone.url)
    page.wait_for_selector(".voila-notebooks a")
    page.wait_for_load_state("networkidle")
    # Font Awesome comes from Voila's own files, not from a CDN.
    font = page.locator(".voila-notebooks i").first.evaluate("e => getComputedStyle(e).fontFamily")
    shot = screenshot(page, "workbooks")
    assert "Font Awesome" in font, f"icons have no Font Awesome font ({font}); {shot}"
    problems = page.watch.problems()
    assert not problems, f"list of workbooks ({shot}):\n  " + "\n  ".join(problems)


def test_phase_code_releases_the_next_phase(page, voila_standalone):
    page.goto(f"{voila_standalone.url}{START_PAGE}?case=demo&team=Browser+team")
    wait_until_ready(page)
    assert page.get_by_text("Phase 1 of 2: The interception").is_visible()
    page.get_by_label("Phase code", exact=True).fill("zeta-2")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_text("Phase 2 of 2: The phone and the money").wait_for(timeout=30_000)
    # The message follows the new phase's title in a message of its own: wait for it too.
    expect(page.get_by_text("Phase 2 is released to your team.")).to_be_visible()
    screenshot(page, "start-unlocked")
    # every workbook of the team now shows phase 2, and keeps case and team in its links
    page.locator('a[href*="01-case-file.ipynb"]').first.click()
    wait_until_ready(page)
    banner = page.locator(".casebook-banner").first
    assert "Phase 2 of 2" in banner.inner_text() and "Browser team" in banner.inner_text()
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


def test_case_file_of_the_corridor_in_its_last_phase(page, voila_standalone):
    unlock(voila_standalone, "corridor", "Gold", [2, 3, 4, 5])
    page.goto(f"{voila_standalone.url}voila/render/01-case-file.ipynb?case=corridor&team=Gold")
    wait_until_ready(page)
    assert "Phase 5 of 5" in page.locator(".casebook-banner").first.inner_text()
    page.get_by_role("tab", name="Evidence items").click()
    count = page.locator(".casebook-case-file .casebook-muted").first
    before = count.inner_text()
    page.get_by_label("Search", exact=True).fill("hawala")
    page.get_by_label("Search", exact=True).press("Enter")
    expect(count).not_to_have_text(before, timeout=30_000)
    assert "evidence item" in count.inner_text()
    screenshot(page, "01-case-file-corridor-phase5")
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


@pytest.mark.parametrize(
    ("case", "unlocked", "node", "label"),
    [("demo", [2], "P-ORG", "Besnik Marku"), ("corridor", [2, 3, 4, 5], "P-BRK", "Selim Bajrami")],
)
def test_network_explorer_in_the_browser(page, voila_standalone, case, unlocked, node, label):
    unlock(voila_standalone, case, "Net", unlocked)
    page.goto(f"{voila_standalone.url}voila/render/02-network.ipynb?case={case}&team=Net")
    wait_until_ready(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.casebook-network *')]"
        ".some(e => e.__casebook_network && e.dataset.stabilized === 'true')",
        timeout=60_000,
    )
    # a click on the node in the canvas opens its dossier
    where = page.evaluate(NODE_POSITION, node)
    page.mouse.click(where["x"], where["y"])
    dossier = page.locator(".casebook-dossier").first
    expect(dossier).to_contain_text(label, timeout=30_000)
    screenshot(page, f"02-network-{case}")
    # an earlier phase shows fewer nodes
    legend = page.locator(".casebook-legend").first
    count = lambda: int(legend.inner_text().split(" nodes")[0].split()[-1])  # noqa: E731
    before = count()
    page.get_by_label("Phase", exact=True).select_option(label="Phase 1")
    expect(legend).not_to_contain_text(f"{before} nodes", timeout=30_000)
    assert count() < before
    page.get_by_label("Phase", exact=True).select_option(label=f"Phase {max(unlocked)}")
    expect(legend).to_contain_text(f"{before} nodes", timeout=30_000)
    # how is the broker connected to the driver of the van?
    page.get_by_role("tab", name="Path").click()
    page.get_by_label("From", exact=True).select_option(label=label)
    page.get_by_label("To", exact=True).select_option(index=1)
    page.get_by_role("button", name="How are they connected?").click()
    expect(page.get_by_text("shortest way(s)", exact=False).first).to_be_visible(timeout=30_000)
    # arrest the broker, compared with the best arrest
    page.get_by_role("tab", name="Arrests").click()
    page.get_by_label("Arrest", exact=True).select_option(label=label)
    page.get_by_role("button", name="Simulate the arrests").click()
    expect(page.get_by_text("Best possible arrests", exact=False)).to_be_visible(timeout=30_000)
    screenshot(page, f"02-network-{case}-arrests")
    # downloads: a picture of the graph, and the view for Gephi
    page.get_by_role("tab", name="Export").click()
    with page.expect_download(timeout=30_000) as picture:
        page.get_by_role("button", name="Save a picture of the graph (PNG)").click()
    assert picture.value.suggested_filename.endswith(".png")
    assert Path(picture.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.get_by_role("button", name="Prepare downloads of this view").click()
    with page.expect_download(timeout=30_000) as gexf:
        page.get_by_text("Gephi (GEXF)").click()
    assert Path(gexf.value.path()).read_bytes().startswith(b"<?xml")
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)
