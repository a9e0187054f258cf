// Demo "QuadraticGD" (chapter 1, claims C03/C05): gradient descent on L = a*w1^2 + b*w2^2.
//
// Parametrisation: b = 1 (the steep axis) and a = b / kappa, so kappa is the condition number
// of the Hessian diag(2a, 2b) and h_max = 2*max(a, b) = 2 is its largest eigenvalue. The
// learning rate is given as a fraction of the stability limit 2 / h_max: past 1.0 the steep
// coordinate is multiplied by |1 - 2*lr*b| > 1 every step and the iterates diverge.
//
// The compute part (top of this file) touches no DOM, so node tests import it; render() at the
// bottom draws it.

import { DIVERGED_AT, run } from "./optim.js";
import { SURFACES } from "./surfaces.js";
import {
  palette, makeView, plotRect, fitCanvas, drawQuadraticContours, drawPath, drawMarker,
  drawAxes, drawLineChart, drawNote,
} from "./plot.js";
import {
  demoRoot, div, slider, readout, liveRender, plotPair, setLegend, clampHeight, setTrait, fmtInt, fmtNum,
} from "./controls.js";

export const START = SURFACES.quadratic.start; // (-9, 2.5): far out along the shallow axis
export const WINDOW = SURFACES.quadratic.window;

/** The quadratic and learning rate for condition number `kappa` and `lrFraction` of 2/h_max. */
export function problem(kappa, lrFraction) {
  const b = 1.0, a = b / kappa;
  const lMax = 2 * Math.max(a, b);
  return { a, b, lMax, lr: (lrFraction * 2) / lMax };
}

/** Plain GD on the quadratic from `start` until |w| <= tol: {status, steps} with status
 *  "converged" (steps = first index within tol), "diverged" (steps = index of the first
 *  iterate past 1e150) or "budget" (not within tol after maxSteps). The arithmetic is optim.js's
 *  sgd rule on surfaces.js's gradient, written without allocation so 10^5 steps cost ~0.3 ms;
 *  tests check it against optim.run and torch.optim. */
export function countSteps(a, b, lr, start, tol, maxSteps) {
  let x = start[0], y = start[1];
  for (let k = 0; ; k++) {
    if (Math.sqrt(x * x + y * y) <= tol) return { status: "converged", steps: k };
    if (k === maxSteps) return { status: "budget", steps: maxSteps };
    const nx = x - lr * (2 * a * x), ny = y - lr * (2 * b * y);
    if (!(Math.abs(nx) <= DIVERGED_AT && Math.abs(ny) <= DIVERGED_AT)) {
      return { status: "diverged", steps: k + 1 };
    }
    x = nx;
    y = ny;
  }
}

/** Steps to tolerance in closed form: GD multiplies coordinate i by c_i = 1 - 2*lr*a_i each
 *  step, so |w_t|^2 = sum (c_i^t w0_i)^2, which falls monotonically when every |c_i| < 1; a
 *  bisection on t finds the first t within tol. Used for the steps-vs-kappa curve (dozens of
 *  kappas per event); equal to countSteps except where rounding lands exactly on the boundary. */
export function closedFormSteps(a, b, lr, start, tol, maxSteps) {
  const c = [Math.abs(1 - lr * (2 * a)), Math.abs(1 - lr * (2 * b))];
  const dist = (t) => Math.sqrt((c[0] ** t * start[0]) ** 2 + (c[1] ** t * start[1]) ** 2);
  if (dist(0) <= tol) return { status: "converged", steps: 0 };
  if ((start[0] !== 0 && c[0] > 1) || (start[1] !== 0 && c[1] > 1)) {
    return { status: "diverged", steps: null };
  }
  if (dist(maxSteps) > tol) return { status: "budget", steps: maxSteps };
  let lo = 0, hi = maxSteps; // dist(lo) > tol >= dist(hi)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dist(mid) <= tol) hi = mid;
    else lo = mid;
  }
  return { status: "converged", steps: hi };
}

/** Slider positions for kappa: 10^(k/20), k = 0..60, to 4 significant digits. */
export const KAPPA_GRID = Array.from({ length: 61 }, (_, k) => +(10 ** (k / 20)).toPrecision(4));

