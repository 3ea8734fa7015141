"""Classic image filters used in Part 3 of Exercise 09."""

from __future__ import annotations

import numpy as np

#: Sobel kernel that responds to horizontal changes of brightness (vertical edges), (3, 3) float.
SOBEL_X = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
#: Sobel kernel that responds to vertical changes of brightness (horizontal edges), (3, 3) float.
SOBEL_Y = SOBEL_X.T.copy()


def gaussian_kernel(size: int, sigma: float) -> np.ndarray:
    """Return a normalised 2-D Gaussian kernel.

    Args:
        size: side length of the square kernel, at least 1.
        sigma: standard deviation in pixels, positive.

    Returns:
        (size, size) float64 array that sums to 1.
    """
    if size < 1 or sigma <= 0:
        raise ValueError(f"expected size >= 1 and sigma > 0, got size={size}, sigma={sigma}")
    offsets = np.arange(size) - (size - 1) / 2
    profile = np.exp(-(offsets**2) / (2 * sigma**2))
    kernel = np.outer(profile, profile)
    return kernel / kernel.sum()
