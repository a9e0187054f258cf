// Demo "OptimizerRace" (chapters 2-3, claims C08-C17): the seven optimizers of optim.js side by
// side on a 2-D surface the reader picks, each switched on or off and tuned with its own sliders.
// Paths are drawn over the surface's contours, the loss gap L - L* against the step beside them.
//
// All optimizers start at the surface's start point (trainlab/surfaces.py) and, with gradient
// noise on, see the same noise sequence (seeded, rng.js), so they race on equal terms. Each
// surface has its own preset hyperparameters (PRESETS), chosen so the race at the defaults shows
// something; the reader's changes are overrides on top of the preset (the `hyper` trait).
//
// Speed: a slider event recomputes only the optimizer whose inputs changed (memo per optimizer
// keyed by surface, noise, seed, steps and its hyperparameters); contours are a cached layer.
//
// The compute part (top) touches no DOM, so node tests import it; render() at the bottom draws.

import { resolveHyper, run, stepsToTolerance } from "./optim.js";
import { getSurface } from "./surfaces.js";
import { noiseArray } from "./rng.js";
import {
  palette, makeView, plotRect, drawPath, drawMarker, drawAxes, drawLineChart, drawNote, layerCache,
} from "./plot.js";
import {
  demoRoot, div, slider, gridSlider, toggle, choice, niceLadder, readout, liveRender, setTrait,
  fmtInt, fmtNum, plotPair, setLegend,
} from "./controls.js";
import { drawContourLayer, fitSurfacePair } from "./surface_view.js";

/** The surfaces of the race (surfaces.js defaults) and their global minima, where L = L*. */
export const RACE_SURFACES = Object.freeze({
  quadratic: { label: "ill-conditioned quadratic", minima: [[0, 0]] },
  saddle: { label: "saddle", minima: [[0, 1], [0, -1]] },
  rosenbrock: { label: "Rosenbrock", minima: [[1, 1]] },
  beale: { label: "Beale", minima: [[3, 0.5]] },
  bumpy: { label: "bumpy bowl", minima: [[0, 0]] },
});
export const SURFACE_NAMES = Object.keys(RACE_SURFACES);

export const LABELS = Object.freeze({
  sgd: "SGD", momentum: "Momentum", nesterov: "Nesterov", adagrad: "AdaGrad",
  rmsprop: "RMSProp", adam: "Adam", adamw: "AdamW",
});

/** The hyperparameters each optimizer shows as sliders (epsilon stays at its default). */
export const SLIDER_KEYS = Object.freeze({
  sgd: ["learning_rate"],
  momentum: ["learning_rate", "momentum"],
  nesterov: ["learning_rate", "momentum"],
  adagrad: ["learning_rate"],
  rmsprop: ["learning_rate", "decay_rate"],
  adam: ["learning_rate", "beta1", "beta2"],
  adamw: ["learning_rate", "beta1", "beta2", "weight_decay"],
});

/** Slider values per hyperparameter: fixed ladders of readable values. Their ends are the
 *  ranges trainlab/widgets/race.py accepts (tests check the two agree). */
