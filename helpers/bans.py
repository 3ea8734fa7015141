"""The library functions that earn nothing in each task, as dotted names.

One list for the public checks (which flag the calls a solution cell makes,
:mod:`helpers.library_use`) and for the hidden tests (whose tripwires record every call in the
grader's worker, ``library_ban`` markers built from these lists), so both hold the same contract.
This module imports nothing, so the grader's judge reads it without the checks' dependencies.
"""

from __future__ import annotations

#: Functions that convolve or correlate, numpy's and scipy's compiled routines included.
_CONVOLVE = (
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
    "torch.conv1d",
    "torch.conv2d",
    "torch.convolution",
    # PyTorch's dispatcher runs these whichever Python function reached them (torch.ops.aten.*,
    # torch._C._VariableFunctions, a module's forward): the grader watches them there.
    "aten::convolution",
    "aten::_convolution",
    "aten::convolution_overrideable",
    "aten::convolution_backward",
    "aten::_slow_conv2d_forward",
    "aten::slow_conv_transpose2d",
    "aten::_conv_depthwise2d",
    "aten::mkldnn_convolution",
    "aten::conv_tbc",
    "aten::im2col",
    "aten::col2im",
)

#: Names (lower-cased, as :func:`helpers.library_use.names_used` reads them) of Python's internals:
#: closures and the functions behind wrappers, frames, the garbage collector's object walks,
#: ``ctypes``, tracing and PyTorch's mode stack. Code that uses them can reach the grader's own
#: objects in its process (the original behind a tripwire), where the grader cannot watch it, so a
#: task that must be written by hand earns nothing when its code (or a helper it calls) does.
INTERNALS = (
    "__closure__",
    "cell_contents",
    "__wrapped__",
    "__globals__",
    "__code__",
    "gc",
    "get_referents",
    "get_referrers",
    "get_objects",
    "ctypes",
    "_ctypes",
    "_getframe",
    "currentframe",
    "_current_frames",
    "getclosurevars",
    "inspect",
    "traceback",
    "f_back",
    "f_globals",
    "f_locals",
    "tb_frame",
    "gi_frame",
    "settrace",
    "setprofile",
    "_python_dispatch",
    "_pop_mode",
    "_disable_current_modes",
)

#: ex09: its padding, convolution and Sobel tasks earn nothing when they reach one of these.
EX09_CONVOLUTIONS = (*_CONVOLVE, "numpy.correlate")
#: ex09: the names of convolutions its hidden source check looks for in the convolution cells
#: (lower-cased), besides the last names of :data:`EX09_CONVOLUTIONS`.
EX09_CONVOLUTION_NAMES = (
    "convolve",
    "correlate",
    "convolve2d",
    "correlate2d",
    "fftconvolve",
    "oaconvolve",
    "choose_conv_method",
    "conv1d",
    "conv2d",
    "conv_transpose1d",
    "conv_transpose2d",
    "filter2d",
)
#: ex09: what a student whose code reached a library convolution should do instead.
EX09_ADVICE = "use loops or array slicing instead"

#: ex10: functions that compute a convolution, correlation or its transpose, or the patches of one.
CONVOLUTIONS = (
    *_CONVOLVE,
    "scipy.linalg.convolution_matrix",
    "torch.conv3d",
    "torch.conv_transpose1d",
    "torch.conv_transpose2d",
    "torch._convolution",
    "torch.nn.functional.unfold",
    "torch.nn.functional.fold",
    "torch._C._nn.im2col",
    "torch._C._nn.col2im",
)
#: ex10: functions that pool.
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
    "aten::max_pool1d",
    "aten::max_pool1d_with_indices",
    "aten::max_pool2d",
    "aten::max_pool2d_with_indices",
    "aten::max_pool3d_with_indices",
    "aten::avg_pool1d",
    "aten::avg_pool2d",
    "aten::avg_pool3d",
    "aten::_adaptive_avg_pool2d",
    "aten::adaptive_max_pool1d",
    "aten::adaptive_max_pool2d",
    "aten::fractional_max_pool2d",
    "aten::mkldnn_max_pool2d",
)
#: ex10: functions that compute a Jacobian (the convolution matrix must be built, not measured).
JACOBIANS = (
    "torch.autograd.functional.jacobian",
    "torch.func.jacrev",
    "torch.func.jacfwd",
)
#: ex10: functions that solve the filter as a least-squares problem instead of learning it.
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
#: ex10: what a student whose code reached a banned function should do instead.
BY_HAND = "use NumPy indexing, slicing, loops or einsum instead"
#: ex10: the library functions that earn nothing in each task, and what to do instead.
BANS: dict[str, tuple[tuple[str, ...], str]] = {
    "conv_output_size": (CONVOLUTIONS, BY_HAND),
    "conv_transpose_output_size": (CONVOLUTIONS, BY_HAND),
    "describe_network": (
        CONVOLUTIONS + POOLING,
        "compute the shapes and counts by hand with conv_output_size and arithmetic, without torch",
    ),
    "conv2d": (CONVOLUTIONS, BY_HAND),
    "pool2d": (CONVOLUTIONS + POOLING, BY_HAND),
    "conv1x1": (CONVOLUTIONS, BY_HAND),
    "conv_matrix": (CONVOLUTIONS + JACOBIANS, "place the kernel's weights in each row yourself"),
    "conv_transpose_matmul": (CONVOLUTIONS, BY_HAND),
    "dilate2d": (CONVOLUTIONS, BY_HAND),
    "conv_transpose2d": (CONVOLUTIONS, BY_HAND),
    "rank1_filter": (CONVOLUTIONS, BY_HAND),
    "is_separable": (CONVOLUTIONS, BY_HAND),
    "fit_filter": (LEAST_SQUARES, "learn the kernel by gradient descent on the loss"),
}
#: ex10: words a task may not use even as plain names (its hidden source check's words).
PLAIN_NAMES: dict[str, tuple[str, ...]] = {"describe_network": ("torch", "nn")}
