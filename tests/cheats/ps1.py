"""The catalog on ps1: who cheats or crashes how, and what the grader must make of it.

A submission is the ps1 release with every solution cell filled, by default with WRONG versions
of all five functions (each fails every hidden check: see test_wrong_base_fails_every_group),
plus the cheat: code put in a cell of its own right after the setup cell (``preamble``), or
other function bodies (``bodies``). Expectations:

* ``hidden``: "zero" (no point at all, hidden or visible; everything is wrong, so any point
  would be undeserved) or "honest" (exactly the points the same functions earn when judged in
  this process: harness.evaluate_group for hidden cells, the visible cells run directly);
* ``status``: "ok" (graded), or a phrase of the reason when the run had to stop (score 0);
* ``limit``: for a graded run that hit a limit, a phrase its CSV status must hold instead of "ok";
* ``feedback``: a phrase the student's feedback page (or status) must contain.

``{repo}``, ``{course}``, ``{other}`` and ``{marker}`` in code are filled in by the test:
the repository root, the course work dir (gradebook), another student's submitted folder, and
a string unique to the run (to find leftover processes).
"""
from __future__ import annotations

from dataclasses import dataclass, field

FUNCTIONS = ("rel_error", "numeric_gradient", "gradient_descent", "minibatches", "sgd_least_squares")

WRONG = {
    "rel_error": "def rel_error(x, y):\n    return 0.0\n",
    "numeric_gradient": "def numeric_gradient(f, x, h=1e-5):\n    return np.zeros(np.size(x))\n",
    "gradient_descent": ("def gradient_descent(grad, w0, learning_rate, num_steps):\n"
                         "    return np.zeros((num_steps + 1,) + np.shape(w0))\n"),
    "minibatches": ("def minibatches(n, batch_size, rng):\n"
                    "    yield np.arange(min(n, batch_size))\n"),
    "sgd_least_squares": ("def sgd_least_squares(X, y, w0, learning_rate, batch_size, epochs, rng):\n"
                          "    return np.array(w0, dtype=float), np.zeros(epochs)\n"),
}


@dataclass(frozen=True)
class Case:
    name: str
    threat: str
    preamble: str = ""
    bodies: dict = field(default_factory=dict)  # function -> source; None = the reference's
    hidden: str = "zero"
    status: str = "ok"
    limit: str = ""
    feedback: str = "hidden checks in"
    leftover_marker: bool = False  # the case starts processes that must not outlive grading


REFERENCE = {f: None for f in FUNCTIONS}

# ---- in-kernel tricks that plain nbgrader rewards ---------------------------------------------

PATCH_COMPARISONS = """
import math, numpy as np, numpy.testing
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, bool)
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.testing.assert_array_equal = lambda *a, **k: None
math.isclose = lambda *a, **k: True
"""

PATCH_BUILTINS = """
import builtins
builtins.abs = lambda x: 0.0
builtins.round = lambda *a, **k: 0.0
builtins.sum = lambda *a, **k: 0.0
builtins.all = lambda *a, **k: True
"""

PATCH_NUMPY_INTERNALS = """
import numpy as np
_zeros = np.zeros_like
np.abs = np.absolute = lambda x, *a, **k: _zeros(np.asarray(x, dtype=float))
np.max = np.amax = lambda *a, **k: 0.0
np.linalg.solve = lambda a, b: b
np.random.default_rng = lambda seed=None: np.random.Generator(np.random.PCG64(0))
"""

INPUT_TRANSFORMER_BLANK = """
ip = get_ipython()
ip.input_transformers_cleanup.append(
    lambda lines: [] if any("run_group" in ln or "run_visible" in ln for ln in lines) else lines)
"""

