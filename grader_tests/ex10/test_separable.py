"""Hidden tests of `rank1_filter(kernel)` and `is_separable(kernel, rtol)`: the best rank-1
approximation (by `np.linalg.svd`; only the outer product is compared, the signs are free)."""

import numpy as np
import pytest
import reference
from library_use import NO_CONVOLUTION
from thresholds import NUMPY_TASK_CPU_SECONDS

from helpers.expect import expect_array, expect_equal, expect_unchanged

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), NO_CONVOLUTION]

KERNELS = {
    "Sobel 3x3": np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0]),
    "Gaussian 5x4": np.outer(
        np.exp(-(np.arange(-2, 3) ** 2) / 2), np.exp(-(np.arange(-1.5, 2) ** 2))
    ),
    "random 4x3": np.random.default_rng(11).normal(size=(4, 3)),
    "integer 3x5": np.random.default_rng(12).integers(-3, 4, size=(3, 5)),
}


@pytest.mark.parametrize("name", KERNELS)
def test_rank1_filter_is_the_best_rank_one_approximation(student, name):
    """returns a column and a row whose outer product is the best rank-1 approximation"""
    kernel = KERNELS[name]
    found, args_after = student.call("rank1_filter", kernel)
    what = f"rank1_filter({name} kernel)"
    if not (isinstance(found, tuple | list) and len(found) == 2):
        raise AssertionError(f"{what}: expected a (column, row) pair, got {type(found).__name__}")
    column, row = found
    for part, value, size in (("column", column, kernel.shape[0]), ("row", row, kernel.shape[1])):
        if np.shape(value) != (size,):
            raise AssertionError(
                f"{what}: expected a {part} of shape ({size},), got {np.shape(value)}"
            )
    expect_array(
        np.outer(column, row),
        reference.rank1(kernel),
        what=f"np.outer(*{what})",
        hint="take the first singular vectors, each scaled by the square root of s[0]",
    )
    expect_unchanged([kernel], args_after, what="rank1_filter")


def test_is_separable(student):
    """tells separable kernels from the others, within rtol"""
    cases = [
        (KERNELS["Sobel 3x3"], {}),
        (KERNELS["random 4x3"], {}),
        (np.ones((3, 3)) + 1e-6 * np.eye(3), {}),
        (np.ones((3, 3)) + 1e-6 * np.eye(3), {"rtol": 1e-3}),
        (np.zeros((2, 2)), {}),
    ]
    for kernel, options in cases:
        found, _ = student.call("is_separable", kernel, **options)
        expected = reference.is_separable(kernel, **options)
        what = f"is_separable({kernel.shape} kernel, {options or 'rtol=1e-8'})"
        expect_equal(
            bool(found) if type(found) is np.bool_ else found,
            expected,
            what=what,
            hint="compare the second singular value with rtol times the first",
        )
