// Demo "ActivationDepth" (recap, claim C00b): histograms of every layer's activations in a deep
// fully connected network, for a chosen activation, weight initialisation and depth.
//
// A batch of unit-Gaussian inputs goes through `depth` layers of WIDTH units with weights drawn
// N(0, scale^2), scale from the initialisation (0.01, 1, Xavier 1/sqrt(n), He sqrt(2/n)), the
// experiment of trainlab.experiments.recap.activation_statistics at a size a phone computes in a
// few milliseconds. Layers are computed on demand and kept per (activation, init, seed), so a
// deeper slider position computes only the new layers and a shallower one only redraws; the
// view keeps every combination it has computed and, while the page is idle, computes the other
// menu combinations a layer at a time, so switching a menu is a redraw too (a menu switch that
// computes ten layers takes ~7 ms on a laptop, several times that on a phone).
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { gaussian } from "./rng.js";
import { makeView, plotRect, fitCanvas, drawAxes, drawPath, drawNote } from "./plot.js";
import { palette } from "./plot.js";
import {
  demoRoot, div, slider, choice, readout, liveRender, setTrait, plotPair, setLegend, clampHeight, fmtNum,
} from "./controls.js";

export const WIDTH = 64;
export const BATCH = 160;
export const MAX_DEPTH = 15;
export const BINS = 30;

export const ACTIVATIONS = Object.freeze({
  tanh: { label: "tanh", f: Math.tanh, range: [-1, 1] },
  sigmoid: { label: "sigmoid", f: (z) => 1 / (1 + Math.exp(-z)), range: [0, 1] },
  relu: { label: "ReLU", f: (z) => (z > 0 ? z : 0), range: [0, 3] },
});
export const INITS = Object.freeze({
  small: { label: "too small (0.01)", scale: () => 0.01 },
  large: { label: "too large (1)", scale: () => 1.0 },
  xavier: { label: "Xavier (1/√n)", scale: (n) => 1 / Math.sqrt(n) },
  he: { label: "He (√(2/n))", scale: (n) => Math.sqrt(2 / n) },
});

/** A net of up to MAX_DEPTH layers whose forward pass is computed layer by layer on demand:
 *  `net.upTo(depth)` returns the first `depth` layers, each with the standard deviation, the
 *  mean, the fraction of saturated units (within 0.01 of a bound of tanh/sigmoid; exactly 0 for
 *  ReLU) and a histogram of BINS counts over the activation's range (values beyond it in the end
 *  bins). Deeper layers reuse the ones already computed, so a depth slider costs one layer. */
export function activationNet({ activation, init, seed = 0 }) {
  if (!(activation in ACTIVATIONS)) throw new Error(`unknown activation "${activation}"`);
  if (!(init in INITS)) throw new Error(`unknown init "${init}"`);
  const { f, range } = ACTIVATIONS[activation];
  const scale = INITS[init].scale(WIDTH);
  const randn = gaussian(seed);
  let h = new Float64Array(BATCH * WIDTH);
  for (let i = 0; i < h.length; i++) h[i] = randn();
  const layers = [];
  const W = new Float64Array(WIDTH * WIDTH);
  const z = new Float64Array(WIDTH);
  function addLayer() {
    for (let i = 0; i < W.length; i++) W[i] = scale * randn();
    const next = new Float64Array(BATCH * WIDTH);
    for (let b = 0; b < BATCH; b++) {
      const row = b * WIDTH;
      z.fill(0);
      for (let k = 0; k < WIDTH; k++) {  // row-major: the inner loop runs along W's rows
        const v = h[row + k], wk = k * WIDTH;
        for (let j = 0; j < WIDTH; j++) z[j] += v * W[wk + j];
      }
      for (let j = 0; j < WIDTH; j++) next[row + j] = f(z[j]);
    }
    h = next;
    layers.push(summarise(h, activation, range));
  }
  return {
    activation, init, seed,
    get computed() { return layers.length; },
    upTo(depth) {
      const d = Math.max(1, Math.min(MAX_DEPTH, depth));
      while (layers.length < d) addLayer();
      return layers.slice(0, d);
    },
  };
}

