// DOM building blocks shared by the demos. The conventions the browser tests rely on live here:
// the root is a `section.trainlab-demo` named by its title; every control sits inside a <label>
// with its visible name: an <input type="range"> with an <output> showing its value (numbers),
// a <select> (a choice among named options) or an <input type="checkbox"> (on/off); a control
// that cannot change anything in the current state (e.g. the hyperparameters of an optimizer
// that is switched off) is `disabled`; `.trainlab-readout` states the result in words (and is
// announced to screen readers). Plots are canvases with a text label, each under an HTML
// legend (`.trainlab-legend`), so a legend never covers data and reflows on a phone.

/** A page-unique id. Every demo module is its own copy of this file (each widget bundles it),
 *  so the counter lives on the page's global object, not in the module. */
export function nextId(name) {
  const n = (globalThis.__trainlabIds = (globalThis.__trainlabIds || 0) + 1);
  return `trainlab-${String(name).replace(/[^\w-]/g, "_")}-${n}`;
}

/** The demo's root element, emptied and appended to `el`: a region named by its visible
 *  `title` (required: a reader scanning the page, or a screen reader's list of regions, needs
 *  to know what the demo is before reading its controls). */
export function demoRoot(el, { title, className = "" } = {}) {
  if (!title || !String(title).trim()) throw new Error("demoRoot: every demo needs a title");
  el.replaceChildren();
  const root = document.createElement("section");
  root.className = `trainlab-demo ${className}`.trim();
  const h = document.createElement("p");
  h.className = "trainlab-title";
  h.id = nextId("title");
  h.textContent = title;
  root.setAttribute("aria-labelledby", h.id);
  root.append(h);
  el.append(root);
  return root;
}

export function div(parent, className) {
  const d = document.createElement("div");
  d.className = className;
  parent.append(d);
  return d;
}

/** A labelled range slider. `toSlider`/`fromSlider` map model values to slider positions (e.g.
 *  log10 for a log-scale slider); `format` gives the visible and spoken value text; `ariaLabel`
 *  names it for screen readers when the visible label is short (e.g. "lr" in a row "Adam").
 *  Returns {input, output, wrap, set(value), setDisabled(bool)}; `set` updates the slider
 *  without firing onInput. */
export function slider(parent, { name, label, min, max, step, value, format = String,
  toSlider = (v) => v, fromSlider = (s) => s, onInput, ariaLabel = null }) {
  const id = nextId(name);
  const wrap = document.createElement("label");
  wrap.className = "trainlab-control";
  wrap.htmlFor = id;
  const text = document.createElement("span");
  text.className = "trainlab-label";
  text.textContent = label;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.name = name;
  input.min = String(min);
  input.max = String(max);
  input.step = String(step);
  const output = document.createElement("output");
  output.htmlFor = id;
  output.className = "trainlab-value";
  if (ariaLabel) input.setAttribute("aria-label", ariaLabel);
  wrap.append(text, input, output);
  parent.append(wrap);
  let shown = null;
  const show = (v) => {
    const t = format(v);
    if (t === shown) return; // redraws call set() for every slider: skip DOM writes that change nothing
    shown = t;
    output.textContent = t;
    input.setAttribute("aria-valuetext", t);
  };
  const set = (v) => {
    const position = String(toSlider(v));
    if (input.value !== position) input.value = position;
    show(v);
  };
  set(value);
  input.addEventListener("input", () => {
    const v = fromSlider(Number(input.value));
    show(v);
    onInput(v);
  });
  return { input, output, wrap, set, setDisabled: (off) => setDisabled(wrap, input, off) };
}

/** A labelled on/off switch (a checkbox; screen readers announce its state). `swatch` is an
 *  optional {color, dash} (or colour) drawn before the label: the line the switch controls.
 *  Returns {input, wrap, set(bool)}; `set` does not fire onInput. */
export function toggle(parent, { name, label, value, onInput, swatch = null }) {
  const id = nextId(name);
  const wrap = document.createElement("label");
  wrap.className = "trainlab-control trainlab-toggle";
  wrap.htmlFor = id;
  const input = document.createElement("input");
  input.type = "checkbox";
  input.id = id;
  input.name = name;
  input.checked = !!value;
  wrap.append(input);
  if (swatch) {
    const sw = document.createElement("span");
    sw.className = "trainlab-swatch";
    sw.innerHTML = swatchSvg(typeof swatch === "string" ? { color: swatch } : swatch);
    wrap.append(sw);
  }
  const text = document.createElement("span");
  text.className = "trainlab-label";
  text.textContent = label;
  wrap.append(text);
  parent.append(wrap);
  // A click fires both `input` and `change`; listen to one so a click is one event.
  input.addEventListener("change", () => onInput(input.checked));
  return {
    input, wrap,
    set: (v) => { if (input.checked !== !!v) input.checked = !!v; },
  };
}

