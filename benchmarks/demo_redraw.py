"""Redraw time of the book's live demos per slider event, in headless Chromium with no network.

Every page of the built site that shows demos is timed (chapter 1 first). For every slider a
reader can move (enabled `input[type=range]`) of every `.trainlab-demo` on the page, N_EVENTS
values spread over its range are set one per animation frame, each followed by one 'input'
event (what a drag fires). Per event:
- handler_ms: the synchronous dispatch, i.e. the demo's own input handler (a demo that
  recomputes and redraws in its handler does all its work here);
- raf_ms: work done in requestAnimationFrame callbacks of the next frame before ours (a demo
  that defers drawing to the next frame does it here);
- redraw_ms = handler_ms + raf_ms, the figure reported (median over every event of the demo).
A slider whose events never change the demo's drawing or readout is an error: the benchmark
would be timing nothing. Figures are per demo, over all events of all its sliders, named
`<page>_demo<k>_...` (e.g. `01_sgd_demo1_redraw_median_ms`).

    python -m benchmarks demo_redraw                         # every page with demos
    python -m benchmarks.demo_redraw book/03_adaptive.html   # the named pages only
    TRAINLAB_BOOK_ROOT=/tmp/scratchbook python -m benchmarks demo_redraw   # another book

benchmarks/race_redraw.py reuses the functions below for the optimizer race.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support.offline_site import (SLIDERS, build_site, book_root, demo_snapshots,  # noqa: E402
                          offline_chromium, serve, site_dir, wait_until_widgets_rendered)

CHAPTER_1 = "book/01_sgd.html"
N_EVENTS = 50

# [demo index, selector of the slider within the demo, index among the matches, n events]
SWEEP_JS = """async ([demo, selector, index, n]) => {
  const root = document.querySelectorAll('.trainlab-demo')[demo];
  const s = root.querySelectorAll(selector)[index];
  if (!s) throw new Error(`demo ${demo} has no slider ${selector} #${index}`);
  const lo = Number(s.min || 0), hi = Number(s.max || 100), original = s.value;
  const nextFrame = () => new Promise(resolve => requestAnimationFrame(resolve));
  const look = () => [...root.querySelectorAll('.trainlab-readout')].map(e => e.textContent)
    .concat([...root.querySelectorAll('canvas')].map(c => c.toDataURL()))
    .concat([...root.querySelectorAll('svg')].map(e => e.outerHTML)).join('\\u0000');
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

SET_SLIDER_JS = """([demo, selector, index, value]) => {
  const s = document.querySelectorAll('.trainlab-demo')[demo].querySelectorAll(selector)[index];
  s.value = value;
  s.dispatchEvent(new Event('input', { bubbles: true }));
}"""


def sweep_slider(page, demo: int, index: int, selector: str = SLIDERS,
                 n: int = N_EVENTS) -> tuple[list[float], list[float]]:
    """Time n input events on one slider, then put it back; (redraw_ms, handler_ms) per event.
    Raises if the events changed nothing the reader sees."""
    sweep = page.evaluate(SWEEP_JS, [demo, selector, index, n])
    if not sweep["changed"]:
        raise RuntimeError(f"demo {demo} slider {selector} #{index}: 'input' events changed nothing")
    page.evaluate(SET_SLIDER_JS, [demo, selector, index, sweep["original"]])
    redraw = [h + r for h, r in zip(sweep["handler"], sweep["raf"])]
    return redraw, sweep["handler"]


def summarise(prefix: str, redraw: list[float], handler: list[float]) -> dict:
    """Median and 90th percentile of the redraw times, median of the handler times."""
    return {
        f"{prefix}redraw_median_ms": round(statistics.median(redraw), 3),
        f"{prefix}redraw_p90_ms": round(statistics.quantiles(redraw, n=10)[-1], 3),
        f"{prefix}handler_median_ms": round(statistics.median(handler), 3),
    }


def demo_pages(html: Path) -> list[str]:
    """Pages of the built site that show trainlab demos (their widget state carries the demo
    code, which names the `trainlab-demo` class), chapter 1 first."""
    pages = []
    for p in sorted(html.rglob("*.html")):
        rel = p.relative_to(html)
        if rel.parts[0] in ("_sources", "_static", "vendor"):
            continue
        if "trainlab-demo" in p.read_text(encoding="utf-8", errors="replace"):
            pages.append(rel.as_posix())
    return sorted(pages, key=lambda path: (path != CHAPTER_1, path))


def ensure_site() -> Path:
    html = site_dir()
    if not (html / "index.html").exists():
        build_site(book_root())
    return html


def open_demo_page(browser, path: str):
    page = browser.open(path)
    wait_until_widgets_rendered(page, browser, timeout_s=60)
    if not demo_snapshots(page):
        raise RuntimeError(f"no .trainlab-demo on {path}: nothing to time")
    return page


def time_page(browser, path: str) -> dict:
    """Figures for every demo on one page."""
    page = open_demo_page(browser, path)
    figures = {}
    for i, demo in enumerate(demo_snapshots(page)):
        redraw, handler = [], []
        for j in range(demo["sliders"]):
            r, h = sweep_slider(page, i, j)
            redraw += r
            handler += h
        label = f"{Path(path).stem}_demo{i + 1}_"
        figures[f"{label}sliders"] = demo["sliders"]
        figures.update(summarise(label, redraw, handler))
    page.close()
    return figures


def run(pages: list[str] | None = None) -> dict:
    html = ensure_site()
    pages = pages or demo_pages(html)
    if not pages:
        raise RuntimeError(f"no page of {html} shows a demo: nothing to time")
    figures = {}
    with serve(html) as base_url, offline_chromium(base_url) as browser:
        for path in pages:
            figures.update(time_page(browser, path))
    if browser.problems:
        raise RuntimeError(f"the page had problems while timing:\n{browser.problems.report()}")
    figures["events_per_slider"] = N_EVENTS
    return figures


if __name__ == "__main__":
    print(run(sys.argv[1:] or None))
