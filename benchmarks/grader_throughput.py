"""Grading throughput: 40 synthetic submissions, plain nbgrader vs this grader, in one run.

    python -m benchmarks grader_throughput

The class: 20 ps1 notebooks (numpy) and 20 ps2 notebooks (update rules checked against
torch.optim, so torch is imported while grading), each 5 reference solutions, 5 with one
differently-written correct function, 10 with one wrong function (tests/mutants/). Contenders,
each on fresh copies in a temp folder, timed as the wall clock of the commands an instructor
runs:

(a) plain ``nbgrader autograde ASSIGNMENT`` (default settings: one process, all students, graceful
    kernel shutdown), once per assignment; the assignment was put in its gradebook beforehand
    (``generate_assignment``, not timed);
(b) the same with ``--Execute.shutdown_kernel=immediate`` (tuned nbgrader);
(c) ``python -m autograder grade ASSIGNMENT --submissions DIR`` (default workers: all cores),
    once per assignment: registering the assignment, sandboxed kernels, decisions outside the
    kernel and feedback HTML included (plain nbgrader (a, b) writes no feedback).

All kernels get the same environment (PYTHONPATH for the hidden tests' harness, one BLAS/OpenMP
thread). Figures: seconds per contender, seconds per notebook (wall / 40; for (c) wall-clock,
so it includes the parallel speed-up), ratios a/c and b/c, and whether (a) and (c) agree on every
score.

Where the time goes is measured apart, with jupyter_client on plain (unsandboxed) kernels, median
of 3: kernel start (until it answers), ``import numpy``, ``import torch``, 50 torch.optim steps
with autograd (what ps2's hidden tests do inside plain nbgrader's kernel), and kernel shutdown
after that, graceful (nbgrader's default: it waits for torch's threads) vs immediate.
Subtracting them from (a)'s per-notebook cost estimates the rest (nbgrader's own work and the
notebook's code). For (c), its summary line gives one worker's seconds per student (sandboxed
kernel, execution, decisions, feedback) and the command's start-up (process, imports, reading
the submissions) is its wall time minus the run the summary reports.

**This grader against another version of it** (e.g. the commit before a change to the grader):

    git archive COMMIT | tar -x -C /tmp/before
    GRADER_THROUGHPUT_BEFORE=/tmp/before python -m benchmarks grader_throughput
    python -m benchmarks.grader_throughput --before /tmp/before [--rounds 3]   # only this part

Each checkout grades a class made the same way from its own release and variants (each version
grades the assignment it shipped), with its own ``python -m autograder grade`` and this venv,
in the same run, interleaved (after, before, before, after, ... per assignment and round) so
that a change in the machine's load falls on both. Figures: seconds of each, the ratio
after/before per assignment and overall (1.10 = after is 10% slower), and the 1-minute load
average sampled before every grading (other work on a shared machine skews both equally only on
average: read the ratios with it).
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the mutants package (wrong/correct variants)

from autograder.sandbox.environment import grading_environment  # noqa: E402

PER_ASSIGNMENT = 20
ASSIGNMENTS = ("ps1", "ps2")  # numpy; torch-checked
REPEATS = 3


# ---- the synthetic class -------------------------------------------------------------------

def _filled_release(assignment: str, replace: dict[str, str]) -> dict:
    """The release with every solution cell holding the reference code (markers removed), the
    cells named in ``replace`` swapped for other code: what an honest student hands in."""
    source = {c.metadata["nbgrader"]["grade_id"]: c.source
              for c in nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", 4).cells
              if c.metadata.get("nbgrader", {}).get("solution")}
    nb = json.loads((REPO / "exercises" / assignment / f"{assignment}.ipynb").read_text())
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in source:
            cell["source"] = replace.get(grade_id, "\n".join(
                ln for ln in source[grade_id].splitlines() if "SOLUTION" not in ln))
    return nb


def class_notebooks(assignment: str) -> dict[str, dict]:
    """{student: notebook}: 5 reference, 5 correct variants, 10 wrong variants (deterministic)."""
    import importlib

    variants = importlib.import_module(f"mutants.{assignment}")
    correct, wrong = variants.all_variants("correct"), variants.all_variants("wrong")
    students = {f"{assignment}_ref{i}": {} for i in range(5)}
    for i in range(5):
        function, name = correct[i * len(correct) // 5]
        students[f"{assignment}_ok{i}"] = {function: variants.variant_source(function, name)}
    for i in range(PER_ASSIGNMENT - 10):
        function, name = wrong[i * len(wrong) // (PER_ASSIGNMENT - 10)]
        students[f"{assignment}_bad{i}"] = {function: variants.variant_source(function, name)}
    return {s: _filled_release(assignment, code) for s, code in students.items()}


def write_class(folder: Path) -> dict[str, list[str]]:
    """folder/<assignment>/<student>/<assignment>.ipynb; returns {assignment: students}."""
    made = {}
    for a in ASSIGNMENTS:
        made[a] = []
        for student, nb in class_notebooks(a).items():
            (folder / a / student).mkdir(parents=True)
            (folder / a / student / f"{a}.ipynb").write_text(json.dumps(nb))
            made[a].append(student)
    return made


# ---- plain nbgrader ------------------------------------------------------------------------

def _nbgrader(root: Path, *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), *args], cwd=root,
                          env=grading_environment(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return seconds


def plain_course(root: Path, submissions: Path) -> Path:
    """A plain nbgrader course: source/ copied from solutions/, assignments in the gradebook,
    every student's notebook in submitted/STUDENT/ASSIGNMENT/."""
    root.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{root / 'gradebook.db'}'\n")
    for a in ASSIGNMENTS:
        shutil.copytree(REPO / "solutions" / a, root / "source" / a)
        _nbgrader(root, "generate_assignment", a, "--force")
        for student_dir in sorted((submissions / a).iterdir()):
            dest = root / "submitted" / student_dir.name / a
            dest.mkdir(parents=True)
            shutil.copy(student_dir / f"{a}.ipynb", dest)
    return root


