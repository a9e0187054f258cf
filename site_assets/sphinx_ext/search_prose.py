"""Sphinx extension: search result snippets show the page's prose, not raw TeX or the code of
hidden cells (static/search-prose.js, 2 KB). Every page gets it: the theme loads Sphinx's search
tools on every page, not only on search.html."""

from __future__ import annotations

import shutil
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "static" / "search-prose.js"


def copy_script(app, exception) -> None:
    # Copied on every build: Sphinx 7.4 does not overwrite a changed static file in an existing
    # output folder. Not through html_static_path, whose .js files Jupyter Book would add to
    # every page a second time.
    if exception is None and app.builder.format == "html":
        shutil.copy2(SCRIPT, Path(app.outdir) / "_static" / SCRIPT.name)


def setup(app):
    app.add_js_file(SCRIPT.name, defer="defer")
    app.connect("build-finished", copy_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
