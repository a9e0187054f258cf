// The view shared by the demos that draw paths over a 2-D loss surface beside a curve against
// the step (saddle_noise, race, newton_gd, lbfgs_noise): the pair of plots sized to the
// surface's window, and the axes and contours on a cached layer.

import { blit, contourSegments, drawAxes, drawContours, fitCanvas, quantileLevels, sampleGrid } from "./plot.js";
import { clampHeight } from "./controls.js";

/** Size a plotPair for a surface `window` [x0, x1, y0, y1]: the main plot is as high as the
 *  window's aspect ratio times `aspect` makes it (clamped to [min, max] px); the side plot has
 *  the same height beside it, or `side` of it (clamped to [sideMin, sideMax]) below it.
 *  Returns {main, side}, each {ctx, width, height, legend} with the canvas fitted. */
export function fitSurfacePair(plots, window, {
  aspect = 1, min = 200, max = 380, side = 0.75, sideMin = 180, sideMax = 300,
} = {}) {
  const { wide, mainW, sideW } = plots.layout();
  const [x0, x1, y0, y1] = window;
  const h = clampHeight(mainW * ((y1 - y0) / (x1 - x0)) * aspect, min, max);
  const sh = wide ? h : clampHeight(h * side, sideMin, sideMax);
  return {
    main: { ctx: fitCanvas(plots.main.canvas, mainW, h), width: mainW, height: h, legend: plots.main.legend },
    side: { ctx: fitCanvas(plots.side.canvas, sideW, sh), width: sideW, height: sh, legend: plots.side.legend },
  };
}

/** Blit the w1/w2 axes and `levels` quantile contours of f(x, y) over `window` (sampled on an
 *  nx x ny grid) onto `plot` ({ctx, width, height}). They depend on the surface, the size and
 *  the theme only: drawn once per `key` (name the surface and its parameters) in `layers`
 *  (plot.js layerCache), blitted on every later redraw. */
export function drawContourLayer(plot, view, layers, colors, { key, f, window, levels = 16, nx = 120, ny = 90 }) {
  blit(plot.ctx, layers.get(`${key}|${colors.fg}`, plot.width, plot.height, (lctx) => {
    drawAxes(lctx, view, colors, { xlabel: "w1", ylabel: "w2" });
    const z = sampleGrid(f, window, nx, ny);
    drawContours(lctx, view, contourSegments(z, window, nx, ny, quantileLevels(z, levels)), colors.contour);
  }));
}
