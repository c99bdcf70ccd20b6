"""The communications trail: who calls whom, when, how often, from where, and new numbers."""

from __future__ import annotations

import html
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ipywidgets as ipw
import numpy as np
import pandas as pd
import traitlets

from .analysis import phone_users
from .case import Case
from .chart import Chart, date_axis
from .communications import (
    activity_matrix,
    cell_stays,
    common_contacts,
    contact_matrix,
    contact_table,
    handset_swaps,
    line_counts,
    timeline_counts,
)
from .evidence import entity_name, format_time, format_times
from .graph_view import PALETTE
from .i18n import _, format_number, ngettext, number_separators
from .mapfig import bounds_of, fit_aspect, map_figure

__all__ = ["CommunicationsTrail"]

#: More calls and messages than this in the range shown: the timeline counts them per period.
POINTS_MAX = 1500
#: Rows of the contact table and of the common contacts; the rest is counted in a note.
TABLE_ROWS = 25
#: Lanes of the timeline (one per line or person chosen); more, and it counts per period.
LANES_MAX = 15
#: Lines or persons in the contact matrix.
MATRIX_MAX = 20
#: Stays drawn on the map of cell sites (the most recent ones).
STAYS_MAX = 1000
CALL_COLOUR, MESSAGE_COLOUR = PALETTE[0], PALETTE[1]
#: ColorBrewer's single-hue Blues, white for none: readable by colour-blind eyes and in print.
#: (plotly's own "Blues" runs the other way, dark for none.)
BLUES = [
    [0.0, "#f7fbff"],
    [0.125, "#deebf7"],
    [0.25, "#c6dbef"],
    [0.375, "#9ecae1"],
    [0.5, "#6baed6"],
    [0.625, "#4292c6"],
    [0.75, "#2171b5"],
    [0.875, "#08519c"],
    [1.0, "#08306b"],
]
_CSS = Path(__file__).parent / "static" / "communications_trail.css"


def _weekdays() -> list[str]:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]


def _periods() -> list[tuple[str, pd.Timedelta, str]]:
    """Periods the timeline counts by, shortest first: (pandas frequency, length, words)."""
    return [
        ("15min", pd.Timedelta(minutes=15), _("per 15 minutes")),
        ("h", pd.Timedelta(hours=1), _("per hour")),
        ("3h", pd.Timedelta(hours=3), _("per 3 hours")),
        ("6h", pd.Timedelta(hours=6), _("per 6 hours")),
        ("12h", pd.Timedelta(hours=12), _("per 12 hours")),
        ("D", pd.Timedelta(days=1), _("per day")),
        ("7D", pd.Timedelta(days=7), _("per week")),
    ]


def _period(span: pd.Timedelta, bars: int = 150) -> tuple[str, pd.Timedelta, str]:
    """Return the shortest period that shows ``span`` in at most ``bars`` bars."""
    periods = _periods()
    for period in periods:
        if span / period[1] <= bars:
            return period
    return periods[-1]


def _duration(seconds: float) -> str:
    """Say a call time in words: ``45 s``, ``12 min``, ``1 h 05 min``."""
    if seconds is None or pd.isna(seconds) or seconds <= 0:
        return "–"
    if seconds < 59.5:
        return _("{s} s").format(s=round(seconds))
    hours, minutes = divmod(round(seconds / 60), 60)
    if not hours:
        return _("{m} min").format(m=minutes)
    return _("{h} h {m:02d} min").format(h=hours, m=minutes)


def _when(value) -> str:
    """Return a time as HTML that never breaks across lines."""
    return f"<span class='when'>{html.escape(format_time(value))}</span>"


def _fill(template: str, **parts: str) -> str:
    """Fill a translated sentence with pieces of HTML (escaped by the caller)."""
    return html.escape(template).format(**parts)


def _p(text: str, css: str = "casebook-comms-note") -> str:
    return f"<p class='{css}'>{html.escape(text)}</p>"


def _layout(title: str, height: int, **extra) -> dict:
    """Return a plotly layout for a projector: large type, a title, a white background."""
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 56, "b": 20},
        "font": {"size": 15, "color": "#1f2933"},
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 17}},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"size": 15}},
        "separators": number_separators(),
    }
    layout.update(extra)
    return layout


def _draw(chart: Chart, figure: dict) -> None:
    """Draw ``figure`` at the height its layout asks for, in one message with it."""
    with chart.hold_sync():
        chart.height = f"{figure['layout']['height']}px"
        chart.draw(figure)


def _numbers(order: list[int], most: int = 6) -> str:
    """Return stay numbers as a short list: ``1, 4, 9`` or ``1, 4, 9 … 31 (12 stays)``."""
    if len(order) <= most:
        return ", ".join(map(str, order))
    shown = ", ".join(map(str, order[: most - 1]))
    return _("{shown} … {last} ({n} stays)").format(shown=shown, last=order[-1], n=len(order))


def _itinerary(stays: pd.DataFrame) -> str:
    """Return the stays of a phone as a table in time order, as numbered on the map."""
    rows = []
    for i, stay in enumerate(stays.head(TABLE_ROWS).itertuples(index=False), start=1):
        rows.append(
            f"<tr><td class='num'>{i}</td><td>{html.escape(str(stay.name))}</td>"
            f"<td class='when'>{html.escape(format_time(stay.first))}</td>"
            f"<td class='when'>{html.escape(format_time(stay.last))}</td>"
            f"<td class='num'>{format_number(stay.count)}</td></tr>"
        )
    head = "".join(
        f"<th class='{css}'>{html.escape(text)}</th>"
        for css, text in (
            ("num", "#"),
            ("", _("Cell site")),
            ("", _("From")),
            ("", _("To")),
            ("num", _("Calls and messages")),
        )
    )
    more = len(stays) - TABLE_ROWS
    note = (
        _p(
            _("… and {n} more stays: choose a shorter time range to see them.").format(n=more),
            "casebook-muted",
        )
        if more > 0
        else ""
    )
    return (
        f"<table class='casebook-comms-table'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{note}"
    )


