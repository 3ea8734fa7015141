"""What is compared: the code of each solution cell (a task), from the release and from each
submitted notebook."""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode
from nbgrader.coursedir import CourseDirectory

from grading import course
from grading.batch.selection import submitted_students
from grading.submissions import grade_id


def starter_code(release: NotebookNode) -> dict[str, str]:
    """The released code of each task (a code solution cell, by grade id), in notebook order."""
    return {
        grade_id(cell): cell.source
        for cell in release.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    }


def solution_code(notebook: NotebookNode, tasks: list[str]) -> dict[str, str]:
    """The student's code of each of ``tasks`` ("" for a task whose cell is missing)."""
    found = {grade_id(cell): cell.source for cell in notebook.cells if cell.cell_type == "code"}
    return {task: found.get(task, "") for task in tasks}


def submitted_code(
    coursedir: CourseDirectory, assignment: str, tasks: list[str]
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Each student's code by task, from ``submitted/``; and a line for each submission that
    could not be read (it is left out)."""
    codes, problems = {}, []
    for student in submitted_students(coursedir, assignment):
        path = course.notebook_path(coursedir, "submitted", assignment, student)
        try:
            notebook = nbformat.read(str(path), as_version=4)
        except (OSError, ValueError) as error:
            problems.append(f"{student}: left out, {path.name} unreadable ({type(error).__name__})")
            continue
        codes[student] = solution_code(notebook, tasks)
    return codes, problems
