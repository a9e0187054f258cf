// Demo "MomentumRho" (chapter 2, claims C08 and C11): what momentum's rho does on the lecture's
// ill-conditioned quadratic L = w1^2 / 64 + w2^2 from (-9, 2.5): the velocity builds up along
// the shallow axis (acceleration), carries the iterate past the minimum (overshoot) and brings
// it back (return). Plain SGD with the same learning rate runs beside it for comparison.
//
// Overshoot is trainlab/experiments/runs.py's `overshoot`: per coordinate, the largest excursion
// beyond the minimum on the far side from the start, as a fraction of the start's offset; the
// larger of the two. Steps to tolerance: the first iterate within `tol` of the minimum.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { DIVERGED_AT, run } from "./optim.js";
import { SURFACES } from "./surfaces.js";
import {
  palette, makeView, plotRect, fitCanvas, drawQuadraticContours, drawPath, drawMarker,
  drawAxes, drawLineChart,
} from "./plot.js";
import {
  demoRoot, div, slider, gridSlider, niceLadder, readout, liveRender, setTrait, fmtInt, fmtNum,
  plotPair, setLegend, clampHeight,
} from "./controls.js";

export const START = SURFACES.quadratic.start; // (-9, 2.5)
export const WINDOW = SURFACES.quadratic.window;
export const PARAMS = SURFACES.quadratic.params; // a = 1/64, b = 1: kappa = 64

/** Learning-rate slider values (the ends are widgets/momentum_rho.py's limits). */
export const LR_GRID = niceLadder(0.005, 1.5);

/** Momentum (velocity form, optim.js's arithmetic) on the quadratic from `start` until the
 *  iterate is within `tol` of the minimum or `maxSteps` have run, without allocating, so 10^5
 *  steps cost well under a millisecond. rho = 0 is plain SGD (the same floating-point
 *  operations: 0*v - lr*g = -(lr*g)). Returns {status: "converged"|"budget"|"diverged", steps,
 *  overshoot, overshootByCoord} with overshoot (the larger of the two coordinates') measured over
 *  the iterates up to `steps`. */
export function runToTolerance(a, b, lr, rho, start, tol, maxSteps) {
  let x = start[0], y = start[1], vx = 0, vy = 0;
  const ox = start[0], oy = start[1]; // offsets from the minimum (0, 0)
  let bx = 0, by = 0; // largest excursion beyond 0, on the side away from the start
  const done = (status, steps) => {
    const byCoord = [ox ? bx / Math.abs(ox) : 0, oy ? by / Math.abs(oy) : 0];
    return { status, steps, overshoot: Math.max(...byCoord), overshootByCoord: byCoord };
  };
  for (let k = 0; ; k++) {
    const ex = -Math.sign(ox) * x, ey = -Math.sign(oy) * y;
    if (ex > bx) bx = ex;
    if (ey > by) by = ey;
    if (Math.sqrt(x * x + y * y) <= tol) return done("converged", k);
    if (k === maxSteps) return done("budget", maxSteps);
    vx = rho * vx - lr * (2 * a * x);
    vy = rho * vy - lr * (2 * b * y);
    const nx = x + vx, ny = y + vy;
    if (!(Math.abs(nx) <= DIVERGED_AT && Math.abs(ny) <= DIVERGED_AT)) {
      return done("diverged", k + 1);
    }
    x = nx;
    y = ny;
  }
}

/** Per coordinate, the largest excursion past the minimum (a fraction of the start offset)
 *  and the step where it happens: [{value, step}, {value, step}] (step null: never crossed). */
export function overshootPeaks(path, minimum = [0, 0]) {
  const off = [path[0][0] - minimum[0], path[0][1] - minimum[1]];
  const best = [{ value: 0, step: null }, { value: 0, step: null }];
  path.forEach((p, k) => {
    for (let i = 0; i < 2; i++) {
      if (!off[i]) continue;
      const beyond = (-Math.sign(off[i]) * (p[i] - minimum[i])) / Math.abs(off[i]);
      if (beyond > best[i].value) best[i] = { value: beyond, step: k };
    }
  });
  return best;
}

