"""nbgrader notebook cells: their metadata, and running them in this process."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path


def nbgrader_meta(cell) -> dict:
    """The cell's nbgrader metadata; {} when absent or not a dict (a student may edit it)."""
    metadata = cell.get("metadata", {})
    meta = metadata.get("nbgrader", {}) if isinstance(metadata, dict) else {}
    return meta if isinstance(meta, dict) else {}


def run_cells(cells, notebook: Path) -> dict:
    """The namespace left by running these code cells of ``notebook`` in this process (quietly)."""
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in cells:
            name = f"<{notebook.name}: {nbgrader_meta(cell).get('grade_id')}>"
            exec(compile(cell.source, name, "exec"), ns)
    return ns


def reference_namespace(notebook: Path) -> dict:
    """The instructor's solution (locked setup cells and solution cells) run in this process.
    Visible tests left ungraded (locked, grade_id ``visible_*``) are tests, not setup: skipped."""
    import nbformat

    cells = nbformat.read(str(notebook), as_version=4).cells
    return run_cells([c for c in cells if c.cell_type == "code" and not nbgrader_meta(c).get("grade")
                      and not nbgrader_meta(c).get("grade_id", "").startswith("visible_")
                      and (nbgrader_meta(c).get("solution") or nbgrader_meta(c).get("locked"))],
                     notebook)
