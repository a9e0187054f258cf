"""Redraw time of chapter 1's live demos per slider event, in headless Chromium with no network.

For every slider of every `.trainlab-demo` on the page, N_EVENTS values spread over its range
are set one per animation frame, each followed by one 'input' event (what a drag fires). Per
event:
- handler_ms: the synchronous dispatch, i.e. the demo's own input handler (a demo that
  recomputes and redraws in its handler does all its work here);
- raf_ms: work done in requestAnimationFrame callbacks of the next frame before ours (a demo
  that defers drawing to the next frame does it here);
- redraw_ms = handler_ms + raf_ms, the figure reported (median over every event of the demo).
A slider whose events never change the demo's drawing or readout is an error: the benchmark
would be timing nothing. Figures are per demo, over all events of all its sliders.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from offline_site import (build_site, book_root, demo_snapshots, offline_chromium,  # noqa: E402
                          serve, site_dir, wait_until_widgets_rendered)

PAGE = "book/01_sgd.html"
N_EVENTS = 50

SWEEP_JS = """async ([demo, slider, n]) => {
  const s = document.querySelectorAll('.trainlab-demo')[demo].querySelectorAll('input[type=range]')[slider];
  const lo = Number(s.min || 0), hi = Number(s.max || 100), original = s.value;
  const nextFrame = () => new Promise(resolve => requestAnimationFrame(resolve));
  const root = document.querySelectorAll('.trainlab-demo')[demo];
  const look = () => [...root.querySelectorAll('.trainlab-readout')].map(e => e.textContent)
    .concat([...root.querySelectorAll('canvas')].map(c => c.toDataURL()))
    .concat([...root.querySelectorAll('svg')].map(e => e.outerHTML)).join('\u0000');
  const handler = [], raf = [];
  let changed = 0, previous = look();
  for (let k = 0; k < n; k++) {
    await nextFrame();  // start every event on a fresh frame
    s.value = String(lo + (hi - lo) * ((k * 37) % n) / (n - 1));  // a permutation of n values
    const t0 = performance.now();
    s.dispatchEvent(new Event('input', { bubbles: true }));
    handler.push(performance.now() - t0);
    const frameStart = await nextFrame();  // runs after rAF callbacks the demo queued
    raf.push(Math.max(0, performance.now() - frameStart));
    const now = look();  // outside the timed span
    if (now !== previous) changed++;
    previous = now;
  }
  return { handler, raf, changed, original };
}"""

RESTORE_JS = """([demo, slider, value]) => {
  const s = document.querySelectorAll('.trainlab-demo')[demo].querySelectorAll('input[type=range]')[slider];
  s.value = value;
  s.dispatchEvent(new Event('input', { bubbles: true }));
}"""


def run() -> dict:
    html = site_dir()
    if not (html / "index.html").exists():
        build_site(book_root())
    figures = {}
    with serve(html) as base_url, offline_chromium(base_url) as browser:
        page = browser.open(PAGE)
        wait_until_widgets_rendered(page, browser, timeout_s=30)
        demos = demo_snapshots(page)
        if not demos:
            raise RuntimeError(f"no .trainlab-demo on {PAGE}: nothing to time")
        for i, demo in enumerate(demos):
            redraw, handler = [], []
            for j in range(demo["sliders"]):
                sweep = page.evaluate(SWEEP_JS, [i, j, N_EVENTS])
                if not sweep["changed"]:
                    raise RuntimeError(f"demo {i} slider {j}: 'input' events changed nothing")
                page.evaluate(RESTORE_JS, [i, j, sweep["original"]])
                handler += sweep["handler"]
                redraw += [h + r for h, r in zip(sweep["handler"], sweep["raf"])]
            label = f"demo{i + 1}"
            figures[f"{label}_sliders"] = demo["sliders"]
            figures[f"{label}_redraw_median_ms"] = round(statistics.median(redraw), 3)
            figures[f"{label}_redraw_p90_ms"] = round(statistics.quantiles(redraw, n=10)[-1], 3)
            figures[f"{label}_handler_median_ms"] = round(statistics.median(handler), 3)
    if browser.problems:
        raise RuntimeError(f"the page had problems while timing:\n{browser.problems.report()}")
    figures["events_per_slider"] = N_EVENTS
    return figures


if __name__ == "__main__":
    print(run())
