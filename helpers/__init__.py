"""Student-facing helpers of the CNN exercises: data, images, metrics, widgets and public checks.

Everything a notebook imports lives here, once, so notebooks stay thin.
"""

from helpers.arithmetic import as_pair
from helpers.budget import training_epochs
from helpers.filters import SOBEL_X, SOBEL_Y, gaussian_kernel
from helpers.images import load_blackwhite_image
from helpers.metrics import accuracy
from helpers.mnist import MNISTDataError, load_mnist
from helpers.widgets import DrawingPad, visualize_convolution
from helpers.widgets_ex10 import explore_arithmetic, filter_playground

__all__ = [
    "SOBEL_X",
    "SOBEL_Y",
    "DrawingPad",
    "MNISTDataError",
    "accuracy",
    "as_pair",
    "explore_arithmetic",
    "filter_playground",
    "gaussian_kernel",
    "load_blackwhite_image",
    "load_mnist",
    "training_epochs",
    "visualize_convolution",
]
