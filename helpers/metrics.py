"""Classification metrics."""

from __future__ import annotations

import torch


def accuracy(logits: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of samples whose highest logit is the true class.

    Args:
        logits: (N, C) float tensor of class scores.
        y: (N,) integer tensor of true classes.

    Returns:
        The accuracy as a float in [0, 1]; weight it by ``N`` to average over batches.
    """
    if logits.ndim != 2 or y.ndim != 1 or logits.shape[0] != y.shape[0]:
        raise ValueError(
            f"expected logits of shape (N, C) and labels of shape (N,), "
            f"got {tuple(logits.shape)} and {tuple(y.shape)}"
        )
    if len(y) == 0:
        raise ValueError("expected at least one sample, got an empty batch")
    return (logits.argmax(dim=1) == y).float().mean().item()
