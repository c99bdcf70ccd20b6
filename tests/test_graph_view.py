"""GraphView without a browser: traits, pyvis import, selection callbacks, the shipped files."""

import json
import re
from pathlib import Path

import networkx as nx
import pytest
import pyvis
import traitlets
from pyvis.network import Network

from widgets.graph_view import PALETTE, GraphView, layout_positions

STATIC = Path(__file__).resolve().parent.parent / "widgets" / "static"
JS = (STATIC / "graph_view.js").read_text(encoding="utf-8")
CSS = (STATIC / "graph_view.css").read_text(encoding="utf-8")
PYVIS_VIS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"

SYNCED = {
    "nodes": [],
    "edges": [],
    "options": {},
    "selected_node": None,
    "selected_edge": None,
    "highlight_nodes": [],
    "highlight_edges": [],
    "height": "600px",
}


def triangle() -> Network:
    """Three people who call each other: the smallest graph with a cycle."""
    net = Network(directed=True, height="450px")
    for name, group in (("ana", "Person"), ("boris", "Person"), ("cafe", "Organization")):
        net.add_node(name, label=name.title(), group=group, title=f"{group} {name}")
    net.add_edge("ana", "boris", title="12 calls", width=3)
    net.add_edge("boris", "cafe", title="owns")
    net.add_edge("cafe", "ana", dashes=True)
    return net


# --- traits ------------------------------------------------------------------------------


def test_defaults_are_synced_typed_and_documented():
    view = GraphView()
    for name, default in SYNCED.items():
        assert getattr(view, name) == default, name
        assert view.trait_metadata(name, "sync") is True, f"{name} is not synced"
        assert view.traits()[name].help, f"{name} has no help"
    assert view.get_state()["height"] == "600px"


def test_nodes_need_an_id_and_edges_their_ends():
    with pytest.raises(traitlets.TraitError, match="no 'id'"):
        GraphView(nodes=[{"label": "nobody"}])
    with pytest.raises(traitlets.TraitError, match="'from' or 'to'"):
        GraphView(nodes=[{"id": 1}], edges=[{"from": 1}])


def test_edges_get_stable_ids_and_labels_become_text():
    view = GraphView(
        nodes=[{"id": 1, "label": 1}, {"id": 2}],
        edges=[
            {"from": 1, "to": 2, "label": 12},
            {"from": 1, "to": 2},
            {"id": "own", "from": 2, "to": 1},
        ],
    )
    assert [e["id"] for e in view.edges] == ["1->2", "1->2#2", "own"]
    assert view.nodes[0]["label"] == "1" and view.edges[0]["label"] == "12"
    assert "label" not in view.nodes[1]


def test_highlight_accepts_text_and_numbers():
    view = GraphView(highlight_nodes=["ana", 3], highlight_edges=["ana->boris"])
    assert view.highlight_nodes == ["ana", 3]
    with pytest.raises(traitlets.TraitError):
        view.highlight_nodes = [{"id": 1}]


# --- pyvis -------------------------------------------------------------------------------


def test_from_pyvis_keeps_the_model_pyvis_built():
    net = triangle()
    view = GraphView.from_pyvis(net)
    assert view.nodes == net.nodes
    assert [(e["from"], e["to"], e["id"]) for e in view.edges] == [
        ("ana", "boris", "ana->boris"),
        ("boris", "cafe", "boris->cafe"),
        ("cafe", "ana", "cafe->ana"),
    ]
    assert view.edges[0]["title"] == "12 calls" and view.edges[0]["width"] == 3
    assert view.edges[0]["arrows"] == "to"  # pyvis's directed=True
    assert view.options == json.loads(net.options.to_json())
    assert view.height == "450px"
    # Everything the front end receives is plain JSON.
    json.dumps(view.get_state(["nodes", "edges", "options"]))


def test_from_pyvis_with_options_set_as_json_and_overrides():
    net = triangle()
    net.set_options('{"physics": {"enabled": false}, "edges": {"smooth": false}}')
    view = GraphView.from_pyvis(net, height="300px", highlight_nodes=["ana"])
    assert view.options == {"physics": {"enabled": False}, "edges": {"smooth": False}}
    assert view.height == "300px" and view.highlight_nodes == ["ana"]


def test_from_pyvis_from_networkx():
    net = Network()
    net.from_nx(nx.florentine_families_graph())
    view = GraphView.from_pyvis(net)
    assert len(view.nodes) == 15 and len(view.edges) == 20
    assert len({e["id"] for e in view.edges}) == 20


# --- selection ---------------------------------------------------------------------------


