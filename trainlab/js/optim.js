// Optimizer update rules for the in-browser demos, as pure functions over plain arrays.
//
// Semantics are torch.optim's for a constant learning rate (trainlab/paths.py is the reference;
// tests/test_js_parity.py compares whole paths to 1e-12): eps is added OUTSIDE the square root
// everywhere, Adam's step counter t is incremented before use, AdamW first shrinks w by
// (1 - learning_rate * weight_decay) and then takes the Adam step. Momentum and Nesterov use
// CS231n's velocity form (v = rho*v - lr*g; w += v), equal to torch's buffer form while lr is
// constant. Where the algebra allows, the operations follow torch's order (lerp for Adam's first
// moment, (value*a)*b for addcmul, (value*a)/b for addcdiv) so the paths agree to rounding.
//
// A rule is rule(w, g, state, h) -> [nextW, nextState]: w and g are arrays (any length), state
// comes from initState, h holds complete hyperparameters (see resolveHyper). Nothing is
// modified in place, so a caller can keep every iterate.

import { getSurface } from "./surfaces.js";

/** Hyperparameter defaults: CS231n's config keys, the values of trainlab/paths.py DEFAULTS.
 *  `bias_correction` (Adam and AdamW only) switches Adam's bias correction off for chapter 3's
 *  demo; torch always applies it. */
/** A path has diverged once a coordinate passes this (as trainlab/paths.py's DIVERGED_AT). */
export const DIVERGED_AT = 1e150;

export const DEFAULTS = Object.freeze({
  sgd: { learning_rate: 1e-2 },
  momentum: { learning_rate: 1e-2, momentum: 0.9 },
  nesterov: { learning_rate: 1e-2, momentum: 0.9 },
  adagrad: { learning_rate: 1e-2, epsilon: 1e-8 },
  rmsprop: { learning_rate: 1e-2, decay_rate: 0.99, epsilon: 1e-8 },
  adam: { learning_rate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, bias_correction: true },
  adamw: {
    learning_rate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 1e-2,
    bias_correction: true,
  },
});

export const OPTIMIZERS = Object.freeze(Object.keys(DEFAULTS));

const zeros = (n) => new Array(n).fill(0);

/** The state an optimizer starts from, for parameters of length `dim`. */
export function initState(name, dim) {
  checkName(name);
  switch (name) {
    case "momentum":
    case "nesterov":
      return { v: zeros(dim) };
    case "adagrad":
    case "rmsprop":
      return { cache: zeros(dim) };
    case "adam":
    case "adamw":
      return { m: zeros(dim), v: zeros(dim), t: 0 };
    default:
      return {};
  }
}

/** Defaults completed with `hyper`; unknown keys or non-finite values throw, naming the key. */
export function resolveHyper(name, hyper = {}) {
  checkName(name);
  const defaults = DEFAULTS[name];
  for (const [key, value] of Object.entries(hyper)) {
    if (!(key in defaults)) {
      throw new Error(
        `optimizer "${name}" has no hyperparameter "${key}"; it takes ${Object.keys(defaults).join(", ")}`,
      );
    }
    if (key === "bias_correction") {
      if (typeof value !== "boolean") {
        throw new Error(`optimizer "${name}": bias_correction must be true or false, got ${value}`);
      }
    } else if (!Number.isFinite(value)) {
      throw new Error(`optimizer "${name}": ${key} must be a finite number, got ${value}`);
    }
  }
  return { ...defaults, ...hyper };
}

function checkName(name) {
  if (!(name in DEFAULTS)) {
    throw new Error(`unknown optimizer "${name}"; choose one of ${OPTIMIZERS.join(", ")}`);
  }
}

export function sgd(w, g, state, h) {
  return [w.map((wi, i) => wi - h.learning_rate * g[i]), state];
}

export function momentum(w, g, state, h) {
  const v = state.v.map((vi, i) => h.momentum * vi - h.learning_rate * g[i]);
  return [w.map((wi, i) => wi + v[i]), { v }];
}

