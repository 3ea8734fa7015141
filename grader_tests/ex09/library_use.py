"""The convolution tasks must be implemented, not delegated to a library convolution.

Two checks: the names a solution cell mentions (:func:`check_implemented_by_hand`), and, at run
time, tripwires on the library functions themselves (:data:`BY_HAND`, a ``library_ban`` marker of
the judge's plugin on the tasks' modules), which catch aliases made in other cells and computed
names.
"""

from __future__ import annotations

import pytest

from grading.source_check import cell_source, names_used

#: What a student whose code reached a library convolution should do instead.
ADVICE = "use loops or array slicing instead"

#: Library functions that compute a convolution or correlation (lower-cased).
CONVOLUTIONS = {
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
}


def check_implemented_by_hand(submission: dict, cell: str, function: str) -> None:
    """Fail (every test of the task, via an autouse fixture) when the cell names a convolution."""
    used = sorted(names_used(cell_source(submission, cell)) & CONVOLUTIONS)
    assert not used, (
        f"{function} uses {', '.join(used)}: this task asks you to implement the convolution "
        f"yourself, so it earns no credit; {ADVICE}"
    )


#: Library functions that convolve, wired in the student's worker (see :mod:`grading.tripwires`),
#: including the compiled routines the public functions call.
LIBRARY_CONVOLUTIONS = (
    "numpy.convolve",
    "numpy.correlate",
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
)

#: The marker of the NumPy tasks' modules: calls into the student's code must not convolve.
BY_HAND = pytest.mark.library_ban(*LIBRARY_CONVOLUTIONS, advice=ADVICE)