export const GRIDS = Object.freeze({
  learning_rate: niceLadder(1e-4, 2),
  momentum: Array.from({ length: 100 }, (_, k) => k / 100),
  beta1: Array.from({ length: 100 }, (_, k) => k / 100),
  decay_rate: [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999, 0.9995, 0.9999],
  beta2: [0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9995, 0.9999],
  weight_decay: [0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
});

const SHORT = { learning_rate: "lr", momentum: "ρ", decay_rate: "β", beta1: "β1", beta2: "β2", weight_decay: "wd" };
const LONG = {
  learning_rate: "learning rate", momentum: "momentum rho", decay_rate: "decay rate",
  beta1: "beta1", beta2: "beta2", weight_decay: "weight decay",
};

const MOM = { momentum: 0.9 };
const ADAM = { beta1: 0.9, beta2: 0.999 };
const ADAMW = { ...ADAM, weight_decay: 0.01 };
/** Per surface, each optimizer's slider values at the start: a learning rate that works on that
 *  surface (not tuned to win), the usual defaults for the rest. */
export const PRESETS = Object.freeze({
  quadratic: {
    sgd: { learning_rate: 0.7 }, momentum: { learning_rate: 0.2, ...MOM },
    nesterov: { learning_rate: 0.2, ...MOM }, adagrad: { learning_rate: 0.5 },
    rmsprop: { learning_rate: 0.1, decay_rate: 0.99 }, adam: { learning_rate: 0.2, ...ADAM },
    adamw: { learning_rate: 0.2, ...ADAMW },
  },
  saddle: {
    sgd: { learning_rate: 0.1 }, momentum: { learning_rate: 0.1, ...MOM },
    nesterov: { learning_rate: 0.1, ...MOM }, adagrad: { learning_rate: 0.3 },
    rmsprop: { learning_rate: 0.03, decay_rate: 0.99 }, adam: { learning_rate: 0.05, ...ADAM },
    adamw: { learning_rate: 0.05, ...ADAMW },
  },
  rosenbrock: {
    sgd: { learning_rate: 0.002 }, momentum: { learning_rate: 0.001, ...MOM },
    nesterov: { learning_rate: 0.001, ...MOM }, adagrad: { learning_rate: 0.5 },
    rmsprop: { learning_rate: 0.05, decay_rate: 0.99 }, adam: { learning_rate: 0.2, ...ADAM },
    adamw: { learning_rate: 0.2, ...ADAMW },
  },
  beale: {
    sgd: { learning_rate: 0.01 }, momentum: { learning_rate: 0.002, ...MOM },
    nesterov: { learning_rate: 0.002, ...MOM }, adagrad: { learning_rate: 0.5 },
    rmsprop: { learning_rate: 0.05, decay_rate: 0.99 }, adam: { learning_rate: 0.1, ...ADAM },
    adamw: { learning_rate: 0.1, ...ADAMW },
  },
  bumpy: {
    sgd: { learning_rate: 0.05 }, momentum: { learning_rate: 0.05, ...MOM },
    nesterov: { learning_rate: 0.05, ...MOM }, adagrad: { learning_rate: 0.5 },
    rmsprop: { learning_rate: 0.1, decay_rate: 0.99 }, adam: { learning_rate: 0.2, ...ADAM },
    adamw: { learning_rate: 0.2, ...ADAMW },
  },
});

/** Within this distance of a global minimum counts as "reached" in the readout. */
export const TOL = 1e-3;
/** Floor of the log-scale loss-gap plot (a path that hits L* exactly would have log 0). */
const GAP_FLOOR = 1e-12;

function checkSurface(surface) {
  if (!(surface in RACE_SURFACES)) {
    throw new Error(`unknown race surface "${surface}"; choose one of ${SURFACE_NAMES.join(", ")}`);
  }
}

/** Complete hyperparameters of `name` on `surface`: optim.js defaults < the surface's preset <
 *  the reader's `overrides` (only slider keys may be overridden). */
export function raceHyper(surface, name, overrides = {}) {
  checkSurface(surface);
  for (const key of Object.keys(overrides || {})) {
    if (!SLIDER_KEYS[name] || !SLIDER_KEYS[name].includes(key)) {
      throw new Error(`race: "${key}" is not a slider of ${LABELS[name] || name}; it has ` +
        `${(SLIDER_KEYS[name] || []).join(", ")}`);
    }
  }
  return resolveHyper(name, { ...PRESETS[surface][name], ...(overrides || {}) });
}

/** The race's gradient noise: one sequence shared by every optimizer, or null without noise. */
export function raceNoise(seed, steps, std) {
  return std > 0 ? noiseArray(seed, steps, 2, std) : null;
}

/** L* of a race surface (its loss at a global minimum). */
export function lossStar(surface) {
  checkSurface(surface);
  const s = getSurface(surface);
  return s.loss(...RACE_SURFACES[surface].minima[0]);
}

/** One optimizer's run: its path (optim.run: stops early if it diverges), the loss gap
 *  L - L* at each iterate, and where it got to. */
export function computeOptimizer(surface, name, overrides, steps, noise) {
  const s = getSurface(surface);
  const hyper = raceHyper(surface, name, overrides);
  const path = run(surface, {}, name, hyper, null, steps, noise);
  const star = lossStar(surface);
  const gap = path.map((p) => s.loss(p[0], p[1]) - star);
  const diverged = path.length < steps + 1;
  // Steps to the nearest global minimum (the saddle surface has two).
  let reached = null;
  for (const m of RACE_SURFACES[surface].minima) {
    const k = stepsToTolerance(path, m, TOL);
    if (k !== null && (reached === null || k < reached)) reached = k;
  }
  const end = path[path.length - 1];
  const g = s.grad(end[0], end[1]);
  const away = Math.min(...RACE_SURFACES[surface].minima.map((m) => Math.hypot(end[0] - m[0], end[1] - m[1])));
  return {
    name, hyper, path, gap, diverged, reached, finalGap: gap[gap.length - 1],
    // Stopped where the gradient vanishes, far from a global minimum: a local minimum or the
    // saddle point (only meaningful without noise).
    stuck: !diverged && reached === null && away > 0.05 && Math.hypot(g[0], g[1]) < 1e-3,
  };
}

/** Memoised per-optimizer computation: recompute(state) reruns only the optimizers whose
 *  inputs changed since the last call. Returns {surface, noise, results: [...enabled order]}. */
export function raceComputer() {
  const memo = new Map(); // name -> {key, result}
  let noiseKey = null, noise = null;
  return function compute({ surface, enabled, hyper = {}, noise_std = 0, seed = 0, steps = 200 }) {
    checkSurface(surface);
    const nk = `${seed}|${steps}|${noise_std}`;
    if (nk !== noiseKey) {
      noiseKey = nk;
      noise = raceNoise(seed, steps, noise_std);
    }
    const results = [];
    for (const name of enabled) {
      const overrides = (hyper && hyper[name]) || {};
      const key = `${surface}|${nk}|${JSON.stringify(overrides)}`;
      let entry = memo.get(name);
      if (!entry || entry.key !== key) {
        entry = { key, result: computeOptimizer(surface, name, overrides, steps, noise) };
        memo.set(name, entry);
      }
      results.push(entry.result);
    }
    return { surface, steps, noiseStd: noise_std, seed, noise, results,
      readout: describeRace(results, steps, noise_std) };
  };
}

/** The whole race at once (tests; the view uses raceComputer for incremental updates). */
export function computeRace(state) {
  return raceComputer()(state);
}

/** The readout: who reached a minimum and when, how far the others got. */
export function describeRace(results, steps, noiseStd = 0) {
  if (!results.length) return "Switch on at least one optimizer to race.";
  const label = (r) => LABELS[r.name];
  const reached = results.filter((r) => r.reached !== null).sort((a, b) => a.reached - b.reached);
  const diverged = results.filter((r) => r.diverged);
  const others = results.filter((r) => r.reached === null && !r.diverged)
    .sort((a, b) => a.finalGap - b.finalGap);
  const parts = [];
  if (reached.length) {
    parts.push(`Within ${fmtNum(TOL)} of a minimum: ` +
      reached.map((r) => `${label(r)} at step ${fmtInt(r.reached)}`).join(", ") + ".");
  }
  if (others.length) {
    const head = reached.length ? "Not within it" : `None within ${fmtNum(TOL)} of a minimum`;
    parts.push(`${head} after ${fmtInt(steps)} steps: ` + others.map((r) => {
      const stuck = r.stuck && noiseStd === 0 ? ", stuck where the gradient is zero" : "";
      return `${label(r)} (L − L* = ${fmtNum(Math.max(0, r.finalGap), 2)}${stuck})`;
    }).join(", ") + ".");
  }
  if (diverged.length) {
    parts.push("Diverged: " + diverged.map((r) => `${label(r)} (at step ${fmtInt(r.path.length)})`).join(", ") +
      "; lower its learning rate.");
  }
  return parts.join(" ");
}

/** The demo's whole computation from its traits (the contract tests call it in node). */
export const compute = computeRace;

// ------------------------------------------------------------------ view ----

const TRAITS = ["surface", "optimizers", "enabled", "hyper", "noise_std", "seed", "steps"];

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-compact trainlab-optimizer-race" });
  const controls = div(root, "trainlab-controls");
  const colors0 = palette(root);
  const hyperOf = () => model.get("hyper") || {};
  let silent = false; // true while one reader action sets several traits: redraw once, at the end

  const global = {
    surface: choice(controls, {
      name: "surface", label: "surface", options: SURFACE_NAMES.map((n) => [n, RACE_SURFACES[n].label]),
      value: model.get("surface"),
      onInput: (v) => {
        // A new surface starts from its own presets: the reader's overrides were for the old one.
        silent = true;
        setTrait(model, "hyper", {});
        silent = false;
        setTrait(model, "surface", v);
      },
    }),
    steps: slider(controls, {
      name: "steps", label: "steps", min: limits.steps[0], max: limits.steps[1], step: 10,
      value: model.get("steps"), onInput: (v) => setTrait(model, "steps", v),
    }),
    noise_std: slider(controls, {
      name: "noise_std", label: "gradient noise σ", min: limits.noise_std[0], max: limits.noise_std[1],
      step: 0.05, value: model.get("noise_std"), format: (v) => v.toFixed(2),
      onInput: (v) => setTrait(model, "noise_std", v),
    }),
    seed: slider(controls, {
      name: "seed", label: "noise seed", min: limits.seed[0], max: limits.seed[1], step: 1,
      value: model.get("seed"), onInput: (v) => setTrait(model, "seed", v),
    }),
  };

  // One row per optimizer offered: its switch, then its own sliders. Rebuilt if the offer
  // changes (from Python); otherwise only their values and enabled states follow the model.
  const rows = div(root, "trainlab-rows");
  let rowControls = {}, rowsKey = null;
  function buildRows(optimizers) {
    rows.replaceChildren();
    rowControls = {};
    for (const name of optimizers) {
      const sw = toggle(rows, {
        name: `on_${name}`, label: LABELS[name], value: model.get("enabled").includes(name),
        swatch: colors0.method(name, 2),
        onInput: (on) => {
          const now = new Set(model.get("enabled"));
          if (on) now.add(name); else now.delete(name);
          // Keep the optimizers' own order, so colours and legend order never shuffle.
          setTrait(model, "enabled", model.get("optimizers").filter((n) => now.has(n)));
        },
      });
      const box = div(rows, "trainlab-row-controls");
      const sliders = {};
      for (const key of SLIDER_KEYS[name]) {
        sliders[key] = gridSlider(box, {
          name: `${name}_${key}`, label: SHORT[key], ariaLabel: `${LABELS[name]} ${LONG[key]}`,
          grid: GRIDS[key], value: raceHyper(model.get("surface"), name, hyperOf()[name])[key],
          format: key === "learning_rate" ? (v) => fmtNum(v, 3) : (v) => String(+v.toPrecision(4)),
          onInput: (v) => {
            const h = hyperOf();
            setTrait(model, "hyper", { ...h, [name]: { ...(h[name] || {}), [key]: v } });
          },
        });
      }
      rowControls[name] = { sw, sliders };
    }
    rowsKey = optimizers.join(",");
  }

  const plots = plotPair(root, {
    main: "Optimizer paths over the contours of the loss surface",
    side: "Loss gap to the minimum against the step, for each optimizer",
    fraction: 0.56,
  });
  const text = readout(root);
  const layers = layerCache();
  const compute = raceComputer();

  function redraw(state) {
    if (silent) return false;
    state.enabled = state.enabled.filter((n) => state.optimizers.includes(n));
    if (state.optimizers.join(",") !== rowsKey) buildRows(state.optimizers);
    const r = compute(state);
    // Controls follow the model (it may have been changed from Python).
    for (const k of Object.keys(global)) global[k].set(state[k]);
    global.seed.setDisabled(!(state.noise_std > 0));
    for (const name of state.optimizers) {
      const on = state.enabled.includes(name);
      const { sw, sliders } = rowControls[name];
      sw.set(on);
      const h = raceHyper(state.surface, name, (state.hyper || {})[name]);
      for (const key of Object.keys(sliders)) {
        sliders[key].set(h[key]);
        sliders[key].setDisabled(!on);
      }
    }
    const colors = palette(root);
    const surface = getSurface(state.surface);
    const { main, side } = fitSurfacePair(plots, surface.window, { min: 220, max: 420, side: 0.7, sideMin: 200 });
    drawMain(main, r, surface, colors, layers);
    drawLoss(side, r, colors);
    text.textContent = r.readout;
    root.dataset.enabled = String(state.enabled.length);
    root.dataset.steps = String(state.steps);
  }

  return liveRender(root, model, TRAITS, redraw);
}

