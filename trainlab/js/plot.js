// Canvas 2-D drawing shared by every demo: views (data <-> pixels, linear or log axes),
// contours, paths, markers, axes, legends, line charts, and a cache for layers that only change
// when the surface does. The numeric parts (contour segments, ticks, clipping) touch no DOM, so
// node can test them; drawing functions take a CanvasRenderingContext2D.

import { methodStyle } from "./palette.js";

// ---------------------------------------------------------------- colours ----

/** Colours for the current theme, from the demo root's computed text colour: works on light and
 *  dark pages (JupyterLab, the book's light/dark modes) without knowing which is active.
 *  Series take their colour, dashes and label from the book's palette: `method("adam")`. */
export function palette(el) {
  const fg = (el && globalThis.getComputedStyle && getComputedStyle(el).color) || "rgb(40, 40, 40)";
  return {
    fg,
    // Tick labels and secondary text: 0.8 of the text colour keeps WCAG AA (4.5:1) on both themes.
    muted: withAlpha(fg, 0.8),
    grid: withAlpha(fg, 0.12),
    contour: withAlpha(fg, 0.28),
    method: methodStyle,
  };
}

/** `color` ("rgb(...)", "rgba(...)" or "#rrggbb") with its alpha replaced. */
export function withAlpha(color, alpha) {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(color);
  if (m) return `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${alpha})`;
  const h = /^#([0-9a-f]{6})$/i.exec(color);
  if (h) {
    const n = parseInt(h[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return color;
}

// ------------------------------------------------------------------ views ----

/** A mapping between data coordinates in `window` = [xmin, xmax, ymin, ymax] and the pixel
 *  rectangle `rect` = {left, top, width, height} (CSS pixels). Log axes map log10 of the value. */
export function makeView(window, rect, { logX = false, logY = false } = {}) {
  const [x0, x1, y0, y1] = window;
  const tx = logX ? Math.log10 : (v) => v;
  const ty = logY ? Math.log10 : (v) => v;
  const ax = tx(x0), bx = tx(x1), ay = ty(y0), by = ty(y1);
  const sx = rect.width / (bx - ax), sy = rect.height / (by - ay);
  return {
    window: [x0, x1, y0, y1],
    rect,
    logX,
    logY,
    px: (x) => rect.left + (tx(x) - ax) * sx,
    py: (y) => rect.top + rect.height - (ty(y) - ay) * sy,
  };
}

/** The plotting rectangle of a canvas of CSS size (width, height) after margins for axes. */
export function plotRect(width, height, { left = 44, right = 10, top = 10, bottom = 34 } = {}) {
  return { left, top, width: Math.max(10, width - left - right), height: Math.max(10, height - top - bottom) };
}

/** Size a canvas for its CSS box and the device pixel ratio; returns its 2-D context in CSS px,
 *  cleared (a redraw at an unchanged size would otherwise draw over the last picture). */
export function fitCanvas(canvas, width, height) {
  const dpr = (globalThis.devicePixelRatio || 1);
  const w = Math.max(1, Math.round(width * dpr)), h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

// --------------------------------------------------------------- contours ----

/** Loss values of f on an (nx+1) x (ny+1) grid over `window`, row-major from (xmin, ymin). */
export function sampleGrid(f, window, nx, ny) {
  const [x0, x1, y0, y1] = window;
  const z = new Float64Array((nx + 1) * (ny + 1));
  for (let j = 0; j <= ny; j++) {
    const y = y0 + ((y1 - y0) * j) / ny;
    for (let i = 0; i <= nx; i++) z[j * (nx + 1) + i] = f(x0 + ((x1 - x0) * i) / nx, y);
  }
  return z;
}

/** `n` contour levels at evenly spaced quantiles of the sampled values (finite ones): dense
 *  where the surface is flat, so every surface gets readable contours without tuning. */
export function quantileLevels(z, n) {
  const v = Array.from(z).filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const levels = [];
  for (let k = 1; k <= n; k++) {
    // Quantiles squared: more levels near the minimum, where paths end up.
    const q = (k / (n + 1)) ** 2;
    const level = v[Math.min(v.length - 1, Math.floor(q * (v.length - 1)))];
    if (!levels.length || level > levels[levels.length - 1]) levels.push(level);
  }
  return levels;
}

/** Marching squares: for each level, a flat array [x0, y0, x1, y1, ...] of segments in data
 *  coordinates. `z` comes from sampleGrid(f, window, nx, ny). */
export function contourSegments(z, window, nx, ny, levels) {
  const [x0, x1, y0, y1] = window;
  const dx = (x1 - x0) / nx, dy = (y1 - y0) / ny;
  const out = levels.map(() => []);
  const W = nx + 1;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const a = z[j * W + i], b = z[j * W + i + 1], c = z[(j + 1) * W + i + 1], d = z[(j + 1) * W + i];
      const lo = Math.min(a, b, c, d), hi = Math.max(a, b, c, d);
      const xa = x0 + i * dx, ya = y0 + j * dy;
      for (let l = 0; l < levels.length; l++) {
        const v = levels[l];
        if (v < lo || v >= hi) continue;
        // Crossing points on the cell's edges (bottom a-b, right b-c, top d-c, left a-d).
        const pts = [];
        if ((a < v) !== (b < v)) pts.push(xa + ((v - a) / (b - a)) * dx, ya);
        if ((b < v) !== (c < v)) pts.push(xa + dx, ya + ((v - b) / (c - b)) * dy);
        if ((d < v) !== (c < v)) pts.push(xa + ((v - d) / (c - d)) * dx, ya + dy);
        if ((a < v) !== (d < v)) pts.push(xa, ya + ((v - a) / (d - a)) * dy);
        const seg = out[l];
        if (pts.length === 4) seg.push(pts[0], pts[1], pts[2], pts[3]);
        else if (pts.length === 8) {
          // Saddle cell: pair the crossings by the centre value.
          const centre = (a + b + c + d) / 4;
          if ((centre < v) === (a < v)) seg.push(pts[0], pts[1], pts[2], pts[3], pts[4], pts[5], pts[6], pts[7]);
          else seg.push(pts[0], pts[1], pts[6], pts[7], pts[2], pts[3], pts[4], pts[5]);
        }
      }
    }
  }
  return out;
}

/** Contour lines of f over the view's window, as computed segments drawn in one stroke. */
export function drawContours(ctx, view, segmentsByLevel, color, lineWidth = 1) {
  ctx.save();
  clipTo(ctx, view.rect);
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.beginPath();
  for (const seg of segmentsByLevel) {
    for (let k = 0; k < seg.length; k += 4) {
      ctx.moveTo(view.px(seg[k]), view.py(seg[k + 1]));
      ctx.lineTo(view.px(seg[k + 2]), view.py(seg[k + 3]));
    }
  }
  ctx.stroke();
  ctx.restore();
}

/** Contours of a*x^2 + b*y^2 = level, exact ellipses (cheap enough to redraw every event). */
export function drawQuadraticContours(ctx, view, a, b, levels, color, lineWidth = 1) {
  ctx.save();
  clipTo(ctx, view.rect);
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  const cx = view.px(0), cy = view.py(0);
  const ux = Math.abs(view.px(1) - cx), uy = Math.abs(view.py(1) - cy);
  ctx.beginPath();
  for (const level of levels) {
    const rx = Math.sqrt(level / a) * ux, ry = Math.sqrt(level / b) * uy;
    if (!(rx > 0 && ry > 0) || rx > 1e7 || ry > 1e7) continue;
    ctx.moveTo(cx + rx, cy);
    ctx.ellipse(cx, cy, rx, ry, 0, 0, 2 * Math.PI);
  }
  ctx.stroke();
  ctx.restore();
}

// -------------------------------------------------------- paths & markers ----

/** The part of segment (x0,y0)-(x1,y1) inside rect (Liang-Barsky), or null. Far-off points of a
 *  diverging path would otherwise overflow the canvas's coordinate range. */
export function clipSegment(x0, y0, x1, y1, rect) {
  const dx = x1 - x0, dy = y1 - y0;
  let t0 = 0, t1 = 1;
  const tests = [
    [-dx, x0 - rect.left], [dx, rect.left + rect.width - x0],
    [-dy, y0 - rect.top], [dy, rect.top + rect.height - y0],
  ];
  for (const [p, q] of tests) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const r = q / p;
      if (p < 0) { if (r > t1) return null; if (r > t0) t0 = r; }
      else { if (r < t0) return null; if (r < t1) t1 = r; }
    }
  }
  return [x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy];
}

