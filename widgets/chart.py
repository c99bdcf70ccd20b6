"""A plotly.js chart as a widget, with clicks, selections and a time brush sent back to Python.

Why not Plotly's own ``FigureWidget``: it is an anywidget that carries plotly.js (4.8 MB) in
every instance, so a workbook with four charts sends about 19 MB over the room's network for
each participant, on every page load. :class:`Chart` sends only its figure; plotly.js (the copy
inside the installed ``plotly`` package) is served once per page from the Voila template's
static folder, and the browser caches it. :func:`ensure_plotly_asset` puts it there.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import pandas as pd
import plotly
import traitlets
from ipywidgets import CallbackDispatcher

from .i18n import DEFAULT_LANGUAGE, _, get_language, number_separators

__all__ = [
    "BASE",
    "Chart",
    "date_axis",
    "ensure_plotly_asset",
    "figure_dict",
    "plotly_asset_name",
]

#: The ``meta`` of traces that stay the same from one drawing to the next (a map's borders):
#: they are sent to the page once, not with every update.
BASE = "casebook-base"

_STATIC = Path(__file__).parent / "static"
_TEMPLATE_STATIC = Path("voila", "templates", "casebook", "static")


def plotly_asset_name() -> str:
    """File name of plotly.js in the template's static folder (versioned, so caches renew)."""
    return f"plotly-{plotly.__version__}.min.js"


def _asset_dirs() -> list[Path]:
    from jupyter_core.paths import jupyter_data_dir

    return [
        Path(sys.prefix, "share", "jupyter") / _TEMPLATE_STATIC,
        Path(jupyter_data_dir()) / _TEMPLATE_STATIC,
    ]


def ensure_plotly_asset() -> Path | None:
    """Copy plotly.js next to the Voila template's static files, once; return where it is.

    The first folder that can be written wins: the environment's own (a virtual environment,
    Binder's conda environment), else the user's Jupyter data folder. Both are on Voila's
    search path for template static files. The copy is atomic, so kernels starting together
    never serve half a file. Returns ``None`` when no folder can be written (the charts then
    say that they cannot be drawn).

    Examples
    --------
    >>> path = ensure_plotly_asset()
    >>> path.name == plotly_asset_name() and path.stat().st_size > 1_000_000
    True
    """
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    name = plotly_asset_name()
    preload = PRELOAD.replace("PLOTLY_FILE", name).encode()
    for folder in _asset_dirs():
        target = folder / name
        if (
            target.is_file()
            and target.stat().st_size == source.stat().st_size
            and _read(folder / PRELOAD_NAME) == preload
        ):
            return target
    for folder in _asset_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(folder / name, source.open("rb"))
            _write_atomic(folder / PRELOAD_NAME, io.BytesIO(preload))
            return folder / name
        except OSError:
            continue
    return None


#: The script a chart workbook's page loads in its <head> (see the casebook template): it
#: starts loading plotly.js at once, and chart.js waits on the same promise.
PRELOAD_NAME = "plotly-preload.js"
PRELOAD = """// Written by widgets/chart.py (ensure_plotly_asset): load plotly.js early, once.
(function () {
  if (window.Plotly || window.__casebookPlotly) return;
  var here = document.currentScript ? document.currentScript.src : "";
  window.__casebookPlotly = new Promise(function (resolve, reject) {
    var script = document.createElement("script");
    script.src = new URL("PLOTLY_FILE", here || document.baseURI).href;
    script.onload = function () {
      window.Plotly ? resolve(window.Plotly) : reject(new Error("no Plotly"));
    };
    script.onerror = function () {
      window.__casebookPlotly = undefined;
      reject(new Error("could not load " + script.src));
    };
    document.head.appendChild(script);
  });
  window.__casebookPlotly.catch(function () {});
})();
"""


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _write_atomic(target: Path, source) -> None:
    """Write ``source`` (a binary file object) to ``target`` so that no one reads half of it."""
    with (
        source,
        tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as tmp,
    ):
        shutil.copyfileobj(source, tmp)
    os.replace(tmp.name, target)


