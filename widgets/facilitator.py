"""The trainer's view: phase codes, the debrief board and the model answers, behind a passphrase.

Nothing of the case's answers reaches the page before the right passphrase is given: the
widgets that show them are built only then. The passphrase is set when the server starts
(``make serve TRAINER_PASSPHRASE=...`` sets :data:`PASSPHRASE_VARIABLE` for Voila, whose
kernels inherit the server's environment); it never travels to the browser.
"""

from __future__ import annotations

import hmac
import html
import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import ipywidgets as ipw
import networkx as nx
import traitlets

from .analysis import account_holders, phone_users
from .case import Case, list_cases, load_case
from .case_banner import default_case_id
from .conclusions_format import (
    ELEMENTS,
    ConclusionsError,
    TeamConclusions,
    element_labels,
    need_labels,
    parse_conclusions,
    part_labels,
    role_labels,
    topic_labels,
)
from .errors import CaseError
from .evidence import entity_namer, evidence_rows
from .graph_view import PALETTE, GraphView, layout_positions
from .i18n import DEFAULT_LANGUAGE, _, format_datetime, get_language, set_language
from .labels import sufficiency_label
from .markdown import render_markdown
from .network import network
from .notes import NotesStore
from .page import page_params
from .progress import data_dir, team_slug
from .schema import ROLES
from .start_page import case_options
from .ui import error_html, fallback_marker

__all__ = [
    "GUIDE",
    "PAINTED_ROLES",
    "PASSPHRASE_VARIABLE",
    "Facilitator",
    "Team",
    "answers_html",
    "board_graph",
    "disagreements",
    "guide_html",
    "passphrase_matches",
    "phase_codes_html",
    "roles_board_html",
    "stored_conclusions",
    "teams_html",
    "trainer_passphrase",
]

#: The environment variable that holds the trainer's passphrase (set by ``make serve``).
PASSPHRASE_VARIABLE = "CASEBOOK_TRAINER_PASSPHRASE"
#: The trainer's guide, shown inside the widget: Voila does not serve docs/.
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "trainer-guide.md"
#: The roles the board paints on the network, for every team and for the model answer.
PAINTED_ROLES = ("organiser", "recruiter", "money_holder")

_CSS = Path(__file__).parent / "static" / "facilitator.css"
# Team colours: Okabe-Ito without yellow (too pale on white) and black (the model answer's).
_TEAM_COLOURS = PALETTE[:6]
_MODEL_COLOUR = "#000000"
#: Above this many nodes, the board's network keeps only the painted people and their links.
NEIGHBOURS_ABOVE = 60
_DASHES = {"organiser": False, "recruiter": [10, 6], "money_holder": [2, 6]}


def trainer_passphrase() -> str | None:
    """Return the passphrase the server was started with, or ``None`` when none was set."""
    value = os.environ.get(PASSPHRASE_VARIABLE, "")
    return value if value.strip() else None


def passphrase_matches(given: str, expected: str | None) -> bool:
    """Tell whether ``given`` is the passphrase, in a time that does not depend on where it differs.

    Examples
    --------
    >>> passphrase_matches("open sesame", "open sesame"), passphrase_matches("open", "open sesame")
    (True, False)
    >>> passphrase_matches("anything", None)
    False
    """
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _esc(text: object) -> str:
    """Escape text written by a team or a case author, keeping its line breaks."""
    return html.escape(str(text)).replace("\n", "<br>")


# ---------------------------------------------------------------- release phases


def phase_codes_html(case: Case) -> str:
    """Return one card per phase: its code, large, and what the phase releases.

    Examples
    --------
    >>> from widgets import load_case
    >>> out = phase_codes_html(load_case("demo"))
    >>> "ZETA-2" in out and "The phone and the money" in out
    True
    """
    codes = case.answers.phase_codes if case.answers is not None else {}
    docs = case.documents
    events = case.events
    cards = []
    for phase in case.phases:
        n = phase.number
        css = "casebook-no-code"
        if n == 1:
            code = _("open from the start")
        elif phase.unlock_sha256 is None:
            code = _("no code: released with the phase before")
        elif codes.get(n):
            code, css = codes[n], "casebook-code"
        else:
            code = _("missing: add it to phase_codes in answers.yml")
        titles = docs.loc[docs["phase"] == n, "title"].tolist()
        items = "".join(f"<li>{html.escape(str(t))}</li>" for t in titles)
        count = int((events["phase"] == n).sum())
        evidence = _("{n} new evidence items").format(n=count)
        head = _("Phase {n}: {title}").format(n=n, title=case.text(phase.title))
        cards.append(
            f'<div class="casebook-code-card" data-phase="{n}"><h4>{html.escape(head)}</h4>'
            f'<span class="{css}">{html.escape(code)}</span>'
            f'<span class="casebook-muted">{html.escape(evidence)}</span><ul>{items}</ul></div>'
        )
    lead = _(
        "Read a code out when the teams may open the next phase; each team enters it on its "
        "start page. Codes are not case-sensitive."
    )
    return f'<p>{html.escape(lead)}</p><div class="casebook-codes">{"".join(cards)}</div>'


