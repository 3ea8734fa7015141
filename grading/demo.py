"""Demo of the whole course cycle on the bundled samples.

Releases every assignment (or those named), imports the samples' roster and due dates into the
gradebook (with
nbgrader's ``db student import`` and ``db assignment import``, as an instructor would), copies the
sample submissions into the submitted folder as ``nbgrader collect`` would, autogrades them
in parallel (:mod:`grading.batch.command`; one failure does not stop the others, and its summary
says what each scored), writes feedback and ``grades.csv``.
Usage: ``python -m grading.demo [--assignment ID ...]`` (``make demo``; default: every assignment).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.plugins.export import CsvExportPlugin

from grading import course
from grading.batch import command as batch
from grading.samples import SAMPLES_DIR


def check(result: dict, what: str) -> None:
    """Stop the demo when an instructor step fails (the samples may fail; these may not)."""
    if not result["success"]:
        sys.exit(f"{what} failed:\n{result.get('error') or result.get('log')}")


def nbgrader(root: Path, *arguments: str) -> None:
    """Run an ``nbgrader`` command of this environment in the course root; stop if it fails."""
    command = [str(Path(sys.executable).parent / "nbgrader"), *arguments]
    if subprocess.run(command, cwd=root).returncode != 0:
        sys.exit(f"{' '.join(['nbgrader', *arguments])} failed")


def main(
    *,
    assignments: Iterable[str] = (),
    samples: Path = SAMPLES_DIR,
    root: Path = course.COURSE_ROOT,
) -> int:
    """Run the cycle; return 0 when every readable sample was graded.

    Args:
        assignments: the assignments to release and grade (default: every one in ``source/``).
        samples: the roster (``students.csv``), the due dates (``assignments.csv``) and a folder
            mirroring the course's submitted folder with the sample submissions.
        root: the course root (where ``nbgrader_config.py`` is).
    """
    warnings.filterwarnings(
        "ignore", module="nbgrader.api"
    )  # SQLAlchemy warnings from nbgrader's gradebook
    assignments = list(assignments) or course.assignments(root)
    api = course.api(root)
    coursedir = api.coursedir
    for assignment in assignments:
        check(
            api.generate_assignment(assignment, force=True),
            f"nbgrader generate_assignment {assignment}",
        )
    nbgrader(root, "db", "student", "import", str(samples / "students.csv"))
    nbgrader(root, "db", "assignment", "import", str(samples / "assignments.csv"))
    submitted = Path(coursedir.root) / coursedir.submitted_directory
    for assignment in assignments:
        students = sorted(
            path.parent.name
            for path in (samples / coursedir.submitted_directory).glob(f"*/{assignment}")
        )
        for student in students:
            shutil.rmtree(submitted / student / assignment, ignore_errors=True)
            shutil.copytree(
                samples / coursedir.submitted_directory / student / assignment,
                submitted / student / assignment,
            )
        print(f"\n{assignment}:")
        batch.main(assignment=assignment, students=students, force=True, root=root)
        check(
            api.generate_feedback(assignment, force=True),
            f"nbgrader generate_feedback {assignment}",
        )
        print(f"Feedback in {coursedir.feedback_directory}/<student>/{assignment}/")
    grades = Path(coursedir.root) / "grades.csv"
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        CsvExportPlugin(to=str(grades), assignment=assignments).export(gradebook)
    print(
        "\nGradebook exported to "
        f"{grades.relative_to(Path.cwd()) if grades.is_relative_to(Path.cwd()) else grades}"
    )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", default=[], help="only this assignment")
    sys.exit(main(assignments=parser.parse_args().assignment))
