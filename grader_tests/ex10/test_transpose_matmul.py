"""Hidden tests of `conv_transpose_matmul(y, kernel, input_shape, stride)`: `M.T @ y`, equal to
`F.conv_transpose2d` with the matching output padding (graded with a correct `conv_matrix`)."""

import numpy as np
import pytest
import reference
from checks import check_call
from library_use import NO_CONVOLUTION
from thresholds import NUMPY_TASK_CPU_SECONDS

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), NO_CONVOLUTION]


@pytest.mark.parametrize(
    ("input_shape", "kernel_shape", "stride"),
    [((4, 4), (3, 3), 1), ((7, 8), (3, 2), 2), ((6, 7), (2, 2), (3, 2))],
)
def test_matches_the_transposed_convolution(student, input_shape, kernel_shape, stride):
    """maps an output back to the input's shape as F.conv_transpose2d does"""
    rng = np.random.default_rng(8)
    kernel = rng.normal(size=kernel_shape)
    sh, sw = (stride, stride) if np.ndim(stride) == 0 else stride
    out = (
        (input_shape[0] - kernel_shape[0]) // sh + 1,
        (input_shape[1] - kernel_shape[1]) // sw + 1,
    )
    y = rng.normal(size=out)
    check_call(
        student,
        "conv_transpose_matmul",
        (y, kernel, input_shape, stride),
        reference.conv_transpose_matmul(y, kernel, input_shape, stride),
        what=f"conv_transpose_matmul(y {y.shape}, kernel {kernel.shape}, {input_shape}, {stride})",
        hint="(conv_matrix(kernel, input_shape, stride).T @ y.ravel()).reshape(input_shape)",
        references=("conv_matrix",),
    )
