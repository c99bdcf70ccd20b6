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
    assert view.index.options[0][0].startswith("● Phase 2 · Phone extraction")
    view.index.value = "D-MTO"
    assert view.document == "D-MTO"
    assert "FastLink Money Transfer" in view.reader.value
    assert "released in phase 2" in view.reader.value


def test_no_case_shows_nothing():
    view = CaseFile(None)
    assert "could not be opened" in view.children[0].value and view.reader.value == ""


def test_evidence_items_read_as_sentences_with_source_and_grade():
    view = CaseFile(load_case("demo").released(2))
    ids = [v for _, v in view.items.options]
    assert set(ids) >= {"C11", "PAY3", "T2", "DET1", "LK9"}
    assert len(ids) == len(load_case("demo").events) + len(load_case("demo").links)
    view.item = "C11"
    assert "Message from +38163000904 (Besnik Marku) to +38970000141 (Dragan Kostovski)" in (
        view.item_reader.value
    )
    assert "Extraction report of the driver&#x27;s phone" in view.item_reader.value
    assert "source reliable; information known to be true" in view.item_reader.value


def test_entity_filter_and_search_narrow_both_tabs():
    view = CaseFile(load_case("demo").released(2))
    view.entity.value = "P-M2"
    assert [v for _, v in view.index.options] == ["D-POL", "D-ST2"]
    assert {v for _, v in view.items.options} == {"DET1", "T1", "T2"}
    view.query.value = "hidden compartment"
    assert [v for _, v in view.items.options] == ["T2"]
    assert "0 documents · 1 evidence item" in view.count.value
    assert "No document matches" in view.reader.value


def test_open_source_document_from_an_item():
    view = CaseFile(load_case("demo").released(2))
    view.tabs.selected_index = 1
    view.item = "PAY5"
    view.open_source.click()
    assert view.tabs.selected_index == 0
    assert view.document == "D-MTO" and "FastLink" in view.reader.value
