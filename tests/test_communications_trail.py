"""The communications trail without a browser: what each view shows after each change."""

import re
import time

import pandas as pd
import pytest

from widgets import NetworkExplorer, link_selection, load_case
from widgets import communications_trail as module
from widgets.communications_trail import CommunicationsTrail

T = pd.Timestamp


def text(widget) -> str:
    """The words of an HTML widget, its cells joined by " | "."""
    plain = re.sub(r"<[^>]+>", "|", widget.value)
    plain = re.sub(r"\s*(\|\s*)+", " | ", plain).replace("&#x27;", "'").replace("&amp;", "&")
    return plain.strip(" |")


def rows(widget) -> list[list[str]]:
    """The rows of the (first) table in an HTML widget, header first."""
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", widget.value):
        found.append(
            [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        )
    return found


def shown(chart) -> bool:
    return chart.layout.display != "none"


@pytest.fixture
def demo2():
    return load_case("demo").released(2)


@pytest.fixture(scope="module")
def corridor():
    case = load_case("corridor")
    return case.released(len(case.phases))


@pytest.fixture
def trail(demo2):
    return CommunicationsTrail(demo2)


def test_no_case_says_so():
    trail = CommunicationsTrail(None)
    assert "could not be opened" in trail.children[0].value
    assert "casebook-ready" in trail._dom_classes and "casebook-comms" in trail._dom_classes


def test_demo_starts_with_the_drivers_phone(trail):
    assert "casebook-ready" in trail._dom_classes
    assert [o[1] for o in trail.phase.options] == [1, 2] and trail.phase.value == 2
    assert trail.chosen_lines == ["PH-DRV"] and trail.selected is None
    # lines labelled with number and user, busiest first; the landline has no known user
    assert [label for label, _ in trail.chooser.options[:4]] == [
        "+38970000141 (Dragan Kostovski)",
        "+38163000904 (Besnik Marku)",
        "+38163000277 (Besnik Marku)",
        "+38934000219",
    ]
    assert text(trail.range_text) == (
        "Showing all times, 2024-05-02 19:02 to 2024-05-14 03:12 · 24 calls and messages"
    )
    assert trail.reset.disabled
    assert rows(trail.table) == [
        ["In contact with", "Calls", "Messages", "Call time", "First contact", "Last contact"],
        ["+38163000904 (Besnik Marku)", "1", "7", "1 min", "2024-05-10 10:05", "2024-05-14 03:12"],
        ["+38163000277 (Besnik Marku)", "1", "5", "2 min", "2024-05-03 08:15", "2024-05-10 10:02"],
        ["+38934000219", "5", "0", "20 min", "2024-05-02 19:02", "2024-05-13 21:40"],
        [
            "+38971000588 (Goran Ilievski)",
            "4",
            "1",
            "3 min",
            "2024-05-04 12:10",
            "2024-05-14 02:05",
        ],
    ]
    assert text(trail.table).startswith("4 contacts of +38970000141 (Dragan Kostovski)")


def test_timeline_is_a_time_brush_with_one_point_per_call_or_message(trail):
    figure = trail.timeline.figure
    layout = figure["layout"]
    assert layout["dragmode"] == "select" and layout["selectdirection"] == "h"
    assert layout["xaxis"]["type"] == "date"
    assert layout["title"]["text"] == "24 calls and messages, one by one"
    counts = {t["name"]: len(t["x"]) for t in figure["data"]}
    assert counts["Calls"] == 11 and counts["Messages"] == 13
    calls = next(t for t in figure["data"] if t["name"] == "Calls")
    first = calls["x"].index("2024-05-02T19:02:00")
    assert calls["customdata"][first] == "C01" and "(4 min)" in calls["text"][first]
    assert layout["yaxis"]["ticktext"] == ["+38970000141 (Dragan Kostovski)"]


def test_activity_matrix_by_weekday_and_hour(trail):
    heat = trail.activity.figure["data"][0]
    assert heat["type"] == "heatmap" and heat["y"][0] == "Monday" and len(heat["x"]) == 24
    assert sum(map(sum, heat["z"])) == 24
    # Tuesdays at 01h: C23 (7 May 01:10) and C17 (14 May 01:48)
    assert heat["z"][1][1] == 2
    assert heat["colorscale"][0][1] == "#f7fbff"  # none is white, not plotly's dark blue


def test_set_time_range_filters_every_view(trail):
    trail.set_time_range("2024-05-14", "2024-05-14 04:00")
    assert trail.time_range == (T("2024-05-14"), T("2024-05-14 04:00"))
    assert text(trail.range_text) == (
        "Showing 2024-05-14 00:00 to 2024-05-14 04:00 · 4 calls and messages"
    )
    assert not trail.reset.disabled
    assert rows(trail.table)[1:] == [
        ["+38163000904 (Besnik Marku)", "1", "1", "1 min", "2024-05-14 02:31", "2024-05-14 03:12"],
        [
            "+38971000588 (Goran Ilievski)",
            "2",
            "0",
            "1 min",
            "2024-05-14 01:48",
            "2024-05-14 02:05",
        ],
    ]
    assert trail.timeline.figure["layout"]["xaxis"]["range"] == [
        "2024-05-14T00:00:00",
        "2024-05-14T04:00:00",
    ]
    assert sum(map(sum, trail.activity.figure["data"][0]["z"])) == 4
    # the cell sites of that night only: the driver at Gevgelija north, 01:48 to 02:05
    assert rows(trail.itinerary)[1] == [
        "1",
        "Cell site Gevgelija north",
        "2024-05-14 01:48",
        "2024-05-14 02:05",
        "2",
    ]
    # reversed bounds are swapped; None, None shows everything again
    trail.set_time_range("2024-05-14 04:00", "2024-05-14")
    assert trail.time_range == (T("2024-05-14"), T("2024-05-14 04:00"))
    trail.set_time_range(None, None)
    assert "Showing all times" in text(trail.range_text) and len(rows(trail.table)) == 5


def test_brush_and_reset_button(trail):
    trail.timeline.brush = ["2024-05-13 00:00:00.5", "2024-05-14 00:00"]  # a drag in the page
    assert trail.time_range == (T("2024-05-13 00:00:00.5"), T("2024-05-14"))
    assert "4 calls and messages" in text(trail.range_text)
    trail.timeline.brush = []  # a double click
    assert trail.time_range == (None, None)
    trail.timeline.brush = ["2024-05-13", "2024-05-14"]
    trail.reset.click()
    assert trail.time_range == (None, None) and trail.timeline.brush == []


def test_a_range_with_nothing_in_it_says_so(trail):
    trail.set_time_range("2024-01-01", "2024-01-02")
    assert not shown(trail.timeline) and not shown(trail.activity)
    sentence = "The lines chosen have no calls or messages in the time shown."
    assert sentence in text(trail.timeline_note) and sentence in text(trail.table)
    assert "No cell site of +38970000141 (Dragan Kostovski)" in text(trail.map_note)
    assert not shown(trail.cell_map)


def test_phase_change_keeps_the_lines_chosen(trail):
    trail.chooser.value = ("PH-WLK",)
    trail.phase.value = 1  # nothing released yet: sentences, no charts
    assert trail.shown_case.phase == 1 and trail.chooser.value == ()
    assert len(trail.chooser.options) == 3
    message = "No calls or messages have been released in this phase."
    assert message in text(trail.table) and message in text(trail.timeline_note)
    assert not shown(trail.timeline) and not shown(trail.activity) and not shown(trail.matrix)
    assert "no line replaced" in text(trail.swaps) and "no cell sites" in text(trail.map_note)
    assert trail.map_line.layout.display == "none" and trail.common_a.layout.display == "none"
    trail.phase.value = 2
    assert trail.chosen_lines == ["PH-WLK"] and shown(trail.timeline)
    assert trail.map_line.layout.display is None and trail.common_a.layout.display is None


def test_picking_lines_sets_the_selection(trail):
    trail.chooser.value = ("PH-WLK",)
    assert trail.selected == "PH-WLK"
    assert text(trail.table).startswith("1 contact of +38971000588 (Goran Ilievski)")
    trail.chooser.value = ("PH-DRV", "PH-WLK")  # the one added is the one in focus
    assert trail.selected == "PH-DRV"
    assert trail.timeline.figure["layout"]["yaxis"]["ticktext"] == [
        "+38971000588 (Goran Ilievski)",
        "+38970000141 (Dragan Kostovski)",
    ]
    heat = trail.matrix.figure["data"][0]
    assert heat["z"] == [[None, 5], [5, None]] and shown(trail.matrix)
    trail.chooser.value = ()
    assert trail.selected is None
    assert "Choose one or more lines above." in text(trail.table)
    assert not shown(trail.timeline) and not shown(trail.matrix)


def test_selection_from_elsewhere_picks_the_lines(trail):
    trail.selected = "P-ORG"  # a person: both of his lines
    assert trail.chosen_lines == ["PH-ORG2", "PH-ORG"]
    assert text(trail.table).startswith("2 contacts of the 2 lines chosen")
    assert rows(trail.table)[0][:2] == ["Line", "In contact with"]
    assert "do not contact each other" in text(trail.matrix_note)
    # the new number is marked on the timeline, on the day it starts
    marks = trail.timeline.figure["layout"]["shapes"]
    assert [m["x0"] for m in marks] == ["2024-05-10T10:05:00"]
    trail.selected = "PH-WLK"  # a line
    assert trail.chosen_lines == ["PH-WLK"]
    for unknown in ("V-VAN", "P-M2", "nobody", None):  # no line of theirs: nothing changes
        trail.selected = unknown
        assert trail.chosen_lines == ["PH-WLK"]


def test_linked_with_the_network_explorer(demo2):
    trail, explorer = CommunicationsTrail(demo2), NetworkExplorer(demo2)
    link_selection(trail, explorer)
    explorer.view.selected_node = "P-ORG"  # a click on the organiser in the network
    assert trail.chosen_lines == ["PH-ORG2", "PH-ORG"]
    trail.chooser.value = ("PH-WLK",)  # a line picked in the trail: its user in the network
    assert explorer.view.selected_node == "P-WLK"
    assert "Goran Ilievski" in explorer.dossier.value


def test_by_person(trail):
    trail.by.value = "person"
    assert trail.chooser.description == "People" and trail.chooser.value == ("P-DRV",)
    assert ("Besnik Marku (2 lines)", "P-ORG") in trail.chooser.options
    assert rows(trail.table)[1][:4] == ["Besnik Marku", "2", "12", "3 min"]
    trail.chooser.value = ("P-DRV", "P-ORG")
    assert trail.selected == "P-ORG"
    assert trail.chosen_lines == ["PH-DRV", "PH-ORG2", "PH-ORG"]
    assert trail.matrix.figure["data"][0]["z"] == [[None, 14], [14, None]]
    assert trail.matrix.figure["data"][0]["y"] == ["Dragan Kostovski", "Besnik Marku"]
    trail.selected = "PH-WLK"  # a line picked elsewhere: its user here
    assert trail.chooser.value == ("P-WLK",)
    trail.by.value = "phone"
    assert trail.chooser.value == ("PH-WLK",)


def test_common_contacts(trail):
    trail.common_a.value, trail.common_b.value = "PH-ORG", "PH-WLK"
    assert text(trail.common).startswith(
        "1 line is in contact with both +38163000277 (Besnik Marku) and "
        "+38971000588 (Goran Ilievski) in the time shown:"
    )
    assert rows(trail.common)[:2] == [
        ["Common contact", "With +38163000277", "With +38971000588"],
        ["+38970000141 (Dragan Kostovski)", "6", "5"],
    ]
    trail.set_time_range("2024-05-11", None)  # after the old number stopped
    assert text(trail.common) == (
        "No line is in contact with both +38163000277 (Besnik Marku) and "
        "+38971000588 (Goran Ilievski) in the time shown."
    )
    trail.common_b.value = "PH-ORG"
    assert "Choose two different lines." in text(trail.common)


def test_new_numbers_in_the_same_handset(trail):
    swaps = text(trail.swaps)
    assert "evidence released shows 1 such change" in swaps
    assert (
        "Same device, new number. | +38163000277 (Besnik Marku) was last used on | "
        "2024-05-10 10:02 | ; +38163000904 (Besnik Marku) was first used on | 2024-05-10 10:05 | "
        ", in the same handset (IMEI 353918057774021). | Sources: Extraction report of the "
        "driver's phone (D-EXT)."
    ) in swaps


def test_cell_sites_on_a_map(trail):
    assert trail.map_line.value == "PH-DRV" and shown(trail.cell_map)
    figure = trail.cell_map.figure
    assert [t.get("name") for t in figure["data"][:2]] == ["borders", "countries"]
    track = figure["data"][-1]
    assert track["x"] == [22.499] and track["y"] == [41.156]
    assert figure["layout"]["title"]["text"] == (
        "Cell sites of +38970000141 (Dragan Kostovski): 1 stay"
    )
    assert rows(trail.itinerary)[1] == [
        "1",
        "Cell site Gevgelija north",
        "2024-05-06 23:50",
        "2024-05-14 02:05",
        "3",
    ]
    # the map follows the lines chosen when they have cell sites, and says when they have none
    trail.chooser.value = ("PH-WLK",)
    assert trail.map_line.value == "PH-WLK" and "4" in rows(trail.itinerary)[1]
    trail.chooser.value = ("PH-ORG",)
    assert "None of the chosen lines has known cell sites" in text(trail.map_note)


def test_corridor_in_its_last_phase(corridor):
    trail = CommunicationsTrail(corridor)
    assert trail.chosen_lines == ["PH-D1"]
    assert text(trail.swaps).count("Same device, new number.") == 3
    trail.set_time_range("2024-06-10 18:00", "2024-06-11 06:00")  # the night of the van
    assert "10 calls and messages" in text(trail.range_text)
    assert rows(trail.table)[1][:3] == ["+38971000962 (Selim Bajrami)", "1", "3"]
    trail.set_time_range(None, None)
    trail.by.value = "person"
    trail.selected = "P-BRK"  # the broker: two numbers, one person
    assert trail.chooser.value == ("P-BRK",)
    assert trail.chosen_lines == ["PH-BRK-A", "PH-BRK-B"]
    assert trail.map_line.value in {"PH-BRK-A", "PH-BRK-B"}


def test_too_many_points_are_counted_per_period(corridor, monkeypatch):
    monkeypatch.setattr(module, "POINTS_MAX", 100)
    trail = CommunicationsTrail(corridor)
    figure = trail.timeline.figure
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["Calls", "Messages"]
    total = len(trail.case.communications.query("caller == 'PH-D1' or receiver == 'PH-D1'"))
    assert sum(sum(t["y"]) for t in bars) == total == 571
    assert figure["layout"]["title"]["text"] == (
        "Calls and messages per day (571 in all: too many to show one by one)"
    )
    assert sum(len(t["x"]) for t in figure["data"]) < 3000


def test_updates_are_quick_on_the_corridor(corridor):
    trail = CommunicationsTrail(corridor)
    start = time.perf_counter()
    trail.set_time_range("2024-05-01", "2024-05-08")
    trail.chooser.value = tuple(v for _, v in trail.chooser.options[:10])
    trail.phase.value = 3
    trail.set_time_range(None, None)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"four updates took {elapsed:.2f} s"
