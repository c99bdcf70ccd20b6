"""Translation of what the Voila template shows: the workbooks' Markdown cells and its own texts.

A workbook's Markdown cells are rendered by Voila on the server, before the kernel knows the
page's ``?lang=`` (a preheated kernel renders them before the page is even asked for). So the
template renders each Markdown cell once per translation, and the page shows the one of its
language: a script in the page's head reads ``?lang=`` and marks ``<html>``, and CSS hides the
other versions. No text is swapped after the page is shown.

Each Markdown cell, stripped, is one message of the catalog (``pybabel extract`` reads the
notebooks with :func:`extract_notebook`, see ``babel.cfg``). The template reaches the
functions here as Jinja filters, configured in ``voila.json`` (``VoilaExporter.filters``).
"""

from __future__ import annotations

import functools
import io
import json
from typing import Any

from .i18n import DEFAULT_LANGUAGE, LANGUAGES, server_language, translations_for

__all__ = [
    "extract_notebook",
    "extract_python",
    "markdown_variants",
    "template_texts",
    "page_languages",
]


def N_(message: str) -> str:  # noqa: N802 - the usual name of gettext's no-op marker
    """Mark a message for the catalog without translating it here."""
    return message


#: The texts the template itself writes on the page (by its script), by key.
TEMPLATE_TEXTS = {
    "stopped": N_(
        "This page has stopped: it was closed after a long time without use, or the server "
        "was restarted. Your notes are saved. Reload the page to go on."
    ),
    "unreachable": N_(
        "The server cannot be reached right now (network or server down). Your notes are "
        "saved. This message goes away when the server answers again."
    ),
    "reload": N_("Reload the page"),
    "loading": N_("Opening the workbook…"),
    # {index} and {count} are kept as they are: the page puts the numbers in.
    "progress": N_("Preparing part {index} of {count}…"),
}


def extract_notebook(fileobj, keywords, comment_tags, options):
    """Babel extractor: every Markdown cell of a notebook is one message.

    Yields ``(line, function, message, comments)`` as Babel expects; the "line" is the
    cell's number, which is what a translator needs to find it.
    """
    notebook = json.load(fileobj)
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "markdown":
            continue
        source = _source(cell)
        if source:
            yield number, None, source, [f"Markdown cell {number}"]


def extract_python(fileobj, keywords, comment_tags, options):
    """Babel extractor for the package: Babel's own, plus gettext calls inside f-strings.

    Before Python 3.12 an f-string is one token to Babel's extractor, so ``_("Total")`` in
    ``f"<b>{_('Total')}</b>"`` would never reach the catalog. Those calls are found here in
    the syntax tree (literal arguments only, as gettext needs).
    """
    import ast

    from babel.messages.extract import extract_python as babel_python

    source = fileobj.read()
    yield from babel_python(io.BytesIO(source), keywords, comment_tags, options)
    try:
        tree = ast.parse(source.decode(options.get("encoding", "utf-8")))
    except (SyntaxError, UnicodeDecodeError):
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for call in ast.walk(node):
            name = getattr(getattr(call, "func", None), "id", None)
            if not isinstance(call, ast.Call) or name not in keywords:
                continue
            args = [
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in call.args
            ]
            if args and any(args):
                yield call.lineno, name, args[0] if len(args) == 1 else tuple(args), []


def _source(cell: dict[str, Any] | Any) -> str:
    source = cell.get("source", "") if isinstance(cell, dict) else cell
    if isinstance(source, list):
        source = "".join(source)
    return str(source).strip()


@functools.lru_cache(maxsize=512)
def _variants(source: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    by_text: dict[str, list[str]] = {}
    for tag in LANGUAGES:
        text = source if tag == DEFAULT_LANGUAGE else translations_for(tag).gettext(source)
        by_text.setdefault(text, []).append(tag)
    return tuple((text, tuple(tags)) for text, tags in by_text.items())


def markdown_variants(source) -> list[dict[str, str]]:
    """Return the versions of a Markdown cell to render, each with the languages it serves.

    A language whose catalog lacks the cell shares the English version, so a page never
    repeats the same text in hidden copies.

    Examples
    --------
    >>> markdown_variants("A text no catalog has")
    [{'source': 'A text no catalog has', 'langs': 'en sr-Latn sq mk'}]
    """
    text = _source(source)
    return [{"source": t, "langs": " ".join(tags)} for t, tags in _variants(text)]


def template_texts(_: Any = None) -> str:
    """Return, as JSON for the page's script, the template's texts in every shipped language."""
    return json.dumps(
        {
            tag: {
                key: translations_for(tag).gettext(message)
                for key, message in TEMPLATE_TEXTS.items()
            }
            for tag in LANGUAGES
        },
        ensure_ascii=False,
    ).replace("</", "<\\/")


def page_languages(_: Any = None) -> str:
    """Return, as JSON for the page's script, the shipped language tags and the default."""
    return json.dumps({"tags": list(LANGUAGES), "default": server_language()})
