// Samples from trainlab/js/rng.js for the statistical tests in tests/test_js_parity.py.
import { mulberry32, gaussian } from "../../trainlab/js/rng.js";

export function uniform(seed, n) {
  const next = mulberry32(seed);
  return Array.from({ length: n }, next);
}

export function normal(seed, n) {
  const next = gaussian(seed);
  return Array.from({ length: n }, next);
}
