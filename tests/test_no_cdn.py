"""The Voila templates link nothing on the internet, in the repository and where installed."""

import re
from pathlib import Path

import pytest
from jupyter_core.paths import jupyter_path
from servers import REPO

TEMPLATES = REPO / "share" / "jupyter" / "voila" / "templates"
TEMPLATE = TEMPLATES / "casebook"
# casebook-projector: large type and high contrast, on top of casebook (conf.json).
NAMES = ["casebook", "casebook-projector"]
URL = re.compile(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"')]*", re.IGNORECASE)


def template_copies() -> list[Path]:
    """The repository's templates and every installed copy Jupyter would find."""
    found = []
    for name in NAMES:
        found.append(TEMPLATES / name)
        for path in map(Path, jupyter_path("voila", "templates", name)):
            if path.is_dir() and path.resolve() != (TEMPLATES / name).resolve():
                found.append(path)
    return found


def is_plotly_library(path: Path) -> bool:
    """plotly.js, copied into installed templates by widgets.chart.ensure_plotly_asset.

    The library names URLs (map tile servers, its CDN) that only features Casebook does not
    use would fetch; the browser tests block and count any request that leaves the machine.
    """
    return path.name.startswith("plotly-") and path.name.endswith(".min.js")


@pytest.mark.parametrize("folder", template_copies(), ids=str)
def test_template_links_nothing_outside(folder):
    files = [p for p in folder.rglob("*") if p.is_file() and not is_plotly_library(p)]
    assert files, f"{folder} is empty"
    found = [
        f"{path}:{number}: {match.group()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in URL.finditer(line)
    ]
    assert not found, "external URLs in the Voila template:\n" + "\n".join(found)


def test_template_has_what_voila_needs():
    names = {p.relative_to(TEMPLATE).as_posix() for p in TEMPLATE.rglob("*") if p.is_file()}
    # index.html.j2 is the notebook page, page.html the frame of the tree and error pages.
    assert {"conf.json", "index.html.j2", "page.html", "static/casebook.css"} <= names, names


def test_projector_template_extends_casebook():
    folder = TEMPLATES / "casebook-projector"
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {"conf.json", "index.html.j2", "static/projector.css"} <= names, names
    assert '"base_template": "casebook"' in (folder / "conf.json").read_text(encoding="utf-8")


def test_every_template_is_installed_with_the_package():
    """pyproject's shared-data installs each template folder (as Binder's postBuild does)."""
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    for name in NAMES:
        line = f'"share/jupyter/voila/templates/{name}" = "share/jupyter/voila/templates/{name}"'
        assert line in pyproject, f"pyproject.toml does not install the {name} template"
