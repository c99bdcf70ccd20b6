"""Translations: the catalogs are complete and sound, and no participant-facing text escapes them.

The catalogs are ``widgets/locale/<dir>/LC_MESSAGES/casebook.po``, made from the template
``widgets/locale/casebook.pot`` that ``make messages`` extracts (see babel.cfg). These tests
re-extract the messages from the code and the workbooks, so a text added without
``make messages`` and a translation fails here, not in front of a Macedonian class.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from widgets.i18n import LANGUAGES, LOCALE_DIR, _, set_language, translations_for
from widgets.i18n_pages import markdown_variants

REPO = Path(__file__).resolve().parent.parent
TRANSLATED = [tag for tag in LANGUAGES if tag != "en"]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def extracted() -> dict[str, str | tuple[str, str]]:
    """Extract the messages from the sources as ``make messages`` does: {msgid: message}."""
    with (REPO / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
    found = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        REPO, method_map, options_map, keywords=keywords
    ):
        key = message[0] if isinstance(message, tuple) else message
        found[(context, key)] = message
    return found


def catalog(tag: str):
    path = LOCALE_DIR / LANGUAGES[tag].catalog / "LC_MESSAGES" / "casebook.po"
    with path.open("rb") as f:
        return read_po(f, locale=LANGUAGES[tag].catalog)


@pytest.fixture(scope="module")
def messages():
    return extracted()


def test_the_template_is_up_to_date(messages):
    with (LOCALE_DIR / "casebook.pot").open("rb") as f:
        pot = read_po(f)
    in_pot = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in pot if m.id}
    missing = sorted(str(k[1])[:70] for k in set(messages) - in_pot)
    stale = sorted(str(k[1])[:70] for k in in_pot - set(messages))
    assert not missing and not stale, (
        "widgets/locale/casebook.pot is out of date: run `make messages` and translate.\n"
        f"Not in it: {missing[:15]}\nNo longer used: {stale[:15]}"
    )


@pytest.mark.parametrize("tag", TRANSLATED)
def test_catalog_is_complete_and_compiles(tag, messages):
    cat = catalog(tag)
    by_key = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in cat if m.id}
    missing = [k[1][:60] for k in messages if k not in by_key]
    empty = [
        k[1][:60]
        for k, m in by_key.items()
        if (not all(m.string) if isinstance(m.string, tuple) else not m.string)
    ]
    fuzzy = [k[1][:60] for k, m in by_key.items() if m.fuzzy]
    assert not missing, f"{tag}: {len(missing)} messages not in the catalog: {missing[:10]}"
    assert not empty, f"{tag}: {len(empty)} messages not translated: {empty[:10]}"
    assert not fuzzy, f"{tag}: {len(fuzzy)} fuzzy (unchecked) translations: {fuzzy[:10]}"
    nplurals = cat.num_plurals
    short = [
        m.id[0][:60]
        for m in cat
        if m.id and m.pluralizable and len([s for s in m.string if s]) < nplurals
    ]
    assert not short, f"{tag}: plural messages without all {nplurals} forms: {short}"
    buffer = io.BytesIO()
    write_mo(buffer, cat)
    assert buffer.tell() > 1000


@pytest.mark.parametrize("tag", TRANSLATED)
def test_translations_keep_placeholders_and_markup(tag):
    problems = []
    for m in catalog(tag):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for i, text in enumerate(strings):
            if not text:
                continue
            source = ids[min(i, len(ids) - 1)]
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"placeholders differ: {source[:50]!r} -> {text[:50]!r}")
            if len(TAG.findall(text)) != len(TAG.findall(source)):
                problems.append(f"HTML tags differ: {source[:50]!r}")
            if "Markdown cell" in " ".join(m.auto_comments):
                heads = [h for h in re.findall(r"^(#+) ", source, re.M)]
                if heads != re.findall(r"^(#+) ", text, re.M):
                    problems.append(f"headings differ: {source[:50]!r}")
    assert not problems, f"{tag}:\n" + "\n".join(problems[:20])


def test_a_translation_is_used_and_english_stays_english():
    try:
        set_language("mk")
        macedonian = _("Case")
        set_language("en")
        assert _("Case") == "Case"
        assert macedonian != "Case" and re.search("[\u0400-\u04ff]", macedonian), macedonian
        set_language("de")  # not shipped: the server's default (English here)
        assert _("Case") == "Case"
    finally:
        set_language("en")


def test_gettext_inside_f_strings_reaches_the_catalog(messages):
    assert (None, "Who profits") in messages  # money_trail.py: f"...{_('Who profits')}..."


def test_markdown_cells_have_a_version_per_language():
    variants = markdown_variants("# The network")
    served = " ".join(v["langs"] for v in variants).split()
    assert sorted(served) == sorted(LANGUAGES)
    sq = next(v for v in variants if "sq" in v["langs"].split())
    assert sq["source"] == translations_for("sq").gettext("# The network") != "# The network"


# ----------------------------------------------------------------- untranslated literals
# What a participant sees of a string literal: widget labels and values, tab titles, option
# labels, and text between HTML tags. Docstrings, CSS, ids and file names are not seen.
SHOWN_KEYWORDS = {"description", "placeholder", "tooltip", "title", "titles", "label", "text"}
SHOWN_VALUE_OF = {"HTML", "HTMLMath", "Label", "Button", "Textarea", "ToggleButton"}
WORDS = re.compile(r"[A-Za-z]{2,}[ ,.:;!?']+[A-Za-z]{2,}|^\s*[A-Z][a-z]{2,}\s*$")
GETTEXT = {"_", "ngettext", "N_", "pgettext"}
# Files whose strings are for case authors or developers, in English by design: case
# validation messages name files, columns and YAML keys; the command line is for authors.
AUTHOR_FACING = {"case.py", "case_translations.py", "schema.py", "cli.py", "solvability.py"}
# i18n.py defines the gettext functions themselves.
NOT_SCANNED = AUTHOR_FACING | {"i18n.py"}


def _literal(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def _visible(text: str) -> str:
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\{[^}]*\}|&\w+;", " ", text)


def untranslated(path: Path) -> list[str]:
    """Return the participant-facing literals of a module that do not go through gettext.

    Also gettext calls that ``make messages`` cannot extract: of a variable, unless the line
    says why with ``# i18n-ok: <reason>``. (Calls inside f-strings are extracted by
    :func:`widgets.i18n_pages.extract_python`.)
    """
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        seen = []
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            if name in GETTEXT:
                # gettext needs a literal: a variable or an f-string cannot be extracted
                first = node.args[0] if node.args else None
                if (
                    name != "pgettext"
                    and not (isinstance(first, ast.Constant) and isinstance(first.value, str))
                    and "# i18n-ok:" not in lines[node.lineno - 1]
                ):
                    found.append(f"{path.name}:{node.lineno}: {name}() of a non-literal")
                continue
            for kw in node.keywords:
                if kw.arg in SHOWN_KEYWORDS or (kw.arg == "value" and name in SHOWN_VALUE_OF):
                    seen.append(kw.value)
                if kw.arg == "options" and isinstance(kw.value, ast.List | ast.Tuple):
                    seen += [e.elts[0] for e in kw.value.elts if isinstance(e, ast.Tuple)]
            if name == "set_title" and len(node.args) > 1:
                seen.append(node.args[1])
            if name in SHOWN_VALUE_OF and node.args:
                seen.append(node.args[0])
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in (
                    "description",
                    "placeholder",
                    "tooltip",
                    "value",
                ):
                    seen.append(node.value)
        elif isinstance(node, ast.Constant | ast.JoinedStr):
            text = _literal(node)
            match = re.search(r">\s*([^<{}]*[A-Za-z]{3,}[^<{}]*)<", text or "")
            if match and WORDS.search(_visible(match.group(1))):
                seen.append(node)
        for value in seen:
            text = _literal(value)
            if text and WORDS.search(_visible(text)):
                found.append(f"{path.name}:{value.lineno}: {text[:70]!r}")
    return sorted(set(found), key=lambda p: int(p.split(":")[1]))


def test_the_scanner_finds_untranslated_text(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import ipywidgets as ipw\n"
        "a = ipw.Button(description='Export the view')\n"
        "b = ipw.HTML('<p>Nothing to show</p>')\n"
        "c = ipw.Button(description=_('Export the view'))\n"
        "d = _(f'{x} items')\n"
        "e = ipw.HTML(f\"<b>{_('Total')}</b>\")\n"
    )
    assert [line.split(":")[1] for line in untranslated(sample)] == ["2", "3", "5"]


def test_no_participant_facing_literal_escapes_the_catalogs():
    problems = []
    for path in sorted((REPO / "widgets").glob("*.py")):
        if path.name in NOT_SCANNED:
            continue
        docstrings = _docstring_lines(path)
        problems += [p for p in untranslated(path) if int(p.split(":")[1]) not in docstrings]
    assert not problems, "Wrap these in _() (see CONTRIBUTING.md):\n" + "\n".join(problems)


def _docstring_lines(path: Path) -> set[int]:
    lines = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                lines.update(range(value.lineno, (value.end_lineno or value.lineno) + 1))
    return lines


def test_workbooks_carry_their_text_in_markdown_cells():
    """Markdown is translated by the template; text printed by code cells would not be."""
    import json

    for path in sorted((REPO / "workbooks").glob("0*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code":
                assert not re.search(r"\b(print|display|Markdown|HTML)\(", source), (
                    f"{path.name}: a code cell shows text of its own:\n{source}"
                )


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_exported_report_is_in_the_language(tag):
    from i18n_check import english_left

    from widgets import load_case
    from widgets.conclusions import report_html, report_md
    from widgets.conclusions_format import Finding, Protection, RoleClaim, TeamConclusions

    data = TeamConclusions(
        case="demo",
        team="Blue",
        phase=2,
        agencies=["police", "reception"],
        roles=[RoleClaim(entity="P-ORG", role="organiser", cites=["C13", "PAY3"])],
        qualification="Art. 418-b",
        elements=["benefit", "danger_to_life"],
        evidence_sufficient="not_yet",
        findings=[Finding(id="f1", part="investigation", topic="structure", cites=["D-POL"])],
        protection=[Protection(entity="P-M2", needs=["unaccompanied_child"], cites=["D-ST2"])],
        next_steps="…",
        saved="2024-05-14T03:40:00+00:00",
    )
    try:
        set_language(tag)
        case = load_case("demo").released(2)
        markdown, page = report_md(data, case), report_html(data, case)
    finally:
        set_language("en")
    assert not english_left(markdown, tag), english_left(markdown, tag)
    assert not english_left(page, tag), english_left(page, tag)
    assert f'<html lang="{tag}">' in page


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_trainers_guide_is_translated(tag):
    from widgets.facilitator import GUIDE, guide_html

    source, translated = GUIDE.read_text(), GUIDE.with_name(f"trainer-guide.{tag}.md").read_text()
    headings = re.compile(r"^(#+) ", re.M)
    assert headings.findall(translated) == headings.findall(source)
    fences = re.compile(r"^```.*?^```", re.M | re.S)
    assert fences.findall(translated) == fences.findall(source)  # commands stay as they are

    def inline(text):
        return re.findall(r"`[^`\n]+`", fences.sub("", text))

    assert inline(translated) == inline(source)
    page = guide_html(language=tag)
    assert translated.splitlines()[0].lstrip("# ") in page
    assert "casebook-untranslated" not in page
    assert "casebook-untranslated" in guide_html(language="de")
