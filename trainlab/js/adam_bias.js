// Demo "AdamBiasCorrection" (chapter 3, claim C15): Adam's first steps with and without bias
// correction.
//
// Adam runs on a surface the reader picks, with bias correction on or off (the toggle picks the
// path actually taken). At every step both candidate steps are computed from the same state
// (m_t, v_t), the way the chapter's figure reads torch.optim.Adam's state:
//   corrected   = -lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)
//   uncorrected = -lr * m / (sqrt(v) + eps)
// so their size ratio is the factor (1 - b1^t) / sqrt(1 - b2^t) whatever the gradients (eps
// aside): 3.16 at t = 1 and a peak of 6.57 at t = 12 for the defaults b1 = 0.9, b2 = 0.999.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { adam, initState, resolveHyper, diverged } from "./optim.js";
import { getSurface } from "./surfaces.js";
import {
  palette, makeView, plotRect, fitCanvas, sampleGrid, quantileLevels, contourSegments,
  drawContours, drawPath, drawMarker, drawAxes, drawLineChart, layerCache, blit,
} from "./plot.js";
import {
  demoRoot, div, slider, gridSlider, toggle, choice, niceLadder, readout, liveRender, setTrait,
  fmtNum, plot, plotPair, setLegend, clampHeight,
} from "./controls.js";

/** The problems on offer: surfaces.js surfaces from their own start points. */
export const PROBLEMS = Object.freeze({
  quadratic: { label: "ill-conditioned quadratic" },
  rosenbrock: { label: "Rosenbrock" },
  beale: { label: "Beale" },
  bumpy: { label: "bumpy bowl" },
});
export const PROBLEM_NAMES = Object.keys(PROBLEMS);
export const LR_GRID = niceLadder(1e-3, 1);
export const BETA2_GRID = [0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9995, 0.9999];

/** The factor (1 - b1^t) / sqrt(1 - b2^t) for t = 1..T. */
export function theoryRatio(beta1, beta2, T) {
  return Array.from({ length: T }, (_, k) => (1 - beta1 ** (k + 1)) / Math.sqrt(1 - beta2 ** (k + 1)));
}

const norm = (v) => Math.sqrt(v[0] * v[0] + v[1] * v[1]);

/** Adam for `steps` steps on `problem` with bias correction on or off (optim.js's adam rule).
 *  Per step t = 1..T: the step taken, and both candidate steps from the same state (written as
 *  optim.js computes its step, so the taken one equals one candidate bit for bit).
 *  Stops early if the path diverges. */
export function computeBias({ problem, bias_correction, beta1, beta2, learning_rate, steps = 50 }) {
  if (!(problem in PROBLEMS)) {
    throw new Error(`unknown problem "${problem}"; choose one of ${PROBLEM_NAMES.join(", ")}`);
  }
  const s = getSurface(problem);
  const h = resolveHyper("adam", { learning_rate, beta1, beta2, bias_correction });
  let w = s.start.slice();
  let state = initState("adam", 2);
  const path = [w], corrected = [], uncorrected = [], taken = [];
  for (let k = 0; k < steps; k++) {
    const g = s.grad(w[0], w[1]);
    const [next, st] = adam(w, g, state, h);
    const t = st.t;
    const c1 = learning_rate / (1 - beta1 ** t), c2 = Math.sqrt(1 - beta2 ** t);
    const cor = st.m.map((m, i) => (-c1 * m) / (Math.sqrt(st.v[i]) / c2 + h.epsilon));
    const unc = st.m.map((m, i) => (-learning_rate * m) / (Math.sqrt(st.v[i]) / 1 + h.epsilon));
    if (diverged(next)) break;
    corrected.push(norm(cor));
    uncorrected.push(norm(unc));
    taken.push(bias_correction ? cor : unc);
    path.push(next);
    w = next;
    state = st;
  }
  const T = corrected.length;
  const ratio = corrected.map((c, k) => uncorrected[k] / c);
  const theory = theoryRatio(beta1, beta2, T);
  const peakIndex = (xs) => xs.reduce((best, x, k) => (x > xs[best] ? k : best), 0);
  const peak = T ? { t: peakIndex(ratio) + 1, ratio: ratio[peakIndex(ratio)] } : null;
  const theoryPeak = T ? { t: peakIndex(theory) + 1, ratio: theory[peakIndex(theory)] } : null;
  return {
    problem, biasCorrection: bias_correction, beta1, beta2, lr: learning_rate, steps,
    path, taken, corrected, uncorrected, ratio, theory, peak, theoryPeak, diverged: T < steps,
    readout: describe({ biasCorrection: bias_correction, ratio, theory, peak, theoryPeak, corrected, uncorrected, T, steps }),
  };
}