/** The first `depth` layers' statistics (see activationNet). */
export function computeActivations({ activation, init, seed = 0, depth = MAX_DEPTH }) {
  return { activation, init, seed, layers: activationNet({ activation, init, seed }).upTo(depth) };
}

/** The demo's computation at a widget state, with its readout (the contract tests call it). */
export function compute(state) {
  const r = computeActivations(state);
  return { ...r, readout: describe(r, Math.min(state.depth ?? MAX_DEPTH, MAX_DEPTH)) };
}

function summarise(a, activation, [lo, hi]) {
  let s = 0, s2 = 0, sat = 0;
  const counts = new Array(BINS).fill(0);
  for (const v of a) {
    s += v;
    s2 += v * v;
    if (activation === "relu" ? v === 0 : v - lo < 0.01 || hi - v < 0.01) sat++;
    const k = Math.min(BINS - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * BINS)));
    counts[k]++;
  }
  const n = a.length, mean = s / n;
  return { mean, std: Math.sqrt(Math.max(0, s2 / n - mean * mean)), saturated: sat / n, counts };
}

function describe(r, depth) {
  const first = r.layers[0], last = r.layers[depth - 1];
  let text = `Layer 1: std ${fmtNum(first.std, 3)}; layer ${depth}: std ${fmtNum(last.std, 3)}`;
  if (depth > 1) {
    const per = (last.std / first.std) ** (1 / (depth - 1));
    text += ` (×${fmtNum(per, 3)} per layer)`;
  }
  const what = r.activation === "relu" ? "exactly zero" : "saturated (within 0.01 of a bound)";
  text += `; ${Math.round(100 * last.saturated)}% of the units in layer ${depth} are ${what}.`;
  if (last.std < 1e-3 * first.std) text += " The signal has collapsed: these layers pass nothing on.";
  return text;
}

// ------------------------------------------------------------------ view ----

/** The view's nets, one per (activation, init) at the current seed (a dozen, ~110 kB each; a
 *  new seed starts afresh). `warmOthers(state)` computes, in idle time and one layer at a time, all
 *  MAX_DEPTH layers of every menu combination at the state's seed, the shown one first. */
function netCache() {
  const nets = new Map();
  const idle = globalThis.requestIdleCallback || ((cb) => setTimeout(() => {
    const end = performance.now() + 8;
    cb({ timeRemaining: () => end - performance.now() });
  }, 50));
  let warming = null;  // the seed being warmed up, if any
  let current = null;

  function get({ activation, init, seed }) {
    if (seed !== current) {
      nets.clear();
      current = seed;
    }
    const key = `${activation}|${init}|${seed}`;
    if (!nets.has(key)) nets.set(key, activationNet({ activation, init, seed }));
    return nets.get(key);
  }
  function unfinished(state) {
    const combos = [[state.activation, state.init]];
    for (const a of Object.keys(ACTIVATIONS)) for (const i of Object.keys(INITS)) combos.push([a, i]);
    for (const [activation, init] of combos) {
      const net = get({ activation, init, seed: state.seed });
      if (net.computed < MAX_DEPTH) return net;
    }
    return null;
  }
  function warm(state, deadline) {
    if (warming !== state.seed) return;  // another seed's warm-up took over
    for (let net = unfinished(state); net; net = unfinished(state)) {
      if (deadline.timeRemaining() < 5) {
        idle((d) => warm(state, d));
        return;
      }
      net.upTo(net.computed + 1);
    }
    warming = null;
  }
  return {
    get,
    warmOthers(state) {
      if (warming === state.seed) return;
      warming = state.seed;
      const shown = { ...state };
      idle((d) => warm(shown, d));
    },
  };
}

