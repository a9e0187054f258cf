"""Live demos: anywidget widgets whose JavaScript (trainlab/js/) computes in the browser.

    from trainlab.widgets import QuadraticGD, SaddleNoise
    QuadraticGD(kappa=64, lr_fraction=0.9)

They work in JupyterLab and, from the embedded widget state, in the static book with no kernel.
"""
from .bundle import BundleError, bundle
from .quadratic_gd import QuadraticGD
from .saddle_noise import SaddleNoise

__all__ = ["QuadraticGD", "SaddleNoise", "bundle", "BundleError"]
