// Demo "SearchRace" (recap, claim C00f): grid search against random search with the same budget
// on a 2-D hyperparameter space where one axis (the learning rate) matters and the other
// (weight decay) hardly does.
//
// The map is real: validation accuracies of softmax-regression runs on a 41 x 41 grid of
// (log10 learning rate, log10 weight decay), computed at build time by
// trainlab.experiments.recap.search_landscape and embedded as plain data. A trial's accuracy is
// read off that map by bilinear interpolation. Each "draw again" shifts the grid by a random
// offset (so both strategies are random, as in the chapter's experiment) and draws new random
// trials; the strip under the map shows the distinct learning rates each strategy tried.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { mulberry32 } from "./rng.js";
import { makeView, plotRect, fitCanvas, drawAxes, drawMarker } from "./plot.js";
import { palette } from "./plot.js";
import {
  demoRoot, div, choice, readout, liveRender, setTrait, plotPair, setLegend, clampHeight, fmtNum,
} from "./controls.js";
import { drawAgain } from "./buttons.js";

export const BUDGETS = [4, 9, 16, 25];

/** Bilinear interpolation of the map z (rows by y, columns by x) at (px, py). */
export function lookup(land, px, py) {
  const { x, y, z } = land;
  const at = (v, axis) => Math.min(axis.length - 1, Math.max(0, ((v - axis[0]) / (axis[axis.length - 1] - axis[0])) * (axis.length - 1)));
  const fx = at(px, x), fy = at(py, y);
  const i = Math.min(Math.floor(fx), x.length - 2), j = Math.min(Math.floor(fy), y.length - 2);
  const u = fx - i, v = fy - j;
  return (1 - u) * (1 - v) * z[j][i] + u * (1 - v) * z[j][i + 1] + (1 - u) * v * z[j + 1][i] + u * v * z[j + 1][i + 1];
}

/** One grid search (sqrt(budget) values per axis, shifted by a random offset) and one random
 *  search (budget uniform draws) in the map's box, from `seed`. Per strategy: the trial points,
 *  their accuracies, the best trial, and the number of distinct learning rates tried. */
export function computeSearch({ landscape, budget, seed = 0 }) {
  const k = Math.round(Math.sqrt(budget));
  if (k * k !== budget) throw new Error(`budget must be a square (a k x k grid), got ${budget}`);
  const { x, y } = landscape;
  const [x0, x1, y0, y1] = [x[0], x[x.length - 1], y[0], y[y.length - 1]];
  const rand = mulberry32(seed * 7919 + 17);
  const ou = rand(), ov = rand();
  const grid = [];
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < k; i++) {
      grid.push([x0 + ((i + ou) / k) * (x1 - x0), y0 + ((j + ov) / k) * (y1 - y0)]);
    }
  }
  const random = Array.from({ length: budget }, () => [x0 + rand() * (x1 - x0), y0 + rand() * (y1 - y0)]);
  const summarise = (pts) => {
    const acc = pts.map(([a, b]) => lookup(landscape, a, b));
    const best = acc.reduce((bi, v, i) => (v > acc[bi] ? i : bi), 0);
    const distinct = new Set(pts.map((p) => p[0].toFixed(9))).size;
    return { points: pts, acc, best, bestAcc: acc[best], distinct };
  };
  return { budget, seed, grid: summarise(grid), random: summarise(random) };
}

/** The demo's computation at a widget state, with its readout (the contract tests call it). */
export function compute(state) {
  const r = computeSearch(state);
  return { ...r, readout: describe(r) };
}

// A perceptually uniform, colour-blind-safe ramp (viridis), 9 stops, interpolated.
const VIRIDIS = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"];
function ramp(t) {
  const s = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(s)), u = s - i;
  const c = (h, k) => parseInt(h.slice(1 + 2 * k, 3 + 2 * k), 16);
  const mix = (k) => Math.round(c(VIRIDIS[i], k) * (1 - u) + c(VIRIDIS[i + 1], k) * u);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

function describe(r) {
  const g = r.grid, q = r.random;
  return `Grid search tried ${g.distinct} distinct learning rates and found accuracy ` +
    `${fmtNum(g.bestAcc, 3)}; random search tried ${q.distinct} and found ${fmtNum(q.bestAcc, 3)}` +
    (q.bestAcc > g.bestAcc ? " (random wins this draw)." : q.bestAcc < g.bestAcc ? " (grid wins this draw)." : " (a tie).");
}

// ------------------------------------------------------------------ view ----

const TRAITS = ["budget", "seed", "landscape"];