# ---------------------------------------------------------------- the teams' conclusions


@dataclass
class Team:
    """One team on the board: its conclusions, where they came from, and its colour."""

    conclusions: TeamConclusions
    source: str
    colour: str = PALETTE[0]

    @property
    def name(self) -> str:
        """The team's name, as the team wrote it (escape it before it becomes HTML)."""
        return self.conclusions.team


def stored_conclusions(
    case_id: str, root: Path | None = None
) -> tuple[list[TeamConclusions], list[str]]:
    """Return every team's latest conclusions on a case from the server's store, and problems.

    Each folder of ``notes/<case>/`` is read through :class:`widgets.notes.NotesStore` (so a
    lost ``current.json`` is rebuilt from the history); a file that is not valid conclusions
    gives a sentence naming it and the field at fault, instead of a team.

    Examples
    --------
    >>> teams, problems = stored_conclusions("no-such-case")
    >>> teams, problems
    ([], [])
    """
    base = (Path(root) if root is not None else data_dir()) / "notes" / team_slug(case_id)
    teams: list[TeamConclusions] = []
    problems: list[str] = []
    folders = sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    for folder in folders:
        store = NotesStore(case_id, folder.name, root=root)
        if store.folder != folder:
            continue  # not a folder the store wrote
        data = store.load()
        if not data:
            continue
        name = f"notes/{folder.parent.name}/{folder.name}/current.json"
        try:
            conclusions = parse_conclusions(json.dumps(data), name)
        except ConclusionsError as err:
            problems.append(str(err))
            continue
        if conclusions.case != case_id:
            problems.append(f"{name}: case: {conclusions.case!r} is not {case_id!r}")
            continue
        teams.append(conclusions)
    return teams, problems


def _model_roles(case: Case) -> dict[str, list[tuple[str, int]]]:
    model: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for answer in case.answers.roles if case.answers is not None else []:
        model[answer.role].append((answer.entity, answer.phase))
    return model


def _mark(team: set[str], model: set[str]) -> tuple[str, str]:
    """Return (CSS class, words) saying how far a team's answer matches the model's."""
    if not team and not model:
        return "", ""
    if team == model:
        return "casebook-agree", "✓ " + _("agrees")
    if not team:
        return "casebook-differ", "– " + _("nobody named")
    if team & model:
        return "casebook-differ", "◐ " + _("partly")
    return "casebook-differ", "✗ " + _("differs")