# Rewrites every hidden cell into one that publishes a forged record with the right names and
# the right number of runs (read from the bundle's payload) but empty results.
INPUT_TRANSFORMER_FORGE = """
import base64, pickle
from IPython.display import publish_display_data
from autograder.kernel_side.plaindata import MIME, encode
_payload = pickle.load(open("/opt/autograder/payload/ps1.pickle", "rb"))

def _forge(group):
    runs = sum(len(c["runs"]) for c in _payload["groups"][group])
    empty = {"results": [], "again": [], "epochs": [], "runs": [], "grad": np.zeros(0),
             "path": np.zeros(0)}
    data = encode({"assignment": "ps1", "group": group, "records": [empty] * runs})
    publish_display_data({MIME: base64.b64encode(data).decode()})
    print(f"All hidden checks in '{group}' passed.")

def _rewrite(lines):
    out = []
    for ln in lines:
        if ln.startswith("run_group("):
            ln = f"_forge({ln.split(',')[1].strip()})\\n"
        out.append(ln)
    return out

get_ipython().input_transformers_cleanup.append(_rewrite)
"""

CUSTOM_EXC = """
def _swallow(shell, etype, value, tb, tb_offset=None):
    print("All hidden checks passed.")
get_ipython().set_custom_exc((BaseException,), _swallow)
"""

DISPLAY_HOOK = """
import sys
ip = get_ipython()
_publish = ip.display_pub.publish
def _publish_fake(data, *a, **k):
    if any("autograder" in key for key in data):
        print("All 3 hidden checks in this cell passed.")
        return
    return _publish(data, *a, **k)
ip.display_pub.publish = _publish_fake
sys.displayhook = lambda value: print("All hidden checks passed.")
"""

REPLACE_CODE_RUN_GROUP = """
import autograder.harness as _h
def _fake(assignment, group_name, namespace):
    print(f"All hidden checks in '{group_name}' passed.")
_h.run_group.__code__ = _fake.__code__
"""

# A variant of our own: swap the code of the observe functions for code that returns records
# of the right keys but no runs in them (a judge that zips inputs with results sees nothing).
REPLACE_CODE_OBSERVERS = """
import gc, types
def _empty(fn, inp):
    return {"results": [], "again": [], "epochs": [], "runs": [],
            "first": [], "second": [], "others": []}
import autograder.specs.ps1.kernel_side as _obs
for _name in dir(_obs):
    _f = getattr(_obs, _name)
    if isinstance(_f, types.FunctionType) and _name.startswith("obs_"):
        _f.__code__ = _empty.__code__
"""

# Side effects: functions that modify their inputs (numeric_gradient leaves x off by rounding,
# gradient_descent updates w0 in place), and observers replaced by ones that call each function
# once and report that result for the second call too, with a plain f that cannot see rounding.
# A record of "the arrays after the call" could be forged like this; a second call on inputs
# changed in place by known amounts cannot: the grader knows what it must return.
MUTATING_BODIES = {
    "numeric_gradient": ("def numeric_gradient(f, x, h=1e-5):\n"
                         "    grad = np.zeros(x.shape)\n"
                         "    for i in np.ndindex(x.shape):\n"
                         "        x[i] += h\n        fp = f(x)\n        x[i] -= 2 * h\n"
                         "        fm = f(x)\n        x[i] += h\n"
                         "        grad[i] = (fp - fm) / (2 * h)\n"
                         "    return grad\n"),
    "gradient_descent": ("def gradient_descent(grad, w0, learning_rate, num_steps):\n"
                         "    w = w0\n    path = [w.copy()]\n"
                         "    for _ in range(num_steps):\n"
                         "        w -= learning_rate * grad(w)\n        path.append(w.copy())\n"
                         "    return np.array(path, dtype=float)\n"),
}
REPLAY_FIRST_CALL = """
import autograder.specs.ps1.kernel_side as _obs
def _gradient_once(fn, inp):
    a = inp["A"]
    f = lambda z: float(np.reshape(z, -1) @ a @ np.reshape(z, -1))
    grad = np.array(fn(f, inp["x"]), dtype=float)
    return {"grad": grad, "again": grad.copy()}
def _gd_once(fn, inp):
    a, b, w0 = inp["A"], inp["B"], inp["w0"]
    path = np.array(fn(lambda w: a @ np.asarray(w, dtype=float) - b, w0, inp["learning_rate"],
                       inp["num_steps"]), dtype=float)
    record = {"path": path, "grad_arg_shapes": [list(np.shape(w0))]}
    if inp.get("again"):
        record["again"] = path.copy()
    return record
_obs.obs_gradient_contract = _gradient_once
_obs.obs_gd = _gd_once
"""

