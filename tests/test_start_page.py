"""The start page and the case banner, driven without a browser."""

from widgets import CaseBanner, StartPage
from widgets.page import PageParams


def test_start_page_preselects_case_and_team_from_url():
    page = StartPage(PageParams(case="demo", team="Blue"))
    assert page.picker.value == "demo"
    assert page.team == "Blue"
    assert "Phase 1 of 2: The interception" in page.briefing.value
    assert "What you will learn" in page.card.value
    assert "casebook-ready" in page._dom_classes


def test_team_name_is_required_before_links():
    page = StartPage(PageParams(case="demo"))
    assert "Enter your team name" in page.links.value
    page.team_input.value = "Red team"
    assert page.team == "Red team"
    assert "Enter your team name" not in page.links.value


def test_links_keep_case_team_and_language(tmp_path, monkeypatch):
    (tmp_path / "02-network.ipynb").write_text(
        '{"cells": [{"cell_type": "markdown", "source": ["# The network"], "metadata": {}}], '
        '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
        encoding="utf-8",
    )
    monkeypatch.setenv("CASEBOOK_WORKBOOKS", str(tmp_path))
    page = StartPage(PageParams(case="demo", team="Blue", lang="en"))
    assert 'href="02-network.ipynb?case=demo&amp;team=Blue&amp;lang=en"' in page.links.value
    assert "The network" in page.links.value


def test_bad_team_name_is_refused_with_a_hint():
    page = StartPage(PageParams(case="demo"))
    page.team_input.value = "<script>"
    assert page.team == ""
    assert "Use letters" in page.team_hint.value


def test_broken_case_shows_problems_not_a_traceback(tmp_path, monkeypatch):
    import shutil

    from widgets import load_case

    shutil.copytree(load_case("demo").path, tmp_path / "demo")
    (tmp_path / "demo" / "answers.yml").unlink()
    monkeypatch.setenv("CASEBOOK_CASES", str(tmp_path))
    page = StartPage(PageParams(case="demo", team="Blue"))
    assert "cannot be opened" in page.card.value
    assert "answers.yml: missing file" in page.card.value
    assert page.briefing.value == ""
    banner = CaseBanner(PageParams(case="demo", team="Blue"))
    assert banner.case is None and "answers.yml: missing file" in banner.value


def test_no_cases_at_all(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_CASES", str(tmp_path))
    page = StartPage(PageParams())
    assert "No cases were found" in page.card.value


def test_banner_defaults_to_demo_and_releases_phase_one():
    banner = CaseBanner(PageParams(team="Blue"))
    assert banner.case.id == "demo" and banner.case.phase == 1
    assert "Team: Blue" in banner.value


def test_phase_code_releases_the_next_phase_for_this_team_only():
    page = StartPage(PageParams(case="demo", team="Blue"))
    assert page.phase == 1 and page.unlock_box.layout.display is None
    page.code_input.value = "not the code"
    assert "does not open a phase" in page.unlock_message.value and page.phase == 1
    page.code_input.value = " zeta-2 "
    page.unlock_button.click()
    assert page.phase == 2
    assert "Phase 2 of 2: The phone and the money" in page.briefing.value
    assert page.unlock_box.layout.display == "none"  # nothing left to unlock
    # the team keeps its phase on reload and in every workbook; another team does not get it
    assert StartPage(PageParams(case="demo", team="blue")).phase == 2
    assert CaseBanner(PageParams(case="demo", team="Blue")).case.phase == 2
    assert StartPage(PageParams(case="demo", team="Red")).phase == 1
    assert CaseBanner(PageParams(case="demo", team="Red")).case.phase == 1


def test_no_unlocking_without_a_team():
    page = StartPage(PageParams(case="demo"))
    assert page.unlock_box.layout.display == "none"
    page.code_input.value = "ZETA-2"
    assert page.phase == 1


def test_unlock_message_stays_visible_after_the_last_phase():
    page = StartPage(PageParams(case="demo", team="Violet"))
    page.code_input.value = "ZETA-2"
    assert page.unlock_box.layout.display == "none"
    assert (
        page.unlock_message in page.children and "Phase 2 is released" in page.unlock_message.value
    )
