"""An assignment's hidden checks as the grader holds them: groups, inputs, reference forms.

Built once per grading process and assignment (cached), from ``autograder/specs/<assignment>/``
and the source notebook in solutions/:

* ``inputs``: stage 1 of every run (group, check, seed), made here in the grader. The kernel gets
  a copy (sandbox/bundle.py); the judge uses this one, so nothing the student's code does to its
  copy can change what it is judged against.
* ``form``: the form (plaindata.form: keys, lengths, kinds; no values) of the record a correct
  solution's run produces, from the instructor's solution code run here on the same inputs.
  A student's record must have the same form: a judge that zips the inputs with a list of
  results would accept an empty list, so a record cut short or altered by code in the kernel
  must not reach the judge as if it were complete.
"""
from __future__ import annotations

import copy
import functools
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder.cells import reference_namespace
from autograder.decide.checks import Group, load_groups
from autograder.kernel_side.plaindata import form, observe_call

# The only statements a hidden region may hold for the grader to decide it outside the kernel.
RUN_GROUP = re.compile(r'^run_group\(\s*"([\w.-]+)"\s*,\s*"([\w.-]+)"\s*,\s*globals\(\)\s*\)$')
IMPORT_LINE = "from autograder.harness import run_group"


def has_specs(assignment: str) -> bool:
    try:
        return importlib.util.find_spec(f"autograder.specs.{assignment}.grader_side") is not None
    except ModuleNotFoundError:  # no folder autograder/specs/<assignment>/
        return False


def hidden_groups(source: str) -> list[tuple[str, str]] | None:
    """The (assignment, group) pairs a test cell runs, or None if the cell holds anything else
    than comments (the hidden-test markers), the import and ``run_group`` lines (such a cell is
    run and decided in the kernel, as plain nbgrader does)."""
    calls = []
    for line in source.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line == IMPORT_LINE:
            continue
        match = RUN_GROUP.match(line)
        if not match:
            return None
        calls.append((match.group(1), match.group(2)))
    return calls or None


@dataclass
class HiddenChecks:
    assignment: str
    groups: dict[str, Group]
    inputs: dict[tuple[str, int, int], dict]
    notebooks: dict[str, Path] = field(default_factory=dict)  # group -> source notebook
    _forms: dict = field(default_factory=dict)

    def runs(self, group: str):
        """(check index, check, seed) of every run of ``group``, in the order the kernel runs them."""
        for index, check in enumerate(self.groups[group].checks):
            for seed in check.seeds:
                yield index, check, seed

    def inputs_for(self, group: str, index: int, seed: int) -> dict:
        """A copy: a judge must not be able to change what the next student is judged against."""
        return copy.deepcopy(self.inputs[(group, index, seed)])

    def form(self, group: str, index: int, seed: int):
        """The form of a correct solution's record of this run (None if no source notebook)."""
        notebook = self.notebooks.get(group)
        if notebook is None:
            return None
        if notebook not in self._forms:
            ns = reference_namespace(notebook)
            forms = {}
            for g, nb in self.notebooks.items():
                if nb != notebook:
                    continue
                for i, check, seed_ in self.runs(g):
                    obs = observe_call(check.observe, check.function, check.uses, ns,
                                       self.inputs_for(g, i, seed_))
                    forms[(g, i, seed_)] = form(obs)
            self._forms[notebook] = forms
        return self._forms[notebook][(group, index, seed)]


def _inputs(groups: dict[str, Group]) -> dict:
    out = {}
    for name, group in groups.items():
        for index, check in enumerate(group.checks):
            for seed in check.seeds:
                out[(name, index, seed)] = check.inputs(np.random.default_rng(seed))
    return out


@functools.lru_cache(maxsize=None)
def hidden_checks(assignment: str, source_dir: Path | None = None) -> HiddenChecks:
    """The assignment's hidden checks; ``source_dir`` is solutions/<assignment>/ (for forms)."""
    groups = load_groups(assignment)
    notebooks = {}
    if source_dir is not None:
        import nbformat

        for path in sorted(Path(source_dir).glob("*.ipynb")):
            for cell in nbformat.read(str(path), as_version=4).cells:
                for a, g in hidden_groups(cell.source) or []:
                    if a == assignment and g in groups:
                        notebooks[g] = path
    return HiddenChecks(assignment, groups, _inputs(groups), notebooks)
