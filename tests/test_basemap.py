"""The offline base map: the countries of the route, in the right places, and map_figure."""

import pytest

from widgets.basemap import basemap
from widgets.mapfig import REGION, map_figure

# Capitals, invented nothing: (lon, lat) rounded to two decimals.
CAPITALS = {
    "AL": (19.82, 41.33),  # Tirana
    "BA": (18.41, 43.86),  # Sarajevo
    "ME": (19.26, 42.44),  # Podgorica
    "MK": (21.43, 42.0),  # Skopje
    "RS": (20.46, 44.82),  # Belgrade
    "XK": (21.17, 42.66),  # Pristina
    "GR": (23.73, 37.98),  # Athens
    "HR": (15.98, 45.81),  # Zagreb
    "TR": (32.85, 39.93),  # Ankara
}


def inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    """Ray casting: is ``point`` inside the polygon ``ring``?"""
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def test_rings_are_closed_and_in_range():
    for country in basemap()["countries"]:
        for ring in country["rings"]:
            assert len(ring) >= 4, country["name"]
            assert ring[0] == ring[-1], f"{country['name']}: ring not closed"
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring)


@pytest.mark.parametrize(("iso", "capital"), CAPITALS.items())
def test_each_capital_is_inside_its_own_country_only(iso, capital):
    holders = {
        c["iso"] for c in basemap()["countries"] if any(inside(capital, r) for r in c["rings"])
    }
    assert holders == {iso}


def test_the_map_draws_borders_without_any_geo_trace():
    fig = map_figure(REGION)
    assert {t["type"] for t in fig["data"]} == {"scatter"}  # geo and map traces fetch from a CDN
    borders = fig["data"][0]
    assert sum(v is None for v in borders["x"]) == sum(
        len(c["rings"]) for c in basemap()["countries"]
    )
