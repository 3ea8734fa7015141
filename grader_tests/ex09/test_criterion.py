"""Hidden tests of `make_criterion_and_optimizer(model)`: cross-entropy and an optimiser."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from small_problem import CLASSES, initial_weights, make_data

from helpers.expect import short

STEPS = 50


@pytest.fixture(scope="module")
def made(student):
    x, y = make_data(32, seed=60)
    logits = np.random.default_rng(61).normal(size=(7, CLASSES)).astype(np.float32)
    targets = np.random.default_rng(62).integers(0, CLASSES, size=7)
    result = student.probe(
        "criterion_and_optimizer",
        "calling make_criterion_and_optimizer",
        weights=initial_weights(63),
        logits=logits,
        targets=targets,
        x=x,
        steps=STEPS,
        y=y,
    )
    return result, logits, targets


def test_criterion_is_cross_entropy(made):
    """the criterion computes the mean cross-entropy of logits and class labels"""
    result, logits, targets = made
    expected = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(targets)).item()
    value = result["value"]
    assert np.ndim(value) == 0 and np.isclose(float(value), expected, rtol=1e-5), (
        f"criterion(logits, labels): expected the mean cross-entropy {expected:.5f}, got "
        f"{short(value)}: "
        "use nn.CrossEntropyLoss() on raw logits (no softmax before it)"
    )


def test_optimizer_holds_all_parameters(made):
    """the optimiser updates every parameter of the model it is given"""
    held = made[0]["held"]
    assert all(held), (
        f"the optimiser holds {sum(held)} of the model's {len(held)} parameter tensors, expected "
        "all: "
        "pass model.parameters() of the model given to the function"
    )


def test_optimizer_reduces_training_loss(made):
    """a few optimiser steps reduce the training loss on a small problem"""
    losses = np.asarray(made[0]["losses"], dtype=float)
    assert np.all(np.isfinite(losses)) and losses[-1] < 0.9 * losses[0], (
        f"after {STEPS} steps the loss went from {losses[0]:.4f} to {losses[-1]:.4f}, expected a "
        "drop of at "
        "least 10 %: check the learning rate (e.g. Adam with lr=1e-3)"
    )