def test_on_select_reports_node_and_edge_clicks():
    view = GraphView.from_pyvis(triangle())
    seen = []
    view.on_select(lambda kind, id: seen.append((kind, id)))
    # What the browser sends: both traits in one message, as a click sets them.
    view.set_state({"selected_node": "ana", "selected_edge": None})
    view.set_state({"selected_node": None, "selected_edge": "boris->cafe"})
    view.set_state({"selected_node": "cafe", "selected_edge": None})
    view.set_state({"selected_node": None, "selected_edge": None})  # empty space
    assert seen == [
        ("node", "ana"),
        ("edge", "boris->cafe"),
        ("node", "cafe"),
        (None, None),
    ]


def test_on_select_can_be_removed():
    view = GraphView.from_pyvis(triangle())
    seen = []
    view.on_select(seen.append)
    view.on_select(seen.append, remove=True)
    view.selected_node = "ana"
    assert seen == []


def test_a_node_filtered_out_is_no_longer_selected():
    view = GraphView.from_pyvis(triangle())
    view.selected_node = "cafe"
    view.nodes = [n for n in view.nodes if n["id"] != "cafe"]
    assert view.selected_node is None
    view.selected_edge = "ana->boris"
    view.edges = view.edges[1:]
    assert view.selected_edge is None


def test_fit_asks_the_front_end(monkeypatch):
    view = GraphView()
    sent = []
    monkeypatch.setattr(view, "send", lambda content, buffers=None: sent.append(content))
    view.fit()
    assert sent == [{"type": "fit"}]


# --- layout ------------------------------------------------------------------------------


def test_layout_positions_are_pixels_and_reproducible():
    graph = nx.karate_club_graph()
    pos = layout_positions(graph, seed=3)
    assert set(pos) == set(graph)
    assert all(isinstance(c, float) for xy in pos.values() for c in xy)
    spread = max(abs(c) for xy in pos.values() for c in xy)
    assert 100 < spread < 1000, spread
    assert pos == layout_positions(graph, seed=3)
    assert layout_positions(nx.Graph()) == {}


# --- the files the browser gets ----------------------------------------------------------


def test_module_is_one_self_contained_es_module():
    assert GraphView()._esm == JS
    assert "export default" in JS
    # Nothing is imported or fetched: anywidget loads the module from a Blob URL, offline.
    assert not re.search(r"^\s*import\s", JS, re.MULTILINE), "static import"
    for needle in ("import(", "fetch(", "XMLHttpRequest", "importScripts", "<script src", "//cdn"):
        assert needle not in JS, needle
    assert "sourceMappingURL" not in JS


def test_urls_in_the_module_are_only_licence_and_namespace_text():
    allowed = {
        # vis-network's licence header (a comment) and an SVG namespace name.
        "http://almende.com",
        "http://opensource.org/licenses/MIT",
        "http://www.apache.org/licenses/LICENSE-2.0",
        "https://github.com/visjs",
        "https://visjs.github.io/vis-network/",
        "http://www.w3.org/2000/svg",
        # Text of an error message and of core-js's copyright notice.
        "https://github.com/uuidjs/uuid#getrandomvalues-not-supported",
        "https://github.com/zloirock/core-js",
        "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    }
    found = set(re.findall(r"https?://[^\s\"'`)]+", JS))
    assert found <= allowed, found - allowed
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", CSS)


def test_vis_network_is_pyvis_copy_with_its_licence():
    vendor = JS.split("// VENDOR BEGIN\n", 1)[1].split("// VENDOR END\n", 1)[0]
    expected = "".join(
        line
        for line in PYVIS_VIS.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("//# sourceMappingURL=")
    )
    assert vendor == expected, "widgets/static/graph_view.js no longer holds pyvis's vis-network"
    assert "@version 9.1.2" in vendor
    assert "dual licensed" in vendor and "Apache 2.0" in vendor and "MIT License" in vendor
    assert "Almende B.V" in CSS and "MIT" in CSS


def test_palette_is_the_same_on_both_sides():
    js = re.search(r"const PALETTE = \[(.*?)\];", JS, re.DOTALL).group(1)
    assert tuple(re.findall(r'"(#[0-9A-Fa-f]{6})"', js)) == PALETTE
    assert len(set(PALETTE)) == 8


def test_projector_defaults():
    sizes = re.findall(r"font: \{ size: (\d+)", JS)
    assert sizes and all(int(s) >= 16 for s in sizes), sizes
    assert int(re.search(r"const MAX_ITERATIONS = (\d+)", JS).group(1)) <= 200
