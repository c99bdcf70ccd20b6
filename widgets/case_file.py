"""The case file (evidence locker): documents and evidence released so far, searched and read."""

from __future__ import annotations

import html

import ipywidgets as ipw
import pandas as pd
import traitlets

from .case import Case
from .evidence import entity_name, evidence_rows, format_time, grade_text, search
from .i18n import _, ngettext
from .markdown import render_markdown

__all__ = ["CaseFile", "document_rows"]


def _kind_labels() -> dict[str, str]:
    return {
        "statement": _("Statement"),
        "police_report": _("Police report"),
        "extraction_report": _("Phone extraction"),
        "bank_response": _("Financial information"),
        "cdr_summary": _("Call records"),
        "intercept": _("Intercept"),
        "court_record": _("Court record"),
        "open_source": _("Open source"),
        "other": _("Document"),
    }


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
        self._row_by_id = {r["id"]: r for r in self.rows.to_dict("records")}

        self.query = ipw.Text(
            description=_("Search"),
            placeholder=_("words in the documents and evidence"),
            layout=ipw.Layout(width="min(28em, 100%)"),
        )
        entities = case.entities.sort_values(["type", "label"])
        self.entity = ipw.Dropdown(
            description=_("Mentions"),
            # "" and not None: a Dropdown shows None as an empty box.
            options=[(_("anyone or anything"), "")]
            + [(f"{r.label} ({r.type})", r.id) for r in entities.itertuples(index=False)],
            layout=ipw.Layout(width="min(28em, 100%)"),
        )
        self.count = ipw.HTML()
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

        self.query.observe(self._refresh, names="value")
        self.entity.observe(self._refresh, names="value")
        self.index.observe(lambda c: setattr(self, "document", c["new"]), names="value")
        self.items.observe(lambda c: setattr(self, "item", c["new"]), names="value")
        self.observe(self._on_document, names="document")
        self.observe(self._on_item, names="item")
        self.open_source.on_click(self._on_open_source)
        self._refresh()

    # filtering ---------------------------------------------------------------
    def _refresh(self, _change=None) -> None:
        docs, items = search(self.case, self.query.value, self.entity.value or None, self.rows)
        doc_set, item_set = set(docs), set(items)
        self.index.options = [
            (f"{'● ' if d['new'] else ''}{_phase(d['phase'])}{d['kind']}: {d['title']}", d["id"])
            for d in self.docs
            if d["id"] in doc_set
        ]
        self.items.options = [
            (
                f"{'● ' if r['new'] else ''}{_phase(r['phase'])}{_when(r['time'])}{r['text']}",
                r["id"],
            )
            for r in self._row_by_id.values()
            if r["id"] in item_set
        ]
        self.index.rows = min(max(len(self.index.options), 6), 16)
        self.items.rows = min(max(len(self.items.options), 6), 16)
        self.count.value = _muted(
            ngettext("{n} document", "{n} documents", len(docs)).format(n=len(docs))
            + " · "
            + ngettext("{n} evidence item", "{n} evidence items", len(items)).format(n=len(items))
        )
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
        if self.index.value != doc_id:
            self.index.value = doc_id
        facts = _("{kind} · released in phase {phase}").format(kind=row["kind"], phase=row["phase"])
        if row["date"]:
            facts += f" · {row['date']}"
        self.reader.value = _muted(facts) + render_markdown(self.case.document_text(doc_id))

    def _on_item(self, change) -> None:
        row = self._row_by_id.get(change["new"])
        if row is None:
            self.open_source.layout.display = "none"
            return
        if self.items.value != row["id"]:
            self.items.value = row["id"]
        source = self.case.documents[self.case.documents["id"] == row["source"]]
        source_title = (
            self.case.text(source.iloc[0]["title"]) if not source.empty else row["source"]
        )
        names = ", ".join(entity_name(self.case, r) for r in row["refs"])
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
        row = self._row_by_id.get(self.item)
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
