"""Pytest setup for the whole repository, doctests in widgets/ included."""

import pytest


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """Keep what tests write (team progress, notes) out of the user's real data folder."""
    monkeypatch.setenv("CASEBOOK_DATA", str(tmp_path_factory.mktemp("casebook-data")))
