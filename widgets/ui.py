"""Small HTML pieces that several widgets show the same way."""

from __future__ import annotations

import html

__all__ = ["error_html"]


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
