"""Markdown from cases (briefings, documents) turned into safe HTML for widgets."""

from __future__ import annotations

import functools

import mistune

__all__ = ["render_markdown"]


@functools.cache
def _renderer() -> mistune.Markdown:
    # escape=True: raw HTML in a case file is shown as text, never run in the page.
    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def render_markdown(text: str) -> str:
    r"""Return the HTML for a Markdown text written by a case author.

    Examples
    --------
    >>> render_markdown("**Nine** people")
    '<p><strong>Nine</strong> people</p>\n'
    >>> "<script>" in render_markdown("<script>alert(1)</script>")
    False
    """
    return str(_renderer()(text or ""))
