"""Live demo for the recap (claim C00f): grid search against random search on a real map."""
from __future__ import annotations

import traitlets

from ._base import Demo


class SearchRace(Demo):
    """Grid and random search with the same budget on a 2-D hyperparameter map, in the browser.

    ``landscape``: the map as plain data, {"x": [...], "y": [...], "z": rows (one per y) of
    values (one per x), "x_label", "y_label", "z_label"}; the recap page passes
    ``trainlab.experiments.recap.search_landscape_for_demo()`` (real training runs). ``budget``:
    trials per search, a square (4, 9, 16 or 25). ``seed``: the draw (the "draw again" button
    increments it)."""

    JS = "search_race.js"
    TITLE = "Grid search or random search: which learning rates does each try?"
    LIMITS = {"seed": (0, 10**6)}
    ABOUT = {"seed": "the draw of the grid offset and the random trials"}
    CHOICES = {"budget": (4, 9, 16, 25)}

    landscape = traitlets.Dict().tag(sync=True)
    budget = traitlets.Int(9).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)

    @traitlets.default("landscape")
    def _default_landscape(self):
        from ..experiments.recap import search_landscape_for_demo

        return search_landscape_for_demo()

    @traitlets.validate("landscape")
    def _check_landscape(self, proposal):
        land = proposal["value"]
        missing = {"x", "y", "z"} - set(land)
        if missing:
            raise traitlets.TraitError(
                f"SearchRace.landscape needs keys x, y and z (missing {sorted(missing)}); pass "
                "trainlab.experiments.recap.search_landscape_for_demo()")
        x, y, z = land["x"], land["y"], land["z"]
        if len(x) < 2 or len(y) < 2 or len(z) != len(y) or any(len(row) != len(x) for row in z):
            raise traitlets.TraitError(
                f"SearchRace.landscape.z must have one row per y value ({len(y)}) and one "
                f"value per x value ({len(x)}) in each row, with at least 2 of each")
        return land
