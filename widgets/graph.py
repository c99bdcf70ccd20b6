"""The evidence graph of a case: pure functions that return networkx graphs and plain data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from .case import Case

__all__ = ["evidence_graph"]


def _pairs(name: str, row) -> list[tuple[str, str]]:
    """Return the (from, to) entity pairs one piece of evidence connects."""
    if name == "communications":
        return [(row.caller, row.receiver)]
    if name == "payments":
        return [(row.payer or row.payer_account, row.payee or row.payee_account)]
    if name == "trips":
        hub = row.driver or row.vehicle
        pairs = [(row.driver, row.vehicle)] if row.driver and row.vehicle else []
        return pairs + [(p, hub) for p in row.passengers if hub]
    if name == "detections":
        return [(p, row.location) for p in row.persons] + (
            [(row.vehicle, row.location)] if row.vehicle else []
        )
    if name == "links":
        return [(row.subject, row.object)]
    return []


def evidence_graph(case: Case) -> nx.MultiDiGraph:
    """Build the graph of entities joined by the evidence released in ``case``.

    Parameters
    ----------
    case : Case
        A whole or released case.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry ``type``, ``label`` and ``phase``; every edge carries the evidence ``id``,
        its ``kind`` (call, message, payment, trip, detection or a link type), ``phase``,
        ``source`` and ``confidence``.

    Examples
    --------
    >>> from widgets import load_case
    >>> g = evidence_graph(load_case("demo").released(1))
    >>> all(d["phase"] <= 1 for _, _, d in g.edges(data=True))
    True
    """
    g = nx.MultiDiGraph()
    for row in case.entities.itertuples(index=False):
        g.add_node(row.id, type=row.type, label=row.label, phase=int(row.phase))
    for name in ("communications", "payments", "trips", "detections", "links"):
        frame = case.tables[name]
        # Missing cells are NaN in pandas, and NaN is truthy: make them None first.
        frame = frame.astype(object).where(frame.notna(), None)
        for row in frame.itertuples(index=False):
            kind = getattr(row, "kind", None) if name == "communications" else None
            kind = kind or (row.type if name == "links" else name.rstrip("s"))
            for a, b in _pairs(name, row):
                g.add_edge(
                    a,
                    b,
                    key=row.id,
                    id=row.id,
                    kind=kind,
                    phase=int(row.phase),
                    source=row.source,
                    confidence=row.confidence,
                )
    return g
