"""How long each chapter page takes to execute, on one thread, with an empty experiment cache
(a fresh clone's first build) and again with the cache it filled (every later build and the
claim tests), and how long the claim tests take once the cache is warm.

Each page is converted with jupytext and run with nbclient in book/ (as the build runs it), with
TRAINLAB_CACHE_DIR pointing at a temporary folder so the shared cache is neither used nor
touched. The budget is a clean execution under 3 minutes per chapter on an idle machine; each
figure comes as wall time and as CPU time (the latter is what to compare on a shared machine),
and the load average before and after says how shared the machine was.

    python -m benchmarks chapter_execution
    TRAINLAB_BENCH_CLAIMS=0 python -m benchmarks chapter_execution   # chapters only
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbclient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from support.book_pages import page, toc_files  # noqa: E402

ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


@contextlib.contextmanager
def environment(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def execute(path: Path) -> tuple[float, float]:
    """Wall time and CPU time of executing the page at ``path`` top to bottom in a fresh kernel.
    The CPU time (the kernel's, counted once it has exited) is what an idle machine would take,
    near enough: on a shared machine the wall time also counts the waiting."""
    nb = jupytext.read(path)
    client = nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    start, cpu = time.perf_counter(), _children_cpu()
    client.execute()
    return time.perf_counter() - start, _children_cpu() - cpu


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def run() -> dict:
    chapters = [rel for rel in toc_files() if page(rel).is_chapter]
    if not chapters:
        raise RuntimeError("_toc.yml lists no chapter page (book/NN_topic.md): nothing to time")
    figures = {"chapters": len(chapters), "load_average_1_5_15_before": _load()}
    with tempfile.TemporaryDirectory(prefix="trainlab-bench-cache-") as cache, \
            environment(TRAINLAB_CACHE_DIR=cache, **ONE_THREAD):
        for rel in chapters:
            name = Path(rel).name
            for run in ("clean", "cached"):
                print(f"[chapter_execution] {name} {run} ...", file=sys.stderr, flush=True)
                wall, cpu = execute(ROOT / f"{rel}.md")
                figures[f"{name}_{run}_s"] = round(wall, 1)
                figures[f"{name}_{run}_cpu_s"] = round(cpu, 1)
        figures["load_average_1_5_15_after_chapters"] = _load()
        if os.environ.get("TRAINLAB_BENCH_CLAIMS", "1") != "0":
            figures.update(_claim_tests())
    clean = [v for k, v in figures.items() if k.endswith("_clean_s")]
    clean_cpu = [v for k, v in figures.items() if k.endswith("_clean_cpu_s")]
    figures["slowest_clean_chapter_s"] = max(clean)
    figures["slowest_clean_chapter_cpu_s"] = max(clean_cpu)
    figures["all_chapters_clean_s"] = round(sum(clean), 1)
    figures["all_chapters_clean_cpu_s"] = round(sum(clean_cpu), 1)
    figures["load_average_1_5_15_after"] = _load()
    return figures


def _claim_tests() -> dict:
    """The claim tests against the cache the chapters filled (what `make test` runs after a build)."""
    start, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/claims"], cwd=ROOT, capture_output=True, text=True)
    return {"claim_tests_cached_s": round(time.perf_counter() - start, 1),
            "claim_tests_cached_cpu_s": round(_children_cpu() - cpu, 1),
            "claim_tests_passed": proc.returncode == 0}
