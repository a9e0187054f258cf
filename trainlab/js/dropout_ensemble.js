// Demo "DropoutEnsemble" (chapter 6, claims C27-C28): dropout masks and the ensemble average.
//
// A small network y = v . act(W (m * x) / (1 - p)) with 8 inputs, 12 hidden units and one
// output; its weights and input are fixed (seeded). Each forward pass in training draws a fresh
// inverted-dropout mask m over the inputs (each kept with probability 1 - p). The demo draws K
// masks, shows the last one (dropped inputs crossed out), and plots the running average of the
// K outputs against the test-time network (no mask: inverted dropout already rescaled) and the
// exact average over all 2^8 masks. With act = identity they coincide; with act = ReLU the exact
// average and the test-time output differ: weight scaling is an approximation there.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { mulberry32, gaussian } from "./rng.js";
import { palette, plotRect, fitCanvas, drawLineChart, drawLegendRow } from "./plot.js";
import { demoRoot, div, slider, toggle, readout, canvas, liveRender, setTrait, fmtNum, splitWidth, clampHeight } from "./controls.js";
import { drawAgain } from "./buttons.js";

export const N_IN = 8, N_HIDDEN = 12;

/** The fixed network (weights from a seeded normal stream) and input. */
export function network(seed = 3) {
  const g = gaussian(seed);
  const W = Array.from({ length: N_HIDDEN }, () => Array.from({ length: N_IN }, () => g() / Math.sqrt(N_IN)));
  const v = Array.from({ length: N_HIDDEN }, () => g() / Math.sqrt(N_HIDDEN));
  const x = Array.from({ length: N_IN }, () => 1 + 0.5 * g());
  return { W, v, x };
}

/** The output for input mask `m` (0/1 per input; null = no dropout, the test-time network). */
export function forward(net, m, p, relu) {
  let y = 0;
  for (let j = 0; j < N_HIDDEN; j++) {
    let a = 0;
    for (let i = 0; i < N_IN; i++) a += net.W[j][i] * net.x[i] * (m ? m[i] / (1 - p) : 1);
    y += net.v[j] * (relu ? Math.max(0, a) : a);
  }
  return y;
}

/** The exact mean output over all 2^N_IN masks, each weighted by its probability. */
export function exactMean(net, p, relu) {
  let total = 0;
  for (let bits = 0; bits < 1 << N_IN; bits++) {
    const m = Array.from({ length: N_IN }, (_, i) => (bits >> i) & 1);
    const kept = m.reduce((s, b) => s + b, 0);
    total += (1 - p) ** kept * p ** (N_IN - kept) * forward(net, m, p, relu);
  }
  return total;
}

/** K masks from `seed`, their outputs and running average, the test-time and exact outputs. */
export function compute({ p, masks, relu, seed }) {
  if (!(p >= 0 && p < 1)) throw new Error(`p must be in [0, 1), got ${p}`);
  const net = network();
  const u = mulberry32(seed);
  const outputs = [], running = [], all = [];
  let sum = 0;
  for (let k = 0; k < masks; k++) {
    const m = Array.from({ length: N_IN }, () => (u() < p ? 0 : 1));
    const y = forward(net, m, p, relu);
    outputs.push(y);
    sum += y;
    running.push(sum / (k + 1));
    all.push(m);
  }
  const test = forward(net, null, p, relu), exact = exactMean(net, p, relu);
  const last = all[all.length - 1];
  const dropFraction = all.reduce((s, m) => s + m.filter((b) => b === 0).length, 0) / (N_IN * masks);
  return { p, masks, relu, seed, outputs, running, test, exact, lastMask: last, net, dropFraction,
    readout: describe({ p, masks, relu, running, test, exact, last }) };
}

function describe({ p, masks, relu, running, test, exact, last }) {
  const dropped = last.filter((b) => b === 0).length;
  let text = `The last pass dropped ${dropped} of ${N_IN} inputs. The average of ${masks} ` +
    `mask${masks > 1 ? "s" : ""} is ${fmtNum(running[running.length - 1], 4)}; the test-time network gives ` +
    `${fmtNum(test, 4)} and the exact average over all ${1 << N_IN} masks is ${fmtNum(exact, 4)}.`;
  if (p === 0) text += " With p = 0 nothing is dropped.";
  else if (relu) text += ` With a ReLU the two differ by ${fmtNum(Math.abs(exact - test), 3)}: weight scaling approximates the average.`;
  else text += " Without a non-linearity they are equal: weight scaling is exact.";
  return text;
}

// ------------------------------------------------------------------ view ----

const TRAITS = ["p", "masks", "relu", "seed"];

