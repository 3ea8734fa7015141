"""Public checks pass on correct code and fail on wrong code with a message saying what to fix."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
import torch
from torch import nn

from helpers import checks


def pad1(x, k):
    return np.pad(np.asarray(x, dtype=float), k // 2)


def pad2(x, shape):
    return np.pad(np.asarray(x, dtype=float), ((shape[0] // 2,) * 2, (shape[1] // 2,) * 2))


CORRECT = [
    (checks.check_add_padding_1d, pad1),
    (checks.check_add_padding_2d, pad2),
    (checks.check_convolution_one_dimensional, lambda x, h: np.convolve(x, h, mode="same")),
    (
        checks.check_convolution_two_dimensional,
        lambda x, h: scipy.signal.convolve2d(x, h, mode="same"),
    ),
    (
        checks.check_sobel_edges,
        lambda im, t: (
            np.hypot(
                scipy.signal.convolve2d(im, checks.SOBEL_X, mode="same"),
                scipy.signal.convolve2d(im, checks.SOBEL_Y, mode="same"),
            )
            > t
        ),
    ),
    (
        checks.check_criterion_and_optimizer,
        lambda m: (nn.CrossEntropyLoss(), torch.optim.Adam(m.parameters())),
    ),
]
WRONG = [
    (
        checks.check_add_padding_1d,
        lambda x, k: np.pad(np.asarray(x, dtype=float), k),
        "filter_size // 2",
    ),
    (checks.check_add_padding_2d, lambda x, s: pad2(x, s[::-1]), "kh // 2 rows"),
    (
        checks.check_convolution_one_dimensional,
        lambda x, h: np.correlate(x, h, mode="same"),
        "flip",
    ),
    (
        checks.check_convolution_two_dimensional,
        lambda x, h: scipy.signal.correlate2d(x, h, mode="same"),
        "flip",
    ),
    (checks.check_sobel_edges, lambda im, t: np.zeros(im.shape), "boolean"),
    (
        checks.check_criterion_and_optimizer,
        lambda m: (nn.MSELoss(), torch.optim.Adam(m.parameters())),
        "criterion",
    ),
]


@pytest.mark.parametrize(("check", "function"), CORRECT)
def test_check_passes_correct_code(check, function, capsys):
    check(function)
    assert "passes the public checks" in capsys.readouterr().out, "a passing check should say so"


@pytest.mark.parametrize(("check", "function", "hint"), WRONG)
def test_check_fails_wrong_code_with_a_hint(check, function, hint):
    with pytest.raises((AssertionError, RuntimeError)) as error:
        check(function)
    assert hint in str(error.value), f"expected the message to mention {hint!r}, got: {error.value}"


def test_check_model_reports_the_wrong_output_shape():
    class Flat(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(28, 10)

        def forward(self, x):
            return self.linear(x)

    with pytest.raises(AssertionError, match=r"expected logits of shape \(3, 10\)"):
        checks.check_model(Flat)


def test_check_train_model_rejects_percentages():
    def percent(model, crit, opt, dl_tr, dl_te, epochs):
        return [50.0] * epochs

    with pytest.raises(AssertionError, match=r"fractions in \[0, 1\]"):
        checks.check_train_model(percent)


def test_check_parameter_answers_wants_positive_ints():
    with pytest.raises(AssertionError, match="n_params_fc should be a positive int"):
        checks.check_parameter_answers(n_params_fc=12.5)
