"""The route analysis: legs, crossings, places, detections, cell positions and time ranges."""

import pandas as pd
import pytest

from widgets import load_case, route
from widgets.communications import cell_track


@pytest.fixture(scope="module")
def demo():
    return load_case("demo")


@pytest.fixture(scope="module")
def corridor():
    return load_case("corridor")


# the demo case ------------------------------------------------------------------


def test_legs_join_the_places_with_their_coordinates(demo):
    legs = route.legs(demo).set_index("id")
    assert list(legs.index) == ["T1", "T2"]
    walk, van = legs.loc["T1"], legs.loc["T2"]
    assert (walk["origin"], walk["destination"], walk["mode"]) == ("L-IDO", "L-GEV", "foot")
    assert (walk["origin_lat"], walk["origin_lon"]) == (41.1230, 22.5160)
    assert (walk["destination_lat"], walk["destination_lon"]) == (41.1415, 22.5080)
    assert (van["destination_name"], van["vehicle"], van["driver"]) == (
        "A1 motorway near Negotino",
        "V-VAN",
        "P-DRV",
    )
    assert walk["driver"] == "P-WLK" and walk["passengers"] == ["P-M1", "P-M2", "P-M3"]
    assert walk["people"] == 9 and van["people"] == 9  # the count, not the three named
    assert (van["source"], van["confidence"]) == ("D-POL", "A1")


def test_which_legs_cross_a_border(demo):
    legs = route.legs(demo).set_index("id")
    # Idomeni (Greece) to the Gevgelija border area (North Macedonia): a crossing
    assert legs.loc["T1", ["origin_country", "destination_country"]].tolist() == ["GR", "MK"]
    assert bool(legs.loc["T1", "crosses_border"]) and not legs.loc["T2", "crosses_border"]
    # the van leaves from a border crossing without crossing itself
    assert bool(legs.loc["T2", "at_crossing"])
    assert list(route.crossing_legs(demo)["id"]) == ["T1"]


def test_places_by_kind_with_their_legs_and_detections(demo):
    places = route.places(demo).set_index("id")
    assert len(places) == 6
    assert places.loc["L-GEV", ["kind", "legs", "detections"]].tolist() == ["border_crossing", 2, 0]
    assert places.loc["L-NEG", ["legs", "detections"]].tolist() == [1, 2]
    assert list(route.places(demo, kinds=["safe_house"])["id"]) == ["L-SKP"]
    assert list(route.places(demo, kinds=["reception_centre"])["id"]) == []
    crossings = route.border_crossings(demo)
    assert list(crossings["id"]) == ["L-GEV", "L-TAB"]  # the busiest first


def test_detections_where_they_happened(demo):
    det = route.detections(demo)
    assert det[["id", "type", "location"]].values.tolist() == [
        ["DET1", "interception", "L-NEG"],
        ["DET2", "arrest", "L-NEG"],
    ]
    assert det["lat"].tolist() == [41.4835, 41.4835]
    assert det.loc[0, "persons"] == ["P-DRV", "P-M1", "P-M2", "P-M3"]
    assert list(route.detections(demo, types=["arrest"])["id"]) == ["DET2"]
    assert route.detections(demo, types=["pushback"]).empty


def test_cell_positions_follow_the_phones(demo):
    pos = route.cell_positions(demo)
    assert len(pos) == 7 and set(pos["cell"]) == {"L-CS1"}
    assert pos["time"].is_monotonic_increasing
    assert (pos["lat"].iloc[0], pos["lon"].iloc[0]) == (41.1560, 22.4990)
    # the caller's side of C22 is placed first; the other party is kept
    c22 = pos[pos["id"] == "C22"]
    assert c22[["line", "other"]].values.tolist() == [["PH-WLK", "PH-DRV"], ["PH-DRV", "PH-WLK"]]
    # one line: the same as the communications trail's cell track
    for line in ("PH-DRV", "PH-WLK"):
        mine = route.cell_positions(demo, [line])
        track = cell_track(demo.released(2), line)
        assert mine[["id", "cell", "time"]].values.tolist() == (
            track[["id", "cell", "time"]].values.tolist()
        )
    # calls are released in phase 2: in phase 1 no phone has a position
    assert route.cell_positions(demo.released(1)).empty
    assert route.tracked_lines(demo.released(1)).empty


def test_tracked_lines_with_their_users(demo):
    lines = route.tracked_lines(demo)
    assert lines[["line", "user", "positions", "cells"]].values.tolist() == [
        ["PH-WLK", "P-WLK", 4, 1],
        ["PH-DRV", "P-DRV", 3, 1],
    ]
    assert lines.loc[1, "first"] == pd.Timestamp("2024-05-06 23:50")


def test_journeys_of_a_person(demo):
    assert route.journeys_of(demo, "P-M2")[["id", "role"]].values.tolist() == [
        ["T1", "passenger"],
        ["T2", "passenger"],
    ]
    assert list(route.journeys_of(demo, "P-DRV")["role"]) == ["driver"]
    assert route.journeys_of(demo, "P-ORG").empty  # never travelled
    assert route.journeys_of(demo, "nobody").empty


def test_travellers(demo):
    people = route.travellers(demo).set_index("id")
    assert set(people.index) == {"P-DRV", "P-WLK", "P-M1", "P-M2", "P-M3"}
    assert people.loc["P-M1", ["role", "legs", "status"]].tolist() == ["passenger", 2, "migrant"]
    assert people.loc["P-WLK", "role"] == "driver"


