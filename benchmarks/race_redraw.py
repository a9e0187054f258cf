"""Redraw time of the optimizer race (trainlab/js/race.js) with 4 optimizers x 200 steps, per
slider event, in headless Chromium with no network (issue 3's goal: median <= 8 ms).

The race is found on whichever page of the built site shows it with at least four optimizers
on offer (chapter 3 once it is wired; a scratch book works too, see below). The benchmark puts
it in the measured state itself: exactly four optimizers switched on, 200 steps, no gradient
noise (the page's own four if it has four on). Then, with the timing of
benchmarks/demo_redraw.py (one 'input' event per animation frame, N_EVENTS values spread over
each slider's range):
- hyper: every hyperparameter slider of the four optimizers (the common event: only that
  optimizer's run is recomputed). The headline figure.
- seed: the noise seed with noise on (all four runs recomputed, new noise drawn).
- surface: the surface slider (all four recomputed; contours from the layer cache once each
  surface has been seen).

    python -m benchmarks race_redraw
    TRAINLAB_BOOK_ROOT=/tmp/h7book python -m benchmarks race_redraw   # a scratch book whose
        # _toc.yml lists a page with `OptimizerRace()` (built with jupyter-book as usual)
"""

from __future__ import annotations

from .demo_redraw import (N_EVENTS, SET_SLIDER_JS, demo_pages, ensure_site, open_demo_page,
                          summarise, sweep_slider)
from support.offline_site import offline_chromium, serve  # noqa: E402 (tests/ is on the path now)

RACE = "trainlab-optimizer-race"
N_OPTIMIZERS, N_STEPS = 4, 200
NOISE_FOR_SEED = "0.5"

# Index of the first race on the page offering at least 4 optimizers (switches), or -1.
FIND_JS = """(cls) => [...document.querySelectorAll('.trainlab-demo')].findIndex(
  d => d.classList.contains(cls) && d.querySelectorAll('input[type=checkbox]').length >= 4)"""

# Unless exactly n optimizers are on already (the page's own choice, e.g. the default SGD,
# momentum, RMSProp and Adam), switch on the first n rows (a reader's clicks).
SWITCH_JS = """([demo, n]) => {
  const root = document.querySelectorAll('.trainlab-demo')[demo];
  const boxes = [...root.querySelectorAll('input[type=checkbox]')];
  if (boxes.filter(b => b.checked).length === n) return;
  boxes.forEach((b, k) => { if (b.checked !== (k < n)) b.click(); });
}"""

STATE_JS = """(demo) => {
  const d = document.querySelectorAll('.trainlab-demo')[demo];
  return { enabled: Number(d.dataset.enabled), steps: Number(d.dataset.steps),
           rowSliders: d.querySelectorAll('.trainlab-rows input[type=range]:not(:disabled)').length };
}"""

ROW_SLIDERS = ".trainlab-rows input[type=range]:not(:disabled)"


def race_pages(html) -> list[str]:
    return [p for p in demo_pages(html) if RACE in (html / p).read_text(encoding="utf-8")]


def run() -> dict:
    html = ensure_site()
    candidates = race_pages(html)
    if not candidates:
        raise RuntimeError(
            f"no page of {html} shows the optimizer race. It belongs on chapter 3's page; until "
            "that is wired, build a scratch book with a page showing `OptimizerRace()` and set "
            "TRAINLAB_BOOK_ROOT to it (see this module's docstring).")
    with serve(html) as base_url, offline_chromium(base_url) as browser:
        for path in candidates:
            page = open_demo_page(browser, path)
            demo = page.evaluate(FIND_JS, RACE)
            if demo >= 0:
                break
            page.close()
        else:
            raise RuntimeError(f"no race offering {N_OPTIMIZERS}+ optimizers on {candidates}")
        page.evaluate(SWITCH_JS, [demo, N_OPTIMIZERS])
        page.evaluate(SET_SLIDER_JS, [demo, "input[name=steps]", 0, str(N_STEPS)])
        page.evaluate(SET_SLIDER_JS, [demo, "input[name=noise_std]", 0, "0"])
        state = page.evaluate(STATE_JS, demo)
        if (state["enabled"], state["steps"]) != (N_OPTIMIZERS, N_STEPS):
            raise RuntimeError(f"could not set the race to {N_OPTIMIZERS} optimizers x "
                               f"{N_STEPS} steps: {state}")

        figures = {"page": path, "optimizers": state["enabled"], "steps": state["steps"]}
        redraw, handler = [], []
        for j in range(state["rowSliders"]):
            r, h = sweep_slider(page, demo, j, selector=ROW_SLIDERS)
            redraw += r
            handler += h
        figures["hyper_sliders"] = state["rowSliders"]
        figures.update(summarise("hyper_", redraw, handler))

        page.evaluate(SET_SLIDER_JS, [demo, "input[name=noise_std]", 0, NOISE_FOR_SEED])
        figures.update(summarise("seed_",
                                 *sweep_slider(page, demo, 0, selector="input[name=seed]")))
        page.evaluate(SET_SLIDER_JS, [demo, "input[name=noise_std]", 0, "0"])
        figures.update(summarise("surface_",
                                 *sweep_slider(page, demo, 0, selector="input[name=surface]")))
    if browser.problems:
        raise RuntimeError(f"the page had problems while timing:\n{browser.problems.report()}")
    figures["events_per_slider"] = N_EVENTS
    return figures


if __name__ == "__main__":
    print(run())
