// The steps Adam/AdamW take under a constant gradient, for the closed-form test of
// bias correction (tests/test_js_parity.py).
import { RULES, initState, resolveHyper } from "../../trainlab/js/optim.js";

/** The first T steps (w_t - w_{t-1}) of optimizer `name` fed the constant gradient `g`.
 *  Each step starts from w = 0, so the step is the new iterate, free of cancellation (Adam's
 *  update does not depend on w; AdamW's does only through weight_decay). */
export function steps(name, hyper, g, T) {
  const h = resolveHyper(name, hyper);
  let state = initState(name, g.length);
  const out = [];
  for (let t = 0; t < T; t++) {
    let w;
    [w, state] = RULES[name](g.map(() => 0), g, state, h);
    out.push(w);
  }
  return out;
}
