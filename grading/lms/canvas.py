"""Canvas's gradebook import file: ``Student, ID, SIS User ID, SIS Login ID, Section``, then one
column per assignment, with the "Points Possible" row Canvas's own export has under the header.

Canvas matches a row to a student by its ID (the Canvas user id: nbgrader's ``lms_user_id``) or
SIS ids, and an assignment column by its name; a column whose header ends in ``(<Canvas
assignment id>)`` updates that assignment (``c.LmsExport.canvas_assignment_ids``), any other
creates a new assignment of that name with the points of the "Points Possible" row.
"""

from __future__ import annotations

import csv
from pathlib import Path

from grading.lms.grades import ClassGrades

IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
#: The first cell of the row of each assignment's points (as Canvas writes it, indented).
POINTS_POSSIBLE = "    Points Possible"


def column(assignment: str, canvas_ids: dict[str, int]) -> str:
    """An assignment's column header: its name, and Canvas's id of it where known."""
    return f"{assignment} ({canvas_ids[assignment]})" if assignment in canvas_ids else assignment


def write(grades: ClassGrades, path: Path, canvas_ids: dict[str, int] | None = None) -> None:
    """Write ``grades`` as Canvas's gradebook import file at ``path``."""
    canvas_ids = canvas_ids or {}
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(IDENTITY + [column(name, canvas_ids) for name in grades.assignments])
        writer.writerow(
            [POINTS_POSSIBLE]
            + [""] * (len(IDENTITY) - 1)
            + [f"{grades.max_scores[name]:g}" for name in grades.assignments]
        )
        for student in grades.students:
            name = ", ".join(part for part in (student.last_name, student.first_name) if part)
            writer.writerow(
                [
                    name or student.id,
                    student.lms_user_id,
                    student.lms["sis_user_id"],
                    student.lms["sis_login_id"],
                    student.lms["section"],
                ]
                + [f"{student.grades[assignment]:g}" for assignment in grades.assignments]
            )
