"""The static check finds library convolutions however they are named in the source."""

from __future__ import annotations

import pytest

from grading.judge.source_check import cell_source, names_used


@pytest.mark.parametrize(
    "source",
    [
        "def f(x, h):\n    return np.convolve(x, h, 'same')",
        "from scipy.signal import convolve2d as c\ndef f(x, h):\n    return c(x, h)",
        "import scipy.signal\ndef f(x, h):\n    return scipy.signal.correlate2d(x, h[::-1, ::-1])",
        "def f(x, h):\n    return getattr(np, 'convolve')(x, h)",
        "def f(x, h):\n    return F.conv1d(x, h)",
    ],
)
def test_library_convolutions_are_found(source):
    found = names_used(source) & {"convolve", "convolve2d", "correlate2d", "conv1d"}
    assert found, f"expected a library convolution to be found in {source!r}, found none"


def test_hand_written_convolution_names_nothing_banned():
    source = "def conv(x, h):\n    return sliding_window_view(x, len(h)) @ h[::-1]"
    found = names_used(source) & {"convolve", "correlate", "conv1d"}
    assert not found, f"expected no library convolution, found {found}"


def test_unparsable_code_names_nothing():
    assert names_used("def f(:") == set(), "code that does not parse should give no names"


def test_cell_source_finds_a_cell_by_grade_id():
    bundle = {"cells": [{"grade_id": "a", "source": "x = 1"}]}
    assert (cell_source(bundle, "a"), cell_source(bundle, "b")) == ("x = 1", ""), (
        "wrong cell source"
    )