function drawNetwork(ctx, width, height, r, colors) {
  const xs = [40, width / 2, width - 40];
  const ys = (n, i) => 16 + ((height - 32) * (i + 0.5)) / n;
  ctx.strokeStyle = colors.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();  // all connections in one path: one stroke
  for (let i = 0; i < N_IN; i++) {
    if (!r.lastMask[i]) continue;
    for (let j = 0; j < N_HIDDEN; j++) {
      ctx.moveTo(xs[0], ys(N_IN, i));
      ctx.lineTo(xs[1], ys(N_HIDDEN, j));
    }
  }
  for (let j = 0; j < N_HIDDEN; j++) {
    ctx.moveTo(xs[1], ys(N_HIDDEN, j));
    ctx.lineTo(xs[2], height / 2);
  }
  ctx.stroke();
  const node = (x, y, on, color) => {
    ctx.beginPath();
    ctx.arc(x, y, 8, 0, 2 * Math.PI);
    ctx.fillStyle = on ? color : "transparent";
    ctx.fill();
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    if (!on) {
      ctx.beginPath();
      ctx.moveTo(x - 9, y - 9); ctx.lineTo(x + 9, y + 9);
      ctx.moveTo(x - 9, y + 9); ctx.lineTo(x + 9, y - 9);
      ctx.stroke();
    }
  };
  for (let i = 0; i < N_IN; i++) node(xs[0], ys(N_IN, i), r.lastMask[i] === 1, colors.method("dropout").color);
  for (let j = 0; j < N_HIDDEN; j++) node(xs[1], ys(N_HIDDEN, j), true, colors.muted);
  node(xs[2], height / 2, true, colors.fg);
  ctx.fillStyle = colors.fg;
  ctx.font = "11px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.fillText("inputs (last mask)", xs[0] + 20, height - 2);
  ctx.fillText(r.relu ? "ReLU units" : "linear units", xs[1], height - 2);
  ctx.fillText("y", xs[2], height / 2 - 14);
  ctx.textAlign = "start";
}

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-compact trainlab-dropout" });
  const controls = div(root, "trainlab-controls");
  const set = (name) => (v) => setTrait(model, name, v);
  const c = {
    p: slider(controls, { name: "p", label: "drop probability p", min: limits.p[0], max: limits.p[1], step: 0.05,
      value: model.get("p"), format: (v) => fmtNum(v, 2), onInput: set("p") }),
    masks: slider(controls, { name: "masks", label: "masks averaged K", min: limits.masks[0], max: limits.masks[1],
      step: 1, value: model.get("masks"), onInput: set("masks") }),
    relu: toggle(controls, { name: "relu", label: "ReLU (off: linear)", value: model.get("relu"), onInput: set("relu") }),
  };
  drawAgain(controls, model);
  const plots = div(root, "trainlab-plots");
  const net = canvas(plots, "The network with the inputs dropped by the last mask crossed out");
  const chart = canvas(plots, "Running average of the outputs of K masks, against the test-time output and the exact average");
  const text = readout(root);

  function redraw(state) {
    c.p.set(state.p); c.masks.set(state.masks); c.relu.set(state.relu);
    const r = compute(state);
    const colors = palette(root);
    const { wide, mainW, sideW } = splitWidth(root, 0.4);
    const h = clampHeight(mainW * 0.9, 220, 300);
    drawNetwork(fitCanvas(net, mainW, h), mainW, h, r, colors);
    const hc = wide ? h : 240;
    const ctx = fitCanvas(chart, sideW, hc);
    const rect = plotRect(sideW, hc, { top: 26 });
    const K = r.running.length;
    const ys = [...r.running, r.test, r.exact];
    const lo = Math.min(...ys), hi = Math.max(...ys), pad = 0.1 * (hi - lo || 1);
    const window = [1, Math.max(2, K), lo - pad, hi + pad];
    const avg = colors.method("dropout"), test = colors.method("none"), exact = colors.method("ensemble");
    drawLineChart(ctx, rect, window, [
      { points: r.running.map((y, k) => [k + 1, y]), color: avg.color, width: 1.8 },
      { points: [[1, r.test], [Math.max(2, K), r.test]], color: test.color, width: 1.6, dash: [6, 4] },
      { points: [[1, r.exact], [Math.max(2, K), r.exact]], color: exact.color, width: 1.6, dash: [2, 3] },
    ], colors, { logX: true, xlabel: "masks averaged K (log scale)", ylabel: "output" });
    drawLegendRow(ctx, rect.left, 12, [
      { label: "running average", color: avg.color, shape: "line" },
      { label: "test-time network", color: test.color, shape: "line", dash: [6, 4] },
      { label: "exact average", color: exact.color, shape: "line", dash: [2, 3] },
    ], colors, rect.width);
    text.textContent = r.readout;
  }
  return liveRender(root, model, TRAITS, redraw);
}

export default { render };
