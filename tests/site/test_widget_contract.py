"""The contract every live demo keeps, checked for every widget class in trainlab.widgets and
every demo module in trainlab/js: a new demo is tested by adding it (and its rows in
support/demo_cases.py), not by adding a test file. What each demo computes is checked against
torch / numpy in test_demo_compute.py.

A demo module is a trainlab/js/*.js file with `export default { render }`. Per widget class:
its bundle is one valid ES module holding each module it imports once (controls, plot and
palette at least); it has a title; its defaults lie within LIMITS and CHOICES; values outside
them fail with an error naming the class, the trait and what is allowed, and so do the bad
inputs listed per demo; its JS sliders and menus agree with its traits. Per demo module: it is
some widget's JS; its exported `compute(state)` runs in node at that widget's defaults,
identically from the sources and from the bundle, and says something in its readout; its view
has one `render` (anywidget's entry) and redraws through `liveRender(..., redraw)`.
"""
from __future__ import annotations

import json
import math
import re

import pytest
import traitlets

import trainlab.widgets
from support.demo_cases import BAD_INPUT, MAKE, MENUS, SLIDER_GRIDS
from support.demo_page import TRANSFER_STEPS, transfer_grid
from support.node_bridge import call_js
from support.widget_checks import check_bundled_esm, check_rejects, js_imports, state_of, widget_classes
from trainlab.widgets import OptimizerRace, QuadraticGD, SaddleNoise, TransferFreeze
from trainlab.widgets import race as race_py
from trainlab.widgets.bundle import JS_DIR

SHARED = {"__mod_controls", "__mod_plot", "__mod_palette"}


def demo_modules() -> list[str]:
    return sorted(p.name for p in JS_DIR.glob("*.js")
                  if re.search(r"^export default\b", p.read_text(encoding="utf-8"), re.MULTILINE))


WIDGETS = widget_classes()
MODULES = demo_modules()
by_name = pytest.mark.parametrize("cls", WIDGETS, ids=lambda c: c.__name__)


def js_of(cls) -> str:
    assert cls.JS, f"{cls.__name__} must set JS = '<demo>.js' (its module in trainlab/js)"
    return cls.JS


def test_discovery_finds_the_book_s_demos():
    names = {c.__name__ for c in WIDGETS}
    assert {"QuadraticGD", "SaddleNoise", "OptimizerRace", "MomentumRho", "AdamBiasCorrection",
            "AdagradVsRmsprop"} <= names
    assert {"race.js", "quadratic_gd.js"} <= set(MODULES)


def test_every_demo_module_belongs_to_a_widget_and_every_widget_has_one():
    used = {js_of(c) for c in WIDGETS}
    assert set(MODULES) <= used, f"demo modules no widget uses: {sorted(set(MODULES) - used)}"
    assert used <= set(MODULES), f"widgets whose JS is missing or has no default export: " \
                                 f"{sorted(used - set(MODULES))}"


def test_every_widget_is_exported_by_the_package():
    missing = [c.__name__ for c in WIDGETS if getattr(trainlab.widgets, c.__name__, None) is not c]
    assert not missing, f"add to trainlab/widgets/__init__.py: {missing}"


@by_name
def test_bundle_is_one_module_built_on_the_shared_pieces(cls, tmp_path):
    imported = {f"__mod_{stem}" for stem in js_imports(JS_DIR, js_of(cls))}
    assert SHARED <= imported, f"{cls.JS} must build on controls.js, plot.js and palette.js"
    check_bundled_esm(cls, tmp_path, imported)


@by_name
def test_has_a_title_shown_by_its_js(cls):
    assert cls.TITLE.strip() and cls().title == cls.TITLE
    assert cls(title="Another title").title == "Another title"
    with pytest.raises(traitlets.TraitError, match=rf"{cls.__name__}\.title must be a non-empty"):
        cls(title="  ")
    source = (JS_DIR / js_of(cls)).read_text(encoding="utf-8")
    assert 'title: model.get("title")' in source, f"{cls.JS} must pass the title to demoRoot"


