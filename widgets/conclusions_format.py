"""What a team concludes, as data: the format the Conclusions widget saves, exports and imports.

One :class:`TeamConclusions` per team and case. It is what :class:`widgets.notes.NotesStore`
keeps (``model_dump(mode="json")``), what a team downloads as JSON, and what the trainer's
debrief board imports (:func:`parse_conclusions`) from the server's store or from files
uploaded by Binder teams. Everything a participant writes is plain text: it is escaped
wherever it becomes HTML.

The parts follow the agencies a training brings together:

- ``investigation`` (police, border police): structure of the network, evidence, next steps;
- ``prosecution``: qualification, legal elements and whether the evidence suffices, mutual
  legal assistance needed from another country;
- ``protection`` (reception centres, NGOs): vulnerability screening, referral, the rights of
  the smuggled migrants, non-criminalisation (Protocol against the Smuggling of Migrants,
  art. 5 and 16).
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .i18n import _
from .labels import role_label
from .schema import ROLES

__all__ = [
    "AGENCIES",
    "ELEMENTS",
    "FORMAT",
    "NEEDS",
    "PARTS",
    "TOPICS",
    "ConclusionsError",
    "Finding",
    "Protection",
    "RoleClaim",
    "TeamConclusions",
    "agency_labels",
    "element_labels",
    "need_labels",
    "parse_conclusions",
    "part_labels",
    "role_labels",
    "topic_labels",
]

#: Name and version of the format, written into every export.
FORMAT = "casebook-conclusions/1"

AGENCIES = ("police", "border_police", "prosecution", "reception", "ngo", "other")
PARTS = ("investigation", "prosecution", "protection")
#: Topics of findings, by part.
TOPICS = {
    "investigation": ("structure", "evidence", "next_steps"),
    "prosecution": ("qualification", "elements", "sufficiency", "mutual_legal_assistance"),
    "protection": ("vulnerability", "referral", "rights", "non_criminalisation"),
}
#: Legal elements a team can mark as evidenced.
ELEMENTS = (
    "benefit",
    "organised_group",
    "danger_to_life",
    "inhuman_treatment",
    "minors",
    "document_offence",
    "abuse_of_office",
)
#: Protection needs of a smuggled migrant.
NEEDS = (
    "child",
    "unaccompanied_child",
    "trafficking_indicators",
    "medical",
    "asylum_request",
    "family_tracing",
    "psychological_support",
    "other",
)


def role_labels() -> dict[str, str]:
    """Return the roles a team can give a person, in the page's language."""
    return {role: role_label(role) for role in ROLES}


def agency_labels() -> dict[str, str]:
    """Return the agencies a team may bring together, in the page's language."""
    return {
        "police": _("Police (criminal investigation)"),
        "border_police": _("Border police"),
        "prosecution": _("Prosecution"),
        "reception": _("Reception centre"),
        "ngo": _("Civil-society organisation"),
        "other": _("Other"),
    }


def part_labels() -> dict[str, str]:
    """Return the parts of the form, in the page's language."""
    return {
        "investigation": _("Investigation"),
        "prosecution": _("Prosecution"),
        "protection": _("Protection of the migrants"),
    }


def topic_labels() -> dict[str, str]:
    """Return the topics of findings, in the page's language."""
    return {
        "structure": _("Structure of the network"),
        "evidence": _("Evidence"),
        "next_steps": _("Next investigative steps"),
        "qualification": _("Qualification of the offence"),
        "elements": _("Legal elements"),
        "sufficiency": _("Is the evidence sufficient?"),
        "mutual_legal_assistance": _("Mutual legal assistance needed"),
        "vulnerability": _("Vulnerability screening"),
        "referral": _("Referral"),
        "rights": _("Rights of the smuggled migrants"),
        "non_criminalisation": _("Non-criminalisation"),
    }


def element_labels() -> dict[str, str]:
    """Return the legal elements, in the page's language."""
    return {
        "benefit": _("financial or other material benefit"),
        "organised_group": _("organised criminal group"),
        "danger_to_life": _("danger to life or safety of the migrants"),
        "inhuman_treatment": _("inhuman or degrading treatment"),
        "minors": _("children among the smuggled"),
        "document_offence": _("fraudulent travel or identity documents"),
        "abuse_of_office": _("abuse of office"),
    }


