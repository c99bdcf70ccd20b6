"""The money trail: who paid whom, through which channel, and what proves a financial benefit."""

from __future__ import annotations

import html
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as ipw
import pandas as pd
import traitlets

from . import money
from .analysis import account_holders, phone_users
from .case import Case
from .chart import Chart, date_axis
from .evidence import entity_name, format_time, grade_text
from .graph_view import PALETTE
from .i18n import DEFAULT_LANGUAGE, _, format_number, get_language, ngettext, number_separators
from .labels import channel_label

__all__ = ["MoneyTrail", "sankey_figure", "timeline_figure", "format_eur", "format_amount"]

#: The Sankey keeps this many of the largest flows (and every flow of the party in focus);
#: the others are summed into "other payers" and "other recipients".
TOP_FLOWS = 20
#: At most this many rows in a table; the rest is counted, never silently dropped.
TABLE_ROWS = 40
#: Okabe-Ito colours, one per channel, the same in the timeline and the Sankey.
CHANNEL_COLOURS = {
    "hawala": PALETTE[1],
    "money_transfer": PALETTE[0],
    "bank": PALETTE[2],
    "cash": PALETTE[3],
    "mobile_wallet": PALETTE[4],
    "other": PALETTE[5],
}
OTHER_PAYERS, OTHER_RECIPIENTS = "__other_payers__", "__other_recipients__"
_BACK = "~back"  # ids never hold "~" (schema), so no clash
_CSS = Path(__file__).parent / "static" / "money_trail.css"


def _channel_labels() -> dict[str, str]:
    return {c: channel_label(c) for c in CHANNEL_COLOURS}


def _kind_labels() -> dict[str, str]:
    return {
        "person": _("person"),
        "organisation": _("organisation"),
        "account": _("account"),
        "unknown": _("unknown"),
    }


