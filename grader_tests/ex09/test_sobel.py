"""Hidden tests of `sobel_edges(image, threshold)`, with a correct 2-D convolution swapped in."""

import numpy as np
import pytest
import reference
from library_use import BY_HAND
from thresholds import NUMPY_TASK_CPU_SECONDS

from helpers.expect import expect_array

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), BY_HAND]

HINT = (
    "edges are where np.hypot(gx, gy) > threshold, with gx, gy the image convolved with "
    "SOBEL_X, SOBEL_Y"
)


def check(student, image, threshold):
    result, _ = student.call(
        "sobel_edges", image, threshold, references=["convolution_two_dimensional"]
    )
    expected = reference.sobel_edges(image, threshold)
    expect_array(
        result,
        expected,
        what=f"sobel_edges(image of shape {image.shape}, {threshold})",
        kind="b",
        hint=HINT,
    )


def test_random_images(student):
    """marks the pixels whose gradient magnitude exceeds the threshold"""
    rng = np.random.default_rng(50)
    check(student, rng.random((12, 15)), 1.0)
    check(student, rng.random((9, 9)), 0.5)


def test_step_edge(student):
    """finds the vertical edge of a step image"""
    image = np.zeros((8, 10))
    image[:, 5:] = 1.0
    check(student, image, 2.0)
