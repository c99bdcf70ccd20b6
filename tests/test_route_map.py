"""The route map, driven without a browser: time range, phase, person, phone, focus, clicks."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import traitlets

from widgets import Case, RouteMap, link_selection, load_case

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_map():
    return RouteMap(load_case("demo").released(2))


def traces(chart, name=None):
    data = chart.figure["data"]
    return [t for t in data if name is None or t.get("name") == name]


def points(chart, name):
    return sum(len([x for x in t["x"] if x is not None]) for t in traces(chart, name))


def test_nothing_to_show_without_a_case():
    empty = RouteMap(None)
    assert "could not be opened" in empty.children[0].value
    assert "casebook-ready" in empty._dom_classes and "casebook-route" in empty._dom_classes
    assert not hasattr(empty, "map")


def emptied(case: Case, *tables: str) -> Case:
    """The case without the rows of ``tables``: what a case with less evidence looks like."""
    kept = {
        name: frame.iloc[:0] if name in tables else frame for name, frame in case.tables.items()
    }
    return Case(case.meta, case.path, kept, None, case.phase)


def test_a_case_with_places_but_no_times_has_no_timeline():
    case = emptied(load_case("demo"), "trips", "detections", "communications")
    rm = RouteMap(case)
    assert rm.views.layout.display is None and rm.timeline.layout.display == "none"
    assert traces(rm.map, "Border crossing") and traces(rm.map, "journeys") == []
    assert "Nothing released in this phase has a date and time" in rm.range_text.value
    assert "0 legs in this time" in rm.details.value


def test_a_case_with_nothing_on_the_map_says_so():
    case = emptied(load_case("demo"), "trips", "detections", "communications", "locations")
    rm = RouteMap(case)
    assert rm.views.layout.display == "none"
    assert "No journeys, places or detections have been released" in rm.message.value
    assert "casebook-ready" in rm._dom_classes


def test_map_timeline_and_controls(demo_map):
    rm = demo_map
    assert "casebook-ready" in rm._dom_classes
    assert [v for _t, v in rm.phase.options] == [1, 2] and rm.phase.value == 2
    names = {t.get("name") for t in traces(rm.map)}
    assert {"borders", "journeys", "directions", "Border crossing", "Safe house"} <= names
    assert {"Interception", "Arrest", "labels"} <= names
    # never a plotly geo or map trace: they fetch their borders and tiles from the internet
    assert {t["type"] for t in traces(rm.map)} == {"scatter"}
    assert points(rm.map, "directions") == 2  # one arrow per leg: they go different ways
    arrows = traces(rm.map, "directions")[0]
    assert all(key.startswith("route:") for key in arrows["customdata"])
    assert "led by Dragan Kostovski" in " ".join(arrows["hovertext"])
    assert "source usually reliable" in " ".join(arrows["hovertext"])  # the grade, in words
    layout = rm.timeline.figure["layout"]
    assert (layout["dragmode"], layout["selectdirection"]) == ("select", "h")
    assert layout["yaxis"]["categoryarray"] == ["Detections", "Journeys"]
    assert "2 legs shown" in rm.range_text.value and "Showing all times" in rm.range_text.value
    assert "Gevgelija border area" in rm.details.value  # crossings listed at first
    legend = rm.legend.value
    assert "on foot" in legend and "Border crossing" in legend and "Arrest" in legend


def test_time_range_filters_the_map(demo_map):
    rm = demo_map
    drawn = rm.map.revision
    rm.set_time_range("2024-05-14 02:30", "2024-05-14 04:00")
    assert rm.map.revision > drawn
    assert rm.time_range == (pd.Timestamp("2024-05-14 02:30"), pd.Timestamp("2024-05-14 04:00"))
    assert rm.shown["legs"] == 1 and points(rm.map, "directions") == 1
    assert "Showing 2024-05-14 02:30 to 2024-05-14 04:00" in rm.range_text.value
    assert "1 leg shown" in rm.range_text.value
    assert rm.timeline.figure["layout"]["shapes"][0]["x0"].startswith("2024-05-14 02:30")
    assert not rm.reset.disabled
    rm.reset.click()
    assert rm.time_range == (None, None) and rm.shown["legs"] == 2
    assert rm.timeline.figure["layout"]["shapes"] == [] and rm.reset.disabled


def test_a_drag_on_the_timeline_sets_the_time_range(demo_map):
    rm = demo_map
    before = rm.timeline.figure["layout"]["uirevision"]
    rm.timeline.brush = ["2024-05-13 21:00", "2024-05-14 02:20"]  # what the browser sends
    assert str(rm.time_range[0]) == "2024-05-13 21:00:00"
    assert rm.shown["legs"] == 1 and rm.shown["detections"] == 0
    # the user's own box stays on the timeline; a double click clears it and shows all
    assert rm.timeline.figure["layout"]["uirevision"] == before
    rm.timeline.brush = []
    assert rm.time_range == (None, None) and rm.shown["legs"] == 2


def test_an_empty_time_range_says_so(demo_map):
    rm = demo_map
    rm.set_time_range("2020-01-01", "2020-02-01")
    assert rm.shown == {"legs": 0, "detections": 0, "positions": 0, "routes": 0, "stays": 0}
    assert "Nothing in the released evidence happened in this time" in rm.range_text.value
    assert traces(rm.map, "journeys") == [] and traces(rm.map, "Border crossing")
    assert "None in this time" not in rm.details.value  # the overview, with zero legs
    assert "0 legs in this time" in rm.details.value


def test_phase_shows_only_released_evidence(demo_map):
    rm = demo_map
    rm.line.value = "PH-DRV"
    assert rm.shown["positions"] == 3
    rm.phase.value = 1  # the phone extraction comes in phase 2
    assert [v for _t, v in rm.line.options] == [""] and rm.line.value == ""
    assert rm.shown["positions"] == 0 and traces(rm.map, "phone positions") == []
    assert rm.shown["legs"] == 2  # the statements and the police report are phase 1
    assert "Phone" not in rm.timeline.figure["layout"]["yaxis"]["categoryarray"]
    rm.phase.value = 2
    assert rm.line.value == ""  # the choice went with the phase that did not have it


def test_person_highlights_their_journeys_and_phones(demo_map):
    rm = demo_map
    rm.person.value = "P-M2"
    assert rm.selected == "P-M2"
    wide = [t for t in traces(rm.map, "journeys") if t["line"]["width"] >= 7]
    assert len(wide) == 2  # the two legs of Hamid, drawn over the others
    assert all(t["opacity"] < 0.5 for t in traces(rm.map, "journeys") if t["line"]["width"] < 7)
    assert "Hamid Sultani" in rm.timeline.figure["layout"]["yaxis"]["categoryarray"]
    assert "Hamid Sultani" in rm.details.value and "victim" in rm.details.value
    assert rm.line.value == ""  # no phone of his is placed by a cell site
    rm.person.value = "P-DRV"
    assert rm.line.value == "PH-DRV" and rm.shown["positions"] == 3
    assert traces(rm.map, "phone positions")
    rm.person.value = ""
    assert rm.selected is None and len(traces(rm.map, "journeys")) == 2


def test_phone_line_shows_its_cell_sites(demo_map):
    rm = demo_map
    rm.line.value = "PH-WLK"
    assert rm.selected == "PH-WLK"
    cells = traces(rm.map, "phone positions")[0]
    assert cells["customdata"] == ["cell:L-CS1"] and cells["x"] == [22.499]
    assert "4 calls or messages" in cells["hovertext"][0]
    assert "4 phone positions" in rm.range_text.value
    assert rm.timeline.figure["layout"]["yaxis"]["categoryarray"][0] == "Phone"
    assert "cell sites used: 1" in rm.details.value
    assert "Journeys of Goran Ilievski" in rm.details.value  # to compare with the trip records
    rm.set_time_range("2024-05-14", None)
    assert rm.shown["positions"] == 2


def test_selection_from_another_view_is_followed(demo_map):
    rm = demo_map
    rm.selected = "P-DRV"
    assert (rm.person.value, rm.line.value) == ("P-DRV", "PH-DRV")
    rm.selected = "PH-WLK"
    assert rm.line.value == "PH-WLK"
    rm.selected = "L-TAB"
    focus = traces(rm.map, "focus")[0]
    assert (focus["x"], focus["y"]) == ([21.7095], [42.2131])
    assert "Tabanovce border crossing" in rm.details.value
    before = json.dumps(rm.map.figure)
    rm.selected = "nobody"  # unknown: ignored quietly
    rm.selected = "P-ORG"  # known, but never on the map in phase 2
    assert json.dumps(rm.map.figure) == before


def test_linked_views_follow_the_route_map(demo_map):
    class Other(traitlets.HasTraits):
        selected = traitlets.Unicode(None, allow_none=True)

    other = Other()
    link_selection(demo_map, other)
    demo_map.person.value = "P-WLK"
    assert other.selected == "P-WLK"
    other.selected = "P-DRV"
    assert demo_map.person.value == "P-DRV"


def test_clicks_on_the_map_open_the_evidence(demo_map):
    rm = demo_map
    rm.map.clicked = {"curve": 5, "index": 0, "customdata": "place:L-NEG", "n": 1}
    assert rm.selected == "L-NEG"
    assert "Journeys from or to here" in rm.details.value and "Detections here" in rm.details.value
    assert traces(rm.map, "focus")
    rm.map.clicked = {"curve": 3, "index": 0, "customdata": "route:L-IDO|L-GEV|foot", "n": 2}
    assert "Idomeni → Gevgelija border area" in rm.details.value
    assert "Night walk across the border" in rm.details.value  # the leg's description
    assert "Statement of the witness Farid Noorzai" in rm.details.value  # its source
    rm.map.clicked = {"curve": 6, "index": 0, "customdata": "detections:L-NEG|arrest", "n": 3}
    assert "Arrest: A1 motorway near Negotino" in rm.details.value
    rm.timeline.clicked = {"curve": 1, "index": 0, "customdata": "det:DET1", "n": 4}
    assert "Interception" in rm.details.value and "Dragan Kostovski" in rm.details.value
    rm.map.clicked = {"curve": 0, "index": 0, "customdata": None, "n": 5}  # the land: nothing


def test_layers_can_be_hidden(demo_map):
    rm = demo_map
    rm.layers["legs"].value = False
    assert traces(rm.map, "journeys") == [] and traces(rm.map, "directions") == []
    rm.layers["places"].value = False
    assert traces(rm.map, "Border crossing") == []
    rm.layers["detections"].value = False
    assert traces(rm.map, "Arrest") == []
    assert rm.shown["legs"] == 2  # hidden, not filtered out


def test_corridor_in_its_last_phase():
    rm = RouteMap(load_case("corridor"))
    assert rm.phase.value == 5 and rm.shown["legs"] == 77
    assert "Pushback" in rm.legend.value and "pushback returns people" in rm.details.value
    rm.selected = "P-NASIR"  # a migrant: three pushbacks before the van
    assert rm.person.value == "P-NASIR"
    assert rm.details.value.count("Pushback") == 3
    rm.selected = "P-BRK"  # the broker never travels, but his two phones are placed
    assert (rm.person.value, rm.line.value) == ("", "P-BRK")
    assert rm.lines == ["PH-BRK-A", "PH-BRK-B"]
    rm.set_time_range("2024-06-10 20:00", "2024-06-11 06:00")
    assert rm.shown["legs"] == 3


@pytest.mark.slow
def test_a_big_case_sends_few_points(tmp_path):
    out = tmp_path / "corridor"
    subprocess.run(
        [sys.executable, str(ROOT / "cases" / "make_corridor.py"), "--scale", "8", "--out", out],
        check=True,
        capture_output=True,
    )
    rm = RouteMap(load_case(out))
    assert rm.shown["legs"] > 300
    for choose in (lambda: None, lambda: setattr(rm.line, "value", "P-BRK")):
        choose()
        sent = sum(len(t.get("x") or []) for t in rm.map.figure["data"][2:])  # over the base map
        sent += sum(len(t.get("x") or []) for t in rm.timeline.figure["data"])
        assert sent < 3000
    # legs between the same two places are one route; all routes are a few traces
    assert rm.shown["routes"] < 20 and len(traces(rm.map, "journeys")) < 12
