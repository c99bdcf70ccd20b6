"""An offline base map of the Balkan route: country borders, shipped with the package.

The borders come from Natural Earth (public domain) by way of the npm package ``world-atlas``
2.0.2 (ISC licence, countries at 1:50 million). No map tile is ever fetched: a training room
is often offline. ``python -m widgets.basemap PATH/countries-50m.json`` rebuilds
``widgets/static/basemap.json`` from that package (``npm pack world-atlas@2.0.2``).
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

__all__ = ["COUNTRIES", "basemap", "build_basemap", "decode_topojson"]

_FILE = Path(__file__).parent / "static" / "basemap.json"

#: Natural Earth's short names of the countries drawn, with the ISO codes cases use.
COUNTRIES = {
    "Albania": "AL",
    "Austria": "AT",
    "Bosnia and Herz.": "BA",
    "Bulgaria": "BG",
    "Croatia": "HR",
    "Greece": "GR",
    "Hungary": "HU",
    "Italy": "IT",
    "Kosovo": "XK",
    "Macedonia": "MK",
    "Montenegro": "ME",
    "Romania": "RO",
    "Serbia": "RS",
    "Slovenia": "SI",
    "Turkey": "TR",
    "Slovakia": "SK",
    "Ukraine": "UA",
    "Moldova": "MD",
    "Cyprus": "CY",
    "Syria": "SY",
    "Iraq": "IQ",
    "Iran": "IR",
    "Georgia": "GE",
    "Armenia": "AM",
    "Azerbaijan": "AZ",
    "Czechia": "CZ",
    "Germany": "DE",
    "Switzerland": "CH",
    "Libya": "LY",
    "Tunisia": "TN",
    "Lebanon": "LB",
    "Israel": "IL",
    "Jordan": "JO",
    "Egypt": "EG",
    "Poland": "PL",
}


def decode_topojson(topology: dict, name: str = "countries") -> list[dict]:
    """Turn a TopoJSON object into a list of ``{"name", "rings"}`` (rings of (lon, lat)).

    Examples
    --------
    >>> topo = {"transform": {"scale": [1, 1], "translate": [10, 40]},
    ...         "arcs": [[[0, 0], [1, 0], [0, 1], [-1, -1]]],
    ...         "objects": {"countries": {"geometries": [
    ...             {"type": "Polygon", "arcs": [[0]], "properties": {"name": "X"}}]}}}
    >>> decode_topojson(topo)
    [{'name': 'X', 'rings': [[(10, 40), (11, 40), (11, 41), (10, 40)]]}]
    """
    scale = topology.get("transform", {}).get("scale", [1, 1])
    shift = topology.get("transform", {}).get("translate", [0, 0])
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + shift[0], y * scale[1] + shift[1]))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indices:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        return out

    shapes = []
    for geometry in topology["objects"][name]["geometries"]:
        if geometry.get("type") == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [ring(r) for polygon in polygons for r in polygon]
        shapes.append({"name": geometry.get("properties", {}).get("name", ""), "rings": rings})
    return shapes


def build_basemap(topojson_path: str | Path, bbox=(5.0, 28.0, 50.0, 52.0)) -> dict:
    """Keep the rings of :data:`COUNTRIES` that touch ``bbox`` (west, south, east, north)."""
    west, south, east, north = bbox
    countries = []
    for shape in decode_topojson(json.loads(Path(topojson_path).read_text())):
        if shape["name"] not in COUNTRIES:
            continue
        rings = [
            [[round(x, 3), round(y, 3)] for x, y in r]
            for r in shape["rings"]
            if any(west <= x <= east and south <= y <= north for x, y in r) and len(r) > 3
        ]
        if rings:
            countries.append(
                {"name": shape["name"], "iso": COUNTRIES[shape["name"]], "rings": rings}
            )
    countries.sort(key=lambda c: c["iso"])
    return {
        "source": "Natural Earth 1:50m admin 0 (public domain), via world-atlas 2.0.2 (ISC)",
        "countries": countries,
    }


@cache
def basemap() -> dict:
    """Return the shipped base map: ``{"source", "countries": [{"name", "iso", "rings"}]}``.

    Examples
    --------
    >>> route = {"AL", "BA", "ME", "MK", "RS", "XK"}
    >>> sorted(c["iso"] for c in basemap()["countries"] if c["iso"] in route)
    ['AL', 'BA', 'ME', 'MK', 'RS', 'XK']
    """
    return json.loads(_FILE.read_text(encoding="utf-8"))


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    if len(sys.argv) != 2:
        sys.exit("usage: python -m widgets.basemap PATH/TO/world-atlas/countries-50m.json")
    _FILE.write_text(json.dumps(build_basemap(sys.argv[1]), separators=(",", ":")) + "\n")
    print(f"wrote {_FILE} ({_FILE.stat().st_size // 1024} KB)")
