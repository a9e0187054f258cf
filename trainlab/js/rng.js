// Seeded random numbers for the demos' gradient noise: the same seed gives the same path on
// every machine, so a reader can share "seed 7" and a test can replay it.

/** mulberry32: a tiny 32-bit-state PRNG (fine for visual noise, not for cryptography).
 *  Returns a function giving floats uniform in [0, 1). */
export function mulberry32(seed) {
  if (!Number.isInteger(seed)) {
    throw new TypeError(`mulberry32: seed must be an integer, got ${seed}`);
  }
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sampler (Box-Muller on a seeded uniform stream). Each pair of uniforms
 *  gives two normals; the second is kept for the next call. */
export function gaussian(seed) {
  const uniform = mulberry32(seed);
  let spare = null;
  return function next() {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    const u1 = 1 - uniform(); // in (0, 1]: log(u1) stays finite
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
}

/** `steps` noise vectors of dimension `dim`, each component N(0, std^2), from `seed`.
 *  The draw does not depend on `std`, so changing std only rescales the same noise. */
export function noiseArray(seed, steps, dim = 2, std = 1) {
  const z = gaussian(seed);
  const out = new Array(steps);
  for (let k = 0; k < steps; k++) {
    const v = new Array(dim);
    for (let i = 0; i < dim; i++) v[i] = std * z();
    out[k] = v;
  }
  return out;
}
