"""Copy the third-party JavaScript the built book serves itself into site_assets/dist/.

The site must work with no network, so it carries its own require.js, Jupyter widgets
html-manager, anywidget and MathJax. npm installs them at the versions pinned in
package-lock.json (`npm ci`); this script copies only the files a browser loads into
dist/vendor/, which `html_extra_path` in _config.yml puts at the root of _build/html.

Run from anywhere: `python site_assets/build.py` (`make assets` runs npm ci first).
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
DIST = HERE / "dist"
VENDOR = DIST / "vendor"

# The MathJax build the pages load: Sphinx 7's default MathJax 3 build (sphinx.ext.mathjax).
# MathJax's other top-level combined builds (svg, full, node) are never requested and are more
# than half of the package's size, so they stay out.
MATHJAX_ENTRY = "tex-mml-chtml.js"
MATHJAX_TOP_LEVEL_KEPT = {MATHJAX_ENTRY, "core.js", "loader.js", "startup.js"}

# source (under node_modules) -> destination (under dist/vendor). A directory is copied whole.
COPIES = {
    "requirejs/require.js": "require.js",  # its header carries its licence (MIT)
    # embed-amd.js bundles base, controls and the manager in one file (no lazily loaded chunks);
    # its Font Awesome fonts are separate files beside it, found relative to the module URLs
    # that src/require-paths.js maps there.
    "@jupyter-widgets/html-manager/dist/embed-amd.js": "html-manager/embed-amd.js",
    "@jupyter-widgets/html-manager/dist/embed.js.LICENSE.txt": "html-manager/LICENSE.txt",
    "anywidget/dist/index.js": "anywidget/index.js",
    "anywidget/LICENSE": "anywidget/LICENSE",
    # The rest of MathJax's es5/ tree stays: autoloaded TeX extensions, fonts, the menu and its
    # optional renderers and accessibility components are all fetched on demand.
    "mathjax/es5": "mathjax",
    "mathjax/LICENSE": "mathjax/LICENSE",
}
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")
# embed-amd.js is already minified, but a quarter of it is a second copy of the widget base and
# controls for ipywidgets 7 widgets. The book's widgets are ipywidgets 8 / anywidget, so those two
# AMD modules are left out of what every widget page downloads. Should a page ever hold an
# ipywidgets 7 widget, require.js asks for html-manager/base7.js: a local 404 the browser tests
# report, never a CDN fetch.
WIDGET_MANAGER = "html-manager/embed-amd.js"
UNUSED_AMD_MODULES = {"@jupyter-widgets/base7", "@jupyter-widgets/controls7"}
AMD_MODULE_START = re.compile(rb'(?=/\*! For license information please see [^*]+\*/\ndefine\(")')
AMD_MODULE_NAME = re.compile(rb'define\("([^"]+)"')
SOURCE_MAP = re.compile(rb"\n//# sourceMappingURL=[^\n]*")


def fail(message: str) -> None:
    sys.exit(f"site_assets/build.py: {message}")


def pinned_versions() -> dict[str, str]:
    """The exact versions package.json pins (every dependency must be an exact version)."""
    deps = json.loads((HERE / "package.json").read_text())["dependencies"]
    loose = {name: spec for name, spec in deps.items() if not re.fullmatch(r"\d+\.\d+\.\d+", spec)}
    if loose:
        fail(f"package.json must pin exact versions, found ranges: {loose}")
    return deps


def check_installed(pins: dict[str, str]) -> None:
    """node_modules must hold exactly the pinned versions, or the site would ship other code."""
    for name, want in pins.items():
        manifest = NODE_MODULES / name / "package.json"
        if not manifest.is_file():
            fail(f"{name} is not installed. Run: cd site_assets && npm ci   (or: make assets)")
        have = json.loads(manifest.read_text())["version"]
        if have != want:
            fail(f"node_modules has {name} {have}, package.json pins {want}. "
                 "Run: cd site_assets && npm ci")


def check_anywidget_matches_python(pins: dict[str, str]) -> None:
    """anywidget's front end only talks to a Python anywidget of the same minor version."""
    try:
        python_version = importlib.metadata.version("anywidget")
    except importlib.metadata.PackageNotFoundError:
        fail("Python package anywidget is not installed; run this with the project's venv "
             "(.venv/bin/python site_assets/build.py) after `make venv`.")
    js_minor = pins["anywidget"].split(".")[:2]
    py_minor = python_version.split(".")[:2]
    if js_minor != py_minor:
        fail(f"npm anywidget {pins['anywidget']} and Python anywidget {python_version} differ in "
             "minor version; pin the same minor in site_assets/package.json and requirements.txt.")


def without_amd_modules(bundle: bytes, unused: set[str]) -> bytes:
    """`bundle` (AMD modules concatenated, each after its licence banner) without `unused`."""
    kept, dropped = [], set()
    for part in AMD_MODULE_START.split(bundle):
        name = AMD_MODULE_NAME.search(part)
        if name and name.group(1).decode() in unused:
            dropped.add(name.group(1).decode())
        else:
            kept.append(part)
    if dropped != unused:
        fail(f"{WIDGET_MANAGER} no longer holds the modules {sorted(unused - dropped)} in the "
             "expected form; update UNUSED_AMD_MODULES in site_assets/build.py.")
    return b"".join(kept)


def copy_file(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.as_posix().endswith(WIDGET_MANAGER):
        dst.write_bytes(SOURCE_MAP.sub(b"\n", without_amd_modules(src.read_bytes(),
                                                                  UNUSED_AMD_MODULES)))
        shutil.copystat(src, dst)
    elif src.suffix == ".js":
        # The .map files are not shipped; a dangling reference would 404 in DevTools.
        dst.write_bytes(SOURCE_MAP.sub(b"\n", src.read_bytes()))
        shutil.copystat(src, dst)
    else:
        shutil.copy2(src, dst)


def unused_mathjax_build(rel: Path) -> bool:
    return len(rel.parts) == 1 and rel.suffix == ".js" and rel.name not in MATHJAX_TOP_LEVEL_KEPT


def copy_tree(src: Path, dst: Path) -> None:
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_file() and not (src.name == "es5" and unused_mathjax_build(rel)):
            copy_file(path, dst / rel)


def build() -> dict:
    pins = pinned_versions()
    check_installed(pins)
    check_anywidget_matches_python(pins)
    if DIST.exists():
        shutil.rmtree(DIST)
    for src_rel, dst_rel in COPIES.items():
        src = NODE_MODULES / src_rel
        if not src.exists():
            fail(f"{src_rel} is missing from node_modules; the package layout changed. "
                 "Update COPIES in site_assets/build.py.")
        (copy_tree if src.is_dir() else copy_file)(src, VENDOR / dst_rel)
    fonts = NODE_MODULES / "@jupyter-widgets/html-manager/dist"
    for font in sorted(fonts.iterdir()):
        if font.suffix in FONT_SUFFIXES:
            copy_file(font, VENDOR / "html-manager" / font.name)
    copy_file(HERE / "src" / "require-paths.js", VENDOR / "require-paths.js")
    manifest = {
        "packages": pins,
        "files": sorted(p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()),
    }
    # Read by tests/test_site_assets.py to catch a dist/ built from other versions than pinned.
    (VENDOR / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


if __name__ == "__main__":
    result = build()
    size = sum(p.stat().st_size for p in DIST.rglob("*") if p.is_file())
    print(f"site_assets/dist: {len(result['files'])} files, {size / 1e6:.1f} MB "
          f"({', '.join(f'{k} {v}' for k, v in result['packages'].items())})")