def _count_colorbar(top: int) -> dict:
    """Return a colour bar for counts: whole numbers only, about five ticks."""
    step = max(1, math.ceil(top / 5))
    return {
        "title": {"text": _("calls and messages"), "side": "right"},
        "tickmode": "linear",
        "tick0": 0,
        "dtick": step,
        "tickformat": ",d",
    }


@lru_cache(maxsize=16)
def _base_map(bounds: tuple[float, float, float, float]) -> dict:
    """Return the map of ``bounds`` as plain data, built once (the borders take a while)."""
    return map_figure(bounds, height=520)


@dataclass
class _Phase:
    """What the trail needs of one phase, prepared once: the views then only filter."""

    case: Case
    comms: pd.DataFrame  # calls and messages in time order
    ns: np.ndarray  # their times, nanoseconds, for a quick cut by time
    users: dict[str, str]  # phone line -> person, per the evidence released
    labels: dict[str, str]  # entity id -> label
    names: dict[str, str]  # phone line -> "number (user)", person -> name
    lines: list[str]  # phone lines, busiest first, then the silent ones
    line_set: set[str]
    people: dict[str, list[str]]  # person (or a line with no known user) -> lines, busiest first
    swaps: list[dict]
    cell_lines: list[str]  # lines with a known cell site, most positions first
    cell_set: set[str]


def _prepare(case: Case) -> _Phase:
    comms = case.communications.sort_values(["time", "id"], kind="stable").reset_index(drop=True)
    ns = comms["time"].to_numpy().astype("datetime64[ns]").view("int64")
    users = phone_users(case)
    labels = dict(zip(case.entities["id"], case.entities["label"], strict=True))
    counts = line_counts(case)
    busy = list(counts.index)
    lines = busy + sorted(set(case.phones["id"]) - set(busy))
    names = {line: entity_name(case, line, users, labels) for line in lines}
    people: dict[str, list[str]] = {}
    for line in lines:
        people.setdefault(users.get(line, line), []).append(line)
    for person in people:
        names.setdefault(person, labels.get(person, person))
    cells = pd.concat(
        [
            comms.loc[comms["caller_cell"].notna(), "caller"],
            comms.loc[comms["receiver_cell"].notna(), "receiver"],
        ]
    ).value_counts()
    cell_lines = sorted(cells.index, key=lambda line: (-int(cells[line]), line))
    return _Phase(
        case=case,
        comms=comms,
        ns=ns,
        users=users,
        labels=labels,
        names=names,
        lines=lines,
        line_set=set(lines),
        people=people,
        swaps=handset_swaps(case),
        cell_lines=cell_lines,
        cell_set=set(cell_lines),
    )


