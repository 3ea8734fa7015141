"""Hidden tests of `conv1x1(x, weight, bias)`: per-pixel channel mixing, equal to `F.conv2d` with
a 1x1 kernel, without any convolution call."""

import numpy as np
import pytest
import reference
from checks import check_call
from library_use import NO_CONVOLUTION
from thresholds import NUMPY_TASK_CPU_SECONDS

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), NO_CONVOLUTION]

HINT = "out[n, o, i, j] = sum over c of weight[o, c] * x[n, c, i, j] (+ bias[o])"


def test_mixes_channels_per_pixel(student):
    """mixes the channels of every pixel of every image with the (O, C) weight"""
    rng = np.random.default_rng(13)
    x, weight = rng.normal(size=(2, 3, 5, 4)), rng.normal(size=(4, 3))
    check_call(
        student,
        "conv1x1",
        (x, weight),
        reference.conv1x1(x, weight),
        what="conv1x1(x (2, 3, 5, 4), weight (4, 3))",
        hint=HINT,
    )


def test_bias_and_integer_input(student):
    """adds one bias per output channel and returns float64 for integer input"""
    rng = np.random.default_rng(14)
    x, weight, bias = (
        rng.integers(0, 5, size=(1, 2, 3, 3)),
        rng.normal(size=(3, 2)),
        rng.normal(size=3),
    )
    check_call(
        student,
        "conv1x1",
        (x, weight, bias),
        reference.conv1x1(x, weight, bias),
        what="conv1x1(integer x (1, 2, 3, 3), weight (3, 2), bias (3,))",
        hint="the bias has one entry per output channel: bias[None, :, None, None]",
    )
