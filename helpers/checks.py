"""Public sanity checks of Exercise 09, run by the notebook's test cells.

Each check calls the student's function or class on a small, visible example and raises an
``AssertionError`` that says what was expected, what came instead and what to look at. Passing
them is necessary, not sufficient: the hidden tests use other inputs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.signal
import torch
from torch import nn

from helpers.expect import expect_array, expect_unchanged, passed, short
from helpers.filters import SOBEL_X, SOBEL_Y


def check_add_padding_1d(add_padding_1d: Callable) -> None:
    """``add_padding_1d(x, filter_size)`` pads ``filter_size // 2`` zeros on each side."""
    for x, size in ((np.array([1.0, 2.0, 3.0]), 3), (np.array([4, 5, 6, 7]), 4)):
        before = x.copy()
        result = add_padding_1d(x, size)
        expected = np.pad(x.astype(float), size // 2)
        expect_array(
            result,
            expected,
            what=f"add_padding_1d({x.tolist()}, {size})",
            hint="pad filter_size // 2 zeros on both sides and return a float array",
        )
        expect_unchanged([before], (x,), what="add_padding_1d")
    passed("add_padding_1d")


def check_convolution_one_dimensional(convolution_one_dimensional: Callable) -> None:
    """``convolution_one_dimensional(x, h)`` equals ``np.convolve(x, h, mode="same")``."""
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    for h, hint in (
        (np.array([1.0, 0.0, -2.0]), "did you flip the kernel?"),
        (np.array([1.0, 3.0]), "for an even kernel the window of output n starts at x_padded[n]"),
    ):
        result = convolution_one_dimensional(x, h)
        expect_array(
            result,
            np.convolve(x, h, mode="same"),
            what=f"convolution_one_dimensional({x.tolist()}, {h.tolist()})",
            hint=hint,
        )
    passed("convolution_one_dimensional")


def check_add_padding_2d(add_padding_2d: Callable) -> None:
    """``add_padding_2d(x, (kh, kw))`` pads ``kh // 2`` rows and ``kw // 2`` columns of zeros."""
    x = np.arange(6.0).reshape(2, 3)
    for shape in ((3, 3), (2, 5)):
        kh, kw = shape
        expected = np.pad(x, ((kh // 2, kh // 2), (kw // 2, kw // 2)))
        expect_array(
            add_padding_2d(x, shape),
            expected,
            what=f"add_padding_2d(x of shape (2, 3), {shape})",
            hint="pad kh // 2 rows at top and bottom and kw // 2 columns at left and right",
        )
    passed("add_padding_2d")


def check_convolution_two_dimensional(convolution_two_dimensional: Callable) -> None:
    """``convolution_two_dimensional(x, h)`` equals ``convolve2d(x, h, mode="same")``."""
    x = np.arange(20.0).reshape(4, 5) % 7
    for h in (
        np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]]),
        np.array([[1.0, -1.0], [2.0, 0.5]]),
    ):
        expect_array(
            convolution_two_dimensional(x, h),
            scipy.signal.convolve2d(x, h, mode="same"),
            what=f"convolution_two_dimensional(x of shape (4, 5), h of shape {h.shape})",
            hint="flip the kernel in both axes (h[::-1, ::-1]) and pad kh // 2, kw // 2",
        )
    passed("convolution_two_dimensional")


def check_sobel_edges(sobel_edges: Callable) -> None:
    """``sobel_edges(image, threshold)`` marks where the Sobel gradient magnitude exceeds it."""
    image = np.zeros((6, 6))
    image[:, 3:] = 1.0
    gx = scipy.signal.convolve2d(image, SOBEL_X, mode="same")
    gy = scipy.signal.convolve2d(image, SOBEL_Y, mode="same")
    expect_array(
        sobel_edges(image, 2.0),
        np.hypot(gx, gy) > 2.0,
        what="sobel_edges(step image, 2.0)",
        kind="b",
        hint="return np.hypot(gx, gy) > threshold, a boolean array",
    )
    passed("sobel_edges")


def check_model(model_class: Callable[..., nn.Module], **kwargs: object) -> None:
    """``model_class(**kwargs)`` is an ``nn.Module``: (B, 1, 28, 28) images -> (B, 10) logits."""
    model = model_class(**kwargs)
    name = model_class.__name__
    assert isinstance(model, nn.Module), (
        f"{name}() should be a torch.nn.Module, got {type(model).__name__}"
    )
    with torch.no_grad():
        logits = model(torch.zeros(3, 1, 28, 28))
    assert tuple(logits.shape) == (3, 10), (
        f"{name} on a batch of shape (3, 1, 28, 28): expected logits of shape (3, 10), got "
        f"{tuple(logits.shape)}: "
        "check the flatten before the first Linear layer and the layer sizes"
    )
    passed(name + (f"({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})" if kwargs else ""))


def check_criterion_and_optimizer(make_criterion_and_optimizer: Callable) -> None:
    """``make_criterion_and_optimizer(model)`` returns cross-entropy and an optimiser."""
    model = nn.Linear(4, 3)
    made = make_criterion_and_optimizer(model)
    assert isinstance(made, tuple) and len(made) == 2, (
        f"expected a tuple (criterion, optimizer), got {short(made)}"
    )
    criterion, optimizer = made
    logits, labels = torch.tensor([[2.0, 0.5, -1.0]]), torch.tensor([0])
    expected = nn.functional.cross_entropy(logits, labels).item()
    got = float(criterion(logits, labels))
    assert np.isclose(got, expected), (
        f"criterion on one example: expected {expected:.4f}, got {got:.4f}"
    )
    assert isinstance(optimizer, torch.optim.Optimizer), (
        f"expected a torch.optim optimiser, got {type(optimizer).__name__}"
    )
    passed("make_criterion_and_optimizer")


def check_train_model(train_model: Callable) -> None:
    """``train_model`` runs on a tiny problem and returns one accuracy in [0, 1] per epoch."""
    torch.manual_seed(0)
    x, y = torch.randn(12, 4), torch.randint(0, 3, (12,))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=5)
    model = nn.Linear(4, 3)
    accuracies = train_model(
        model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), loader, loader, 2
    )
    assert isinstance(accuracies, list | tuple) and len(accuracies) == 2, (
        f"train_model(..., epochs=2) should return 2 accuracies, got {short(accuracies)}"
    )
    assert all(0.0 <= float(a) <= 1.0 for a in accuracies), (
        f"expected accuracies as fractions in [0, 1], got {short(accuracies)}"
    )
    passed("train_model")


def check_parameter_answers(**answers: object) -> None:
    """Each answer is a positive whole number (the hidden tests check the values)."""
    for name, value in answers.items():
        assert isinstance(value, int | np.integer) and value > 0, (
            f"{name} should be a positive int, got {short(value)}"
        )
    passed(", ".join(answers))
