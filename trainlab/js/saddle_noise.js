// Demo "SaddleNoise" (chapter 1, claims C06/C07): where plain gradient descent stalls and what
// minibatch noise does about it.
//
// Surfaces (trainlab/surfaces.py): "saddle", L = a*w1^2 + b*(w2^4/4 - w2^2/2), started on the
// saddle's stable manifold w2 = 0, where the exact gradient never points off the line, so GD
// walks straight into the saddle point and stops; and "double_well", started above the shallow
// local minimum, which GD settles into. SGD is modelled as the exact gradient plus Gaussian
// noise of standard deviation noise_std / sqrt(batch_size) per coordinate (the spread of a mean
// over B independent samples); the noise comes from a seeded generator, so a seed replays a path.
// batch_size null means the full batch: no noise, SGD is GD.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { run } from "./optim.js";
import { getSurface } from "./surfaces.js";
import { noiseArray } from "./rng.js";
import { palette, makeView, plotRect, drawPath, drawMarker, drawLineChart, layerCache } from "./plot.js";
import {
  demoRoot, div, slider, choice, readout, liveRender, plotPair, setLegend, setTrait, fmtNum,
} from "./controls.js";
import { drawContourLayer, fitSurfacePair } from "./surface_view.js";

/** Per surface: the start point and the name shown to the reader. */
export const SETUPS = Object.freeze({
  saddle: { start: [-1.5, 0.0], label: "saddle" },
  double_well: { start: [1.8, 0.8], label: "double well" },
});
export const SURFACE_NAMES = Object.keys(SETUPS);

/** Stationary points of the demo surfaces in closed form (saddle) or by bisection on the
 *  cubic w1^3 - w1 + tilt (double well): [{point, kind}] with kind "saddle point",
 *  "minimum", "global minimum" or "local minimum". */
export function criticalPoints(surfaceName, params) {
  const s = getSurface(surfaceName, params);
  let pts;
  if (surfaceName === "saddle") {
    // grad = (2a w1, b (w2^3 - w2)): w1 = 0, w2 in {0, +-1}; curvature along w2 is b (3w2^2 - 1).
    pts = [[0, 0], [0, 1], [0, -1]].map((p) => ({ point: p, isMin: p[1] !== 0 }));
  } else if (surfaceName === "double_well") {
    const f = (x) => x ** 3 - x + s.params.tilt;
    const roots = [];
    for (let k = 0; k < 600; k++) {
      let lo = -3 + k * 0.01, hi = lo + 0.01;
      if (f(lo) === 0) roots.push(lo);
      else if (f(lo) * f(hi) < 0) {
        for (let it = 0; it < 80; it++) {
          const mid = (lo + hi) / 2;
          if (f(lo) * f(mid) <= 0) hi = mid; else lo = mid;
        }
        roots.push((lo + hi) / 2);
      }
    }
    pts = roots.map((x) => ({ point: [x, 0], isMin: 3 * x * x - 1 > 0 }));
  } else {
    throw new Error(`SaddleNoise knows the stationary points of ${SURFACE_NAMES.join(" and ")} only, not "${surfaceName}"`);
  }
  const minLoss = Math.min(...pts.filter((p) => p.isMin).map((p) => s.loss(...p.point)));
  const minima = pts.filter((p) => p.isMin);
  const distinct = minima.some((p) => Math.abs(s.loss(...p.point) - minLoss) > 1e-9);
  return pts.map(({ point, isMin }) => ({
    point,
    loss: s.loss(...point),
    kind: !isMin ? "saddle point"
      : !distinct ? "minimum"
        : Math.abs(s.loss(...point) - minLoss) <= 1e-9 ? "global minimum" : "local minimum",
  }));
}