function drawMain(plot, r, surface, colors, layers) {
  const { ctx, width, height, legend } = plot;
  const view = makeView(surface.window, plotRect(width, height));
  ctx.clearRect(0, 0, width, height);
  // Contours of log(L - L* + c): the race surfaces span many decades (Rosenbrock, Beale).
  const star = lossStar(surface.name);
  drawContourLayer(plot, view, layers, colors, {
    key: surface.name, f: (x, y) => Math.log(surface.loss(x, y) - star + 1e-3), window: surface.window, levels: 18,
  });
  for (const m of RACE_SURFACES[surface.name].minima) {
    drawMarker(ctx, view, m, { shape: "star", color: colors.fg, size: 6 });
  }
  const items = [];
  for (const res of r.results) {
    const { color, dash } = colors.method(res.name);
    drawPath(ctx, view, res.path, { color, dash, width: 1.6, dots: res.path.length <= 60 });
    drawMarker(ctx, view, res.path[res.path.length - 1], { shape: "dot", color, size: 3.5 });
    items.push({ label: LABELS[res.name] + (res.diverged ? " (diverged)" : ""), color, dash });
  }
  drawMarker(ctx, view, surface.start, { shape: "ring", color: colors.fg, size: 4 });
  items.push({ label: "start", color: colors.fg, shape: "ring" }, { label: "minimum", color: colors.fg, shape: "star" });
  setLegend(legend, items);
}

