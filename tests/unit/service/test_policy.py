"""When the feedback service grades a submission, and what its page shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from grading.service.inbox import Arrival
from grading.service.journal import Entry
from grading.service.policy import Policy, utc
from grading.service.settings import FeedbackService

DUE = datetime(2026, 12, 10, 12, 0, 0)


def unix(moment: datetime) -> float:
    return moment.replace(tzinfo=UTC).timestamp()


@pytest.fixture
def policy(tmp_path: Path):
    """``policy(**settings)``: the rules of a course whose ex10 is due at :data:`DUE`, with ada
    on its roster."""
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    coursedir = CourseDirectory(config=config)
    with Gradebook(coursedir.db_url) as gradebook:
        gradebook.add_assignment("ex10", duedate=DUE)
        gradebook.add_student("ada")

    def make(**settings: object) -> Policy:
        return Policy(FeedbackService(**settings), coursedir)

    return make


def arrival(submitted: datetime) -> Arrival:
    return Arrival(f"ada+ex10+{submitted}+r", "ada", "ex10", submitted, Path("/nowhere"))


def waiting(submitted: datetime, next_at: datetime | None) -> Entry:
    return Entry(
        "n", "ada", "ex10", submitted, 0.0, "deferred", None, None, None, None, "", next_at
    )


def test_only_the_roster_is_served(policy):
    rules = policy()
    assert rules.unknown("ada") is None, "expected ada, on the roster, to be served"
    assert "roster" in rules.unknown("mallory"), "expected mallory, not on it, to be refused"


def test_under_the_limit_a_submission_is_graded_now(policy):
    now = unix(DUE - timedelta(days=1))
    assert policy(daily_limit=2).hold(arrival(utc(now)), [now - 60], now) is None, (
        "expected one grading in the last day to leave a turn under a limit of 2"
    )


def test_at_the_limit_the_page_says_when_the_next_turn_comes(policy):
    now = unix(DUE - timedelta(days=1))
    next_at, page = policy(daily_limit=2).hold(arrival(utc(now)), [now - 600, now - 60], now)
    assert next_at == utc(now - 600 + 86400), (
        f"expected a turn a day after the older, got {next_at}"
    )
    assert "not graded yet" in page, f"expected the deferral page, got {page}"


def test_receipts_before_the_due_date_wait_for_it(policy):
    now = unix(DUE - timedelta(hours=1))
    next_at, page = policy(before_due="receipt").hold(arrival(utc(now)), [], now)
    assert next_at == DUE and "Submission received" in page, (
        f"expected a receipt graded at the due date, got {next_at} and {page}"
    )


def test_a_late_submission_shows_what_the_instructor_chose_for_late_ones(policy):
    rules = policy(before_due="receipt", after_due="scores")
    assert rules.shown(arrival(DUE + timedelta(minutes=1))) == "scores", (
        "expected a late submission's page to show scores"
    )
    assert rules.shown(arrival(DUE - timedelta(minutes=1))) == "receipt", (
        "expected an early submission's page to be a receipt"
    )


def test_the_last_submission_before_the_due_date_is_graded_once_it_passes(policy):
    rules = policy()
    held = waiting(DUE - timedelta(hours=2), next_at=DUE + timedelta(days=1))
    assert not rules.turn_has_come(held, unix(DUE - timedelta(minutes=1))), (
        "expected it to wait before the due date"
    )
    assert rules.turn_has_come(held, unix(DUE + timedelta(seconds=1))), (
        "expected it graded once the due date passed, whatever the limit"
    )
    late = waiting(DUE + timedelta(hours=1), next_at=DUE + timedelta(days=1))
    assert not rules.turn_has_come(late, unix(DUE + timedelta(hours=2))), (
        "expected a late one to wait for its turn"
    )
