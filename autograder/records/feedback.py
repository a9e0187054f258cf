"""Student feedback: nbgrader's HTML without hidden-test source, and pages for ungradable work.

nbgrader's feedback shows each test cell's source and full traceback. A hidden-test cell's
source and the frames of its traceback are the hidden tests, so :class:`HideHiddenTests`
replaces the hidden region with a placeholder and each error in such a cell with its last line.
A ``run_group`` cell's output is the grader's verdict (verdict.py): which hidden checks failed
and why, in the words of each check's ``about`` and its judge, never the checks' code.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from nbgrader.preprocessors import ClearHiddenTests

PLACEHOLDER = "# (hidden tests: their result is shown below)"


class HideHiddenTests(ClearHiddenTests):
    """Feedback preprocessor: drop hidden-test regions and their tracebacks."""

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code" or self.begin_test_delimeter not in cell.source:
            return cell, resources
        self._remove_hidden_test_region(cell)
        cell.source = (cell.source.rstrip("\n") + "\n" + PLACEHOLDER).lstrip("\n")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                # Traceback frames quote the hidden lines; keep only "Name: message".
                output.traceback = [f"\x1b[0;31m{output.ename}\x1b[0m: {output.evalue}"]
        return cell, resources


def _banner(lines: list[str], kind: str) -> str:
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (f'<div class="alert alert-{kind}" id="autograder-notes" style="margin:1em">'
            f"<strong>Grader notes</strong><ul>{items}</ul></div>")


def add_notes(html_path: Path, notes: list[str]) -> None:
    """Put grader notes (e.g. "your file X was graded as Y") at the top of a feedback page."""
    if not notes:
        return
    text = html_path.read_text(encoding="utf-8")
    match = re.search(r"<body[^>]*>", text)
    at = match.end() if match else 0
    html_path.write_text(text[:at] + _banner(notes, "warning") + text[at:], encoding="utf-8")


def write_failure_page(path: Path, student: str, assignment: str, reason: str) -> None:
    """The feedback for a student whose submission could not be graded: score 0 and why."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(assignment)}: not graded</title></head><body>\n"
        f"<h1>{html.escape(assignment)} feedback for {html.escape(student)}</h1>\n"
        f"<p><strong>Score: 0.</strong> Your submission could not be graded: "
        f"{html.escape(reason)}</p>\n</body></html>\n", encoding="utf-8")
