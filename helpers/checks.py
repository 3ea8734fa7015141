"""Public sanity checks of Exercise 09, run by the notebook's test cells.

Each check calls the student's function or class on small, visible examples and raises an
``AssertionError`` that says what was expected, what came instead and what to look at. A check
keeps every contract of form that the hidden tests enforce (types, dtypes, shapes, inputs left
unchanged, the layers of each model, how the training loop trains and evaluates) and flags the
library calls that earn nothing; the hidden tests try more values, and each check's last line says
which. When a function fails because an earlier function of the student's is wrong, the check
names that one (:mod:`helpers.culprits`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.signal
import torch
from torch import nn

from helpers.bans import EX09_ADVICE, EX09_CONVOLUTION_NAMES, EX09_CONVOLUTIONS
from helpers.culprits import Verifiers
from helpers.expect import call, expect_array, expect_int, passed, short
from helpers.filters import SOBEL_X, SOBEL_Y
from helpers.library_use import expect_by_hand
from helpers.models import expect_model, expect_parameter_shapes
from helpers.training import expect_training_loop

verifies = Verifiers()


def by_hand(function: Callable, task: str) -> None:
    """Fail when the cell of ``function`` calls a library convolution."""
    expect_by_hand(
        function, EX09_CONVOLUTIONS, names=EX09_CONVOLUTION_NAMES, task=task, advice=EX09_ADVICE
    )


@verifies("add_padding_1d")
def verify_add_padding_1d(add_padding_1d: Callable) -> None:
    by_hand(add_padding_1d, "add_padding_1d")
    for x, size in ((np.array([1.0, 2.0, 3.0]), 3), (np.array([4, 5, 6, 7]), 4)):
        expect_array(
            call(add_padding_1d, x, size),
            np.pad(x.astype(float), size // 2),
            what=f"add_padding_1d(np.array({x.tolist()}), {size})",
            hint="pad filter_size // 2 zeros on both sides and return a float array",
        )


def check_add_padding_1d(add_padding_1d: Callable) -> None:
    """``add_padding_1d(x, filter_size)``: ``filter_size // 2`` zeros on each side, floats."""
    verifies.run("add_padding_1d", add_padding_1d)
    passed("add_padding_1d", hidden="other lengths and odd and even filter sizes up to len(x)")


@verifies("convolution_one_dimensional")
def verify_convolution_one_dimensional(convolution_one_dimensional: Callable) -> None:
    by_hand(convolution_one_dimensional, "convolution_one_dimensional")
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    for signal, h, hint in (
        (x, np.array([1.0, 0.0, -2.0]), "did you flip the kernel?"),
        (
            x,
            np.array([1.0, 3.0]),
            "for an even kernel the window of output n starts at x_padded[n]",
        ),
        (np.array([3, 1, 4, 1]), np.array([1, -2]), "return floats also for integer input"),
    ):
        expect_array(
            call(convolution_one_dimensional, signal, h),
            np.convolve(signal, h, mode="same").astype(float),
            what=f"convolution_one_dimensional(np.array({signal.tolist()}), "
            f"np.array({h.tolist()}))",
            hint=hint,
        )


def check_convolution_one_dimensional(convolution_one_dimensional: Callable) -> None:
    """``convolution_one_dimensional(x, h)`` equals ``np.convolve(x, h, mode="same")``."""
    verifies.run("convolution_one_dimensional", convolution_one_dimensional)
    passed(
        "convolution_one_dimensional",
        hidden="random signals with kernels of lengths 1 to len(x), odd and even",
    )


