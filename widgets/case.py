"""Load a case folder into a validated :class:`Case`, reporting every problem as file:row:field."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from . import case_translations, schema
from .case_io import (
    LOADER,
    load_front_matter,
    load_yaml,
    read_text,
    split_front_matter,
    yaml_line,
)
from .errors import CaseError, Problem
from .solvability import check_entities

__all__ = [
    "Case",
    "CaseSummary",
    "load_case",
    "list_cases",
    "cases_dir",
    "hash_unlock_code",
    "localized",
]

CASE_FILE = "case.yml"
ANSWERS_FILE = "answers.yml"
DOCUMENTS_DIR = "documents"
REQUIRED_FILES = (CASE_FILE, ANSWERS_FILE, schema.Person.file)

# Tables of a case, by name, in the order they are read.
ENTITY_TABLES = {m.file.removesuffix(".csv"): m for m in schema.ENTITY_FILES.values()}
EVIDENCE_TABLES = {m.file.removesuffix(".csv"): m for m in schema.EVENT_FILES.values()}


def cases_dir() -> Path:
    """Return the folder that holds the cases: ``$CASEBOOK_CASES`` or the repository's cases/."""
    env = os.environ.get("CASEBOOK_CASES")
    if env:
        return Path(env).expanduser().resolve()
    return Path(__file__).resolve().parent.parent / "cases"


def hash_unlock_code(case_id: str, phase: int, code: str) -> str:
    """Hash a phase's unlock code the way case.yml stores it (the code itself is never stored).

    Codes are compared without regard to case or surrounding spaces.

    Examples
    --------
    >>> hash_unlock_code("demo", 2, " ok-2 ") == hash_unlock_code("demo", 2, "OK-2")
    True
    >>> len(hash_unlock_code("demo", 2, "OK-2"))
    64
    """
    text = f"{case_id}:{phase}:{code.strip().upper()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def localized(value: schema.Text | None, language: str, fallback: str = "en") -> tuple[str, bool]:
    """Pick the text for ``language`` from a case text that may carry translations.

    Parameters
    ----------
    value : str or dict or None
        A plain string (the case's source language) or a mapping of language tags to text.
    language : str
        The language wanted, e.g. ``"sq"``.
    fallback : str
        The case's source language, used when no translation exists.

    Returns
    -------
    tuple of (str, bool)
        The text and whether it is a fallback instead of the language asked for.

    Examples
    --------
    >>> localized({"en": "Van stopped", "sq": "Furgoni u ndal"}, "sq")
    ('Furgoni u ndal', False)
    >>> localized({"en": "Van stopped"}, "mk")
    ('Van stopped', True)
    >>> localized("Van stopped", "en")
    ('Van stopped', False)
    """
    if value is None:
        return "", False
    if isinstance(value, str):
        return value, language != fallback and language.split("-")[0] != fallback
    if language in value:
        return value[language], False
    base = language.split("-")[0]
    for tag, text in value.items():
        if tag.split("-")[0] == base:
            return text, False
    if fallback in value:
        return value[fallback], True
    return next(iter(value.values()), ""), True


@dataclass(frozen=True)
class CaseSummary:
    """What the start page shows of a case without loading its evidence."""

    id: str
    path: Path
    title: schema.Text
    summary: schema.Text
    languages: tuple[str, ...]
    phases: int
    problem: str = ""


# ----------------------------------------------------------------- reading


def _field_name(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _reason(error: dict[str, Any]) -> str:
    """Turn a pydantic error into words a case author understands."""
    kind = error["type"]
    value = error.get("input")
    shown = repr(value) if isinstance(value, str | int | float) else ""
    ctx = error.get("ctx") or {}
    if kind == "missing" or (kind == "string_type" and value is None):
        return "required, but missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "literal_error":
        return f"{shown} is not one of: {str(ctx.get('expected', '')).replace(chr(39), '')}"
    if kind in {"int_parsing", "int_from_float"}:
        return f"{shown} is not a whole number"
    if kind == "float_parsing":
        return f"{shown} is not a number"
    if kind in {"datetime_parsing", "datetime_from_date_parsing", "datetime_type"}:
        return f"{shown} is not a date and time like 2024-03-02T14:05"
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type"}:
        return f"{shown} is not a date like 2024-03-02"
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        return f"{shown} is out of range ({error['msg'].lower()})"
    if kind == "too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"]


