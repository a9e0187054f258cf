// QuadraticGD's closed-form steps-vs-kappa curve against its step-by-step count, at every
// kappa slider position (tests/site/test_demo_compute.py).
import { KAPPA_GRID, START, closedFormSteps, countSteps, problem } from "../../trainlab/js/quadratic_gd.js";

/** The kappas where closed form and iteration disagree (status, or step count when finite). */
export function compare(lrFraction, tol, maxSteps) {
  const mismatches = [];
  for (const kappa of KAPPA_GRID) {
    const { a, b, lr } = problem(kappa, lrFraction);
    const it = countSteps(a, b, lr, START, tol, maxSteps);
    const cf = closedFormSteps(a, b, lr, START, tol, maxSteps);
    const same = it.status === cf.status && (it.status === "diverged" || it.steps === cf.steps);
    if (!same) mismatches.push({ kappa, iteration: it, closedForm: cf });
  }
  return mismatches;
}
