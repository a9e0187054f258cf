// Demo "EmaAverage" (chapter 4, claim C22): Polyak averaging of a jittering SGD iterate.
//
// SGD at a constant learning rate on the quadratic L(w) = (h1 w1^2 + h2 w2^2) / 2 with gradient
// noise never settles: it bounces in a noise ball around the minimum. The exponential moving
// average of its iterates,
//   avg <- decay * avg + (1 - decay) * w          (torch's get_ema_multi_avg_fn(decay))
// after every step, sits near the ball's centre. "copy first" starts the average the way
// torch.optim.swa_utils.AveragedModel does (its first update copies the weights); otherwise it
// starts at the initial weights and carries their weight decay^t for a long time.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { sgd, resolveHyper } from "./optim.js";
import { gaussian } from "./rng.js";
import {
  palette, makeView, plotRect, fitCanvas, drawQuadraticContours, drawPath, drawMarker, drawAxes,
  drawLineChart,
} from "./plot.js";
import {
  demoRoot, div, gridSlider, toggle, readout, liveRender, setTrait, fmtNum, plotPair, setLegend,
  clampHeight,
} from "./controls.js";

export const CURVATURES = Object.freeze([1.0, 0.3]);
export const START = Object.freeze([2.5, 2.0]);
export const DECAY_GRID = [0.5, 0.9, 0.95, 0.99, 0.995];
export const LR_GRID = [0.05, 0.1, 0.2, 0.5, 1.0];
export const NOISE_GRID = [0.25, 0.5, 1, 2];
export const STEPS_GRID = [100, 200, 400, 800];
const WINDOW = [-3, 3, -3, 3];

/** One EMA update of a list of arrays: decay * avg + (1 - decay) * w, new arrays. */
export function emaUpdate(avg, w, decay) {
  return avg.map((a, i) => a.map((ai, j) => decay * ai + (1 - decay) * w[i][j]));
}

/** SGD (optim.js's rule) on the noisy quadratic and the EMA of its iterates after every step.
 *  Returns the iterates (start first), the average after each step, and both losses. */
export function computeEma({ decay, learning_rate, noise_std, steps, copy_first = true, seed = 0 }) {
  const normal = gaussian(seed);
  const h = resolveHyper("sgd", { learning_rate });
  const loss = (w) => (CURVATURES[0] * w[0] ** 2 + CURVATURES[1] * w[1] ** 2) / 2;
  let w = START.slice();
  let avg = copy_first ? null : [START.slice()];
  const path = [w], avgPath = [avg ? avg[0] : START.slice()];
  const lossW = [loss(w)], lossAvg = [loss(avgPath[0])];
  for (let t = 0; t < steps; t++) {
    const g = w.map((wi, i) => CURVATURES[i] * wi + noise_std * normal());
    [w] = sgd(w, g, {}, h);
    avg = avg === null ? [w.slice()] : emaUpdate(avg, [w], decay);
    path.push(w);
    avgPath.push(avg[0]);
    lossW.push(loss(w));
    lossAvg.push(loss(avg[0]));
  }
  const half = (xs) => xs.slice(Math.floor(xs.length / 2));
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const late = { iterate: mean(half(lossW)), average: mean(half(lossAvg)) };
  const stable = learning_rate * Math.max(...CURVATURES) < 2;
  return { path, avgPath, lossW, lossAvg, late, stable,
    readout: describe({ late, decay, copy_first, stable, steps }) };
}

export const compute = computeEma;

function describe({ late, decay, copy_first, stable, steps }) {
  if (!stable) return "The learning rate exceeds 2 / h on the steep axis: SGD itself diverges.";
  const window = Math.round(1 / (1 - decay));
  let text = `Mean loss over the second half: iterate ${fmtNum(late.iterate, 3)}, average ` +
    `${fmtNum(late.average, 3)} (${fmtNum(late.iterate / late.average, 2)}× lower; the average ` +
    `spans about the last ${window} steps).`;
  if (!copy_first) {
    text += ` Started at the initial weights, the average still gives them weight ` +
      `${fmtNum(decay ** steps, 2)} after ${steps} steps.`;
  }
  return text;
}

