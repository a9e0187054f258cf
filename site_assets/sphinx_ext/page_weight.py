"""Sphinx extension: pages do not load Font Awesome's 1.5 MB icon script.

pydata-sphinx-theme adds `_static/scripts/fontawesome.js` to every page so that sites can add
custom icons by class name; its stylesheet already carries Font Awesome's CSS and web fonts,
which draw every icon the theme and this book use (`<i class="fa-solid fa-bars">`). The script
tag comes from the theme's layout template, so it is removed from each written page, and the
script from the output, once the build has finished.
"""

from __future__ import annotations

import re
from pathlib import Path

ICON_SCRIPT = "_static/scripts/fontawesome.js"
ICON_SCRIPT_TAG = re.compile(r'[ \t]*<script defer src="[^"]*' + re.escape(ICON_SCRIPT)
                             + r'[^"]*"></script>\n?')


def drop_icon_script(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        lean = ICON_SCRIPT_TAG.sub("", html)
        if lean != html:
            page.write_text(lean, encoding="utf-8")
    for leftover in (out / ICON_SCRIPT).parent.glob("fontawesome.js*"):
        leftover.unlink()


def setup(app):
    app.connect("build-finished", drop_icon_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
