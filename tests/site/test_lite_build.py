"""What the site offers students besides its pages, checked without a browser: the assignment
launcher in chapter pages, the in-browser notebooks' build (provenance checks included), and
the two downloadable zips.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.release import leaks
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "site_assets" / "sphinx_ext"))
sys.path.insert(0, str(REPO / "site_assets" / "lite"))

import build as lite_build  # noqa: E402  (site_assets/lite/build.py)
from browser_python import imported_modules, missing_in_browser  # noqa: E402

EXERCISES = REPO / "exercises"
ASSIGNMENT_PAGES = {"book/01_sgd.html": "ps1", "book/02_momentum.html": "ps2",
                    "book/03_adaptive.html": "ps3"}


def text(html: str) -> str:
    """What a reader sees: tags dropped (Sphinx splits literals into spans)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def notebook(path: Path, *sources: str) -> Path:
    cells = [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [],
              "execution_count": None} for s in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))
    return path


# ---- which notebooks run in the browser -------------------------------------------------------

def test_imports_are_found_in_code_cells_even_beside_magics(tmp_path):
    nb = notebook(tmp_path / "a.ipynb", "import numpy as np\nfrom torch import nn\n",
                  "%matplotlib inline\nimport matplotlib.pyplot as plt\nfrom . import x",
                  "import os, json")
    assert imported_modules(nb) == {"numpy", "torch", "matplotlib", "os", "json"}


def test_a_torch_notebook_needs_a_local_install_and_numpy_does_not(tmp_path):
    assert missing_in_browser(notebook(tmp_path / "t.ipynb", "import torch, numpy")) == ["torch"]
    assert missing_in_browser(notebook(tmp_path / "n.ipynb", "import numpy, math\n"
                                       "import matplotlib.pyplot as plt")) == []


# ---- the assignment directive in a scratch book -----------------------------------------------

def build_scratch_book(tmp_path: Path, page: str) -> subprocess.CompletedProcess:
    (tmp_path / "index.md").write_text(page)
    (tmp_path / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(REPO / 'site_assets' / 'sphinx_ext')!r})\n"
        "extensions = ['myst_parser', 'assignments']\n"
        "myst_enable_extensions = []\n")
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W",
                           str(tmp_path), str(tmp_path / "_out")], capture_output=True,
                          text=True)


SCRATCH_PAGE = """\
# Scratch

(sec-run-locally)=
## Run locally

```{{assignment}} {name}
```
"""


def test_directive_links_the_notebook_its_data_and_the_browser_launcher(tmp_path):
    notebook(tmp_path / "exercises" / "ps8" / "ps8.ipynb", "import numpy as np")
    (tmp_path / "exercises" / "ps8" / "measurements.npz").write_bytes(b"data")
    proc = build_scratch_book(tmp_path, SCRATCH_PAGE.format(name="ps8"))
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "_out" / "index.html").read_text()
    assert re.search(r'href="_downloads/[0-9a-f]+/ps8\.ipynb"[^>]*>.*Download the notebook', html)
    assert re.search(r'href="_downloads/[0-9a-f]+/measurements\.npz"', html)
    assert 'href="lite/open.html?assignment=ps8"' in html
    assert "served over http" in text(html) and "run make serve" in text(html)


def test_directive_says_plainly_when_a_notebook_needs_a_local_install(tmp_path):
    notebook(tmp_path / "exercises" / "ps9" / "ps9.ipynb", "import torch")
    proc = build_scratch_book(tmp_path, SCRATCH_PAGE.format(name="ps9"))
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "_out" / "index.html").read_text()
    assert "Open in the browser" not in html
    assert "needs torch, which does not run in the browser" in text(html)
    assert 'href="#sec-run-locally"' in html


def test_directive_names_a_missing_assignment_and_the_fix(tmp_path):
    proc = build_scratch_book(tmp_path, SCRATCH_PAGE.format(name="ps0"))
    assert proc.returncode != 0
    assert "exercises/ps0/ps0.ipynb does not exist" in proc.stderr
    assert "make exercises" in proc.stderr


# ---- the built book's pages -------------------------------------------------------------------