def _channel(channel: str) -> str:
    return channel_label(channel)


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def format_eur(value: float | None) -> str:
    """Write an amount in euro the way the room reads it: ``EUR 1,234``.

    Examples
    --------
    >>> format_eur(8510), format_eur(521.6), format_eur(float("nan"))
    ('EUR 8,510', 'EUR 522', 'no rate')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("no rate")
    return _("EUR {amount}").format(amount=format_number(value, 0))


def format_amount(amount: float, currency: str) -> str:
    """Write an amount in its own currency: ``USD 2,500``, cents only where there are some.

    Examples
    --------
    >>> format_amount(2500, "USD"), format_amount(4090.5, "MKD")
    ('USD 2,500', 'MKD 4,090.50')
    """
    whole = float(amount) == round(float(amount))
    return f"{currency} {format_number(float(amount), 0 if whole else 2)}"


def _p(text: str, css: str = "casebook-money-note") -> str:
    return f"<p class='{css}'>{html.escape(text)}</p>"


def _table(head: list[tuple[str, str]], rows: list[list[str]], chosen: list[bool] | None = None):
    """Build an HTML table; ``head`` is (title, css class) and cells are HTML already escaped."""
    th = "".join(f"<th class='{css}'>{html.escape(title)}</th>" for title, css in head)
    body = []
    for i, row in enumerate(rows):
        css = " class='casebook-money-chosen'" if chosen and chosen[i] else ""
        cells = "".join(f"<td class='{head[j][1]}'>{cell}</td>" for j, cell in enumerate(row))
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table class='casebook-money-table'><tr>{th}</tr>{''.join(body)}</table>"


def _lines(*texts: str) -> str:
    return "<br>".join(html.escape(str(t)) for t in texts)


def _cite(item: str, source, confidence) -> str:
    """Where a piece of evidence comes from: its id, its source document and its grade."""
    text = f"{item} · {source}, {confidence}"
    return f"<br><span class='casebook-money-source'>{html.escape(text)}</span>"


def _more(shown: int, total: int) -> str:
    if total <= shown:
        return ""
    return _p(
        _("Showing {shown} of {total} rows: choose a shorter period to see the others.").format(
            shown=shown, total=total
        )
    )


# ----------------------------------------------------------------- figures


def timeline_figure(
    pay: pd.DataFrame,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> dict:
    """Draw the payments in EUR per day, stacked by channel; a horizontal drag is a time brush.

    Parameters
    ----------
    pay : pandas.DataFrame
        Payments with ``time``, ``channel`` and ``eur`` (:func:`widgets.money.payments_eur`).
    start, end : pandas.Timestamp, optional
        The period chosen, shaded on the chart.

    Examples
    --------
    >>> from widgets import load_case
    >>> from widgets.money import payments_eur
    >>> fig = timeline_figure(payments_eur(load_case("demo")))
    >>> [t["name"] for t in fig["data"]], fig["layout"]["dragmode"]
    (['Money transfer', 'Hawala', 'Bank'], 'select')
    """
    data = []
    # plotly.js writes month names only in English: other languages get the date in numbers.
    day_format = "%Y-%m-%d" if get_language() == DEFAULT_LANGUAGE else "%d.%m.%Y"
    if not pay.empty:
        day = pay["time"].dt.floor("D")
        per_day = pay.assign(day=day).groupby(["channel", "day"])["eur"].sum(min_count=1)
        order = pay.groupby("channel")["eur"].sum().sort_values(ascending=False).index
        for channel in order:
            series = per_day.loc[channel].dropna()
            colour = CHANNEL_COLOURS.get(channel, PALETTE[7])
            data.append(
                {
                    "type": "bar",
                    "name": _channel(channel),
                    "x": [d.strftime("%Y-%m-%d") for d in series.index],
                    "y": [round(float(v), 2) for v in series.to_numpy()],
                    "marker": {"color": colour},
                    "hovertemplate": "%{x|"
                    + day_format
                    + "}<br>"
                    + html.escape(_channel(channel))
                    + ": EUR %{y:,.0f}<extra></extra>",
                }
            )
    shapes = []
    if start is not None or end is not None:
        first, last = pay["time"].min(), pay["time"].max()
        x0 = start if start is not None else first
        x1 = end if end is not None else last
        if pd.notna(x0) and pd.notna(x1):
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": pd.Timestamp(x0).isoformat(),
                    "x1": pd.Timestamp(x1).isoformat(),
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": "rgba(0,114,178,0.12)",
                    "line": {"color": PALETTE[0], "width": 2},
                    "layer": "below",
                }
            )
    layout = {
        "barmode": "stack",
        "dragmode": "select",
        "selectdirection": "h",
        # Without "event", plotly.js does not announce its own re-selection when the figure
        # is redrawn (an announcement without a range would clear the brush in Python).
        "clickmode": "select",
        "hovermode": "closest",
        "height": 260,
        "margin": {"l": 80, "r": 20, "t": 10, "b": 40},
        "font": {"size": 15},
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        "xaxis": {"type": "date", "fixedrange": False, **date_axis()},
        "yaxis": {"title": {"text": _("EUR per day")}, "tickformat": ",.0f", "fixedrange": True},
        "bargap": 0.1,
        "shapes": shapes,
        "separators": number_separators(),
    }
    return {"data": data, "layout": layout}


def sankey_figure(
    flows: pd.DataFrame,
    names: dict[str, str] | None = None,
    focus: str | None = None,
    top: int = TOP_FLOWS,
) -> tuple[dict, dict]:
    """Draw money flows as a Sankey: parties as nodes, links coloured by channel, in EUR.

    The ``top`` largest flows are kept, with every flow of ``focus``; the other flows run from
    their own party when it is shown, else from "Other payers", to their own party or
    "Other recipients", so no money is lost from the picture.

    Parameters
    ----------
    flows : pandas.DataFrame
        From :func:`widgets.money.flows`.
    names : dict, optional
        Entity id -> the name shown (ids are never shown when a name is known).
    focus : str, optional
        The party in focus: its flows are drawn strong, the others faded.
    top : int
        How many of the largest flows to keep.

    Returns
    -------
    tuple of (dict, dict)
        The figure, and what it shows: ``flows`` (kept), ``top`` (of them, the largest),
        ``grouped`` (flows summed into "other"), ``grouped_eur``, ``unconverted`` (flows
        without a rate, not drawn), ``nodes`` (ids, ``"<id>~back"`` for money sent back).

    Examples
    --------
    >>> from widgets import load_case
    >>> from widgets.money import flows
    >>> fig, info = sankey_figure(flows(load_case("demo")), {"P-ORG": "Besnik Marku"}, top=2)
    >>> node = fig["data"][0]["node"]
    >>> "Besnik Marku" in node["label"], "P-ORG" in node["customdata"], info["grouped"]
    (True, True, 2)
    """
    names = names or {}
    flows = flows.copy()
    unconverted = int(flows["total_eur"].isna().sum())
    flows = flows.dropna(subset=["total_eur"])
    flows = flows[flows["total_eur"] > 0]
    ranked = flows.sort_values(["total_eur", "source", "target"], ascending=[False, True, True])
    keep = ranked.head(top)
    if focus is not None:
        mine = ranked[(ranked["source"] == focus) | (ranked["target"] == focus)]
        keep = pd.concat([keep, mine]).drop_duplicates(subset=["source", "target", "channel"])
    kept = set(keep["source"]) | set(keep["target"])
    inside = flows["source"].isin(kept) & flows["target"].isin(kept)
    rest = flows[~inside]
    links = flows[inside]
    if not rest.empty:
        rest = rest.assign(
            source=rest["source"].where(rest["source"].isin(kept), OTHER_PAYERS),
            target=rest["target"].where(rest["target"].isin(kept), OTHER_RECIPIENTS),
        )
        rest = rest.groupby(["source", "target", "channel"], as_index=False).agg(
            count=("count", "sum"), total_eur=("total_eur", "sum")
        )
        links = pd.concat([links, rest], ignore_index=True)
    grouped = int((~inside).sum())
    links = _break_returns(links)
    nodes = list(dict.fromkeys(list(links["source"]) + list(links["target"])))
    index = {n: i for i, n in enumerate(nodes)}
    label = {
        OTHER_PAYERS: _("Other payers"),
        OTHER_RECIPIENTS: _("Other recipients"),
    }
    entity = {n: n.split(_BACK)[0] for n in nodes}
    node_labels = [
        label.get(n)
        or (
            _("{name} (money back)").format(name=names.get(entity[n], entity[n]))
            if _BACK in n
            else names.get(n, n)
        )
        for n in nodes
    ]
    node_colours = [
        "#000000" if entity[n] == focus else "#98a2ae" if n in label else "#3e4c59" for n in nodes
    ]
    strong = 0.75 if focus is None else 0.85
    faded = 0.75 if focus is None else 0.2
    link_colours, link_labels = [], []
    for row in links.itertuples(index=False):
        colour = CHANNEL_COLOURS.get(row.channel, PALETTE[7])
        ends = (row.source.split(_BACK)[0], row.target.split(_BACK)[0])
        mine = focus is not None and focus in ends
        link_colours.append(_rgba(colour, strong if mine else faded))
        link_labels.append(
            ngettext("{channel}: {n} payment", "{channel}: {n} payments", int(row.count)).format(
                channel=_channel(row.channel), n=format_number(int(row.count))
            )
        )
    height = int(min(900, max(380, 120 + 40 * _widest_column(links))))
    xs, ys = _positions(
        [index[a] for a in links["source"]],
        [index[b] for b in links["target"]],
        [float(v) for v in links["total_eur"]],
        len(nodes),
        height - 20,
    )
    figure = {
        "data": [
            {
                "type": "sankey",
                "arrangement": "fixed",
                "valueformat": ",.0f",
                "valuesuffix": " EUR",
                "node": {
                    "label": node_labels,
                    "customdata": [entity[n] if n not in label else "" for n in nodes],
                    "color": node_colours,
                    "x": xs,
                    "y": ys,
                    "pad": 20,
                    "thickness": 18,
                    "line": {"color": "#ffffff", "width": 1},
                    "hovertemplate": "%{label}<br>EUR %{value:,.0f}<extra></extra>",
                },
                "link": {
                    "source": [index[s] for s in links["source"]],
                    "target": [index[t] for t in links["target"]],
                    "value": [round(float(v), 2) for v in links["total_eur"]],
                    "color": link_colours,
                    "label": link_labels,
                    "hovertemplate": "%{source.label} → %{target.label}<br>%{label}"
                    "<br>EUR %{value:,.0f}<extra></extra>",
                },
            }
        ],
        "layout": {
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "font": {"size": 15, "color": "#1f2933"},
            "separators": number_separators(),
        },
    }
    info = {
        "flows": len(keep),
        "top": min(top, len(ranked)),
        "grouped": grouped,
        "grouped_eur": float(flows.loc[~inside, "total_eur"].sum()),
        "unconverted": unconverted,
        "nodes": nodes,
    }
    return figure, info


def _break_returns(links: pd.DataFrame) -> pd.DataFrame:
    """Draw money sent back (a refunded deposit) to a node of its own, not in a loop.

    Where A pays B and B pays A, the smaller of the two flows goes to "A (money back)": a loop
    would run backwards across the picture and hide where the money went.
    """
    pair = links.groupby(["source", "target"])["total_eur"].sum().to_dict()
    back = []
    for s, t in zip(links["source"], links["target"], strict=True):
        there, home = pair.get((s, t), 0), pair.get((t, s))
        back.append(home is not None and (home > there or (home == there and s > t)))
    if not any(back):
        return links
    links = links.copy()
    mask = pd.Series(back, index=links.index)
    links.loc[mask, "target"] = links.loc[mask, "target"] + _BACK
    return links


def _positions(
    source: list[int], target: list[int], value: list[float], n: int, px: float, pad: float = 20
) -> tuple[list[float], list[float]]:
    """Place the Sankey's nodes: columns by steps from the payers, rows as plotly.js sizes them.

    Those who pass no money on stand in the last column, with their names to the left of
    them; the other columns sit in the left part of the picture, so that the names written to
    the right of them do not run into those. A node is as tall as plotly.js draws it (the
    fullest column fills the ``px`` pixels of the plot, ``pad`` pixels between nodes), so
    names are at least ``pad`` apart; in each column, nodes are ordered by the mean height of
    where their money comes from, so that bands cross as little as possible.
    """
    depth = [0] * n
    for _round in range(n):  # the longest way from a payer; bounded should a loop remain
        changed = False
        for a, b in zip(source, target, strict=True):
            if depth[b] < depth[a] + 1 <= n:
                depth[b], changed = depth[a] + 1, True
        if not changed:
            break
    payers = set(source)
    inner = sorted({depth[i] for i in range(n) if i in payers})
    column = {d: k for k, d in enumerate(inner)}
    last = len(inner)
    col = [column[depth[i]] if i in payers else last for i in range(n)]
    into: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    incoming, outgoing = [0.0] * n, [0.0] * n
    for a, b, v in zip(source, target, value, strict=True):
        outgoing[a] += v
        incoming[b] += v
        into[b].append((a, v))
    through = [max(i, o) for i, o in zip(incoming, outgoing, strict=True)]
    columns = [[i for i in range(n) if col[i] == c] for c in range(last + 1)]
    scale = min(
        (px - pad * (len(m) - 1)) / (sum(through[i] for i in m) or 1.0) for m in columns if m
    )
    xs, ys = [0.0] * n, [0.5] * n
    for c, members in enumerate(columns):
        if not members:
            continue

        def height(i: int) -> float:
            weight = sum(v for _a, v in into[i])
            if not weight:
                return -through[i]  # payers: the largest on top
            return sum(ys[a] * v for a, v in into[i]) / weight

        members.sort(key=lambda i: (height(i), -through[i]))
        tall = [max(through[i] * scale, 1.0) for i in members]
        spare = px - sum(tall)
        gap = spare / (len(members) - 1) if len(members) > 1 else 0.0
        top = 0.0 if len(members) > 1 else spare / 2
        # the first gap wide enough for the payers' names, the last inner column at 60%
        x = 0.999 if c == last else min(max(0.6 * (c / max(last - 1, 1)) ** 0.8, 0.001), 0.6)
        for i, h in zip(members, tall, strict=True):
            ys[i] = min(max((top + h / 2) / px, 0.001), 0.999)
            xs[i] = x
            top += h + gap
    return [round(x, 4) for x in xs], [round(y, 4) for y in ys]


def _widest_column(links: pd.DataFrame) -> int:
    """Count the nodes of the Sankey's fullest column, to give each label room."""
    depth: dict[str, int] = {}
    nodes = set(links["source"]) | set(links["target"])
    for n in nodes:
        depth[n] = 0
    for _round in range(len(nodes)):  # longest path from a source; bounded if loops remain
        changed = False
        for s, t in zip(links["source"], links["target"], strict=True):
            if depth[t] < depth[s] + 1 <= len(nodes):
                depth[t] = depth[s] + 1
                changed = True
        if not changed:
            break
    # plotly.js puts every node that pays nobody in the last column
    sinks = nodes - set(links["source"])
    counts: dict[int, int] = {-1: len(sinks)}
    for n, d in depth.items():
        if n not in sinks:
            counts[d] = counts.get(d, 0) + 1
    return max(counts.values(), default=1)