/** A polyline through `points` ([[x, y], ...], data coordinates), clipped to the plot, with
 *  small dots at the iterates when `dots` (useful while there are few). */
export function drawPath(ctx, view, points, { color, width = 1.6, dots = false, dash = null } = {}) {
  if (!points.length) return;
  const r = view.rect;
  const pad = { left: r.left - 10, top: r.top - 10, width: r.width + 20, height: r.height + 20 };
  ctx.save();
  clipTo(ctx, r);
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.lineJoin = "round";
  if (dash) ctx.setLineDash(dash);
  ctx.beginPath();
  let px = view.px(points[0][0]), py = view.py(points[0][1]);
  let penAt = null;
  for (let k = 1; k < points.length; k++) {
    const qx = view.px(points[k][0]), qy = view.py(points[k][1]);
    const seg = clipSegment(px, py, qx, qy, pad);
    if (seg) {
      if (!penAt || penAt[0] !== seg[0] || penAt[1] !== seg[1]) ctx.moveTo(seg[0], seg[1]);
      ctx.lineTo(seg[2], seg[3]);
      penAt = [seg[2], seg[3]];
    }
    px = qx;
    py = qy;
  }
  ctx.stroke();
  if (dash) ctx.setLineDash([]);
  if (dots) {
    ctx.beginPath();
    for (const [x, y] of points) {
      const X = view.px(x), Y = view.py(y);
      if (X >= r.left && X <= r.left + r.width && Y >= r.top && Y <= r.top + r.height) {
        ctx.moveTo(X + 1.8, Y);
        ctx.arc(X, Y, 1.8, 0, 2 * Math.PI);
      }
    }
    ctx.fill();
  }
  ctx.restore();
}

