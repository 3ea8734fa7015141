"""Hidden tests of `add_padding_1d(x, filter_size)`: filter_size // 2 zeros on each side, float."""

import numpy as np
import pytest
import reference
from library_use import BY_HAND
from thresholds import NUMPY_TASK_CPU_SECONDS

from helpers.expect import expect_array, expect_unchanged

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), BY_HAND]

HINT = "pad filter_size // 2 zeros on both sides"


def check(student, x, filter_size):
    result, args_after = student.call("add_padding_1d", x, filter_size)
    expected = reference.add_padding_1d(x, filter_size)
    expect_array(
        result, expected, what=f"add_padding_1d(x of length {len(x)}, {filter_size})", hint=HINT
    )
    expect_unchanged([x], args_after[:1], what="add_padding_1d")


def test_odd_filter_sizes(student):
    """pads filter_size // 2 zeros on each side for odd filter sizes"""
    rng = np.random.default_rng(10)
    for n, k in ((7, 3), (12, 5), (5, 1)):
        check(student, rng.normal(size=n), k)


def test_even_filter_sizes(student):
    """pads filter_size // 2 zeros on each side for even filter sizes"""
    rng = np.random.default_rng(11)
    for n, k in ((8, 2), (9, 4), (6, 6)):
        check(student, rng.normal(size=n), k)


def test_int_input_gives_float_array(student):
    """returns a float array for integer input"""
    check(student, np.arange(1, 8), 3)