/** One redraw: the drawn paths (optim.run, `steps` iterates), and the run-to-tolerance figures
 *  of momentum and SGD for the readout. */
export function computeMomentumRho({ rho, learning_rate, steps = 300, tol = 1e-3, max_steps = 100000 }) {
  const { a, b } = PARAMS;
  const mom = runToTolerance(a, b, learning_rate, rho, START, tol, max_steps);
  const sgd = runToTolerance(a, b, learning_rate, 0, START, tol, max_steps);
  const momPath = run("quadratic", {}, "momentum", { learning_rate, momentum: rho }, START, steps);
  const sgdPath = run("quadratic", {}, "sgd", { learning_rate }, START, steps);
  const peaks = overshootPeaks(momPath);
  return { rho, lr: learning_rate, steps, tol, momentum: mom, sgd, momPath, sgdPath, peaks,
    readout: describe(mom, sgd, rho, learning_rate, tol) };
}

function describeOne(r, tol) {
  if (r.status === "diverged") return `diverges (|w| passes 1e150 at step ${fmtInt(r.steps)})`;
  const [o1, o2] = r.overshootByCoord.map((o) => Math.round(100 * o));
  const when = r.status === "converged"
    ? `within ${fmtNum(tol)} of the minimum at step ${fmtInt(r.steps)}`
    : `not within ${fmtNum(tol)} of it after ${fmtInt(r.steps)} steps`;
  return `overshoot ${o2}% in w2 (steep), ${o1}% in w1 (shallow); ${when}`;
}

function describe(mom, sgd, rho, lr, tol) {
  let text = `Momentum, ρ = ${rho.toFixed(2)}: ${describeOne(mom, tol)}. ` +
    `SGD, same lr = ${fmtNum(lr)}: ${describeOne(sgd, tol)}.`;
  if (mom.status === "converged" && sgd.status === "converged" && mom.steps > 0 && sgd.steps > 0) {
    if (sgd.steps > mom.steps) text += ` SGD needs ${fmtNum(sgd.steps / mom.steps, 2)}× as many steps.`;
    if (sgd.steps < mom.steps) text += ` Momentum needs ${fmtNum(mom.steps / sgd.steps, 2)}× as many steps.`;
  }
  return text;
}

/** The demo's whole computation from its traits (the contract tests call it in node). */
export const compute = computeMomentumRho;

// ------------------------------------------------------------------ view ----

const TRAITS = ["rho", "learning_rate", "steps", "tol", "max_steps"];

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-compact trainlab-momentum-rho" });
  const controls = div(root, "trainlab-controls");
  const sliders = {
    rho: slider(controls, {
      name: "rho", label: "momentum ρ", min: limits.rho[0], max: limits.rho[1], step: 0.01,
      value: model.get("rho"), format: (v) => v.toFixed(2), onInput: (v) => setTrait(model, "rho", v),
    }),
    learning_rate: gridSlider(controls, {
      name: "learning_rate", label: "learning rate", grid: LR_GRID, value: model.get("learning_rate"),
      format: (v) => fmtNum(v, 3), onInput: (v) => setTrait(model, "learning_rate", v),
    }),
    steps: slider(controls, {
      name: "steps", label: "steps drawn", min: limits.steps[0], max: limits.steps[1], step: 10,
      value: model.get("steps"), onInput: (v) => setTrait(model, "steps", v),
    }),
  };
  const plots = plotPair(root, {
    main: "Momentum and SGD paths over the contours of the quadratic",
    side: "Both coordinates against the step, for momentum and SGD",
    fraction: 0.55,
  });
  const text = readout(root);

  function redraw(state) {
    for (const k of Object.keys(sliders)) sliders[k].set(state[k]);
    const r = computeMomentumRho(state);
    const colors = palette(root);
    const { wide, mainW, sideW } = plots.layout();
    const h = clampHeight(mainW * 0.55, 200, 340);
    drawMain(fitCanvas(plots.main.canvas, mainW, h), mainW, h, r, colors, plots.main.legend);
    const sh = wide ? h : clampHeight(h * 0.8, 180, 300);
    drawCoordinate(fitCanvas(plots.side.canvas, sideW, sh), sideW, sh, r, colors, plots.side.legend);
    text.textContent = r.readout;
  }

  return liveRender(root, model, TRAITS, redraw);
}

