"""How fast each workbook page is ready, and how much memory its kernel holds, against the floor.

Run: .venv/bin/python benchmarks/pages.py [--runs 5] [--case demo] [--case corridor@10] ...

The script starts a standalone Voila on 127.0.0.1, configured as ``make serve`` configures it
(voila.json, the casebook template), over a temporary folder that holds the workbooks and two
reference notebooks from benchmarks/notebooks/:

- ``floor``: a bare page with one slider, the fastest a Voila page can be on this machine;
- ``stack``: the same slider in a kernel that has imported ipywidgets, pandas and networkx,
  the reference for a workbook kernel's memory.

Debian's headless Chromium opens every page in turn, each page as a team of its own that has
every phase released (the fullest the page gets in a training). A page is ready when the
casebook template says so: every cell shown, every widget drawn, every visible chart plotted
and every visible network laid out. The page itself records that moment, in milliseconds
since the navigation started, so the polling of this script is not counted. One second later
the script reads the resident memory (RSS) of the page's kernel, and its unique memory (USS:
what the kernel alone holds, what one more participant costs). Every page is loaded once to
warm the browser's cache before ``--runs`` measured rounds.

It prints the medians and the ratios to the floor (time) and to the stack (memory), against
the goals of issue 7: 1.5 times the floor's time, 1.3 times the stack's memory. Nothing fails
on a timing; machines differ.

``--case`` takes a case id, or ``corridor@N`` for the corridor case generated N times larger
(cases/make_corridor.py --scale N) in a temporary folder; give it several times to see how
cost grows with the size of a case. ``--preheat`` keeps a preheated kernel ready for every
page measured (``make serve`` does so for ``widgets.serve.PREHEATED`` only) and waits for the
pool to refill between pages: what a participant gets when a preheated kernel is there.
``--json FILE`` also writes every measurement.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, Guard, guarded_context  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from servers import free_port, start_server, stop_server  # noqa: E402

from widgets.serve import preheat_options  # noqa: E402

REFERENCES = ("floor", "stack")
WORKBOOKS = tuple(p.stem for p in sorted((REPO / "workbooks").glob("[0-9][0-9]-*.ipynb")))
READY = "document.body && document.body.classList.contains('casebook-page-ready')"
TIME_GOAL, MEMORY_GOAL = 1.5, 1.3
MB = 1024 * 1024


@dataclass
class Sample:
    """One page load: seconds to ready, the kernel's memory in MB, what went wrong."""

    ready_s: float
    cells_s: float
    rss_mb: float
    uss_mb: float
    problems: list[str] = field(default_factory=list)


def make_root(folder: Path, notebooks: list[str]) -> Path:
    """Copy the workbooks and the reference notebooks into one folder for Voila to serve."""
    root = folder / "served"
    root.mkdir()
    for name in notebooks:
        source = REPO / ("benchmarks/notebooks" if name in REFERENCES else "workbooks")
        shutil.copy(source / f"{name}.ipynb", root / f"{name}.ipynb")
    return root


def make_cases(folder: Path, spec: str) -> tuple[Path, str]:
    """Return a cases folder holding the case ``spec`` names, and the case's id.

    ``corridor@10`` is the corridor case generated ten times larger (same id, ``corridor``,
    in a cases folder of its own); a plain id is the repository's case.
    """
    name, _, scale = spec.partition("@")
    cases = folder / f"cases-{name}-{scale or 1}"
    cases.mkdir()
    if scale:
        if name != "corridor":
            raise SystemExit(f"--case {spec}: only corridor can be generated larger")
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(REPO / "cases" / "make_corridor.py"),
                "--scale",
                scale,
                "--out",
                str(cases / name),
            ],
            check=True,
            capture_output=True,
        )
        print(f"generated {spec} in {time.perf_counter() - started:.0f} s", flush=True)
    else:
        shutil.copytree(REPO / "cases" / name, cases / name)
    return cases, name


def unlock_all(data_dir: Path, cases: Path, case_id: str, team: str) -> None:
    """Release every phase of ``case_id`` to ``team``, as the trainer's codes would."""
    from widgets.case import list_cases
    from widgets.progress import team_slug

    phases = {c.id: c.phases for c in list_cases(cases)}[case_id]
    progress = data_dir / "progress" / case_id / f"{team_slug(team)}.json"
    progress.parent.mkdir(parents=True, exist_ok=True)
    progress.write_text(json.dumps({"team": team, "unlocked": list(range(1, phases + 1))}))


def kernel_memory(server_pid: int, kernel_id: str) -> tuple[float, float]:
    """Return the RSS and USS, in MB, of the kernel process with this id."""
    for proc in psutil.Process(server_pid).children(recursive=True):
        try:
            if any(kernel_id in part for part in proc.cmdline()):
                info = proc.memory_full_info()
                return info.rss / MB, info.uss / MB
        except psutil.NoSuchProcess:
            continue
    raise RuntimeError(f"no kernel process with id {kernel_id}")


