"""The site's own third-party JavaScript (site_assets/): pinned, current in the built site, and
the only scripts and stylesheets any page loads. The browser checks are in test_site_browser.py.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.offline_site import REPO

ASSETS = REPO / "site_assets"
VENDOR = ASSETS / "dist" / "vendor"
REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)


def vendored_manifest() -> dict:
    manifest = VENDOR / "manifest.json"
    if not manifest.exists():
        pytest.fail(f"{manifest} is missing: run `make assets` (npm ci + site_assets/build.py)")
    return json.loads(manifest.read_text())


def test_vendored_js_is_built_from_the_versions_package_json_and_the_lockfile_pin():
    pins = json.loads((ASSETS / "package.json").read_text())["dependencies"]
    locked = json.loads((ASSETS / "package-lock.json").read_text())["packages"]
    assert locked[""]["dependencies"] == pins, "package-lock.json is stale: run npm install"
    for name, version in pins.items():
        assert locked[f"node_modules/{name}"]["version"] == version
    assert vendored_manifest()["packages"] == pins, "site_assets/dist is stale: run make assets"


def test_widget_front_end_matches_the_python_packages():
    pins = json.loads((ASSETS / "package.json").read_text())["dependencies"]
    # anywidget's front end speaks only to a Python anywidget of the same minor version.
    py_anywidget = importlib.metadata.version("anywidget")
    assert pins["anywidget"].split(".")[:2] == py_anywidget.split(".")[:2]
    # @jupyter-widgets/html-manager 1.x renders the widget state that ipywidgets 8 saves.
    assert pins["@jupyter-widgets/html-manager"].startswith("1.")
    assert importlib.metadata.version("ipywidgets").startswith("8.")


def test_built_site_carries_the_current_vendored_files(built_site: Path):
    files = vendored_manifest()["files"]
    assert "require.js" in files and "anywidget/index.js" in files
    stale = [f for f in files
             if (built_site / "vendor" / f).read_bytes() != (VENDOR / f).read_bytes()]
    assert not stale, f"_build/html/vendor differs from site_assets/dist/vendor: {stale[:5]}"


def built_pages(built_site: Path) -> list[Path]:
    return [p for p in built_site.rglob("*.html")
            if p.relative_to(built_site).parts[0] not in ("_sources", "_static", "vendor")]


def test_no_page_loads_a_script_or_stylesheet_from_another_host(built_site: Path):
    tag = re.compile(r"<(script|link)\b[^>]*>", re.IGNORECASE)
    url = re.compile(r"""\b(?:src|href)=["']([^"']+)["']""", re.IGNORECASE)
    remote = {}
    for page in built_pages(built_site):
        for match in tag.finditer(page.read_text(encoding="utf-8")):
            element = match.group(0)
            is_asset = match.group(1).lower() == "script" or "stylesheet" in element.lower()
            found = url.search(element)
            if is_asset and found and REMOTE.match(found.group(1)):
                remote.setdefault(page.relative_to(built_site).as_posix(), []).append(found.group(1))
    assert not remote, f"pages load assets from the network: {remote}"


def test_no_page_repeats_an_inline_script(built_site: Path):
    # Sphinx 7.4 duplicates late-registered inline scripts; a duplicated `const` throws.
    inline = re.compile(r"<script>(.*?)</script>", re.DOTALL)
    repeated = {}
    for page in built_pages(built_site):
        bodies = inline.findall(page.read_text(encoding="utf-8"))
        dups = {b for b in bodies if bodies.count(b) > 1 and "const " in b}
        if dups:
            repeated[page.relative_to(built_site).as_posix()] = sorted(dups)
    assert not repeated, f"inline scripts declared twice: {repeated}"


def sphinx_build(project: Path, js_file: str) -> subprocess.CompletedProcess:
    """Build a one-page Sphinx project with the offline_site extension and one script."""
    project.mkdir()
    (project / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ASSETS / 'sphinx_ext')!r})\n"
        f"extensions = ['offline_site']\nhtml_js_files = [{js_file!r}]\n")
    (project / "index.rst").write_text("Title\n=====\n\nText.\n")
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html",
                           str(project), str(project / "_build")],
                          capture_output=True, text=True)


def test_build_fails_when_a_page_would_load_a_script_from_another_host(tmp_path: Path):
    local = sphinx_build(tmp_path / "local", "local.js")
    assert local.returncode == 0, local.stderr
    remote = sphinx_build(tmp_path / "remote", "https://cdn.example.org/lib.js")
    assert remote.returncode != 0
    assert "https://cdn.example.org/lib.js" in remote.stderr and "offline" in remote.stderr
