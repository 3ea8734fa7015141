"""Which submissions of an assignment share code: every pair compared, the similar ones flagged
for a person to read.

Reads each student's solution cells from ``submitted/`` (code only; the released starter code
never counts), compares every pair (:mod:`grading.similarity.compare`) and writes, in the course
root, ``similarity-<assignment>.html`` (the flagged pairs side by side, highest first) and
``similarity-<assignment>.csv`` (every pair's score, whole and per task). Both name students:
keep them with the gradebook, out of the repository.

Usage: ``python -m grading.similarity ASSIGNMENT [--threshold SHARE]`` in the course root
(``make similarity``); ``c.Similarity.*`` in ``nbgrader_config.py`` sets the defaults.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

import nbformat
from nbgrader.coursedir import CourseDirectory

from grading import course
from grading.similarity.cells import starter_code, submitted_code
from grading.similarity.compare import Comparison
from grading.similarity.report import ranked, write_csv, write_html
from grading.similarity.settings import Similarity

#: Flagged pairs listed in the summary (the HTML has them all).
SHOWN = 10


def main(
    *,
    assignment: str,
    root: Path = course.COURSE_ROOT,
    threshold: float | None = None,
    out: TextIO | None = None,
) -> int:
    """Compare the submissions of ``assignment`` and write the report; 0 when it was written,
    1 when there was nothing to compare (no release, fewer than two readable submissions)."""
    out = out or sys.stdout
    config = course.load_config(root)
    settings = Similarity(config=config)
    if threshold is not None:
        settings.threshold = threshold
    coursedir = CourseDirectory(config=config)
    released = course.notebook_path(coursedir, "release", assignment)
    if not released.is_file():
        print(f"no {released}: release the assignment first (make release)", file=out)
        return 1
    starters = starter_code(nbformat.read(str(released), as_version=4))
    started = time.monotonic()
    codes, problems = submitted_code(coursedir, assignment, list(starters))
    for line in problems:
        print(line, file=out)
    if len(codes) < 2:
        print(f"{assignment}: {len(codes)} readable submission(s), nothing to compare", file=out)
        return 1
    comparison = Comparison(starters, settings)
    prints = {student: comparison.fingerprint(code) for student, code in codes.items()}
    pairs = comparison.compare(prints)
    written = [root / f"similarity-{assignment}.{kind}" for kind in ("html", "csv")]
    write_html(written[0], assignment, pairs, comparison, prints)
    write_csv(written[1], pairs, comparison.tasks)
    flagged = [pair for pair in ranked(pairs) if pair.flagged]
    print(
        f"{assignment}: {len(codes)} submissions, {len(pairs)} pairs compared in "
        f"{time.monotonic() - started:.1f} s; {len(flagged)} flagged (at least "
        f"{settings.threshold:.0%} of one's code in the other's)",
        file=out,
    )
    for pair in flagged[:SHOWN]:
        print(f"  {pair.score():4.0%}  {pair.a}  {pair.b}", file=out)
    if len(flagged) > SHOWN:
        print(f"  ... and {len(flagged) - SHOWN} more", file=out)
    print(f"report: {written[0]} and {written[1]}", file=out)
    return 0


def cli() -> None:
    """``python -m grading.similarity ASSIGNMENT [--threshold SHARE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m grading.similarity", description=__doc__.splitlines()[0]
    )
    parser.add_argument("assignment", help="assignment id")
    parser.add_argument(
        "--threshold",
        type=float,
        help="flag from this share of code (default c.Similarity.threshold)",
    )
    args = parser.parse_args()
    sys.exit(main(assignment=args.assignment, root=Path.cwd(), threshold=args.threshold))
