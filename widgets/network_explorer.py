"""The network explorer: the smuggling network as a graph, with dossiers, measures and arrests."""

from __future__ import annotations

import base64
import html
import io
import re

import ipywidgets as ipw
import networkx as nx
import traitlets

from .case import Case
from .dossier import dossier_html, tie_html
from .evidence import entity_name
from .graph_view import PALETTE, GraphView
from .i18n import _, format_date, format_number, number_separators
from .labels import entity_type_label, event_label
from .network import (
    EVENT_KINDS,
    centrality,
    communities,
    ego_network,
    fragmentation,
    key_players,
    measure_help,
    most_connected,
    network,
    shortest_paths,
)

__all__ = ["NetworkExplorer", "node_style", "graph_data", "rank_rows", "export_bytes"]

# Shapes tell types apart without colour; colours (Okabe-Ito) stay apart for colour-blind eyes.
TYPE_STYLE = {
    "person": ("dot", PALETTE[0]),
    "migrant": ("dot", PALETTE[5]),
    "group": ("dot", PALETTE[5]),
    "organisation": ("square", PALETTE[1]),
    "phone": ("triangle", PALETTE[2]),
    "account": ("diamond", PALETTE[3]),
    "vehicle": ("star", PALETTE[4]),
    "location": ("hexagon", PALETTE[6]),
}


_TYPES = ("person", "migrant", "group", "organisation", "phone", "account", "vehicle", "location")
_EVENTS = ("calls", "messages", "payments", "trips", "associations")


def _percent(share: float) -> str:
    """Write a share as a whole percentage with the language's marks: ``45%``, ``1,234%``."""
    return f"{format_number(round(share * 100), 0)}%"


def _type_labels() -> dict[str, str]:
    return {t: entity_type_label(t) for t in _TYPES}


def _event_labels() -> dict[str, str]:
    return {e: event_label(e) for e in _EVENTS}


def _measure_labels() -> dict[str, str]:
    return {
        "degree": _("Degree"),
        "betweenness": _("Betweenness"),
        "closeness": _("Closeness"),
        "eigenvector": _("Eigenvector"),
        "kcore": _("k-core"),
    }


def node_style(data: dict) -> tuple[str, str, str]:
    """Return (style key, shape, colour) of a node from its type and status.

    Examples
    --------
    >>> node_style({"type": "person", "status": "migrant"})[:2]
    ('migrant', 'dot')
    >>> node_style({"type": "phone"})
    ('phone', 'triangle', '#009E73')
    """
    key = data.get("type", "person")
    if key == "person" and data.get("status") == "migrant":
        key = "migrant"
    shape, colour = TYPE_STYLE.get(key, ("dot", PALETTE[7]))
    return key, shape, colour


def graph_data(
    g: nx.Graph,
    sizes: dict[str, float] | None = None,
    groups: dict[str, int] | None = None,
    positions: dict | None = None,
) -> tuple[list[dict], list[dict]]:
    """Turn a network into vis-network nodes and edges, styled for a projector.

    Parameters
    ----------
    g : networkx.Graph
        From :func:`widgets.network.network`.
    sizes : dict, optional
        Node -> value of the chosen measure; nodes are sized from 16 to 48 px by it.
    groups : dict, optional
        Node -> community number; when given, colour shows the community instead of type.
    positions : dict, optional
        Node -> (x, y) in pixels, from :func:`widgets.graph_view.layout_positions`.

    Examples
    --------
    >>> from widgets import load_case
    >>> from widgets.network import network
    >>> nodes, edges = graph_data(network(load_case("demo").released(2)))
    >>> org = next(n for n in nodes if n["id"] == "P-ORG")
    >>> org["label"], org["shape"], org["borderWidth"]
    ('● Besnik Marku', 'dot', 4)
    """
    top = max(sizes.values(), default=0) if sizes else 0
    nodes = []
    for node, data in g.nodes(data=True):
        _key, shape, colour = node_style(data)
        if groups is not None:
            colour = PALETTE[groups.get(node, 0) % len(PALETTE)]
        value = (sizes or {}).get(node, 0)
        size = 16 + (32 * value / top if top else 0)
        label = data.get("label", str(node))
        item = {
            "id": node,
            "label": ("● " if data.get("new") else "") + label,
            "shape": shape,
            "size": round(size, 1),
            "color": {"background": colour, "border": "#1f2933" if data.get("new") else colour},
            "borderWidth": 4 if data.get("new") else 1,
            "title": label,
        }
        if positions and node in positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)
    edges = []
    for a, b, data in g.edges(data=True):
        edges.append(
            {
                "id": f"{a}|{b}",
                "from": a,
                "to": b,
                "width": min(1 + data.get("weight", 1) ** 0.5, 8),
                "title": ", ".join(data.get("kinds", [])) + f" ({data.get('weight', 1)})",
                "dashes": set(data.get("kinds", [])) <= set(EVENT_KINDS["associations"]),
            }
        )
    return nodes, edges


