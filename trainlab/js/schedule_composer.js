// Demo "ScheduleComposer" (chapter 4, claims C18-C19): compose a learning-rate schedule and
// watch it drive SGD on a noisy problem.
//
// lrSchedule() is the closed form of trainlab.experiments.schedules.make_scheduler (torch's
// schedulers: MultiStepLR, CosineAnnealingLR, LinearLR, LambdaLR, CosineAnnealingWarmRestarts,
// and a LinearLR warm-up chained by SequentialLR); tests compare it with torch step by step.
// t counts optimizer steps from 0; warm-up: lr = base (t + 1) / W for t < W.
//
// The problem: L(w) = sum_i (c_i w_i^2 / 2 + q w_i^4 / 4), started far out, where its curvature
// c_i + 3 q w_i^2 is ten times what it is at the minimum, with minibatch noise of standard
// deviation sigma / sqrt(batch) on every gradient coordinate. "Batch x k" applies the linear
// scaling rule: k times the batch (noise / sqrt(k)), k times the learning rate, k times fewer
// steps for the same number of examples. Without warm-up the scaled rate meets the large
// curvature of the first steps and diverges; with warm-up the weights reach the flatter region
// first.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { sgd, resolveHyper } from "./optim.js";
import { gaussian } from "./rng.js";
import { palette, plotRect, fitCanvas, drawLineChart } from "./plot.js";
import {
  demoRoot, div, choice, gridSlider, readout, liveRender, setTrait, fmtNum, plotPair, setLegend,
  clampHeight,
} from "./controls.js";

export const SCHEDULES = Object.freeze({
  constant: "constant",
  step: "step (×0.1 at milestones)",
  cosine: "cosine",
  linear: "linear",
  inverse_sqrt: "inverse square root",
  cyclic: "cyclic cosine (4 cycles)",
});
export const SCHEDULE_NAMES = Object.keys(SCHEDULES);
/** Decay points of the step schedule, as fractions of the steps after warm-up. */
export const MILESTONES = Object.freeze({
  "50%, 75%": [0.5, 0.75],
  "30%, 60%, 90%": [0.3, 0.6, 0.9],
  "50%": [0.5],
});
export const MILESTONE_NAMES = Object.keys(MILESTONES);
export const LR_GRID = [0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15];
export const WARMUP_GRID = [0, 10, 25, 50, 100, 200];
export const TOTAL_GRID = [200, 400, 800, 1600];
export const SCALE_GRID = [1, 2, 4, 8, 16];
export const NOISE_GRID = [0, 0.5, 1, 2];
export const PROBLEM = Object.freeze({ c: [1.0, 0.2], q: 0.5, start: [3.0, -3.0] });
const DIVERGED = 1e6;

/** The lr of each of `total` steps: make_scheduler's closed forms (torch's schedulers).
 *  milestones: fractions of the steps after warm-up (rounded as Python's round() does: ties to
 *  even). cycles: for "cyclic". decayTime: tau of inverse_sqrt, base / sqrt(1 + t / tau). */
export function lrSchedule({ schedule, base_lr, total, warmup = 0, milestones = [0.5, 0.75],
  gamma = 0.1, cycles = 4, decayTime = 100 }) {
  if (!(schedule in SCHEDULES)) {
    throw new Error(`unknown schedule "${schedule}"; choose one of ${SCHEDULE_NAMES.join(", ")}`);
  }
  if (!(Number.isInteger(total) && Number.isInteger(warmup) && warmup >= 0 && warmup < total)) {
    throw new Error(`need integers 0 <= warmup < total, got warmup=${warmup}, total=${total}`);
  }
  const n = total - warmup;
  if (schedule === "cyclic" && n % cycles) {
    throw new Error(`cyclic: ${n} steps do not split into ${cycles} equal cycles`);
  }
  const steps = milestones.map((f) => roundHalfEven(f * n));
  const main = (s) => {
    switch (schedule) {
      case "constant": return base_lr;
      case "step": return base_lr * gamma ** steps.filter((m) => m <= s).length;
      case "cosine": return n > 1 ? base_lr * (1 + Math.cos(Math.PI * s / (n - 1))) / 2 : base_lr;
      case "linear": return n > 1 ? base_lr * (1 - s / (n - 1)) : base_lr;
      case "inverse_sqrt": return base_lr / Math.sqrt(1 + s / decayTime);
      default: { const C = n / cycles; return base_lr * (1 + Math.cos(Math.PI * (s % C) / C)) / 2; }
    }
  };
  const out = new Float64Array(total);
  for (let t = 0; t < total; t++) out[t] = t < warmup ? base_lr * (t + 1) / warmup : main(t - warmup);
  return out;
}

