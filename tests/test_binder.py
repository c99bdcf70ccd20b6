"""Binder builds from binder/ and runs binder/postBuild, which sets the server up like `make serve`.

repo2docker (the tool Binder builds with) prints the Dockerfile it would build with
``--no-build --no-run --debug``, without Docker. The user id is Binder's (1000): run as root,
repo2docker would hand the repository's files to root.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from servers import REPO, SERVER_CONFIG, WORKBOOKS_DIR

REPO2DOCKER = Path(sys.executable).with_name("jupyter-repo2docker")


@pytest.fixture(scope="module")
def dockerfile():
    """The Dockerfile repo2docker would build for this repository, and its log."""
    assert REPO2DOCKER.exists(), f"{REPO2DOCKER} is missing: install the test extras"
    result = subprocess.run(
        [
            str(REPO2DOCKER),
            "--no-build",
            "--no-run",
            "--debug",
            "--user-id",
            "1000",
            "--user-name",
            "jovyan",
            ".",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, result.stderr


def test_binder_uses_the_environment_in_binder_folder(dockerfile):
    text, log = dockerfile
    assert "Using local repo" in log, log
    assert "src/binder/environment.yml" in text, text
    assert '--file "binder/environment.yml"' in text, text
    assert '--file "environment.yml"' not in text, "the root environment.yml would be used"


def test_binder_builds_with_the_python_the_package_needs(dockerfile):
    # repo2docker reads the version from a `python=X.Y` (or `python =X.Y`) line only; with a
    # range it builds its default (3.10), older than the package's requires-python.
    _, log = dockerfile
    found = re.search(r"Building conda environment for python=(\d+)\.(\d+)", log)
    assert found, log
    version = tuple(map(int, found.groups()))
    assert version >= (3, 11), (
        f"Binder would build Python {'.'.join(map(str, version))}: pin it in "
        f"binder/environment.yml as e.g. `python =3.12` (repo2docker's log:\n{log})"
    )


def test_binder_runs_postbuild(dockerfile):
    text, _ = dockerfile
    assert "RUN ./binder/postBuild" in text, text
    assert os.access(REPO / "binder" / "postBuild", os.X_OK), "binder/postBuild is not executable"


def test_postbuild_installs_the_server_settings(tmp_path):
    """Run postBuild (without its pip install) in an empty environment and read what it wrote."""
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    etc = env_dir / "etc" / "jupyter"
    etc.mkdir(parents=True)
    # Settings already there (say, from a package) are kept.
    (etc / "jupyter_server_config.json").write_text(
        '{"ServerApp": {"shutdown_no_activity_timeout": 7}}'
    )
    env = {
        **os.environ,
        "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "CASEBOOK_POSTBUILD_NO_PIP": "1",
    }
    result = subprocess.run(
        ["bash", "binder/postBuild"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    installed = json.loads((etc / "voila.json").read_text())
    assert installed == json.loads((REPO / "voila.json").read_text())
    written = json.loads((etc / "jupyter_server_config.json").read_text())
    wanted = json.loads(SERVER_CONFIG.read_text())
    server = written["ServerApp"]
    assert Path(server["root_dir"]) == WORKBOOKS_DIR.resolve(), server["root_dir"]
    assert server["shutdown_no_activity_timeout"] == 7, "postBuild dropped existing settings"
    assert server["contents_manager_class"] == wanted["ServerApp"]["contents_manager_class"]
    assert server["tornado_settings"] == {"mathjax_url": None, "mathjax_config": None}
    assert written["MappingKernelManager"] == wanted["MappingKernelManager"]
