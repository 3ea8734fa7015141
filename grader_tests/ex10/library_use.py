"""The library calls that would do an ex10 task for the student, as ``library_ban`` markers of the
judge's plugin (:mod:`grading.judge.pytest_plugin`): a test's calls into the student's code that
reach one of them fail, naming the task and the call."""

from __future__ import annotations

import pytest

from helpers.bans import BANS, BY_HAND, CONVOLUTIONS, JACOBIANS, LEAST_SQUARES, POOLING

#: Marker of the tasks that must convolve by hand.
NO_CONVOLUTION = pytest.mark.library_ban(*CONVOLUTIONS, advice=BY_HAND)
#: Marker of the tasks that must neither convolve nor pool by hand.
NO_CONVOLUTION_OR_POOLING = pytest.mark.library_ban(*CONVOLUTIONS, *POOLING, advice=BY_HAND)
#: Marker of conv_matrix: place the kernel's weights yourself.
NO_JACOBIAN = pytest.mark.library_ban(*CONVOLUTIONS, *JACOBIANS, advice=BANS["conv_matrix"][1])
#: Marker of fit_filter: F.conv2d is allowed there; the kernel must be learned.
NO_LEAST_SQUARES = pytest.mark.library_ban(*LEAST_SQUARES, advice=BANS["fit_filter"][1])
