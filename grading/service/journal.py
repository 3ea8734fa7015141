"""The service's journal: every submission it has seen and how far it got, in SQLite next to the
gradebook, so that a service killed at any point and started again grades each submission once
and releases each page once.

A submission moves ``received`` -> ``grading`` -> ``graded`` -> ``released``; or it waits as
``deferred`` (over the daily limit) until its turn or until a newer one of the same student
``supersedes`` it; or it ends ``rejected`` (not the student's own folder). Each step is committed
before the next begins; a restart takes up ``grading`` again from the collection (grading is
idempotent: the gradebook keeps one result per student and assignment) and ``graded`` from the
release.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from grading.service.inbox import Arrival

#: The journal's file, in the course root.
JOURNAL_NAME = "feedback-service.db"
#: States in which a submission needs no more work.
FINAL = ("released", "rejected", "superseded")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    name TEXT PRIMARY KEY,
    student TEXT NOT NULL,
    assignment TEXT NOT NULL,
    submitted TEXT NOT NULL,
    received REAL NOT NULL,
    state TEXT NOT NULL,
    graded REAL,
    released REAL,
    score REAL,
    max_score REAL,
    reason TEXT NOT NULL DEFAULT '',
    next_at TEXT
)
"""


@dataclass(frozen=True)
class Entry:
    """One submission's row of the journal."""

    name: str
    student: str
    assignment: str
    submitted: datetime
    received: float
    state: str
    graded: float | None
    released: float | None
    score: float | None
    max_score: float | None
    reason: str
    next_at: datetime | None

    def line(self) -> str:
        """The service's log line of a released submission: student, assignment, received,
        graded, released (UTC), seconds from received to released, and score or reason."""
        times = [
            datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S") if moment else "-"
            for moment in (self.received, self.graded, self.released)
        ]
        seconds = (self.released or self.received) - self.received
        result = (
            f"not graded: {self.reason}"
            if self.reason
            else f"score {self.score:g} / {self.max_score:g}"
        )
        return (
            f"{self.student} {self.assignment} received {times[0]} graded {times[1]} "
            f"released {times[2]} {seconds:.1f} s {result}"
        )


class Journal:
    """The journal of the course at ``root`` (created on first use)."""

    def __init__(self, root: Path) -> None:
        self._db = sqlite3.connect(root / JOURNAL_NAME, isolation_level=None)
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def receive(self, arrival: Arrival) -> bool:
        """Record a submission the first time it is seen; whether it was new."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO submissions (name, student, assignment, submitted, received, "
            "state) VALUES (?, ?, ?, ?, ?, 'received')",
            (
                arrival.name,
                arrival.student,
                arrival.assignment,
                arrival.submitted.isoformat(),
                time.time(),
            ),
        )
        return cursor.rowcount == 1

    def move(self, name: str, state: str, **fields: object) -> None:
        """Set the submission's state (and ``fields``: graded, released, score, max_score,
        reason, next_at), in one transaction."""
        if isinstance(fields.get("next_at"), datetime):
            fields["next_at"] = fields["next_at"].isoformat()
        columns = ", ".join(f"{column} = ?" for column in ["state", *fields])
        self._db.execute(
            f"UPDATE submissions SET {columns} WHERE name = ?", (state, *fields.values(), name)
        )

    def entries(self, *states: str, student: str = "", assignment: str = "") -> list[Entry]:
        """The submissions in ``states`` (all when none), of ``student`` and ``assignment`` when
        given, oldest first."""
        query, parameters = "SELECT * FROM submissions WHERE 1", []
        if states:
            query += f" AND state IN ({', '.join('?' * len(states))})"
            parameters += states
        for column, value in (("student", student), ("assignment", assignment)):
            if value:
                query += f" AND {column} = ?"
                parameters.append(value)
        rows = self._db.execute(query + " ORDER BY submitted, name", parameters).fetchall()
        return [_entry(row) for row in rows]

    def entry(self, name: str) -> Entry:
        """The submission's row."""
        row = self._db.execute("SELECT * FROM submissions WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KeyError(name)
        return _entry(row)

    def graded_since(self, student: str, assignment: str, since: float) -> list[float]:
        """When the student's submissions of the assignment were graded, since ``since`` (Unix
        time), oldest first."""
        rows = self._db.execute(
            "SELECT graded FROM submissions WHERE student = ? AND assignment = ? AND graded >= ? "
            "ORDER BY graded",
            (student, assignment, since),
        ).fetchall()
        return [row[0] for row in rows]


def _entry(row: tuple) -> Entry:
    name, student, assignment, submitted, received, state, *rest = row
    graded, released, score, max_score, reason, next_at = rest
    return Entry(
        name,
        student,
        assignment,
        datetime.fromisoformat(submitted),
        received,
        state,
        graded,
        released,
        score,
        max_score,
        reason,
        datetime.fromisoformat(next_at) if next_at else None,
    )
