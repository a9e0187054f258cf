"""The pieces behind cheat-proof grading, one by one (the end-to-end catalog: test_cheating.py).

* sandbox.Box: what a process in the box can see, reach and use, and that nothing survives it;
* the observation codec (plaindata): whatever bytes a kernel forges, the grader gets plain data
  or an error, never an object of the student's making;
* verdict.decide_group: the instructor's record passes, forged or cut records fail;
* sandbox/bundle: the kernel gets kernel-side code only, never a judge or a reference;
* restore: deleted, moved, edited and renamed cells are put back;
* kernel.SandboxExecute: output limits never drop what nbgrader scores by.
"""
from __future__ import annotations

import copy
import functools
import json
import pickle
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.kernel_side import plaindata
from autograder.sandbox import box as sandbox
from autograder.course import REPO_ROOT
from autograder.decide.hidden import hidden_checks, hidden_groups
from autograder.sandbox.bundle import bundle_dir, bundle_files
from autograder.kernel_side.plaindata import DecodeError, decode, encode, first_difference, form
from autograder.intake.restore import restore
from autograder.sandbox.box import Box, Limits, SandboxError
from autograder.decide.verdict import decide_group

SOLUTIONS = REPO_ROOT / "solutions"


# ---- the box ---------------------------------------------------------------------------------

def run_in_box(code: str, tmp_path: Path, limits: Limits = Limits(), timeout: float = 60):
    """(exit description or None, stdout) of ``python -c code`` in a box around tmp_path/sub."""
    sub = tmp_path / "sub"
    sub.mkdir(exist_ok=True)
    (sub / "mine.txt").write_text("my own file")
    with Box(sub, bundle_dir("ps1"), limits) as box:
        proc = box.launch([sys.executable, "-c", code])
        proc.wait(timeout=timeout)
        return box.exit_description(), box.log_tail(20000), box


def test_box_sees_its_submission_and_python_but_not_the_repository_or_course(tmp_path):
    code = f"""
import os, sys
def seen(p): return os.path.exists(p)
print("mine", open("mine.txt").read())
print("cwd", os.getcwd())
for p in [{str(REPO_ROOT / 'solutions')!r}, {str(REPO_ROOT / 'autograder')!r},
          {str(REPO_ROOT / 'autograder' / 'specs')!r}, {str(REPO_ROOT / '.git')!r},
          {str(tmp_path)!r}, "/root/.ssh", "/etc/shadow",
          "/opt/autograder/autograder/specs/ps1/grader_side.py",
          "/opt/autograder/autograder/decide"]:
    print("visible" if seen(p) else "hidden", p)
print("repo holds", sorted(os.listdir({str(REPO_ROOT)!r})))
print("uid", os.getuid(), "caps", open("/proc/self/status").read().split("CapEff:")[1].split()[0])
import numpy, trainlab
print("imports ok")
"""
    how, out, _ = run_in_box(code, tmp_path)
    assert "mine my own file" in out and f"cwd {sandbox.WORKDIR}" in out, out
    assert "visible" not in out.replace("visible_", ""), out
    assert "repo holds ['.venv', 'trainlab']" in out, out
    assert "uid 1000 caps 0000000000000000" in out and "imports ok" in out, out


def test_box_has_no_network(tmp_path):
    how, out, _ = run_in_box("""
import socket
for host in ["1.1.1.1", "127.0.0.1"]:
    try:
        socket.create_connection((host, 80), timeout=2); print("connected", host)
    except OSError as e: print("refused", host, type(e).__name__)
""", tmp_path)
    assert out.count("refused") == 2 and "connected" not in out, out


def test_box_memory_limit_gives_memory_error_and_torch_still_imports(tmp_path):
    how, out, _ = run_in_box("""
import torch
print("torch", (torch.ones(3) * 2).sum().item())
try:
    b = bytearray(2 ** 31)
    print("allocated")
except MemoryError:
    print("MemoryError")
""", tmp_path, Limits(memory_mb=1024))
    assert "torch 6.0" in out and "MemoryError" in out, out


def test_box_file_size_limit_stops_the_writer(tmp_path):
    # Python ignores SIGXFSZ, so the write fails instead of killing the process.
    how, out, _ = run_in_box("open('/tmp/big', 'wb').write(b'x' * 3 * 2 ** 20)", tmp_path,
                             Limits(file_mb=1))
    assert "File too large" in out, (how, out)


