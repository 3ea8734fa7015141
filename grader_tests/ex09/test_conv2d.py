"""Hidden tests of `convolution_two_dimensional(x, h)`: equal to `convolve2d(x, h, "same")`.

Graded with a correct `add_padding_2d` swapped in, so a padding mistake costs only its own task.
"""

import numpy as np
import pytest
import reference
from library_use import BY_HAND, check_implemented_by_hand
from thresholds import NUMPY_TASK_CPU_SECONDS

from helpers.expect import expect_array, expect_unchanged

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), BY_HAND]

HINT = (
    "flip the kernel in both axes and slide it over x padded with kh // 2 rows and kw // 2 columns"
)


@pytest.fixture(autouse=True)
def implemented_by_hand(submission):
    check_implemented_by_hand(submission, "conv2d_solution", "convolution_two_dimensional")


def check(student, x, h, hint=HINT):
    result, args_after = student.call(
        "convolution_two_dimensional", x, h, references=["add_padding_2d"]
    )
    expected = reference.convolution_two_dimensional(x, h)
    what = f"convolution_two_dimensional(x of shape {x.shape}, h of shape {h.shape})"
    expect_array(result, expected, what=what, rtol=1e-7, atol=1e-9, hint=hint)
    expect_unchanged([x, h], args_after, what="convolution_two_dimensional")


def test_odd_kernels(student):
    """matches scipy.signal.convolve2d(x, h, "same") for odd kernel shapes"""
    rng = np.random.default_rng(40)
    for size, shape in (((8, 9), (3, 3)), ((10, 7), (5, 3)), ((6, 6), (1, 5))):
        check(student, rng.normal(size=size), rng.normal(size=shape))


def test_even_kernels(student):
    """matches scipy.signal.convolve2d(x, h, "same") for even and mixed kernel shapes"""
    rng = np.random.default_rng(41)
    for size, shape in (((8, 9), (2, 2)), ((7, 10), (4, 3)), ((9, 6), (3, 4))):
        check(student, rng.normal(size=size), rng.normal(size=shape))


def test_kernel_as_large_as_image(student):
    """matches scipy when the kernel is as large as the image"""
    rng = np.random.default_rng(42)
    for shape in ((5, 5), (4, 6)):
        check(student, rng.normal(size=shape), rng.normal(size=shape))


def test_int_inputs(student):
    """integer inputs give the exact float result (no truncation)"""
    check(student, np.arange(20).reshape(4, 5) % 7, np.array([[0.5, -1.0], [0.25, 2.0]]))
