"""Evidence in words: readable sentences for events and links, grades explained, search."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .analysis import phone_users
from .i18n import DEFAULT_LANGUAGE, _, format_datetime, format_number, get_language
from .labels import channel_label, detection_label, lower_first, mode_label, relation_label

if TYPE_CHECKING:
    from .case import Case

__all__ = [
    "format_time",
    "format_times",
    "grade_text",
    "entity_name",
    "entity_namer",
    "evidence_rows",
    "search",
]

EVIDENCE_TABLES = ("communications", "payments", "trips", "detections", "links")


def grade_text(grade: str) -> str:
    """Explain a 4x4 confidence grade in words.

    Examples
    --------
    >>> grade_text("B2")
    'source usually reliable; information known personally to the source'
    """
    source = {
        "A": _("source reliable"),
        "B": _("source usually reliable"),
        "C": _("source not usually reliable"),
        "X": _("source reliability cannot be judged"),
    }
    info = {
        "1": _("information known to be true"),
        "2": _("information known personally to the source"),
        "3": _("information not known personally to the source, but corroborated"),
        "4": _("information cannot be judged"),
    }
    grade = str(grade)
    return f"{source.get(grade[:1], grade)}; {info.get(grade[1:], '')}".strip("; ")


def _labels(case: Case) -> dict[str, str]:
    return dict(zip(case.entities["id"], case.entities["label"], strict=True))


def entity_name(
    case: Case,
    entity_id: str | None,
    users: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
) -> str:
    """Return how an entity reads in a sentence: its name, or a number and its known user.

    Examples
    --------
    >>> from widgets import load_case
    >>> case = load_case("demo").released(2)
    >>> entity_name(case, "PH-ORG2")
    '+38163000904 (Besnik Marku)'
    >>> entity_name(case, "P-DRV")
    'Dragan Kostovski'
    """
    if entity_id is None or (isinstance(entity_id, float) and pd.isna(entity_id)):
        return _("unknown")
    labels = _labels(case) if labels is None else labels
    label = labels.get(entity_id, entity_id)
    users = phone_users(case) if users is None else users
    user = users.get(entity_id)
    return f"{label} ({labels.get(user, user)})" if user else label


def format_time(value) -> str:
    """Return a time as participants read it, to the minute; empty when unknown.

    English keeps the investigators' ``2024-05-14 03:40``; another language writes the date its
    own way (:func:`widgets.i18n.format_datetime`), e.g. ``14 мај 2024, 03:40`` in Macedonian.

    Examples
    --------
    >>> format_time(pd.Timestamp("2024-05-14 03:40")), format_time(None)
    ('2024-05-14 03:40', '')
    """
    if value is None or pd.isna(value):
        return ""
    value = pd.Timestamp(value)
    if get_language() == DEFAULT_LANGUAGE:
        return value.strftime("%Y-%m-%d %H:%M")
    return format_datetime(value.floor("min").to_pydatetime())


def format_times(times) -> list[str]:
    """Write many times as :func:`format_time` does, at once; an unknown time is ``""``.

    Examples
    --------
    >>> format_times(pd.Series(pd.to_datetime(["2024-05-14 03:40:10", None])))
    ['2024-05-14 03:40', '']
    """
    values = pd.Series(times)
    if not len(values):
        return []
    text = np.datetime_as_string(
        pd.to_datetime(values).to_numpy(dtype="datetime64[m]"), unit="m"
    ).tolist()
    if get_language() == DEFAULT_LANGUAGE:
        return [t.replace("T", " ") if t != "NaT" else "" for t in text]
    written: dict[str, str] = {"NaT": ""}
    out = []
    for t in text:
        if t not in written:
            written[t] = format_datetime(pd.Timestamp(t).to_pydatetime())
        out.append(written[t])
    return out


def _notna(value) -> bool:
    return value is not None and value == value and value is not pd.NaT


def _sentences(table: str, col, name) -> list[str]:
    """Return the sentence of every row of an evidence table.

    ``col(column)`` gives a column as a list (``None`` throughout when the table lacks it);
    ``name(value)`` reads an entity reference.
    """
    if table == "communications":
        call, message, seconds = (
            _("Call from {a} to {b}"),
            _("Message from {a} to {b}"),
            _("({s} s)"),
        )
        out = []
        translated = _("translation: “{text}”")
        for kind, a, b, duration, content, translation in zip(
            col("kind"),
            col("caller"),
            col("receiver"),
            col("duration_s"),
            col("content"),
            col("content_translation"),
            strict=True,
        ):
            if kind == "call":
                text = call.format(a=name(a), b=name(b))
                if _notna(duration):
                    text += " " + seconds.format(s=format_number(int(duration)))
            else:
                text = message.format(a=name(a), b=name(b))
            if isinstance(content, str):
                text += f': "{content}"'
                # The message as seized, then the case's translation of it (if any).
                if isinstance(translation, str) and translation != content:
                    text += f" ({translated.format(text=translation)})"
            out.append(text)
        return out
    if table == "payments":
        payment = _("Payment of {amount} {currency} from {a} to {b}, by {channel}")
        return [
            payment.format(
                amount=format_number(amount, 2),
                currency=currency,
                a=name(payer if isinstance(payer, str) else payer_account),
                b=name(payee if isinstance(payee, str) else payee_account),
                channel=lower_first(channel_label(channel)),
            )
            for amount, currency, payer, payer_account, payee, payee_account, channel in zip(
                col("amount"),
                col("currency"),
                col("payer"),
                col("payer_account"),
                col("payee"),
                col("payee_account"),
                col("channel"),
                strict=True,
            )
        ]
    if table == "trips":
        trip, led, on_board = (
            _("Trip ({mode}) from {a} to {b}"),
            _("led by {p}"),
            _("{n} people on board"),
        )
        out = []
        for mode, origin, destination, driver, count in zip(
            col("mode"),
            col("origin"),
            col("destination"),
            col("driver"),
            col("passenger_count"),
            strict=True,
        ):
            text = trip.format(mode=mode_label(mode), a=name(origin), b=name(destination))
            if isinstance(driver, str):
                text += ", " + led.format(p=name(driver))
            if _notna(count):
                text += ", " + on_board.format(n=format_number(int(count)))
            out.append(text)
        return out
    if table == "detections":
        at = _("{type} at {place}")
        out = []
        for kind, location, persons in zip(
            col("type"), col("location"), col("persons"), strict=True
        ):
            text = at.format(type=detection_label(kind), place=name(location))
            named = [name(p) for p in persons or []]
            if named:
                text += ": " + ", ".join(named)
            out.append(text)
        return out
    relation = _("{a} {relation} {b}")
    return [
        relation.format(a=name(a), relation=relation_label(kind), b=name(b))
        for a, kind, b in zip(col("subject"), col("type"), col("object"), strict=True)
    ]


#: The entity references of each evidence table, as :func:`evidence_rows` lists them in ``refs``.
_REFS_OF = {
    "communications": ("caller", "receiver", "caller_cell", "receiver_cell"),
    "payments": ("payer", "payer_account", "payee", "payee_account"),
    "trips": ("origin", "destination", "vehicle", "driver", "passengers"),
    "detections": ("location", "vehicle", "persons"),
    "links": ("subject", "object"),
}
_COLUMNS = [
    "id",
    "table",
    "time",
    "phase",
    "new",
    "text",
    "source",
    "confidence",
    "description",
    "refs",
]


def _memo(case: Case) -> dict | None:
    """Return the dict in which ``case`` keeps what is computed from it (``Case.derived``)."""
    return getattr(case, "derived", None)


def evidence_rows(case: Case) -> pd.DataFrame:
    """Return every released event and link as one table of readable rows.

    Columns: ``id``, ``table``, ``time`` (start of a trip; empty for links), ``phase``,
    ``new`` (first released in the current phase), ``text`` (a sentence), ``source``,
    ``confidence``, ``description`` and ``refs`` (the entity ids it names).

    The table is computed once per case object and language, and shared: do not change it
    in place (copy it first).

    Examples
    --------
    >>> from widgets import load_case
    >>> rows = evidence_rows(load_case("demo").released(1))
    >>> print(rows.loc[rows["id"] == "T2", "text"].item())
    Trip (vehicle) from Gevgelija border area to A1 motorway near Negotino, led by Dragan
    Kostovski, 9 people on board
    """
    memo = _memo(case)
    key = ("rows", get_language())
    if memo is not None and key in memo:
        return memo[key]
    rows = _evidence_rows(case)
    if memo is not None:
        memo[key] = rows
    return rows


def _lookups(case: Case) -> tuple[dict[str, str], dict[str, str]]:
    """Return the phone users and the entity labels of a case, kept in its memo."""
    memo = _memo(case)
    if memo is not None and "lookups" in memo:
        return memo["lookups"]
    lookups = phone_users(case), _labels(case)
    if memo is not None:
        memo["lookups"] = lookups
    return lookups


def entity_namer(case: Case):
    """Return a function that names an entity of ``case`` as :func:`entity_name` does.

    The case's phone users and labels are looked up once (and kept with the case), not at
    every name.

    Examples
    --------
    >>> from widgets import load_case
    >>> name = entity_namer(load_case("demo").released(2))
    >>> name("PH-ORG2"), name("P-DRV")
    ('+38163000904 (Besnik Marku)', 'Dragan Kostovski')
    """
    users, labels = _lookups(case)

    def name(entity_id: str | None) -> str:
        return entity_name(case, entity_id, users, labels)

    return name


def _evidence_rows(case: Case) -> pd.DataFrame:
    users, labels = _lookups(case)
    names: dict[str, str] = {}

    def name(value) -> str:
        if isinstance(value, str):
            text = names.get(value)
            if text is None:
                text = names[value] = entity_name(case, value, users, labels)
            return text
        return entity_name(case, value, users, labels)

    columns: dict[str, list] = {c: [] for c in _COLUMNS if c != "time"}
    times: list[pd.Series] = []
    for table in EVIDENCE_TABLES:
        frame = case.tables[table]
        size = len(frame)

        def col(column: str, frame=frame, size=size) -> list:
            return frame[column].tolist() if column in frame.columns else [None] * size

        # Time: the event's time, or the start of a trip or link.
        time_column = "time" if table != "links" and "time" in frame.columns else "start"
        if time_column in frame.columns:
            times.append(pd.to_datetime(frame[time_column]).reset_index(drop=True))
        else:
            times.append(pd.Series(pd.NaT, index=range(size), dtype="datetime64[us]"))
        phases = [int(p) for p in frame["phase"].tolist()]
        columns["id"] += frame["id"].tolist()
        columns["table"] += [table] * size
        columns["phase"] += phases
        columns["new"] += [p == case.phase for p in phases]
        columns["text"] += _sentences(table, col, name)
        columns["source"] += frame["source"].tolist()
        columns["confidence"] += frame["confidence"].tolist()
        columns["description"] += [d if isinstance(d, str) else "" for d in col("description")]
        # refs: the entities named, and the users of the phones named
        for values in zip(*(col(c) for c in _REFS_OF[table]), strict=True):
            refs = {v for v in values if isinstance(v, str)}
            for value in values:
                if isinstance(value, list):
                    refs.update(value)
            refs.update([users[r] for r in refs if r in users])
            columns["refs"].append(sorted(refs))
    if columns["id"]:
        out = pd.DataFrame(columns, columns=_COLUMNS)
        out["time"] = pd.to_datetime(pd.concat(times, ignore_index=True))
    else:
        out = pd.DataFrame.from_records([], columns=_COLUMNS)
        out["time"] = pd.to_datetime(out["time"])
    return out.sort_values(
        ["phase", "time", "id"], ascending=[False, True, True], na_position="last"
    ).reset_index(drop=True)


def search(
    case: Case, text: str = "", entity: str | None = None, rows: pd.DataFrame | None = None
) -> tuple[list[str], list[str]]:
    """Find the released documents and evidence items that match a text and name an entity.

    Parameters
    ----------
    case : Case
        A released case.
    text : str
        Words to look for (all of them, any case) in titles, texts and descriptions.
    entity : str, optional
        An entity id: keep what mentions it (documents by ``mentions`` or by its name in the
        text; evidence by the entities it names, phones standing for their users).
    rows : pandas.DataFrame, optional
        :func:`evidence_rows` of the case, when the caller has it already.

    Returns
    -------
    tuple of (list of str, list of str)
        The ids of matching documents, and of matching evidence items.

    Examples
    --------
    >>> from widgets import load_case
    >>> case = load_case("demo").released(2)
    >>> docs, items = search(case, "OK")
    >>> "D-ST1" in docs, "C11" in items
    (True, True)
    >>> docs, items = search(case, entity="P-M2")
    >>> docs, items[:2]
    (['D-POL', 'D-ST2'], ['DET1', 'T1'])
    """
    docs, mask = _search(case, text, entity, rows)
    rows = evidence_rows(case) if rows is None else rows
    return docs, sorted(rows["id"].to_numpy()[mask].tolist())


def _index(case: Case, rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return what :func:`search` looks in: lower-case text and description, and the refs.

    The refs come exploded (one row per entity named, indexed by the position of the item).
    Kept in the case's memo for the rows of :func:`evidence_rows`.
    """
    memo = _memo(case)
    cached = memo.get("index") if memo is not None else None
    if cached is not None and cached[0] is rows:
        return cached[1], cached[2]
    haystack = (rows["text"].astype(str) + "\n" + rows["description"].astype(str)).str.lower()
    haystack.index = range(len(rows))
    refs = rows["refs"].explode()
    refs.index = pd.RangeIndex(len(rows)).repeat(rows["refs"].map(lambda r: max(len(r), 1)))
    if memo is not None:
        memo["index"] = (rows, haystack, refs)
    return haystack, refs


