"""A room of participants on one trainer's laptop: time to ready, errors and lost notes.

Run: .venv/bin/python benchmarks/room.py [--participants 1 5 10 20] [--workbook 01-case-file]
     [--case demo] [--preheat make|off|workbook [--pool-size 1]] [--timeout 300]
     [--voila-option=...] [--json FILE]

In a training, the trainer's laptop serves the whole room over the LAN, and every Voila page
runs a kernel of its own (issue 7). The script starts one standalone Voila on 127.0.0.1, the
command of ``make serve`` (tests/servers.py ``standalone_command``), and, for each number N of
``--participants``, a round in which N participants act at the same moment, each in a browser
context of its own (its own cookies and storage) of one headless Chromium, each as a team of
its own (``room{N}-{k}``). Every participant:

1. opens the workbook (``--workbook``) of the case (``--case``) for its team;
2. waits until the casebook template says the page is ready (``casebook-page-ready`` on
   <body>; the page records the milliseconds since the navigation started, so the polling of
   this script is not counted), for at most ``--timeout`` seconds, then, if need be, until
   the notes box is drawn and no widget still says "Loading widget..." (the template's
   signal can come before; the time to ready is then when the box was drawn, to 0.1 s);
3. writes a finding of its own in the compact notes box at the bottom of the page ("Add the
   finding") and waits for "Added to your conclusions".

When every participant of the round is done, the script reads each team's notes on the
server's disk (``notes/<case>/<team>/current.json``): a finding that was added but is not
there is a lost note. Errors, counted per participant: console errors (not the widget
manager's "Unsatisfied version" warnings), uncaught page errors, requests to a host other
than this machine (aborted), error outputs shown in the page, and time-outs (a participant
that times out is an error, not the end of the run; its note, never added, is not "lost").
The warnings and errors of the server's log during each round are listed too (not counted):
"Timeout waiting for IOPub output" there means Voila dropped a cell's outputs from a page.

While a round runs, the resident memory (RSS) of the Voila server and of all its descendant
processes (the kernels) is summed every 0.5 s; the table gives its peak in MB, the peak
number of kernels, and the median RSS of one participant's kernel, read one second after its
page was ready: enough to say how many participants a laptop of a given memory holds. Between
rounds the contexts are closed and the round's kernels shut down.

``make serve`` keeps a preheated kernel for each workbook of ``widgets.serve.PREHEATED``;
``--preheat off`` serves without, ``--preheat workbook`` also preheats the workbook measured,
``--pool-size`` kernels each (``widgets.serve.preheat_options``), to compare;
``--voila-option`` adds any other Voila option. ``python -m widgets.serve`` takes no Voila
options, so the command is then its Voila command (``widgets.serve.voila_command``) with those
options added. ``--json FILE`` writes the rows.

The browsers run on the same machine as the server (2 cores here): every participant's
Chromium competes with the kernels for the processor, so the times are pessimistic compared
with a real room, where each participant has a computer of their own. Nothing fails on a
timing: the script always exits with 0 and says whether there were errors or lost notes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect  # noqa: E402
from playwright.async_api import Error as PlaywrightError  # noqa: E402
from servers import (  # noqa: E402
    Server,
    free_port,
    is_external,
    standalone_command,
    start_server,
    stop_server,
)

from widgets.progress import team_slug  # noqa: E402
from widgets.serve import PREHEATED, preheat_options, voila_command  # noqa: E402

READY = "document.body && document.body.classList.contains('casebook-page-ready')"
KERNEL_ID = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
STDERR = ".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']"
PLACEHOLDER = "What you conclude, in a sentence or two"
ACCORDION = "Add a finding with the evidence it rests on"
LATE_TIMEOUT_MS = 60_000  # for the notes box, once the page said it was ready
ACTION_TIMEOUT_MS = 120_000  # a click or an answer of a busy kernel, with the room loaded
# The last notes box, or, when there is none, the last output of the page (what shows instead).
NOTES_BOX = """() => {
    const boxes = document.querySelectorAll('.casebook-conclusions');
    if (boxes.length) return boxes[boxes.length - 1].innerText;
    const outputs = document.querySelectorAll('.jp-OutputArea-output');
    const last = outputs[outputs.length - 1];
    return `no .casebook-conclusions; ${outputs.length} outputs, the last: ` +
        (last ? last.innerText : '');
}"""
# The notes box is there and drawn, and no widget is still loading: what a participant needs.
NOTES_DRAWN = """() => {
    const boxes = document.querySelectorAll('.casebook-conclusions');
    const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
    return boxes.length > 0 && !outputs.some(o => o.innerText.trim() === 'Loading widget...');
}"""
# Said by every page and every kernel, and harmless: not worth a line of the report.
QUIET = ("is not trusted", "Kernel is running over TCP without encryption")
MB = 1024 * 1024
GOAL = 20  # issue 7: no errors and no lost notes with this many participants


@dataclass
class Participant:
    """One participant of a round: its team, its note, what it measured and what went wrong."""

    team: str
    note: str
    ready_s: float | None = None
    kernel_id: str | None = None
    kernel_mb: float | None = None
    early_s: float | None = None  # how long before the notes box the page said it was ready
    added: bool = False  # "Add the finding" was clicked: the note must be on disk
    stage: str = "opening the page"  # what it was doing, for an error message
    problems: list[str] = field(default_factory=list)


@dataclass
class Row:
    """The result of one round: N participants at once."""

    participants: int
    ready_median_s: float | None
    ready_max_s: float | None
    errors: int
    notes_lost: int
    peak_mb: float
    peak_kernels: int
    kernel_median_mb: float | None
    round_s: float
    problems: list[str] = field(default_factory=list)
    server_warnings: dict[str, int] = field(default_factory=dict)
    early: list[float] = field(default_factory=list)  # seconds the ready signal came early


class MemoryWatch:
    """Samples, in a thread, the RSS of a process and its descendants, and counts kernels."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_mb = 0.0
        self.peak_kernels = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            rss, kernels = tree_memory(self.pid)
            self.peak_mb = max(self.peak_mb, rss / MB)
            self.peak_kernels = max(self.peak_kernels, kernels)
            if self._stop.wait(self.interval):
                return