def plain_scores(root: Path) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {(a, s.student.id): s.score for a in ASSIGNMENTS
                for s in gb.find_assignment(a).submissions}


# ---- this grader ---------------------------------------------------------------------------

def ours(work: Path, submissions: Path) -> tuple[dict[str, float], dict[tuple[str, str], float],
                                                 dict[str, float]]:
    """Seconds per assignment, scores, and from the command's summary: its start-up (process,
    imports, reading the submissions) and one worker's seconds per student (kernel included)."""
    seconds, scores, parts = {}, {}, {}
    for a in ASSIGNMENTS:
        out = work / "out"
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "autograder", "grade", a, "--submissions", str(submissions / a),
             "--course-dir", str(work / "course"), "--output-dir", str(out), "--no-progress"],
            cwd=REPO, capture_output=True, text=True)
        seconds[a] = time.perf_counter() - start
        if done.returncode:
            raise RuntimeError(f"autograder grade {a} failed:\n{done.stderr[-3000:]}")
        match = re.search(r"in (\d+\.\d) s \((\d+\.\d+) s per graded student\)", done.stdout)
        if match:
            parts[f"c_{a}_startup_s"] = round(seconds[a] - float(match[1]), 2)
            parts[f"c_{a}_worker_s_per_student"] = float(match[2])
        with open(out / "grades" / f"{a}.csv", newline="") as fh:  # also lists the other
            scores.update({(a, r["student_id"]): float(r["score"]) for r in csv.DictReader(fh)
                           if (submissions / a / r["student_id"]).is_dir()})  # class: skip them
    return seconds, scores, parts


# ---- where the time goes -------------------------------------------------------------------

TORCH_OPTIM = """\
p = torch.zeros(3, requires_grad=True)
opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
for _ in range(50):
    opt.zero_grad(); ((p - 1) ** 2).sum().backward(); opt.step()
"""


