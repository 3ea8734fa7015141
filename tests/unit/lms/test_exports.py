"""Grades into the LMS: the Canvas and Moodle import files, column by column, for the demo's
students and the exchange test's, against the formats' documented layouts and ``grades.csv``.

Canvas (Grades > Import): the header ``Student, ID, SIS User ID, SIS Login ID, Section`` and one
column per assignment (``name (canvas id)`` for an existing one), a "Points Possible" row, then a
row per student named ``Last, First``. Moodle (Grades > Import > CSV file): an identifier column
and one column per assignment.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from nbgrader.plugins.export import CsvExportPlugin

from grading.lms.command import main
from support.courses import configured_course

#: (id, first, last, email, lms_user_id): the demo's samples, then the exchange test's students.
STUDENTS = [
    ("perfect", "Grace", "Hopper", "grace.hopper@example.org", "1001"),
    ("partial", "Alan", "Turing", "alan.turing@example.org", "1002"),
    ("broken", "Ada", "Lovelace", "ada.lovelace@example.org", "1003"),
    ("cnn-full", "Grace", "Hopper", "grace@example.org", ""),
    ("cnn-part", "Alan", "Turing", "", ""),
]
#: Each student's (raw score, late penalty) per assignment; missing: no submission.
SCORES = {
    "ex09": {
        "perfect": (40.0, 0.0),
        "partial": (22.5, 2.25),
        "broken": (0.0, 0.0),
        "cnn-full": (40.0, 0.0),
    },
    "ex10": {"perfect": (25.0, 0.0), "cnn-part": (10.0, 1.0)},
}
ROSTER = (
    "id,first_name,last_name,email,lms_user_id,sis_user_id,sis_login_id,section,id_number\n"
    "perfect,Grace,Hopper,grace.hopper@example.org,1001,S-1,ghopper,A,M-1\n"
    "partial,Alan,Turing,alan.turing@example.org,1002,S-2,aturing,A,M-2\n"
    "broken,Ada,Lovelace,ada.lovelace@example.org,1003,S-3,alovelace,B,M-3\n"
)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course whose gradebook has :data:`STUDENTS` graded as :data:`SCORES` says, and a
    roster file with the LMS columns for the demo's three."""
    gradebook_url = configured_course(tmp_path, "cnn-exercises")
    (tmp_path / "students.csv").write_text(ROSTER)
    with Gradebook(gradebook_url, "cnn-exercises") as gradebook:
        for student, first, last, email, lms_id in STUDENTS:
            gradebook.add_student(
                student,
                first_name=first,
                last_name=last,
                email=email or None,
                lms_user_id=lms_id or None,
            )
        dues = {"ex09": datetime(2026, 11, 16, 18), "ex10": datetime(2026, 11, 23, 18)}
        maxima = {"ex09": 40.0, "ex10": 25.0}
        for assignment in ("ex10", "ex09"):  # added out of order: the files follow due dates
            gradebook.add_assignment(assignment, duedate=dues[assignment])
            gradebook.add_notebook(assignment, assignment)
            gradebook.add_grade_cell(
                "task", assignment, assignment, max_score=maxima[assignment], cell_type="code"
            )
            for student, (score, penalty) in SCORES[assignment].items():
                gradebook.add_submission(assignment, student, timestamp=dues[assignment])
                gradebook.find_grade("task", assignment, assignment, student).auto_score = score
                notebook = gradebook.find_submission_notebook(assignment, assignment, student)
                notebook.late_submission_penalty = penalty
            gradebook.db.commit()
    return tmp_path


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as file:
        return list(csv.reader(file))


def grades_csv(course: Path) -> dict[tuple[str, str], float]:
    """``nbgrader export``'s score of each (student, assignment)."""
    path = course / "grades.csv"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "cnn-exercises") as gradebook:
        CsvExportPlugin(to=str(path)).export(gradebook)
    with path.open() as file:
        return {(r["student_id"], r["assignment"]): float(r["score"]) for r in csv.DictReader(file)}


def test_the_canvas_file_has_canvas_columns_points_and_the_grades_of_grades_csv(course: Path):
    header, points, *students = rows(main(lms="canvas", root=course))
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "ex09", "ex10"], (
        f"expected Canvas's identity columns then the assignments by due date, got {header}"
    )
    assert points == ["    Points Possible", "", "", "", "", "40", "25"], f"got {points}"
    order = sorted(STUDENTS, key=lambda s: (s[2], s[1], s[0]))  # last, first, id
    names = [row[0] for row in students]
    assert names == [f"{last}, {first}" for _, first, last, *_ in order], (
        f"expected a row per student named 'Last, First' in order, got {names}"
    )
    assert students[1][:5] == ["Hopper, Grace", "1001", "S-1", "ghopper", "A"], (
        f"expected the gradebook's LMS id and the roster's SIS ids and section, got {students[1]}"
    )
    exported = grades_csv(course)
    for (student, *_), row in zip(order, students, strict=True):
        for column, assignment in ((5, "ex09"), (6, "ex10")):
            assert float(row[column]) == exported[student, assignment], (
                f"expected {student}'s {assignment} as grades.csv has it "
                f"({exported[student, assignment]}), got {row[column]}"
            )


def test_the_canvas_file_updates_known_canvas_assignments(course: Path):
    with (course / "nbgrader_config.py").open("a") as config:
        config.write("c.LmsExport.canvas_assignment_ids = {'ex09': 4711}\n")
    header = rows(main(lms="canvas", root=course))[0]
    assert header[5:] == ["ex09 (4711)", "ex10"], (
        f"expected Canvas's id in the header, got {header}"
    )


def test_late_penalties_and_missing_submissions_are_as_in_grades_csv(course: Path):
    moodle = {row[0]: row[1:] for row in rows(main(lms="moodle", root=course))[1:]}
    assert moodle["alan.turing@example.org"] == ["20.25", "0"], (
        f"expected 22.5 - 2.25 for ex09 and 0 without an ex10 submission, got "
        f"{moodle['alan.turing@example.org']}"
    )


def test_the_moodle_file_has_an_identifier_column_and_one_per_assignment(course: Path, capsys):
    header, *students = rows(main(lms="moodle", root=course))
    assert header == ["Email address", "ex09", "ex10"], f"got {header}"
    assert sorted(row[0] for row in students) == sorted(s[3] for s in STUDENTS if s[3]), (
        f"expected a row per student with an email, got {[row[0] for row in students]}"
    )
    assert "cnn-part: left out, no email" in capsys.readouterr().out, "expected the gap named"


def test_moodle_can_match_by_the_rosters_id_number(course: Path):
    with (course / "nbgrader_config.py").open("a") as config:
        config.write("c.LmsExport.moodle_identifier = 'id_number'\n")
    header, *students = rows(main(lms="moodle", root=course))
    assert header[0] == "ID number" and sorted(row[0] for row in students) == [
        "M-1",
        "M-2",
        "M-3",
    ], f"expected Moodle's ID number from the roster, got {header[0]} {[r[0] for r in students]}"
