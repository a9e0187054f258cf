"""Live demos: anywidget widgets whose JavaScript (trainlab/js/) computes in the browser.

    from trainlab.widgets import QuadraticGD
    QuadraticGD(kappa=64, lr_fraction=0.9)

Recap: ActivationDepth, SearchRace. Chapter 1: QuadraticGD, SaddleNoise. Chapter 2: OptimizerRace
(SGD, momentum, Nesterov), MomentumRho. Chapter 3: AdagradVsRmsprop, AdamBiasCorrection,
OptimizerRace (all seven). Chapter 4: ScheduleComposer, EmaAverage. Chapter 5: NewtonVsGD,
LbfgsNoise. Chapter 6: ConstraintShapes, DropoutEnsemble, AugmentationPlayground. Chapter 7:
TransferFreeze.

They work in JupyterLab and, from the embedded widget state, in the static book with no kernel.
One module per demo, named as its JavaScript in trainlab/js/ (race.py <-> race.js), beside the
two every demo shares (_base.py, bundle.py). They are kept flat rather than grouped by chapter:
a demo may serve several chapters (OptimizerRace) and the shared stem finds its JS.
"""
from .activation_depth import ActivationDepth
from .adagrad_rmsprop import AdagradVsRmsprop
from .adam_bias import AdamBiasCorrection
from .augment_playground import AugmentationPlayground
from .bundle import BundleError, bundle
from .constraint_shapes import ConstraintShapes
from .dropout_ensemble import DropoutEnsemble
from .ema_average import EmaAverage
from .lbfgs_noise import LbfgsNoise
from .momentum_rho import MomentumRho
from .newton_gd import NewtonVsGD
from .quadratic_gd import QuadraticGD
from .race import OptimizerRace
from .saddle_noise import SaddleNoise
from .schedule_composer import ScheduleComposer
from .search_race import SearchRace
from .transfer_freeze import TransferFreeze

__all__ = ["ActivationDepth", "AdagradVsRmsprop", "AdamBiasCorrection", "AugmentationPlayground",
           "ConstraintShapes", "DropoutEnsemble", "EmaAverage", "LbfgsNoise", "MomentumRho",
           "NewtonVsGD", "OptimizerRace", "QuadraticGD", "SaddleNoise", "ScheduleComposer",
           "SearchRace", "TransferFreeze", "bundle", "BundleError"]
