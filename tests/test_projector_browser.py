"""Projector mode in a real browser at 1280x720, and the room code of ``make serve``.

The projector template (share/jupyter/voila/templates/casebook-projector) is chosen by URL
(``?template=casebook-projector``, ``&theme=dark`` for white on black) or for every page by
``make serve PROJECTOR=1`` / ``PROJECTOR=dark`` (``python -m widgets.serve --projector``).
Screenshots of what the projector shows (the first 1280x720) and of the whole page are saved
as test-artifacts/screenshots/projector-*.png for a person to look at.
"""

from __future__ import annotations

import pytest
import requests
from browser import SCREENSHOTS, screenshot, wait_until_ready
from servers import START_PAGE, free_port, standalone_command, start_server, stop_server

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
MIN_TEXT_PX = 20
ROOM_CODE = "room-4711"
PASSPHRASE = "violet-harbour-passphrase"

# Every visible element inside the page's cells that shows text of its own (not only its
# children's), with its font size: plotly's SVG and the network's canvas draw their own.
SMALL_TEXT = """(minimum) => {
    const small = [];
    for (const e of document.querySelectorAll('#rendered_cells *')) {
        if (e.closest('svg, canvas, script, style, .js-plotly-plot')) continue;
        const own = Array.from(e.childNodes).some(
            n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (!own) continue;
        const box = e.getBoundingClientRect();
        const style = getComputedStyle(e);
        if (!box.width || !box.height || style.visibility === 'hidden') continue;
        const size = parseFloat(style.fontSize);
        if (size < minimum) small.push(`${e.tagName.toLowerCase()}.${e.className}: ` +
            `${size}px "${e.textContent.trim().slice(0, 40)}"`);
    }
    return small;
}"""

