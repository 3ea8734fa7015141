"""Hidden tests of `conv_output_size` and `conv_transpose_output_size`: PyTorch's lengths."""

import itertools

import pytest
import reference
from library_use import NO_CONVOLUTION
from thresholds import NUMPY_TASK_CPU_SECONDS

from grading.judge.errors import StudentError
from helpers.expect import expect_int

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), NO_CONVOLUTION]

#: (n, k, stride, padding, dilation) with a non-empty output: every combination of small values,
#: thinned to every 7th (about 90 cases, each a round trip to the worker).
CASES = [
    case
    for case in itertools.product(range(1, 12, 2), range(1, 6), (1, 2, 3), (0, 1, 2), (1, 2, 3))
    if case[0] + 2 * case[3] >= case[4] * (case[1] - 1) + 1
][::7]


def expect_size(student, name, args, expected, hint):
    found, _ = student.call(name, *args)
    expect_int(found, expected, what=f"{name}{args}", hint=hint)


def expect_value_error(student, name, args):
    try:
        found, _ = student.call(name, *args)
    except StudentError as error:
        if not str(error).startswith("ValueError"):
            raise AssertionError(f"{name}{args}: expected a ValueError, got {error}") from None
        return
    raise AssertionError(
        f"{name}{args}: the output would be empty, expected a ValueError, got {found}"
    )


def test_conv_output_size(student):
    """conv_output_size matches F.conv2d over sizes, kernels, strides, paddings and dilations"""
    for n, k, s, p, d in CASES:
        expect_size(
            student,
            "conv_output_size",
            (n, k, s, p, d),
            reference.conv_output_size(n, k, s, p, d),
            hint="floor((n + 2p - d(k - 1) - 1) / s) + 1",
        )


def test_conv_output_size_rejects_empty_outputs(student):
    """conv_output_size raises ValueError when the kernel does not fit"""
    for args in ((2, 3), (1, 2, 1, 0, 1), (3, 3, 1, 0, 2), (4, 7, 2, 1)):
        expect_value_error(student, "conv_output_size", args)


def test_conv_transpose_output_size(student):
    """conv_transpose_output_size matches F.conv_transpose2d, output_padding included"""
    for n, k, s, p, d in CASES:
        for output_padding in range(max(s, d)):
            args = (n, k, s, p, output_padding, d)
            try:
                expected = reference.conv_transpose_output_size(*args)
            except ValueError:
                continue
            expect_size(
                student,
                "conv_transpose_output_size",
                args,
                expected,
                hint="(n - 1)s - 2p + d(k - 1) + output_padding + 1",
            )


def test_conv_transpose_output_size_rejects_empty_outputs(student):
    """conv_transpose_output_size raises ValueError when the output would be empty"""
    for args in ((1, 1, 1, 1), (1, 3, 1, 2), (2, 1, 1, 1)):
        expect_value_error(student, "conv_transpose_output_size", args)
