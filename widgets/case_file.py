"""The case file (evidence locker): documents and evidence released so far, searched and read."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as ipw
import numpy as np
import pandas as pd
import traitlets

from .case import Case
from .evidence import (
    _index,
    _lookups,
    _search,
    entity_name,
    evidence_rows,
    format_time,
    grade_text,
)
from .i18n import _, format_date, format_number, ngettext
from .labels import document_kind_label, entity_type_label
from .markdown import render_markdown
from .ui import fallback_marker

__all__ = ["CaseFile", "document_rows"]

#: At most this many documents, and evidence items, go to the browser at once (newest phase
#: first): a large case is narrowed by the search box and the entity filter. Above what the
#: corridor case (about 2,450 items) shows, so that a case of training size shows everything.
SHOWN = 3000
#: At most this many entities in the "Mentions" filter: past it, every place, organisation,
#: vehicle and account, then the persons and phones that the most evidence items name.
ENTITIES_SHOWN = 500


def _kind_labels() -> dict[str, str]:
    from .schema import DocumentMeta

    kinds = DocumentMeta.model_fields["kind"].annotation.__args__
    return {kind: document_kind_label(kind) for kind in kinds}


def document_rows(case: Case) -> list[dict[str, object]]:
    """List the released documents, newest phase first, for the case file's index.

    Parameters
    ----------
    case : Case
        A released case.

    Returns
    -------
    list of dict
        One dict per document: ``id``, ``title``, ``kind`` (a translated label), ``phase``,
        ``date`` (ISO text or empty) and ``new`` (first released in the current phase).

    Examples
    --------
    >>> from widgets import load_case
    >>> rows = document_rows(load_case("demo").released(2))
    >>> rows[0]["id"], rows[0]["new"], rows[-1]["new"]
    ('D-EXT', True, False)
    """
    labels = _kind_labels()
    docs = case.documents.sort_values(["phase", "date", "id"], ascending=[False, True, True])
    return [
        {
            "id": row.id,
            "title": case.text(row.title),
            "kind": labels.get(row.kind, row.kind),
            "phase": int(row.phase),
            "date": row.date.isoformat() if pd.notna(row.date) else "",
            "new": int(row.phase) == case.phase,
            "translated": bool(getattr(row, "translated", True)),
        }
        for row in docs.itertuples(index=False)
    ]


def _muted(text: str) -> str:
    return f"<p class='casebook-muted'>{html.escape(text)}</p>"


class CaseFile(ipw.VBox):
    """The documents and evidence items a team may see now: searched, filtered and read.

    Two tabs, Documents and Evidence items, share a search box (words in the text) and an
    entity filter (what mentions a person, phone, account...). Items first released in the
    current phase carry a dot. A document opens as its Markdown text; an evidence item as a
    sentence with its time, source document and confidence grade in words.

    Parameters
    ----------
    case : Case or None
        A released case; ``None`` (a case that could not be opened) shows nothing.

    Examples
    --------
    >>> from widgets import load_case
    >>> view = CaseFile(load_case("demo").released(1))
    >>> view.document
    'D-POL'
    >>> view.document = "D-ST2"
    >>> "Hamid Sultani" in view.reader.value
    True
    >>> view.query.value = "breathe"
    >>> [v for _, v in view.index.options]
    ['D-ST3']
    """

    document = traitlets.Unicode(None, allow_none=True, help="Id of the open document.")
    item = traitlets.Unicode(None, allow_none=True, help="Id of the open evidence item.")

    def __init__(self, case: Case | None, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.add_class("casebook-case-file")
        self.reader = ipw.HTML(layout=ipw.Layout(padding="0 1em"))
        self.reader.add_class("casebook-document")
        self.item_reader = ipw.HTML(layout=ipw.Layout(padding="0 1em"))
        self.item_reader.add_class("casebook-document")
        # The index runs the full width above the reader, so that whole sentences fit.
        self.index = ipw.Select(options=[], layout=ipw.Layout(width="100%"))
        self.items = ipw.Select(options=[], layout=ipw.Layout(width="100%"))
        # Browser tests and benchmarks wait for this class: the page has finished building.
        self.add_class("casebook-ready")
        if case is None:
            self.children = [
                ipw.HTML(_muted(_("There is nothing to show: the case could not be opened.")))
            ]
            return
        self.docs = document_rows(case)
        self.rows = evidence_rows(case)
        self._position = dict(zip(self.rows["id"].tolist(), range(len(self.rows)), strict=True))

        self.query = ipw.Text(
            description=_("Search"),
            placeholder=_("words in the documents and evidence"),
            layout=ipw.Layout(width="min(28em, 100%)"),
        )
        entities, self._entities_total = self._entity_choices(), len(case.entities)
        self.entity = ipw.Dropdown(
            description=_("Mentions"),
            # "" and not None: a Dropdown shows None as an empty box.
            options=[(_("anyone or anything"), "")]
            + [
                (f"{r.label} ({entity_type_label(r.type)})", r.id)
                for r in entities.itertuples(index=False)
            ],
            layout=ipw.Layout(width="min(28em, 100%)"),
        )
        self.count = ipw.HTML()
        listed = len(self.entity.options) - 1
        # A large case: say that the "Mentions" list is not everyone.
        self.entity_note = ipw.HTML(
            _muted(
                _(
                    "Mentions lists the {shown} persons and things the evidence names most, "
                    "of {total}: search for any other name."
                ).format(shown=format_number(listed), total=format_number(self._entities_total))
            )
            if listed < self._entities_total
            else ""
        )
        self.open_source = ipw.Button(
            description=_("Open the source document"),
            icon="file",
            layout=ipw.Layout(width="auto", margin="0 1em", align_self="flex-start"),
        )
        self.open_source.layout.display = "none"
        legend = _muted(_("● new in this phase"))
        docs_tab = ipw.VBox([self.index, ipw.HTML(legend), self.reader])
        items_tab = ipw.VBox([self.items, ipw.HTML(legend), self.item_reader, self.open_source])
        self.tabs = ipw.Tab(children=[docs_tab, items_tab])
        self.tabs.set_title(0, _("Documents"))
        self.tabs.set_title(1, _("Evidence items"))
        self.children = [ipw.HBox([self.query, self.entity]), self.count, self.tabs]
        if self.entity_note.value:
            self.children = [self.children[0], self.entity_note, *self.children[1:]]

        self.query.observe(self._refresh, names="value")
        self.entity.observe(self._refresh, names="value")
        self.index.observe(lambda c: setattr(self, "document", c["new"]), names="value")
        self.items.observe(lambda c: setattr(self, "item", c["new"]), names="value")
        self.observe(self._on_document, names="document")
        self.observe(self._on_item, names="item")
        self.open_source.on_click(self._on_open_source)
        self._refresh()

    def _entity_choices(self) -> pd.DataFrame:
        """Return the entities of the "Mentions" filter, by type and label.

        At most :data:`ENTITIES_SHOWN`: past it, the persons and phones that the fewest
        evidence items name are left out (places, organisations, vehicles, accounts stay).
        """
        entities = self.case.entities
        if len(entities) > ENTITIES_SHOWN:
            _haystack, refs = _index(self.case, self.rows)
            named = refs.value_counts()
            ranked = entities.assign(
                _many=entities["type"].isin(["person", "phone"]),
                _named=-entities["id"].map(named).fillna(0),
            ).sort_values(["_many", "_named", "label", "id"])
            entities = ranked.head(ENTITIES_SHOWN)
        return entities.sort_values(["type", "label"])

    # filtering ---------------------------------------------------------------
    def _refresh(self, _change=None) -> None:
        docs, mask = _search(self.case, self.query.value, self.entity.value or None, self.rows)
        doc_set = set(docs)
        shown_docs = [d for d in self.docs if d["id"] in doc_set][:SHOWN]
        source = self.case.meta.source_language
        self.index.options = [
            (
                f"{'● ' if d['new'] else ''}{_phase(d['phase'])}{d['kind']}: {d['title']}"
                + ("" if d["translated"] else fallback_marker(source, html_badge=False)),
                d["id"],
            )
            for d in shown_docs
        ]
        found = np.flatnonzero(mask)
        shown = self.rows.iloc[found[:SHOWN]]
        self.items.options = [
            (f"{'● ' if new else ''}{_phase(phase)}{_when(time)}{text}", item_id)
            for item_id, new, phase, time, text in zip(
                shown["id"].tolist(),
                shown["new"].tolist(),
                shown["phase"].tolist(),
                shown["time"].tolist(),
                shown["text"].tolist(),
                strict=True,
            )
        ]
        self._shown_docs = {d["id"] for d in shown_docs}
        self._shown_items = set(shown["id"].tolist())
        self.index.rows = min(max(len(self.index.options), 6), 16)
        self.items.rows = min(max(len(self.items.options), 6), 16)
        n_docs, n_items = len(docs), len(found)
        if n_docs > len(shown_docs):
            docs_text = ngettext(
                "showing {shown} of {total} document",
                "showing {shown} of {total} documents",
                n_docs,
            ).format(shown=format_number(len(shown_docs)), total=format_number(n_docs))
        else:
            docs_text = ngettext("{n} document", "{n} documents", n_docs).format(
                n=format_number(n_docs)
            )
        if n_items > len(shown):
            items_text = ngettext(
                "showing {shown} of {total} evidence item",
                "showing {shown} of {total} evidence items",
                n_items,
            ).format(shown=format_number(len(shown)), total=format_number(n_items))
        else:
            items_text = ngettext("{n} evidence item", "{n} evidence items", n_items).format(
                n=format_number(n_items)
            )
        text = f"{docs_text} · {items_text}"
        if n_docs > len(shown_docs) or n_items > len(shown):
            text += ": " + _("search or choose who they mention to narrow")
        self.count.value = _muted(text)
        self.document = self.index.options[0][1] if self.index.options else None
        self.item = self.items.options[0][1] if self.items.options else None
        if not self.index.options:
            self.reader.value = _muted(_("No document matches."))
        if not self.items.options:
            self.item_reader.value = _muted(_("No evidence item matches."))

    # readers -----------------------------------------------------------------
    def _on_document(self, change) -> None:
        doc_id = change["new"]
        row = next((r for r in self.docs if r["id"] == doc_id), None)
        if row is None:
            return
        if self.index.value != doc_id and doc_id in self._shown_docs:
            self.index.value = doc_id
        facts = _("{kind} · released in phase {phase}").format(kind=row["kind"], phase=row["phase"])
        if row["date"]:
            facts += f" · {format_date(dt.date.fromisoformat(row['date']))}"
        marker = "" if row["translated"] else fallback_marker(self.case.meta.source_language)
        self.reader.value = (
            _muted(facts)
            + (f"<p>{marker}</p>" if marker else "")
            + render_markdown(self.case.document_text(doc_id))
        )

    def _row(self, item_id: str | None) -> dict | None:
        """Return an evidence item as a dict of its columns, or ``None`` if there is none."""
        position = self._position.get(item_id) if item_id is not None else None
        if position is None:
            return None
        return {column: self.rows[column].iat[position] for column in self.rows.columns}

    def _on_item(self, change) -> None:
        row = self._row(change["new"])
        if row is None:
            self.open_source.layout.display = "none"
            return
        if self.items.value != row["id"] and row["id"] in self._shown_items:
            self.items.value = row["id"]
        source = self.case.documents[self.case.documents["id"] == row["source"]]
        source_title = (
            self.case.text(source.iloc[0]["title"]) if not source.empty else row["source"]
        )
        users, labels = _lookups(self.case)
        names = ", ".join(entity_name(self.case, r, users, labels) for r in row["refs"])
        facts = [
            format_time(row["time"]),
            _("released in phase {phase}").format(phase=row["phase"]),
        ]
        parts = [
            f"<h3>{html.escape(row['text'])}</h3>",
            _muted(" · ".join(f for f in facts if f)),
        ]
        if row["description"]:
            parts.append(f"<p>{html.escape(row['description'])}</p>")
        parts += [
            "<p><strong>{}</strong> {}</p>".format(
                html.escape(_("Source:")), html.escape(source_title)
            ),
            "<p><strong>{}</strong> {} ({})</p>".format(
                html.escape(_("Confidence:")),
                html.escape(row["confidence"]),
                html.escape(grade_text(row["confidence"])),
            ),
            "<p><strong>{}</strong> {}</p>".format(html.escape(_("Names:")), html.escape(names)),
        ]
        self.item_reader.value = "".join(parts)
        self.open_source.layout.display = None

    def _on_open_source(self, _button=None) -> None:
        row = self._row(self.item)
        if row is None:
            return
        self.query.value = ""
        self.entity.value = ""
        self.document = row["source"]
        self.tabs.selected_index = 0


def _phase(number: int) -> str:
    return _("Phase {n}").format(n=number) + " · "


def _when(value) -> str:
    text = format_time(value)
    return f"{text} · " if text else ""
