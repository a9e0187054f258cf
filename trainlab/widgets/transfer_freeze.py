"""Live demo for chapter 7 (claims C32, C34): freeze the first k blocks of a pretrained network
and scale the backbone's learning rate, on curves trained when the book is built."""
from __future__ import annotations

import traitlets

from ._base import Demo, esm


class TransferFreeze(Demo):
    """Test accuracy against SGD steps for a choice of labelled images per class
    (``per_class``), frozen blocks (``frozen``: 0 = fine-tune all, 2 = linear probe) and the
    backbone's learning rate as a multiple of the head's (``backbone_mult``), beside the linear
    probe and training from scratch.

    ``data`` is the plain-data result of trainlab.experiments.transfer.demo_grid(), embedded in
    the page; the browser only picks curves from it. Build it with ``from_experiment``.
    """

    _esm = esm("transfer_freeze.js")
    LIMITS = {"frozen": (0, 2)}
    ABOUT = {"frozen": "the number of pretrained blocks kept frozen"}

    data = traitlets.Dict().tag(sync=True)
    per_class = traitlets.Int(3).tag(sync=True)
    frozen = traitlets.Int(0).tag(sync=True)
    backbone_mult = traitlets.Float(0.1).tag(sync=True)

    @classmethod
    def from_experiment(cls, grid: dict, **kwargs) -> "TransferFreeze":
        """The demo over ``demo_grid()``'s result (lists and floats only, JSON-ready)."""
        data = {"sizes": [int(s) for s in grid["sizes"]], "frozen": [int(k) for k in grid["frozen"]],
                "mults": [float(m) for m in grid["mults"]], "steps": [int(s) for s in grid["steps"]],
                "curves": {k: [float(a) for a in v] for k, v in grid["curves"].items()}}
        kwargs.setdefault("per_class", data["sizes"][0])
        return cls(data=data, **kwargs)

    def _choices(self, name):
        return {"per_class": "sizes", "backbone_mult": "mults"}[name]

    @traitlets.validate("per_class", "backbone_mult")
    def _one_of_the_grid(self, proposal):
        name, value = proposal["trait"].name, proposal["value"]
        allowed = self.data.get(self._choices(name)) if self.data else None
        if allowed and not any(abs(value - a) <= 1e-12 * max(1.0, abs(a)) for a in allowed):
            raise traitlets.TraitError(
                f"TransferFreeze.{name} must be one of the precomputed values {allowed}; "
                f"got {value!r}")
        return value

    @traitlets.validate("data")
    def _data(self, proposal):
        d = proposal["value"]
        missing = {"sizes", "frozen", "mults", "steps", "curves"} - set(d)
        if missing:
            raise traitlets.TraitError(
                f"TransferFreeze.data needs the keys of demo_grid()'s result; missing {sorted(missing)}")
        return d
