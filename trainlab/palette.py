"""The book's one palette: a colour, a dash pattern and a label for every method it plots.

Defined once, in ``trainlab/js/palette.json``, which the live demos import too
(``trainlab/js/palette.js``), so a method looks the same in a static figure and in a demo.
Colours repeat across groups but never within one; a group is a set of methods that one figure
or demo shows together (``GROUPS``), and tests check each group stays distinguishable under
simulated colour-vision deficiencies and that its members' dash patterns differ.

    from trainlab import palette
    ax.plot(x, y, **palette.style("adam"))             # colour, dashes and legend label
    ax.plot(x, y, **palette.style("adam", split="train"))  # training curve: Adam's colour, dashed
    palette.color("momentum")                          # '#be3605'
"""
from __future__ import annotations

import json
from pathlib import Path

_FILE = Path(__file__).resolve().parent / "js" / "palette.json"
_DATA = json.loads(_FILE.read_text(encoding="utf-8"))

#: key -> {"color": "#rrggbb", "dash": [on, off, ...] in line widths ([] = solid), "label": str}
METHODS: dict[str, dict] = _DATA["methods"]
#: group name -> the method keys one figure or demo may show together
GROUPS: dict[str, list[str]] = _DATA["groups"]
#: "train" / "validation" -> dash pattern for a method's training and validation curves
SPLITS: dict[str, list[float]] = {k: v for k, v in _DATA["splits"].items() if k != "about"}


def _method(key: str) -> dict:
    try:
        return METHODS[key]
    except KeyError:
        raise KeyError(f"trainlab.palette has no method {key!r}; add it to {_FILE.name} "
                       f"(known: {', '.join(METHODS)})") from None


def color(key: str) -> str:
    """The method's colour as '#rrggbb'."""
    return _method(key)["color"]


def label(key: str) -> str:
    """The method's name as legends and demos show it."""
    return _method(key)["label"]


def dash(key: str, split: str | None = None) -> list[float]:
    """On/off lengths in line widths ([] is solid): the method's own, or the split's."""
    if split is None:
        return list(_method(key)["dash"])
    if split not in SPLITS:
        raise KeyError(f"split must be one of {', '.join(SPLITS)}; got {split!r}")
    return list(SPLITS[split])


def linestyle(pattern: list[float]):
    """A dash pattern as a matplotlib linestyle ("-" for solid)."""
    return "-" if not pattern else (0, tuple(pattern))


def style(key: str, split: str | None = None, label: str | None = None) -> dict:
    """Keyword arguments for ``ax.plot``: the method's colour, dashes and legend label.

    ``split`` ("train" or "validation") swaps in that split's dashes and appends it to the
    label; ``label`` overrides the label (e.g. to add a hyperparameter)."""
    text = label if label is not None else _method(key)["label"]
    if split is not None and label is None:
        text = f"{text} ({split})"
    return {"color": color(key), "linestyle": linestyle(dash(key, split)), "label": text}


def group(name: str) -> list[str]:
    """The method keys of one group, in the palette's order."""
    try:
        return list(GROUPS[name])
    except KeyError:
        raise KeyError(f"trainlab.palette has no group {name!r}; known: {', '.join(GROUPS)}") \
            from None