function describe({ biasCorrection, ratio, theory, peak, theoryPeak, corrected, uncorrected, T, steps }) {
  if (!T) return "Adam diverged at its first step: lower the learning rate.";
  const x = (v) => `${fmtNum(v, 3)}×`;
  let text = `Without bias correction the first step is ${x(ratio[0])} the corrected one ` +
    `(formula ${x(theory[0])}); over the first ${T} steps the ratio peaks at ${x(peak.ratio)} at ` +
    `t = ${peak.t} (formula: ${x(theoryPeak.ratio)} at t = ${theoryPeak.t}). `;
  const first = biasCorrection ? corrected[0] : uncorrected[0];
  text += `This path takes the ${biasCorrection ? "corrected" : "uncorrected"} steps: ` +
    `|Δw| = ${fmtNum(first, 3)} at t = 1.`;
  if (T < steps) text += ` It diverged after ${T} steps.`;
  return text;
}

/** The demo's whole computation from its traits (the contract tests call it in node). */
export const compute = computeBias;

// ------------------------------------------------------------------ view ----

const TRAITS = ["problem", "bias_correction", "beta1", "beta2", "learning_rate", "steps"];

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-compact trainlab-adam-bias" });
  const controls = div(root, "trainlab-controls");
  const set = (name) => (v) => setTrait(model, name, v);
  const controlsBy = {
    bias_correction: toggle(controls, {
      name: "bias_correction", label: "bias correction", value: model.get("bias_correction"),
      onInput: set("bias_correction"),
    }),
    problem: choice(controls, {
      name: "problem", label: "problem", options: PROBLEM_NAMES.map((n) => [n, PROBLEMS[n].label]),
      value: model.get("problem"), onInput: set("problem"),
    }),
    learning_rate: gridSlider(controls, {
      name: "learning_rate", label: "learning rate", grid: LR_GRID, value: model.get("learning_rate"),
      format: (v) => fmtNum(v, 3), onInput: set("learning_rate"),
    }),
    beta1: slider(controls, {
      name: "beta1", label: "β1", min: limits.beta1[0], max: limits.beta1[1], step: 0.01,
      value: model.get("beta1"), format: (v) => v.toFixed(2), onInput: set("beta1"),
    }),
    beta2: gridSlider(controls, {
      name: "beta2", label: "β2", grid: BETA2_GRID, value: model.get("beta2"),
      format: (v) => String(v), onInput: set("beta2"),
    }),
    steps: slider(controls, {
      name: "steps", label: "steps", min: limits.steps[0], max: limits.steps[1], step: 5,
      value: model.get("steps"), onInput: set("steps"),
    }),
  };
  const plots = plotPair(root, {
    main: "Adam's path over the contours of the chosen problem",
    side: "Step sizes with and without bias correction against the step",
    fraction: 0.5, minMain: 260, minSide: 260,
  });
  // The ratio (the point of the demo) gets the full width below the pair.
  const ratios = plot(div(root, "trainlab-plots"),
    "Ratio of the uncorrected to the corrected step, measured and by formula");
  const text = readout(root);
  const layers = layerCache();

  function redraw(state) {
    for (const k of Object.keys(controlsBy)) controlsBy[k].set(state[k]);
    const r = computeBias(state);
    const colors = palette(root);
    const { wide, mainW, sideW } = plots.layout();
    const width = Math.max(120, Math.floor(ratios.box.clientWidth));
    const surface = getSurface(state.problem);
    const [x0, x1, y0, y1] = surface.window;
    const h = clampHeight(mainW * ((y1 - y0) / (x1 - x0)), 240, 360);
    drawMain(fitCanvas(plots.main.canvas, mainW, h), mainW, h, r, surface, colors, layers, plots.main.legend);
    const sh = wide ? h : 220;
    drawSizes(fitCanvas(plots.side.canvas, sideW, sh), sideW, sh, r, colors, plots.side.legend);
    drawRatio(fitCanvas(ratios.canvas, width, 210), width, 210, r, colors, ratios.legend);
    text.textContent = r.readout;
  }

  return liveRender(root, model, TRAITS, redraw);
}