/** Nesterov in CS231n's change of variables: w is the look-ahead point, where g was taken. */
export function nesterov(w, g, state, h) {
  const rho = h.momentum;
  const v = state.v.map((vi, i) => rho * vi - h.learning_rate * g[i]);
  return [w.map((wi, i) => wi - rho * state.v[i] + (1 + rho) * v[i]), { v }];
}

export function adagrad(w, g, state, h) {
  const cache = state.cache.map((c, i) => c + g[i] * g[i]);
  const next = w.map((wi, i) => wi + (-h.learning_rate * g[i]) / (Math.sqrt(cache[i]) + h.epsilon));
  return [next, { cache }];
}

export function rmsprop(w, g, state, h) {
  const d = h.decay_rate;
  const cache = state.cache.map((c, i) => c * d + (1 - d) * g[i] * g[i]);
  const next = w.map((wi, i) => wi + (-h.learning_rate * g[i]) / (Math.sqrt(cache[i]) + h.epsilon));
  return [next, { cache }];
}

function adamStep(w, g, state, h) {
  const t = state.t + 1; // incremented before use, as torch and CS231n do
  const b1 = h.beta1, b2 = h.beta2;
  const m = state.m.map((mi, i) => mi + (1 - b1) * (g[i] - mi)); // torch's lerp
  const v = state.v.map((vi, i) => vi * b2 + (1 - b2) * g[i] * g[i]);
  let stepSize = h.learning_rate, c2 = 1;
  if (h.bias_correction) {
    stepSize = h.learning_rate / (1 - b1 ** t);
    c2 = Math.sqrt(1 - b2 ** t);
  }
  const next = w.map((wi, i) => wi + (-stepSize * m[i]) / (Math.sqrt(v[i]) / c2 + h.epsilon));
  return [next, { m, v, t }];
}

export const adam = adamStep;

/** AdamW: decoupled weight decay (shrink w first), then the Adam step on the shrunk w. */
export function adamw(w, g, state, h) {
  const shrink = 1 - h.learning_rate * h.weight_decay;
  return adamStep(w.map((wi) => wi * shrink), g, state, h);
}

export const RULES = Object.freeze({ sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw });

/** Whether an iterate has left float range; the same test as trainlab/paths.py. */
export function diverged(w) {
  return w.some((wi) => !Number.isFinite(wi) || Math.abs(wi) > DIVERGED_AT);
}

/** Iterates of optimizer `optimizerName` on surface `surfaceName`, starting from `start`
 *  (default: the surface's start): an array of [w1, w2] points, the start first.
 *  `noise` (optional) is an array of per-step vectors added to the exact gradient, so a path
 *  with minibatch-like noise is reproducible anywhere. Stops early, without the bad point, when
 *  an iterate diverges: a path shorter than steps + 1 points has diverged. */
export function run(surfaceName, params, optimizerName, hyper, start, steps, noise = null) {
  const surface = getSurface(surfaceName, params || {});
  const h = resolveHyper(optimizerName, hyper || {});
  const rule = RULES[optimizerName];
  if (!Number.isInteger(steps) || steps < 0) {
    throw new Error(`run: steps must be a non-negative integer, got ${steps}`);
  }
  if (noise && noise.length < steps) {
    throw new Error(`run: noise has ${noise.length} entries but ${steps} steps were asked for`);
  }
  let w = (start || surface.start).slice();
  let state = initState(optimizerName, w.length);
  const points = [w];
  for (let k = 0; k < steps; k++) {
    let g = surface.grad(w[0], w[1]);
    if (noise) g = [g[0] + noise[k][0], g[1] + noise[k][1]];
    [w, state] = rule(w, g, state, h);
    if (diverged(w)) break;
    points.push(w);
  }
  return points;
}

/** First index of `points` within Euclidean distance `tol` of `target`, or null (as
 *  trainlab.paths.steps_to_tolerance; the norm is computed the way numpy does). */
export function stepsToTolerance(points, target, tol) {
  for (let k = 0; k < points.length; k++) {
    const dx = points[k][0] - target[0], dy = points[k][1] - target[1];
    if (Math.sqrt(dx * dx + dy * dy) <= tol) return k;
  }
  return null;
}
