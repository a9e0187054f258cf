// Demo "LbfgsNoise" (chapter 5, claims C24/C25): L-BFGS's history size and gradient noise.
//
// The L-BFGS here is exactly one torch.optim.LBFGS configuration,
//     torch.optim.LBFGS([w], lr=1, max_iter=1, history_size=m, line_search_fn=None,
//                       tolerance_grad=1e-7, tolerance_change=1e-9)
// with one optimizer.step(closure) per iteration, the closure returning the loss and leaving the
// exact gradient plus noise in w.grad (trainlab.experiments.second_order.DEMO_LBFGS and
// lbfgs_path; tests/site parity tests compare the iterates). It follows torch's step(): the first
// iteration steps -g scaled by min(1, 1/|g|_1); later ones store (s, y) when y.s > 1e-10 (dropping
// the oldest beyond m), scale by gamma = s.y / y.y of the newest pair and run the two-loop
// recursion. Gradient descent with the same noise is the comparison.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { DIVERGED_AT, run } from "./optim.js";
import { getSurface } from "./surfaces.js";
import { noiseArray } from "./rng.js";
import { palette, makeView, plotRect, drawPath, drawMarker, drawLineChart, layerCache } from "./plot.js";
import {
  demoRoot, div, choice, gridSlider, slider, readout, plotPair, setLegend, liveRender,
  setTrait, fmtInt, fmtNum,
} from "./controls.js";
import { drawContourLayer, fitSurfacePair } from "./surface_view.js";

export const TORCH_CONFIG = Object.freeze({ lr: 1, max_iter: 1, tolerance_grad: 1e-7, tolerance_change: 1e-9 });
export const SETUPS = Object.freeze({
  rosenbrock: { label: "Rosenbrock", gdLr: 1e-3 },
  quadratic: { label: "quadratic (κ = 64)", gdLr: 2 / (2 / 64 + 2) },
});
export const SURFACE_NAMES = Object.keys(SETUPS);
export const HISTORY_GRID = [1, 2, 3, 5, 7, 10, 15, 20];
export const NOISE_GRID = [0, 0.001, 0.01, 0.03, 0.1, 0.3, 1];
export const TOL = 1e-3;

const dot = (a, b) => a[0] * b[0] + a[1] * b[1];

/** Iterates of torch.optim.LBFGS(TORCH_CONFIG, history_size) on a surface, one step(closure) per
 *  iterate; noise[k] is added to the gradient the k-th closure returns. Stops, without the bad
 *  point, when an iterate leaves float range (as lbfgs_path's NaN padding). */
export function lbfgsPath(surfaceName, params, historySize, start, steps, noise = null) {
  if (!Number.isInteger(historySize) || historySize < 1) {
    throw new Error(`history size must be an integer >= 1, got ${historySize}`);
  }
  const s = getSurface(surfaceName, params || {});
  const { lr, tolerance_grad: tolGrad, tolerance_change: tolChange } = TORCH_CONFIG;
  let w = (start || s.start).slice();
  const path = [w.slice()];
  // torch's optimizer state, kept across step() calls
  let nIter = 0, d = null, t = null, prevGrad = null, Hdiag = 1;
  const oldDirs = [], oldStps = [], ro = [];
  for (let k = 0; k < steps; k++) {
    let g = s.grad(w[0], w[1]);
    if (noise) g = [g[0] + noise[k][0], g[1] + noise[k][1]];
    if (Math.max(Math.abs(g[0]), Math.abs(g[1])) <= tolGrad) { path.push(w.slice()); continue; }
    nIter += 1;
    if (nIter === 1) {
      d = [-g[0], -g[1]];
      Hdiag = 1;
    } else {
      const y = [g[0] - prevGrad[0], g[1] - prevGrad[1]];
      const st = [d[0] * t, d[1] * t];
      const ys = dot(y, st);
      if (ys > 1e-10) {
        if (oldDirs.length === historySize) { oldDirs.shift(); oldStps.shift(); ro.shift(); }
        oldDirs.push(y);
        oldStps.push(st);
        ro.push(1 / ys);
        Hdiag = ys / dot(y, y);
      }
      const n = oldDirs.length, al = new Array(n);
      const q = [-g[0], -g[1]];
      for (let i = n - 1; i >= 0; i--) {
        al[i] = dot(oldStps[i], q) * ro[i];
        q[0] -= al[i] * oldDirs[i][0];
        q[1] -= al[i] * oldDirs[i][1];
      }
      const r = [q[0] * Hdiag, q[1] * Hdiag];
      for (let i = 0; i < n; i++) {
        const be = dot(oldDirs[i], r) * ro[i];
        r[0] += (al[i] - be) * oldStps[i][0];
        r[1] += (al[i] - be) * oldStps[i][1];
      }
      d = r;
    }
    prevGrad = g;
    t = nIter === 1 ? Math.min(1, 1 / (Math.abs(g[0]) + Math.abs(g[1]))) * lr : lr;
    if (dot(g, d) > -tolChange) { path.push(w.slice()); continue; } // torch: no step this call
    w = [w[0] + t * d[0], w[1] + t * d[1]];
    if (!(Math.abs(w[0]) <= DIVERGED_AT && Math.abs(w[1]) <= DIVERGED_AT)) break;
    path.push(w.slice());
  }
  return path;
}