def _capped(controller: str) -> bool:
    """Whether a box here gets a cgroup cap on ``controller`` (v1 or v2)."""
    group = sandbox.Cgroups(Limits())
    try:
        return any(c.endswith(f":{controller}") for c in group.controllers)
    finally:
        group.destroy()


@pytest.mark.skipif(not _capped("pids"), reason="no writable pids cgroup (v1 or v2) here")
def test_box_caps_the_number_of_processes(tmp_path):
    how, out, _ = run_in_box("""
import os
n = 0
try:
    for _ in range(200):
        if os.fork() == 0:
            import time; time.sleep(20); os._exit(0)
        n += 1
except OSError:
    pass
print("children", n)
""", tmp_path, Limits(max_processes=20))
    assert int(re.search(r"children (\d+)", out).group(1)) < 20, out


def _processes_with(marker: str) -> list[int]:
    found = []
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in path.read_bytes():
                found.append(int(path.parent.name))
        except OSError:
            pass
    return found


def test_nothing_started_in_the_box_outlives_it(tmp_path):
    half = uuid.uuid4().hex[:8]
    marker = f"outlive{half}"  # in the daemons' argv[0]; the code below spells it in two parts
    sub = tmp_path / "sub"
    sub.mkdir()
    with Box(sub, None, Limits()) as box:
        box.launch([sys.executable, "-c", f"""
import os, subprocess, time
marker = "outlive" + "{half}"
subprocess.Popen([marker, "300"], executable="/bin/sleep", start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sleep", [marker, "301"])
    os._exit(0)
time.sleep(300)
"""])
        for _ in range(100):
            if len(_processes_with(marker)) >= 2:
                break
            time.sleep(0.05)
        assert len(_processes_with(marker)) == 2  # both daemons did start
    time.sleep(0.2)
    assert _processes_with(marker) == []


def test_missing_bubblewrap_is_named_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(SandboxError, match="apt-get install bubblewrap"):
        Box(tmp_path, None, Limits())


def test_limits_from_the_environment(monkeypatch):
    monkeypatch.setenv(sandbox.LIMITS_ENV, "cell_timeout=5, memory_mb=512")
    assert Limits.from_env() == Limits(cell_timeout=5, memory_mb=512)
    monkeypatch.setenv(sandbox.LIMITS_ENV, "cell_timeout=soon")
    with pytest.raises(SandboxError, match="NAME=INTEGER"):
        Limits.from_env()


# ---- the observation codec -------------------------------------------------------------------

PLAIN = {"a": [np.arange(6, dtype=np.int32).reshape(2, 3), (1.5, None, True), "text"],
         "b": {"nested": [np.float64(2.5), np.array(3.0), np.array([], dtype=bool)]},
         "nan": float("nan"), "big": 2 ** 70, "c": np.array([1 + 2j])}


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, (np.ndarray, np.generic)):
        return a.dtype == b.dtype and np.shape(a) == np.shape(b) and np.array_equal(a, b, equal_nan=True)
    return a == b or (a != a and b != b)


def test_codec_round_trips_plain_data():
    assert same(decode(encode(PLAIN), 10 ** 6), PLAIN)


class FloatLiar(float):
    def __eq__(self, other):
        return True


class ArrayLiar(np.ndarray):
    pass


@pytest.mark.parametrize("value", [FloatLiar(1.0), np.zeros(2).view(ArrayLiar), {1: 2},
                                   np.array([object()]), np.zeros(2, dtype=[("a", "f8")]),
                                   np.array(["text"]), {"f": len}],
                         ids=["float-subclass", "ndarray-subclass", "int-key", "object-array",
                              "structured", "str-array", "function"])
def test_codec_refuses_what_is_not_plain_data(value):
    with pytest.raises(TypeError):
        encode(value)


def _forged(tree, buffer=b"") -> bytes:
    text = json.dumps(tree).encode()
    return plaindata.MAGIC + len(text).to_bytes(8, "little") + text + buffer


