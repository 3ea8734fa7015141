"""The service's journal: each submission once, its state surviving a restart."""

from __future__ import annotations

from datetime import datetime

from grading.service.inbox import Arrival
from grading.service.journal import Journal


def arrival(tmp_path, student="ada", submitted=datetime(2026, 12, 1, 10, 0, 0)):
    name = f"{student}+ex10+{submitted:%Y-%m-%d %H:%M:%S.%f} UTC+abc"
    return Arrival(name, student, "ex10", submitted, tmp_path / name)


def test_a_submission_is_received_once(tmp_path):
    journal = Journal(tmp_path)
    first = arrival(tmp_path)
    assert journal.receive(first), "expected the first sight of a submission to be new"
    assert not journal.receive(first), "expected the second sight of it not to be new"
    assert [e.name for e in journal.entries()] == [first.name], (
        f"expected one row, got {journal.entries()}"
    )


def test_states_and_gradings_survive_a_restart(tmp_path):
    journal = Journal(tmp_path)
    first = arrival(tmp_path)
    journal.receive(first)
    journal.move(first.name, "graded", graded=500.0, score=3.0, max_score=4.0)
    journal.close()
    again = Journal(tmp_path)
    entry = again.entry(first.name)
    assert (entry.state, entry.score, entry.max_score) == ("graded", 3.0, 4.0), (
        f"expected the graded state and score kept, got {entry}"
    )
    assert again.graded_since("ada", "ex10", 400.0) == [500.0], (
        "expected the grading time to count for the daily limit"
    )
    assert again.graded_since("ada", "ex10", 600.0) == [], "expected older gradings left out"


def test_entries_select_by_state_and_student_oldest_first(tmp_path):
    journal = Journal(tmp_path)
    late = arrival(tmp_path, submitted=datetime(2026, 12, 2))
    early = arrival(tmp_path, submitted=datetime(2026, 12, 1))
    other = arrival(tmp_path, student="bob")
    for one in (late, early, other):
        journal.receive(one)
    journal.move(other.name, "deferred", next_at=datetime(2026, 12, 3))
    names = [e.name for e in journal.entries("received", student="ada")]
    assert names == [early.name, late.name], f"expected ada's two, oldest first, got {names}"
    (deferred,) = journal.entries("deferred")
    assert deferred.next_at == datetime(2026, 12, 3), (
        f"expected the deferral's time kept, got {deferred.next_at}"
    )