// ------------------------------------------------------------------ view ----

const TRAITS = ["decay", "learning_rate", "noise_std", "steps", "copy_first", "seed"];

function render({ model, el }) {
  const root = demoRoot(el, { title: model.get("title"),
    className: "trainlab-compact trainlab-ema-average" });
  const controls = div(root, "trainlab-controls");
  const set = (name) => (v) => setTrait(model, name, v);
  const grid = (name, label, values, fmt = String) => gridSlider(controls, {
    name, label, grid: values, value: model.get(name), format: fmt, onInput: set(name),
  });
  const controlsBy = {
    decay: grid("decay", "decay β", DECAY_GRID),
    learning_rate: grid("learning_rate", "learning rate", LR_GRID),
    noise_std: grid("noise_std", "gradient noise", NOISE_GRID),
    steps: grid("steps", "steps", STEPS_GRID),
    copy_first: toggle(controls, { name: "copy_first", label: "copy on the first update (AveragedModel)",
      value: model.get("copy_first"), onInput: set("copy_first") }),
  };
  const plots = plotPair(root, {
    main: "SGD's iterates and their moving average over the loss contours",
    side: "Loss of the iterate and of the average against the step",
    fraction: 0.5, minMain: 240, minSide: 240,
  });
  const text = readout(root);

  function redraw(state) {
    for (const k of Object.keys(controlsBy)) controlsBy[k].set(state[k]);
    const r = computeEma(state);
    const colors = palette(root);
    const { wide, mainW, sideW } = plots.layout();
    const h = clampHeight(mainW, 220, 340);
    drawPlane(fitCanvas(plots.main.canvas, mainW, h), mainW, h, r, colors, plots.main.legend);
    const sh = wide ? h : 220;
    drawLosses(fitCanvas(plots.side.canvas, sideW, sh), sideW, sh, r, colors, plots.side.legend);
    text.textContent = r.readout;
  }
  return liveRender(root, model, TRAITS, redraw);
}

function drawPlane(ctx, width, height, r, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const view = makeView(WINDOW, plotRect(width, height));
  drawAxes(ctx, view, colors, { xlabel: "w1", ylabel: "w2" });
  drawQuadraticContours(ctx, view, CURVATURES[0] / 2, CURVATURES[1] / 2,
    [0.02, 0.1, 0.3, 0.7, 1.5, 3], colors.contour);
  const it = colors.method("no_averaging", 1), av = colors.method("ema", 2);
  drawPath(ctx, view, r.path, { color: it.color, width: 0.7, dots: r.path.length <= 201 });
  drawPath(ctx, view, r.avgPath, { color: av.color, width: 2, dash: av.dash });
  drawMarker(ctx, view, [0, 0], { shape: "star", color: colors.fg, size: 6 });
  setLegend(legend, [
    { label: "SGD iterate", color: it.color },
    { label: "moving average", color: av.color, dash: av.dash },
  ]);
}

function drawLosses(ctx, width, height, r, colors, legend) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 52, right: 12, top: 10 });
  const pts = (xs) => xs.map((v, t) => [t, v > 0 && Number.isFinite(v) ? v : null]);
  const all = r.lossW.concat(r.lossAvg).filter((v) => v > 0 && Number.isFinite(v));
  const lo = all.length ? 10 ** Math.floor(Math.log10(Math.min(...all))) : 1e-3;
  const hi = all.length ? 10 ** Math.ceil(Math.log10(Math.max(...all) * 1.01)) : 10;
  const it = colors.method("no_averaging", 1), av = colors.method("ema", 1.8);
  drawLineChart(ctx, rect, [0, r.lossW.length - 1, Math.max(lo, 1e-6), Math.max(hi, lo * 10)], [
    { points: pts(r.lossW), color: it.color, width: 1 },
    { points: pts(r.lossAvg), color: av.color, width: 1.8, dash: av.dash },
  ], colors, { logY: true, xlabel: "step t", ylabel: "loss" });
  setLegend(legend, [
    { label: "iterate", color: it.color }, { label: "moving average", color: av.color, dash: av.dash },
  ]);
}

export default { render };
