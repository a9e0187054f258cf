"""Every live demo on one local page, each rendered by its own bundled JS as anywidget would,
with no book build and no kernel.

A demo's view only needs anywidget's `render({model, el})` and a model with get / set /
save_changes / on; the page supplies a minimal one (set fires `change:<name>` at once, as
backbone's models do). Shared by the browser tests (every demo renders and reacts) and
benchmarks/demo_redraw.py (redraw time of every demo). The widgets are built as the book builds
them: at their defaults, SearchRace on the recap's map, TransferFreeze on a grid of
demo_grid()'s shape (see transfer_grid()).
"""
from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path
from typing import Iterator

from support.widget_checks import widget_classes

PAGE = "demos.html"

RENDER_JS = """
const models = {};
function makeModel(state) {
  const listeners = new Map();
  return {
    get: (name) => state[name],
    set(name, value) {
      state[name] = value;
      for (const cb of listeners.get(`change:${name}`) || []) cb();
    },
    save_changes() {},
    on(event, cb) {
      if (!listeners.has(event)) listeners.set(event, []);
      listeners.get(event).push(cb);
    },
    off() {},
  };
}
window.demoErrors = [];
window.demosRendered = (async () => {
  for (const [name, state] of Object.entries(DEMOS)) {
    const el = document.getElementById(`demo-${name}`);
    const style = document.createElement("style");
    style.textContent = state._css;
    document.head.append(style);
    try {
      const url = URL.createObjectURL(new Blob([state._esm], { type: "text/javascript" }));
      const mod = await import(url);
      models[name] = makeModel(state);
      await mod.default.render({ model: models[name], el });
    } catch (error) {
      window.demoErrors.push(`${name}: ${error && error.stack || error}`);
    }
  }
  return Object.keys(DEMOS).length;
})();
"""


TRANSFER_STEPS = [0, 10, 25, 50, 100]


def transfer_grid() -> dict:
    """demo_grid()'s layout with recognisable numbers (a curve's last value codes its setting),
    so a test can tell which curve the browser picked, and the page needs no training."""
    curves = {}
    for n in (3, 30):
        curves[f"{n}/scratch"] = [0.1, 0.2, 0.3, 0.4, 0.5 + n / 1000]
        for k in (0, 1, 2):
            for m in ((0.01, 0.1, 1.0) if k < 2 else (0.01,)):
                curves[f"{n}/{k}/{m:g}"] = [0.1] + [round(0.6 + 0.1 * k + m / 10 + n / 1000, 6)] * 4
    return {"sizes": [3, 30], "frozen": [0, 1, 2], "mults": [0.01, 0.1, 1.0],
            "steps": TRANSFER_STEPS, "curves": curves}


def book_widget(cls):
    """The widget as a book page shows it (data-driven demos get their data)."""
    if cls.__name__ == "TransferFreeze":
        return cls.from_experiment(transfer_grid())
    return cls()


def page_html(widgets: dict) -> str:
    """One page rendering ``widgets`` ({name: widget}) with their synced state."""
    states = {name: w.get_state() for name, w in widgets.items()}
    boxes = "\n".join(f'<div id="demo-{name}" data-demo="{name}"></div>' for name in widgets)
    return ("<!doctype html>\n<html><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width'><title>demos</title></head>\n"
            "<body style='max-width: 820px; margin: 0 auto; font: 16px sans-serif; color: #222'>\n"
            f"{boxes}\n<script type='module'>\nconst DEMOS = {json.dumps(states)};\n{RENDER_JS}"
            "</script>\n</body></html>\n")


@contextlib.contextmanager
def demo_page(widgets: dict | None = None, timeout_s: float = 60) -> Iterator[tuple]:
    """(browser, page) with every widget of ``widgets`` (default: every demo class, as the book
    shows it) rendered, in offline Chromium. Raises if a demo failed to render."""
    from support.offline_site import offline_chromium, serve

    if widgets is None:
        widgets = {cls.__name__: book_widget(cls) for cls in widget_classes()}
    with tempfile.TemporaryDirectory(prefix="trainlab-demos-") as tmp:
        (Path(tmp) / PAGE).write_text(page_html(widgets), encoding="utf-8")
        with serve(Path(tmp)) as base_url, offline_chromium(base_url) as browser:
            page = browser.open(PAGE)
            page.wait_for_function("() => window.demosRendered !== undefined",
                                   timeout=timeout_s * 1000)
            page.evaluate("() => window.demosRendered")
            errors = page.evaluate("() => window.demoErrors")
            if errors:
                raise RuntimeError("demos failed to render:\n" + "\n".join(errors))
            yield browser, page


def demo_index(page, name: str) -> int:
    """Index among the page's `.trainlab-demo` roots of the demo rendered for ``name``."""
    return page.evaluate("""(name) => [...document.querySelectorAll('.trainlab-demo')]
      .indexOf(document.querySelector(`#demo-${name} .trainlab-demo`))""", name)
