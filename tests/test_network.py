"""The network a team explores: filters, measures, paths and the arrest simulator."""

import networkx as nx
import pytest

from widgets import load_case
from widgets.network import (
    MEASURES,
    centrality,
    communities,
    fragmentation,
    key_players,
    measure_help,
    network,
    shortest_paths,
)


@pytest.fixture(scope="module")
def demo2():
    return load_case("demo").released(2)


def test_phones_resolve_to_their_users(demo2):
    g = network(demo2)
    assert "PH-ORG2" not in g and "P-ORG" in g
    raw = network(demo2, resolve=False)
    assert raw.has_edge("PH-ORG2", "PH-DRV")


def test_filters_by_event_and_entity_type(demo2):
    calls = network(demo2, events=["calls"])
    assert all(set(d["kinds"]) == {"call"} for _, _, d in calls.edges(data=True))
    persons = network(demo2, types=["person"])
    assert {d["type"] for _, d in persons.nodes(data=True)} == {"person"}


def test_threshold_drops_thin_ties(demo2):
    g = network(demo2, min_interactions=5)
    assert all(d["weight"] >= 5 for _, _, d in g.edges(data=True))
    assert g.has_edge("P-ORG", "P-DRV")


def test_migrants_hidden_or_grouped(demo2):
    hidden = network(demo2, migrants="hide")
    assert not {"P-M1", "P-M2", "P-M3"} & set(hidden)
    grouped = network(demo2, migrants="group")
    assert grouped.nodes["group:T1"]["members"] == ["P-M1", "P-M2", "P-M3"]
    assert grouped.has_edge("group:T1", "P-DRV")


def test_new_nodes_are_marked(demo2):
    g = network(demo2)
    assert g.nodes["P-ORG"]["new"] and not g.nodes["P-DRV"]["new"]


@pytest.mark.parametrize("measure", MEASURES)
def test_every_measure_has_a_value_and_an_explanation(demo2, measure):
    g = network(demo2)
    values = centrality(g, measure)
    assert set(values) == set(g)
    assert len(measure_help()[measure]) > 40


def test_measures_on_a_named_graph():
    g = nx.karate_club_graph()
    top = max(centrality(g, "betweenness").items(), key=lambda kv: kv[1])[0]
    assert top == 0
    assert max(centrality(g, "kcore").values()) == 4


def test_communities_cover_every_node(demo2):
    g = network(demo2)
    groups = communities(g)
    assert set(groups) == set(g) and min(groups.values()) == 0


def test_path_from_organiser_to_migrant(demo2):
    g = network(demo2)
    paths = shortest_paths(g, "P-ORG", "P-M2")
    assert paths and all(p[0] == "P-ORG" and p[-1] == "P-M2" for p in paths)
    assert shortest_paths(g, "P-ORG", "nobody") == []


def test_arrest_simulator_and_best_removal(demo2):
    g = network(demo2, migrants="hide")
    before = fragmentation(g, [])
    after = fragmentation(g, ["P-DRV"], sources=["P-ORG"], targets=["P-WLK"])
    assert after["largest"] < before["largest"]
    best = key_players(g, 1)
    assert fragmentation(g, best)["fragmentation"] >= after["fragmentation"]
