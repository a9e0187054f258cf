"""Hidden checks of assignment ps2 (chapter 2: momentum): sgd, sgd_momentum, nesterov_momentum.

Each function gets the same kinds of checks (autograder/specs/optim/): trajectories against
torch.optim.SGD in float64, defaults for missing config keys, the velocity carried in config
from call to call (and resumed from a given one), and the array contract (inputs unchanged,
next_w a new array with w's dtype and shape).
"""
from __future__ import annotations

from autograder.specs.optim.grader_side import groups_for

FUNCTIONS = ("sgd", "sgd_momentum", "nesterov_momentum")

GROUPS = [group for function in FUNCTIONS for group in groups_for(function)]
