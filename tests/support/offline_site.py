"""Build, serve and open the book's static site the way a reader with no network would.

Shared by tests/conftest.py (fixtures `built_site`, `site_server`), tests/test_site_browser.py
and benchmarks/demo_redraw.py. A page is opened in headless Debian Chromium driven by
Playwright with every request that is not for the local server blocked and recorded.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
# Schemes that never touch the network: anywidget imports a widget's _esm through a blob: URL.
LOCAL_SCHEMES = ("data:", "blob:", "about:")


def jupyter_book() -> str:
    """The jupyter-book next to the running Python (the project's venv)."""
    exe = Path(sys.executable).parent / "jupyter-book"
    if not exe.exists():
        raise RuntimeError(f"{exe} not found: run the tests with the project's venv (make test).")
    return str(exe)


def build_site(root: Path = REPO) -> subprocess.CompletedProcess:
    """Build `root`'s book into root/_build/html as `make book` does; raise on any warning."""
    if not (root / "site_assets" / "dist" / "vendor").is_dir():
        raise RuntimeError(
            f"{root / 'site_assets/dist'} is missing: the site's own JS is not built. "
            "Run: make assets   (npm ci in site_assets/, then site_assets/build.py)")
    cmd = [jupyter_book(), "build", ".", "--warningiserror", "--keep-going"]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if proc.returncode != 0 or not (root / "_build/html/index.html").exists():
        raise RuntimeError(f"`{' '.join(cmd)}` failed in {root}:\n{proc.stdout[-4000:]}\n"
                           f"{proc.stderr[-4000:]}")
    return proc


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) in a thread; yield its base URL."""

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # the browser reports failures; keep pytest output clean
            pass

    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageProblems:
    """Everything a page did that an offline reader would notice. Any entry is a failure."""
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.external_requests, self.console_errors, self.page_errors,
                    self.failed_requests))

    def report(self) -> str:
        return "\n".join(f"{name}: {items}" for name, items in vars(self).items() if items)


@contextlib.contextmanager
def offline_chromium(base_url: str) -> Iterator["OfflineBrowser"]:
    """A fresh headless Chromium (new profile) that may only reach `base_url`."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing. Run: make system-deps")
    with tempfile.TemporaryDirectory(prefix="trainlab-chromium-") as profile, \
            sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield OfflineBrowser(context, base_url)
        finally:
            context.close()


class OfflineBrowser:
    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.problems = PageProblems()
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base_url) or url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            self.problems.external_requests.append(url)
            route.abort("blockedbyclient")

    def open(self, path: str, viewport: tuple[int, int] | None = None, dark: bool = False):
        """Open base_url + path in a new tab, recording its problems; return the page.
        `viewport` = (width, height) in CSS px; `dark` opens it in the site's dark mode, as a
        reader who chose it earlier would (the theme keeps the choice in localStorage)."""
        page = self.context.new_page()
        if viewport:
            page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        if dark:
            page.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.page_errors.append(str(error)))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.goto(self.base_url + path, wait_until="load")
        return page

    def _on_console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.problems.console_errors.append(f"{message.text} @ {where}")

    def _on_request_failed(self, request) -> None:
        if request.url not in self.problems.external_requests:  # those are reported already
            self.problems.failed_requests.append(f"{request.url}: {request.failure}")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.problems.failed_requests.append(f"{response.url}: HTTP {response.status}")


# True once the html-manager has displayed every widget view on the page and every anywidget
# view has rendered its demo (a `.trainlab-demo` inside the view's area).
WIDGETS_RENDERED_JS = """() => {
  const stateTag = document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]');
  const state = stateTag ? JSON.parse(stateTag.textContent).state : {};
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
  return [...views].every(view => {
    const area = view.previousElementSibling;
    if (!area || !area.classList.contains('widget-subarea') || !area.childElementCount) return false;
    const model = state[JSON.parse(view.textContent).model_id];
    return !(model && model.model_name === 'AnyModel') || !!area.querySelector('.trainlab-demo');
  });
}"""

# The controls a reader can move: sliders and on/off switches that are not disabled (a demo
# disables the controls that can change nothing in its current state).
SLIDERS = "input[type=range]:not(:disabled)"
TOGGLES = "input[type=checkbox]:not(:disabled)"

# What a reader sees of each demo: slider and switch counts, readout text, and a hash of every
# canvas's pixels and every SVG's markup.
DEMO_SNAPSHOTS_JS = """() => {
  const hash = s => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    return (h >>> 0).toString(16) + ':' + s.length;
  };
  return [...document.querySelectorAll('.trainlab-demo')].map(demo => ({
    sliders: demo.querySelectorAll('__SLIDERS__').length,
    toggles: demo.querySelectorAll('__TOGGLES__').length,
    readout: [...demo.querySelectorAll('.trainlab-readout')].map(e => e.textContent.trim()),
    drawing: [...demo.querySelectorAll('canvas')].map(c => hash(c.toDataURL()))
      .concat([...demo.querySelectorAll('svg')].map(s => hash(s.outerHTML))),
  }));
}""".replace("__SLIDERS__", SLIDERS).replace("__TOGGLES__", TOGGLES)


class WidgetsNotRendered(RuntimeError):
    pass


def wait_until_widgets_rendered(page, browser: "OfflineBrowser", timeout_s: float) -> None:
    """Wait until every widget has rendered; give up at once if the page has a problem."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(WIDGETS_RENDERED_JS):
        if browser.problems or time.monotonic() > deadline:
            why = "the page has problems" if browser.problems else f"{timeout_s:.0f} s passed"
            raise WidgetsNotRendered(f"widgets did not render on {page.url} ({why}).\n"
                                     f"{browser.problems.report()}")
        page.wait_for_timeout(100)


def demo_snapshots(page) -> list[dict]:
    """Per `.trainlab-demo`: counts of enabled sliders and switches, readout texts, hashes of its
    canvases and SVGs."""
    return page.evaluate(DEMO_SNAPSHOTS_JS)


def book_root() -> Path:
    """The book project under test: $TRAINLAB_BOOK_ROOT (e.g. a scratch book) or the repo."""
    return Path(os.environ.get("TRAINLAB_BOOK_ROOT", REPO)).resolve()


def copy_book(dest: Path, src: Path = REPO) -> Path:
    """Copy what a book build reads (no venv, build output, git, node_modules) to `dest`."""
    skip_top = {".venv", "_build", ".git"}

    def ignore(directory: str, names: list[str]) -> set[str]:
        here = Path(directory)
        skipped = {n for n in names if n in ("__pycache__", ".pytest_cache", ".ipynb_checkpoints")}
        if here == src:
            skipped |= skip_top & set(names)
        if here == src / "site_assets":
            skipped |= {"node_modules"} & set(names)
        return skipped

    shutil.copytree(src, dest, ignore=ignore, symlinks=True)
    return dest


def site_dir(root: Path | None = None) -> Path:
    """_build/html of the book at `root` (default: book_root())."""
    return (root or book_root()) / "_build" / "html"
