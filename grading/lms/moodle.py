"""Moodle's grade import file (Grades > Import > CSV file): an identifier column and one column
per assignment; on import, "Map from" the identifier column "Map to" the matching user field, and
each assignment column to its grade item.

The identifier is the student's email address (Moodle's "Email address"), or the roster's
``id_number`` (Moodle's "ID number"), as ``c.LmsExport.moodle_identifier`` says.
"""

from __future__ import annotations

import csv
from pathlib import Path

from grading.lms.grades import ClassGrades, Student

#: The identifier column's header, and how to read it from a student, by the setting's value.
IDENTIFIERS = {
    "email": ("Email address", lambda student: student.email),
    "id_number": ("ID number", lambda student: student.lms["id_number"]),
}


def write(grades: ClassGrades, path: Path, identifier: str = "email") -> list[Student]:
    """Write ``grades`` as Moodle's grade import file at ``path``; the students left out
    because they have no such identifier."""
    header, read = IDENTIFIERS[identifier]
    left_out = [student for student in grades.students if not read(student)]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([header, *grades.assignments])
        for student in grades.students:
            if read(student):
                scores = [f"{student.grades[name]:g}" for name in grades.assignments]
                writer.writerow([read(student), *scores])
    return left_out
