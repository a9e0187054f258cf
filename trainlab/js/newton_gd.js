// Demo "NewtonVsGD" (chapter 5, claim C23): Newton's method beside gradient descent.
//
// Surfaces (trainlab/surfaces.py): "quadratic" a*w1^2 + b*w2^2 with b = 1, a = 1/kappa (the
// condition number of its Hessian diag(2a, 2b)), where Newton lands on the minimum in one step
// and GD at its best fixed rate 2/(h_max + h_min) needs ~kappa steps; "rosenbrock", where the
// quadratic model is only local; "saddle", where Newton is attracted to the saddle point when
// started near the line w2 = 0 (the curvature along w2, 3 w2^2 - 1, is negative there).
// Newton's step w - H^{-1} g is a 2x2 solve on the hand-written Hessian below; its iterates are
// checked against trainlab.experiments.second_order.newton_on_surface (torch autograd's Hessian).
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { DIVERGED_AT } from "./optim.js";
import { SURFACES, getSurface } from "./surfaces.js";
import {
  palette, makeView, plotRect, drawQuadraticContours, drawPath, drawMarker, drawAxes, drawLineChart, layerCache,
} from "./plot.js";
import {
  demoRoot, div, choice, gridSlider, readout, plotPair, setLegend, liveRender, setTrait,
  fmtInt, fmtNum,
} from "./controls.js";
import { drawContourLayer, fitSurfacePair } from "./surface_view.js";

/** Per surface: GD's learning rate (a function of the parameters), the start and the label. */
export const SETUPS = Object.freeze({
  quadratic: { label: "quadratic", lr: ({ a, b }) => 2 / (2 * a + 2 * b), start: () => SURFACES.quadratic.start.slice() },
  rosenbrock: { label: "Rosenbrock", lr: () => 1e-3, start: () => SURFACES.rosenbrock.start.slice() },
  saddle: { label: "saddle", lr: () => 0.2, start: (w2) => [-1.5, w2] },
});
export const SURFACE_NAMES = Object.keys(SETUPS);
export const KAPPA_GRID = [1, 2, 3, 5, 10, 20, 30, 50, 64, 100, 200, 300, 500, 1000];
export const START_W2_GRID = [-1.2, -0.8, -0.5, -0.3, -0.1, -0.01, 0.01, 0.1, 0.3, 0.5, 0.8, 1.2];
export const TOL = 1e-6;
const NEWTON_STEPS = 40;
const GD_STEPS = 10000;

/** The Hessian of each surface, written out (trainlab/surfaces.py's formulas differentiated). */
export function hessian(name, x, y, p) {
  if (name === "quadratic") return [[2 * p.a, 0], [0, 2 * p.b]];
  if (name === "saddle") return [[2 * p.a, 0], [0, p.b * (3 * y * y - 1)]];
  if (name === "rosenbrock") {
    return [[2 - 4 * p.b * (y - x * x) + 8 * p.b * x * x, -4 * p.b * x], [-4 * p.b * x, 2 * p.b]];
  }
  throw new Error(`no Hessian for surface "${name}"; choose one of ${SURFACE_NAMES.join(", ")}`);
}

/** Newton's iterates w <- w - H^{-1} g (a 2x2 solve by Cramer's rule) from `start`: at most
 *  `steps` steps; stops early when the step leaves float range or H is singular. */
export function newtonPath(name, params, start, steps) {
  const s = getSurface(name, params);
  const path = [start.slice()];
  let [x, y] = start;
  for (let k = 0; k < steps; k++) {
    const [gx, gy] = s.grad(x, y);
    const [[h11, h12], [h21, h22]] = hessian(name, x, y, s.params);
    const det = h11 * h22 - h12 * h21;
    if (det === 0) break;
    const nx = x - (h22 * gx - h12 * gy) / det;
    const ny = y - (h11 * gy - h21 * gx) / det;
    if (!(Math.abs(nx) < DIVERGED_AT && Math.abs(ny) < DIVERGED_AT)) break;
    x = nx;
    y = ny;
    path.push([x, y]);
  }
  return path;
}

/** Stationary points a path can end at, [what, point] pairs (the saddle's minima by the sign
 *  of w2 at the end). */
function endPoints(name, w2) {
  if (name === "saddle") return [["the saddle point", [0, 0]], ["a minimum", [0, Math.sign(w2) || 1]]];
  return [["the minimum", name === "rosenbrock" ? [1, 1] : [0, 0]]];
}

