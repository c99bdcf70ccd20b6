"""Serve the workbooks with standalone Voila: the command behind ``make serve``."""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .i18n import LANGUAGES, _, normalize_language, set_language

REPO = Path(__file__).resolve().parent.parent
WORKBOOKS = REPO / "workbooks"
START_PAGE = "voila/render/00-start.ipynb"
# The environment variable through which the Facilitator of every kernel gets the passphrase.
PASSPHRASE_ENV = "CASEBOOK_TRAINER_PASSPHRASE"
PROJECTOR_TEMPLATE = "casebook-projector"
# A room code travels in addresses that people type: letters, digits, - and _ only.
ROOM_CODE = re.compile(r"[A-Za-z0-9_-]{4,64}")


#: The workbooks whose kernels Voila starts, and runs up to the page's request, before anyone
#: asks: the pages a whole room opens at once. See benchmarks/pages.py --preheat.
PREHEATED = ("00-start.ipynb", "02-network.ipynb")


def preheat_options(notebook_names: Sequence[str] = PREHEATED, pool_size: int = 1) -> list[str]:
    """Return Voila's options that keep ``pool_size`` kernels ready for each notebook named.

    A preheated kernel has started Python, imported the widgets and read the cases while no
    one waited; it stops where the page needs its request (``widgets.page.page_params``).
    Other notebooks start their kernel on request, as without the option.

    Examples
    --------
    >>> preheat_options(["00-start.ipynb"])[:2]
    ['--VoilaConfiguration.preheat_kernel=True', '--VoilaConfiguration.default_pool_size=0']
    """
    pools = {"default": {"pool_size": 0}}
    pools.update({name: {"pool_size": pool_size} for name in notebook_names})
    return [
        "--VoilaConfiguration.preheat_kernel=True",
        "--VoilaConfiguration.default_pool_size=0",
        f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
    ]


def voila_command(
    host: str,
    port: int,
    projector: str | None = None,
    room_code: str | None = None,
    preheat: bool = True,
) -> list[str]:
    """Return the command line that starts Voila over the workbooks.

    The rest of the settings (template, theme, hidden code, kernel culling) comes from
    ``voila.json`` at the repository root, which Voila reads from its working directory;
    the options given here win over it.

    Parameters
    ----------
    host : str
        Address to listen on: ``127.0.0.1`` for this machine only, ``0.0.0.0`` for the room.
    port : int
        TCP port to listen on. Voila must not move to another port, or the printed
        address would be wrong.
    projector : {None, "light", "dark"}
        Serve every page with the projector template (large type, high contrast), in
        Voila's light or dark theme.
    room_code : str, optional
        Voila's token (jupyter_server's identity provider): every page then needs
        ``?token=<code>`` once, after which a cookie lets the browser in.
    preheat : bool
        Keep a kernel ready for each of :data:`PREHEATED` (see :func:`preheat_options`).

    Returns
    -------
    list of str
        The arguments for ``os.execve``, starting with the Python interpreter.

    Examples
    --------
    >>> voila_command("127.0.0.1", 8866)[1:3]
    ['-m', 'voila']
    >>> voila_command("0.0.0.0", 8866, projector="dark", room_code="abc123", preheat=False)[-3:]
    ['--VoilaConfiguration.template=casebook-projector', '--VoilaConfiguration.theme=dark', \
'--Voila.token=abc123']
    """
    command = [
        sys.executable,
        "-m",
        "voila",
        str(WORKBOOKS),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
    ]
    if projector:
        command += [
            f"--VoilaConfiguration.template={PROJECTOR_TEMPLATE}",
            f"--VoilaConfiguration.theme={'dark' if projector == 'dark' else 'light'}",
        ]
    if room_code:
        command.append(f"--Voila.token={room_code}")
    if preheat:
        command += preheat_options()
    return command


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


