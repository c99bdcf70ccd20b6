"""Case text in other languages: ``translations/<lang>.yml`` and ``documents/<lang>/*.md``.

A case is written in its source language (``source_language`` in case.yml). A translator adds,
for a language such as ``sq``:

- ``translations/sq.yml``: the title, summary, learning objectives, phase titles and
  briefings, the free text of the tables (``records``, by row id) and the trainer's model
  answers (``answers``); every key is optional;
- ``documents/sq/<ID>.md``: a document's text, with an optional front matter giving its
  ``title``.

Whatever is not translated is shown in the source language, marked: never an error. The
evidence itself is never changed: a message's ``content`` and a payment's ``purpose`` are kept
as they were seized (the analyses read them), and their translation is shown next to them.
CONTRIBUTING.md ("Translating a case") explains the format to case authors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from .case_io import load_front_matter, load_yaml, read_text, split_front_matter, yaml_line
from .errors import Problem

__all__ = [
    "CaseTranslation",
    "read_translations",
    "add_translation",
    "translate_tables",
    "is_complete",
    "TRANSLATIONS_DIR",
]

TRANSLATIONS_DIR = "translations"

#: The free-text fields of each table a translation may give, by table.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "persons": ("description",),
    "organisations": ("name", "description"),
    "phones": ("description",),
    "accounts": ("description",),
    "vehicles": ("colour", "description"),
    "locations": ("name", "description"),
    "communications": ("content", "description"),
    "payments": ("purpose", "description"),
    "trips": ("description",),
    "detections": ("description",),
    "links": ("description",),
}
#: Evidence kept verbatim: its translation goes to a column of its own, ``<field>_translation``.
VERBATIM = ("content", "purpose")
TOP_KEYS = ("title", "summary", "learning_objectives", "phases", "records", "answers")


@dataclass
class CaseTranslation:
    """What one language's files give for a case."""

    language: str
    title: str | None = None
    summary: str | None = None
    learning_objectives: dict[int, str] = field(default_factory=dict)
    #: phase number -> {"title": ..., "briefing": ...}
    phases: dict[int, dict[str, str]] = field(default_factory=dict)
    #: row id -> {field: text}
    records: dict[str, dict[str, str]] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    #: finding id -> {"title": ..., "text": ...}
    findings: dict[str, dict[str, str]] = field(default_factory=dict)
    #: document id -> {"title": ... (optional), "text": ...}
    documents: dict[str, dict[str, str]] = field(default_factory=dict)


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def read_translations(
    folder: Path,
    problems: list[Problem],
    *,
    n_objectives: int,
    n_phases: int,
    record_tables: dict[str, str],
    document_ids: set[str],
    answer_entities: set[str] | None,
    finding_ids: set[str] | None,
) -> dict[str, CaseTranslation]:
    """Read and check every translation of the case in ``folder``; add problems found.

    ``record_tables`` maps each row id of the case to its table name.
    """
    found: dict[str, CaseTranslation] = {}
    base = folder / TRANSLATIONS_DIR
    for path in sorted(base.glob("*.yml")) if base.is_dir() else ():
        rel = f"{TRANSLATIONS_DIR}/{path.name}"
        tag = path.stem
        if not schema._LANG.match(tag):
            problems.append(
                Problem(rel, None, "", f"{tag!r} is not a language tag like sq, mk or sr-Latn")
            )
            continue
        data, text = load_yaml(path, rel, problems)
        if text is None:  # unreadable, or not YAML: the problem is recorded
            continue
        if data is None:  # an empty file: nothing translated yet
            data = {}
        if not isinstance(data, dict):
            problems.append(Problem(rel, 1, "", "must be a mapping of keys to values"))
            continue
        found[tag] = _check(
            tag,
            data,
            rel,
            problems,
            lambda loc, text=text: yaml_line(text, loc),
            n_objectives=n_objectives,
            n_phases=n_phases,
            record_tables=record_tables,
            answer_entities=answer_entities,
            finding_ids=finding_ids,
        )
    docs_base = folder / "documents"
    for sub in sorted(p for p in docs_base.iterdir() if p.is_dir()) if docs_base.is_dir() else ():
        tag = sub.name
        if not schema._LANG.match(tag):
            problems.append(
                Problem(
                    f"documents/{tag}/",
                    None,
                    "",
                    "a folder of translated documents must be named by its language, like sq",
                )
            )
            continue
        translation = found.setdefault(tag, CaseTranslation(tag))
        for path in sorted(sub.glob("*.md")):
            rel = f"documents/{tag}/{path.name}"
            doc_id = path.stem
            if doc_id not in document_ids:
                problems.append(
                    Problem(rel, None, "", f"no document {doc_id!r} in documents/ to translate")
                )
                continue
            text = read_text(path, rel, problems)
            if text is None:
                continue
            front, body, _ = split_front_matter(text)
            entry = {"text": body.strip() + "\n"}
            if front:
                valid, meta = load_front_matter(front, rel, problems)
                if not valid:
                    continue
                meta = meta or {}
                extra = sorted(set(meta) - {"title"}) if isinstance(meta, dict) else ["?"]
                if extra:
                    problems.append(
                        Problem(
                            rel,
                            2,
                            str(extra[0]),
                            "a translated document's front matter gives only its title: "
                            "id, kind, phase and mentions come from the original",
                        )
                    )
                    continue
                if _text(meta.get("title")):
                    entry["title"] = _text(meta["title"])
            translation.documents[doc_id] = entry
    return found


