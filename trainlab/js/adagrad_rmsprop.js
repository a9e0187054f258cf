// Demo "AdagradVsRmsprop" (chapter 3, claims C13 and C14): the effective per-coordinate step
// lr / (sqrt(cache) + eps) of AdaGrad and RMSProp over a long run.
//
// AdaGrad's cache is the running SUM of squared gradients, so it never shrinks and its effective
// step only falls (like lr / (sigma sqrt(t)) under steady gradient noise sigma): the run stalls.
// RMSProp's cache is a leaky average (decay_rate), so its effective step settles near
// lr / (typical |gradient|). Both use optim.js's rules; the effective step is read from the
// state after each step, as trainlab/experiments/adaptive.py reads torch.optim's `sum` and
// `square_avg`. Gradient noise (seeded, rng.js) is the same sequence for both.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { resolveHyper, diverged } from "./optim.js";
import { getSurface } from "./surfaces.js";
import { noiseArray } from "./rng.js";
import {
  palette, makeView, plotRect, fitCanvas, sampleGrid, quantileLevels, contourSegments,
  drawContours, drawPath, drawMarker, drawAxes, drawLineChart, layerCache, blit,
} from "./plot.js";
import {
  demoRoot, div, slider, gridSlider, choice, niceLadder, readout, liveRender, setTrait, fmtInt, fmtNum,
  plotPair, setLegend, clampHeight,
} from "./controls.js";

/** The set-ups on offer: a surface, its parameters and a start point. */
export const SETUPS = Object.freeze({
  saddle: { surface: "saddle", params: {}, start: [-1.5, 0], label: "saddle (start on its stable axis)" },
  quadratic: { surface: "quadratic", params: {}, start: [-9, 2.5], label: "ill-conditioned quadratic" },
  bowl: { surface: "quadratic", params: { a: 1, b: 1 }, start: [1, 1], label: "round bowl |w|²" },
});
export const SETUP_NAMES = Object.keys(SETUPS);
export const LR_GRID = niceLadder(1e-3, 1);
export const DECAY_GRID = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999, 0.9995, 0.9999];
export const STEPS_GRID = [100, 200, 500, 1000, 2000, 5000, 10000];
export const METHODS = ["adagrad", "rmsprop"];
const NAMES = { adagrad: "AdaGrad", rmsprop: "RMSProp" };

