"""The route map: journeys, crossings, safe houses, detections and phones, with a timeline."""

from __future__ import annotations

import html
import math
from collections import namedtuple

import ipywidgets as ipw
import numpy as np
import pandas as pd
import traitlets

from . import route
from .analysis import phone_users
from .case import Case
from .chart import Chart, date_axis, figure_dict
from .evidence import entity_name, format_time, format_times, grade_text
from .graph_view import PALETTE
from .i18n import _, format_number, ngettext, number_separators
from .labels import detection_label, location_kind_label, mode_label, status_label
from .mapfig import bounds_of, fit_aspect, map_figure

__all__ = ["RouteMap"]

#: Colour of each way of travelling (Okabe-Ito, so that colour-blind eyes tell them apart).
MODE_COLOUR = {
    "vehicle": PALETTE[0],
    "foot": PALETTE[1],
    "boat": PALETTE[5],
    "train": PALETTE[2],
    "bus": PALETTE[4],
    "taxi": "#8a6d00",
    "other": "#52606d",
}
#: Marker symbol, colour, size and legend glyph of each kind of place: shapes tell them apart.
KIND_STYLE = {
    "border_crossing": ("diamond", PALETTE[7], 14, "◆"),
    "river_crossing": ("star-diamond", PALETTE[5], 18, "✦"),
    "safe_house": ("square", PALETTE[4], 13, "■"),
    "meeting_point": ("star", PALETTE[2], 16, "★"),
    "reception_centre": ("cross", PALETTE[0], 14, "✚"),
    "police_station": ("pentagon", "#1d4f91", 13, "⬟"),
    "city": ("circle", "#7b8794", 8, "●"),
    "address": ("circle-open", "#52606d", 10, "○"),
    "other": ("circle-open", "#52606d", 10, "○"),
}
#: Marker symbol, colour and legend glyph of each type of detection; pushbacks stand out.
DETECTION_STYLE = {
    "pushback": ("x", PALETTE[3], "✖"),
    "interception": ("triangle-down", PALETTE[7], "▼"),
    "border_detection": ("triangle-up-open", PALETTE[7], "△"),
    "arrest": ("square-x-open", PALETTE[7], "⊠"),
    "registration": ("circle-cross-open", PALETTE[2], "⊕"),
    "search": ("hexagon-open", PALETTE[7], "⬡"),
    "other": ("circle-x-open", PALETTE[7], "⊗"),
}
TRACK_COLOUR = "#7a1f5c"
MAX_ROUTES = 1000  # routes drawn on the map (the busiest), so the browser stays quick
MAX_TRACK = 1500  # stays of a phone drawn in time order; beyond, positions per cell site
MAX_ROW_POINTS = 400  # points in a row of the timeline before they are counted in bins
TIMELINE_BINS = 200
DETAIL_ROWS = 10
MAP_HEIGHT = 580
MAP_ASPECT = 1.12  # width / height of the map's box, beside the details panel
TIMELINE_HEIGHT = 250


_MODES = ("vehicle", "foot", "boat", "train", "bus", "taxi", "other")
_PLACE_KINDS = (
    "border_crossing",
    "river_crossing",
    "safe_house",
    "meeting_point",
    "reception_centre",
    "police_station",
    "city",
    "address",
    "other",
    "cell_site",
)
_DETECTIONS = (
    "pushback",
    "interception",
    "border_detection",
    "arrest",
    "registration",
    "search",
    "other",
)


def _mode_labels() -> dict[str, str]:
    return {m: mode_label(m) for m in _MODES}


def _kind_labels() -> dict[str, str]:
    return {k: location_kind_label(k) for k in _PLACE_KINDS}


def _detection_labels() -> dict[str, str]:
    return {d: detection_label(d) for d in _DETECTIONS}


def _esc(value) -> str:
    return html.escape(str(value), quote=False)


def _legs_text(n: int) -> str:
    return ngettext("{n} leg", "{n} legs", n).format(n=format_number(n))


def _span(start: str, end: str) -> str:
    """Write a span of time, ``2024-05-14 02:30 – 03:40``, from two written times.

    The written times end with the time of day after a space, in every language
    (:func:`widgets.evidence.format_time`); the date is left out of the end on the same day.

    Examples
    --------
    >>> _span("2024-05-14 02:30", "2024-05-14 03:40")
    '2024-05-14 02:30 – 03:40'
    >>> _span("14 мај 2024, 02:30", "14 мај 2024, 03:40")
    '14 мај 2024, 02:30 – 03:40'
    """
    if not end or end == start:
        return start
    same_day = end.rpartition(" ")[0] == start.rpartition(" ")[0]
    return f"{start} – {end.rpartition(' ')[2] if same_day else end}"


def _when(start, end=None) -> str:
    """Write a time, or a span of time (the second date left out when it is the same day)."""
    return _span(format_time(start), format_time(end))


def _time_texts(times: pd.Series) -> list[str]:
    """Write many times as :func:`widgets.evidence.format_time` does, at once; NaT is ``""``.

    Examples
    --------
    >>> _time_texts(pd.Series(pd.to_datetime(["2024-05-14 03:40:10", None])))
    ['2024-05-14 03:40', '']
    """
    return format_times(times)


def _grade(grade: str) -> str:
    return _("Grade {grade}: {words}").format(grade=grade, words=grade_text(grade))


def _count_text(counts: dict, limit: int = 3) -> str:
    """Write counts as ``"a (3), b (1)"``, the largest first."""
    top = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    parts = [f"{_esc(k)} ({format_number(v)})" for k, v in top[:limit]]
    if len(top) > limit:
        parts.append(_("{n} more").format(n=len(top) - limit))
    return ", ".join(parts)


