"""Student-facing helpers of the CNN exercises: data, images, metrics, widgets and public checks.

Everything a notebook imports lives here, once, so notebooks stay thin. Each name is imported from
its module when first used (PEP 562), so that importing one light module of the package, such as
:mod:`helpers.data_folder` for the grader, does not import torch, matplotlib and ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Each public name and the module of this package that defines it.
_HOMES = {
    "SOBEL_X": "filters",
    "SOBEL_Y": "filters",
    "DrawingPad": "widgets",
    "MNISTDataError": "mnist",
    "accuracy": "metrics",
    "as_pair": "arithmetic",
    "explore_arithmetic": "widgets_ex10",
    "filter_playground": "widgets_ex10",
    "gaussian_kernel": "filters",
    "load_blackwhite_image": "images",
    "load_mnist": "mnist",
    "training_epochs": "budget",
    "visualize_convolution": "widgets",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    return getattr(importlib.import_module(f"helpers.{_HOMES[name]}"), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
