"""Call functions of the real ES modules in trainlab/js/ from pytest, through node (call.mjs).

One node process per batch of calls: start-up (~50 ms) dominates, so tests batch their calls.
"""
from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "js"  # call.mjs and the other node helpers
NODE = shutil.which("node") or "/usr/bin/node"


class JSError(RuntimeError):
    """A JavaScript function called through call_js threw; the message is the JS error's."""


def _decode(value):
    # call.mjs sends non-finite numbers as strings; turn them back into floats.
    if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
        return float(value.replace("Infinity", "inf"))
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    return value


def _encode(value):
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("JSON cannot carry NaN/inf to node; pass finite inputs")
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _encode(value.tolist())
    return value


def call_js(calls, timeout=120):
    """Run ``calls`` = [(module, fn, args), ...] in one node process; return their results."""
    if not Path(NODE).exists():
        raise RuntimeError("node is required for the JS tests; install Node 20 (apt-get install nodejs)")
    request = [{"module": str(m), "fn": fn, "args": _encode(list(args))} for m, fn, args in calls]
    proc = subprocess.run([NODE, str(HERE / "call.mjs")], input=json.dumps(request),
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"node failed (exit {proc.returncode}):\n{proc.stderr}")
    results = _decode(json.loads(proc.stdout))
    for (module, fn, _), result in zip(calls, results):
        if isinstance(result, dict) and "__error__" in result:
            raise JSError(f"{module}:{fn} threw {result['__error__']}")
    return results
