"""Parsed cases kept on disk: read back when the files are the same, never when they changed."""

from __future__ import annotations

import shutil

import pytest

from widgets import case as case_module
from widgets import case_cache
from widgets.case import cases_dir, load_case
from widgets.errors import CaseError


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder of its own, and no case kept in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CASEBOOK_CACHE", str(folder))
    case_module._load_cached.cache_clear()
    yield folder
    case_module._load_cached.cache_clear()


@pytest.fixture
def demo_copy(tmp_path):
    folder = tmp_path / "cases" / "demo"
    shutil.copytree(cases_dir() / "demo", folder)
    return folder


def parses(monkeypatch) -> list[str]:
    """Record every real parse of a case folder (as opposed to a read from the cache)."""
    calls: list[str] = []
    real = case_module._load

    def counting(folder):
        calls.append(folder.name)
        return real(folder)

    monkeypatch.setattr(case_module, "_load", counting)
    return calls


def test_a_case_is_parsed_once_then_read_from_disk(cache, demo_copy, monkeypatch):
    calls = parses(monkeypatch)
    first = load_case(demo_copy)
    assert calls == ["demo"] and len(list(cache.glob("*.pickle"))) == 1
    case_module._load_cached.cache_clear()  # as a new kernel would start
    again = load_case(demo_copy)
    assert calls == ["demo"], "the second load parsed the files again"
    assert again is not first
    assert again.path == demo_copy.resolve()
    assert again.communications.equals(first.communications)
    assert again.meta == first.meta and again.answers == first.answers


def test_a_changed_file_is_parsed_again(cache, demo_copy, monkeypatch):
    calls = parses(monkeypatch)
    load_case(demo_copy)
    meta = demo_copy / "case.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("Demo", "Demo case"), "utf-8")
    case_module._load_cached.cache_clear()
    load_case(demo_copy)
    assert calls == ["demo", "demo"]


def test_the_same_files_elsewhere_get_their_own_path(cache, demo_copy, tmp_path, monkeypatch):
    load_case(demo_copy)
    other = tmp_path / "elsewhere" / "demo"
    shutil.copytree(demo_copy, other)
    calls = parses(monkeypatch)
    case = load_case(other)
    assert calls == [] and case.path == other.resolve()


def test_a_damaged_cache_file_is_rebuilt(cache, demo_copy, monkeypatch):
    load_case(demo_copy)
    (kept,) = cache.glob("*.pickle")
    kept.write_bytes(b"not a pickle")
    case_module._load_cached.cache_clear()
    calls = parses(monkeypatch)
    assert load_case(demo_copy).id == "demo"
    assert calls == ["demo"] and kept.read_bytes() != b"not a pickle"


def test_a_case_with_problems_is_never_kept(cache, demo_copy):
    (demo_copy / "case.yml").write_text("id: demo\ntitle: [unclosed\n", encoding="utf-8")
    for _ in range(2):
        case_module._load_cached.cache_clear()
        with pytest.raises(CaseError, match="case.yml"):
            load_case(demo_copy)
    assert not list(cache.glob("*.pickle"))


def test_an_unwritable_cache_only_means_no_cache(tmp_path, demo_copy, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CASEBOOK_CACHE", str(blocker / "cache"))
    case_module._load_cached.cache_clear()
    assert load_case(demo_copy).id == "demo"
    case_module._load_cached.cache_clear()


def test_the_cache_keeps_a_bounded_number_of_cases(cache, monkeypatch):
    monkeypatch.setattr(case_cache, "KEEP", 3)
    for n in range(5):
        case_cache.write(f"key{n}", {"n": n})
    assert len(list(cache.glob("*.pickle"))) == 3
    assert case_cache.read("key4") == {"n": 4} and case_cache.read("key0") is None
