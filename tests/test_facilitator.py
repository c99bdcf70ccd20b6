"""The trainer's view without a browser: the passphrase gate, the codes, the debrief board."""

from __future__ import annotations

import re
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as ipw
import nbformat
import pytest
from nbclient import NotebookClient

from widgets import CaseError, hash_unlock_code, load_case
from widgets.conclusions_format import Finding, Protection, RoleClaim, TeamConclusions
from widgets.facilitator import (
    GUIDE,
    PASSPHRASE_VARIABLE,
    Facilitator,
    guide_html,
    passphrase_matches,
    stored_conclusions,
)
from widgets.notes import NotesStore

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "workbooks" / "trainer" / "facilitator.ipynb"
SECRET = "correct horse battery staple"
WHEN = datetime(2024, 6, 11, tzinfo=UTC)
CODE = re.compile(r'data-phase="(\d+)"><h4>[^<]*</h4><span class="casebook-code">([^<]*)</span>')


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An empty data folder of the server's own (CASEBOOK_DATA), no passphrase set."""
    monkeypatch.setenv("CASEBOOK_DATA", str(tmp_path / "data"))
    monkeypatch.delenv(PASSPHRASE_VARIABLE, raising=False)
    return tmp_path / "data"


@pytest.fixture
def secret(store, monkeypatch):
    monkeypatch.setenv(PASSPHRASE_VARIABLE, SECRET)
    return SECRET


def everything(widget) -> str:
    """Return every text the widget tree would send to the browser."""
    out = []
    todo = [widget]
    while todo:
        w = todo.pop()
        for name in ("value", "description", "placeholder", "nodes", "titles", "options"):
            if name in w.keys:
                out.append(str(getattr(w, name)))
        todo.extend(getattr(w, "children", ()))
    return "\n".join(out)


def html_of(widget) -> str:
    """Return the HTML of every HTML widget in the tree (what the browser parses as HTML)."""
    out, todo = [], [widget]
    while todo:
        w = todo.pop()
        if isinstance(w, ipw.HTML):
            out.append(w.value)
        todo.extend(getattr(w, "children", ()))
    return "\n".join(out)


def opened(case_id: str = "demo") -> Facilitator:
    view = Facilitator(case_id, delay=0)
    view.passphrase.value = SECRET
    assert view.unlocked
    return view


def blue() -> TeamConclusions:
    return TeamConclusions(
        case="demo",
        team="Blue",
        agencies=["police", "ngo"],
        roles=[
            RoleClaim(entity="P-ORG", role="organiser", cites=["C13", "C15"]),
            RoleClaim(entity="P-DRV", role="driver"),
        ],
        elements=["benefit", "danger_to_life"],
        evidence_sufficient="yes",
        findings=[
            Finding(
                id="f1",
                part="investigation",
                topic="structure",
                text="Doktori leads.",
                cites=["C13", "C15", "C21"],
            ),
        ],
        protection=[Protection(entity="P-M2", needs=["unaccompanied_child"], referral="guardian")],
    )


def red() -> TeamConclusions:
    return TeamConclusions(
        case="demo",
        team="Red",
        roles=[
            RoleClaim(entity="P-DRV", role="organiser"),
            RoleClaim(entity="P-ORG", role="recruiter"),
        ],
        elements=["benefit"],
        evidence_sufficient="not_yet",
        free_text="We are not sure yet.",
    )


def save(conclusions: TeamConclusions) -> None:
    NotesStore(conclusions.case, conclusions.team).save(conclusions.model_dump(mode="json"))


# --- the gate ------------------------------------------------------------------------------


def test_without_a_passphrase_the_view_says_how_to_start_and_reveals_nothing(store):
    save(blue())
    view = Facilitator("demo", delay=0)
    shown = everything(view)
    assert "TRAINER_PASSPHRASE" in shown and "make serve" in shown
    assert view.gate.layout.display == "none"
    view.passphrase.value = "anything"
    assert not view.unlocked
    for secret_text in ("ZETA-2", "Besnik", "Blue", "financial benefit"):
        assert secret_text not in everything(view)


def test_a_wrong_passphrase_reveals_nothing_and_costs_time(secret):
    save(blue())
    view = Facilitator("demo", delay=0.3)
    start = time.monotonic()
    view.passphrase.value = "correct horse"
    assert time.monotonic() - start >= 0.3
    assert not view.unlocked and view.content.children == ()
    assert view.attempts == 1
    shown = everything(view)
    assert "does not open" in shown
    for secret_text in ("ZETA-2", "Besnik", "Blue", SECRET):
        assert secret_text not in shown
    assert view.passphrase.value == ""  # the guess does not stay in the page