@by_name
def test_defaults_lie_within_limits_and_choices(cls):
    w = cls()
    assert w._limits == {k: list(v) for k, v in cls.LIMITS.items()}
    for name, (lo, hi) in cls.LIMITS.items():
        if name in w.traits():
            value = getattr(w, name)
            assert value is None or lo <= value <= hi, (name, value)
    for name, allowed in cls.CHOICES.items():
        assert getattr(w, name) in allowed, name
    state = w.get_state()
    assert {"_esm", "_css", "_limits", "title"} <= set(state)


def _outside(trait, lo, hi):
    """Values just outside [lo, hi] of the trait's type."""
    if isinstance(trait, traitlets.Int):
        return [math.floor(lo) - 1, math.ceil(hi) + 1]
    span = (hi - lo) or 1.0
    return [lo - span, hi + span]


@by_name
def test_values_outside_limits_fail_with_the_trait_and_its_range(cls):
    for name in cls.ABOUT:
        trait = cls.class_traits()[name]
        lo, hi = cls.LIMITS[name]
        for value in _outside(trait, lo, hi):
            with pytest.raises(traitlets.TraitError,
                               match=rf"{cls.__name__}\.{name} must be between {re.escape(str(lo))} "
                                     rf"and {re.escape(str(hi))}"):
                cls(**{name: value})


@by_name
def test_values_outside_choices_fail_with_the_allowed_values(cls):
    for name, allowed in cls.CHOICES.items():
        # A value of the choices' own type that is not among them (numeric menus included).
        bad = max(allowed) + 1 if all(isinstance(a, (int, float)) for a in allowed) else "no such choice"
        with pytest.raises(traitlets.TraitError,
                           match=rf"{cls.__name__}\.{name} must be one of {re.escape(repr(allowed[0]))}"):
            cls(**{name: bad})


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    """compute(state) of every widget's demo module at the widget's defaults: from the source
    module and from the bundle, in one node process."""
    tmp = tmp_path_factory.mktemp("bundles")
    calls = []
    for cls in WIDGETS:
        w = cls()
        bundled = tmp / f"{cls.__name__}.mjs"
        bundled.write_text(w._esm)
        calls += [(js_of(cls), "compute", [state_of(w)]), (str(bundled), "compute", [state_of(w)])]
    results = call_js(calls)
    return {cls: (results[2 * i], results[2 * i + 1]) for i, cls in enumerate(WIDGETS)}


@by_name
def test_compute_runs_at_the_defaults_and_the_bundle_agrees(cls, computed):
    source, bundled = computed[cls]
    assert bundled == source
    assert isinstance(source.get("readout"), str) and source["readout"].strip()


@pytest.mark.parametrize("module", MODULES)
def test_view_has_one_render_and_redraws_through_live_render(module):
    source = (JS_DIR / module).read_text(encoding="utf-8")
    assert len(re.findall(r"\bfunction render\s*\(", source)) == 1, \
        "only anywidget's entry is called render; the inner one is redraw(state)"
    assert re.search(r"liveRender\([^)]*\bredraw\)", source), "wire the view with liveRender(..., redraw)"
    assert not re.search(r"\+\+uid|let uid\b", source), "ids come from controls.js nextId (page-wide)"


# ---------------------------------------------------------- per-demo cases ----

CLASSES = {c.__name__: c for c in WIDGETS}


def test_every_per_demo_case_names_a_demo_and_its_trait():
    for rows in (BAD_INPUT, SLIDER_GRIDS, MENUS):
        for name, trait, *_ in rows:
            assert name in CLASSES, f"support/demo_cases.py names no demo class {name!r}"
            cls = CLASSES[name]
            assert trait in cls.class_traits() or trait in cls.LIMITS, f"{name} has no {trait!r}"


@pytest.mark.parametrize("name, trait, value, match", BAD_INPUT,
                         ids=[f"{n}-{t}-{i}" for i, (n, t, _, _) in enumerate(BAD_INPUT)])
def test_bad_input_raises_a_trait_error_naming_the_trait_and_what_is_allowed(name, trait, value, match):
    cls = CLASSES[name]
    make = MAKE.get(name)
    check_rejects(cls, trait, value, match, make=make and (lambda **kw: make(cls, **kw)))


@pytest.fixture(scope="module")
def js_constants():
    wanted = sorted({(m, c) for _, _, m, c, *_ in SLIDER_GRIDS} | {(m, c) for _, _, m, c in MENUS})
    return dict(zip(wanted, call_js([(m, c, []) for m, c in wanted])))


