"""Per-demo cases for the widget tests (tests/site/test_widget_contract.py), as data: a new demo
adds its rows here, not a test file.

- BAD_INPUT: values a reader or author might pass and the words the error must say.
- SLIDER_GRIDS: the JS slider grids behind Python traits; every grid is sorted, without repeats
  and inside the trait's LIMITS, `spans` grids run from one limit to the other, `default` grids
  hold the widget's default value.
- MENUS: JS option lists that must equal a trait's CHOICES, in menu order.
"""
from __future__ import annotations

from support.demo_page import transfer_grid

# (demo class, trait, bad value, regular expression the TraitError must match)
BAD_INPUT = [
    ("QuadraticGD", "kappa", 0.5, r"QuadraticGD\.kappa must be between 1\.0 and 1000\.0"),
    ("QuadraticGD", "kappa", 5000.0, r"kappa must be between"),
    ("QuadraticGD", "kappa", float("nan"), r"kappa must be between"),
    ("QuadraticGD", "lr_fraction", 0.0, r"lr_fraction must be between 0\.05 and 1\.2"),
    ("QuadraticGD", "tol", 0.0, r"tol must be between"),
    ("QuadraticGD", "max_steps", 0, r"max_steps must be between 1 and 1000000"),
    ("SaddleNoise", "surface", "bowl", r"surface must be one of 'saddle', 'double_well'; got 'bowl'"),
    ("SaddleNoise", "batch_size", 0, r"batch_size must be between 1 and 2048 .*None for the full"),
    ("SaddleNoise", "learning_rate", 1.0, r"learning_rate must be between 0\.01 and 0\.5"),
    ("SaddleNoise", "seed", -1, r"seed must be between 0 and 999"),
    ("SaddleNoise", "noise_std", -0.1, r"noise_std must be between"),
    ("SaddleNoise", "steps", 0, r"steps must be between 1 and 5000"),
    ("SaddleNoise", "steps", 2.5, r"steps"),  # traitlets' own type check
    ("OptimizerRace", "surface", "bowl", r"surface must be one of 'quadratic', 'saddle', "
                                         r"'rosenbrock', 'beale', 'bumpy'; got 'bowl'"),
    ("OptimizerRace", "steps", 5, r"OptimizerRace\.steps must be between 10 and 1000"),
    ("OptimizerRace", "noise_std", -0.1, r"noise_std must be between 0\.0 and 3\.0"),
    ("OptimizerRace", "seed", 1000, r"seed must be between 0 and 999"),
    ("OptimizerRace", "optimizers", [], r"optimizers must be a non-empty list"),
    ("OptimizerRace", "optimizers", ["sgd", "lbfgs"],
     r"taken from sgd, momentum, .*got \['sgd', 'lbfgs'\]"),
    ("OptimizerRace", "optimizers", ["sgd", "sgd"], r"without repeats"),
    ("OptimizerRace", "enabled", ["lbfgs"], r"enabled must list optimizers offered in `optimizers`"),
    ("OptimizerRace", "hyper", {"lbfgs": {}}, r"unknown optimizer 'lbfgs'"),
    ("OptimizerRace", "hyper", {"adam": 0.1}, r"hyper\['adam'\] must be a dict such as"),
    ("OptimizerRace", "hyper", {"adam": {"epsilon": 1e-3}},
     r"hyper\['adam'\] has no slider 'epsilon'; adam has learning_rate, beta1, beta2"),
    ("OptimizerRace", "hyper", {"sgd": {"momentum": 0.9}}, r"sgd has learning_rate$"),
    ("OptimizerRace", "hyper", {"adam": {"learning_rate": 5.0}},
     r"\['learning_rate'\] must be a number between 0\.0001 and 2\.0; got 5\.0"),
    ("OptimizerRace", "hyper", {"rmsprop": {"decay_rate": 1.0}}, r"between 0\.5 and 0\.9999"),
    ("OptimizerRace", "hyper", {"momentum": {"momentum": True}}, r"must be a number"),
    ("MomentumRho", "rho", 1.0, r"MomentumRho\.rho must be between 0\.0 and 0\.99 \(momentum's rho; 0 is"),
    ("MomentumRho", "rho", float("nan"), r"rho must be between"),
    ("MomentumRho", "learning_rate", 0.0, r"learning_rate must be between 0\.005 and 1\.5"),
    ("MomentumRho", "steps", 10, r"steps must be between 20 and 2000"),
    ("AdamBiasCorrection", "problem", "saddle", r"problem must be one of 'quadratic', 'rosenbrock'"),
    ("AdamBiasCorrection", "beta1", 1.0, r"beta1 must be between 0\.0 and 0\.99"),
    ("AdamBiasCorrection", "beta2", 0.5, r"beta2 must be between 0\.9 and 0\.9999"),
    ("AdamBiasCorrection", "learning_rate", 2.0, r"learning_rate must be between 0\.001 and 1\.0"),
    ("AdamBiasCorrection", "steps", 500, r"steps must be between 10 and 200"),
    ("AdamBiasCorrection", "bias_correction", "yes", r"bias_correction"),  # traitlets' own check
    ("AdagradVsRmsprop", "setup", "rosenbrock", r"setup must be one of 'saddle', 'quadratic', 'bowl'"),
    ("AdagradVsRmsprop", "decay_rate", 0.1, r"decay_rate must be between 0\.5 and 0\.9999"),
    ("AdagradVsRmsprop", "noise_std", 3.0, r"noise_std must be between 0\.0 and 2\.0"),
    ("AdagradVsRmsprop", "steps", 20_000, r"steps must be between 100 and 10000"),
    ("NewtonVsGD", "kappa", 0.5, "condition number"),
    ("NewtonVsGD", "surface", "beale", "must be one of"),
    ("LbfgsNoise", "history_size", 0, "pairs"),
    ("LbfgsNoise", "noise_std", -1.0, "standard deviation"),
    ("LbfgsNoise", "surface", "saddle", "must be one of"),
    ("AugmentationPlayground", "min_area", 0.0, "smallest share"),
    ("AugmentationPlayground", "cutout", 500, "Cutout square"),
    ("AugmentationPlayground", "mixup_alpha", -1.0, "Beta"),
    ("AugmentationPlayground", "size", 64, "side of the image"),
    ("AugmentationPlayground", "photo", "lena", "must be one of"),
    ("ConstraintShapes", "penalty", "L3", "must be one of"),
    ("ConstraintShapes", "strength", -1.0, "penalty strength"),
    ("DropoutEnsemble", "p", 1.0, "probability of dropping"),
    ("DropoutEnsemble", "masks", 0, "number of masks"),
    ("TransferFreeze", "frozen", 3, r"frozen must be between 0 and 2"),
    ("TransferFreeze", "per_class", 7, r"per_class must be one of 3, 30"),
    ("TransferFreeze", "backbone_mult", 0.5, r"backbone_mult must be one of 0.01, 0.1, 1.0"),
]

