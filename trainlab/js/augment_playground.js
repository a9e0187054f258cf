// Demo "AugmentationPlayground" (chapter 6, claims C30-C31): data augmentation on a real
// photograph, computed in the browser on raw pixels.
//
// One draw applies, in this order: a random square crop (area fraction uniform in
// [min_area, 1], position uniform) resampled bilinearly to the output size, a left-right flip
// with probability 1/2, Mixup with a second photograph (lam ~ Beta(alpha, alpha)), colour jitter
// (brightness, contrast around the mean grey, saturation around each pixel's grey, factors
// uniform in [1 - s, 1 + s]), AlexNet's PCA colour shift (one RGB offset sum_k a_k sqrt(l_k) p_k,
// a_k ~ N(0, pca_std^2), from the eigen-decomposition of the photograph's RGB covariance) and
// Cutout (one square of zeros, centre uniform over the pixels, clipped at the borders).
// Every random number comes from a seeded stream, so "draw again" (a new seed) is replayable.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { mulberry32 } from "./rng.js";
import { demoRoot, div, slider, toggle, readout, canvas, liveRender, setTrait, fmtNum } from "./controls.js";
import { drawAgain } from "./buttons.js";
import { palette } from "./plot.js";

const GREY = [0.299, 0.587, 0.114];

/** Symmetric 3x3 eigen-decomposition by Jacobi rotations: {values (ascending), vectors
 *  (columns, each signed so its components sum to a positive number)}. */
export function eigh3(A) {
  const a = A.map((r) => r.slice());
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) off += a[i][j] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < 3; p++) {
      for (let q = p + 1; q < 3; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < 3; k++) {
          const akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < 3; k++) {
          const apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < 3; k++) {
          const vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[i][i] - a[j][j]);
  // Fix each eigenvector's sign (components sum to > 0), as the book's pca_colour does.
  const sign = order.map((i) => Math.sign(v[0][i] + v[1][i] + v[2][i]) || 1);
  return {
    values: order.map((i) => a[i][i]),
    vectors: [0, 1, 2].map((r) => order.map((i, k) => sign[k] * v[r][i])),
  };
}

/** The 3x3 covariance of the RGB values of an RGBA byte image, in [0, 1] units. */
export function rgbCovariance(pixels) {
  const n = pixels.length / 4;
  const mean = [0, 0, 0];
  for (let k = 0; k < n; k++) for (let c = 0; c < 3; c++) mean[c] += pixels[4 * k + c] / 255;
  for (let c = 0; c < 3; c++) mean[c] /= n;
  const cov = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let k = 0; k < n; k++) {
    const d = [0, 1, 2].map((c) => pixels[4 * k + c] / 255 - mean[c]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cov[i][j] += d[i] * d[j];
  }
  return cov.map((r) => r.map((x) => x / (n - 1)));
}

/** Seeded sampler: uniform, standard normal (Box-Muller) and Beta(a, a) (from two Gammas,
 *  Marsaglia-Tsang, with the a < 1 boost). */