/** A labelled menu of named options (a <select>: keyboard and screen readers work natively).
 *  `options` = [[value, text], ...]; values may be strings or numbers (the model's type is
 *  kept). Returns {input, wrap, set(value), setDisabled(bool)}; `set` does not fire onInput. */
export function choice(parent, { name, label, options, value, onInput }) {
  const id = nextId(name);
  const wrap = document.createElement("label");
  wrap.className = "trainlab-control trainlab-choice";
  wrap.htmlFor = id;
  const text = document.createElement("span");
  text.className = "trainlab-label";
  text.textContent = label;
  const input = document.createElement("select");
  input.id = id;
  input.name = name;
  const values = options.map(([v]) => v);
  options.forEach(([v, t], k) => {
    const o = document.createElement("option");
    o.value = String(k);
    o.textContent = t;
    input.append(o);
  });
  wrap.append(text, input);
  parent.append(wrap);
  const set = (v) => {
    const k = values.findIndex((x) => x === v);
    if (k >= 0 && input.value !== String(k)) input.value = String(k);
  };
  set(value);
  input.addEventListener("change", () => onInput(values[Number(input.value)]));
  return { input, wrap, set, setDisabled: (off) => setDisabled(wrap, input, off) };
}

/** Grey out (and take out of the tab order) a control that can change nothing right now. */
export function setDisabled(wrap, input, off) {
  if (input.disabled === !!off) return;
  input.disabled = !!off;
  wrap.classList.toggle("trainlab-disabled", !!off);
}

/** A slider over a fixed list of nice values (positions 0..n-1): the model value is any number
 *  within the grid's range; the slider shows the nearest grid position, the output the value. */
export function gridSlider(parent, { grid, value, format = String, ...rest }) {
  const nearest = (v) => {
    let best = 0;
    for (let k = 1; k < grid.length; k++) {
      if (Math.abs(grid[k] - v) < Math.abs(grid[best] - v)) best = k;
    }
    return best;
  };
  return slider(parent, {
    ...rest, min: 0, max: grid.length - 1, step: 1, value, format,
    toSlider: nearest, fromSlider: (s) => grid[Math.max(0, Math.min(grid.length - 1, Math.round(s)))],
  });
}

/** A 1-2-3-5-7 ladder of nice values from `lo` to `hi` (inclusive where they are on it), e.g.
 *  learning rates: 1e-4, 1.5e-4, 2e-4, 3e-4, 5e-4, 7e-4, 1e-3, ... */
export function niceLadder(lo, hi, mantissas = [1, 1.5, 2, 3, 5, 7]) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) {
      const v = +(m * 10 ** e).toPrecision(3);
      if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) out.push(v);
    }
  }
  return out;
}

/** The result sentence under a demo. */
export function readout(parent) {
  const p = document.createElement("p");
  p.className = "trainlab-readout";
  p.setAttribute("aria-live", "polite");
  parent.append(p);
  return p;
}

/** A canvas with a text alternative (the readout says the same in words). */
export function canvas(parent, label, className = "trainlab-canvas") {
  const c = document.createElement("canvas");
  c.className = className;
  c.setAttribute("role", "img");
  c.setAttribute("aria-label", label);
  parent.append(c);
  return c;
}

/** Wire a demo's `redraw(state)` to its model: any change of one of `traits`, of the root's width
 *  or of the page theme redraws with the current trait values. `root.dataset.redrawMs` records
 *  how long the last redraw took (the benchmarks read it); a redraw that returns false skipped
 *  its work and leaves it alone. Returns anywidget's clean-up function. */
export function liveRender(root, model, traits, redraw) {
  function update() {
    const t0 = performance.now();
    const state = Object.fromEntries(traits.map((k) => [k, model.get(k)]));
    if (redraw(state) === false) return;
    root.dataset.redrawMs = (performance.now() - t0).toFixed(3);
  }
  for (const k of traits) model.on(`change:${k}`, update);
  const stop = watchLayout(root, update);
  update();
  return stop;
}

/** Call `redraw` when the root's width changes or the page switches light/dark theme.
 *  Returns a function that stops watching (for the view's cleanup). */
export function watchLayout(root, redraw) {
  let width = -1;
  const ro = new ResizeObserver(() => {
    const w = Math.round(root.clientWidth);
    if (w !== width) {
      width = w;
      redraw();
    }
  });
  ro.observe(root);
  // Theme switches change attributes on <html>/<body> (pydata-sphinx-theme: data-theme;
  // JupyterLab: data-jp-theme-light on body): redraw so canvas colours follow the text colour.
  const mo = new MutationObserver(() => redraw());
  for (const node of [document.documentElement, document.body]) {
    if (node) mo.observe(node, { attributes: true, attributeFilter: ["data-theme", "data-jp-theme-light", "data-mode"] });
  }
  const media = globalThis.matchMedia && matchMedia("(prefers-color-scheme: dark)");
  media && media.addEventListener && media.addEventListener("change", redraw);
  return () => {
    ro.disconnect();
    mo.disconnect();
    media && media.removeEventListener && media.removeEventListener("change", redraw);
  };
}

