"""The convolution tasks must be implemented, not delegated to a library convolution.

Two checks: the names a solution cell mentions (:func:`check_implemented_by_hand`), and, at run
time, tripwires on the library functions themselves (:data:`BY_HAND`, a ``library_ban`` marker of
the judge's plugin on the tasks' modules), which catch aliases made in other cells and computed
names.
"""

from __future__ import annotations

import pytest

from grading.judge.source_check import cell_source, names_used
from helpers.bans import EX09_ADVICE as ADVICE
from helpers.bans import EX09_CONVOLUTION_NAMES, EX09_CONVOLUTIONS

#: The names of library convolutions, as the public checks read them (:mod:`helpers.bans`).
CONVOLUTIONS = set(EX09_CONVOLUTION_NAMES)


def check_implemented_by_hand(submission: dict, cell: str, function: str) -> None:
    """Fail (every test of the task, via an autouse fixture) when the cell names a convolution."""
    used = sorted(names_used(cell_source(submission, cell)) & CONVOLUTIONS)
    assert not used, (
        f"{function} uses {', '.join(used)}: this task asks you to implement the convolution "
        f"yourself, so it earns no credit; {ADVICE}"
    )


#: The marker of the NumPy tasks' modules: calls into the student's code must not convolve.
BY_HAND = pytest.mark.library_ban(*EX09_CONVOLUTIONS, advice=ADVICE)
