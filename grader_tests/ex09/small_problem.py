"""A small classification problem for the hidden tests of the training code."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

FEATURES, HIDDEN, CLASSES = 20, 16, 5


def make_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` samples of ``CLASSES`` Gaussian clusters: x (n, FEATURES) float32, y (n,) int64."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(0).normal(scale=1.5, size=(CLASSES, FEATURES))
    y = rng.integers(0, CLASSES, size=n)
    x = centres[y] + rng.normal(size=(n, FEATURES))
    return x.astype(np.float32), y.astype(np.int64)


def initial_weights(seed: int) -> list[np.ndarray]:
    """Weights of the probe's MLP (Linear FEATURES->HIDDEN, ReLU, Linear HIDDEN->CLASSES)."""
    torch.manual_seed(seed)
    model = mlp()
    return [p.detach().numpy().copy() for p in model.parameters()]


def mlp(weights: list[np.ndarray] | None = None) -> nn.Sequential:
    """The same MLP the probe builds, optionally with ``weights``."""
    model = nn.Sequential(nn.Linear(FEATURES, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, CLASSES))
    if weights is not None:
        with torch.no_grad():
            for param, weight in zip(model.parameters(), weights, strict=True):
                param.copy_(torch.from_numpy(weight))
    return model
