"""Live demos: anywidget widgets whose JavaScript (trainlab/js/) computes in the browser.

    from trainlab.widgets import QuadraticGD, SaddleNoise
    QuadraticGD(kappa=64, lr_fraction=0.9)

Recap: ActivationDepth, SearchRace. Chapter 1: QuadraticGD, SaddleNoise. Chapter 2: OptimizerRace (SGD, momentum, Nesterov),
MomentumRho. Chapter 3: AdagradVsRmsprop, AdamBiasCorrection, OptimizerRace (all seven).
Chapter 7: TransferFreeze.

They work in JupyterLab and, from the embedded widget state, in the static book with no kernel.
"""
from .activation_depth import ActivationDepth
from .adagrad_rmsprop import AdagradVsRmsprop
from .adam_bias import AdamBiasCorrection
from .bundle import BundleError, bundle
from .momentum_rho import MomentumRho
from .quadratic_gd import QuadraticGD
from .race import OptimizerRace
from .saddle_noise import SaddleNoise
from .search_race import SearchRace
from .transfer_freeze import TransferFreeze

__all__ = ["QuadraticGD", "SaddleNoise", "OptimizerRace", "MomentumRho", "AdamBiasCorrection",
           "AdagradVsRmsprop", "ActivationDepth", "SearchRace", "TransferFreeze", "bundle",
           "BundleError"]
