"""Parsed cases kept on disk, by content hash, so that a page does not parse a case again.

Every workbook page runs in a kernel of its own, and each used to read, parse and validate its
case from the CSV and YAML files: 0.1 s for the corridor case, 5 s for it generated 100 times
larger. The first kernel that loads a case writes the result here; the others read it back
(0.13 s at 100 times). The key is a hash of every file of the case folder (names and bytes)
and of the code that reads it (this package's sources, and the versions of Python, pandas
and pydantic), so an edited case or an updated Casebook is parsed afresh, never served stale.
A case with problems is not kept: its errors are reported on every load.

The files are Python pickles, which run code when read: the folder is private to the user
(mode 700) and is never one that Voila serves. Anything unreadable is ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "content_key", "read", "write"]

#: Parsed cases kept at most; the least recently used go first.
KEEP = 16


def cache_dir() -> Path:
    """Return where parsed cases are kept: ``$CASEBOOK_CACHE``, or the user's cache folder.

    The default is ``$XDG_CACHE_HOME/casebook/cases`` (``~/.cache/casebook/cases``).
    """
    env = os.environ.get("CASEBOOK_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "casebook" / "cases"


@functools.cache
def _code_version() -> str:
    """Return a hash of the code that turns case files into a Case: this package, its libraries."""
    import pandas
    import pydantic

    digest = hashlib.sha256(f"{sys.version}|{pandas.__version__}|{pydantic.__version__}".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def content_key(folder: Path) -> str:
    """Return the key of a case folder: a hash of its files' names and bytes, and of the code.

    Examples
    --------
    >>> from widgets.case import cases_dir
    >>> key = content_key(cases_dir() / "demo")
    >>> len(key), key == content_key(cases_dir() / "demo")
    (64, True)
    """
    digest = hashlib.sha256(_code_version().encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def read(key: str) -> Any | None:
    """Return what was kept under ``key``, or ``None`` if nothing usable is there."""
    path = cache_dir() / f"{key}.pickle"
    try:
        with path.open("rb") as f:
            value = pickle.load(f)
        os.utime(path)  # recently used: kept longest
        return value
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a truncated or stale file is rebuilt, never fatal
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        return None


def write(key: str, value: Any) -> None:
    """Keep ``value`` under ``key`` (atomically), and drop the least recently used beyond KEEP.

    A folder that cannot be written (read-only home, full disk) only means no cache.
    """
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / f"{key}.pickle")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        return
