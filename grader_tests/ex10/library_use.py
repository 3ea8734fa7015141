"""The library calls that would do an ex10 task for the student, as ``library_ban`` markers of the
judge's plugin (:mod:`grading.pytest_plugin`): a test's calls into the student's code that reach
one of them fail, naming the task and the call."""

from __future__ import annotations

import pytest

#: Functions that compute a convolution, correlation or its transpose, or the patches of one.
CONVOLUTIONS = (
    "numpy.convolve",
    "numpy._core.multiarray.correlate",
    "numpy._core.multiarray.correlate2",
    "scipy.signal.convolve",
    "scipy.signal.correlate",
    "scipy.signal.convolve2d",
    "scipy.signal.correlate2d",
    "scipy.signal.fftconvolve",
    "scipy.signal.oaconvolve",
    "scipy.signal._sigtools._convolve2d",
    "scipy.ndimage.convolve",
    "scipy.ndimage.correlate",
    "scipy.ndimage.convolve1d",
    "scipy.ndimage.correlate1d",
    "scipy.linalg.convolution_matrix",
    "torch.conv1d",
    "torch.conv2d",
    "torch.conv3d",
    "torch.conv_transpose1d",
    "torch.conv_transpose2d",
    "torch.convolution",
    "torch._convolution",
    "torch.nn.functional.unfold",
    "torch.nn.functional.fold",
    "torch._C._nn.im2col",
    "torch._C._nn.col2im",
)

#: Functions that pool.
POOLING = (
    "torch.max_pool1d",
    "torch.max_pool2d",
    "torch.avg_pool1d",
    "torch.nn.functional.avg_pool2d",
    "torch.nn.functional.max_pool2d",
    "torch._C._nn.max_pool2d_with_indices",
    "torch.nn.functional.lp_pool2d",
    "torch._C._nn.adaptive_avg_pool2d",
    "torch.nn.functional.adaptive_max_pool2d",
    "scipy.ndimage.maximum_filter",
    "scipy.ndimage.uniform_filter",
    "scipy.ndimage.generic_filter",
)

#: Functions that compute a Jacobian (the convolution matrix must be built, not measured).
JACOBIANS = (
    "torch.autograd.functional.jacobian",
    "torch.func.jacrev",
    "torch.func.jacfwd",
)

#: Functions that solve the filter as a least-squares problem instead of learning it.
LEAST_SQUARES = (
    "numpy.linalg.lstsq",
    "numpy.linalg.pinv",
    "numpy.linalg.solve",
    "torch.linalg.lstsq",
    "torch.linalg.pinv",
    "torch.linalg.solve",
    "scipy.linalg.lstsq",
    "scipy.linalg.pinv",
    "scipy.linalg.solve",
)

BY_HAND = "use NumPy indexing, slicing, loops or einsum instead"

#: Marker of the tasks that must convolve by hand.
NO_CONVOLUTION = pytest.mark.library_ban(*CONVOLUTIONS, advice=BY_HAND)
#: Marker of the tasks that must neither convolve nor pool by hand.
NO_CONVOLUTION_OR_POOLING = pytest.mark.library_ban(*CONVOLUTIONS, *POOLING, advice=BY_HAND)
#: Marker of conv_matrix: place the kernel's weights yourself.
NO_JACOBIAN = pytest.mark.library_ban(
    *CONVOLUTIONS, *JACOBIANS, advice="place the kernel's weights in each row yourself"
)
#: Marker of fit_filter: F.conv2d is allowed there; the kernel must be learned.
NO_LEAST_SQUARES = pytest.mark.library_ban(
    *LEAST_SQUARES, advice="learn the kernel by gradient descent on the loss"
)
