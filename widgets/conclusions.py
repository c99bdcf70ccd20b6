"""What a team concludes: a form per agency, findings citing the case, saved at every change.

:class:`Conclusions` is the form of workbook 06-conclusions, and, with ``compact=True``, the
notes box at the bottom of the other workbooks. Both keep one :class:`TeamConclusions` per
team and case in a :class:`widgets.notes.NotesStore` (atomic writes, append-only history),
export it as a report (HTML, Markdown) and as JSON, and import a JSON export again.
"""

from __future__ import annotations

import base64
import html
import os
import re
import uuid
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw

from .conclusions_format import (
    ELEMENTS,
    NEEDS,
    PARTS,
    TOPICS,
    ConclusionsError,
    Finding,
    Protection,
    RoleClaim,
    TeamConclusions,
    agency_labels,
    element_labels,
    need_labels,
    parse_conclusions,
    part_labels,
    role_labels,
    topic_labels,
)
from .evidence import (
    _memo,
    entity_name,
    entity_namer,
    evidence_rows,
    format_time,
    format_times,
    grade_text,
)
from .graph_view import PNG_DATA_URL
from .i18n import DEFAULT_LANGUAGE, _, format_date, get_language
from .labels import document_kind_label, entity_type_label, lower_first, sufficiency_label
from .notes import NotesStore
from .page import PageParams, page_params, workbook_link

if TYPE_CHECKING:
    from .case import Case

__all__ = ["Conclusions", "EvidencePicker", "cite_items", "describe", "report_html", "report_md"]

#: Which part of the form each agency writes first.
AGENCY_PARTS = {
    "police": "investigation",
    "border_police": "investigation",
    "prosecution": "prosecution",
    "reception": "protection",
    "ngo": "protection",
}
#: Topic of the free notes written at the bottom of another workbook.
NOTES_TOPIC = "notes"
_HISTORY_SHOWN = 100
#: At most this many items (besides those cited) in an evidence picker's list.
_PICKER_SHOWN = 200
_CSS = Path(__file__).parent / "static" / "conclusions.css"


# the case, in words ----------------------------------------------------------------


def cite_items(case: Case) -> list[tuple[str, str]]:
    """Return every entity, event and document a team may cite, as ``(label, id)`` pairs.

    Examples
    --------
    >>> from widgets import load_case
    >>> items = dict((i, label) for label, i in cite_items(load_case("demo").released(2)))
    >>> items["P-DRV"]
    'P-DRV · person: Dragan Kostovski'
    >>> items["C03"][:60]
    'C03 · 2024-05-03 08:31 Message from +38970000141 (Dragan Kos'
    """
    memo = _memo(case)
    key = ("cite_items", get_language())
    if memo is not None and key in memo:
        return memo[key]
    out = _CiteItems()
    entities = case.entities
    types = {t: lower_first(entity_type_label(str(t))) for t in set(entities["type"].tolist())}
    out += [
        (f"{i} · {types[t]}: {label}", i)
        for i, t, label in zip(
            entities["id"].tolist(),
            entities["type"].tolist(),
            entities["label"].tolist(),
            strict=True,
        )
    ]
    rows = evidence_rows(case)
    times = format_times(rows["time"])
    for i, when, sentence in zip(rows["id"].tolist(), times, rows["text"].tolist(), strict=True):
        text = f"{i} · {when} {sentence}" if when else f"{i} · {sentence}"
        out.append((text if len(text) <= 120 else text[:119] + "…", i))
    document = _("document")
    for i, title in zip(
        case.documents["id"].tolist(), case.documents["title"].tolist(), strict=True
    ):
        out.append((f"{i} · {document}: {case.text(title)}", i))
    if memo is not None:
        memo[key] = out
    return out


class _CiteItems(list):
    """What :func:`cite_items` returns: a list, keeping what the pickers derive from it."""

    derived: dict[str, Any]

    def __init__(self, *args):
        super().__init__(*args)
        self.derived = {}


def describe(case: Case | None, item_id: str) -> dict[str, str]:
    """Describe a cited id in words: ``text``, and ``source`` and ``grade`` where known.

    Examples
    --------
    >>> from widgets import load_case
    >>> case = load_case("demo").released(2)
    >>> describe(case, "P-DRV")["text"]
    'Dragan Kostovski (person): Driver of the van; arrested at the interception.'
    >>> d = describe(case, "C03")
    >>> d["source"]
    "D-EXT: Extraction report of the driver's phone"
    >>> d["grade"]
    'source reliable; information known to be true'
    >>> describe(case, "NOPE")["text"]
    'NOPE (not in the evidence released to the team)'
    """
    missing = {"text": _("{id} (not in the evidence released to the team)").format(id=item_id)}
    if case is None:
        return missing
    docs = {
        i: case.text(title)
        for i, title in zip(
            case.documents["id"].tolist(), case.documents["title"].tolist(), strict=True
        )
    }
    entities = case.entities[case.entities["id"] == item_id]
    if not entities.empty:
        row = entities.iloc[0]
        text = f"{entity_name(case, item_id)} ({lower_first(entity_type_label(str(row['type'])))})"
        if isinstance(row.get("description"), str) and row["description"]:
            text += f": {row['description']}"
        return {"text": text}
    if item_id in docs:
        row = case.documents[case.documents["id"] == item_id].iloc[0]
        kind = lower_first(document_kind_label(str(row["kind"])))
        day = row["date"]
        day = format_date(day) if isinstance(day, date) else ""
        return {"text": f"{docs[item_id]} ({kind}, {day})" if day else f"{docs[item_id]} ({kind})"}
    rows = evidence_rows(case)
    hit = rows[rows["id"] == item_id]
    if hit.empty:
        return missing
    row = hit.iloc[0]
    when = format_time(row["time"])
    source = str(row["source"])
    return {
        "text": f"{when} {row['text']}".strip(),
        "source": f"{source}: {docs[source]}" if source in docs else source,
        "grade": grade_text(str(row["confidence"])),
    }