function roundHalfEven(x) {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 ? r - 1 : r;
}

/** The problem's loss and gradient at w (2-D). */
export function lossAndGrad(w) {
  const { c, q } = PROBLEM;
  let loss = 0;
  const g = w.map((wi, i) => {
    loss += c[i] * wi * wi / 2 + q * wi ** 4 / 4;
    return c[i] * wi + q * wi ** 3;
  });
  return [loss, g];
}

/** SGD (optim.js's rule) under the schedule, on the noisy problem, with the batch scaled by
 *  `scale` (linear scaling: lr x scale, noise / sqrt(scale), total / scale steps). Returns the
 *  schedule actually used, the loss before every step and after the last, the path, and the
 *  same run at the constant base rate (the reference curve). */
export function computeComposer({ schedule, base_lr, warmup_steps, milestones, total_steps,
  batch_scale = 1, noise_std = 1, seed = 0 }) {
  if (!(milestones in MILESTONES)) {
    throw new Error(`unknown milestones "${milestones}"; choose one of ${MILESTONE_NAMES.join(", ")}`);
  }
  const total = Math.max(2, Math.round(total_steps / batch_scale));
  const warmup = Math.min(Math.round(warmup_steps / batch_scale), total - 1);
  // The cyclic schedule needs whole cycles: drop the last (total - warmup) % 4 steps.
  const totalUsed = schedule === "cyclic" ? total - ((total - warmup) % 4) : total;
  const lr = lrSchedule({ schedule, base_lr: base_lr * batch_scale, total: totalUsed, warmup,
    milestones: MILESTONES[milestones] });
  const noise = noise_std / Math.sqrt(batch_scale);
  const run = (rates) => {
    const normal = gaussian(seed);
    let w = PROBLEM.start.slice();
    const loss = [], path = [w];
    let diverged = false;
    for (let t = 0; t < rates.length; t++) {
      const [L, g] = lossAndGrad(w);
      loss.push(L);
      if (!(L < DIVERGED)) { diverged = true; break; }
      const gn = g.map((gi) => gi + noise * normal());
      [w] = sgd(w, gn, {}, resolveHyper("sgd", { learning_rate: rates[t] }));
      path.push(w);
    }
    if (!diverged) loss.push(lossAndGrad(w)[0]);
    return { loss, path, diverged };
  };
  const main = run(lr);
  const reference = run(new Float64Array(lr.length).fill(base_lr * batch_scale));
  const tail = (xs) => xs.slice(Math.max(0, xs.length - Math.max(5, Math.floor(xs.length / 10))));
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const finalLoss = main.diverged ? Infinity : mean(tail(main.loss));
  const refLoss = reference.diverged ? Infinity : mean(tail(reference.loss));
  return {
    schedule, scale: batch_scale, lr: Array.from(lr), loss: main.loss, path: main.path,
    diverged: main.diverged, reference: reference.loss, referenceDiverged: reference.diverged,
    finalLoss, refLoss, steps: lr.length,
    readout: describe({ schedule, batch_scale, warmup, main, finalLoss, refLoss, steps: lr.length }),
  };
}

export const compute = computeComposer;

function describe({ schedule, batch_scale, warmup, main, finalLoss, refLoss, steps }) {
  const k = batch_scale > 1 ? `Batch ×${batch_scale}, learning rate ×${batch_scale}, ${steps} steps. ` : "";
  if (main.diverged) {
    return `${k}Diverged after ${main.loss.length - 1} steps: the first steps meet a curvature ` +
      `about ten times the one at the minimum${warmup ? "" : "; add a warm-up"}.`;
  }
  const ref = Number.isFinite(refLoss) ? fmtNum(refLoss, 3) : "diverged";
  return `${k}Mean loss over the last tenth of the run: ${fmtNum(finalLoss, 3)} with the ` +
    `${SCHEDULES[schedule]} schedule, ${ref} at the constant base rate.`;
}

// ------------------------------------------------------------------ view ----

const TRAITS = ["schedule", "base_lr", "warmup_steps", "milestones", "total_steps", "batch_scale",
  "noise_std", "seed"];

