"""Case text in other languages: translations/<lang>.yml and documents/<lang>/*.md."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from widgets import CaseError, load_case
from widgets.case import cases_dir, list_cases
from widgets.evidence import evidence_rows
from widgets.i18n import LANGUAGES, set_language

TRANSLATED = [tag for tag in LANGUAGES if tag != "en"]


@pytest.fixture
def demo(tmp_path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(cases_dir() / "demo", target)
    return target


def problems(folder: Path) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_case(folder, "en")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_demo_case_is_wholly_translated(tag):
    case = load_case("demo", tag)
    english = load_case("demo", "en")
    assert case.language == tag and case.is_translated()
    assert case.text(case.meta.title) != english.text(english.meta.title)
    for phase, source in zip(case.phases, english.phases, strict=True):
        assert case.text(phase.briefing) != english.text(source.briefing)
    assert case.documents["translated"].all()
    assert (case.documents["text"] != english.documents["text"]).all()
    translated = case.persons["description"] != english.persons["description"]
    assert translated[english.persons["description"].notna()].all()
    for finding, source in zip(case.answers.findings, english.answers.findings, strict=True):
        assert case.text(finding.text) != english.text(source.text)


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_corridor_case_is_translated(tag):
    case = load_case("corridor", tag)
    english = load_case("corridor", "en")
    for phase, source in zip(case.phases, english.phases, strict=True):
        for field in ("title", "briefing"):
            text, fallback = case.text_and_fallback(getattr(phase, field))
            assert not fallback and text != english.text(getattr(source, field))
    # Its documents and the free text of its tables are translated too; messages and
    # payment references stay as seized.
    assert case.documents["translated"].all() and case.is_translated()
    for finding, source in zip(case.answers.findings, english.answers.findings, strict=True):
        assert case.text(finding.text) != english.text(source.text)
    assert case.communications["content"].equals(english.communications["content"])


def test_the_evidence_keeps_its_seized_wording():
    english, macedonian = load_case("demo", "en"), load_case("demo", "mk")
    assert macedonian.communications["content"].equals(english.communications["content"])
    assert macedonian.payments["purpose"].equals(english.payments["purpose"])
    translated = macedonian.communications["content_translation"].dropna()
    assert len(translated) >= 5
    try:
        set_language("mk")
        rows = evidence_rows(macedonian)
    finally:
        set_language("en")
    message = rows[rows["id"] == translated.index.map(macedonian.communications["id"]).tolist()[0]]
    text = message.iloc[0]["text"]
    source = macedonian.communications.loc[translated.index[0], "content"]
    assert source in text and translated.iloc[0] in text


def test_missing_translations_fall_back_to_the_source_marked(demo):
    (demo / "translations" / "mk.yml").write_text("title: Демо\n", encoding="utf-8")
    shutil.rmtree(demo / "documents" / "mk")
    case = load_case(demo, "mk")
    assert case.text_and_fallback(case.meta.title) == ("Демо", False)
    briefing, fallback = case.text_and_fallback(case.phases[0].briefing)
    assert fallback and briefing.startswith("**14 May 2024")
    assert not case.documents["translated"].any() and not case.is_translated()
    # A language with no translation at all is the source language, marked: never an error.
    de = load_case(demo, "de")
    assert de.text_and_fallback(de.meta.title)[1]


def test_the_start_page_lists_cases_in_the_language():
    demo = next(c for c in list_cases() if c.id == "demo")
    assert set(TRANSLATED) <= set(demo.languages)
    assert isinstance(demo.title, dict) and demo.title["sq"] != demo.title["en"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("records:\n  P-NOPE:\n    description: x\n", "translations/sq.yml:2:records.P-NOPE"),
        ("records:\n  P-DRV:\n    name: Dragan\n", "translations/sq.yml:3:records.P-DRV.name"),
        ("phases:\n  7:\n    title: x\n", "translations/sq.yml:2:phases.7"),
        ("titel: x\n", "translations/sq.yml:1:titel"),
        (
            "learning_objectives: [a, b, c, d, e, f]\n",
            "translations/sq.yml:1:learning_objectives: has 6",
        ),
        ("answers:\n  roles:\n    P-NOPE: x\n", "translations/sq.yml:3:answers.roles.P-NOPE"),
        ("title: [x\n", "translations/sq.yml:2: is not valid YAML"),
    ],
)
def test_a_broken_translation_names_file_line_and_field(demo, content, expected):
    (demo / "translations" / "sq.yml").write_text(content, encoding="utf-8")
    found = problems(demo)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_translated_document_must_match_a_document(demo):
    (demo / "documents" / "sq" / "D-NOPE.md").write_text("---\ntitle: x\n---\nText\n")
    (demo / "documents" / "sq" / "D-POL.md").write_text("---\ntitle: x\nphase: 2\n---\nText\n")
    found = problems(demo)
    assert any(p.startswith("documents/sq/D-NOPE.md:") and "no document" in p for p in found)
    assert any(p.startswith("documents/sq/D-POL.md:2:phase") for p in found), found