# WCAG contrast ratio between the text of the first paragraph and the sheet behind it.
CONTRAST = """() => {
    const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
        const f = v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const text = document.querySelector('#rendered_cells p');
    let back = text;
    const clear = ['rgba(0, 0, 0, 0)', 'transparent'];
    while (back && clear.includes(getComputedStyle(back).backgroundColor))
        back = back.parentElement;
    const [a, b] = [lum(rgb(getComputedStyle(text).color)),
                    lum(rgb(getComputedStyle(back || document.body).backgroundColor))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def look(page, url: str, name: str, dark: bool) -> None:
    """Open ``url`` at 1280x720, save screenshots, check type size, contrast and errors."""
    page.set_viewport_size(PROJECTOR)
    page.goto(url)
    wait_until_ready(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PROJECTOR)
    page.wait_for_timeout(500)
    first = SCREENSHOTS / f"{name}-1280x720.png"
    page.screenshot(path=str(first))
    whole = screenshot(page, name)

    assert page.locator("link[href*='projector.css']").count() == 1, "no projector.css"
    body = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    paragraph = page.locator("#rendered_cells p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert body >= MIN_TEXT_PX and paragraph >= MIN_TEXT_PX, (body, paragraph, first)
    small = page.evaluate(SMALL_TEXT, MIN_TEXT_PX)
    assert not small, f"text under {MIN_TEXT_PX} px ({whole}):\n  " + "\n  ".join(small)
    contrast = page.evaluate(CONTRAST)
    assert contrast >= 7, f"contrast {contrast:.1f}:1 is under 7:1 (WCAG AAA); {first}"
    is_dark = page.evaluate("() => document.body.classList.contains('theme-dark')")
    assert is_dark == dark, f"dark theme is {is_dark}, expected {dark}"
    problems = page.watch.problems()
    assert not problems, f"{name} ({whole}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("notebook", ["00-start", "02-network"])
def test_projector_template_by_url(page, voila_standalone, notebook, dark):
    theme = "&theme=dark" if dark else ""
    url = (
        f"{voila_standalone.url}voila/render/{notebook}.ipynb"
        f"?case=demo&team=projector&template=casebook-projector{theme}"
    )
    name = f"projector-{notebook}{'-dark' if dark else ''}"
    look(page, url, name, dark)
    if notebook == "02-network":
        # The graph and its side panel as the room sees them, on one screen.
        page.set_viewport_size(PROJECTOR)
        page.locator(".widget-tab").first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-graph-1280x720.png"))
        labels = page.locator(".widget-tab .lm-TabBar-tab").evaluate_all(
            "tabs => tabs.filter(t => t.scrollWidth > t.clientWidth + 1).map(t => t.textContent)"
        )
        assert not labels, f"tab labels cut off: {labels}"


@pytest.fixture(scope="module")
def room_server():
    """``make serve PROJECTOR=dark ROOM_CODE=... TRAINER_PASSPHRASE=...``, on 127.0.0.1.

    The Makefile hands the passphrase over in the environment (server_env drops CASEBOOK_
    variables: ``env`` sets it again) and the room code as CASEBOOK_ROOM_CODE.
    """
    port = free_port()
    command = [
        "env",
        f"CASEBOOK_TRAINER_PASSPHRASE={PASSPHRASE}",
        f"CASEBOOK_ROOM_CODE={ROOM_CODE}",
        *standalone_command(port),
        "--projector=dark",
    ]
    server = start_server("projector-room", command, port, ready_path="login")
    yield server
    stop_server(server)


def test_room_code_keeps_out_who_has_not_got_it(room_server):
    """Without the room code every page sends the browser to the login page; with it, in."""
    base = room_server.url
    for path in [
        "",
        "voila/tree",
        START_PAGE,
        "voila/render/02-network.ipynb?case=demo",
        "voila/api/contents/",
        f"{START_PAGE}?token=wrong",
    ]:
        reply = requests.get(base + path, allow_redirects=False, timeout=30)
        assert reply.status_code in (302, 401, 403), f"/{path}: {reply.status_code}"
        if reply.status_code == 302:
            assert "/login" in reply.headers["Location"], reply.headers["Location"]
    with requests.Session() as session:
        reply = session.get(f"{base}?token={ROOM_CODE}", timeout=30)
        assert reply.status_code == 200 and "00-start" in reply.text
        # After the first address with the code, a cookie lets the browser in.
        reply = session.get(base + "voila/tree", timeout=30)
        assert reply.status_code == 200, reply.status_code
    log = room_server.log_path.read_text(encoding="utf-8")
    assert f"{START_PAGE}?token={ROOM_CODE}" in log, "the banner has no address with the code"
    assert "Trainer view: on" in log, "the banner does not say that the trainer view is on"
    assert PASSPHRASE not in log.split("\n", 1)[1], "the passphrase was printed"


def test_passphrase_is_in_no_page(room_server):
    with requests.Session() as session:
        for path in ["", START_PAGE, "voila/render/06-conclusions.ipynb?case=demo"]:
            sep = "&" if "?" in path else "?"
            reply = session.get(f"{room_server.url}{path}{sep}token={ROOM_CODE}", timeout=120)
            assert PASSPHRASE not in reply.text, f"/{path} shows the trainer's passphrase"


def test_make_serve_projector_dark_with_a_room_code(page, room_server):
    """The whole server in dark projector mode; links between workbooks keep working."""
    look(
        page,
        f"{room_server.url}{START_PAGE}?case=demo&team=Room+team&token={ROOM_CODE}",
        "projector-serve-dark-00-start",
        dark=True,
    )
    page.locator('a[href*="01-case-file.ipynb"]').first.click()
    wait_until_ready(page)
    assert "01-case-file" in page.url and "token=" not in page.url
    banner = page.locator(".casebook-banner").first.inner_text()
    assert "Room team" in banner, banner
    assert page.locator("link[href*='projector.css']").count() == 1
    problems = page.watch.problems()
    assert not problems, "01-case-file after a link:\n  " + "\n  ".join(problems)