class CommunicationsTrail(ipw.VBox):
    """Follow the phones of a released case: contacts, timeline, activity, new numbers, cells.

    Choose the phase and one or more phone lines (or persons: all the lines the evidence
    attributes to them). Drag across the timeline to look at a time range: every other view
    then shows that range only. The views: the contacts of the chosen lines, busiest first;
    when they are active (weekday by hour of the day); how often they contact each other;
    whom two lines have in common; numbers replaced in the same handset; and the cell sites
    a line went through, on a map.

    Parameters
    ----------
    case : Case or None
        A released case (the team's phase); ``None`` shows a short message.

    Examples
    --------
    >>> from widgets import load_case
    >>> trail = CommunicationsTrail(load_case("demo").released(2))
    >>> trail.chosen_lines  # the busiest line to begin with
    ['PH-DRV']
    >>> trail.selected = "P-ORG"  # what a click on a person in a linked view does
    >>> trail.chosen_lines
    ['PH-ORG2', 'PH-ORG']
    >>> trail.set_time_range("2024-05-13", "2024-05-14")
    >>> trail.range_text.value  # doctest: +ELLIPSIS
    '...Showing 2024-05-13 00:00 to 2024-05-14 00:00 · 3 calls and messages...'
    """

    selected = traitlets.Unicode(
        None, allow_none=True, help="Id of the phone line or person in focus."
    )

    def __init__(self, case: Case | None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("casebook-comms")
        self.case = case
        if case is None:
            self.children = [ipw.HTML(_("There is nothing to show: the case could not be opened."))]
            self.add_class("casebook-ready")
            return
        self._phases: dict[int, _Phase] = {}
        self._sources: dict[tuple, list[str]] = {}  # documents behind each swap, per phase
        self._range: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None)
        self._quiet = False  # set while the trail changes its own controls or `selected`

        phases = [(_("Phase {n}").format(n=p), p) for p in range(1, case.phase + 1)]
        self.phase = ipw.Dropdown(options=phases, value=case.phase, description=_("Phase"))
        self.by = ipw.ToggleButtons(
            options=[(_("By phone line"), "phone"), (_("By person"), "person")],
            value="phone",
            style={"button_width": "auto"},
        )
        self.chooser = ipw.SelectMultiple(
            description=_("Lines"),
            rows=7,
            layout=ipw.Layout(width="min(46em, 100%)"),
        )
        self.chooser_help = ipw.HTML(
            _p(_("Hold Ctrl (⌘ on a Mac) and click to choose several."), "casebook-muted")
        )
        self.range_text = ipw.HTML()
        self.range_text.add_class("casebook-comms-range")
        self.reset = ipw.Button(
            description=_("Show all times"), icon="undo", layout=ipw.Layout(width="auto")
        )
        self.timeline_note = ipw.HTML()
        self.timeline = Chart(height="340px")
        self.timeline.add_class("casebook-comms-timeline")
        self.timeline_help = ipw.HTML(
            _p(
                _(
                    "Drag across the timeline to look at a time range: every view below then "
                    "shows only that range, and the timeline zooms in. Double-click it, or "
                    'press "Show all times", to see everything again.'
                ),
                "casebook-muted",
            )
        )
        self.table = ipw.HTML()
        self.table.add_class("casebook-comms-contacts")
        self.activity_note = ipw.HTML()
        self.activity = Chart(height="360px")
        self.matrix_note = ipw.HTML()
        self.matrix = Chart(height="360px")
        self.common_a = ipw.Dropdown(
            description=_("Line"), layout=ipw.Layout(width="min(40em, 100%)")
        )
        self.common_b = ipw.Dropdown(
            description=_("and line"), layout=ipw.Layout(width="min(40em, 100%)")
        )
        self.common = ipw.HTML()
        self.common.add_class("casebook-comms-common")
        self.swaps = ipw.HTML()
        self.swaps.add_class("casebook-comms-swaps")
        self.map_line = ipw.Dropdown(
            description=_("Line"), layout=ipw.Layout(width="min(40em, 100%)")
        )
        self.map_note = ipw.HTML()
        self.cell_map = Chart(height="520px")
        self.itinerary = ipw.HTML()
        #: The map of cell sites with its line chooser: a workbook may show it a second time,
        #: next to another view.
        self.cell_sites = ipw.VBox([self.map_line, self.map_note, self.cell_map, self.itinerary])
        self.cell_sites.add_class("casebook-comms-cells")

        self.tabs = ipw.Tab(
            children=[
                self.table,
                ipw.VBox([self.activity_note, self.activity]),
                ipw.VBox([self.matrix_note, self.matrix]),
                ipw.VBox([self.common_a, self.common_b, self.common]),
                self.swaps,
                self.cell_sites,
            ]
        )
        for i, title in enumerate(
            (
                _("Contacts"),
                _("Activity"),
                _("Between them"),
                _("Common contacts"),
                _("New numbers"),
                _("Cell sites"),
            )
        ):
            self.tabs.set_title(i, title)
        style = ipw.HTML(f"<style>{_CSS.read_text(encoding='utf-8')}</style>")
        filters = ipw.VBox(
            [
                ipw.HBox([self.phase, self.by]),
                ipw.HBox([self.chooser, self.chooser_help]),
                ipw.HBox([self.range_text, self.reset], layout=ipw.Layout(align_items="center")),
            ]
        )
        self.children = [
            style,
            filters,
            self.timeline_note,
            self.timeline,
            self.timeline_help,
            self.tabs,
        ]

        self.phase.observe(self._on_phase, names="value")
        self.by.observe(self._on_by, names="value")
        self.chooser.observe(self._on_pick, names="value")
        self.common_a.observe(lambda _c: self._quiet or self._draw_common(), names="value")
        self.common_b.observe(lambda _c: self._quiet or self._draw_common(), names="value")
        self.map_line.observe(lambda _c: self._quiet or self._draw_cells(), names="value")
        self.timeline.on_brush(self._on_brush)
        self.reset.on_click(lambda _b: self.set_time_range(None, None))
        self.observe(self._selected_elsewhere, names="selected")
        self._shown_lines: list[str] = []  # the lines of the last update, whatever the mode
        self._last_lines: list[str] = []  # the last lines chosen, back after an empty phase
        self._set_options([])
        # Browser tests and benchmarks wait for this class: the page has finished building.
        self.add_class("casebook-ready")

    # state ---------------------------------------------------------------------
    @property
    def shown_case(self) -> Case:
        """The case at the phase chosen in the trail."""
        return self._data.case

    @property
    def _data(self) -> _Phase:
        phase = self.phase.value
        if phase not in self._phases:
            self._phases[phase] = _prepare(self.case.released(phase))
        return self._phases[phase]

    @property
    def chosen_lines(self) -> list[str]:
        """The phone lines shown: those chosen, or the lines of the persons chosen."""
        data = self._data
        if self.by.value == "phone":
            return list(self.chooser.value)
        return [line for unit in self.chooser.value for line in data.people.get(unit, [])]

    @property
    def time_range(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The time range shown, ``(start, end)``; ``(None, None)`` for all times."""
        return self._range

    def set_time_range(self, start=None, end=None) -> None:
        """Show only the calls and messages from ``start`` to ``end`` (``None, None``: all).

        A drag across the timeline calls this; so may a test or a benchmark. Every view is
        updated.

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

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        before, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = before

    def _unit_options(self) -> list[tuple[str, str]]:
        data = self._data
        if self.by.value == "phone":
            return [(data.names[line], line) for line in data.lines]
        options = []
        for unit, lines in data.people.items():
            label = data.names[unit]
            if len(lines) > 1:
                label = _("{name} ({n} lines)").format(name=label, n=len(lines))
            options.append((label, unit))
        return options

    def _units_for(self, entity: str | None) -> list[str]:
        """Return the chooser's values that stand for ``entity`` (a line or a person), or []."""
        data = self._data
        if entity is None:
            return []
        if self.by.value == "phone":
            if entity in data.line_set:
                return [entity]
            return list(data.people.get(entity, []))  # a person: their lines
        if entity in data.people:  # a person, or a line whose user is not known
            return [entity]
        if entity in data.line_set:  # a line: its user
            return [data.users[entity]]
        return []

    def _set_options(self, lines: list[str]) -> None:
        """Fill the controls for the phase and mode shown, keeping ``lines`` where possible."""
        data = self._data
        options = self._unit_options()
        values = {v for _, v in options}
        wanted: list[str] = []
        for line in lines:
            for unit in self._units_for(line):
                if unit in values and unit not in wanted:
                    wanted.append(unit)
        if not wanted and not data.comms.empty and options:
            wanted = [options[0][1]]
        line_options = [(data.names[line], line) for line in data.lines]
        cell_options = [(data.names[line], line) for line in data.cell_lines]
        with self._quietly():
            self.chooser.description = _("Lines") if self.by.value == "phone" else _("People")
            self.chooser.options = options
            self.chooser.value = tuple(u for _, u in options if u in wanted)
            for box, fallback in ((self.common_a, 0), (self.common_b, 1)):
                keep = box.value
                box.options = line_options
                if keep in data.line_set:
                    box.value = keep
                elif len(line_options) > fallback:
                    box.value = line_options[fallback][1]
            # No line to choose from: the sentence under them says why.
            for box in (self.common_a, self.common_b):
                box.layout.display = "none" if data.comms.empty else None
            self.map_line.layout.display = None if cell_options else "none"
            keep = self.map_line.value
            self.map_line.options = cell_options
            if keep in data.cell_set:
                self.map_line.value = keep
            elif cell_options:
                self.map_line.value = cell_options[0][1]
        self._refresh()

    # events ----------------------------------------------------------------------
    def _on_phase(self, _change: traitlets.Bunch) -> None:
        # Keep the lines shown before, where the phase has them.
        self._set_options(self._shown_lines or self._last_lines)

    def _on_by(self, _change: traitlets.Bunch) -> None:
        # The same lines, now as their users (or the reverse).
        self._set_options(self._shown_lines)

    def _on_pick(self, change: traitlets.Bunch) -> None:
        if self._quiet:
            return
        added = [u for u in change["new"] if u not in change["old"]]
        if added:
            focus = added[0]
        elif self.selected in change["new"]:
            focus = self.selected
        else:
            focus = change["new"][0] if change["new"] else None
        with self._quietly():
            self.selected = focus
        self._refresh()

    def _selected_elsewhere(self, change: traitlets.Bunch) -> None:
        # Another view (linked with link_selection) picked an entity: show its lines here.
        if self._quiet:
            return
        units = self._units_for(change["new"])
        if not units or set(units) == set(self.chooser.value):
            return
        with self._quietly():
            self.chooser.value = tuple(u for _, u in self.chooser.options if u in units)
        self._refresh()

    def _on_brush(self, start, end) -> None:
        if not self._quiet:
            self.set_time_range(start, end)

    # drawing -----------------------------------------------------------------------
    def _with(self, comms: pd.DataFrame) -> Case:
        """Return the case shown, with only ``comms`` as its calls and messages."""
        case = self._data.case
        tables = {**case.tables, "communications": comms}
        return Case(case.meta, case.path, tables, answers=None, phase=case.phase)

    def _ranged(self) -> pd.DataFrame:
        """Return the calls and messages of the phase within the time range."""
        data = self._data
        start, end = self._range
        lo = 0 if start is None else int(np.searchsorted(data.ns, start.value, "left"))
        hi = len(data.ns) if end is None else int(np.searchsorted(data.ns, end.value, "right"))
        return data.comms.iloc[lo:hi]

    def _name(self, entity: str) -> str:
        data = self._data
        return data.names.get(entity) or data.labels.get(entity, entity)

    def _refresh(self) -> None:
        data = self._data
        lines = self.chosen_lines
        # The map and the common contacts follow the lines chosen when those change (not
        # when only the time range does, which would undo what the user picked there).
        follow = lines != self._shown_lines
        self._shown_lines = lines
        if lines:
            self._last_lines = lines
        ranged = self._ranged()
        if lines:
            touching = ranged["caller"].isin(lines) | ranged["receiver"].isin(lines)
            mine = ranged[touching.to_numpy()]
        else:
            mine = ranged.iloc[:0]
        # The map follows the lines chosen when one of them has cell sites.
        with_cells = [line for line in lines if line in data.cell_set]
        with self._quietly():
            if follow and with_cells and self.map_line.value not in with_cells:
                self.map_line.value = with_cells[0]
            if follow and lines and self.common_a.value not in lines:
                self.common_a.value = lines[0]
        self._draw_range(mine)
        self._draw_timeline(mine)
        self._draw_table(mine)
        self._draw_activity(mine)
        self._draw_matrix(mine)
        self._draw_common(ranged)
        self._draw_cells(ranged)
        self._draw_swaps()

    def _empty_reason(self) -> str:
        """Why there is nothing to show, in a sentence."""
        if self._data.comms.empty:
            return _("No calls or messages have been released in this phase.")
        if not self.chosen_lines:
            return _("Choose one or more lines above.")
        return _("The lines chosen have no calls or messages in the time shown.")

    @staticmethod
    def _show(chart: Chart, note: ipw.HTML, message: str | None, html_note: str = "") -> None:
        """Show ``chart`` with ``html_note`` above it, or only the sentence ``message``."""
        if message is not None:
            note.value = _p(message, "casebook-comms-empty")
            chart.layout.display = "none"
        else:
            note.value = html_note
            chart.layout.display = None

    def _draw_range(self, mine: pd.DataFrame) -> None:
        start, end = self._range
        n = len(mine)
        count = ngettext("{n} call or message", "{n} calls and messages", n).format(
            n=format_number(n)
        )
        if start is None and end is None:
            if mine.empty:
                text = _("Showing all times · {count}").format(count=count)
            else:
                text = _("Showing all times, {start} to {end} · {count}").format(
                    start=format_time(mine["time"].iloc[0]),
                    end=format_time(mine["time"].iloc[-1]),
                    count=count,
                )
        else:
            text = _("Showing {start} to {end} · {count}").format(
                start=format_time(start) if start is not None else _("the beginning"),
                end=format_time(end) if end is not None else _("the end"),
                count=count,
            )
        self.range_text.value = f"<span>{html.escape(text)}</span>"
        self.reset.disabled = start is None and end is None

    def _x_range(self, mine: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
        start, end = self._range
        first, last = mine["time"].iloc[0], mine["time"].iloc[-1]
        if start is None or end is None:
            pad = max((last - first) * 0.02, pd.Timedelta(hours=1))
            start = first - pad if start is None else start
            end = last + pad if end is None else end
        return start, end

    def _draw_timeline(self, mine: pd.DataFrame) -> None:
        if mine.empty:
            self._show(self.timeline, self.timeline_note, self._empty_reason())
            return
        x0, x1 = self._x_range(mine)
        units = list(self.chooser.value)
        if len(mine) <= POINTS_MAX and len(units) <= LANES_MAX:
            traces, layout = self._timeline_points(mine, units)
        else:
            traces, layout = self._timeline_counts(mine, x0, x1)
        layout["xaxis"] = {
            "type": "date",
            "range": [x0.isoformat(), x1.isoformat()],
            "showgrid": True,
            "gridcolor": "#e4e7eb",
            "automargin": True,
            **date_axis(),
        }
        layout["shapes"], layout["annotations"] = self._swap_marks(x0, x1)
        # An invisible ruler of points along the time axis: a drag over a quiet stretch
        # still selects something, so plotly reports the range swept instead of a clear.
        ruler_x = pd.date_range(x0, x1, periods=400).strftime("%Y-%m-%dT%H:%M:%S").tolist()
        ruler_y = layout.pop("_ruler_y")
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": ruler_x,
                "y": [ruler_y] * len(ruler_x),
                "marker": {"opacity": 0, "size": 2},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "ruler",
            }
        )
        self._show(self.timeline, self.timeline_note, None)
        _draw(self.timeline, {"data": traces, "layout": layout})

    def _timeline_points(self, mine: pd.DataFrame, units: list[str]) -> tuple[list, dict]:
        data = self._data
        chosen = set(self.chosen_lines)
        own = np.where(mine["caller"].isin(chosen).to_numpy(), mine["caller"], mine["receiver"])
        if self.by.value == "person":
            own = [data.users.get(line, line) for line in own]
        lanes = [self._name(u) for u in units]
        # One lane per line (or person), the first at the top; calls run a little above the
        # middle of the lane and messages a little below, so that neither hides the other.
        row_of = {u: len(units) - 1 - i for i, u in enumerate(units)}
        lane = pd.Series(own, index=mine.index).map(row_of).astype(float)
        when = pd.Series(format_times(mine["time"]), index=mine.index)
        who = mine["caller"].map(self._name) + " → " + mine["receiver"].map(self._name)
        content = mine["content"].fillna("").astype(str)
        content = content.where(content.str.len() <= 90, content.str.slice(0, 88) + "…")
        quoted = content.map(lambda c: f"<br>“{html.escape(c)}”" if c else "")
        if "content_translation" in mine.columns:
            # the message as seized, then the case's translation of it
            said = _("translation: “{text}”")
            quoted += mine["content_translation"].map(
                lambda t: f"<br>({html.escape(said.format(text=t))})" if isinstance(t, str) else ""
            )
        traces = []
        for kind, colour, symbol, title, offset in (
            ("call", CALL_COLOUR, "circle", _("Calls"), 0.15),
            ("message", MESSAGE_COLOUR, "diamond", _("Messages"), -0.15),
        ):
            rows = (mine["kind"] == kind).to_numpy()
            if not rows.any():
                continue
            extra = (
                mine.loc[rows, "duration_s"].map(lambda s: f" ({_duration(s)})")
                if kind == "call"
                else quoted[rows]
            )
            text = (
                when[rows]
                + " · "
                + (_("Call") if kind == "call" else _("Message"))
                + "<br>"
                + who[rows].map(html.escape)
                + extra
            )
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": title,
                    "x": mine.loc[rows, "time"].dt.strftime("%Y-%m-%dT%H:%M:%S").tolist(),
                    "y": (lane[rows] + offset).tolist(),
                    "text": text.tolist(),
                    "customdata": mine.loc[rows, "id"].tolist(),
                    "hovertemplate": "%{text}<extra></extra>",
                    "marker": {
                        "color": colour,
                        "symbol": symbol,
                        "size": 11,
                        "opacity": 0.85,
                        "line": {"width": 1, "color": "#ffffff"},
                    },
                }
            )
        n = len(mine)
        title = ngettext(
            "{n} call or message, one by one", "{n} calls and messages, one by one", n
        ).format(n=format_number(n))
        height = int(min(max(150 + 44 * len(lanes), 250), 640))
        layout = _layout(
            title,
            height,
            dragmode="select",
            selectdirection="h",
            hovermode="closest",
            showlegend=True,
            legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},
            yaxis={
                "tickvals": list(range(len(lanes))),
                "ticktext": lanes[::-1],
                "range": [-0.6, len(lanes) - 0.4],
                "zeroline": False,
                "automargin": True,
                "showgrid": True,
                "gridcolor": "#e4e7eb",
            },
        )
        layout["_ruler_y"] = 0
        return traces, layout

    def _timeline_counts(
        self, mine: pd.DataFrame, x0: pd.Timestamp, x1: pd.Timestamp
    ) -> tuple[list, dict]:
        freq, length, words = _period(x1 - x0)
        counts = timeline_counts(self._with(mine), None, freq)
        middle = (counts.index + length / 2).strftime("%Y-%m-%dT%H:%M:%S").tolist()
        starts = format_times(counts.index.to_series())
        traces = []
        for column, colour, title in (
            ("calls", CALL_COLOUR, _("Calls")),
            ("messages", MESSAGE_COLOUR, _("Messages")),
        ):
            traces.append(
                {
                    "type": "bar",
                    "name": title,
                    "x": middle,
                    "y": counts[column].tolist(),
                    "customdata": starts,
                    "width": length.total_seconds() * 1000 * 0.9,
                    "marker": {"color": colour},
                    "hovertemplate": "%{customdata}: %{y} "
                    + html.escape(title.lower())
                    + "<extra></extra>",
                }
            )
        n = len(mine)
        title = _("Calls and messages {period} ({n} in all: too many to show one by one)").format(
            period=words, n=format_number(n)
        )
        layout = _layout(
            title,
            340,
            dragmode="select",
            selectdirection="h",
            hovermode="closest",
            barmode="stack",
            bargap=0,
            showlegend=True,
            legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},
            yaxis={"title": {"text": _("count")}, "automargin": True, "gridcolor": "#e4e7eb"},
        )
        layout["_ruler_y"] = 0
        return traces, layout

    def _swap_marks(self, x0: pd.Timestamp, x1: pd.Timestamp) -> tuple[list, list]:
        """Dashed lines on the timeline where a chosen line was replaced by a new number."""
        chosen = set(self.chosen_lines)
        shapes, notes = [], []
        for swap in self._data.swaps:
            when = swap["first_new"]
            if when is None or not (x0 <= when <= x1) or not {swap["old"], swap["new"]} & chosen:
                continue
            x = when.isoformat()
            shapes.append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": x,
                    "x1": x,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": PALETTE[3], "width": 2, "dash": "dash"},
                }
            )
            notes.append(
                {
                    "x": x,
                    "xref": "x",
                    "yref": "paper",
                    "y": 1,
                    "yanchor": "bottom",
                    "text": html.escape(_("new number")),
                    "showarrow": False,
                    "font": {"color": PALETTE[3], "size": 15},
                }
            )
        return shapes, notes

    def _draw_table(self, mine: pd.DataFrame) -> None:
        if mine.empty:
            self.table.value = _p(self._empty_reason(), "casebook-comms-empty")
            return
        by = self.by.value
        units = list(self.chooser.value)
        table = contact_table(self._with(mine), by=by, lines=units)
        if table.empty:
            self.table.value = _p(
                _("The chosen lines have no contacts besides each other's."), "casebook-comms-empty"
            )
            return
        chosen = set(units)
        several = len(units) > 1
        rows = []
        for row in table.head(TABLE_ROWS).itertuples(index=False):
            own, other = (row.a, row.b) if row.a in chosen else (row.b, row.a)
            cells = [f"<td>{html.escape(self._name(own))}</td>"] if several else []
            cells += [
                f"<td>{html.escape(self._name(other))}</td>",
                f"<td class='num'>{format_number(row.calls)}</td>",
                f"<td class='num'>{format_number(row.messages)}</td>",
                f"<td class='num'>{html.escape(_duration(row.total_duration_s))}</td>",
                f"<td class='when'>{html.escape(format_time(row.first))}</td>",
                f"<td class='when'>{html.escape(format_time(row.last))}</td>",
            ]
            rows.append("<tr>" + "".join(cells) + "</tr>")
        own_head = _("Line") if by == "phone" else _("Person")
        heads = ([own_head] if several else []) + [
            _("In contact with"),
            _("Calls"),
            _("Messages"),
            _("Call time"),
            _("First contact"),
            _("Last contact"),
        ]
        numeric = {_("Calls"), _("Messages"), _("Call time")}
        th = "".join(
            f"<th class='{'num' if h in numeric else ''}'>{html.escape(h)}</th>" for h in heads
        )
        whose = (
            self._name(units[0])
            if len(units) == 1
            else _("the {n} lines chosen").format(n=len(units))
            if by == "phone"
            else _("the {n} people chosen").format(n=len(units))
        )
        intro = _p(
            ngettext(
                "{n} contact of {whose}, busiest first.",
                "{n} contacts of {whose}, busiest first.",
                len(table),
            ).format(n=format_number(len(table)), whose=whose)
        )
        more = len(table) - TABLE_ROWS
        note = (
            _p(
                ngettext(
                    "… and {n} more contact, less busy.",
                    "… and {n} more contacts, less busy.",
                    more,
                ).format(n=format_number(more)),
                "casebook-muted",
            )
            if more > 0
            else ""
        )
        self.table.value = (
            intro
            + f"<table class='casebook-comms-table'><thead><tr>{th}</tr></thead>"
            + f"<tbody>{''.join(rows)}</tbody></table>"
            + note
        )

    def _draw_activity(self, mine: pd.DataFrame) -> None:
        if mine.empty:
            self._show(self.activity, self.activity_note, self._empty_reason())
            return
        matrix = activity_matrix(self._with(mine))
        days = _weekdays()
        hours = [f"{h:02d}" for h in range(24)]
        trace = {
            "type": "heatmap",
            "z": matrix.to_numpy().tolist(),
            "x": hours,
            "y": days,
            "colorscale": BLUES,
            "zmin": 0,
            "xgap": 1,
            "ygap": 1,
            "hovertemplate": "%{y}, %{x}:00–%{x}:59: %{z}<extra></extra>",
            "colorbar": _count_colorbar(int(matrix.to_numpy().max())),
        }
        n = len(mine)
        title = ngettext(
            "When the chosen lines are active: {n} call or message by weekday and hour",
            "When the chosen lines are active: {n} calls and messages by weekday and hour",
            n,
        ).format(n=format_number(n))
        layout = _layout(
            title,
            360,
            xaxis={
                "type": "category",
                "title": {"text": _("Hour of the day")},
                "dtick": 1,
                "automargin": True,
                "ticks": "",
            },
            yaxis={"type": "category", "autorange": "reversed", "automargin": True},
            dragmode=False,
        )
        self._show(self.activity, self.activity_note, None)
        _draw(self.activity, {"data": [trace], "layout": layout})

    def _draw_matrix(self, mine: pd.DataFrame) -> None:
        units = list(self.chooser.value)
        by = self.by.value
        if mine.empty:
            self._show(self.matrix, self.matrix_note, self._empty_reason())
            return
        if len(units) < 2:
            message = (
                _("Choose two or more lines to see how often they contact each other.")
                if by == "phone"
                else _("Choose two or more people to see how often they contact each other.")
            )
            self._show(self.matrix, self.matrix_note, message)
            return
        note = ""
        if len(units) > MATRIX_MAX:
            units = units[:MATRIX_MAX]
            note = _p(
                _("The {n} busiest of the chosen are shown.").format(n=MATRIX_MAX),
                "casebook-muted",
            )
        matrix = contact_matrix(self._with(mine), units, by=by)
        if not matrix.to_numpy().any():
            message = (
                _("The chosen lines do not contact each other in the time shown.")
                if by == "phone"
                else _("The chosen people do not contact each other in the time shown.")
            )
            self._show(self.matrix, self.matrix_note, message)
            return
        names = [self._name(u) for u in units]
        z = matrix.to_numpy().tolist()
        text = [
            [format_number(v) if i != j else "" for j, v in enumerate(row)]
            for i, row in enumerate(z)
        ]
        for i in range(len(z)):
            z[i][i] = None
        trace = {
            "type": "heatmap",
            "z": z,
            "x": names,
            "y": names,
            "text": text,
            "texttemplate": "%{text}",
            "textfont": {"size": 15},
            "colorscale": BLUES,
            "zmin": 0,
            "xgap": 2,
            "ygap": 2,
            "hovertemplate": "%{y} – %{x}: %{z}<extra></extra>",
            "colorbar": _count_colorbar(int(matrix.to_numpy().max())),
        }
        height = int(min(max(200 + 40 * len(units), 360), 900))
        layout = _layout(
            _("How often the chosen contact each other (calls and messages, both ways)"),
            height,
            xaxis={"type": "category", "automargin": True, "tickangle": -30},
            yaxis={"type": "category", "autorange": "reversed", "automargin": True},
            dragmode=False,
        )
        self._show(self.matrix, self.matrix_note, None, note)
        _draw(self.matrix, {"data": [trace], "layout": layout})

    def _draw_common(self, ranged: pd.DataFrame | None = None) -> None:
        data = self._data
        ranged = self._ranged() if ranged is None else ranged
        a, b = self.common_a.value, self.common_b.value
        if data.comms.empty or a is None or b is None:
            self.common.value = _p(self._empty_reason(), "casebook-comms-empty")
            return
        if a == b:
            self.common.value = _p(_("Choose two different lines."), "casebook-comms-empty")
            return
        pair = [a, b]
        sub = ranged[(ranged["caller"].isin(pair) | ranged["receiver"].isin(pair)).to_numpy()]
        both = common_contacts(self._with(sub), a, b)
        name_a, name_b = self._name(a), self._name(b)
        if not both:
            self.common.value = _p(
                _("No line is in contact with both {a} and {b} in the time shown.").format(
                    a=name_a, b=name_b
                ),
                "casebook-comms-empty",
            )
            return
        other = np.where(sub["caller"].isin(pair).to_numpy(), sub["receiver"], sub["caller"])
        side = np.where(sub["caller"].isin(pair).to_numpy(), sub["caller"], sub["receiver"])
        counts = pd.crosstab(pd.Series(other, name="other"), pd.Series(side, name="side"))
        # Every common contact has a column for a and for b: both were in touch with it.
        rows = sorted(
            ((int(counts.at[c, a] + counts.at[c, b]), c) for c in both),
            key=lambda r: (-r[0], r[1]),
        )
        body = "".join(
            f"<tr><td>{html.escape(self._name(c))}</td>"
            f"<td class='num'>{format_number(int(counts.at[c, a]))}</td>"
            f"<td class='num'>{format_number(int(counts.at[c, b]))}</td></tr>"
            for _total, c in rows[:TABLE_ROWS]
        )
        intro = _p(
            ngettext(
                "{n} line is in contact with both {a} and {b} in the time shown:",
                "{n} lines are in contact with both {a} and {b} in the time shown:",
                len(both),
            ).format(n=len(both), a=name_a, b=name_b)
        )
        more = len(both) - TABLE_ROWS
        note = (
            _p(_("… and {n} more.").format(n=format_number(more)), "casebook-muted")
            if more > 0
            else ""
        )
        head = "".join(
            f"<th class='{c}'>{html.escape(t)}</th>"
            for c, t in (
                ("", _("Common contact")),
                # the numbers alone: the sentence above says whose they are
                ("num", _("With {a}").format(a=data.labels.get(a, a))),
                ("num", _("With {b}").format(b=data.labels.get(b, b))),
            )
        )
        self.common.value = (
            intro
            + f"<table class='casebook-comms-table'><thead><tr>{head}</tr></thead>"
            + f"<tbody>{body}</tbody></table>"
            + note
        )

    def _draw_cells(self, ranged: pd.DataFrame | None = None) -> None:
        data = self._data
        ranged = self._ranged() if ranged is None else ranged
        line = self.map_line.value
        self.itinerary.value = ""
        if not data.cell_lines or line is None:
            self._show(
                self.cell_map,
                self.map_note,
                _("The evidence released so far gives no cell sites of any line."),
            )
            return
        sub = ranged[((ranged["caller"] == line) | (ranged["receiver"] == line)).to_numpy()]
        stays = cell_stays(self._with(sub), line)
        if stays.empty:
            self._show(
                self.cell_map,
                self.map_note,
                _("No cell site of {line} is known in the time shown.").format(
                    line=self._name(line)
                ),
            )
            return
        notes = []
        chosen = self.chosen_lines
        if chosen and line not in chosen:
            notes.append(
                _("None of the chosen lines has known cell sites: this is {line}.").format(
                    line=self._name(line)
                )
            )
        if len(stays) > STAYS_MAX:
            notes.append(
                _("The last {n} of {m} moves are drawn: choose a shorter time range.").format(
                    n=format_number(STAYS_MAX), m=format_number(len(stays))
                )
            )
            stays = stays.tail(STAYS_MAX).reset_index(drop=True)
        n = len(stays)
        hover = [
            "{i}. {name}<br>{first}{last}<br>{count}".format(
                i=i + 1,
                name=html.escape(str(s.name)),
                first=format_time(s.first),
                last="" if s.first == s.last else " – " + format_time(s.last),
                count=html.escape(
                    ngettext("{n} call or message", "{n} calls and messages", s.count).format(
                        n=s.count
                    )
                ),
            )
            for i, s in enumerate(stays.itertuples(index=False))
        ]
        bounds = bounds_of(zip(stays["lon"], stays["lat"], strict=True))
        base = _base_map(fit_aspect(bounds, 2.0, digits=3))
        trace = {
            "type": "scatter",
            "mode": "lines+markers",
            "name": self._name(line),
            "x": stays["lon"].tolist(),
            "y": stays["lat"].tolist(),
            "customdata": hover,
            "hovertemplate": "%{customdata}<extra></extra>",
            "line": {"color": "#52606d", "width": 2},
            "marker": {
                "size": 15,
                "color": list(range(n)),
                "colorscale": "Cividis",
                "cmin": 0,
                "cmax": max(n - 1, 1),
                "line": {"width": 1, "color": "#1f2933"},
                "colorbar": {
                    "title": {"text": _("order in time"), "side": "right"},
                    "tickvals": [0, max(n - 1, 1)],
                    "ticktext": [
                        format_time(stays["first"].iloc[0]),
                        format_time(stays["last"].iloc[-1]),
                    ],
                    "orientation": "h",
                    "x": 0.5,
                    "xanchor": "center",
                    "y": 0,
                    "yanchor": "top",
                    "len": 0.6,
                    "thickness": 14,
                },
            },
            "showlegend": False,
        }
        if n == 1:
            trace["marker"]["showscale"] = False
        # Each cell site once, with the numbers of its stays: a phone that comes back to a
        # place would pile its numbers up on one spot (the busiest 25 places when more).
        stays["order"] = range(1, n + 1)
        cells = (
            stays.groupby(["cell", "name", "lat", "lon"], as_index=False)
            .agg(count=("count", "sum"), order=("order", list))
            .sort_values("count", ascending=False)
            .head(25)
        )
        middle = (cells["lon"].min() + cells["lon"].max()) / 2
        labels = [
            f"{html.escape(str(name))}: {_numbers(order)}"
            for name, order in zip(cells["name"], cells["order"], strict=True)
        ]
        names = {
            "type": "scatter",
            # an invisible marker as large as the stays' pushes the name clear of them
            "mode": "markers+text",
            "marker": {"size": 22, "opacity": 0},
            "x": cells["lon"].tolist(),
            "y": cells["lat"].tolist(),
            "text": labels,
            # west of the middle to the left, east to the right: neighbours seldom overlap
            "textposition": [
                "middle left" if lon < middle else "middle right" for lon in cells["lon"]
            ],
            "textfont": {"size": 15, "color": "#1f2933"},
            "cliponaxis": False,
            "hoverinfo": "skip",
            "showlegend": False,
        }
        layout = dict(base["layout"])
        layout["margin"] = {"l": 4, "r": 4, "t": 48, "b": 70 if n > 1 else 4}
        layout["title"] = {
            "text": ngettext(
                "Cell sites of {line}: {n} stay",
                "Cell sites of {line}: {n} stays, numbered in time order",
                n,
            ).format(line=self._name(line), n=n),
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": 17},
        }
        self._show(
            self.cell_map, self.map_note, None, "".join(_p(t, "casebook-muted") for t in notes)
        )
        _draw(self.cell_map, {"data": [*base["data"], names, trace], "layout": layout})
        self.itinerary.value = _itinerary(stays)

    def _draw_swaps(self) -> None:
        data = self._data
        swaps = data.swaps
        if not swaps:
            self.swaps.value = _p(
                _(
                    "The evidence released so far shows no line replaced by another in the same "
                    "handset or with the same SIM card."
                ),
                "casebook-comms-empty",
            )
            return
        chosen = set(self.chosen_lines)
        phones = data.case.phones.set_index("id")
        items = []
        for swap in sorted(swaps, key=lambda s: not ({s["old"], s["new"]} & chosen)):
            old, new = swap["old"], swap["new"]
            if swap["kind"] == "imei":
                head = _("Same device, new number.")
                how = _("in the same handset (IMEI {imei})").format(imei=phones.at[new, "imei"])
            else:
                head = _("Same SIM card, new device.")
                how = _("with the same SIM card ({sim})").format(sim=phones.at[new, "sim"])
            old_name, new_name = html.escape(self._name(old)), html.escape(self._name(new))
            last_old = (
                _fill(
                    _("{line} was last used on {when}"), line=old_name, when=_when(swap["last_old"])
                )
                if swap["last_old"] is not None
                else _fill(_("{line} is not used in the evidence released"), line=old_name)
            )
            first_new = (
                _fill(
                    _("{line} was first used on {when}, {how}."),
                    line=new_name,
                    when=_when(swap["first_new"]),
                    how=html.escape(how),
                )
                if swap["first_new"] is not None
                else _fill(
                    _("{line} is not used in the evidence released, {how}."),
                    line=new_name,
                    how=html.escape(how),
                )
            )
            sources = self._swap_sources(swap)
            source_text = (
                _("Sources: {sources}.").format(sources="; ".join(sources)) if sources else ""
            )
            css = " class='casebook-comms-chosen'" if {old, new} & chosen else ""
            items.append(
                f"<li{css}><strong>{html.escape(head)}</strong> "
                f"{last_old}; {first_new} "
                f"<span class='casebook-muted'>{html.escape(source_text)}</span></li>"
            )
        intro = _p(
            ngettext(
                "When a number is replaced, the handset or the SIM card often stays: the "
                "evidence released shows {n} such change.",
                "When a number is replaced, the handset or the SIM card often stays: the "
                "evidence released shows {n} such changes.",
                len(swaps),
            ).format(n=len(swaps))
        )
        self.swaps.value = intro + "<ul class='casebook-comms-swaps'>" + "".join(items) + "</ul>"

    def _swap_sources(self, swap: dict) -> list[str]:
        """List the documents behind a swap: who uses the lines, their first and last use."""
        data = self._data
        key = (data.case.phase, swap["old"], swap["new"])
        if key not in self._sources:
            self._sources[key] = self._find_sources(data, swap)
        return self._sources[key]

    @staticmethod
    def _find_sources(data: _Phase, swap: dict) -> list[str]:
        case = data.case
        comms = data.comms
        ids = []
        for line, when in ((swap["old"], swap["last_old"]), (swap["new"], swap["first_new"])):
            if when is None:
                continue
            hit = comms[
                (comms["time"] == when) & ((comms["caller"] == line) | (comms["receiver"] == line))
            ]
            ids += list(hit["source"].head(1))
        links = case.links
        uses = links[
            links["type"].isin(["uses", "owns"]) & links["object"].isin([swap["old"], swap["new"]])
        ]
        ids += list(uses["source"])
        titles = dict(zip(case.documents["id"], case.documents["title"], strict=True))
        out = []
        for doc in dict.fromkeys(ids):
            title = case.text(titles[doc]) if doc in titles else doc
            out.append(f"{title} ({doc})")
        return out
