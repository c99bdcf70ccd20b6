"""One translation function for every string a participant or trainer sees.

Every participant-facing string in the package goes through :func:`_` (or :func:`ngettext`),
so that gettext catalogs under ``widgets/locale/<lang>/LC_MESSAGES/casebook.mo`` translate it.
English is the source language; a language without a catalog falls back to English.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

__all__ = ["_", "ngettext", "set_language", "get_language", "DEFAULT_LANGUAGE", "LOCALE_DIR"]

DOMAIN = "casebook"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "en"

_state: dict[str, object] = {
    "language": os.environ.get("CASEBOOK_LANG", DEFAULT_LANGUAGE),
    "translations": None,
}


def _translations() -> gettext.NullTranslations:
    cached = _state["translations"]
    if cached is None:
        cached = gettext.translation(
            DOMAIN,
            localedir=LOCALE_DIR,
            languages=[str(_state["language"])],
            fallback=True,
        )
        _state["translations"] = cached
    return cached  # type: ignore[return-value]


def set_language(language: str | None) -> str:
    """Choose the language of every string shown from now on in this kernel.

    Parameters
    ----------
    language : str or None
        A language tag such as ``"en"``, ``"sq"`` or ``"sr-Latn"``; ``None`` or an empty
        string keeps the server's default.

    Returns
    -------
    str
        The language now in use.

    Examples
    --------
    >>> set_language("en")
    'en'
    >>> _("Case")
    'Case'
    """
    language = (language or os.environ.get("CASEBOOK_LANG") or DEFAULT_LANGUAGE).strip()
    _state["language"] = language
    _state["translations"] = None
    return language


def get_language() -> str:
    """Return the language tag in use, e.g. ``"en"``."""
    return str(_state["language"])


def _(message: str) -> str:
    """Translate ``message`` into the current language.

    Parameters
    ----------
    message : str
        The English source text.

    Returns
    -------
    str
        The translation, or ``message`` itself where the catalog has none.
    """
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on the number ``n``.

    Examples
    --------
    >>> ngettext("{n} case", "{n} cases", 2).format(n=2)
    '2 cases'
    """
    return _translations().ngettext(singular, plural, n)
