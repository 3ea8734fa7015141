"""When a submission is graded and what its feedback shows: the instructor's choices
(:class:`~grading.service.settings.FeedbackService`), the assignment's due date and roster in the
gradebook, and the daily limit."""

from __future__ import annotations

from datetime import UTC, datetime

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory

from grading.service import pages
from grading.service.inbox import Arrival
from grading.service.journal import Entry
from grading.service.limits import next_turn
from grading.service.settings import FeedbackService


def utc(moment: float) -> datetime:
    """A Unix time as naive UTC, as nbgrader keeps times."""
    return datetime.fromtimestamp(moment, UTC).replace(tzinfo=None)


class Policy:
    """The rules of the course in ``coursedir`` under ``settings``; what they read from the
    gradebook is read once between two calls of :meth:`refresh`."""

    def __init__(self, settings: FeedbackService, coursedir: CourseDirectory) -> None:
        self.settings, self.coursedir = settings, coursedir
        self._dues: dict[str, datetime | None] = {}
        self._roster: set[str] | None = None

    def refresh(self) -> None:
        """Read the due dates and the roster again when next needed (the instructor may have
        changed them)."""
        self._dues.clear()
        self._roster = None

    def due(self, assignment: str) -> datetime | None:
        """The assignment's due date (naive UTC), if it has one."""
        if assignment not in self._dues:
            with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
                try:
                    self._dues[assignment] = gradebook.find_assignment(assignment).duedate
                except MissingEntry:
                    self._dues[assignment] = None
        return self._dues[assignment]

    def unknown(self, student: str) -> str | None:
        """Why the student is not served (not on the course's roster), or None."""
        if self._roster is None:
            with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
                self._roster = {s.id for s in gradebook.students}
        if student in self._roster:
            return None
        return "not on the course's roster (make roster, or nbgrader db student add)"

    def shown(self, arrival: Arrival) -> str:
        """What the submission's feedback shows: the choice for before or after the due date."""
        due = self.due(arrival.assignment)
        late = due is not None and arrival.submitted > due
        return self.settings.after_due if late else self.settings.before_due

    def hold(
        self, arrival: Arrival, graded: list[float], now: float
    ) -> tuple[datetime | None, str] | None:
        """Whether the submission waits instead of being graded now (a receipt before the due
        date, or the daily limit reached, given when the student's earlier ones were ``graded``):
        when its turn comes (None: at the due date) and the page that says so; None to grade it
        now."""
        due = self.due(arrival.assignment)
        if self.shown(arrival) == "receipt" and (due is None or utc(now) < due):
            return due, pages.receipt(arrival.assignment, arrival.submitted, utc(now))
        turn = next_turn(graded, now, self.settings.daily_limit)
        if turn is None:
            return None
        limit = self.settings.daily_limit
        return utc(turn), pages.deferred(arrival.assignment, arrival.submitted, limit, utc(turn))

    def turn_has_come(self, entry: Entry, now: float) -> bool:
        """Whether a waiting submission is graded now: its time came, or the due date passed and
        it is the student's last submission before it."""
        if entry.next_at is not None and utc(now) >= entry.next_at:
            return True
        due = self.due(entry.assignment)
        return due is not None and utc(now) >= due and entry.submitted <= due
