"""Execution time of every solution notebook (solutions/<assignment>/*.ipynb), visible and
hidden test cells included, in a fresh kernel as the grader runs it. Goal for ps2, ps3: <= 20 s."""
from __future__ import annotations

import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.sandbox.environment import grading_env

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


def execute(path: Path) -> tuple[nbformat.NotebookNode, float]:
    """Run the notebook in a fresh python3 kernel the way the grader does (autograder importable);
    return the executed notebook and the wall-clock seconds, kernel start and shutdown included."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    with grading_env():
        NotebookClient(nb, kernel_name="python3", timeout=120,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb, time.perf_counter() - start


def run() -> dict:
    """{"<assignment>_solution_exec_s": seconds} for every notebook in solutions/."""
    return {f"{path.parent.name}_solution_exec_s": round(execute(path)[1], 2)
            for path in sorted(SOLUTIONS.glob("*/*.ipynb"))}


if __name__ == "__main__":
    print(run())
