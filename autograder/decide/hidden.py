"""An assignment's hidden checks as the grader holds them: groups, inputs, reference forms.

Built once per submission (the specs, the source notebooks and the instructor's solution once
per grading process), from ``autograder/specs/<assignment>/``
and the source notebook in solutions/:

* ``inputs``: stage 1 of every run (group, check, draw), drawn here in the grader from the
  submission's key (seeds.py). The kernel gets a copy (sandbox/bundle.py); the judge uses this
  one, so nothing the student's code does to its copy can change what it is judged against.
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

from autograder.cells import reference_namespace
from autograder.decide.checks import Group, check_inputs, draws, load_groups
from autograder.decide.seeds import DEVELOPMENT, DrawKey
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
    """One submission's hidden runs: the groups, the inputs drawn from ``key``, reference forms."""

    assignment: str
    groups: dict[str, Group]
    key: DrawKey
    inputs: dict[tuple[str, int, int], dict]  # (group, check index, draw index) -> inputs
    notebooks: dict[str, Path] = field(default_factory=dict)  # group -> source notebook
    _forms: dict = field(default_factory=dict)

    def runs(self, group: str):
        """(check index, check, draw index) of every run of ``group``, in the kernel's order."""
        for index, check in enumerate(self.groups[group].checks):
            for draw in check.seeds:
                yield index, check, draw

    def inputs_for(self, group: str, index: int, draw: int) -> dict:
        """A copy: a judge must not be able to change what the next student is judged against."""
        return copy.deepcopy(self.inputs[(group, index, draw)])

    def form(self, group: str, index: int, draw: int):
        """The form of a correct solution's record of this run (None if no source notebook)."""
        notebook = self.notebooks.get(group)
        if notebook is None:
            return None
        run = (group, index, draw)
        if run not in self._forms:
            check = self.groups[group].checks[index]
            obs = observe_call(check.observe, check.function, check.uses,
                               _reference_namespace(notebook), self.inputs_for(*run))
            self._forms[run] = form(obs)
        return self._forms[run]


@functools.lru_cache(maxsize=None)
def _reference_namespace(notebook: Path) -> dict:
    return reference_namespace(notebook)


def draw_inputs(groups: dict[str, Group], key: DrawKey) -> dict:
    """{(group, check index, draw index): inputs} of every run, drawn from ``key``."""
    out = {}
    for name, group in groups.items():
        for index, check in enumerate(group.checks):
            for draw, seed in draws(key, group, index):
                out[(name, index, draw)] = check_inputs(check, seed)
    return out


@functools.lru_cache(maxsize=None)
def _notebooks(assignment: str, source_dir: Path | None) -> dict[str, Path]:
    groups = load_groups(assignment)
    notebooks = {}
    if source_dir is not None:
        import nbformat

        for path in sorted(Path(source_dir).glob("*.ipynb")):
            for cell in nbformat.read(str(path), as_version=4).cells:
                for a, g in hidden_groups(cell.source) or []:
                    if a == assignment and g in groups:
                        notebooks[g] = path
    return notebooks


def warm(assignment: str, source_dir: Path | None) -> None:
    """Do once, before workers fork, what every submission would redo: load the specs, find
    the source notebooks and run the instructor's solution in this process."""
    for notebook in set(_notebooks(assignment, source_dir).values()):
        _reference_namespace(notebook)


@functools.lru_cache(maxsize=4)
def hidden_checks(assignment: str, source_dir: Path | None = None,
                  key: DrawKey = DEVELOPMENT) -> HiddenChecks:
    """The assignment's hidden runs drawn from ``key`` (grading passes the submission's key;
    the default is the public development key); ``source_dir`` is solutions/<assignment>/
    (for the reference forms)."""
    groups = load_groups(assignment)
    return HiddenChecks(assignment, groups, key, draw_inputs(groups, key),
                        dict(_notebooks(assignment, source_dir)))
