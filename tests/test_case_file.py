"""The case file lists only released documents and opens them."""

from widgets import CaseFile, load_case
from widgets.case_file import document_rows


def test_phase_one_lists_only_phase_one_documents():
    rows = document_rows(load_case("demo").released(1))
    assert {r["id"] for r in rows} == {"D-POL", "D-ST1", "D-ST2", "D-ST3"}
    assert all(r["new"] for r in rows)


def test_phase_two_marks_new_documents_first():
    rows = document_rows(load_case("demo").released(2))
    assert [r["id"] for r in rows[:2]] == ["D-EXT", "D-MTO"]
    assert [r["new"] for r in rows] == [True, True, False, False, False, False]
    assert rows[0]["kind"] == "Phone extraction"


def test_selecting_a_document_shows_its_text():
    view = CaseFile(load_case("demo").released(2))
    assert view.index.options[0][0].startswith("● Phone extraction")
    view.index.value = "D-MTO"
    assert view.document == "D-MTO"
    assert "FastLink Money Transfer" in view.reader.value
    assert "released in phase 2" in view.reader.value


def test_no_case_shows_nothing():
    view = CaseFile(None)
    assert view.children == () and view.reader.value == ""
