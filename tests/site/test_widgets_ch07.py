"""The chapter 7 demo (TransferFreeze): its bundle, its traits, and that the browser picks and
reports the precomputed curve each setting names (nothing is trained in the browser)."""
from __future__ import annotations

import pytest
import traitlets

from support.node_bridge import call_js
from support.widget_checks import state_of
from trainlab.widgets import TransferFreeze

STEPS = [0, 10, 25, 50, 100]


def fake_grid():
    """demo_grid()'s layout with recognisable numbers: curve value = a code of its setting."""
    curves = {}
    for n in (3, 30):
        curves[f"{n}/scratch"] = [0.1, 0.2, 0.3, 0.4, 0.5 + n / 1000]
        for k in (0, 1, 2):
            for m in ((0.01, 0.1, 1.0) if k < 2 else (0.01,)):
                curves[f"{n}/{k}/{m:g}"] = [0.1] + [round(0.6 + 0.1 * k + m / 10 + n / 1000, 6)] * 4
    return {"sizes": [3, 30], "frozen": [0, 1, 2], "mults": [0.01, 0.1, 1.0], "steps": STEPS,
            "curves": curves}


def demo(**kw):
    return TransferFreeze.from_experiment(fake_grid(), **kw)


def test_without_data_the_demo_says_how_to_get_it():
    (r,) = call_js([("transfer_freeze.js", "compute", [state_of(TransferFreeze())])])
    assert "demo_grid()" in r["readout"] and r["chosen"] == []


def test_data_for_another_grid_is_refused_naming_the_offered_values():
    grid = fake_grid()
    grid["sizes"] = [3, 10]
    with pytest.raises(traitlets.TraitError, match=r"data\['sizes'\] is \[3, 10\].*per_class"):
        TransferFreeze.from_experiment(grid)


@pytest.mark.parametrize("per_class,frozen,mult", [(3, 0, 0.1), (30, 1, 1.0), (30, 0, 0.01),
                                                   (3, 2, 1.0), (30, 2, 0.01)])
def test_the_browser_shows_the_curve_the_setting_names(per_class, frozen, mult, tmp_path):
    w = demo(per_class=per_class, frozen=frozen, backbone_mult=mult)
    state = {"per_class": w.per_class, "frozen": w.frozen, "backbone_mult": w.backbone_mult}
    file = tmp_path / "bundled.mjs"
    file.write_text(w._esm)
    bundled, source = call_js([(str(file), "compute", [state_of(w)]),
                               ("transfer_freeze.js", "computeTransferFreeze", [w.data, state])])
    assert bundled == source
    key = f"{per_class}/{frozen}/{mult:g}" if frozen < 2 else f"{per_class}/2/0.01"
    assert [p[1] for p in source["chosen"]] == w.data["curves"][key]
    assert [p[0] for p in source["chosen"]] == STEPS
    assert [p[1] for p in source["scratch"]] == w.data["curves"][f"{per_class}/scratch"]
    assert source["isProbe"] == (frozen == 2)
    final = w.data["curves"][key][-1]
    assert f"{final:.3f}" in source["readout"] and f"{per_class} labelled" in source["readout"]


@pytest.mark.parametrize("name,value,match", [
    ("frozen", 3, r"frozen must be between 0 and 2"),
    ("per_class", 7, r"per_class must be one of 3, 30"),
    ("backbone_mult", 0.5, r"backbone_mult must be one of 0.01, 0.1, 1.0"),
])
def test_bad_input_raises_a_trait_error_naming_the_trait_and_the_allowed_values(name, value, match):
    with pytest.raises(traitlets.TraitError, match=match):
        demo(**{name: value})
    w = demo()
    with pytest.raises(traitlets.TraitError, match=match):
        setattr(w, name, value)


def test_data_without_the_grid_keys_is_refused_with_what_is_missing():
    with pytest.raises(traitlets.TraitError, match=r"missing \['curves'"):
        TransferFreeze(data={"sizes": [3], "frozen": [0], "mults": [0.1], "steps": [0]})


def test_the_embedded_data_are_plain_json():
    import json

    w = demo()
    assert json.loads(json.dumps(w.data)) == w.data
