"""Build times of the site, measured in a temporary copy of the repository (the real _build/
and its execution cache are left alone):

- clean build: no _build/ at all, so every page executes;
- cached rebuild: the same command again with nothing changed;
- prose-only edit: one sentence appended to a chapter's text, which must not re-execute it.

Each is the wall time of `jupyter-book build . --warningiserror --keep-going`, as `make book`
runs it (process start-up included).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support.offline_site import book_root, copy_book, jupyter_book  # noqa: E402

EDITED_PAGE = "book/01_sgd.md"


def timed_build(root: Path) -> tuple[float, str]:
    cmd = [jupyter_book(), "build", ".", "--warningiserror", "--keep-going"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"build failed in {root}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return seconds, proc.stdout + proc.stderr


def executions(log: str) -> list[float]:
    """Seconds of each page execution myst-nb logged (cache misses only)."""
    return [float(s) for s in re.findall(r"Executed notebook in ([0-9.]+) seconds", log)]


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="trainlab-site-build-") as tmp:
        root = copy_book(Path(tmp) / "repo", book_root())
        clean_s, clean_log = timed_build(root)
        cached_s, cached_log = timed_build(root)
        page = root / EDITED_PAGE
        page.write_text(page.read_text(encoding="utf-8")
                        + "\nA sentence added by the build benchmark.\n", encoding="utf-8")
        prose_s, prose_log = timed_build(root)
        pages = len(list((root / "_build/html").rglob("*.html")))
    return {
        "clean_build_s": round(clean_s, 2),
        "clean_build_executed_pages": len(executions(clean_log)),
        "clean_build_execution_s": round(sum(executions(clean_log)), 2),
        "cached_rebuild_s": round(cached_s, 2),
        "cached_rebuild_executed_pages": len(executions(cached_log)),
        "prose_edit_rebuild_s": round(prose_s, 2),
        "prose_edit_executed_pages": len(executions(prose_log)),
        "html_pages": pages,
    }


if __name__ == "__main__":
    print(run())
