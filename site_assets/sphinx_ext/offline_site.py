"""Sphinx extension (loaded through `sphinx: local_extensions` in _config.yml) that keeps every
built page offline and free of script errors.

- A page that would load a script or stylesheet from another host is a build warning, so
  `jupyter-book build --warningiserror` fails and names the URL (the site serves its own copies:
  site_assets/).
- Sphinx copies `html_extra_path` (site_assets/dist: the vendored JS) only when some page is
  out of date, so new vendored files alone would leave a stale copy in _build/html. A change
  in their content marks every page out of date (pages are re-read from the execution cache,
  not re-executed).
- Sphinx 7.4 lists an inline script twice when an extension registers it after the builder has
  started (once with filename None, once with ''). sphinx-thebe's `const THEBE_JS_URL = ...` is
  such a script, and declaring the const twice throws on every page; keep one copy.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


def _key(asset) -> tuple:
    return (asset.filename or "", asset.priority, tuple(sorted(asset.attributes.items())))


def _unique(assets) -> list:
    seen: set[tuple] = set()
    kept = []
    for asset in assets:
        if _key(asset) not in seen:
            seen.add(_key(asset))
            kept.append(asset)
    return kept


def check_page_assets(app, pagename, templatename, context, doctree) -> None:
    context["script_files"] = _unique(context.get("script_files", []))
    for asset in [*context["script_files"], *context.get("css_files", [])]:
        if "://" in (asset.filename or ""):
            logger.warning(
                "page %r loads %s from the network; the site must work offline. Serve a copy "
                "from site_assets/ (package.json + build.py) and point _config.yml at it.",
                pagename, asset.filename, type="offline_site", subtype="remote_asset",
            )


def _extra_files_digest(app) -> str:
    digest = hashlib.sha256()
    for extra in app.config.html_extra_path:
        root = Path(app.confdir, extra)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def outdated_when_extra_files_change(app, env, added, changed, removed) -> list[str]:
    digest = _extra_files_digest(app)
    if getattr(env, "offline_site_extra_digest", None) == digest:
        return []
    env.offline_site_extra_digest = digest
    return sorted(env.found_docs - added - changed)


def setup(app):
    app.connect("env-get-outdated", outdated_when_extra_files_change)
    app.connect("html-page-context", check_page_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