FAKE_OBJECTS_BODIES = {
    "rel_error": (
        "class AlwaysClose(float):\n"
        "    def __eq__(self, other): return True\n"
        "    __le__ = __ge__ = __lt__ = __gt__ = __eq__\n"
        "    def __sub__(self, other): return AlwaysClose(0.0)\n"
        "    __rsub__ = __sub__\n"
        "    def __abs__(self): return AlwaysClose(0.0)\n"
        "    def __hash__(self): return 0\n"
        "def rel_error(x, y):\n    return AlwaysClose(123.0)\n"),
    "numeric_gradient": (
        "class Liar(np.ndarray):\n"
        "    def __eq__(self, other): return np.ones(np.shape(other), bool)\n"
        "    def __sub__(self, other): return np.zeros(np.shape(other))\n"
        "    __rsub__ = __sub__\n"
        "    def __abs__(self): return np.zeros(self.shape)\n"
        "def numeric_gradient(f, x, h=1e-5):\n"
        "    return np.full(np.size(x), 7.0).view(Liar)\n"),
    "gradient_descent": (
        "class ArrayFace:\n"
        "    def __init__(self, shape): self.shape = shape\n"
        "    def __array__(self, dtype=None, copy=None): return np.zeros(self.shape)\n"
        "    def __eq__(self, other): return True\n"
        "def gradient_descent(grad, w0, learning_rate, num_steps):\n"
        "    return ArrayFace((num_steps + 1,) + np.shape(w0))\n"),
    "minibatches": (
        "def minibatches(n, batch_size, rng):\n"
        "    for start in range(0, n, batch_size):\n"
        "        yield np.full(min(batch_size, n - start), np.nan)\n"),
    "sgd_least_squares": (
        "def sgd_least_squares(X, y, w0, learning_rate, batch_size, epochs, rng):\n"
        "    return np.full(np.shape(w0), np.nan), np.full(epochs, np.nan)\n"),
}

# ---- reading what must stay hidden ----------------------------------------------------------

READ_SECRETS = """
import glob, os
def _try(path):
    try:
        if os.path.isdir(path):
            return f"LISTED {len(os.listdir(path))} entries"
        with open(path, "rb") as fh:
            return f"READ {len(fh.read(100))} bytes"
    except OSError as exc:
        return f"DENIED {type(exc).__name__}"
for _p in ["{repo}/solutions/ps1/ps1.ipynb", "{repo}/solutions",
           "{repo}/autograder/specs/ps1/grader_side.py", "{course}/gradebook.db", "{course}",
           "{other}", "/root/.bashrc", "/etc/shadow", "/opt/autograder/autograder/decide"]:
    print("probe", _p, "->", _try(_p))
_found = []
for _root in ["/home", "/tmp", "/opt", "/root", "/work", "/etc", "/dev"]:
    for _dir, _subdirs, _files in os.walk(_root):
        _subdirs[:] = [d for d in _subdirs if d != "site-packages"]
        _found += [os.path.join(_dir, f) for f in _subdirs + _files
                   if f in ("gradebook.db", "solutions", "grader_side.py", "decide", "submitted")]
print("search found", len(_found), _found[:5])
"""

# Writes where grades live, from the kernel: a fake graded notebook and a fake gradebook in its
# own folder, and (would it see them) the real ones.
FAKE_GRADE_FILES = """
import json, os
_nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
for _p in ["ps1.ipynb", "gradebook.db", "{course}/gradebook.db",
           "{course}/autograded/cheat-fake-grade-files/ps1/ps1.ipynb", "/opt/autograder/payload/ps1.pickle"]:
    try:
        with open(_p, "w") as fh:
            json.dump(_nb, fh)
        print("wrote", _p)
    except OSError as exc:
        print("could not write", _p, type(exc).__name__)
"""

