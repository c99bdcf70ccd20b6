"""pyproject.toml and environment.yml list the same dependencies; Binder's copy is identical."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
# conda-forge names that differ from PyPI names
CONDA_NAMES = {"pyyaml": "pyyaml"}


def pyproject_deps() -> dict[str, SpecifierSet]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = {}
    for line in data["project"]["dependencies"]:
        req = Requirement(line)
        deps[CONDA_NAMES.get(req.name.lower(), req.name.lower())] = req.specifier
    return deps


def conda_deps(path: Path) -> dict[str, SpecifierSet]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    deps = {}
    for item in data["dependencies"]:
        assert isinstance(item, str), f"{path.name}: unexpected entry {item!r}"
        name, _, spec = re.match(r"^([A-Za-z0-9_.-]+)\s*(([<>=!~].*)?)$", item).groups()
        if name in {"python", "pip"}:
            continue
        deps[name.lower()] = SpecifierSet(spec.replace(" ", ""))
    return deps


def test_pyproject_and_environment_agree():
    assert pyproject_deps() == conda_deps(ROOT / "environment.yml")


def test_binder_environment_equals_root():
    assert (ROOT / "binder" / "environment.yml").read_bytes() == (
        ROOT / "environment.yml"
    ).read_bytes()


def test_named_stack_is_pinned_to_major_versions():
    deps = pyproject_deps()
    assert "<9" in str(deps["ipywidgets"]) and "<0.6" in str(deps["voila"])
    assert str(deps["anywidget"]) == "==0.11.0"
    for name in ("jupyterlab", "networkx", "pyvis", "pandas", "pyyaml", "pydantic"):
        assert name in deps
