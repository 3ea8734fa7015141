"""Build the bundled sample submissions the demo autogrades: a perfect, a partial and a broken one.

Usage: ``python -m grading.samples [--assignment ex09]``; writes, as ``nbgrader collect`` would,
``samples/<submitted folder>/<student>/<assignment>/<assignment>.ipynb`` with its
``timestamp.txt`` (the partial sample came a day late), and the demo's roster and due date as
nbgrader imports them: ``samples/students.csv`` and ``samples/assignments.csv``.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from collections.abc import Iterable
from pathlib import Path

import nbformat

from grading import course
from grading.submissions import fill, read, solution_sources

SAMPLES_DIR = course.COURSE_ROOT / "samples"
#: Solution cells the partial sample fills in (Part 3 and the first two tasks of Part 1).
PARTIAL_CELLS = (
    "fc_solution",
    "criterion_solution",
    "padding_1d_solution",
    "conv1d_solution",
    "padding_2d_solution",
)

#: The demo's due date, and when each sample was submitted (nbgrader's timestamp format).
DUE_DATE = "2026-11-16 18:00:00 UTC"
SUBMITTED_AT = {
    "perfect": "2026-11-16 17:42:10.000000 UTC",
    "partial": "2026-11-17 09:15:00.000000 UTC",
    "broken": "2026-11-16 11:03:55.000000 UTC",
}
#: The demo's roster: id, first name, last name, email (the columns nbgrader imports).
ROSTER = (
    ("perfect", "Grace", "Hopper", "grace.hopper@example.org"),
    ("partial", "Alan", "Turing", "alan.turing@example.org"),
    ("broken", "Ada", "Lovelace", "ada.lovelace@example.org"),
)


def write_csv(path: Path, header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> None:
    """Write a CSV file as nbgrader's ``db ... import`` reads it."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(assignment: str) -> dict[str, bytes]:
    """The sample notebooks, by student id, as file contents."""
    coursedir = course.api().coursedir
    source = read(str(course.notebook_path(coursedir, "source", assignment)))
    release = read(str(course.notebook_path(coursedir, "release", assignment)))
    solutions = solution_sources(source)
    perfect = nbformat.writes(fill(release, solutions)).encode()
    partial = fill(release, {cell: solutions[cell] for cell in PARTIAL_CELLS})
    return {
        "perfect": perfect,
        "partial": nbformat.writes(partial).encode(),
        "broken": perfect[: len(perfect) // 3],  # a truncated upload
    }


def main(*, assignment: str = "ex09", output: Path = SAMPLES_DIR) -> None:
    """Write the samples of ``assignment`` under ``output``, replacing old ones.

    Args:
        assignment: the assignment whose source and release notebooks are used.
        output: the samples folder; it mirrors the course's ``submitted`` folder.
    """
    coursedir = course.api().coursedir
    submitted = output / Path(coursedir.submitted_directory).name
    for student, content in build(assignment).items():
        path = submitted / student / assignment / f"{assignment}.ipynb"
        shutil.rmtree(path.parent, ignore_errors=True)
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
        (path.parent / "timestamp.txt").write_text(SUBMITTED_AT[student], encoding="utf-8")
        print(f"wrote {path.relative_to(course.COURSE_ROOT)}")
    write_csv(output / "students.csv", ("id", "first_name", "last_name", "email"), ROSTER)
    write_csv(output / "assignments.csv", ("name", "duedate"), [(assignment, DUE_DATE)])
    print(f"wrote {output.name}/students.csv and {output.name}/assignments.csv")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="ex09", help="assignment id")
    main(assignment=parser.parse_args().assignment)