# ----------------------------------------------------------------- data of one phase


@dataclass
class _Phase:
    """What the trail needs of the case at one phase, computed once."""

    case: Case
    pay: pd.DataFrame
    guarantees: pd.DataFrame
    names: dict[str, str]
    holders: dict[str, str]
    users: dict[str, str]
    speakers: dict[str, str]
    types: dict[str, str]
    migrants: set[str]
    parties: list[tuple[str, str]]
    documents: dict[str, str]
    messages: pd.DataFrame
    by_id: pd.DataFrame


def _prepare(case: Case) -> _Phase:
    holders = account_holders(case)
    users = phone_users(case)
    labels = dict(zip(case.entities["id"], case.entities["label"], strict=True))
    types = dict(zip(case.entities["id"], case.entities["type"], strict=True))
    # Names only: a partner exchanger's phone reads as "+93... (Sarrafi Jami (Herat))".
    held = case.links[case.links["type"].isin(["uses", "owns"])]
    speakers = {
        obj: subject
        for subject, obj in zip(held["subject"], held["object"], strict=True)
        if types.get(subject) == "organisation" and types.get(obj) in {"phone", "account"}
    }
    speakers.update({**users, **holders})
    pay = money.payments_eur(case).sort_values(["time", "id"], kind="stable")
    ids = set(pay["payer"].dropna()) | set(pay["payee"].dropna())
    ids |= set(pay["payer_account"].dropna()) | set(pay["payee_account"].dropna())
    ids |= {holders[a] for a in ids if a in holders}
    ids.discard("")
    names = {i: entity_name(case, i, speakers, labels) for i in sorted(ids)}
    parties = sorted(((names[i], i) for i in ids), key=lambda x: (x[0].lower(), x[1]))
    gua = money.guarantees(case, unmatched=True) if not pay.empty else pd.DataFrame()
    documents = {row.id: case.text(row.title) for row in case.documents.itertuples(index=False)}
    migrants = set(case.persons.loc[case.persons["status"] == "migrant", "id"])
    ok_ids = set(gua["ok_id"].dropna()) if not gua.empty else set()
    comms = case.communications
    messages = comms[comms["id"].isin(ok_ids)].set_index("id")
    return _Phase(
        case,
        pay,
        gua,
        names,
        holders,
        users,
        speakers,
        types,
        migrants,
        parties,
        documents,
        messages,
        pay.set_index("id"),
    )


@dataclass
class Shown:
    """What the trail shows now, after the phase, the filters and the period: plain data.

    Tests and benchmarks read it; the views are drawn from it.
    """

    payments: pd.DataFrame = field(default_factory=pd.DataFrame)
    flows: pd.DataFrame = field(default_factory=pd.DataFrame)
    channels: pd.DataFrame = field(default_factory=pd.DataFrame)
    totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    who_profits: pd.DataFrame = field(default_factory=pd.DataFrame)
    structuring: pd.DataFrame = field(default_factory=pd.DataFrame)
    guarantees: pd.DataFrame = field(default_factory=pd.DataFrame)
    benefit: dict | None = None
    sankey: dict = field(default_factory=dict)


