"""Conclusions widget without a browser: the form, what is saved, history, import, export."""

from __future__ import annotations

import json

import pytest

from widgets import load_case
from widgets.conclusions import Conclusions, EvidencePicker, cite_items, report_html, report_md
from widgets.conclusions_format import TeamConclusions
from widgets.notes import NotesStore
from widgets.page import PageParams

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_DATA", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def case():
    return load_case("demo").released(2)


def blue(case, **kwargs) -> Conclusions:
    return Conclusions(case, PageParams(case="demo", team="Blue"), **kwargs)


def fill(c: Conclusions) -> None:
    """Fill the form as a team would, through its widgets."""
    c.agency_boxes["police"].value = True
    c.agency_boxes["ngo"].value = True
    c._add_role()
    row = c.roles_box.children[0]
    person, role, _remove = row.children[0].children
    person.value = "P-ORG"
    role.value = "organiser"
    row.children[1].value = "Gives the driver his orders."
    picker = row.children[2]
    picker.filter.value = "Are you free"
    picker.select.value = ("C02",)
    c._add_finding("investigation", "structure")
    finding = c.topic_boxes["structure"].children[0]
    finding.children[0].value = "Besnik Marku directs the driver."
    finding_picker = finding.children[1].children[0]
    finding_picker.select.value = ("C02", "D-EXT")
    c.qualification.value = "Smuggling of migrants, art. 418b"
    c.element_boxes["benefit"].value = True
    c.element_boxes["minors"].value = True
    c.sufficient.value = "not_yet"
    c._add_protection()
    prot = c.protection_box.children[0]
    prot.children[0].children[0].value = "P-M2"
    needs = prot.children[1].children
    next(n for n in needs if n.description == "unaccompanied or separated child").value = True
    prot.children[2].value = "Child protection service"
    c.next_steps.value = "Hear Farid again."
    c.free_text.value = "Ask the trainer about the ledger."


EXPECTED = {
    "format": "casebook-conclusions/1",
    "case": "demo",
    "team": "Blue",
    "phase": 2,
    "agencies": ["police", "ngo"],
    "roles": [
        {
            "entity": "P-ORG",
            "role": "organiser",
            "note": "Gives the driver his orders.",
            "cites": ["C02"],
        }
    ],
    "qualification": "Smuggling of migrants, art. 418b",
    "elements": ["benefit", "minors"],
    "evidence_sufficient": "not_yet",
    "protection": [
        {
            "entity": "P-M2",
            "needs": ["unaccompanied_child"],
            "referral": "Child protection service",
            "cites": [],
        }
    ],
    "next_steps": "Hear Farid again.",
    "free_text": "Ask the trainer about the ledger.",
}


def test_the_form_saves_exactly_what_was_written(case):
    c = blue(case)
    fill(c)
    saved = NotesStore("demo", "Blue").load()
    finding = saved.pop("findings")
    assert saved.pop("saved")
    assert saved == EXPECTED
    assert [(f["part"], f["topic"], f["text"], f["cites"]) for f in finding] == [
        ("investigation", "structure", "Besnik Marku directs the driver.", ["C02", "D-EXT"])
    ]
    assert "Saved at" in c.status.value and f"(version {c.revision})" in c.status.value
    # every change was a version of its own
    assert c.revision == len(NotesStore("demo", "Blue").history()) > 10


def test_a_new_widget_shows_what_was_saved(case):
    fill(blue(case))
    again = blue(case)
    assert again.data.model_dump(exclude={"saved"}) == TeamConclusions.model_validate(
        NotesStore("demo", "Blue").load()
    ).model_dump(exclude={"saved"})
    assert [a for a, box in again.agency_boxes.items() if box.value] == ["police", "ngo"]
    row = again.roles_box.children[0]
    assert row.children[0].children[0].value == "P-ORG"
    assert row.children[1].value == "Gives the driver his orders."
    assert row.children[2].cites == ["C02"]
    finding = again.topic_boxes["structure"].children[0]
    assert finding.children[0].value == "Besnik Marku directs the driver."
    assert finding.children[1].children[0].select.value == ("C02", "D-EXT")
    assert again.qualification.value == "Smuggling of migrants, art. 418b"
    assert again.element_boxes["minors"].value and not again.element_boxes["danger_to_life"].value
    assert again.sufficient.value == "not_yet"
    assert again.free_text.value == "Ask the trainer about the ledger."
    # the agencies' parts come first: investigation (police), protection (NGO), prosecution
    order = [acc._dom_classes[0] for acc in again.parts_box.children]
    assert order == [
        "casebook-part-investigation",
        "casebook-part-protection",
        "casebook-part-prosecution",
    ]
    assert again.parts["prosecution"].selected_index is None
    assert again.parts["protection"].selected_index == 0


