"""Voila servers for the tests: started once per session, bound to 127.0.0.1, logs kept.

Two ways of serving the workbooks are tested, each as its users get it:

- ``standalone``: ``python -m widgets.serve``, the command behind ``make serve``;
- ``extension``: a Jupyter server with Voila's server extension and the settings Binder gets
  (binder/jupyter_server_config.json, voila.json read from the working directory).

Each server's output goes to ``test-artifacts/servers/<name>.log``; failures quote it.
"""

from __future__ import annotations

import ctypes
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
WORKBOOKS_DIR = REPO / "workbooks"
CASES_DIR = REPO / "cases"
SERVER_CONFIG = REPO / "binder" / "jupyter_server_config.json"
START_PAGE = "voila/render/00-start.ipynb"

# Tornado checks that an XSRF header matches the cookie: the tests set both to this value so
# they can ask Voila to shut a page's kernel down (POST /voila/api/shutdown/<id>).
XSRF = "casebook-tests"


def workbooks() -> list[Path]:
    """Return the workbooks to test: every notebook in workbooks/, sorted."""
    return sorted(WORKBOOKS_DIR.glob("*.ipynb"))


def case_ids() -> list[str]:
    """Return the id of every case: the folders of cases/ that hold a case.yml."""
    return sorted(p.parent.name for p in CASES_DIR.glob("*/case.yml"))