/** Least-squares slope of log(y) against log(t) over t = from..to (1-based indices into ys). */
export function logLogSlope(ys, from, to) {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let t = from; t <= to; t++) {
    const x = Math.log(t), y = Math.log(ys[t - 1]);
    n++; sx += x; sy += y; sxx += x * x; sxy += x * y;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

/** One method's run: path, final loss, and the effective step per coordinate after each step t = 1..T
 *  (`effective[t-1] = [e1, e2]`). Stops early if the path diverges.
 *  The update is optim.js's adagrad/rmsprop rule written out without per-step allocation (runs
 *  of 10^4 steps per slider event); the same floating-point operations in the same order, so
 *  tests hold it to optim.js and torch.optim. */
export function runMethod(setup, method, hyper, steps, noise) {
  if (!METHODS.includes(method)) throw new Error(`runMethod: method must be adagrad or rmsprop, not "${method}"`);
  const cfg = SETUPS[setup];
  const s = getSurface(cfg.surface, cfg.params);
  const h = resolveHyper(method, hyper);
  const lr = h.learning_rate, eps = h.epsilon, d = h.decay_rate;
  const leaky = method === "rmsprop";
  let x = cfg.start[0], y = cfg.start[1], cx = 0, cy = 0;
  const path = [[x, y]], effective = [];
  for (let k = 0; k < steps; k++) {
    let [gx, gy] = s.grad(x, y);
    if (noise) { gx = gx + noise[k][0]; gy = gy + noise[k][1]; }
    // optim.js: adagrad c + g*g; rmsprop c*d + (1 - d)*g*g; then w + (-lr*g) / (sqrt(c) + eps)
    if (leaky) { cx = cx * d + (1 - d) * gx * gx; cy = cy * d + (1 - d) * gy * gy; }
    else { cx = cx + gx * gx; cy = cy + gy * gy; }
    const nx = x + (-lr * gx) / (Math.sqrt(cx) + eps), ny = y + (-lr * gy) / (Math.sqrt(cy) + eps);
    if (diverged([nx, ny])) break;
    effective.push([lr / (Math.sqrt(cx) + eps), lr / (Math.sqrt(cy) + eps)]);
    x = nx; y = ny;
    path.push([x, y]);
  }
  return { method, path, effective, finalLoss: s.loss(x, y), diverged: path.length < steps + 1 };
}

/** One redraw: both runs, the late-run log-log slope of each effective step (geometric mean over
 *  the coordinates; -0.5 is AdaGrad's 1/sqrt(t), 0 is settled) and the readout. */
export function computeEffectiveSteps({ setup, learning_rate, decay_rate, noise_std = 0, seed = 0, steps = 2000 }) {
  if (!(setup in SETUPS)) {
    throw new Error(`unknown set-up "${setup}"; choose one of ${SETUP_NAMES.join(", ")}`);
  }
  const noise = noise_std > 0 ? noiseArray(seed, steps, 2, noise_std) : null;
  const runs = {
    adagrad: runMethod(setup, "adagrad", { learning_rate }, steps, noise),
    rmsprop: runMethod(setup, "rmsprop", { learning_rate, decay_rate }, steps, noise),
  };
  for (const r of Object.values(runs)) {
    const T = r.effective.length;
    const mean = r.effective.map(([a, b]) => Math.sqrt(a * b));
    r.slope = T >= 4 ? logLogSlope(mean, Math.max(1, Math.floor(T / 2)), T) : null;
    r.final = T ? r.effective[T - 1] : null;
  }
  const s = getSurface(SETUPS[setup].surface, SETUPS[setup].params);
  return { setup, lr: learning_rate, decayRate: decay_rate, noiseStd: noise_std, seed, steps, noise, runs,
    readout: describe(runs, steps, s) };
}

function verdict(slope) {
  if (slope < -0.2) return "still shrinking";
  if (slope < -0.05) return "shrinking slowly";
  if (slope <= 0.05) return "settled";
  return "growing (the gradients it averages have shrunk)";
}

function describe(runs, steps, surface) {
  const parts = [`After ${fmtInt(steps)} steps the effective steps lr/(√cache + ε) are`];
  const each = METHODS.map((m) => {
    const r = runs[m];
    if (r.diverged) return `${NAMES[m]}: diverged after ${fmtInt(r.path.length - 1)} steps`;
    if (r.slope === null) return `${NAMES[m]} ${fmtNum(r.final[0], 2)} (w1) and ${fmtNum(r.final[1], 2)} (w2)`;
    return `${NAMES[m]} ${fmtNum(r.final[0], 2)} (w1) and ${fmtNum(r.final[1], 2)} (w2), ` +
      `${verdict(r.slope)} (log-log slope ${r.slope.toFixed(2)} over the second half)`;
  });
  let text = `${parts[0]}: ${each.join("; ")}.`;
  const ok = METHODS.filter((m) => !runs[m].diverged);
  if (ok.length) {
    text += " Loss at the end: " + ok.map((m) => {
      return `${NAMES[m]} ${fmtNum(runs[m].finalLoss, 3)}`;
    }).join(", ") + (surface.name === "saddle" ? " (saddle 0, minima −0.25)." : " (minimum 0).");
  }
  return text;
}

/** The demo's whole computation from its traits (the contract tests call it in node). */
export const compute = computeEffectiveSteps;

// ------------------------------------------------------------------ view ----

const TRAITS = ["setup", "learning_rate", "decay_rate", "noise_std", "seed", "steps"];

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-compact trainlab-adagrad-rmsprop" });
  const controls = div(root, "trainlab-controls");
  const set = (name) => (v) => setTrait(model, name, v);
  const sliders = {
    setup: choice(controls, {
      name: "setup", label: "surface", options: SETUP_NAMES.map((n) => [n, SETUPS[n].label]),
      value: model.get("setup"), onInput: set("setup"),
    }),
    learning_rate: gridSlider(controls, {
      name: "learning_rate", label: "learning rate", grid: LR_GRID, value: model.get("learning_rate"),
      format: (v) => fmtNum(v, 3), onInput: set("learning_rate"),
    }),
    decay_rate: gridSlider(controls, {
      name: "decay_rate", label: "RMSProp decay", grid: DECAY_GRID, value: model.get("decay_rate"),
      format: (v) => String(v), onInput: set("decay_rate"),
    }),
    noise_std: slider(controls, {
      name: "noise_std", label: "gradient noise σ", min: limits.noise_std[0], max: limits.noise_std[1],
      step: 0.05, value: model.get("noise_std"), format: (v) => v.toFixed(2), onInput: set("noise_std"),
    }),
    seed: slider(controls, {
      name: "seed", label: "noise seed", min: limits.seed[0], max: limits.seed[1], step: 1,
      value: model.get("seed"), onInput: set("seed"),
    }),
    steps: gridSlider(controls, {
      name: "steps", label: "steps", grid: STEPS_GRID, value: model.get("steps"),
      format: (v) => fmtInt(v), onInput: set("steps"),
    }),
  };
  const plots = plotPair(root, {
    main: "AdaGrad and RMSProp paths over the contours of the surface",
    side: "Effective per-coordinate step against the step, log-log",
    fraction: 0.5, minMain: 260, minSide: 260,
  });
  const text = readout(root);
  const layers = layerCache();

  function redraw(state) {
    for (const k of Object.keys(sliders)) sliders[k].set(state[k]);
    sliders.seed.setDisabled(!(state.noise_std > 0));
    const r = computeEffectiveSteps(state);
    const colors = palette(root);
    const { wide, mainW, sideW } = plots.layout();
    const cfg = SETUPS[state.setup];
    const surface = getSurface(cfg.surface, cfg.params);
    const [x0, x1, y0, y1] = surface.window;
    const h = clampHeight(mainW * ((y1 - y0) / (x1 - x0)), 220, 380);
    drawMain(fitCanvas(plots.main.canvas, mainW, h), mainW, h, r, surface, cfg, colors, layers, plots.main.legend);
    const sh = wide ? Math.max(h, 260) : 240;
    drawEffective(fitCanvas(plots.side.canvas, sideW, sh), sideW, sh, r, colors, plots.side.legend);
    text.textContent = r.readout;
  }

  return liveRender(root, model, TRAITS, redraw);
}

