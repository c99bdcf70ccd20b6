"""One translation function for every string a participant or trainer sees.

Every participant-facing string in the package goes through :func:`_` (or :func:`ngettext`),
so that the gettext catalogs in ``widgets/locale/<dir>/LC_MESSAGES/casebook.po`` translate it.
English is the source language; a language without a catalog, or a message a catalog does not
have yet, falls back to English.

The ``.po`` files are the source of truth. ``make`` compiles them to ``.mo`` files (not kept
in git); if a ``.mo`` file is missing or older than its ``.po`` file, the catalog is compiled
in memory instead, so a fresh checkout never shows raw English because of a build step.

Numbers, amounts and dates are formatted for the language with Babel (:func:`format_number`,
:func:`format_money`, :func:`format_date`, :func:`format_datetime`).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import numbers
import os
import re
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "_",
    "ngettext",
    "pgettext",
    "set_language",
    "get_language",
    "normalize_language",
    "server_language",
    "LANGUAGES",
    "Language",
    "DEFAULT_LANGUAGE",
    "LOCALE_DIR",
    "translations_for",
    "format_number",
    "format_money",
    "format_date",
    "format_datetime",
    "format_time",
    "number_separators",
]

DOMAIN = "casebook"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "en"


class Language(NamedTuple):
    """A language Casebook ships: its tag (as in ``?lang=``), name and catalog folder."""

    tag: str
    #: The language's name in itself, as the picker on the start page shows it.
    name: str
    #: The folder of its catalog under ``widgets/locale`` and the Babel locale for formats.
    catalog: str
    #: Two or three letters shown next to a text that is not translated into the language.
    short: str


#: The shipped languages, in the order of the language picker. Adding one: CONTRIBUTING.md.
LANGUAGES: dict[str, Language] = {
    lang.tag: lang
    for lang in (
        Language("en", "English", "en", "EN"),
        Language("sr-Latn", "bosanski · crnogorski · hrvatski · srpski", "sr_Latn", "BCMS"),
        Language("sq", "Shqip", "sq", "SQ"),
        Language("mk", "Македонски", "mk", "MK"),
    )
}

_TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def normalize_language(tag: str | None) -> str | None:
    """Return the shipped language a tag asks for, or ``None`` if Casebook does not ship it.

    Case and ``-``/``_`` do not matter; a region is ignored when the language itself is
    shipped, and Bosnian, Croatian, Montenegrin and Serbian share one translation.

    Examples
    --------
    >>> normalize_language("sr_latn"), normalize_language("MK"), normalize_language("sq-XK")
    ('sr-Latn', 'mk', 'sq')
    >>> normalize_language("hr"), normalize_language("de") is None
    ('sr-Latn', True)
    """
    if not tag or not _TAG.match(tag.strip()):
        return None
    parts = tag.strip().replace("_", "-").split("-")
    wanted = "-".join([parts[0].lower(), *(p.title() if len(p) == 4 else p for p in parts[1:])])
    if wanted in LANGUAGES:
        return wanted
    if parts[0].lower() in LANGUAGES:
        return parts[0].lower()
    if parts[0].lower() in ("sr", "bs", "hr", "cnr", "sh"):
        # Serbian in Cyrillic is not shipped: the Latin script is read by all four.
        return "sr-Latn"
    return None


def server_language() -> str:
    """Return the server's default language: ``CASEBOOK_LANG`` if Casebook ships it, else en."""
    return normalize_language(os.environ.get("CASEBOOK_LANG")) or DEFAULT_LANGUAGE


_state: dict[str, object] = {"language": server_language(), "translations": None}


@functools.lru_cache(maxsize=8)
def _catalog(catalog: str, po_mtime: float, mo_mtime: float) -> gettext.NullTranslations:
    folder = LOCALE_DIR / catalog / "LC_MESSAGES"
    if mo_mtime >= po_mtime > 0 or (mo_mtime and not po_mtime):
        with (folder / f"{DOMAIN}.mo").open("rb") as f:
            return gettext.GNUTranslations(f)
    if not po_mtime:
        return gettext.NullTranslations()
    # No compiled catalog yet (a fresh checkout before `make`), or an edited .po: compile it
    # in memory. Babel is a dependency; fuzzy entries are left out, as pybabel compile does.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with (folder / f"{DOMAIN}.po").open("rb") as f:
        messages = read_po(f, locale=catalog)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def translations_for(language: str) -> gettext.NullTranslations:
    """Return the gettext translations of a shipped language (English: none needed).

    Examples
    --------
    >>> translations_for("en").gettext("Case")
    'Case'
    """
    tag = normalize_language(language) or DEFAULT_LANGUAGE
    if tag == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    catalog = LANGUAGES[tag].catalog
    folder = LOCALE_DIR / catalog / "LC_MESSAGES"
    return _catalog(catalog, _mtime(folder / f"{DOMAIN}.po"), _mtime(folder / f"{DOMAIN}.mo"))


