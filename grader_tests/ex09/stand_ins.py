"""Trusted stand-ins of Exercise 09 (never released): the student worker loads this module
(``trusted_modules`` in ``conftest.py``), and a hidden test's call that names one of these
functions runs it in place of the student's own, so that a task is graded on its own.

Only stand-ins belong here: whatever this module holds is within reach of student code in the
worker, where :func:`~grading.worker.probes.stand_in` makes a call from student code cost the task.
The judge's other references stay in ``reference.py``, which never leaves the judge.
"""

from __future__ import annotations

import numpy as np
import scipy.signal

from grading.worker.probes import stand_in


@stand_in
def add_padding_1d(x: np.ndarray, filter_size: int) -> np.ndarray:
    return np.pad(np.asarray(x, dtype=float), filter_size // 2)


@stand_in
def add_padding_2d(x: np.ndarray, filter_shape: tuple[int, int]) -> np.ndarray:
    kh, kw = filter_shape
    return np.pad(np.asarray(x, dtype=float), ((kh // 2, kh // 2), (kw // 2, kw // 2)))


@stand_in
def convolution_two_dimensional(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    return scipy.signal.convolve2d(
        np.asarray(x, dtype=float), np.asarray(h, dtype=float), mode="same"
    )
