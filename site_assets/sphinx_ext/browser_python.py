"""Which notebooks can run in the site's JupyterLite: a notebook runs in the browser when every
module it imports is in the standard library or among the Pyodide packages the lite build ships
(site_assets/lite/pyodide.json). Shared by the `assignment` directive and site_assets/lite/build.py
so the page never offers a browser launch the build did not make.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

PYODIDE_PINS = Path(__file__).resolve().parents[1] / "lite" / "pyodide.json"


def browser_modules() -> set[str]:
    """Top-level modules a notebook can import in the site's JupyterLite: the standard library
    and the Pyodide packages the lite build ships (site_assets/lite/pyodide.json)."""
    packages = json.loads(PYODIDE_PINS.read_text())["packages"]
    return set(sys.stdlib_module_names) | {name.lower().replace("-", "_") for name in packages}


def imported_modules(notebook: Path) -> set[str]:
    """Top-level module names the notebook's code cells import (cells that do not parse as
    Python, such as ones with IPython magics, are read line by line)."""
    found: set[str] = set()
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        try:
            trees = [ast.parse(source)]
        except SyntaxError:
            trees = []
            for line in source.splitlines():
                try:
                    trees.append(ast.parse(line.strip()))
                except SyntaxError:
                    pass
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found


def missing_in_browser(notebook: Path) -> list[str]:
    available = browser_modules()
    return sorted(m for m in imported_modules(notebook) if m.lower() not in available)
