"""What students must never see, and a detector for it in published files.

Secret lines are the non-trivial lines of solution regions, hidden-test regions and mark-scheme
regions of the notebooks in solutions/ (a solution cell without markers is secret whole, as
nbgrader replaces it whole), plus every non-trivial line of the .py files under autograder/specs/. A line that
also appears in a public part of a source notebook is not a secret. Lines are compared after
collapsing whitespace; markers, imports, comments, bare keywords and short lines do not count.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.cells import nbgrader_meta

MIN_LENGTH = 12       # shorter lines are too generic to count
EMBEDDED_LENGTH = 30  # lines this long count even inside a longer line
_TRIVIAL = re.compile(
    r"""^(\#.*                         # comments and nbgrader markers
        |(from\s+\S+\s+)?import\s.*    # imports
        |return|pass|else:|try:|finally:|break|continue
        |raise\ NotImplementedError(\(\))?
        |YOUR\ (CODE|ANSWER)\ HERE
        |[\W_]*                        # brackets, quotes, punctuation only
        )$""", re.VERBOSE)
# (begin marker, end marker, kind of secret)
_REGIONS = [("BEGIN SOLUTION", "END SOLUTION", "solution"),
            ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "hidden test"),
            ("BEGIN MARK SCHEME", "END MARK SCHEME", "mark scheme")]
TEXT_SUFFIXES = {".html", ".htm", ".js", ".mjs", ".json", ".ipynb", ".txt", ".md", ".py", ".xml",
                 ".svg", ".csv"}


def normalize(line: str) -> str:
    return " ".join(line.split())


def is_trivial(line: str) -> bool:
    line = normalize(line)
    return len(line) < MIN_LENGTH or bool(_TRIVIAL.match(line))


def split_cell(source: str, whole_cell_secret: bool) -> tuple[list[tuple[str, str]], list[str]]:
    """([(kind, secret line)], public lines) of one cell's source."""
    secret, public = [], []
    region = None  # (end marker, kind) while inside a region
    for line in source.splitlines():
        if region is None:
            region = next(((end, kind) for begin, end, kind in _REGIONS if begin in line), None)
            if region is None:
                if whole_cell_secret:
                    secret.append(("solution", line))
                else:
                    public.append(line)
        elif region[0] in line:
            region = None
        else:
            secret.append((region[1], line))
    return secret, public


def notebook_lines(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    nb = nbformat.read(str(path), as_version=4)
    secret, public = [], []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        has_markers = any(begin in cell.source for begin, _, _ in _REGIONS)
        s, p = split_cell(cell.source, bool(meta.get("solution")) and not has_markers)
        secret += s
        public += p
    return secret, public


@dataclass(frozen=True)
class Secret:
    line: str    # normalized
    kind: str    # "solution", "hidden test", "mark scheme" or "spec"
    origin: str  # the file it comes from, for the report


def secret_lines(source_dir: Path, specs_dir: Path | None = None) -> list[Secret]:
    """Secret lines of every notebook in ``source_dir/*/`` and every ``.py`` file under ``specs_dir``."""
    secrets: dict[str, Secret] = {}
    public: set[str] = set()
    for nb_path in sorted(Path(source_dir).glob("*/*.ipynb")):
        s, p = notebook_lines(nb_path)
        public |= {normalize(x) for x in p}
        for kind, line in s:
            if not is_trivial(line):
                secrets.setdefault(normalize(line), Secret(normalize(line), kind, str(nb_path)))
    for spec in sorted(Path(specs_dir).rglob("*.py")) if specs_dir else []:
        for line in spec.read_text(encoding="utf-8").splitlines():
            if not is_trivial(line):
                secrets.setdefault(normalize(line), Secret(normalize(line), "spec", str(spec)))
    return [s for line, s in secrets.items() if line not in public]


def _json_strings(obj, out: list[str]) -> None:
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out.append(str(k))
            _json_strings(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _json_strings(v, out)


def readable_text(path: Path) -> str:
    """The file's text as a reader would see it: tags stripped, entities and escapes decoded."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    views = [raw]
    if path.suffix in (".json", ".ipynb"):
        try:
            strings: list[str] = []
            _json_strings(json.loads(raw), strings)
            views.append("\n".join(strings))
        except ValueError:
            pass
    if path.suffix in (".html", ".htm", ".svg", ".xml"):
        views.append(html.unescape(re.sub(r"<[^>]*>", "", raw)))
    # Code embedded in JS/JSON string literals (widget state, search index).
    views += [v.replace("\\n", "\n").replace('\\"', '"').replace("\\'", "'") for v in list(views)]
    return "\n".join(views)


def find_leaks(paths, secrets: list[Secret]) -> list[str]:
    """Every (file, secret line) where a published file shows a secret line.

    A secret must equal a whole line of the file (after collapsing whitespace), except that a
    long one (EMBEDDED_LENGTH characters or more) also counts inside a longer line: a short
    generic line such as ``points = [w]`` inside unrelated code (``const points = [w];``) is
    not a leak, a long specific one is.
    """
    found = []
    for path in paths:
        lines = [normalize(line) for line in readable_text(path).splitlines()]
        whole, text = set(lines), "\n".join(lines)
        for secret in secrets:
            if secret.line in whole or (len(secret.line) >= EMBEDDED_LENGTH and secret.line in text):
                found.append(f"{path}: {secret.kind} line {secret.line!r} (from {secret.origin})")
    return found


def text_files(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