def test_passphrase_is_compared_whole():
    assert passphrase_matches(SECRET, SECRET)
    assert not passphrase_matches(SECRET[:-1], SECRET)
    assert not passphrase_matches(SECRET + " ", SECRET)
    assert not passphrase_matches("", SECRET)
    assert not passphrase_matches(SECRET, None)


@pytest.mark.parametrize("case_id", ["demo", "corridor"])
def test_right_passphrase_shows_the_codes_of_the_case_hashes(secret, case_id):
    view = opened(case_id)
    case = load_case(case_id)
    codes = {int(n): code for n, code in CODE.findall(view.release.value)}
    assert sorted(codes) == [p.number for p in case.phases if p.unlock_sha256]
    assert "open from the start" in view.release.value
    for phase in case.phases[1:]:
        assert hash_unlock_code(case_id, phase.number, codes[phase.number]) == phase.unlock_sha256
    assert "casebook-ready" in view._dom_classes and "casebook-facilitator" in view._dom_classes


def test_release_tab_says_what_each_phase_releases(secret):
    view = opened("corridor")
    assert "VARDAR-2" in view.release.value and "DRINA-5" in view.release.value
    assert "Forensic extraction report of the driver" in view.release.value  # phase 2 document


# --- phase codes in answers.yml --------------------------------------------------------------


