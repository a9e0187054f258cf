"""Live demos: anywidget widgets whose JavaScript (trainlab/js/) computes in the browser.

    from trainlab.widgets import QuadraticGD, SaddleNoise
    QuadraticGD(kappa=64, lr_fraction=0.9)

Recap: ActivationDepth, SearchRace. Chapter 1: QuadraticGD, SaddleNoise. Chapter 2: OptimizerRace (SGD, momentum, Nesterov),
MomentumRho. Chapter 3: AdagradVsRmsprop, AdamBiasCorrection, OptimizerRace (all seven).
Chapter 6: ConstraintShapes, DropoutEnsemble, AugmentationPlayground.

They work in JupyterLab and, from the embedded widget state, in the static book with no kernel.
"""
from .activation_depth import ActivationDepth
from .adagrad_rmsprop import AdagradVsRmsprop
from .adam_bias import AdamBiasCorrection
from .augment_playground import AugmentationPlayground
from .bundle import BundleError, bundle
from .constraint_shapes import ConstraintShapes
from .dropout_ensemble import DropoutEnsemble
from .momentum_rho import MomentumRho
from .quadratic_gd import QuadraticGD
from .race import OptimizerRace
from .saddle_noise import SaddleNoise
from .search_race import SearchRace

__all__ = ["QuadraticGD", "SaddleNoise", "OptimizerRace", "MomentumRho", "AdamBiasCorrection",
           "AdagradVsRmsprop", "ActivationDepth", "SearchRace", "AugmentationPlayground",
           "ConstraintShapes", "DropoutEnsemble", "bundle", "BundleError"]
