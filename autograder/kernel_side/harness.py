"""What hidden and visible test cells call in the sandboxed kernel: observe and publish, never decide.

In the kernel, ``autograder.harness`` re-exports this module (sandbox/bundle.py). A hidden test
cell's ``run_group(assignment, group, globals())`` calls the student's functions through each
check's observe() on the grader's inputs (payload/<assignment>.pickle) and publishes what they
did as one display_data output of type plaindata.MIME; :func:`run_visible` runs a visible test
with the student's functions recording their results. The grader decides (decide/verdict.py).
Student code can replace anything here; this module only has to be right for students who
leave it alone.
"""
from __future__ import annotations

import base64
import importlib
import pickle
from pathlib import Path

from autograder.kernel_side.plaindata import (MAX_ITEMS, MIME, UnusableResult, as_array,  # noqa: F401
                                  compare, encode, observe_call, short_error, to_live, to_plain)

_BUNDLE = Path(__file__).resolve().parents[2]  # <bundle>/autograder/kernel_side/harness.py
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


def _publish(record: dict) -> None:
    from IPython.display import publish_display_data

    publish_display_data({MIME: base64.b64encode(encode(record)).decode("ascii")})


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
    _publish({"assignment": assignment, "group": group_name, "records": records})
    print(f"The hidden checks in '{group_name}' ran; the grader decides them (see your feedback).")


# ---- visible tests ------------------------------------------------------------------------------

def record_visible(namespace: dict, functions: tuple, source: str, filename: str,
                   calls: list) -> None:
    """Run a visible test's ``source`` in ``namespace`` with every student function named in
    ``functions`` recording its result into ``calls`` as plain data; the test goes on with those
    plain copies, exactly what the grader's replay (visible.py) will give it. Exceptions
    propagate, as they would from the cell itself."""
    import itertools
    from collections.abc import Iterator

    depth = 0  # only the test's own calls are recorded, not those one function makes to another

    def recorder(name, fn):
        def call(*args, **kwargs):
            nonlocal depth
            if depth:
                return fn(*args, **kwargs)
            depth += 1
            try:
                out = fn(*args, **kwargs)
                if isinstance(out, Iterator):  # a generator: what it yields is the result
                    kind, out = "iterator", list(itertools.islice(out, MAX_ITEMS + 1))
                else:
                    kind = "value"
            except Exception as exc:
                calls.append({"function": name, "raised": short_error(exc)})
                raise
            finally:
                depth -= 1
            try:
                if kind == "iterator" and len(out) > MAX_ITEMS:
                    raise UnusableResult(f"`{name}` yielded more than {MAX_ITEMS} items")
                plain = to_plain(out, f"what `{name}` returned")
            except UnusableResult as exc:
                calls.append({"function": name, "unusable": str(exc)})
                raise TypeError(str(exc)) from None
            calls.append({"function": name, kind: plain})
            live = to_live(plain)
            return iter(live) if kind == "iterator" else live
        return call

    originals = {n: namespace[n] for n in functions if callable(namespace.get(n))}
    namespace.update({n: recorder(n, fn) for n, fn in originals.items()})
    try:
        exec(compile(source, filename, "exec"), namespace)
    finally:
        namespace.update(originals)


def run_visible(assignment: str, grade_id: str, namespace: dict, functions: tuple,
                source: str) -> None:
    """A visible test cell as graded: run and recorded here, decided by the grader's replay."""
    calls: list = []
    try:
        record_visible(namespace, functions, source, f"<visible test {grade_id}>", calls)
    finally:
        _publish({"assignment": assignment, "visible": grade_id, "calls": calls})