def _check(tag, data, rel, problems, line, **known) -> CaseTranslation:
    out = CaseTranslation(tag)

    def problem(loc: tuple, reason: str) -> None:
        problems.append(Problem(rel, line(loc), ".".join(str(p) for p in loc), reason))

    def text_at(value, loc) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            problem(loc, "must be text")
            return None
        return _text(value)

    for key in data:
        if key not in TOP_KEYS:
            problem((key,), f"unknown key (known: {', '.join(TOP_KEYS)})")
    out.title = text_at(data.get("title"), ("title",))
    out.summary = text_at(data.get("summary"), ("summary",))

    objectives = data.get("learning_objectives") or []
    if not isinstance(objectives, list):
        problem(("learning_objectives",), "must be a list, in the order of case.yml")
    elif len(objectives) > known["n_objectives"]:
        problem(
            ("learning_objectives",),
            f"has {len(objectives)} items but case.yml has {known['n_objectives']}",
        )
    else:
        for i, value in enumerate(objectives):
            value = text_at(value, ("learning_objectives", i))
            if value:
                out.learning_objectives[i] = value

    phases = data.get("phases") or {}
    if not isinstance(phases, dict):
        problem(("phases",), "must map phase numbers to their title and briefing")
        phases = {}
    for number, entry in phases.items():
        loc = ("phases", str(number))
        if not isinstance(number, int) or not 1 <= number <= known["n_phases"]:
            problem(loc, f"phase {number!r} is out of range: the case has {known['n_phases']}")
            continue
        if not isinstance(entry, dict):
            problem(loc, "must give title and/or briefing")
            continue
        for name, value in entry.items():
            if name not in ("title", "briefing"):
                problem((*loc, name), "unknown key (known: title, briefing)")
            elif text_at(value, (*loc, name)):
                out.phases.setdefault(number, {})[name] = _text(value)

    records = data.get("records") or {}
    if not isinstance(records, dict):
        problem(("records",), "must map row ids to their translated fields")
        records = {}
    for item_id, entry in records.items():
        loc = ("records", item_id)
        table = known["record_tables"].get(str(item_id))
        if table is None:
            problem(loc, f"unknown id {item_id!r}: no row of the case's tables has it")
            continue
        if not isinstance(entry, dict):
            problem(loc, "must map field names to text")
            continue
        allowed = RECORD_FIELDS.get(table, ())
        for name, value in entry.items():
            if name not in allowed:
                problem(
                    (*loc, name),
                    f"{table}.csv has no translatable field {name!r} "
                    f"(translatable: {', '.join(allowed)})",
                )
            elif text_at(value, (*loc, name)):
                out.records.setdefault(str(item_id), {})[name] = _text(value)

    answers = data.get("answers") or {}
    if not isinstance(answers, dict):
        problem(("answers",), "must give roles and/or findings")
        answers = {}
    for key in answers:
        if key not in ("roles", "findings"):
            problem(("answers", key), "unknown key (known: roles, findings)")
    roles = answers.get("roles") or {}
    for entity, value in roles.items() if isinstance(roles, dict) else ():
        if known["answer_entities"] is not None and entity not in known["answer_entities"]:
            problem(("answers", "roles", entity), f"answers.yml has no role for {entity!r}")
        elif text_at(value, ("answers", "roles", entity)):
            out.roles[entity] = _text(value)
    findings = answers.get("findings") or {}
    for finding, entry in findings.items() if isinstance(findings, dict) else ():
        loc = ("answers", "findings", finding)
        if known["finding_ids"] is not None and finding not in known["finding_ids"]:
            problem(loc, f"answers.yml has no finding {finding!r}")
        elif not isinstance(entry, dict):
            problem(loc, "must give title and/or text")
        else:
            for name, value in entry.items():
                if name not in ("title", "text"):
                    problem((*loc, name), "unknown key (known: title, text)")
                elif text_at(value, (*loc, name)):
                    out.findings.setdefault(finding, {})[name] = _text(value)
    return out


def add_translation(value: schema.Text, source: str, tag: str, text) -> schema.Text:
    """Add ``text`` in ``tag`` to a case text (a string in ``source`` or a mapping).

    Examples
    --------
    >>> add_translation("Van stopped", "en", "sq", "Furgoni u ndal")
    {'en': 'Van stopped', 'sq': 'Furgoni u ndal'}
    >>> add_translation("Van stopped", "en", "sq", None)
    'Van stopped'
    """
    text = _text(text)
    if not text:
        return value
    merged = {source: value} if isinstance(value, str) else dict(value)
    merged[tag] = text
    return merged