function drawLoss({ ctx, width, height, legend }, r, colors) {
  ctx.clearRect(0, 0, width, height);
  const rect = plotRect(width, height, { left: 62, right: 14 });
  if (!r.results.length) {
    drawAxes(ctx, makeView([0, r.steps, 1e-6, 1], rect, { logY: true }), colors, { xlabel: "step", ylabel: "L − L*" });
    drawNote(ctx, rect, "no optimizer switched on", colors.muted);
    setLegend(legend, []);
    return;
  }
  let lo = Infinity, hi = -Infinity;
  const series = r.results.map((res) => {
    const points = res.gap.map((v, k) => {
      const y = Math.max(GAP_FLOOR, v);
      if (y < lo) lo = y;
      if (y > hi) hi = y;
      return [k, y];
    });
    return { points, ...colors.method(res.name), width: 1.6 };
  });
  // Whole decades, at most 14 of them, so the interesting part is not squashed by a floor hit.
  const top = 10 ** Math.ceil(Math.log10(hi * 1.01));
  const bottom = Math.max(10 ** Math.floor(Math.log10(lo)), top * 1e-14);
  drawLineChart(ctx, rect, [0, r.steps, bottom, top], series, colors,
    { logY: true, xlabel: "step", ylabel: "L − L*  (log scale)" });
  setLegend(legend, r.results.map((res) => ({ label: LABELS[res.name], ...colors.method(res.name) })));
}

export default { render };