def test_time_range_keeps_what_overlaps_it(demo):
    legs = route.legs(demo)  # T1 22:00-02:10, T2 02:30-03:40
    ids = lambda frame: list(frame["id"])  # noqa: E731
    assert ids(route.in_time_range(legs, "2024-05-14 02:15", "2024-05-14 02:20")) == []
    assert ids(route.in_time_range(legs, "2024-05-14 02:00", "2024-05-14 02:35")) == ["T1", "T2"]
    assert ids(route.in_time_range(legs, "2024-05-14 03:00", None)) == ["T2"]
    assert ids(route.in_time_range(legs, None, "2024-05-13 22:00")) == ["T1"]  # ends included
    assert ids(route.in_time_range(legs, None, None)) == ["T1", "T2"]
    # the ends may come in either order
    assert ids(route.in_time_range(legs, "2024-05-14 02:35", "2024-05-14 02:00")) == ["T1", "T2"]
    det = route.detections(demo)  # 03:40 and 03:55
    assert ids(route.in_time_range(det, "2024-05-14 03:40", "2024-05-14 03:54")) == ["DET1"]
    pos = route.cell_positions(demo)
    assert ids(route.in_time_range(pos, "2024-05-14", None)) == ["C17", "C17", "C18", "C18"]


def test_aggregate_legs_joins_the_same_route():
    legs = route.legs(load_case("demo"))
    again = legs.iloc[[1]].assign(
        id="T9", start=pd.Timestamp("2024-05-20 01:00"), end=pd.NaT, people=4.0
    )
    routes = route.aggregate_legs(pd.concat([legs, again], ignore_index=True))
    van = routes.iloc[0]
    assert (van["origin"], van["destination"], van["count"], van["people"]) == (
        "L-GEV",
        "L-NEG",
        2,
        13,
    )
    assert van["ids"] == ["T2", "T9"]
    assert van["first"] == pd.Timestamp("2024-05-14 02:30")
    assert van["last"] == pd.Timestamp("2024-05-20 01:00")  # a leg without an end: its start
    assert routes.iloc[1]["count"] == 1
    assert route.aggregate_legs(legs.iloc[:0]).empty


def test_stays_join_consecutive_positions_at_one_cell():
    times = pd.to_datetime(
        ["2024-01-01 01:00", "2024-01-01 01:10", "2024-01-01 01:20", "2024-01-01 01:30"]
    )
    pos = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "time": times,
            "line": "L1",
            "cell": ["A", "A", "B", "A"],
            "name": ["cell A", "cell A", "cell B", "cell A"],
            "lat": [1.0, 1.0, 2.0, 1.0],
            "lon": [1.0, 1.0, 2.0, 1.0],
            "source": "D",
            "confidence": "B2",
        }
    )
    out = route.stays(pos)
    assert out[["cell", "count"]].values.tolist() == [["A", 2], ["B", 1], ["A", 1]]
    assert out.loc[0, "ids"] == ["a", "b"]
    assert (out.loc[0, "first"], out.loc[0, "last"]) == (times[0], times[1])
    assert route.stays(pos.iloc[:0]).empty


# the corridor case --------------------------------------------------------------


def test_corridor_crossings_from_greece_to_serbia(corridor):
    legs = route.legs(corridor)
    assert len(legs) == 77
    crossing = route.crossing_legs(corridor)
    pairs = set(zip(crossing["origin_country"], crossing["destination_country"], strict=True))
    assert pairs == {("GR", "MK"), ("MK", "RS")}
    # the boat on the Drina lands in Bosnia from a river crossing counted as Bosnian
    boats = legs[legs["mode"] == "boat"]
    assert len(boats) == 3 and boats["at_crossing"].all() and not boats["crosses_border"].any()
    busiest = route.aggregate_legs(legs).iloc[0]
    assert (busiest["origin"], busiest["destination"], busiest["count"]) == (
        "L-IDO",
        "L-GEV-PICK",
        19,
    )


def test_corridor_safe_houses_and_pushbacks(corridor):
    safe = route.places(corridor, kinds=["safe_house"]).set_index("id")
    assert safe.loc["L-LOJ-SH", "legs"] == 28
    det = route.detections(corridor)
    assert (det["type"] == "pushback").sum() == 15
    assert route.border_crossings(corridor).iloc[0]["id"] == "L-VK-BRD"
    nasir = det[[("P-NASIR" in p) for p in det["persons"]]]
    assert list(nasir["type"]) == ["pushback"] * 3 + ["interception", "registration"]


def test_corridor_journey_of_a_migrant(corridor):
    journey = route.journeys_of(corridor, "P-NASIR")
    assert list(journey["mode"]) == [
        "boat",
        "vehicle",
        "foot",
        "foot",
        "foot",
        "foot",
        "foot",
        "vehicle",
    ]
    assert set(journey["role"]) == {"passenger"}
    assert journey["id"].iloc[-1] == "T-VAN"
    night = route.in_time_range(route.legs(corridor), "2024-06-10 20:00", "2024-06-11 06:00")
    assert list(night["id"]) == ["T-G11-WALK", "T-VAN-WALK", "T-VAN"]


def test_corridor_phones_are_placed_in_north_macedonia_only_from_phase_3(corridor):
    for phase in (1, 2):
        assert route.cell_positions(corridor.released(phase)).empty
    ace = route.cell_positions(corridor, ["PH-D2"])
    assert len(ace) == 123
    assert set(ace["cell"]) == {"L-CS-GEV-N", "L-CS-KUM", "L-CS-LOJ", "L-CS-SKP", "L-CS-VEL"}
    lines = route.tracked_lines(corridor)
    assert lines.iloc[0]["line"] == "PH-BRK-A" and lines.iloc[0]["user"] == "P-BRK"