def _validate(model: type[BaseModel], data: Any, context: dict[str, Any]):
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        return None, exc.errors(include_url=False)


def _validate_yaml(model, data, text, rel, problems, context):
    obj, errors = _validate(model, data, context)
    for err in errors:
        loc = err["loc"]
        problems.append(Problem(rel, yaml_line(text, loc), _field_name(loc), _reason(err)))
    return obj


def _read_csv(
    folder: Path,
    model: type[schema._Row],
    problems: list[Problem],
    context: dict[str, Any],
    invalid: dict[str, str] | None = None,
) -> list[tuple[int, Any]]:
    """Read one table; return (spreadsheet row, validated record) pairs.

    The ids of rows that fail validation go into ``invalid`` (id -> file), so that references
    to them are not reported a second time as unknown.
    """
    rel = model.file
    path = folder / rel
    if not path.exists():
        if rel in REQUIRED_FILES:
            problems.append(Problem(rel, None, "", "missing file"))
        return []
    text = read_text(path, rel, problems)
    if text is None:
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        problems.append(Problem(rel, 1, "", "is empty: the first row must name the columns"))
        return []
    header = [h.strip() for h in header]
    fields = model.model_fields
    known = set(fields)
    for col in header:
        if col and col not in known:
            problems.append(Problem(rel, 1, col, f"unknown column (known: {', '.join(fields)})"))
    for name, info in fields.items():
        if info.is_required() and name not in header:
            problems.append(Problem(rel, 1, name, "required column is missing"))
    seen = set()
    for col in header:
        if col in seen:
            problems.append(Problem(rel, 1, col, "column appears twice"))
        seen.add(col)
    records = []
    for index, values in enumerate(reader):
        row = index + 2
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            problems.append(
                Problem(rel, row, "", f"has {len(values)} values but the header has {len(header)}")
            )
            continue
        data = {
            col: (values[i] if i < len(values) else "")
            for i, col in enumerate(header)
            if col in known
        }
        obj, errors = _validate(model, data, context)
        for err in errors:
            field = _field_name(err["loc"]) if err["loc"] else ""
            problems.append(Problem(rel, row, field, _reason(err)))
        if obj is not None:
            records.append((row, obj))
        elif invalid is not None and data.get("id"):
            invalid.setdefault(data["id"].strip(), model.file)
    return records


def _read_documents(folder: Path, problems: list[Problem], context):
    docs = []
    base = folder / DOCUMENTS_DIR
    files = sorted(base.glob("*.md")) if base.is_dir() else []
    if not files:
        problems.append(Problem(DOCUMENTS_DIR + "/", None, "", "no documents (*.md) found"))
    for path in files:
        rel = f"{DOCUMENTS_DIR}/{path.name}"
        text = read_text(path, rel, problems)
        if text is None:
            continue
        front, body, _ = split_front_matter(text)
        if not front:
            problems.append(
                Problem(
                    rel,
                    1,
                    "",
                    "must start with front matter between '---' lines (id, title, kind, phase)",
                )
            )
            continue
        valid, data = load_front_matter(front, rel, problems)
        if not valid:
            continue
        obj, errors = _validate(schema.DocumentMeta, data, context)
        for err in errors:
            line = yaml_line(front, err["loc"])
            problems.append(Problem(rel, (line or 0) + 1, _field_name(err["loc"]), _reason(err)))
        if obj is not None:
            docs.append((rel, obj, body.strip() + "\n", front))
    return docs


# ----------------------------------------------------------------- the case


