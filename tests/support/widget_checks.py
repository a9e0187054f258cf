"""Checks shared by the widget tests: which demo classes there are, what a demo's bundle must
hold, how a bad trait value must fail (tests/site/test_widget_contract.py runs them on every
demo, with the per-demo cases of support/demo_cases.py)."""
from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
from pathlib import Path

import pytest
import traitlets

from support.node_bridge import HERE as JS, NODE, call_js


def widget_classes() -> list[type]:
    """Every Demo subclass defined in a module of trainlab.widgets (not anywidget's per-instance
    subclasses, which are not importable by name), sorted by name."""
    import trainlab.widgets
    from trainlab.widgets._base import Demo

    for info in pkgutil.walk_packages(trainlab.widgets.__path__, "trainlab.widgets."):
        importlib.import_module(info.name)
    found, stack = [], list(Demo.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        module = importlib.import_module(cls.__module__)
        if cls.__module__.startswith("trainlab.widgets.") and getattr(module, cls.__name__, None) is cls:
            found.append(cls)
    return sorted(set(found), key=lambda c: c.__name__)


LOCAL_IMPORT = re.compile(r"""^import\s[^;]*?from\s+["']\./([\w.]+)\.js["']""", re.MULTILINE)


def js_imports(js_dir: Path, module: str) -> set[str]:
    """Stems of the local modules ``module`` imports, directly or through them."""
    seen, todo = set(), [module]
    while todo:
        text = (js_dir / todo.pop()).read_text(encoding="utf-8")
        for stem in LOCAL_IMPORT.findall(text):
            if stem not in seen:
                seen.add(stem)
                todo.append(f"{stem}.js")
    return seen


def check_bundled_esm(cls, tmp_path: Path, shared: set[str]) -> None:
    """The widget's _esm is one valid ES module: no imports left, each shared module (``shared``:
    names like "__mod_optim") inlined once, and the ``export default { render }`` anywidget needs."""
    esm = cls()._esm
    assert not re.search(r"^\s*import\b", esm, re.MULTILINE), "an import survived bundling"
    assert not re.search(r"from\s+[\"']\.\.?/", esm), "a relative import survived bundling"
    names = re.findall(r"^const (__mod_\w+) = \(\(\) => \{", esm, re.MULTILINE)
    assert len(names) == len(set(names)) and shared <= set(names)
    file = tmp_path / "widget.mjs"
    file.write_text(esm)
    check = subprocess.run([NODE, "--check", str(file)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    (info,) = call_js([(str(JS / "bundle_check.mjs"), "check", [str(file)])])
    assert info["renderIsFunction"], "anywidget needs `export default { render }`"


def check_rejects(cls, name: str, value, match: str, make=None) -> None:
    """A bad value raises a TraitError matching ``match``, at construction and when set.
    ``make(**traits)`` builds the widget (default: the class itself)."""
    make = make or cls
    with pytest.raises(traitlets.TraitError, match=match):
        make(**{name: value})
    w = make()
    with pytest.raises(traitlets.TraitError, match=match):
        setattr(w, name, value)


def state_of(widget) -> dict:
    """The synced traits a demo's JS computes from (not the title or ipywidgets' own)."""
    skip = {"title", "layout", "tabbable", "tooltip", "comm", "keys", "log"}
    return {k: getattr(widget, k) for k in widget.traits(sync=True)
            if not k.startswith("_") and k not in skip}


def compute_call(widget) -> tuple:
    """(module, "compute", [state]) for call_js: the widget's demo computation at its traits."""
    return type(widget).JS, "compute", [state_of(widget)]