/** Where a path ended, in words and data: {kind, point, loss, text}. */
export function describeEnd(path, steps, surface, critical) {
  if (path.length < steps + 1) {
    return { kind: "diverged", point: path[path.length - 1], loss: null, text: `diverged after ${path.length - 1} steps` };
  }
  const end = path[path.length - 1];
  const loss = surface.loss(end[0], end[1]);
  const g = surface.grad(end[0], end[1]);
  let nearest = critical[0], best = Infinity;
  for (const c of critical) {
    const d = Math.hypot(end[0] - c.point[0], end[1] - c.point[1]);
    if (d < best) { best = d; nearest = c; }
  }
  const at = `(${fmtCoord(nearest.point[0])}, ${fmtCoord(nearest.point[1])})`;
  const lossText = `loss ${fmtSigned(loss)}`;
  const stopped = Math.hypot(g[0], g[1]) < 1e-3;
  let text;
  if (stopped && nearest.kind === "saddle point") text = `stalled at the saddle point ${at}, ${lossText}`;
  else if (stopped) text = `settled in the ${nearest.kind} ${at}, ${lossText}`;
  else if (best < 0.6) text = `ended near the ${nearest.kind} ${at}, ${lossText}`;
  else text = `ended at (${fmtCoord(end[0])}, ${fmtCoord(end[1])}), ${lossText}`;
  return { kind: nearest.kind, point: end, loss, stopped, distance: best, text };
}

const fmtCoord = (v) => (Math.abs(v) < 5e-3 ? "0.00" : v.toFixed(2)).replace("-", "−");
const fmtSigned = (v) => (Math.abs(v) < 5e-4 ? "0.000" : v.toFixed(3)).replace("-", "−");

/** One redraw's worth of computation: the GD path, the SGD path (null for the full batch),
 *  their end descriptions and the readout sentence. */
export function computeSaddleNoise({ surface, batch_size, learning_rate, seed, noise_std = 1.5, steps = 300, start = null }) {
  if (!(surface in SETUPS)) {
    throw new Error(`unknown demo surface "${surface}"; choose ${SURFACE_NAMES.join(" or ")}`);
  }
  const s = getSurface(surface);
  const w0 = start || SETUPS[surface].start;
  const hyper = { learning_rate };
  const gd = run(surface, {}, "sgd", hyper, w0, steps);
  const fullBatch = batch_size === null || batch_size === undefined;
  const std = fullBatch ? 0 : noise_std / Math.sqrt(batch_size);
  const noise = fullBatch ? null : noiseArray(seed, steps, 2, std);
  const sgd = fullBatch ? null : run(surface, {}, "sgd", hyper, w0, steps, noise);
  const critical = criticalPoints(surface, s.params);
  const gdEnd = describeEnd(gd, steps, s, critical);
  const sgdEnd = sgd && describeEnd(sgd, steps, s, critical);
  const readoutText = fullBatch
    ? `Full batch: no gradient noise, so SGD is plain GD. GD ${gdEnd.text}.`
    : `GD ${gdEnd.text}. SGD (batch ${batch_size}, noise std ${fmtNum(std, 2)}) ${sgdEnd.text}.`;
  return { surface, start: w0, std, gd, sgd, noise, critical, gdEnd, sgdEnd, readout: readoutText,
    gdLoss: gd.map((p) => s.loss(p[0], p[1])), sgdLoss: sgd && sgd.map((p) => s.loss(p[0], p[1])) };
}

/** The demo's whole computation from its traits (the contract tests call it in node). */
export const compute = computeSaddleNoise;

// ------------------------------------------------------------------ view ----

