"""Demo of the whole course cycle on the bundled samples.

Releases the assignment, copies the sample submissions into the submitted folder, autogrades each
(one failure does not stop the others), writes feedback and ``grades.csv``, and prints a summary.
Usage: ``python -m grading.demo [--assignment ex09]`` (``make demo``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins.export import CsvExportPlugin

from grading import course
from grading.intake import intake
from grading.samples import SAMPLES_DIR


def check(result: dict, what: str) -> None:
    """Stop the demo when an instructor step fails (the samples may fail; these may not)."""
    if not result["success"]:
        sys.exit(f"{what} failed:\n{result.get('error') or result.get('log')}")


EXCEPTION_LINE = re.compile(r"^\s*(?:[\w]+\.)*(\w+(?:Error|Exception): .*)$")


def reason(result: dict) -> str:
    """The exception that stopped a submission, from nbgrader's log (``NotJSONError: ...``)."""
    text = "\n".join(filter(None, (result.get("log"), result.get("error"))))
    found = [
        m.group(1)
        for m in map(EXCEPTION_LINE.match, text.splitlines())
        if m and "NbGraderException" not in m.group(1)
    ]
    return found[-1][:120] if found else "unknown error (see nbgrader's log)"


def main(
    *, assignment: str = "ex09", samples: Path = SAMPLES_DIR, root: Path = course.COURSE_ROOT
) -> int:
    """Run the cycle; return 0 when every readable sample was graded.

    Args:
        assignment: the assignment to release and grade.
        samples: folder mirroring the course's submitted folder, with the sample submissions.
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
    submitted = Path(coursedir.root) / coursedir.submitted_directory
    students = sorted(path.name for path in (samples / coursedir.submitted_directory).iterdir())
    for student in students:
        shutil.rmtree(submitted / student / assignment, ignore_errors=True)
        shutil.copytree(
            samples / coursedir.submitted_directory / student / assignment,
            submitted / student / assignment,
        )

    for message in intake(Path(coursedir.root), assignment):
        print(message, flush=True)
    failures = {}
    for student in students:
        print(f"autograding {student} ...", flush=True)
        result = api.autograde(assignment, student, force=True)
        if not result["success"]:
            failures[student] = reason(result)
    check(api.generate_feedback(assignment, force=True), f"nbgrader generate_feedback {assignment}")
    grades = Path(coursedir.root) / "grades.csv"
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        CsvExportPlugin(to=str(grades), assignment=[assignment]).export(gradebook)
        print(f"\n{'student':<12} {'score':>13}  result")
        for student in students:
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                submission = None
            if student in failures or submission is None:
                print(
                    f"{student:<12} {'-':>13}  not graded: "
                    f"{failures.get(student, 'no submission recorded')}"
                )
            else:
                score = f"{submission.score:g} / {submission.max_score:g}"
                print(
                    f"{student:<12} {score:>13}  graded; feedback in "
                    f"{coursedir.feedback_directory}/{student}/{assignment}/"
                )
    print(
        "\nGradebook exported to "
        f"{grades.relative_to(Path.cwd()) if grades.is_relative_to(Path.cwd()) else grades}"
    )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="ex09", help="assignment id")
    sys.exit(main(assignment=parser.parse_args().assignment))
