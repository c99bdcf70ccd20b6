"""Solvability: compute each model finding from the evidence released by its phase."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from . import analysis, schema

if TYPE_CHECKING:
    from .case import Case

__all__ = ["check_holds", "first_provable_phase", "check_entities", "without_evidence"]


def check_entities(check: schema.Check) -> list[str]:
    """Return the entity ids a check refers to (the loader checks that they exist)."""
    if isinstance(check, schema.SamePersonCheck):
        return list(check.entities)
    if isinstance(check, schema.ReplacementCheck):
        return [check.arrested, check.successor]
    return [check.entity]


def check_holds(case: Case, check: schema.Check) -> tuple[bool, str]:
    """Compute a finding's check on a released case.

    Returns
    -------
    tuple of (bool, str)
        Whether it holds, and what was computed, for a test failure or a trainer.

    Examples
    --------
    >>> from widgets import load_case
    >>> case = load_case("demo")
    >>> [f.id for f in case.answers.findings if f.check is not None]
    ['F-CHILD', 'F-SWAP', 'F-BENEFIT']
    >>> check = case.answers.findings[-1].check
    >>> check_holds(case.released(2), check)
    (True, 'P-ORG received EUR 8510.00 (PAY2, PAY3, PAY4)')
    >>> check_holds(case.released(1), check)[0]
    False
    """
    if isinstance(check, schema.BrokerCheck):
        g = analysis.communication_graph(case)
        if check.entity not in g:
            return False, f"{check.entity} is not in the communications"
        between = analysis.ranking(g, "betweenness")
        degree = analysis.ranking(g, "degree")
        top_b, top_d = between[0][0], degree[0][0]
        ok = top_b == check.entity and top_d != check.entity
        return ok, f"top betweenness {top_b}, top degree {top_d}"
    if isinstance(check, schema.SamePersonCheck):
        a, b = sorted(check.entities)
        shared = [kind for x, y, kind in analysis.shared_devices(case) if (x, y) == (a, b)]
        return bool(shared), f"{a} and {b} share: {', '.join(shared) or 'nothing'}"
    if isinstance(check, schema.BenefitCheck):
        paid = analysis.payments_to(case, check.entity, check.channels or None, check.currency)
        total = Decimal(str(round(paid["amount"].sum(), 2))).quantize(Decimal("0.01"))
        ok = total == check.amount.quantize(Decimal("0.01"))
        ids = ", ".join(paid["id"])
        return ok, f"{check.entity} received {check.currency} {total} ({ids})"
    if isinstance(check, schema.MinorCheck):
        found = analysis.minors(case)
        return check.entity in found, f"under 18: {', '.join(found) or 'nobody'}"
    if isinstance(check, schema.ReplacementCheck):
        when = analysis.arrest_time(case, check.arrested)
        if when is None:
            return False, f"no arrest of {check.arrested} released"
        after = analysis.communication_graph(case, since=when)
        if check.successor not in after:
            return False, f"{check.successor} does not communicate after {when}"
        top = analysis.ranking(after, "betweenness")[0][0]
        return top == check.successor, f"after the arrest at {when}, top betweenness is {top}"
    raise TypeError(f"unknown check {check!r}")  # pragma: no cover - the schema lists them all


def first_provable_phase(case: Case, check: schema.Check) -> int | None:
    """Return the first phase from which ``check`` holds, or ``None`` if it never does.

    Examples
    --------
    >>> from widgets import load_case
    >>> case = load_case("demo")
    >>> [first_provable_phase(case, f.check) for f in case.answers.findings if f.check]
    [1, 2, 2]
    """
    for phase in range(1, len(case.phases) + 1):
        if check_holds(case.released(phase), check)[0]:
            return phase
    return None


def _mentions(value: object, removed: set[str]) -> bool:
    if isinstance(value, list):
        return any(v in removed for v in value)
    return isinstance(value, str) and value in removed


def without_evidence(case: Case, ids: list[str]) -> Case:
    """Return a copy of ``case`` with the given evidence taken out, and what rests on it.

    Removing a document removes the events and links it is the source of; removing an entity
    removes the events and links that name it. Used to show that a finding needs its evidence.

    Examples
    --------
    >>> from widgets import load_case
    >>> case = load_case("demo")
    >>> smaller = without_evidence(case, ["D-EXT"])
    >>> len(smaller.communications), len(case.communications)
    (0, 24)
    """
    from .case import EVIDENCE_TABLES, Case

    removed = set(ids)
    tables = dict(case.tables)
    for name in [t for t in tables if t not in EVIDENCE_TABLES]:
        frame = tables[name]
        tables[name] = frame[~frame["id"].isin(removed)].reset_index(drop=True)
    gone = set(removed)
    for name in EVIDENCE_TABLES:
        frame = tables[name]
        hit = frame["id"].isin(removed) | frame["source"].isin(removed)
        for column in frame.columns:
            if column not in {"id", "source", "description", "content", "purpose"}:
                found = frame[column].astype(object).map(lambda v: _mentions(v, removed))
                hit |= found.astype(bool)
        gone |= set(frame.loc[hit, "id"])
        tables[name] = frame[~hit].reset_index(drop=True)
    tables["events"] = tables["events"][~tables["events"]["id"].isin(gone)].reset_index(drop=True)
    return Case(case.meta, case.path, tables, answers=None, phase=case.phase)