@pytest.mark.parametrize("data, why", [
    (pickle.dumps({"a": 1}), "not an observation"),
    (encode(PLAIN)[:-5], "does not match"),
    (encode(PLAIN)[:20], "truncated"),
    (_forged({"a": ["|O8", [1], 0, 8]}, b"\0" * 8), "non-numeric"),
    (_forged({"a": ["<f8", [4], 0, 8]}, b"\0" * 8), "does not match"),
    (_forged({"a": ["<f8", [-1], 0, 8]}, b"\0" * 8), "malformed"),
    (_forged({"a": [[["x", "<f8"]], [1], 0, 8]}, b"\0" * 8), "non-numeric"),
    (_forged({"x": []}), "unknown node"),
    (_forged({"d": [[1, 2]]}), "malformed dict"),
    (_forged(json.loads("[" * 50 + "]" * 50)), "unknown node"),
    (_forged(functools.reduce(lambda v, _: {"l": [v]}, range(100), [])), "nested too deeply"),
    (b"x" * 2000, "more than the limit"),
], ids=["pickle", "cut", "truncated", "object-dtype", "short-buffer", "negative-shape",
        "structured-dtype", "unknown-tag", "int-key", "bare-list", "deep", "too-big"])
def test_decode_rejects_forged_bytes(data, why):
    with pytest.raises(DecodeError, match=why):
        decode(data, 1000 if why == "more than the limit" else 10 ** 6)


def test_form_tells_a_cut_record_from_a_whole_one():
    whole = {"results": [np.zeros(2), np.zeros(3)], "flag": False}
    assert first_difference(form(whole), form(copy.deepcopy(whole))) is None
    assert first_difference(form({"results": [np.ones(7), np.ones(1)], "flag": True}),
                            form(whole)) is None  # values and array shapes are not form
    assert "has 0 entries, expected 2" in first_difference(form({"results": [], "flag": False}),
                                                           form(whole))
    assert "keys" in first_difference(form({"results": []}), form(whole))
    assert "is a float, expected a array" in first_difference(
        form({"results": [1.0, np.zeros(3)], "flag": False}), form(whole))


# ---- deciding outside -------------------------------------------------------------------------

def _reference_record(checks, group):
    from autograder.cells import reference_namespace
    from autograder.kernel_side.plaindata import observe_call

    ns = reference_namespace(checks.notebooks[group])
    records = [observe_call(c.observe, c.function, c.uses, ns, checks.inputs_for(group, i, s))
               for i, c, s in checks.runs(group)]
    return {"assignment": checks.assignment, "group": group, "records": records}


@pytest.fixture(scope="module")
def ps1_checks():
    return hidden_checks("ps1", SOLUTIONS / "ps1")


@pytest.mark.parametrize("group", ["rel_error.values", "minibatches.partition",
                                   "sgd_least_squares.updates"])
def test_the_reference_record_passes_and_forged_ones_fail(ps1_checks, group):
    record = decode(encode(_reference_record(ps1_checks, group)), 10 ** 8)
    assert decide_group(ps1_checks, group, record) == []
    # Records emptied of their runs: every judge that zips inputs with results would pass them.
    empty = copy.deepcopy(record)
    for obs in empty["records"]:
        for key, value in obs.items():
            if isinstance(value, list):
                obs[key] = []
    failures = decide_group(ps1_checks, group, empty)
    assert len(failures) == len(ps1_checks.groups[group].checks)
    assert all("incomplete or altered" in f for f in failures), failures
    assert "incomplete or altered" in decide_group(ps1_checks, group,
                                                   {**record, "records": record["records"][:1]})[0]
    assert decide_group(ps1_checks, group, {"records": None})
    assert decide_group(ps1_checks, group, _nan_everywhere(record))