const TRAITS = ["activation", "init", "depth", "seed"];

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-activation-depth" });
  const controls = div(root, "trainlab-controls");
  const set = (name) => (v) => setTrait(model, name, v);
  const menus = {
    activation: choice(controls, {
      name: "activation", label: "activation", value: model.get("activation"),
      options: Object.entries(ACTIVATIONS).map(([k, a]) => [k, a.label]), onInput: set("activation"),
    }),
    init: choice(controls, {
      name: "init", label: "weight initialisation", value: model.get("init"),
      options: Object.entries(INITS).map(([k, a]) => [k, a.label]), onInput: set("init"),
    }),
  };
  const depthSlider = slider(controls, {
    name: "depth", label: "depth (layers)", min: limits.depth[0], max: limits.depth[1], step: 1,
    value: model.get("depth"), format: String, onInput: set("depth"),
  });
  const plots = plotPair(root, {
    main: "Histogram of the activations of every layer, first layer at the top left",
    side: "Standard deviation of the activations against the layer, log scale",
    fraction: 0.62, minMain: 300, minSide: 200,
  });
  const text = readout(root);
  const nets = netCache();

  function redraw(state) {
    menus.activation.set(state.activation);
    menus.init.set(state.init);
    depthSlider.set(state.depth);
    const net = nets.get(state);
    nets.warmOthers(state);
    const data = { activation: state.activation, init: state.init, layers: net.upTo(state.depth) };
    const colors = palette(root);
    const { wide, mainW, sideW } = plots.layout();
    const cols = mainW < 360 ? 3 : 5;
    const rows = Math.ceil(state.depth / cols);
    const h = clampHeight(rows * 74 + 8, 90, 420);
    drawHistograms(fitCanvas(plots.main.canvas, mainW, h), mainW, h, data, state.depth, cols, colors);
    setLegend(plots.main.legend, [{ label: `${ACTIVATIONS[state.activation].label}, ${INITS[state.init].label}`, color: colors.method(`init_${state.init}`).color }]);
    const sh = wide ? h : clampHeight(sideW * 0.6, 160, 260);
    drawStd(fitCanvas(plots.side.canvas, sideW, sh), sideW, sh, data, state.depth, colors, plots.side.legend, state.init);
    text.textContent = describe(data, state.depth);
  }

  return liveRender(root, model, TRAITS, redraw);
}

function drawHistograms(ctx, width, height, r, depth, cols, colors) {
  ctx.clearRect(0, 0, width, height);
  const [lo, hi] = ACTIVATIONS[r.activation].range;
  const cw = width / cols, ch = 74;
  const { color } = colors.method(`init_${r.init}`);
  ctx.font = "11px system-ui, sans-serif";
  for (let l = 0; l < depth; l++) {
    const x0 = (l % cols) * cw + 4, y0 = Math.floor(l / cols) * ch + 4;
    const w = cw - 8, hgt = ch - 22;
    const counts = r.layers[l].counts;
    const peak = Math.max(...counts, 1);
    ctx.fillStyle = color;
    for (let b = 0; b < BINS; b++) {
      const bh = (counts[b] / peak) * hgt;
      ctx.fillRect(x0 + (b * w) / BINS, y0 + hgt - bh, Math.max(1, w / BINS - 0.5), bh);
    }
    ctx.strokeStyle = colors.muted;
    ctx.beginPath();
    ctx.moveTo(x0, y0 + hgt + 0.5);
    ctx.lineTo(x0 + w, y0 + hgt + 0.5);
    ctx.stroke();
    ctx.fillStyle = colors.muted;
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText(`L${l + 1}  std ${fmtNum(r.layers[l].std, 2)}`, x0, y0 + hgt + 2);
  }
  ctx.textAlign = "right";
  ctx.fillText(`range ${lo} … ${hi}`, width - 4, height - 12);
}

function drawStd(ctx, width, height, r, depth, colors, legend, init) {
  ctx.clearRect(0, 0, width, height);
  const stds = r.layers.slice(0, depth).map((l) => Math.max(l.std, 1e-12));
  let y0 = Math.min(...stds), y1 = Math.max(...stds);
  y0 = 10 ** Math.floor(Math.log10(y0));
  y1 = 10 ** Math.ceil(Math.log10(y1 * 1.01));
  if (y1 <= y0) y1 = y0 * 10;
  const view = makeView([1, Math.max(2, depth), y0, y1], plotRect(width, height, { left: 50 }), { logY: true });
  drawAxes(ctx, view, colors, { xlabel: "layer", ylabel: "std" });
  const style = colors.method(`init_${init}`);
  drawPath(ctx, view, stds.map((s, i) => [i + 1, s]), { color: style.color, dots: true });
  if (depth === 1) drawNote(ctx, view.rect, "add layers to see a trend", colors.muted);
  setLegend(legend, [{ label: "std of activations", color: style.color }]);
}

export default { render };
