"""Hidden tests of `convolution_one_dimensional(x, h)`: equal to np.convolve(x, h, mode="same").

Graded with a correct `add_padding_1d` swapped in, so a padding mistake costs only its own task.
"""

import numpy as np
import pytest
import reference
from library_use import BY_HAND, check_implemented_by_hand
from thresholds import NUMPY_TASK_CPU_SECONDS

from helpers.expect import expect_array, expect_unchanged

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), BY_HAND]


@pytest.fixture(autouse=True)
def implemented_by_hand(submission):
    check_implemented_by_hand(submission, "conv1d_solution", "convolution_one_dimensional")


def check(student, x, h, hint="flip the kernel and slide it over x padded with len(h) // 2 zeros"):
    result, args_after = student.call(
        "convolution_one_dimensional", x, h, references=["add_padding_1d"]
    )
    expected = reference.convolution_one_dimensional(x, h)
    what = f"convolution_one_dimensional(x of length {len(x)}, h of length {len(h)})"
    expect_array(result, expected, what=what, rtol=1e-7, atol=1e-9, hint=hint)
    expect_unchanged([x, h], args_after, what="convolution_one_dimensional")


def test_odd_kernels(student):
    """matches np.convolve(x, h, "same") for odd-length kernels"""
    rng = np.random.default_rng(30)
    for n, k in ((10, 3), (17, 5), (9, 7)):
        check(student, rng.normal(size=n), rng.normal(size=k))


def test_even_kernels(student):
    """matches np.convolve(x, h, "same") for even-length kernels"""
    rng = np.random.default_rng(31)
    for n, k in ((10, 2), (13, 4), (8, 6)):
        check(
            student,
            rng.normal(size=n),
            rng.normal(size=k),
            hint="for even len(h) the window of output n starts at x_padded[n]",
        )


def test_kernel_as_long_as_input(student):
    """matches np.convolve when the kernel is as long as the input"""
    rng = np.random.default_rng(32)
    for n in (5, 6):
        check(student, rng.normal(size=n), rng.normal(size=n))


def test_length_one_kernel(student):
    """a kernel of length 1 scales the input"""
    check(student, np.random.default_rng(33).normal(size=6), np.array([2.5]))


def test_int_inputs(student):
    """integer inputs give the exact float result (no truncation)"""
    check(student, np.array([3, 1, 4, 1, 5, 9, 2, 6]), np.array([0.5, -1.5, 2.0]))
    check(student, np.array([2, 7, 1, 8]), np.array([1, -2]))
