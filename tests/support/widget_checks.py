"""Checks shared by the widget tests (tests/site/test_widget_contract.py runs them on every
demo; the per-chapter widget tests use them for their own cases)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import traitlets

from support.node_bridge import HERE as JS, NODE, call_js


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


def check_rejects(cls, name: str, value, match: str) -> None:
    """A bad value raises a TraitError matching ``match``, at construction and when set."""
    with pytest.raises(traitlets.TraitError, match=match):
        cls(**{name: value})
    w = cls()
    with pytest.raises(traitlets.TraitError, match=match):
        setattr(w, name, value)


def state_of(widget) -> dict:
    """The synced traits a demo's JS computes from (not the title or ipywidgets' own)."""
    skip = {"title", "layout", "tabbable", "tooltip", "comm", "keys", "log"}
    return {k: getattr(widget, k) for k in widget.traits(sync=True)
            if not k.startswith("_") and k not in skip}