def kernel_costs() -> dict[str, float]:
    """Median seconds of kernel start, imports and shutdown (plain kernels, jupyter_client)."""
    from jupyter_client.manager import start_new_kernel

    samples: dict[str, list[float]] = {k: [] for k in (
        "kernel_start_s", "import_numpy_s", "import_torch_s", "torch_optim_50_steps_s",
        "shutdown_graceful_after_torch_s", "shutdown_immediate_after_torch_s")}

    def timed(fn) -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    with tempfile.TemporaryDirectory() as cwd:
        for i in range(REPEATS):
            for mode in ("graceful", "immediate"):
                start = time.perf_counter()
                km, kc = start_new_kernel(kernel_name="python3", env=grading_environment(), cwd=cwd)
                samples["kernel_start_s"].append(time.perf_counter() - start)
                try:
                    numpy_s = timed(lambda: kc.execute_interactive("import numpy", timeout=120))
                    torch_s = timed(lambda: kc.execute_interactive("import torch", timeout=120))
                    # What ps2's hidden tests do in plain nbgrader: autograd's threads start,
                    # and a graceful shutdown then waits for them (~1 s more than after import).
                    optim_s = timed(lambda: kc.execute_interactive(TORCH_OPTIM, timeout=120))
                    if mode == "graceful":
                        samples["import_numpy_s"].append(numpy_s)
                        samples["import_torch_s"].append(torch_s)
                        samples["torch_optim_50_steps_s"].append(optim_s)
                    kc.stop_channels()
                finally:
                    samples[f"shutdown_{mode}_after_torch_s"].append(
                        timed(lambda: km.shutdown_kernel(now=mode == "immediate")))
    return {k: round(statistics.median(v), 3) for k, v in samples.items()}


# ---- this grader against another checkout of it ---------------------------------------------

BEFORE_ENV = "GRADER_THROUGHPUT_BEFORE"


def _in_checkout(checkout: Path) -> dict:
    """The environment in which ``python -m autograder`` imports that checkout's packages."""
    env = grading_environment()
    env["PYTHONPATH"] = os.pathsep.join([str(checkout), str(checkout / "tests")])
    return env


def _grade_once(checkout: Path, assignment: str, submissions: Path, work: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", assignment, "--submissions",
         str(submissions / assignment), "--course-dir", str(work / "course"), "--output-dir",
         str(work / "out"), "--no-progress"],
        cwd=checkout, env=_in_checkout(checkout), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{checkout}: autograder grade {assignment} failed:\n"
                           f"{done.stderr[-3000:]}")
    return seconds


def compare(before: Path, rounds: int = 2) -> dict:
    """Class throughput of this checkout against ``before``, interleaved in one run."""
    before = Path(before).resolve()
    if not (before / "autograder" / "__main__.py").is_file():
        raise SystemExit(f"{before} is not a checkout of this repository (no autograder/): "
                         "make one with `git archive COMMIT | tar -x -C DIR`")
    checkouts = {"after": REPO, "before": before}
    seconds = {(v, a): 0.0 for v in checkouts for a in ASSIGNMENTS}
    load = []
    with tempfile.TemporaryDirectory(prefix="grader-compare-") as tmp:
        tmp = Path(tmp)
        for version, checkout in checkouts.items():  # each from its own release and variants
            done = subprocess.run(
                [sys.executable, "-c", "import sys; from pathlib import Path; "
                 "from benchmarks.grader_throughput import write_class; "
                 "write_class(Path(sys.argv[1]))", str(tmp / version / "subs")],
                cwd=checkout, env=_in_checkout(checkout), capture_output=True, text=True)
            if done.returncode:
                raise RuntimeError(f"{checkout}: writing the class failed:\n{done.stderr[-3000:]}")
        for r in range(rounds):
            for i, a in enumerate(ASSIGNMENTS):
                order = list(checkouts) if (r + i) % 2 == 0 else list(reversed(checkouts))
                for version in order:
                    load.append(os.getloadavg()[0])
                    seconds[version, a] += _grade_once(checkouts[version], a,
                                                       tmp / version / "subs",
                                                       tmp / version / f"round{r}-{a}")
    figures = {"before_checkout": str(before), "rounds": rounds}
    for a in ASSIGNMENTS:
        for version in checkouts:
            figures[f"{version}_{a}_s_per_notebook"] = round(
                seconds[version, a] / (rounds * PER_ASSIGNMENT), 3)
        figures[f"ratio_after_over_before_{a}"] = round(
            seconds["after", a] / seconds["before", a], 3)
    total = {v: sum(seconds[v, a] for a in ASSIGNMENTS) for v in checkouts}
    figures["before_s"], figures["after_s"] = round(total["before"], 1), round(total["after"], 1)
    figures["ratio_after_over_before"] = round(total["after"] / total["before"], 3)
    figures["loadavg_1min_min"] = round(min(load), 2)
    figures["loadavg_1min_mean"] = round(statistics.mean(load), 2)
    figures["loadavg_1min_max"] = round(max(load), 2)
    return figures