def need_labels() -> dict[str, str]:
    """Return the protection needs, in the page's language."""
    return {
        "child": _("child"),
        "unaccompanied_child": _("unaccompanied or separated child"),
        "trafficking_indicators": _("indicators of trafficking"),
        "medical": _("medical care"),
        "asylum_request": _("wishes to ask for asylum"),
        "family_tracing": _("family tracing"),
        "psychological_support": _("psychological support"),
        "other": _("other"),
    }


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RoleClaim(_Model):
    """The role a team gives a person, and why."""

    entity: str
    role: Literal[ROLES]  # type: ignore[valid-type]
    note: str = ""
    cites: list[str] = []


class Finding(_Model):
    """One thing the team concludes, in one part of the form, with the evidence it rests on.

    ``cites`` holds ids of entities, events and documents picked from the case (never typed);
    ``snapshot`` an optional PNG of the network view, as a ``data:image/png;base64,`` URL.
    """

    id: str
    part: Literal[PARTS]  # type: ignore[valid-type]
    topic: str = ""
    text: str = ""
    cites: list[str] = []
    snapshot: str | None = None
    author_agency: str | None = None


class Protection(_Model):
    """A smuggled migrant's protection needs, and where the team refers them."""

    entity: str
    needs: list[Literal[NEEDS]] = []  # type: ignore[valid-type]
    referral: str = ""
    cites: list[str] = []


class TeamConclusions(_Model):
    """Everything one team concludes on one case; what is saved, exported and debriefed.

    Examples
    --------
    >>> c = TeamConclusions(case="demo", team="Blue", agencies=["police", "ngo"])
    >>> c.roles.append(RoleClaim(entity="P-ORG", role="organiser", cites=["C13"]))
    >>> parse_conclusions(c.model_dump_json()).roles[0].entity
    'P-ORG'
    """

    format: Literal["casebook-conclusions/1"] = FORMAT
    case: str
    team: str
    phase: int = Field(1, ge=1)
    agencies: list[Literal[AGENCIES]] = []  # type: ignore[valid-type]
    roles: list[RoleClaim] = []
    qualification: str = ""
    elements: list[Literal[ELEMENTS]] = []  # type: ignore[valid-type]
    evidence_sufficient: Literal["yes", "no", "not_yet", ""] = ""
    findings: list[Finding] = []
    protection: list[Protection] = []
    next_steps: str = ""
    free_text: str = ""
    saved: str | None = None

    def cited(self) -> list[str]:
        """Return every id the team cites anywhere, in order of first citation."""
        out: list[str] = []
        for item in [*self.roles, *self.findings, *self.protection]:
            out.extend(i for i in item.cites if i not in out)
        return out

    def role_of(self, role: str) -> list[str]:
        """Return the entities the team gives ``role``.

        Examples
        --------
        >>> org = RoleClaim(entity="P-ORG", role="organiser")
        >>> c = TeamConclusions(case="demo", team="Red", roles=[org])
        >>> c.role_of("organiser")
        ['P-ORG']
        """
        return [r.entity for r in self.roles if r.role == role]


class ConclusionsError(ValueError):
    """A conclusions file that cannot be read; the message says where and why, in words."""


def parse_conclusions(text: str | bytes, name: str = "conclusions") -> TeamConclusions:
    """Read an exported conclusions file; a bad file raises :class:`ConclusionsError`.

    Examples
    --------
    >>> parse_conclusions('{"case": "demo"}', "blue.json")
    Traceback (most recent call last):
    ...
    widgets.conclusions_format.ConclusionsError: blue.json: team: Field required
    >>> parse_conclusions("not json", "x.json")
    Traceback (most recent call last):
    ...
    widgets.conclusions_format.ConclusionsError: x.json: not a JSON file (line 1, column 1)
    """
    try:
        data = json.loads(text)
    except ValueError as err:
        line, column = getattr(err, "lineno", 1), getattr(err, "colno", 1)
        raise ConclusionsError(
            _("{file}: not a JSON file (line {line}, column {column})").format(
                file=name, line=line, column=column
            )
        ) from None
    if not isinstance(data, dict):
        raise ConclusionsError(
            _("{file}: not a conclusions file (no object at the top)").format(file=name)
        )
    try:
        return TeamConclusions.model_validate(data)
    except ValidationError as err:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in err.errors()
        ]
        raise ConclusionsError(f"{name}: " + "; ".join(problems[:5])) from None
