// DOM building blocks shared by the demos. The conventions the browser tests rely on live here:
// the root has class `trainlab-demo`; every control is an <input type="range"> inside a <label>
// with its visible name and an <output> showing its value; `.trainlab-readout` states the result
// in words (and is announced to screen readers when it changes).

let uid = 0;

/** The demo's root element, emptied and appended to `el`. */
export function demoRoot(el, { title, className = "" } = {}) {
  el.replaceChildren();
  const root = document.createElement("div");
  root.className = `trainlab-demo ${className}`.trim();
  if (title) {
    const h = document.createElement("div");
    h.className = "trainlab-title";
    h.textContent = title;
    root.append(h);
  }
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
 *  log10 for a log-scale slider); `format` gives the visible and spoken value text.
 *  Returns {input, output, set(value)}; `set` updates the slider without firing onInput. */
export function slider(parent, { name, label, min, max, step, value, format = String,
  toSlider = (v) => v, fromSlider = (s) => s, onInput }) {
  const id = `trainlab-${name}-${++uid}`;
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
  wrap.append(text, input, output);
  parent.append(wrap);
  const show = (v) => {
    output.textContent = format(v);
    input.setAttribute("aria-valuetext", format(v));
  };
  const set = (v) => {
    input.value = String(toSlider(v));
    show(v);
  };
  set(value);
  input.addEventListener("input", () => {
    const v = fromSlider(Number(input.value));
    show(v);
    onInput(v);
  });
  return { input, output, set };
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
