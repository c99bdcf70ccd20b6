"""Every kind of broken case is reported as file:row:field: reason, all problems together."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from widgets import CaseError, load_case

DEMO = Path(__file__).resolve().parent.parent / "cases" / "demo"


@pytest.fixture
def broken(tmp_path):
    """A fresh copy of the demo case to break."""
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the demo case changed, update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_case(folder)
    return [str(p) for p in info.value.problems]


def test_demo_is_valid():
    assert load_case(DEMO).id == "demo"


def test_unknown_column(broken):
    edit(broken / "vehicles.csv", "id,plate,", "id,plate,speed,")
    edit(broken / "vehicles.csv", "V-VAN,SK-0412-XQ,", "V-VAN,SK-0412-XQ,120,")
    assert any(p.startswith("vehicles.csv:1:speed: unknown column") for p in problems(broken))


def test_missing_required_field(broken):
    edit(broken / "persons.csv", "P-WLK,Goran Ilievski,", "P-WLK,,")
    assert "persons.csv:4:name: required, but missing" in problems(broken)


def test_missing_required_column(broken):
    edit(broken / "trips.csv", ",source,confidence,", ",source,")
    found = problems(broken)
    assert "trips.csv:1:confidence: required column is missing" in found


def test_unparseable_date(broken):
    edit(broken / "communications.csv", "C05,call,2024-05-04T12:10:00", "C05,call,4 May at noon")
    assert (
        "communications.csv:6:time: '4 May at noon' is not a date and time like 2024-03-02T14:05"
        in problems(broken)
    )


def test_unparseable_amount(broken):
    edit(broken / "payments.csv", ",3450,EUR,", ',"3,450",EUR,')
    found = problems(broken)
    assert any(p.startswith("payments.csv:4:amount: '3,450' is not an amount") for p in found)


def test_negative_amount(broken):
    edit(broken / "payments.csv", ",300,EUR,", ",-300,EUR,")
    assert any(
        p.startswith("payments.csv:6:amount: '-300' is out of range") for p in problems(broken)
    )


def test_reference_to_unknown_entity(broken):
    edit(
        broken / "communications.csv",
        "C05,call,2024-05-04T12:10:00,PH-WLK",
        "C05,call,2024-05-04T12:10:00,PH-NOBODY",
    )
    assert "communications.csv:6:caller: unknown entity 'PH-NOBODY'" in problems(broken)


def test_reference_to_wrong_kind_of_entity(broken):
    edit(broken / "links.csv", "LK1,uses,P-DRV,PH-DRV", "LK1,uses,P-DRV,P-M1")
    assert any(
        p.startswith("links.csv:2:object: 'P-M1' is a person; expected a phone")
        for p in problems(broken)
    )


def test_reference_to_unknown_document(broken):
    edit(broken / "trips.csv", ",D-ST1,B2,Night walk", ",D-NONE,B2,Night walk")
    assert "trips.csv:2:source: unknown document 'D-NONE'" in problems(broken)


def test_duplicate_id(broken):
    edit(broken / "vehicles.csv", "V-VAN,SK-0412-XQ", "P-DRV,SK-0412-XQ")
    found = problems(broken)
    assert "vehicles.csv:2:id: duplicate id 'P-DRV' (also persons.csv row 2)" in found


def test_phase_out_of_range(broken):
    edit(broken / "documents" / "D-MTO.md", "phase: 2", "phase: 7")
    found = problems(broken)
    assert "documents/D-MTO.md:5:phase: phase 7 is out of range: the case has 2" in found


def test_phase_out_of_range_in_answers(broken):
    edit(broken / "answers.yml", "    role: driver\n    phase: 1", "    role: driver\n    phase: 3")
    assert "answers.yml:12:roles[1].phase: phase 3 is out of range: the case has 2" in problems(
        broken
    )


def test_answer_cites_evidence_not_yet_released(broken):
    edit(
        broken / "answers.yml",
        "    role: driver\n    phase: 1\n",
        "    role: driver\n    phase: 1\n",
    )
    edit(broken / "answers.yml", "    evidence: [T2, DET1]", "    evidence: [T2, DET1, PAY5]")
    assert (
        "answers.yml:14:roles[1].evidence: 'PAY5' is released in phase 2, "
        "after this answer's phase 1" in problems(broken)
    )


def test_wrong_encoding(broken):
    path = broken / "persons.csv"
    text = path.read_text(encoding="utf-8").replace("Dragan Kostovski", "Dragan Kostovski čćš")
    path.write_bytes(text.encode("cp1250"))
    assert any(
        p.startswith("persons.csv:2: is not UTF-8 text (byte 0xe8): save it as UTF-8")
        for p in problems(broken)
    )


def test_missing_file(broken):
    (broken / "answers.yml").unlink()
    assert "answers.yml: missing file" in problems(broken)


def test_missing_case_folder(tmp_path):
    found = problems(tmp_path / "nowhere")
    assert len(found) == 1 and "no such case folder" in found[0]


def test_invalid_yaml_gives_its_line(broken):
    edit(broken / "case.yml", "timezone: Europe/Skopje", "timezone: [Europe/Skopje")
    found = problems(broken)
    assert len(found) == 1 and found[0].startswith("case.yml:") and "not valid YAML" in found[0]


def test_case_yml_field_with_line(broken):
    edit(broken / "case.yml", "timezone: Europe/Skopje", "timezone: Europe/Nowhere")
    assert (
        "case.yml:12:timezone: 'Europe/Nowhere' is not a time zone like Europe/Skopje"
        in problems(broken)
    )


def test_enum_value(broken):
    edit(
        broken / "accounts.csv",
        "AC-HAW,Guarantee ledger of Sarraf Ozan,hawala",
        "AC-HAW,Guarantee ledger of Sarraf Ozan,cash-ish",
    )
    found = problems(broken)
    assert any(p.startswith("accounts.csv:2:kind: 'cash-ish' is not one of: bank,") for p in found)


def test_entity_never_released(broken):
    with (broken / "locations.csv").open("a", encoding="utf-8") as f:
        f.write("L-NEW,Nowhere,city,42.0,21.0,MK,,\n")
    assert (
        "locations.csv:8:phase: no evidence names this entity: give the phase in which it appears"
        in problems(broken)
    )


def test_all_problems_reported_together(broken):
    edit(broken / "persons.csv", "P-WLK,Goran Ilievski,", "P-WLK,,")
    edit(broken / "payments.csv", ",300,EUR,", ",abc,EUR,")
    (broken / "answers.yml").unlink()
    found = problems(broken)
    assert "persons.csv:4:name: required, but missing" in found
    assert "payments.csv:6:amount: 'abc' is not an amount like 1200.50" in found
    assert "answers.yml: missing file" in found


def test_cli_validate_prints_problems_and_fails(broken):
    edit(broken / "persons.csv", "P-WLK,Goran Ilievski,", "P-WLK,,")
    run = subprocess.run(
        [sys.executable, "-m", "widgets.cli", "validate", str(broken)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "persons.csv:4:name: required, but missing" in run.stderr
    assert "Traceback" not in run.stderr


def test_cli_validate_ok_and_list():
    run = subprocess.run(
        [sys.executable, "-m", "widgets.cli", "validate", str(DEMO)], capture_output=True, text=True
    )
    assert run.returncode == 0 and run.stdout.startswith("demo: OK")
    run = subprocess.run(
        [sys.executable, "-m", "widgets.cli", "list"], capture_output=True, text=True
    )
    assert run.returncode == 0 and "demo" in run.stdout


def test_check_names_unknown_entity(broken):
    edit(
        broken / "answers.yml",
        "check: {kind: minor, entity: P-M2}",
        "check: {kind: minor, entity: P-M9}",
    )
    found = problems(broken)
    assert any(
        p.endswith(".check: unknown entity 'P-M9'") and p.startswith("answers.yml:") for p in found
    )


def test_check_of_unknown_kind(broken):
    edit(
        broken / "answers.yml",
        "check: {kind: minor, entity: P-M2}",
        "check: {kind: oldest, entity: P-M2}",
    )
    found = problems(broken)
    assert any("findings[1].check" in p and "'oldest'" in p for p in found), found


def test_payment_currency_without_a_rate(broken):
    edit(broken / "payments.csv", ",300,EUR,", ",300,CHF,")
    assert "payments.csv:6:currency: no rate for 'CHF' in case.yml currency_rates" in problems(
        broken
    )
