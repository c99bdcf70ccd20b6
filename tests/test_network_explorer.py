"""The network explorer, driven without a browser: clicks, filters, measures, paths, arrests."""

import re

import pytest

from widgets import NetworkExplorer, load_case
from widgets.network_explorer import export_bytes, graph_data, node_style


@pytest.fixture
def explorer():
    return NetworkExplorer(load_case("demo").released(2))


def ids(ex):
    return {n["id"] for n in ex.view.nodes}


def test_click_on_a_node_opens_its_dossier(explorer):
    explorer.view.selected_node = "P-ORG"
    text = explorer.dossier.value
    assert "Besnik Marku" in text and "+38163000904" in text
    assert "Reply of FastLink Money Transfer" in text  # source of the evidence
    assert explorer.side.selected_index == 0


def test_click_on_a_tie_lists_the_evidence_behind_it(explorer):
    edge = next(e["id"] for e in explorer.view.edges if {e["from"], e["to"]} == {"P-ORG", "P-DRV"})
    explorer.view.selected_edge = edge
    assert "Make them fit" in explorer.dossier.value
    assert "pieces of evidence" in explorer.dossier.value


def test_phase_selector_shows_only_released_evidence_and_marks_new_nodes(explorer):
    assert "P-ORG" in ids(explorer)
    org = next(n for n in explorer.view.nodes if n["id"] == "P-ORG")
    assert org["label"].startswith("● ")
    explorer.phase.value = 1
    assert "P-ORG" not in ids(explorer)
    # in phase 1 everything shown is new in that phase
    drv = next(n for n in explorer.view.nodes if n["id"] == "P-DRV")
    assert drv["label"] == "● Dragan Kostovski"


def test_filters_migrants_threshold_and_event_kinds(explorer):
    explorer.migrants.value = "hide"
    assert not {"P-M1", "P-M2", "P-M3"} & ids(explorer)
    explorer.migrants.value = "group"
    assert "group:T1" in ids(explorer)
    explorer.migrants.value = "show"
    explorer.events["associations"].value = False
    assert all(not e["dashes"] for e in explorer.view.edges)
    explorer.threshold.value = 5
    assert all(explorer.g[e["from"]][e["to"]]["weight"] >= 5 for e in explorer.view.edges)


def test_measure_sizes_nodes_and_ranks_them(explorer):
    explorer.measure.value = "degree"
    assert (
        "Degree" in explorer.ranking.value and "directly in contact" in explorer.measure_text.value
    )
    sizes = {n["id"]: n["size"] for n in explorer.view.nodes}
    assert sizes["P-DRV"] == max(sizes.values())
    explorer.colour.value = "community"
    assert "community" in explorer.legend.value


def test_ego_network_of_the_selected_person(explorer):
    explorer.view.selected_node = "P-WLK"
    explorer.ego_depth.value = 1
    assert ids(explorer) == {"P-WLK", *explorer.g.neighbors("P-WLK")}
    assert len(ids(explorer)) < 10


def test_path_highlights_and_lists_the_evidence(explorer):
    explorer.path_from.value = "P-ORG"
    explorer.path_to.value = "P-WLK"
    explorer.path_button.click()
    assert explorer.view.highlight_nodes[0] in {"P-ORG", "P-WLK", "P-DRV"}
    assert {"P-ORG", "P-WLK"} <= set(explorer.view.highlight_nodes)
    assert "shortest way" in explorer.path_result.value
    edge_ids = {e["id"] for e in explorer.view.edges}
    assert set(explorer.view.highlight_edges) <= edge_ids and explorer.view.highlight_edges


def test_arrests_compare_with_the_best_removal(explorer):
    explorer.migrants.value = "hide"
    explorer.arrest.value = ("P-WLK",)
    explorer.arrest_button.click()
    text = explorer.arrest_result.value
    assert "Your arrests: Goran Ilievski" in text and "Best possible arrests" in text
    assert "Largest group still connected" in text


def test_corridor_shows_the_rewiring_after_the_arrests():
    ex = NetworkExplorer(load_case("corridor").released(5))
    ex.arrest.value = (ex.arrest.options[0][1],)
    ex.arrest_button.click()
    assert "After the arrests of 6 August 2024" in ex.arrest_result.value
    assert "Brokers after: Agim Rexha" in ex.arrest_result.value


def test_exports_work_offline(explorer):
    explorer.export_button.click()
    assert explorer.exports.value.count('download="demo-phase2-network.') == 3
    page = export_bytes(explorer.g, "html").decode()
    assert not re.search(r"(src|href)=\"https?://", page)


def test_styles_tell_types_apart_by_shape():
    shapes = {node_style({"type": t})[1] for t in ("person", "phone", "account", "vehicle")}
    assert len(shapes) == 4
    nodes, _ = graph_data(load_case("demo").released(1).graph().to_undirected())
    assert all(n["size"] == 16 for n in nodes)


def test_no_case_shows_a_message():
    ex = NetworkExplorer(None)
    assert "could not be opened" in ex.children[0].value


def test_entity_type_filter_and_isolated_nodes(explorer):
    assert not any(n["shape"] == "hexagon" for n in explorer.view.nodes)  # places off by default
    explorer.types["location"].value = True
    explorer.types["vehicle"].value = True
    assert any(n["shape"] == "hexagon" for n in explorer.view.nodes)
    explorer.types["person"].value = False
    assert not any(n["id"].startswith("P-") for n in explorer.view.nodes)
    assert all(explorer.g.degree(n) > 0 for n in explorer.g)


def test_a_large_network_draws_its_best_connected_nodes_and_says_so(monkeypatch):
    """A case too large to draw shows the most connected part, and keeps the selected node."""
    from functools import partial

    import widgets.network_explorer as module
    from widgets.network import most_connected

    monkeypatch.setattr(module, "most_connected", partial(most_connected, limit=6))
    ex = NetworkExplorer(load_case("demo").released(2))
    full = ex.total
    assert full > 6 and len(ex.view.nodes) == 6 == ex.g.number_of_nodes()
    assert f"The 6 best-connected of {full} are shown" in ex.legend.value
    assert "P-ORG" in ex.g  # the organiser is among the best connected
    whole = module.network(ex.shown_case)
    people = [n for n in sorted(whole) if whole.nodes[n]["type"] == "person"]
    outside = next(n for n in people if n not in ex.g and whole.degree(n) > 0)
    ex.selected = outside
    ex._rebuild()
    assert outside in ex.g and ex.g.number_of_nodes() == 6