def pool_filled(server_pid: int, expected: int, timeout: float = 120) -> None:
    """Wait until ``expected`` kernels run and have been idle (pre-executed) for 2 seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        kernels = [
            p
            for p in psutil.Process(server_pid).children(recursive=True)
            if "ipykernel" in " ".join(p.cmdline())
        ]
        if len(kernels) >= expected and all(k.cpu_percent(0.5) < 5 for k in kernels):
            return
        time.sleep(0.5)
    print(f"  (the preheated pool did not refill within {timeout:.0f} s)", flush=True)


def load(context, server, notebook: str, query: str, pool: int) -> Sample:
    """Open one page, wait until it is ready, read its kernel's memory, and close it."""
    problems: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    if pool:
        pool_filled(server.process.pid, pool)
    page.goto(f"{server.url}voila/render/{notebook}.ipynb?{query}", wait_until="commit")
    page.wait_for_function(READY, timeout=600_000, polling=100)
    ready_ms, cells_ms = page.evaluate(
        "[Number(document.body.dataset.casebookReady), Number(document.body.dataset.casebookCells)]"
    )
    errors = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")
    if errors.count():
        problems.append(f"error output: {errors.first.inner_text()[:200]}")
    kernel_id = page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    page.wait_for_timeout(1000)
    rss, uss = kernel_memory(server.process.pid, kernel_id)
    page.close()
    server.shutdown_kernel(kernel_id)
    return Sample(ready_ms / 1000, cells_ms / 1000, rss, uss, problems)


def measure(
    case_spec: str,
    case_id: str,
    cases: Path,
    root: Path,
    notebooks: list[str],
    runs: int,
    preheat: bool,
    lang: str = "en",
) -> dict[str, list[Sample]]:
    """Serve ``root`` over ``cases`` and load every notebook ``runs`` times after a warm-up."""
    port = free_port()
    command = [
        "env",
        f"CASEBOOK_CASES={cases}",
        sys.executable,
        "-m",
        "voila",
        str(root),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        *(preheat_options(notebook_names=[f"{n}.ipynb" for n in notebooks]) if preheat else []),
    ]
    server = start_server(
        f"benchmark-pages-{case_spec.replace('@', '-x')}", command, port, ready_path=""
    )
    guard = Guard()  # every request off this machine is aborted and recorded
    samples: dict[str, list[Sample]] = {n: [] for n in notebooks}
    pool = len(notebooks) if preheat else 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = guarded_context(browser, guard)
            for round_ in range(runs + 1):
                for notebook in notebooks:
                    team = f"bench{round_}{notebook[:2]}"
                    unlock_all(server.data_dir, cases, case_id, team)
                    query = f"case={case_id}&team={team}&lang={lang}"
                    sample = load(context, server, notebook, query, pool)
                    for problem in sample.problems:
                        print(f"  {notebook}: {problem}", flush=True)
                    if round_:  # round 0 warms the browser's cache
                        samples[notebook].append(sample)
                label = "warm-up" if round_ == 0 else f"round {round_} of {runs}"
                print(f"  {case_spec}: {label} done", flush=True)
            browser.close()
    finally:
        stop_server(server)
    if guard.watch.blocked:
        print(f"  requests off this machine (blocked): {sorted(set(guard.watch.blocked))}")
    return samples


def report(case_spec: str, samples: dict[str, list[Sample]], preheat: bool) -> list[dict]:
    """Print the table of medians and ratios for one case; return its rows."""
    med = {
        n: (
            statistics.median(s.ready_s for s in v),
            statistics.median(s.cells_s for s in v),
            statistics.median(s.rss_mb for s in v),
            statistics.median(s.uss_mb for s in v),
        )
        for n, v in samples.items()
    }
    floor_s, stack_mb = med["floor"][0], med["stack"][2]
    print(
        f"\ncase {case_spec}{', preheated kernels' if preheat else ''}: medians of "
        f"{len(samples['floor'])} runs; goals {TIME_GOAL}x the floor's time, "
        f"{MEMORY_GOAL}x the stack's memory"
    )
    print(
        f"  {'page':<20}{'ready s':>9}{'x floor':>9}{'cells s':>9}"
        f"{'RSS MB':>9}{'x stack':>9}{'USS MB':>9}"
    )
    rows = []
    for name, (ready, cells, rss, uss) in med.items():
        t, m = ready / floor_s, rss / stack_mb
        flag = (
            ""
            if name in REFERENCES
            else (
                ("" if t <= TIME_GOAL else "  time over goal")
                + ("" if m <= MEMORY_GOAL else "  memory over goal")
            )
        )
        print(
            f"  {name:<20}{ready:>9.2f}{t:>9.2f}{cells:>9.2f}{rss:>9.0f}{m:>9.2f}{uss:>9.0f}{flag}"
        )
        rows.append(
            {
                "case": case_spec,
                "page": name,
                "ready_s": ready,
                "x_floor": t,
                "cells_s": cells,
                "rss_mb": rss,
                "x_stack": m,
                "uss_mb": uss,
                "preheat": preheat,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--case", action="append", help="demo (default), corridor, corridor@10")
    parser.add_argument("--workbooks", nargs="*", default=list(WORKBOOKS))
    parser.add_argument("--preheat", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--lang", default="en", help="the pages' language: en, sr-Latn, sq, mk")
    args = parser.parse_args()
    specs = args.case or ["demo"]
    notebooks = [*REFERENCES, *args.workbooks]
    print(
        f"machine: {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 1024**3:.0f} GiB; Chromium {CHROMIUM}"
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="casebook-bench-pages-") as tmp:
        folder = Path(tmp)
        root = make_root(folder, notebooks)
        for spec in specs:
            cases, case_id = make_cases(folder, spec)
            samples = measure(
                spec, case_id, cases, root, notebooks, args.runs, args.preheat, args.lang
            )
            rows += report(spec, samples, args.preheat)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