/** The steps-to-tolerance curve over KAPPA_GRID at one learning-rate fraction. */
export function sweep(lrFraction, tol, maxSteps, start = START, kappas = KAPPA_GRID) {
  return kappas.map((kappa) => {
    const { a, b, lr } = problem(kappa, lrFraction);
    return { kappa, ...closedFormSteps(a, b, lr, start, tol, maxSteps) };
  });
}

/** Everything one redraw needs: the problem, the step count, the path to draw and the readout.
 *  The drawn path is optim.js's run() for the first drawSteps iterates, then (for long runs)
 *  every stride-th iterate up to the end, so the picture spans the whole run at bounded cost. */
export function computeQuadratic({ kappa, lr_fraction, tol = 1e-3, max_steps = 200000, draw_steps = 2000 }) {
  const { a, b, lMax, lr } = problem(kappa, lr_fraction);
  const count = countSteps(a, b, lr, START, tol, max_steps);
  const last = count.status === "diverged" ? count.steps - 1 : count.steps; // last finite iterate
  const head = run("quadratic", { a, b }, "sgd", { learning_rate: lr }, START, Math.min(last, draw_steps));
  const path = head;
  if (last > draw_steps) {
    // Odd stride keeps a still-oscillating coordinate visibly alternating.
    let stride = Math.ceil((last - draw_steps) / 2000);
    if (stride % 2 === 0) stride += 1;
    let [x, y] = head[head.length - 1];
    for (let k = draw_steps + 1; k <= last; k++) {
      x = x - lr * (2 * a * x);
      y = y - lr * (2 * b * y);
      if ((k - draw_steps) % stride === 0 || k === last) path.push([x, y]);
    }
  }
  if (count.status === "diverged") {
    // Draw the blow-up only until it leaves the window; the rest would just fill the plot.
    const [x0, x1, y0, y1] = WINDOW;
    const out = path.findIndex(([x, y]) => x < x0 || x > x1 || y < y0 || y > y1);
    if (out >= 0) path.length = out + 1;
  }
  return { kappa, lrFraction: lr_fraction, a, b, lMax, lr, tol, ...count, path,
    readout: describe(count, lr_fraction, tol, b, lr) };
}

function describe({ status, steps }, lrFraction, tol, b, lr) {
  const target = `|w − w*| ≤ ${fmtNum(tol)}`;
  if (status === "converged") return `Reached ${target} in ${fmtInt(steps)} step${steps === 1 ? "" : "s"}.`;
  if (status === "diverged") {
    return `Diverged: lr = ${fmtNum(lrFraction)} × 2/h_max is past the stability limit; ` +
      `|w| passed 1e150 at step ${fmtInt(steps)}.`;
  }
  const edge = Math.abs(1 - 2 * lr * b) === 1 ? " At exactly 2/h_max, w2 flips sign forever." : "";
  return `Did not reach ${target} within ${fmtInt(steps)} steps.${edge}`;
}

/** The demo's whole computation from its traits (the contract tests call it in node). */
export const compute = computeQuadratic;

// ------------------------------------------------------------------ view ----

const TRAITS = ["kappa", "lr_fraction", "tol", "max_steps", "draw_steps"];

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-quadratic-gd" });
  const controls = div(root, "trainlab-controls");
  const sliders = {
    kappa: slider(controls, {
      name: "kappa", label: "condition number κ", min: 0, max: Math.log10(limits.kappa[1]),
      step: 0.05, value: model.get("kappa"), format: (v) => fmtNum(v, 4),
      toSlider: Math.log10, fromSlider: (s) => KAPPA_GRID[Math.round(s * 20)] ?? +(10 ** s).toPrecision(4),
      onInput: (v) => setTrait(model, "kappa", v),
    }),
    lr_fraction: slider(controls, {
      name: "lr_fraction", label: "learning rate × 2/h_max", min: limits.lr_fraction[0],
      max: limits.lr_fraction[1], step: 0.01, value: model.get("lr_fraction"),
      format: (v) => v.toFixed(2), onInput: (v) => setTrait(model, "lr_fraction", v),
    }),
  };
  const plots = plotPair(root, {
    main: "Gradient descent path over the contours of the quadratic",
    side: "Steps to tolerance against the condition number",
    fraction: 0.6,
  });
  const text = readout(root);
  let sweepKey = null, sweepData = null;

  function redraw(state) {
    for (const k of ["kappa", "lr_fraction"]) sliders[k].set(state[k]);
    const r = computeQuadratic(state);
    const key = `${state.lr_fraction}|${state.tol}|${state.max_steps}`;
    if (key !== sweepKey) {
      sweepKey = key;
      sweepData = sweep(state.lr_fraction, state.tol, state.max_steps);
    }
    const colors = palette(root);
    const { wide, mainW, sideW } = plots.layout();
    const h = clampHeight(mainW * 0.55, 200, 360);
    const sh = wide ? h : clampHeight(h * 0.8, 180, 300);
    drawMain(fitCanvas(plots.main.canvas, mainW, h), mainW, h, r, colors, plots.main.legend);
    drawSweep(fitCanvas(plots.side.canvas, sideW, sh), sideW, sh, sweepData, r, colors, plots.side.legend);
    text.textContent = `κ = ${fmtNum(r.kappa, 4)}, lr = ${r.lrFraction.toFixed(2)} × 2/h_max: ${r.readout}`;
  }

  return liveRender(root, model, TRAITS, redraw);
}

