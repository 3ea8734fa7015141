"""Grades into the LMS: ``python -m grading.lms canvas|moodle`` writes the CSV that Canvas's or
Moodle's gradebook import reads (``canvas-grades.csv``, ``moodle-grades.csv`` in the course root),
from nbgrader's gradebook and the roster file, with the late penalties of ``grades.csv``.

The files name students and their grades: upload them, then delete them. Usage in the course
root: ``python -m grading.lms canvas [--roster FILE]`` (``make export-canvas``), ``python -m
grading.lms moodle [--roster FILE]`` (``make export-moodle``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from nbgrader.coursedir import CourseDirectory

from grading import course
from grading.lms import canvas, moodle
from grading.lms.grades import class_grades
from grading.lms.settings import LmsExport


def main(
    *,
    lms: str,
    root: Path = course.COURSE_ROOT,
    roster: Path | None = None,
    out: TextIO | None = None,
) -> Path:
    """Write ``lms``'s import file for the course at ``root``; its path."""
    out = out or sys.stdout
    config = course.load_config(root)
    settings = LmsExport(config=config)
    roster = roster or root / settings.roster
    if not roster.is_file():
        print(
            f"no roster file {roster}: the LMS columns nbgrader does not keep are left blank",
            file=out,
        )
    grades = class_grades(CourseDirectory(config=config), roster)
    path = root / f"{lms}-grades.csv"
    if lms == "canvas":
        canvas.write(grades, path, {k: int(v) for k, v in settings.canvas_assignment_ids.items()})
    else:
        for student in moodle.write(grades, path, settings.moodle_identifier):
            print(
                f"{student.id}: left out, no {settings.moodle_identifier} to match in Moodle",
                file=out,
            )
    print(
        f"{path}: {len(grades.students)} students, {', '.join(grades.assignments)} (late penalties "
        "applied as in grades.csv)",
        file=out,
    )
    return path


def cli() -> None:
    """``python -m grading.lms canvas|moodle [--roster FILE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m grading.lms", description=__doc__.splitlines()[0]
    )
    parser.add_argument("lms", choices=["canvas", "moodle"])
    parser.add_argument("--roster", type=Path, help="default: c.LmsExport.roster (students.csv)")
    args = parser.parse_args()
    main(lms=args.lms, root=Path.cwd(), roster=args.roster)
