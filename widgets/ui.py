"""Small HTML pieces that several widgets show the same way."""

from __future__ import annotations

import html

from .i18n import LANGUAGES, _, get_language

__all__ = ["error_html", "fallback_marker", "language_name"]


def language_name(tag: str, in_sentence: bool = False) -> str:
    """Return the name of a language in itself, e.g. ``Shqip`` for ``sq``; else the tag.

    ``in_sentence``: the name as the current language writes it inside a sentence (Babel's
    CLDR names: ``anglisht`` in Albanian, ``англиски`` in Macedonian).

    Examples
    --------
    >>> language_name("sq"), language_name("mk", in_sentence=True)
    ('Shqip', 'Macedonian')
    """
    if in_sentence:
        from babel import Locale

        current = LANGUAGES.get(get_language())
        locale = Locale.parse(
            "en_GB" if current is None or current.tag == "en" else current.catalog
        )
        # Bosnian, Croatian, Montenegrin and Serbian share one text: its own name says so.
        if tag != "sr-Latn" and tag.split("-")[0] in locale.languages:
            return locale.languages[tag.split("-")[0]]
    return LANGUAGES[tag].name if tag in LANGUAGES else tag


def fallback_marker(source_language: str, html_badge: bool = True) -> str:
    """Mark a case text shown in its source language for want of a translation.

    Returns a small badge (``EN``) whose tooltip says so in the participant's language, or,
    with ``html_badge=False``, plain text for a list or a dropdown (`` [EN]``).

    Examples
    --------
    >>> fallback_marker("en", html_badge=False)
    ' [EN]'
    >>> 'class="casebook-untranslated"' in fallback_marker("en")
    True
    """
    short = LANGUAGES[source_language].short if source_language in LANGUAGES else source_language
    short = short.upper()
    if not html_badge:
        return f" [{short}]"
    tip = _("Not translated into {language} yet: shown in {source}.").format(
        language=language_name(get_language(), in_sentence=True),
        source=language_name(source_language, in_sentence=True),
    )
    return (
        f' <span class="casebook-untranslated" title="{html.escape(tip)}" '
        f'aria-label="{html.escape(tip)}">{html.escape(short)}</span>'
    )


def error_html(message: str, details: list[str], after: str = "") -> str:
    """Return a message box for something that went wrong, with its details as a list.

    ``after`` is trusted HTML placed under the list (e.g. a link back to the start page).

    Examples
    --------
    >>> out = error_html("Cannot open", ["answers.yml: <missing>"])
    >>> "<code>answers.yml: &lt;missing&gt;</code>" in out
    True
    """
    lines = "".join(f"<li><code>{html.escape(d)}</code></li>" for d in details)
    tail = f"<p>{after}</p>" if after else ""
    return (
        f'<div class="casebook-error"><p><strong>{html.escape(message)}</strong></p>'
        f"<ul>{lines}</ul>{tail}</div>"
    )