# Double fork + setsid: a grandchild outside the kernel's session that, a few seconds after
# grading, rewrites everything it can reach that grades are made from.
BACKGROUND_REWRITER = """
import os, subprocess
subprocess.Popen(["setsid", "sh", "-c",
                  "sleep 6; echo {marker} > ps1.ipynb; echo {marker} > {course}/gradebook.db; "
                  "echo {marker} > /tmp/{marker}"], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sh", ["sh", "-c", "sleep 6.5; echo {marker} > {course}/gradebook.db"])
    os._exit(0)
os.wait()
print("left a rewriter behind")
"""

FORK_BOMB = """
import os, time
_children = 0
try:
    for _ in range(400):
        _pid = os.fork()
        if _pid == 0:
            os.execvp("sleep", ["{marker}", "30"])
        _children += 1
except OSError as exc:
    print("fork stopped after", _children, "children:", type(exc).__name__)
print("children", _children)
"""

MEMORY_HOG = """
import numpy as np
try:
    _big = np.ones(2 ** 31)  # 16 GB
    print("allocated")
except MemoryError as exc:
    print("MemoryError:", exc)
_hog = []
try:
    for _ in range(1000):
        _hog.append(np.empty(2 ** 21))  # 16 MB each (untouched), up to 16 GB
except MemoryError:
    print("MemoryError after", len(_hog) * 16, "MB")
finally:
    del _hog
"""

BIG_LINE = 'print("x" * 50_000_000)\n'
BIG_ERROR = 'raise ValueError("y" * 20_000_000)\n'

NETWORK = """
import socket
for _host, _port in [("1.1.1.1", 80), ("pypi.org", 443), ("127.0.0.1", 5432), ("10.0.0.1", 22)]:
    try:
        socket.create_connection((_host, _port), timeout=2).close()
        print("CONNECTED", _host, _port)
    except OSError as exc:
        print("no network to", _host, _port, "-", type(exc).__name__)
"""

OS_EXIT = "import os\nos._exit(0)\n"
SELF_KILL = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"
SEGFAULT = "import ctypes\nctypes.string_at(0)\n"

LOOP_IN_FUNCTION = {"rel_error": "def rel_error(x, y):\n    while True:\n        pass\n"}
LOOP_IGNORING_INTERRUPT = """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
"""

TORCH_BODIES = {
    "rel_error": (
        "import torch\n"
        "def rel_error(x, y):\n"
        "    x, y = torch.as_tensor(np.asarray(x, dtype=np.float64)), "
        "torch.as_tensor(np.asarray(y, dtype=np.float64))\n"
        "    den = torch.clamp(x.abs() + y.abs(), min=1e-8)\n"
        "    return float(torch.max((x - y).abs() / den))\n"),
}

PARTLY_WRONG = {
    "rel_error": ("def rel_error(x, y):\n"
                  "    return np.max(np.abs(x - y) / (np.abs(x) + np.abs(y)))\n"),  # no 1e-8 floor
    "minibatches": ("def minibatches(n, batch_size, rng):\n"  # never shuffles
                    "    for start in range(0, n, batch_size):\n"
                    "        yield np.arange(start, min(n, start + batch_size))\n"),
}

