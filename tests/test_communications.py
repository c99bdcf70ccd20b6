"""The communications trail's analysis: contacts, timeline, activity, swaps and cell sites."""

import time
from types import SimpleNamespace

import pandas as pd
import pytest

from widgets import load_case
from widgets.communications import (
    activity_matrix,
    cell_stays,
    cell_track,
    common_contacts,
    contact_matrix,
    contact_table,
    handset_swaps,
    line_counts,
    timeline,
    timeline_counts,
)

T = pd.Timestamp


@pytest.fixture(scope="module")
def demo2():
    return load_case("demo").released(2)


@pytest.fixture(scope="module")
def corridor():
    case = load_case("corridor")
    return case.released(len(case.phases))


def test_contact_table_by_phone(demo2):
    table = contact_table(demo2)
    assert list(table.columns) == [
        "a",
        "b",
        "calls",
        "messages",
        "first",
        "last",
        "total_duration_s",
    ]
    assert table[["a", "b", "calls", "messages", "total_duration_s"]].values.tolist() == [
        ["PH-DRV", "PH-ORG2", 1, 7, 75],
        ["PH-DRV", "PH-ORG", 1, 5, 120],
        ["PH-DRV", "PH-MUM", 5, 0, 1225],
        ["PH-DRV", "PH-WLK", 4, 1, 157],
    ]
    mum = table.set_index("b").loc["PH-MUM"]
    assert (mum["first"], mum["last"]) == (T("2024-05-02 19:02"), T("2024-05-13 21:40"))
    assert int(table[["calls", "messages"]].to_numpy().sum()) == len(demo2.communications)


def test_contact_table_by_person_keeps_unattributed_phones(demo2):
    table = contact_table(demo2, by="person")
    assert table[["a", "b", "calls", "messages", "total_duration_s"]].values.tolist() == [
        ["P-DRV", "P-ORG", 2, 12, 195],
        ["P-DRV", "P-WLK", 4, 1, 157],
        ["P-DRV", "PH-MUM", 5, 0, 1225],
    ]
    org = table.iloc[0]
    assert (org["first"], org["last"]) == (T("2024-05-03 08:15"), T("2024-05-14 03:12"))


def test_contact_table_filters_by_lines(demo2):
    assert contact_table(demo2, lines=["PH-WLK"])[["a", "b"]].values.tolist() == [
        ["PH-DRV", "PH-WLK"]
    ]
    by_person = contact_table(demo2, by="person", lines=["P-ORG"])
    assert by_person[["a", "b", "messages"]].values.tolist() == [["P-DRV", "P-ORG", 12]]
    # a phone line picks only its own communications, even when its user has others
    old_line = contact_table(demo2, by="person", lines=["PH-ORG"])
    assert old_line[["calls", "messages"]].values.tolist() == [[1, 5]]
    assert contact_table(demo2, lines=["PH-NOBODY"]).empty
    with pytest.raises(ValueError):
        contact_table(demo2, by="account")


def test_nothing_released_gives_empty_results():
    early = load_case("demo").released(1)
    assert early.communications.empty
    assert contact_table(early).empty and contact_table(early, by="person").empty
    assert timeline(early, ["PH-DRV"]).empty
    assert int(activity_matrix(early).to_numpy().sum()) == 0
    assert cell_track(early, "PH-DRV").empty
    assert handset_swaps(early) == []


def test_timeline_in_time_order_within_range(demo2):
    line = timeline(demo2, ["PH-ORG2"])
    assert list(line["id"]) == ["C10", "C11", "C12", "C13", "C14", "C15", "C19", "C20"]
    assert list(line.columns) == [
        "id",
        "time",
        "kind",
        "caller",
        "receiver",
        "duration_s",
        "content",
    ]
    assert line["time"].is_monotonic_increasing
    window = timeline(
        demo2, ["PH-ORG2", "PH-WLK"], since=T("2024-05-13"), until=T("2024-05-14 02:05")
    )
    assert list(window["id"]) == ["C13", "C14", "C15", "C17"]
    # the demo file lists C21 after C05 but C22 after C06: the timeline sorts by time
    assert list(timeline(demo2, ["PH-WLK"])["id"]) == ["C05", "C21", "C22", "C17", "C18"]


