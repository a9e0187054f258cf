// The book's one palette (trainlab/js/palette.json, also read by trainlab/palette.py for the
// matplotlib figures): per method a colour, a dash pattern and a label. Demos colour a series
// with methodStyle(key) so a method looks the same in every demo and every static figure.
import PALETTE from "./palette.json" with { type: "json" };

export const METHODS = PALETTE.methods;
export const GROUPS = PALETTE.groups;
export const SPLITS = PALETTE.splits;

/** {color, dash, label} of a method; `dash` in CSS px for a line of width `lineWidth` (canvas
 *  setLineDash takes px; the palette stores multiples of the line width, as matplotlib does). */
export function methodStyle(key, lineWidth = 1.6) {
  const m = METHODS[key];
  if (!m) throw new Error(`palette: no method "${key}"; add it to trainlab/js/palette.json`);
  return { color: m.color, dash: m.dash.map((d) => d * lineWidth), label: m.label };
}

/** The dash pattern (px) of a training or validation curve. */
export function splitDash(split, lineWidth = 1.6) {
  const d = SPLITS[split];
  if (!Array.isArray(d)) throw new Error(`palette: split must be "train" or "validation", not "${split}"`);
  return d.map((v) => v * lineWidth);
}