# reports ---------------------------------------------------------------------------


def _names(case: Case | None) -> dict[str, str]:
    if case is None:
        return {}
    name = entity_namer(case)
    return {i: name(i) for i in case.entities["id"]}


def _report_parts(data: TeamConclusions, case: Case | None) -> list[tuple[str, list[Any]]]:
    """Return the report as sections of (heading, items); items are str or (text, cites)."""
    names = _names(case)
    roles, agencies = role_labels(), agency_labels()
    topics, elements, needs = topic_labels(), element_labels(), need_labels()
    sections: list[tuple[str, list[Any]]] = []
    if data.agencies:
        sections.append((_("Agencies"), [", ".join(agencies[a] for a in data.agencies)]))
    sections.append(
        (
            _("Roles of persons"),
            [
                (
                    f"{names.get(r.entity, r.entity)}: {roles.get(r.role, r.role)}"
                    + (f". {r.note}" if r.note else ""),
                    r.cites,
                )
                for r in data.roles
            ],
        )
    )
    for part in PARTS:
        items: list[Any] = []
        for f in data.findings:
            if f.part == part:
                topic = topics.get(f.topic, _("Notes") if f.topic == NOTES_TOPIC else f.topic)
                items.append((f"{topic}: {f.text}", f.cites, f.snapshot))
        if part == "investigation" and data.next_steps:
            items.append(f"{_('Next investigative steps')}: {data.next_steps}")
        if part == "prosecution":
            if data.qualification:
                items.append(f"{_('Qualification of the offence')}: {data.qualification}")
            if data.elements:
                listed = ", ".join(elements[e] for e in data.elements)
                items.append(f"{_('Legal elements evidenced')}: {listed}")
            if data.evidence_sufficient:
                items.append(
                    f"{_('Is the evidence sufficient?')} {_sufficiency()[data.evidence_sufficient]}"
                )
        if part == "protection":
            for p in data.protection:
                text = f"{names.get(p.entity, p.entity)}: " + (
                    ", ".join(needs[n] for n in p.needs) or _("no need recorded")
                )
                if p.referral:
                    text += f". {_('Referral')}: {p.referral}"
                items.append((text, p.cites))
        sections.append((part_labels()[part], items))
    if data.free_text:
        sections.append((_("Other notes"), [data.free_text]))
    return sections


def _unpack(item: Any) -> tuple[str, list[str], str | None]:
    """Return (text, cites, picture) of a report item; the picture only if it is a PNG."""
    if not isinstance(item, tuple):
        return item, [], None
    text, cites, *rest = item
    picture = rest[0] if rest else None
    if picture and not PNG_DATA_URL.fullmatch(picture):
        picture = None  # a finding's picture is never anything but a PNG
    return text, cites, picture


def _sufficiency() -> dict[str, str]:
    return {v: sufficiency_label(v) for v in ("yes", "no", "not_yet", "")}


def _cite_line(case: Case | None, item_id: str) -> str:
    d = describe(case, item_id)
    parts = [f"{item_id}: {d['text']}"]
    if d.get("source"):
        parts.append(_("source {source}").format(source=d["source"]))
    if d.get("grade"):
        parts.append(_("grade: {grade}").format(grade=d["grade"]))
    return " · ".join(parts)


def _title(data: TeamConclusions, case: Case | None) -> str:
    title = case.text(case.meta.title) if case is not None else data.case
    return _("Conclusions of team {team} on {case}").format(team=data.team, case=title)


def report_md(data: TeamConclusions, case: Case | None) -> str:
    r"""Return the team's conclusions as a Markdown report, each cited item in words.

    What participants wrote is escaped (``<`` becomes ``&lt;``), so that no viewer runs it.

    Examples
    --------
    >>> from widgets import load_case
    >>> case = load_case("demo").released(2)
    >>> data = TeamConclusions(case="demo", team="Blue", findings=[Finding(
    ...     id="f1", part="investigation", topic="structure", text="<b>Besnik</b>",
    ...     cites=["C03"])])
    >>> text = report_md(data, case)
    >>> "&lt;b&gt;Besnik&lt;/b&gt;" in text, "Extraction report of the driver's phone" in text
    (True, True)
    """

    def esc(text: str) -> str:
        return html.escape(text, quote=False)

    lines = [f"# {esc(_title(data, case))}", ""]
    if data.saved:
        lines += [esc(_("Saved {time}").format(time=_local_time(data.saved))), ""]
    for heading, items in _report_parts(data, case):
        lines += [f"## {esc(heading)}", ""]
        if not items:
            lines += [f"_{esc(_('Nothing written yet.'))}_", ""]
        for item in items:
            text, cites, picture = _unpack(item)
            lines.append("- " + esc(text).replace("\n", "\n  "))
            for c in cites:
                lines.append(f"  - {esc(_cite_line(case, c))}")
            if picture:
                lines.append(f"\n  ![{esc(_('Picture of the network'))}]({picture})")
        lines.append("")
    return "\n".join(lines)


_REPORT_CSS = (
    "body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}"
    "li{margin:.3em 0}.cite{color:#444;font-size:.92em}.text{white-space:pre-wrap}"
)


def report_html(data: TeamConclusions, case: Case | None) -> str:
    """Return the team's conclusions as a stand-alone HTML page; every text is escaped.

    Examples
    --------
    >>> data = TeamConclusions(case="demo", team="Blue", free_text="<script>alert(1)</script>")
    >>> page = report_html(data, None)
    >>> "<script>" in page, "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    (False, True)
    """
    esc = html.escape
    body = [f"<h1>{esc(_title(data, case))}</h1>"]
    if data.saved:
        body.append(f"<p>{esc(_('Saved {time}').format(time=_local_time(data.saved)))}</p>")
    for heading, items in _report_parts(data, case):
        body.append(f"<h2>{esc(heading)}</h2>")
        if not items:
            body.append(f"<p><em>{esc(_('Nothing written yet.'))}</em></p>")
            continue
        body.append("<ul>")
        for item in items:
            text, cites, picture = _unpack(item)
            sub = "".join(f"<li class='cite'>{esc(_cite_line(case, c))}</li>" for c in cites)
            image = (
                f"<br><img src='{picture}' alt='{esc(_('Picture of the network'))}' "
                "style='max-width:100%;border:1px solid #ccc'>"
                if picture
                else ""
            )
            body.append(
                f"<li><span class='text'>{esc(text)}</span>"
                + (f"<ul>{sub}</ul>" if sub else "")
                + image
                + "</li>"
            )
        body.append("</ul>")
    return (
        f'<!DOCTYPE html><html lang="{esc(get_language())}"><head><meta charset="utf-8">'
        f"<title>{esc(_title(data, case))}"
        f"</title><style>{_REPORT_CSS}</style></head><body>{''.join(body)}</body></html>"
    )