def is_external(url: str) -> bool:
    """Tell whether fetching ``url`` would leave this machine.

    Examples
    --------
    >>> [is_external(u) for u in ("/voila/static/voila.js", "http://127.0.0.1:8866/x",
    ...                           "https://cdn.jsdelivr.net/x.css", "//cdn.example/x", "data:,")]
    [False, False, True, True, False]
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https", "ws", "wss", "") or not parts.netloc:
        return False
    host = parts.hostname or ""
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Reply:
    """A page as a browser would have received it within the deadline."""

    status: int
    text: str
    timed_out: bool = False


@dataclass
class Server:
    """A running server: its name, base URL (with a trailing slash), process and log file."""

    name: str
    url: str
    process: subprocess.Popen
    log_path: Path
    config_dir: Path
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.session.cookies.set("_xsrf", XSRF, domain="127.0.0.1")

    def get(self, path: str, deadline: float = 120) -> Reply:
        """GET ``path`` (relative to the base URL), reading for at most ``deadline`` seconds.

        Voila streams a page while the kernel runs its cells, with a heartbeat in between:
        a page whose rendering has died can stay open forever, so no read timeout ends it.
        """
        end = time.monotonic() + deadline
        chunks: list[bytes] = []
        try:
            with self.session.get(
                self.url + path.lstrip("/"), stream=True, timeout=(10, deadline)
            ) as response:
                for chunk in response.iter_content(chunk_size=None):
                    chunks.append(chunk)
                    if time.monotonic() > end:
                        return Reply(response.status_code, _text(chunks), timed_out=True)
                return Reply(response.status_code, _text(chunks))
        except requests.Timeout:
            return Reply(0, _text(chunks), timed_out=True)

    def shutdown_kernel(self, kernel_id: str) -> None:
        """Ask Voila to shut down a page's kernel, so that rendered pages do not pile up."""
        self.session.post(
            f"{self.url}voila/api/shutdown/{kernel_id}",
            headers={"X-XSRFToken": XSRF},
            timeout=30,
        )

    def log_size(self) -> int:
        """Return the current size of the log, to read what a request adds to it."""
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        """Return what the server logged after ``offset``."""
        with self.log_path.open("rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")

    @property
    def data_dir(self) -> Path:
        """The folder where this server's kernels keep what teams do (``CASEBOOK_DATA``)."""
        return self.config_dir / "casebook-data"

    def log_tail(self, chars: int = 4000) -> str:
        """Return the end of the log, for a failure message."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text[-chars:]


def _text(chunks: list[bytes]) -> str:
    return b"".join(chunks).decode("utf-8", "replace")


def server_env(config_dir: Path) -> dict[str, str]:
    """Return the environment for a server: this one, without what would change its pages.

    The repository's template comes first on the Jupyter path (``make serve`` does the same),
    so that a stale installed copy cannot hide a change; a fresh Jupyter config folder keeps
    the developer's own ``~/.jupyter`` settings out.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CASEBOOK_") and k not in ("QUERY_STRING", "JUPYTER_CONFIG_DIR")
    }
    env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    # What teams do (unlocked phases, notes) goes to the server's own folder, never to the
    # user's data folder; tests read and write it through Server.data_dir.
    env["CASEBOOK_DATA"] = str(config_dir / "casebook-data")
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(REPO / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")) if p
    )
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _die_with_the_tests() -> None:
    """Run in the server's process before it starts: on Linux, die when the tests die.

    Without it, a test run that is killed (a CI time-out, Ctrl+C twice) leaves its servers
    running, since they have a session of their own. Their kernels notice and exit.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_server(
    name: str, command: list[str], port: int, ready_path: str, timeout: float = 120
) -> Server:
    """Start a server in the repository root and wait until ``ready_path`` answers.

    Parameters
    ----------
    name : str
        Names the log file, ``test-artifacts/servers/<name>.log``.
    command : list of str
        The command line.
    port : int
        The port the command makes the server listen on, on 127.0.0.1.
    ready_path : str
        A path that answers once the server is ready.
    timeout : float
        Seconds to wait for it.
    """
    log_dir = ARTIFACTS / "servers"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    config_dir = Path(tempfile.mkdtemp(prefix=f"casebook-{name}-jupyter-config-"))
    with log_path.open("wb") as log:
        log.write(f"$ {' '.join(command)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=server_env(config_dir),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl+C in the terminal is for pytest, not for the server
            preexec_fn=_die_with_the_tests,
        )
    server = Server(name, f"http://127.0.0.1:{port}/", process, log_path, config_dir)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            stop_server(server)
            raise RuntimeError(
                f"{name} server exited with code {process.returncode} before answering; "
                f"log {log_path}:\n{server.log_tail()}"
            )
        try:
            if server.session.get(server.url + ready_path, timeout=5).status_code < 500:
                return server
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError(
                f"{name} server did not answer /{ready_path} within {timeout:.0f} s; "
                f"log {log_path}:\n{server.log_tail()}"
            )
        time.sleep(0.3)


def _descendants(pid: int) -> list[int]:
    """Return the processes started by ``pid``, their children and so on (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                kids = [int(k) for k in children.read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def stop_server(server: Server, timeout: float = 15) -> None:
    """Stop a server and its kernels: SIGTERM, then SIGKILL of whatever is left.

    A Jupyter server with a page whose rendering died (Voila issue 1473) does not stop on
    SIGTERM; the kernels have process groups of their own.
    """
    process = server.process
    leftovers = _descendants(process.pid)
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            leftovers += _descendants(process.pid)
            process.kill()
            process.wait(10)
    for pid in leftovers:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    server.session.close()
    shutil.rmtree(server.config_dir, ignore_errors=True)


def standalone_command(port: int) -> list[str]:
    """Return the command of ``make serve``, on 127.0.0.1 and ``port``."""
    return [sys.executable, "-m", "widgets.serve", "--host", "127.0.0.1", "--port", str(port)]


def fixtures_command(port: int) -> list[str]:
    """Return the command of a standalone Voila over tests/fixtures (widgets shown alone)."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(REPO / "tests" / "fixtures"),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
    ]


def extension_command(port: int) -> list[str]:
    """Return the command of a Jupyter server configured as on Binder, on 127.0.0.1 only.

    Binder starts the server in the repository folder, so Voila's extension reads voila.json
    from there; postBuild installs binder/jupyter_server_config.json, passed here directly.
    """
    return [
        sys.executable,
        "-m",
        "jupyter_server",
        f"--config={SERVER_CONFIG}",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.allow_root=True",  # CI runs as root; Binder does not
    ]


# Session fixtures: conftest.py imports these -------------------------------------------


@pytest.fixture(scope="session")
def voila_standalone():
    """Standalone Voila started as ``make serve`` starts it; stopped after the session."""
    port = free_port()
    server = start_server("standalone", standalone_command(port), port, ready_path="")
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def voila_extension():
    """A Jupyter server with Voila's extension, configured as on Binder."""
    port = free_port()
    server = start_server("extension", extension_command(port), port, ready_path="voila/tree")
    yield server
    stop_server(server)