# ----------------------------------------------------------------- the widget


class MoneyTrail(ipw.VBox):
    """Follow the money of a released case: flows, guarantees, who profits, what proves it.

    Filters on top (phase, channels, currencies, and a period brushed on the payments
    timeline) apply to every view. The tabs show the flows from payers through agents to
    beneficiaries (a Sankey and a table), the guarantee payments (deposit, "OK" message,
    release), totals per person and account with a "who profits" ranking and the structuring
    flag, and the evidence of a financial benefit for the party in focus, with sources and
    grades, as a prosecutor cites it.

    Parameters
    ----------
    case : Case or None
        A released case (the team's phase); ``None`` shows a short message.
    top_flows : int
        How many of the largest flows the Sankey keeps (the rest is grouped, and said so).

    Examples
    --------
    >>> from widgets import load_case
    >>> trail = MoneyTrail(load_case("demo").released(2))
    >>> trail.shown.totals.loc["P-ORG", "received_eur"]
    np.float64(8510.0)
    >>> trail.selected = "AC-ORG"  # an account: its holder is in focus
    >>> trail.focus, trail.shown.benefit["total_eur"]
    ('P-ORG', 8510.0)
    >>> trail.set_time_range("2024-05-07", "2024-05-08")
    >>> trail.shown.benefit["total_eur"]
    3450.0
    """

    selected = traitlets.Unicode(
        None, allow_none=True, help="Id of the person, organisation or account in focus."
    )

    def __init__(self, case: Case | None, top_flows: int = TOP_FLOWS, **kwargs):
        super().__init__(**kwargs)
        self.add_class("casebook-money")
        self.add_class("casebook-money-view")
        self.case = case
        self.top_flows = top_flows
        self.shown = Shown()
        self.focus: str | None = None
        self._range: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None)
        self._quiet = False
        self._cache: dict[int, _Phase] = {}
        if case is None:
            self.children = [
                ipw.HTML(_p(_("There is nothing to show: the case could not be opened.")))
            ]
            self.add_class("casebook-ready")
            return

        everything = money.payments_eur(case)
        phases = [(_("Phase {n}").format(n=p), p) for p in range(1, case.phase + 1)]
        self.phase = ipw.Dropdown(options=phases, value=case.phase, description=_("Phase"))
        self.chooser = ipw.Dropdown(
            description=_("In focus"),
            options=[(_("nobody"), "")],
            value="",
            layout=ipw.Layout(width="min(34em, 100%)"),
        )
        labels = _channel_labels()
        order = everything.groupby("channel")["eur"].sum().sort_values(ascending=False).index
        self.channels = {
            c: ipw.Checkbox(
                value=True,
                description=labels.get(c, c),
                indent=False,
                layout=ipw.Layout(width="auto", margin="0 1.2em 0 0"),
            )
            for c in order
        }
        currencies = everything["currency"].value_counts().index
        self.currencies = {
            c: ipw.Checkbox(
                value=True,
                description=c,
                indent=False,
                layout=ipw.Layout(width="auto", margin="0 1.2em 0 0"),
            )
            for c in sorted(currencies)
        }
        self.timeline_note = ipw.HTML(
            _p(
                _(
                    "Each bar is a day's payments in EUR, by channel. Drag across the chart to "
                    "choose a period; every view below follows it."
                )
            )
        )
        self.timeline = Chart(height="260px", config={"displayModeBar": False})
        self.timeline.add_class("casebook-money-timeline")
        self.timeline.on_brush(self._on_brush)
        self.range_text = ipw.HTML()
        self.range_text.add_class("casebook-money-range-box")
        self.reset = ipw.Button(
            description=_("Show the whole period"), icon="undo", layout=ipw.Layout(width="auto")
        )
        self.reset.on_click(lambda _b: self.set_time_range(None, None))
        self.focus_text = ipw.HTML()
        self.focus_text.add_class("casebook-money-focus-box")
        self.sankey_note = ipw.HTML()
        self.sankey = Chart(height="480px")
        self.sankey.add_class("casebook-money-sankey")
        self.sankey.on_click(self._on_sankey_click)
        self.flow_table = ipw.HTML()
        self.flow_table.add_class("casebook-money-flows")
        self.guarantee_view = ipw.HTML()
        self.guarantee_view.add_class("casebook-money-guarantees")
        self.totals_view = ipw.HTML()
        self.totals_view.add_class("casebook-money-totals")
        self.benefit_view = ipw.HTML()
        self.benefit_view.add_class("casebook-money-benefit")
        # shown again under a linked view in a workbook: it carries the trail's style
        self.benefit_view.add_class("casebook-money-view")
        self.tabs = ipw.Tab(
            children=[
                ipw.VBox([self.sankey_note, self.sankey, self.flow_table]),
                self.guarantee_view,
                self.totals_view,
                self.benefit_view,
            ]
        )
        for i, title in enumerate((_("Flows"), _("Guarantees"), _("Totals"), _("Benefit"))):
            self.tabs.set_title(i, title)

        def row(title: str, boxes: dict) -> ipw.HBox:
            head = ipw.HTML(f"<b>{html.escape(title)}</b>", layout=ipw.Layout(width="7.5em"))
            return ipw.HBox([head, *boxes.values()], layout=ipw.Layout(flex_flow="row wrap"))

        style = ipw.HTML(f"<style>{_CSS.read_text(encoding='utf-8')}</style>")
        filters = ipw.VBox(
            [
                ipw.HBox([self.phase, self.chooser], layout=ipw.Layout(flex_flow="row wrap")),
                row(_("Channels"), self.channels),
                row(_("Currencies"), self.currencies),
            ]
        )
        self.children = [
            style,
            filters,
            self.timeline_note,
            self.timeline,
            ipw.HBox([self.range_text, self.reset], layout=ipw.Layout(align_items="center")),
            self.focus_text,
            self.tabs,
        ]

        self.phase.observe(self._on_phase, names="value")
        for box in [*self.channels.values(), *self.currencies.values()]:
            box.observe(self._on_filter, names="value")
        self.chooser.observe(self._on_pick, names="value")
        self.observe(self._on_selected, names="selected")
        # Every phase is prepared now (matching guarantees is the slow part), so that a change
        # of phase later only filters tables.
        for phase in range(1, case.phase + 1):
            self._cache[phase] = _prepare(case.released(phase))
        self._set_chooser_options()
        self._refresh()
        # Browser tests and benchmarks wait for this class: the page has finished building.
        self.add_class("casebook-ready")

    # state -------------------------------------------------------------------
    @property
    def shown_case(self) -> Case:
        """The case at the phase chosen in the trail."""
        return self._data.case

    @property
    def _data(self) -> _Phase:
        phase = self.phase.value
        if phase not in self._cache:
            self._cache[phase] = _prepare(self.case.released(phase))
        return self._cache[phase]

    @property
    def time_range(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The period shown: ``(start, end)``, either ``None`` for no limit."""
        return self._range

    def set_time_range(self, start=None, end=None) -> None:
        """Show only the payments from ``start`` to ``end``, both included (``None``: all).

        A drag across the payments timeline calls this; so may a test or a benchmark. Every
        view is updated.

        Parameters
        ----------
        start, end : str, datetime or pandas.Timestamp, optional
            Either may be ``None`` (no limit on that side); reversed bounds are swapped.
        """
        start = None if start is None or pd.isna(start) else pd.Timestamp(start)
        end = None if end is None or pd.isna(end) else pd.Timestamp(end)
        if start is not None and end is not None and start > end:
            start, end = end, start
        self._range = (start, end)
        if start is None and end is None and self.timeline.brush:
            with self._quietly():
                self.timeline.brush = []
        self._refresh()

    def focus_for(self, entity: str | None) -> str | None:
        """Return the party that stands for ``entity`` here: itself, its holder or its user.

        An account with a holder in the evidence stands for the holder, a phone for its user;
        an id the case does not know gives ``None``.

        Examples
        --------
        >>> from widgets import load_case
        >>> trail = MoneyTrail(load_case("demo").released(2))
        >>> trail.focus_for("AC-ORG"), trail.focus_for("PH-ORG2"), trail.focus_for("nobody")
        ('P-ORG', 'P-ORG', None)
        """
        if not entity:
            return None
        data = self._data
        if entity in data.holders:
            return data.holders[entity]
        if entity in data.users:
            return data.users[entity]
        if data.types.get(entity) in {"person", "organisation", "account"}:
            return entity
        return None

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        before, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = before

    # events ------------------------------------------------------------------
    def _on_phase(self, _change: traitlets.Bunch) -> None:
        self._set_chooser_options()
        self.focus = self.focus_for(self.selected)
        self._refresh()

    def _on_filter(self, _change: traitlets.Bunch) -> None:
        self._refresh()

    def _on_brush(self, start, end) -> None:
        if not self._quiet:
            self.set_time_range(start, end)

    def _on_pick(self, change: traitlets.Bunch) -> None:
        if not self._quiet:
            self.selected = change["new"] or None

    def _on_sankey_click(self, point: dict) -> None:
        entity = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(entity, str) and entity in self._data.names:
            self.selected = entity

    def _on_selected(self, change: traitlets.Bunch) -> None:
        # From the chooser, a click on the Sankey, or another view linked with link_selection.
        new = change["new"]
        if new is None:
            focus = None
        else:
            focus = self.focus_for(new)
            if focus is None:
                return  # an id this case does not know: nothing to follow
        if focus == self.focus and self.chooser.value == (focus or ""):
            return
        self.focus = focus
        self._sync_chooser()
        self._refresh_focus()

    def _set_chooser_options(self) -> None:
        options = [(_("nobody"), "")] + self._data.parties
        with self._quietly():
            self.chooser.options = options
        self._sync_chooser()

    def _sync_chooser(self) -> None:
        wanted = self.focus or ""
        values = {v for _label, v in self.chooser.options}
        with self._quietly():
            if wanted and wanted not in values:
                name = entity_name(self.shown_case, wanted, self._data.speakers)
                self.chooser.options = [*self.chooser.options, (name, wanted)]
            self.chooser.value = wanted

    # filtering ---------------------------------------------------------------
    def _filtered(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Payments of the chosen channels and currencies; and of those, the period's."""
        pay = self._data.pay
        channels = [c for c, box in self.channels.items() if box.value]
        currencies = [c for c, box in self.currencies.items() if box.value]
        chosen = pay[pay["channel"].isin(channels) & pay["currency"].isin(currencies)]
        start, end = self._range
        ranged = chosen
        if start is not None:
            ranged = ranged[ranged["time"] >= start]
        if end is not None:
            ranged = ranged[ranged["time"] <= end]
        return chosen, ranged

    def _with(self, payments: pd.DataFrame) -> Case:
        case = self._data.case
        columns = list(case.payments.columns)
        tables = {**case.tables, "payments": payments[columns].reset_index(drop=True)}
        return Case(case.meta, case.path, tables, answers=None, phase=case.phase)

    def _refresh(self) -> None:
        data = self._data
        chosen, ranged = self._filtered()
        self._case_f = self._with(ranged)
        shown = self.shown
        shown.payments = ranged
        if ranged.empty:
            empty = pd.DataFrame()
            shown.flows = shown.channels = shown.totals = shown.who_profits = empty
            shown.structuring = empty
            shown.guarantees = data.guarantees.iloc[0:0]
        else:
            case_f = self._case_f
            shown.flows = money.flows(case_f)
            shown.channels = money.channel_totals(case_f)
            shown.totals = money.totals(case_f)
            shown.who_profits = money.who_profits(case_f)
            shown.structuring = money.structuring(case_f)
            ids = set(ranged["id"])
            gua = data.guarantees
            keep = [
                (rel in ids) or any(d in ids for d in deps)
                for rel, deps in zip(gua["release_id"], gua["deposits"], strict=True)
            ]
            shown.guarantees = gua[keep]
        self._draw_timeline(chosen)
        self._draw_range(chosen, ranged)
        self._refresh_focus()

    def _refresh_focus(self) -> None:
        """Update what depends on the party in focus (all but the timeline)."""
        shown = self.shown
        if self.focus is not None and not shown.payments.empty:
            shown.benefit = money.benefit_summary(self._case_f, self.focus)
        else:
            shown.benefit = None
        self._draw_focus()
        self._draw_sankey()
        self._draw_flow_table()
        self._draw_guarantees()
        self._draw_totals()
        self._draw_benefit()

    # drawing -----------------------------------------------------------------
    def _name(self, entity) -> str:
        if entity is None or (isinstance(entity, float) and math.isnan(entity)):
            return _("unknown")
        data = self._data
        if entity not in data.names:
            data.names[entity] = entity_name(data.case, entity, data.speakers)
        return data.names[entity]

    def _empty_reason(self) -> str:
        if self._data.pay.empty:
            return _("There are no payments in the evidence released so far.")
        if not any(box.value for box in self.channels.values()) or not any(
            box.value for box in self.currencies.values()
        ):
            return _("No channel or no currency is chosen: tick at least one of each above.")
        if self._range != (None, None):
            return _(
                "No payment in the chosen period. Choose another period, or show the whole "
                "period with the button above."
            )
        return _("No payment of the chosen channels and currencies.")

    def _draw_timeline(self, chosen: pd.DataFrame) -> None:
        if chosen.empty:
            self.timeline.layout.display = "none"
            self.timeline_note.value = _p(self._empty_reason(), "casebook-money-empty")
            return
        self.timeline.layout.display = None
        self.timeline_note.value = _p(
            _(
                "Each bar is a day's payments in EUR, by channel. Drag across the chart to "
                "choose a period; every view below follows it."
            )
        )
        self.timeline.draw(timeline_figure(chosen, *self._range))

    def _draw_range(self, chosen: pd.DataFrame, ranged: pd.DataFrame) -> None:
        pay = self._data.pay
        if pay.empty:
            self.range_text.value = ""
            self.reset.layout.display = "none"
            return
        start, end = self._range
        first = start if start is not None else pay["time"].min()
        last = end if end is not None else pay["time"].max()
        if start is None and end is None:
            lead = _("Showing the whole period, {start} to {end}").format(
                start=format_time(first), end=format_time(last)
            )
        else:
            lead = _("Showing {start} to {end}").format(
                start=format_time(first), end=format_time(last)
            )
        count = ngettext("{n} payment", "{n} payments", len(ranged)).format(
            n=format_number(len(ranged))
        )
        text = _("{lead}: {count} of {total}, {eur}.").format(
            lead=lead,
            count=count,
            total=format_number(len(chosen)),
            eur=format_eur(float(ranged["eur"].sum())),
        )
        self.range_text.value = _p(text, "casebook-money-range")
        self.reset.layout.display = None if self._range != (None, None) else "none"

    def _draw_sankey(self) -> None:
        flows = self.shown.flows
        if flows.empty or flows["total_eur"].notna().sum() == 0:
            self.sankey.layout.display = "none"
            self.shown.sankey = {}
            self.sankey_note.value = _p(self._empty_reason(), "casebook-money-empty")
            return
        figure, info = sankey_figure(flows, self._data.names, self.focus, self.top_flows)
        self.shown.sankey = info
        self.sankey.layout.display = None
        self.sankey.height = f"{figure['layout']['height']}px"
        self.sankey.draw(figure)
        swatch = "<span class='casebook-money-swatch' style='background:{}'></span>{}"
        legend = " &nbsp; ".join(
            swatch.format(CHANNEL_COLOURS.get(c, PALETTE[7]), html.escape(_channel(c)))
            for c in flows["channel"].drop_duplicates()
        )
        notes = [
            _(
                "Money flows from left to right, from payers through agents to those who "
                "receive it; the width of a band is its value in EUR. Click a name to put it "
                "in focus."
            )
        ]
        if info["grouped"]:
            text = (
                _(
                    "The {n} largest flows are drawn, with every flow of the party in focus; "
                    "{k} smaller ones ({eur}) are summed into “Other payers” and “Other "
                    "recipients”."
                )
                if info["flows"] > info["top"]
                else _(
                    "The {n} largest flows are drawn; {k} smaller ones ({eur}) are summed into "
                    "“Other payers” and “Other recipients”."
                )
            )
            notes.append(
                text.format(n=info["top"], k=info["grouped"], eur=format_eur(info["grouped_eur"]))
            )
        if info["unconverted"]:
            notes.append(
                _("{k} flows in a currency without a rate in the case are not drawn.").format(
                    k=info["unconverted"]
                )
            )
        self.sankey_note.value = f"<p class='casebook-money-note'>{legend}</p>" + "".join(
            _p(n) for n in notes
        )

    def _draw_flow_table(self) -> None:
        channels = self.shown.channels
        if channels.empty:
            self.flow_table.value = ""
            return
        rows = [
            [
                html.escape(_channel(r.channel)),
                html.escape(r.currency),
                format_number(int(r.count)),
                html.escape(format_amount(r.amount, r.currency)),
                html.escape(format_eur(r.total_eur)),
            ]
            for r in channels.itertuples(index=False)
        ]
        head = [
            (_("Channel"), ""),
            (_("Currency"), ""),
            (_("Payments"), "num"),
            (_("Amount"), "num"),
            (_("In EUR"), "num"),
        ]
        flows = self.shown.flows.dropna(subset=["total_eur"])
        top = flows.head(TABLE_ROWS)
        flow_rows = [
            [
                html.escape(self._name(r.source)),
                html.escape(self._name(r.target)),
                html.escape(_channel(r.channel)),
                format_number(int(r.count)),
                html.escape(format_eur(r.total_eur)),
            ]
            for r in top.itertuples(index=False)
        ]
        chosen = [self.focus in (r.source, r.target) for r in top.itertuples(index=False)]
        flow_head = [
            (_("From"), ""),
            (_("To"), ""),
            (_("Channel"), ""),
            (_("Payments"), "num"),
            (_("In EUR"), "num"),
        ]
        rates = self._data.case.meta.currency_rates
        mark = number_separators()[0]
        rate_text = ", ".join(
            f"1 {c} = EUR {format(float(r), 'g').replace('.', mark)}"
            for c, r in rates.items()
            if c != "EUR"
        )
        self.flow_table.value = (
            f"<h3>{html.escape(_('By channel and currency'))}</h3>"
            + _table(head, rows)
            + (
                _p(_("Rates used (from the case): {rates}.").format(rates=rate_text))
                if rate_text
                else ""
            )
            + f"<h3>{html.escape(_('Flows between parties'))}</h3>"
            + _table(flow_head, flow_rows, chosen)
            + _more(len(top), len(flows))
        )

    def _pay_index(self) -> pd.DataFrame:
        return self._data.by_id

    def _draw_guarantees(self) -> None:
        gua = self.shown.guarantees
        intro = _p(
            _(
                "A family deposits the fee with a money keeper (a hawaladar or an exchange shop). "
                "It is released to the smugglers only after the migrant sends “OK” on arrival. "
                "Each row puts the three together: deposit → OK → release. The evidence rarely "
                "links them explicitly: read how each was matched, and check it in the source."
            )
        )
        if gua.empty:
            reason = (
                _("No guarantee payment (a deposit held and released on “OK”) is in what is shown.")
                if not self.shown.payments.empty
                else self._empty_reason()
            )
            self.guarantee_view.value = intro + _p(reason, "casebook-money-empty")
            return
        pay = self._pay_index()
        messages = self._data.messages
        rows, chosen = [], []
        gua = gua.sort_values(["release_time", "deposit_time"], na_position="last", kind="stable")
        for r in gua.head(TABLE_ROWS).itertuples(index=False):
            deposits = []
            for d in r.deposits:
                if d in pay.index:
                    p = pay.loc[d]
                    payer = p["payer"] if isinstance(p["payer"], str) else p["payer_account"]
                    deposits.append(
                        _lines(
                            format_time(p["time"]),
                            self._name(payer),
                            format_amount(p["amount"], p["currency"]),
                        )
                        + _cite(d, p["source"], p["confidence"])
                    )
            ok = "—"
            if isinstance(r.ok_id, str) and r.ok_id in messages.index:
                m = messages.loc[r.ok_id]
                ok = _lines(
                    format_time(m["time"]),
                    f"“{m['content']}”",
                    f"{self._name(m['caller'])} → {self._name(m['receiver'])}",
                ) + _cite(r.ok_id, m["source"], m["confidence"])
            release = "—"
            if isinstance(r.release_id, str) and r.release_id in pay.index:
                p = pay.loc[r.release_id]
                to = _("to {who}").format(who=self._name(r.beneficiary))
                amount = format_amount(p["amount"], p["currency"])
                release = _lines(
                    format_time(p["time"]), to, f"{amount} ({_channel(p['channel'])})"
                ) + _cite(r.release_id, p["source"], p["confidence"])
            people = "" if pd.isna(r.people) else f"{int(r.people)}"
            rows.append(["<br><br>".join(deposits) or "—", ok, release, people, self._check(r)])
            chosen.append(self.focus is not None and self.focus == r.beneficiary)
        head = [
            (_("Deposit"), ""),
            (_("“OK” message"), ""),
            (_("Release"), ""),
            (_("People"), "num"),
            (_("Check"), ""),
        ]
        counts = gua["outcome"].value_counts()
        summary = _p(
            _("{released} released, {refunded} refunded, {held} still held.").format(
                released=int(counts.get("released", 0)),
                refunded=int(counts.get("refunded", 0)),
                held=int(counts.get("held", 0)),
            )
        )
        self.guarantee_view.value = (
            intro
            + summary
            + _table(head, rows, chosen)
            + _more(min(len(gua), TABLE_ROWS), len(gua))
        )

    @staticmethod
    def _check(r) -> str:
        flag = "<span class='casebook-money-flag'>⚠ {}</span>"
        fine = "<span class='casebook-money-ok'>✓ {}</span>"
        if r.outcome == "held":
            return flag.format(html.escape(_("held: no release or refund in the evidence")))
        if r.outcome == "refunded":
            return html.escape(_("refunded to the payer: nothing went to the smugglers"))
        notes = []
        if not r.deposits:
            notes.append(flag.format(html.escape(_("no deposit found before the release"))))
        elif r.match == "oldest":
            notes.append(
                flag.format(html.escape(_("deposit matched by order only: check the ledger")))
            )
        if not isinstance(r.ok_id, str):
            notes.append(flag.format(html.escape(_("no “OK” message found before the release"))))
        if not notes:
            notes.append(fine.format(html.escape(_("deposit, OK and release match"))))
        return "<br>".join(notes)

    def _draw_totals(self) -> None:
        shown = self.shown
        if shown.totals.empty:
            self.totals_view.value = _p(self._empty_reason(), "casebook-money-empty")
            return
        kinds = _kind_labels()
        profits = shown.who_profits
        profits = profits[profits["net_eur"] > 0].head(10)
        money_head = [(_("Received"), "num"), (_("Paid"), "num"), (_("Net"), "num")]

        def amounts(r) -> list[str]:
            return [html.escape(format_eur(v)) for v in (r.received_eur, r.paid_eur, r.net_eur)]

        parts = [
            f"<h3>{html.escape(_('Who profits'))}</h3>",
            _p(
                _(
                    "Persons ranked by what they received less what they paid on, in the "
                    "period shown; money on an account counts for its holder."
                )
            ),
        ]
        if profits.empty:
            parts.append(_p(_("Nobody received more than they paid in what is shown.")))
        else:
            rows = [
                [f"{i}", html.escape(self._name(entity)), *amounts(r)]
                for i, (entity, r) in enumerate(
                    zip(profits.index, profits.itertuples(), strict=True), 1
                )
            ]
            chosen = [e == self.focus for e in profits.index]
            parts.append(_table([("#", "num"), (_("Person"), ""), *money_head], rows, chosen))
        totals = shown.totals
        top = totals.head(TABLE_ROWS)
        rows = [
            [html.escape(self._name(entity)), html.escape(kinds.get(r.kind, r.kind)), *amounts(r)]
            for entity, r in zip(top.index, top.itertuples(), strict=True)
        ]
        chosen = [e == self.focus for e in top.index]
        parts += [
            f"<h3>{html.escape(_('Totals per person and per account'))}</h3>",
            _p(
                _(
                    "Money held by a hawala ledger for its clients is shown on the ledger, not "
                    "as its keeper's."
                )
            ),
            _table([(_("Who"), ""), (_("Kind"), ""), *money_head], rows, chosen),
            _more(len(top), len(totals)),
            self._structuring_html(),
        ]
        self.totals_view.value = "".join(parts)

    def _structuring_html(self) -> str:
        threshold = self._data.case.meta.reporting_threshold_eur
        head = f"<h3>{html.escape(_('Payments just under the reporting threshold'))}</h3>"
        if threshold is None:
            return head + _p(_("The case declares no reporting threshold."))
        threshold = float(threshold)
        explain = _p(
            _(
                "Reporting threshold declared in the case: {threshold}. Payments from {low} up "
                "to under {threshold} count; three or more from one payer are flagged as "
                "possible structuring (splitting money to stay under the threshold)."
            ).format(threshold=format_eur(threshold), low=format_eur(0.9 * threshold))
        )
        found = self.shown.structuring
        if found.empty:
            return head + explain + _p(_("No payment just under the threshold in what is shown."))
        pay = self._pay_index()
        rows, chosen = [], []
        for r in found.itertuples(index=False):
            items = []
            for pid in r.payments[:12]:
                p = pay.loc[pid]
                items.append(
                    f"{html.escape(format_time(p['time']))}: "
                    f"{html.escape(format_amount(p['amount'], p['currency']))} "
                    f"({html.escape(format_eur(p['eur']))}) "
                    f"<span class='casebook-money-source'>{html.escape(pid)} · "
                    f"{html.escape(str(p['source']))}</span>"
                )
            if len(r.payments) > 12:
                items.append(html.escape(_("and {n} more").format(n=len(r.payments) - 12)))
            flag = (
                "<span class='casebook-money-flag'>⚠ {}</span>".format(html.escape(_("flagged")))
                if r.flagged
                else ""
            )
            rows.append(
                [
                    html.escape(self._name(r.party)),
                    f"{int(r.count)}",
                    html.escape(format_eur(r.total_eur)),
                    "<br>".join(items),
                    flag,
                ]
            )
            chosen.append(r.party == self.focus)
        table = _table(
            [
                (_("Payer"), ""),
                (_("Payments"), "num"),
                (_("Total"), "num"),
                (_("Which"), ""),
                ("", ""),
            ],
            rows,
            chosen,
        )
        return head + explain + table

    def _draw_focus(self) -> None:
        if self.focus is None:
            self.focus_text.value = _p(
                _(
                    "Choose a person, organisation or account “In focus” above, or click one in "
                    "the flows, to see their money and the evidence of a benefit."
                )
            )
            return
        name = self._name(self.focus)
        totals = self.shown.totals
        if totals.empty or self.focus not in totals.index:
            text = _("{name}: no payment to or from them in what is shown.").format(name=name)
        else:
            t = totals.loc[self.focus]
            text = _("{name}: received {received}, paid {paid}, net {net}.").format(
                name=name,
                received=format_eur(t["received_eur"]),
                paid=format_eur(t["paid_eur"]),
                net=format_eur(t["net_eur"]),
            )
        extra = ""
        if self.focus in self._data.migrants:
            extra = _p(
                _(
                    "A migrant is a witness and a victim of smuggling, not a suspect "
                    "(Protocol against the Smuggling of Migrants, art. 5)."
                )
            )
        self.focus_text.value = (
            f"<div class='casebook-money-focus'>{html.escape(text)}{extra}</div>"
        )

    def _draw_benefit(self) -> None:
        intro = _p(
            _(
                "Smuggling is procuring illegal entry “in order to obtain, directly or "
                "indirectly, a financial or other material benefit” (Protocol against the "
                "Smuggling of Migrants, art. 3 and 6). Below are the payments the party in focus "
                "received, with their sources and grades: decide which of them prove a benefit "
                "from smuggling, and which have another explanation. Families who pay for a "
                "journey are not suspects: their payments show what others received."
            )
        )
        if self.focus is None:
            self.benefit_view.value = intro + _p(
                _("Choose who is in focus above, or click a name in the flows."),
                "casebook-money-empty",
            )
            return
        name = self._name(self.focus)
        benefit = self.shown.benefit
        heading = f"<h3>{html.escape(_('Financial benefit: {name}').format(name=name))}</h3>"
        if benefit is None or benefit["payments"].empty:
            reason = (
                self._empty_reason()
                if self.shown.payments.empty
                else _("{name} received no payment in what is shown.").format(name=name)
            )
            self.benefit_view.value = intro + heading + _p(reason, "casebook-money-empty")
            return
        pay = benefit["payments"]
        by_channel = ", ".join(
            _("{eur} by {channel}").format(eur=format_eur(v), channel=_channel(k).lower())
            for k, v in sorted(benefit["by_channel"].items(), key=lambda kv: -kv[1])
        )
        gua = self.shown.guarantees
        released = gua[(gua["outcome"] == "released") & gua["release_id"].isin(pay["id"])]
        ok_of = dict(zip(released["release_id"], released["ok_id"], strict=True))
        summary = _(
            "{name} received {total} in {count} between {start} and {end}: {channels}."
        ).format(
            name=name,
            total=format_eur(benefit["total_eur"]),
            count=ngettext("{n} payment", "{n} payments", len(pay)).format(
                n=format_number(len(pay))
            ),
            start=format_time(pay["time"].min()),
            end=format_time(pay["time"].max()),
            channels=by_channel,
        )
        lines = [_p(summary)]
        if len(released):
            lines.append(
                _p(
                    ngettext(
                        "{n} of them is a guarantee released after an “OK” message ({eur}).",
                        "{n} of them are guarantees released after an “OK” message ({eur}).",
                        len(released),
                    ).format(
                        n=format_number(len(released)),
                        eur=format_eur(float(released["amount_eur"].sum())),
                    )
                )
            )
        if benefit["unconverted"]:
            lines.append(
                _p(
                    _("Not in the total (no rate in the case): {ids}.").format(
                        ids=", ".join(benefit["unconverted"])
                    )
                )
            )
        shown_rows = pay
        if len(pay) > TABLE_ROWS:
            shown_rows = pay.nlargest(TABLE_ROWS, "eur").sort_values(["time", "id"])
            lines.append(
                _p(
                    _("The {n} largest payments are listed; the total counts all {total}.").format(
                        n=TABLE_ROWS, total=format_number(len(pay))
                    )
                )
            )
        documents = self._data.documents
        messages = self._data.messages
        rows = []
        for r in shown_rows.itertuples(index=False):
            payer = r.payer if isinstance(r.payer, str) else r.payer_account
            purpose = r.purpose if isinstance(r.purpose, str) else ""
            ok = ok_of.get(r.id)
            if isinstance(ok, str) and ok in messages.index:
                m = messages.loc[ok]
                purpose = (purpose + "; " if purpose else "") + _(
                    "released after “{text}” ({when}, {id})"
                ).format(text=m["content"], when=format_time(m["time"]), id=ok)
            rows.append(
                [
                    html.escape(format_time(r.time)),
                    html.escape(self._name(payer)),
                    html.escape(format_amount(r.amount, r.currency)),
                    html.escape(format_eur(r.eur)),
                    html.escape(_channel(r.channel)),
                    html.escape(purpose),
                    f"{html.escape(r.id)}<br><span class='casebook-money-source'>"
                    f"{html.escape(str(r.source))}</span>",
                    html.escape(str(r.confidence)),
                ]
            )
        head = [
            (_("When"), "when"),
            (_("From"), ""),
            (_("Amount"), "num"),
            (_("In EUR"), "num"),
            (_("Channel"), ""),
            (_("Purpose"), ""),
            (_("Evidence"), ""),
            (_("Grade"), ""),
        ]
        # Each source and grade is explained once, under the table, as a footnote would.
        cited = dict.fromkeys(shown_rows["source"])
        sources = "".join(
            f"<li><b>{html.escape(str(d))}</b>: {html.escape(documents.get(d, _('not released')))}"
            "</li>"
            for d in cited
        )
        grades = "".join(
            f"<li><b>{html.escape(str(g))}</b>: {html.escape(grade_text(g))}</li>"
            for g in sorted(dict.fromkeys(shown_rows["confidence"]))
        )
        lines.append(_table(head, rows))
        lines.append(
            f"<h3>{html.escape(_('Sources'))}</h3><ul class='casebook-money-note'>{sources}</ul>"
            f"<h3>{html.escape(_('Grades'))}</h3><ul class='casebook-money-note'>{grades}</ul>"
        )
        self.benefit_view.value = intro + heading + "".join(lines)