/** A marker at data point `p`: shape "dot", "ring", "cross" or "star"; skipped off the plot. */
export function drawMarker(ctx, view, p, { shape = "dot", color, size = 5, label = null, labelColor } = {}) {
  const X = view.px(p[0]), Y = view.py(p[1]), r = view.rect;
  if (!(X >= r.left - 1 && X <= r.left + r.width + 1 && Y >= r.top - 1 && Y <= r.top + r.height + 1)) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1.8;
  ctx.beginPath();
  if (shape === "dot") {
    ctx.arc(X, Y, size, 0, 2 * Math.PI);
    ctx.fill();
  } else if (shape === "ring") {
    ctx.arc(X, Y, size, 0, 2 * Math.PI);
    ctx.stroke();
  } else if (shape === "cross") {
    ctx.moveTo(X - size, Y - size); ctx.lineTo(X + size, Y + size);
    ctx.moveTo(X - size, Y + size); ctx.lineTo(X + size, Y - size);
    ctx.stroke();
  } else if (shape === "star") {
    for (let k = 0; k < 10; k++) {
      const rr = k % 2 ? size * 0.45 : size * 1.1, a = -Math.PI / 2 + (k * Math.PI) / 5;
      ctx[k ? "lineTo" : "moveTo"](X + rr * Math.cos(a), Y + rr * Math.sin(a));
    }
    ctx.closePath();
    ctx.fill();
  }
  if (label) {
    // Beside the marker, flipped to the left or below where it would cross the plot's frame.
    ctx.fillStyle = labelColor || color;
    ctx.font = "11px system-ui, sans-serif";
    const w = ctx.measureText(label).width;
    const right = X + size + 2 + w <= r.left + r.width - 2;
    ctx.textAlign = right ? "left" : "right";
    const above = Y - 2 - 12 >= r.top;
    ctx.textBaseline = above ? "bottom" : "top";
    ctx.fillText(label, right ? X + size + 2 : X - size - 2, above ? Y - 2 : Y + 2);
  }
  ctx.restore();
}

// ------------------------------------------------------------------- axes ----

/** About `n` round tick values covering [lo, hi]. */
export function niceTicks(lo, hi, n = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : +t.toPrecision(12));
  }
  return ticks;
}

/** Powers of ten within [lo, hi] (lo > 0); every k-th one when there would be more than
 *  `maxTicks` (a loss spanning 14 decades on a 200-pixel axis). */