function drawMain(ctx, width, height, r, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const view = makeView(WINDOW, plotRect(width, height));
  drawAxes(ctx, view, colors, { xlabel: "w1 (shallow)", ylabel: "w2 (steep)" });
  const L0 = r.a * START[0] ** 2 + r.b * START[1] ** 2;
  const levels = Array.from({ length: 16 }, (_, k) => L0 * 0.45 ** k);
  drawQuadraticContours(ctx, view, r.a, r.b, levels, colors.contour);
  // One series per plot: drawn solid (dashes only tell series apart), in GD's colour.
  const { color } = colors.method("gd");
  drawPath(ctx, view, r.path, { color, dots: r.path.length <= 120 });
  drawMarker(ctx, view, START, { shape: "ring", color: colors.fg, size: 4 });
  drawMarker(ctx, view, [0, 0], { shape: "star", color: colors.fg, size: 6 });
  setLegend(legend, [
    { label: r.status === "diverged" ? "GD path (diverging)" : `GD path (${fmtInt(r.steps)} steps)`, color },
    { label: "start", color: colors.fg, shape: "ring" },
    { label: "minimum", color: colors.fg, shape: "star" },
  ]);
}

function drawSweep(ctx, width, height, data, r, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 48, top: 10, right: 18 });
  const finite = data.filter((d) => d.status === "converged" && d.steps > 0).map((d) => d.steps);
  const ymax = finite.length ? 10 ** Math.ceil(Math.log10(Math.max(...finite) * 1.05)) : 10;
  const ymin = finite.length ? 10 ** Math.floor(Math.log10(Math.min(...finite))) : 1;
  const gd = colors.method("gd");
  const series = [{
    points: data.map((d) => [d.kappa, d.status === "converged" && d.steps > 0 ? d.steps : null]),
    color: gd.color,
  }];
  const view = drawLineChart(ctx, rect, [1, KAPPA_GRID[KAPPA_GRID.length - 1], ymin, ymax], series, colors,
    { logX: true, logY: true, xlabel: "condition number κ", ylabel: "steps to tolerance" });
  setLegend(legend, [
    { label: `GD at lr = ${r.lrFraction.toFixed(2)} × 2/h_max`, color: gd.color },
    { label: "current κ", color: colors.fg, shape: "dot" },
  ]);
  if (!finite.length) {
    const why = data.every((d) => d.status === "diverged") ? "diverges for every κ" : "no κ reaches the tolerance";
    drawNote(ctx, rect, why, colors.muted);
  }
  if (r.status === "converged" && r.steps > 0) {
    drawMarker(ctx, view, [r.kappa, r.steps], { shape: "dot", color: colors.fg, size: 4.5, label: `κ = ${fmtNum(r.kappa, 3)}`, labelColor: colors.fg });
  } else {
    // Mark the current kappa with a vertical line when it has no finite step count.
    const X = view.px(r.kappa);
    ctx.save();
    ctx.strokeStyle = colors.fg;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(X, rect.top);
    ctx.lineTo(X, rect.top + rect.height);
    ctx.stroke();
    ctx.restore();
  }
}

export default { render };
