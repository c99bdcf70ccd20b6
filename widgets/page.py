"""What a workbook page knows about itself: the case, team and language in its URL."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

__all__ = ["PageParams", "page_params", "workbook_link"]

_TEAM = re.compile(r"^[\w .-]{1,40}$", re.UNICODE)


#: The Voila templates a link may carry on.
TEMPLATES = ("casebook", "casebook-projector")


@dataclass(frozen=True)
class PageParams:
    """The parameters a workbook reads from its URL (``?case=demo&team=blue&lang=en``)."""

    case: str | None = None
    team: str | None = None
    lang: str | None = None
    #: Voila's own page parameters, kept on links so that projector mode chosen in the URL
    #: (``?template=casebook-projector&theme=dark``) stays on from page to page.
    template: str | None = field(default=None, repr=False)
    theme: str | None = field(default=None, repr=False)

    def query(self, **changes: str | None) -> str:
        """Return the query string that carries these parameters to another workbook.

        Examples
        --------
        >>> PageParams(case="demo", team="blue").query()
        'case=demo&team=blue'
        >>> PageParams(case="demo").query(team="red team", lang="sq")
        'case=demo&team=red+team&lang=sq'
        """
        values = {
            "case": self.case,
            "team": self.team,
            "lang": self.lang,
            "template": self.template,
            "theme": self.theme,
            **changes,
        }
        return urlencode({k: v for k, v in values.items() if v})


def clean_team(name: str | None) -> str | None:
    """Return a team name safe to show and to use in a link, or ``None``.

    Examples
    --------
    >>> clean_team("  Blue team ")
    'Blue team'
    >>> clean_team("../etc") is None
    True
    """
    if not name:
        return None
    name = " ".join(name.split())
    if not _TEAM.match(name) or ".." in name:
        return None
    return name


def parse_query(query: str) -> PageParams:
    """Read case, team and language from a query string, ignoring anything else.

    Examples
    --------
    >>> parse_query("case=demo&team=Blue&lang=sq&x=1")
    PageParams(case='demo', team='Blue', lang='sq')
    >>> parse_query("?team=../../etc")
    PageParams(case=None, team=None, lang=None)
    >>> parse_query("case=demo&template=casebook-projector&theme=dark").query()
    'case=demo&template=casebook-projector&theme=dark'
    >>> parse_query("template=lab&theme=x").query()  # only Casebook's templates and themes
    ''
    """
    values = parse_qs(query.lstrip("?"))

    def first(key: str) -> str | None:
        return values.get(key, [None])[0]

    case = first("case")
    if case and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", case):
        case = None
    lang = first("lang")
    if lang and not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang):
        lang = None
    template = first("template")
    theme = first("theme")
    return PageParams(
        case=case,
        team=clean_team(first("team")),
        lang=lang,
        template=template if template in TEMPLATES else None,
        theme=theme if theme in ("light", "dark") else None,
    )


def page_params() -> PageParams:
    """Return the parameters of the page this kernel serves.

    Under Voila the kernel learns its page's query string from ``QUERY_STRING`` once the
    page's request has arrived (with preheated kernels it arrives after start-up, so wait for
    it). Outside Voila (a test run, JupyterLab), ``CASEBOOK_CASE``, ``CASEBOOK_TEAM`` and
    ``CASEBOOK_LANG`` stand in.
    """
    query = os.environ.get("QUERY_STRING")
    if query is None and os.environ.get("VOILA_PREHEAT") == "True":
        _wait_for_request()
        query = os.environ.get("QUERY_STRING")
    if query:
        return parse_query(query)
    return PageParams(
        case=os.environ.get("CASEBOOK_CASE") or None,
        team=clean_team(os.environ.get("CASEBOOK_TEAM")),
        lang=os.environ.get("CASEBOOK_LANG") or None,
    )


def _wait_for_request() -> None:
    """Wait, in a preheated kernel, until Voila hands it a page request; copy its variables.

    What ``voila.utils.wait_for_request`` does, without importing ``voila.utils``: that
    module brings Jupyter Server and JupyterLab's server into the kernel, 45 MB in every
    preheated kernel. Voila sends the request's variables (``QUERY_STRING``...) as one JSON
    message on its ``voila/query/<kernel id>`` websocket, to the kernel it gives the page.
    """
    import asyncio
    import json
    import threading

    import websockets

    env = os.environ
    base = env.get("VOILA_WS_BASE_URL") or env.get("VOILA_SERVER_URL", "/")
    url = (
        f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
        f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env.get('VOILA_KERNEL_ID')}"
    )
    found: list[str] = []

    async def receive() -> None:
        async with websockets.connect(url, open_timeout=5) as socket:
            found.append(await socket.recv())

    def run() -> None:
        try:
            asyncio.new_event_loop().run_until_complete(receive())
        except (OSError, TimeoutError, websockets.WebSocketException):
            pass  # no request info: the page falls back to its defaults

    # A thread of its own: the kernel's own event loop is running this cell.
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join()
    for key, value in json.loads(found[0]).items() if found else ():
        os.environ[key] = value


def workbook_link(notebook: str, params: PageParams) -> str:
    """Return the relative link to another workbook that keeps case, team and language.

    Examples
    --------
    >>> workbook_link("02-network.ipynb", PageParams(case="demo", team="blue"))
    '02-network.ipynb?case=demo&team=blue'
    """
    query = params.query()
    return f"{notebook}?{query}" if query else notebook
