// Drive one update rule of trainlab/js/optim.js with a given gradient sequence (independent of
// w), for the rule-level parity test: errors cannot be amplified by the surface there.
import { RULES, initState, resolveHyper } from "../../trainlab/js/optim.js";

/** Iterates w_0..w_T of optimizer `name` from `w0` fed `grads[0..T-1]`. */
export function trajectory(name, hyper, w0, grads) {
  const h = resolveHyper(name, hyper);
  let w = w0.slice();
  let state = initState(name, w.length);
  const out = [w];
  for (const g of grads) {
    [w, state] = RULES[name](w, g, state, h);
    out.push(w);
  }
  return out;
}
