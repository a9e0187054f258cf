// Demo "TransferFreeze" (chapter 7, claims C32 and C34): test accuracy against SGD steps when
// the first k blocks of a pretrained network are frozen and the trained blocks learn at a
// multiple of the head's learning rate. Nothing is trained in the browser: every curve was
// trained when the book was built (trainlab.experiments.transfer.demo_grid) and travels with the
// page as plain data; the demo picks and draws curves.
//
// The compute part touches no DOM (node tests import it); render() at the bottom draws it.

import { palette, plotRect, fitCanvas, drawLineChart, drawLegendRow } from "./plot.js";
import {
  demoRoot, div, slider, gridSlider, readout, canvas, liveRender, setTrait, clampHeight,
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

// ------------------------------------------------------------------ view ----

const TRAITS = ["per_class", "frozen", "backbone_mult", "data"];

function render({ model, el }) {
  const data = model.get("data");
  const root = demoRoot(el, { title: "Freeze the first k blocks, scale the backbone's learning rate",
    className: "trainlab-compact trainlab-transfer-freeze" });
  const controls = div(root, "trainlab-controls");
  const blocks = Math.max(...data.frozen);
  const sliders = {
    per_class: gridSlider(controls, {
      name: "per_class", label: "labelled images per class", grid: data.sizes,
      value: model.get("per_class"), onInput: (v) => setTrait(model, "per_class", v),
    }),
    frozen: slider(controls, {
      name: "frozen", label: "blocks frozen", min: Math.min(...data.frozen), max: blocks, step: 1,
      value: model.get("frozen"), format: (v) => (v >= blocks ? `${v} (linear probe)` : String(v)),
      onInput: (v) => setTrait(model, "frozen", v),
    }),
    backbone_mult: gridSlider(controls, {
      name: "backbone_mult", label: "backbone lr / head lr", grid: data.mults,
      value: model.get("backbone_mult"), format: fmtMult,
      onInput: (v) => setTrait(model, "backbone_mult", v),
    }),
  };
  const plots = div(root, "trainlab-plots");
  const chart = canvas(plots, "Test accuracy against SGD steps for the chosen setting, the linear probe and training from scratch");
  const text = readout(root);

  function draw(state) {
    for (const k of ["per_class", "frozen", "backbone_mult"]) sliders[k].set(state[k]);
    sliders.backbone_mult.setDisabled(state.frozen >= blocks);
    const r = computeTransferFreeze(state.data, state);
    const colors = palette(root);
    const width = Math.max(240, root.clientWidth);
    const height = clampHeight(width * 0.5, 220, 340);
    const ctx = fitCanvas(chart, width, height);
    ctx.clearRect(0, 0, width, height);
    const rect = plotRect(width, height, { left: 46, right: 14, top: 28 });
    const tune = colors.method("fine_tune", 2.2), probe = colors.method("linear_probe"),
      scratch = colors.method("scratch");
    const lastStep = state.data.steps[state.data.steps.length - 1];
    const series = [
      { points: r.scratch, color: scratch.color, dash: scratch.dash, width: 1.4 },
      { points: r.probe, color: probe.color, dash: probe.dash, width: 1.4 },
    ];
    if (!r.isProbe) series.push({ points: r.chosen, color: tune.color, dash: tune.dash, width: 2.4 });
    drawLineChart(ctx, rect, [0, lastStep, 0, 1], series, colors,
      { xlabel: "SGD steps", ylabel: "test accuracy" });
    const legend = [
      { label: "from scratch", color: scratch.color, dash: scratch.dash },
      { label: "linear probe (2 frozen)", color: probe.color, dash: probe.dash },
    ];
    if (!r.isProbe) legend.push({ label: `${state.frozen} frozen, ×${fmtMult(state.backbone_mult)}`, color: tune.color, dash: tune.dash });
    drawLegendRow(ctx, rect.left, 12, legend, colors, width - rect.left);
    text.textContent = r.readout;
  }

  return liveRender(root, model, TRAITS, draw);
}

export default { render };