function render({ model, el }) {
  const root = demoRoot(el, { title: model.get("title"),
    className: "trainlab-compact trainlab-schedule-composer" });
  const controls = div(root, "trainlab-controls");
  const set = (name) => (v) => setTrait(model, name, v);
  const menu = (name, label, options) => choice(controls, {
    name, label, options, value: model.get(name), onInput: set(name),
  });
  const grid = (name, label, values, fmt = String) => gridSlider(controls, {
    name, label, grid: values, value: model.get(name), format: fmt, onInput: set(name),
  });
  const controlsBy = {
    schedule: menu("schedule", "schedule", SCHEDULE_NAMES.map((n) => [n, SCHEDULES[n]])),
    milestones: menu("milestones", "decay points (step)", MILESTONE_NAMES.map((n) => [n, n])),
    base_lr: grid("base_lr", "base learning rate", LR_GRID),
    warmup_steps: grid("warmup_steps", "warm-up steps", WARMUP_GRID),
    total_steps: grid("total_steps", "total steps (batch ×1)", TOTAL_GRID),
    batch_scale: grid("batch_scale", "batch ×k, learning rate ×k", SCALE_GRID, (v) => `×${v}`),
    noise_std: grid("noise_std", "gradient noise", NOISE_GRID),
  };
  const plots = plotPair(root, {
    main: "Learning rate against the number of examples seen",
    side: "Loss against the number of examples seen, this schedule and the constant base rate",
    fraction: 0.45, minMain: 240, minSide: 260,
  });
  const text = readout(root);

  function redraw(state) {
    for (const k of Object.keys(controlsBy)) controlsBy[k].set(state[k]);
    controlsBy.milestones.setDisabled(state.schedule !== "step");
    const r = computeComposer(state);
    const colors = palette(root);
    const { wide, mainW, sideW } = plots.layout();
    const h = clampHeight(mainW * 0.62, 200, 300);
    drawLr(fitCanvas(plots.main.canvas, mainW, h), mainW, h, r, state, colors, plots.main.legend);
    const sh = wide ? h : 240;
    drawLoss(fitCanvas(plots.side.canvas, sideW, sh), sideW, sh, r, state, colors, plots.side.legend);
    text.textContent = r.readout;
  }
  return liveRender(root, model, TRAITS, redraw);
}

function drawLr(ctx, width, height, r, state, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 52, right: 12, top: 10 });
  const k = state.batch_scale;
  const top = Math.max(...r.lr, state.base_lr * k) * 1.08;
  const own = colors.method(state.schedule, 2);
  const line = { points: r.lr.map((v, t) => [t * k, v]), color: own.color, width: 2, dash: own.dash };
  const base = colors.method("constant", 1.2);
  const flat = { points: [[0, state.base_lr * k], [r.steps * k, state.base_lr * k]],
    color: base.color, width: 1.2, dash: [4, 3] };
  drawLineChart(ctx, rect, [0, Math.max(1, r.steps * k), 0, top], [flat, line], colors,
    { xlabel: "examples seen (small batches)", ylabel: "learning rate" });
  setLegend(legend, [
    { label: SCHEDULES[state.schedule], color: line.color, dash: line.dash },
    { label: "constant base rate", color: flat.color, dash: flat.dash },
  ]);
}

function drawLoss(ctx, width, height, r, state, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 52, right: 12, top: 10 });
  const k = state.batch_scale;
  const pts = (xs) => xs.map((v, t) => [t * k, v > 0 && v < DIVERGED ? v : null]);
  const all = r.loss.concat(r.reference).filter((v) => v > 0 && v < DIVERGED);
  const lo = all.length ? 10 ** Math.floor(Math.log10(Math.min(...all))) : 1e-4;
  const hi = all.length ? 10 ** Math.ceil(Math.log10(Math.max(...all) * 1.01)) : 10;
  const own = colors.method(state.schedule, 1.6);
  const ref = { points: pts(r.reference), color: colors.method("constant").color, width: 1, dash: [4, 3] };
  const main = { points: pts(r.loss), color: own.color, width: 1.6, dash: own.dash };
  drawLineChart(ctx, rect, [0, Math.max(1, r.steps * k), lo, Math.max(hi, lo * 10)], [ref, main],
    colors, { logY: true, xlabel: "examples seen (small batches)", ylabel: "loss" });
  setLegend(legend, [
    { label: r.diverged ? "this schedule (diverged)" : "this schedule", color: main.color, dash: main.dash },
    { label: "constant base rate", color: ref.color, dash: ref.dash },
  ]);
}

export default { render };
