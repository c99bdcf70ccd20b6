"""A network graph drawn in the browser by vis-network, with clicks sent back to Python."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import numpy as np
import traitlets
from ipywidgets import CallbackDispatcher

if TYPE_CHECKING:  # the graph comes from the caller: no import of networkx at run time
    import networkx as nx

__all__ = ["PALETTE", "GraphView", "layout_positions"]

_STATIC = Path(__file__).parent / "static"
#: A PNG picture as a data URL, and nothing else.
PNG_DATA_URL = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]+=*")

#: Okabe and Ito's colour-blind-safe palette: blue, orange, bluish green, vermillion, reddish
#: purple, sky blue, yellow, black. Groups without a style of their own take these colours
#: in order of appearance; give a legend fixed colours with ``options={"groups": ...}``.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)


def _texts(items: list[dict]) -> list[dict]:
    """Turn numbers in ``label`` and ``title`` into text: vis-network draws only text there."""
    out = []
    for item in items:
        numbers = {
            k: str(item[k]) for k in ("label", "title") if isinstance(item.get(k), int | float)
        }
        out.append({**item, **numbers} if numbers else item)
    return out


def _edge_ids(edges: list[dict]) -> list[dict]:
    """Give every edge an id, ``from->to`` (``#2``, ``#3``... for parallel edges)."""
    seen: Counter[str] = Counter()
    taken = {str(e["id"]) for e in edges if e.get("id") is not None}
    out = []
    for edge in edges:
        if edge.get("id") is None:
            stem = f"{edge['from']}->{edge['to']}"
            seen[stem] += 1
            edge_id = stem if seen[stem] == 1 else f"{stem}#{seen[stem]}"
            while edge_id in taken:
                seen[stem] += 1
                edge_id = f"{stem}#{seen[stem]}"
            taken.add(edge_id)
            edge = {**edge, "id": edge_id}
        out.append(edge)
    return out


class GraphView(anywidget.AnyWidget):
    """A network graph: nodes and edges drawn by vis-network, selection synced with Python.

    vis-network ships inside the package (``widgets/static/graph_view.js``): nothing is
    fetched from the internet. Changing ``nodes`` or ``edges`` updates the drawing in place.
    The layout never freezes the page: physics runs for at most 200 steps, in short batches,
    then stops; nodes given with ``x`` and ``y`` (see :func:`layout_positions`) are not
    simulated at all.

    Parameters
    ----------
    **kwargs
        Initial values of the traits below.

    Examples
    --------
    >>> view = GraphView(
    ...     nodes=[{"id": "ana", "label": "Ana"}, {"id": "boris", "label": "Boris"}],
    ...     edges=[{"from": "ana", "to": "boris", "label": "calls"}],
    ... )
    >>> view.edges[0]["id"]
    'ana->boris'
    >>> view.selected_node = "ana"  # what a click in the browser does
    """

    _esm = _STATIC / "graph_view.js"
    _css = _STATIC / "graph_view.css"

    nodes = traitlets.List(
        traitlets.Dict(),
        help="Nodes as vis-network takes them: id (required), label, group, color, shape, "
        "size, title (tooltip text), x and y (fixed start position, in pixels).",
    ).tag(sync=True)
    edges = traitlets.List(
        traitlets.Dict(),
        help="Edges: from and to (node ids, required), id (``from->to`` when missing), "
        "label, title, width, color, dashes, arrows.",
    ).tag(sync=True)
    options = traitlets.Dict(
        help="vis-network options, merged over projector-friendly defaults (18 px labels, "
        "Okabe-Ito colours). Physics stabilisation is capped at 200 steps whatever is asked.",
    ).tag(sync=True)
    selected_node = traitlets.Unicode(
        None, allow_none=True, help="Id (as text) of the node clicked last; None when none is."
    ).tag(sync=True)
    selected_edge = traitlets.Unicode(
        None, allow_none=True, help="Id (as text) of the edge clicked last; None when none is."
    ).tag(sync=True)
    highlight_nodes = traitlets.List(
        traitlets.Union([traitlets.Unicode(), traitlets.Int()]),
        help="Ids of nodes to emphasise; when this or highlight_edges is not empty, the "
        "rest of the graph is dimmed.",
    ).tag(sync=True)
    highlight_edges = traitlets.List(
        traitlets.Union([traitlets.Unicode(), traitlets.Int()]),
        help="Ids of edges to emphasise (drawn thicker); the others are dimmed. When empty, "
        "a highlight of nodes emphasises the edges between them.",
    ).tag(sync=True)
    height = traitlets.Unicode("600px", help="Height of the drawing, as CSS.").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._select_handlers = CallbackDispatcher()
        self._snapshot_id = 0
        self._snapshot_callbacks: dict[int, Callable[[str], None]] = {}
        self.on_msg(self._on_custom)
        self._last_selection: tuple[str | None, str | None] = (None, None)
        self.observe(self._selection_changed, names=["selected_node", "selected_edge"])
        self.observe(self._drop_lost_selection, names=["nodes", "edges"])

    @traitlets.validate("nodes")
    def _check_nodes(self, proposal: traitlets.Bunch) -> list[dict]:
        nodes = proposal["value"]
        missing = [i for i, node in enumerate(nodes) if node.get("id") is None]
        if missing:
            raise traitlets.TraitError(f"nodes at positions {missing[:5]} have no 'id'")
        return _texts(nodes)

    @traitlets.validate("edges")
    def _check_edges(self, proposal: traitlets.Bunch) -> list[dict]:
        edges = proposal["value"]
        missing = [i for i, e in enumerate(edges) if "from" not in e or "to" not in e]
        if missing:
            raise traitlets.TraitError(f"edges at positions {missing[:5]} lack 'from' or 'to'")
        return _texts(_edge_ids(edges))

    @classmethod
    def from_pyvis(cls, net: Any, **kwargs: Any) -> GraphView:
        """Build a view of a pyvis network: its nodes, edges, options and height.

        Parameters
        ----------
        net : pyvis.network.Network
            The model pyvis has built (nodes, edges, styling options). Nothing is written to
            disk and ``net.show()`` is not called.
        **kwargs
            Traits that override what comes from ``net``, e.g. ``height="400px"``.

        Returns
        -------
        GraphView

        Examples
        --------
        >>> from pyvis.network import Network
        >>> net = Network(directed=True)
        >>> net.add_node("ana", label="Ana", group="Person")
        >>> net.add_node("cafe", label="Cafe Sarajevo", group="Organization")
        >>> net.add_edge("ana", "cafe", title="owns")
        >>> view = GraphView.from_pyvis(net, height="400px")
        >>> [n["id"] for n in view.nodes], view.edges[0]["id"], view.height
        (['ana', 'cafe'], 'ana->cafe', '400px')
        """
        options = net.options
        if not isinstance(options, Mapping):
            options = json.loads(options.to_json())
        state: dict[str, Any] = {
            "nodes": [dict(n) for n in net.nodes],
            "edges": [dict(e) for e in net.edges],
            "options": dict(options),
        }
        if isinstance(net.height, str) and net.height.strip():
            state["height"] = net.height
        state.update(kwargs)
        return cls(**state)

    def on_select(
        self, callback: Callable[[str | None, str | None], Any], remove: bool = False
    ) -> None:
        """Call ``callback(kind, id)`` when a node or an edge is clicked.

        Parameters
        ----------
        callback : callable
            Receives ``("node", id)`` or ``("edge", id)``, ids as text, and ``(None, None)``
            when a click on empty space clears the selection. Errors it raises are shown in
            the kernel's output, not swallowed.
        remove : bool
            Unregister ``callback`` instead.

        Examples
        --------
        >>> view = GraphView(nodes=[{"id": 1}, {"id": 2}], edges=[{"from": 1, "to": 2}])
        >>> view.on_select(print)
        >>> view.selected_node = "1"
        node 1
        >>> view.selected_node = None  # a click on empty space
        None None
        >>> view.selected_edge = "1->2"
        edge 1->2
        """
        self._select_handlers.register_callback(callback, remove=remove)

    def request_snapshot(self, callback: Callable[[str], None]) -> None:
        """Ask the browser for a picture of the drawing; ``callback(data_url)`` gets it.

        The picture is a PNG ``data:`` URL (white ground, at most 900 px wide), or ``""``
        when nothing is drawn. Nothing happens without a browser showing the widget.

        Examples
        --------
        >>> view = GraphView()
        >>> view.request_snapshot(lambda url: print(url[:22]))
        >>> reply = {"type": "snapshot", "id": 1, "data": "data:image/png;base64,iVBO"}
        >>> view._on_custom(view, reply, [])  # what the browser sends back
        data:image/png;base64,
        >>> view.request_snapshot(print)
        >>> view._on_custom(view, {**reply, "id": 2, "data": "javascript:alert(1)"}, [])
        """
        self._snapshot_id += 1
        self._snapshot_callbacks[self._snapshot_id] = callback
        self.send({"type": "snapshot", "id": self._snapshot_id})

    def _on_custom(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "snapshot":
            return
        callback = self._snapshot_callbacks.pop(content.get("id"), None)
        data = content.get("data")
        if callback is None or not isinstance(data, str):
            return
        if data and not PNG_DATA_URL.fullmatch(data):
            return  # only a PNG picture, never anything a page could run
        callback(data)

    def fit(self) -> None:
        """Zoom and pan the drawing so that the whole graph is in view."""
        self.send({"type": "fit"})

    def download_png(self, filename: str = "network.png") -> None:
        """Make the browser save the drawing as a PNG file (what is on screen, white ground)."""
        self.send({"type": "png", "filename": filename})

    def _selection_changed(self, change: traitlets.Bunch) -> None:
        # One click changes both traits in one message: report the click once.
        if self.selected_node is not None:
            selection = ("node", self.selected_node)
        elif self.selected_edge is not None:
            selection = ("edge", self.selected_edge)
        else:
            selection = (None, None)
        if selection != self._last_selection:
            self._last_selection = selection
            self._select_handlers(*selection)

    def _drop_lost_selection(self, change: traitlets.Bunch) -> None:
        # A node or edge filtered out of view cannot stay selected.
        if change["name"] == "nodes" and self.selected_node is not None:
            if self.selected_node not in {str(n["id"]) for n in self.nodes}:
                self.selected_node = None
        if change["name"] == "edges" and self.selected_edge is not None:
            if self.selected_edge not in {str(e["id"]) for e in self.edges}:
                self.selected_edge = None


def layout_positions(
    graph: nx.Graph, seed: int = 0, size: float | None = None, iterations: int = 50
) -> dict[Hashable, tuple[float, float]]:
    """Lay a graph out in Python, as pixel positions for the ``x`` and ``y`` of nodes.

    Nodes that come with positions are not simulated in the browser: the picture appears at
    once, is the same for every team, and stays put when nodes are added later. The layout
    is Fruchterman and Reingold's spring layout, as in networkx, but with numpy alone (the
    networkx version needs scipy above 500 nodes). It costs about 0.3 s for 500 nodes and 5 s
    for 2,000 (n squared): above a thousand nodes, compute it once and keep it, or let the
    browser lay the graph out (bounded physics, see :class:`GraphView`).

    Parameters
    ----------
    graph : networkx.Graph
        Any networkx graph; directions and edge weights are ignored.
    seed : int
        Seed of the random starting positions: the same graph and seed give the same layout.
    size : float, optional
        Diameter of the disc the layout fills, in pixels; by default it grows with the number
        of nodes, so that labels of 18 to 22 px do not overlap much.
    iterations : int
        Steps of the simulation.

    Returns
    -------
    dict
        ``{node: (x, y)}``, plain floats, centred on (0, 0).

    Examples
    --------
    >>> import networkx as nx
    >>> pos = layout_positions(nx.path_graph(3), size=200)
    >>> sorted(pos), all(abs(c) <= 100 for xy in pos.values() for c in xy)
    ([0, 1, 2], True)
    >>> pos == layout_positions(nx.path_graph(3), size=200)
    True
    """
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    if size is None:
        size = 80.0 * math.sqrt(n) + 200.0
    index = {node: i for i, node in enumerate(nodes)}
    ends = np.array(
        [(index[a], index[b]) for a, b in graph.edges() if a != b], dtype=np.intp
    ).reshape(-1, 2)
    pos = np.random.default_rng(seed).random((n, 2), dtype=np.float32)
    k = np.float32(1 / math.sqrt(n))  # the ideal distance between nodes in the unit square
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    push = np.empty_like(pos)
    for _ in range(iterations):
        # Every pair repels (k^2 / d); rows in blocks keep memory at 500 x n pairs.
        for start in range(0, n, 500):
            delta = pos[start : start + 500, None, :] - pos[None, :, :]
            distance2 = np.maximum(np.einsum("ijk,ijk->ij", delta, delta), 1e-6)
            push[start : start + 500] = np.einsum("ijk,ij->ik", delta, k * k / distance2)
        # Linked nodes attract (d^2 / k).
        delta = pos[ends[:, 0]] - pos[ends[:, 1]]
        pull = delta * (np.sqrt(np.einsum("ij,ij->i", delta, delta)) / k)[:, None]
        np.subtract.at(push, ends[:, 0], pull)
        np.add.at(push, ends[:, 1], pull)
        # Weak gravity keeps isolated nodes and small components near the rest.
        push -= pos - pos.mean(axis=0)
        # Each node moves along its force, by at most the temperature, which falls to 0.
        length = np.maximum(np.sqrt(np.einsum("ij,ij->i", push, push)), 1e-6)
        pos += push * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    # Scale so that 98 % of the nodes fill the disc; stragglers wait on its rim.
    pos -= pos.mean(axis=0)
    radius = np.maximum(np.hypot(pos[:, 0], pos[:, 1]), 1e-6)
    reach = max(float(np.quantile(radius, 0.98)), 1e-6)
    pos *= (size / 2 / reach) * np.minimum(1.0, reach / radius)[:, None]
    return {
        node: (round(float(x), 1), round(float(y), 1))
        for node, (x, y) in zip(nodes, pos, strict=True)
    }
