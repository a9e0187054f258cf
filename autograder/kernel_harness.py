"""``autograder.harness`` as the sandboxed grading kernel sees it: stage 2 (observe) only.

kernel_bundle.py installs this file as ``autograder/harness.py`` in the kernel's read-only
bundle, beside plaindata.py, the generated observer modules and the pickled inputs. A hidden
test cell's ``run_group(assignment, group, globals())`` calls the student's functions through
each check's observe() on the grader's inputs and publishes what they did as one display_data
output of type plaindata.MIME (plaindata-encoded, base64). It decides nothing and raises for no
failed check: the grader decodes the record and judges it (verdict.py).

Everything here runs beside student code, which can replace any of it; verdict.py is written so
that doing so cannot earn points (see its docstring). This module only has to be right for
students who leave it alone.
"""
from __future__ import annotations

import base64
import importlib
import pickle
from pathlib import Path

from autograder.plaindata import (MIME, UnusableResult, as_array, compare,  # noqa: F401
                                  encode, observe_call)

_BUNDLE = Path(__file__).resolve().parent.parent
_payloads: dict = {}


def _payload(assignment: str) -> dict:
    if assignment not in _payloads:
        with open(_BUNDLE / "payload" / f"{assignment}.pickle", "rb") as fh:
            _payloads[assignment] = pickle.load(fh)
    return _payloads[assignment]


def _plain(record: dict, function: str) -> dict:
    try:
        encode(record)
        return record
    except TypeError as exc:
        return {"error": f"`{function}` returned something that is not plain data ({exc})",
                "unusable": True}


def run_group(assignment: str, group_name: str, namespace: dict) -> None:
    """Observe every run of the group's checks; publish the records for the grader."""
    checks = _payload(assignment)["groups"][group_name]
    records = []
    for check in checks:
        module, name = check["observe"]
        observe = getattr(importlib.import_module(module), name)
        for _seed, inp in check["runs"]:
            obs = observe_call(observe, check["function"], tuple(check["uses"]), namespace, inp)
            records.append(_plain(obs, check["function"]))
    data = encode({"assignment": assignment, "group": group_name, "records": records})
    from IPython.display import publish_display_data

    publish_display_data({MIME: base64.b64encode(data).decode("ascii")})
    print(f"The hidden checks in '{group_name}' ran; the grader decides them (see your feedback).")
