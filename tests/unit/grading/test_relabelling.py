"""The accuracy tests' secret renaming of the classes leaves an honest model's accuracy exactly as
it was, and takes everything from a model that recalls the real labels."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest

from support.paths import ROOT

HIDDEN = ROOT / "grader_tests" / "ex09"
MODULES = ("models", "probes", "reference", "thresholds", "stand_ins")


@pytest.fixture
def hidden(monkeypatch):
    """The hidden tests' ``models``, ``probes`` and ``reference`` modules, as the judge imports
    them."""
    monkeypatch.syspath_prepend(str(HIDDEN))
    for name in MODULES:
        sys.modules.pop(name, None)
    yield tuple(importlib.import_module(name) for name in ("models", "probes", "reference"))
    for name in MODULES:
        sys.modules.pop(name, None)


def accuracy(hidden, cls, permutation) -> float:
    models, probes, _ = hidden
    predictions = probes.fit_and_predict(
        {"Model": cls}, "Model", {}, steps=15, seed=0, label_permutation=permutation
    )
    labels = models.mnist_test_labels(full=False)
    target = labels if permutation is None else np.asarray(permutation)[labels]
    return float((predictions.numpy() == target).mean())


def test_renamed_classes_give_an_honest_model_the_same_accuracy(hidden):
    models, _, reference = hidden
    real = accuracy(hidden, reference.MODELS["FC"], None)
    renamed = [
        accuracy(
            hidden, reference.MODELS["FC"], models.relabelling(np.random.default_rng(s)).tolist()
        )
        for s in (1, 2)
    ]
    assert renamed == pytest.approx([real, real], abs=1e-3), (
        f"expected the accuracy on the real classes, {real:.4f}, under each renaming, got {renamed}"
    )


def test_a_renaming_moves_every_class(hidden):
    models = hidden[0]
    for seed in range(20):
        permutation = models.relabelling(np.random.default_rng(seed))
        fixed = np.flatnonzero(permutation == np.arange(10))
        assert sorted(permutation) == list(range(10)) and fixed.size == 0, (
            f"expected a permutation of 0..9 that moves every class, got {permutation}"
        )