/** At most ~n points of a long path, always keeping the last (drawing 10^4 points per event
 *  would cost more than the run itself). */
function thin(path, n = 1500) {
  if (path.length <= n) return path;
  const stride = Math.ceil(path.length / n);
  const out = path.filter((_, k) => k % stride === 0);
  if (out[out.length - 1] !== path[path.length - 1]) out.push(path[path.length - 1]);
  return out;
}

function drawMain(ctx, width, height, r, surface, cfg, colors, layers, legend) {
  const view = makeView(surface.window, plotRect(width, height));
  ctx.clearRect(0, 0, width, height);
  blit(ctx, layers.get(`${r.setup}|${colors.fg}`, width, height, (lctx) => {
    drawAxes(lctx, view, colors, { xlabel: "w1", ylabel: "w2" });
    const nx = 110, ny = 90;
    const z = sampleGrid(surface.loss, surface.window, nx, ny);
    drawContours(lctx, view, contourSegments(z, surface.window, nx, ny, quantileLevels(z, 16)), colors.contour);
  }));
  const items = [];
  for (const m of METHODS) {
    const run = r.runs[m], { color, dash } = colors.method(m, 1.5);
    drawPath(ctx, view, thin(run.path), { color, dash, width: 1.5 });
    drawMarker(ctx, view, run.path[run.path.length - 1], { shape: "dot", color, size: 4 });
    items.push({ label: NAMES[m] + (run.diverged ? " (diverged)" : ""), color, dash });
  }
  drawMarker(ctx, view, cfg.start, { shape: "ring", color: colors.fg, size: 4 });
  items.push({ label: "start", color: colors.fg, shape: "ring" });
  setLegend(legend, items);
}

/** Indices 1..T spaced evenly in log t (plus the ends): enough for a smooth log-log curve. */
function logIndices(T, n = 300) {
  const out = new Set([1, T]);
  for (let k = 0; k <= n; k++) out.add(Math.max(1, Math.min(T, Math.round(T ** (k / n)))));
  return [...out].sort((a, b) => a - b);
}

function drawEffective(ctx, width, height, r, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 52, right: 14, top: 12 });
  const series = [];
  let lo = Infinity, hi = -Infinity;
  for (const m of METHODS) {
    const eff = r.runs[m].effective;
    if (!eff.length) continue;
    const idx = logIndices(eff.length);
    for (const c of [0, 1]) {
      const points = idx.map((t) => [t, eff[t - 1][c]]);
      for (const [, y] of points) { if (y < lo) lo = y; if (y > hi) hi = y; }
      series.push({ points, color: colors.method(m).color, width: c === 0 ? 2 : 1.3, dash: c === 0 ? null : [5, 3] });
    }
  }
  if (!(hi >= lo)) { lo = 1e-3; hi = 1; }
  const bottom = 10 ** Math.floor(Math.log10(lo)), top = 10 ** Math.ceil(Math.log10(hi * 1.01));
  drawLineChart(ctx, rect, [1, r.steps, bottom, Math.max(top, bottom * 100)], series, colors,
    { logX: true, logY: true, xlabel: "step t", ylabel: "lr / (√cache + ε)" });
  setLegend(legend, [
    { label: "AdaGrad", color: colors.method("adagrad").color },
    { label: "RMSProp", color: colors.method("rmsprop").color },
    { label: "w1", color: colors.fg },
    { label: "w2", color: colors.fg, dash: [5, 3] },
  ]);
}

export default { render };