def _frame(model: type[BaseModel], records: list[dict[str, Any]], extra: list[str]) -> pd.DataFrame:
    columns = list(model.model_fields) + [c for c in extra if c not in model.model_fields]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for name, info in model.model_fields.items():
        # Times become pandas timestamps; calendar dates (documents, links) stay dates.
        if "datetime.datetime" in str(info.annotation) and name in frame:
            frame[name] = pd.to_datetime(frame[name])
    if "amount" in frame:
        frame["amount"] = frame["amount"].astype(float)
    return frame


class Case:
    """A validated case: tables of entities and evidence, documents, phases and answers.

    Build one with :func:`load_case`; restrict it to what a team may see with
    :meth:`released`.

    Examples
    --------
    >>> case = load_case("demo")
    >>> case.id, len(case.phases)
    ('demo', 2)
    >>> early = case.released(1)
    >>> len(early.communications) < len(case.communications)
    True
    >>> early.answers is None
    True
    """

    def __init__(
        self,
        meta: schema.CaseMeta,
        path: Path,
        tables: dict[str, pd.DataFrame],
        answers: schema.Answers | None,
        phase: int | None = None,
    ):
        self.meta = meta
        self.path = path
        self.tables = tables
        self.answers = answers
        self.phase = phase if phase is not None else len(meta.phases)
        self._graph = None
        #: What views compute from this case and share (evidence rows, lookups...), by key:
        #: a Case is never changed after it is built, so it stays true.
        self.derived: dict = {}
        #: The language this case's texts are shown in (see :meth:`in_language`).
        self.language: str = meta.source_language
        #: Translations of the case's texts, by language (translations/<lang>.yml and
        #: documents/<lang>/): :mod:`widgets.case_translations`.
        self.translations: dict[str, case_translations.CaseTranslation] = {}

    def __repr__(self) -> str:
        return (
            f"<Case {self.id!r}: phase {self.phase} of {len(self.phases)}, "
            f"{len(self.entities)} entities, {len(self.events)} events>"
        )

    # metadata -------------------------------------------------------------
    @property
    def id(self) -> str:
        """The case id, e.g. ``"demo"``."""
        return self.meta.id

    @property
    def phases(self) -> list[schema.Phase]:
        """All phases of the case, in order (titles and briefings; evidence is in the tables)."""
        return list(self.meta.phases)

    def text(self, value: schema.Text | None, language: str | None = None) -> str:
        """Return a case text in ``language`` (default: the case's), with fallback."""
        return self.text_and_fallback(value, language)[0]

    def text_and_fallback(
        self, value: schema.Text | None, language: str | None = None
    ) -> tuple[str, bool]:
        """Return a case text in ``language`` (default: the case's), and whether it is a fallback.

        A fallback is the source language's text, shown for want of a translation: show it
        marked.

        Examples
        --------
        >>> case = load_case("demo")
        >>> case.text_and_fallback({"en": "Van stopped"}, "mk")
        ('Van stopped', True)
        """
        return localized(value, language or self.language, self.meta.source_language)

    # tables ---------------------------------------------------------------
    def _table(name: str, doc: str):  # noqa: N805 - a property factory used in the class body
        return property(lambda self: self.tables[name], doc=doc)

    persons = _table("persons", "Persons: suspects, migrants, witnesses, officials.")
    organisations = _table("organisations", "Companies, shops, agencies and authorities.")
    phones = _table("phones", "Phone lines with their SIM and handset IMEI.")
    accounts = _table("accounts", "Bank, money-transfer, hawala and wallet accounts.")
    vehicles = _table("vehicles", "Vehicles and boats.")
    locations = _table("locations", "Places with coordinates and their kind.")
    communications = _table("communications", "Calls and messages between phone lines.")
    payments = _table("payments", "Payments with amount, currency and channel.")
    trips = _table("trips", "Journey legs between locations.")
    detections = _table("detections", "Interceptions, border detections, arrests.")
    links = _table("links", "Lasting relations: uses, owns, associate, family, stays at.")
    documents = _table("documents", "Documents with their phase, kind and Markdown text.")
    entities = _table("entities", "Every entity in one table: id, type, label, phase.")
    events = _table("events", "Every timed event in one table: id, event, time, phase, source.")
    del _table

    def document_text(self, doc_id: str) -> str:
        """Return the Markdown text of a released document."""
        rows = self.documents[self.documents["id"] == doc_id]
        if rows.empty:
            raise KeyError(doc_id)
        return str(rows.iloc[0]["text"])

    def briefing(self, phase: int | None = None, language: str | None = None) -> str:
        """Return the briefing of ``phase`` (default: the latest released phase)."""
        number = phase or self.phase
        return self.text(self.meta.phases[number - 1].briefing, language)

    # phases ---------------------------------------------------------------
    def released(self, phase: int) -> Case:
        """Return the case as a team sees it in ``phase``: evidence of later phases removed.

        Model answers are never part of a released case.

        Parameters
        ----------
        phase : int
            A phase number from 1 to the number of phases.
        """
        if not isinstance(phase, int) or not 1 <= phase <= len(self.meta.phases):
            raise ValueError(f"phase must be between 1 and {len(self.meta.phases)}, not {phase!r}")
        tables = {
            name: frame[frame["phase"] <= phase].reset_index(drop=True)
            for name, frame in self.tables.items()
        }
        case = Case(self.meta, self.path, tables, answers=None, phase=phase)
        case.language, case.translations = self.language, self.translations
        return case

    def in_language(self, language: str | None) -> Case:
        """Return the case with its texts in ``language`` where a translation gives them.

        What is not translated stays in the source language: :meth:`text` and
        :meth:`is_translated` tell which. The evidence is never changed: a message's content
        and a payment's purpose keep their seized wording, and their translation is in
        ``content_translation`` and ``purpose_translation``.

        Examples
        --------
        >>> case = load_case("demo").in_language("sq")
        >>> english = load_case("demo", "en")
        >>> case.language, case.text(case.meta.title) != english.text(english.meta.title)
        ('sq', True)
        """
        from .i18n import normalize_language

        tag = normalize_language(language) or language or self.meta.source_language
        if tag == self.language:
            return self
        key = ("in_language", tag)
        if key in self.derived:
            return self.derived[key]
        tr = self.translations.get(tag)
        if tr is None:
            tr = case_translations.CaseTranslation(tag)
        meta = case_translations.translate_meta(self.meta, tr)
        case = Case(
            meta,
            self.path,
            case_translations.translate_tables(self.tables, tr),
            case_translations.translate_answers(self.answers, self.meta, tr),
            phase=self.phase,
        )
        case.language, case.translations = tag, self.translations
        self.derived[key] = case
        return case

    def is_translated(self) -> bool:
        """Tell whether every text of the case is in :attr:`language` (no fallback shown).

        Examples
        --------
        >>> load_case("demo").in_language("en").is_translated()
        True
        """
        if self.language == self.meta.source_language:
            return True
        if "is_translated" not in self.derived:
            self.derived["is_translated"] = self._is_translated()
        return self.derived["is_translated"]

    def _is_translated(self) -> bool:
        tr = self.translations.get(self.language)
        return tr is not None and case_translations.is_complete(
            tr, self.meta, self.tables, self.answers
        )

    def is_new(self, item_id: str) -> bool:
        """Tell whether an entity, event or document first appears in the current phase."""
        for name in ("entities", "events", "links", "documents"):
            frame = self.tables[name]
            hit = frame.loc[frame["id"] == item_id, "phase"]
            if not hit.empty:
                return int(hit.iloc[0]) == self.phase
        return False

    # graph ----------------------------------------------------------------
    def graph(self):
        """Return the evidence graph: entities as nodes, one edge per piece of evidence.

        Calls and messages join two phone lines; payments join payer and payee (or their
        accounts); a trip joins its driver to the vehicle and each passenger to the driver;
        a detection joins the persons and vehicle to the place; a link joins its subject and
        object. Built on first use and cached.

        Returns
        -------
        networkx.MultiDiGraph
        """
        if self._graph is None:
            from .graph import evidence_graph

            self._graph = evidence_graph(self)
        return self._graph


