"""Loading the demo case, what each phase releases, and the evidence graph."""

import pandas as pd
import pytest

from widgets import load_case
from widgets.case import hash_unlock_code, list_cases


@pytest.fixture(scope="module")
def case():
    return load_case("demo")


def test_tables_have_the_demo_rows(case):
    assert len(case.persons) == 7
    assert set(case.entities["type"]) == {
        "person",
        "organisation",
        "phone",
        "account",
        "vehicle",
        "location",
    }
    assert case.entities["id"].is_unique
    assert set(case.events["event"]) == {"call", "message", "payment", "trip", "detection"}
    assert case.events["time"].is_monotonic_increasing
    assert pd.api.types.is_datetime64_any_dtype(case.communications["time"])
    assert case.payments["amount"].sum() == pytest.approx(2500 + 2300 + 3450 + 2760 + 300 + 32000)


def test_released_keeps_only_earlier_phases(case):
    early = case.released(1)
    assert early.phase == 1
    for name, frame in early.tables.items():
        assert (frame["phase"] <= 1).all(), name
    # the phone extraction and the money-transfer reply come in phase 2
    assert early.communications.empty
    assert set(early.documents["id"]) == {"D-POL", "D-ST1", "D-ST2", "D-ST3"}
    assert "P-ORG" not in set(early.entities["id"])
    assert "P-ORG" in set(case.released(2).entities["id"])


def test_released_drops_model_answers(case):
    assert case.answers is not None
    assert case.released(2).answers is None


@pytest.mark.parametrize("phase", [0, 3, "1", None])
def test_released_rejects_phases_out_of_range(case, phase):
    with pytest.raises(ValueError, match="phase must be between 1 and 2"):
        case.released(phase)


def test_entity_phase_comes_from_first_evidence(case):
    phase = dict(zip(case.entities["id"], case.entities["phase"], strict=True))
    assert phase["P-DRV"] == 1  # police report
    assert phase["PH-ORG2"] == 2  # phone extraction
    assert case.released(2).is_new("PH-ORG2") and not case.released(2).is_new("P-DRV")


def test_graph_joins_entities_through_evidence(case):
    g = case.released(2).graph()
    assert set(g.nodes) == set(case.entities["id"])
    kinds = {d["kind"] for _, _, d in g.edges(data=True)}
    assert {"call", "message", "payment", "trip", "detection", "uses", "family"} <= kinds
    assert g.has_edge("PH-ORG2", "PH-DRV")
    assert g.has_edge("AC-HAW", "P-ORG")  # guarantee money released to the organiser
    early = case.released(1).graph()
    assert not early.has_edge("PH-ORG2", "PH-DRV")


def test_briefing_and_texts(case):
    assert "patrol" in case.briefing(1)
    assert "extraction" in case.briefing(2)
    assert case.document_text("D-POL").startswith("# Official report")


def test_unlock_hash_matches_demo(case):
    assert case.phases[1].unlock_sha256 == hash_unlock_code("demo", 2, "zeta-2")
    assert case.phases[0].unlock_sha256 is None


def test_list_cases_reports_a_broken_case_without_raising(tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "case.yml").write_text("format: 1\nid: bad\n", encoding="utf-8")
    [summary] = list_cases(tmp_path)
    assert summary.id == "bad" and "case.yml" in summary.problem


def test_load_is_cached_until_a_file_changes(tmp_path):
    import shutil

    shutil.copytree(load_case("demo").path, tmp_path / "demo")
    first = load_case(tmp_path / "demo")
    assert load_case(tmp_path / "demo") is first
    path = tmp_path / "demo" / "vehicles.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("white", "grey"), encoding="utf-8")
    second = load_case(tmp_path / "demo")
    assert second is not first and second.vehicles.loc[0, "colour"] == "grey"
