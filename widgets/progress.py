"""Which phases a team has unlocked, kept on disk outside the served folders."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from .case import hash_unlock_code
from .schema import CaseMeta

__all__ = ["data_dir", "team_slug", "unlocked_phases", "released_phase", "try_unlock"]


def data_dir() -> Path:
    """Return where Casebook keeps what teams do: ``$CASEBOOK_DATA`` or the user's data folder.

    The default is ``$XDG_DATA_HOME/casebook`` (``~/.local/share/casebook``), never inside
    workbooks/, so Voila does not serve it.
    """
    env = os.environ.get("CASEBOOK_DATA")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "casebook"


def team_slug(team: str) -> str:
    """Return the file-name form of a team name; names differing only in case are one team.

    Examples
    --------
    >>> team_slug("Blue Team")
    'blue-team'
    """
    slug = re.sub(r"[^\w-]+", "-", team.strip().lower(), flags=re.UNICODE).strip("-")
    return slug or "team"


def _path(case_id: str, team: str) -> Path:
    return data_dir() / "progress" / case_id / f"{team_slug(team)}.json"


def unlocked_phases(case_id: str, team: str | None) -> set[int]:
    """Return the phases the team has unlocked with a code (an unreadable file counts as none)."""
    if not team:
        return set()
    try:
        data = json.loads(_path(case_id, team).read_text(encoding="utf-8"))
        return {int(p) for p in data.get("unlocked", [])}
    except (OSError, ValueError, TypeError, AttributeError):
        return set()


def released_phase(meta: CaseMeta, unlocked: set[int]) -> int:
    """Return the latest phase released to a team.

    Phase 1 is always released; each later phase is released when it has no unlock code or
    the team entered it, and every phase before it is released too.

    Examples
    --------
    >>> from widgets import load_case
    >>> meta = load_case("demo").meta
    >>> released_phase(meta, set()), released_phase(meta, {2})
    (1, 2)
    """
    phase = 1
    for p in meta.phases[1:]:
        if p.unlock_sha256 is None or p.number in unlocked:
            phase = p.number
        else:
            break
    return phase


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def try_unlock(meta: CaseMeta, team: str, code: str) -> int | None:
    """Unlock the phase whose code this is, for this team; return its number or ``None``.

    Examples
    --------
    >>> from widgets import load_case
    >>> meta = load_case("demo").meta
    >>> try_unlock(meta, "Blue", "wrong") is None
    True
    >>> try_unlock(meta, "Blue", "zeta-2")
    2
    >>> unlocked_phases("demo", "blue")
    {2}
    """
    for phase in meta.phases:
        if phase.unlock_sha256 and phase.unlock_sha256 == hash_unlock_code(
            meta.id, phase.number, code
        ):
            unlocked = unlocked_phases(meta.id, team) | {phase.number}
            _write_atomic(
                _path(meta.id, team), json.dumps({"team": team, "unlocked": sorted(unlocked)})
            )
            return phase.number
    return None