def rank_rows(
    g: nx.Graph, measure: str, limit: int = 12, values: dict | None = None
) -> list[tuple[str, str, float]]:
    """Rank nodes by a measure: (id, label, value), highest first.

    ``values`` are the measure's values when they are already computed.

    Examples
    --------
    >>> from widgets import load_case
    >>> from widgets.network import network
    >>> rank_rows(network(load_case("demo").released(2)), "degree", 1)
    [('P-DRV', 'Dragan Kostovski', 9)]
    """
    if values is None:
        values = centrality(g, measure)
    ranked = sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit]
    return [(n, g.nodes[n].get("label", str(n)), v) for n, v in ranked]


def export_bytes(g: nx.Graph, kind: str, title: str = "Casebook network") -> bytes:
    """Export a network view for other tools: ``gexf`` or ``graphml`` (Gephi), or ``html``.

    The HTML is pyvis's standalone page with vis-network inlined and every CDN link removed,
    so it opens offline.

    Examples
    --------
    >>> from widgets import load_case
    >>> from widgets.network import network
    >>> g = network(load_case("demo").released(1))
    >>> export_bytes(g, "gexf")[:5], b"P-DRV" in export_bytes(g, "graphml")
    (b'<?xml', True)
    >>> page = export_bytes(g, "html")
    >>> b"vis.Network" in page and re.search(rb"(src|href)=.https?://", page) is None
    True
    """
    flat = nx.Graph()
    for node, data in g.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in data.items()})
    for a, b, data in g.edges(data=True):
        flat.add_edge(a, b, **{k: _flat(v) for k, v in data.items()})
    if kind in {"gexf", "graphml"}:
        buffer = io.BytesIO()
        (nx.write_gexf if kind == "gexf" else nx.write_graphml)(flat, buffer)
        return buffer.getvalue()
    if kind == "html":
        from pyvis.network import Network

        net = Network(height="900px", width="100%", cdn_resources="in_line", heading=title)
        nodes, edges = graph_data(g)
        for n in nodes:
            net.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
        for e in edges:
            net.add_edge(e["from"], e["to"], title=e["title"], width=e["width"])
        net.toggle_physics(True)
        page = net.generate_html(notebook=False)
        # pyvis's page links Bootstrap and others from CDNs: drop every external tag.
        page = re.sub(r"<(link|script)[^>]+(href|src)=\"https?://[^>]*>(\s*</script>)?", "", page)
        return page.encode("utf-8")
    raise ValueError(f"unknown export {kind!r}: use gexf, graphml or html")


def _flat(value):
    if isinstance(value, list | tuple | set):
        return ";".join(map(str, value))
    return value


def _download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    payload = base64.b64encode(data).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:{mime};base64,{payload}" '
        f'class="casebook-download">{html.escape(label)}</a>'
    )


def _table(rows: list[tuple], head: tuple[str, ...]) -> str:
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows
    )
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return f"<table class='casebook-table'><tr>{th}</tr>{cells}</table>"


