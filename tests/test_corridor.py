"""The flagship case: rebuilt byte for byte by its generator, and as large as the training needs."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from widgets import load_case
from widgets.analysis import shared_devices

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "corridor"


def generate(out: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "cases" / "make_corridor.py"), "--out", str(out), *args],
        check=True,
        capture_output=True,
        text=True,
    )


def test_generator_rebuilds_the_committed_tables_byte_for_byte(tmp_path):
    generate(tmp_path / "again")
    tables = sorted(p.name for p in CASE.glob("*.csv"))
    assert len(tables) == 11
    for name in tables:
        assert (tmp_path / "again" / name).read_bytes() == (CASE / name).read_bytes(), name


def test_counts_the_training_needs():
    case = load_case("corridor")
    types = case.entities["type"].value_counts()
    assert len(case.entities) >= 60 and len(case.events) >= 800
    assert types["location"] >= 15 and types["vehicle"] >= 1 and types["account"] >= 2
    assert len(shared_devices(case)) >= 2
    assert len(case.phases) == 5
    assert case.events["time"].max() - case.events["time"].min() > pd.Timedelta(days=90)
    kinds = set(case.locations["kind"])
    assert {"safe_house", "border_crossing", "river_crossing", "cell_site"} <= kinds
    # background traffic: family and legitimate payments, not only the network
    assert (case.payments["channel"] == "bank").sum() >= 20
    statuses = case.persons["status"].value_counts()
    assert statuses["migrant"] >= 10 and statuses["suspect"] >= 8


def test_every_phase_releases_new_documents():
    case = load_case("corridor")
    per_phase = case.documents.groupby("phase").size()
    assert list(per_phase.index) == [1, 2, 3, 4, 5]


@pytest.mark.slow
def test_scaled_case_validates(tmp_path):
    generate(tmp_path / "x10", "--scale", "10")
    big = load_case(tmp_path / "x10")
    small = load_case("corridor")
    assert len(big.events) > 5 * len(small.events)
