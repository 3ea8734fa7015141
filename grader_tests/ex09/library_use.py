"""The convolution tasks must be implemented, not delegated to a library convolution."""

from __future__ import annotations

from grading.source_check import cell_source, names_used

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
        "yourself, so it earns no credit; use loops or array slicing instead"
    )
