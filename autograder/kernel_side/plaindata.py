"""Plain data shared by the grader and the sandboxed kernel: no autograder imports, numpy only.

This module is copied into the student's sandbox (see sandbox/bundle.py), so it holds nothing
secret: the conversions observe() uses (:func:`as_array`, :class:`UnusableResult`), the generic
tolerance comparison, and the codec that carries observations out of the kernel.

The codec exists because the grader must never unpickle anything the student's process made
(unpickling runs code). An observation crosses as one bytes string::

    MAGIC | 8-byte little-endian length of the JSON tree | JSON tree | raw array bytes

where the tree holds only JSON primitives and tagged nodes ``{"d": [[key, node], ...]}`` (dict
with str keys), ``{"l": [...]}`` (list), ``{"t": [...]}`` (tuple), ``{"a": [dtype, shape,
offset, nbytes]}`` (ndarray) and ``{"s": [dtype, offset, nbytes]}`` (numpy scalar). Decoding
builds only built-in types and numeric numpy arrays (dtype kinds b, i, u, f, c), checks every
bound, and rejects anything else, so whatever bytes the student forges the grader gets either
plain data or :class:`DecodeError`.
"""
from __future__ import annotations

import json
import traceback
from typing import Any

import numpy as np

MAGIC = b"AGOBS1\n"
MIME = "application/vnd.autograder.observation"  # the display_data key the kernel publishes
_NUMERIC_KINDS = "biufc"
_PRIMITIVES = (type(None), bool, int, float, str)
MAX_DEPTH = 64


class UnusableResult(Exception):
    """Raised by an observe() when the student's function returned something that is not data
    (e.g. a dict where an array was promised); reported as "returned", not as "raised"."""


class DecodeError(ValueError):
    """Bytes that are not an observation this codec wrote (truncated, forged, too large)."""


def as_array(value: Any, what: str) -> np.ndarray:
    """A student's result as a plain numpy array (a copy, never the student's own object).

    Observations must be plain data, so the judge (in the grader's process) never touches an
    object whose comparisons or conversions the student could have overridden.
    """
    try:
        arr = np.array(value, copy=True, subok=False)
    except Exception as exc:
        raise UnusableResult(f"{what} could not be read as an array ({type(value).__name__}: {exc})")
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise UnusableResult(f"{what} should hold numbers, got {type(value).__name__} "
                             f"with dtype {arr.dtype}")
    return arr


def compare(name: str, actual: Any, expected: Any, rtol: float, atol: float) -> list[str]:
    """Elementwise |a - e| <= atol + rtol * |e|, with shape checked first. Returns failures."""
    a = np.asarray(actual)
    e = np.asarray(expected)
    if a.shape != e.shape:
        return [f"{name} has shape {a.shape}, expected {e.shape}"]
    if not np.issubdtype(a.dtype, np.number):
        return [f"{name} has dtype {a.dtype}, expected numbers"]
    a = a.astype(np.float64)
    bad = ~(np.abs(a - e) <= atol + rtol * np.abs(e))
    if bad.any():
        i = np.unravel_index(np.argmax(np.abs(a - e) * bad), a.shape) if a.ndim else ()
        where = f"at index {tuple(int(k) for k in i)} " if a.ndim else ""
        return [f"{name} is wrong: {where}got {a[i].item()!r}, "
                f"expected {e[i].item()!r} (rtol {rtol:g}, atol {atol:g})"]
    return []


def short_error(exc: BaseException) -> str:
    """``Name: message (line N of your code)``: what a student needs, no harness frames."""
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" (line {last[0].lineno} of your code)" if last and "<ipython" in last[0].filename else ""
    return f"{type(exc).__name__}: {exc}{where}"


# ---- results of any call as plain data (visible tests: kernel_side/harness.record_visible) ---------

MAX_ITEMS = 100_000  # items taken from an iterator a student function returned


