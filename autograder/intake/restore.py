"""Put a student's notebook back into the assignment's shape before it is graded.

Students delete cells, move them, edit locked ones, or change a cell's ``grade_id`` (copying a
cell in Jupyter, or editing metadata). nbgrader restores an edited locked cell and (with
``add_missing_cells``) a deleted test cell, but a changed ``grade_id`` makes it fail the whole
notebook. Here every cell of the student's notebook is matched to the release's cells:

1. by ``grade_id``;
2. a locked cell (instructions, setup, tests) by its content, whatever its id;
3. a solution cell whose id changed, by position: the first unmatched solution cell of the same
   type between its matched neighbours.

Matched cells whose order still follows the release's are anchors. The result is the student's
cells in their order, each matched cell carrying the release's nbgrader metadata (solution
cells keep the student's code; locked cells get the release's source, and nbgrader then puts
the hidden tests back from the gradebook), and every locked cell that is missing or out of
place put back at its release position. Cells the student added keep their code but lose any
nbgrader metadata (they are not graded). A solution cell that is missing is not put back: its
release version only raises NotImplementedError and would undo a function the student wrote
in a cell of their own.
"""
from __future__ import annotations

import copy

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_raw_cell

from autograder.cells import nbgrader_meta as _meta


def _text(cell) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _new_cell(cell_type: str, source: str, metadata: dict):
    make = {"code": new_code_cell, "markdown": new_markdown_cell}.get(cell_type, new_raw_cell)
    return make(source=source, metadata=metadata)


def _lis(values: list[int]) -> set[int]:
    """Positions (in ``values``) of a longest strictly increasing subsequence."""
    import bisect

    tails, tails_at, prev = [], [], [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tails_at.append(i)
        else:
            tails[k], tails_at[k] = v, i
        prev[i] = tails_at[k - 1] if k else -1
    keep, i = set(), tails_at[-1] if tails_at else -1
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


def restore(student: dict, release: dict) -> tuple[nbformat.NotebookNode, list[str]]:
    """(the notebook to grade, notes for the student) from the student's and the release's."""
    S = [c for c in student.get("cells") or [] if isinstance(c, dict)]
    R = [c for c in release.cells]
    r_ids = {_meta(c).get("grade_id"): j for j, c in enumerate(R) if _meta(c).get("grade_id")}
    # Cells without nbgrader metadata are the student's to change: never matched or put back.
    locked = {j for j, c in enumerate(R) if _meta(c) and not _meta(c).get("solution")}
    match: list[int | None] = [None] * len(S)
    used: set[int] = set()
    notes: list[str] = []
    missing: list[str] = []
    moved: list[str] = []
    edited: list[str] = []

    for i, c in enumerate(S):  # 1. by grade_id
        j = r_ids.get(_meta(c).get("grade_id"))
        if j is not None and j not in used and c.get("cell_type") == R[j].cell_type:
            match[i] = j
            used.add(j)
    for i, c in enumerate(S):  # 2. locked cells by content (the next one in order first:
        if match[i] is None and _norm(_text(c)):  # several hidden-test cells read the same)
            same = [j for j in sorted(locked - used) if R[j].cell_type == c.get("cell_type")
                    and _norm(R[j].source) == _norm(_text(c))]
            low = max((match[k] for k in range(i) if match[k] is not None), default=-1)
            if same:
                match[i] = next((j for j in same if j > low), same[0])
                used.add(match[i])
    for i, c in enumerate(S):  # 3. solution cells with another id, by position
        if match[i] is None and _meta(c).get("solution"):
            low = max((match[k] for k in range(i) if match[k] is not None), default=-1)
            high = min((match[k] for k in range(i + 1, len(S)) if match[k] is not None),
                       default=len(R))
            for j in range(low + 1, high):
                if j not in used and _meta(R[j]).get("solution") and R[j].cell_type == c.get("cell_type"):
                    match[i] = j
                    used.add(j)
                    break

    matched = [i for i in range(len(S)) if match[i] is not None]
    anchors = {matched[k] for k in _lis([match[i] for i in matched])}
    placed: set[int] = set()
    out = []

    def put_back(upto: int) -> None:
        for k in range(upto):
            if k in locked and k not in placed and (k not in used or k in displaced):
                out.append(copy.deepcopy(R[k]))
                placed.add(k)
                if R[k].cell_type == "code":
                    (moved if k in displaced else missing).append(_meta(R[k]).get("grade_id"))

    displaced = {match[i] for i in matched if i not in anchors and match[i] in locked}
    for i, c in enumerate(S):
        j = match[i]
        cell_type = c.get("cell_type") if c.get("cell_type") in ("code", "markdown", "raw") else "raw"
        metadata = {k: v for k, v in (c.get("metadata") or {}).items() if k != "nbgrader"} \
            if isinstance(c.get("metadata"), dict) else {}
        if j is None:
            out.append(_new_cell(cell_type, _text(c), metadata))
            continue
        if j in displaced:
            continue
        if i in anchors:
            put_back(j)
        placed.add(j)
        r = R[j]
        gid = _meta(r).get("grade_id")
        given = _meta(c).get("grade_id")
        if given != gid and r.cell_type == "code":
            notes.append(f"a cell had the id {given!r} instead of {gid!r}; it was graded as "
                         f"{gid!r}" if given else f"the cell {gid!r} had lost its grading "
                         "information; it was restored")
        if j in locked:
            if r.cell_type == "code" and _norm(_text(c)) != _norm(r.source):
                edited.append(gid)
            source = r.source
        else:
            source = _text(c)
        out.append(_new_cell(r.cell_type, source, {**metadata, "nbgrader": copy.deepcopy(_meta(r))}))
    put_back(len(R))
    for cells, what in ((missing, "missing; they were put back"),
                        (moved, "moved; they were put back in their places"),
                        (edited, "edited; your changes to them were undone")):
        if cells:
            notes.append(f"locked cells {', '.join(repr(c) for c in cells)} were {what}")

    nb = nbformat.v4.new_notebook(cells=out, metadata=copy.deepcopy(release.metadata))
    return nb, notes
