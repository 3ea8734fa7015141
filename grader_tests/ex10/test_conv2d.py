"""Hidden tests of `conv2d(x, weight, bias, stride, padding, dilation)`: equal to `F.conv2d`."""

import numpy as np
import pytest
import reference
from checks import check_call
from library_use import NO_CONVOLUTION
from thresholds import NUMPY_TASK_CPU_SECONDS

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), NO_CONVOLUTION]

HINT = "no kernel flip: out[n, o, i, j] = sum of x[n, c, i*s + u*d, j*s + v*d] * w[o, c, u, v]"


def check(student, x, weight, bias=None, hint=HINT, **options):
    what = f"conv2d(x {x.shape}, weight {weight.shape}, {options or 'defaults'})"
    expected = reference.conv2d(x, weight, bias, **options)
    args = (x, weight) if bias is None else (x, weight, bias)
    check_call(
        student,
        "conv2d",
        args,
        expected,
        what=what,
        hint=hint,
        references=("conv_output_size",),
        **options,
    )


def test_single_channel_valid(student):
    """matches F.conv2d on one image, one channel, no padding"""
    rng = np.random.default_rng(0)
    check(student, rng.normal(size=(1, 1, 6, 7)), rng.normal(size=(1, 1, 3, 3)))


def test_channels_batch_and_bias(student):
    """sums over input channels, keeps the batch and adds one bias per output channel"""
    rng = np.random.default_rng(1)
    x, weight = rng.normal(size=(2, 3, 8, 9)), rng.normal(size=(4, 3, 3, 2))
    check(student, x, weight, rng.normal(size=4), hint="bias has one entry per output channel")


def test_stride_padding_and_dilation(student):
    """follows stride, padding and dilation, as ints or (h, w) pairs"""
    rng = np.random.default_rng(2)
    x, weight = rng.normal(size=(2, 2, 11, 10)), rng.normal(size=(3, 2, 3, 2))
    for options in (
        {"stride": 2},
        {"padding": 1},
        {"stride": 3, "padding": 2},
        {"dilation": 2},
        {"stride": (2, 1), "padding": (1, 0), "dilation": (1, 3)},
    ):
        check(
            student,
            x,
            weight,
            hint="output size: floor((n + 2p - d(k - 1) - 1) / s) + 1",
            **options,
        )


def test_kernel_as_large_as_the_image_and_integer_input(student):
    """handles a kernel as large as the image and integer input (float64 result)"""
    rng = np.random.default_rng(3)
    check(student, rng.integers(-3, 4, size=(1, 2, 4, 5)), rng.integers(-2, 3, size=(2, 2, 4, 5)))
