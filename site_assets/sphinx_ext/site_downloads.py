"""Sphinx extension: the two zips the landing page offers, made when the site is built.

- `downloads/trainlab-notebooks.zip`: every student notebook of exercises/ with the files
  released beside it, a requirements.txt pinned to the versions this book is built with (only
  the packages the notebooks import, plus JupyterLab to open them) and a README.txt on running
  them locally.
- `downloads/trainlab-source.zip`: the book's source, `git archive` of the commit being built
  (pages, trainlab, the build), without what only instructors may see: solutions/, the
  grader and its hidden-test specs (autograder/), and tests/ (which holds reference and wrong
  implementations of the graded functions). Outside a git checkout (a tree unpacked from this
  very zip) the working tree is zipped with the same exclusions.

Both zips are deterministic (fixed timestamps, sorted entries) so a rebuild from the same
sources gives the same bytes.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

from browser_python import imported_modules

NOTEBOOKS_ZIP = "trainlab-notebooks.zip"
SOURCE_ZIP = "trainlab-source.zip"
# Not in the source zip: they hold solutions or hidden tests (or need them: tests, CI).
INSTRUCTOR_ONLY = ("solutions", "autograder", "tests", ".ci")
# Never part of a working-tree fallback zip: generated, installed or per-class state.
GENERATED = {".git", ".venv", "_build", "node_modules", "dist", "__pycache__", ".pytest_cache",
             ".ipynb_checkpoints", "grades", "feedback", ".experiment-cache"}
# Import name -> requirements.txt name, for the packages a notebook may import.
DISTRIBUTIONS = {"numpy": "numpy", "matplotlib": "matplotlib", "torch": "torch",
                 "scipy": "scipy", "sklearn": "scikit-learn", "pandas": "pandas",
                 "tqdm": "tqdm"}
ALWAYS = ["jupyterlab"]
FIXED_TIME = (2026, 1, 1, 0, 0, 0)

README = """\
Training Neural Networks: the assignment notebooks
==================================================

Each folder psN holds one assignment: psN.ipynb, and any file it reads (keep them together).

Run them on your computer (Python 3.10 or newer):

    python3 -m venv .venv
    .venv/bin/pip install -r requirements.txt      (Windows: .venv\\Scripts\\pip ...)
    .venv/bin/jupyter lab                          (Windows: .venv\\Scripts\\jupyter lab)

JupyterLab opens in your browser. Open psN/psN.ipynb, write your code in the marked cells and
run the visible tests below each one; hidden tests decide most of the points when your work is
graded. Before you hand in, restart the kernel and run all cells. Hand in the .ipynb file.

Every assignment that needs only numpy and matplotlib also runs inside the book's pages
("Open in the browser"), with nothing to install.
"""


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def pinned(requirements: Path, names: list[str]) -> list[str]:
    """The project's exact pins of `names` (requirements.txt lines), in that order."""
    pins = {}
    for line in requirements.read_text().splitlines():
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = line.strip()
    missing = [n for n in names if n not in pins]
    if missing:
        raise RuntimeError(f"requirements.txt pins no version of {missing}, which the "
                           "notebooks zip must list")
    return [pins[n] for n in names]


def notebooks_zip(root: Path) -> bytes:
    exercises = root / "exercises"
    files = sorted(p for p in exercises.rglob("*") if p.is_file()
                   and not any(part in GENERATED for part in p.parts))
    if not any(p.suffix == ".ipynb" for p in files):
        raise RuntimeError(f"{exercises} holds no notebook: run `make exercises`")
    imports = set()
    for notebook in (p for p in files if p.suffix == ".ipynb"):
        imports |= imported_modules(notebook)
    names = [DISTRIBUTIONS[m] for m in sorted(imports) if m in DISTRIBUTIONS] + ALWAYS
    requirements = "\n".join(pinned(root / "requirements.txt", names)) + "\n"
    if "torch" in names:
        requirements = "# torch is for the assignment that trains a network (a large download)\n" \
            + requirements
    entries = {f"trainlab-notebooks/{p.relative_to(exercises).as_posix()}": p.read_bytes()
               for p in files}
    entries["trainlab-notebooks/README.txt"] = README.encode()
    entries["trainlab-notebooks/requirements.txt"] = requirements.encode()
    return _zip(entries)


def source_zip(root: Path) -> bytes:
    excludes = [f":(exclude){path}" for path in INSTRUCTOR_ONLY]
    proc = subprocess.run(["git", "archive", "--format=zip", "--prefix=trainlab/", "HEAD",
                           "--", ".", *excludes], cwd=root, capture_output=True)
    if proc.returncode == 0:
        return proc.stdout
    entries = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and rel.parts[0] not in INSTRUCTOR_ONLY \
                and not any(part in GENERATED for part in rel.parts):
            entries[f"trainlab/{rel.as_posix()}"] = path.read_bytes()
    return _zip(entries)


def write_downloads(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.confdir)
    out = Path(app.outdir) / "downloads"
    out.mkdir(parents=True, exist_ok=True)
    (out / NOTEBOOKS_ZIP).write_bytes(notebooks_zip(root))
    (out / SOURCE_ZIP).write_bytes(source_zip(root))


def setup(app):
    app.connect("build-finished", write_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
