// Demo "TransferFreeze" (chapter 7, claims C32 and C34): test accuracy against SGD steps when
// the first k blocks of a pretrained network are frozen and the trained blocks learn at a
// multiple of the head's learning rate. Nothing is trained in the browser: every curve was
// trained when the book was built (trainlab.experiments.transfer.demo_grid) and travels with the
// page as plain data; the demo picks and draws curves.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { palette, plotRect, fitCanvas, drawLineChart } from "./plot.js";
import {
  demoRoot, div, slider, choice, readout, plot, setLegend, liveRender, setTrait, clampHeight,
} from "./controls.js";

/** The curve key of the experiment's data for a choice (the multiplier is irrelevant when every
 *  block is frozen: that run is the linear probe). */
export function curveKey(data, perClass, frozen, mult) {
  const blocks = Math.max(...data.frozen);
  if (frozen >= blocks) return `${perClass}/${blocks}/${fmtMult(data.mults[0])}`;
  return `${perClass}/${frozen}/${fmtMult(mult)}`;
}

function fmtMult(m) {
  return String(+m.toPrecision(6)); // Python's f"{m:g}" for the grid's values (0.01, 0.1, 1)
}

/** The series the chart shows and the sentence under it, for one state of the controls. */
export function computeTransferFreeze(data, { per_class, frozen, backbone_mult }) {
  if (!data || !data.curves) {
    return { chosen: [], probe: [], scratch: [], isProbe: false,
      readout: "No precomputed curves: build the demo with TransferFreeze.from_experiment(demo_grid())." };
  }
  if (!data.sizes.includes(per_class)) throw new Error(`per_class must be one of ${data.sizes}`);
  if (!data.frozen.includes(frozen)) throw new Error(`frozen must be one of ${data.frozen}`);
  const blocks = Math.max(...data.frozen);
  const pick = (key) => {
    const acc = data.curves[key];
    if (!acc) throw new Error(`no precomputed curve ${key}`);
    return data.steps.map((s, i) => [s, acc[i]]);
  };
  const chosen = pick(curveKey(data, per_class, frozen, backbone_mult));
  const probe = pick(curveKey(data, per_class, blocks, backbone_mult));
  const scratch = pick(`${per_class}/scratch`);
  const last = (c) => c[c.length - 1][1];
  const what = frozen >= blocks
    ? `every block frozen (a linear probe)`
    : `${frozen} of ${blocks} blocks frozen, backbone lr ${fmtMult(backbone_mult)} × the head's`;
  const text = `${per_class} labelled images per class, ${what}: test accuracy ` +
    `${last(chosen).toFixed(3)} after ${data.steps[data.steps.length - 1]} steps ` +
    `(linear probe ${last(probe).toFixed(3)}, from scratch ${last(scratch).toFixed(3)}).`;
  return { chosen, probe, scratch, isProbe: frozen >= blocks, readout: text };
}

/** The demo's compute at a full widget state (data and controls). */
export function compute(state) {
  return computeTransferFreeze(state.data, state);
}

// ------------------------------------------------------------------ view ----

const TRAITS = ["per_class", "frozen", "backbone_mult", "data"];

function render({ model, el }) {
  const limits = model.get("_limits");
  const root = demoRoot(el, { title: model.get("title"), className: "trainlab-compact trainlab-transfer-freeze" });
  const controls = div(root, "trainlab-controls");
  const data = model.get("data") || {};
  const blocks = limits.frozen[1];
  const inputs = {
    per_class: choice(controls, {
      name: "per_class", label: "labelled images per class",
      options: (data.sizes || [model.get("per_class")]).map((n) => [n, String(n)]),
      value: model.get("per_class"), onInput: (v) => setTrait(model, "per_class", v),
    }),
    frozen: slider(controls, {
      name: "frozen", label: "blocks frozen", min: limits.frozen[0], max: blocks, step: 1,
      value: model.get("frozen"), format: (v) => (v >= blocks ? `${v} (linear probe)` : String(v)),
      onInput: (v) => setTrait(model, "frozen", v),
    }),
    backbone_mult: choice(controls, {
      name: "backbone_mult", label: "backbone lr / head lr",
      options: (data.mults || [model.get("backbone_mult")]).map((m) => [m, `× ${fmtMult(m)}`]),
      value: model.get("backbone_mult"), onInput: (v) => setTrait(model, "backbone_mult", v),
    }),
  };
  const chart = plot(div(root, "trainlab-plots"),
    "Test accuracy against SGD steps for the chosen setting, the linear probe and training from scratch");
  const text = readout(root);

  function redraw(state) {
    for (const k of ["per_class", "frozen", "backbone_mult"]) inputs[k].set(state[k]);
    inputs.backbone_mult.setDisabled(state.frozen >= blocks);
    const r = compute(state);
    text.textContent = r.readout;
    if (!r.chosen.length) return;
    const colors = palette(root);
    const width = Math.max(120, Math.floor(chart.box.clientWidth));
    const height = clampHeight(width * 0.5, 220, 340);
    const ctx = fitCanvas(chart.canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    const rect = plotRect(width, height, { left: 46, right: 14, top: 10 });
    const tune = colors.method("fine_tune", 2.4), probe = colors.method("linear_probe"),
      scratch = colors.method("scratch");
    const steps = state.data.steps;
    const series = [
      { points: r.scratch, color: scratch.color, dash: scratch.dash, width: 1.6 },
      { points: r.probe, color: probe.color, dash: probe.dash, width: 1.6 },
    ];
    const items = [
      { label: "from scratch", color: scratch.color, dash: scratch.dash },
      { label: "linear probe (every block frozen)", color: probe.color, dash: probe.dash },
    ];
    if (!r.isProbe) {
      series.push({ points: r.chosen, color: tune.color, dash: tune.dash, width: 2.4 });
      items.push({ label: `${state.frozen} frozen, backbone lr × ${fmtMult(state.backbone_mult)}`,
        color: tune.color, dash: tune.dash });
    }
    drawLineChart(ctx, rect, [0, steps[steps.length - 1], 0, 1], series, colors,
      { xlabel: "SGD steps", ylabel: "test accuracy" });
    setLegend(chart.legend, items);
  }

  return liveRender(root, model, TRAITS, redraw);
}

export default { render };
