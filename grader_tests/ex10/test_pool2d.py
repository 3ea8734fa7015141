"""Hidden tests of `pool2d(x, kernel_size, stride, padding, mode)`: equal to `F.max_pool2d` and
`F.avg_pool2d` (which counts the padding)."""

import numpy as np
import pytest
import reference
from checks import check_call
from library_use import NO_CONVOLUTION_OR_POOLING
from thresholds import NUMPY_TASK_CPU_SECONDS

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), NO_CONVOLUTION_OR_POOLING]


def check(student, x, kernel_size, mode, hint, **options):
    expected = reference.pool2d(x, kernel_size, mode=mode, **options)
    what = f"pool2d(x {x.shape}, {kernel_size}, mode={mode!r}, {options or 'defaults'})"
    check_call(
        student,
        "pool2d",
        (x, kernel_size),
        expected,
        what=what,
        hint=hint,
        references=("conv_output_size",),
        mode=mode,
        **options,
    )


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_default_stride_is_the_kernel_size(student, mode):
    """pools each channel of each image separately, stride defaulting to the kernel size"""
    x = np.random.default_rng(4).normal(size=(2, 3, 8, 6))
    check(student, x, 2, mode, "pool each channel on its own; stride=None means stride=kernel_size")


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_stride_padding_and_rectangular_windows(student, mode):
    """follows stride, padding and rectangular windows"""
    x = np.random.default_rng(5).normal(size=(1, 2, 9, 7)) - 5.0  # negative: zero padding shows
    hint = "max pads with -inf (never wins); avg pads with zeros and divides by the window size"
    for kernel_size, options in ((3, {"stride": 2, "padding": 1}), ((2, 3), {"stride": (1, 2)})):
        check(student, x, kernel_size, mode, hint, **options)


def test_integer_input(student):
    """returns float64 averages of integer input"""
    x = np.arange(16).reshape(1, 1, 4, 4)
    check(student, x, 2, "avg", "convert to float before averaging")
