"""Real browser: the trainer's view behind its passphrase, the debrief board, a code released.

A standalone Voila of its own, started as ``make serve TRAINER_PASSPHRASE=...`` starts it
(the passphrase in the server's environment, which its kernels inherit), with a data folder
of its own where two teams have saved their conclusions.
"""

from __future__ import annotations

import pytest
from browser import SCREENSHOTS, screenshot, wait_until_ready
from playwright.sync_api import expect
from servers import START_PAGE, free_port, standalone_command, start_server, stop_server

from widgets.conclusions_format import Finding, Protection, RoleClaim, TeamConclusions
from widgets.notes import NotesStore

pytestmark = pytest.mark.browser

SECRET = "seven green ferries at dawn"
TRAINER = "voila/render/trainer/facilitator.ipynb"
GRAPH_READY = (
    "() => [...document.querySelectorAll('.casebook-facilitator *')]"
    ".some(e => e.__casebook_network && e.dataset.stabilized === 'true')"
)


def teams(case: str) -> list[TeamConclusions]:
    """Two teams that agree on some points and not on others."""
    if case == "demo":
        organiser, driver, child = "P-ORG", "P-DRV", "P-M2"
    else:
        organiser, driver, child = "P-BRK", "P-D1", "P-OMID"
    blue = TeamConclusions(
        case=case,
        team="Blue",
        agencies=["police", "prosecution"],
        roles=[
            RoleClaim(entity=organiser, role="organiser"),
            RoleClaim(entity=driver, role="driver"),
        ],
        elements=["benefit", "danger_to_life"],
        evidence_sufficient="not_yet",
        findings=[
            Finding(
                id="f1",
                part="investigation",
                topic="structure",
                text="The organiser gives the driver his orders by phone.",
            )
        ],
        protection=[Protection(entity=child, needs=["unaccompanied_child"], referral="guardian")],
    )
    red = TeamConclusions(
        case=case,
        team="Red <b>team</b>",
        agencies=["reception", "ngo"],
        roles=[
            RoleClaim(entity=driver, role="organiser"),
            RoleClaim(entity=organiser, role="recruiter"),
        ],
        elements=["benefit"],
        evidence_sufficient="no",
        free_text="<script>document.title='pwned'</script> We need the phone records.",
    )
    return [blue, red]


@pytest.fixture(scope="module")
def trainer_server(tmp_path_factory):
    """Standalone Voila with the trainer's passphrase and a data folder of its own."""
    data = tmp_path_factory.mktemp("trainer-data")
    for case in ("demo", "corridor"):
        for team in teams(case):
            NotesStore(case, team.team, root=data).save(team.model_dump(mode="json"))
    port = free_port()
    command = [
        "env",
        f"CASEBOOK_TRAINER_PASSPHRASE={SECRET}",
        f"CASEBOOK_DATA={data}",
        *standalone_command(port),
    ]
    server = start_server("trainer", command, port, ready_path="")
    yield server
    stop_server(server)


def open_trainer_view(page, server, case: str) -> None:
    page.goto(f"{server.url}{TRAINER}?case={case}")
    wait_until_ready(page)
    assert page.locator(".casebook-facilitator").first.is_visible()


def test_wrong_passphrase_shows_nothing_secret(page, trainer_server):
    open_trainer_view(page, trainer_server, "demo")
    page.get_by_label("Passphrase", exact=True).fill("seven green ferries")
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.get_by_text("This passphrase does not open the trainer's view.")).to_be_visible(
        timeout=30_000
    )
    content = page.content()
    for secret in ("ZETA-2", "Besnik", "Blue", "Release phases", SECRET):
        assert secret not in content, secret
    screenshot(page, "facilitator-wrong-passphrase")
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