/** Gradient descent, optim.js's sgd rule (w - lr g) on the surface's gradient, stopped as soon
 *  as the iterate is within TOL of a stationary point (so a fast run costs only its steps), or
 *  after maxSteps, or when it leaves float range (that point is not kept). */
export function gdPath(name, params, lr, start, maxSteps) {
  const s = getSurface(name, params);
  const path = [start.slice()];
  let [x, y] = start;
  for (let k = 0; k < maxSteps; k++) {
    if (endPoints(name, y).some(([, p]) => Math.hypot(x - p[0], y - p[1]) <= TOL)) break;
    const [gx, gy] = s.grad(x, y);
    const nx = x - lr * gx, ny = y - lr * gy;
    if (!(Math.abs(nx) <= DIVERGED_AT && Math.abs(ny) <= DIVERGED_AT)) break;
    x = nx;
    y = ny;
    path.push([x, y]);
  }
  return path;
}

function firstWithin(path, target, tol) {
  for (let k = 0; k < path.length; k++) {
    if (Math.hypot(path[k][0] - target[0], path[k][1] - target[1]) <= tol) return k;
  }
  return null;
}

/** Where a path ends, in words, and the step it first came within TOL of each end point. */
function describe(path, name, stepsRun) {
  const [x, y] = path[path.length - 1];
  for (const [what, p] of endPoints(name, y)) {
    const k = firstWithin(path, p, TOL);
    if (k !== null) return { what, steps: k, text: `reached ${what} in ${fmtInt(k)} step${k === 1 ? "" : "s"}` };
  }
  if (path.length < stepsRun + 1) return { what: "diverged", steps: null, text: "left the window for good (diverged)" };
  return { what: "none", steps: null, text: `was not within ${fmtNum(TOL)} of a stationary point after ${fmtInt(stepsRun)} steps (at ${fmtNum(x)}, ${fmtNum(y)})` };
}

/** Everything one redraw needs: both paths (GD thinned for drawing), losses and the readout. */
export function computeNewtonGD({ surface, kappa = 30, start_w2 = 0.3 }) {
  if (!SETUPS[surface]) {
    throw new Error(`unknown demo surface "${surface}"; choose one of ${SURFACE_NAMES.join(", ")}`);
  }
  const params = surface === "quadratic" ? { a: 1 / kappa, b: 1.0 } : {};
  const s = getSurface(surface, params);
  const start = SETUPS[surface].start(start_w2);
  const lr = SETUPS[surface].lr(s.params);
  const newton = newtonPath(surface, params, start, NEWTON_STEPS);
  const gdFull = gdPath(surface, params, lr, start, GD_STEPS);
  const nEnd = describe(newton, surface, NEWTON_STEPS);
  const gEnd = describe(gdFull, surface, GD_STEPS);
  const gd = gEnd.steps !== null ? gdFull.slice(0, gEnd.steps + 1) : gdFull;
  const stride = Math.max(1, Math.ceil(gd.length / 1500));
  const gdDrawn = gd.filter((_, k) => k % stride === 0 || k === gd.length - 1);
  const newtonShown = nEnd.steps !== null ? newton.slice(0, nEnd.steps + 1) : newton;
  const loss = (p) => s.loss(p[0], p[1]);
  const floor = surface === "saddle" ? -0.25 : 0; // the minimum value, for a log-scale gap
  return {
    surface, params: s.params, start, lr, kappa,
    newton: newtonShown, gd: gdDrawn, gdStride: stride,
    newtonGap: newtonShown.map((p) => loss(p) - floor), gdGap: gdDrawn.map((p) => loss(p) - floor),
    newtonEnd: nEnd, gdEnd: gEnd,
    readout: `Newton ${nEnd.text}; gradient descent (learning rate ${fmtNum(lr)}) ${gEnd.text}.`,
  };
}

export const compute = computeNewtonGD;

// ------------------------------------------------------------------ view ----

const TRAITS = ["surface", "kappa", "start_w2"];

