"""On-disk cache for experiments: each result is computed once per change of its code or its
arguments, and the book build and the claim tests read the same stored result.

    @cached
    def momentum_sweep(rhos, steps=200, seed=0): ...   # returns plain data (numbers, arrays)

The key hashes the function's qualified name, its arguments, the source of every trainlab
module the result can depend on (the defining module and the trainlab modules it imports,
transitively), and the numpy and torch versions. Results are pickled under ``cache_dir()``; writes are atomic, and a
corrupt or unreadable entry is recomputed, never trusted. ``TRAINLAB_CACHE=off`` turns caching
off (each call computes afresh); ``TRAINLAB_CACHE_DIR`` moves the folder.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import inspect
import os
import pickle
import tempfile
from pathlib import Path

import numpy as np

PACKAGE_DIR = Path(__file__).resolve().parent
_FORMAT = 1  # bump when the on-disk layout changes


def cache_dir() -> Path:
    """Where entries live: $TRAINLAB_CACHE_DIR, else ``.experiment-cache`` beside the package in
    a checkout (shared by ``make book`` and ``make test``), else the user's cache folder."""
    env = os.environ.get("TRAINLAB_CACHE_DIR")
    if env:
        return Path(env)
    root = PACKAGE_DIR.parent
    if (root / "pyproject.toml").exists() and os.access(root, os.W_OK):
        return root / ".experiment-cache"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "trainlab"


def enabled() -> bool:
    return os.environ.get("TRAINLAB_CACHE", "on").lower() not in {"off", "0", "false", "no"}


def _module_file(name: str) -> Path | None:
    """The file of trainlab module ``name`` ("trainlab.experiments.runs"), or None."""
    parts = name.split(".")
    if parts[0] != "trainlab":
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.exists():
            return path
    return None


def _trainlab_imports(path: Path) -> set[Path]:
    """The trainlab modules ``path`` imports (absolute or relative), from its syntax tree."""
    try:
        package = list(path.relative_to(PACKAGE_DIR.parent).parts[:-1])
    except ValueError:  # a module outside trainlab (e.g. a test): only absolute imports count
        package = []
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module.split(".") if node.module else []
            if node.level:
                if not package:
                    continue
                base = package[: len(package) - node.level + 1] + base
            names = [".".join(base)] + [".".join(base + [a.name]) for a in node.names]
        for name in names:
            f = _module_file(name)
            if f is not None:
                found.add(f)
    return found


def dependencies(module_file: str) -> set[Path]:
    """The defining module, every trainlab module it imports (transitively) and this file:
    everything whose source is part of the key."""
    todo, seen = [Path(module_file).resolve(), Path(__file__).resolve()], set()
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(_trainlab_imports(path) - seen)
    return seen


@functools.lru_cache(maxsize=None)
def _source_digest(module_file: str) -> str:
    h = hashlib.sha256()
    for path in sorted(dependencies(module_file)):
        name = path.relative_to(PACKAGE_DIR) if path.is_relative_to(PACKAGE_DIR) else path.name
        h.update(str(name).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _canonical(value) -> bytes:
    """A stable byte form of an argument: arrays by dtype, shape and bytes; containers item by
    item; everything else by repr (which must then be deterministic, e.g. no object ids)."""
    if isinstance(value, np.ndarray):
        return b"nd" + str(value.dtype).encode() + str(value.shape).encode() + value.tobytes()
    if isinstance(value, (list, tuple)):
        return b"[" + b",".join(_canonical(v) for v in value) + b"]"
    if isinstance(value, dict):
        return b"{" + b",".join(_canonical(k) + b":" + _canonical(value[k])
                                for k in sorted(value, key=repr)) + b"}"
    text = repr(value)
    if " at 0x" in text:
        raise TypeError(f"cannot cache on an argument without a stable repr: {text}; pass plain "
                        "numbers, strings, tuples or arrays instead")
    return text.encode()


def key_for(fn, args: tuple, kwargs: dict) -> str:
    """The cache key of ``fn(*args, **kwargs)``, with defaults filled in so that f(x) and
    f(x, steps=<default>) share one entry."""
    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    import torch  # the version is part of the key: results can change with it

    h = hashlib.sha256()
    h.update(f"{_FORMAT}|{fn.__module__}.{fn.__qualname__}|{np.__version__}|{torch.__version__}|".encode())
    h.update(_source_digest(inspect.getsourcefile(fn)).encode())
    h.update(_canonical(dict(bound.arguments)))
    return h.hexdigest()


def cached(fn):
    """Decorator: store ``fn``'s result on disk and return the stored copy on later calls with
    the same arguments and code. The result must be picklable plain data. Each call returns a
    fresh copy, so callers may modify what they get."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not enabled():
            return fn(*args, **kwargs)
        key = key_for(fn, args, kwargs)
        path = cache_dir() / f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__qualname__}" / f"{key}.pkl"
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            pass
        except Exception:  # truncated or unreadable entry: recompute and overwrite it
            pass
        result = fn(*args, **kwargs)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: a reader never sees half an entry
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return pickle.loads(pickle.dumps(result))

    wrapper.uncached = fn
    return wrapper
