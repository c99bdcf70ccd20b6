"""Every workbook renders in Voila, standalone and as a Jupyter server extension (as on Binder).

Voila sends a page's outputs as JSON (``<script type="application/vnd.voila.cell-output+json">``)
that its JavaScript turns into the output areas, so the checks read that JSON: error outputs,
stderr, and error words in any output text. The page's own JavaScript, which mentions
"error" freely, is not read as text.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from servers import WORKBOOKS_DIR, Server, case_ids, is_external, workbooks

from widgets.i18n import LANGUAGES, translations_for

pytestmark = pytest.mark.voila

WORKBOOKS = workbooks()
CASES = case_ids()
MODES = ["standalone", "extension"]
# Where each mode lists the workbooks.
TREE = {"standalone": "", "extension": "voila/tree"}

OUTPUT_MIME = "application/vnd.voila.cell-output+json"
# Case-sensitive and whole words: "ValueError", "Exception", not "errors" in a sentence.
ERROR_WORDS = re.compile(r"Traceback|\b\w*Error\b|\b\w*Exception\b")
# What a server logs when a page fails although its status is 200 (Voila streams the page).
LOG_ERRORS = re.compile(r"Traceback|\[E \d|\bERROR\b|Task exception was never retrieved")
# Elements whose attribute makes the browser fetch something.
FETCHING = {
    "link": "href",
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
    "object": "data",
    "track": "src",
}


# A module loaded by a script at run time (nbconvert's Mermaid block does so from a CDN).
DYNAMIC_IMPORT = re.compile(r"""import\(\s*["'`]([^"'`]+)""")


@dataclass
class Page:
    """What the tests read from a Voila page."""

    fetches: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    imports: list[str] = field(default_factory=list)  # import("...") in inline scripts
    outputs: list[dict] = field(default_factory=list)
    config: dict = field(default_factory=dict)  # the jupyter-config-data JSON
    cells: int = 0
    links: list[str] = field(default_factory=list)  # <a href>


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._script: str | None = None  # type of the <script> being read
        self._data: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in FETCHING and attrs.get(FETCHING[tag]):
            self.page.fetches.append((tag, attrs[FETCHING[tag]]))
        if tag == "a" and attrs.get("href"):
            self.page.links.append(attrs["href"])
        if tag == "div" and "cell-index" in attrs:
            self.page.cells += 1
        if tag == "script":
            self._script = attrs.get("id") or attrs.get("type") or ""
            self._data = []

    def handle_data(self, data):
        if self._script is not None:
            self._data.append(data)

    def handle_endtag(self, tag):
        if tag != "script" or self._script is None:
            return
        text = "".join(self._data).strip()
        if self._script == OUTPUT_MIME:
            self.page.outputs.append(json.loads(text))
        elif self._script == "jupyter-config-data" and text:
            self.page.config = json.loads(text)
        self._script = None


def parse_page(html: str) -> Page:
    """Read the fetched URLs, outputs, page configuration and cells of a Voila page."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    parser.page.imports = DYNAMIC_IMPORT.findall(html)
    return parser.page


def _strings(value):
    """Yield every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def output_problems(outputs: list[dict]) -> list[str]:
    """Return what is wrong with a page's outputs: errors, stderr, error words.

    Examples
    --------
    >>> output_problems([{"output_type": "stream", "name": "stdout", "text": "ok"}])
    []
    >>> output_problems([{"output_type": "error", "ename": "ExecutionError",
    ...                   "evalue": "Execution error", "traceback": []}])[0]
    'error output: ExecutionError: Execution error'
    """
    problems = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "error":
            problems.append(f"error output: {out.get('ename')}: {out.get('evalue')}")
            continue
        if kind == "stream" and out.get("name") == "stderr":
            problems.append(f"stderr: {''.join(out.get('text', ''))[:300]}")
            continue
        texts = [out.get("text", "")] if kind == "stream" else list(_strings(out.get("data", {})))
        for text in texts:
            text = "".join(text) if isinstance(text, list) else text
            match = ERROR_WORDS.search(text)
            if match:
                start = max(0, match.start() - 120)
                problems.append(
                    f"{match.group()!r} in output: ...{text[start : match.end() + 200]}"
                )
    return problems


def external_problems(page: Page) -> list[str]:
    """Return every fetched URL, and every URL in the page configuration, off this machine."""
    problems = [f"<{tag}> fetches {url}" for tag, url in page.fetches if is_external(url)]
    problems += [f"a script imports {url}" for url in page.imports if is_external(url)]
    problems += [
        f"page configuration points at {value}"
        for value in _strings(page.config)
        if value.startswith(("http:", "https:", "//")) and is_external(value)
    ]
    return problems


@pytest.fixture(params=MODES)
def server(request) -> Server:
    """Each test runs once on standalone Voila and once on the Jupyter server extension."""
    return request.getfixturevalue(f"voila_{request.param}")


def test_there_is_something_to_render():
    names = [p.name for p in WORKBOOKS]
    assert "00-start.ipynb" in names, f"no workbooks/00-start.ipynb among {names}"
    assert "demo" in CASES, f"no cases/demo/case.yml among {CASES}"


def language_of(mode: str, case: str) -> str:
    """Spread the languages over the renders: each workbook renders once in each language.

    Standalone renders demo in English and corridor in sr-Latn; the server extension renders
    demo in sq and corridor in mk. Every language is so rendered by every workbook, in both
    modes between them, at no extra cost to the suite.

    >>> sorted({language_of(m, c) for m in MODES for c in ("demo", "corridor")})
    ['en', 'mk', 'sq', 'sr-Latn']
    """
    tags = list(LANGUAGES)
    index = 2 * MODES.index(mode) + (0 if case == "demo" else 1)
    return tags[index % len(tags)]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("notebook", WORKBOOKS, ids=lambda p: p.name)
def test_workbook_renders(server, notebook, case):
    offset = server.log_size()
    lang = language_of(server.name, case)
    reply = server.get(f"voila/render/{notebook.name}?case={case}&team=test&lang={lang}")
    page = parse_page(reply.text)
    kernel_id = page.config.get("kernelId")
    if kernel_id:
        server.shutdown_kernel(kernel_id)
    log = server.log_since(offset)

    problems = []
    if reply.status != 200:
        problems.append(f"HTTP {reply.status}")
    if reply.timed_out:
        problems.append("the page was still not complete after 120 s")
    # Voila streams the page with status 200 before running the cells: a page that breaks
    # off half way (Voila issue 1473, a failing template) still says 200.
    cells = len(json.loads(notebook.read_text(encoding="utf-8"))["cells"])
    if page.cells != cells or "window.voila_finish()" not in reply.text:
        problems.append(f"page incomplete: {page.cells} of {cells} cells, then it breaks off")
    if "There was an error when executing cell" in reply.text:
        problems.append("Voila reports an error in a cell")
    problems += output_problems(page.outputs)
    problems += external_problems(page)
    problems += [f"server log: {line}" for line in log.splitlines() if LOG_ERRORS.search(line)]
    problems += language_problems(reply.text, notebook, lang)
    assert not problems, (
        f"{server.name} /voila/render/{notebook.name}?case={case}&lang={lang}:\n  "
        + "\n  ".join(problems)
        + f"\n--- {server.name} server log during the request ({server.log_path}):\n{log[-3000:]}"
    )


def language_problems(text: str, notebook, lang: str) -> list[str]:
    """Check that the page can show its Markdown in ``lang``: a version of every Markdown
    cell serves it, and each cell the catalog translates is there in its translation."""
    serving = re.findall(r'class="casebook-l10n" data-lang="([^"]*)"', text)
    cells = [
        "".join(c["source"]).strip()
        for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "markdown"
    ]
    catalog = translations_for(lang)
    translated = sum(catalog.gettext(c) != c for c in cells)
    served = sum(lang in v.split() for v in serving)
    served_translated = sum(lang in v.split() and "en" not in v.split() for v in serving)
    problems = []
    if served != len(cells):
        problems.append(
            f"{served} of {len(cells)} Markdown cells have a version in {lang} "
            "(the template's filters are not configured?)"
        )
    if lang != "en" and served_translated != translated:
        problems.append(
            f"{served_translated} Markdown cells shown in {lang}, but the catalog translates "
            f"{translated}"
        )
    if "casebookSay" not in text:
        problems.append("the template's texts are not in the page")
    return problems


def test_pages_use_the_casebook_settings(server):
    """voila.json applies in both modes: template casebook, light theme, no code shown."""
    reply = server.get("voila/render/00-start.ipynb?case=demo&team=test")
    assert reply.status == 200 and not reply.timed_out, (reply.status, server.log_tail())
    page = parse_page(reply.text)
    if page.config.get("kernelId"):
        server.shutdown_kernel(page.config["kernelId"])
    stylesheets = [url for tag, url in page.fetches if tag == "link"]
    assert any("/voila/templates/casebook/static/casebook.css" in u for u in stylesheets), (
        f"{server.name}: the casebook template is not used; stylesheets: {stylesheets}"
    )
    assert 'class="jp-Notebook theme-light"' in reply.text, f"{server.name}: not the light theme"
    # strip_sources: every code cell comes without its input area, and no source line shows.
    code_cells = re.findall(r'class="jp-Cell jp-CodeCell[^"]*"', reply.text)
    with_input = [c for c in code_cells if "jp-mod-noInput" not in c]
    assert code_cells and not with_input, f"{server.name}: code cells with input: {with_input}"
    start = json.loads((WORKBOOKS_DIR / "00-start.ipynb").read_text(encoding="utf-8"))
    code = [
        line.strip()
        for cell in start["cells"]
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if len(line.strip()) >= 15  # long enough not to turn up by chance in the outputs
    ]
    shown = [line for line in code if html.escape(line) in reply.text or line in reply.text]
    assert not shown, f"{server.name}: code is shown: {shown}"
    # MathJax would come from a CDN unless both are null (binder/jupyter_server_config.json).
    assert page.config.get("fullMathjaxUrl") is None, page.config.get("fullMathjaxUrl")
    assert page.config.get("mathjaxConfig") is None, page.config.get("mathjaxConfig")


@pytest.mark.parametrize("mode", MODES)
def test_tree_lists_the_workbooks(mode, request):
    server = request.getfixturevalue(f"voila_{mode}")
    reply = server.get(TREE[mode])
    assert reply.status == 200, f"{server.name} /{TREE[mode]}: HTTP {reply.status}"
    page = parse_page(reply.text)
    rendered = {urlsplit(link).path for link in page.links}
    missing = [p.name for p in WORKBOOKS if f"/voila/render/{p.name}" not in rendered]
    assert not missing, f"{server.name} /{TREE[mode]} does not list {missing}; links: {rendered}"
    assert not external_problems(page), external_problems(page)


def test_error_pages_fetch_nothing_from_outside(voila_standalone):
    reply = voila_standalone.get("voila/render/no-such-workbook.ipynb")
    assert reply.status == 404
    page = parse_page(reply.text)
    assert not external_problems(page), external_problems(page)
