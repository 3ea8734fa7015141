"""Exercise 10's public checks: their worked numbers agree with PyTorch, they pass on correct code
and fail on typical mistakes with a message saying what to look at."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from tests_paths import ROOT
from torch import nn

from helpers import checks_ex10 as checks

sys.path.insert(0, str(ROOT / "grader_tests" / "ex10"))
import reference  # noqa: E402


def test_the_lectures_worked_numbers_agree_with_torch():
    def t(a):
        return torch.tensor(np.asarray(a, dtype=float))

    found = F.conv2d(t(checks.BINARY_IMAGE)[None, None], t(checks.BINARY_KERNEL)[None, None])
    np.testing.assert_array_equal(found[0, 0].numpy(), checks.BINARY_RESULT, "binary example")
    pooled = F.max_pool2d(t(checks.POOL_IMAGE)[None, None], 2)[0, 0].numpy()
    np.testing.assert_array_equal(pooled, checks.POOL_RESULT, "max-pooling example")
    simple_cnn = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Flatten(), nn.Linear(6 * 24 * 24, 10))
    count = sum(p.numel() for p in simple_cnn.parameters())
    assert count == 34726, f"expected the SimpleCNN's 34,726 parameters, got {count}"
    separable = nn.Sequential(nn.Conv2d(1, 1, (15, 1)), nn.Conv2d(1, 1, (1, 15)))
    counts = (
        sum(p.numel() for p in nn.Conv2d(1, 1, 15).parameters()),
        sum(p.numel() for p in separable.parameters()),
    )
    assert counts == (226, 32), f"expected 226 parameters against 32, got {counts}"
    white = checks.RGB_TO_XYZ @ np.ones(3)
    np.testing.assert_allclose(white, [0.9505, 1.0, 1.089], atol=1e-3, err_msg="D65 white point")


def fit_filter(x, y, kernel_shape):
    x, y = torch.tensor(x)[None, None], torch.tensor(y)[None, None]
    kernel = torch.zeros((1, 1, *kernel_shape), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([kernel], lr=0.1)
    losses = []
    for _ in range(500):
        loss = F.mse_loss(F.conv2d(x, kernel), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return kernel.detach()[0, 0].numpy(), losses


def rank1_filter(kernel):
    u, s, vt = np.linalg.svd(kernel)
    return u[:, 0] * np.sqrt(s[0]), vt[0] * np.sqrt(s[0])


CORRECT = {
    "output_size": (
        checks.check_output_size,
        (reference.conv_output_size, reference.conv_transpose_output_size),
    ),
    "describe_network": (checks.check_describe_network, (reference.describe_network,)),
    "conv2d": (checks.check_conv2d, (reference.conv2d,)),
    "pool2d": (checks.check_pool2d, (reference.pool2d,)),
    "conv_matrix": (checks.check_conv_matrix, (reference.conv_matrix,)),
    "transpose_matmul": (checks.check_conv_transpose_matmul, (reference.conv_transpose_matmul,)),
    "dilate2d": (checks.check_dilate2d, (reference.dilate2d,)),
    "conv_transpose2d": (checks.check_conv_transpose2d, (reference.conv_transpose2d,)),
    "separable": (checks.check_separable, (rank1_filter, reference.is_separable)),
    "conv1x1": (checks.check_conv1x1, (reference.conv1x1,)),
    "fit_filter": (checks.check_fit_filter, (fit_filter,)),
}


@pytest.mark.parametrize("task", CORRECT)
def test_correct_code_passes(task, capsys):
    check, functions = CORRECT[task]
    check(*functions)
    assert "passes the public checks" in capsys.readouterr().out, f"expected {task} to pass"


def flipped_conv2d(x, weight, bias=None, **options):
    return reference.conv2d(x, np.asarray(weight)[:, :, ::-1, ::-1], bias, **options)


def pool_excluding_padding(x, kernel_size, stride=None, padding=0, mode="max"):
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    x = torch.tensor(np.asarray(x, dtype=float))
    return (
        pool(x, kernel_size, stride, padding, count_include_pad=False).numpy()
        if mode == "avg"
        else pool(x, kernel_size, stride, padding).numpy()
    )


def fortran_conv_matrix(kernel, input_shape, stride=1):
    matrix = reference.conv_matrix(kernel, input_shape, stride)
    return matrix.reshape(-1, *input_shape).transpose(0, 2, 1).reshape(matrix.shape[0], -1)


def without_zero_grad(x, y, kernel_shape):
    x, y = torch.tensor(x)[None, None], torch.tensor(y)[None, None]
    kernel = torch.zeros((1, 1, *kernel_shape), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([kernel], lr=0.01)
    losses = []
    for _ in range(100):
        loss = F.mse_loss(F.conv2d(x, kernel), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return kernel.detach()[0, 0].numpy(), losses


WRONG = {
    "ceil_output_size": (
        checks.check_output_size,
        (
            lambda n, k, s=1, p=0, d=1: -(-(n + 2 * p - d * (k - 1) - 1) // s) + 1,
            reference.conv_transpose_output_size,
        ),
        "conv_output_size",
    ),
    "flipped_kernel": (checks.check_conv2d, (flipped_conv2d,), "without flipping"),
    "avg_pool_excluding_padding": (
        checks.check_pool2d,
        (pool_excluding_padding,),
        "counts the zero padding",
    ),
    "fortran_order_matrix": (checks.check_conv_matrix, (fortran_conv_matrix,), "C order"),
    "missing_zero_grad": (checks.check_fit_filter, (without_zero_grad,), "zero the gradients"),
    "returns_a_tensor": (
        checks.check_conv1x1,
        (lambda x, w, b=None: torch.tensor(reference.conv1x1(x, w, b)),),
        "expected a NumPy array",
    ),
}


@pytest.mark.parametrize("case", WRONG)
def test_typical_mistakes_fail_saying_what_to_look_at(case):
    check, functions, advice = WRONG[case]
    with pytest.raises(AssertionError) as caught:
        check(*functions)
    assert advice in str(caught.value), (
        f"expected the message to mention {advice!r}, got: {caught.value}"
    )