def test_loading_does_not_save(case):
    fill(blue(case))
    revision = NotesStore("demo", "Blue").revision
    blue(case)
    blue(case, compact=True, workbook="02-network")
    assert NotesStore("demo", "Blue").revision == revision


def test_history_restores_an_earlier_version(case):
    c = blue(case)
    c.free_text.value = "first thought"
    first = c.revision
    c.free_text.value = "second thought"
    labels = [label for label, _ in c.history_list.options]
    assert labels[0].startswith(f"Version {first + 1} · ") and len(labels) == 2
    c.history_list.value = first
    c._restore()
    assert c.free_text.value == "first thought"
    assert c.revision == first + 2
    store = NotesStore("demo", "Blue")
    assert store.load()["free_text"] == "first thought"
    assert [v["data"]["free_text"] for v in store.history()] == [
        "first thought",
        "second thought",
        "first thought",
    ]


def test_a_damaged_save_is_explained_and_the_history_kept(case):
    c = blue(case)
    c.free_text.value = "kept"
    store = NotesStore("demo", "Blue")
    store.save({"case": "demo", "team": "Blue", "roles": "not a list"})
    again = blue(case)
    assert "could not be read" in again.problem.value
    assert "Traceback" not in again.problem.value
    assert again.free_text.value == "kept"  # the last readable version
    assert len(again.history_list.options) == 2


def test_no_team_saves_nothing(case, data_dir):
    c = Conclusions(case, PageParams(case="demo"))
    assert c.store is None
    assert "Choose a team on the start page" in c.children[0].value
    assert "casebook-ready" in c._dom_classes
    assert not (data_dir / "notes").exists()
    assert Conclusions(None, PageParams(case="demo", team="Blue")).store is None


def test_two_teams_never_share_a_file(case):
    a, b = blue(case), Conclusions(case, PageParams(case="demo", team="Red"))
    a.free_text.value = "blue text"
    b.free_text.value = "red text"
    assert NotesStore("demo", "Blue").load()["free_text"] == "blue text"
    assert NotesStore("demo", "Red").load()["free_text"] == "red text"
    assert NotesStore("demo", "Blue").folder != NotesStore("demo", "Red").folder


def test_exports_describe_the_cited_evidence_in_words(case):
    c = blue(case)
    fill(c)
    md, page = report_md(c.data, case), report_html(c.data, case)
    for text in (md, page):
        assert "Besnik Marku directs the driver." in text
        assert "Are you free Thursday night?" in text  # C02 in words
        assert "source reliable; information known to be true" in text  # its grade
        assert "Extraction report of the driver" in text  # its source, and D-EXT cited
        assert "organiser" in text and "children among the smuggled" in text
        assert "unaccompanied or separated child" in text and "Child protection service" in text
    c._make_exports()
    links = c.exports.value
    assert links.count("data:") == 3 and 'download="conclusions-demo-blue.json"' in links
    encoded = links.split('href="data:application/json;base64,')[1].split('"')[0]
    import base64

    exported = json.loads(base64.b64decode(encoded))
    assert exported["format"] == "casebook-conclusions/1" and exported["roles"][0]["cites"] == [
        "C02"
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_escaped_wherever_they_become_html(case, payload):
    c = blue(case)
    c._add_finding("investigation", "evidence")
    c.topic_boxes["evidence"].children[0].children[0].value = payload
    c.free_text.value = payload
    c._add_role()
    c.roles_box.children[0].children[1].value = payload
    note = blue(case, compact=True, workbook="02-network")
    note.notes.value = payload
    c.save()
    again = blue(case)
    assert again.free_text.value == payload  # kept as typed
    c._make_exports()
    for html_text in (
        report_html(again.data, case),
        report_md(again.data, case),
        again.notes_box.children[0].value,
    ):
        assert payload not in html_text
        assert "&lt;" in html_text
    # the HTML export inside the data: URL is escaped too
    import base64

    encoded = c.exports.value.split('href="data:text/html;base64,')[1].split('"')[0]
    assert payload not in base64.b64decode(encoded).decode()


def test_import_a_good_file_as_a_new_version(case):
    red = Conclusions(case, PageParams(case="demo", team="Red"))
    fill(red)
    exported = red.data.model_dump_json()
    c = blue(case)
    c.free_text.value = "before the import"
    before = c.revision
    assert c.import_file(exported.encode(), "red.json") is not None
    assert NotesStore("demo", "Blue").revision == before  # nothing before confirmation
    assert "Load the conclusions of team Red from red.json" in c.import_box.children[0].value
    revision = c.confirm_import()
    assert revision == before + 1
    saved = NotesStore("demo", "Blue").load()
    assert saved["team"] == "Blue" and saved["free_text"] == "Ask the trainer about the ledger."
    assert c.roles_box.children[0].children[0].children[0].value == "P-ORG"
    history = NotesStore("demo", "Blue").history()
    assert history[-2]["data"]["free_text"] == "before the import"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not json", "bad.json: not a JSON file"),
        (b'{"case": "demo"}', "bad.json: team: Field required"),
        (
            b'{"case": "demo", "team": "X", "roles": [{"entity": "P-ORG", "role": "boss"}]}',
            "roles.0.role",
        ),
    ],
)
def test_import_a_wrong_file_says_which_file_and_field(case, content, expected):
    c = blue(case)
    assert c.import_file(content, "bad.json") is None
    message = c.import_box.children[0].value
    assert "cannot be imported" in message and expected in message
    assert c.confirm_import() == 0
    assert NotesStore("demo", "Blue").revision == 0


