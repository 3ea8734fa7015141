"""Hidden tests of `add_padding_2d(x, filter_shape)`: kh // 2 rows and kw // 2 columns of zeros."""

import numpy as np
import pytest
import reference
from library_use import BY_HAND
from thresholds import NUMPY_TASK_CPU_SECONDS

from helpers.expect import expect_array, expect_unchanged

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), BY_HAND]

HINT = "pad kh // 2 rows at top and bottom and kw // 2 columns at left and right"


def check(student, x, shape):
    result, args_after = student.call("add_padding_2d", x, shape)
    expected = reference.add_padding_2d(x, shape)
    expect_array(result, expected, what=f"add_padding_2d(x of shape {x.shape}, {shape})", hint=HINT)
    expect_unchanged([x], args_after[:1], what="add_padding_2d")


def test_odd_filter_shapes(student):
    """pads the right rows and columns for odd filter shapes"""
    rng = np.random.default_rng(20)
    for size, shape in (((6, 7), (3, 3)), ((5, 9), (5, 3)), ((4, 4), (1, 1))):
        check(student, rng.normal(size=size), shape)


def test_even_and_mixed_filter_shapes(student):
    """pads the right rows and columns for even and mixed filter shapes"""
    rng = np.random.default_rng(21)
    for size, shape in (((6, 7), (2, 2)), ((5, 8), (4, 3)), ((7, 5), (3, 4))):
        check(student, rng.normal(size=size), shape)


def test_int_input_gives_float_array(student):
    """returns a float array for integer input"""
    check(student, np.arange(12).reshape(3, 4), (3, 3))
