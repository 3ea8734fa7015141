"""Demo of the whole course cycle on the bundled samples.

Releases the assignment, imports the samples' roster and due date into the gradebook (with
nbgrader's ``db student import`` and ``db assignment import``, as an instructor would), copies the
sample submissions into the submitted folder as ``nbgrader collect`` would, autogrades them
in parallel (:mod:`grading.batch`; one failure does not stop the others, and its summary says what
each scored), writes feedback and ``grades.csv``.
Usage: ``python -m grading.demo [--assignment ex09]`` (``make demo``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.plugins.export import CsvExportPlugin

from grading import batch, course
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
    *, assignment: str = "ex09", samples: Path = SAMPLES_DIR, root: Path = course.COURSE_ROOT
) -> int:
    """Run the cycle; return 0 when every readable sample was graded.

    Args:
        assignment: the assignment to release and grade.
        samples: the roster (``students.csv``), the due date (``assignments.csv``) and a folder
            mirroring the course's submitted folder with the sample submissions.
        root: the course root (where ``nbgrader_config.py`` is).
    """
    warnings.filterwarnings(
        "ignore", module="nbgrader.api"
    )  # SQLAlchemy warnings from nbgrader's gradebook
    api = course.api(root)
    coursedir = api.coursedir
    check(
        api.generate_assignment(assignment, force=True),
        f"nbgrader generate_assignment {assignment}",
    )
    nbgrader(root, "db", "student", "import", str(samples / "students.csv"))
    nbgrader(root, "db", "assignment", "import", str(samples / "assignments.csv"))
    submitted = Path(coursedir.root) / coursedir.submitted_directory
    students = sorted(path.name for path in (samples / coursedir.submitted_directory).iterdir())
    for student in students:
        shutil.rmtree(submitted / student / assignment, ignore_errors=True)
        shutil.copytree(
            samples / coursedir.submitted_directory / student / assignment,
            submitted / student / assignment,
        )

    batch.main(assignment=assignment, students=students, force=True, root=root)
    check(api.generate_feedback(assignment, force=True), f"nbgrader generate_feedback {assignment}")
    grades = Path(coursedir.root) / "grades.csv"
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        CsvExportPlugin(to=str(grades), assignment=[assignment]).export(gradebook)
    print(f"Feedback in {coursedir.feedback_directory}/<student>/{assignment}/")
    print(
        "\nGradebook exported to "
        f"{grades.relative_to(Path.cwd()) if grades.is_relative_to(Path.cwd()) else grades}"
    )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="ex09", help="assignment id")
    sys.exit(main(assignment=parser.parse_args().assignment))
