"""Where a team's conclusions are kept: saved at every change, never lost, never overwritten.

Each team of each case has a folder of its own under :func:`widgets.progress.data_dir`
(``notes/<case>/<team>/``), outside workbooks/ so that Voila never serves it:

- ``current.json``: the latest version, replaced atomically (a temporary file, flushed to
  disk, then renamed over the old one), so a crash leaves the old or the new file, never half;
- ``history.jsonl``: every version ever saved, one JSON line each, only ever appended to, so
  any earlier version can be restored, and the latest one rebuilt if ``current.json`` is lost.

Two teams never share a file. Two tabs of one team take turns through a lock on the folder;
the later save wins in ``current.json`` and both stay in the history.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .progress import _write_atomic, data_dir, team_slug

__all__ = ["NotesStore", "Version"]


class Version(dict):
    """One saved version: ``revision`` (1, 2, ...), ``saved`` (UTC time, ISO) and ``data``."""


class NotesStore:
    """The saved conclusions of one team on one case.

    Examples
    --------
    >>> store = NotesStore("demo", "Blue Team")
    >>> store.load()
    {}
    >>> store.save({"free_text": "The organiser is Besnik."})
    1
    >>> store.save({"free_text": "The organiser is Besnik Marku."})
    2
    >>> store.load()["free_text"]
    'The organiser is Besnik Marku.'
    >>> [v["revision"] for v in store.history()]
    [1, 2]
    >>> store.restore(1)
    3
    >>> store.load()["free_text"]
    'The organiser is Besnik.'
    """

    def __init__(self, case_id: str, team: str, root: Path | None = None) -> None:
        self.case_id = case_id
        self.team = team
        base = Path(root) if root is not None else data_dir()
        self.folder = base / "notes" / team_slug(case_id) / team_slug(team)
        self.current = self.folder / "current.json"
        self.history_file = self.folder / "history.jsonl"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def history(self) -> list[Version]:
        """Return every version saved, oldest first (lines that cannot be read are skipped)."""
        try:
            lines = self.history_file.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        out = []
        for line in lines:
            try:
                item = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash: the lines before it still count
            if isinstance(item, dict) and isinstance(item.get("data"), dict):
                out.append(Version(item))
        return out

    def _last_in_history(self) -> Version | None:
        """Return the last whole version of the history, reading only the end of the file.

        Saves happen at every keystroke: reading the whole history each time would grow
        slower all session long.
        """
        try:
            with open(self.history_file, "rb") as f:
                size = f.seek(0, os.SEEK_END)
                chunk = 1 << 16
                while True:
                    start = max(0, size - chunk)
                    f.seek(start)
                    lines = f.read(size - start).splitlines()
                    # The first line may be cut by the seek, unless the chunk starts the file.
                    for line in reversed(lines if start == 0 else lines[1:]):
                        try:
                            item = json.loads(line)
                        except ValueError:
                            continue
                        if isinstance(item, dict) and isinstance(item.get("data"), dict):
                            return Version(item)
                    if start == 0:
                        return None
                    chunk *= 4
        except OSError:
            return None

    def _latest(self) -> Version | None:
        try:
            item = json.loads(self.current.read_text(encoding="utf-8"))
            if isinstance(item, dict) and isinstance(item.get("data"), dict):
                return Version(item)
        except (OSError, ValueError):
            pass
        history = self.history()
        return history[-1] if history else None

    def load(self) -> dict[str, Any]:
        """Return the latest version's data, or ``{}`` when nothing was saved yet.

        When ``current.json`` is missing or damaged, the last line of the history stands in.
        """
        latest = self._latest()
        return dict(latest["data"]) if latest else {}

    @property
    def revision(self) -> int:
        """Return the number of the latest version (0 when nothing was saved)."""
        latest = self._latest()
        return int(latest["revision"]) if latest else 0

    def save(self, data: dict[str, Any]) -> int:
        """Save ``data`` as a new version; return its revision number.

        The history line is written (and flushed to disk) before ``current.json`` is replaced:
        whatever happens in between, the new version is on disk.
        """
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)  # fails before any write
        with self._locked():
            latest = self._latest()
            last = self._last_in_history()
            revision = max(int(v["revision"]) if v else 0 for v in (latest, last)) + 1
            saved = datetime.now(UTC).isoformat(timespec="seconds")
            line = json.dumps(
                {"revision": revision, "saved": saved, "data": json.loads(text)},
                ensure_ascii=False,
                sort_keys=True,
            )
            with open(self.history_file, "a", encoding="utf-8") as f:
                f.write(line + "\n")
                f.flush()
                os.fsync(f.fileno())
            _write_atomic(self.current, line)
        return revision

    def restore(self, revision: int) -> int:
        """Save an earlier version again, as the newest; return the new revision number."""
        for version in self.history():
            if int(version["revision"]) == revision:
                return self.save(version["data"])
        raise KeyError(f"no version {revision} of the notes of {self.team!r} on {self.case_id!r}")