def _entity_refs(model, obj) -> Iterable[tuple[str, str, tuple[str, ...]]]:
    """Yield (column, referenced id, allowed types) for every reference in a record."""
    refs = obj.ref_types if isinstance(obj, schema.Link) else model.refs
    for column, types in refs.items():
        value = getattr(obj, column)
        for ref in value if isinstance(value, list) else [value]:
            if ref:
                yield column, ref, types


def _summary_from_meta(path: Path) -> CaseSummary:
    problems: list[Problem] = []
    data, text = load_yaml(path / CASE_FILE, CASE_FILE, problems)
    meta = None
    if data is not None:
        meta = _validate_yaml(schema.CaseMeta, data, text, CASE_FILE, problems, {})
    if meta is None:
        return CaseSummary(
            path.name, path, path.name, "", (), 0, str(CaseError(path.name, problems))
        )
    title, summary, languages = meta.title, meta.summary, list(meta.languages)
    # The start page lists cases in the participant's language without loading them: only
    # the title and summary of each translation are read (problems are for load_case).
    for tr_path in sorted((path / case_translations.TRANSLATIONS_DIR).glob("*.yml")):
        try:
            text = _top_level(tr_path.read_text(encoding="utf-8-sig"), ("title", "summary"))
            data = yaml.load(text, Loader=LOADER)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(data, dict):
            continue
        tag, src = tr_path.stem, meta.source_language
        title = case_translations.add_translation(title, src, tag, data.get("title"))
        summary = case_translations.add_translation(summary, src, tag, data.get("summary"))
        if tag not in languages:
            languages.append(tag)
    return CaseSummary(meta.id, path, title, summary, tuple(languages), len(meta.phases))


