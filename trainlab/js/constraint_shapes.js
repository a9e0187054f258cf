// Demo "ConstraintShapes" (chapter 6, claim C26): why L1 gives exact zeros and L2 does not.
//
// The loss is a quadratic with its minimum at c and curvatures h = (1, kappa) along the axes,
//   L(w) = sum_k h_k (w_k - c_k)^2 / 2,
// plus lambda R(w) with R = sum|w| (L1), sum w^2 (L2) or sum 0.5|w| + 0.5 w^2 (elastic net).
// The problem separates by coordinate, so the penalised minimum has a closed form:
//   L1:      w_k = sign(c_k) max(|c_k| - lambda / h_k, 0)          (soft-thresholding)
//   L2:      w_k = h_k c_k / (h_k + 2 lambda)                       (shrinkage)
//   elastic: w_k = sign(c_k) max(h_k |c_k| - lambda / 2, 0) / (h_k + lambda)
// The plot shows the loss contours, the ball R(w) = R(w*) that the solution sits on (the
// smallest ball touching the contour through it), and the path of w* as lambda grows.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { palette, makeView, plotRect, fitCanvas, drawPath, drawMarker, drawAxes, drawLegendRow, clipTo } from "./plot.js";
import { demoRoot, div, slider, choice, readout, canvas, liveRender, setTrait, fmtNum, clampHeight } from "./controls.js";

export const PENALTIES = Object.freeze({
  L1: { label: "L1 (diamond)", key: "l1" },
  L2: { label: "L2 (circle)", key: "l2" },
  "elastic net": { label: "elastic net (rounded diamond)", key: "elastic_net" },
});
export const PENALTY_NAMES = Object.keys(PENALTIES);

const soft = (x, t) => Math.sign(x) * Math.max(Math.abs(x) - t, 0);

/** The penalised minimum for one penalty, strength and loss (centre, curvatures). */
export function solve(penalty, strength, centre, curvature) {
  return centre.map((c, k) => {
    const h = curvature[k];
    if (penalty === "L1") return soft(c, strength / h);
    if (penalty === "L2") return (h * c) / (h + 2 * strength);
    if (penalty === "elastic net") return soft(h * c, strength / 2) / (h + strength);
    throw new Error(`unknown penalty "${penalty}"; choose one of ${PENALTY_NAMES.join(", ")}`);
  });
}

/** The penalty's value R(w). */
export function penaltyValue(penalty, w) {
  const l1 = Math.abs(w[0]) + Math.abs(w[1]), l2 = w[0] * w[0] + w[1] * w[1];
  return penalty === "L1" ? l1 : penalty === "L2" ? l2 : 0.5 * l1 + 0.5 * l2;
}

/** Points of the ball R(w) = r (radial search along 360 directions; R grows along each ray). */
export function ballOutline(penalty, r, n = 360) {
  const pts = [];
  for (let i = 0; i <= n; i++) {
    const t = (2 * Math.PI * i) / n, d = [Math.cos(t), Math.sin(t)];
    let lo = 0, hi = 1;
    while (penaltyValue(penalty, [hi * d[0], hi * d[1]]) < r) hi *= 2;
    for (let k = 0; k < 40; k++) {
      const mid = (lo + hi) / 2;
      if (penaltyValue(penalty, [mid * d[0], mid * d[1]]) < r) lo = mid; else hi = mid;
    }
    pts.push([lo * d[0], lo * d[1]]);
  }
  return pts;
}

/** Everything the view draws, for the given traits. */
export function compute({ penalty, strength, centre_x, centre_y, kappa }) {
  const centre = [centre_x, centre_y], curvature = [1, kappa];
  const w = solve(penalty, strength, centre, curvature);
  const path = [];
  for (let i = 0; i <= 120; i++) path.push(solve(penalty, (3 * i) / 120, centre, curvature));
  const r = penaltyValue(penalty, w);
  const loss = 0.5 * (curvature[0] * (w[0] - centre[0]) ** 2 + curvature[1] * (w[1] - centre[1]) ** 2);
  const zeros = w.map((x) => x === 0);
  return { penalty, strength, centre, curvature, w, path, ball: r > 0 ? ballOutline(penalty, r) : [], loss, zeros,
    readout: describe(penalty, strength, w, zeros) };
}

