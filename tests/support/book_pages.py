"""The book's pages as data for convention checks: which pages the table of contents lists, their
cells (via jupytext, so code-cell metadata is parsed exactly as the build parses it), their
prose with code and maths removed, and their sections.

Also loads ``book/claims/registry.py`` (the claims registry the claims page is built from) by
path: ``book`` is not a package, and the tests must check the very module the page uses.
"""
from __future__ import annotations

import ast
import importlib.util
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jupytext
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = re.compile(r"\d\d_\w+")  # book/NN_topic.md

# Directives whose body is prose a reader reads (checked like prose); every other fenced block
# (code, maths, glue, figures) is not.
PROSE_DIRECTIVES = {"admonition", "dropdown", "note", "tip", "warning", "important", "seealso",
                    "hint", "caution"}
DRAWS_FIGURE = re.compile(r"plotting\.figure\(|plt\.(subplots|figure)\(")


def load_registry():
    spec = importlib.util.spec_from_file_location("claims_registry",
                                                  ROOT / "book" / "claims" / "registry.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


registry = load_registry()
MYST_LABEL = registry.MYST_LABEL


def toc_files(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """Every page the table of contents lists (root first), as paths relative to the root
    without suffix, e.g. "book/01_sgd"."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    found = [data["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in data.items() if k != "root"})
    return found


@dataclass
class Page:
    path: Path
    cells: list  # nbformat cells, in order

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def is_chapter(self) -> bool:
        return bool(CHAPTER.fullmatch(self.stem))

    @property
    def markdown(self) -> str:
        """All markdown cells, in order, joined."""
        return "\n\n".join(c.source for c in self.cells if c.cell_type == "markdown")

    def sections(self) -> list[tuple[str, str]]:
        """(title, body) of every level-2 section of the markdown, in order."""
        parts = re.split(r"^## (.+)$", self.markdown, flags=re.M)
        return list(zip(parts[1::2], parts[2::2]))

    def section(self, title: str) -> str | None:
        return next((body for t, body in self.sections() if t.strip() == title), None)

    def demo_cells(self) -> list[int]:
        """Indices of the cells that show a live demo: code cells that call a widget class
        imported from trainlab.widgets anywhere on the page (the import may sit in a hidden
        set-up cell), or call one as trainlab.widgets.Name(...)."""
        trees = [_python(c.source) if c.cell_type == "code" else None for c in self.cells]
        names = {alias.asname or alias.name for tree in trees if tree for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module == "trainlab.widgets"
                 for alias in node.names}

        def is_widget(func) -> bool:
            if isinstance(func, ast.Name):
                return func.id in names
            return isinstance(func, ast.Attribute) and ast.unparse(func.value) == "trainlab.widgets"

        return [i for i, tree in enumerate(trees) if tree and any(
            isinstance(node, ast.Call) and is_widget(node.func) for node in ast.walk(tree))]


def _python(source: str):
    """The cell's syntax tree, or None for a block that is not Python (a plain Markdown page's
    ```bash example reads as a code cell too)."""
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


@lru_cache(maxsize=None)
def _read(path: Path) -> Page:
    return Page(path, jupytext.read(path).cells)


def page(rel: str) -> Page:
    """A toc entry ("book/01_sgd") as a Page; .md is the only format the book uses."""
    return _read(ROOT / f"{rel}.md")


def strip_fences(markdown: str, keep_prose: bool = True) -> str:
    """Remove fenced blocks that are not prose (code, maths, glue); keep the bodies of prose
    directives (admonitions, dropdowns) unless ``keep_prose`` is False."""
    out, stack = [], []  # open fences, innermost last: (fence, body is prose)
    for line in markdown.split("\n"):
        m = re.match(r"^\s*(`{3,}|~{3,})(.*)$", line)
        if m:
            fence, info = m.group(1), m.group(2).strip()
            if (stack and not info and fence[0] == stack[-1][0][0]
                    and len(fence) >= len(stack[-1][0])):
                stack.pop()
                continue
            if not stack or stack[-1][1]:  # inside code, a fence line is literal text
                name = re.match(r"\{([\w:-]+)\}", info)
                stack.append((fence, keep_prose and bool(name) and name.group(1) in PROSE_DIRECTIVES))
                continue
        if all(is_prose for _, is_prose in stack):
            out.append(line)
    return "\n".join(out)


def prose(markdown: str) -> str:
    """What a reader reads as running text: no code or maths blocks, no $...$ or $$...$$, no
    inline code, roles ({glue:text}`...`), link targets, MyST labels, directive options or
    comments."""
    text = strip_fences(markdown)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"(?<!\\)\$.+?(?<!\\)\$", " ", text, flags=re.S)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)  # roles, glue included
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"^\s*(\([\w.:-]+\)=|%.*|:[\w-]+:.*)$", " ", text, flags=re.M)
    return text
