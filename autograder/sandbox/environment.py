"""The process environment nbgrader and the grading kernels need.

* nbgrader creates a gradebook by running the ``alembic`` program found on PATH, so this
  Python's bin folder (the venv's) must be on PATH even when called as ``.venv/bin/python``.
* Hidden test cells run ``from autograder.harness import run_group``: a kernel started outside
  the sandbox (running a solution notebook, the spec tests, plain ``nbgrader autograde``) needs
  the folder holding the ``autograder`` package on PYTHONPATH. Grading kernels do not inherit
  this environment: sandbox.py gives them their own, with the kernel bundle instead.
* One BLAS/OpenMP thread per kernel, so parallel kernels don't oversubscribe the cores.

Kernels inherit the environment of the process that starts them, hence a context manager.
"""
from __future__ import annotations

import contextlib
import os
import sys

from autograder.course import PACKAGE_PARENT

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def grading_environment(base: dict | None = None) -> dict:
    env = dict(os.environ if base is None else base)
    bindir = os.path.dirname(sys.executable)
    env["PATH"] = os.pathsep.join([bindir] + [p for p in env.get("PATH", "").split(os.pathsep) if p])
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PACKAGE_PARENT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    for var in THREAD_VARS:
        env[var] = "1"
    return env


@contextlib.contextmanager
def grading_env():
    """Temporarily apply :func:`grading_environment` to this process."""
    saved = dict(os.environ)
    os.environ.update(grading_environment())
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
