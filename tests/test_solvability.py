"""Every model finding can be proved from the evidence released by its phase, and not before.

Generic over cases: a finding with a ``check`` in answers.yml is computed with the package's
analysis functions; every finding must rest on evidence first released in its phase.
"""

import pytest

from widgets import list_cases, load_case
from widgets.solvability import check_holds, first_provable_phase, without_evidence

FINDINGS = [
    (c.id, f.id) for c in list_cases() if not c.problem for f in load_case(c.path).answers.findings
]
CHECKED = [
    (case_id, fid)
    for case_id, fid in FINDINGS
    if next(f for f in load_case(case_id).answers.findings if f.id == fid).check is not None
]


def finding(case_id, fid):
    case = load_case(case_id)
    return case, next(f for f in case.answers.findings if f.id == fid)


def test_cases_declare_checked_findings():
    assert ("demo", "F-BENEFIT") in CHECKED


@pytest.mark.parametrize(("case_id", "fid"), CHECKED)
def test_finding_holds_from_its_phase_and_not_before(case_id, fid):
    case, f = finding(case_id, fid)
    holds, why = check_holds(case.released(f.phase), f.check)
    assert holds, f"{case_id} {fid} does not hold in phase {f.phase}: {why}"
    assert first_provable_phase(case, f.check) == f.phase, (
        f"{case_id} {fid} can already be proved before phase {f.phase}"
    )


@pytest.mark.parametrize(("case_id", "fid"), CHECKED)
def test_finding_fails_without_its_evidence(case_id, fid):
    case, f = finding(case_id, fid)
    stripped = without_evidence(case.released(f.phase), f.evidence)
    holds, why = check_holds(stripped, f.check)
    assert not holds, f"{case_id} {fid} still holds without its evidence: {why}"


@pytest.mark.parametrize(("case_id", "fid"), FINDINGS)
def test_finding_rests_on_evidence_new_in_its_phase(case_id, fid):
    case, f = finding(case_id, fid)
    phase_of = {}
    for name in ("entities", "events", "links", "documents"):
        phase_of.update(zip(case.tables[name]["id"], case.tables[name]["phase"], strict=True))
    phases = [phase_of[e] for e in f.evidence]
    assert max(phases) == f.phase, (
        f"{case_id} {fid}: its evidence is all released by phase {max(phases)}, "
        f"so the finding belongs to that phase, not {f.phase}"
    )