@pytest.mark.parametrize("page", sorted(ASSIGNMENT_PAGES))
def test_chapter_assignment_section_downloads_the_release_and_opens_the_browser(built_site,
                                                                                page):
    name = ASSIGNMENT_PAGES[page]
    html = (built_site / page).read_text()
    download = re.search(r'href="(\.\./_downloads/[0-9a-f]+/' + name + r'\.ipynb)"', html)
    assert download, f"{page} has no download link for {name}.ipynb"
    served = (built_site / page).parent / download.group(1)
    assert served.read_bytes() == (EXERCISES / name / f"{name}.ipynb").read_bytes()
    assert f'href="../lite/open.html?assignment={name}"' in html


def test_config_names_no_repository():
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    assert "repository" not in config, "_config.yml must not name a repository (none exists)"


def test_landing_page_offers_both_zips_and_how_to_run_locally(built_site):
    html = (built_site / "book" / "index.html").read_text()
    for name in ("trainlab-notebooks.zip", "trainlab-source.zip"):
        assert f'href="../downloads/{name}"' in html
        assert (built_site / "downloads" / name).is_file()
    assert "make serve" in text(html) and "pip install -r requirements.txt" in text(html)
    assert "this repository" not in html and "git clone" not in html


# ---- the zips ---------------------------------------------------------------------------------

def zip_entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_notebooks_zip_holds_every_released_file_and_runnable_pins(built_site):
    entries = zip_entries(built_site / "downloads" / "trainlab-notebooks.zip")
    released = {p.relative_to(EXERCISES).as_posix(): p.read_bytes()
                for p in EXERCISES.rglob("*") if p.is_file()}
    inside = {k.removeprefix("trainlab-notebooks/"): v for k, v in entries.items()}
    assert {k: inside.get(k) for k in released} == released
    requirements = inside["requirements.txt"].decode()
    pins = set((REPO / "requirements.txt").read_text().splitlines())
    lines = [l for l in requirements.splitlines() if l and not l.startswith("#")]
    assert {"numpy", "matplotlib", "jupyterlab"} <= {l.split("==")[0] for l in lines}
    assert set(lines) <= pins, "the zip's pins must be the project's own"
    assert "jupyter lab" in inside["README.txt"].decode()


def test_source_zip_is_the_book_without_solutions_grader_or_tests(built_site, tmp_path):
    entries = zip_entries(built_site / "downloads" / "trainlab-source.zip")
    names = [n.removeprefix("trainlab/") for n in entries]
    for needed in ("Makefile", "_config.yml", "book/01_sgd.md", "trainlab/__init__.py",
                   "site_assets/lite/build.py", "exercises/ps1/ps1.ipynb"):
        assert needed in names, f"the source zip lacks {needed}"
    assert not [n for n in names if n.startswith(("solutions/", "autograder/", "tests/"))]
    # The grader's own leak rule (autograder/release/leaks.py): secret lines are those of
    # solution, hidden-test and mark-scheme regions that the released notebook does not also
    # show as provided code. The zip also holds trainlab's own torch code, which shares short
    # generic lines with the solutions (`optimizer.zero_grad()`), so only lines long enough to be
    # specific (the grader's EMBEDDED_LENGTH) count here.
    secrets = [s for s in leaks.secret_lines(REPO / "solutions") if len(s.line) >= leaks.EMBEDDED_LENGTH]
    assert secrets, "no solution lines found: the check below would pass on anything"
    unpacked = tmp_path / "source"
    with zipfile.ZipFile(built_site / "downloads" / "trainlab-source.zip") as archive:
        archive.extractall(unpacked)
    found = leaks.find_leaks(leaks.text_files(unpacked), secrets)
    assert not found, "the source zip holds solution lines:\n" + "\n".join(found[:5])


# ---- the in-browser notebooks' build ----------------------------------------------------------

def test_package_closure_follows_the_lockfile_and_normalises_names():
    lock = {"info": {"version": "x"}, "packages": {
        "a": {"depends": ["b_c"]}, "b-c": {"depends": []}, "z": {"depends": []}}}
    assert lite_build.closure(lock, ["a"]) == ["a", "b-c"]
    with pytest.raises(SystemExit, match="'nope'.*not in Pyodide"):
        lite_build.closure(lock, ["nope"])


def carrier(tmp_path: Path, files: dict[str, bytes]) -> Path:
    path = tmp_path / "carrier.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr("pkgs/" + name, data)
    return path


