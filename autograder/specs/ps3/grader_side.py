"""Hidden checks of assignment ps3 (chapter 3: adaptive methods): adagrad, rmsprop, adam, adamw.

Each function gets the same kinds of checks (autograder/specs/optim/): trajectories against
torch.optim.Adagrad / RMSprop / Adam / AdamW in float64 with gradients small enough that the
place of epsilon shows and runs long enough that bias correction matters, defaults for missing
config keys, the state (cache, m, v, t) carried in config from call to call (and resumed from a
given one), and the array contract (inputs unchanged, next_w a new array with w's dtype and
shape).
"""
from __future__ import annotations

from autograder.specs.optim.grader_side import groups_for

FUNCTIONS = ("adagrad", "rmsprop", "adam", "adamw")

GROUPS = [group for function in FUNCTIONS for group in groups_for(function)]