def banner(
    host: str,
    port: int,
    projector: str | None = None,
    room_code: str | None = None,
    trainer_view: bool = False,
) -> str:
    """Return the text that tells the trainer which addresses to open.

    Parameters
    ----------
    host : str
        The address Voila listens on.
    port : int
        The port Voila listens on.
    projector : {None, "light", "dark"}
        The projector mode the pages are served in, if any.
    room_code : str, optional
        The room code: every address carries it as ``?token=``.
    trainer_view : bool
        Whether a trainer passphrase is set (the passphrase itself is never printed).

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
    Trainer view: off (start with TRAINER_PASSPHRASE=... to open it).
    Stop with Ctrl+C.
    >>> print(banner("127.0.0.1", 8866, "dark", "abc123", True))  # doctest: +NORMALIZE_WHITESPACE
    Casebook is starting. Open in a browser:
      start page:     http://127.0.0.1:8866/voila/render/00-start.ipynb?token=abc123
      all workbooks:  http://127.0.0.1:8866/?token=abc123
    Room code: abc123 (every address needs it once: ?token=abc123).
    Projector mode: large type, dark.
    Trainer view: on (passphrase set; it is not shown here).
    Stop with Ctrl+C.
    """
    local = "127.0.0.1" if host in ("0.0.0.0", "") else host
    start = f"{START_PAGE}?token={room_code}" if room_code else START_PAGE
    tree = f"?token={room_code}" if room_code else ""
    lines = [
        _("Casebook is starting. Open in a browser:"),
        _("  start page:     {address}").format(address=f"http://{local}:{port}/{start}"),
        _("  all workbooks:  {address}").format(address=f"http://{local}:{port}/{tree}"),
    ]
    if host in ("0.0.0.0", ""):
        addresses = lan_addresses()
        if addresses:
            lines.append(_("Participants on the same network open:"))
            lines += [f"  http://{address}:{port}/{start}" for address in addresses]
        else:
            lines.append(_("No network address found: participants cannot reach this machine."))
    if room_code:
        lines.append(
            _("Room code: {code} (every address needs it once: ?token={code}).").format(
                code=room_code
            )
        )
    if projector:
        lines.append(
            _("Projector mode: large type, dark.")
            if projector == "dark"
            else _("Projector mode: large type, light.")
        )
    if trainer_view:
        lines.append(_("Trainer view: on (passphrase set; it is not shown here)."))
    else:
        lines.append(_("Trainer view: off (start with TRAINER_PASSPHRASE=... to open it)."))
    lines.append(_("Stop with Ctrl+C."))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Print the addresses to open, then replace this process with Voila.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments without the program name; ``sys.argv[1:]`` when omitted.
    """
    parser = argparse.ArgumentParser(
        prog="python -m widgets.serve", description=_("Serve the Casebook workbooks with Voila.")
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on; 0.0.0.0 serves the room (default: %(default)s)",
    )
    parser.add_argument(
        "--port", type=int, default=8866, help="port to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--projector",
        nargs="?",
        const="light",
        default=None,
        choices=["light", "dark", "1", "yes", "on", "0", "no", "off", ""],
        help="serve every page in projector mode: large type, high contrast; "
        "'dark' for white on black (default: off)",
    )
    parser.add_argument(
        "--room-code",
        default=os.environ.get("CASEBOOK_ROOM_CODE") or None,
        help="a code every address must carry once (?token=CODE): keeps out people outside "
        "the room (default: none, or $CASEBOOK_ROOM_CODE)",
    )
    parser.add_argument(
        "--trainer-passphrase",
        default=None,
        help=f"the passphrase that opens the trainer's view (default: ${PASSPHRASE_ENV}; "
        "prefer the environment: a command line is visible to other users of the machine)",
    )
    parser.add_argument(
        "--no-preheat",
        dest="preheat",
        action="store_false",
        help="start every kernel on request, none ahead (default: a kernel kept ready for "
        + " and ".join(PREHEATED)
        + ")",
    )
    args = parser.parse_args(argv)
    projector = {
        "1": "light",
        "yes": "light",
        "on": "light",
        "0": None,
        "no": None,
        "off": None,
        "": None,
    }.get(args.projector, args.projector)
    room_code = args.room_code or None
    if room_code is not None and not ROOM_CODE.fullmatch(room_code):
        parser.error("the room code takes 4 to 64 letters, digits, - or _")
    wanted = os.environ.get("CASEBOOK_LANG", "").strip()
    if wanted and normalize_language(wanted) is None:
        parser.error(
            f"DEFAULT_LANG={wanted} is not a language Casebook ships "
            f"(one of: {', '.join(LANGUAGES)})"
        )
    if wanted:
        os.environ["CASEBOOK_LANG"] = normalize_language(wanted)
        set_language(wanted)  # the lines printed below, in the room's language
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
    # The kernels inherit Voila's environment: the Facilitator reads the passphrase there.
    if args.trainer_passphrase is not None:
        env[PASSPHRASE_ENV] = args.trainer_passphrase
    if not env.get(PASSPHRASE_ENV):
        env.pop(PASSPHRASE_ENV, None)
    env.pop("CASEBOOK_ROOM_CODE", None)  # Voila has it as its token
    # plotly.js for the charts, in the template's static folder (see widgets/chart.py).
    from .chart import ensure_plotly_asset

    ensure_plotly_asset()
    print(
        banner(args.host, args.port, projector, room_code, trainer_view=PASSPHRASE_ENV in env),
        flush=True,
    )
    command = voila_command(args.host, args.port, projector, room_code, preheat=args.preheat)
    os.execve(command[0], command, env)


if __name__ == "__main__":
    main()
