"""A case many times larger than the training ones stays usable (issue 7, "large cases").

The corridor case generated 20 times larger (about 29,000 evidence items, 2,500 entities):
what the case file and the conclusions send to the browser stays bounded, the evidence rows
are computed once per case and language, and the quick search finds what a plain loop finds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ipywidgets.widgets import widget as ipw_widget

import widgets.evidence as evidence
from widgets import CaseFile, load_case
from widgets.case_file import ENTITIES_SHOWN, SHOWN
from widgets.conclusions import Conclusions, cite_items
from widgets.evidence import evidence_rows, search
from widgets.i18n import get_language, set_language
from widgets.page import PageParams

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """The corridor case, 20 times larger, released in full."""
    folder = tmp_path_factory.mktemp("corridor20")
    subprocess.run(
        [sys.executable, str(ROOT / "cases" / "make_corridor.py"), "--scale", "20"]
        + ["--out", str(folder)],
        check=True,
        capture_output=True,
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
        case = load_case(folder)
    return case.released(case.phase)


@pytest.fixture(scope="module")
def corridor():
    case = load_case("corridor")
    return case.released(case.phase)


def _state_size(build):
    """Build widgets; return them and the size of the state they send to the browser."""
    before = set(ipw_widget._instances)
    built = build()
    new = [w for k, w in list(ipw_widget._instances.items()) if k not in before]
    return built, sum(len(json.dumps(w.get_state(), default=str)) for w in new)


def test_the_case_file_sends_a_bounded_list_and_says_how_many_in_all(large):
    total = len(evidence_rows(large))
    assert total > SHOWN
    view, size = _state_size(lambda: CaseFile(large))
    assert len(view.items.options) == SHOWN
    newest = evidence_rows(large)["id"].head(SHOWN).tolist()
    assert [v for _, v in view.items.options] == newest  # newest phase first, as always
    assert f"showing {SHOWN:,} of {total:,} evidence items" in view.count.value
    assert "search or choose who they mention to narrow" in view.count.value
    assert size < 1_000_000


def test_narrowing_a_large_case_shows_every_match(large):
    view = CaseFile(large)
    rows = evidence_rows(large)
    driver = rows.loc[rows["table"] == "trips", "refs"].iloc[0][0]
    view.entity.options = [*view.entity.options, (driver, driver)]  # whatever the list holds
    view.entity.value = driver
    expected = search(large, entity=driver)[1]
    assert len(expected) <= SHOWN
    assert sorted(v for _, v in view.items.options) == expected
    assert "showing" not in view.count.value
    assert f"{len(expected)} evidence item" in view.count.value


def test_an_item_beyond_the_list_still_opens(large):
    view = CaseFile(large)
    last = evidence_rows(large)["id"].iloc[-1]
    assert last not in {v for _, v in view.items.options}
    view.item = last
    assert "Source:" in view.item_reader.value
    assert view.items.value != last


def test_the_mentions_list_is_bounded_and_keeps_places_and_the_most_named(large):
    view = CaseFile(large)
    listed = [v for _, v in view.entity.options if v]
    assert len(large.entities) > ENTITIES_SHOWN
    assert len(listed) == ENTITIES_SHOWN
    types = dict(zip(large.entities["id"], large.entities["type"], strict=True))
    few = [i for i, t in types.items() if t not in ("person", "phone")]
    assert set(few) <= set(listed)
    # the person named in the most evidence items is listed
    refs = evidence_rows(large)["refs"].explode()
    persons = refs[refs.map(types) == "person"]
    assert persons.value_counts().index[0] in listed
    assert f"{ENTITIES_SHOWN} persons and things" in view.entity_note.value
    assert view.entity_note in view.children


def test_training_cases_show_everything_as_before(corridor):
    view = CaseFile(corridor)
    total = len(evidence_rows(corridor))
    assert len(view.items.options) == total
    assert len(view.entity.options) == len(corridor.entities) + 1
    assert view.count.value.endswith(f"{total:,} evidence items</p>")
    assert view.entity_note not in view.children


def test_evidence_rows_are_computed_once_per_case_and_language(large, monkeypatch):
    case = large.released(large.phase)  # a case object of its own: nothing computed yet
    calls = []
    compute = evidence._evidence_rows
    monkeypatch.setattr(evidence, "_evidence_rows", lambda c: calls.append(c) or compute(c))
    CaseFile(case)
    Conclusions(case, PageParams(case=case.id, team="Blue"), compact=True)
    assert evidence_rows(case) is evidence_rows(case)
    assert len(calls) == 1
    assert cite_items(case) is cite_items(case)
    language = get_language()
    try:
        set_language("sq")
        evidence_rows(case)
        assert len(calls) == 2
    finally:
        set_language(language)
    evidence_rows(case)
    assert len(calls) == 2
    evidence_rows(large.released(1))
    assert len(calls) == 3


def test_the_conclusions_pickers_send_a_bounded_list(large):
    form, size = _state_size(
        lambda: Conclusions(large, PageParams(case=large.id, team="Blue"), compact=True)
    )
    assert len(form.new_picker.select.options) <= 200
    form.new_picker.filter.value = "call"
    assert 0 < len(form.new_picker.select.options) <= 200
    assert size < 1_000_000


def _reference_search(case, text="", entity=None):
    """What search() did before it was vectorised: a loop over the rows, a regex per row."""
    words = [w.lower() for w in re.findall(r"\w+", text or "")]
    labels = dict(zip(case.entities["id"], case.entities["label"], strict=True))

    def matches(haystack: str) -> bool:
        haystack = haystack.lower()
        return all(re.search(rf"\b{re.escape(w)}\b", haystack) for w in words)

    docs = []
    for row in case.documents.itertuples(index=False):
        if words and not matches(f"{case.text(row.title)}\n{row.text}"):
            continue
        if entity and entity not in row.mentions and labels.get(entity, "\0") not in row.text:
            continue
        docs.append(row.id)
    items = []
    for row in evidence_rows(case).itertuples(index=False):
        if words and not matches(f"{row.text}\n{row.description}"):
            continue
        if entity and entity not in row.refs:
            continue
        items.append(row.id)
    return sorted(docs), sorted(items)


@pytest.mark.parametrize(
    "text", ["", "cash", "OK", "van hidden", "h", "Payment of", "people on board", "tonight"]
)
def test_search_finds_what_a_plain_loop_finds(corridor, text):
    entities = ["", *corridor.entities["id"].iloc[::23]]
    for entity in entities:
        assert search(corridor, text, entity or None) == _reference_search(
            corridor, text, entity or None
        ), (text, entity)
