"""Analysis of a (released) case: pure functions that return graphs and plain data.

They answer the questions investigators ask of phones, people and money, and they serve the
widgets and the solvability checks alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import networkx as nx

    from .case import Case

__all__ = [
    "phone_users",
    "account_holders",
    "communication_graph",
    "ranking",
    "shared_devices",
    "payments_to",
    "minors",
    "arrest_time",
]


def _users(case: Case, types: set[str]) -> dict[str, str]:
    entity_type = dict(zip(case.entities["id"], case.entities["type"], strict=True))
    users: dict[str, str] = {}
    links = case.links[case.links["type"].isin(["uses", "owns"])]
    for row in links.itertuples(index=False):
        if entity_type.get(row.object) in types and entity_type.get(row.subject) == "person":
            users.setdefault(row.object, row.subject)
    return users


def phone_users(case: Case) -> dict[str, str]:
    """Map each phone line to the person the released evidence says uses it.

    Examples
    --------
    >>> from widgets import load_case
    >>> phone_users(load_case("demo").released(2))["PH-ORG2"]
    'P-ORG'
    >>> "PH-ORG2" in phone_users(load_case("demo").released(1))
    False
    """
    return _users(case, {"phone"})


def account_holders(case: Case) -> dict[str, str]:
    """Map each account to the person who uses or owns it, per the released evidence."""
    return _users(case, {"account"})


def communication_graph(
    case: Case, since: pd.Timestamp | None = None, until: pd.Timestamp | None = None
) -> nx.Graph:
    """Build who-talks-to-whom: calls and messages, phones replaced by their known users.

    A phone whose user is not known stays a node of its own (type ``phone``).

    Parameters
    ----------
    case : Case
        A released case.
    since, until : pandas.Timestamp, optional
        Keep only communications at or after ``since`` and before ``until``.

    Returns
    -------
    networkx.Graph
        Undirected; edge attribute ``weight`` counts the calls and messages.

    Examples
    --------
    >>> from widgets import load_case
    >>> g = communication_graph(load_case("demo").released(2))
    >>> g["P-ORG"]["P-DRV"]["weight"]
    14
    """
    users = phone_users(case)
    comms = case.communications
    if since is not None:
        comms = comms[comms["time"] >= since]
    if until is not None:
        comms = comms[comms["time"] < until]
    import networkx as nx  # here, not above: loading a case (which checks answers) needs none

    g = nx.Graph()
    for row in comms.itertuples(index=False):
        a = users.get(row.caller, row.caller)
        b = users.get(row.receiver, row.receiver)
        if a == b:
            continue
        for node, phone in ((a, row.caller), (b, row.receiver)):
            g.add_node(node, type="person" if node != phone else "phone")
        weight = g.get_edge_data(a, b, {"weight": 0})["weight"]
        g.add_edge(a, b, weight=weight + 1)
    return g


def ranking(g: nx.Graph, measure: str) -> list[tuple[str, float]]:
    """Rank the nodes of ``g`` by a measure of :data:`widgets.network.MEASURES`.

    Ties are broken by node id, so the ranking is stable.

    Examples
    --------
    >>> import networkx as nx
    >>> ranking(nx.path_graph(["a", "b", "c"]), "betweenness")[0]
    ('b', 1.0)
    """
    from .network import centrality  # the explorer's measures: one definition for both

    values = centrality(g, measure)
    return sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))


def shared_devices(case: Case) -> list[tuple[str, str, str]]:
    """Find pairs of phone lines that share a handset (IMEI) or a SIM card.

    Returns
    -------
    list of (phone, phone, kind)
        ``kind`` is ``"imei"`` (same device, new number) or ``"sim"`` (same SIM, new device).

    Examples
    --------
    >>> from widgets import load_case
    >>> shared_devices(load_case("demo").released(2))
    [('PH-ORG', 'PH-ORG2', 'imei')]
    """
    pairs = []
    for column in ("imei", "sim"):
        phones = case.phones.dropna(subset=[column]).sort_values("id")
        for _, group in phones.groupby(column):
            ids = list(group["id"])
            pairs += [(a, b, column) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    return sorted(pairs)


def payments_to(
    case: Case,
    entity: str,
    channels: list[str] | None = None,
    currency: str | None = None,
) -> pd.DataFrame:
    """Return the payments received by ``entity`` directly or on an account it holds.

    Examples
    --------
    >>> from widgets import load_case
    >>> paid = payments_to(load_case("demo"), "P-ORG", channels=["money_transfer"])
    >>> list(paid["id"]), paid["amount"].sum()
    (['PAY2', 'PAY3', 'PAY4'], np.float64(8510.0))
    """
    accounts = {a for a, holder in account_holders(case).items() if holder == entity}
    pay = case.payments
    mask = (pay["payee"] == entity) | pay["payee_account"].isin(accounts)
    if channels:
        mask &= pay["channel"].isin(channels)
    if currency:
        mask &= pay["currency"] == currency
    return pay[mask].sort_values(["time", "id"]).reset_index(drop=True)


def minors(case: Case) -> list[str]:
    """List the persons the released evidence shows to be under 18.

    Age comes from ``age_stated`` or, failing that, from ``birth_year`` and the year of the
    case's first event.

    Examples
    --------
    >>> from widgets import load_case
    >>> minors(load_case("demo").released(1))
    ['P-M2']
    """
    year = case.events["time"].min().year if not case.events.empty else None
    out = []
    for row in case.persons.itertuples(index=False):
        age = row.age_stated
        if pd.isna(age) and year is not None and pd.notna(row.birth_year):
            age = year - row.birth_year
        if pd.notna(age) and age < 18:
            out.append(row.id)
    return sorted(out)


def arrest_time(case: Case, person: str) -> pd.Timestamp | None:
    """Return when ``person`` was arrested, per the released detections, or ``None``.

    Examples
    --------
    >>> from widgets import load_case
    >>> arrest_time(load_case("demo"), "P-DRV")
    Timestamp('2024-05-14 03:55:00')
    """
    det = case.detections
    hits = det[(det["type"] == "arrest") & det["persons"].map(lambda ps: person in ps)]
    return None if hits.empty else hits["time"].min()
