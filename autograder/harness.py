"""The name hidden test cells import: ``from autograder.harness import run_group``.

Here (outside the sandbox: an instructor running a solution notebook) ``run_group`` runs a
group's checks whole and raises if one fails (decide/checks.py). A grading kernel has its own
``autograder.harness`` (sandbox/bundle.py), which only observes and publishes
(kernel_side/harness.py); the grader decides.
"""
from autograder.decide.checks import run_group  # noqa: F401
