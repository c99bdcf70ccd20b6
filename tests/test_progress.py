"""Team progress: unlocked phases kept per case and team, written atomically."""

from widgets import load_case
from widgets.progress import _path, data_dir, released_phase, try_unlock, unlocked_phases


def test_data_dir_is_outside_the_repository_and_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_DATA", str(tmp_path))
    assert data_dir() == tmp_path
    monkeypatch.delenv("CASEBOOK_DATA")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "casebook"


def test_unlock_is_kept_per_team_and_survives_a_new_kernel():
    meta = load_case("demo").meta
    assert try_unlock(meta, "Blue", "ZETA-2") == 2
    assert unlocked_phases("demo", "Blue") == {2}
    assert unlocked_phases("demo", "Green") == set()
    assert released_phase(meta, unlocked_phases("demo", "Blue")) == 2
    leftovers = [p for p in _path("demo", "Blue").parent.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []


def test_a_damaged_progress_file_counts_as_nothing_unlocked():
    path = _path("demo", "Blue")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert unlocked_phases("demo", "Blue") == set()
    assert try_unlock(load_case("demo").meta, "Blue", "ZETA-2") == 2
    assert unlocked_phases("demo", "Blue") == {2}
