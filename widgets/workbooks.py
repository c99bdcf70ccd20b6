"""Find the workbooks a participant can open next, from the notebooks in workbooks/."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .i18n import _

__all__ = ["Workbook", "workbooks_dir", "list_workbooks"]

# Numbered workbooks (01-..., 02-...) are the participant's; 00-start links to them.
_NUMBERED = re.compile(r"^(\d{2})-[a-z0-9-]+\.ipynb$")


@dataclass(frozen=True)
class Workbook:
    """A workbook a participant can open: its file name, number and title."""

    file: str
    number: int
    title: str


def workbooks_dir() -> Path:
    """Return the workbooks folder: ``$CASEBOOK_WORKBOOKS`` or the repository's workbooks/."""
    env = os.environ.get("CASEBOOK_WORKBOOKS")
    if env:
        return Path(env).expanduser().resolve()
    return Path(__file__).resolve().parent.parent / "workbooks"


def _title(path: Path) -> str:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return path.stem
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", []))
        # In the participant's language: each Markdown cell is a message of the catalog.
        for line in _(source.strip()).splitlines():  # i18n-ok: the cell is a catalog message
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem


def list_workbooks(folder: str | Path | None = None, include_start: bool = False) -> list[Workbook]:
    """List the numbered workbooks in ``folder``, in order, with the title of each.

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        Default :func:`workbooks_dir`.
    include_start : bool
        Whether to list ``00-start.ipynb`` too.

    Examples
    --------
    >>> [w.file for w in list_workbooks(include_start=True)][:1]
    ['00-start.ipynb']
    """
    base = Path(folder) if folder else workbooks_dir()
    found = []
    for path in sorted(base.glob("*.ipynb")):
        match = _NUMBERED.match(path.name)
        if not match:
            continue
        number = int(match.group(1))
        if number == 0 and not include_start:
            continue
        found.append(Workbook(path.name, number, _title(path)))
    return found
