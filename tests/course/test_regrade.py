"""Regrading after a hidden test changes: ``python -m grading.batch ASSIGNMENT --force`` writes
each regraded student's old and new marks and names those whose marks moved; ``--keep-higher``
keeps each task's earlier score where the new one is lower.

A course copy grades two submissions of ex10 (every solution; every solution but pooling's), then
a hidden test that no solution passes is added to pooling's tests, as an instructor adds one
mid-term: a regrade with ``--keep-higher`` keeps the earlier pooling score, and one without it
records the lower one.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from grading.submissions import fill, solution_sources
from support.courses import Course

pytestmark = pytest.mark.slow

ASSIGNMENT = "ex10"
ADDED_TEST = '''

def test_added_mid_term(student):
    """a test added after the first grading, which no solution passes"""
    raise AssertionError("expected what no solution does")
'''


@dataclass
class Regrade:
    printed: str
    rows: dict[str, dict[str, str]]  # the regrade CSV, by student
    totals: dict[str, float]  # the gradebook's totals afterwards


@dataclass
class Runs:
    course: Course
    first: dict[str, float]  # totals after the first grading
    keep_higher: Regrade
    lower: Regrade


def batch(course: Course, *options: str) -> Regrade:
    """Run the batch with ``options``; what it printed and the regrade CSV it wrote."""
    before = set(course.root.glob(f"regrade-{ASSIGNMENT}-*.csv"))
    ran = course.run(sys.executable, "-m", "grading.batch", ASSIGNMENT, "--jobs", "2", *options)
    written = sorted(set(course.root.glob(f"regrade-{ASSIGNMENT}-*.csv")) - before)
    rows = {}
    if written:
        with Path(written[-1]).open() as file:
            rows = {row["student"]: row for row in csv.DictReader(file)}
    return Regrade(ran.stdout, rows, totals(course))


def totals(course: Course) -> dict[str, float]:
    return {
        student: sum(score for score, _ in course.scores(student, ASSIGNMENT).values())
        for student in ("complete", "no-pooling")
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    course = Course(tmp_path_factory.mktemp("course"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = course.notebook("release", ASSIGNMENT)
    solutions = solution_sources(course.notebook("source", ASSIGNMENT))
    without_pooling = {task: code for task, code in solutions.items() if "pool" not in task}
    course.submit("complete", fill(release, solutions), assignment=ASSIGNMENT)
    course.submit("no-pooling", fill(release, without_pooling), assignment=ASSIGNMENT)
    first = batch(course)
    assert not first.rows, "expected no regrade file for a first grading"
    with (course.root / "grader_tests" / ASSIGNMENT / "test_pool2d.py").open("a") as tests:
        tests.write(ADDED_TEST)
    keep = batch(course, "--force", "--keep-higher")
    lower = batch(course, "--force", "--student", "complete")
    yield Runs(course, first.totals, keep, lower)


def pooling(row: dict[str, str]) -> tuple[str, str]:
    """The pooling task's old and new score in a regrade row."""
    (task,) = {column.rsplit(" ", 1)[0] for column in row if "pool" in column}
    return row[f"{task} old"], row[f"{task} new"]


def test_keep_higher_keeps_the_earlier_score_and_says_so(runs: Runs):
    row = runs.keep_higher.rows["complete"]
    old, new = pooling(row)
    assert float(new) < float(old) and "pool" in row["kept"], (
        f"expected the regrade to lower pooling ({old} -> {new}) and the earlier score kept, "
        f"got kept={row['kept']!r}"
    )
    assert runs.keep_higher.totals == runs.first, (
        f"expected every total kept at {runs.first}, got {runs.keep_higher.totals}"
    )
    assert "--keep-higher kept the earlier score of 1 task(s) of 1 student(s)" in (
        runs.keep_higher.printed
    ), f"expected the batch to say what it kept, got:\n{runs.keep_higher.printed}"


def test_the_diff_names_whose_marks_moved(runs: Runs):
    rows = runs.keep_higher.rows
    assert set(rows) == {"complete", "no-pooling"}, f"expected both regraded, got {set(rows)}"
    assert rows["complete"]["moved"] == "1" and rows["no-pooling"]["moved"] == "0", (
        "expected only the student who had pooling's points to move, got "
        f"{ {s: r['moved'] for s, r in rows.items()} }"
    )
    assert "marks moved for 1" in runs.keep_higher.printed and "  complete: " in (
        runs.keep_higher.printed
    ), f"expected the student whose marks moved named, got:\n{runs.keep_higher.printed}"


def test_without_keep_higher_the_new_lower_score_is_recorded(runs: Runs):
    (row,) = runs.lower.rows.values()  # --student narrowed the regrade to one student
    old, new = pooling(row)
    assert float(new) < float(old) and not row["kept"], f"expected pooling lowered, got {row}"
    dropped = runs.first["complete"] - runs.lower.totals["complete"]
    assert dropped == pytest.approx(float(row["total old"]) - float(row["total new"])), (
        f"expected the gradebook's total to drop as the diff says, dropped {dropped}"
    )
    assert runs.lower.totals["no-pooling"] == runs.first["no-pooling"], "expected the other kept"
