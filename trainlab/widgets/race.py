"""Live demo for chapters 2-3 (claims C08-C17): an optimizer race on a 2-D surface."""
from __future__ import annotations

import traitlets

from ._base import Demo

SURFACES = ("quadratic", "saddle", "rosenbrock", "beale", "bumpy")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
# The hyperparameters each optimizer shows as sliders (trainlab/js/race.js SLIDER_KEYS).
SLIDER_KEYS = {
    "sgd": ("learning_rate",),
    "momentum": ("learning_rate", "momentum"),
    "nesterov": ("learning_rate", "momentum"),
    "adagrad": ("learning_rate",),
    "rmsprop": ("learning_rate", "decay_rate"),
    "adam": ("learning_rate", "beta1", "beta2"),
    "adamw": ("learning_rate", "beta1", "beta2", "weight_decay"),
}
# Switched on by default when more than four optimizers are offered.
DEFAULT_ON = ("sgd", "momentum", "rmsprop", "adam")


class OptimizerRace(Demo):
    """SGD, momentum, Nesterov, AdaGrad, RMSProp, Adam and AdamW racing on a 2-D surface,
    computed in the browser (trainlab/js/race.js, the update rules of optim.js).

    ``surface``: one of "quadratic" (ill-conditioned, kappa = 64), "saddle", "rosenbrock",
    "beale", "bumpy" (a bowl with ripples: many local minima). Every optimizer starts at the
    surface's start point (trainlab.surfaces) and runs ``steps`` steps; with ``noise_std`` > 0
    each gradient gets the same Gaussian noise sequence (drawn from ``seed``) for every optimizer.
    ``optimizers``: the rows offered to the reader (e.g. only the first three in chapter 2);
    ``enabled``: those switched on (default: all offered if at most four, else SGD, momentum,
    RMSProp and Adam). ``hyper``: per-optimizer overrides of the surface's preset slider values,
    e.g. ``{"adam": {"learning_rate": 0.05, "beta1": 0.8}}``; epsilon is fixed at 1e-8. Choosing
    another surface in the page restores that surface's presets.
    """

    JS = "race.js"
    TITLE = "Optimizer race on a 2-D loss surface"
    CHOICES = {"surface": SURFACES}
    LIMITS = {"noise_std": (0.0, 3.0), "seed": (0, 999), "steps": (10, 1000),
              # per-optimizer hyperparameters (the ends of race.js GRIDS)
              "learning_rate": (1e-4, 2.0), "momentum": (0.0, 0.99), "beta1": (0.0, 0.99),
              "decay_rate": (0.5, 0.9999), "beta2": (0.9, 0.9999), "weight_decay": (0.0, 1.0)}
    ABOUT = {  # what each ranged trait means, quoted in its TraitError
        "noise_std": "std of the Gaussian noise added to each gradient " "coordinate; 0 for exact gradients",
        "seed": "the seed of the gradient noise",
        "steps": "the number of steps every optimizer takes",
    }

    surface = traitlets.Unicode("quadratic").tag(sync=True)
    optimizers = traitlets.List(traitlets.Unicode(), default_value=list(OPTIMIZERS)).tag(sync=True)
    enabled = traitlets.List(traitlets.Unicode()).tag(sync=True)
    hyper = traitlets.Dict().tag(sync=True)
    noise_std = traitlets.Float(0.0).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    steps = traitlets.Int(200).tag(sync=True)

    @traitlets.default("enabled")
    def _default_enabled(self):
        offered = list(self.optimizers)
        return offered if len(offered) <= 4 else [n for n in offered if n in DEFAULT_ON]


    @traitlets.validate("optimizers")
    def _optimizers(self, proposal):
        value = list(proposal["value"])
        unknown = [n for n in value if n not in OPTIMIZERS]
        if unknown or not value or len(set(value)) != len(value):
            raise traitlets.TraitError(
                "OptimizerRace.optimizers must be a non-empty list without repeats taken from "
                f"{', '.join(OPTIMIZERS)}; got {value!r}")
        # Rows appear in the book's order whatever order they were given in.
        return [n for n in OPTIMIZERS if n in value]

    @traitlets.validate("enabled")
    def _enabled(self, proposal):
        value = list(proposal["value"])
        offered = self.optimizers
        extra = [n for n in value if n not in offered]
        if extra or len(set(value)) != len(value):
            raise traitlets.TraitError(
                f"OptimizerRace.enabled must list optimizers offered in `optimizers` "
                f"({', '.join(offered)}), each once; got {value!r}")
        return [n for n in offered if n in value]

    @traitlets.observe("optimizers")
    def _drop_enabled_not_offered(self, change):
        # Offering fewer rows switches off the ones that are gone.
        if "enabled" in self._trait_values:
            self.enabled = [n for n in self.enabled if n in change["new"]]

    @traitlets.validate("hyper")
    def _hyper(self, proposal):
        value = proposal["value"]
        for name, overrides in value.items():
            if name not in SLIDER_KEYS:
                raise traitlets.TraitError(
                    f"OptimizerRace.hyper has an unknown optimizer {name!r}; use "
                    f"{', '.join(OPTIMIZERS)}")
            if not isinstance(overrides, dict):
                raise traitlets.TraitError(
                    f"OptimizerRace.hyper[{name!r}] must be a dict such as "
                    f"{{'learning_rate': 0.01}}; got {overrides!r}")
            for key, v in overrides.items():
                if key not in SLIDER_KEYS[name]:
                    raise traitlets.TraitError(
                        f"OptimizerRace.hyper[{name!r}] has no slider {key!r}; "
                        f"{name} has {', '.join(SLIDER_KEYS[name])}")
                lo, hi = self.LIMITS[key]
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
                    raise traitlets.TraitError(
                        f"OptimizerRace.hyper[{name!r}][{key!r}] must be a number between "
                        f"{lo} and {hi}; got {v!r}")
        return {name: {k: float(v) for k, v in o.items()} for name, o in value.items()}
