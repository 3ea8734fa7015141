"""Item analysis of an assignment's hidden tests: which separate the students who understood from
those who did not, and which look broken.

For each hidden test: the share of students who passed it, and its discrimination, the
correlation of passing it with the rest of the student's score (the total without the test's own
task, so that a task's points do not correlate with themselves). A test everyone passes or no one
passes separates no one; one with a negative discrimination is failed more often by the students
who did better elsewhere, which usually means the test, not the students, is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Fewer students than this, and a negative discrimination is not flagged (too few to mean it).
MIN_STUDENTS = 5

#: Each flag, and the one-line reading of what it means.
READINGS = {
    "everyone passes": "separates no one: every student passed, so it says nothing about who "
    "understood (fine for a check of the basics)",
    "no one passes": "every student failed: the test may be broken, or the material not taught",
    "negative discrimination": "students who did better on the rest failed it more often: check "
    "the test's expectation, tolerance and wording",
}


@dataclass(frozen=True)
class Item:
    """One hidden test's statistics over the students who ran it.

    Attributes:
        passed: the share of them who passed.
        discrimination: the correlation of passing with the rest score (None where either does
            not vary).
        students: how many ran it.
        flag: a key of :data:`READINGS`, or "".
    """

    passed: float
    discrimination: float | None
    students: int
    flag: str = ""

    @property
    def reading(self) -> str:
        """What the flag means, in a line ("" without one)."""
        return READINGS.get(self.flag, "")


def correlation(first: list[float], second: list[float]) -> float | None:
    """Pearson's correlation of two equally long lists; None when either does not vary."""
    if len(first) < 2 or np.std(first) == 0 or np.std(second) == 0:
        return None
    return float(np.corrcoef(first, second)[0, 1])


def analyse(outcomes: dict[str, bool], rest: dict[str, float]) -> Item:
    """The statistics of a test from each student's outcome and rest score (by student)."""
    students = sorted(outcomes)
    passes = [float(outcomes[student]) for student in students]
    passed = sum(passes) / len(passes) if passes else 0.0
    discrimination = correlation(passes, [rest[student] for student in students])
    if passed == 1.0:
        flag = "everyone passes"
    elif passed == 0.0:
        flag = "no one passes"
    elif discrimination is not None and discrimination < 0 and len(students) >= MIN_STUDENTS:
        flag = "negative discrimination"
    else:
        flag = ""
    return Item(passed, discrimination, len(students), flag)


def spread(scores: list[float]) -> float:
    """The standard deviation of a task's scores (0 for fewer than two)."""
    return float(np.std(scores)) if len(scores) > 1 else 0.0
