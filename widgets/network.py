"""Social network analysis of a case: the network a team sees, its measures, paths and arrests.

Pure functions on networkx graphs that return plain data; the network explorer only calls
them. Measures are explained in plain words by :func:`measure_help`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import TYPE_CHECKING

import networkx as nx

from .analysis import account_holders, phone_users
from .i18n import _

if TYPE_CHECKING:
    from .case import Case

__all__ = [
    "EVENT_KINDS",
    "MEASURES",
    "network",
    "measure_help",
    "centrality",
    "communities",
    "shortest_paths",
    "ego_network",
    "most_connected",
    "fragmentation",
    "key_players",
]

# The event filters a participant can pick, and the evidence edge kinds each one covers.
EVENT_KINDS = {
    "calls": ("call",),
    "messages": ("message",),
    "payments": ("payment",),
    "trips": ("trip", "detection"),
    "associations": (
        "uses",
        "owns",
        "associate",
        "family",
        "member_of",
        "employed_by",
        "stays_at",
    ),
}
MEASURES = ("degree", "betweenness", "closeness", "eigenvector", "kcore")


def measure_help() -> dict[str, str]:
    """Explain each measure in words a non-analyst understands, in the current language."""
    return {
        "degree": _(
            "Degree: how many others a person is directly in contact with. The busiest phone, "
            "often a driver or a recruiter, not always the one in charge."
        ),
        "betweenness": _(
            "Betweenness: how often a person lies on the shortest way between two others. "
            "A high value marks a broker who links parts of the network that would otherwise "
            "be apart: often the organiser."
        ),
        "closeness": _(
            "Closeness: how few steps a person needs to reach everyone else. High values mark "
            "people who can pass on orders or information quickly."
        ),
        "eigenvector": _(
            "Eigenvector: being connected to people who are themselves well connected. High "
            "values mark the inner circle."
        ),
        "kcore": _(
            "k-core: the largest k such that the person belongs to a group in which everyone "
            "has at least k contacts inside the group. The highest core is the network's dense "
            "heart."
        ),
    }


def network(
    case: Case,
    events: tuple[str, ...] | list[str] | None = None,
    types: tuple[str, ...] | list[str] | None = None,
    resolve: bool = True,
    min_interactions: int = 1,
    migrants: str = "show",
) -> nx.Graph:
    """Build the network a team explores from a released case.

    Parameters
    ----------
    case : Case
        A released case.
    events : sequence of str, optional
        Keys of :data:`EVENT_KINDS` to include (default: all).
    types : sequence of str, optional
        Entity types to keep (default: all).
    resolve : bool
        Replace phone lines and accounts by the person the evidence says uses them.
    min_interactions : int
        Drop ties backed by fewer pieces of evidence.
    migrants : {"show", "hide", "group"}
        Show migrants, hide them, or collapse them into one node per trip they were on.

    Returns
    -------
    networkx.Graph
        Nodes carry ``type``, ``label``, ``phase``, ``status`` (persons) and ``members``
        (grouped migrants); edges carry ``weight`` (pieces of evidence), ``kinds`` and
        ``evidence`` (sorted ids).

    Examples
    --------
    >>> from widgets import load_case
    >>> g = network(load_case("demo").released(2), events=["calls", "messages"])
    >>> g["P-ORG"]["P-DRV"]["weight"], sorted(g["P-ORG"]["P-DRV"]["kinds"])
    (14, ['call', 'message'])
    >>> g = network(load_case("demo").released(1), migrants="group")
    >>> sorted(n for n in g if g.nodes[n]["type"] == "group")
    ['group:T1']
    """
    wanted = set(itertools.chain.from_iterable(EVENT_KINDS[e] for e in (events or EVENT_KINDS)))
    full = case.graph()
    owner = {**phone_users(case), **account_holders(case)} if resolve else {}
    status = dict(zip(case.persons["id"], case.persons["status"], strict=True))
    migrant_ids = {p for p, s in status.items() if s == "migrant"}
    group_of: dict[str, str] = {}
    if migrants == "group":
        for trip in case.trips.sort_values(["start", "id"]).itertuples(index=False):
            for person in trip.passengers:
                group_of.setdefault(person, f"group:{trip.id}")
        group_of.update({m: "group:other" for m in migrant_ids if m not in group_of})

    def node_of(entity: str) -> str | None:
        entity = owner.get(entity, entity)
        if entity in migrant_ids:
            if migrants == "hide":
                return None
            if migrants == "group":
                return group_of[entity]
        return entity

    g = nx.Graph()
    members: dict[str, set[str]] = defaultdict(set)
    for entity, data in full.nodes(data=True):
        node = node_of(entity)
        if node is None or (resolve and entity in owner):
            continue
        if node.startswith("group:"):
            members[node].add(entity)
            continue
        if types and data["type"] not in types:
            continue
        g.add_node(
            node,
            type=data["type"],
            label=data["label"],
            phase=data["phase"],
            status=status.get(node, ""),
            new=data["phase"] == case.phase,
        )
    for group, people in members.items():
        g.add_node(
            group,
            type="group",
            label=_("{n} migrants").format(n=len(people)),
            phase=min(full.nodes[p]["phase"] for p in people),
            status="migrant",
            new=False,
            members=sorted(people),
        )
    ties: dict[tuple[str, str], dict] = {}
    for a, b, data in full.edges(data=True):
        if data["kind"] not in wanted:
            continue
        u, v = node_of(a), node_of(b)
        if u is None or v is None or u == v or u not in g or v not in g:
            continue
        tie = ties.setdefault(tuple(sorted((u, v))), {"kinds": set(), "evidence": set()})
        tie["kinds"].add(data["kind"])
        tie["evidence"].add(data["id"])
    for (u, v), tie in ties.items():
        if len(tie["evidence"]) >= min_interactions:
            g.add_edge(
                u,
                v,
                weight=len(tie["evidence"]),
                kinds=sorted(tie["kinds"]),
                evidence=sorted(tie["evidence"]),
            )
    return g


#: Above this many nodes, betweenness is estimated from a sample of :data:`BETWEENNESS_SAMPLE`
#: source nodes (Brandes' pivots, seeded, so every team gets the same figures): the exact
#: measure takes about a minute for 3,000 nodes, the estimate a few seconds, and the ranking
#: of the top brokers it shows barely moves.
SAMPLE_ABOVE = 1000
BETWEENNESS_SAMPLE = 200


def centrality(g: nx.Graph, measure: str) -> dict[str, float]:
    """Compute one of :data:`MEASURES` for every node (unweighted; 0 for isolated nodes).

    Betweenness is estimated from a seeded sample above :data:`SAMPLE_ABOVE` nodes.

    Examples
    --------
    >>> g = nx.star_graph(3)
    >>> centrality(g, "degree")[0], centrality(g, "betweenness")[0], centrality(g, "kcore")[0]
    (3, 1.0, 1)
    """
    if measure == "degree":
        return dict(g.degree())
    if measure == "betweenness":
        if g.number_of_nodes() > SAMPLE_ABOVE:
            return nx.betweenness_centrality(g, k=BETWEENNESS_SAMPLE, seed=0)
        return nx.betweenness_centrality(g)
    if measure == "closeness":
        return nx.closeness_centrality(g)
    if measure == "kcore":
        simple = nx.Graph(g)
        simple.remove_edges_from(nx.selfloop_edges(simple))
        return nx.core_number(simple)
    if measure == "eigenvector":
        values = dict.fromkeys(g, 0.0)
        for part in nx.connected_components(g):
            if len(part) < 2:
                continue
            sub = g.subgraph(part)
            try:
                found = nx.eigenvector_centrality(sub, max_iter=2000, tol=1e-8)
            except nx.PowerIterationFailedConvergence:
                found = nx.degree_centrality(sub)
            scale = len(part) / g.number_of_nodes()
            values.update({n: v * scale for n, v in found.items()})
        return values
    raise ValueError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")


def communities(g: nx.Graph, seed: int = 0) -> dict[str, int]:
    """Split the network into groups that talk more among themselves (Louvain), largest first.

    Examples
    --------
    >>> g = nx.barbell_graph(4, 0)
    >>> groups = communities(g)
    >>> groups[0] == groups[1] != groups[7]
    True
    """
    if g.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(g))}
    found = nx.community.louvain_communities(g, seed=seed)
    found = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    return {n: i for i, part in enumerate(found) for n in part}


def shortest_paths(g: nx.Graph, a: str, b: str, limit: int = 5) -> list[list[str]]:
    """Return up to ``limit`` shortest paths from ``a`` to ``b`` (empty if not connected).

    Examples
    --------
    >>> shortest_paths(nx.cycle_graph(4), 0, 2)
    [[0, 1, 2], [0, 3, 2]]
    """
    if a not in g or b not in g or not nx.has_path(g, a, b):
        return []
    return [p for p, _ in zip(nx.all_shortest_paths(g, a, b), range(limit), strict=False)]


def ego_network(g: nx.Graph, node: str, depth: int = 1) -> nx.Graph:
    """Return the people within ``depth`` steps of ``node``, and the ties among them."""
    return nx.ego_graph(g, node, radius=depth)


#: The most nodes the explorer draws at once. vis-network stays fluid up to a few hundred
#: nodes on a participant's laptop; a case generated 100 times larger has over 4,000.
SHOW_AT_MOST = 500


def most_connected(g: nx.Graph, limit: int = SHOW_AT_MOST, keep: str | None = None) -> nx.Graph:
    """Return ``g`` cut down to its ``limit`` best-connected nodes, and the ties among them.

    Nodes are ranked by the evidence behind their ties (weighted degree), then by their
    number of ties, then by id, so the cut is the same for every team. ``keep`` (the node a
    participant has selected) stays whatever its rank. A graph within the limit comes back
    unchanged.

    Examples
    --------
    >>> g = nx.star_graph(5)  # 0 in the middle, tied to 1..5
    >>> g.add_edge(1, 2, weight=4)
    >>> sorted(most_connected(g, 3))
    [0, 1, 2]
    >>> sorted(most_connected(g, 3, keep=5))
    [0, 1, 5]
    >>> most_connected(g, 10) is g
    True
    """
    if g.number_of_nodes() <= limit:
        return g
    strength = dict(g.degree(weight="weight"))
    ranked = sorted(g, key=lambda n: (-strength[n], -g.degree(n), str(n)))
    chosen = ranked[:limit]
    if keep is not None and keep in g and keep not in chosen:
        chosen = [*chosen[: limit - 1], keep]
    return g.subgraph(chosen).copy()


def fragmentation(
    g: nx.Graph, removed: list[str] | set[str], sources=(), targets=()
) -> dict[str, object]:
    """Measure how the network falls apart when ``removed`` people are arrested.

    Returns
    -------
    dict
        ``largest`` (size of the largest component), ``components`` (how many),
        ``fragmentation`` (share of pairs that can no longer reach each other, 0 to 1),
        ``broken`` (pairs from ``sources`` to ``targets`` that no longer connect) and
        ``pairs`` (how many such pairs were connected before).

    Examples
    --------
    >>> f = fragmentation(nx.path_graph(5), [2], sources=[0], targets=[4])
    >>> f["largest"], f["components"], f["broken"], round(f["fragmentation"], 2)
    (2, 2, 1, 0.67)
    """
    h = g.copy()
    h.remove_nodes_from(removed)
    parts = list(nx.connected_components(h))
    n = h.number_of_nodes()
    reach = sum(len(p) * (len(p) - 1) for p in parts)
    pairs = [
        (s, t)
        for s in sources
        for t in targets
        if s != t and s in g and t in g and nx.has_path(g, s, t)
    ]
    broken = sum(1 for s, t in pairs if s not in h or t not in h or not nx.has_path(h, s, t))
    return {
        "largest": max((len(p) for p in parts), default=0),
        "components": len(parts),
        "fragmentation": 1 - reach / (n * (n - 1)) if n > 1 else 1.0,
        "broken": broken,
        "pairs": len(pairs),
    }


def key_players(g: nx.Graph, k: int, candidates=None) -> list[str]:
    """Choose ``k`` people whose arrest fragments the network most (greedy key-player search).

    Each step removes the person who most raises :func:`fragmentation`, ties broken by id.
    Greedy search is close to the best removal on networks of a case's size and takes
    well under a second.

    Examples
    --------
    >>> key_players(nx.barbell_graph(4, 1), 1)
    [4]
    """
    chosen: list[str] = []
    pool = sorted(candidates if candidates is not None else g.nodes, key=str)
    for _step in range(min(k, len(pool))):
        best = max(
            (p for p in pool if p not in chosen),
            key=lambda p: (fragmentation(g, [*chosen, p])["fragmentation"], -pool.index(p)),
        )
        chosen.append(best)
    return chosen
