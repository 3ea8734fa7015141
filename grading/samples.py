"""Build the bundled sample submissions the demo autogrades: a perfect, a partial and a broken one.

Each assignment says how in ``<hidden tests>/<assignment>/samples.toml``: the solution cells its
partial sample fills in, its due date in the demo and when each sample was submitted (and the
benchmark's wrong and endless-loop cells, :mod:`tools.benchmark`). Usage:
``python -m grading.samples [--assignment ID]`` (default: every assignment in ``source/``) writes,
as ``nbgrader collect`` would, ``samples/<submitted>/<student>/<assignment>/<assignment>.ipynb``
with its ``timestamp.txt``, and the demo's roster and due dates as nbgrader imports them:
``samples/students.csv`` and ``samples/assignments.csv``.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grading import course
from grading.submissions import fill, read, solution_sources

SAMPLES_DIR = course.COURSE_ROOT / "samples"
#: The samples' roster, with the LMS identifiers ``make export-canvas`` and ``make export-moodle``
#: read (nbgrader's import keeps ``lms_user_id`` and ignores the others).
ROSTER_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "lms_user_id",
    "sis_user_id",
    "sis_login_id",
    "section",
    "id_number",
)
ROSTER = (
    ("perfect", "Grace", "Hopper", "grace.hopper@example.org", "1001", "S-1001", "ghopper")
    + ("Section A", "M-1001"),
    ("partial", "Alan", "Turing", "alan.turing@example.org", "1002", "S-1002", "aturing")
    + ("Section A", "M-1002"),
    ("broken", "Ada", "Lovelace", "ada.lovelace@example.org", "1003", "S-1003", "alovelace")
    + ("Section B", "M-1003"),
)


@dataclass(frozen=True)
class Plan:
    """An assignment's samples, as its ``samples.toml`` describes them.

    Attributes:
        due_date: the assignment's due date in the demo.
        partial_cells: grade ids of the solution cells the partial sample fills in.
        submitted_at: when each sample student submitted (nbgrader's timestamp format).
        wrong_cells: solution cells that make the benchmark's wrong submission
            (``{grade id: source}``, over the solution).
        endless_cells: the same for its submission with an endless loop.
    """

    due_date: str
    partial_cells: tuple[str, ...]
    submitted_at: dict[str, str]
    wrong_cells: dict[str, str]
    endless_cells: dict[str, str]


def plan(assignment: str, root: Path = course.COURSE_ROOT) -> Plan:
    """The sample plan of ``assignment``, from the course's hidden-test folder."""
    tests = Path(course.load_config(root).RunHiddenTests.tests_directory)
    with open(tests / assignment / "samples.toml", "rb") as file:
        spec = tomllib.load(file)
    return Plan(
        spec["due_date"],
        tuple(spec["partial_cells"]),
        dict(spec["submitted_at"]),
        wrong_cells=dict(spec["benchmark"]["wrong"]),
        endless_cells=dict(spec["benchmark"]["endless"]),
    )


def write_csv(path: Path, header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> None:
    """Write a CSV file as nbgrader's ``db ... import`` reads it."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(assignment: str) -> dict[str, bytes]:
    """The sample notebooks of ``assignment``, by student id, as file contents."""
    coursedir = course.api().coursedir
    source = read(str(course.notebook_path(coursedir, "source", assignment)))
    release = read(str(course.notebook_path(coursedir, "release", assignment)))
    solutions = solution_sources(source)
    perfect = nbformat.writes(fill(release, solutions)).encode()
    partial = fill(release, {cell: solutions[cell] for cell in plan(assignment).partial_cells})
    return {
        "perfect": perfect,
        "partial": nbformat.writes(partial).encode(),
        "broken": perfect[: len(perfect) // 3],  # a truncated upload
    }


def main(*, assignments: Iterable[str] = (), output: Path = SAMPLES_DIR) -> None:
    """Write the samples of ``assignments`` (default: every assignment) under ``output``,
    replacing old ones, with the roster and the assignments' due dates.

    Args:
        assignments: the assignments whose source and release notebooks are used.
        output: the samples folder; it mirrors the course's ``submitted`` folder.
    """
    assignments = list(assignments) or course.assignments()
    coursedir = course.api().coursedir
    submitted = output / Path(coursedir.submitted_directory).name
    for assignment in assignments:
        submitted_at = plan(assignment).submitted_at
        for student, content in build(assignment).items():
            path = submitted / student / assignment / f"{assignment}.ipynb"
            shutil.rmtree(path.parent, ignore_errors=True)
            path.parent.mkdir(parents=True)
            path.write_bytes(content)
            (path.parent / "timestamp.txt").write_text(submitted_at[student], encoding="utf-8")
            print(f"wrote {path.relative_to(course.COURSE_ROOT)}")
    write_csv(output / "students.csv", ROSTER_COLUMNS, ROSTER)
    due_dates = [(assignment, plan(assignment).due_date) for assignment in course.assignments()]
    write_csv(output / "assignments.csv", ("name", "duedate"), due_dates)
    print(f"wrote {output.name}/students.csv and {output.name}/assignments.csv")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", default=[], help="only this assignment")
    main(assignments=parser.parse_args().assignment)