def run() -> dict:
    # Other work on the machine skews every figure: say how busy it was.
    figures: dict = {"cpus": os.cpu_count(), "notebooks": PER_ASSIGNMENT * len(ASSIGNMENTS),
                     "loadavg_1min_at_start": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory(prefix="grader-throughput-") as tmp:
        tmp = Path(tmp)
        write_class(tmp / "subs")
        n = PER_ASSIGNMENT
        timings = {}
        for key, extra in (("a", []), ("b", ["--Execute.shutdown_kernel=immediate"])):
            root = plain_course(tmp / f"plain_{key}", tmp / "subs")
            per = {a: _nbgrader(root, "autograde", a, *extra) for a in ASSIGNMENTS}
            timings[key] = per
            if key == "a":
                plain = plain_scores(root)
        per_c, mine, parts = ours(tmp / "ours", tmp / "subs")
        timings["c"] = per_c

    for key, label in (("a", "plain_nbgrader"), ("b", "tuned_nbgrader"), ("c", "this_grader")):
        total = sum(timings[key].values())
        figures[f"{key}_{label}_s"] = round(total, 1)
        figures[f"{key}_per_notebook_s"] = round(total / (n * len(ASSIGNMENTS)), 3)
        for a in ASSIGNMENTS:
            figures[f"{key}_{a}_per_notebook_s"] = round(timings[key][a] / n, 3)
    figures.update(parts)
    figures["ratio_a_over_c"] = round(figures["a_plain_nbgrader_s"] / figures["c_this_grader_s"], 2)
    figures["ratio_b_over_c"] = round(figures["b_tuned_nbgrader_s"] / figures["c_this_grader_s"], 2)
    differ = sorted(f"{a}/{s}: plain {plain.get((a, s))} vs ours {mine.get((a, s))}"
                    for a, s in set(plain) | set(mine) if plain.get((a, s)) != mine.get((a, s)))
    figures["scores_agree_a_vs_c"] = not differ
    if differ:
        figures["scores_differ"] = "; ".join(differ[:5])

    figures["loadavg_1min_after_grading"] = round(os.getloadavg()[0], 2)
    costs = kernel_costs()
    figures.update(costs)
    # Estimate: what (a) spends per notebook beyond kernel start, imports and shutdown.
    base = costs["kernel_start_s"] + costs["import_numpy_s"]
    figures["a_ps1_rest_per_notebook_s"] = round(figures["a_ps1_per_notebook_s"] - base, 3)
    figures["a_ps2_rest_per_notebook_s"] = round(
        figures["a_ps2_per_notebook_s"] - base - costs["import_torch_s"]
        - costs["shutdown_graceful_after_torch_s"], 3)
    if os.environ.get(BEFORE_ENV):
        figures.update({f"vs_before_{k}": v for k, v in compare(Path(os.environ[BEFORE_ENV])).items()})
    return figures


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Grading throughput (see the module docstring).")
    parser.add_argument("--before", type=Path, help="another checkout: compare with it only")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (--before)")
    args = parser.parse_args()
    figures = compare(args.before, args.rounds) if args.before else run()
    for key, value in figures.items():
        print(f"{key}: {value}")
