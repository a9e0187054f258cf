"""The assignments' in-browser notebooks (JupyterLite, built by site_assets/lite/build.py into
_build/html/lite), used as a student would with the network cut.

Chromium may only reach the local server: every other host fails DNS (a web worker's requests,
such as the Python kernel's, do not pass through Playwright's routing, so routing alone would
not prove the kernel loads nothing from the network) and every other request is also aborted
and recorded.

The slow tests (marked `lite`) start Python in the page: ~30-60 s for a kernel on 2 busy
cores. Every wait is for a state (kernel idle, cell executed, file saved) with a generous
ceiling, never a fixed sleep.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from support.offline_site import CHROMIUM, CHROMIUM_ARGS as SITE_ARGS, OfflineBrowser, serve

REPO = Path(__file__).resolve().parents[2]
LITE_BUILD = REPO / "site_assets" / "lite" / "build.py"
# DNS for every host but the local server fails, in web workers too.
CHROMIUM_ARGS = [*SITE_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
KERNEL_READY_MS = 240_000  # measured 32-60 s on 2 loaded cores; a ceiling, not a sleep
RUN_ALL_MS = 240_000
UI_READY_MS = 120_000
ASSIGNMENT = "ps1"  # plain numpy: the notebook every student meets first


# ---- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    """The built site with its lite/ (built here if `make book` has not)."""
    lite = built_site / "lite"
    proc = subprocess.run([sys.executable, str(LITE_BUILD), str(lite)], capture_output=True,
                          text=True)
    assert proc.returncode == 0, f"lite build failed:\n{proc.stdout}\n{proc.stderr}"
    return built_site


@pytest.fixture(scope="module")
def base_url(site: Path):
    with serve(site) as url:
        yield url


@pytest.fixture
def browser(base_url: str):
    """A fresh Chromium profile that reaches only the local server (what else it tried is in
    .problems.external_requests)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="trainlab-lite-chromium-") as profile, \
            sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            accept_downloads=True)
        try:
            yield OfflineBrowser(context, base_url)
        finally:
            context.close()


# ---- driving the notebook app -----------------------------------------------------------------

def wait_for_notebook(page, path: str) -> None:
    """The notebook at `path` is open in the app and its kernel is idle (Python has started)."""
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.context",
                           timeout=UI_READY_MS)
    assert page.evaluate("() => jupyterapp.shell.currentWidget.context.path") == path
    page.wait_for_function("""() => {
        const s = jupyterapp.shell.currentWidget.sessionContext;
        return s && s.session && s.session.kernel && s.session.kernel.status === 'idle';
    }""", timeout=KERNEL_READY_MS, polling=500)


def set_cells(page, sources: dict[str, str]) -> None:
    """Type answers into the cells with these nbgrader grade ids (as a student's edit does)."""
    missing = page.evaluate("""(sources) => {
        const cells = jupyterapp.shell.currentWidget.content.model.sharedModel.cells;
        const left = new Set(Object.keys(sources));
        for (const cell of cells) {
            const id = ((cell.getMetadata('nbgrader') || {}).grade_id);
            if (id in sources) { cell.setSource(sources[id]); left.delete(id); }
        }
        return [...left];
    }""", sources)
    assert not missing, f"cells not found in the notebook: {missing}"


