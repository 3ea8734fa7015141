"""The course's late-submission rule (grading.pipeline.late) as nbgrader's late-penalty step calls
it."""

from __future__ import annotations

import pytest

from grading.pipeline.late import SECONDS_PER_DAY, PenaltyPerDay


@pytest.fixture
def rule() -> PenaltyPerDay:
    return PenaltyPerDay(share_per_day=0.1, grace_seconds=300)


@pytest.mark.parametrize(
    ("seconds_late", "expected"),
    [
        (0, 0.0),
        (300, 0.0),  # inside the grace period
        (301, 2.0),  # the first started day
        (SECONDS_PER_DAY, 2.0),
        (SECONDS_PER_DAY + 1, 4.0),
        (9.5 * SECONDS_PER_DAY, 20.0),
        (30 * SECONDS_PER_DAY, 20.0),  # never more than the score
    ],
)
def test_penalty_grows_by_a_share_of_the_score_per_started_day(rule, seconds_late, expected):
    penalty = rule.late_submission_penalty("alice", 20.0, seconds_late)
    assert penalty == pytest.approx(expected), (
        f"{seconds_late} s late with 20 points: expected a penalty of {expected}, got {penalty}"
    )
