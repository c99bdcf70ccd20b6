"""The start page: pick a case and a team, read the briefing, open the workbooks."""

from __future__ import annotations

import html

import ipywidgets as ipw
import traitlets

from .case import CaseSummary, list_cases, load_case, localized
from .errors import CaseError
from .i18n import LANGUAGES, _, get_language, ngettext, set_language
from .markdown import render_markdown
from .page import PageParams, clean_team, page_params, workbook_link
from .progress import released_phase, try_unlock, unlocked_phases
from .ui import error_html, fallback_marker
from .workbooks import Workbook, list_workbooks

__all__ = [
    "StartPage",
    "case_options",
    "case_card_html",
    "briefing_html",
    "links_html",
    "language_links_html",
]


def case_options(cases: list[CaseSummary], language: str) -> list[tuple[str, str]]:
    """Return (label, case id) pairs for the case picker, in the participant's language.

    Examples
    --------
    >>> from widgets import list_cases
    >>> ("demo" in [value for _, value in case_options(list_cases(), "en")])
    True
    """
    options = []
    for summary in cases:
        title, fallback = localized(summary.title, language, _source(summary))
        if fallback and not summary.problem:
            title += fallback_marker(_source(summary), html_badge=False)
        if summary.problem:
            title = summary.id
            title = _("{title} (cannot be opened)").format(title=title)
        options.append((title, summary.id))
    return options


def _source(summary: CaseSummary) -> str:
    return summary.languages[0] if summary.languages else "en"


def case_card_html(summary: CaseSummary, objectives: list[str], language: str) -> str:
    """Return the HTML card that presents a case: title, summary, learning objectives.

    ``objectives`` are HTML-safe Markdown texts (a fallback already marked).
    """
    source = _source(summary)
    title, title_fallback = localized(summary.title, language, source)
    text, text_fallback = localized(summary.summary, language, source)
    title = html.escape(title) + (fallback_marker(source) if title_fallback else "")
    text = render_markdown(text) + (fallback_marker(source) if text_fallback else "")
    items = "".join(f"<li>{render_markdown(o).strip()}</li>" for o in objectives)
    phases = ngettext("{n} phase", "{n} phases", summary.phases).format(n=summary.phases)
    return (
        f'<div class="casebook-card"><h3>{title}</h3>{text}'
        f'<p class="casebook-muted">{html.escape(phases)}</p>'
        f"<h4>{html.escape(_('What you will learn'))}</h4><ul>{items}</ul></div>"
    )


def _marked(case, value) -> str:
    """Return a case text as Markdown, with the fallback marker if it is not translated."""
    text, fallback = case.text_and_fallback(value)
    return text + (fallback_marker(case.meta.source_language) if fallback else "")


def briefing_html(
    title: str, briefing: str, phase: int, of: int, fallback: str | None = None
) -> str:
    """Return the HTML of a phase briefing, headed by its number and title.

    Examples
    --------
    >>> "Phase 1 of 2" in briefing_html("The interception", "A van is stopped.", 1, 2)
    True
    """
    head = _("Phase {phase} of {of}: {title}").format(phase=phase, of=of, title=title)
    marker = fallback_marker(fallback) if fallback else ""
    return (
        f'<div class="casebook-briefing"><h3>{html.escape(head)}{marker}</h3>'
        f"{render_markdown(briefing)}</div>"
    )


def links_html(workbooks: list[Workbook], params: PageParams) -> str:
    """Return the list of links to the workbooks, each keeping case, team and language.

    Examples
    --------
    >>> from widgets.workbooks import Workbook
    >>> out = links_html([Workbook("02-network.ipynb", 2, "The network")],
    ...                  PageParams(case="demo", team="Blue"))
    >>> 'href="02-network.ipynb?case=demo&amp;team=Blue"' in out
    True
    """
    if not workbooks:
        return f"<p>{html.escape(_('No workbooks have been added yet.'))}</p>"
    items = "".join(
        f'<li><a href="{html.escape(workbook_link(w.file, params))}" target="_self">'
        f"{html.escape(w.title)}</a></li>"
        for w in workbooks
    )
    return f'<ol class="casebook-links">{items}</ol>'


