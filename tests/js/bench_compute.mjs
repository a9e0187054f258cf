// Median time of the demos' compute step per slider event, in node (no drawing; the full
// redraw in headless Chromium is measured by the browser benchmark). Usage:
//   node tests/js/bench_compute.mjs
import { computeQuadratic, sweep, KAPPA_GRID } from "../../trainlab/js/quadratic_gd.js";
import { computeSaddleNoise } from "../../trainlab/js/saddle_noise.js";
import { raceComputer, computeRace, SURFACE_NAMES, GRIDS } from "../../trainlab/js/race.js";
import { computeMomentumRho } from "../../trainlab/js/momentum_rho.js";
import { computeBias } from "../../trainlab/js/adam_bias.js";
import { computeEffectiveSteps } from "../../trainlab/js/adagrad_rmsprop.js";

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(label, events) {
  for (const e of events.slice(0, 20)) e(); // warm up the JIT
  const ms = events.map((e) => { const t = performance.now(); e(); return performance.now() - t; });
  console.log(`${label}: median ${median(ms).toFixed(3)} ms, max ${Math.max(...ms).toFixed(3)} ms over ${ms.length} events`);
}

const fractions = Array.from({ length: 116 }, (_, k) => +(0.05 + k * 0.01).toFixed(2));
// kappa slider events: the path and step count (the sweep curve is cached per learning rate).
time("QuadraticGD, kappa slider (lr 0.9)",
  KAPPA_GRID.map((kappa) => () => computeQuadratic({ kappa, lr_fraction: 0.9 })));
time("QuadraticGD, kappa slider (lr 0.05, long runs)",
  KAPPA_GRID.map((kappa) => () => computeQuadratic({ kappa, lr_fraction: 0.05 })));
// lr slider events: path, step count and the whole steps-vs-kappa curve.
time("QuadraticGD, lr slider (kappa 1000)", fractions.map((f) => () => {
  computeQuadratic({ kappa: 1000, lr_fraction: f });
  sweep(f, 1e-3, 200000);
}));
for (const surface of ["saddle", "double_well"]) {
  time(`SaddleNoise ${surface}, seed slider (B = 4, 300 steps)`,
    Array.from({ length: 200 }, (_, seed) => () =>
      computeSaddleNoise({ surface, batch_size: 4, learning_rate: 0.1, seed })));
}

// The race: one optimizer's slider (memo: only that run is recomputed) and a full recompute.
{
  const compute = raceComputer();
  const base = { surface: "quadratic", enabled: ["sgd", "momentum", "rmsprop", "adam"], steps: 200 };
  time("OptimizerRace, Adam lr slider (4 optimizers x 200 steps, memo)",
    GRIDS.learning_rate.map((lr) => () => compute({ ...base, hyper: { adam: { learning_rate: lr } } })));
  time("OptimizerRace, seed slider (4 x 200, noise on: all recomputed)",
    Array.from({ length: 100 }, (_, seed) => () => computeRace({ ...base, noise_std: 0.5, seed })));
  time("OptimizerRace, all 7 x 1000 steps on every surface",
    SURFACE_NAMES.map((surface) => () => computeRace({ surface, enabled: ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"], steps: 1000 })));
}
time("MomentumRho, rho slider", Array.from({ length: 100 }, (_, k) => () =>
  computeMomentumRho({ rho: k / 100, learning_rate: 0.1 })));
time("AdamBiasCorrection, beta1 slider (50 steps)", Array.from({ length: 100 }, (_, k) => () =>
  computeBias({ problem: "rosenbrock", bias_correction: true, beta1: k / 100, beta2: 0.999, learning_rate: 0.1 })));
time("AdagradVsRmsprop, seed slider (2,000 steps, noise on)", Array.from({ length: 100 }, (_, seed) => () =>
  computeEffectiveSteps({ setup: "saddle", learning_rate: 0.01, decay_rate: 0.99, noise_std: 0.1, seed })));
time("AdagradVsRmsprop, seed slider (10,000 steps, noise on)", Array.from({ length: 40 }, (_, seed) => () =>
  computeEffectiveSteps({ setup: "saddle", learning_rate: 0.01, decay_rate: 0.99, noise_std: 0.1, seed, steps: 10000 })));
