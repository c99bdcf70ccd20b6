"""The dossier of an entity or a tie: what the released evidence says about it, with sources."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from .analysis import account_holders, phone_users
from .evidence import entity_name, evidence_rows, format_time, grade_text
from .i18n import _, format_number, number_separators
from .labels import entity_kind_label, entity_type_label, field_label, gender_label, status_label

if TYPE_CHECKING:
    from .case import Case

__all__ = ["dossier", "dossier_html", "tie_html"]

# Attributes of each entity table that are not worth a line in a dossier.
_SKIP = {"id", "phase", "description"}


def dossier(case: Case, entity: str) -> dict[str, object]:
    """Collect what the released case says about one entity.

    Parameters
    ----------
    case : Case
        A released case.
    entity : str
        An entity id; a person also gets the phones and accounts attributed to them.

    Returns
    -------
    dict
        ``id``, ``type``, ``label``, ``phase``, ``attributes`` (name -> value),
        ``phones`` and ``accounts`` (ids attributed to a person), ``evidence`` (rows of
        :func:`widgets.evidence.evidence_rows` naming the entity or its phones and accounts,
        in time order) and ``documents`` (ids of documents that mention it).

    Examples
    --------
    >>> from widgets import load_case
    >>> d = dossier(load_case("demo").released(2), "P-ORG")
    >>> d["label"], d["phones"], d["accounts"]
    ('Besnik Marku', ['PH-ORG', 'PH-ORG2'], ['AC-ORG'])
    >>> len(d["evidence"]) > 10, d["documents"]
    (True, ['D-MTO'])
    """
    row = case.entities[case.entities["id"] == entity]
    if row.empty:
        raise KeyError(entity)
    kind = row.iloc[0]["type"]
    table = case.tables[
        {"person": "persons", "organisation": "organisations"}.get(kind, kind + "s")
    ]
    record = table[table["id"] == entity].iloc[0].to_dict()
    attributes = {
        k: int(v) if isinstance(v, float) and v.is_integer() else v
        for k, v in record.items()
        if k not in _SKIP and not (isinstance(v, float) and pd.isna(v)) and v is not None
    }
    phones = sorted(p for p, u in phone_users(case).items() if u == entity)
    accounts = sorted(a for a, u in account_holders(case).items() if u == entity)
    own = {entity, *phones, *accounts}
    rows = evidence_rows(case)
    hits = rows[rows["refs"].map(lambda refs: bool(own & set(refs)))]
    hits = hits.sort_values(["time", "id"], na_position="first")
    label = str(row.iloc[0]["label"])
    docs = [
        d.id
        for d in case.documents.itertuples(index=False)
        if entity in d.mentions or (len(label) > 3 and label in d.text)
    ]
    return {
        "id": entity,
        "type": kind,
        "label": label,
        "phase": int(row.iloc[0]["phase"]),
        "description": record.get("description")
        if isinstance(record.get("description"), str)
        else "",
        "attributes": attributes,
        "phones": phones,
        "accounts": accounts,
        "evidence": hits.to_dict("records"),
        "documents": sorted(docs),
    }


def _evidence_table(case: Case, rows: list[dict], limit: int) -> str:
    """Return the evidence as a compact list for a narrow panel: when, what, source, grade."""
    if not rows:
        return f"<p class='casebook-muted'>{html.escape(_('No evidence yet.'))}</p>"
    titles = dict(zip(case.documents["id"], case.documents["title"], strict=True))
    items = []
    for r in rows[:limit]:
        when = format_time(r["time"])
        source = case.text(titles.get(r["source"], r["source"]))
        items.append(
            f"<li><strong>{when}</strong> {html.escape(r['text'])}<br>"
            f"<span class='casebook-muted' title='{html.escape(grade_text(r['confidence']))}'>"
            f"{html.escape(source)} · {r['confidence']}</span></li>"
        )
    more = ""
    if len(rows) > limit:
        more = "<p class='casebook-muted'>{}</p>".format(
            html.escape(
                _("… and {n} more: see the case file.").format(n=format_number(len(rows) - limit))
            )
        )
    return f"<ul class='casebook-evidence'>{''.join(items)}</ul>{more}"


def _attribute_text(entity_type: str, name: str, value) -> str:
    """Write the value of an entity's attribute in the page's language (years stay as they are).

    Examples
    --------
    >>> _attribute_text("location", "kind", "safe_house"), _attribute_text("location", "lat", 41.5)
    ('Safe house', '41.5')
    """
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if name == "status":
        return status_label(value)
    if name == "gender":
        return gender_label(value)
    if name == "kind":
        return entity_kind_label(entity_type, value)
    if isinstance(value, float):
        # Coordinates: every digit given, with the language's decimal mark.
        return repr(float(value)).replace(".", number_separators()[0])
    return str(value)


def dossier_html(case: Case, entity: str, limit: int = 12) -> str:
    """Return the dossier of an entity as HTML for the explorer's side panel.

    Examples
    --------
    >>> from widgets import load_case
    >>> out = dossier_html(load_case("demo").released(1), "P-M2")
    >>> "Hamid Sultani" in out and "age_stated" not in out and "Age stated" in out
    True
    """
    d = dossier(case, entity)
    facts = "".join(
        f"<tr><th>{html.escape(field_label(k))}</th>"
        f"<td>{html.escape(_attribute_text(str(d['type']), k, v))}</td></tr>"
        for k, v in d["attributes"].items()
    )
    parts = [
        f"<h3>{html.escape(d['label'])}</h3>",
        "<p class='casebook-muted'>{}</p>".format(
            html.escape(
                _("{type} · known from phase {phase}").format(
                    type=entity_type_label(str(d["type"])), phase=d["phase"]
                )
            )
        ),
    ]
    if d["description"]:
        parts.append(f"<p>{html.escape(d['description'])}</p>")
    parts.append(f"<table class='casebook-table'>{facts}</table>")
    for title, ids in ((_("Phones"), d["phones"]), (_("Accounts"), d["accounts"])):
        if ids:
            names = ", ".join(html.escape(entity_name(case, i, {})) for i in ids)
            parts.append(f"<p><strong>{html.escape(title)}:</strong> {names}</p>")
    if d["documents"]:
        titles = dict(zip(case.documents["id"], case.documents["title"], strict=True))
        docs = "".join(f"<li>{html.escape(case.text(titles[i]))}</li>" for i in d["documents"])
        parts.append(f"<h4>{html.escape(_('Documents that mention it'))}</h4><ul>{docs}</ul>")
    parts.append(f"<h4>{html.escape(_('Evidence so far'))}</h4>")
    parts.append(_evidence_table(case, d["evidence"], limit))
    return "".join(parts)


def tie_html(case: Case, a: str, b: str, evidence: list[str], limit: int = 25) -> str:
    """Return the events and links behind a tie between two nodes of the network, as HTML.

    Examples
    --------
    >>> from widgets import load_case
    >>> out = tie_html(load_case("demo"), "P-ORG", "P-DRV", ["C13", "PAY5"])
    >>> "Payment of 300.00 EUR" in out and "Tonight. 9 people" in out
    True
    """
    rows = evidence_rows(case)
    picked = rows[rows["id"].isin(evidence)].sort_values(["time", "id"], na_position="first")
    title = _("{a} and {b}").format(a=entity_name(case, a, {}), b=entity_name(case, b, {}))
    count = _("{n} pieces of evidence").format(n=format_number(len(picked)))
    return (
        f"<h3>{html.escape(title)}</h3><p class='casebook-muted'>{html.escape(count)}</p>"
        + _evidence_table(case, picked.to_dict("records"), limit)
    )