# How a test builds a demo with given traits, where the class alone is not how the book does.
MAKE = {"TransferFreeze": lambda cls, **traits: cls.from_experiment(transfer_grid(), **traits)}

RACE_KEYS = ("learning_rate", "momentum", "decay_rate", "beta1", "beta2", "weight_decay")

# (demo class, trait, JS module, exported grid (a dotted path into the module), spans, default)
SLIDER_GRIDS = [
    ("QuadraticGD", "kappa", "quadratic_gd.js", "KAPPA_GRID", True, False),
    *[("OptimizerRace", key, "race.js", f"GRIDS.{key}", True, False) for key in RACE_KEYS],
    ("MomentumRho", "learning_rate", "momentum_rho.js", "LR_GRID", True, True),
    ("AdamBiasCorrection", "learning_rate", "adam_bias.js", "LR_GRID", True, True),
    ("AdamBiasCorrection", "beta2", "adam_bias.js", "BETA2_GRID", True, True),
    ("AdagradVsRmsprop", "learning_rate", "adagrad_rmsprop.js", "LR_GRID", True, True),
    ("AdagradVsRmsprop", "decay_rate", "adagrad_rmsprop.js", "DECAY_GRID", True, True),
    ("AdagradVsRmsprop", "steps", "adagrad_rmsprop.js", "STEPS_GRID", True, True),
    ("ScheduleComposer", "base_lr", "schedule_composer.js", "LR_GRID", True, True),
    ("ScheduleComposer", "warmup_steps", "schedule_composer.js", "WARMUP_GRID", True, True),
    ("ScheduleComposer", "total_steps", "schedule_composer.js", "TOTAL_GRID", True, True),
    ("ScheduleComposer", "batch_scale", "schedule_composer.js", "SCALE_GRID", True, True),
    ("ScheduleComposer", "noise_std", "schedule_composer.js", "NOISE_GRID", True, True),
    ("EmaAverage", "decay", "ema_average.js", "DECAY_GRID", True, True),
    ("EmaAverage", "learning_rate", "ema_average.js", "LR_GRID", True, True),
    ("EmaAverage", "noise_std", "ema_average.js", "NOISE_GRID", True, True),
    ("EmaAverage", "steps", "ema_average.js", "STEPS_GRID", True, True),
    ("NewtonVsGD", "kappa", "newton_gd.js", "KAPPA_GRID", True, True),
    ("LbfgsNoise", "history_size", "lbfgs_noise.js", "HISTORY_GRID", False, True),
    ("LbfgsNoise", "noise_std", "lbfgs_noise.js", "NOISE_GRID", False, True),
]

# (demo class, trait, JS module, exported option list)
MENUS = [
    ("OptimizerRace", "surface", "race.js", "SURFACE_NAMES"),
    ("AdamBiasCorrection", "problem", "adam_bias.js", "PROBLEM_NAMES"),
    ("AdagradVsRmsprop", "setup", "adagrad_rmsprop.js", "SETUP_NAMES"),
    ("ScheduleComposer", "schedule", "schedule_composer.js", "SCHEDULE_NAMES"),
    ("ScheduleComposer", "milestones", "schedule_composer.js", "MILESTONE_NAMES"),
    ("SaddleNoise", "surface", "saddle_noise.js", "SURFACE_NAMES"),
    ("NewtonVsGD", "surface", "newton_gd.js", "SURFACE_NAMES"),
    ("LbfgsNoise", "surface", "lbfgs_noise.js", "SURFACE_NAMES"),
    ("ConstraintShapes", "penalty", "constraint_shapes.js", "PENALTY_NAMES"),
]
