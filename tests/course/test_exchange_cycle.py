"""The whole course cycle through nbgrader's exchange, with real Unix users.

As root (the instructor) a course copy is released to an exchange folder; two student accounts,
each with a private home and the students' environment (the wheel of ``make student-package``, a
Debian Python), fetch ex09, fill it in (one completely, one partly) and submit it, the second
after the due date; the instructor collects (as ``make collect``), autogrades with the parallel
grader (as ``make autograde``), generates and releases feedback; each student fetches their
feedback. Skipped, saying why, where accounts cannot be made (not root, no useradd).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from grading.samples import plan
from grading.submissions import fill, read, solution_sources
from support.accounts import Student, shared_hub
from support.courses import Course
from support.leaks import hidden_lines, leaked, page_text
from support.paths import ASSIGNMENT, ROOT

pytestmark = pytest.mark.slow

COURSE_ID = "cnn-exercises"
#: The graded cells of the released notebook: all of them, and those the hidden tests grade (the
#: written answer waits for a grader).
GRADED = [
    cell
    for cell in read(str(ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")).cells
    if cell.metadata.get("nbgrader", {}).get("grade")
]
MAX_POINTS = float(sum(cell.metadata.nbgrader["points"] for cell in GRADED))
AUTOGRADED_POINTS = float(
    sum(cell.metadata.nbgrader["points"] for cell in GRADED if cell.cell_type == "code")
)


@dataclass
class Cycle:
    """What the cycle left behind."""

    course: Course
    exchange: Path
    complete: Student
    partial: Student
    grades: dict[str, dict[str, str]]  # nbgrader export's rows, by student id


def fetch_fill_submit(student: Student, exchange: str, cells: dict[str, str]) -> None:
    """As ``student``: fetch the assignment, fill in ``cells`` of it, submit it."""
    student.nbgrader("fetch_assignment", ASSIGNMENT, "--course", COURSE_ID, exchange)
    notebook = student.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    student.write(notebook, nbformat.writes(fill(read(str(notebook)), cells)).encode())
    student.nbgrader("submit", ASSIGNMENT, "--course", COURSE_ID, exchange)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cycle]:
    dist = tmp_path_factory.mktemp("dist")
    with shared_hub("cnn-cycle-", ["cnn-full", "cnn-part"], dist) as hub:
        exchange_root, exchange = hub.exchange, hub.exchange_option
        complete, partial = hub.students
        course = Course(tmp_path_factory.mktemp("instructor"))
        with (course.root / "nbgrader_config.py").open("a") as config:
            config.write(
                "c.PenaltyPerDay.grace_seconds = 0  # the deadline passes in seconds\n"
                f"c.Exchange.root = {str(exchange_root)!r}  # this hub's exchange\n"
            )
        (course.root / "students.csv").write_text(
            "id,first_name,last_name,email\n"
            f"{complete.name},Grace,Hopper,grace@example.org\n"
            f"{partial.name},Alan,Turing,alan@example.org\n"
        )
        course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
        course.nbgrader("db", "student", "import", "students.csv")
        course.nbgrader("release_assignment", ASSIGNMENT, exchange)

        solutions = solution_sources(course.notebook("source"))
        fetch_fill_submit(complete, exchange, solutions)
        due = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")  # the deadline passes
        course.nbgrader("db", "assignment", "add", ASSIGNMENT, f"--duedate={due}")
        partly = {cell: solutions[cell] for cell in plan(ASSIGNMENT).partial_cells}
        fetch_fill_submit(partial, exchange, partly)

        course.run(sys.executable, "-m", "grading.service.collect", ASSIGNMENT)  # make collect
        # make autograde with one job: for two submissions a second worker's start costs more
        # than it saves on two cores
        course.run(sys.executable, "-m", "grading.batch", ASSIGNMENT, "--jobs", "1")
        course.nbgrader("generate_feedback", ASSIGNMENT)
        course.nbgrader("release_feedback", ASSIGNMENT, exchange)
        for student in (complete, partial):
            student.nbgrader("fetch_feedback", ASSIGNMENT, "--course", COURSE_ID, exchange)
        course.nbgrader("export")
        rows = csv.DictReader(io.StringIO((course.root / "grades.csv").read_text()))
        grades = {row["student_id"]: row for row in rows}
        yield Cycle(course, exchange_root, complete, partial, grades)


def test_marks_come_with_the_roster_names_and_the_late_penalty(cycle: Cycle):
    complete, partial = cycle.grades[cycle.complete.name], cycle.grades[cycle.partial.name]
    assert (complete["first_name"], complete["last_name"]) == ("Grace", "Hopper"), (
        f"expected the roster's names in the export, got {complete}"
    )
    autograded = AUTOGRADED_POINTS
    assert (float(complete["score"]), float(complete["max_score"])) == (autograded, MAX_POINTS), (
        f"the complete submission, on time, should score every autograded point, {autograded} / "
        f"{MAX_POINTS} (the written answer waits for a grader), got {complete}"
    )
    raw = float(partial["raw_score"])
    assert 0 < raw < autograded, f"the partial submission should score part of it, got {partial}"
    assert float(partial["late_submission_penalty"]) == pytest.approx(0.1 * raw), (
        f"the partial submission came after the due date: expected 10 % off {raw}, got {partial}"
    )


def test_each_student_fetches_feedback_with_their_own_score(cycle: Cycle):
    for student in (cycle.complete, cycle.partial):
        pages = list((student.home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
        assert len(pages) == 1, f"expected one feedback page for {student.name}, got {pages}"
        score = float(cycle.grades[student.name]["score"])
        heading = f"{ASSIGNMENT} (Score: {score:.1f} / {MAX_POINTS:.1f})"
        assert heading in page_text(pages[0].read_text()), (
            f"expected {heading!r} in {student.name}'s feedback {pages[0]}"
        )


def test_a_student_cannot_find_another_students_submission_or_feedback(cycle: Cycle):
    course = cycle.exchange / COURSE_ID
    for folder in (course / "inbound", course / "feedback", cycle.complete.home):
        assert not cycle.partial.can_list(folder), (
            f"{cycle.partial.name} should not be able to list {folder}"
        )
    readable = cycle.partial.readable_files(cycle.exchange, cycle.complete.home)
    released = str(course / "outbound" / ASSIGNMENT)
    others = sorted(path for path in readable if not path.startswith(released))
    assert not others, (
        f"expected {cycle.partial.name} to read only the released assignment in the exchange, "
        f"got {others}"
    )


def test_no_file_a_student_can_read_has_a_hidden_test_line(cycle: Cycle):
    for student in (cycle.complete, cycle.partial):
        files = student.readable_files(cycle.exchange, student.home)
        submitted = (student.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
        hidden = hidden_lines(public=submitted)
        found = {path: lines for path, text in files.items() if (lines := leaked(text, hidden))}
        assert not found, f"expected no hidden-test line in {student.name}'s files, got {found}"
