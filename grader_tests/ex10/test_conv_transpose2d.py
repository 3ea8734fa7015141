"""Hidden tests of `conv_transpose2d(y, weight, stride, padding)`: equal to `F.conv_transpose2d`
(graded with correct `dilate2d` and `conv2d`)."""

import numpy as np
import pytest
import reference
from checks import check_call
from library_use import NO_CONVOLUTION
from thresholds import NUMPY_TASK_CPU_SECONDS

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), NO_CONVOLUTION]

HINT = (
    "dilate y by the stride, pad k - 1 - p on each side, and convolve with the kernel flipped "
    "in both axes and its channel axes swapped: weight[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)"
)


@pytest.mark.parametrize(
    ("y_shape", "weight_shape", "stride", "padding"),
    [
        ((1, 3, 3), (1, 1, 3, 3), 1, 0),
        ((2, 3, 4), (2, 3, 3, 2), 2, 0),
        ((3, 4, 3), (3, 2, 4, 3), 2, 1),
        ((2, 2, 5), (2, 1, 2, 2), (3, 1), (0, 1)),
    ],
)
def test_matches_f_conv_transpose2d(student, y_shape, weight_shape, stride, padding):
    """matches F.conv_transpose2d for channels, strides and paddings"""
    rng = np.random.default_rng(10)
    y, weight = rng.normal(size=y_shape), rng.normal(size=weight_shape)
    check_call(
        student,
        "conv_transpose2d",
        (y, weight, stride, padding),
        reference.conv_transpose2d(y, weight, stride, padding),
        what=f"conv_transpose2d(y {y_shape}, weight {weight_shape}, {stride}, {padding})",
        hint=HINT,
        references=("dilate2d", "conv2d"),
    )