export function logTicks(lo, hi, maxTicks = Infinity) {
  const ticks = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); 10 ** e <= hi * (1 + 1e-9); e++) ticks.push(10 ** e);
  if (ticks.length <= maxTicks) return ticks;
  const k = Math.ceil(ticks.length / Math.max(1, maxTicks));
  // Keep the top tick, so the axis ends on a label.
  return ticks.filter((_, i) => (ticks.length - 1 - i) % k === 0);
}

export function formatTick(v) {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return `1e${Math.round(Math.log10(a))}`.replace("1e", v < 0 ? "-1e" : "1e");
  return String(+v.toPrecision(4));
}

/** Frame, ticks with labels and axis labels around view.rect. */
export function drawAxes(ctx, view, colors, { xlabel = "", ylabel = "", xticks, yticks } = {}) {
  const r = view.rect, [x0, x1, y0, y1] = view.window;
  xticks = xticks || (view.logX ? logTicks(x0, x1, Math.max(2, Math.floor(r.width / 40)))
    : niceTicks(x0, x1, Math.max(2, Math.round(r.width / 70))));
  yticks = yticks || (view.logY ? logTicks(y0, y1, Math.max(2, Math.floor(r.height / 22)))
    : niceTicks(y0, y1, Math.max(2, Math.round(r.height / 45))));
  ctx.save();
  ctx.strokeStyle = colors.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const t of xticks) { const X = Math.round(view.px(t)) + 0.5; ctx.moveTo(X, r.top); ctx.lineTo(X, r.top + r.height); }
  for (const t of yticks) { const Y = Math.round(view.py(t)) + 0.5; ctx.moveTo(r.left, Y); ctx.lineTo(r.left + r.width, Y); }
  ctx.stroke();
  ctx.strokeStyle = colors.muted;
  ctx.strokeRect(r.left + 0.5, r.top + 0.5, r.width - 1, r.height - 1);
  ctx.fillStyle = colors.muted;
  ctx.font = "11px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of xticks) ctx.fillText(formatTick(t), view.px(t), r.top + r.height + 3);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of yticks) ctx.fillText(formatTick(t), r.left - 4, view.py(t));
  ctx.fillStyle = colors.fg;
  ctx.font = "12px system-ui, sans-serif";
  if (xlabel) {
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.fillText(xlabel, r.left + r.width / 2, r.top + r.height + 32);
  }
  if (ylabel) {
    ctx.translate(12, r.top + r.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(ylabel, 0, 0);
  }
  ctx.restore();
}

/** A legend box in a corner of rect: items = [{label, color, shape: "line"|marker shape}].
 *  With `avoid` = {view, paths: [[[x, y], ...], ...]} it takes the corner covering the fewest
 *  path points (top-right first on ties), so it does not hide where the paths go. */
export function drawLegend(ctx, rect, items, colors, avoid = null) {
  if (!items.length) return;
  ctx.save();
  ctx.font = "11px system-ui, sans-serif";
  const w = 26 + Math.max(...items.map((it) => ctx.measureText(it.label).width));
  const h = 6 + 15 * items.length;
  const corners = [
    [rect.left + rect.width - w - 6, rect.top + 6], [rect.left + 6, rect.top + 6],
    [rect.left + rect.width - w - 6, rect.top + rect.height - h - 6], [rect.left + 6, rect.top + rect.height - h - 6],
  ];
  let [x, y] = corners[0];
  if (avoid) {
    let fewest = Infinity;
    for (const [cx, cy] of corners) {
      let n = 0;
      for (const path of avoid.paths) {
        for (const p of path) {
          const X = avoid.view.px(p[0]), Y = avoid.view.py(p[1]);
          if (X >= cx - 4 && X <= cx + w + 4 && Y >= cy - 4 && Y <= cy + h + 4) n++;
        }
      }
      if (n < fewest) { fewest = n; x = cx; y = cy; }
    }
  }
  ctx.fillStyle = colors.background || "rgba(128, 128, 128, 0.12)";
  ctx.fillRect(x, y, w, h);
  ctx.textBaseline = "middle";
  items.forEach((it, k) => {
    const yy = y + 10 + 15 * k;
    ctx.strokeStyle = it.color;
    ctx.fillStyle = it.color;
    ctx.lineWidth = 2;
    if (!it.shape || it.shape === "line") {
      if (it.dash) ctx.setLineDash(it.dash);
      ctx.beginPath(); ctx.moveTo(x + 3, yy); ctx.lineTo(x + 20, yy); ctx.stroke();
      ctx.setLineDash([]);
    } else {
      drawMarker(ctx, { px: (v) => v, py: (v) => v, rect: { left: 0, top: 0, width: 1e9, height: 1e9 } },
        [x + 12, yy], { shape: it.shape, color: it.color, size: 4 });
    }
    ctx.fillStyle = colors.fg;
    ctx.fillText(it.label, x + 23, yy);
  });
  ctx.restore();
}

