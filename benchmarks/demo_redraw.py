"""Redraw time of the book's live demos per slider event, in headless Chromium with no network.

By default every demo class of trainlab.widgets (all of them, found as the tests find them) is
timed on one local page that renders each as the book shows it (tests/support/demo_page.py: no
book build needed); a demo class that is not timed is an error. Named pages of the built site
can be timed instead, demo by demo in page order. For every slider a reader can move (enabled
`input[type=range]`) of every `.trainlab-demo`, N_EVENTS values spread over its range are set one per animation frame, each followed by one 'input'
event (what a drag fires); every menu (enabled `select`) steps through its options the same way
with one 'change' event each (what picking an option fires). Per event:
- handler_ms: the synchronous dispatch, i.e. the demo's own input handler (a demo that
  recomputes and redraws in its handler does all its work here);
- raf_ms: work done in requestAnimationFrame callbacks of the next frame before ours (a demo
  that defers drawing to the next frame does it here);
- redraw_ms = handler_ms + raf_ms, the figure reported (median over every event of the demo).
A slider whose events never change the demo's drawing or readout is an error: the benchmark
would be timing nothing. Figures are per demo, over all events of all its sliders, named
`<DemoClass>_...` (e.g. `ActivationDepth_redraw_median_ms`), or `<page>_demo<k>_...` for pages.

    python -m benchmarks demo_redraw                         # every demo class, one page
    python -m benchmarks.demo_redraw book/03_adaptive.html   # the named pages of the built site
    python -m benchmarks.demo_redraw site                    # every page of it with demos
    TRAINLAB_BOOK_ROOT=/tmp/scratchbook python -m benchmarks.demo_redraw site   # another book

benchmarks/race_redraw.py reuses the functions below for the optimizer race.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support.demo_page import demo_index, demo_page, widget_classes  # noqa: E402
from support.offline_site import (MENUS, SLIDERS, build_site, book_root,  # noqa: E402
                                  demo_snapshots, offline_chromium, serve, site_dir,
                                  wait_until_widgets_rendered)

CHAPTER_1 = "book/01_sgd.html"
N_EVENTS = 50

# [demo index, selector of the control within the demo, index among the matches, n events].
# A slider gets n values spread over its range ('input' events); a menu its options in turn
# ('change' events).
SWEEP_JS = """async ([demo, selector, index, n]) => {
  const root = document.querySelectorAll('.trainlab-demo')[demo];
  const s = root.querySelectorAll(selector)[index];
  if (!s) throw new Error(`demo ${demo} has no control ${selector} #${index}`);
  const menu = s.tagName === 'SELECT', original = s.value;
  const options = menu ? [...s.options].map(o => o.value) : [];
  const lo = Number(s.min || 0), hi = Number(s.max || 100);
  const nextFrame = () => new Promise(resolve => requestAnimationFrame(resolve));
  const look = () => [...root.querySelectorAll('.trainlab-readout')].map(e => e.textContent)
    .concat([...root.querySelectorAll('canvas')].map(c => c.toDataURL()))
    .concat([...root.querySelectorAll('svg')].map(e => e.outerHTML)).join('\\u0000');
  const handler = [], raf = [];
  let changed = 0, previous = look();
  for (let k = 0; k < n; k++) {
    await nextFrame();  // start every event on a fresh frame
    s.value = menu ? options[(options.indexOf(s.value) + 1) % options.length]
      : String(lo + (hi - lo) * ((k * 37) % n) / (n - 1));  // a permutation of n values
    const t0 = performance.now();
    s.dispatchEvent(new Event(menu ? 'change' : 'input', { bubbles: true }));
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
  s.dispatchEvent(new Event(s.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
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


def time_demo(page, i: int, label: str) -> dict:
    """Figures for the i-th demo of the page: every event of every slider and menu."""
    demo = demo_snapshots(page)[i]
    redraw, handler = [], []
    for selector, count in ((SLIDERS, demo["sliders"]), (MENUS, demo["menus"])):
        for j in range(count):
            r, h = sweep_slider(page, i, j, selector=selector)
            redraw += r
            handler += h
    if not redraw:
        raise RuntimeError(f"{label}: no enabled slider or menu to time")
    return {f"{label}sliders": demo["sliders"], f"{label}menus": demo["menus"],
            **summarise(label, redraw, handler)}


def time_page(browser, path: str) -> dict:
    """Figures for every demo on one page."""
    page = open_demo_page(browser, path)
    figures = {}
    for i in range(len(demo_snapshots(page))):
        figures.update(time_demo(page, i, f"{Path(path).stem}_demo{i + 1}_"))
    page.close()
    return figures


def time_every_demo() -> dict:
    """Figures for every demo class, each rendered as the book shows it, on one local page."""
    classes = widget_classes()
    figures = {"demos": len(classes)}
    with demo_page() as (browser, page):
        for cls in classes:
            i = demo_index(page, cls.__name__)
            if i < 0:
                raise RuntimeError(f"{cls.__name__} rendered no .trainlab-demo: nothing to time")
            figures.update(time_demo(page, i, f"{cls.__name__}_"))
    if browser.problems:
        raise RuntimeError(f"the page had problems while timing:\n{browser.problems.report()}")
    medians = {k: v for k, v in figures.items() if k.endswith("_redraw_median_ms")}
    figures["slowest_redraw_median_ms"] = max(medians.values())
    figures["slowest_demo"] = max(medians, key=medians.get).removesuffix("_redraw_median_ms")
    figures["events_per_slider"] = N_EVENTS
    return figures


def run(pages: list[str] | None = None) -> dict:
    if not pages:
        return time_every_demo()
    html = ensure_site()
    if pages == ["site"]:
        pages = demo_pages(html)
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