@verifies("add_padding_2d")
def verify_add_padding_2d(add_padding_2d: Callable) -> None:
    by_hand(add_padding_2d, "add_padding_2d")
    x = np.arange(6).reshape(2, 3)
    for shape in ((3, 3), (2, 5)):
        kh, kw = shape
        expect_array(
            call(add_padding_2d, x, shape),
            np.pad(x.astype(float), ((kh // 2, kh // 2), (kw // 2, kw // 2))),
            what=f"add_padding_2d(np.arange(6).reshape(2, 3), {shape})",
            hint="pad kh // 2 rows at top and bottom and kw // 2 columns at left and right, "
            "and return floats",
        )


def check_add_padding_2d(add_padding_2d: Callable) -> None:
    """``add_padding_2d(x, (kh, kw))`` pads ``kh // 2`` rows and ``kw // 2`` columns of zeros."""
    verifies.run("add_padding_2d", add_padding_2d)
    passed("add_padding_2d", hidden="other image sizes and odd, even and mixed filter shapes")


@verifies("convolution_two_dimensional")
def verify_convolution_two_dimensional(convolution_two_dimensional: Callable) -> None:
    by_hand(convolution_two_dimensional, "convolution_two_dimensional")
    x = np.arange(20).reshape(4, 5) % 7
    for image, h in (
        (x.astype(float), np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]])),
        (x.astype(float), np.array([[1.0, -1.0], [2.0, 0.5]])),
        (x, np.array([[0.5, -1.0], [0.25, 2.0]])),
    ):
        expect_array(
            call(convolution_two_dimensional, image, h),
            scipy.signal.convolve2d(image, h, mode="same"),
            what=f"convolution_two_dimensional(np.arange(20).reshape(4, 5) % 7 as "
            f"{image.dtype}, h = {short(h)})",
            hint="flip the kernel in both axes (h[::-1, ::-1]), pad kh // 2 rows and kw // 2 "
            "columns, and return floats",
        )


def check_convolution_two_dimensional(convolution_two_dimensional: Callable) -> None:
    """``convolution_two_dimensional(x, h)`` equals ``convolve2d(x, h, mode="same")``."""
    verifies.run("convolution_two_dimensional", convolution_two_dimensional)
    passed(
        "convolution_two_dimensional",
        hidden="random images with odd, even and mixed kernel shapes, up to the image's size",
    )


@verifies("sobel_edges")
def verify_sobel_edges(sobel_edges: Callable) -> None:
    by_hand(sobel_edges, "sobel_edges")
    step = np.zeros((6, 6))
    step[:, 3:] = 1.0
    for image, threshold, name in (
        (step, 2.0, "a 6x6 step image"),
        (np.random.default_rng(0).random((6, 6)), 1.5, "np.random.default_rng(0).random((6, 6))"),
    ):
        gx = scipy.signal.convolve2d(image, SOBEL_X, mode="same")
        gy = scipy.signal.convolve2d(image, SOBEL_Y, mode="same")
        expect_array(
            call(sobel_edges, image, threshold),
            np.hypot(gx, gy) > threshold,
            what=f"sobel_edges({name}, {threshold})",
            kind="b",
            hint="return np.hypot(gx, gy) > threshold, a boolean array (the Euclidean "
            "magnitude, not |gx| + |gy| or its square)",
        )


def check_sobel_edges(sobel_edges: Callable) -> None:
    """``sobel_edges(image, threshold)`` marks where the Sobel gradient magnitude exceeds it."""
    verifies.run("sobel_edges", sobel_edges)
    passed("sobel_edges", hidden="random images and other thresholds")


#: Each model's layers as the notebook specifies them (see :func:`helpers.models.expect_model`):
#: ``(operation, weight shape, what follows it before the next layer)``.
def specified_layers(name: str, filters: tuple[int, int, int] = (16, 32, 64)) -> list[tuple]:
    """The specified layers of ``FC``, ``CNN_LeNet`` or ``CNN(filters)``."""
    block = ("max_pool2d", "relu")
    if name == "FC":
        return [
            ("linear", (512, 784), ("relu",)),
            ("linear", (256, 512), ("relu",)),
            ("linear", (128, 256), ("relu",)),
            ("linear", (10, 128), ()),
        ]
    if name == "CNN_LeNet":
        return [
            ("conv2d", (6, 1, 3, 3), block),
            ("conv2d", (16, 6, 3, 3), block),
            ("linear", (120, 784), ("relu",)),
            ("linear", (84, 120), ("relu",)),
            ("linear", (10, 84), ()),
        ]
    f0, f1, f2 = filters
    return [
        ("conv2d", (f0, 1, 3, 3), block),
        ("conv2d", (f1, f0, 3, 3), block),
        ("conv2d", (f2, f1, 3, 3), block),
        ("linear", (128, 9 * f2), ("relu",)),
        ("linear", (10, 128), ()),
    ]