/** A one-line legend starting at (x, y) (e.g. in a chart's top margin, where it hides nothing):
 *  items = [{label, color, shape: "line"|marker shape, dash}]. Items that do not fit in
 *  `maxWidth` are dropped from the end (the readout says the same in words). */
export function drawLegendRow(ctx, x, y, items, colors, maxWidth = Infinity) {
  ctx.save();
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  let at = x;
  for (const it of items) {
    const w = 22 + ctx.measureText(it.label).width;
    if (at + w - x > maxWidth) break;
    ctx.strokeStyle = it.color;
    ctx.fillStyle = it.color;
    ctx.lineWidth = 2;
    if (!it.shape || it.shape === "line") {
      if (it.dash) ctx.setLineDash(it.dash);
      ctx.beginPath(); ctx.moveTo(at, y); ctx.lineTo(at + 14, y); ctx.stroke();
      ctx.setLineDash([]);
    } else {
      drawMarker(ctx, { px: (v) => v, py: (v) => v, rect: { left: 0, top: 0, width: 1e9, height: 1e9 } },
        [at + 7, y], { shape: it.shape, color: it.color, size: 3.5 });
    }
    ctx.fillStyle = colors.fg;
    ctx.fillText(it.label, at + 18, y);
    at += w + 10;
  }
  ctx.restore();
}

/** A message centred in rect (e.g. "diverges for every κ"). */
export function drawNote(ctx, rect, text, color) {
  ctx.save();
  ctx.fillStyle = color;
  ctx.font = "12px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(text, rect.left + rect.width / 2, rect.top + rect.height / 2);
  ctx.restore();
}

/** A small line chart: series = [{points: [[x, y], ...], color, width, dash}] where a y of null
 *  breaks the line. For steps-vs-condition-number and loss-vs-step plots. */
export function drawLineChart(ctx, rect, window, series, colors, { logX = false, logY = false, xlabel, ylabel } = {}) {
  const view = makeView(window, rect, { logX, logY });
  drawAxes(ctx, view, colors, { xlabel, ylabel });
  for (const s of series) {
    const runs = [[]];
    for (const p of s.points) {
      if (p[1] === null || !Number.isFinite(p[1])) { if (runs[runs.length - 1].length) runs.push([]); }
      else runs[runs.length - 1].push(p);
    }
    for (const run of runs) if (run.length) drawPath(ctx, view, run, { color: s.color, width: s.width || 1.8, dash: s.dash });
  }
  return view;
}

// ----------------------------------------------------------------- layers ----

/** Clip drawing to rect. */
export function clipTo(ctx, rect) {
  ctx.beginPath();
  ctx.rect(rect.left, rect.top, rect.width, rect.height);
  ctx.clip();
}

/** An offscreen-canvas cache for layers that depend on the surface and size only (contours),
 *  so a slider event that changes the path just blits them. Keeps the last `size` layers. */
export function layerCache(size = 8) {
  const layers = new Map();
  return {
    /** The canvas for `key` (CSS size width x height), drawn by draw(ctx) on a miss. */
    get(key, width, height, draw) {
      const full = `${key}|${width}x${height}|${globalThis.devicePixelRatio || 1}`;
      let canvas = layers.get(full);
      if (!canvas) {
        canvas = document.createElement("canvas");
        const dpr = globalThis.devicePixelRatio || 1;
        canvas.width = Math.max(1, Math.round(width * dpr));
        canvas.height = Math.max(1, Math.round(height * dpr));
        const ctx = canvas.getContext("2d");
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        draw(ctx);
        layers.set(full, canvas);
        if (layers.size > size) layers.delete(layers.keys().next().value);
      }
      return canvas;
    },
    clear() { layers.clear(); },
  };
}

/** Blit a cached layer canvas at the origin of ctx (which is scaled to CSS px). */
export function blit(ctx, layer) {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(layer, 0, 0);
  ctx.restore();
}
