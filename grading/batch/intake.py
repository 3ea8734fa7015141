"""Intake: put each submitted notebook where ``nbgrader autograde`` looks for it.

nbgrader grades ``submitted/<student>/<assignment>/<name>.ipynb`` only under the names the
gradebook knows, and skips anything else, so a notebook saved as ``<name> (1).ipynb`` or
``<name>-Copy1.ipynb`` would score nothing. This stage runs before autograding: for every expected
notebook a student's folder lacks, it copies in the folder's other notebook that carries the most
of that notebook's graded cells (by grade id), keeping the student's file as it is. Folders where
no notebook qualifies, or where two tie, are reported and left alone.

Usage: ``python -m grading.batch.intake ASSIGNMENT`` in the course root (``make autograde`` runs
it).
"""

from __future__ import annotations

import argparse
import glob
import json
import shutil
import sys
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory

from grading.course import load_config


def expected_notebooks(db_url: str, assignment: str) -> dict[str, set[str]]:
    """``{notebook name: grade ids of its nbgrader cells}`` of the assignment (gradebook)."""
    with Gradebook(db_url) as gradebook:
        return {
            notebook.name: {cell.name for cell in notebook.source_cells}
            for notebook in gradebook.find_assignment(assignment).notebooks
        }


def grade_ids(path: Path) -> set[str]:
    """The grade ids in a notebook file's cell metadata; none if it is not readable JSON."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        return {cell["metadata"]["nbgrader"]["grade_id"] for cell in cells if _has_grade_id(cell)}
    except (OSError, UnicodeDecodeError, ValueError, AttributeError, TypeError):
        return set()


def _has_grade_id(cell: object) -> bool:
    return isinstance(cell, dict) and isinstance(
        cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"), str
    )


def place_notebooks(folder: Path, expected: dict[str, set[str]]) -> list[str]:
    """Copy a misnamed notebook in ``folder`` to each expected name that is missing; return one
    message per notebook placed or still missing."""
    messages = []
    others = sorted(p for p in folder.glob("*.ipynb") if p.stem not in expected)
    for name, ids in expected.items():
        target = folder / f"{name}.ipynb"
        if target.exists():
            continue
        matches = {path: len(grade_ids(path) & ids) for path in others}
        best = max(matches.values(), default=0)
        chosen = [path for path, count in matches.items() if count == best and best > 0]
        if len(chosen) == 1:
            shutil.copy2(chosen[0], target)
            messages.append(f"{folder}: graded {chosen[0].name!r} as {target.name!r}")
        else:
            found = ", ".join(repr(path.name) for path in others) or "no notebook"
            why = "several match equally" if chosen else "none has its graded cells"
            messages.append(f"{folder}: no {target.name!r}; found {found} ({why})")
    return messages


def intake(course_root: Path, assignment: str) -> list[str]:
    """Place the notebooks of every student folder of ``assignment``; return the messages."""
    coursedir = CourseDirectory(config=load_config(course_root), root=str(course_root))
    expected = expected_notebooks(coursedir.db_url, assignment)
    pattern = coursedir.format_path(coursedir.submitted_directory, "*", assignment)
    return [
        message
        for folder in sorted(Path(path) for path in glob.glob(pattern))
        for message in place_notebooks(folder, expected)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--course-root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    for message in intake(args.course_root, args.assignment):
        print(message, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
