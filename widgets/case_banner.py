"""The banner at the top of every workbook: which case, which team, which phase."""

from __future__ import annotations

import html

import ipywidgets as ipw

from .case import Case, list_cases, load_case
from .errors import CaseError
from .i18n import _, get_language, set_language
from .page import PageParams, page_params, workbook_link
from .progress import released_phase, unlocked_phases
from .ui import error_html, fallback_marker, language_name

__all__ = ["CaseBanner", "default_case_id"]


def default_case_id() -> str | None:
    """Return the case a page opens without ``?case=``: ``demo`` if present, else the first.

    Examples
    --------
    >>> default_case_id()
    'demo'
    """
    ids = [c.id for c in list_cases() if not c.problem]
    if "demo" in ids:
        return "demo"
    return ids[0] if ids else None


class CaseBanner(ipw.HTML):
    """Load the page's case as the team may see it, and say so at the top of the page.

    After construction, :attr:`case` is the released case, or ``None`` when it could not be
    opened, in which case the banner itself explains why (for the trainer), never with a
    traceback.

    Parameters
    ----------
    params : PageParams, optional
        Default: read from the page URL.
    phase : int, optional
        The phase to show; default: the latest phase released to the team.

    Examples
    --------
    >>> banner = CaseBanner(PageParams(case="demo", team="Blue"))
    >>> banner.case.phase, "Blue" in banner.value
    (1, True)
    >>> CaseBanner(PageParams(case="nosuchcase")).case is None
    True
    """

    def __init__(self, params: PageParams | None = None, phase: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.params = params if params is not None else page_params()
        self.language = set_language(self.params.lang) if self.params.lang else get_language()
        self.case: Case | None = None
        self.add_class("casebook-banner")
        case_id = self.params.case or default_case_id()
        back = workbook_link("00-start.ipynb", self.params)
        back_html = (
            f'<a href="{html.escape(back)}" target="_self">{html.escape(_("Start page"))}</a>'
        )
        if case_id is None:
            self.value = error_html(_("No case is available."), [], back_html)
            return
        try:
            whole = load_case(case_id)
        except CaseError as exc:
            self.value = error_html(
                _("This case cannot be opened. Please tell your trainer:"),
                [str(p) for p in exc.problems],
                back_html,
            )
            return
        if phase is None:
            phase = released_phase(whole.meta, unlocked_phases(whole.id, self.params.team))
        phase = max(1, min(phase, len(whole.phases)))
        self.case = whole.released(phase)
        team = self.params.team or _("no team chosen")
        facts = _("Team: {team} · Phase {phase} of {of}").format(
            team=team, phase=phase, of=len(whole.phases)
        )
        title, fallback = self.case.text_and_fallback(whole.meta.title)
        title = html.escape(title)
        source = whole.meta.source_language
        note = ""
        if not self.case.is_translated():
            note = '<p class="casebook-muted casebook-translation-note">{}</p>'.format(
                html.escape(
                    _(
                        "Parts of this case are not translated into {language} yet: they are "
                        "shown in {source}, marked {marker}."
                    ).format(
                        language=language_name(self.case.language, in_sentence=True),
                        source=language_name(source, in_sentence=True),
                        marker=fallback_marker(source, html_badge=False).strip(),
                    )
                )
            )
        self.value = (
            f'<div class="casebook-banner-inner"><strong>{title}</strong>'
            f"{fallback_marker(source) if fallback else ''}"
            f" · {html.escape(facts)} · {back_html}</div>{note}"
        )
