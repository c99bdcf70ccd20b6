"""Serve the workbooks with standalone Voila: the command behind ``make serve``."""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKBOOKS = REPO / "workbooks"
START_PAGE = "voila/render/00-start.ipynb"


def voila_command(host: str, port: int) -> list[str]:
    """Return the command line that starts Voila over the workbooks.

    The rest of the settings (template, theme, hidden code, kernel culling) comes from
    ``voila.json`` at the repository root, which Voila reads from its working directory.

    Parameters
    ----------
    host : str
        Address to listen on: ``127.0.0.1`` for this machine only, ``0.0.0.0`` for the room.
    port : int
        TCP port to listen on. Voila must not move to another port, or the printed
        address would be wrong.

    Returns
    -------
    list of str
        The arguments for ``os.execve``, starting with the Python interpreter.

    Examples
    --------
    >>> voila_command("127.0.0.1", 8866)[1:3]
    ['-m', 'voila']
    """
    return [
        sys.executable,
        "-m",
        "voila",
        str(WORKBOOKS),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
    ]


def lan_addresses() -> list[str]:
    """Return this machine's IPv4 addresses that others on the network can reach.

    Returns
    -------
    list of str
        Addresses other than loopback and link-local ones, sorted; empty if none is found.
    """
    found: set[str] = set()
    try:
        # Linux: every configured address, without asking any other host.
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5)
        found.update(out.stdout.split())
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        found.update(
            info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        )
    except OSError:
        pass
    usable = []
    for text in found:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            continue
        if address.version == 4 and not (address.is_loopback or address.is_link_local):
            usable.append(text)
    return sorted(usable, key=ipaddress.ip_address)


def banner(host: str, port: int) -> str:
    """Return the text that tells the trainer which addresses to open.

    Parameters
    ----------
    host : str
        The address Voila listens on.
    port : int
        The port Voila listens on.

    Returns
    -------
    str
        Several lines: the start page and the list of workbooks on this machine, and, when
        listening on every interface, the addresses to read out to the room.

    Examples
    --------
    >>> print(banner("127.0.0.1", 8866))  # doctest: +NORMALIZE_WHITESPACE
    Casebook is starting. Open in a browser:
      start page:     http://127.0.0.1:8866/voila/render/00-start.ipynb
      all workbooks:  http://127.0.0.1:8866/
    Stop with Ctrl+C.
    """
    local = "127.0.0.1" if host in ("0.0.0.0", "") else host
    lines = [
        "Casebook is starting. Open in a browser:",
        f"  start page:     http://{local}:{port}/{START_PAGE}",
        f"  all workbooks:  http://{local}:{port}/",
    ]
    if host in ("0.0.0.0", ""):
        addresses = lan_addresses()
        if addresses:
            lines.append("Participants on the same network open:")
            lines += [f"  http://{address}:{port}/{START_PAGE}" for address in addresses]
        else:
            lines.append("No network address found: participants cannot reach this machine.")
    lines.append("Stop with Ctrl+C.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Print the addresses to open, then replace this process with Voila.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments without the program name; ``sys.argv[1:]`` when omitted.
    """
    parser = argparse.ArgumentParser(
        prog="python -m widgets.serve", description="Serve the Casebook workbooks with Voila."
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on; 0.0.0.0 serves the room (default: %(default)s)",
    )
    parser.add_argument(
        "--port", type=int, default=8866, help="port to listen on (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if not WORKBOOKS.is_dir():
        parser.error(
            f"no workbooks at {WORKBOOKS}: install the package from the repository "
            "with `pip install -e .` (as `make serve` does)"
        )

    # Voila reads voila.json from its working directory; the repository's own template comes
    # first on the Jupyter path, so an edit to it shows without reinstalling the package.
    os.chdir(REPO)
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(REPO / "share" / "jupyter"), env.get("JUPYTER_PATH")) if p
    )
    # plotly.js for the charts, in the template's static folder (see widgets/chart.py).
    from .chart import ensure_plotly_asset

    ensure_plotly_asset()
    print(banner(args.host, args.port), flush=True)
    command = voila_command(args.host, args.port)
    os.execve(command[0], command, env)


if __name__ == "__main__":
    main()