def _translations() -> gettext.NullTranslations:
    cached = _state["translations"]
    if cached is None:
        cached = translations_for(str(_state["language"]))
        _state["translations"] = cached
    return cached  # type: ignore[return-value]


def set_language(language: str | None) -> str:
    """Choose the language of every string shown from now on in this kernel.

    Parameters
    ----------
    language : str or None
        A language tag such as ``"en"``, ``"sq"`` or ``"sr-Latn"``; ``None``, an empty string
        or a language Casebook does not ship keeps the server's default
        (``CASEBOOK_LANG``, else English).

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
    tag = normalize_language(language) or server_language()
    _state["language"] = tag
    _state["translations"] = None
    return tag


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


def pgettext(context: str, message: str) -> str:
    """Translate a message whose sense depends on a context that the English does not show.

    "Search" on a search box and a "Search" of premises are one English word, two words in
    Albanian: ``pgettext("detection", "Search")`` keeps them apart in the catalogs.

    Examples
    --------
    >>> pgettext("detection", "Search")
    'Search'
    """
    return _translations().pgettext(context, message)


# formats ------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=8)
def _babel_locale(tag: str):
    from babel import Locale

    # English dates as in Europe ("14 May 2024", 24-hour clock), not as in the United States.
    return Locale.parse("en_GB" if tag == "en" else LANGUAGES[tag].catalog)


def _locale_cached(language: str | None):
    """Return the Babel locale of ``language`` (default: the current one, read at each call)."""
    return _babel_locale(normalize_language(language or get_language()) or DEFAULT_LANGUAGE)


def format_number(value, digits: int | None = None, language: str | None = None) -> str:
    """Format a number with the language's separators: ``12,500`` in English, ``12.500`` in mk.

    Parameters
    ----------
    value : int or float
    digits : int, optional
        Digits after the decimal mark: default none for whole numbers, up to 2 otherwise.

    Examples
    --------
    >>> format_number(12500, language="en"), format_number(12500, language="mk")
    ('12,500', '12.500')
    >>> format_number(0.456, digits=2, language="sr-Latn")
    '0,46'
    """
    locale = _locale_cached(language)
    if digits is not None or isinstance(value, numbers.Integral):
        # The common case (whole numbers, a fixed number of digits) in Python's own format
        # with the language's marks put in: evidence tables write one per row, and Babel's
        # format_decimal costs ten times as much.
        try:
            text = f"{value:,.{digits or 0}f}" if digits is not None else f"{int(value):,}"
        except (TypeError, ValueError):
            text = None
        if text is not None:
            decimal, group = _marks(locale)
            return text.translate({ord(","): group, ord("."): decimal})
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)


@functools.lru_cache(maxsize=8)
def _marks(locale) -> tuple[str, str]:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(locale), get_group_symbol(locale)


def format_money(amount, currency: str, language: str | None = None) -> str:
    """Format an amount with its currency code, the way the language writes amounts.

    Whole amounts show no cents. The ISO code (EUR, USD, MKD) is kept instead of a symbol:
    investigators copy amounts into reports and requests to banks.

    Examples
    --------
    >>> format_money(2300, "EUR", language="en"), format_money(2300.5, "EUR", language="mk")
    ('2,300 EUR', '2.300,50 EUR')
    """
    digits = 0 if float(amount) == int(float(amount)) else 2
    return f"{format_number(amount, digits, language)} {currency}"


def format_date(value: dt.date | dt.datetime, language: str | None = None) -> str:
    """Format a calendar date, e.g. ``14 May 2024`` or ``14 мај 2024``.

    Examples
    --------
    >>> format_date(dt.date(2024, 5, 14), language="en")
    '14 May 2024'
    """
    day = value.date() if isinstance(value, dt.datetime) else value
    return _long_date(day, _locale_cached(language))


@functools.lru_cache(maxsize=4096)
def _long_date(day: dt.date, locale) -> str:
    # A case's events fall on a few hundred days: each is written once per language.
    from babel.dates import format_date as babel_date

    return babel_date(day, format="long", locale=locale)


def format_datetime(value: dt.datetime, language: str | None = None) -> str:
    """Format a date and time to the minute, e.g. ``14 May 2024, 03:40``.

    Examples
    --------
    >>> format_datetime(dt.datetime(2024, 5, 14, 3, 40), language="en")
    '14 May 2024, 03:40'
    """
    return f"{format_date(value, language)}, {format_time(value, language)}"


def format_time(value: dt.datetime | dt.time, language: str | None = None) -> str:
    """Format a time of day on the 24-hour clock, e.g. ``03:40``."""
    return f"{value.hour:02d}:{value.minute:02d}"


def number_separators(language: str | None = None) -> str:
    """Return the language's decimal mark and thousands separator (plotly's ``separators``).

    Examples
    --------
    >>> number_separators("en"), number_separators("mk")
    ('.,', ',.')
    """
    return "".join(_marks(_locale_cached(language)))
