"""The case file: the documents released so far (statements, reports), listed and read."""

from __future__ import annotations

import html

import ipywidgets as ipw
import pandas as pd
import traitlets

from .case import Case
from .i18n import _
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


class CaseFile(ipw.HBox):
    """The documents a team may read now: an index on the left, the open document on the right.

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
    """

    document = traitlets.Unicode(None, allow_none=True, help="Id of the open document.")

    def __init__(self, case: Case | None, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.add_class("casebook-case-file")
        self.reader = ipw.HTML(layout=ipw.Layout(flex="1 1 60%", padding="0 1em"))
        self.reader.add_class("casebook-document")
        if case is None:
            self.index = ipw.Select(options=[])
            self.children = []
            return
        self.rows = document_rows(case)
        options = []
        for row in self.rows:
            mark = "● " if row["new"] else ""
            label = f"{mark}{row['kind']}: {row['title']}"
            options.append((label, row["id"]))
        self.index = ipw.Select(
            options=options,
            rows=min(max(len(options), 4), 14),
            description="",
            layout=ipw.Layout(flex="0 1 40%", width="auto"),
        )
        legend = ipw.HTML(
            "<p class='casebook-muted'>{}</p>".format(html.escape(_("● new in this phase")))
        )
        self.children = [
            ipw.VBox([self.index, legend], layout=ipw.Layout(flex="0 1 40%")),
            self.reader,
        ]
        self.index.observe(self._on_index, names="value")
        self.observe(self._on_document, names="document")
        if options:
            self.document = options[0][1]

    def _on_index(self, change) -> None:
        self.document = change["new"]

    def _on_document(self, change) -> None:
        doc_id = change["new"]
        row = next((r for r in self.rows if r["id"] == doc_id), None)
        if row is None:
            self.reader.value = ""
            return
        if self.index.value != doc_id:
            self.index.value = doc_id
        facts = _("{kind} · released in phase {phase}").format(kind=row["kind"], phase=row["phase"])
        if row["date"]:
            facts += f" · {row['date']}"
        self.reader.value = (
            f"<p class='casebook-muted'>{html.escape(facts)}</p>"
            f"{render_markdown(self.case.document_text(doc_id))}"
        )