function firstWithin(path, target, tol) {
  for (let k = 0; k < path.length; k++) {
    if (Math.hypot(path[k][0] - target[0], path[k][1] - target[1]) <= tol) return k;
  }
  return null;
}

function describe(name, path, steps, minimum) {
  const k = firstWithin(path, minimum, TOL);
  if (path.length < steps + 1) return `diverged after ${fmtInt(path.length - 1)} steps`;
  if (k !== null) return `came within ${fmtNum(TOL)} of the minimum at step ${fmtInt(k)}`;
  const [x, y] = path[path.length - 1];
  return `ended at (${fmtNum(x)}, ${fmtNum(y)}), ${fmtNum(Math.hypot(x - minimum[0], y - minimum[1]))} from the minimum`;
}

/** Both paths, their losses and the readout for one state of the demo. */
export function computeLbfgsNoise({ surface, history_size, noise_std, seed = 0, steps = 200 }) {
  if (!SETUPS[surface]) {
    throw new Error(`unknown demo surface "${surface}"; choose one of ${SURFACE_NAMES.join(", ")}`);
  }
  const s = getSurface(surface);
  const noise = noise_std > 0 ? noiseArray(seed, steps, 2, noise_std) : null;
  const lbfgs = lbfgsPath(surface, {}, history_size, s.start, steps, noise);
  const gd = run(surface, {}, "sgd", { learning_rate: SETUPS[surface].gdLr }, s.start, steps, noise);
  const loss = (p) => s.loss(p[0], p[1]);
  return {
    surface, start: s.start, minimum: s.minimum, lbfgs, gd,
    lbfgsLoss: lbfgs.map(loss), gdLoss: gd.map(loss),
    readout: `L-BFGS (m = ${history_size}) ${describe("L-BFGS", lbfgs, steps, s.minimum)}; ` +
      `gradient descent (lr ${fmtNum(SETUPS[surface].gdLr)}) ${describe("GD", gd, steps, s.minimum)}` +
      (noise_std > 0 ? ` (gradient noise std ${fmtNum(noise_std)}, seed ${seed}).` : " (no noise)."),
  };
}

export const compute = computeLbfgsNoise;

// ------------------------------------------------------------------ view ----

