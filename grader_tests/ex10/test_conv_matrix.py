"""Hidden tests of `conv_matrix(kernel, input_shape, stride)`: the Jacobian of the valid
`F.conv2d`, so that `M @ x.ravel()` is the convolution of `x`."""

import numpy as np
import pytest
import reference
from checks import check_call
from library_use import NO_JACOBIAN
from thresholds import NUMPY_TASK_CPU_SECONDS

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), NO_JACOBIAN]

HINT = "row r * ow + c holds the kernel at rows r*s.., columns c*s.. of the image (C order)"


def check(student, kernel, input_shape, stride=1):
    expected = reference.conv_matrix(kernel, input_shape, stride)
    what = f"conv_matrix(kernel {kernel.shape}, {input_shape}, stride={stride})"
    check_call(
        student,
        "conv_matrix",
        (kernel, input_shape, stride),
        expected,
        what=what,
        hint=HINT,
        references=("conv_output_size",),
    )


def test_square_kernel(student):
    """matches the Jacobian of F.conv2d for a 3x3 kernel on a 4x4 image"""
    check(student, np.arange(1.0, 10.0).reshape(3, 3), (4, 4))


def test_rectangular_kernel_and_image(student):
    """handles non-square images and kernels and a kernel as wide as the image"""
    rng = np.random.default_rng(6)
    check(student, rng.normal(size=(2, 3)), (5, 4))
    check(student, rng.normal(size=(2, 6)), (3, 6))


def test_stride(student):
    """follows the stride, also when it does not divide the size"""
    rng = np.random.default_rng(7)
    check(student, rng.normal(size=(3, 2)), (7, 8), stride=2)
    check(student, rng.normal(size=(2, 2)), (6, 7), stride=(3, 2))
