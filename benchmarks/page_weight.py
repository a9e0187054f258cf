"""Page weight and time to the first interactive demo, per chapter, and what the site's own
JupyterLite costs a student: time to a ready Python kernel and to a passing visible test.

    python -m benchmarks page_weight     # needs a built site (make book)

Each page is opened in a fresh headless Chromium profile with every other host blocked, served
from localhost. Weight is the bytes of every resource the page fetched (the local server sends
no compression) once its widgets have rendered. The first interactive demo is the moment the
first `.trainlab-demo` holds a drawing and an enabled control. `*_before_MB` adds back what the
site no longer sends (the theme's Font Awesome script, the widget manager's ipywidgets 7 copy),
measured from the installed packages' files.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "site")]

CHAPTERS = ["book/01_sgd.html", "book/02_momentum.html", "book/03_adaptive.html"]
FIRST_DEMO_JS = """(() => {
  const t0 = performance.now();
  const ready = () => [...document.querySelectorAll('.trainlab-demo')].some(d =>
      d.querySelector('canvas, svg') && d.querySelector('input:not([disabled]), select:not([disabled])'));
  const check = () => {
    if (window.__firstDemoMs === undefined && ready()) window.__firstDemoMs = performance.now();
    else if (window.__firstDemoMs === undefined) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();"""
WEIGHT_JS = """() => performance.getEntriesByType('navigation').concat(
    performance.getEntriesByType('resource')).reduce((s, e) => s + (e.encodedBodySize || 0), 0)"""


def removed_bytes() -> dict[str, int]:
    """Bytes each widget page no longer downloads, from the packages' own files."""
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static"
    icons = (theme / "scripts/fontawesome.js").stat().st_size
    original = REPO / "site_assets/node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js"
    served = REPO / "site_assets/dist/vendor/html-manager/embed-amd.js"
    widgets = original.stat().st_size - served.stat().st_size if original.exists() else 0
    return {"icons": icons, "widget_manager": widgets}


def chapter_figures(base_url: str) -> dict:
    from support.offline_site import offline_chromium

    removed = removed_bytes()
    figures = {}
    for path in CHAPTERS:
        with offline_chromium(base_url) as browser:  # a fresh profile: nothing cached
            browser.context.add_init_script(FIRST_DEMO_JS)
            page = browser.open(path)
            page.wait_for_function("() => window.__firstDemoMs !== undefined",
                                   timeout=120_000, polling=100)
            page.wait_for_load_state("networkidle")
            weight = page.evaluate(WEIGHT_JS)
            first = page.evaluate("() => window.__firstDemoMs")
        name = Path(path).stem
        figures[f"{name}_MB"] = round(weight / 1e6, 2)
        figures[f"{name}_before_MB"] = round((weight + sum(removed.values())) / 1e6, 2)
        figures[f"{name}_first_demo_s"] = round(first / 1000, 2)
    return figures


def lite_figures(base_url: str) -> dict:
    """Headless Chromium, network cut: kernel ready, then ps1's first visible test passing."""
    from playwright.sync_api import sync_playwright
    from support.offline_site import CHROMIUM, OfflineBrowser
    from test_lite import CHROMIUM_ARGS, run_all, set_cells, solution_sources, text_of, \
        wait_for_notebook

    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        start = time.monotonic()
        page = OfflineBrowser(context, base_url).open("lite/notebooks/index.html?path=ps1/ps1.ipynb")
        wait_for_notebook(page, "ps1/ps1.ipynb")
        kernel = time.monotonic() - start
        set_cells(page, solution_sources("ps1"))
        cells = run_all(page)
        run = time.monotonic() - start
        context.close()
    passed = all("Error" not in text_of(c["outputs"]) for c in cells)
    return {"lite_kernel_ready_s": round(kernel, 1), "lite_ps1_run_all_passed_s": round(run, 1),
            "lite_ps1_visible_tests_pass": passed}


def run() -> dict:
    from support.offline_site import serve, site_dir

    site = site_dir()
    if not (site / "lite" / "releases.json").exists():
        raise RuntimeError(f"{site} has no lite/: run make book")
    lite_bytes = sum(p.stat().st_size for p in (site / "lite").rglob("*") if p.is_file())
    pyodide_bytes = sum(p.stat().st_size for p in (site / "lite/static/pyodide").iterdir())
    with serve(site) as base_url:
        figures = chapter_figures(base_url)
        figures.update(lite_figures(base_url))
    figures["lite_size_MB"] = round(lite_bytes / 1e6, 1)
    figures["lite_pyodide_MB"] = round(pyodide_bytes / 1e6, 1)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