const TRAITS = ["surface", "history_size", "noise_std", "seed", "steps"];

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-lbfgs-noise" });
  const controls = div(root, "trainlab-controls");
  const surfaceMenu = choice(controls, {
    name: "surface", label: "surface", value: model.get("surface"),
    options: SURFACE_NAMES.map((n) => [n, SETUPS[n].label]), onInput: (v) => setTrait(model, "surface", v),
  });
  const sliders = {
    history_size: gridSlider(controls, {
      name: "history_size", label: "history m", grid: HISTORY_GRID, value: model.get("history_size"),
      format: String, onInput: (v) => setTrait(model, "history_size", v),
    }),
    noise_std: gridSlider(controls, {
      name: "noise_std", label: "noise std", grid: NOISE_GRID, value: model.get("noise_std"),
      format: (v) => fmtNum(v), onInput: (v) => setTrait(model, "noise_std", v),
    }),
    seed: slider(controls, {
      name: "seed", label: "noise seed", min: limits.seed[0], max: limits.seed[1], step: 1,
      value: model.get("seed"), onInput: (v) => setTrait(model, "seed", v),
    }),
  };
  const plots = plotPair(root, {
    main: "L-BFGS and gradient descent paths over the contours of the surface",
    side: "Loss against step for L-BFGS and gradient descent",
    fraction: 0.6,
  });
  const text = readout(root);
  const layers = layerCache();

  function redraw(state) {
    surfaceMenu.set(state.surface);
    for (const k of Object.keys(sliders)) sliders[k].set(state[k]);
    sliders.seed.setDisabled(!(state.noise_std > 0));
    const r = computeLbfgsNoise(state);
    const colors = palette(root);
    const s = getSurface(state.surface);
    const { main, side } = fitSurfacePair(plots, s.window, { aspect: 0.9 });
    drawMain(main, r, s, colors, layers);
    drawLoss(side, r, state, colors);
    text.textContent = r.readout;
  }

  return liveRender(root, model, TRAITS, redraw);
}

function drawMain(plot, r, s, colors, layers) {
  const { ctx, width, height, legend } = plot;
  const view = makeView(s.window, plotRect(width, height));
  ctx.clearRect(0, 0, width, height);
  drawContourLayer(plot, view, layers, colors, { key: s.name, f: s.loss, window: s.window });
  const gd = colors.method("gd", 1.3), lbfgs = colors.method("lbfgs", 2);
  drawPath(ctx, view, r.gd, { color: gd.color, width: 1.3, dash: gd.dash });
  drawPath(ctx, view, r.lbfgs, { color: lbfgs.color, width: 2, dots: r.lbfgs.length <= 120, dash: lbfgs.dash });
  drawMarker(ctx, view, r.start, { shape: "ring", color: colors.fg, size: 4 });
  drawMarker(ctx, view, r.minimum, { shape: "star", color: colors.fg, size: 6 });
  setLegend(legend, [
    { label: lbfgs.label, color: lbfgs.color, dash: lbfgs.dash },
    { label: "gradient descent", color: gd.color, dash: gd.dash },
    { label: "start", color: colors.fg, shape: "ring" },
    { label: "minimum", color: colors.fg, shape: "star" },
  ]);
}

function drawLoss({ ctx, width, height, legend }, r, state, colors) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 52, right: 14 });
  const pos = (v) => (v > 1e-16 ? v : 1e-16);
  const all = r.lbfgsLoss.concat(r.gdLoss).map(pos).filter(Number.isFinite);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...all)));
  const hi = 10 ** Math.min(12, Math.ceil(Math.log10(Math.max(...all))));
  const gd = colors.method("gd", 1.3), lbfgs = colors.method("lbfgs", 2);
  drawLineChart(ctx, rect, [0, state.steps, lo, hi > lo ? hi : lo * 10], [
    { points: r.gdLoss.map((v, k) => [k, pos(v)]), color: gd.color, width: 1.3, dash: gd.dash },
    { points: r.lbfgsLoss.map((v, k) => [k, pos(v)]), color: lbfgs.color, width: 2, dash: lbfgs.dash },
  ], colors, { logY: true, xlabel: "step", ylabel: "loss" });
  setLegend(legend, [{ label: lbfgs.label, color: lbfgs.color, dash: lbfgs.dash },
    { label: "gradient descent", color: gd.color, dash: gd.dash }]);
}

export default { render };