def test_a_package_file_that_differs_from_the_official_lockfile_is_refused(tmp_path):
    good, bad = b"numpy wheel bytes", b"tampered bytes"
    lock = {"packages": {"numpy": {"file_name": "numpy.whl",
                                   "sha256": hashlib.sha256(good).hexdigest()}}}
    files = lite_build.verified_packages(lock, ["numpy"], carrier(tmp_path, {"numpy.whl": good}),
                                         "pkgs/")
    assert files == {"numpy.whl": good}
    with pytest.raises(SystemExit, match=r"numpy\.whl from carrier\.whl has sha256 .* official"):
        lite_build.verified_packages(lock, ["numpy"], carrier(tmp_path, {"numpy.whl": bad}),
                                     "pkgs/")
    with pytest.raises(SystemExit, match=r"numpy\.whl \(package numpy\) is not in"):
        lite_build.verified_packages(lock, ["numpy"], carrier(tmp_path, {}), "pkgs/")


@pytest.fixture(scope="module")
def lite(built_site: Path) -> Path:
    out = built_site / "lite"
    proc = subprocess.run([sys.executable, str(REPO / "site_assets/lite/build.py"), str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_lite_serves_only_verified_pyodide_files_and_no_cdn(lite):
    config = json.loads((lite / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js"
    assert kernel["disablePyPIFallback"] is True
    pyodide = lite / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    pins = json.loads((REPO / "site_assets/lite/pyodide.json").read_text())
    assert lock["info"]["version"] == pins["core"]["version"]
    assert {"numpy", "matplotlib", "micropip"} <= set(lock["packages"])
    for entry in lock["packages"].values():
        data = (pyodide / entry["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file_name"]
    served = {p.name for p in pyodide.iterdir()}
    expected = set(pins["core"]["files"]) | {e["file_name"] for e in lock["packages"].values()}
    assert served == expected, f"unlisted files served: {served - expected}"
    for config_file in lite.rglob("jupyter-lite.json"):  # the settings the app reads
        assert "://" not in config_file.read_text(), f"{config_file} names another host"


def test_lite_releases_each_browser_assignment_with_its_release_id(lite):
    releases = json.loads((lite / "releases.json").read_text())
    browser = sorted(p.parent.name for p in EXERCISES.glob("*/*.ipynb")
                     if p.stem == p.parent.name and not missing_in_browser(p))
    assert sorted(releases) == browser and "ps1" in browser
    for name, entry in releases.items():
        source = EXERCISES / name / f"{name}.ipynb"
        assert entry["release"] == hashlib.sha256(source.read_bytes()).hexdigest()[:16]
        served = json.loads((lite / "files" / entry["path"]).read_text())
        assert served["metadata"]["trainlab"] == {"assignment": name, "release": entry["release"]}
        original = json.loads(source.read_text())
        assert served["cells"] == original["cells"]
        for extra in set(entry["files"]) - {f"{name}.ipynb"}:
            assert (lite / "files" / name / extra).read_bytes() == \
                (EXERCISES / name / extra).read_bytes()


def test_lite_build_is_skipped_when_nothing_changed(lite):
    proc = subprocess.run([sys.executable, str(REPO / "site_assets/lite/build.py"), str(lite)],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "fetching" not in proc.stdout
    assert (lite / ".build-key").read_text() == lite_build.build_key()


def test_lite_build_key_changes_with_each_input_it_reads(tmp_path, monkeypatch):
    """The key covers the release, the pins, the launcher and the rule choosing which notebooks
    run in the browser (browser_python.py): a change to any of them rebuilds."""
    import browser_python

    exercises = tmp_path / "exercises"
    (exercises / "ps1").mkdir(parents=True)
    (exercises / "ps1" / "ps1.ipynb").write_text("{}")
    base = lite_build.build_key(exercises)
    (exercises / "ps1" / "data.npz").write_bytes(b"1")
    assert lite_build.build_key(exercises) != base
    base = lite_build.build_key(exercises)
    for module, name in ((browser_python, "__file__"), (lite_build, "PINS")):
        original = Path(getattr(module, name))
        changed = tmp_path / original.name
        changed.write_bytes(original.read_bytes() + b"\n")
        monkeypatch.setattr(module, name, str(changed) if name == "__file__" else changed)
        assert lite_build.build_key(exercises) != base, original.name
        monkeypatch.undo()