def _nan_everywhere(value):
    """Every float in a record made NaN (a NaN is never within any tolerance)."""
    if isinstance(value, dict):
        return {k: _nan_everywhere(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_nan_everywhere(v) for v in value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return np.full(value.shape, np.nan)
    return value


def test_the_judge_cannot_change_the_inputs_the_next_student_is_judged_on(ps1_checks):
    first = ps1_checks.inputs_for("rel_error.values", 0, 0)
    first["pairs"][0][0][...] = 0
    assert not np.array_equal(ps1_checks.inputs_for("rel_error.values", 0, 0)["pairs"][0][0], 0)


# ---- what the kernel gets ------------------------------------------------------------------------

# Kernel sides that import torch: they build the notebook's own network to call the student's
# torch functions (ps7), and still compute no expected value.
TORCH_OBSERVERS = ("specs/ps7/kernel_side.py",)


@pytest.mark.parametrize("assignment", ["ps1", "ps2", "ps3", "ps7"])
def test_the_kernel_gets_observe_code_and_no_judge_or_reference(assignment):
    sources = {name: data.decode() for name, data in bundle_files(assignment).items()
               if name.endswith(".py")}
    judges = {c.judge.__name__ for g in hidden_checks(assignment).groups.values() for c in g.checks}
    assert any(name.endswith("specs/ps1/kernel_side.py") for name in sources)
    for module, source in sources.items():
        defined = set(re.findall(r"^(?:def|class) (\w+)", source, re.M))
        assert not defined & judges, (module, defined & judges)
        assert "reference" not in source.lower(), module
        assert "torch" not in source or module.endswith(TORCH_OBSERVERS), module
        assert not re.search(r"^def _judge|^def _in_", source, re.M), module


@pytest.mark.parametrize("assignment", ["ps1", "ps3"])
def test_the_bundle_imports_alone_and_names_every_observe(assignment):
    folder = bundle_dir(assignment)
    code = ("import pickle, importlib, sys; sys.path.insert(0, sys.argv[2]);"
            "p = pickle.load(open(sys.argv[1], 'rb'));"
            "[getattr(importlib.import_module(c['observe'][0]), c['observe'][1]) "
            "for g in p['groups'].values() for c in g]; import autograder.harness as h;"
            "print('ok', len(p['groups']), h.run_group.__module__)")
    proc = subprocess.run([sys.executable, "-I", "-B", "-c", code,
                           str(folder / "payload" / f"{assignment}.pickle"), str(folder)],
                          env={"PATH": "/usr/bin"}, capture_output=True,
                          text=True, cwd="/")
    assert proc.stdout.startswith(f"ok {len(hidden_checks(assignment).groups)} "
                                  "autograder.kernel_side.harness"), \
        proc.stderr
    specs = [p.relative_to(folder).as_posix() for p in (folder / "autograder" / "specs").rglob("*.py")]
    assert specs and all(p.endswith("/kernel_side.py") or p.endswith("/__init__.py") for p in specs)
    assert all((folder / p).read_bytes() == b"" for p in specs if p.endswith("/__init__.py"))


def test_every_hidden_cell_in_solutions_is_decided_outside_the_kernel():
    cells = [c for path in sorted(SOLUTIONS.glob("*/*.ipynb"))
             for c in nbformat.read(path, as_version=4).cells if "BEGIN HIDDEN TESTS" in c.source]
    assert cells and all(hidden_groups(c.source) for c in cells)


def test_hidden_cells_are_recognised_only_when_they_hold_run_group_lines():
    cell = ('### BEGIN HIDDEN TESTS\nfrom autograder.harness import run_group\n'
            'run_group("ps1", "rel_error.values", globals())\n### END HIDDEN TESTS')
    assert hidden_groups(cell) == [("ps1", "rel_error.values")]
    assert hidden_groups(cell.replace("### END", "assert True\n### END")) is None
    assert hidden_groups("# nothing") is None


# ---- restoring the assignment's shape ---------------------------------------------------------

RELEASE = REPO_ROOT / "exercises" / "ps1" / "ps1.ipynb"


def _ids(nb) -> list:
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def _edited(edit) -> tuple[nbformat.NotebookNode, list[str]]:
    nb = json.loads(RELEASE.read_text())
    edit(nb)
    return restore(nb, nbformat.read(str(RELEASE), as_version=4))


def _cell(nb, gid):
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == gid)


def _is_test(cell) -> bool:
    """A graded cell the student does not write (a written answer is graded and written)."""
    meta = cell["metadata"].get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


@pytest.mark.parametrize("edit, note", [
    (lambda nb: None, None),
    (lambda nb: nb["cells"].remove(_cell(nb, "hidden_rel_error_values")), "were missing"),
    (lambda nb: _cell(nb, "hidden_rel_error_edge")["metadata"]["nbgrader"].update(grade_id="x"),
     "had the id 'x' instead of 'hidden_rel_error_edge'"),
    (lambda nb: _cell(nb, "rel_error")["metadata"]["nbgrader"].update(grade_id="mine"),
     "had the id 'mine' instead of 'rel_error'"),
    (lambda nb: _cell(nb, "visible_rel_error").update(source="pass"), "were edited"),
    (lambda nb: nb["cells"].append(nb["cells"].pop(nb["cells"].index(_cell(nb, "visible_rel_error")))),
     "were moved"),
    (lambda nb: nb.update(cells=[c for c in nb["cells"] if not _is_test(c)]), "were missing"),
], ids=["unchanged", "deleted", "hidden-id-changed", "solution-id-changed", "edited", "moved",
        "all-tests-deleted"])
def test_restore_puts_the_assignment_back(edit, note):
    nb, notes = _edited(edit)
    release = nbformat.read(str(RELEASE), as_version=4)
    assert _ids(nb) == _ids(release)
    for mine, theirs in zip(nb.cells, release.cells):
        if not theirs.metadata.get("nbgrader", {}).get("solution"):
            assert mine.source == theirs.source
    assert (notes == []) if note is None else any(note in n for n in notes), notes


def test_restore_keeps_the_students_own_cells_and_code():
    def edit(nb):
        _cell(nb, "rel_error")["source"] = "def rel_error(x, y):\n    return 42\n"
        nb["cells"].insert(4, {"cell_type": "code", "metadata": {"nbgrader": {"grade": True,
                           "grade_id": "bogus", "points": 99}}, "source": "helper = 1",
                           "outputs": [], "execution_count": None})
    nb, _ = _edited(edit)
    assert _cell(nb, "rel_error")["source"].endswith("return 42\n")
    added = [c for c in nb.cells if c.source == "helper = 1"]
    assert len(added) == 1 and "nbgrader" not in added[0].metadata  # kept, never graded


def test_restore_makes_a_valid_notebook_of_odd_cells():
    def edit(nb):
        _cell(nb, "rel_error").pop("metadata")
        nb["cells"][0]["source"] = ["# Title", 7, None]
        nb["cells"].insert(2, {"cell_type": "weird", "source": 12})
        nb["cells"].insert(3, {"cell_type": "code", "metadata": "not a dict", "source": "x = 1"})
    nb, _ = _edited(edit)
    nbformat.validate(nb)
    assert [c.source for c in nb.cells if c.source in ("x = 1", "")] == ["", "x = 1"]


# ---- the executor ----------------------------------------------------------------------------

def test_output_limit_never_drops_what_nbgrader_scores_by(tmp_path):
    from autograder.sandbox.kernel import SandboxExecute

    nb = new_notebook(cells=[new_code_cell("print('x' * 5000)"),
                             new_code_cell("import sys; print('e' * 5000, file=sys.stderr)"),
                             new_code_cell("assert False, 'f' * 5000"),
                             new_code_cell("0.5"), new_code_cell("print('gone-sentinel')")])
    ex = SandboxExecute(limits=Limits(output_bytes=1000, cell_timeout=30))
    nb, _ = ex.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    kinds = [[(o.output_type, o.get("name")) for o in c.outputs] for c in nb.cells]
    assert ("stream", "stderr") in kinds[1]
    assert ("error", None) in kinds[2]
    assert nb.cells[3].outputs[0].output_type == "execute_result"
    assert "gone-sentinel" not in json.dumps(nb.cells[4].outputs)
    assert "kept only the first 1000 bytes" in json.dumps(nb.cells[0].outputs)


def test_a_box_that_cannot_start_says_so(tmp_path, monkeypatch):
    from autograder.sandbox.kernel import RunStopped, SandboxExecute

    original = Box.bwrap_args
    monkeypatch.setattr(Box, "bwrap_args", lambda self: original(self) + ["--no-such-option"])
    nb = new_notebook(cells=[new_code_cell("print(1)")])
    with pytest.raises(RunStopped, match="could not start a kernel.*no-such-option"):
        SandboxExecute(limits=Limits(cell_timeout=10)).preprocess(
            nb, {"metadata": {"path": str(tmp_path)}})