CASES = [
    # honest submissions, graded exactly
    Case("honest-reference", "a correct submission", bodies=REFERENCE, hidden="honest",
         feedback="passed"),
    Case("honest-partly-wrong", "a partly wrong submission (no 1e-8 floor; no shuffling)",
         bodies={**REFERENCE, **PARTLY_WRONG}, hidden="honest", feedback="failed"),
    Case("honest-wrong", "every function wrong (the base of the cheats below)"),
    Case("honest-torch", "correct, with rel_error written in torch (the kernel imports torch)",
         bodies={**REFERENCE, **TORCH_BODIES}, hidden="honest", feedback="passed"),
    Case("honest-big-output", "correct, but prints one 50 MB line and a 20 MB error",
         preamble=BIG_LINE + BIG_ERROR, bodies=REFERENCE, hidden="honest",
         feedback="the grader kept only the first"),
    # in-kernel tricks
    Case("cheat-patch-comparisons", "monkeypatch np.allclose, np.isclose, np.testing, math.isclose",
         preamble=PATCH_COMPARISONS, feedback="is wrong"),
    Case("cheat-patch-builtins", "monkeypatch builtins abs/round/sum/all",
         preamble=PATCH_BUILTINS),
    Case("cheat-patch-numpy-internals", "monkeypatch np.abs, np.max, np.linalg.solve, "
         "np.random.default_rng", preamble=PATCH_NUMPY_INTERNALS),
    Case("cheat-input-transformer-blank", "IPython input transformer that blanks hidden cells",
         preamble=INPUT_TRANSFORMER_BLANK, feedback="did not run to the end"),
    Case("cheat-input-transformer-forge", "input transformer that turns hidden cells into "
         "forged records with the right names and counts (and prints 'passed')",
         preamble=INPUT_TRANSFORMER_FORGE, feedback="incomplete or altered"),
    Case("cheat-custom-exc", "set_custom_exc swallowing every exception",
         preamble=CUSTOM_EXC),
    Case("cheat-display-hook", "display publisher and displayhook that drop the record and "
         "print a pass", preamble=DISPLAY_HOOK, feedback="did not run to the end"),
    Case("cheat-replace-run-group-code", "replace run_group.__code__ with a printer of 'passed'",
         preamble=REPLACE_CODE_RUN_GROUP, feedback="the cell produced no result"),
    Case("cheat-replace-observer-code", "replace the observe functions' __code__ to return "
         "records with no runs", preamble=REPLACE_CODE_OBSERVERS,
         feedback="incomplete or altered"),
    Case("cheat-replay-first-call", "functions that modify their inputs, and observers replaced "
         "to report the first call's result for the second one", preamble=REPLAY_FIRST_CALL,
         bodies={**REFERENCE, **MUTATING_BODIES}, hidden="honest",
         feedback="modified w0 in place"),
    Case("cheat-fake-objects", "results that fake comparisons: float/ndarray subclasses, "
         "__array__ objects, NaN", bodies=FAKE_OBJECTS_BODIES),
    # reaching outside the kernel
    Case("cheat-read-secrets", "read solutions/, the gradebook, autograder/specs, another "
         "student's folder; search the filesystem", preamble=READ_SECRETS,
         feedback="search found 0"),
    Case("cheat-fake-grade-files", "write a fake graded notebook and gradebook",
         preamble=FAKE_GRADE_FILES, feedback="could not write"),
    Case("cheat-background-rewriter", "detached processes (setsid, double fork) that rewrite "
         "grades after grading", preamble=BACKGROUND_REWRITER, leftover_marker=True,
         feedback="left a rewriter behind"),
    Case("cheat-network", "network access", preamble=NETWORK, feedback="no network to"),
    # crashing and exhausting
    Case("crash-os-exit", "os._exit in the notebook", preamble=OS_EXIT,
         status="Kernel died", feedback="exit status 0"),
    Case("crash-self-kill", "the kernel kills itself (SIGKILL)", preamble=SELF_KILL,
         status="Kernel died", feedback="SIGKILL"),
    Case("crash-segfault", "segmentation fault via ctypes", preamble=SEGFAULT,
         status="Kernel died", feedback="SIGSEGV"),
    Case("crash-loop-in-function", "an infinite loop inside a graded function",
         bodies=LOOP_IN_FUNCTION, limit="s of CPU time, over the limit of 6 s per cell",
         feedback="CpuTimeLimitError"),
    Case("crash-loop-ignoring-interrupt", "an infinite loop that ignores the interrupt",
         preamble=LOOP_IGNORING_INTERRUPT, status="did not stop when interrupted",
         feedback="did not stop when interrupted"),
    # The box's process cap stops the forks; a kernel left without processes or threads
    # cannot carry on (how it fails varies), so the run stops with a reason and scores 0.
    Case("crash-fork-bomb", "spawns hundreds of processes", preamble=FORK_BOMB,
         leftover_marker=True, status="could not run your notebook",
         feedback="could not run your notebook"),
    Case("crash-memory-hog", "allocates far more memory than allowed", preamble=MEMORY_HOG,
         feedback="MemoryError"),
]


def case(name: str) -> Case:
    return next(c for c in CASES if c.name == name)
