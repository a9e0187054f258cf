"""What a newcomer waits for: `make test` in a fresh clone of this repository's HEAD, timed by
phase (venv, the site's JS, the book with every chapter executed from an empty experiment cache,
then every test). The budget is 30 minutes on an idle 2-core machine; the load average before and
after says how idle it was.

    python -m benchmarks fresh_clone          # about 25 minutes on 2 cores

The clone is a temporary folder; its experiment cache is its own (TRAINLAB_CACHE_DIR is unset),
so nothing is reused from this checkout except pip's and npm's download caches and the
in-browser notebooks' verified download cache, as on any machine that installed once before.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# make targets in the order `make test` runs them (each depends on the previous).
PHASES = (("venv", "venv"), ("site_js", "assets"), ("book", "book"), ("tests", "test"))


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("TRAINLAB_CACHE_DIR", "TRAINLAB_CACHE")}
    figures = {"load_before": _load()}
    with tempfile.TemporaryDirectory(prefix="trainlab-fresh-clone-") as tmp:
        clone = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        total = 0.0
        for name, target in PHASES:
            start = time.perf_counter()
            proc = subprocess.run(["make", target], cwd=clone, env=env, capture_output=True,
                                  text=True)
            seconds = time.perf_counter() - start
            if proc.returncode != 0:
                raise RuntimeError(f"`make {target}` failed in the fresh clone after "
                                   f"{seconds:.0f} s:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}")
            figures[f"{name}_s"] = round(seconds, 1)
            total += seconds
    figures["make_test_total_s"] = round(total, 1)
    figures["load_after"] = _load()
    return figures


if __name__ == "__main__":
    print(run())
