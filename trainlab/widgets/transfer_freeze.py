"""Live demo for chapter 7 (claims C32, C34): freeze the first k blocks of a pretrained network
and scale the backbone's learning rate, on curves trained when the book is built."""
from __future__ import annotations

import traitlets

from ._base import Demo


class TransferFreeze(Demo):
    """Test accuracy against SGD steps for a choice of labelled images per class
    (``per_class``), frozen blocks (``frozen``: 0 = fine-tune all, 2 = linear probe) and the
    backbone's learning rate as a multiple of the head's (``backbone_mult``), beside the linear
    probe and training from scratch.

    ``data`` is the plain-data result of trainlab.experiments.transfer.demo_grid(), embedded in
    the page; the browser only picks curves from it. Build the demo with ``from_experiment``.
    """

    JS = "transfer_freeze.js"
    TITLE = "Freeze the first k blocks, scale the backbone's learning rate"
    LIMITS = {"frozen": (0, 2)}
    ABOUT = {"frozen": "the number of pretrained blocks kept frozen; 2 is the linear probe"}
    CHOICES = {"per_class": (3, 30), "backbone_mult": (0.01, 0.1, 1.0)}  # demo_grid()'s grid

    data = traitlets.Dict().tag(sync=True)
    per_class = traitlets.Any(3).tag(sync=True)
    frozen = traitlets.Int(0).tag(sync=True)
    backbone_mult = traitlets.Any(0.1).tag(sync=True)

    @classmethod
    def from_experiment(cls, grid: dict, **kwargs) -> "TransferFreeze":
        """The demo over ``demo_grid()``'s result (lists and floats only, JSON-ready)."""
        data = {"sizes": [int(s) for s in grid["sizes"]], "frozen": [int(k) for k in grid["frozen"]],
                "mults": [float(m) for m in grid["mults"]], "steps": [int(s) for s in grid["steps"]],
                "curves": {k: [float(a) for a in v] for k, v in grid["curves"].items()}}
        return cls(data=data, **kwargs)

    @traitlets.validate("data")
    def _data(self, proposal):
        d = proposal["value"]
        if not d:
            return d
        missing = {"sizes", "frozen", "mults", "steps", "curves"} - set(d)
        if missing:
            raise traitlets.TraitError(
                f"TransferFreeze.data needs the keys of demo_grid()'s result; missing {sorted(missing)}")
        for name, key in (("per_class", "sizes"), ("backbone_mult", "mults")):
            if tuple(d[key]) != tuple(self.CHOICES[name]):
                raise traitlets.TraitError(
                    f"TransferFreeze.data[{key!r}] is {d[key]}, but the demo offers "
                    f"{name} = {self.CHOICES[name]}; run demo_grid() with those values")
        if tuple(d["frozen"]) != tuple(range(self.LIMITS["frozen"][0], self.LIMITS["frozen"][1] + 1)):
            raise traitlets.TraitError(f"TransferFreeze.data['frozen'] must be [0, 1, 2], got {d['frozen']}")
        return d