def _download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    payload = base64.b64encode(data).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:{mime};base64,{payload}" '
        f'class="casebook-download">{html.escape(label)}</a>'
    )


# pieces of the form ----------------------------------------------------------------


class EvidencePicker(ipw.VBox):
    """Cite entities, events and documents by picking them: a filter and a multi-select.

    The items already cited stay in the list, on top, whatever the filter says.

    Examples
    --------
    >>> p = EvidencePicker([("C13 · call", "C13"), ("P-DRV · person", "P-DRV")], ["P-DRV"])
    >>> p.filter.value = "call"
    >>> [v for _, v in p.select.options]
    ['P-DRV', 'C13']
    >>> p.select.value = ("P-DRV", "C13")
    >>> p.cites
    ['P-DRV', 'C13']
    """

    def __init__(self, items: list[tuple[str, str]], cites: list[str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("casebook-picker")
        self.items = items
        self._labels = self._derived("labels", lambda: {v: label for label, v in items})
        self.cites: list[str] = [c for c in cites or [] if c]
        self._callbacks: list = []
        self._busy = False
        self.filter = ipw.Text(
            placeholder=_("Find evidence to cite: a name, a number, a word"),
            description=_("Cite"),
            continuous_update=True,
            layout=ipw.Layout(width="98%"),
        )
        self.select = ipw.SelectMultiple(rows=5, layout=ipw.Layout(width="98%"))
        self.select.add_class("casebook-cite-list")
        self.cited = ipw.HTML()
        self.filter.observe(lambda _c: self._refresh(), names="value")
        self.select.observe(self._picked, names="value")
        self.children = [self.filter, self.select, self.cited]
        self._refresh()

    def on_change(self, callback) -> None:
        """Call ``callback(cites)`` whenever the team picks or drops an item."""
        self._callbacks.append(callback)

    def set_cites(self, cites: list[str]) -> None:
        """Show ``cites`` as picked (without calling back)."""
        self.cites = list(cites)
        self._refresh()

    def _derived(self, name: str, compute):
        """Return what ``compute()`` derives from the items, once for all pickers of them."""
        derived = getattr(self.items, "derived", None)
        if derived is None:
            derived = self.__dict__.setdefault("_own_derived", {})
        if name not in derived:
            derived[name] = compute()
        return derived[name]

    def _refresh(self) -> None:
        words = self.filter.value.lower().split()
        chosen = [(self._labels.get(c, c), c) for c in self.cites]
        cited = set(self.cites)
        rest: list[tuple[str, str]] = []
        if words:
            lowered = self._derived("lowered", lambda: [label.lower() for label, _v in self.items])
            for item, label in zip(self.items, lowered, strict=True):
                if item[1] not in cited and all(w in label for w in words):
                    rest.append(item)
                    if len(rest) == _PICKER_SHOWN:
                        break
        else:
            for item in self.items:
                if item[1] not in cited:
                    rest.append(item)
                    if len(rest) == _PICKER_SHOWN:
                        break
        self._busy = True
        try:
            self.select.options = chosen + rest
            self.select.value = tuple(self.cites)
        finally:
            self._busy = False
        if self.cites:
            names = "".join(f"<li>{html.escape(self._labels.get(c, c))}</li>" for c in self.cites)
            self.cited.value = (
                f"<div class='casebook-cited'><small>{html.escape(_('Cited:'))} </small>"
                f"<ul>{names}</ul></div>"
            )
        else:
            self.cited.value = f"<small>{html.escape(_('Nothing cited yet.'))}</small>"

    def _picked(self, change) -> None:
        if self._busy:
            return
        self.cites = [v for v in change["new"]]
        self._refresh()
        for callback in self._callbacks:
            callback(self.cites)


def _text_area(value: str, placeholder: str, rows: int = 3) -> ipw.Textarea:
    return ipw.Textarea(
        value=value,
        placeholder=placeholder,
        continuous_update=True,
        rows=rows,
        layout=ipw.Layout(width="98%"),
    )


def _button(description: str, icon: str = "plus") -> ipw.Button:
    return ipw.Button(description=description, icon=icon, layout=ipw.Layout(width="fit-content"))


def _remove_button() -> ipw.Button:
    return ipw.Button(description=_("Remove"), icon="trash", layout=ipw.Layout(width="fit-content"))


def _workbook_name() -> str:
    """Return the stem of the page's notebook under Voila (``02-network``), or ``workbook``."""
    path = os.environ.get("SCRIPT_NAME") or ""
    stem = PurePosixPath(path).stem if path.endswith(".ipynb") else ""
    return stem if re.fullmatch(r"[\w.-]{1,60}", stem or "") else "workbook"


def _style() -> ipw.HTML:
    return ipw.HTML(f"<style>{_CSS.read_text(encoding='utf-8')}</style>")


def _now() -> str:
    return datetime.now().strftime("%H:%M:%S")


def _local_time(saved: str) -> str:
    """Write when a file was saved, in the server's time zone and the page's language."""
    try:
        when = datetime.fromisoformat(saved).astimezone()
    except (TypeError, ValueError):
        return str(saved)
    if get_language() == DEFAULT_LANGUAGE:
        return when.strftime("%Y-%m-%d %H:%M:%S")
    return f"{format_date(when)}, {when:%H:%M:%S}"


def _message(text: str, kind: str = "info") -> str:
    return f'<div class="casebook-message casebook-{kind}">{html.escape(text)}</div>'


# the widget ------------------------------------------------------------------------


class Conclusions(ipw.VBox):
    """The conclusions of a team on a case: a form saved at every change, never lost.

    The team says which agencies it brings together; the parts of the form for those
    agencies (investigation, prosecution, protection of the migrants) come first and open.
    Every finding, role and protection need can cite entities, events and documents picked
    from the released case. Each change is saved at once as a new version
    (:class:`~widgets.notes.NotesStore`); the history restores any earlier one. The report
    downloads as HTML, Markdown and JSON, and a JSON export can be imported again.

    Parameters
    ----------
    case : Case or None
        The team's released case (``CaseBanner().case``).
    params : PageParams, optional
        Case, team and language of the page; default: read from the page URL.
    compact : bool
        A small version for the bottom of other workbooks: notes for this workbook and
        findings with citations, kept in the same conclusions, and a link to 06-conclusions.
    workbook : str, optional
        Name of the page, for its notes in compact mode; default: the notebook Voila serves.

    Examples
    --------
    >>> from widgets import load_case
    >>> c = Conclusions(load_case("demo").released(1), PageParams(case="demo"))
    >>> c.store is None, "team" in c.children[0].value
    (True, True)
    """

    def __init__(
        self,
        case: Case | None,
        params: PageParams | None = None,
        compact: bool = False,
        workbook: str | None = None,
        explorer: Any = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.add_class("casebook-conclusions")
        self.case = case
        self.params = params if params is not None else page_params()
        self.compact = compact
        self.workbook = workbook or _workbook_name()
        # Compact form next to a network explorer: a finding can carry a picture of it.
        self.explorer = explorer
        self.snapshot: str | None = None
        self.store: NotesStore | None = None
        self.revision = 0
        self._loading = False
        self._seen: set[str] = set()
        team = self.params.team
        if case is None:
            self.children = [
                ipw.HTML(_message(_("There is nothing to show: the case could not be opened.")))
            ]
        elif not team:
            self.children = [
                ipw.HTML(
                    _message(
                        _(
                            "Choose a team on the start page first: your conclusions are kept "
                            "for your team, and nothing is saved until you have one."
                        )
                    )
                )
            ]
        else:
            self.store = NotesStore(case.id, team)
            self.items = cite_items(case)
            self.status = ipw.HTML()
            self.status.add_class("casebook-saved")
            self.problem = ipw.HTML()
            self.data = self._load()
            if compact:
                self._build_compact()
            else:
                self._build_full()
            self._fill()
            self._show_saved()
        self.add_class("casebook-ready")

    # loading and saving --------------------------------------------------------------
    def _load(self) -> TeamConclusions:
        """Return the latest readable version; say so when the latest cannot be read."""
        assert self.store is not None and self.case is not None
        raw = self.store.load()
        self.revision = self.store.revision
        team = str(self.params.team)
        if not raw:
            return TeamConclusions(case=self.case.id, team=team)
        try:
            data = TeamConclusions.model_validate({**raw, "case": self.case.id, "team": team})
        except ValueError as err:
            first = str(err).splitlines()[1:2] or [""]
            for version in reversed(self.store.history()):
                try:
                    older = TeamConclusions.model_validate(
                        {**version["data"], "case": self.case.id, "team": team}
                    )
                except ValueError:
                    continue
                self.problem.value = _message(
                    _(
                        "The latest saved version of your conclusions could not be read "
                        "({why}). The form shows version {n}; every version is kept in the "
                        "History below."
                    ).format(why=first[0].strip(), n=version["revision"]),
                    "warning",
                )
                return older
            self.problem.value = _message(
                _(
                    "Your saved conclusions could not be read ({why}). The form starts empty; "
                    "what was saved is kept in the History below and on disk."
                ).format(why=first[0].strip()),
                "warning",
            )
            return TeamConclusions(case=self.case.id, team=team)
        self._seen = {f.id for f in data.findings}
        return data

    def save(self) -> int:
        """Save the form as a new version now; return its revision (0 when nothing is saved)."""
        if self.store is None or self._loading:
            return 0
        self._merge_from_store()
        assert self.case is not None
        self.data.phase = max(self.data.phase, self.case.phase)
        self.data.saved = datetime.now().astimezone().isoformat(timespec="seconds")
        self.revision = self.store.save(self.data.model_dump(mode="json"))
        self._show_saved(fresh=True)
        self._add_history_option(self.revision, self.data.saved)
        if not self.compact and self._export_shown:
            self._make_exports()
        return self.revision

    def _merge_from_store(self) -> None:
        """Take in what another page of the team added since (notes, findings) before saving.

        Two tabs of one team: the later save wins, except that findings this page never saw
        (added at the bottom of another workbook) are kept, and notes of other workbooks are
        taken from the store, since this page does not edit them.
        """
        assert self.store is not None
        if self.store.revision <= self.revision:
            return
        try:
            latest = TeamConclusions.model_validate(self.store.load())
        except ValueError:
            return
        own_note = f"note-{self.workbook}"
        theirs = {f.id: f for f in latest.findings}
        mine = []
        for f in self.data.findings:
            if self.compact and f.id != own_note and f.id not in self._added_here:
                continue  # compact: the rest of the form belongs to the other page
            if not self.compact and f.topic == NOTES_TOPIC and f.id in theirs:
                f = theirs[f.id]
            mine.append(f)
        known = {f.id for f in mine}
        extra = [f for f in latest.findings if f.id not in known and f.id not in self._seen]
        if self.compact:
            own = {f.id: f for f in mine}
            merged = [own.pop(f.id, f) for f in latest.findings]
            base = latest.model_copy(update={"team": self.data.team, "case": self.data.case})
            base.findings = merged + list(own.values())
            self.data = base
        else:
            self.data.findings = mine + extra
            if extra:
                self._seen |= {f.id for f in extra}
                self._rebuild_findings()
            self._notes_box_refresh()

    def _changed(self, *_args) -> None:
        if not self._loading:
            self.save()

    def _show_saved(self, fresh: bool = False) -> None:
        if self.revision:
            text = _("Saved at {time} (version {n})").format(
                time=_now() if fresh else _local_time(self.data.saved or ""), n=self.revision
            )
        else:
            text = _("Nothing saved yet: what you write is saved at once.")
        self.status.value = f"<span>{html.escape(text)}</span>"

    # the full form --------------------------------------------------------------------
    def _build_full(self) -> None:
        assert self.case is not None
        persons = self.case.persons
        self.person_options = [(str(r.name), str(r.id)) for r in persons.itertuples(index=False)]
        migrants = persons[persons["status"] == "migrant"] if "status" in persons else persons
        self.migrant_options = [
            (str(r.name), str(r.id)) for r in migrants.itertuples(index=False)
        ] or self.person_options
        labels = agency_labels()
        self.agency_boxes = {
            a: ipw.Checkbox(description=label, indent=False, layout=ipw.Layout(width="auto"))
            for a, label in labels.items()
        }
        for box in self.agency_boxes.values():
            box.observe(self._agencies_changed, names="value")
        self.guide = ipw.HTML()
        intro = ipw.VBox(
            [
                ipw.HTML(f"<h3>{html.escape(_('Your team'))}</h3>"),
                ipw.HTML(html.escape(_("Which agencies does your team bring together?"))),
                ipw.HBox(list(self.agency_boxes.values()), layout=ipw.Layout(flex_flow="wrap")),
                self.guide,
            ]
        )
        # investigation
        self.roles_box = ipw.VBox()
        add_role = _button(_("Add a person's role"), "plus")
        add_role.on_click(lambda _b: self._add_role())
        self.next_steps = _text_area("", _("In short: who to hear, what to request, from whom"))
        self.next_steps.observe(self._field("next_steps"), names="value")
        self.topic_boxes: dict[str, ipw.VBox] = {}
        part_children: dict[str, list[ipw.Widget]] = {p: [] for p in PARTS}
        part_children["investigation"] += [
            ipw.HTML(f"<h4>{html.escape(_('Roles of persons'))}</h4>"),
            ipw.HTML(
                html.escape(
                    _(
                        "Pick a person and the role you think the evidence shows, and cite it. "
                        "Smuggled migrants are witnesses and victims, not suspects."
                    )
                )
            ),
            self.roles_box,
            add_role,
        ]
        # prosecution
        self.qualification = _text_area("", _("Which offence, under which article?"))
        self.qualification.observe(self._field("qualification"), names="value")
        self.element_boxes = {
            e: ipw.Checkbox(description=label, indent=False, layout=ipw.Layout(width="auto"))
            for e, label in element_labels().items()
        }
        for box in self.element_boxes.values():
            box.observe(self._elements_changed, names="value")
        suff = _sufficiency()
        self.sufficient = ipw.RadioButtons(
            options=[(suff["yes"], "yes"), (suff["no"], "no"), (suff["not_yet"], "not_yet")],
            value=None,
            layout=ipw.Layout(width="auto"),
        )
        self.sufficient.observe(self._sufficient_changed, names="value")
        special: dict[str, list[ipw.Widget]] = {
            "next_steps": [self.next_steps],
            "qualification": [self.qualification],
            "elements": [
                ipw.HTML(html.escape(_("Tick the legal elements the evidence shows."))),
                ipw.VBox(list(self.element_boxes.values())),
            ],
            "sufficiency": [self.sufficient],
        }
        # protection
        self.protection_box = ipw.VBox()
        add_protection = _button(_("Add a migrant's protection needs"), "plus")
        add_protection.on_click(lambda _b: self._add_protection())
        part_children["protection"] += [
            ipw.HTML(f"<h4>{html.escape(_('Protection needs of each migrant'))}</h4>"),
            self.protection_box,
            add_protection,
        ]
        topics = topic_labels()
        for part in PARTS:
            for topic in TOPICS[part]:
                box = ipw.VBox()
                box.add_class(f"casebook-topic-{topic}")
                self.topic_boxes[topic] = box
                add = _button(_("Add a finding"), "plus")
                add.add_class(f"casebook-add-{topic}")
                add.on_click(lambda _b, p=part, t=topic: self._add_finding(p, t))
                part_children[part] += [
                    ipw.HTML(f"<h4>{html.escape(topics[topic])}</h4>"),
                    *special.get(topic, []),
                    box,
                    add,
                ]
        self.notes_box = ipw.VBox()
        part_children["investigation"].append(self.notes_box)
        self.parts = {}
        for part in PARTS:
            acc = ipw.Accordion(children=[ipw.VBox(part_children[part])], selected_index=0)
            acc.set_title(0, part_labels()[part])
            acc.add_class(f"casebook-part-{part}")
            self.parts[part] = acc
        self.parts_box = ipw.VBox(list(self.parts.values()))
        self.free_text = _text_area("", _("Anything else your team wants to note"), rows=4)
        self.free_text.observe(self._field("free_text"), names="value")
        self._export_shown = False
        self.exports = ipw.HTML()
        make = _button(_("Make the report"), "download")
        make.on_click(lambda _b: self._make_exports())
        self.history_list = ipw.Dropdown(description=_("Version"), layout=ipw.Layout(width="98%"))
        restore = _button(_("Restore this version"), "undo")
        restore.on_click(lambda _b: self._restore())
        self.history_note = ipw.HTML()
        self._fill_history()
        self.upload = ipw.FileUpload(accept=".json", multiple=False, description=_("Import"))
        self.upload.observe(self._uploaded, names="value")
        self.import_box = ipw.VBox()
        self._pending: TeamConclusions | None = None
        tools = ipw.Accordion(
            children=[
                ipw.VBox(
                    [
                        ipw.HTML(
                            html.escape(
                                _(
                                    "Download your conclusions: the report to read or print, "
                                    "the JSON file for your trainer (or to import again)."
                                )
                            )
                        ),
                        make,
                        self.exports,
                    ]
                ),
                ipw.VBox([self.history_list, restore, self.history_note]),
                ipw.VBox(
                    [
                        ipw.HTML(
                            html.escape(
                                _(
                                    "Load a JSON file exported from Casebook (for instance "
                                    "from a Binder session). What the form holds now stays "
                                    "in the history."
                                )
                            )
                        ),
                        self.upload,
                        self.import_box,
                    ]
                ),
            ]
        )
        for i, title in enumerate((_("Export"), _("History"), _("Import"))):
            tools.set_title(i, title)
        self.tools = tools
        self.children = [
            _style(),
            self.status,
            self.problem,
            intro,
            self.parts_box,
            ipw.HTML(f"<h3>{html.escape(_('Other notes'))}</h3>"),
            self.free_text,
            tools,
        ]

    def _field(self, name: str):
        def update(change) -> None:
            if self._loading:
                return
            setattr(self.data, name, change["new"])
            self.save()

        return update

    def _agencies_changed(self, _change=None) -> None:
        chosen = [a for a, box in self.agency_boxes.items() if box.value]
        self._order_parts(chosen)
        if not self._loading:
            self.data.agencies = chosen
            self.save()

    def _order_parts(self, chosen: list[str]) -> None:
        mine = [p for p in PARTS if any(AGENCY_PARTS.get(a) == p for a in chosen)]
        order = mine + [p for p in PARTS if p not in mine]
        for part in PARTS:
            self.parts[part].selected_index = 0 if (not mine or part in mine) else None
        self.parts_box.children = [self.parts[p] for p in order]
        if mine:
            names = ", ".join(part_labels()[p] for p in mine)
            self.guide.value = _message(
                _(
                    "Your parts come first and are open: {parts}. Each member writes in the "
                    "part of their agency; open the others to read and add."
                ).format(parts=names)
            )
        else:
            self.guide.value = _message(
                _("Tick your agencies: the form then shows each member their part first.")
            )

    def _elements_changed(self, _change=None) -> None:
        if self._loading:
            return
        self.data.elements = [e for e in ELEMENTS if self.element_boxes[e].value]
        self.save()

    def _sufficient_changed(self, change) -> None:
        if self._loading:
            return
        self.data.evidence_sufficient = change["new"] or ""
        self.save()

    # rows ---------------------------------------------------------------------------
    def _role_row(self, claim: RoleClaim) -> ipw.VBox:
        person = ipw.Dropdown(
            options=self.person_options, description=_("Person"), layout=ipw.Layout(width="auto")
        )
        if claim.entity in dict((v, k) for k, v in self.person_options):
            person.value = claim.entity
        else:
            claim.entity = person.value
        role = ipw.Dropdown(
            options=[(label, key) for key, label in role_labels().items()],
            value=claim.role,
            description=_("Role"),
            layout=ipw.Layout(width="auto"),
        )
        note = _text_area(claim.note, _("Why: what the evidence shows"), rows=2)
        picker = EvidencePicker(self.items, claim.cites)
        remove = _remove_button()
        row = ipw.VBox([ipw.HBox([person, role, remove]), note, picker])
        row.add_class("casebook-row")

        def update(_c=None) -> None:
            claim.entity, claim.role, claim.note = person.value, role.value, note.value
            claim.cites = picker.cites
            self._changed()

        for w in (person, role, note):
            w.observe(update, names="value")
        picker.on_change(lambda _c: update())

        def drop(_b) -> None:
            self.data.roles = [r for r in self.data.roles if r is not claim]
            self.roles_box.children = [c for c in self.roles_box.children if c is not row]
            self._changed()

        remove.on_click(drop)
        return row

    def _add_role(self) -> None:
        if not self.person_options:
            return
        claim = RoleClaim(entity=self.person_options[0][1], role="organiser")
        self.data.roles.append(claim)
        self.roles_box.children = [*self.roles_box.children, self._role_row(claim)]
        self._changed()

    def _protection_row(self, item: Protection) -> ipw.VBox:
        person = ipw.Dropdown(
            options=self.migrant_options, description=_("Migrant"), layout=ipw.Layout(width="auto")
        )
        if item.entity in {v for _k, v in self.migrant_options}:
            person.value = item.entity
        else:
            item.entity = person.value
        needs = {
            n: ipw.Checkbox(
                value=n in item.needs,
                description=label,
                indent=False,
                layout=ipw.Layout(width="auto"),
            )
            for n, label in need_labels().items()
        }
        referral = ipw.Text(
            value=item.referral,
            placeholder=_("Referred to whom (service, organisation)"),
            description=_("Referral"),
            continuous_update=True,
            layout=ipw.Layout(width="98%"),
        )
        picker = EvidencePicker(self.items, item.cites)
        remove = _remove_button()
        row = ipw.VBox(
            [
                ipw.HBox([person, remove]),
                ipw.HBox(list(needs.values()), layout=ipw.Layout(flex_flow="wrap")),
                referral,
                picker,
            ]
        )
        row.add_class("casebook-row")

        def update(_c=None) -> None:
            item.entity, item.referral = person.value, referral.value
            item.needs = [n for n in NEEDS if needs[n].value]
            item.cites = picker.cites
            self._changed()

        for w in (person, referral, *needs.values()):
            w.observe(update, names="value")
        picker.on_change(lambda _c: update())

        def drop(_b) -> None:
            self.data.protection = [p for p in self.data.protection if p is not item]
            self.protection_box.children = [c for c in self.protection_box.children if c is not row]
            self._changed()

        remove.on_click(drop)
        return row

    def _add_protection(self) -> None:
        if not self.migrant_options:
            return
        item = Protection(entity=self.migrant_options[0][1])
        self.data.protection.append(item)
        self.protection_box.children = [*self.protection_box.children, self._protection_row(item)]
        self._changed()

    def _finding_row(self, finding: Finding, box: ipw.VBox) -> ipw.VBox:
        text = _text_area(finding.text, _("What you conclude, in a sentence or two"))
        text.add_class("casebook-finding-text")
        picker = EvidencePicker(self.items, finding.cites)
        remove = _remove_button()
        row = ipw.VBox([text, ipw.HBox([picker, remove])])
        row.add_class("casebook-row")
        picker.layout.width = "85%"

        def update(_c=None) -> None:
            finding.text, finding.cites = text.value, picker.cites
            self._changed()

        text.observe(update, names="value")
        picker.on_change(lambda _c: update())

        def drop(_b) -> None:
            self.data.findings = [f for f in self.data.findings if f is not finding]
            box.children = [c for c in box.children if c is not row]
            self._changed()

        remove.on_click(drop)
        return row

    def _add_finding(self, part: str, topic: str) -> None:
        finding = Finding(id=f"f-{uuid.uuid4().hex[:8]}", part=part, topic=topic)
        self._seen.add(finding.id)
        self.data.findings.append(finding)
        box = self.topic_boxes[topic]
        box.children = [*box.children, self._finding_row(finding, box)]
        self._changed()

    def _rebuild_findings(self) -> None:
        for topic, box in self.topic_boxes.items():
            box.children = [
                self._finding_row(f, box) for f in self.data.findings if f.topic == topic
            ]

    def _notes_box_refresh(self) -> None:
        """Show, read only, what was written at the bottom of the other workbooks."""
        notes = [f for f in self.data.findings if f.topic not in self.topic_boxes]
        if not notes:
            self.notes_box.children = []
            return
        items = "".join(
            f"<li><strong>{html.escape(f.id.removeprefix('note-'))}</strong>: "
            f"<span class='casebook-note-text'>{html.escape(f.text)}</span></li>"
            for f in notes
        )
        self.notes_box.children = [
            ipw.HTML(
                f"<h4>{html.escape(_('Notes written in the other workbooks'))}</h4><ul>{items}</ul>"
            )
        ]

    def _fill(self) -> None:
        """Show :attr:`data` in the form (after loading, restoring or importing)."""
        self._loading = True
        try:
            if self.compact:
                self._fill_compact()
                return
            for a, box in self.agency_boxes.items():
                box.value = a in self.data.agencies
            self._order_parts(list(self.data.agencies))
            self.roles_box.children = [self._role_row(r) for r in self.data.roles]
            self.protection_box.children = [self._protection_row(p) for p in self.data.protection]
            self._rebuild_findings()
            self._notes_box_refresh()
            self.qualification.value = self.data.qualification
            for e, box in self.element_boxes.items():
                box.value = e in self.data.elements
            self.sufficient.value = self.data.evidence_sufficient or None
            self.next_steps.value = self.data.next_steps
            self.free_text.value = self.data.free_text
        finally:
            self._loading = False

    # history, export, import ----------------------------------------------------------
    def _fill_history(self) -> None:
        assert self.store is not None
        versions = self.store.history()
        shown = versions[-_HISTORY_SHOWN:][::-1]
        self.history_list.options = [
            (self._version_label(int(v["revision"]), str(v.get("saved", ""))), int(v["revision"]))
            for v in shown
        ]
        older = len(versions) - len(shown)
        self.history_note.value = (
            html.escape(_("{n} older versions are kept on disk.").format(n=older)) if older else ""
        )

    @staticmethod
    def _version_label(revision: int, saved: str) -> str:
        return _("Version {n} · {time}").format(n=revision, time=_local_time(saved))

    def _add_history_option(self, revision: int, saved: str | None) -> None:
        if self.compact:
            return
        options = [(self._version_label(revision, saved or ""), revision)]
        options += list(self.history_list.options)[: _HISTORY_SHOWN - 1]
        self.history_list.options = options
        self.history_list.value = revision

    def _restore(self) -> None:
        assert self.store is not None
        revision = self.history_list.value
        if revision is None:
            return
        self.revision = self.store.restore(int(revision))
        self.problem.value = ""
        self.data = self._load()
        self._fill()
        self._fill_history()
        self._show_saved(fresh=True)
        self.history_note.value = html.escape(
            _("Version {old} is back, saved as version {new}.").format(
                old=revision, new=self.revision
            )
        )

    def _make_exports(self) -> None:
        self._export_shown = True
        stem = re.sub(r"[^\w-]+", "-", f"conclusions-{self.data.case}-{self.data.team}").lower()
        self.exports.value = (
            "<ul>"
            + "".join(
                f"<li>{link}</li>"
                for link in (
                    _download_link(
                        report_html(self.data, self.case).encode(),
                        f"{stem}.html",
                        "text/html",
                        _("Report (HTML, to read or print)"),
                    ),
                    _download_link(
                        report_md(self.data, self.case).encode(),
                        f"{stem}.md",
                        "text/markdown",
                        _("Report (Markdown)"),
                    ),
                    _download_link(
                        self.data.model_dump_json(indent=2).encode(),
                        f"{stem}.json",
                        "application/json",
                        _("Conclusions for the trainer (JSON)"),
                    ),
                )
            )
            + "</ul>"
        )

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        file = files[0]
        name = str(file.get("name", "conclusions.json"))
        self.import_file(bytes(file["content"]), name)

    def import_file(self, content: bytes | str, name: str) -> TeamConclusions | None:
        """Read an exported file and ask to confirm loading it; return it, or ``None``."""
        self._pending = None
        try:
            data = parse_conclusions(content, name)
        except ConclusionsError as err:
            self.import_box.children = [
                ipw.HTML(
                    _message(
                        _("This file cannot be imported: {why}").format(why=str(err)), "warning"
                    )
                )
            ]
            return None
        assert self.case is not None
        if data.case != self.case.id:
            self.import_box.children = [
                ipw.HTML(
                    _message(
                        _(
                            "{name} holds conclusions on another case ({other}), not on this "
                            "one ({this}): it was not imported."
                        ).format(name=name, other=data.case, this=self.case.id),
                        "warning",
                    )
                )
            ]
            return None
        self._pending = data
        confirm = ipw.Button(description=_("Yes, load it"), button_style="warning")
        cancel = ipw.Button(description=_("Cancel"))
        confirm.on_click(lambda _b: self.confirm_import())
        cancel.on_click(lambda _b: self._cancel_import())
        question = _(
            "Load the conclusions of team {team} from {name} ({n} findings)? They replace what "
            "the form shows; the current version stays in the history."
        ).format(team=data.team, name=name, n=len(data.findings))
        self.import_box.children = [ipw.HTML(_message(question)), ipw.HBox([confirm, cancel])]
        return data

    def _cancel_import(self) -> None:
        self._pending = None
        self.import_box.children = [ipw.HTML(_message(_("Nothing was imported.")))]
        self.upload.value = ()

    def confirm_import(self) -> int:
        """Load the file read by :meth:`import_file` as a new version; return its revision."""
        if self._pending is None or self.store is None:
            return 0
        data = self._pending.model_copy(update={"team": self.data.team, "case": self.data.case})
        self._pending = None
        self.data = data
        self._seen = {f.id for f in data.findings}
        self.revision = self.store.revision  # the file replaces the form: no merge
        self._fill()
        revision = self.save()
        self._fill_history()
        self.import_box.children = [
            ipw.HTML(_message(_("Imported: saved as version {n}.").format(n=revision), "success"))
        ]
        self.upload.value = ()
        return revision

    # the compact form -----------------------------------------------------------------
    def _build_compact(self) -> None:
        self._export_shown = False
        self._added_here: set[str] = set()
        self.notes = _text_area("", _("Your team's notes on this workbook"), rows=4)
        self.notes.add_class("casebook-notes-text")
        self.notes.observe(self._notes_changed, names="value")
        parts = part_labels()
        topics = topic_labels()
        self.new_part = ipw.Dropdown(options=[(parts[p], p) for p in PARTS], description=_("Part"))
        self.new_topic = ipw.Dropdown(description=_("Topic"))

        def topics_of(_c=None) -> None:
            self.new_topic.options = [(topics[t], t) for t in TOPICS[self.new_part.value]]

        self.new_part.observe(topics_of, names="value")
        topics_of()
        self.new_text = _text_area("", _("What you conclude, in a sentence or two"))
        self.new_picker = EvidencePicker(self.items)
        add = _button(_("Add the finding"), "plus")
        add.on_click(lambda _b: self.add_finding())
        self.added = ipw.HTML()
        self.snapshot_button = _button(_("Attach a picture of the network as it is now"), "image")
        self.snapshot_view = ipw.HTML()
        self.snapshot_view.add_class("casebook-snapshot")
        self.snapshot_button.on_click(lambda _b: self.take_snapshot())
        has_view = getattr(self.explorer, "view", None) is not None
        self.snapshot_button.layout.display = None if has_view else "none"
        link = workbook_link("06-conclusions.ipynb", self.params)
        self.children = [
            _style(),
            self.status,
            self.problem,
            self.notes,
            ipw.Accordion(
                children=[
                    ipw.VBox(
                        [
                            ipw.HBox([self.new_part, self.new_topic]),
                            self.new_text,
                            self.new_picker,
                            ipw.HBox([self.snapshot_button]),
                            self.snapshot_view,
                            add,
                            self.added,
                        ]
                    )
                ],
                titles=(_("Add a finding with the evidence it rests on"),),
                selected_index=None,
            ),
            ipw.HTML(
                f'<a href="{html.escape(link)}" target="_self">'
                f"{html.escape(_('All your team’s conclusions: workbook 06, Conclusions'))}</a>"
            ),
        ]

    def _fill_compact(self) -> None:
        note = next((f for f in self.data.findings if f.id == f"note-{self.workbook}"), None)
        self.notes.value = note.text if note else ""

    def _notes_changed(self, change) -> None:
        if self._loading:
            return
        note_id = f"note-{self.workbook}"
        note = next((f for f in self.data.findings if f.id == note_id), None)
        if note is None:
            note = Finding(id=note_id, part="investigation", topic=NOTES_TOPIC)
            self.data.findings.append(note)
            self._added_here.add(note_id)
        note.text = change["new"]
        self.save()

    def take_snapshot(self) -> None:
        """Compact form: ask the linked explorer's drawing for a picture for the next finding."""
        view = getattr(self.explorer, "view", None)
        if view is None:
            return
        self.snapshot_view.value = _message(_("Taking the picture…"))
        view.request_snapshot(self._got_snapshot)

    def _got_snapshot(self, url: str) -> None:
        if not url:
            self.snapshot = None
            self.snapshot_view.value = _message(_("There is no drawing to take a picture of."))
            return
        self.snapshot = url
        self.snapshot_view.value = (
            f'<img src="{url}" alt="{html.escape(_("Picture of the network"))}" '
            'style="max-width: 420px; border: 1px solid #c8c8c8">'
            f"<p>{html.escape(_('It goes with the next finding you add.'))}</p>"
        )

    def add_finding(self) -> Finding | None:
        """Compact form: add the finding typed (with its citations) to the conclusions."""
        text = self.new_text.value.strip()
        if not text:
            self.added.value = _message(_("Write the finding first."), "warning")
            return None
        finding = Finding(
            id=f"f-{uuid.uuid4().hex[:8]}",
            part=self.new_part.value,
            topic=self.new_topic.value or "",
            text=text,
            cites=list(self.new_picker.cites),
            snapshot=self.snapshot,
        )
        self.data.findings.append(finding)
        self._added_here.add(finding.id)
        self.save()
        self.snapshot = None
        self.snapshot_view.value = ""
        self._loading = True
        try:
            self.new_text.value = ""
            self.new_picker.set_cites([])
        finally:
            self._loading = False
        self.added.value = _message(
            _("Added to your conclusions (version {n}).").format(n=self.revision), "success"
        )
        return finding
