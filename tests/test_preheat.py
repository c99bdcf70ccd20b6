"""A preheated kernel learns its page's request from Voila's websocket, without voila.utils."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from servers import free_port

websockets_sync = pytest.importorskip("websockets.sync.server")

KERNEL_ID = "0b7e2f1c-1111-4222-8333-944455556666"
PROBE = """
import json, sys
from widgets.page import page_params
params = page_params()
print(json.dumps({"case": params.case, "team": params.team, "lang": params.lang,
                  "voila_utils": "voila.utils" in sys.modules,
                  "jupyter_server": "jupyter_server" in sys.modules}))
"""


@pytest.fixture
def fake_voila():
    """A websocket server that hands the request of one page to the kernel that asks."""
    port = free_port()
    asked: list[str] = []

    def handler(socket):
        asked.append(socket.request.path)
        socket.send(json.dumps({"QUERY_STRING": "case=demo&team=Warm+team&lang=sq"}))

    server = websockets_sync.serve(handler, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield port, asked
    server.shutdown()


def run_probe(env: dict[str, str]) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CASEBOOK_", "VOILA_"))}
    clean.pop("QUERY_STRING", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_preheated_kernel_waits_for_its_request(fake_voila):
    port, asked = fake_voila
    got = run_probe(
        {
            "VOILA_PREHEAT": "True",
            "VOILA_APP_IP": "127.0.0.1",
            "VOILA_APP_PORT": str(port),
            "VOILA_SERVER_URL": "/",
            "VOILA_KERNEL_ID": KERNEL_ID,
        }
    )
    assert asked == [f"/voila/query/{KERNEL_ID}"]
    assert (got["case"], got["team"], got["lang"]) == ("demo", "Warm team", "sq")
    # voila.utils would bring Jupyter Server into every preheated kernel: 45 MB.
    assert not got["voila_utils"] and not got["jupyter_server"]


def test_no_voila_to_ask_falls_back_to_the_defaults():
    got = run_probe(
        {
            "VOILA_PREHEAT": "True",
            "VOILA_APP_IP": "127.0.0.1",
            "VOILA_APP_PORT": str(free_port()),  # nobody listens
            "VOILA_KERNEL_ID": KERNEL_ID,
            "CASEBOOK_CASE": "demo",
        }
    )
    assert got["case"] == "demo" and got["team"] is None