@pytest.mark.parametrize("name, trait, module, grid, spans, default", SLIDER_GRIDS,
                         ids=[f"{n}-{t}" for n, t, *_ in SLIDER_GRIDS])
def test_slider_grids_fit_the_python_limits(js_constants, name, trait, module, grid, spans, default):
    values = js_constants[(module, grid)]
    lo, hi = CLASSES[name].LIMITS[trait]
    assert values == sorted(values) and len(set(values)) == len(values), f"{grid} must rise"
    assert lo <= values[0] and values[-1] <= hi, f"{grid} leaves {name}.LIMITS[{trait!r}]"
    if spans:
        assert (values[0], values[-1]) == (lo, hi), f"{grid} must run from {lo} to {hi}"
    if default:
        assert getattr(CLASSES[name](), trait) in values, "the default must be a slider position"


@pytest.mark.parametrize("name, trait, module, names", MENUS, ids=[f"{n}-{t}" for n, t, *_ in MENUS])
def test_js_menus_offer_the_python_choices_in_order(js_constants, name, trait, module, names):
    assert tuple(js_constants[(module, names)]) == CLASSES[name].CHOICES[trait]


# -------------------------------------------- traits with rules of their own ----

def test_saddle_full_batch_is_none_and_valid_values_are_kept():
    w = SaddleNoise(batch_size=None, surface="double_well", seed=999, learning_rate=0.5)
    assert (w.batch_size, w.surface, w.seed, w.learning_rate) == (None, "double_well", 999, 0.5)
    assert QuadraticGD(kappa=1, lr_fraction=1.2).kappa == 1.0


def test_race_default_is_four_optimizers_for_200_steps_and_follows_the_offer():
    w = OptimizerRace()
    assert (w.enabled, w.steps) == (["sgd", "momentum", "rmsprop", "adam"], 200)
    assert w.optimizers == list(race_py.OPTIMIZERS)
    # Chapter 2 offers three: all on by default, rows in the book's order whatever the input's.
    ch2 = OptimizerRace(optimizers=["nesterov", "sgd", "momentum"])
    assert ch2.optimizers == ch2.enabled == ["sgd", "momentum", "nesterov"]
    # Offering fewer rows switches off the ones that went; switches keep the rows' order.
    w.optimizers = ["sgd", "adam"]
    assert w.enabled == ["sgd", "adam"]
    assert OptimizerRace(enabled=["adam", "sgd"]).enabled == ["sgd", "adam"]
    assert OptimizerRace(enabled=[]).enabled == []


def test_race_hyper_keeps_valid_overrides_as_floats():
    w = OptimizerRace(hyper={"adam": {"learning_rate": 1, "beta2": 0.99}, "sgd": {}})
    assert w.hyper == {"adam": {"learning_rate": 1.0, "beta2": 0.99}, "sgd": {}}
    assert isinstance(w.hyper["adam"]["learning_rate"], float)


def test_race_python_and_js_agree_on_the_sliders_of_each_optimizer():
    (keys,) = call_js([("race.js", "SLIDER_KEYS", [])])
    assert {k: tuple(v) for k, v in keys.items()} == race_py.SLIDER_KEYS


def test_augmentation_photographs_are_embedded_with_their_credit():
    from trainlab.widgets import AugmentationPlayground

    w = AugmentationPlayground()
    assert w._photo_a.startswith("data:image/jpeg;base64,") and len(w._photo_a) < 60_000
    assert "CC0" in w._credit and "Stefan van der Walt" in w._credit


def test_transfer_data_for_another_grid_is_refused_naming_the_offered_values():
    grid = transfer_grid()
    grid["sizes"] = [3, 10]
    with pytest.raises(traitlets.TraitError, match=r"data\['sizes'\] is \[3, 10\].*per_class"):
        TransferFreeze.from_experiment(grid)


def test_transfer_data_without_the_grid_keys_is_refused_with_what_is_missing():
    with pytest.raises(traitlets.TraitError, match=r"missing \['curves'"):
        TransferFreeze(data={"sizes": [3], "frozen": [0], "mults": [0.1], "steps": [0]})


def test_transfer_embedded_data_are_plain_json():
    w = TransferFreeze.from_experiment(transfer_grid())
    assert json.loads(json.dumps(w.data)) == w.data
    assert w.data["steps"] == TRANSFER_STEPS