def check_model(model_class: Callable[..., nn.Module], **kwargs: object) -> None:
    """``model_class(**kwargs)`` has the specified layers (trainable parameter shapes, each
    followed by its activation and pooling) and maps (B, 1, 28, 28) images to (B, 10) logits."""
    name = model_class.__name__
    expect_model(model_class, kwargs, specified_layers(name, **kwargs))
    passed(
        name + (f"({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})" if kwargs else ""),
        hidden="its outputs with given weights"
        + (" (also for other filters)" if name == "CNN" else "")
        + ", and train it for 75 Adam steps on MNIST against an accuracy threshold",
    )


def check_criterion_and_optimizer(make_criterion_and_optimizer: Callable) -> None:
    """``make_criterion_and_optimizer(model)``: cross-entropy on logits and an optimiser of all of
    ``model``'s parameters that lowers the loss."""
    generator = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 5))
    made = make_criterion_and_optimizer(model)
    if not (isinstance(made, tuple) and len(made) == 2):
        raise AssertionError(f"expected a tuple (criterion, optimizer), got {short(made)}")
    criterion, optimizer = made
    logits, labels = torch.tensor([[2.0, 0.5, -1.0], [0.0, 1.0, 3.0]]), torch.tensor([0, 1])
    expected = nn.functional.cross_entropy(logits, labels).item()
    got = criterion(logits, labels)
    if not (isinstance(got, torch.Tensor) and got.ndim == 0 and np.isclose(float(got), expected)):
        raise AssertionError(
            f"criterion(logits, labels) on two examples: expected the mean cross-entropy "
            f"{expected:.4f}, got {short(got)}: use nn.CrossEntropyLoss() on raw logits"
        )
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise AssertionError(f"expected a torch.optim optimiser, got {type(optimizer).__name__}")
    held = {id(p) for group in optimizer.param_groups for p in group["params"]}
    missing = sum(id(p) not in held for p in model.parameters())
    if missing:
        raise AssertionError(
            f"the optimiser holds {4 - missing} of the model's 4 parameter tensors, expected all: "
            "pass model.parameters() of the model given to the function"
        )
    y = torch.randint(0, 5, (32,), generator=generator)
    x = 1.5 * torch.randn(5, 20, generator=generator)[y] + torch.randn(32, 20, generator=generator)
    first = nn.functional.cross_entropy(model(x), y).item()
    for _ in range(50):
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    last = nn.functional.cross_entropy(model(x), y).item()
    if not last < 0.9 * first:
        raise AssertionError(
            f"50 optimiser steps on a small problem (32 samples of 5 clusters) took the loss "
            f"from {first:.4f} to {last:.4f}, expected a drop of at least 10 %: check the "
            "learning rate (e.g. Adam with lr=1e-3)"
        )
    passed("make_criterion_and_optimizer", hidden="another model and other data")


def check_train_model(train_model: Callable) -> None:
    """``train_model`` trains in train mode with one step per batch of ``dl_tr`` (gradients
    zeroed), evaluates ``dl_te`` in eval mode without gradients, and returns each epoch's
    sample-weighted test accuracy."""
    expect_training_loop(train_model)
    passed("train_model", hidden="another model, other data and batch sizes, and more epochs")


def check_parameter_answer(name: str, answer: object, model_class: Callable[[], nn.Module]) -> None:
    """``answer`` is an int: the number of trainable parameters of the student's
    ``model_class()``, whose parameters must have the specified shapes (the hidden tests compare
    the answer with the specified model's count)."""
    built = model_class()
    count = sum(p.numel() for p in built.parameters() if p.requires_grad)
    model = model_class.__name__
    expect_int(
        answer,
        count,
        numpy_ok=True,
        what=f"{name} (your {model}() has {count:,} trainable parameters)",
        hint="count the weights and biases of every layer, "
        "e.g. sum(p.numel() for p in model.parameters())",
    )
    try:
        expect_parameter_shapes(built, f"{model}()", specified_layers(model))
    except AssertionError as failure:
        raise AssertionError(
            f"{name} is the count of your {model}, which fails its own check:\n  {failure}\n"
            f"Fix {model} first: the hidden tests compare {name} with the count of the "
            "specified model."
        ) from None
    passed(name, hidden="the count of the specified model")