def _top_level(text: str, keys: tuple[str, ...]) -> str:
    r"""Return only the top-level ``keys`` of a YAML mapping's text (the rest is not parsed).

    Examples
    --------
    >>> text = "title: A\nrecords:\n  X: {description: b}\nsummary: >\n  S\n"
    >>> _top_level(text, ("title", "summary"))
    'title: A\nsummary: >\n  S\n'
    """
    kept, keep = [], False
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha():  # a top-level key starts a block
            keep = line.split(":", 1)[0].strip() in keys
        if keep:
            kept.append(line)
    return "".join(kept)


def list_cases(folder: str | Path | None = None) -> list[CaseSummary]:
    """List the cases in ``folder`` (default :func:`cases_dir`) from their case.yml alone.

    A case whose case.yml is broken is listed with its problem, so the start page can say so.

    Examples
    --------
    >>> "demo" in [c.id for c in list_cases()]
    True
    """
    base = Path(folder) if folder else cases_dir()
    if not base.is_dir():
        return []
    return [
        _summary_from_meta(p)
        for p in sorted(base.iterdir())
        if p.is_dir() and (p / CASE_FILE).is_file()
    ]


def _signature(folder: Path) -> tuple:
    return tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )


def load_case(name_or_path: str | Path, language: str | None = None) -> Case:
    """Load and validate a case, by name (a folder in :func:`cases_dir`) or by path.

    Parameters
    ----------
    name_or_path : str or pathlib.Path
        ``"demo"``, or the path of a case folder.
    language : str, optional
        The language of its texts (default: the current language, see
        :func:`widgets.i18n.set_language`); see :meth:`Case.in_language`.

    Returns
    -------
    Case
        The whole case; use :meth:`Case.released` for what a team may see.

    Raises
    ------
    CaseError
        Listing every problem found, each as ``file:row:field: reason``.

    Examples
    --------
    >>> case = load_case("demo")
    >>> sorted(case.entities["type"].unique())
    ['account', 'location', 'organisation', 'person', 'phone', 'vehicle']
    """
    path = Path(name_or_path)
    if not path.is_dir():
        candidate = cases_dir() / str(name_or_path)
        if candidate.is_dir():
            path = candidate
        elif not path.exists():
            raise CaseError(
                str(name_or_path),
                [
                    Problem(
                        str(name_or_path),
                        None,
                        "",
                        f"no such case folder (looked in {cases_dir()})",
                    )
                ],
            )
    path = path.resolve()
    from .i18n import get_language

    return _load_cached(path, _signature(path)).in_language(language or get_language())


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path, signature: tuple) -> Case:
    """Load a case once per process, and once per content on disk (:mod:`widgets.case_cache`)."""
    from . import case_cache

    try:
        key = case_cache.content_key(path)
    except OSError:  # a file vanished while hashing: read the folder as it is now
        return _load(path)
    case = case_cache.read(key)
    if isinstance(case, Case):
        case.path = path  # the same files may have been read from another folder
        return case
    case = _load(path)  # raises CaseError: a case with problems is never kept
    case_cache.write(key, case)
    return case