def run_all(page) -> list[dict]:
    """Run every cell; return each code cell's grade id, execution count and outputs."""
    page.evaluate("() => jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function("""() => {
        const nb = jupyterapp.shell.currentWidget;
        const kernel = nb.sessionContext.session.kernel;
        const cells = nb.content.model.sharedModel.cells.filter(c => c.cell_type === 'code');
        return kernel.status === 'idle' && cells.every(c => c.execution_count !== null);
    }""", timeout=RUN_ALL_MS, polling=500)
    return page.evaluate("""() => jupyterapp.shell.currentWidget.content.model.sharedModel.cells
        .filter(c => c.cell_type === 'code')
        .map(c => ({id: (c.getMetadata('nbgrader') || {}).grade_id || null,
                    count: c.execution_count, outputs: c.toJSON().outputs}))""")


def kernel_output(page, code: str) -> str:
    """Run `code` in the notebook's kernel without touching the notebook; return what it
    printed (and the error, if any)."""
    return page.evaluate("""async (code) => {
        const kernel = jupyterapp.shell.currentWidget.sessionContext.session.kernel;
        const future = kernel.requestExecute({code, store_history: false});
        let out = '';
        future.onIOPub = (msg) => {
            if (msg.header.msg_type === 'stream') out += msg.content.text;
            if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' + msg.content.evalue;
        };
        await future.done;
        return out;
    }""", code)


def text_of(outputs: list[dict]) -> str:
    parts = []
    for out in outputs:
        if out["output_type"] == "stream":
            parts.append("".join(out["text"]) if isinstance(out["text"], list) else out["text"])
        elif out["output_type"] == "error":
            parts.append(f"{out['ename']}: {out['evalue']}")
    return "".join(parts)


def solution_sources(assignment: str) -> dict[str, str]:
    nb = json.loads((REPO / "solutions" / assignment / f"{assignment}.ipynb").read_text())
    return {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in nb["cells"]
            if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("solution")}


def save(page) -> None:
    page.evaluate("() => jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("() => !jupyterapp.shell.currentWidget.context.model.dirty",
                           timeout=UI_READY_MS)


# ---- tests ------------------------------------------------------------------------------------

@pytest.mark.lite
@pytest.mark.browser
@pytest.mark.slow
def test_a_correct_solution_passes_in_the_browser_and_downloads_to_full_marks(
        browser, tmp_path):
    # As a student: from the chapter's assignment section, "Open in the browser".
    page = browser.open("book/01_sgd.html")
    page.get_by_role("link", name="Open in the browser").click()
    page.wait_for_url(re.compile(r"/lite/notebooks/index\.html\?path="), timeout=UI_READY_MS)
    wait_for_notebook(page, f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb")

    # Files released beside the notebook (data) are in the kernel's working folder.
    seen = kernel_output(page, "import os, json\nprint(os.getcwd())\n"
                               f"print(json.load(open('{ASSIGNMENT}.ipynb'))['metadata']['trainlab'])")
    assert seen.splitlines()[0].endswith(f"/{ASSIGNMENT}"), seen
    assert f"'assignment': '{ASSIGNMENT}'" in seen, seen

    set_cells(page, solution_sources(ASSIGNMENT))
    cells = run_all(page)
    errors = {c["id"]: text_of(c["outputs"]) for c in cells
              if any(o["output_type"] == "error" for o in c["outputs"])}
    assert not errors, f"cells failed in the browser: {errors}"
    visible = [c for c in cells if (c["id"] or "").startswith("visible_")]
    assert len(visible) == 5, [c["id"] for c in cells]
    for cell in visible:
        assert "passed" in text_of(cell["outputs"]) or "relative error" in \
            text_of(cell["outputs"]), f"{cell['id']} printed {text_of(cell['outputs'])!r}"
    plots = [o for c in cells for o in c["outputs"] if "image/png" in o.get("data", {})]
    assert plots, "matplotlib drew no figure in the browser"

    save(page)
    with page.expect_download(timeout=UI_READY_MS) as download:
        page.evaluate("() => jupyterapp.commands.execute('docmanager:download')")
    submission = tmp_path / "submissions" / "student-a" / f"{ASSIGNMENT}.ipynb"
    submission.parent.mkdir(parents=True)
    download.value.save_as(submission)
    assert json.loads(submission.read_text())["metadata"]["trainlab"]["assignment"] == ASSIGNMENT
    assert not browser.problems.external_requests, browser.problems.report()
    assert not browser.problems.page_errors, browser.problems.report()

    grades = grade(tmp_path, ASSIGNMENT)
    row = next(r for r in grades if r["student_id"] == "student-a")
    assert float(row["score"]) == float(row["max_score"]) - manual_points(ASSIGNMENT), row


def grade(workdir: Path, assignment: str) -> list[dict]:
    """Grade the downloaded notebook with the grader's command line, into `workdir`."""
    import csv
    course, output = workdir / "course", workdir / "out"
    cmd = [sys.executable, "-m", "autograder", "grade", assignment, "--submissions",
           str(workdir / "submissions"), "--course-dir", str(course), "--output-dir",
           str(output), "--workers", "1"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    csv_path = next(output.rglob(f"{assignment}.csv"))
    with csv_path.open() as f:
        return list(csv.DictReader(f))


def manual_points(assignment: str) -> float:
    """Points of the hand-graded written answer (not in the automatic score)."""
    nb = json.loads((REPO / "exercises" / assignment / f"{assignment}.ipynb").read_text())
    return sum(c["metadata"]["nbgrader"].get("points", 0) for c in nb["cells"]
               if c["metadata"].get("nbgrader", {}).get("task")
               or (c["metadata"].get("nbgrader", {}).get("grade")
                   and c["metadata"]["nbgrader"].get("solution")))


@pytest.mark.lite
@pytest.mark.browser
@pytest.mark.slow
def test_a_student_with_a_copy_of_an_older_release_is_told_and_keeps_it(browser):
    path = "ps2/ps2.ipynb"
    page = browser.open("lite/open.html?assignment=ps2")
    page.wait_for_url(re.compile(r"/lite/notebooks/index\.html\?path="), timeout=UI_READY_MS)
    page.wait_for_function("() => window.jupyterapp && jupyterapp.shell.currentWidget "
                           "&& jupyterapp.shell.currentWidget.context.isReady",
                           timeout=UI_READY_MS)
    current = page.evaluate("() => jupyterapp.shell.currentWidget.context.model"
                            ".getMetadata('trainlab').release")
    # The student works and saves; their copy is marked as from an earlier release.
    page.evaluate("""() => {
        const model = jupyterapp.shell.currentWidget.context.model;
        model.setMetadata('trainlab', {assignment: 'ps2', release: 'an-older-release'});
        model.sharedModel.insertCell(0, {cell_type: 'code', source: '# my answer, kept'});
    }""")
    save(page)
    page.close()

    page = browser.open("lite/open.html?assignment=ps2")
    page.get_by_text("ps2 has been updated").wait_for(timeout=UI_READY_MS)
    kept = page.locator("#message code").nth(1).inner_text()
    assert re.fullmatch(r"ps2/ps2-my-work-\d{4}-\d{2}-\d{2}\.ipynb", kept), kept
    page.get_by_role("button", name="Open the new release").click()
    page.wait_for_url(re.compile(r"/lite/notebooks/index\.html\?path="), timeout=UI_READY_MS)
    page.wait_for_function("() => window.jupyterapp && jupyterapp.shell.currentWidget "
                           "&& jupyterapp.shell.currentWidget.context.isReady",
                           timeout=UI_READY_MS)
    opened = page.evaluate("""async ([path, kept]) => {
        const contents = jupyterapp.serviceManager.contents;
        const now = await contents.get(path, {content: true});
        const mine = await contents.get(kept, {content: true});
        const folder = await contents.get('ps2', {content: true});
        return {release: now.content.metadata.trainlab.release,
                mine: mine.content.cells[0].source,
                listed: folder.content.map(f => f.path).sort()};
    }""", [path, kept])
    assert opened["release"] == current, "the new release did not open"
    assert opened["mine"] == "# my answer, kept", "the student's work was not kept"
    assert {path, kept} <= set(opened["listed"]), opened["listed"]
    page.close()

    # Now nothing is stale: the launcher opens the notebook at once.
    page = browser.open("lite/open.html?assignment=ps2")
    page.wait_for_url(re.compile(r"/lite/notebooks/index\.html\?path="), timeout=UI_READY_MS)
    assert not browser.problems.external_requests, browser.problems.report()
    assert not browser.problems.page_errors, browser.problems.report()


@pytest.mark.browser
def test_the_launcher_opened_as_a_file_says_it_needs_make_serve(site, browser):
    browser.context.unroute("**/*")  # the routing admits only the local server, not file://
    page = browser.context.new_page()
    page.goto((site / "lite" / "open.html").as_uri() + "?assignment=ps1")
    page.get_by_text("need the site served over http").wait_for(timeout=UI_READY_MS)
    assert "make serve" in page.locator("#message").inner_text()


@pytest.mark.browser
def test_the_launcher_names_the_assignments_when_one_is_unknown(browser):
    page = browser.open("lite/open.html?assignment=ps99")
    page.get_by_text("No such assignment").wait_for(timeout=UI_READY_MS)
    assert "ps1" in page.locator("#message").inner_text()


@pytest.mark.lite
@pytest.mark.browser
@pytest.mark.slow
def test_a_data_file_released_beside_the_notebook_loads_in_the_browser(tmp_path):
    """A scratch release (ps1 plus a binary .npz beside it), built like the site's."""
    import shutil

    import numpy as np
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(LITE_BUILD.parent))
    import build as lite_build

    exercises = tmp_path / "exercises"
    shutil.copytree(REPO / "exercises" / ASSIGNMENT, exercises / ASSIGNMENT)
    np.savez(exercises / ASSIGNMENT / "measurements.npz", x=np.arange(10.0))
    releases = lite_build.build(tmp_path / "site" / "lite", exercises)
    assert "measurements.npz" in releases[ASSIGNMENT]["files"]
    with serve(tmp_path / "site") as url, sync_playwright() as pw, \
            tempfile.TemporaryDirectory(prefix="trainlab-lite-chromium-") as profile:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            browser = OfflineBrowser(context, url)
            page = browser.open(f"lite/notebooks/index.html?path={ASSIGNMENT}/{ASSIGNMENT}.ipynb")
            wait_for_notebook(page, f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
            out = kernel_output(page, "import numpy as np\n"
                                      "print(np.load('measurements.npz')['x'].sum())")
        finally:
            context.close()
    assert out.strip() == "45.0", out
    assert not browser.problems.external_requests, browser.problems.report()