def _search(
    case: Case, text: str = "", entity: str | None = None, rows: pd.DataFrame | None = None
) -> tuple[list[str], np.ndarray]:
    """Do what :func:`search` says; return the document ids, and a mask over ``rows``."""
    words = [w.lower() for w in re.findall(r"\w+", text or "")]
    patterns = [re.compile(rf"\b{re.escape(w)}\b") for w in words]
    labels = _lookups(case)[1] if entity else {}

    def matches(haystack: str) -> bool:
        haystack = haystack.lower()
        return all(p.search(haystack) for p in patterns)

    docs = []
    for row in case.documents.itertuples(index=False):
        body = f"{case.text(row.title)}\n{row.text}"
        if words and not matches(body):
            continue
        if entity and entity not in row.mentions and labels.get(entity, "\0") not in row.text:
            continue
        docs.append(row.id)
    rows = evidence_rows(case) if rows is None else rows
    mask = np.ones(len(rows), dtype=bool)
    if not words and not entity:
        return sorted(docs), mask
    haystack, refs = _index(case, rows)
    if entity:
        named = np.zeros(len(rows), dtype=bool)
        named[refs.index[(refs == entity).to_numpy(dtype=bool, na_value=False)]] = True
        mask &= named
    for word, pattern in zip(words, patterns, strict=True):
        # A quick test for the word anywhere, then the exact one (a whole word) on the rest.
        where = np.flatnonzero(mask)
        candidates = haystack.iloc[where]
        found = candidates.str.contains(word, regex=False).to_numpy(dtype=bool, na_value=False)
        where = where[found]
        exact = np.fromiter(
            (pattern.search(h) is not None for h in haystack.iloc[where].tolist()),
            dtype=bool,
            count=len(where),
        )
        mask[:] = False
        mask[where[exact]] = True
    return sorted(docs), mask
