"""What every ex10 hidden test checks of a NumPy result: a float64 array equal to the
reference, and inputs left as they were."""

from __future__ import annotations

from typing import Any

import numpy as np

from grading.judge.student import StudentProcess
from helpers.expect import expect_array, expect_unchanged


def check_call(
    student: StudentProcess,
    name: str,
    args: tuple,
    expected: np.ndarray,
    *,
    what: str,
    hint: str = "",
    references: tuple[str, ...] = (),
    **kwargs: Any,
) -> None:
    """Call the student's ``name(*args, **kwargs)`` and compare with ``expected``."""
    result, args_after = student.call(name, *args, references=references, **kwargs)
    expect_array(
        result, np.asarray(expected, dtype=np.float64), what=what, dtype="float64", hint=hint
    )
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    expect_unchanged(arrays, tuple(a for a in args_after if isinstance(a, np.ndarray)), what=name)
