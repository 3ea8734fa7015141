"""Small helpers of the convolution-arithmetic exercises."""

from __future__ import annotations

import numpy as np


def as_pair(value: int | tuple[int, int]) -> tuple[int, int]:
    """``kernel_size``, ``stride``, ``padding`` or ``dilation`` as an (h, w) pair: ``3 -> (3, 3)``,
    ``(3, 1) -> (3, 1)``."""
    if np.ndim(value) == 0:
        return int(value), int(value)
    h, w = value
    return int(h), int(w)