def _angle(dlon: np.ndarray, dlat: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return the clockwise angle from north on screen, for a map drawn at the right aspect."""
    return np.degrees(np.arctan2(dlon * np.cos(np.radians(lat)), dlat))


def _width(count: np.ndarray) -> np.ndarray:
    """Return the line width of a route of ``count`` legs: 3, 5, 7 or 10 px."""
    return np.select([count >= 100, count >= 10, count >= 2], [10, 7, 5], 3)


def _box(points) -> tuple[float, ...]:
    """Return the map's box around ``points`` (lon, lat): a small margin, the box's aspect."""
    return fit_aspect(bounds_of(points, margin=0.2, minimum=0.6), MAP_ASPECT)


def _markers(x, y, texts, keys, name: str, **marker) -> dict:
    """Return a trace of markers with hover texts and click keys."""
    line = marker.pop("line", {"width": 1, "color": "#ffffff"})
    return {
        "type": "scatter",
        "x": list(x),
        "y": list(y),
        "mode": "markers",
        "marker": {**marker, "line": line},
        "hovertext": list(texts),
        "hoverinfo": "text",
        "customdata": list(keys),
        "name": name,
        "showlegend": False,
    }


def _segments(lon0, lat0, lon1, lat1) -> tuple[list, list]:
    """Return the x and y of line segments in one trace, separated by ``None``."""
    n = len(lon0)
    xs, ys = np.full(3 * n, None, dtype=object), np.full(3 * n, None, dtype=object)
    xs[0::3], xs[1::3], ys[0::3], ys[1::3] = lon0, lon1, lat0, lat1
    return xs.tolist(), ys.tolist()


def _records(frame: pd.DataFrame) -> list:
    """Return the rows of ``frame`` as named tuples, quicker than ``itertuples`` on text."""
    row = namedtuple("Row", frame.columns)
    columns = [frame[c].tolist() for c in frame.columns]
    return [row(*values) for values in zip(*columns, strict=True)]


def _glyph(colour: str, glyph: str, text: str) -> str:
    """Return a legend item: a coloured symbol and its meaning, kept on one line."""
    return (
        f"<span style='white-space:nowrap'><span style='color:{colour}'>{glyph}</span>"
        f"&nbsp;{_esc(text)}</span>"
    )


class _Phase:
    """What the map shows of one phase, computed once: tables, names, texts, the base map."""

    def __init__(self, case: Case):
        self.case = case
        self.users = phone_users(case)
        self.labels = dict(zip(case.entities["id"], case.entities["label"], strict=True))
        self.titles = {
            d: case.text(t)
            for d, t in zip(case.documents["id"], case.documents["title"], strict=True)
        }
        self.locations = case.locations.set_index("id")
        self.legs = route.legs(case)
        self.legs["driver_name"] = self.legs["driver"].map(self.name)
        self._tails: dict[tuple[str, str], str] = {}
        self.legs["text"] = self._leg_texts(self.legs)
        self.places = route.places(case)
        self.places = self.places[self.places["kind"] != "cell_site"].reset_index(drop=True)
        self.detections = route.detections(case)
        self.detections["text"] = self._detection_texts(self.detections)
        self.positions = route.cell_positions(case)
        self.lines = route.tracked_lines(case, self.positions, self.users)
        self.travellers = route.travellers(case, self.legs)
        self.phones_of: dict[str, list[str]] = {}
        for line, user in zip(self.lines["line"], self.lines["user"], strict=True):
            if isinstance(user, str):
                self.phones_of.setdefault(user, []).append(line)
        points = [
            *zip(self.legs["origin_lon"], self.legs["origin_lat"], strict=True),
            *zip(self.legs["destination_lon"], self.legs["destination_lat"], strict=True),
            *zip(self.detections["lon"], self.detections["lat"], strict=True),
        ]
        for frame in (self.places, self.positions):
            points = points or list(zip(frame["lon"], frame["lat"], strict=True))
        self.bounds = _box(points)
        self._bases: dict[tuple, dict] = {}
        times = pd.concat(
            [self.legs["start"], self.legs["end"], self.detections["time"], self.positions["time"]]
        ).dropna()
        self.extent = (times.min(), times.max()) if len(times) else (None, None)

    def base(self, bounds: tuple[float, ...]) -> dict:
        """Return the base map of ``bounds`` as plain data (made once for each box)."""
        if bounds not in self._bases:
            self._bases[bounds] = figure_dict(map_figure(bounds, height=MAP_HEIGHT))
        return self._bases[bounds]

    def name(self, entity) -> str | None:
        if not isinstance(entity, str):
            return None
        return entity_name(self.case, entity, self.users, self.labels)

    def source(self, doc: str) -> str:
        return self.titles.get(doc, doc)

    def _names(self, ids: list[str], limit: int = 4) -> str:
        names = [_esc(self.name(p)) for p in ids[:limit]]
        if len(ids) > limit:
            names.append(_("{n} more").format(n=len(ids) - limit))
        return ", ".join(names)

    def _tail(self, source: str, grade: str) -> str:
        """Return the last lines of a hover text: the source and its grade, in words."""
        key = (source, grade)
        if key not in self._tails:
            text = _("Source: {source}").format(source=_esc(self.source(source)))
            self._tails[key] = f"{text}<br>{_esc(_grade(grade))}"
        return self._tails[key]

    def _leg_texts(self, legs: pd.DataFrame) -> list[str]:
        """Return the hover text of each leg: where, when, who, how many, source and grade."""
        modes = _mode_labels()
        led, aboard = _("led by {p}"), _("{n} people on board")
        named = _("Named on board: {names}")
        out = []
        for leg, start, end in zip(
            _records(legs), _time_texts(legs["start"]), _time_texts(legs["end"]), strict=True
        ):
            facts = []
            if isinstance(leg.driver_name, str):
                facts.append(led.format(p=_esc(leg.driver_name)))
            if isinstance(leg.vehicle, str):
                facts.append(_esc(self.name(leg.vehicle)))
            if leg.people == leg.people:  # not NaN
                facts.append(aboard.format(n=int(leg.people)))
            lines = [
                f"<b>{_esc(leg.origin_name)} → {_esc(leg.destination_name)}</b> "
                f"({_esc(modes.get(leg.mode, leg.mode))})",
                _span(start, end),
            ]
            if facts:
                lines.append(", ".join(facts))
            if leg.passengers:
                lines.append(named.format(names=self._names(leg.passengers)))
            lines.append(self._tail(leg.source, leg.confidence))
            out.append("<br>".join(lines))
        return out

    def _detection_texts(self, det: pd.DataFrame) -> list[str]:
        """Return the hover text of each detection: what, where, when, who, source, grade."""
        types = _detection_labels()
        people = _("{n} people")
        out = []
        for d, when in zip(_records(det), _time_texts(det["time"]), strict=True):
            kind = types.get(d.type, d.type)
            lines = [f"<b>{_esc(kind)}</b>: {_esc(d.name)}", when]
            facts = []
            if d.person_count:
                facts.append(people.format(n=int(d.person_count)))
            if isinstance(d.vehicle, str):
                facts.append(_esc(self.name(d.vehicle)))
            if d.persons:
                facts.append(self._names(d.persons))
            if facts:
                lines.append(", ".join(facts))
            lines.append(self._tail(d.source, d.confidence))
            out.append("<br>".join(lines))
        return out

    def lines_for(self, value: str | None) -> list[str]:
        """Return the phone lines a chooser value stands for: a line, or a person's lines."""
        if not value:
            return []
        if value in set(self.lines["line"]):
            return [value]
        return list(self.phones_of.get(value, []))

    def line_options(self) -> list[tuple[str, str]]:
        options = [(_("No phone"), "")]
        for line, count in zip(self.lines["line"], self.lines["positions"], strict=True):
            text = ngettext("{line} · {n} position", "{line} · {n} positions", count)
            options.append((text.format(line=self.name(line), n=format_number(count)), line))
        for person, lines in sorted(self.phones_of.items(), key=lambda kv: str(self.name(kv[0]))):
            if len(lines) > 1:
                count = int(self.lines.loc[self.lines["line"].isin(lines), "positions"].sum())
                text = _("All phones of {name} · {n} positions")
                options.append(
                    (text.format(name=self.name(person), n=format_number(count)), person)
                )
        return options

    def person_options(self) -> list[tuple[str, str]]:
        options = [(_("Everyone"), "")]
        for pid, role, count in zip(
            self.travellers["id"], self.travellers["role"], self.travellers["legs"], strict=True
        ):
            if role == "passenger":
                text = _("{name} · travelled {legs}")
            else:
                text = _("{name} · drove or guided {legs}")
            options.append((text.format(name=self.name(pid), legs=_legs_text(count)), pid))
        return options


class RouteMap(ipw.VBox):
    """Follow the journeys of a released case on a map of the region, with a timeline.

    The map shows the journey legs (colour by way of travelling, arrows for direction, wider
    for busier routes), the places by kind (border and river crossings, safe houses, meeting
    points, reception centres, towns), the detections (pushbacks, interceptions, arrests...)
    and the cell sites of a chosen phone in time order. Drag across the timeline to show one
    period; choose a person to follow their journeys, or a phone line to follow its cells.
    The base map is drawn from borders shipped with the package: nothing is downloaded.

    Parameters
    ----------
    case : Case or None
        A released case (the team's phase); ``None`` shows a short message.

    Examples
    --------
    >>> from widgets import load_case
    >>> rm = RouteMap(load_case("demo").released(2))
    >>> rm.shown["legs"], rm.shown["detections"]
    (2, 2)
    >>> rm.set_time_range("2024-05-14 02:30", "2024-05-14 04:00")
    >>> rm.shown["legs"], rm.range_text.value.count("2024-05-14")
    (1, 2)
    >>> rm.selected = "P-DRV"  # a person picked in another view
    >>> rm.person.value, rm.line.value
    ('P-DRV', 'PH-DRV')
    """

    selected = traitlets.Unicode(
        None, allow_none=True, help="Id of the person, phone or place in focus."
    )

    def __init__(self, case: Case | None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("casebook-route")
        self.case = case
        #: What the map shows now: numbers of legs, routes, detections, phone positions...
        self.shown = dict.fromkeys(("legs", "routes", "detections", "positions", "stays"), 0)
        if case is None:
            self.children = [ipw.HTML(_("There is nothing to show: the case could not be opened."))]
            self.add_class("casebook-ready")
            return
        self._phases: dict[int, _Phase] = {}
        self._start: pd.Timestamp | None = None
        self._end: pd.Timestamp | None = None
        self._place: str | None = None
        self._detail: tuple[str, str] | None = None
        self._syncing = False
        self._brushing = False
        self._timeline_revision = 0

        phases = [(_("Phase {n}").format(n=p), p) for p in range(1, case.phase + 1)]
        self.phase = ipw.Dropdown(options=phases, value=case.phase, description=_("Phase"))
        wide = ipw.Layout(width="min(30em, 100%)")
        self.person = ipw.Dropdown(description=_("Person"), layout=wide)
        self.line = ipw.Dropdown(description=_("Phone line"), layout=wide)
        self.layers = {
            key: ipw.Checkbox(
                value=True, description=text, indent=False, layout=ipw.Layout(width="auto")
            )
            for key, text in (
                ("legs", _("Journeys")),
                ("places", _("Places")),
                ("detections", _("Detections")),
                ("cells", _("Phone positions")),
            )
        }
        self.map = Chart(height=f"{MAP_HEIGHT}px")
        self.map.add_class("casebook-route-map")
        self.legend = ipw.HTML()
        self.details = ipw.HTML(
            layout=ipw.Layout(
                flex="0 0 32%", max_height="680px", overflow="auto", padding="0 0 0 0.8em"
            )
        )
        self.details.add_class("casebook-route-details")
        self.range_text = ipw.HTML(layout=ipw.Layout(flex="1 1 auto"))
        self.range_text.add_class("casebook-route-range")
        self.reset = ipw.Button(
            description=_("Show all times"),
            icon="undo",
            layout=ipw.Layout(width="auto", flex="0 0 auto"),
        )
        self.timeline = Chart(height=f"{TIMELINE_HEIGHT}px")
        self.timeline.add_class("casebook-route-timeline")
        self.message = ipw.HTML()
        hint = _(
            "Drag across the timeline to show one period on the map; double-click it to show "
            "all times again. Point at a route, a place or a mark for details; click it for the "
            "evidence."
        )
        self.views = ipw.VBox(
            [
                ipw.HBox(
                    [
                        ipw.VBox([self.map, self.legend], layout=ipw.Layout(flex="1 1 68%")),
                        self.details,
                    ]
                ),
                ipw.HBox([self.range_text, self.reset], layout=ipw.Layout(align_items="center")),
                self.timeline,
                ipw.HTML(f"<p class='casebook-muted'>{_esc(hint)}</p>"),
            ]
        )
        self.children = [
            ipw.HBox([self.phase, self.person]),
            ipw.HBox([self.line, *self.layers.values()], layout=ipw.Layout(flex_flow="row wrap")),
            self.message,
            self.views,
        ]

        self._fill_choosers()
        self.phase.observe(self._on_phase, names="value")
        self.person.observe(self._on_person, names="value")
        self.line.observe(self._on_line, names="value")
        for box in self.layers.values():
            box.observe(lambda _c: self._redraw(timeline=False), names="value")
        self.reset.on_click(self._on_reset)
        self.map.on_click(self._on_map_click)
        self.timeline.on_click(self._on_timeline_click)
        self.timeline.on_brush(self._on_brush)
        self.observe(self._selected_elsewhere, names="selected")
        self._redraw()
        # Browser tests and benchmarks wait for this class: the page has finished building.
        self.add_class("casebook-ready")

    # state ---------------------------------------------------------------------
    @property
    def view(self) -> _Phase:
        """What the map shows of the chosen phase (computed once per phase)."""
        number = self.phase.value
        if number not in self._phases:
            self._phases[number] = _Phase(self.case.released(number))
        return self._phases[number]

    @property
    def time_range(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The time range shown, ``(None, None)`` for all times."""
        return self._start, self._end

    @property
    def lines(self) -> list[str]:
        """The phone lines whose cell sites are shown."""
        return self.view.lines_for(self.line.value)

    def set_time_range(self, start=None, end=None) -> None:
        """Show only what happened from ``start`` to ``end``; ``None, None`` shows all times.

        The timeline's brush calls it; so can a test or a benchmark. Times may be timestamps
        or text such as ``"2024-05-14 02:00"``; either end may be ``None`` (open).
        """
        start = None if start is None or pd.isna(start) else pd.Timestamp(start)
        end = None if end is None or pd.isna(end) else pd.Timestamp(end)
        if start is not None and end is not None and end < start:
            start, end = end, start
        if not self._brushing or (start is None and end is None):
            # Not the user's own box on the timeline: clear it, the shaded range shows this one.
            self._timeline_revision += 1
        self._start, self._end = start, end
        self._redraw()

    def _fill_choosers(self) -> None:
        view = self.view
        for box, options in (
            (self.person, view.person_options()),
            (self.line, view.line_options()),
        ):
            keep = box.value
            self._syncing = True
            try:
                box.options = options
                box.value = keep if keep in {v for _t, v in options} else ""
            finally:
                self._syncing = False

    def _quietly(self, box: ipw.Dropdown, value: str) -> None:
        """Set a chooser without treating it as the user's choice."""
        self._syncing = True
        try:
            box.value = value
        finally:
            self._syncing = False

    def _set_selected(self, value: str | None) -> None:
        self._syncing = True
        try:
            self.selected = value
        finally:
            self._syncing = False

    def _choose_lines_of(self, person: str | None) -> None:
        """Show the phones of ``person`` (one line, or all of them), or none."""
        lines = self.view.phones_of.get(person, []) if person else []
        value = "" if not lines else lines[0] if len(lines) == 1 else person
        self._quietly(self.line, value if value in {v for _t, v in self.line.options} else "")

    # events --------------------------------------------------------------------
    def _on_phase(self, _change=None) -> None:
        self._fill_choosers()
        self._redraw()

    def _on_person(self, change) -> None:
        if self._syncing:
            return
        person = change["new"] or None
        self._choose_lines_of(person)
        self._detail = ("person", person) if person else None
        self._set_selected(person)
        self._redraw()

    def _on_line(self, change) -> None:
        if self._syncing:
            return
        value = change["new"] or None
        self._detail = ("line", value) if value else None
        self._set_selected(value)
        self._redraw()

    def _on_brush(self, start, end) -> None:
        self._brushing = True
        try:
            self.set_time_range(start, end)
        finally:
            self._brushing = False

    def _on_reset(self, _button=None) -> None:
        if self.timeline.brush:
            self.timeline.brush = []  # which calls set_time_range(None, None)
        else:
            self.set_time_range(None, None)

    def _selected_elsewhere(self, change) -> None:
        # Another view (linked with link_selection) picked an entity: show it here too.
        entity = change["new"]
        if self._syncing or entity is None:
            return
        view = self.view
        if entity in {v for _t, v in self.person.options if v}:
            self._quietly(self.person, entity)
            self._choose_lines_of(entity)
            self._detail = ("person", entity)
        elif entity in view.phones_of:
            # Someone who did not travel, but whose phones the cell sites place.
            self._quietly(self.person, "")
            self._choose_lines_of(entity)
            self._detail = ("line", self.line.value)
        elif entity in {v for _t, v in self.line.options if v}:
            self._quietly(self.line, entity)
            self._detail = ("line", entity)
        elif entity in view.locations.index:
            self._place = entity
            self._detail = ("place", entity)
            self._redraw(timeline=False)
            return
        else:
            return  # not on the map: nothing to follow
        self._redraw()

    def _on_map_click(self, point: dict) -> None:
        kind, _sep, item = str(point.get("customdata") or "").partition(":")
        if kind == "place":
            self._place = item
            self._set_selected(item)
        elif kind not in {"route", "detections", "cell", "move"}:
            return
        self._detail = (kind, item)
        self._redraw(timeline=False)

    def _on_timeline_click(self, point: dict) -> None:
        kind, _sep, item = str(point.get("customdata") or "").partition(":")
        if kind in {"leg", "det", "pos"}:
            self._detail = (kind, item)
            self._render_details(self._filtered())

    # drawing -------------------------------------------------------------------
    def _filtered(self) -> dict[str, pd.DataFrame]:
        """Return the legs, detections and phone positions of the phase in the time range."""
        view = self.view
        start, end = self.time_range
        lines = self.lines
        positions = view.positions[view.positions["line"].isin(lines)]
        person = self.person.value
        mine = route.journeys_of(view.case, person, view.legs) if person else view.legs.iloc[:0]
        return {
            "legs": route.in_time_range(view.legs, start, end),
            "detections": route.in_time_range(view.detections, start, end),
            "positions": route.in_time_range(positions, start, end),
            "mine": route.in_time_range(mine, start, end),
            "all_positions": positions,
            "all_mine": mine,
        }

    def _redraw(self, timeline: bool = True) -> None:
        view = self.view
        data = self._filtered()
        if view.places.empty and view.legs.empty and view.detections.empty:
            self.views.layout.display = "none"
            self.message.value = "<p><strong>{}</strong></p>".format(
                _esc(_("No journeys, places or detections have been released in this phase."))
            )
            self.details.value = ""
            return
        self.views.layout.display = None
        self.message.value = ""
        # One message for the figure and its revision, so that the page marks what it drew.
        with self.map.hold_sync():
            self.map.draw(self._map_figure(data))
        if timeline:
            figure = self._timeline_figure(data)
            self.timeline.layout.display = None if figure else "none"
            if figure:
                with self.timeline.hold_sync():
                    self.timeline.draw(figure)
        self._render_range()
        self._render_details(data)

    def _render_range(self) -> None:
        start, end = self.time_range
        first, last = self.view.extent
        if first is None:
            when = _("Nothing released in this phase has a date and time to show on a timeline.")
        elif start is None and end is None:
            when = _("Showing all times, {start} to {end}.").format(
                start=format_time(first), end=format_time(last)
            )
        else:
            when = _("Showing {start} to {end}.").format(
                start=format_time(start) or "…", end=format_time(end) or "…"
            )
        shown = self.shown
        legs, det, pos = shown["legs"], shown["detections"], shown["positions"]
        counts = [
            ngettext("{n} leg shown", "{n} legs shown", legs).format(n=format_number(legs)),
            ngettext("{n} detection", "{n} detections", det).format(n=format_number(det)),
        ]
        if self.lines:
            counts.append(
                ngettext("{n} phone position", "{n} phone positions", pos).format(
                    n=format_number(pos)
                )
            )
        text = f"<strong>{_esc(when)}</strong> " + _esc(" · ".join(counts))
        if not (legs or det or pos):
            text += "<br>" + _esc(_("Nothing in the released evidence happened in this time."))
        self.range_text.value = f"<p style='margin:0.3em 1em 0.3em 0'>{text}</p>"
        self.reset.disabled = start is None and end is None

    # the map ---------------------------------------------------------------------
    def _map_figure(self, data: dict[str, pd.DataFrame]) -> dict:
        view = self.view
        traces: list[dict] = []
        legend: list[str] = []
        show = {k: box.value for k, box in self.layers.items()}
        legs, mine, det = data["legs"], data["mine"], data["detections"]
        routes = route.aggregate_legs(legs).head(MAX_ROUTES)
        if show["legs"]:
            person = self.person.value
            traces += self._route_traces(routes, legs, legend, faded=bool(person))
            if person:
                traces += self._route_traces(route.aggregate_legs(mine), mine, [], mine=True)
                legend.append(
                    _glyph(
                        "#1f2933",
                        "▬",
                        _("thick: journeys of {name}").format(name=view.name(person)),
                    )
                )
        bounds = self._focus_bounds(data)
        if show["places"]:
            traces += self._place_traces(view.places, legend, bounds)
        if show["detections"]:
            traces += self._detection_traces(det, legend, bounds)
        track = route.stays(data["positions"])
        if show["cells"] and not track.empty:
            traces += self._track_traces(track, legend)
        if self._place in view.locations.index:
            where = view.locations.loc[self._place]
            focus = _markers([where["lon"]], [where["lat"]], [""], [""], "focus", size=36)
            focus["marker"] = {"symbol": "circle-open", "size": 36, "line": {"width": 3}}
            focus["hoverinfo"] = "skip"
            traces.append(focus)
        self.shown = {
            "legs": len(legs),
            "detections": len(det),
            "positions": len(data["positions"]),
            "routes": len(routes),
            "stays": len(track),
        }
        if show["legs"] and len(routes):
            legend.append(_glyph("#52606d", "━", _("thicker: more legs on that route")))
        self.legend.value = "<div class='casebook-legend'>{}</div>".format(" &nbsp; ".join(legend))
        base = view.base(bounds)
        layout = {
            **base["layout"],
            "showlegend": False,
            "hoverlabel": {"font": {"size": 15}, "align": "left"},
            # The user's zoom stays while the data change, until the phase or the focus does.
            "uirevision": f"map-{self.phase.value}-{bounds}",
        }
        return {"data": base["data"] + traces, "layout": layout}

    def _focus_bounds(self, data: dict[str, pd.DataFrame]) -> tuple[float, ...]:
        """Return the box of the map: the person's journeys and phones, or the whole phase."""
        mine, positions = data["all_mine"], data["all_positions"]
        points = [
            *zip(mine["origin_lon"], mine["origin_lat"], strict=True),
            *zip(mine["destination_lon"], mine["destination_lat"], strict=True),
        ]
        if self.layers["cells"].value and len(positions):
            cells = positions.drop_duplicates("cell")
            points += list(zip(cells["lon"], cells["lat"], strict=True))
        return _box(set(points)) if points else self.view.bounds

    def _route_traces(
        self,
        routes: pd.DataFrame,
        legs: pd.DataFrame,
        legend: list[str],
        faded: bool = False,
        mine: bool = False,
    ) -> list[dict]:
        if routes.empty:
            return []
        modes = _mode_labels()
        widths = _width(routes["count"].to_numpy()) + (4 if mine else 0)
        colours = routes["mode"].map(MODE_COLOUR).fillna(MODE_COLOUR["other"])
        traces = []
        # All the routes of one colour and width are one trace: a few traces, however many legs.
        for (colour, width), group in routes.groupby([colours, widths], sort=True):
            xs, ys = _segments(
                group["origin_lon"].to_numpy(),
                group["origin_lat"].to_numpy(),
                group["destination_lon"].to_numpy(),
                group["destination_lat"].to_numpy(),
            )
            traces.append(
                {
                    "type": "scatter",
                    "x": xs,
                    "y": ys,
                    "mode": "lines",
                    "line": {"color": colour, "width": int(width)},
                    "opacity": 0.3 if faded else 0.9,
                    "hoverinfo": "skip",
                    "name": "journeys",
                    "showlegend": False,
                }
            )
        for mode in dict.fromkeys(routes["mode"]):
            legend.append(
                _glyph(MODE_COLOUR.get(mode, MODE_COLOUR["other"]), "━━➤", modes.get(mode, mode))
            )
        # An arrow a little past the middle of each route points the way the legs went.
        lon0, lat0 = routes["origin_lon"].to_numpy(), routes["origin_lat"].to_numpy()
        lon1, lat1 = routes["destination_lon"].to_numpy(), routes["destination_lat"].to_numpy()
        keys = "route:" + routes["origin"] + "|" + routes["destination"] + "|" + routes["mode"]
        arrows = _markers(
            lon0 + 0.58 * (lon1 - lon0),
            lat0 + 0.58 * (lat1 - lat0),
            self._route_texts(routes, legs),
            keys,
            "directions",
            symbol="arrow",
            size=(widths * 1.4 + 11).tolist(),
            angle=_angle(lon1 - lon0, lat1 - lat0, lat0).round(1).tolist(),
            color=colours.tolist(),
            opacity=0.35 if faded else 1,
        )
        return [*traces, arrows]

    def _route_texts(self, routes: pd.DataFrame, legs: pd.DataFrame) -> list[str]:
        view = self.view
        single = dict(zip(legs["id"], legs["text"], strict=True))
        keys = ["origin", "destination", "mode"]
        busy = routes.loc[routes["count"] > 1, keys]
        many = legs.merge(busy, on=keys) if len(busy) else legs.iloc[:0]
        summary: dict[tuple, dict[str, dict]] = {}
        for column in ("driver_name", "source", "confidence"):
            for (*key, value), n in many.groupby([*keys, column]).size().items():
                summary.setdefault(tuple(key), {}).setdefault(column, {})[value] = n
        out = []
        for row in routes.itertuples(index=False):
            if row.count == 1:
                out.append(single.get(row.ids[0], ""))
                continue
            parts = summary.get((row.origin, row.destination, row.mode), {})
            lines = [
                f"<b>{_esc(row.origin_name)} → {_esc(row.destination_name)}</b> "
                f"({_esc(_mode_labels().get(row.mode, row.mode))})",
                _("{legs}, {start} to {end}").format(
                    legs=_legs_text(row.count),
                    start=format_time(row.first),
                    end=format_time(row.last),
                ),
            ]
            if row.people:
                lines.append(_("{n} people counted on them").format(n=format_number(row.people)))
            if parts.get("driver_name"):
                lines.append(_("Led by: {who}").format(who=_count_text(parts["driver_name"])))
            sources = {view.source(s): n for s, n in parts.get("source", {}).items()}
            if sources:
                lines.append(_("Sources: {what}").format(what=_count_text(sources, 2)))
            grades = parts.get("confidence", {})
            if grades:
                top = max(grades, key=lambda g: (grades[g], g))
                mostly = f" ({_('mostly')})" if len(grades) > 1 else ""
                lines.append(_esc(_grade(top)) + mostly)
            lines.append(f"<i>{_esc(_('Click for the list of legs.'))}</i>")
            out.append("<br>".join(lines))
        return out

    def _place_traces(self, places: pd.DataFrame, legend: list[str], bounds) -> list[dict]:
        kinds = _kind_labels()
        traces = []
        for kind, (symbol, colour, size, glyph) in KIND_STYLE.items():
            group = places[places["kind"] == kind]
            if group.empty:
                continue
            texts = []
            for name, country, note, n_legs, n_det in zip(
                group["name"],
                group["country"],
                group["description"],
                group["legs"],
                group["detections"],
                strict=True,
            ):
                where = kinds[kind] + (f", {country}" if isinstance(country, str) else "")
                lines = [f"<b>{_esc(name)}</b>", _esc(where)]
                if isinstance(note, str) and note:
                    lines.append(_esc(note))
                lines.append(
                    _("{legs}, {det} detections").format(legs=_legs_text(n_legs), det=n_det)
                )
                texts.append("<br>".join(lines))
            open_symbol = "open" in symbol
            traces.append(
                _markers(
                    group["lon"],
                    group["lat"],
                    texts,
                    "place:" + group["id"],
                    kinds[kind],
                    symbol=symbol,
                    size=size,
                    color=colour,
                    line={
                        "width": 2 if open_symbol else 1,
                        "color": colour if open_symbol else "#ffffff",
                    },
                )
            )
            legend.append(_glyph(colour, glyph, kinds[kind]))
        if traces:
            traces.append(_label_trace(places, bounds))
        return traces

    def _detection_traces(self, det: pd.DataFrame, legend: list[str], bounds) -> list[dict]:
        if det.empty:
            return []
        types = _detection_labels()
        summary = (
            det.groupby(["type", "location"], sort=False)
            .agg(
                count=("id", "size"),
                people=("person_count", "sum"),
                first=("time", "min"),
                last=("time", "max"),
                name=("name", "first"),
                lat=("lat", "first"),
                lon=("lon", "first"),
                text=("text", "first"),
            )
            .reset_index()
        )
        # Marks of several types at one place go round it, so that none hides another.
        west, south, east, north = bounds
        many = summary.groupby("location")["type"].transform("size").to_numpy()
        turn = 2 * np.pi * summary.groupby("location").cumcount().to_numpy() / many + np.pi / 4
        step = np.where(many > 1, 0.018 * (east - west), 0)
        summary["lon"] += step * np.cos(turn)
        summary["lat"] += step * np.sin(turn) * math.cos(math.radians((south + north) / 2))
        traces = []
        for kind, (symbol, colour, glyph) in DETECTION_STYLE.items():
            group = summary[summary["type"] == kind]
            if group.empty:
                continue
            texts = []
            for row in group.itertuples(index=False):
                if row.count == 1:
                    texts.append(row.text)
                    continue
                lines = [
                    f"<b>{_esc(types[kind])}</b>: {_esc(row.name)}",
                    _("{n} times, {start} to {end}").format(
                        n=format_number(row.count),
                        start=format_time(row.first),
                        end=format_time(row.last),
                    ),
                ]
                if row.people:
                    lines.append(_("{n} people in all").format(n=format_number(int(row.people))))
                lines.append(f"<i>{_esc(_('Click for the list.'))}</i>")
                texts.append("<br>".join(lines))
            open_symbol = "open" in symbol
            traces.append(
                _markers(
                    group["lon"],
                    group["lat"],
                    texts,
                    "detections:" + group["location"] + "|" + kind,
                    types[kind],
                    symbol=symbol,
                    size=np.minimum(14 + 3 * np.sqrt(group["count"].to_numpy()), 40)
                    .round(1)
                    .tolist(),
                    color=colour,
                    line={
                        "width": 2.5 if open_symbol else 1.5,
                        "color": colour if open_symbol else "#ffffff",
                    },
                )
            )
            legend.append(_glyph(colour, glyph, types[kind]))
        return traces

    def _track_traces(self, track: pd.DataFrame, legend: list[str]) -> list[dict]:
        view = self.view
        names = ", ".join(view.name(line) for line in dict.fromkeys(track["line"]))
        legend.append(
            _glyph(TRACK_COLOUR, "●┈➤", _("phone positions: {lines}").format(lines=names))
        )
        cells = (
            track.groupby(["line", "cell"], sort=False)
            .agg(
                count=("count", "sum"),
                first=("first", "min"),
                last=("last", "max"),
                name=("name", "first"),
                lat=("lat", "first"),
                lon=("lon", "first"),
            )
            .reset_index()
        )
        texts = [
            "<br>".join(
                [
                    f"<b>{_esc(view.name(row.line))}</b>",
                    _esc(row.name),
                    _("{n} calls or messages, {start} to {end}").format(
                        n=format_number(row.count),
                        start=format_time(row.first),
                        end=format_time(row.last),
                    ),
                    f"<i>{_esc(_('Click for the list.'))}</i>",
                ]
            )
            for row in cells.itertuples(index=False)
        ]
        where = _markers(
            cells["lon"],
            cells["lat"],
            texts,
            "cell:" + cells["cell"],
            _("phone positions"),
            symbol="circle",
            size=np.minimum(11 + 2 * np.sqrt(cells["count"].to_numpy()), 34).round(1).tolist(),
            color=TRACK_COLOUR,
            opacity=0.8,
        )
        if len(track) > MAX_TRACK:
            return [where]  # too many moves to follow one by one: where the phone was, how often
        moves = []
        for line, stays in track.groupby("line", sort=False):
            stays = stays.reset_index(drop=True)
            if len(stays) < 2:
                continue
            a, b = stays.iloc[:-1].reset_index(drop=True), stays.iloc[1:].reset_index(drop=True)
            moves.append(
                {
                    "type": "scatter",
                    "x": stays["lon"].tolist(),
                    "y": stays["lat"].tolist(),
                    "mode": "lines",
                    "line": {"color": TRACK_COLOUR, "width": 2.5, "dash": "dot"},
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "name": _("phone moves"),
                }
            )
            texts = [
                "<br>".join(
                    [
                        f"<b>{_esc(view.name(line))}</b>",
                        f"{_esc(x)} → {_esc(y)}",
                        _("last there {t}").format(t=format_time(t0))
                        + " · "
                        + _("next here {t}").format(t=format_time(t1)),
                        _("Source: {source}").format(source=_esc(view.source(src))),
                        _esc(_grade(grade)),
                    ]
                )
                for x, y, t0, t1, src, grade in zip(
                    a["name"],
                    b["name"],
                    a["last"],
                    b["first"],
                    b["source"],
                    b["confidence"],
                    strict=True,
                )
            ]
            lon0, lat0, lon1, lat1 = (
                a["lon"].to_numpy(),
                a["lat"].to_numpy(),
                b["lon"].to_numpy(),
                b["lat"].to_numpy(),
            )
            moves.append(
                _markers(
                    lon0 + 0.5 * (lon1 - lon0),
                    lat0 + 0.5 * (lat1 - lat0),
                    texts,
                    [f"move:{line}|{t}" for t in b["first"]],
                    "phone moves",
                    symbol="arrow",
                    size=15,
                    angle=_angle(lon1 - lon0, lat1 - lat0, lat0).round(1).tolist(),
                    color=TRACK_COLOUR,
                )
            )
        return [*moves, where]

    # the timeline ------------------------------------------------------------------
    def _timeline_figure(self, data: dict[str, pd.DataFrame]) -> dict | None:
        view = self.view
        modes, types = _mode_labels(), _detection_labels()
        colours = {k: c for k, (_s, c, _g) in DETECTION_STYLE.items()}
        det, mine = view.detections, data["all_mine"]

        def legs_row(label: str, legs: pd.DataFrame) -> tuple:
            return (
                label,
                legs["start"],
                legs["mode"].map(MODE_COLOUR).fillna(MODE_COLOUR["other"]),
                legs["mode"].map(modes).fillna(legs["mode"]),
                legs["text"],
                "leg:" + legs["id"],
            )

        rows = [legs_row(_("Journeys"), view.legs)] if len(view.legs) else []
        if len(det):
            rows.append(
                (
                    _("Detections"),
                    det["time"],
                    det["type"].map(colours).fillna(PALETTE[7]),
                    det["type"].map(types).fillna(det["type"]),
                    det["text"],
                    "det:" + det["id"],
                )
            )
        if len(mine):
            rows.append(legs_row(view.name(self.person.value), mine))
        positions = data["all_positions"]
        if len(positions):
            texts = [
                f"<b>{_esc(view.name(line))}</b><br>{_esc(cell)}<br>{format_time(t)}"
                for line, cell, t in zip(
                    positions["line"].head(MAX_ROW_POINTS + 1),
                    positions["name"].head(MAX_ROW_POINTS + 1),
                    positions["time"].head(MAX_ROW_POINTS + 1),
                    strict=True,
                )
            ]
            rows.append(
                (
                    _("Phone"),
                    positions["time"],
                    pd.Series(TRACK_COLOUR, index=positions.index),
                    pd.Series(_("phone positions"), index=positions.index),
                    texts,
                    "pos:" + positions["id"],
                )
            )
        first, last = view.extent
        if not rows or first is None:
            return None
        pad = max((last - first) * 0.02, pd.Timedelta(hours=1))
        labels = [row[0] for row in rows]
        layout = {
            "height": TIMELINE_HEIGHT,
            "margin": {"l": 8, "r": 16, "t": 8, "b": 36},
            "dragmode": "select",
            "selectdirection": "h",
            "hovermode": "closest",
            "showlegend": False,
            "font": {"size": 15},
            "hoverlabel": {"font": {"size": 15}, "align": "left"},
            "plot_bgcolor": "#ffffff",
            "separators": number_separators(),
            "xaxis": {
                "type": "date",
                "range": [str(first - pad), str(last + pad)],
                "gridcolor": "#e4e7eb",
                **date_axis(),
            },
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": labels[::-1],
                "automargin": True,
                "fixedrange": True,
                "range": [-0.6, len(labels) - 0.4],
            },
            "uirevision": f"timeline-{self.phase.value}-{self._timeline_revision}",
            "shapes": self._range_shape(),
        }
        traces = [_timeline_trace(*row, first, last) for row in rows]
        return {"data": traces, "layout": layout}

    def _range_shape(self) -> list[dict]:
        start, end = self.time_range
        if start is None and end is None:
            return []
        first, last = self.view.extent
        return [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": str(start if start is not None else first),
                "x1": str(end if end is not None else last),
                "y0": 0,
                "y1": 1,
                "fillcolor": "rgba(29, 79, 145, 0.14)",
                "line": {"width": 1.5, "color": "#1d4f91"},
                "layer": "below",
            }
        ]

    # the details panel -------------------------------------------------------------
    def _render_details(self, data: dict[str, pd.DataFrame]) -> None:
        out = None
        if self._detail is not None:
            kind, item = self._detail
            out = getattr(self, f"_details_{kind}")(item, data)
        self.details.value = out if out is not None else self._overview(data)

    def _evidence_list(self, rows: list[tuple], total: int) -> str:
        """Write rows of (time, HTML text, source id, grade, description) as a list."""
        view = self.view
        if not rows:
            return "<p class='casebook-muted'>{}</p>".format(_esc(_("None in this time.")))
        items = []
        for when, text, source, grade, note in rows:
            extra = f"<br>{_esc(note)}" if isinstance(note, str) and note else ""
            items.append(
                f"<li><strong>{_esc(when)}</strong> {text}{extra}<br>"
                f"<span class='casebook-muted'>{_esc(view.source(source))} · "
                f"{_esc(_grade(grade))}</span></li>"
            )
        more = ""
        if total > len(items):
            more = "<p class='casebook-muted'>{}</p>".format(
                _esc(_("… and {n} more in this time.").format(n=format_number(total - len(items))))
            )
        return f"<ul class='casebook-evidence'>{''.join(items)}</ul>{more}"

    def _legs_list(self, legs: pd.DataFrame) -> str:
        rows = []
        for leg in legs.head(DETAIL_ROWS).itertuples(index=False):
            mode = _mode_labels().get(leg.mode, leg.mode)
            text = f"{_esc(leg.origin_name)} → {_esc(leg.destination_name)} ({_esc(mode)})"
            if isinstance(leg.driver_name, str):
                text += ", " + _("led by {p}").format(p=_esc(leg.driver_name))
            if pd.notna(leg.people):
                text += ", " + _("{n} people on board").format(n=int(leg.people))
            rows.append(
                (_when(leg.start, leg.end), text, leg.source, leg.confidence, leg.description)
            )
        return self._evidence_list(rows, len(legs))

    def _detections_list(self, det: pd.DataFrame) -> str:
        view = self.view
        rows = []
        for d in det.head(DETAIL_ROWS).itertuples(index=False):
            text = f"{_esc(_detection_labels().get(d.type, d.type))}: {_esc(d.name)}"
            if d.persons:
                text += " — " + view._names(d.persons, 6)
            elif d.person_count:
                text += " — " + _esc(_("{n} people").format(n=int(d.person_count)))
            rows.append((format_time(d.time), text, d.source, d.confidence, d.description))
        return self._evidence_list(rows, len(det))

    def _heading(self, title: str, note: str = "") -> str:
        muted = f"<p class='casebook-muted'>{_esc(note)}</p>" if note else ""
        return f"<h3>{_esc(title)}</h3>{muted}"

    def _overview(self, data: dict[str, pd.DataFrame]) -> str:
        view = self.view
        legs, det = data["legs"], data["detections"]
        crossing = int(legs["crosses_border"].sum())
        parts = [
            self._heading(
                _("On the map"),
                _("{legs} in this time, {k} of them from one country into another.").format(
                    legs=_legs_text(len(legs)), k=format_number(crossing)
                ),
            )
        ]
        ends = pd.concat([legs["origin"], legs["destination"]]).value_counts()
        seen = det["location"].value_counts()
        for kinds, title in (
            (route.CROSSING_KINDS, _("Border and river crossings")),
            (("safe_house",), _("Safe houses")),
        ):
            group = view.places[view.places["kind"].isin(kinds)]
            if group.empty:
                continue
            group = group.assign(
                n_legs=group["id"].map(ends).fillna(0).astype(int),
                n_det=group["id"].map(seen).fillna(0).astype(int),
            ).sort_values(["n_legs", "n_det", "name"], ascending=[False, False, True])
            items = "".join(
                f"<li>{_esc(name)}{' ✦' if kind == 'river_crossing' else ''} "
                "<span class='casebook-muted'>"
                + _esc(
                    _("{legs}, {det} detections").format(legs=_legs_text(a), det=format_number(b))
                )
                + "</span></li>"
                for name, kind, a, b in zip(
                    group["name"], group["kind"], group["n_legs"], group["n_det"], strict=True
                )
            )
            parts.append(f"<h4>{_esc(title)}</h4><ul class='casebook-evidence'>{items}</ul>")
        if len(det):
            types = _detection_labels()
            counts = det["type"].value_counts()
            items = "".join(
                f"<li>{_esc(types.get(k, k))}: {format_number(n)}</li>" for k, n in counts.items()
            )
            title = _esc(_("Detections in this time"))
            parts.append(f"<h4>{title}</h4><ul class='casebook-evidence'>{items}</ul>")
            if "pushback" in counts:
                note = _(
                    "A pushback returns people across a border without an individual "
                    "assessment: ask what happened to them, and to their rights."
                )
                parts.append(f"<p class='casebook-muted'>{_esc(note)}</p>")
        hint = _("Click a route, a place or a mark to see the evidence behind it.")
        parts.append(f"<p class='casebook-muted'>{_esc(hint)}</p>")
        return "".join(parts)

    def _details_route(self, key: str, data) -> str | None:
        origin, destination, mode = (key.split("|") + ["", ""])[:3]
        view = self.view
        if origin not in view.locations.index or destination not in view.locations.index:
            return None
        legs = data["legs"]
        legs = legs[
            (legs["origin"] == origin)
            & (legs["destination"] == destination)
            & (legs["mode"] == mode)
        ]
        title = f"{view.locations.loc[origin, 'name']} → {view.locations.loc[destination, 'name']}"
        note = _("{legs} ({mode}) in this time").format(
            legs=_legs_text(len(legs)), mode=_mode_labels().get(mode, mode)
        )
        return self._heading(title, note) + self._legs_list(legs)

    def _details_detections(self, key: str, data) -> str | None:
        location, _sep, kind = key.partition("|")
        view = self.view
        if location not in view.locations.index:
            return None
        det = data["detections"]
        det = det[(det["location"] == location) & (det["type"] == kind)]
        title = f"{_detection_labels().get(kind, kind)}: {view.locations.loc[location, 'name']}"
        note = _("{n} in this time").format(n=format_number(len(det)))
        return self._heading(title, note) + self._detections_list(det)

    def _details_place(self, location: str, data) -> str | None:
        view = self.view
        if location not in view.locations.index:
            return None
        place = view.locations.loc[location]
        kind = _kind_labels().get(place["kind"], place["kind"])
        if isinstance(place["country"], str):
            kind += f", {place['country']}"
        parts = [self._heading(place["name"], kind)]
        if isinstance(place["description"], str) and place["description"]:
            parts.append(f"<p>{_esc(place['description'])}</p>")
        legs = data["legs"]
        here = legs[(legs["origin"] == location) | (legs["destination"] == location)]
        parts.append(f"<h4>{_esc(_('Journeys from or to here'))}</h4>{self._legs_list(here)}")
        det = data["detections"]
        det = det[det["location"] == location]
        if len(det):
            parts.append(f"<h4>{_esc(_('Detections here'))}</h4>{self._detections_list(det)}")
        return "".join(parts)

    def _details_person(self, person: str, data) -> str | None:
        view = self.view
        rows = view.travellers[view.travellers["id"] == person]
        if rows.empty:
            return None
        status = rows.iloc[0]["status"]
        status = (
            status_label(status) if status in ("migrant", "suspect", "witness", "official") else ""
        )
        parts = [self._heading(view.name(person), status)]
        phones = view.phones_of.get(person, [])
        if phones:
            names = ", ".join(view.name(p) for p in phones)
            parts.append(f"<p>{_esc(_('Phone positions shown: {lines}').format(lines=names))}</p>")
        parts.append(f"<h4>{_esc(_('Journeys in this time'))}</h4>{self._legs_list(data['mine'])}")
        det = data["detections"]
        det = det[[person in ps for ps in det["persons"]]]
        if len(det):
            title = _esc(_("Detections naming this person"))
            parts.append(f"<h4>{title}</h4>{self._detections_list(det)}")
        return "".join(parts)

    def _details_line(self, value: str, data) -> str | None:
        view = self.view
        lines = view.lines_for(value)
        if not lines:
            return None
        positions = data["positions"]
        title = ", ".join(view.name(line) for line in lines)
        if positions.empty:
            return self._heading(title, _("No phone positions in this time."))
        note = _("{n} positions in this time, {start} to {end}; cell sites used: {k}").format(
            n=format_number(len(positions)),
            start=format_time(positions["time"].min()),
            end=format_time(positions["time"].max()),
            k=positions["cell"].nunique(),
        )
        parts = [self._heading(title, note)]
        track = route.stays(positions)
        rows = "".join(
            f"<tr><td>{_esc(_when(a, b))}</td><td>{_esc(n)}</td><td>{format_number(c)}</td></tr>"
            for a, b, n, c in zip(
                track["first"].head(12),
                track["last"].head(12),
                track["name"].head(12),
                track["count"].head(12),
                strict=True,
            )
        )
        head = "".join(f"<th>{_esc(h)}</th>" for h in (_("When"), _("Cell site"), _("Contacts")))
        parts.append(f"<table class='casebook-table'><tr>{head}</tr>{rows}</table>")
        if len(track) > 12:
            more = _("… and {n} more: choose a shorter time.").format(
                n=format_number(len(track) - 12)
            )
            parts.append(f"<p class='casebook-muted'>{_esc(more)}</p>")
        for user in sorted({view.users[line] for line in lines if line in view.users}):
            legs = route.journeys_of(view.case, user, data["legs"])
            title = _("Journeys of {name} in this time").format(name=view.name(user))
            parts.append(f"<h4>{_esc(title)}</h4>{self._legs_list(legs)}")
        return "".join(parts)

    def _details_cell(self, cell: str, data) -> str | None:
        view = self.view
        if cell not in view.locations.index:
            return None
        here = data["positions"][data["positions"]["cell"] == cell]
        note = _("{n} calls or messages of the phone here in this time").format(
            n=format_number(len(here))
        )
        rows = [
            (
                format_time(p.time),
                _("{line}: {kind} with {other}").format(
                    line=_esc(view.name(p.line)), kind=_esc(p.kind), other=_esc(view.name(p.other))
                ),
                p.source,
                p.confidence,
                "",
            )
            for p in here.head(DETAIL_ROWS).itertuples(index=False)
        ]
        return self._heading(view.locations.loc[cell, "name"], note) + self._evidence_list(
            rows, len(here)
        )

    def _details_move(self, _key: str, data) -> str | None:
        return self._details_line(self.line.value, data)

    def _details_leg(self, leg: str, data) -> str | None:
        legs = self.view.legs
        return self._heading(_("Journey leg")) + self._legs_list(legs[legs["id"] == leg])

    def _details_det(self, det: str, data) -> str | None:
        found = self.view.detections
        return self._heading(_("Detection")) + self._detections_list(found[found["id"] == det])

    def _details_pos(self, comm: str, data) -> str | None:
        view = self.view
        hit = data["all_positions"]
        hit = hit[hit["id"] == comm]
        rows = [
            (
                format_time(p.time),
                _("{line} at {cell}: {kind} with {other}").format(
                    line=_esc(view.name(p.line)),
                    cell=_esc(p.name),
                    kind=_esc(p.kind),
                    other=_esc(view.name(p.other)),
                ),
                p.source,
                p.confidence,
                "",
            )
            for p in hit.itertuples(index=False)
        ]
        return self._heading(_("Phone position")) + self._evidence_list(rows, len(rows))


def _timeline_trace(label, times, colours, kinds, texts, keys, first, last) -> dict:
    """Return one row of the timeline: a mark per item, or counts in bins when there are many."""
    if len(times) <= MAX_ROW_POINTS:
        return {
            "type": "scatter",
            "x": times.dt.strftime("%Y-%m-%d %H:%M:%S").tolist(),
            "y": [label] * len(times),
            "mode": "markers",
            "marker": {
                "size": 13,
                "color": colours.tolist(),
                "opacity": 0.85,
                "line": {"width": 1, "color": "#ffffff"},
            },
            "hovertext": list(texts)[: len(times)],
            "hoverinfo": "text",
            "customdata": keys.tolist(),
            "name": label,
        }
    step = max((last - first) / TIMELINE_BINS, pd.Timedelta(minutes=1))
    frame = pd.DataFrame(
        {
            "bin": ((times - first) // step).astype("int64").to_numpy(),
            "colour": colours.to_numpy(),
            "kind": kinds.to_numpy(),
        }
    )
    counts = frame.groupby(["bin", "colour", "kind"], sort=True).size().reset_index(name="n")
    starts = first + counts["bin"] * step
    texts = [
        _("{n} × {kind}").format(n=format_number(n), kind=_esc(k)) + "<br>" + _when(a, a + step)
        for n, k, a in zip(counts["n"], counts["kind"], starts, strict=True)
    ]
    return {
        "type": "scatter",
        "x": (starts + step / 2).dt.strftime("%Y-%m-%d %H:%M:%S").tolist(),
        "y": [label] * len(counts),
        "mode": "markers",
        "marker": {
            "size": (7 + 15 * np.sqrt(counts["n"].to_numpy() / counts["n"].max()))
            .round(1)
            .tolist(),
            "color": counts["colour"].tolist(),
            "opacity": 0.8,
            "line": {"width": 1, "color": "#ffffff"},
        },
        "hovertext": texts,
        "hoverinfo": "text",
        "name": label,
    }


def _label_trace(places: pd.DataFrame, bounds: tuple[float, ...]) -> dict:
    """Name the places that matter most, leaving out those whose names would overlap."""
    west, south, east, north = bounds
    inside = places[places["lon"].between(west, east) & places["lat"].between(south, north)]
    inside = inside.assign(
        busy=-(inside["legs"] + inside["detections"]),
        rank=inside["kind"].map({"border_crossing": 0, "river_crossing": 0, "safe_house": 1}),
    ).sort_values(["busy", "rank", "name"], na_position="last")
    scale = math.cos(math.radians((south + north) / 2))
    # About 8.5 px a letter and 20 px a line, on a map about 600 px wide and 540 px high.
    letter, high = 8.5 / 600 * (east - west) * scale, 20 / 540 * (north - south)
    kept: list[tuple[float, float, float]] = []
    xs, ys, names, sides = [], [], [], []
    for name, lon, lat, busy, kind in zip(
        inside["name"],
        inside["lon"],
        inside["lat"],
        inside["busy"],
        inside["kind"],
        strict=True,
    ):
        if busy == 0 and kind in {"city", "address", "other"}:
            continue
        # Names run to the right of their place, or to the left near the map's east edge.
        left = lon > west + 0.62 * (east - west)
        x, wide = lon * scale, (min(len(name), 26) + 2) * letter
        span = (x - wide, x) if left else (x, x + wide)
        if any(abs(lat - ky) < high and span[0] < kx1 and kx0 < span[1] for kx0, kx1, ky in kept):
            continue
        kept.append((*span, lat))
        xs.append(lon)
        ys.append(lat)
        names.append(name if len(name) <= 26 else name[:25] + "…")
        sides.append("middle left" if left else "middle right")
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        # Invisible markers keep the names clear of the symbols drawn at their places.
        "mode": "markers+text",
        "marker": {"size": 22, "opacity": 0},
        "text": names,
        "textposition": sides,
        "textfont": {"size": 15, "color": "#1f2933", "shadow": "auto"},
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "labels",
    }