export function sampler(seed) {
  const u = mulberry32(seed);
  const normal = () => {
    const u1 = 1 - u(), u2 = u();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  const gamma = (a) => {
    if (a < 1) return gamma(a + 1) * Math.pow(1 - u(), 1 / a);
    const d = a - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x, v;
      do { x = normal(); v = 1 + c * x; } while (v <= 0);
      v = v * v * v;
      const w = 1 - u();
      if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const beta = (a) => { const x = gamma(a), y = gamma(a); return x / (x + y); };
  return { uniform: u, normal, beta, int: (n) => Math.min(n - 1, Math.floor(u() * n)) };
}

export const DEFAULTS = Object.freeze({
  crop: true, min_area: 0.35, flip: true, brightness: 0.3, contrast: 0.3, saturation: 0.3,
  pca_std: 0.1, cutout: 0, mixup_alpha: 0, seed: 0,
});

/** Draw the random parameters of one augmentation of a `size` x `size` photograph. */
export function drawParams(opts, size) {
  const o = { ...DEFAULTS, ...opts };
  const r = sampler(o.seed);
  const p = {};
  if (o.crop) {
    const area = o.min_area + (1 - o.min_area) * r.uniform();
    p.side = Math.max(1, Math.round(Math.sqrt(area) * size));
    p.top = r.int(size - p.side + 1);
    p.left = r.int(size - p.side + 1);
  } else {
    Object.assign(p, { side: size, top: 0, left: 0 });
  }
  p.flip = o.flip && r.uniform() < 0.5;
  p.lam = o.mixup_alpha > 0 ? r.beta(o.mixup_alpha) : 1;
  const factor = (s) => 1 - s + 2 * s * r.uniform();
  p.brightness = factor(o.brightness);
  p.contrast = factor(o.contrast);
  p.saturation = factor(o.saturation);
  p.alpha = [r.normal(), r.normal(), r.normal()].map((z) => z * o.pca_std);
  if (o.cutout > 0) {
    p.cutout = { size: o.cutout, ci: r.int(size), cj: r.int(size) };
  }
  return p;
}

/** Apply drawn parameters `p` to RGBA byte images `a` (and `b`, for Mixup), both `size` x `size`,
 *  with `pca` = eigh3 of a's RGB covariance. Writes into and returns `out` (RGBA bytes) and a
 *  float scratch buffer `work` (3 * size * size), both reused across draws. */
export function applyParams(p, a, b, size, pca, out, work) {
  const n = size * size;
  const scale = p.side / size;
  // Per-column source positions, computed once per draw (the flip is a reversed column order).
  const cx0 = new Int32Array(size), cx1 = new Int32Array(size), cfx = new Float32Array(size);
  for (let j = 0; j < size; j++) {
    const jj = p.flip ? size - 1 - j : j;
    const x = p.left + (jj + 0.5) * scale - 0.5;
    const x0 = Math.max(0, Math.min(size - 1, Math.floor(x)));
    cx0[j] = 4 * x0;
    cx1[j] = 4 * Math.min(size - 1, x0 + 1);
    cfx[j] = Math.max(0, Math.min(1, x - x0));
  }
  const lam = p.lam, mix = lam < 1, bright = p.brightness / 255;
  const [g0, g1, g2] = GREY;
  let greySum = 0;
  for (let i = 0; i < size; i++) {
    const y = p.top + (i + 0.5) * scale - 0.5;
    const y0 = Math.max(0, Math.min(size - 1, Math.floor(y)));
    const r0 = 4 * y0 * size, r1 = 4 * Math.min(size - 1, y0 + 1) * size;
    const fy = Math.max(0, Math.min(1, y - y0)), gy = 1 - fy;
    for (let j = 0; j < size; j++) {
      const fx = cfx[j], gx = 1 - fx;
      const w00 = gy * gx, w01 = gy * fx, w10 = fy * gx, w11 = fy * fx;
      const i00 = r0 + cx0[j], i01 = r0 + cx1[j], i10 = r1 + cx0[j], i11 = r1 + cx1[j];
      let vr = w00 * a[i00] + w01 * a[i01] + w10 * a[i10] + w11 * a[i11];
      let vg = w00 * a[i00 + 1] + w01 * a[i01 + 1] + w10 * a[i10 + 1] + w11 * a[i11 + 1];
      let vb = w00 * a[i00 + 2] + w01 * a[i01 + 2] + w10 * a[i10 + 2] + w11 * a[i11 + 2];
      const m = 4 * (i * size + j);
      if (mix) {
        vr = (lam * vr + (1 - lam) * b[m]) * bright;
        vg = (lam * vg + (1 - lam) * b[m + 1]) * bright;
        vb = (lam * vb + (1 - lam) * b[m + 2]) * bright;
      } else {
        vr *= bright; vg *= bright; vb *= bright;
      }
      const k = 3 * (i * size + j);
      work[k] = vr; work[k + 1] = vg; work[k + 2] = vb;
      greySum += g0 * vr + g1 * vg + g2 * vb;
    }
  }
  const meanGrey = greySum / n;
  const shift = [0, 1, 2].map((r) => pca.vectors[r].reduce((s, vk, k) => s + vk * p.alpha[k] * Math.sqrt(Math.max(0, pca.values[k])), 0));
  const [s0, s1, s2] = shift, con = p.contrast, sat = p.saturation, off = meanGrey * (1 - con);
  const cut = p.cutout;
  const half = cut ? cut.size >> 1 : 0;
  const rA = cut ? Math.max(0, cut.ci - half) : 0, rB = cut ? cut.ci - half + cut.size : 0;
  const cA = cut ? Math.max(0, cut.cj - half) : 0, cB = cut ? cut.cj - half + cut.size : 0;
  for (let i = 0; i < size; i++) {
    const rowCut = cut && i >= rA && i < rB;
    for (let j = 0; j < size; j++) {
      const k = 3 * (i * size + j), m = 4 * (i * size + j);
      out[m + 3] = 255;
      if (rowCut && j >= cA && j < cB) {
        out[m] = out[m + 1] = out[m + 2] = 0;
        continue;
      }
      const vr = work[k] * con + off, vg = work[k + 1] * con + off, vb = work[k + 2] * con + off;
      const g = g0 * vr + g1 * vg + g2 * vb, gs = g * (1 - sat);
      // Uint8ClampedArray clamps to [0, 255] and rounds half to even on assignment.
      out[m] = 255 * (vr * sat + gs + s0);
      out[m + 1] = 255 * (vg * sat + gs + s1);
      out[m + 2] = 255 * (vb * sat + gs + s2);
    }
  }
  return { out, shift };
}

/** One augmentation of photograph `a` (Mixup partner `b`) with options `opts`: {pixels, params}. */
export function augment(opts, a, b, size, pca = eigh3(rgbCovariance(a))) {
  const params = drawParams(opts, size);
  const out = new Uint8ClampedArray(4 * size * size);
  const { shift } = applyParams(params, a, b, size, pca, out, new Float32Array(3 * size * size));
  return { pixels: out, params: { ...params, shift } };
}

/** `augment` on plain arrays (RGBA bytes as numbers), for tests through JSON. `params`, when
 *  given, replaces the random draw (to check the pixel arithmetic alone). */
export function augmentPlain(opts, a, b, size, params = null) {
  const A = Uint8ClampedArray.from(a), B = Uint8ClampedArray.from(b);
  const pca = eigh3(rgbCovariance(A));
  const p = params ?? drawParams(opts, size);
  const out = new Uint8ClampedArray(4 * size * size);
  const { shift } = applyParams(p, A, B, size, pca, out, new Float32Array(3 * size * size));
  return { pixels: Array.from(out), params: { ...p, shift }, pca };
}

/** The parameters of `count` draws with seeds 0..count-1 (for statistics in tests). */
export function drawMany(opts, size, count) {
  return Array.from({ length: count }, (_, seed) => drawParams({ ...opts, seed }, size));
}

/** `count` Beta(alpha, alpha) draws from one seeded stream. */
export function betaDraws(alpha, count, seed = 0) {
  const r = sampler(seed);
  return Array.from({ length: count }, () => r.beta(alpha));
}

/** The random draw for the given traits and its description (no pixels: the photographs are
 *  decoded in the browser). */
export function compute(state) {
  const params = drawParams(state, state.size);
  return { params, readout: describe(params, { ...DEFAULTS, ...state }) };
}

function describe(p, o) {
  const parts = [];
  if (o.crop) parts.push(`crop ${p.side}×${p.side} at (${p.top}, ${p.left})`);
  if (o.flip) parts.push(p.flip ? "flipped" : "not flipped");
  if (o.mixup_alpha > 0) parts.push(`Mixup λ = ${fmtNum(p.lam, 3)} (label: ${fmtNum(p.lam, 2)} × first photograph + ${fmtNum(1 - p.lam, 2)} × second)`);
  parts.push(`brightness ×${fmtNum(p.brightness, 3)}, contrast ×${fmtNum(p.contrast, 3)}, saturation ×${fmtNum(p.saturation, 3)}`);
  const signed = (v) => (v >= 0 ? "+" : "") + v.toFixed(3);
  if (o.pca_std > 0 && p.shift) parts.push(`PCA colour shift RGB (${p.shift.map(signed).join(", ")})`);
  else if (o.pca_std > 0) parts.push(`PCA colour alphas (${p.alpha.map(signed).join(", ")})`);
  if (p.cutout) parts.push(`Cutout ${p.cutout.size}×${p.cutout.size} centred at (${p.cutout.ci}, ${p.cutout.cj})`);
  return `Draw ${o.seed + 1}: ${parts.join("; ")}.`;
}

// ------------------------------------------------------------------ view ----

const TRAITS = ["crop", "min_area", "flip", "brightness", "contrast", "saturation", "pca_std",
  "cutout", "mixup_alpha", "seed", "size"];

async function decode(url, size) {
  const img = new Image();
  img.src = url;
  await img.decode();
  const c = document.createElement("canvas");
  c.width = c.height = size;
  const ctx = c.getContext("2d");
  ctx.drawImage(img, 0, 0, size, size);
  return ctx.getImageData(0, 0, size, size).data;
}

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-compact trainlab-augment" });
  const controls = div(root, "trainlab-controls");
  const set = (name) => (v) => setTrait(model, name, v);
  const range = (name, label, step, format = (v) => fmtNum(v, 2)) => slider(controls, {
    name, label, min: limits[name][0], max: limits[name][1], step, value: model.get(name), format, onInput: set(name),
  });
  const c = {
    crop: toggle(controls, { name: "crop", label: "random crop", value: model.get("crop"), onInput: set("crop") }),
    min_area: range("min_area", "smallest crop area", 0.01),
    flip: toggle(controls, { name: "flip", label: "horizontal flip (p = 1/2)", value: model.get("flip"), onInput: set("flip") }),
    brightness: range("brightness", "brightness ±", 0.05),
    contrast: range("contrast", "contrast ±", 0.05),
    saturation: range("saturation", "saturation ±", 0.05),
    pca_std: range("pca_std", "PCA colour σ", 0.01),
    cutout: range("cutout", "Cutout size (px, 0 = off)", 4, (v) => String(v)),
    mixup_alpha: range("mixup_alpha", "Mixup α (0 = off)", 0.05),
  };
  drawAgain(controls, model);
  const plots = div(root, "trainlab-plots");
  const view = canvas(plots, "The augmented photograph");
  const text = readout(root);
  const credit = document.createElement("p");
  credit.className = "trainlab-credit";
  credit.textContent = model.get("_credit");
  root.append(credit);

  let photos = null, out = null, work = null, ctx = null, image = null;

  function redraw(state) {
    for (const k of Object.keys(c)) c[k].set(state[k]);
    c.min_area.setDisabled(!state.crop);
    if (!photos || photos.size !== state.size) return false;
    const size = state.size;
    const params = drawParams(state, size);
    const { shift } = applyParams(params, photos.a, photos.b, size, photos.pca, out, work);
    ctx.putImageData(image, 0, 0);
    text.textContent = describe({ ...params, shift }, state);
    return true;
  }

  const stop = liveRender(root, model, TRAITS, redraw);
  (async () => {
    const size = model.get("size");
    const [a, b] = await Promise.all([decode(model.get("_photo_a"), size), decode(model.get("_photo_b"), size)]);
    photos = { a, b, size, pca: eigh3(rgbCovariance(a)) };
    view.width = view.height = size;
    view.style.width = `min(100%, ${size}px)`;
    view.style.border = `1px solid ${palette(root).grid}`;
    ctx = view.getContext("2d");
    image = ctx.createImageData(size, size);
    out = image.data;
    work = new Float32Array(3 * size * size);
    const t0 = performance.now();
    redraw(Object.fromEntries(TRAITS.map((k) => [k, model.get(k)])));
    root.dataset.redrawMs = (performance.now() - t0).toFixed(3);
  })();
  return stop;
}

export default { render };
