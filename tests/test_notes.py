"""The notes store: every change kept, nothing lost to a crash, teams apart."""

import json
import multiprocessing

from widgets.notes import NotesStore


def test_a_new_store_is_empty(tmp_path):
    store = NotesStore("demo", "Blue", root=tmp_path)
    assert store.load() == {} and store.revision == 0 and store.history() == []


def test_each_save_is_a_new_version_and_any_can_come_back(tmp_path):
    store = NotesStore("demo", "Blue", root=tmp_path)
    for n in range(1, 6):
        assert store.save({"text": f"draft {n}"}) == n
    assert store.load() == {"text": "draft 5"}
    assert store.restore(2) == 6
    assert store.load() == {"text": "draft 2"}
    assert [v["data"]["text"] for v in store.history()] == [
        "draft 1",
        "draft 2",
        "draft 3",
        "draft 4",
        "draft 5",
        "draft 2",
    ]


def test_a_lost_or_damaged_current_file_is_rebuilt_from_the_history(tmp_path):
    store = NotesStore("demo", "Blue", root=tmp_path)
    store.save({"text": "one"})
    store.save({"text": "two"})
    store.current.write_text('{"revision": 2, "data": {"te', encoding="utf-8")  # cut short
    assert store.load() == {"text": "two"}
    store.current.unlink()
    assert store.load() == {"text": "two"}
    assert store.save({"text": "three"}) == 3


def test_a_history_line_cut_short_by_a_crash_loses_only_itself(tmp_path):
    store = NotesStore("demo", "Blue", root=tmp_path)
    store.save({"text": "kept"})
    with open(store.history_file, "a", encoding="utf-8") as f:
        f.write('{"revision": 2, "data": {"text": "hal')
    store.current.unlink()
    assert store.load() == {"text": "kept"}
    assert store.save({"text": "next"}) == 2
    assert store.load() == {"text": "next"}


def test_teams_and_cases_never_share_a_file(tmp_path):
    blue, red = NotesStore("demo", "Blue", root=tmp_path), NotesStore("demo", "Red", root=tmp_path)
    other = NotesStore("corridor", "Blue", root=tmp_path)
    blue.save({"text": "blue"})
    red.save({"text": "red"})
    other.save({"text": "corridor"})
    assert (blue.load(), red.load(), other.load()) == (
        {"text": "blue"},
        {"text": "red"},
        {"text": "corridor"},
    )
    assert len({blue.folder, red.folder, other.folder}) == 3


def test_unsaveable_data_writes_nothing(tmp_path):
    store = NotesStore("demo", "Blue", root=tmp_path)
    store.save({"text": "good"})
    try:
        store.save({"text": object()})
    except TypeError:
        pass
    assert store.load() == {"text": "good"} and len(store.history()) == 1


def _write_many(root: str, team: str, count: int) -> None:
    store = NotesStore("demo", team, root=root)
    for n in range(count):
        store.save({"team": team, "n": n})


def test_two_writers_at_once_lose_nothing(tmp_path):
    """Two processes (two tabs of a team, and another team) save 40 times each, together."""
    jobs = [
        multiprocessing.Process(target=_write_many, args=(str(tmp_path), team, 40))
        for team in ("Blue", "Blue", "Red")
    ]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(60)
    blue = NotesStore("demo", "Blue", root=tmp_path)
    red = NotesStore("demo", "Red", root=tmp_path)
    assert [v["revision"] for v in blue.history()] == list(range(1, 81))
    assert [v["revision"] for v in red.history()] == list(range(1, 41))
    assert blue.revision == 80 and red.load() == {"team": "Red", "n": 39}
    for line in blue.history_file.read_text(encoding="utf-8").splitlines():
        json.loads(line)  # every line whole


def test_revisions_count_on_when_versions_are_larger_than_the_tail_read(tmp_path):
    """Saves read only the end of the history: versions of 100 KB must still count on."""
    store = NotesStore("demo", "Blue", root=tmp_path)
    for n in range(1, 4):
        assert store.save({"text": str(n) * 100_000}) == n
    store.current.unlink()  # the history alone must give the next number
    assert store.save({"text": "small"}) == 4
    assert [v["revision"] for v in store.history()] == [1, 2, 3, 4]