def translate_meta(meta: schema.CaseMeta, tr: CaseTranslation) -> schema.CaseMeta:
    """Return case.yml's content with the translation's texts added to each text."""
    src = meta.source_language
    phases = [
        phase.model_copy(
            update={
                key: add_translation(getattr(phase, key), src, tr.language, given.get(key))
                for key in ("title", "briefing")
            }
        )
        for phase, given in ((p, tr.phases.get(p.number, {})) for p in meta.phases)
    ]
    return meta.model_copy(
        update={
            "title": add_translation(meta.title, src, tr.language, tr.title),
            "summary": add_translation(meta.summary, src, tr.language, tr.summary),
            "learning_objectives": [
                add_translation(o, src, tr.language, tr.learning_objectives.get(i))
                for i, o in enumerate(meta.learning_objectives)
            ],
            "phases": phases,
        }
    )


def translate_answers(answers: schema.Answers | None, meta, tr: CaseTranslation):
    """Return the model answers with the translation's explanations and findings added."""
    if answers is None:
        return None
    src = meta.source_language
    roles = [
        r.model_copy(
            update={
                "explanation": add_translation(
                    r.explanation, src, tr.language, tr.roles.get(r.entity)
                )
            }
        )
        for r in answers.roles
    ]
    findings = [
        f.model_copy(
            update={
                "title": add_translation(
                    f.title, src, tr.language, tr.findings.get(f.id, {}).get("title")
                ),
                "text": add_translation(
                    f.text, src, tr.language, tr.findings.get(f.id, {}).get("text")
                ),
            }
        )
        for f in answers.findings
    ]
    return answers.model_copy(update={"roles": roles, "findings": findings})


def _put(frame: pd.DataFrame, column: str, mapping: dict[str, str]) -> None:
    """Put the texts of ``mapping`` (by row id) in ``column``; other rows keep theirs."""
    if mapping:
        hits = frame["id"].map(mapping)
        frame[column] = hits.where(hits.notna(), frame[column])


def translate_tables(
    tables: dict[str, pd.DataFrame], tr: CaseTranslation
) -> dict[str, pd.DataFrame]:
    """Return the tables with the translation's free text put in; the evidence is unchanged.

    Translated names and descriptions replace the source's (in ``entities`` and ``events``
    too); ``content`` and ``purpose`` stay as seized and their translation goes to
    ``content_translation`` and ``purpose_translation``. The ``documents`` table gets the
    translated title and text, and a column ``translated`` telling which documents have one.
    """
    by_field: dict[str, dict[str, str]] = {}
    for item_id, fields in tr.records.items():
        for name, text in fields.items():
            by_field.setdefault(name, {})[item_id] = text
    docs = tr.documents
    changes = {
        **{
            name: {c: by_field.get(c, {}) for c in fields} for name, fields in RECORD_FIELDS.items()
        },
        "entities": {
            "label": by_field.get("name", {}),
            "description": by_field.get("description", {}),
        },
        "events": {"description": by_field.get("description", {})},
        "documents": {
            "title": {k: v["title"] for k, v in docs.items() if v.get("title")},
            "text": {k: v["text"] for k, v in docs.items()},
        },
    }
    out = dict(tables)
    for name, columns in changes.items():
        if name not in out:
            continue
        frame = out[name].copy()
        for column, mapping in columns.items():
            if column in VERBATIM:
                frame[f"{column}_translation"] = frame["id"].map(mapping) if mapping else None
            else:
                _put(frame, column, mapping)
        if name == "documents":
            frame["translated"] = frame["id"].isin(list(docs))
        out[name] = frame
    return out


def is_complete(tr: CaseTranslation, meta: schema.CaseMeta, tables, answers) -> bool:
    """Tell whether ``tr`` translates every text of a case (its meta, tables and answers).

    Names of persons and organisations are proper names, and messages and payment references
    are evidence kept as seized: neither needs a translation.
    """
    if (
        not (tr.title and tr.summary)
        or len(tr.learning_objectives) < len(meta.learning_objectives)
        or any(len(tr.phases.get(p.number, {})) < 2 for p in meta.phases)
        or not tables["documents"]["id"].isin(list(tr.documents)).all()
    ):
        return False
    if answers is not None and (
        any(r.entity not in tr.roles for r in answers.roles)
        or any(len(tr.findings.get(f.id, {})) < 2 for f in answers.findings)
    ):
        return False
    for name, fields in RECORD_FIELDS.items():
        frame = tables.get(name)
        for column in fields if frame is not None else ():
            if column in ("name", *VERBATIM) or column not in frame.columns:
                continue
            given = frame["id"].map(lambda i, c=column: c in tr.records.get(i, {}))
            texts = frame[column]
            if (texts.notna() & (texts != "") & ~given.astype(bool)).any():
                return False
    return True