def to_plain(value: Any, what: str, depth: int = 0) -> Any:
    """A copy of ``value`` made of plain data only (built-ins, str-keyed dicts, lists, tuples,
    numeric arrays and scalars); anything else that numpy reads as numbers becomes an array.
    Raises UnusableResult naming what could not be converted."""
    if depth > MAX_DEPTH:
        raise UnusableResult(f"{what} is nested too deeply")
    t = type(value)
    if t in _PRIMITIVES:
        return value
    if t is dict:
        if not all(type(k) is str for k in value):
            raise UnusableResult(f"{what} is a dict with keys that are not strings")
        return {k: to_plain(v, f"{what}[{k!r}]", depth + 1) for k, v in value.items()}
    if t is list or t is tuple:
        return t(to_plain(v, f"{what}[{i}]", depth + 1) for i, v in enumerate(value))
    if isinstance(value, np.generic) and value.dtype.kind in _NUMERIC_KINDS:
        return value.dtype.type(value)  # a numpy scalar of a subclass becomes a plain one
    return as_array(value, what)


def to_live(value: Any) -> Any:
    """Plain data as the code using it gets it: fresh, writable copies of arrays."""
    t = type(value)
    if t is dict:
        return {k: to_live(v) for k, v in value.items()}
    if t is list or t is tuple:
        return t(to_live(v) for v in value)
    if t is np.ndarray:
        return value.copy()
    return value


# ---- the codec ----------------------------------------------------------------------------

def encode(value: Any) -> bytes:
    """Plain data -> bytes. Raises TypeError naming the first value that is not plain data."""
    chunks: list[bytes] = []
    size = 0

    def blob(data: bytes) -> int:
        nonlocal size
        chunks.append(data)
        size += len(data)
        return size - len(data)

    def node(v: Any, depth: int):
        if depth > MAX_DEPTH:
            raise TypeError("nested too deeply")
        t = type(v)
        if t in _PRIMITIVES:
            return v
        if t is dict:
            if not all(type(k) is str for k in v):
                raise TypeError("a dict with keys that are not strings")
            return {"d": [[k, node(x, depth + 1)] for k, x in v.items()]}
        if t is list or t is tuple:
            return {"l" if t is list else "t": [node(x, depth + 1) for x in v]}
        if t is np.ndarray or isinstance(v, np.generic):
            if v.dtype.kind not in _NUMERIC_KINDS:
                raise TypeError(f"an array of dtype {v.dtype}")
            data = np.ascontiguousarray(v).tobytes()
            if t is np.ndarray:
                return {"a": [v.dtype.str, list(v.shape), blob(data), len(data)]}
            return {"s": [v.dtype.str, blob(data), len(data)]}
        raise TypeError(f"a {t.__name__}")

    tree = json.dumps(node(value, 0), allow_nan=True).encode()
    return MAGIC + len(tree).to_bytes(8, "little") + tree + b"".join(chunks)