def test_right_passphrase_shows_codes_and_board_and_a_code_opens_the_phase(page, trainer_server):
    open_trainer_view(page, trainer_server, "demo")
    page.get_by_label("Passphrase", exact=True).fill(SECRET)
    page.get_by_role("button", name="Open", exact=True).click()
    card = page.locator('.casebook-code-card[data-phase="2"] .casebook-code')
    expect(card).to_be_visible(timeout=30_000)
    code = card.inner_text().strip()
    assert code == "ZETA-2"
    assert (
        page.locator(".casebook-code").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        >= 36
    ), "the codes must be large enough to read out"
    screenshot(page, "facilitator-codes")

    page.get_by_role("tab", name="Debrief board").click()
    board = page.locator(".casebook-board-roles").first
    expect(board).to_contain_text("Blue", timeout=30_000)
    expect(board).to_contain_text("Red <b>team</b>")  # escaped: shown as typed
    expect(board).to_contain_text("✓ agrees")
    expect(board).to_contain_text("✗ differs")
    disagreements = page.locator(".casebook-disagreements").first
    expect(disagreements).to_contain_text("Besnik Marku: Blue: organiser")
    expect(page.locator(".casebook-team")).to_have_count(2)
    assert page.title() != "pwned"
    page.wait_for_function(GRAPH_READY, timeout=60_000)
    screenshot(page, "facilitator-board")

    # a Binder team's exported file joins the board
    green = teams("demo")[0].model_copy(update={"team": "Green"})
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add JSON files").click()
    chooser.value.set_files(
        files=[
            {
                "name": "green.json",
                "mimeType": "application/json",
                "buffer": green.model_dump_json().encode(),
            },
            {"name": "broken.json", "mimeType": "application/json", "buffer": b'{"case": 1}'},
        ]
    )
    expect(page.get_by_text("green.json: the conclusions of team “Green”")).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_text("broken.json: case:", exact=False)).to_be_visible()
    expect(page.locator(".casebook-team")).to_have_count(3)

    page.get_by_role("tab", name="Model answers and trainer notes").click()
    expect(page.locator(".casebook-answer h4", has_text="The financial benefit")).to_be_visible()
    screenshot(page, "facilitator-answers")
    page.get_by_role("button", name="Trainer's guide").click()
    expect(page.get_by_role("heading", name="Trainer's guide")).to_be_visible()
    screenshot(page, "facilitator-guide")
    problems = page.watch.problems()
    assert not problems, "trainer's view:\n  " + "\n  ".join(problems)

    # the code read out opens phase 2 in a participant's start page
    page.goto(f"{trainer_server.url}{START_PAGE}?case=demo&team=Trainee+team")
    wait_until_ready(page)
    assert page.get_by_text("Phase 1 of 2: The interception").is_visible()
    page.get_by_label("Phase code", exact=True).fill(code.lower())
    page.get_by_role("button", name="Unlock").click()
    page.get_by_text("Phase 2 of 2: The phone and the money").wait_for(timeout=30_000)
    assert page.get_by_text("Phase 2 is released to your team.").is_visible()
    problems = page.watch.problems()
    assert not problems, "start page:\n  " + "\n  ".join(problems)


def test_board_of_the_corridor(page, trainer_server):
    open_trainer_view(page, trainer_server, "corridor")
    page.get_by_label("Passphrase", exact=True).fill(SECRET)
    page.get_by_label("Passphrase", exact=True).press("Enter")
    expect(page.get_by_text("DRINA-5")).to_be_visible(timeout=30_000)
    screenshot(page, "facilitator-codes-corridor")
    page.get_by_role("tab", name="Debrief board").click()
    expect(page.locator(".casebook-board-roles").first).to_contain_text("Selim Bajrami")
    page.wait_for_function(GRAPH_READY, timeout=60_000)
    screenshot(page, "facilitator-board-corridor")
    # the network alone, at the size the projector shows it
    network = page.locator(".casebook-facilitator .casebook-graph").first
    network.scroll_into_view_if_needed()
    network.screenshot(path=str(SCREENSHOTS / "facilitator-network-corridor.png"))
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)


def test_a_server_without_a_passphrase_keeps_the_view_closed(page, voila_standalone):
    page.goto(f"{voila_standalone.url}{TRAINER}?case=demo")
    wait_until_ready(page)
    closed = page.locator(".casebook-facilitator .casebook-error").first
    expect(closed).to_contain_text("started without a passphrase")
    expect(closed).to_contain_text("make serve TRAINER_PASSPHRASE=")
    assert not page.get_by_label("Passphrase", exact=True).is_visible()
    content = page.content()
    for secret in ("ZETA-2", "Besnik", "Release phases"):
        assert secret not in content, secret
    screenshot(page, "facilitator-closed")
    problems = page.watch.problems()
    assert not problems, "\n  ".join(problems)
