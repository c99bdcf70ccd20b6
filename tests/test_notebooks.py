"""Every workbook runs top to bottom on every case, and is committed without outputs."""

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from widgets import list_cases

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = sorted((ROOT / "workbooks").rglob("*.ipynb"))
CASES = [c.id for c in list_cases(ROOT / "cases")]


def test_there_are_workbooks_and_cases():
    assert any(p.name == "00-start.ipynb" for p in WORKBOOKS)
    assert "demo" in CASES


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_workbook_executes(path, case, monkeypatch):
    monkeypatch.setenv("CASEBOOK_CASE", case)
    monkeypatch.setenv("CASEBOOK_TEAM", "test team")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", (
                f"{path.name}: {out.get('ename')}: {out.get('evalue')}"
            )
            if out["output_type"] == "stream":
                assert out["name"] != "stderr", f"{path.name} wrote to stderr: {out['text'][:500]}"
    shown = [
        o
        for c in nb.cells
        for o in c.get("outputs", [])
        if o["output_type"] == "display_data" or o["output_type"] == "execute_result"
    ]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in shown), (
        path.name
    )
    assert os.environ["CASEBOOK_CASE"] == case