const TRAITS = ["surface", "batch_size", "learning_rate", "seed", "noise_std", "steps"];
/** The batch sizes offered in the menu: powers of two, then the full batch (null). */
export const BATCH_CHOICES = [...Array.from({ length: 12 }, (_, k) => 2 ** k), null];

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-saddle-noise" });
  const controls = div(root, "trainlab-controls");
  // A batch size set from Python that is not a power of two is offered too, in its place.
  const b0 = model.get("batch_size");
  const batches = BATCH_CHOICES.includes(b0) ? BATCH_CHOICES
    : [...BATCH_CHOICES.filter((b) => b !== null && b < b0), b0, ...BATCH_CHOICES.filter((b) => b === null || b > b0)];
  const sliders = {
    surface: choice(controls, {
      name: "surface", label: "surface", options: SURFACE_NAMES.map((n) => [n, SETUPS[n].label]),
      value: model.get("surface"), onInput: (v) => setTrait(model, "surface", v),
    }),
    batch_size: choice(controls, {
      name: "batch_size", label: "batch size B",
      options: batches.map((b) => [b, b === null ? "full batch (GD)" : String(b)]),
      value: b0, onInput: (v) => setTrait(model, "batch_size", v),
    }),
    learning_rate: slider(controls, {
      name: "learning_rate", label: "learning rate", min: limits.learning_rate[0],
      max: limits.learning_rate[1], step: 0.01, value: model.get("learning_rate"),
      format: (v) => v.toFixed(2), onInput: (v) => setTrait(model, "learning_rate", v),
    }),
    seed: slider(controls, {
      name: "seed", label: "noise seed", min: limits.seed[0], max: limits.seed[1], step: 1,
      value: model.get("seed"), format: String, onInput: (v) => setTrait(model, "seed", v),
    }),
  };
  const plots = plotPair(root, {
    main: "GD and SGD paths over the contours of the loss surface",
    side: "Loss against step for GD and SGD",
    fraction: 0.58,
  });
  const text = readout(root);
  const layers = layerCache();

  function redraw(state) {
    for (const k of Object.keys(sliders)) sliders[k].set(state[k]);
    const r = computeSaddleNoise(state);
    const colors = palette(root);
    const surface = getSurface(state.surface);
    const { main, side } = fitSurfacePair(plots, surface.window, { aspect: 0.95, max: 420, side: 0.7 });
    drawMain(main, r, surface, colors, layers);
    drawLoss(side, r, state, colors);
    text.textContent = r.readout;
  }

  return liveRender(root, model, TRAITS, redraw);
}

function drawMain(plot, r, surface, colors, layers) {
  const { ctx, width, height, legend } = plot;
  const view = makeView(surface.window, plotRect(width, height));
  ctx.clearRect(0, 0, width, height);
  drawContourLayer(plot, view, layers, colors, {
    key: `${surface.name}|${JSON.stringify(surface.params)}`, f: surface.loss, window: surface.window,
  });
  for (const c of r.critical) {
    drawMarker(ctx, view, c.point, c.kind === "saddle point"
      ? { shape: "cross", color: colors.muted, size: 5 }
      : { shape: "star", color: colors.fg, size: c.kind === "local minimum" ? 5 : 7 });
  }
  const gd = colors.method("gd", 2), sgd = colors.method("sgd", 1.3);
  const gdColor = gd.color, sgdColor = sgd.color;
  if (r.sgd) {
    drawPath(ctx, view, r.sgd, { color: sgdColor, width: 1.3 });
    drawMarker(ctx, view, r.sgd[r.sgd.length - 1], { shape: "dot", color: sgdColor, size: 4 });
  }
  drawPath(ctx, view, r.gd, { color: gdColor, width: 2, dash: colors.method("gd", 2).dash });
  drawMarker(ctx, view, r.gd[r.gd.length - 1], { shape: "dot", color: gdColor, size: 4 });
  drawMarker(ctx, view, r.start, { shape: "ring", color: colors.fg, size: 4 });
  const items = [{ label: "GD (full batch)", color: gdColor, dash: gd.dash }];
  if (r.sgd) items.push({ label: `SGD (noise std ${fmtNum(r.std, 2)})`, color: sgdColor });
  items.push({ label: "start", color: colors.fg, shape: "ring" },
    { label: "minimum", color: colors.fg, shape: "star" });
  if (r.critical.some((c) => c.kind === "saddle point")) items.push({ label: "saddle point", color: colors.muted, shape: "cross" });
  setLegend(legend, items);
}

function drawLoss({ ctx, width, height, legend }, r, state, colors) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 48, right: 18 });
  const all = r.gdLoss.concat(r.sgdLoss || []).filter(Number.isFinite);
  let lo = Math.min(...all), hi = Math.max(...all);
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  const pad = 0.05 * (hi - lo);
  const series = [{ points: r.gdLoss.map((v, k) => [k, v]), ...colors.method("gd", 2), width: 2 }];
  if (r.sgdLoss) series.unshift({ points: r.sgdLoss.map((v, k) => [k, v]), ...colors.method("sgd", 1.3), width: 1.3 });
  drawLineChart(ctx, rect, [0, state.steps, lo - pad, hi + pad], series, colors, { xlabel: "step", ylabel: "loss" });
  setLegend(legend, series.map((s) => ({ label: s.label, color: s.color, dash: s.dash })));
}

export default { render };
