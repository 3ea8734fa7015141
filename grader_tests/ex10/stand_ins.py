"""Trusted stand-ins of Exercise 10 (never released): the student worker loads this module
(``trusted_modules`` in ``conftest.py``), and a hidden test's call that names one of these
functions runs it in place of the student's own, so that a task built on an earlier one
(the transposed convolution on ``dilate2d`` and ``conv2d``) is graded on its own.

Only stand-ins belong here: whatever this module holds is within reach of student code in the
worker, where :func:`~grading.worker.probes.stand_in` makes a call from student code cost the task.
The judge's other references stay in ``reference.py``, which never leaves the judge.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from grading.worker.probes import stand_in


def tensor(array: np.ndarray) -> torch.Tensor:
    """``array`` as a float64 tensor."""
    return torch.from_numpy(np.array(array, dtype=np.float64))


@stand_in
def conv_output_size(n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """The output length of ``F.conv1d`` on zeros; ValueError when it would be empty."""
    if n + 2 * padding < dilation * (k - 1) + 1:
        raise ValueError(f"a kernel of {k} (dilation {dilation}) does not fit {n} + 2 * {padding}")
    weight = torch.zeros(1, 1, k)
    return F.conv1d(torch.zeros(1, 1, n), weight, None, stride, padding, dilation).shape[-1]


@stand_in
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1) -> np.ndarray:
    """``F.conv2d`` on NumPy arrays."""
    bias = None if bias is None else tensor(bias)
    return F.conv2d(tensor(x), tensor(weight), bias, stride, padding, dilation).numpy()


@stand_in
def conv_matrix(kernel, input_shape, stride=1) -> np.ndarray:
    """The Jacobian of the valid ``F.conv2d`` of an ``input_shape`` image with ``kernel``."""
    weight = tensor(kernel)[None, None]

    def convolve(image: torch.Tensor) -> torch.Tensor:
        return F.conv2d(image.reshape(1, 1, *input_shape), weight, stride=stride).ravel()

    zeros = torch.zeros(int(np.prod(input_shape)), dtype=torch.float64)
    return torch.autograd.functional.jacobian(convolve, zeros).numpy()


@stand_in
def dilate2d(x, factor) -> np.ndarray:
    """``factor - 1`` zeros between the entries of the last two axes, by slicing."""
    fh, fw = (factor, factor) if np.ndim(factor) == 0 else factor
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros((*x.shape[:-2], (x.shape[-2] - 1) * fh + 1, (x.shape[-1] - 1) * fw + 1))
    out[..., ::fh, ::fw] = x
    return out