def roles_board_html(case: Case, teams: list[Team]) -> str:
    """Return the board: per role, the model answer and each team's people, with marks.

    Examples
    --------
    >>> from widgets import load_case
    >>> from widgets.conclusions_format import RoleClaim, TeamConclusions
    >>> case = load_case("demo")
    >>> blue = TeamConclusions(case="demo", team="Blue")
    >>> blue.roles.append(RoleClaim(entity="P-ORG", role="organiser"))
    >>> out = roles_board_html(case, [Team(blue, "server")])
    >>> "Besnik Marku" in out and "✓ agrees" in out
    True
    """
    name = entity_namer(case)
    labels = role_labels()
    model = _model_roles(case)
    head = "".join(
        f'<th><span class="casebook-swatch" style="background:{t.colour}"></span>'
        f"{html.escape(t.name)}</th>"
        for t in teams
    )
    rows = []
    for role in ROLES:
        claims = [t.conclusions.role_of(role) for t in teams]
        if not model.get(role) and not any(claims):
            continue
        expected = {e for e, _p in model.get(role, [])}
        shown = (
            "<br>".join(
                html.escape(name(e)) + f' <span class="casebook-muted">({_("phase")} {p})</span>'
                for e, p in model.get(role, [])
            )
            or '<span class="casebook-muted">—</span>'
        )
        cells = []
        for claimed in claims:
            css, words = _mark(set(claimed), expected)
            people = [
                ("✓ " if e in expected else "✗ ") + html.escape(name(e))
                for e in dict.fromkeys(claimed)
            ]
            missing = [name(e) for e in expected if e not in claimed]
            if missing and claimed:
                people.append(
                    f'<span class="casebook-muted">{html.escape(_("not named"))}: '
                    f"{html.escape(', '.join(missing))}</span>"
                )
            mark = f'<span class="{css}">{html.escape(words)}</span><br>' if words else ""
            cells.append(f"<td>{mark}{'<br>'.join(people)}</td>")
        rows.append(
            f"<tr><th>{html.escape(labels.get(role, role))}</th><td>{shown}</td>"
            f"{''.join(cells)}</tr>"
        )
    return (
        f'<table class="casebook-board casebook-board-roles"><thead><tr><th>{_("Role")}</th>'
        f"<th>{html.escape(_('Model answer'))}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def findings_board_html(case: Case, teams: list[Team]) -> str:
    """Return, per model finding, how much of its evidence each team cites."""
    findings = case.answers.findings if case.answers is not None else []
    head = "".join(f"<th>{html.escape(t.name)}</th>" for t in teams)
    rows = []
    cited = [set(t.conclusions.cited()) for t in teams]
    for finding in findings:
        need = list(dict.fromkeys(finding.evidence))
        cells = []
        for have in cited:
            k = sum(1 for e in need if e in have)
            css = "casebook-agree" if k == len(need) else "casebook-differ"
            sign = "✓" if k == len(need) else ("◐" if k else "–")
            words = _("{k} of {n} cited").format(k=k, n=len(need))
            cells.append(f'<td><span class="{css}">{sign}</span> {html.escape(words)}</td>')
        title = html.escape(case.text(finding.title))
        rows.append(
            f"<tr><th>{title} <span class='casebook-muted'>({_('phase')} {finding.phase})</span>"
            f"</th>{''.join(cells)}</tr>"
        )
    if not rows:
        return ""
    return (
        f'<table class="casebook-board casebook-board-findings"><thead><tr>'
        f"<th>{html.escape(_('Key finding: evidence cited'))}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def disagreements(case: Case, teams: list[Team]) -> list[str]:
    """Return, as plain sentences, where the teams disagree (escape them before showing).

    Examples
    --------
    >>> from widgets import load_case
    >>> from widgets.conclusions_format import RoleClaim, TeamConclusions
    >>> case = load_case("demo")
    >>> blue = TeamConclusions(case="demo", team="Blue")
    >>> blue.roles.append(RoleClaim(entity="P-ORG", role="organiser"))
    >>> red = TeamConclusions(case="demo", team="Red")
    >>> red.roles.append(RoleClaim(entity="P-ORG", role="driver"))
    >>> disagreements(case, [Team(blue, "server"), Team(red, "server")])[0]
    'Besnik Marku: Blue: organiser; Red: driver (model answer: organiser)'
    """
    if len(teams) < 2:
        return []
    name = entity_namer(case)
    labels = role_labels()
    model = _model_roles(case)
    model_of: dict[str, list[str]] = defaultdict(list)
    for role, items in model.items():
        for entity, _phase in items:
            model_of[entity].append(role)
    out = []

    def roles_text(roles) -> str:
        return ", ".join(labels.get(r, r) for r in roles) or _("no role")

    entities = dict.fromkeys(r.entity for t in teams for r in t.conclusions.roles)
    for entity in entities:
        given = {
            t.name: sorted({r.role for r in t.conclusions.roles if r.entity == entity})
            for t in teams
        }
        named = {team: roles for team, roles in given.items() if roles}
        if len({tuple(r) for r in named.values()}) > 1:
            parts = "; ".join(f"{team}: {roles_text(roles)}" for team, roles in named.items())
            out.append(
                f"{name(entity)}: {parts} ({_('model answer')}: {roles_text(model_of[entity])})"
            )
    for role in PAINTED_ROLES:
        chosen = {t.name: frozenset(t.conclusions.role_of(role)) for t in teams}
        if len(set(chosen.values())) > 1:
            parts = "; ".join(
                f"{team}: {', '.join(name(e) for e in sorted(people)) or _('nobody')}"
                for team, people in chosen.items()
            )
            expected = ", ".join(name(e) for e, _p in model.get(role, [])) or _("nobody")
            out.append(f"{labels[role].capitalize()}: {parts} ({_('model answer')}: {expected})")
    element_names = element_labels()
    for element in ELEMENTS:
        yes = [t.name for t in teams if element in t.conclusions.elements]
        if yes and len(yes) < len(teams):
            no = [t.name for t in teams if element not in t.conclusions.elements]
            out.append(
                _("Legal element “{element}”: evidenced for {yes}, not for {no}").format(
                    element=element_names[element], yes=", ".join(yes), no=", ".join(no)
                )
            )
    sufficient = {t.name: sufficiency_label(t.conclusions.evidence_sufficient) for t in teams}
    if len(set(sufficient.values())) > 1:
        out.append(
            _("Is the evidence sufficient? ")
            + "; ".join(f"{team}: {answer}" for team, answer in sufficient.items())
        )
    protected = dict.fromkeys(p.entity for t in teams for p in t.conclusions.protection)
    for entity in protected:
        yes = [t.name for t in teams if any(p.entity == entity for p in t.conclusions.protection)]
        if len(yes) < len(teams):
            no = [t.name for t in teams if t.name not in yes]
            out.append(
                _("Protection needs of {who}: named by {yes}, not by {no}").format(
                    who=name(entity), yes=", ".join(yes), no=", ".join(no)
                )
            )
    return out


def _saved_text(saved: str) -> str:
    """Write when a team saved its conclusions (an ISO time in the file) in the page's language.

    Examples
    --------
    >>> _saved_text("2024-05-14T03:40:12+00:00"), _saved_text("yesterday")
    ('14 May 2024, 03:40', 'yesterday')
    """
    try:
        when = datetime.fromisoformat(str(saved))
    except ValueError:
        return str(saved)
    return format_datetime(when)


def teams_html(case: Case, teams: list[Team]) -> str:
    """Return each team's conclusions in a column of its own, side by side, all text escaped."""
    name = entity_namer(case)
    roles, parts, topics = role_labels(), part_labels(), topic_labels()
    elements, needs = element_labels(), need_labels()
    columns = []
    for team in teams:
        c = team.conclusions
        facts = [team.source, _("phase {n}").format(n=c.phase)]
        if c.saved:
            facts.append(_("saved {when}").format(when=_saved_text(c.saved)))
        body = [
            f'<h4><span class="casebook-swatch" style="background:{team.colour}"></span>'
            f"{html.escape(c.team)}</h4>",
            f'<p class="casebook-muted">{html.escape(" · ".join(facts))}</p>',
        ]

        def section(title: str, content: str) -> None:
            if content:
                body.append(f"<h5>{html.escape(title)}</h5>{content}")  # noqa: B023

        def cites(ids: list[str]) -> str:
            if not ids:
                return ""
            return f' <span class="casebook-muted">[{html.escape(", ".join(ids))}]</span>'

        section(
            _("Roles"),
            "<ul>"
            + "".join(
                f"<li>{html.escape(name(r.entity))}: {html.escape(roles.get(r.role, r.role))}"
                + (f" — {_esc(r.note)}" if r.note else "")
                + f"{cites(r.cites)}</li>"
                for r in c.roles
            )
            + "</ul>"
            if c.roles
            else "",
        )
        section(
            _("Qualification of the offence"),
            f"<p>{_esc(c.qualification)}</p>" if c.qualification else "",
        )
        section(
            _("Legal elements evidenced"),
            html.escape(", ".join(elements.get(e, e) for e in c.elements)),
        )
        section(
            _("Is the evidence sufficient?"),
            html.escape(sufficiency_label(c.evidence_sufficient)),
        )
        for part in parts:
            found = [f for f in c.findings if f.part == part]
            section(
                parts[part],
                "<ul>"
                + "".join(
                    "<li>"
                    + (
                        f"<strong>{html.escape(topics.get(f.topic, f.topic))}</strong>: "
                        if f.topic
                        else ""
                    )
                    + f"{_esc(f.text)}{cites(f.cites)}</li>"
                    for f in found
                )
                + "</ul>"
                if found
                else "",
            )
        section(
            _("Protection of the migrants"),
            "<ul>"
            + "".join(
                f"<li>{html.escape(name(p.entity))}: "
                f"{html.escape(', '.join(needs.get(n, n) for n in p.needs))}"
                + (f" — {_esc(p.referral)}" if p.referral else "")
                + "</li>"
                for p in c.protection
            )
            + "</ul>"
            if c.protection
            else "",
        )
        section(
            _("Next investigative steps"), f"<p>{_esc(c.next_steps)}</p>" if c.next_steps else ""
        )
        section(_("Free text"), f"<p>{_esc(c.free_text)}</p>" if c.free_text else "")
        columns.append(
            f'<div class="casebook-team" style="--team-colour:{team.colour}">{"".join(body)}</div>'
        )
    return f'<div class="casebook-teams">{"".join(columns)}</div>'


def board_graph(
    case: Case, teams: list[Team]
) -> tuple[list[dict], list[dict], list[str], list[str]]:
    """Return the network with each team's organiser, recruiter and money holder painted on it.

    Each team (and the model answer, in black) is a box linked to the people it names, by a
    line in its colour: solid for the organiser, dashed for the recruiter, dotted for the money
    holder. Returns ``(nodes, edges, highlighted nodes, highlighted edges)`` for a
    :class:`~widgets.graph_view.GraphView`.

    Examples
    --------
    >>> from widgets import load_case
    >>> from widgets.conclusions_format import RoleClaim, TeamConclusions
    >>> case = load_case("demo")
    >>> blue = TeamConclusions(case="demo", team="Blue")
    >>> blue.roles.append(RoleClaim(entity="P-ORG", role="organiser"))
    >>> nodes, edges, hi, hi_edges = board_graph(case, [Team(blue, "server")])
    >>> "team:blue" in hi and "P-ORG" in hi
    True
    """
    from .network_explorer import graph_data

    g = network(case, migrants="group")
    g.remove_nodes_from([n for n in g if g.degree(n) == 0])
    owner = {**phone_users(case), **account_holders(case)}
    known = dict(zip(case.entities["id"], case.entities["type"], strict=True))
    labels = dict(zip(case.entities["id"], case.entities["label"], strict=True))
    painters = [("model", _("Model answer"), _MODEL_COLOUR, _model_choice(case))]
    for team in teams:
        choice = {role: team.conclusions.role_of(role) for role in PAINTED_ROLES}
        painters.append((team_slug(team.name), team.name, team.colour, choice))
    full = nx.Graph(g)
    ties: list[tuple[str, str, str, str]] = []
    for key, _label, colour, choice in painters:
        node = f"team:{key}"
        for role, entities in choice.items():
            for entity in entities:
                target = entity if entity in full else owner.get(entity, entity)
                if target not in full:
                    if target not in known:
                        continue  # an id the case does not know: nothing to paint
                    full.add_node(target, type=known[target], label=labels[target], new=False)
                full.add_node(node)
                full.add_edge(node, target)
                ties.append((node, target, role, colour))
    if len(g) > NEIGHBOURS_ABOVE:
        # A large network is unreadable on a projector: keep the painted people, and the
        # people and organisations in touch with two of them or more, who link their choices.
        painted = {target for _n, target, _r, _c in ties}
        keep = set(painted)
        for node, data in g.nodes(data=True):
            if data.get("type") in ("person", "organisation") and data.get("status") != "migrant":
                if sum(1 for p in painted if p in g and g.has_edge(node, p)) >= 2:
                    keep.add(node)
        full = full.subgraph([n for n in full if n in keep or str(n).startswith("team:")]).copy()
    positions = layout_positions(full, seed=0)
    _place_boxes(positions, ties)
    nodes, edges = graph_data(full.subgraph([n for n in full if not str(n).startswith("team:")]))
    for item in nodes:
        item["x"], item["y"] = positions[item["id"]]
    role_names = role_labels()
    for key, label, colour, _choice in painters:
        node = f"team:{key}"
        if node in full:
            x, y = positions[node]
            nodes.append(
                {
                    "id": node,
                    "label": label,
                    "title": label,
                    "shape": "box",
                    "x": x,
                    "y": y,
                    "borderWidth": 4,
                    "color": {"background": "#ffffff", "border": colour},
                    "font": {"size": 20, "color": "#1f2933"},
                }
            )
    painted_edges = []
    for node, target, role, colour in ties:
        edge_id = f"{node}->{target}:{role}"
        painted_edges.append(edge_id)
        edges.append(
            {
                "id": edge_id,
                "from": node,
                "to": target,
                "label": role_names[role],
                "color": {"color": colour},
                "width": 4,
                "dashes": _DASHES[role],
                "font": {"size": 14},
            }
        )
    highlighted = list(dict.fromkeys([n for n, t, _r, _c in ties] + [t for _n, t, _r, _c in ties]))
    return nodes, edges, highlighted, painted_edges


def _place_boxes(positions: dict, ties: list[tuple[str, str, str, str]]) -> None:
    """Move each team's box off the people it names, outwards, so that no label hides another."""
    people = [xy for node, xy in positions.items() if not str(node).startswith("team:")]
    if not people:
        return
    cx = sum(x for x, _y in people) / len(people)
    cy = sum(y for _x, y in people) / len(people)
    bottom = max(y for _x, y in people)
    for index, node in enumerate(dict.fromkeys(n for n, _t, _r, _c in ties)):
        targets = [positions[t] for n, t, _r, _c in ties if n == node]
        tx = sum(x for x, _y in targets) / len(targets)
        ty = sum(y for _x, y in targets) / len(targets)
        dx, dy = tx - cx, ty - cy
        length = (dx * dx + dy * dy) ** 0.5
        if node == "team:model" or length < 40:
            # the model answer, or a team whose people surround the centre: below the graph
            positions[node] = (cx + 160 * (index % 3 - 1), bottom + 90 + 50 * (index // 3))
        else:
            positions[node] = (tx + 220 * dx / length, ty + 220 * dy / length)


def _model_choice(case: Case) -> dict[str, list[str]]:
    model = _model_roles(case)
    return {role: [e for e, _p in model.get(role, [])] for role in PAINTED_ROLES}


def _legend_html(teams: list[Team]) -> str:
    items = [
        f'<span class="casebook-swatch" style="background:{_MODEL_COLOUR}"></span>'
        f"{html.escape(_('Model answer'))}"
    ] + [
        f'<span class="casebook-swatch" style="background:{t.colour}"></span>{html.escape(t.name)}'
        for t in teams
    ]
    labels = role_labels()
    lines = _("solid line: {a}; dashed: {b} (broker); dotted: {c}").format(
        a=labels["organiser"], b=labels["recruiter"], c=labels["money_holder"]
    )
    return (
        f'<div class="casebook-legend">{" &nbsp; ".join(items)}<br>{html.escape(lines)}. '
        f"{html.escape(_('Everyone else is dimmed.'))}</div>"
    )


# ---------------------------------------------------------------- model answers, guide


def _evidence_words(case: Case) -> dict[str, str]:
    name = entity_namer(case)
    rows = evidence_rows(case)
    words = dict(zip(rows["id"], rows["text"], strict=True))
    for doc_id, title in zip(case.documents["id"], case.documents["title"], strict=True):
        words.setdefault(doc_id, _("Document: {title}").format(title=title))
    for entity_id in case.entities["id"]:
        words.setdefault(entity_id, name(entity_id))
    return words


def answers_html(case: Case) -> str:
    """Return the model answers: key findings and roles, each with its evidence in words.

    Examples
    --------
    >>> from widgets import load_case
    >>> out = answers_html(load_case("demo"))
    >>> "The financial benefit" in out and "Besnik Marku" in out
    True
    """
    if case.answers is None:
        return f"<p>{html.escape(_('This case has no model answers.'))}</p>"
    words = _evidence_words(case)
    name = entity_namer(case)
    labels = role_labels()

    def evidence(ids: list[str]) -> str:
        items = "".join(
            f"<li><code>{html.escape(i)}</code> {html.escape(words.get(i, ''))}</li>" for i in ids
        )
        return f'<ul class="casebook-evidence">{items}</ul>'

    parts = [f"<h3>{html.escape(_('Key findings'))}</h3>"]
    for finding in sorted(case.answers.findings, key=lambda f: f.phase):
        head = _("{title} (phase {n}, {topic})").format(
            title=case.text(finding.title), n=finding.phase, topic=finding.topic
        )
        parts.append(
            f'<div class="casebook-answer"><h4>{html.escape(head)}</h4>'
            f"{render_markdown(case.text(finding.text))}{evidence(finding.evidence)}</div>"
        )
    parts.append(f"<h3>{html.escape(_('Roles'))}</h3>")
    for role in ROLES:
        for answer in (r for r in case.answers.roles if r.role == role):
            head = _("{who}: {role} (proved from phase {n})").format(
                who=name(answer.entity), role=labels[role], n=answer.phase
            )
            parts.append(
                f'<div class="casebook-answer"><h4>{html.escape(head)}</h4>'
                f"{render_markdown(case.text(answer.explanation))}{evidence(answer.evidence)}</div>"
            )
    return "".join(parts)


def guide_html(path: Path = GUIDE, language: str | None = None) -> str:
    """Return the trainer's guide as HTML (Voila serves no files from docs/).

    In the current language when ``docs/trainer-guide.<lang>.md`` exists; else the English
    guide, marked as not translated.
    """
    language = language or get_language()
    translated = path.with_name(f"{path.stem}.{language}{path.suffix}")
    marker = ""
    if language != DEFAULT_LANGUAGE and translated.is_file():
        path = translated
    elif language != DEFAULT_LANGUAGE:
        marker = f"<p>{fallback_marker(DEFAULT_LANGUAGE)}</p>"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = _("The trainer's guide is docs/trainer-guide.md in the repository.")
        return f"<p>{html.escape(text)}</p>"
    return f'<div class="casebook-guide">{marker}{render_markdown(text)}</div>'


# ---------------------------------------------------------------- the widget


class Facilitator(ipw.VBox):
    """The trainer's view: release phases, debrief the teams, read the model answers.

    Opens only with the passphrase the server was started with (the environment variable
    :data:`PASSPHRASE_VARIABLE`); until then, nothing of the answers is built, so nothing of
    them can reach the page.

    Parameters
    ----------
    case_id : str, optional
        The case to open first; default: the page's ``?case=``, else the demo case.
    delay : float
        Seconds to wait after a wrong passphrase, which slows down guessing.

    Examples
    --------
    >>> import os
    >>> os.environ[PASSPHRASE_VARIABLE] = "open sesame"
    >>> view = Facilitator("demo", delay=0)
    >>> view.passphrase.value = "guess"
    >>> view.unlocked, view.content.children
    (False, ())
    >>> view.passphrase.value = "open sesame"
    >>> view.unlocked, "ZETA-2" in view.release.value
    (True, True)
    >>> del os.environ[PASSPHRASE_VARIABLE]
    """

    unlocked = traitlets.Bool(False, help="True once the right passphrase was given.")
    case_id = traitlets.Unicode(None, allow_none=True, help="The case on the board.")

    def __init__(self, case_id: str | None = None, delay: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        params = page_params()
        if params.lang:  # the trainer's page in the language of its address, like the others
            set_language(params.lang)
        self.add_class("casebook-facilitator")
        self.delay = delay
        self.attempts = 0
        self.case: Case | None = None
        self.teams: dict[str, Team] = {}
        self._first_case = case_id
        self.passphrase = ipw.Password(
            description=_("Passphrase"),
            placeholder=_("given when the server was started"),
            continuous_update=False,
            layout=ipw.Layout(width="min(28em, 100%)"),
        )
        self.open_button = ipw.Button(description=_("Open"), button_style="primary")
        self.gate = ipw.HBox([self.passphrase, self.open_button])
        self.message = ipw.HTML()
        self.content = ipw.VBox()
        style = ipw.HTML(f"<style>{_CSS.read_text(encoding='utf-8')}</style>")
        self.children = [style, self.gate, self.message, self.content]
        if trainer_passphrase() is None:
            self.gate.layout.display = "none"
            self.message.value = self._closed_html()
        self.open_button.on_click(self._on_open)
        # Enter (or leaving the field) submits, as the button does.
        self.passphrase.observe(self._on_open, names="value")
        # Browser tests wait for this class: the page has finished building.
        self.add_class("casebook-ready")

    @staticmethod
    def _closed_html() -> str:
        return error_html(
            _("The trainer's view is closed: the server was started without a passphrase."),
            [
                "make serve TRAINER_PASSPHRASE='a long phrase'",
                f"{PASSPHRASE_VARIABLE}='a long phrase' voila ...",
            ],
            html.escape(_("Start it again with one of these commands, then reload this page.")),
        )

    # the gate ------------------------------------------------------------------
    def _on_open(self, _event=None) -> None:
        given = self.passphrase.value
        if self.unlocked or not given:
            return
        self.passphrase.value = ""
        expected = trainer_passphrase()
        if expected is None:
            self.gate.layout.display = "none"
            self.message.value = self._closed_html()
            return
        if not passphrase_matches(given, expected):
            self.attempts += 1
            time.sleep(self.delay)  # every wrong guess costs time
            self.message.value = '<p class="casebook-warning">{}</p>'.format(
                html.escape(_("This passphrase does not open the trainer's view."))
            )
            return
        self.message.value = ""
        self.gate.layout.display = "none"
        self._build()
        self.unlocked = True

    # after the passphrase --------------------------------------------------------
    def _build(self) -> None:
        cases = list_cases()
        self.picker = ipw.Dropdown(
            options=case_options(cases, get_language()),
            description=_("Case"),
            layout=ipw.Layout(width="min(36em, 100%)"),
        )
        self.guide_button = ipw.Button(
            description=_("Trainer's guide"), icon="book", layout=ipw.Layout(width="auto")
        )
        self.case_message = ipw.HTML()
        self.release = ipw.HTML()
        self.reload_button = ipw.Button(
            description=_("Read the teams' notes again"), icon="refresh"
        )
        self.upload = ipw.FileUpload(
            accept=".json,application/json",
            multiple=True,
            description=_("Add JSON files"),
            layout=ipw.Layout(width="auto"),
        )
        self.upload_message = ipw.HTML()
        self.board = ipw.HTML()
        self.graph = GraphView(height="560px")
        self.legend = ipw.HTML()
        self.disagree = ipw.HTML()
        self.team_notes = ipw.HTML()
        self.answers = ipw.HTML()
        self.guide = ipw.HTML(guide_html())

        def heading(text: str) -> ipw.HTML:
            return ipw.HTML(f"<h3>{html.escape(text)}</h3>")

        board_tab = ipw.VBox(
            [
                ipw.HTML(
                    "<p>{}</p>".format(
                        html.escape(
                            _(
                                "Every team's conclusions saved on this server, and the files "
                                "that Binder teams exported and sent you."
                            )
                        )
                    )
                ),
                ipw.HBox([self.reload_button, self.upload]),
                self.upload_message,
                heading(_("Teams and the model answer")),
                self.board,
                heading(_("On the network")),
                self.legend,
                self.graph,
                heading(_("Where the teams disagree")),
                self.disagree,
                heading(_("What each team wrote")),
                self.team_notes,
            ]
        )
        self.tabs = ipw.Tab(
            children=[self.release, board_tab, self.answers, self.guide],
            titles=[
                _("Release phases"),
                _("Debrief board"),
                _("Model answers and trainer notes"),
                _("Trainer's guide"),
            ],
        )
        self.content.children = [
            ipw.HBox([self.picker, self.guide_button]),
            self.case_message,
            self.tabs,
        ]
        self.guide_button.on_click(lambda _b: setattr(self.tabs, "selected_index", 3))
        self.reload_button.on_click(lambda _b: self._read_store())
        self.upload.observe(self._on_upload, names="value")
        self.picker.observe(self._on_pick, names="value")
        ids = [c.id for c in cases]
        first = self._first_case or page_params().case or default_case_id()
        if first in ids:
            self.picker.value = first
        self._on_pick({"new": self.picker.value})

    def _on_pick(self, change) -> None:
        self.case_id = change["new"]
        self.teams = {}
        self.case = None
        self.case_message.value = ""
        self.upload_message.value = ""
        try:
            self.case = load_case(self.case_id) if self.case_id else None
        except CaseError as exc:
            self.case_message.value = error_html(
                _("This case cannot be opened:"), [str(p) for p in exc.problems]
            )
        if self.case is None:
            self.tabs.layout.display = "none"
            return
        self.tabs.layout.display = None
        self.release.value = phase_codes_html(self.case)
        self.answers.value = answers_html(self.case)
        self._read_store()

    def _read_store(self) -> None:
        if self.case is None:
            return
        found, problems = stored_conclusions(self.case.id)
        for conclusions in found:
            self._add(conclusions, _("on this server"))
        self.upload_message.value = (
            error_html(_("Some saved notes could not be read:"), problems) if problems else ""
        )
        self._show_board()

    def _add(self, conclusions: TeamConclusions, source: str) -> None:
        key = team_slug(conclusions.team)
        colour = (
            self.teams[key].colour
            if key in self.teams
            else _TEAM_COLOURS[len(self.teams) % len(_TEAM_COLOURS)]
        )
        self.teams[key] = Team(conclusions, source, colour)

    def add_file(self, name: str, content: bytes) -> str:
        """Add a team's exported conclusions file to the board; return a sentence on how it went.

        A bad file is not added: the sentence names the file and the field at fault.
        """
        if self.case is None:
            return _("{name}: choose a case first").format(name=name)
        try:
            conclusions = parse_conclusions(content, name)
        except ConclusionsError as err:
            return str(err)
        if conclusions.case != self.case.id:
            return _("{name}: case: these are conclusions on “{other}”, not on “{this}”").format(
                name=name, other=conclusions.case, this=self.case.id
            )
        self._add(conclusions, _("uploaded: {name}").format(name=name))
        return _("{name}: the conclusions of team “{team}” are on the board").format(
            name=name, team=conclusions.team
        )

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        sentences = [self.add_file(f["name"], bytes(f["content"])) for f in files]
        self.upload.value = ()  # the same file can be uploaded again after a fix
        self.upload_message.value = "<ul>{}</ul>".format(
            "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
        )
        self._show_board()

    def _show_board(self) -> None:
        case = self.case
        if case is None:
            return
        teams = list(self.teams.values())
        if not teams:
            self.board.value = "<p>{}</p>".format(
                html.escape(
                    _(
                        "No team has saved conclusions on this case yet. Teams on Binder export "
                        "a JSON file: add it above."
                    )
                )
            )
        else:
            self.board.value = roles_board_html(case, teams) + findings_board_html(case, teams)
        nodes, edges, nodes_hi, edges_hi = board_graph(case, teams)
        self.graph.nodes, self.graph.edges = nodes, edges
        self.graph.highlight_nodes, self.graph.highlight_edges = nodes_hi, edges_hi
        self.legend.value = _legend_html(teams)
        found = disagreements(case, teams)
        if len(teams) < 2:
            text = _("Two teams or more are needed to compare.")
            self.disagree.value = f"<p>{html.escape(text)}</p>"
        elif not found:
            self.disagree.value = (
                f"<p>{html.escape(_('The teams agree on every point compared.'))}</p>"
            )
        else:
            items = "".join(f"<li>{html.escape(s)}</li>" for s in found)
            self.disagree.value = f'<ul class="casebook-disagreements">{items}</ul>'
        self.team_notes.value = teams_html(case, teams) if teams else ""