def kernel_processes(server_pid: int) -> list[psutil.Process]:
    """Return the kernel processes the server started (their command line runs ipykernel)."""
    found = []
    for proc in psutil.Process(server_pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def tree_memory(server_pid: int) -> tuple[int, int]:
    """Return the summed RSS in bytes of the server and its descendants, and how many kernels."""
    try:
        server = psutil.Process(server_pid)
        procs = [server, *server.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    rss = kernels = 0
    for proc in procs:
        try:
            rss += proc.memory_info().rss
            kernels += "ipykernel" in " ".join(proc.cmdline())
        except psutil.Error:
            continue
    return rss, kernels


def kernel_rss_mb(server_pid: int, kernel_id: str) -> float | None:
    """Return the RSS in MB of the kernel with this id (its connection file names it)."""
    for proc in kernel_processes(server_pid):
        try:
            if any(kernel_id in part for part in proc.cmdline()):
                return proc.memory_info().rss / MB
        except psutil.Error:
            continue
    return None


def settle(server_pid: int, expected: int, timeout: float = 120) -> None:
    """Wait until exactly ``expected`` kernels run (the preheated pool) and all are idle."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        kernels = kernel_processes(server_pid)
        try:
            idle = all(k.cpu_percent(0.5) < 5 for k in kernels)
        except psutil.Error:
            idle = False
        if len(kernels) == expected and idle:
            return
        time.sleep(0.5)
    print(
        f"  (still {len(kernel_processes(server_pid))} kernels, not {expected}, "
        f"after {timeout:.0f} s)",
        flush=True,
    )


def preheated(workbook: str, preheat: str) -> list[str]:
    """Return the notebooks the server keeps a pool of preheated kernels for."""
    if preheat == "off":
        return []
    return sorted({*PREHEATED, f"{workbook}.ipynb"} if preheat == "workbook" else PREHEATED)


def server_command(
    port: int, workbook: str, preheat: str, pool_size: int, options: list[str]
) -> list[str]:
    """Return the command of ``make serve`` on ``port``, with other preheating if asked.

    ``python -m widgets.serve`` takes no Voila options: with other preheating or ``options``,
    the command is its Voila command (``widgets.serve.voila_command``) with them added.
    """
    if preheat == "make" and not options:
        return standalone_command(port)
    from widgets.chart import ensure_plotly_asset  # python -m widgets.serve does it first

    ensure_plotly_asset()
    names = preheated(workbook, preheat)
    heat = preheat_options(names, pool_size=pool_size) if names else []
    return [*voila_command("127.0.0.1", port, preheat=False), *heat, *options]


def server_warnings(log: str) -> dict[str, int]:
    """Count the warnings and errors in a piece of the server's log, by message."""
    counts: dict[str, int] = {}
    for line in log.splitlines():
        if " WARNING | " in line or " ERROR | " in line:
            message = line.split(" | ", 1)[1].strip()
            if not any(m in message for m in QUIET):
                counts[message[:200]] = counts.get(message[:200], 0) + 1
    return counts


def notes_on_disk(server: Server, case: str, team: str) -> list[str]:
    """Return the texts of the findings saved for ``team`` in the server's ``current.json``."""
    path = server.data_dir / "notes" / team_slug(case) / team_slug(team) / "current.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [str(f.get("text", "")) for f in data.get("findings", []) if isinstance(f, dict)]


def watch(page: Page, who: Participant) -> None:
    """Record the page's console errors, uncaught errors and websockets off this machine."""

    def on_console(message) -> None:
        if message.type == "error" and "Unsatisfied version" not in message.text:
            who.problems.append(f"console error: {message.text[:300]}")

    def on_websocket(socket) -> None:
        if is_external(socket.url):
            who.problems.append(f"websocket off this machine: {socket.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: who.problems.append(f"page error: {str(error)[:300]}"))
    page.on("websocket", on_websocket)


async def guarded_context(browser: Browser, who: Participant) -> BrowserContext:
    """Return a fresh browser context that aborts, and records, requests off this machine."""
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(ACTION_TIMEOUT_MS)

    async def guard(route) -> None:
        url = route.request.url
        if is_external(url):
            who.problems.append(f"request off this machine (blocked): {url}")
            await route.abort("blockedbyclient")
        else:
            await route.continue_()

    await context.route("**/*", guard)
    return context


async def add_finding(page: Page, text: str, who: Participant) -> None:
    """Write ``text`` as a finding in the compact notes box; wait for the confirmation."""
    notes = page.locator(".casebook-conclusions").last
    who.stage = "opening the notes' accordion"
    await notes.get_by_text(ACCORDION, exact=True).click()
    who.stage = "typing the finding"
    await notes.get_by_placeholder(PLACEHOLDER).fill(text)
    who.stage = "clicking 'Add the finding'"
    await notes.get_by_role("button", name="Add the finding").click()
    who.added = True
    who.stage = "waiting for 'Added to your conclusions'"
    await expect(notes.get_by_text("Added to your conclusions", exact=False)).to_be_visible(
        timeout=ACTION_TIMEOUT_MS
    )


async def error_outputs(page: Page) -> list[str]:
    """Return the error outputs (stderr) shown in the page, shortened."""
    texts = await page.locator(STDERR).all_inner_texts()
    return [f"error output: {t.strip()[:300]}" for t in texts]


async def notes_box_text(page: Page) -> str:
    """Return what the page shows where the notes box should be, shortened (for an error)."""
    text = await page.evaluate(NOTES_BOX)
    return " ".join(str(text).split())[:300]


def summary(err: Exception) -> str:
    """Return the first line of a Playwright error and the last line of its call log."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    if not lines:
        return type(err).__name__
    last = f" (last: {lines[-1][:200]})" if len(lines) > 1 else ""
    return lines[0][:200] + last


async def participate(
    browser: Browser, server: Server, url: str, who: Participant, timeout_s: float
) -> BrowserContext:
    """Act as one participant: open, wait for ready, add a note. Return the open context."""
    context = await guarded_context(browser, who)
    page = await context.new_page()
    watch(page, who)
    try:
        await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        who.stage = f"waiting for the page to be ready ({timeout_s:.0f} s)"
        await page.wait_for_function(READY, timeout=timeout_s * 1000, polling=100)
        who.ready_s = await page.evaluate("Number(document.body.dataset.casebookReady)") / 1000
        who.stage = "reading the kernel's memory"
        who.kernel_id = await page.evaluate(KERNEL_ID)
        await asyncio.sleep(1)
        who.kernel_mb = await asyncio.to_thread(kernel_rss_mb, server.process.pid, who.kernel_id)
        who.stage = "waiting for the notes box after the page said it was ready"
        if not await page.evaluate(NOTES_DRAWN):
            late = await page.wait_for_function(
                f"() => ({NOTES_DRAWN})() && performance.now()",
                timeout=LATE_TIMEOUT_MS,
                polling=100,
            )
            drawn = await late.json_value() / 1000
            who.early_s = drawn - who.ready_s
            who.ready_s = drawn
        await add_finding(page, who.note, who)
    except PlaywrightError as err:  # time-outs included
        who.problems.append(f"failed while {who.stage}: {summary(err)}")
        if who.ready_s is not None:
            with contextlib.suppress(PlaywrightError):
                who.problems.append(f"  the notes box showed: {await notes_box_text(page)}")
        if who.kernel_id is None:  # the kernel still has to be shut down
            with contextlib.suppress(PlaywrightError):
                who.kernel_id = await page.evaluate(KERNEL_ID)
    with contextlib.suppress(PlaywrightError):
        who.problems += await error_outputs(page)
    return context


def team_name(n: int, k: int, repeat: int) -> str:
    """Return the team of participant ``k`` of a round of ``n`` (the ``repeat``-th such round)."""
    name = f"room{n}-{k}" if repeat == 0 else f"room{n}r{repeat}-{k}"
    assert len(name) <= 40
    return name


async def run_round(
    browser: Browser,
    server: Server,
    args: argparse.Namespace,
    n: int,
    repeat: int,
    baseline: int,
) -> Row:
    """Run one round of ``n`` participants at once; check the notes; clean up; return its row."""
    people = []
    for k in range(1, n + 1):
        team = team_name(n, k, repeat)
        note = (
            f"Team {team} concludes that the organiser pays the drivers ({uuid.uuid4().hex[:8]})."
        )
        people.append(Participant(team, note))
    base = f"{server.url}voila/render/{args.workbook}.ipynb?case={args.case}"
    log_start = server.log_size()
    started = time.perf_counter()
    with MemoryWatch(server.process.pid) as memory:
        contexts = await asyncio.gather(
            *(
                participate(browser, server, f"{base}&team={p.team}", p, args.timeout)
                for p in people
            )
        )
    round_s = time.perf_counter() - started
    lost = 0
    for who in people:
        if who.added and not any(who.note == t for t in notes_on_disk(server, args.case, who.team)):
            lost += 1
            who.problems.append("lost note: the finding added is not in current.json")
    for context in contexts:
        await context.close()
    for who in people:
        if who.kernel_id:
            await asyncio.to_thread(server.shutdown_kernel, who.kernel_id)
    await asyncio.to_thread(settle, server.process.pid, baseline)
    ready = [p.ready_s for p in people if p.ready_s is not None]
    kernel_mb = [p.kernel_mb for p in people if p.kernel_mb is not None]
    problems = [f"{p.team}: {line}" for p in people for line in p.problems]
    return Row(
        participants=n,
        ready_median_s=statistics.median(ready) if ready else None,
        ready_max_s=max(ready) if ready else None,
        errors=sum(len(p.problems) for p in people) - lost,
        notes_lost=lost,
        peak_mb=memory.peak_mb,
        peak_kernels=memory.peak_kernels,
        kernel_median_mb=statistics.median(kernel_mb) if kernel_mb else None,
        round_s=round_s,
        problems=problems,
        server_warnings=server_warnings(server.log_since(log_start)),
        early=[p.early_s for p in people if p.early_s is not None],
    )


async def measure(server: Server, args: argparse.Namespace, baseline: int) -> list[Row]:
    """Launch one Chromium and run a round for every number of participants asked for."""
    rows = []
    seen: dict[int, int] = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for n in args.participants:
                repeat = seen.get(n, 0)
                seen[n] = repeat + 1
                row = await run_round(browser, server, args, n, repeat, baseline)
                print(
                    f"  {n} participants: done in {row.round_s:.0f} s, {row.errors} errors, "
                    f"{row.notes_lost} notes lost",
                    flush=True,
                )
                rows.append(row)
        finally:
            await browser.close()
    return rows


def _num(value: float | None, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def report(rows: list[Row], title: str) -> None:
    """Print the table, the errors one a line, and the verdict for the goal of issue 7."""
    print(f"\n{title}")
    print(
        f"  {'participants':>12}{'ready median s':>16}{'ready max s':>13}{'errors':>8}"
        f"{'notes lost':>12}{'peak MB (server+kernels)':>26}{'kernels':>9}"
        f"{'kernel MB':>11}{'round s':>9}"
    )
    for r in rows:
        print(
            f"  {r.participants:>12}{_num(r.ready_median_s, 16, 2)}{_num(r.ready_max_s, 13, 2)}"
            f"{r.errors:>8}{r.notes_lost:>12}{r.peak_mb:>26.0f}{r.peak_kernels:>9}"
            f"{_num(r.kernel_median_mb, 11, 0)}{r.round_s:>9.0f}"
        )
    print("  (kernel MB: median RSS of one participant's kernel, 1 s after its page was ready)")
    problems = [(r.participants, line) for r in rows for line in r.problems]
    if problems:
        print("\nerrors:")
        for n, line in problems:
            print(f"  N={n} {line}")
    early = [r for r in rows if r.early]
    if early:
        print("\npages ready before their notes box was drawn (timed from the box; not errors):")
        for r in early:
            print(f"  N={r.participants}: {len(r.early)} pages, by up to {max(r.early):.1f} s")
    warnings = [(r.participants, m, c) for r in rows for m, c in r.server_warnings.items()]
    if warnings:
        print("\nthe server's log (warnings and errors, not counted above):")
        for n, message, count in warnings:
            print(f"  N={n} {count} x {message}")
    goal = [r for r in rows if r.participants == GOAL] or rows[-1:]
    for r in goal:
        if r.errors == 0 and r.notes_lost == 0 and r.ready_max_s is not None:
            print(f"\nno errors and no lost notes at N={r.participants}")
        else:
            print(f"\nat N={r.participants}: {r.errors} errors, {r.notes_lost} notes lost")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--workbook", default="01-case-file")
    parser.add_argument("--case", default="demo")
    parser.add_argument(
        "--preheat",
        choices=["make", "off", "workbook"],
        default="make",
        help="preheated kernels: as make serve (default), none, or also for the workbook",
    )
    parser.add_argument(
        "--pool-size", type=int, default=1, help="with --preheat off|workbook (default 1)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds to ready, each")
    parser.add_argument(
        "--voila-option",
        action="append",
        help="a Voila option to add, e.g. --voila-option=--VoilaExecutor.iopub_timeout=60",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (REPO / "workbooks" / f"{args.workbook}.ipynb").is_file():
        parser.error(f"no workbook workbooks/{args.workbook}.ipynb")
    port = free_port()
    pool = 1 if args.preheat == "make" else args.pool_size
    command = server_command(port, args.workbook, args.preheat, pool, args.voila_option or [])
    names = preheated(args.workbook, args.preheat)
    baseline = len(names) * pool  # the kernels of the preheated pools, between rounds
    kind = {"make": "", "off": ", no preheated kernels", "workbook": ", preheated kernels"}
    serving = (
        f"standalone Voila (make serve{kind[args.preheat]}"
        + (f": {pool} each for {', '.join(names)})" if names else ")")
        + "".join(f" {o}" for o in args.voila_option or [])
    )
    title = (
        f"room: {args.workbook} on {args.case}, {serving}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 1024**3:.0f} GiB"
    )
    print(f"{title}; Chromium {CHROMIUM}", flush=True)
    server = start_server(f"benchmark-room-{port}", command, port, ready_path="")
    try:
        settle(server.process.pid, baseline)
        rows = asyncio.run(measure(server, args, baseline))
    finally:
        stop_server(server)
    report(rows, title)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))


if __name__ == "__main__":
    main()