def decode(data: bytes, max_bytes: int) -> Any:
    """bytes -> plain data, or DecodeError. Never builds anything but built-ins and arrays."""
    if not isinstance(data, bytes):
        raise DecodeError("not bytes")
    if len(data) > max_bytes:
        raise DecodeError(f"{len(data)} bytes, more than the limit of {max_bytes}")
    head = len(MAGIC) + 8
    if len(data) < head or not data.startswith(MAGIC):
        raise DecodeError("not an observation record")
    n = int.from_bytes(data[len(MAGIC):head], "little")
    if n > len(data) - head:
        raise DecodeError("truncated")
    buf = memoryview(data)[head + n:]
    try:
        tree = json.loads(data[head:head + n])
    except (ValueError, RecursionError) as exc:
        raise DecodeError(f"unreadable ({type(exc).__name__})") from None

    def array(spec, scalar: bool):
        try:
            if scalar:
                dtype, offset, nbytes = spec
                shape = ()
            else:
                dtype, shape, offset, nbytes = spec
            dt = np.dtype(dtype) if type(dtype) is str and len(dtype) <= 8 else None
        except (TypeError, ValueError):
            raise DecodeError("a malformed array") from None
        if dt is None or dt.kind not in _NUMERIC_KINDS or dt.hasobject or dt.fields:
            raise DecodeError(f"an array of a non-numeric dtype {dtype!r}")
        if (type(shape) not in (list, tuple) or len(shape) > 32
                or not all(type(s) is int and s >= 0 for s in shape)
                or not all(type(x) is int and x >= 0 for x in (offset, nbytes))):
            raise DecodeError("a malformed array")
        count = int(np.prod(shape, dtype=object)) if shape else 1
        if count * dt.itemsize != nbytes or offset + nbytes > len(buf):
            raise DecodeError("an array whose size does not match its bytes")
        arr = np.frombuffer(buf, dtype=dt, count=count, offset=offset).reshape(shape).copy()
        return arr[()] if scalar else arr

    def build(v, depth: int):
        if depth > MAX_DEPTH:
            raise DecodeError("nested too deeply")
        t = type(v)
        if t in _PRIMITIVES:
            return v
        if t is not dict or len(v) != 1:
            raise DecodeError("an unknown node")
        (tag, body), = v.items()
        if tag in ("l", "t") and type(body) is list:
            items = [build(x, depth + 1) for x in body]
            return items if tag == "l" else tuple(items)
        if tag == "d" and type(body) is list:
            out = {}
            for pair in body:
                if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                    raise DecodeError("a malformed dict")
                out[pair[0]] = build(pair[1], depth + 1)
            return out
        if tag in ("a", "s") and type(body) is list:
            return array(body, scalar=tag == "s")
        raise DecodeError("an unknown node")

    try:
        return build(tree, 0)
    except RecursionError:
        raise DecodeError("nested too deeply") from None


# ---- the form of an observation ----------------------------------------------------------------

def form(value: Any) -> Any:
    """The shape of plain data without its values: container kinds, dict keys, list lengths and
    the kind of each leaf. Two observations with the same form went through the same steps."""
    t = type(value)
    if t is dict:
        return ("dict", tuple((k, form(v)) for k, v in sorted(value.items())))
    if t in (list, tuple):
        return (t.__name__, tuple(form(v) for v in value))
    if t is np.ndarray:
        return "array"
    if isinstance(value, np.generic):
        return "scalar"
    return t.__name__


def first_difference(actual: Any, expected: Any, path: str = "") -> str | None:
    """Where the form of ``actual`` departs from ``expected`` (both from :func:`form`), or None."""
    if actual == expected:
        return None
    where = path or "the record"
    if type(actual) is tuple and type(expected) is tuple and actual[0] == expected[0]:
        kind, a, e = actual[0], actual[1], expected[1]
        if kind == "dict":
            ka, ke = [k for k, _ in a], [k for k, _ in e]
            if ka != ke:
                return f"{where} has keys {ka}, expected {ke}"
            for (k, fa), (_, fe) in zip(a, e):
                found = first_difference(fa, fe, f"{path}[{k!r}]")
                if found:
                    return found
        if len(a) != len(e):
            return f"{where} has {len(a)} entries, expected {len(e)}"
        for i, (fa, fe) in enumerate(zip(a, e)):
            found = first_difference(fa, fe, f"{path}[{i}]")
            if found:
                return found
        return None
    name = lambda f: f[0] if type(f) is tuple else f  # noqa: E731
    return f"{where} is a {name(actual)}, expected a {name(expected)}"


# ---- stage 2, shared by the in-process harness and the sandboxed kernel --------------------

def observe_call(observe, function: str, uses: tuple, namespace: dict, inp: dict) -> dict:
    """What the student's ``function`` (looked up in ``namespace``) did with ``inp``, as plain data.

    A student exception is recorded as ``{"error": ...}``; it is data like any other result.
    """
    import copy

    fn = namespace.get(function)
    if not callable(fn):
        return {"error": f"`{function}` is not defined; run the cell that defines it"}
    # A deep copy: student code may modify its arguments in place, and the judge must still see
    # the inputs as they were generated.
    call_inp = copy.deepcopy(inp)
    call_inp["_functions"] = {name: namespace.get(name) for name in uses}
    try:
        return observe(fn, call_inp)
    except UnusableResult as exc:
        return {"error": str(exc), "unusable": True}
    except Exception as exc:  # student code may raise anything; that is a failed check
        return {"error": short_error(exc)}