// Adam's own colour for the bias-corrected step; the uncorrected one in its palette entry.
const ON = "adam", OFF = "adam_uncorrected";

function drawMain(ctx, width, height, r, surface, colors, layers, legend) {
  const view = makeView(surface.window, plotRect(width, height));
  ctx.clearRect(0, 0, width, height);
  blit(ctx, layers.get(`${surface.name}|${colors.fg}`, width, height, (lctx) => {
    drawAxes(lctx, view, colors, { xlabel: "w1", ylabel: "w2" });
    const nx = 110, ny = 90;
    const lo = surface.minimum ? surface.loss(...surface.minimum) : 0;
    const z = sampleGrid((x, y) => Math.log(surface.loss(x, y) - lo + 1e-3), surface.window, nx, ny);
    drawContours(lctx, view, contourSegments(z, surface.window, nx, ny, quantileLevels(z, 16)), colors.contour);
  }));
  const { color, dash } = colors.method(r.biasCorrection ? ON : OFF, 1.8);
  drawPath(ctx, view, r.path, { color, dash, width: 1.8, dots: r.path.length <= 80 });
  drawMarker(ctx, view, surface.start, { shape: "ring", color: colors.fg, size: 4 });
  if (surface.minimum) drawMarker(ctx, view, surface.minimum, { shape: "star", color: colors.fg, size: 6 });
  const items = [
    { label: `Adam, ${r.biasCorrection ? "with" : "without"} bias correction`, color, dash },
    { label: "start", color: colors.fg, shape: "ring" },
  ];
  if (surface.minimum) items.push({ label: "minimum", color: colors.fg, shape: "star" });
  setLegend(legend, items);
}

function drawSizes(ctx, width, height, r, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 50, right: 12, top: 12 });
  const all = r.corrected.concat(r.uncorrected).filter((v) => v > 0);
  const lo = all.length ? 10 ** Math.floor(Math.log10(Math.min(...all))) : 1e-3;
  const hi = all.length ? 10 ** Math.ceil(Math.log10(Math.max(...all) * 1.01)) : 1;
  const pts = (xs) => xs.map((v, k) => [k + 1, v > 0 ? v : null]);
  const on = r.biasCorrection;
  // The step taken is solid, the other candidate (same state) dashed.
  const unc = { points: pts(r.uncorrected), color: colors.method(OFF).color, width: on ? 1.3 : 2, dash: on ? [4, 3] : null };
  const cor = { points: pts(r.corrected), color: colors.method(ON).color, width: on ? 2 : 1.3, dash: on ? null : [4, 3] };
  drawLineChart(ctx, rect, [1, Math.max(2, r.steps), lo, Math.max(hi, lo * 10)], [unc, cor], colors,
    { logY: true, xlabel: "step t", ylabel: "step size |Δw|" });
  setLegend(legend, [
    { label: `without correction${on ? "" : " (taken)"}`, color: unc.color, dash: unc.dash },
    { label: `with correction${on ? " (taken)" : ""}`, color: cor.color, dash: cor.dash },
  ]);
}

function drawRatio(ctx, width, height, r, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 50, right: 12, top: 12 });
  const top = Math.max(1.5, ...r.theory, ...r.ratio.filter(Number.isFinite)) * 1.1;
  const theory = { points: r.theory.map((v, k) => [k + 1, v]), color: colors.muted, width: 3 };
  const view = drawLineChart(ctx, rect, [0, Math.max(2, r.steps), 0, top], [theory], colors,
    { xlabel: "step t", ylabel: "uncorrected / corrected" });
  for (let k = 0; k < r.ratio.length; k++) {
    drawMarker(ctx, view, [k + 1, r.ratio[k]], { shape: "dot", color: colors.fg, size: 2.2 });
  }
  if (r.peak) {
    drawMarker(ctx, view, [r.peak.t, r.peak.ratio], {
      shape: "ring", color: colors.fg, size: 5, label: `max ${fmtNum(r.peak.ratio, 3)} at t = ${r.peak.t}`,
    });
  }
  setLegend(legend, [
    { label: "formula (1 − β1^t) / √(1 − β2^t)", color: colors.muted },
    { label: "measured (both steps from the same state)", color: colors.fg, shape: "dot" },
  ]);
}

export default { render };