def _load(folder: Path) -> Case:
    problems: list[Problem] = []
    data, text = load_yaml(folder / CASE_FILE, CASE_FILE, problems)
    meta = None
    if data is not None:
        if not isinstance(data, dict):
            problems.append(Problem(CASE_FILE, 1, "", "must be a mapping of keys to values"))
        else:
            meta = _validate_yaml(schema.CaseMeta, data, text, CASE_FILE, problems, {})
    context = {"timezone": meta.timezone if meta else "UTC"}
    n_phases = len(meta.phases) if meta else 10**6

    # documents: their phase decides when the evidence they carry is released
    docs = _read_documents(folder, problems, context)
    ids: dict[str, str] = {}

    def claim(item_id: str, where: str, rel: str, row, field: str = "id") -> None:
        """Record where ``item_id`` is defined; ``row`` may be a function that finds it."""
        if item_id in ids:
            row = row() if callable(row) else row
            problems.append(
                Problem(rel, row, field, f"duplicate id {item_id!r} (also {ids[item_id]})")
            )
        else:
            ids[item_id] = where

    doc_phase: dict[str, int] = {}
    doc_records = []
    line_of = {}
    for rel, doc, body, front in docs:
        # Front matter starts on the file's second line, after the opening '---'.
        line_of[rel] = lambda key, front=front: (yaml_line(front, (key,)) or 0) + 1
        claim(doc.id, rel, rel, functools.partial(line_of[rel], "id"))
        if doc.phase > n_phases:
            problems.append(
                Problem(
                    rel,
                    line_of[rel]("phase"),
                    "phase",
                    f"phase {doc.phase} is out of range: the case has {n_phases}",
                )
            )
        # Clamp, so that the evidence it carries is not reported again as released too late.
        doc_phase[doc.id] = min(doc.phase, n_phases)
        doc_records.append({**doc.model_dump(), "file": rel, "text": body})

    # entities
    entity_rows: dict[str, list[tuple[int, Any]]] = {}
    entity_type: dict[str, str] = {}
    entity_where: dict[str, tuple[str, int]] = {}
    invalid: dict[str, str] = {}
    for name, model in ENTITY_TABLES.items():
        records = _read_csv(folder, model, problems, context, invalid)
        entity_rows[name] = records
        for row, obj in records:
            claim(obj.id, f"{model.file} row {row}", model.file, row)
            entity_type.setdefault(obj.id, model.type)
            entity_where.setdefault(obj.id, (model.file, row))
            if obj.phase is not None and obj.phase > n_phases:
                problems.append(
                    Problem(
                        model.file,
                        row,
                        "phase",
                        f"phase {obj.phase} is out of range: the case has {n_phases}",
                    )
                )

    # evidence, and the phase in which each entity is first named
    first_named: dict[str, int] = {}
    evidence_rows: dict[str, list[tuple[int, Any, int]]] = {}
    for name, model in EVIDENCE_TABLES.items():
        kept = []
        for row, obj in _read_csv(folder, model, problems, context, invalid):
            claim(obj.id, f"{model.file} row {row}", model.file, row)
            phase = doc_phase.get(obj.source)
            if phase is None:
                problems.append(
                    Problem(model.file, row, "source", f"unknown document {obj.source!r}")
                )
                phase = n_phases
            for column, ref, types in _entity_refs(model, obj):
                kind = entity_type.get(ref)
                if ref in invalid and kind is None:
                    continue  # already reported where it is defined
                if kind is None:
                    problems.append(Problem(model.file, row, column, f"unknown entity {ref!r}"))
                elif kind not in types:
                    problems.append(
                        Problem(
                            model.file,
                            row,
                            column,
                            f"{ref!r} is a {kind}; expected a {' or '.join(types)}",
                        )
                    )
                else:
                    first_named[ref] = min(first_named.get(ref, phase), phase)
            rates = meta.currency_rates if meta else {}
            if isinstance(obj, schema.Payment) and rates and obj.currency not in rates:
                problems.append(
                    Problem(
                        model.file,
                        row,
                        "currency",
                        f"no rate for {obj.currency!r} in case.yml currency_rates",
                    )
                )
            kept.append((row, obj, phase))
        evidence_rows[name] = kept
    for rel, doc, _, _ in docs:
        for ref in doc.mentions:
            if ref in invalid and ref not in entity_type:
                continue
            if ref not in entity_type:
                problems.append(
                    Problem(rel, line_of[rel]("mentions"), "mentions", f"unknown entity {ref!r}")
                )
            else:
                first_named[ref] = min(first_named.get(ref, doc.phase), doc.phase)

    # an entity appears when the case says so, or when evidence first names it
    entity_phase: dict[str, int] = {}
    for name, model in ENTITY_TABLES.items():
        for row, obj in entity_rows[name]:
            named = first_named.get(obj.id)
            if obj.phase is None and named is None:
                problems.append(
                    Problem(
                        model.file,
                        row,
                        "phase",
                        "no evidence names this entity: give the phase in which it appears",
                    )
                )
            entity_phase[obj.id] = obj.phase or named or 1
    for name, model in EVIDENCE_TABLES.items():
        for row, obj, phase in evidence_rows[name]:
            for column, ref, _types in _entity_refs(model, obj):
                if ref in entity_phase and entity_phase[ref] > phase:
                    problems.append(
                        Problem(
                            model.file,
                            row,
                            column,
                            f"{ref!r} appears only in phase {entity_phase[ref]}, but this evidence "
                            f"is released in phase {phase}",
                        )
                    )

    # model answers, in a file of their own
    answers = None
    adata, atext = load_yaml(folder / ANSWERS_FILE, ANSWERS_FILE, problems)
    if adata is not None:
        answers = _validate_yaml(schema.Answers, adata, atext, ANSWERS_FILE, problems, context)
    if answers is not None:
        released_at = {**doc_phase, **entity_phase}
        for rows in evidence_rows.values():
            released_at.update({obj.id: phase for _, obj, phase in rows})
        for section, items in (("roles", answers.roles), ("findings", answers.findings)):
            for i, item in enumerate(items):
                loc = (section, i)
                if item.phase > n_phases:
                    problems.append(
                        Problem(
                            ANSWERS_FILE,
                            yaml_line(atext, (*loc, "phase")),
                            f"{section}[{i}].phase",
                            f"phase {item.phase} is out of range: the case has {n_phases}",
                        )
                    )
                check = getattr(item, "check", None)
                for ref in check_entities(check) if check is not None else []:
                    if ref not in entity_type and ref not in invalid:
                        problems.append(
                            Problem(
                                ANSWERS_FILE,
                                yaml_line(atext, (*loc, "check")),
                                f"{section}[{i}].check",
                                f"unknown entity {ref!r}",
                            )
                        )
                if (
                    section == "roles"
                    and item.entity not in entity_type
                    and item.entity not in invalid
                ):
                    problems.append(
                        Problem(
                            ANSWERS_FILE,
                            yaml_line(atext, (*loc, "entity")),
                            f"{section}[{i}].entity",
                            f"unknown entity {item.entity!r}",
                        )
                    )
                for ref in item.evidence:
                    line = yaml_line(atext, (*loc, "evidence"))
                    if ref in invalid:
                        continue
                    if ref not in released_at:
                        problems.append(
                            Problem(
                                ANSWERS_FILE,
                                line,
                                f"{section}[{i}].evidence",
                                f"unknown evidence {ref!r}",
                            )
                        )
                    elif released_at[ref] > item.phase:
                        problems.append(
                            Problem(
                                ANSWERS_FILE,
                                line,
                                f"{section}[{i}].evidence",
                                f"{ref!r} is released in phase {released_at[ref]}, "
                                f"after this answer's phase {item.phase}",
                            )
                        )
        phase_hash = {p.number: p.unlock_sha256 for p in meta.phases} if meta else {}
        for number, code in answers.phase_codes.items() if meta else ():
            where = f"phase_codes.{number}"
            line = yaml_line(atext, ("phase_codes", str(number)))
            if number not in phase_hash:
                reason = f"phase {number} is out of range: the case has {n_phases}"
            elif phase_hash[number] is None:
                reason = f"phase {number} has no unlock_sha256 in case.yml: it needs no code"
            elif hash_unlock_code(meta.id, number, code) != phase_hash[number]:
                reason = (
                    f"the code of phase {number} does not match its unlock_sha256 in case.yml "
                    "(make the hash with `casebook hash-code`)"
                )
            else:
                continue
            problems.append(Problem(ANSWERS_FILE, line, where, reason))

    # translations: translations/<lang>.yml and documents/<lang>/*.md
    record_tables = {obj.id: name for name, rows in entity_rows.items() for _row, obj in rows}
    for name, rows in evidence_rows.items():
        record_tables.update({obj.id: name for _row, obj, _phase in rows})
    # (checked against case.yml: not read when case.yml itself has a problem)
    translations = {}
    if meta is not None:
        translations = case_translations.read_translations(
            folder,
            problems,
            n_objectives=len(meta.learning_objectives),
            n_phases=n_phases,
            record_tables=record_tables,
            document_ids={doc.id for _rel, doc, _body, _front in docs},
            # (None: answers.yml has a problem of its own, so answers are not checked)
            answer_entities={r.entity for r in answers.roles} if answers else None,
            finding_ids={f.id for f in answers.findings} if answers else None,
        )

    if problems:
        raise CaseError(folder.name, problems)

    case = Case(
        meta, folder, _build_tables(entity_rows, entity_phase, evidence_rows, doc_records), answers
    )
    case.translations = translations
    return case


