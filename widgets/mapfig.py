"""A map of the region as a plain plotly figure: borders from the offline base map, no tiles.

Longitude is x and latitude is y, on ordinary axes held at the right aspect for the latitude
shown (a degree of longitude is shorter than a degree of latitude away from the equator), so
any scatter trace (places, journeys, cell sites) goes on top with ``x=lon, y=lat``. Nothing
is fetched: plotly's own geo maps would download their borders from a CDN.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .basemap import basemap
from .chart import BASE
from .i18n import number_separators

__all__ = ["BORDER", "LAND", "bounds_of", "fit_aspect", "map_figure"]

BORDER = "#8c8c8c"
LAND = "#f3f1ea"
SEA = "#dcebf5"
#: The Western Balkans, with Greece and Istanbul: the default view.
REGION = (15.5, 36.5, 29.5, 47.0)


def bounds_of(
    points: Iterable[tuple[float, float]], margin: float = 0.35, minimum: float = 1.2
) -> tuple[float, float, float, float]:
    """Return (west, south, east, north) around ``points`` (lon, lat), with a margin.

    The box is at least ``minimum`` degrees wide and high, so that a single place still shows
    its surroundings; without points it is the whole region.

    Examples
    --------
    >>> bounds_of([(22.5, 41.1), (21.4, 42.0)])
    (21.05, 40.75, 22.85, 42.35)
    >>> bounds_of([(21.0, 42.0)])
    (20.4, 41.4, 21.6, 42.6)
    >>> bounds_of([]) == REGION
    True
    """
    points = [(x, y) for x, y in points if x == x and y == y]  # NaN is not a place
    if not points:
        return REGION
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    west, east = min(xs) - margin, max(xs) + margin
    south, north = min(ys) - margin, max(ys) + margin
    if east - west < minimum:
        middle = (east + west) / 2
        west, east = middle - minimum / 2, middle + minimum / 2
    if north - south < minimum:
        middle = (north + south) / 2
        south, north = middle - minimum / 2, middle + minimum / 2
    return tuple(round(v, 4) for v in (west, south, east, north))


def fit_aspect(
    bounds: tuple[float, float, float, float], ratio: float, digits: int = 4
) -> tuple[float, ...]:
    """Grow ``bounds`` (west, south, east, north) to ``ratio`` (width / height on screen).

    A map keeps its aspect for its latitude (see :func:`map_figure`): bounds of the chart's
    own shape fill it, instead of leaving much of it empty when the route runs north-south,
    or a thin strip when it runs east-west.

    Examples
    --------
    >>> fit_aspect((22.0, 41.0, 23.0, 42.0), 1.2)
    (21.6989, 41.0, 23.3011, 42.0)
    """
    west, south, east, north = bounds
    stretch = math.cos(math.radians((south + north) / 2))
    width, height = (east - west) * stretch, north - south
    if width < ratio * height:
        extra = (ratio * height / stretch - (east - west)) / 2
        west, east = west - extra, east + extra
    else:
        extra = (width / ratio - height) / 2
        south, north = south - extra, north + extra
    return tuple(round(v, digits) for v in (west, south, east, north))


def _border_trace() -> dict:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for country in basemap()["countries"]:
        for ring in country["rings"]:
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
            xs.append(None)
            ys.append(None)
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "line": {"color": BORDER, "width": 1},
        "fill": "toself",
        "fillcolor": LAND,
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "borders",
        "meta": BASE,
    }


def _country_labels(bounds: tuple[float, float, float, float]) -> dict:
    west, south, east, north = bounds
    names, xs, ys = [], [], []
    for country in basemap()["countries"]:
        ring = max(country["rings"], key=len)
        x = sum(p[0] for p in ring) / len(ring)
        y = sum(p[1] for p in ring) / len(ring)
        if west < x < east and south < y < north:
            names.append(country["iso"])
            xs.append(x)
            ys.append(y)
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "text",
        "text": names,
        "textfont": {"color": "#8a8a8a", "size": 15},
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "countries",
    }


def map_figure(
    bounds: tuple[float, float, float, float] = REGION, height: int = 520, labels: bool = True
) -> dict:
    """Return an empty map of ``bounds`` (west, south, east, north): add traces in lon/lat.

    The figure is plain data (``{"data": [...], "layout": {...}}``), for
    :class:`~widgets.chart.Chart`: building plotly's figure objects would load its validators,
    which cost a page about 10 MB and 0.1 s. The first trace draws the borders (land filled),
    the second the country codes; traces added after them are drawn on top. Zoom and pan
    work as on any plotly chart.

    Examples
    --------
    >>> fig = map_figure((20.0, 40.5, 23.0, 43.0))
    >>> [t["name"] for t in fig["data"]]
    ['borders', 'countries']
    >>> fig["layout"]["xaxis"]["range"], fig["layout"]["yaxis"]["range"]
    ([20.0, 23.0], [40.5, 43.0])
    >>> round(fig["layout"]["yaxis"]["scaleratio"], 2)  # 1 / cos(41.75 degrees)
    1.34
    """
    west, south, east, north = bounds
    middle = math.radians((south + north) / 2)
    traces = [_border_trace()]
    if labels:
        traces.append(_country_labels(bounds))
    axis = {"showgrid": False, "zeroline": False, "showticklabels": False, "title": None}
    layout = {
        "height": height,
        "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
        "plot_bgcolor": SEA,
        "paper_bgcolor": "#ffffff",
        "dragmode": "pan",
        "hovermode": "closest",
        "font": {"size": 15},
        "legend": {"bgcolor": "rgba(255,255,255,0.85)", "x": 0.01, "y": 0.99},
        "separators": number_separators(),
        "xaxis": {**axis, "range": [west, east], "constrain": "domain"},
        "yaxis": {
            **axis,
            "range": [south, north],
            "scaleanchor": "x",
            "scaleratio": 1 / math.cos(middle),
            "constrain": "domain",
        },
    }
    return {"data": traces, "layout": layout}