def _json_default(value: Any) -> Any:
    """Turn what pandas and numpy put in a figure into JSON (``json.dumps``' ``default``)."""
    if isinstance(value, np.ndarray | pd.Series | pd.Index):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NaT:
        return None
    if isinstance(value, dt.datetime | dt.date | dt.time | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"a chart cannot draw a {type(value).__name__}")


_DAY_MS = 24 * 3600 * 1000


def date_axis(language: str | None = None) -> dict:
    """Return what a date axis needs so that its ticks read well in the language.

    plotly.js has only English month names loaded ("May 14, 2024"): in another language the
    ticks and the hover of a date axis are written with numbers only, ``14.05.`` or ``03:40``
    over ``14.05.`` (within a day), ``05.2024`` (months). English keeps plotly's own ticks.

    Examples
    --------
    >>> date_axis("en")
    {}
    >>> [stop["value"] for stop in date_axis("mk")["tickformatstops"]][:2]
    ['%H:%M<br>%d.%m.', '%d.%m.']
    """
    if (language or get_language()) == DEFAULT_LANGUAGE:
        return {}
    return {
        "tickformatstops": [
            {"dtickrange": [None, _DAY_MS], "value": "%H:%M<br>%d.%m."},
            {"dtickrange": [_DAY_MS, "M1"], "value": "%d.%m."},
            {"dtickrange": ["M1", "M12"], "value": "%m.%Y"},
            {"dtickrange": ["M12", None], "value": "%Y"},
        ],
        "hoverformat": "%d.%m.%Y %H:%M",
    }


def figure_dict(figure: Any) -> dict:
    """Turn a plotly figure (``go.Figure`` or a dict) into plain JSON data: ``{"data", "layout"}``.

    A dict goes through the standard library's JSON, not plotly's encoder: importing
    ``plotly.io`` would cost every page that draws a chart about 40 ms. Not-a-number and
    infinite values become ``null``, as in plotly's encoder (JSON has no NaN).

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> figure_dict(go.Figure(go.Bar(x=["a"], y=[1])))["data"][0]["type"]
    'bar'
    >>> figure_dict({"data": [{"type": "bar", "y": [2]}]})["layout"]  # in English
    {'separators': '.,'}
    >>> figure_dict({"data": [{"y": np.array([1.5, np.nan]), "x": [pd.Timestamp("2024-03-02")]}]})
    {'data': [{'y': [1.5, None], 'x': ['2024-03-02T00:00:00']}], 'layout': {'separators': '.,'}}
    """
    if hasattr(figure, "to_json"):
        out = json.loads(figure.to_json())
    elif isinstance(figure, dict):
        out = json.loads(json.dumps(figure, default=_json_default), parse_constant=lambda _: None)
    else:
        raise TypeError(f"a chart needs a plotly figure or a dict, not {type(figure).__name__}")
    out.setdefault("data", [])
    out.setdefault("layout", {})
    # A template would repeat plotly's default style in every message: the browser has it.
    out["layout"].pop("template", None)
    # The decimal mark and thousands separator of the axes and hovers: the language's.
    out["layout"].setdefault("separators", number_separators())
    return out