def test_import_refuses_a_file_for_another_case(case):
    c = blue(case)
    other = TeamConclusions(case="corridor", team="Blue").model_dump_json()
    assert c.import_file(other, "corridor.json") is None
    assert "another case (corridor)" in c.import_box.children[0].value
    assert NotesStore("demo", "Blue").revision == 0


def test_compact_notes_share_the_store_with_the_full_form(case):
    full = blue(case)
    full.free_text.value = "written on page 06"
    note = blue(case, compact=True, workbook="02-network")
    assert "06-conclusions.ipynb?case=demo&amp;team=Blue" in note.children[-1].value
    note.notes.value = "the broker is Besnik"
    note.new_part.value = "prosecution"
    note.new_topic.value = "qualification"
    note.new_text.value = "Smuggling by an organised group"
    note.new_picker.select.value = ("PAY2",)
    added = note.add_finding()
    assert added is not None and note.new_text.value == ""
    saved = NotesStore("demo", "Blue").load()
    assert saved["free_text"] == "written on page 06"  # the compact save did not overwrite it
    texts = {f["id"]: (f["topic"], f["text"], f["cites"]) for f in saved["findings"]}
    assert texts["note-02-network"] == ("notes", "the broker is Besnik", [])
    assert texts[added.id] == ("qualification", "Smuggling by an organised group", ["PAY2"])
    # the full form, open in another tab, keeps them when it saves next
    full.next_steps.value = "Request the MTO records."
    saved = NotesStore("demo", "Blue").load()
    assert {f["id"] for f in saved["findings"]} == {"note-02-network", added.id}
    assert saved["free_text"] == "written on page 06"
    assert "the broker is Besnik" in full.notes_box.children[0].value
    assert len(full.topic_boxes["qualification"].children) == 1
    # a new page shows the note back
    assert blue(case, compact=True, workbook="02-network").notes.value == "the broker is Besnik"
    assert blue(case, compact=True, workbook="04-money").notes.value == ""


def test_picker_keeps_what_was_cited_when_the_filter_changes(case):
    items = cite_items(case)
    assert ("C02" in dict((v, k) for k, v in items)) and all(" · " in label for label, _ in items)
    picker = EvidencePicker(items)
    seen = []
    picker.on_change(seen.append)
    picker.filter.value = "Kostovski"
    picker.select.value = ("P-DRV",)
    picker.filter.value = "FastLink"
    assert picker.select.value == ("P-DRV",)
    assert [v for _, v in picker.select.options][0] == "P-DRV"
    assert all("fastlink" in label.lower() for label, v in picker.select.options if v != "P-DRV")
    assert seen == [["P-DRV"]]


def test_two_tabs_of_one_team_later_save_wins_and_history_keeps_both(case):
    first, second = blue(case), blue(case)
    first.free_text.value = "from the first tab"
    second.free_text.value = "from the second tab"
    store = NotesStore("demo", "Blue")
    assert store.load()["free_text"] == "from the second tab"
    assert [v["data"]["free_text"] for v in store.history()] == [
        "from the first tab",
        "from the second tab",
    ]


def test_compact_notes_are_named_after_the_page_voila_serves(case, monkeypatch):
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/03-communications.ipynb")
    note = blue(case, compact=True)
    note.notes.value = "the handset changed SIM"
    ids = [f["id"] for f in NotesStore("demo", "Blue").load()["findings"]]
    assert ids == ["note-03-communications"]