def language_links_html(params: PageParams, current: str) -> str:
    """Return the language picker: a link per language to this page, keeping case and team.

    Examples
    --------
    >>> out = language_links_html(PageParams(case="demo", team="Blue"), "en")
    >>> 'href="00-start.ipynb?case=demo&amp;team=Blue&amp;lang=mk"' in out
    True
    >>> '<a aria-current="true"' in out and "Македонски" in out
    True
    """
    items = []
    for tag, language in LANGUAGES.items():
        link = workbook_link("00-start.ipynb", PageParams(**{**vars(params), "lang": tag}))
        current_attr = ' aria-current="true"' if tag == current else ""
        items.append(
            f'<li><a{current_attr} href="{html.escape(link)}" target="_self" '
            f'lang="{tag}" hreflang="{tag}">{html.escape(language.name)}</a></li>'
        )
    label = html.escape(_("Language"))
    return f'<nav aria-label="{label}"><ul class="casebook-languages">{"".join(items)}</ul></nav>'


class StartPage(ipw.VBox):
    """Pick a case and a team, read the briefing of the released phase, open a workbook.

    The case, team and language come from the page URL (``?case=demo&team=Blue``) when
    present, so a link or a reload keeps them.

    Parameters
    ----------
    params : PageParams, optional
        Default: read from the page (see :func:`widgets.page.page_params`).

    Examples
    --------
    >>> page = StartPage(PageParams(case="demo", team="Blue"))
    >>> page.case_id, page.team
    ('demo', 'Blue')
    >>> "Phase 1 of 2" in page.briefing.value
    True
    """

    case_id = traitlets.Unicode(None, allow_none=True, help="The chosen case.")
    team = traitlets.Unicode("", help="The team name, empty until a valid one is entered.")
    phase = traitlets.Int(1, help="The latest phase released to the team.")

    def __init__(self, params: PageParams | None = None, **kwargs):
        super().__init__(**kwargs)
        self.params = params if params is not None else page_params()
        self.language = set_language(self.params.lang) if self.params.lang else get_language()
        self.cases = list_cases()
        self.workbooks = list_workbooks()
        self._objectives: dict[str, list[str]] = {}

        self.picker = ipw.Dropdown(
            options=case_options(self.cases, self.language),
            description=_("Case"),
            layout=ipw.Layout(width="min(36em, 100%)"),
        )
        self.card = ipw.HTML()
        self.team_input = ipw.Text(
            description=_("Team"),
            placeholder=_("e.g. Blue team"),
            layout=ipw.Layout(width="min(24em, 100%)"),
        )
        self.team_hint = ipw.HTML()
        self.briefing = ipw.HTML()
        self.code_input = ipw.Text(
            description=_("Phase code"),
            placeholder=_("given by your trainer"),
            continuous_update=False,
            layout=ipw.Layout(width="min(24em, 100%)"),
        )
        self.unlock_button = ipw.Button(description=_("Unlock"), button_style="primary")
        self.unlock_message = ipw.HTML()
        self.unlock_box = ipw.HBox([self.code_input, self.unlock_button])
        self.unlock_box.add_class("casebook-unlock")
        self.links = ipw.HTML()
        self.language_links = ipw.HTML()
        self.language_links.add_class("casebook-language-picker")
        self._case = None

        def heading(text: str) -> ipw.HTML:
            return ipw.HTML(f"<h2>{html.escape(text)}</h2>")

        intro = ipw.HTML(
            "<p class='casebook-lead'>{}</p>".format(
                html.escape(
                    _(
                        "Welcome. Your team will investigate a migrant smuggling case, built "
                        "from real cases of the region and anonymised, as its evidence is "
                        "released phase by phase. The smuggled migrants you meet are witnesses "
                        "and often victims: protecting them is part of the task."
                    )
                )
            )
        )
        self.children = [
            self.language_links,
            intro,
            heading(_("1. Choose the case")),
            self.picker,
            self.card,
            heading(_("2. Name your team")),
            self.team_input,
            self.team_hint,
            heading(_("3. Read the briefing")),
            self.briefing,
            self.unlock_box,
            # outside the box, which hides itself once the last phase is released
            self.unlock_message,
            heading(_("4. Open a workbook")),
            self.links,
        ]
        self.add_class("casebook-start")

        if not self.cases:
            self.card.value = error_html(_("No cases were found."), [])
        self.picker.observe(self._on_pick, names="value")
        self.team_input.observe(self._on_team, names="value")
        self.unlock_button.on_click(self._on_unlock)
        # Enter (or leaving the field) submits the code as the button does.
        self.code_input.observe(self._on_unlock, names="value")
        ids = [c.id for c in self.cases]
        if self.params.case in ids:
            self.picker.value = self.params.case
        self._on_pick({"new": self.picker.value})
        self.team_input.value = self.params.team or ""
        self._on_team({"new": self.team_input.value})
        # Browser tests and benchmarks wait for this class: the page has finished building.
        self.add_class("casebook-ready")

    # observers ---------------------------------------------------------------
    def _on_pick(self, change) -> None:
        self.case_id = change["new"]
        summary = next((c for c in self.cases if c.id == self.case_id), None)
        if summary is None:
            self.briefing.value = ""
            self._case = None
            self._show_phase()
            return
        try:
            case = load_case(summary.path)
        except CaseError as exc:
            self.card.value = error_html(
                _("This case cannot be opened. Please tell your trainer:"),
                [str(p) for p in exc.problems],
            )
            self.briefing.value = ""
            self._case = None
            self._show_phase()
            return
        objectives = [_marked(case, o) for o in case.meta.learning_objectives]
        self.card.value = case_card_html(summary, objectives, self.language)
        self._case = case
        self._show_phase()

    def _on_team(self, change) -> None:
        raw = change["new"].strip()
        name = clean_team(raw)
        self.team = name or ""
        if raw and not name:
            self.team_hint.value = '<p class="casebook-warning">{}</p>'.format(
                html.escape(_("Use letters, digits, spaces, '-' or '_' (at most 40)."))
            )
        else:
            self.team_hint.value = ""
        self._show_phase()

    def _show_phase(self) -> None:
        """Show the briefing of the latest phase released to the team, and the links."""
        case = self._case
        if case is None:
            self.unlock_box.layout.display = "none"
            self._update_links()
            return
        self.phase = released_phase(case.meta, unlocked_phases(case.id, self.team))
        phase = case.meta.phases[self.phase - 1]
        title, title_fallback = case.text_and_fallback(phase.title)
        briefing, briefing_fallback = case.text_and_fallback(phase.briefing)
        self.briefing.value = briefing_html(
            title,
            briefing,
            self.phase,
            len(case.meta.phases),
            fallback=case.meta.source_language if title_fallback or briefing_fallback else None,
        )
        more = self.phase < len(case.meta.phases)
        self.unlock_box.layout.display = None if (more and self.team) else "none"
        self._update_links()

    def _on_unlock(self, _event=None) -> None:
        code = self.code_input.value.strip()
        if self._case is None or not self.team or not code:
            return
        unlocked = try_unlock(self._case.meta, self.team, code)
        self.code_input.value = ""
        if unlocked is None:
            self.unlock_message.value = '<p class="casebook-warning">{}</p>'.format(
                html.escape(
                    _("This code does not open a phase of this case. Check it with your trainer.")
                )
            )
            return
        self._show_phase()
        self.unlock_message.value = '<p class="casebook-success">{}</p>'.format(
            html.escape(_("Phase {phase} is released to your team.").format(phase=unlocked))
        )

    def _update_links(self) -> None:
        self.language_links.value = language_links_html(
            PageParams(case=self.case_id, team=self.team or None, lang=self.params.lang),
            self.language,
        )
        if not self.case_id:
            self.links.value = ""
            return
        if not self.team:
            self.links.value = "<p>{}</p>".format(
                html.escape(_("Enter your team name to open the workbooks."))
            )
            return
        params = PageParams(case=self.case_id, team=self.team, lang=self.params.lang)
        self.links.value = links_html(self.workbooks, params)