def test_activity_matrix(demo2):
    m = activity_matrix(demo2)
    assert m.shape == (7, 24)
    assert list(m.index) == list(range(7)) and list(m.columns) == list(range(24))
    assert int(m.to_numpy().sum()) == 24
    # Tuesdays at 01h: C23 (7 May 01:10), C17 (14 May 01:48); at 02h: C18 (02:05), C19 (02:31)
    assert int(m.loc[1, 1]) == 2 and int(m.loc[1, 2]) == 2
    # the WhatsApp exchange of Monday 13 May at 14:00-14:05
    assert int(m.loc[0, 14]) == 3
    mum = activity_matrix(demo2, ["PH-MUM"])
    # Thursdays at 19h: C01 (2 May 19:02) and C24 (9 May 19:30)
    assert int(mum.to_numpy().sum()) == 5 and int(mum.loc[3, 19]) == 2


def test_contact_matrix_is_symmetric(demo2):
    lines = ["PH-DRV", "PH-ORG", "PH-ORG2", "PH-WLK", "PH-MUM"]
    m = contact_matrix(demo2, lines)
    assert list(m.index) == lines and list(m.columns) == lines
    assert (m.to_numpy() == m.to_numpy().T).all()
    assert m.loc["PH-DRV"].tolist() == [0, 6, 8, 5, 5]
    assert int(m.loc["PH-ORG", "PH-ORG2"]) == 0
    assert contact_matrix(demo2, ["PH-M1"]).values.tolist() == [[0]]


def test_contact_matrix_by_person(demo2):
    units = ["P-DRV", "P-ORG", "P-WLK", "PH-MUM"]  # the landline has no known user
    m = contact_matrix(demo2, units, by="person")
    assert m.loc["P-DRV"].tolist() == [0, 14, 5, 5]
    assert (m.to_numpy() == m.to_numpy().T).all()
    # a person's own lines never count as contacts between them
    assert contact_matrix(demo2, ["P-ORG"], by="person").values.tolist() == [[0]]
    with pytest.raises(ValueError):
        contact_matrix(demo2, units, by="account")


def test_line_counts_busiest_first(demo2):
    counts = line_counts(demo2)
    assert counts.to_dict() == {"PH-DRV": 24, "PH-ORG2": 8, "PH-ORG": 6, "PH-MUM": 5, "PH-WLK": 5}
    assert list(counts.index) == ["PH-DRV", "PH-ORG2", "PH-ORG", "PH-MUM", "PH-WLK"]  # ties by id
    assert line_counts(load_case("demo").released(1)).empty


def test_timeline_counts_per_period(demo2):
    days = timeline_counts(demo2)
    assert list(days.columns) == ["calls", "messages"]
    assert days.index[0] == T("2024-05-02") and days.index[-1] == T("2024-05-14")
    assert len(days) == 13  # every day from the first to the last, quiet ones included
    assert days.sum().to_dict() == {"calls": 11, "messages": 13}
    assert days.loc[T("2024-05-03")].tolist() == [0, 3]
    weeks = timeline_counts(demo2, ["PH-MUM"], freq="7D")
    assert weeks.values.tolist() == [[3, 0], [2, 0]]
    hours = timeline_counts(demo2, ["PH-WLK"], freq="h")
    assert int(hours.loc[T("2024-05-14 01:00"), "calls"]) == 1
    empty = timeline_counts(load_case("demo").released(1), ["PH-DRV"])
    assert empty.empty and list(empty.columns) == ["calls", "messages"]