/** A plot: an HTML legend above a canvas with a text alternative, in a `.trainlab-plot` box.
 *  Returns {box, legend, canvas}; fill the legend with setLegend. */
export function plot(parent, label) {
  const box = div(parent, "trainlab-plot");
  const legend = document.createElement("ul");
  legend.className = "trainlab-legend";
  box.append(legend);
  return { box, legend, canvas: canvas(box, label) };
}

/** Two plots that sit side by side when the demo is wide enough for both (the main plot gets
 *  `fraction` of the width, neither less than its minimum) and one above the other otherwise.
 *  `layout()` (call it in redraw) sets the arrangement from the root's current width and returns
 *  {wide, mainW, sideW}: the CSS widths to draw at, measured from the laid-out boxes, so the
 *  canvases fill their boxes exactly and never overflow the column. */
export function plotPair(root, { main, side, fraction = 0.6, minMain = 300, minSide = 220 } = {}) {
  const box = div(root, "trainlab-plots");
  const a = plot(box, main), b = plot(box, side);
  box.style.setProperty("--trainlab-main", `${fraction}fr`);
  box.style.setProperty("--trainlab-side", `${1 - fraction}fr`);
  return {
    box, main: a, side: b,
    layout() {
      const gap = 16, width = box.clientWidth || root.clientWidth;
      const wide = width * fraction - gap / 2 >= minMain && width * (1 - fraction) - gap / 2 >= minSide;
      box.classList.toggle("trainlab-wide", wide);
      const w = (p) => Math.max(120, Math.floor(p.box.clientWidth));
      return { wide, mainW: w(a), sideW: w(b) };
    },
  };
}

/** Fill a plot's HTML legend: items = [{label, color, dash, shape}] where shape is "line"
 *  (default: a line in the series' colour and dashes) or a marker ("dot", "ring", "star",
 *  "cross"). Rewrites the DOM only when the items change (redraws call it every time). */
export function setLegend(ul, items) {
  const key = JSON.stringify(items);
  if (ul.dataset.items === key) return;
  ul.dataset.items = key;
  ul.replaceChildren(...items.map((it) => {
    const li = document.createElement("li");
    li.innerHTML = swatchSvg(it);
    const t = document.createElement("span");
    t.textContent = it.label;
    li.append(t);
    return li;
  }));
}

const MARKS = {
  dot: '<circle cx="11" cy="6" r="3.5" fill="%C%"/>',
  ring: '<circle cx="11" cy="6" r="3.5" fill="none" stroke="%C%" stroke-width="1.6"/>',
  star: '<path d="M11 1.5l1.4 3.1 3.3.3-2.5 2.2.8 3.3-3-1.8-3 1.8.8-3.3-2.5-2.2 3.3-.3z" fill="%C%"/>',
  cross: '<path d="M7.5 2.5l7 7M7.5 9.5l7-7" stroke="%C%" stroke-width="1.6"/>',
};

function swatchSvg({ color, dash, shape = "line" }) {
  const c = String(color).replace(/"/g, "");
  const body = shape === "line" || !MARKS[shape]
    ? `<line x1="0" y1="6" x2="22" y2="6" stroke="${c}" stroke-width="2"` +
      (dash && dash.length ? ` stroke-dasharray="${dash.join(" ")}"` : "") + "/>"
    : MARKS[shape].replaceAll("%C%", c);
  return `<svg width="22" height="12" viewBox="0 0 22 12" aria-hidden="true" focusable="false">${body}</svg>`;
}

/** The widths of a demo's two plots: side by side when the demo is at least 620 px wide (the
 *  main plot gets `fraction` of the width), one above the other at full width otherwise.
 *  Kept for demos drawn on a single canvas; two-plot demos use plotPair. */
export function splitWidth(root, fraction) {
  const width = Math.max(240, root.clientWidth);
  const wide = width >= 620;
  const mainW = wide ? Math.floor(width * fraction) - 8 : width;
  return { width, wide, mainW, sideW: wide ? width - mainW - 16 : width };
}

/** A canvas height in whole pixels, `h` kept between `lo` and `hi`. */
export function clampHeight(h, lo, hi) {
  return Math.round(Math.min(hi, Math.max(lo, h)));
}

/** Push a slider's value to the model. In the static page there is no kernel: save_changes is
 *  then a no-op (the html-manager's models have no live comm), and the view redraws from the
 *  model's change event either way. */
export function setTrait(model, name, value) {
  model.set(name, value);
  model.save_changes();
}

/** Thousands separators, independent of the reader's locale (tests read the text). */
export function fmtInt(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function fmtNum(v, digits = 3) {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(1);
  return (+v.toPrecision(digits)).toString();
}
