"""The read-only folder the sandboxed kernel gets as /opt/autograder (on its PYTHONPATH).

    autograder/__init__.py                       empty
    autograder/harness.py                        re-exports kernel_side/harness.py's run_group
    autograder/kernel_side/*.py                  copied as is
    autograder/specs/<name>/kernel_side.py       copied as is, for every spec folder that has one
    payload/<assignment>.pickle                  the inputs of every run, made by the grader

Every ``__init__.py`` is written empty, so importing a spec folder in the kernel never reaches
a grader-side file. The payload is pickled by the grader for the kernel (the trusted direction);
observations come back as plaindata records. It holds inputs only: never the course secret, the
submission's key or the seeds the inputs were drawn with. The folder is content-addressed (its
name is a hash of its files). While one submission is graded (:func:`submission`), the
assignment's bundle holds that submission's inputs and is removed afterwards; otherwise it holds
the development inputs (decide/seeds.py), for the instructor's own sandboxed runs.
"""
from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from autograder.decide.hidden import HiddenChecks, has_specs, hidden_checks

PACKAGE = Path(__file__).resolve().parent.parent
SPECS = "autograder.specs."
KERNEL_SIDE = "kernel_side"
HARNESS = b"from autograder.kernel_side.harness import run_group, run_visible  # noqa: F401\n"


class BundleError(RuntimeError):
    """Spec code that cannot be given to the kernel (says which file and why)."""


def _allowed_import(module: str) -> bool:
    parts = module.split(".")
    if parts[0] != "autograder":
        return True
    return (parts[1:2] == [KERNEL_SIDE]
            or (parts[1:2] == ["specs"] and len(parts) >= 4 and parts[3] == KERNEL_SIDE))


@functools.lru_cache(maxsize=None)
def _kernel_side_files() -> tuple:
    return tuple(kernel_side_files().items())


def kernel_side_files() -> dict[str, bytes]:
    """{path in the bundle: bytes} of the kernel-side code: kernel_side/ and the specs' files."""
    files = {"autograder/__init__.py": b"", "autograder/harness.py": HARNESS,
             "autograder/specs/__init__.py": b""}
    sources = sorted((PACKAGE / KERNEL_SIDE).glob("*.py"))
    sources += sorted((PACKAGE / "specs").glob(f"*/{KERNEL_SIDE}.py"))
    for path in sources:
        rel = path.relative_to(PACKAGE.parent).as_posix()
        data = path.read_bytes()
        for node in ast.walk(ast.parse(data, filename=rel)):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            bad = [n for n in names if not _allowed_import(n)]
            if bad:
                raise BundleError(f"{rel} imports {bad[0]}, which the sandboxed kernel does not "
                                  "have: kernel-side code may import only autograder.kernel_side "
                                  "and the specs' kernel_side modules")
        files[rel] = b"" if path.name == "__init__.py" else data
        files[str(Path(rel).parent / "__init__.py")] = b""
    return files


def payload(assignment: str, checks: HiddenChecks | None = None) -> dict:
    """What run_group in the kernel needs per group: the function, the observe to call, and the
    inputs of each run (``checks``: one submission's; default the development inputs)."""
    checks = checks or hidden_checks(assignment)
    groups = {}
    for name, group in checks.groups.items():
        runs = []
        for i, c in enumerate(group.checks):
            module, fn = getattr(c.observe, "__module__", ""), getattr(c.observe, "__name__", "")
            if not (module.startswith(SPECS) and module.endswith("." + KERNEL_SIDE)) \
                    or getattr(__import__(module, fromlist=[fn]), fn, None) is not c.observe:
                raise BundleError(f"{assignment}: the observe of check {c.about!r} must be a "
                                  f"top-level function of a module autograder/specs/*/"
                                  f"{KERNEL_SIDE}.py (it is {module}.{fn})")
            runs.append({"function": c.function, "uses": tuple(c.uses), "observe": (module, fn),
                         "runs": [(draw, checks.inputs[(name, i, draw)]) for draw in c.seeds]})
        groups[name] = runs
    return {"assignment": assignment, "groups": groups}


def bundle_files(assignment: str | None, checks: HiddenChecks | None = None) -> dict[str, bytes]:
    files = dict(_kernel_side_files())
    if assignment is not None and has_specs(assignment):
        files[f"payload/{assignment}.pickle"] = pickle.dumps(payload(assignment, checks),
                                                             protocol=4)
    return files


_grading: dict[str, HiddenChecks] = {}  # assignment -> the submission being graded


@contextlib.contextmanager
def submission(checks: HiddenChecks):
    """While one submission is graded in this process, :func:`bundle_dir` of its assignment is
    a bundle holding its inputs (``checks``, drawn from its key); removed afterwards."""
    _grading[checks.assignment] = checks
    try:
        yield
    finally:
        del _grading[checks.assignment]
        import shutil

        folder = _submission_dirs.pop(checks.assignment, None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


_submission_dirs: dict[str, Path] = {}


def _cache_root() -> Path:
    root = Path(tempfile.gettempdir()) / f"autograder-bundles-{os.getuid()}"
    root.mkdir(mode=0o700, exist_ok=True)
    st = root.stat()
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise BundleError(f"{root} is not a private folder of this user; remove it")
    return root


def bundle_dir(assignment: str | None) -> Path:
    """The bundle folder for ``assignment``: the inputs of the submission being graded
    (:func:`submission`), else the development inputs (made once; shared by processes)."""
    if assignment in _grading:
        if assignment not in _submission_dirs:
            _submission_dirs[assignment] = _build(bundle_files(assignment, _grading[assignment]))
        return _submission_dirs[assignment]
    return _development_bundle(assignment)


@functools.lru_cache(maxsize=None)
def _development_bundle(assignment: str | None) -> Path:
    return _build(bundle_files(assignment))


def _build(files: dict[str, bytes]) -> Path:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    final = _cache_root() / digest.hexdigest()[:24]
    if not final.is_dir():
        tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=".building-"))
        for name, data in files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for d in [tmp, *(p for p in tmp.rglob("*") if p.is_dir())]:
            os.chmod(d, 0o755)  # readable by the box's own user
        try:
            os.rename(tmp, final)
        except OSError:  # another process made it first
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    return final