class NetworkExplorer(ipw.VBox):
    """Explore the smuggling network of a released case.

    Click a node for its dossier, or a tie for the evidence behind it. Choose the phase, the
    kinds of evidence and of entities, hide or group the migrants, size nodes by a measure
    (each explained in words), colour them by community, find how two people are connected,
    look at a person's circle, and simulate arrests against the best possible ones.

    Parameters
    ----------
    case : Case or None
        A released case (the team's phase); ``None`` shows a short message.

    Examples
    --------
    >>> from widgets import load_case
    >>> ex = NetworkExplorer(load_case("demo").released(2))
    >>> ex.view.selected_node = "P-ORG"  # what a click does
    >>> "Besnik Marku" in ex.dossier.value
    True
    >>> ex.phase.value = 1
    >>> "P-ORG" in {n["id"] for n in ex.view.nodes}
    False
    """

    selected = traitlets.Unicode(None, allow_none=True, help="Id of the node shown in the dossier.")

    def __init__(self, case: Case | None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("casebook-network")
        self.case = case
        if case is None:
            self.children = [ipw.HTML(_("There is nothing to show: the case could not be opened."))]
            self.add_class("casebook-ready")
            return
        self.g = nx.Graph()
        self.view = GraphView(height="640px")
        self.view.on_select(self._on_select)

        phases = [(_("Phase {n}").format(n=p), p) for p in range(1, case.phase + 1)]
        self.phase = ipw.Dropdown(options=phases, value=case.phase, description=_("Phase"))
        labels = _event_labels()
        self.events = {
            k: ipw.Checkbox(
                value=True, description=labels[k], indent=False, layout=ipw.Layout(width="auto")
            )
            for k in EVENT_KINDS
        }
        types = _type_labels()
        shown_by_default = {"person", "organisation", "phone", "account"}
        self.types = {
            k: ipw.Checkbox(
                value=k in shown_by_default,
                description=types[k],
                indent=False,
                layout=ipw.Layout(width="auto"),
            )
            for k in ("person", "organisation", "phone", "account", "vehicle", "location")
        }
        self.resolve = ipw.Checkbox(
            value=True,
            description=_("Phones and accounts as their users"),
            indent=False,
            layout=ipw.Layout(width="auto"),
        )
        self.migrants = ipw.ToggleButtons(
            options=[
                (_("Show migrants"), "show"),
                (_("Hide"), "hide"),
                (_("One node per journey"), "group"),
            ],
            value="show",
            style={"button_width": "auto"},
        )
        self.threshold = ipw.IntSlider(
            value=1,
            min=1,
            max=10,
            description=_("At least"),
            layout=ipw.Layout(width="min(22em, 100%)"),
        )
        self.measure = ipw.Dropdown(
            options=[(v, k) for k, v in _measure_labels().items()],
            value="betweenness",
            description=_("Size by"),
        )
        self.colour = ipw.Dropdown(
            options=[(_("type"), "type"), (_("community"), "community")],
            value="type",
            description=_("Colour by"),
        )
        self.ego_depth = ipw.Dropdown(
            options=[
                (_("whole network"), 0),
                (_("circle of the selected, 1 step"), 1),
                (_("circle of the selected, 2 steps"), 2),
            ],
            value=0,
            description=_("Show"),
        )
        self.legend = ipw.HTML()
        self.dossier = ipw.HTML(
            layout=ipw.Layout(padding="0 0.5em"),
            value="<p class='casebook-muted'>{}</p>".format(
                html.escape(_("Click a person, phone or tie to see what the evidence says."))
            ),
        )
        self.dossier.add_class("casebook-dossier")
        self.measure_text = ipw.HTML()
        self.ranking = ipw.HTML()
        self.path_from = ipw.Dropdown(description=_("From"))
        self.path_to = ipw.Dropdown(description=_("To"))
        self.path_button = ipw.Button(
            description=_("How are they connected?"), layout=ipw.Layout(width="auto")
        )
        self.path_result = ipw.HTML()
        self.arrest = ipw.SelectMultiple(description=_("Arrest"), rows=8)
        self.arrest_button = ipw.Button(
            description=_("Simulate the arrests"),
            button_style="danger",
            layout=ipw.Layout(width="auto"),
        )
        self.arrest_result = ipw.HTML()
        self.exports = ipw.HTML()
        self.png_button = ipw.Button(
            description=_("Save a picture of the graph (PNG)"),
            icon="image",
            layout=ipw.Layout(width="auto"),
        )
        self.export_button = ipw.Button(
            description=_("Prepare downloads of this view"), layout=ipw.Layout(width="auto")
        )

        side = ipw.Tab(
            children=[
                self.dossier,
                ipw.VBox([self.measure, self.measure_text, self.ranking]),
                ipw.VBox([self.path_from, self.path_to, self.path_button, self.path_result]),
                ipw.VBox([self.arrest, self.arrest_button, self.arrest_result]),
                ipw.VBox([self.png_button, self.export_button, self.exports]),
            ],
            layout=ipw.Layout(
                flex="0 0 32%", min_width="300px", max_height="760px", overflow="auto"
            ),
        )
        for i, title in enumerate(
            (_("Dossier"), _("Measures"), _("Path"), _("Arrests"), _("Export"))
        ):
            side.set_title(i, title)
        self.side = side
        # Rows wrap: the labels are longer in some languages than in English.
        wrap = ipw.Layout(flex_flow="row wrap")
        filters = ipw.VBox(
            [
                ipw.HBox([self.phase, self.colour, self.ego_depth], layout=wrap),
                ipw.HBox(list(self.events.values()), layout=wrap),
                ipw.HBox(list(self.types.values()) + [self.resolve], layout=wrap),
                ipw.HBox([self.migrants, self.threshold], layout=wrap),
            ]
        )
        graph = ipw.VBox([self.view, self.legend], layout=ipw.Layout(flex="1 1 68%"))
        self.children = [filters, ipw.HBox([graph, side])]

        for w in [
            self.phase,
            self.resolve,
            self.migrants,
            self.threshold,
            self.colour,
            self.ego_depth,
            *self.events.values(),
            *self.types.values(),
        ]:
            w.observe(self._rebuild, names="value")
        self.measure.observe(self._rebuild, names="value")
        self.path_button.on_click(self._on_path)
        self.arrest_button.on_click(self._on_arrest)
        self.export_button.on_click(self._on_export)
        self.png_button.on_click(
            lambda _b: self.view.download_png(f"{case.id}-phase{self.phase.value}-network.png")
        )
        self.observe(self._selected_elsewhere, names="selected")
        self._rebuild()
        # Browser tests and benchmarks wait for this class: the page has finished building.
        self.add_class("casebook-ready")

    # building ------------------------------------------------------------------
    @property
    def shown_case(self) -> Case:
        """The case at the phase chosen in the explorer."""
        return self.case.released(self.phase.value)

    def _rebuild(self, _change=None) -> None:
        case = self.shown_case
        events = [k for k, box in self.events.items() if box.value]
        types = [k for k, box in self.types.items() if box.value]
        g = network(
            case,
            events=events,
            types=types + ["group"],
            resolve=self.resolve.value,
            min_interactions=self.threshold.value,
            migrants=self.migrants.value,
        )
        # Nodes without a tie in what is shown only crowd the picture.
        self.hidden = [n for n in g if g.degree(n) == 0]
        g.remove_nodes_from(self.hidden)
        if self.ego_depth.value and self.selected in g:
            g = ego_network(g, self.selected, self.ego_depth.value)
        # A large case draws its best-connected nodes only, and says so (see _update_legend).
        self.total = g.number_of_nodes()
        g = most_connected(g, keep=self.selected)
        self.g = g
        sizes = centrality(g, self.measure.value)
        groups = communities(g) if self.colour.value == "community" else None
        # The browser lays the graph out with bounded physics: quicker than a layout in Python
        # for a case's size, and it never freezes the page (see GraphView).
        nodes, edges = graph_data(g, sizes, groups)
        self.view.nodes, self.view.edges = nodes, edges
        self.view.highlight_nodes, self.view.highlight_edges = [], []
        self._update_side(g, sizes)
        self._update_legend(g, groups)

    def _update_side(self, g: nx.Graph, values: dict) -> None:
        measure = self.measure.value
        self.measure_text.value = f"<p>{html.escape(measure_help()[measure])}</p>"
        mark = number_separators()[0]
        rows = [
            (label, f"{value:.3g}".replace(".", mark))
            for _, label, value in rank_rows(g, measure, values=values)
        ]
        self.ranking.value = _table(rows, (_("Who"), _measure_labels()[measure]))
        people = sorted(
            ((d.get("label", n), n) for n, d in g.nodes(data=True)), key=lambda x: str(x[0])
        )
        for box in (self.path_from, self.path_to):
            keep = box.value
            box.options = people
            box.value = keep if keep in g else (people[0][1] if people else None)
        suspects = [
            (label, n)
            for label, n in people
            if g.nodes[n].get("type") in {"person", "organisation", "phone"}
            and g.nodes[n].get("status") != "migrant"
        ]
        self.arrest.options = suspects

    def _update_legend(self, g: nx.Graph, groups: dict | None) -> None:
        labels = _type_labels()
        present = {node_style(d)[0] for _, d in g.nodes(data=True)}
        symbol = {
            "dot": "●",
            "square": "■",
            "triangle": "▲",
            "diamond": "◆",
            "star": "★",
            "hexagon": "⬢",
        }
        items = []
        for key, (shape, colour) in TYPE_STYLE.items():
            if key in present:
                shown = "#52606d" if groups is not None else colour
                items.append(
                    f"<span style='color:{shown}'>{symbol[shape]}</span> {html.escape(labels[key])}"
                )
        notes = [
            _("● before a name: new in this phase"),
            _("dashed line: relation (uses, owns, family...)"),
            _("node size: {measure}").format(measure=_measure_labels()[self.measure.value]),
        ]
        if groups is not None:
            notes.append(_("colour: community ({n} found)").format(n=len(set(groups.values()))))
        count = _("{n} nodes, {m} ties").format(n=g.number_of_nodes(), m=g.number_of_edges())
        if self.hidden:
            count += " " + _("({k} without ties not shown)").format(k=len(self.hidden))
        if self.total > g.number_of_nodes():
            count += ". " + _(
                "The {n} best-connected of {total} are shown: raise “At least”, untick "
                "kinds of evidence, or show the circle of someone selected to see the rest"
            ).format(n=g.number_of_nodes(), total=format_number(self.total))
        self.legend.value = (
            "<div class='casebook-legend'>"
            + " &nbsp; ".join(items)
            + "<br>"
            + html.escape(" · ".join([count, *notes]))
            + "</div>"
        )

    # interaction ---------------------------------------------------------------
    def _on_select(self, kind, item) -> None:
        case = self.shown_case
        if kind == "node" and item in self.g and not str(item).startswith("group:"):
            self.selected = item
            self.dossier.value = dossier_html(case, item)
            if self.ego_depth.value:
                self._rebuild()
        elif kind == "node" and item in self.g:
            members = self.g.nodes[item].get("members", [])
            names = ", ".join(entity_name(case, m, {}) for m in members)
            self.dossier.value = (
                f"<h3>{html.escape(self.g.nodes[item]['label'])}</h3><p>{html.escape(names)}</p>"
            )
        elif kind == "edge" and item and "|" in item:
            a, b = item.split("|", 1)
            if self.g.has_edge(a, b):
                self.dossier.value = tie_html(case, a, b, self.g[a][b]["evidence"])
        else:
            return
        self.side.selected_index = 0

    def node_for(self, entity: str | None) -> str | None:
        """Return the node that stands for ``entity`` in the graph shown: itself, or its user.

        A phone or an account picked in another view (see :func:`widgets.link_selection`) is
        drawn as the person who uses it when phones and accounts are shown as their users.

        Examples
        --------
        >>> from widgets import load_case
        >>> ex = NetworkExplorer(load_case("demo").released(2))
        >>> ex.node_for("PH-ORG"), ex.node_for("P-ORG"), ex.node_for("nobody")
        ('P-ORG', 'P-ORG', None)
        """
        if entity is None:
            return None
        if entity in self.g:
            return entity
        from .analysis import account_holders, phone_users

        case = self.shown_case
        user = phone_users(case).get(entity) or account_holders(case).get(entity)
        return user if user in self.g else None

    def _selected_elsewhere(self, change: traitlets.Bunch) -> None:
        # Another view (linked with link_selection) picked an entity: show it here too.
        node = self.node_for(change["new"])
        if node is not None and self.view.selected_node != node:
            self.view.selected_node = node

    def _on_path(self, _button=None) -> None:
        a, b = self.path_from.value, self.path_to.value
        paths = shortest_paths(self.g, a, b)
        if not paths:
            self.view.highlight_nodes, self.view.highlight_edges = [], []
            self.path_result.value = "<p>{}</p>".format(
                html.escape(_("No connection in what is shown now."))
            )
            return
        nodes = sorted({n for p in paths for n in p})
        # Edge ids are "a|b" in the order networkx stores the pair: look them up either way.
        by_pair = {frozenset((e["from"], e["to"])): e["id"] for e in self.view.edges}
        edges = sorted(
            {by_pair[frozenset(pair)] for p in paths for pair in zip(p, p[1:], strict=False)}
        )
        self.view.highlight_nodes, self.view.highlight_edges = nodes, edges
        case = self.shown_case
        parts = [
            "<p>{}</p>".format(
                html.escape(
                    _("{n} shortest way(s), {k} steps each.").format(
                        n=len(paths), k=len(paths[0]) - 1
                    )
                )
            )
        ]
        for p in paths:
            chain = " → ".join(self.g.nodes[n].get("label", n) for n in p)
            parts.append(f"<h4>{html.escape(chain)}</h4>")
            for u, v in zip(p, p[1:], strict=False):
                parts.append(tie_html(case, u, v, self.g[u][v]["evidence"], limit=5))
        self.path_result.value = "".join(parts)

    def _on_arrest(self, _button=None) -> None:
        chosen = list(self.arrest.value)
        if not chosen:
            self.arrest_result.value = "<p>{}</p>".format(
                html.escape(_("Choose people to arrest."))
            )
            return
        g = self.g
        case = self.shown_case
        drivers = {d for d in case.trips["driver"].dropna() if d in g}
        hub = max(centrality(g, "betweenness").items(), key=lambda kv: (kv[1], str(kv[0])))[0]
        candidates = [n for _, n in self.arrest.options]
        best = key_players(g, len(chosen), candidates)
        mine = fragmentation(g, chosen, sources=[hub], targets=drivers)
        ideal = fragmentation(g, best, sources=[hub], targets=drivers)
        before = fragmentation(g, [], sources=[hub], targets=drivers)
        label = lambda ids: ", ".join(g.nodes[n].get("label", n) for n in ids)  # noqa: E731
        rows = [
            (
                _("Largest group still connected"),
                before["largest"],
                mine["largest"],
                ideal["largest"],
            ),
            (_("Separate groups"), before["components"], mine["components"], ideal["components"]),
            (
                _("Share of pairs cut off"),
                _percent(before["fragmentation"]),
                _percent(mine["fragmentation"]),
                _percent(ideal["fragmentation"]),
            ),
            (
                _("Ways from the broker to drivers cut"),
                f"0 / {before['pairs']}",
                f"{mine['broken']} / {mine['pairs']}",
                f"{ideal['broken']} / {ideal['pairs']}",
            ),
        ]
        head = (_("Measure"), _("Before"), _("Your arrests"), _("Best {k}").format(k=len(chosen)))
        text = "<p>{}</p><p>{}</p>".format(
            html.escape(_("Your arrests: {who}.").format(who=label(chosen))),
            html.escape(
                _("Best possible arrests of as many people: {who}.").format(who=label(best))
            ),
        )
        note = "<p class='casebook-muted'>{}</p>".format(
            html.escape(
                _("The broker is the person with the highest betweenness now: {who}.").format(
                    who=label([hub])
                )
            )
        )
        self.arrest_result.value = text + _table(rows, head) + note + self._rewiring(case)
        self.view.highlight_nodes = chosen

    def _rewiring(self, case: Case) -> str:
        """How the network rewired after the arrests the case shows, if it shows any."""
        from .analysis import communication_graph, ranking

        arrests = case.detections[case.detections["type"] == "arrest"]
        if arrests.empty or len(arrests["persons"].map(len).loc[lambda s: s > 0]) < 2:
            return ""
        when = arrests["time"].max()
        before = ranking(communication_graph(case, until=when), "betweenness")[:3]
        after = ranking(communication_graph(case, since=when), "betweenness")[:3]
        if not after:
            return ""
        name = lambda n: entity_name(case, n, {})  # noqa: E731
        return "<h4>{}</h4><p>{}</p><p>{}</p>".format(
            html.escape(_("After the arrests of {date}").format(date=format_date(when))),
            html.escape(
                _("Brokers before: {who}").format(who=", ".join(name(n) for n, _ in before))
            ),
            html.escape(_("Brokers after: {who}").format(who=", ".join(name(n) for n, _ in after))),
        )

    def _on_export(self, _button=None) -> None:
        stem = f"{self.case.id}-phase{self.phase.value}-network"
        links = [
            _download_link(
                export_bytes(self.g, "html", self.case.text(self.case.meta.title)),
                f"{stem}.html",
                "text/html",
                _("Interactive page (HTML, works offline)"),
            ),
            _download_link(
                export_bytes(self.g, "gexf"), f"{stem}.gexf", "application/xml", _("Gephi (GEXF)")
            ),
            _download_link(
                export_bytes(self.g, "graphml"), f"{stem}.graphml", "application/xml", _("GraphML")
            ),
        ]
        self.exports.value = "<ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>"