class Chart(anywidget.AnyWidget):
    """A plotly.js chart drawn in the browser, offline; what the user does comes back here.

    Set :attr:`figure` to a plotly figure (``go.Figure``) or a dict to draw it, or call
    :meth:`draw`. Leading traces whose ``meta`` is :data:`BASE` (the borders of a map) are sent
    to the page only when they change: an update of a map then costs a few kilobytes, not the
    145 KB of its borders. A click sets
    :attr:`clicked`; a box selection sets :attr:`selected` (the points) and :attr:`brush`
    (the range of the x axis swept, for a timeline); a double click clears both. Register
    callbacks with :meth:`on_click`, :meth:`on_select` and :meth:`on_brush`.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> chart = Chart(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], customdata=["a", "b"])))
    >>> chart.on_brush(lambda start, end: print("brush", start, end))
    >>> chart.brush = ["2024-03-01 08:00", "2024-03-02"]  # what a drag on the timeline does
    brush 2024-03-01 08:00:00 2024-03-02 00:00:00
    >>> chart.brush = []  # a double click
    brush None None
    >>> chart.on_click(lambda point: print("click", point["customdata"]))
    >>> chart.clicked = {"curve": 0, "index": 1, "customdata": "b", "n": 1}
    click b
    """

    _esm = _STATIC / "chart.js"
    _css = _STATIC / "chart.css"

    figure = traitlets.Dict(help="The figure: plotly's {data, layout}.")
    base_data = traitlets.List(help="The figure's base traces, as last sent.").tag(sync=True)
    layer = traitlets.Dict(help="The rest of the figure: {data, layout}.").tag(sync=True)
    config = traitlets.Dict(help="plotly.js config, over Casebook's defaults.").tag(sync=True)
    height = traitlets.Unicode("380px", help="Height of the chart, as CSS.").tag(sync=True)
    revision = traitlets.Int(0, help="Counts the figures drawn; the page shows it.").tag(sync=True)
    lib_url = traitlets.Unicode(help="Where plotly.js is, under the server's base URL.").tag(
        sync=True
    )
    failure_text = traitlets.Unicode().tag(sync=True)
    clicked = traitlets.Dict(help="The point clicked last: curve, index, x, y, customdata.").tag(
        sync=True
    )
    selected = traitlets.List(help="Points of the last box selection.").tag(sync=True)
    brush = traitlets.List(help="[start, end] of the x axis swept, or [] when none.").tag(sync=True)

    def __init__(self, figure: Any = None, height: str = "380px", **kwargs: Any) -> None:
        ensure_plotly_asset()
        super().__init__(
            height=height,
            lib_url=(_TEMPLATE_STATIC / plotly_asset_name()).as_posix(),
            failure_text=_("This chart cannot be drawn: the page could not load its library."),
            **kwargs,
        )
        self._click_handlers = CallbackDispatcher()
        self._select_handlers = CallbackDispatcher()
        self._brush_handlers = CallbackDispatcher()
        self.observe(lambda c: self._click_handlers(c["new"]), names="clicked")
        self.observe(lambda c: self._select_handlers(c["new"]), names="selected")
        self.observe(self._brushed, names="brush")
        self.observe(self._redraw, names="figure")
        if figure is not None:
            self.draw(figure)

    def draw(self, figure: Any) -> None:
        """Draw ``figure`` (a ``go.Figure`` or a dict), replacing what is shown."""
        self.figure = figure_dict(figure)

    def _redraw(self, _change: traitlets.Bunch | None = None) -> None:
        data = list(self.figure.get("data", []))
        split = 0
        while split < len(data) and data[split].get("meta") == BASE:
            split += 1
        # One message: the page draws the new figure and marks it with its revision at once.
        with self.hold_sync():
            if data[:split] != self.base_data:
                self.base_data = data[:split]
            self.layer = {"data": data[split:], "layout": self.figure.get("layout", {})}
            self.revision += 1

    @property
    def brush_range(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The brushed time range as timestamps, or ``(None, None)``."""
        if len(self.brush) != 2:
            return None, None
        start, end = (pd.Timestamp(v) for v in self.brush)
        return (start, end) if start <= end else (end, start)

    def on_click(self, callback: Callable[[dict], None], remove: bool = False) -> None:
        """Call ``callback(point)`` when a point is clicked."""
        self._click_handlers.register_callback(callback, remove=remove)

    def on_select(self, callback: Callable[[list], None], remove: bool = False) -> None:
        """Call ``callback(points)`` when a box selection is made or cleared."""
        self._select_handlers.register_callback(callback, remove=remove)

    def on_brush(self, callback: Callable[[Any, Any], None], remove: bool = False) -> None:
        """Call ``callback(start, end)`` (timestamps, or ``None, None``) when the brush moves."""
        self._brush_handlers.register_callback(callback, remove=remove)

    def _brushed(self, _change: traitlets.Bunch) -> None:
        self._brush_handlers(*self.brush_range)
