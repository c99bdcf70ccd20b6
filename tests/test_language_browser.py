"""A participant who picks Macedonian or Albanian on the start page sees the pages in it.

In a real browser: the language links of the start page, ``?lang=`` carried to the
workbooks, and no English text of the catalogs left on the page. Screenshots
(test-artifacts/screenshots/language-*.png) are for a person to look at: Cyrillic and
Albanian letters drawn with the page's fonts, nothing cut off by longer words.
"""

from __future__ import annotations

import re

import pytest
from browser import screenshot, unlock, wait_until_ready
from i18n_check import VISIBLE_TEXT, english_left
from playwright.sync_api import expect
from servers import START_PAGE

from widgets.i18n import LANGUAGES

pytestmark = pytest.mark.browser


def open_and_check(page, url: str, tag: str, shot: str) -> str:
    page.goto(url)
    wait_until_ready(page)
    path = screenshot(page, shot)
    assert page.evaluate("() => document.documentElement.lang") == tag, path
    text = page.evaluate(VISIBLE_TEXT)
    left = english_left(text, tag)
    assert not left, f"{path}: English left on the {tag} page: {left}"
    problems = page.watch.problems()
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)
    return text


def test_the_start_page_switches_language_and_keeps_case_and_team(page, voila_standalone):
    url = f"{voila_standalone.url}{START_PAGE}?case=demo&team=Lang"
    text = open_and_check(page, url + "&lang=mk", "mk", "language-start-mk")
    assert re.search("[\u0400-\u04ff]{4}", text), "no Cyrillic on the Macedonian start page"
    assert "Демо" in text, "the demo case's title is not in Macedonian"
    # The picker offers every language, in its own name, and marks the one in use.
    links = page.locator(".casebook-languages a")
    assert links.all_text_contents() == [lang.name for lang in LANGUAGES.values()]
    expect(page.locator('.casebook-languages a[aria-current="true"]')).to_have_text("Македонски")
    page.get_by_role("link", name="Shqip").click()
    page.wait_for_url(re.compile(r"lang=sq"))
    assert "case=demo" in page.url and "team=Lang" in page.url, page.url
    wait_until_ready(page)
    screenshot(page, "language-start-sq")
    assert page.evaluate("() => document.documentElement.lang") == "sq"
    left = english_left(page.evaluate(VISIBLE_TEXT), "sq")
    assert not left, f"English left on the Albanian start page: {left}"
    # The links to the workbooks carry the language on.
    expect(page.locator('.casebook-links a[href*="lang=sq"]').first).to_be_visible()


@pytest.mark.parametrize("tag", ["mk", "sq"])
def test_the_network_workbook_in_the_language(page, voila_standalone, tag):
    unlock(voila_standalone, "demo", "Lang", [2])
    url = f"{voila_standalone.url}voila/render/02-network.ipynb?case=demo&team=Lang&lang={tag}"
    open_and_check(page, url, tag, f"language-02-network-{tag}")
    heading = page.locator("#rendered_cells h1:visible").first.inner_text()
    assert heading.strip() and heading.strip() != "The network", heading
    # The network's own words (legend, tabs) come from the catalog too.
    legend = page.locator(".casebook-legend").first.inner_text()
    assert legend and not re.search(r"\bnodes\b|\blinks\b", legend), legend
