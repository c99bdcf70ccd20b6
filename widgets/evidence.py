"""Evidence in words: readable sentences for events and links, grades explained, search."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from .analysis import phone_users
from .i18n import _

if TYPE_CHECKING:
    from .case import Case

__all__ = ["format_time", "grade_text", "entity_name", "evidence_rows", "search"]

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
    """Return a time as participants read it, ``2024-05-14 03:40``; empty when unknown.

    Examples
    --------
    >>> format_time(pd.Timestamp("2024-05-14 03:40")), format_time(None)
    ('2024-05-14 03:40', '')
    """
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def _sentence(
    case: Case, table: str, row: dict, users: dict[str, str], labels: dict[str, str]
) -> str:
    def name(key: str) -> str:
        return entity_name(case, row.get(key), users, labels)

    if table == "communications":
        if row["kind"] == "call":
            text = _("Call from {a} to {b}").format(a=name("caller"), b=name("receiver"))
            if pd.notna(row.get("duration_s")):
                text += " " + _("({s} s)").format(s=int(row["duration_s"]))
        else:
            text = _("Message from {a} to {b}").format(a=name("caller"), b=name("receiver"))
        if isinstance(row.get("content"), str):
            text += f': "{row["content"]}"'
        return text
    if table == "payments":
        payer = name("payer") if isinstance(row.get("payer"), str) else name("payer_account")
        payee = name("payee") if isinstance(row.get("payee"), str) else name("payee_account")
        return _("Payment of {amount} {currency} from {a} to {b}, by {channel}").format(
            amount=f"{row['amount']:,.2f}",
            currency=row["currency"],
            a=payer,
            b=payee,
            channel=row["channel"].replace("_", " "),
        )
    if table == "trips":
        text = _("Trip ({mode}) from {a} to {b}").format(
            mode=row["mode"], a=name("origin"), b=name("destination")
        )
        if isinstance(row.get("driver"), str):
            text += ", " + _("led by {p}").format(p=name("driver"))
        count = row.get("passenger_count")
        if pd.notna(count):
            text += ", " + _("{n} people on board").format(n=int(count))
        return text
    if table == "detections":
        text = _("{type} at {place}").format(
            type=row["type"].replace("_", " ").capitalize(), place=name("location")
        )
        persons = [entity_name(case, p, users, labels) for p in row.get("persons") or []]
        if persons:
            text += ": " + ", ".join(persons)
        return text
    return _("{a} {relation} {b}").format(
        a=name("subject"), relation=row["type"].replace("_", " "), b=name("object")
    )


def evidence_rows(case: Case) -> pd.DataFrame:
    """Return every released event and link as one table of readable rows.

    Columns: ``id``, ``table``, ``time`` (start of a trip; empty for links), ``phase``,
    ``new`` (first released in the current phase), ``text`` (a sentence), ``source``,
    ``confidence``, ``description`` and ``refs`` (the entity ids it names).

    Examples
    --------
    >>> from widgets import load_case
    >>> rows = evidence_rows(load_case("demo").released(1))
    >>> print(rows.loc[rows["id"] == "T2", "text"].item())
    Trip (vehicle) from Gevgelija border area to A1 motorway near Negotino, led by Dragan
    Kostovski, 9 people on board
    """
    users = phone_users(case)
    labels = _labels(case)
    records = []
    refs_of = {
        "communications": ["caller", "receiver", "caller_cell", "receiver_cell"],
        "payments": ["payer", "payer_account", "payee", "payee_account"],
        "trips": ["origin", "destination", "vehicle", "driver", "passengers"],
        "detections": ["location", "vehicle", "persons"],
        "links": ["subject", "object"],
    }
    for table in EVIDENCE_TABLES:
        frame = case.tables[table]
        for row in frame.to_dict("records"):
            refs = []
            for column in refs_of[table]:
                value = row.get(column)
                refs += (
                    value if isinstance(value, list) else [value] if isinstance(value, str) else []
                )
            refs += [users[r] for r in refs if r in users]
            time = row.get("time", row.get("start"))
            records.append(
                {
                    "id": row["id"],
                    "table": table,
                    "time": time if table != "links" else row.get("start"),
                    "phase": int(row["phase"]),
                    "new": int(row["phase"]) == case.phase,
                    "text": _sentence(case, table, row, users, labels),
                    "source": row["source"],
                    "confidence": row["confidence"],
                    "description": row.get("description")
                    if isinstance(row.get("description"), str)
                    else "",
                    "refs": sorted(set(refs)),
                }
            )
    out = pd.DataFrame.from_records(
        records,
        columns=[
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
        ],
    )
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
    words = [w.lower() for w in re.findall(r"\w+", text or "")]
    labels = _labels(case)

    def matches(haystack: str) -> bool:
        haystack = haystack.lower()
        return all(re.search(rf"\b{re.escape(w)}\b", haystack) for w in words)

    docs = []
    for row in case.documents.itertuples(index=False):
        body = f"{case.text(row.title)}\n{row.text}"
        if words and not matches(body):
            continue
        if entity and entity not in row.mentions and labels.get(entity, "\0") not in row.text:
            continue
        docs.append(row.id)
    items = []
    for row in (evidence_rows(case) if rows is None else rows).itertuples(index=False):
        if words and not matches(f"{row.text}\n{row.description}"):
            continue
        if entity and entity not in row.refs:
            continue
        items.append(row.id)
    return sorted(docs), sorted(items)
