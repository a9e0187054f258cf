// The 2-D loss surfaces of trainlab/surfaces.py, for the in-browser demos: same names, parameter
// names and defaults, start points and windows. Python differentiates with torch autograd; here
// each surface carries its gradient written out by hand. tests/test_js_parity.py holds the two
// together (loss and gradient at random points, and whole optimizer paths).

const SURFACE_LIST = [
  {
    name: "quadratic",
    title: "Ill-conditioned quadratic a*w1^2 + b*w2^2",
    params: { a: 1 / 64, b: 1.0 },
    start: [-9.0, 2.5],
    window: [-10, 10, -3, 3],
    minimum: [0.0, 0.0],
    loss: (x, y, { a, b }) => a * x ** 2 + b * y ** 2,
    grad: (x, y, { a, b }) => [2 * a * x, 2 * b * y],
  },
  {
    name: "saddle",
    title: "Saddle at the origin, minima at (0, +-1)",
    params: { a: 0.5, b: 1.0 },
    start: [-1.5, 1e-3],
    window: [-2, 2, -1.6, 1.6],
    minimum: [0.0, 1.0],
    loss: (x, y, { a, b }) => a * x ** 2 + b * (y ** 4 / 4 - y ** 2 / 2),
    grad: (x, y, { a, b }) => [2 * a * x, b * (y ** 3 - y)],
  },
  {
    name: "double_well",
    title: "Tilted double well: a local and a global minimum",
    params: { tilt: 0.15, b: 1.0 },
    start: [1.8, 0.8],
    window: [-2, 2, -1.2, 1.2],
    minimum: null,
    loss: (x, y, { tilt, b }) => x ** 4 / 4 - x ** 2 / 2 + tilt * x + b * y ** 2,
    grad: (x, y, { tilt, b }) => [x ** 3 - x + tilt, 2 * b * y],
  },
  {
    name: "rosenbrock",
    title: "Rosenbrock's banana valley",
    params: { a: 1.0, b: 100.0 },
    start: [-1.2, 1.0],
    window: [-2, 2, -1, 3],
    minimum: [1.0, 1.0],
    loss: (x, y, { a, b }) => (a - x) ** 2 + b * (y - x ** 2) ** 2,
    grad: (x, y, { a, b }) => {
      const r = y - x ** 2;
      return [-2 * (a - x) - 4 * b * x * r, 2 * b * r];
    },
  },
  {
    name: "beale",
    title: "Beale's function",
    params: {},
    start: [1.0, 1.5],
    window: [-4.5, 4.5, -4.5, 4.5],
    minimum: [3.0, 0.5],
    loss: (x, y) => {
      const t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y ** 2, t3 = 2.625 - x + x * y ** 3;
      return t1 ** 2 + t2 ** 2 + t3 ** 2;
    },
    grad: (x, y) => {
      const t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y ** 2, t3 = 2.625 - x + x * y ** 3;
      return [
        2 * t1 * (y - 1) + 2 * t2 * (y ** 2 - 1) + 2 * t3 * (y ** 3 - 1),
        2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y ** 2,
      ];
    },
  },
  {
    name: "two_wells",
    title: "A narrow deep well and a wide shallow one",
    params: { narrow_depth: 1.0, narrow_width: 0.15, wide_depth: 0.6, wide_width: 0.6, bowl: 0.1 },
    start: [2.5, 2.0],
    window: [-3, 3, -3, 3],
    minimum: null,
    loss: (x, y, p) =>
      -p.narrow_depth * Math.exp(-((x + 1) ** 2 + y ** 2) / (2 * p.narrow_width ** 2)) -
      p.wide_depth * Math.exp(-((x - 1) ** 2 + y ** 2) / (2 * p.wide_width ** 2)) +
      p.bowl * (x ** 2 + y ** 2),
    grad: (x, y, p) => {
      // d/dw of -D exp(-|w - c|^2 / (2 s^2)) is D exp(...) (w - c) / s^2.
      const sn = p.narrow_width ** 2, sw = p.wide_width ** 2;
      const n = (p.narrow_depth * Math.exp(-((x + 1) ** 2 + y ** 2) / (2 * sn))) / sn;
      const w = (p.wide_depth * Math.exp(-((x - 1) ** 2 + y ** 2) / (2 * sw))) / sw;
      return [n * (x + 1) + w * (x - 1) + 2 * p.bowl * x, n * y + w * y + 2 * p.bowl * y];
    },
  },
  {
    name: "bumpy",
    title: "Bowl with ripples (many local minima)",
    params: { amplitude: 0.3, frequency: 2 * Math.PI },
    start: [2.2, 1.7],
    window: [-3, 3, -3, 3],
    minimum: [0.0, 0.0],
    loss: (x, y, { amplitude, frequency }) =>
      0.5 * (x ** 2 + y ** 2) +
      amplitude * (2 - Math.cos(frequency * x) - Math.cos(frequency * y)),
    grad: (x, y, { amplitude, frequency }) => [
      x + amplitude * frequency * Math.sin(frequency * x),
      y + amplitude * frequency * Math.sin(frequency * y),
    ],
  },
];

export const SURFACES = Object.freeze(Object.fromEntries(SURFACE_LIST.map((s) => [s.name, s])));

/** The surface called `name` with its parameters completed from the defaults. Returns
 *  {name, title, params, start, window, minimum, loss(x, y), grad(x, y)}: loss and grad are
 *  bound to the parameters, so callers never pass them again. */
export function getSurface(name, params = {}) {
  const s = SURFACES[name];
  if (!s) {
    throw new Error(`unknown surface "${name}"; choose one of ${Object.keys(SURFACES).join(", ")}`);
  }
  const unknown = Object.keys(params).filter((k) => !(k in s.params));
  if (unknown.length) {
    const takes = Object.keys(s.params).join(", ") || "no parameters";
    throw new Error(`surface "${name}" has no parameter(s) ${unknown.join(", ")}; it takes ${takes}`);
  }
  const p = { ...s.params, ...params };
  return {
    name: s.name,
    title: s.title,
    params: p,
    start: s.start.slice(),
    window: s.window.slice(),
    minimum: s.minimum && s.minimum.slice(),
    loss: (x, y) => s.loss(x, y, p),
    grad: (x, y) => s.grad(x, y, p),
  };
}
