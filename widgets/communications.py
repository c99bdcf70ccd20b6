"""Communications trail of a (released) case: contacts, timelines, activity, swaps and cells."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .analysis import phone_users, shared_devices

if TYPE_CHECKING:
    from .case import Case

__all__ = [
    "WEEKDAYS",
    "contact_table",
    "timeline",
    "activity_matrix",
    "contact_matrix",
    "common_contacts",
    "handset_swaps",
    "cell_track",
    "line_counts",
    "timeline_counts",
    "cell_stays",
]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CONTACT_COLUMNS = ["a", "b", "calls", "messages", "first", "last", "total_duration_s"]
TIMELINE_COLUMNS = ["id", "time", "kind", "caller", "receiver", "duration_s", "content"]


def _touching(comms: pd.DataFrame, lines: Iterable[str]) -> pd.DataFrame:
    """Keep the communications with a caller or a receiver among ``lines``."""
    lines = list(lines)
    return comms[comms["caller"].isin(lines) | comms["receiver"].isin(lines)]


def contact_table(
    case: Case, by: str = "phone", lines: Iterable[str] | None = None
) -> pd.DataFrame:
    """Count the calls and messages of each pair of lines (or persons), in either direction.

    Parameters
    ----------
    case : Case
        A released case.
    by : {"phone", "person"}
        ``"person"`` replaces each phone line by its user where the evidence attributes one
        (:func:`widgets.analysis.phone_users`); other lines stay as phone ids. Contacts between
        two lines of the same person are then dropped.
    lines : iterable of str, optional
        Keep only pairs touching one of these phone lines (or, with ``by="person"``, persons).

    Returns
    -------
    pandas.DataFrame
        Columns ``a``, ``b`` (``a < b``), ``calls``, ``messages``, ``first``, ``last`` and
        ``total_duration_s`` (seconds of calls), busiest pair first, then by ``a`` and ``b``.

    Examples
    --------
    >>> from widgets import load_case
    >>> demo = load_case("demo").released(2)
    >>> contact_table(demo)[["a", "b", "calls", "messages"]].head(2).values.tolist()
    [['PH-DRV', 'PH-ORG2', 1, 7], ['PH-DRV', 'PH-ORG', 1, 5]]
    >>> row = contact_table(demo, by="person").iloc[0]
    >>> row["a"], row["b"], int(row["calls"] + row["messages"]), row["last"]
    ('P-DRV', 'P-ORG', 14, Timestamp('2024-05-14 03:12:00'))
    """
    if by not in ("phone", "person"):
        raise ValueError(f'by must be "phone" or "person", not {by!r}')
    comms = case.communications
    caller, receiver = comms["caller"], comms["receiver"]
    if by == "person":
        users = phone_users(case)
        caller, receiver = (
            caller.map(lambda p: users.get(p, p)),
            receiver.map(lambda p: users.get(p, p)),
        )
    a = np.where(caller <= receiver, caller, receiver)
    b = np.where(caller <= receiver, receiver, caller)
    pairs = pd.DataFrame(
        {
            "a": a,
            "b": b,
            "call": (comms["kind"] == "call").to_numpy(),
            "message": (comms["kind"] == "message").to_numpy(),
            "time": comms["time"].to_numpy(),
            "duration": comms["duration_s"].where(comms["kind"] == "call").to_numpy(),
        }
    )
    keep = pairs["a"] != pairs["b"]
    if lines is not None:
        wanted = list(lines)
        keep &= (
            pairs["a"].isin(wanted)
            | pairs["b"].isin(wanted)
            | comms["caller"].isin(wanted).to_numpy()
            | comms["receiver"].isin(wanted).to_numpy()
        )
    pairs = pairs[keep]
    if pairs.empty:
        return pd.DataFrame(columns=CONTACT_COLUMNS)
    table = (
        pairs.groupby(["a", "b"], sort=False)
        .agg(
            calls=("call", "sum"),
            messages=("message", "sum"),
            first=("time", "min"),
            last=("time", "max"),
            total_duration_s=("duration", "sum"),
        )
        .reset_index()
    )
    table["calls"] = table["calls"].astype("int64")
    table["messages"] = table["messages"].astype("int64")
    table["total_duration_s"] = table["total_duration_s"].round().astype("int64")
    order = (-(table["calls"] + table["messages"])).to_numpy()
    table = table.iloc[np.lexsort((table["b"].to_numpy(), table["a"].to_numpy(), order))]
    return table[CONTACT_COLUMNS].reset_index(drop=True)


def timeline(
    case: Case,
    lines: Iterable[str],
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """List the calls and messages of ``lines`` in time order.

    Parameters
    ----------
    case : Case
        A released case.
    lines : iterable of str
        Phone lines; a communication is kept if one of them calls or receives it.
    since, until : pandas.Timestamp, optional
        Keep only communications at or after ``since`` and before ``until``.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``time``, ``kind``, ``caller``, ``receiver``, ``duration_s``, ``content``.

    Examples
    --------
    >>> from widgets import load_case
    >>> demo = load_case("demo").released(2)
    >>> list(timeline(demo, ["PH-WLK"], since=pd.Timestamp("2024-05-14"))["id"])
    ['C17', 'C18']
    """
    comms = _touching(case.communications, lines)
    if since is not None:
        comms = comms[comms["time"] >= pd.Timestamp(since)]
    if until is not None:
        comms = comms[comms["time"] < pd.Timestamp(until)]
    comms = comms.sort_values(["time", "id"], kind="stable")
    # A case shown in another language carries the translation of each message next to it.
    extra = [c for c in ("content_translation",) if c in comms.columns]
    return comms[TIMELINE_COLUMNS + extra].reset_index(drop=True)


def activity_matrix(case: Case, lines: Iterable[str] | None = None) -> pd.DataFrame:
    """Count calls and messages by weekday and hour of day (the activity pattern).

    Parameters
    ----------
    case : Case
        A released case.
    lines : iterable of str, optional
        Count only the communications of these phone lines (default: all).

    Returns
    -------
    pandas.DataFrame
        7 rows (index ``weekday``: 0 is Monday, see :data:`WEEKDAYS`) by 24 columns
        (``hour`` 0-23) of counts.

    Examples
    --------
    >>> from widgets import load_case
    >>> m = activity_matrix(load_case("demo").released(2), ["PH-WLK"])
    >>> m.shape, int(m.to_numpy().sum()), int(m.loc[1, 2])
    ((7, 24), 5, 1)
    """
    comms = case.communications if lines is None else _touching(case.communications, lines)
    times = comms["time"]
    counts = np.zeros((7, 24), dtype="int64")
    np.add.at(counts, (times.dt.day_of_week.to_numpy(), times.dt.hour.to_numpy()), 1)
    return pd.DataFrame(
        counts,
        index=pd.RangeIndex(7, name="weekday"),
        columns=pd.RangeIndex(24, name="hour"),
    )


def contact_matrix(case: Case, lines: Iterable[str], by: str = "phone") -> pd.DataFrame:
    """Count the calls and messages between each two of ``lines``, in either direction.

    Parameters
    ----------
    case : Case
        A released case.
    lines : iterable of str
        Phone lines or, with ``by="person"``, persons (and phone lines without a known user).
    by : {"phone", "person"}
        ``"person"`` counts a person's calls and messages over all the lines the evidence
        attributes to them (:func:`widgets.analysis.phone_users`).

    Returns
    -------
    pandas.DataFrame
        Square and symmetric, indexed by ``lines`` in the order given; the diagonal is 0.

    Examples
    --------
    >>> from widgets import load_case
    >>> demo = load_case("demo").released(2)
    >>> contact_matrix(demo, ["PH-DRV", "PH-ORG", "PH-WLK"])
            PH-DRV  PH-ORG  PH-WLK
    PH-DRV       0       6       5
    PH-ORG       6       0       0
    PH-WLK       5       0       0
    >>> contact_matrix(demo, ["P-DRV", "P-ORG"], by="person").loc["P-DRV", "P-ORG"]
    np.int64(14)
    """
    if by not in ("phone", "person"):
        raise ValueError(f'by must be "phone" or "person", not {by!r}')
    lines = list(dict.fromkeys(lines))
    matrix = pd.DataFrame(0, index=lines, columns=lines, dtype="int64")
    comms = case.communications
    caller, receiver = comms["caller"], comms["receiver"]
    if by == "person":
        users = phone_users(case)
        caller = caller.map(lambda p: users.get(p, p))
        receiver = receiver.map(lambda p: users.get(p, p))
    keep = caller.isin(lines) & receiver.isin(lines) & (caller != receiver)
    pairs = pd.DataFrame({"caller": caller[keep], "receiver": receiver[keep]})
    counts = pairs.groupby(["caller", "receiver"]).size()
    for (a, b), n in counts.items():
        matrix.loc[a, b] += n
        matrix.loc[b, a] += n
    return matrix


def _contacts(case: Case, line: str) -> set[str]:
    comms = case.communications
    return set(comms.loc[comms["caller"] == line, "receiver"]) | set(
        comms.loc[comms["receiver"] == line, "caller"]
    )


def common_contacts(case: Case, a: str, b: str) -> list[str]:
    """List the lines in contact with both ``a`` and ``b`` (not counting ``a`` and ``b``).

    Examples
    --------
    >>> from widgets import load_case
    >>> common_contacts(load_case("demo").released(2), "PH-ORG", "PH-WLK")
    ['PH-DRV']
    """
    return sorted((_contacts(case, a) & _contacts(case, b)) - {a, b})


def handset_swaps(case: Case) -> list[dict]:
    """Find lines that replaced another in the same handset (IMEI) or with the same SIM.

    Built on :func:`widgets.analysis.shared_devices`; of each pair, the line first used in the
    communications is the old one. A line never used counts as the newer one; if neither was
    used the pair keeps its id order and both times are ``None``.

    Returns
    -------
    list of dict
        Keys ``old``, ``new``, ``kind`` (``"imei"`` or ``"sim"``), ``first_new`` (first
        communication of the new line) and ``last_old`` (last of the old one), ordered by
        ``first_new`` (unknown last).

    Examples
    --------
    >>> from widgets import load_case
    >>> handset_swaps(load_case("demo").released(2))  # doctest: +NORMALIZE_WHITESPACE
    [{'old': 'PH-ORG', 'new': 'PH-ORG2', 'kind': 'imei',
      'first_new': Timestamp('2024-05-10 10:05:00'), 'last_old': Timestamp('2024-05-10 10:02:00')}]
    """
    comms = case.communications
    times = pd.concat(
        [
            comms[["caller", "time"]].rename(columns={"caller": "line"}),
            comms[["receiver", "time"]].rename(columns={"receiver": "line"}),
        ]
    )
    grouped = times.groupby("line")["time"]
    first, last = grouped.min().to_dict(), grouped.max().to_dict()
    never = pd.Timestamp.max
    swaps = []
    for x, y, kind in shared_devices(case):
        old, new = sorted((x, y), key=lambda p: (first.get(p, never), p))
        swaps.append(
            {
                "old": old,
                "new": new,
                "kind": kind,
                "first_new": first.get(new),
                "last_old": last.get(old),
            }
        )
    swaps.sort(key=lambda s: (s["first_new"] is None, s["first_new"] or never, s["old"], s["new"]))
    return swaps


def cell_track(case: Case, line: str) -> pd.DataFrame:
    """Trace the cell sites of ``line`` over time: the movement of the phone.

    A communication counts where the cell of the line's own side is known (``caller_cell``
    when it calls, ``receiver_cell`` when it receives).

    Returns
    -------
    pandas.DataFrame
        Columns ``id`` (the communication), ``time``, ``cell`` (location id), ``name``, ``lat``
        and ``lon``, in time order.

    Examples
    --------
    >>> from widgets import load_case
    >>> track = cell_track(load_case("demo").released(2), "PH-DRV")
    >>> track[["id", "cell", "name"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['C22', 'L-CS1', 'Cell site Gevgelija north'], ['C17', 'L-CS1', 'Cell site Gevgelija north'],
     ['C18', 'L-CS1', 'Cell site Gevgelija north']]
    """
    comms = case.communications
    sides = []
    for side in ("caller", "receiver"):
        rows = comms[(comms[side] == line) & comms[f"{side}_cell"].notna()]
        sides.append(rows[["id", "time", f"{side}_cell"]].rename(columns={f"{side}_cell": "cell"}))
    track = pd.concat(sides, ignore_index=True)
    places = case.locations[["id", "name", "lat", "lon"]].rename(columns={"id": "cell"})
    track = track.merge(places, on="cell", how="left")
    track = track.sort_values(["time", "id"], kind="stable")
    return track[["id", "time", "cell", "name", "lat", "lon"]].reset_index(drop=True)


def line_counts(case: Case) -> pd.Series:
    """Count the calls and messages of every phone line that has any, busiest first.

    Ties are broken by line id, so the order is stable.

    Examples
    --------
    >>> from widgets import load_case
    >>> line_counts(load_case("demo").released(2)).head(3).to_dict()
    {'PH-DRV': 24, 'PH-ORG2': 8, 'PH-ORG': 6}
    """
    comms = case.communications
    counts = pd.concat([comms["caller"], comms["receiver"]]).value_counts()
    if counts.empty:
        return pd.Series(dtype="int64", name="count")
    frame = counts.rename_axis("line").reset_index(name="count")
    frame = frame.sort_values(["count", "line"], ascending=[False, True], kind="stable")
    return frame.set_index("line")["count"].astype("int64")


def timeline_counts(
    case: Case, lines: Iterable[str] | None = None, freq: str = "D"
) -> pd.DataFrame:
    """Count calls and messages per period (an hour, a day...): a timeline too busy for points.

    Parameters
    ----------
    case : Case
        A released case.
    lines : iterable of str, optional
        Count only the communications of these phone lines (default: all).
    freq : str
        A pandas frequency such as ``"h"``, ``"6h"``, ``"D"`` or ``"7D"``.

    Returns
    -------
    pandas.DataFrame
        Index ``time`` (start of each period, every period from the first to the last, empty
        ones included); columns ``calls`` and ``messages``.

    Examples
    --------
    >>> from widgets import load_case
    >>> counts = timeline_counts(load_case("demo").released(2), ["PH-ORG2"])
    >>> counts.loc["2024-05-13":"2024-05-14"]  # doctest: +NORMALIZE_WHITESPACE
                calls  messages
    time
    2024-05-13      0         3
    2024-05-14      1         1
    """
    comms = case.communications if lines is None else _touching(case.communications, lines)
    frame = pd.DataFrame(
        {
            "time": comms["time"].to_numpy(),
            "calls": (comms["kind"] == "call").to_numpy().astype("int64"),
            "messages": (comms["kind"] == "message").to_numpy().astype("int64"),
        }
    )
    if frame.empty:
        out = pd.DataFrame(
            {"calls": pd.Series(dtype="int64"), "messages": pd.Series(dtype="int64")}
        )
        out.index = pd.DatetimeIndex([], name="time")
        return out
    return frame.resample(freq, on="time").sum().astype("int64")


def cell_stays(case: Case, line: str) -> pd.DataFrame:
    """Summarise the cell track of ``line`` as stays: runs of communications through one cell.

    Consecutive communications through the same cell make one stay, so a phone that stays
    in a town for a week is one point, and each move to another cell starts a new one.

    Returns
    -------
    pandas.DataFrame
        Columns ``cell``, ``name``, ``lat``, ``lon``, ``first`` and ``last`` (times of the
        first and last communication of the stay) and ``count``, in time order.

    Examples
    --------
    >>> from widgets import load_case
    >>> stays = cell_stays(load_case("demo").released(2), "PH-WLK")
    >>> stays[["cell", "first", "last", "count"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['L-CS1', Timestamp('2024-05-04 12:10:00'), Timestamp('2024-05-14 02:05:00'), 4]]
    """
    track = cell_track(case, line)
    columns = ["cell", "name", "lat", "lon", "first", "last", "count"]
    if track.empty:
        return pd.DataFrame(columns=columns)
    run = (track["cell"] != track["cell"].shift()).cumsum()
    stays = track.groupby(run, sort=True).agg(
        cell=("cell", "first"),
        name=("name", "first"),
        lat=("lat", "first"),
        lon=("lon", "first"),
        first=("time", "min"),
        last=("time", "max"),
        count=("id", "size"),
    )
    stays["count"] = stays["count"].astype("int64")
    return stays[columns].reset_index(drop=True)