def test_a_phase_code_that_does_not_match_its_hash_is_reported(tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(REPO / "cases" / "demo", folder)
    answers = folder / "answers.yml"
    text = answers.read_text(encoding="utf-8")
    assert "  2: ZETA-2\n" in text
    answers.write_text(text.replace("  2: ZETA-2\n", "  2: ZETA-3\n  1: OPEN\n  9: X\n"), "utf-8")
    line = text.splitlines().index("  2: ZETA-2") + 1
    with pytest.raises(CaseError) as info:
        load_case(folder)
    found = [str(p) for p in info.value.problems]
    assert any(
        p.startswith(f"answers.yml:{line}:phase_codes.2: the code of phase 2 does not match")
        for p in found
    ), found
    assert any(p.startswith(f"answers.yml:{line + 1}:phase_codes.1: phase 1 has no") for p in found)
    assert f"answers.yml:{line + 2}:phase_codes.9: phase 9 is out of range: the case has 2" in found


def test_the_cases_carry_their_codes():
    assert load_case("demo").answers.phase_codes == {2: "ZETA-2"}
    assert load_case("corridor").answers.phase_codes == {
        2: "VARDAR-2",
        3: "LOJANE-3",
        4: "HAWALA-4",
        5: "DRINA-5",
    }


# --- the debrief board ---------------------------------------------------------------------


def test_board_shows_two_stored_teams_against_the_model_answer(secret):
    save(blue())
    save(red())
    view = opened()
    assert [t.name for t in view.teams.values()] == ["Blue", "Red"]
    board = view.board.value
    assert "Blue" in board and "Red" in board
    # per role, the model answer and marks: Blue's organiser agrees, Red's differs
    organiser_row = next(r for r in board.split("<tr>") if r.startswith("<th>organiser"))
    cells = organiser_row.split("<td>")
    assert "Besnik Marku" in cells[1]  # the model answer
    assert "✓ agrees" in cells[2]  # Blue
    assert "✗ differs" in cells[3] and "Dragan Kostovski" in cells[3]  # Red
    # findings: evidence cited against the model's key findings
    assert "The organiser coordinates from a distance" in board
    assert "3 of 3 cited" in board
    # both teams painted on the network, with the model answer, and a legend
    ids = [n["id"] for n in view.graph.nodes]
    assert {"team:blue", "team:red", "team:model"} <= set(ids)
    assert {"team:blue", "team:red", "P-ORG", "P-DRV"} <= set(view.graph.highlight_nodes)
    assert "team:red->P-DRV:organiser" in view.graph.highlight_edges
    assert "Blue" in view.legend.value and "Model answer" in view.legend.value
    # where they disagree
    disagree = view.disagree.value
    assert "Besnik Marku: Blue: organiser; Red: recruiter (model answer: organiser)" in disagree
    assert "danger to life" in disagree and "Is the evidence sufficient?" in disagree
    assert "unaccompanied" not in disagree
    assert "Protection needs of Hamid Sultani: named by Blue, not by Red" in disagree
    # what each team wrote, side by side
    assert "Doktori leads." in view.team_notes.value
    assert "We are not sure yet." in view.team_notes.value


def test_reload_picks_up_a_team_that_saved_later(secret):
    save(blue())
    view = opened()
    assert list(view.teams) == ["blue"]
    save(red())
    view.reload_button.click()
    assert list(view.teams) == ["blue", "red"]


def test_uploaded_files_join_the_board_and_bad_ones_get_a_sentence(secret):
    save(blue())
    view = opened()
    files = (
        {
            "name": "red.json",
            "type": "application/json",
            "size": 1,
            "last_modified": WHEN,
            "content": memoryview(red().model_dump_json().encode()),
        },
        {
            "name": "broken.json",
            "type": "application/json",
            "size": 1,
            "last_modified": WHEN,
            "content": memoryview(b'{"case": "demo", "team": "Green", "roles": [{"entity": 1}]}'),
        },
        {
            "name": "other-case.json",
            "type": "application/json",
            "size": 1,
            "last_modified": WHEN,
            "content": memoryview(b'{"case": "corridor", "team": "Gold"}'),
        },
        {
            "name": "notes.txt",
            "type": "text/plain",
            "size": 1,
            "last_modified": WHEN,
            "content": memoryview(b"not json"),
        },
    )
    view.upload.value = files
    message = view.upload_message.value
    assert "red.json: the conclusions of team “Red” are on the board" in message
    assert "broken.json: roles.0.entity: Input should be a valid string" in message
    assert "other-case.json: case:" in message and "corridor" in message
    assert "notes.txt: not a JSON file (line 1, column 1)" in message
    assert sorted(view.teams) == ["blue", "red"]
    assert "Red" in view.board.value
    assert view.upload.value == ()


def test_a_damaged_stored_file_is_named(secret, store):
    save(blue())
    NotesStore("demo", "Grey").save({"case": "demo", "team": "Grey", "phase": 0})
    teams, problems = stored_conclusions("demo")
    assert [t.team for t in teams] == ["Blue"]
    assert problems == [
        "notes/demo/grey/current.json: phase: Input should be greater than or equal to 1"
    ]
    view = opened()
    assert "notes/demo/grey/current.json" in view.upload_message.value


def test_team_text_is_escaped_everywhere(secret):
    payload = "<script>alert(1)</script>"
    handler = '<img src=x onerror="alert(2)">'
    evil = TeamConclusions(
        case="demo",
        team=payload,
        roles=[RoleClaim(entity="P-ORG", role="organiser", note=handler)],
        qualification=handler,
        findings=[Finding(id="x", part="protection", text=payload, cites=[handler])],
        free_text=payload,
    )
    save(evil)
    save(blue())
    view = opened()
    view.add_file(handler + ".json", b"{}")
    view.upload.value = (
        {
            "name": handler,
            "type": "",
            "size": 1,
            "last_modified": WHEN,
            "content": memoryview(b"x"),
        },
    )
    shown = html_of(view)
    assert "<script>" not in shown and "<img" not in shown
    # on the network a team's name is drawn on the canvas as text, never parsed as HTML
    assert any(n["label"] == payload for n in view.graph.nodes)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in view.board.value
    assert "&lt;script&gt;" in view.team_notes.value and "&lt;img" in view.team_notes.value
    assert "&lt;script&gt;" in view.disagree.value and "&lt;img" in view.upload_message.value


def test_model_answers_and_guide_are_there_with_evidence_in_words(secret):
    view = opened()
    answers = view.answers.value
    assert "The financial benefit" in answers and "Besnik Marku: organiser" in answers
    assert "Payment of" in answers  # evidence in words, not only ids
    assert "Trainer" in view.guide.value and "<h2" in view.guide.value
    assert [view.tabs.get_title(i) for i in range(4)] == [
        "Release phases",
        "Debrief board",
        "Model answers and trainer notes",
        "Trainer's guide",
    ]
    view.guide_button.click()
    assert view.tabs.selected_index == 3


def test_the_guide_covers_what_the_room_needs():
    text = GUIDE.read_text(encoding="utf-8")
    for needed in (
        "HOST=0.0.0.0",
        "TRAINER_PASSPHRASE",
        "answers.yml",
        "Phase 5",
        "kernel",
        "JSON",
        "Protection",
    ):
        assert needed in text, needed
    assert "<script" not in guide_html()


# --- the workbook -----------------------------------------------------------------------------


def test_the_trainer_workbook_is_thin_and_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 1 and len(code[0].source.splitlines()) <= 5
    assert "Facilitator()" in code[0].source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)


def test_the_trainer_workbook_executes(store, monkeypatch):
    monkeypatch.setenv(PASSPHRASE_VARIABLE, SECRET)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=120, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    outputs = nb.cells[-1].outputs
    assert not [o for o in outputs if o.output_type == "error"]
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert views, outputs
    text = str(outputs)
    assert "ZETA-2" not in text and "Besnik" not in text