const clipToWindow = (path) => {
  const [x0, x1, y0, y1] = WINDOW;
  const out = path.findIndex(([x, y]) => x < x0 - 5 || x > x1 + 5 || y < y0 - 5 || y > y1 + 5);
  return out >= 0 ? path.slice(0, out + 1) : path;
};

function drawMain(ctx, width, height, r, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const view = makeView(WINDOW, plotRect(width, height));
  drawAxes(ctx, view, colors, { xlabel: "w1 (shallow)", ylabel: "w2 (steep)" });
  const L0 = PARAMS.a * START[0] ** 2 + PARAMS.b * START[1] ** 2;
  drawQuadraticContours(ctx, view, PARAMS.a, PARAMS.b, Array.from({ length: 14 }, (_, k) => L0 * 0.5 ** k), colors.contour);
  const sgd = colors.method("sgd"), mom = colors.method("momentum", 1.8);
  const sgdC = sgd.color, momC = mom.color;
  const sgdPath = clipToWindow(r.sgdPath), momPath = clipToWindow(r.momPath);
  drawPath(ctx, view, sgdPath, { color: sgdC, width: 1.6 });
  drawPath(ctx, view, momPath, { color: momC, width: 1.8, dash: mom.dash, dots: momPath.length <= 80 });
  drawMarker(ctx, view, START, { shape: "ring", color: colors.fg, size: 4 });
  drawMarker(ctx, view, [0, 0], { shape: "star", color: colors.fg, size: 6 });
  setLegend(legend, [
    { label: "SGD", color: sgdC },
    { label: `momentum, ρ = ${r.rho.toFixed(2)}`, color: momC, dash: mom.dash },
    { label: "start", color: colors.fg, shape: "ring" },
    { label: "minimum", color: colors.fg, shape: "star" },
  ]);
}

function drawCoordinate(ctx, width, height, r, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 44, right: 14, top: 12 });
  // Each coordinate as a fraction of its start offset: the start is at -1, the minimum at 0, and
  // an overshoot of 70% peaks at +0.7, so the plot reads like the readout.
  const norm = (path, i) => path.map((p, k) => [k, p[i] / Math.abs(START[i])]);
  const sgdC = colors.method("sgd").color, momC = colors.method("momentum").color;
  const series = [
    { points: norm(r.sgdPath, 1), color: sgdC, width: 1, dash: [4, 3] },
    { points: norm(r.sgdPath, 0), color: sgdC, width: 1.8 },
    { points: norm(r.momPath, 1), color: momC, width: 1, dash: [4, 3] },
    { points: norm(r.momPath, 0), color: momC, width: 1.8 },
  ];
  const view = drawLineChart(ctx, rect, [0, r.steps, -1.1, 1.1], series, colors,
    { xlabel: "step", ylabel: "w / |start offset|" });
  ctx.save();
  ctx.strokeStyle = colors.muted;
  ctx.beginPath();
  ctx.moveTo(rect.left, Math.round(view.py(0)) + 0.5);
  ctx.lineTo(rect.left + rect.width, Math.round(view.py(0)) + 0.5);
  ctx.stroke();
  ctx.restore();
  r.peaks.forEach((peak, i) => {
    if (peak.step === null || peak.value < 0.005) return;
    drawMarker(ctx, view, [peak.step, peak.value], {
      shape: "dot", color: momC, size: 3.5,
      label: `w${i + 1} +${Math.round(100 * peak.value)}%`, labelColor: colors.fg,
    });
  });
  setLegend(legend, [
    { label: "SGD", color: sgdC },
    { label: "momentum", color: momC },
    { label: "w1 (shallow)", color: colors.fg },
    { label: "w2 (steep)", color: colors.fg, dash: [4, 3] },
  ]);
}

export default { render };