def test_cell_stays_join_consecutive_positions(demo2, corridor):
    stays = cell_stays(demo2, "PH-DRV")
    assert list(stays.columns) == ["cell", "name", "lat", "lon", "first", "last", "count"]
    assert stays[["cell", "first", "last", "count"]].values.tolist() == [
        ["L-CS1", T("2024-05-06 23:50"), T("2024-05-14 02:05"), 3]
    ]
    assert cell_stays(demo2, "PH-ORG").empty
    # a driver's nights: Kumanovo, then the A1 from the Greek border to Lojane, and back
    driver = cell_stays(corridor, "PH-D2")
    assert list(driver["cell"][:6]) == [
        "L-CS-KUM",
        "L-CS-GEV-N",
        "L-CS-VEL",
        "L-CS-SKP",
        "L-CS-LOJ",
        "L-CS-KUM",
    ]
    assert int(driver["count"].sum()) == len(cell_track(corridor, "PH-D2"))
    assert (driver["cell"] != driver["cell"].shift()).all()  # no two stays in a row at one cell


def test_common_contacts(demo2):
    assert common_contacts(demo2, "PH-ORG", "PH-ORG2") == ["PH-DRV"]
    assert common_contacts(demo2, "PH-MUM", "PH-WLK") == ["PH-DRV"]
    assert common_contacts(demo2, "PH-DRV", "PH-ORG") == []


def test_handset_swap_same_device_new_number(demo2):
    assert handset_swaps(demo2) == [
        {
            "old": "PH-ORG",
            "new": "PH-ORG2",
            "kind": "imei",
            "first_new": T("2024-05-10 10:05"),
            "last_old": T("2024-05-10 10:02"),
        }
    ]


def test_handset_swap_of_unused_lines():
    phones = pd.DataFrame(
        {
            "id": ["A", "B", "C", "D"],
            "sim": ["s1", "s2", "s3", "s3"],
            "imei": ["i1", "i1", None, None],
        }
    )
    comms = pd.DataFrame({"caller": ["B"], "receiver": ["X"], "time": [T("2024-01-01 10:00")]})
    swaps = handset_swaps(SimpleNamespace(phones=phones, communications=comms))
    # B was used and A never: A is taken as the newer line; C and D keep their id order
    assert swaps == [
        {
            "old": "B",
            "new": "A",
            "kind": "imei",
            "first_new": None,
            "last_old": T("2024-01-01 10:00"),
        },
        {"old": "C", "new": "D", "kind": "sim", "first_new": None, "last_old": None},
    ]


def test_cell_track_uses_the_lines_own_side(demo2):
    walker = cell_track(demo2, "PH-WLK")
    assert list(walker.columns) == ["id", "time", "cell", "name", "lat", "lon"]
    assert list(walker["id"]) == ["C05", "C22", "C17", "C18"]
    assert set(walker["cell"]) == {"L-CS1"}
    assert walker.iloc[0][["name", "lat", "lon"]].tolist() == [
        "Cell site Gevgelija north",
        41.156,
        22.499,
    ]
    # C05 has only the caller's cell, so the driver (receiver) has no position from it
    assert list(cell_track(demo2, "PH-DRV")["id"]) == ["C22", "C17", "C18"]
    assert cell_track(demo2, "PH-ORG").empty


def test_corridor_scale(corridor):
    start = time.perf_counter()
    by_person = contact_table(corridor, by="person")
    by_phone = contact_table(corridor)
    matrix = activity_matrix(corridor)
    swaps = handset_swaps(corridor)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    n = len(corridor.communications)
    assert int(by_phone[["calls", "messages"]].to_numpy().sum()) == n
    assert int(matrix.to_numpy().sum()) == n
    assert len(by_person) < len(by_phone)
    assert [(s["old"], s["new"]) for s in swaps] == [
        ("PH-W2-A", "PH-W2-B"),
        ("PH-BRK-A", "PH-BRK-B"),
        ("PH-GIMI-A", "PH-GIMI-B"),
    ]
    assert all(s["first_new"] > s["last_old"] for s in swaps)
