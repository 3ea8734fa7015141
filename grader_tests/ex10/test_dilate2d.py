"""Hidden tests of `dilate2d(x, factor)`: `factor - 1` zeros between entries of the last axes."""

import numpy as np
import pytest
import reference
from checks import check_call
from library_use import NO_CONVOLUTION
from thresholds import NUMPY_TASK_CPU_SECONDS

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), NO_CONVOLUTION]


@pytest.mark.parametrize(
    ("shape", "factor"), [((3, 4), 2), ((2, 3, 2), 3), ((2, 1, 3, 2), (2, 1)), ((2, 2), 1)]
)
def test_dilates_the_last_two_axes(student, shape, factor):
    """puts factor - 1 zeros between neighbours in the last two axes only"""
    x = np.random.default_rng(9).integers(1, 9, size=shape)
    check_call(
        student,
        "dilate2d",
        (x, factor),
        reference.dilate2d(x, factor),
        what=f"dilate2d(x {x.shape}, {factor})",
        hint="out has (n - 1) * factor + 1 rows and columns; out[..., ::fh, ::fw] = x",
    )