function describe(penalty, strength, w, zeros) {
  const fmt = (x) => (x === 0 ? "0 (exactly)" : fmtNum(x, 3));
  let text = `With ${penalty} at strength ${fmtNum(strength, 2)} the minimum is w = (${fmt(w[0])}, ${fmt(w[1])}).`;
  if (zeros[0] && zeros[1]) text += " The penalty has pulled both weights to zero.";
  else if (zeros[0] || zeros[1]) text += ` It sits on a corner of the ball: w${zeros[0] ? 1 : 2} is exactly zero.`;
  else if (penalty === "L2") text += " L2 shrinks both weights but sets neither to zero.";
  else text += " No weight is zero yet: raise the strength.";
  return text;
}

// ------------------------------------------------------------------ view ----

const TRAITS = ["penalty", "strength", "centre_x", "centre_y", "kappa"];

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-compact trainlab-constraint" });
  const controls = div(root, "trainlab-controls");
  const set = (name) => (v) => setTrait(model, name, v);
  const range = (name, label, step) => slider(controls, {
    name, label, min: limits[name][0], max: limits[name][1], step, value: model.get(name),
    format: (v) => fmtNum(v, 2), onInput: set(name),
  });
  const c = {
    penalty: choice(controls, { name: "penalty", label: "penalty", value: model.get("penalty"),
      options: PENALTY_NAMES.map((p) => [p, PENALTIES[p].label]), onInput: set("penalty") }),
    strength: range("strength", "strength λ", 0.05),
    centre_x: range("centre_x", "loss centre c1", 0.05),
    centre_y: range("centre_y", "loss centre c2", 0.05),
    kappa: range("kappa", "curvature along w2", 0.25),
  };
  const plots = div(root, "trainlab-plots");
  const main = canvas(plots, "Loss contours, the penalty ball through the solution, and the path of solutions as the strength grows");
  const text = readout(root);

  function redraw(state) {
    for (const k of TRAITS) c[k].set(state[k]);
    const r = compute(state);
    const colors = palette(root);
    const pen = colors.method(PENALTIES[state.penalty].key).color, other = colors.method("none").color;
    const width = Math.max(240, Math.min(root.clientWidth, 520));
    const h = clampHeight(width, 240, 460);
    const ctx = fitCanvas(main, width, h);
    const rect = plotRect(width, h, { top: 26 });
    const view = makeView([-2.5, 2.5, -2.5, 2.5], rect);
    const sx = view.px(1) - view.px(0), sy = view.py(0) - view.py(1);  // pixels per unit
    const cx = view.px(r.centre[0]), cy = view.py(r.centre[1]);
    const ellipse = (level) => {
      ctx.beginPath();
      ctx.ellipse(cx, cy, Math.sqrt((2 * level) / r.curvature[0]) * sx,
        Math.sqrt((2 * level) / r.curvature[1]) * sy, 0, 0, 2 * Math.PI);
      ctx.stroke();
    };
    ctx.save();
    clipTo(ctx, rect);
    ctx.strokeStyle = colors.contour;
    ctx.lineWidth = 1;
    for (let k = 1; k <= 8; k++) ellipse(0.05 * k * k);  // loss contours
    if (r.loss > 0) {  // the contour through the solution: it touches the ball there
      ctx.strokeStyle = other;
      ctx.lineWidth = 1.6;
      ellipse(r.loss);
    }
    ctx.restore();
    if (r.ball.length) drawPath(ctx, view, r.ball, { color: pen, width: 1.5, dash: [5, 4] });
    drawPath(ctx, view, r.path, { color: pen, width: 2.2 });
    drawMarker(ctx, view, r.centre, { shape: "star", color: colors.fg, size: 7 });
    drawMarker(ctx, view, r.w, { shape: "dot", color: pen, size: 6 });
    drawAxes(ctx, view, colors, { xlabel: "w1", ylabel: "w2" });
    drawLegendRow(ctx, rect.left, 12, [
      { label: "solutions as λ grows", color: pen, shape: "line" },
      { label: "penalty ball through w*", color: pen, shape: "line", dash: [5, 4] },
      { label: "loss contour through w*", color: other, shape: "line" },
    ], colors, rect.width);
    text.textContent = r.readout;
  }
  return liveRender(root, model, TRAITS, redraw);
}

export default { render };
