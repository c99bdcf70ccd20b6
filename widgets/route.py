"""The route of a (released) case: journey legs, border crossings, places, detections, cells.

Pure functions: each takes a :class:`~widgets.case.Case` (already released to a phase) and
returns a pandas DataFrame, vectorised so that a case of 100,000 events stays quick. The
:class:`~widgets.RouteMap` draws what they return; the tests check them on the demo case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .analysis import phone_users

if TYPE_CHECKING:
    from .case import Case

__all__ = [
    "CROSSING_KINDS",
    "MODES",
    "aggregate_legs",
    "border_crossings",
    "cell_positions",
    "crossing_legs",
    "detections",
    "in_time_range",
    "journeys_of",
    "legs",
    "places",
    "stays",
    "tracked_lines",
    "travellers",
]

#: Ways of travelling a leg, in the order a legend lists them.
MODES = ("vehicle", "foot", "boat", "train", "bus", "taxi", "other")
#: Kinds of location where a route crosses a border.
CROSSING_KINDS = ("border_crossing", "river_crossing")

LEG_COLUMNS = [
    "id",
    "start",
    "end",
    "origin",
    "destination",
    "origin_name",
    "destination_name",
    "origin_lat",
    "origin_lon",
    "destination_lat",
    "destination_lon",
    "origin_country",
    "destination_country",
    "crosses_border",
    "at_crossing",
    "mode",
    "vehicle",
    "driver",
    "passengers",
    "passenger_count",
    "people",
    "source",
    "confidence",
    "description",
    "phase",
]
PLACE_COLUMNS = [
    "id",
    "name",
    "kind",
    "lat",
    "lon",
    "country",
    "description",
    "phase",
    "legs",
    "detections",
]
DETECTION_COLUMNS = [
    "id",
    "time",
    "type",
    "location",
    "name",
    "kind",
    "lat",
    "lon",
    "country",
    "vehicle",
    "persons",
    "person_count",
    "source",
    "confidence",
    "description",
    "phase",
]
POSITION_COLUMNS = [
    "id",
    "time",
    "line",
    "other",
    "kind",
    "cell",
    "name",
    "lat",
    "lon",
    "source",
    "confidence",
    "phase",
]
ROUTE_COLUMNS = [
    "origin",
    "destination",
    "mode",
    "count",
    "people",
    "first",
    "last",
    "origin_name",
    "destination_name",
    "origin_lat",
    "origin_lon",
    "destination_lat",
    "destination_lon",
    "crosses_border",
    "ids",
]
STAY_COLUMNS = [
    "line",
    "cell",
    "name",
    "lat",
    "lon",
    "first",
    "last",
    "count",
    "ids",
    "source",
    "confidence",
]


def _place_columns(case: Case, prefix: str) -> pd.DataFrame:
    loc = case.locations[["id", "name", "lat", "lon", "country"]]
    return loc.rename(columns={c: f"{prefix}_{c}" if c != "id" else prefix for c in loc.columns})


def legs(case: Case) -> pd.DataFrame:
    """Return the journey legs (trips) with the places they join, in time order.

    Returns
    -------
    pandas.DataFrame
        One row per trip: ``id``, ``start``, ``end``, ``origin`` and ``destination`` (location
        ids) with their ``*_name``, ``*_lat``, ``*_lon`` and ``*_country``; ``crosses_border``
        (the two places are in different countries), ``at_crossing`` (the leg starts or ends
        at a border or river crossing), ``mode``, ``vehicle``, ``driver``, ``passengers``
        (list of person ids), ``passenger_count``, ``people`` (the count, or failing it the
        passengers named), ``source``, ``confidence``, ``description`` and ``phase``.

    Examples
    --------
    >>> from widgets import load_case
    >>> demo = legs(load_case("demo").released(1))
    >>> demo[["id", "origin_name", "destination_name", "mode"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['T1', 'Idomeni', 'Gevgelija border area', 'foot'],
     ['T2', 'Gevgelija border area', 'A1 motorway near Negotino', 'vehicle']]
    >>> demo["crosses_border"].tolist(), demo["at_crossing"].tolist()
    ([True, False], [True, True])
    """
    trips = case.trips
    out = trips.merge(_place_columns(case, "origin"), on="origin", how="left")
    out = out.merge(_place_columns(case, "destination"), on="destination", how="left")
    kinds = case.locations.set_index("id")["kind"]
    crossing = set(kinds.index[kinds.isin(CROSSING_KINDS)])
    out["crosses_border"] = (
        out["origin_country"].notna()
        & out["destination_country"].notna()
        & (out["origin_country"] != out["destination_country"])
    )
    out["at_crossing"] = out["origin"].isin(crossing) | out["destination"].isin(crossing)
    named = out["passengers"].map(len)
    out["people"] = out["passenger_count"].where(out["passenger_count"].notna(), named)
    out["people"] = out["people"].where(out["people"] > 0)
    out = out.sort_values(["start", "id"], kind="stable")
    return out[LEG_COLUMNS].reset_index(drop=True)


def crossing_legs(case: Case) -> pd.DataFrame:
    """Return the legs that go from one country into another (columns of :func:`legs`).

    Examples
    --------
    >>> from widgets import load_case
    >>> out = crossing_legs(load_case("demo"))
    >>> out[["id", "origin_country", "destination_country"]].values.tolist()
    [['T1', 'GR', 'MK']]
    """
    out = legs(case)
    return out[out["crosses_border"]].reset_index(drop=True)


def _counts(values: pd.Series) -> pd.Series:
    return values.value_counts() if len(values) else pd.Series(dtype="int64")


def places(case: Case, kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """Return the released places, with how many legs and detections each one has.

    Parameters
    ----------
    case : Case
        A released case.
    kinds : iterable of str, optional
        Keep only these kinds of location (``"safe_house"``, ``"border_crossing"``...).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``kind``, ``lat``, ``lon``, ``country``, ``description``, ``phase``,
        ``legs`` (legs that start or end there) and ``detections``, ordered by kind and name.

    Examples
    --------
    >>> from widgets import load_case
    >>> safe = places(load_case("demo"), kinds=["safe_house"])
    >>> safe[["id", "name", "legs"]].values.tolist()
    [['L-SKP', 'Skopje apartment (Gazi Baba)', 0]]
    >>> places(load_case("demo")).set_index("id").loc["L-NEG", ["legs", "detections"]].tolist()
    [1, 2]
    """
    loc = case.locations
    if kinds is not None:
        loc = loc[loc["kind"].isin(list(kinds))]
    ends = pd.concat([case.trips["origin"], case.trips["destination"]], ignore_index=True)
    out = loc.assign(
        legs=loc["id"].map(_counts(ends)).fillna(0).astype("int64"),
        detections=loc["id"].map(_counts(case.detections["location"])).fillna(0).astype("int64"),
    )
    out = out.sort_values(["kind", "name", "id"], kind="stable")
    return out[PLACE_COLUMNS].reset_index(drop=True)


def border_crossings(case: Case) -> pd.DataFrame:
    """Return the border and river crossings, busiest first (columns of :func:`places`).

    Examples
    --------
    >>> from widgets import load_case
    >>> border_crossings(load_case("demo"))[["id", "legs"]].values.tolist()
    [['L-GEV', 2], ['L-TAB', 0]]
    """
    out = places(case, kinds=CROSSING_KINDS)
    order = np.lexsort((out["id"].to_numpy(), -(out["legs"] + out["detections"]).to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def detections(case: Case, types: Iterable[str] | None = None) -> pd.DataFrame:
    """Return the detections (pushbacks, interceptions, arrests...) where they happened.

    Parameters
    ----------
    case : Case
        A released case.
    types : iterable of str, optional
        Keep only these types of detection (``"pushback"``, ``"interception"``...).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``time``, ``type``, ``location`` with its ``name``, ``kind``, ``lat``, ``lon``
        and ``country``; ``vehicle``, ``persons`` (list), ``person_count``, ``source``,
        ``confidence``, ``description`` and ``phase``, in time order.

    Examples
    --------
    >>> from widgets import load_case
    >>> det = detections(load_case("demo"))
    >>> det[["id", "type", "name", "lat", "lon"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['DET1', 'interception', 'A1 motorway near Negotino', 41.4835, 22.0917],
     ['DET2', 'arrest', 'A1 motorway near Negotino', 41.4835, 22.0917]]
    """
    det = case.detections
    if types is not None:
        det = det[det["type"].isin(list(types))]
    loc = case.locations[["id", "name", "kind", "lat", "lon", "country"]]
    out = det.merge(loc.rename(columns={"id": "location"}), on="location", how="left")
    out = out.sort_values(["time", "id"], kind="stable")
    return out[DETECTION_COLUMNS].reset_index(drop=True)


def cell_positions(case: Case, lines: Iterable[str] | None = None) -> pd.DataFrame:
    """Return where phone lines were, by the cell site of each call or message, in time order.

    A communication places a line where the cell of its own side is known (``caller_cell``
    when it calls, ``receiver_cell`` when it receives); a call between two known cells places
    both lines, the caller first. :func:`widgets.communications.cell_track` is the same for
    one line.

    Parameters
    ----------
    case : Case
        A released case.
    lines : iterable of str, optional
        Keep only these phone lines (default: every line with a known cell).

    Returns
    -------
    pandas.DataFrame
        ``id`` (the communication), ``time``, ``line``, ``other`` (the other party's line),
        ``kind`` (call or message), ``cell`` (location id) with its ``name``, ``lat`` and
        ``lon``, ``source``, ``confidence`` and ``phase``.

    Examples
    --------
    >>> from widgets import load_case
    >>> pos = cell_positions(load_case("demo"))
    >>> pos[["id", "line", "cell"]].head(3).values.tolist()
    [['C05', 'PH-WLK', 'L-CS1'], ['C22', 'PH-WLK', 'L-CS1'], ['C22', 'PH-DRV', 'L-CS1']]
    >>> len(pos), len(cell_positions(load_case("demo"), ["PH-DRV"]))
    (7, 3)
    """
    comms = case.communications
    wanted = None if lines is None else list(lines)
    sides = []
    for side, other in (("caller", "receiver"), ("receiver", "caller")):
        keep = comms[f"{side}_cell"].notna()
        if wanted is not None:
            keep &= comms[side].isin(wanted)
        rows = comms.loc[
            keep,
            ["id", "time", side, other, "kind", f"{side}_cell", "source", "confidence", "phase"],
        ]
        sides.append(rows.rename(columns={side: "line", other: "other", f"{side}_cell": "cell"}))
    track = pd.concat(sides, ignore_index=True)
    loc = case.locations[["id", "name", "lat", "lon"]].rename(columns={"id": "cell"})
    track = track.merge(loc, on="cell", how="left")
    # In time order; at the same time, as in the case's table (a sort on text is slow).
    track = track.iloc[np.argsort(track["time"].to_numpy(), kind="stable")]
    return track[POSITION_COLUMNS].reset_index(drop=True)


def tracked_lines(
    case: Case, positions: pd.DataFrame | None = None, users: dict[str, str] | None = None
) -> pd.DataFrame:
    """Return the phone lines with cell-site positions, most positions first.

    Parameters
    ----------
    case : Case
        A released case.
    positions : pandas.DataFrame, optional
        :func:`cell_positions` of the case, when the caller has it already.
    users : dict, optional
        :func:`widgets.analysis.phone_users` of the case, when the caller has it already.

    Returns
    -------
    pandas.DataFrame
        ``line``, ``user`` (per the released evidence, or missing), ``positions``, ``cells``
        (distinct cell sites), ``first`` and ``last``.

    Examples
    --------
    >>> from widgets import load_case
    >>> tracked_lines(load_case("demo"))[["line", "user", "positions", "cells"]].values.tolist()
    [['PH-WLK', 'P-WLK', 4, 1], ['PH-DRV', 'P-DRV', 3, 1]]
    """
    pos = cell_positions(case) if positions is None else positions
    columns = ["line", "user", "positions", "cells", "first", "last"]
    if pos.empty:
        return pd.DataFrame(columns=columns)
    grouped = pos.groupby("line", sort=False)
    out = grouped.agg(
        positions=("id", "size"),
        cells=("cell", "nunique"),
        first=("time", "min"),
        last=("time", "max"),
    ).reset_index()
    out["user"] = out["line"].map(phone_users(case) if users is None else users)
    order = np.lexsort((out["line"].to_numpy(), -out["positions"].to_numpy()))
    return out.iloc[order][columns].reset_index(drop=True)


def journeys_of(case: Case, person: str, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the legs on which ``person`` travelled, as driver (or guide) or as passenger.

    Parameters
    ----------
    case : Case
        A released case.
    person : str
        A person id.
    table : pandas.DataFrame, optional
        :func:`legs` of the case, when the caller has it already.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`legs` and ``role`` (``"driver"`` or ``"passenger"``).

    Examples
    --------
    >>> from widgets import load_case
    >>> demo = load_case("demo")
    >>> journeys_of(demo, "P-M2")[["id", "role"]].values.tolist()
    [['T1', 'passenger'], ['T2', 'passenger']]
    >>> journeys_of(demo, "P-WLK")[["id", "role"]].values.tolist()
    [['T1', 'driver']]
    >>> journeys_of(demo, "P-ORG").empty
    True
    """
    table = legs(case) if table is None else table
    drives = (table["driver"] == person).to_numpy()
    rides = np.fromiter((person in ps for ps in table["passengers"]), bool, len(table))
    out = table[drives | rides].copy()
    out["role"] = np.where(drives[drives | rides], "driver", "passenger")
    return out.reset_index(drop=True)


def travellers(case: Case, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the people who drive, guide or travel on the legs, with how many legs each.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``status``, ``role`` (``"driver"``, ``"passenger"`` or ``"both"``),
        ``legs``, ``first`` and ``last``; drivers and guides first, then by name.

    Examples
    --------
    >>> from widgets import load_case
    >>> out = travellers(load_case("demo").released(1))
    >>> out[["id", "role", "legs"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['P-DRV', 'driver', 1], ['P-WLK', 'driver', 1], ['P-M1', 'passenger', 2],
     ['P-M2', 'passenger', 2], ['P-M3', 'passenger', 2]]
    """
    table = legs(case) if table is None else table
    columns = ["id", "name", "status", "role", "legs", "first", "last"]
    driven = table.loc[table["driver"].notna(), ["driver", "start"]].rename(
        columns={"driver": "id"}
    )
    driven["role"] = "driver"
    riders = table[["passengers", "start"]].explode("passengers").dropna(subset=["passengers"])
    riders = riders.rename(columns={"passengers": "id"})
    riders["role"] = "passenger"
    both = pd.concat([driven, riders], ignore_index=True)
    if both.empty:
        return pd.DataFrame(columns=columns)
    out = (
        both.groupby("id")
        .agg(
            legs=("start", "size"),
            first=("start", "min"),
            last=("start", "max"),
            roles=("role", lambda r: "both" if r.nunique() > 1 else r.iloc[0]),
        )
        .reset_index()
        .rename(columns={"roles": "role"})
    )
    persons = case.persons.set_index("id")
    out["name"] = out["id"].map(persons["name"])
    out["status"] = out["id"].map(persons["status"])
    rank = out["role"].map({"driver": 0, "both": 1, "passenger": 2}).to_numpy()
    order = np.lexsort((out["id"].to_numpy(), out["name"].to_numpy(), rank))
    return out.iloc[order][columns].reset_index(drop=True)


def in_time_range(
    frame: pd.DataFrame, start: pd.Timestamp | str | None, end: pd.Timestamp | str | None
) -> pd.DataFrame:
    """Keep the rows of ``frame`` that fall in the time range from ``start`` to ``end``.

    A table with ``start`` and ``end`` columns (the legs) keeps the rows whose interval
    overlaps the range (a leg without an end is a moment); any other keeps the rows whose
    ``time`` is in the range, both ends included. ``None`` leaves that side open.

    Examples
    --------
    >>> from widgets import load_case
    >>> demo = load_case("demo")
    >>> list(in_time_range(legs(demo), "2024-05-14 02:20", "2024-05-14 02:25")["id"])
    []
    >>> list(in_time_range(legs(demo), "2024-05-14 02:00", None)["id"])
    ['T1', 'T2']
    >>> list(in_time_range(detections(demo), None, "2024-05-14 03:50")["id"])
    ['DET1']
    """
    start = None if start is None else pd.Timestamp(start)
    end = None if end is None else pd.Timestamp(end)
    if start is not None and end is not None and end < start:
        start, end = end, start
    keep = np.ones(len(frame), bool)
    if "start" in frame.columns and "time" not in frame.columns:
        first = frame["start"]
        last = frame["end"].where(frame["end"].notna(), first) if "end" in frame else first
    else:
        first = last = frame["time"]
    if start is not None:
        keep &= (last >= start).to_numpy()
    if end is not None:
        keep &= (first <= end).to_numpy()
    return frame[keep]


def aggregate_legs(table: pd.DataFrame) -> pd.DataFrame:
    """Join the legs between the same two places, by the same mode, into one route each.

    Parameters
    ----------
    table : pandas.DataFrame
        Legs, as :func:`legs` returns them (or a part of them).

    Returns
    -------
    pandas.DataFrame
        ``origin``, ``destination``, ``mode``, ``count`` (legs), ``people`` (sum of the known
        numbers of people), ``first`` (earliest start), ``last`` (latest end or start), the
        places' names and coordinates, ``crosses_border`` and ``ids`` (the legs, in time
        order); busiest route first.

    Examples
    --------
    >>> from widgets import load_case
    >>> routes = aggregate_legs(legs(load_case("demo")))
    >>> routes[["origin", "destination", "mode", "count", "people"]].values.tolist()
    [['L-GEV', 'L-NEG', 'vehicle', 1, 9], ['L-IDO', 'L-GEV', 'foot', 1, 9]]
    """
    if table.empty:
        return pd.DataFrame(columns=ROUTE_COLUMNS)
    work = table.assign(
        _last=table["end"].where(table["end"].notna(), table["start"]),
        _people=table["people"].fillna(0),
    )
    keys = ["origin", "destination", "mode"]
    grouped = work.groupby(keys, sort=False)
    out = grouped.agg(
        count=("id", "size"),
        people=("_people", "sum"),
        first=("start", "min"),
        last=("_last", "max"),
        origin_name=("origin_name", "first"),
        destination_name=("destination_name", "first"),
        origin_lat=("origin_lat", "first"),
        origin_lon=("origin_lon", "first"),
        destination_lat=("destination_lat", "first"),
        destination_lon=("destination_lon", "first"),
        crosses_border=("crosses_border", "any"),
        ids=("id", list),
    ).reset_index()
    out["people"] = out["people"].round().astype("int64")
    order = np.lexsort(
        (
            out["mode"].to_numpy(),
            out["destination"].to_numpy(),
            out["origin"].to_numpy(),
            -out["count"].to_numpy(),
        )
    )
    return out.iloc[order][ROUTE_COLUMNS].reset_index(drop=True)


def stays(positions: pd.DataFrame) -> pd.DataFrame:
    """Join the consecutive positions of a line at the same cell site into one stay.

    Parameters
    ----------
    positions : pandas.DataFrame
        Cell positions, as :func:`cell_positions` returns them, in time order.

    Returns
    -------
    pandas.DataFrame
        ``line``, ``cell``, ``name``, ``lat``, ``lon``, ``first`` and ``last`` (times),
        ``count`` (communications), ``ids``, and the ``source`` and ``confidence`` of the
        first of them; ordered by line and then time.

    Examples
    --------
    >>> from widgets import load_case
    >>> out = stays(cell_positions(load_case("demo"), ["PH-DRV"]))
    >>> out[["line", "cell", "count"]].values.tolist()
    [['PH-DRV', 'L-CS1', 3]]
    """
    if positions.empty:
        return pd.DataFrame(columns=STAY_COLUMNS)
    pos = positions.sort_values(["line", "time", "id"], kind="stable")
    line, cell = pos["line"].to_numpy(), pos["cell"].to_numpy()
    new = np.ones(len(pos), bool)
    new[1:] = (line[1:] != line[:-1]) | (cell[1:] != cell[:-1])
    run = np.cumsum(new)
    out = (
        pos.assign(_run=run)
        .groupby("_run", sort=True)
        .agg(
            line=("line", "first"),
            cell=("cell", "first"),
            name=("name", "first"),
            lat=("lat", "first"),
            lon=("lon", "first"),
            first=("time", "min"),
            last=("time", "max"),
            count=("id", "size"),
            ids=("id", list),
            source=("source", "first"),
            confidence=("confidence", "first"),
        )
    )
    return out[STAY_COLUMNS].reset_index(drop=True)
