"""Checks shared by the hidden tests of the three models (FC, CNN_LeNet, CNN)."""

from __future__ import annotations

import math
import os
import secrets

import numpy as np
import pytest
import thresholds
import torch
from reference import MODELS, parameter_count, weights

from grading.judge.student import StudentProcess
from helpers.expect import expect_array
from helpers.mnist import data_dir, full_mnist_present, mnist_array


def signature(cls: str, kwargs: dict) -> str:
    return f"{cls}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


def check_parameter_shapes(student: StudentProcess, cls: str, kwargs: dict, hint: str) -> None:
    """The student's model has the reference's layers: the same trainable parameter shapes (in
    any order), hence the same count. A single tensor of the right size is not a model."""
    shapes = student.probe(
        "parameter_shapes", f"building {signature(cls, kwargs)}", cls=cls, kwargs=kwargs
    )
    got = sorted(tuple(shape) for shape in shapes)
    expected = sorted(tuple(w.shape) for w in weights(MODELS[cls](**kwargs)))
    count = sum(math.prod(shape) for shape in got)
    assert got == expected, (
        f"{signature(cls, kwargs)} has trainable parameters of shapes {got} ({count:,} in all), "
        f"expected {expected} ({parameter_count(MODELS[cls](**kwargs)):,}): {hint}"
    )


def check_output_shape(student: StudentProcess, cls: str, kwargs: dict) -> None:
    """A batch (B, 1, 28, 28) gives logits (B, 10)."""
    x = np.random.default_rng(1).random((5, 1, 28, 28), dtype=np.float32)
    out = student.probe(
        "forward", f"running {signature(cls, kwargs)} on a batch", cls=cls, kwargs=kwargs, x=x
    )
    assert getattr(out, "shape", None) == (5, 10), (
        f"{signature(cls, kwargs)} on a batch of shape (5, 1, 28, 28): expected logits of shape "
        "(5, 10), "
        f"got {getattr(out, 'shape', type(out).__name__)}"
    )


def check_matches_reference(student: StudentProcess, cls: str, kwargs: dict, hint: str) -> None:
    """With the reference weights loaded, the student's model computes the reference outputs."""
    torch.manual_seed(7)
    reference = MODELS[cls](**kwargs).eval()
    x = np.random.default_rng(2).random((8, 1, 28, 28), dtype=np.float32)
    out = student.probe(
        "forward",
        f"running {signature(cls, kwargs)} with reference weights",
        cls=cls,
        kwargs=kwargs,
        weights=weights(reference),
        x=x,
    )
    with torch.no_grad():
        expected = reference(torch.from_numpy(x)).numpy()
    expect_array(
        np.asarray(out, dtype=np.float32),
        expected,
        what=f"{signature(cls, kwargs)} with the reference weights",
        rtol=1e-4,
        atol=1e-5,
        hint=hint,
    )


#: Marker of the accuracy tests: the training request is guarded (:mod:`grading.worker.guards`: no
#: process or thread, no reaching into the grader's loop), though it bans no library function.
GRADED_ON_LEARNING = pytest.mark.library_ban(
    advice="the accuracy tests grade what the model learns from the labels it is trained on"
)


def relabelling(rng: np.random.Generator, classes: int = 10) -> np.ndarray:
    """A permutation of the classes that moves every one (a derangement), drawn from ``rng``."""
    while True:
        permutation = rng.permutation(classes)
        if not np.any(permutation == np.arange(classes)):
            return permutation


def check_accuracy(student: StudentProcess, cls: str, cuda: bool) -> None:
    """After the trusted training loop, test accuracy reaches the threshold (THRESHOLDS.md).

    The CPU test trains on the embedded subset; the CUDA test trains on the GPU for the GPU
    budget, on full MNIST when the grader has it and on the embedded subset otherwise. The digits'
    classes are renamed by a permutation drawn afresh for each run from a secret seed, in the
    training labels, the output layer's initial weights and the test labels alike: a model learns
    the renamed classes exactly as it learns the real ones (the same accuracy, run after run), but
    a model that recalls the public test labels it carries scores nothing on them.
    """
    full = cuda and full_mnist_present(data_dir())
    data = "full" if full else "subset"
    steps = thresholds.CUDA_STEPS[data] if cuda else thresholds.CPU_STEPS
    threshold = thresholds.CUDA[data][cls] if cuda else thresholds.CPU[cls]
    permutation = relabelling(np.random.default_rng(secrets.randbits(128)))
    predictions = student.probe(
        "fit_and_predict",
        f"training {cls}",
        cls=cls,
        kwargs={},
        steps=steps,
        seed=thresholds.SEED,
        full_mnist=full,
        device=cuda_device() if cuda else "cpu",
        label_permutation=permutation.tolist(),
    )
    labels = permutation[mnist_test_labels(full=full)]
    assert getattr(predictions, "shape", None) == labels.shape, (
        f"expected one prediction per test image {labels.shape}, got "
        f"{getattr(predictions, 'shape', predictions)}"
    )
    accuracy = float((predictions == labels).mean())
    name = "full MNIST" if full else "the embedded MNIST subset"
    assert accuracy >= threshold, (
        f"{cls} reached {accuracy:.1%} test accuracy after {steps} steps of Adam on {name}, "
        f"expected at least {threshold:.0%}: check the layers, activations and forward()"
    )


def mnist_test_labels(full: bool) -> np.ndarray:
    """Labels of the test set the accuracy checks use, loaded by the judge itself (the worker
    never sees them)."""
    return mnist_array(data_dir(), "labels", train=False, full=full)


def cuda_device() -> str:
    """The device of the CUDA accuracy tests: ``cuda``, or what ``$GRADING_CUDA_DEVICE`` names
    (``cpu`` runs their logic, budget and thresholds on a machine without a GPU, for testing)."""
    return os.environ.get("GRADING_CUDA_DEVICE", "cuda")


def cuda_unavailable_reason() -> str:
    """Why the CUDA accuracy tests cannot run here, or '' when they can."""
    if cuda_device() == "cuda" and not torch.cuda.is_available():
        return "no CUDA GPU on the grading machine"
    return ""


requires_cuda = pytest.mark.skipif(
    bool(cuda_unavailable_reason()), reason=cuda_unavailable_reason() or "-"
)