function render({ model, el }) {
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-search-race" });
  const controls = div(root, "trainlab-controls");
  const budgetMenu = choice(controls, {
    name: "budget", label: "trials per search", value: model.get("budget"),
    options: BUDGETS.map((b) => [b, `${b} (${Math.round(Math.sqrt(b))} × ${Math.round(Math.sqrt(b))} grid)`]),
    onInput: (v) => setTrait(model, "budget", v),
  });
  drawAgain(controls, model, "seed");
  const plots = plotPair(root, {
    main: "Validation accuracy over log learning rate and log weight decay, with the trials of both searches; below, the learning rates each tried",
    side: "Validation accuracy against log learning rate, with the best trial of each search",
    fraction: 0.6, minMain: 300, minSide: 220,
  });
  const text = readout(root);

  function redraw(state) {
    budgetMenu.set(state.budget);
    const land = state.landscape;
    const r = computeSearch({ landscape: land, budget: state.budget, seed: state.seed });
    const colors = palette(root);
    const { wide, mainW, sideW } = plots.layout();
    const h = clampHeight(mainW * 0.7, 220, 380);
    drawMap(fitCanvas(plots.main.canvas, mainW, h), mainW, h, land, r, colors);
    const sh = wide ? h : clampHeight(sideW * 0.6, 180, 280);
    drawProfile(fitCanvas(plots.side.canvas, sideW, sh), sideW, sh, land, r, colors);
    const g = colors.method("grid_search"), q = colors.method("random_search");
    setLegend(plots.main.legend, [
      { label: `grid (${r.grid.distinct} learning rates)`, color: g.color, shape: "ring" },
      { label: `random (${r.random.distinct} learning rates)`, color: q.color, shape: "dot" },
    ]);
    setLegend(plots.side.legend, [
      { label: "accuracy, best over weight decay", color: colors.fg },
      { label: `best grid trial ${fmtNum(r.grid.bestAcc, 3)}`, color: g.color, shape: "ring" },
      { label: `best random trial ${fmtNum(r.random.bestAcc, 3)}`, color: q.color, shape: "dot" },
    ]);
    text.textContent = describe(r);
  }

  return liveRender(root, model, TRAITS, redraw);
}

function drawMap(ctx, width, height, land, r, colors) {
  ctx.clearRect(0, 0, width, height);
  const { x, y, z } = land;
  const strip = 34;
  const rect = plotRect(width, height - strip, { left: 50, bottom: 34 });
  const view = makeView([x[0], x[x.length - 1], y[0], y[y.length - 1]], rect);
  const flat = z.flat(), zmin = Math.min(...flat), zmax = Math.max(...flat);
  const dx = (x[1] - x[0]) / 2, dy = (y[1] - y[0]) / 2;
  for (let j = 0; j < y.length; j++) {
    for (let i = 0; i < x.length; i++) {
      ctx.fillStyle = ramp((z[j][i] - zmin) / (zmax - zmin));
      const X0 = view.px(x[i] - dx), X1 = view.px(x[i] + dx), Y0 = view.py(y[j] + dy), Y1 = view.py(y[j] - dy);
      ctx.fillRect(X0, Y0, X1 - X0 + 0.6, Y1 - Y0 + 0.6);
    }
  }
  drawAxes(ctx, view, colors, { xlabel: land.x_label, ylabel: land.y_label });
  const g = colors.method("grid_search"), q = colors.method("random_search");
  for (const p of r.grid.points) drawMarker(ctx, view, p, { shape: "ring", color: g.color, size: 6 });
  for (const p of r.random.points) drawMarker(ctx, view, p, { shape: "dot", color: q.color, size: 4 });
  // The strip: one tick per distinct learning rate each strategy tried.
  const top = height - strip + 4;
  ctx.save();
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = colors.muted;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  ctx.fillText("grid", rect.left - 4, top + 7);
  ctx.fillText("random", rect.left - 4, top + 21);
  ctx.lineWidth = 2;
  for (const [row, res, st] of [[0, r.grid, g], [1, r.random, q]]) {
    ctx.strokeStyle = st.color;
    ctx.beginPath();
    for (const [a] of res.points) {
      const X = Math.round(view.px(a)) + 0.5;
      ctx.moveTo(X, top + row * 14 + 1);
      ctx.lineTo(X, top + row * 14 + 12);
    }
    ctx.stroke();
  }
  ctx.restore();
}

function drawProfile(ctx, width, height, land, r, colors) {
  ctx.clearRect(0, 0, width, height);
  const { x, z } = land;
  const best = x.map((_, i) => Math.max(...z.map((row) => row[i])));
  const ymin = Math.max(0, Math.floor(Math.min(...best) * 10) / 10), ymax = 1;
  const view = makeView([x[0], x[x.length - 1], ymin, ymax], plotRect(width, height, { left: 48 }));
  drawAxes(ctx, view, colors, { xlabel: land.x_label, ylabel: "accuracy" });
  ctx.save();
  ctx.strokeStyle = colors.fg;
  ctx.lineWidth = 1.6;
  ctx.beginPath();
  best.forEach((v, i) => (i ? ctx.lineTo(view.px(x[i]), view.py(v)) : ctx.moveTo(view.px(x[i]), view.py(v))));
  ctx.stroke();
  ctx.restore();
  const g = colors.method("grid_search"), q = colors.method("random_search");
  drawMarker(ctx, view, [r.grid.points[r.grid.best][0], r.grid.bestAcc], { shape: "ring", color: g.color, size: 7 });
  drawMarker(ctx, view, [r.random.points[r.random.best][0], r.random.bestAcc], { shape: "dot", color: q.color, size: 5 });
}

export default { render };