function render({ model, el }) {
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-newton-gd" });
  const controls = div(root, "trainlab-controls");
  const surfaceMenu = choice(controls, {
    name: "surface", label: "surface", value: model.get("surface"),
    options: SURFACE_NAMES.map((n) => [n, SETUPS[n].label]),
    onInput: (v) => setTrait(model, "surface", v),
  });
  const kappa = gridSlider(controls, {
    name: "kappa", label: "κ (quadratic)", grid: KAPPA_GRID, value: model.get("kappa"),
    format: (v) => fmtNum(v, 4), onInput: (v) => setTrait(model, "kappa", v),
  });
  const startW2 = gridSlider(controls, {
    name: "start_w2", label: "start w2 (saddle)", grid: START_W2_GRID, value: model.get("start_w2"),
    format: (v) => fmtNum(v, 3), onInput: (v) => setTrait(model, "start_w2", v),
  });
  const plots = plotPair(root, {
    main: "Newton and gradient descent paths over the contours of the surface",
    side: "Loss above the minimum against step, Newton and gradient descent",
    fraction: 0.6,
  });
  const text = readout(root);
  const layers = layerCache();

  function redraw(state) {
    surfaceMenu.set(state.surface);
    kappa.set(state.kappa);
    startW2.set(state.start_w2);
    kappa.setDisabled(state.surface !== "quadratic");
    startW2.setDisabled(state.surface !== "saddle");
    const r = computeNewtonGD(state);
    const colors = palette(root);
    const s = getSurface(state.surface, r.params);
    const { main, side } = fitSurfacePair(plots, s.window);
    drawMain(main, r, s, colors, layers);
    drawGap(side, r, colors);
    text.textContent = r.readout;
  }

  return liveRender(root, model, TRAITS, redraw);
}

function drawMain(plot, r, s, colors, layers) {
  const { ctx, width, height, legend } = plot;
  const view = makeView(s.window, plotRect(width, height));
  ctx.clearRect(0, 0, width, height);
  if (s.name === "quadratic") {
    // Its contours change with kappa on every event: drawn directly (a few ellipses), since an
    // offscreen layer per kappa would cost more than it saves.
    drawAxes(ctx, view, colors, { xlabel: "w1", ylabel: "w2" });
    const L0 = s.loss(r.start[0], r.start[1]);
    drawQuadraticContours(ctx, view, s.params.a, s.params.b, Array.from({ length: 14 }, (_, k) => L0 * 0.45 ** k), colors.contour);
  } else {
    drawContourLayer(plot, view, layers, colors, { key: s.name, f: s.loss, window: s.window });
  }
  const gd = colors.method("gd", 1.4), newton = colors.method("newton", 2);
  drawPath(ctx, view, r.gd, { color: gd.color, width: 1.4, dash: gd.dash });
  drawPath(ctx, view, r.newton, { color: newton.color, width: 2, dots: true, dash: newton.dash });
  drawMarker(ctx, view, r.start, { shape: "ring", color: colors.fg, size: 4 });
  const minima = s.name === "saddle" ? [[0, 1], [0, -1]] : [s.minimum];
  for (const m of minima) drawMarker(ctx, view, m, { shape: "star", color: colors.fg, size: 6 });
  const items = [
    { label: newton.label, color: newton.color, dash: newton.dash },
    { label: "gradient descent", color: gd.color, dash: gd.dash },
    { label: "start", color: colors.fg, shape: "ring" },
    { label: "minimum", color: colors.fg, shape: "star" },
  ];
  if (s.name === "saddle") {
    drawMarker(ctx, view, [0, 0], { shape: "cross", color: colors.muted, size: 5 });
    items.push({ label: "saddle point", color: colors.muted, shape: "cross" });
  }
  setLegend(legend, items);
}

function drawGap({ ctx, width, height, legend }, r, colors) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 52, right: 14 });
  const pos = (v) => (v > 1e-16 ? v : 1e-16);
  const nPts = r.newtonGap.map((v, k) => [k + 1, pos(v)]);
  const gPts = r.gdGap.map((v, k) => [k * r.gdStride + 1, pos(v)]);
  const all = nPts.concat(gPts).map((p) => p[1]).filter(Number.isFinite);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...all))), hi = 10 ** Math.ceil(Math.log10(Math.max(...all)));
  const xmax = Math.max(10, nPts.length, gPts[gPts.length - 1][0]);
  const gd = colors.method("gd", 1.4), newton = colors.method("newton", 2);
  drawLineChart(ctx, rect, [1, xmax, lo, hi === lo ? lo * 10 : hi], [
    { points: gPts, color: gd.color, width: 1.4, dash: gd.dash },
    { points: nPts, color: newton.color, width: 2, dash: newton.dash },
  ], colors, { logX: true, logY: true, xlabel: "step + 1", ylabel: "loss − minimum" });
  setLegend(legend, [{ label: newton.label, color: newton.color, dash: newton.dash },
    { label: "gradient descent", color: gd.color, dash: gd.dash }]);
}

export default { render };