def _build_tables(entity_rows, entity_phase, evidence_rows, doc_records) -> dict[str, pd.DataFrame]:
    tables: dict[str, pd.DataFrame] = {}
    everyone = []
    for name, model in ENTITY_TABLES.items():
        records = []
        for _row, obj in entity_rows[name]:
            rec = obj.model_dump()
            rec["phase"] = entity_phase[obj.id]
            records.append(rec)
            everyone.append(
                {
                    "id": obj.id,
                    "type": model.type,
                    "label": str(getattr(obj, model.label_field)),
                    "phase": entity_phase[obj.id],
                    "description": obj.description,
                }
            )
        tables[name] = _frame(model, records, ["phase"])
    tables["entities"] = pd.DataFrame.from_records(
        everyone, columns=["id", "type", "label", "phase", "description"]
    )
    timed = []
    for name, model in EVIDENCE_TABLES.items():
        records = []
        for _row, obj, phase in evidence_rows[name]:
            rec = obj.model_dump()
            rec["phase"] = phase
            records.append(rec)
            if name != "links":
                timed.append(
                    {
                        "id": obj.id,
                        "event": obj.kind if name == "communications" else model.event,
                        "time": getattr(obj, "time", None) or getattr(obj, "start", None),
                        "phase": phase,
                        "source": obj.source,
                        "confidence": obj.confidence,
                        "description": obj.description,
                    }
                )
        tables[name] = _frame(model, records, ["phase"])
    events = pd.DataFrame.from_records(
        timed, columns=["id", "event", "time", "phase", "source", "confidence", "description"]
    )
    events["time"] = pd.to_datetime(events["time"])
    tables["events"] = events.sort_values(["time", "id"], kind="stable").reset_index(drop=True)
    tables["documents"] = _frame(schema.DocumentMeta, doc_records, ["file", "text"])
    return tables
