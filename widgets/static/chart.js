/*
 * Casebook Chart: the browser side of widgets/chart.py, an anywidget ES module.
 *
 * It draws the figure (the synced `base_data` traces, then `layer`: {data, layout}) with
 * plotly.js and sends what the user does
 * back to Python: a click as `clicked`, a box or lasso selection as `selected`, and a
 * horizontal drag on a time axis (the brush) as `brush` ([start, end], or [] when cleared).
 *
 * plotly.js is not inside this module: anywidget sends a widget's module with every
 * instance, and plotly.js is 4.6 MB. It is loaded once per page, from the Voila template's
 * static folder (`lib_url`, relative to the server's base URL), where the browser caches it.
 * Nothing is fetched from the internet.
 */

const CONFIG = {
  displaylogo: false,
  responsive: true,
  scrollZoom: false,
  modeBarButtonsToRemove: ["sendDataToCloud", "editInChartStudio", "lasso2d", "autoScale2d"],
  toImageButtonOptions: { format: "png", scale: 2 },
};

function baseUrl() {
  try {
    const el = document.getElementById("jupyter-config-data");
    if (el) return JSON.parse(el.textContent).baseUrl || "/";
  } catch (e) {
    /* not a Jupyter page: fall back to the root */
  }
  return "/";
}

/** Load plotly.js once per page; every chart waits on the same promise. */
function loadPlotly(libUrl) {
  if (globalThis.Plotly) return Promise.resolve(globalThis.Plotly);
  if (!globalThis.__casebookPlotly) {
    globalThis.__casebookPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL(libUrl, new URL(baseUrl(), document.baseURI)).href;
      // plotly.min.js is a UMD file: with an AMD loader on the page it would register
      // there instead of setting window.Plotly. Hide the loader while it runs.
      const amd = globalThis.define;
      if (amd && amd.amd) globalThis.define = undefined;
      script.onload = () => {
        if (amd) globalThis.define = amd;
        globalThis.Plotly ? resolve(globalThis.Plotly) : reject(new Error("no Plotly"));
      };
      script.onerror = () => {
        if (amd) globalThis.define = amd;
        globalThis.__casebookPlotly = undefined;
        reject(new Error("could not load " + script.src));
      };
      document.head.appendChild(script);
    });
  }
  return globalThis.__casebookPlotly;
}

function pointInfo(p) {
  return {
    curve: p.curveNumber,
    index: p.pointNumber ?? p.pointIndex ?? null,
    x: p.x ?? null,
    y: p.y ?? null,
    customdata: p.customdata ?? null,
    label: p.label ?? null,
  };
}

async function render({ model, el }) {
  el.classList.add("casebook-chart");
  const plot = document.createElement("div");
  plot.className = "casebook-chart-plot";
  plot.style.height = model.get("height");
  el.appendChild(plot);

  // A chart in a tab or a section not open yet is drawn when it appears, not before: a
  // page opens sooner (03-communications holds five charts, none shown at first), and
  // plotly.js is loaded only once a chart is shown, or when the page has nothing else to do.
  const shown = () => plot.offsetWidth > 0;
  let Plotly = null;
  let stale = true; // the figure has changed since it was last drawn
  let wired = false;
  let failed = false;
  let drawing = Promise.resolve();

  const fail = (err) => {
    failed = true;
    plot.textContent = model.get("failure_text");
    plot.classList.add("casebook-chart-failed");
    console.warn(err);
  };

  const wire = () => {
    if (wired) return;
    wired = true;
    plot.on("plotly_click", (event) => {
      if (!event || !event.points || !event.points.length) return;
      model.set("clicked", { ...pointInfo(event.points[0]), n: Date.now() });
      model.save_changes();
    });
    plot.on("plotly_selected", (event) => {
      if (!event) return; // a click that selected nothing
      const points = (event.points || []).map(pointInfo);
      const range = event.range && event.range.x ? event.range.x.map(String) : [];
      // A selection without a range (plotly re-selecting after a redraw, a click) keeps the
      // brush; only a double click (plotly_deselect, below) clears it.
      model.set(range.length ? { selected: points, brush: range } : { selected: points });
      model.save_changes();
    });
    plot.on("plotly_deselect", () => {
      model.set({ selected: [], brush: [] });
      model.save_changes();
    });
  };

  const draw = () => {
    if (failed) return drawing;
    if (!shown()) {
      stale = true; // drawn when it appears (the ResizeObserver below)
      return drawing;
    }
    stale = false;
    // Draw one figure at a time: a newer figure waits for the one being drawn.
    let started = 0;
    drawing = drawing
      .then(async () => {
        if (!Plotly) {
          try {
            Plotly = await loadPlotly(model.get("lib_url"));
          } catch (err) {
            fail(err);
            return;
          }
        }
        const layer = model.get("layer") || {};
        const data = [...(model.get("base_data") || []), ...(layer.data || [])];
        const config = { ...CONFIG, ...(model.get("config") || {}) };
        started = performance.now();
        await Plotly.react(plot, data, layer.layout || {}, config);
        // How long plotly took, for benchmarks/trails.py.
        plot.setAttribute("data-draw-ms", String(Math.round(performance.now() - started)));
        plot.setAttribute("data-drawn", String(model.get("revision")));
        wire();
      })
      .catch((err) => console.warn("chart", err));
    return drawing;
  };
  await draw();
  if (stale) {
    // Not shown yet: have plotly.js ready for when it is, once the page is idle.
    const later = globalThis.requestIdleCallback || ((f) => setTimeout(f, 2000));
    later(() => loadPlotly(model.get("lib_url")).catch(() => {}));
  }

  // base_data and layer arrive in one message with the revision: draw once per revision.
  const onFigure = () => draw();
  const onHeight = () => {
    plot.style.height = model.get("height");
    if (Plotly && wired) Plotly.Plots.resize(plot);
  };
  model.on("change:revision", onFigure);
  model.on("change:config", onFigure);
  model.on("change:height", onHeight);

  // A chart that appears (its tab opened) is drawn now if it changed while hidden, and
  // sized again to its place otherwise.
  const observer = new ResizeObserver(() => {
    if (!shown()) return;
    if (stale) draw();
    else if (Plotly && wired) Plotly.Plots.resize(plot);
  });
  observer.observe(plot);

  return () => {
    observer.disconnect();
    model.off("change:revision", onFigure);
    model.off("change:config", onFigure);
    model.off("change:height", onHeight);
    if (Plotly) Plotly.purge(plot);
  };
}

export default { render };
