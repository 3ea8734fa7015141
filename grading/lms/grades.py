"""Each student's grade on each assignment, as ``nbgrader export`` writes them to ``grades.csv``
(the score after the late penalty; 0 without a submission), with the roster's LMS fields.

nbgrader's gradebook keeps a student's id, name, email and ``lms_user_id``; the identifiers an
LMS needs beyond those (Canvas's SIS ids and section, Moodle's ID number) are further columns of
the roster file the instructor imports with ``make roster`` (nbgrader's import ignores them):
``sis_user_id``, ``sis_login_id``, ``section``, ``id_number``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory

#: The roster's columns for LMS identifiers that nbgrader's gradebook does not keep.
LMS_FIELDS = ("sis_user_id", "sis_login_id", "section", "id_number")


@dataclass
class Student:
    """A student of the course, with their LMS identifiers and grades."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""
    lms: dict[str, str] = field(default_factory=dict)  # LMS_FIELDS from the roster file
    grades: dict[str, float] = field(default_factory=dict)  # by assignment


@dataclass
class ClassGrades:
    """Every student's grades, the assignments in order of due date, and their maximum scores."""

    students: list[Student]
    assignments: list[str]
    max_scores: dict[str, float]


def roster_fields(path: Path | None) -> dict[str, dict[str, str]]:
    """The LMS fields of each student id in the roster file at ``path`` (none without one)."""
    if path is None or not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as file:
        return {
            row["id"]: {name: (row.get(name) or "").strip() for name in LMS_FIELDS}
            for row in csv.DictReader(file)
        }


def class_grades(coursedir: CourseDirectory, roster: Path | None = None) -> ClassGrades:
    """The course's grades from its gradebook, with the LMS fields of the roster file."""
    fields = roster_fields(roster)
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        assignments = sorted(
            gradebook.assignments,
            key=lambda a: (a.duedate is None, a.duedate or datetime.min, a.name),
        )
        names = [assignment.name for assignment in assignments]
        students = []
        for record in sorted(
            gradebook.students, key=lambda s: (s.last_name or "", s.first_name or "", s.id)
        ):
            student = Student(
                record.id,
                record.first_name or "",
                record.last_name or "",
                record.email or "",
                record.lms_user_id or "",
                fields.get(record.id, dict.fromkeys(LMS_FIELDS, "")),
            )
            for name in names:
                try:
                    submission = gradebook.find_submission(name, record.id)
                except MissingEntry:
                    student.grades[name] = 0.0
                    continue
                penalty = submission.late_submission_penalty or 0.0
                student.grades[name] = max(0.0, submission.score - penalty)
            students.append(student)
        maxima = {assignment.name: assignment.max_score for assignment in assignments}
    return ClassGrades(students, names, maxima)
