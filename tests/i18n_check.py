"""What the language tests share: finding English text of the catalogs left in a page."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from widgets.i18n import LANGUAGES, LOCALE_DIR

# The text a participant can see in a page: hidden elements (the other languages' versions
# of the Markdown, closed tabs) are left out by innerText.
VISIBLE_TEXT = "() => document.querySelector('#rendered_cells').innerText"


def english_left(text: str, tag: str) -> list[str]:
    """Return the English messages of the catalog that ``text`` shows untranslated.

    Only messages of two words or more, ten letters or more, whose translation differs, are
    looked for (short words such as "OK" or a name may rightly stay as they are); a message
    with placeholders is looked for by its longest fixed part. Markdown cells are left to
    the template's own test.
    """
    path = LOCALE_DIR / LANGUAGES[tag].catalog / "LC_MESSAGES" / "casebook.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    left = []
    for message in catalog:
        if not message.id or message.string == message.id:
            continue
        if message.auto_comments and "Markdown cell" in message.auto_comments[0]:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            fixed = max(re.split(r"\{[^{}]*\}", msgid), key=len).strip(" :·,.()")
            if len(fixed) >= 10 and " " in fixed and fixed in text:
                left.append(fixed)
    return sorted(set(left))
