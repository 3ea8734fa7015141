"""Copies of the course in a temporary folder, driven through nbgrader's command line, and the
assignments' corpora submitted to them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from grading.course import copy_course
from grading.submissions import read, solution_sources
from support.corpus import CORPORA
from support.paths import ASSIGNMENT, ROOT


class Course:
    """A copy of the course in a temporary folder, driven through nbgrader's command line."""

    def __init__(self, root: Path) -> None:
        self.root = copy_course(root, ROOT)

    def nbgrader(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run ``nbgrader ARGS`` in the course root with the test environment's executables."""
        return self.run(str(Path(sys.executable).parent / "nbgrader"), *args, check=check)

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a command in the course root with the test environment's executables on PATH."""
        bin_dir = Path(sys.executable).parent
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
        result = subprocess.run(
            list(command),
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(command)} exited with {result.returncode}:\n{result.stderr[-4000:]}"
            )
        return result

    def notebook(self, folder: str, assignment: str = ASSIGNMENT) -> NotebookNode:
        """``<folder>/<assignment>/<assignment>.ipynb`` of this course (``source`` or
        ``release``)."""
        return read(str(self.root / folder / assignment / f"{assignment}.ipynb"))

    def written_answers(self, assignment: str = ASSIGNMENT) -> dict[str, float]:
        """``{grade id: points}`` of the answers a grader grades by hand (markdown grade cells)."""
        return {
            cell.metadata.nbgrader["grade_id"]: cell.metadata.nbgrader["points"]
            for cell in self.notebook("release", assignment).cells
            if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("grade")
        }

    def submit(
        self,
        student: str,
        notebook: NotebookNode | bytes,
        name: str = "",
        assignment: str = ASSIGNMENT,
    ) -> Path:
        """Put a notebook (or raw bytes, for malformed files) in
        ``submitted/<student>/<assignment>/`` under ``name`` (default: the assignment's notebook
        name); return the folder."""
        name = name or f"{assignment}.ipynb"
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        if isinstance(notebook, bytes):
            path.write_bytes(notebook)
        else:
            nbformat.write(notebook, str(path))
        return folder

    def scores(self, student: str, assignment: str = ASSIGNMENT) -> dict[str, tuple[float, float]]:
        """``{grade cell id: (score, max score)}`` of the autograded cells of a student's
        notebook, from the gradebook (written answers, graded by hand, are left out)."""
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
            return {
                grade.name: (grade.score, grade.max_score)
                for grade in notebook.grades
                if grade.cell.cell_type == "code"
            }


def configured_course(root: Path, course_id: str, exchange: Path | None = None) -> str:
    """Make ``root`` a course of nothing but its ``nbgrader_config.py`` (``course_id``, and the
    exchange at ``exchange`` if given), for tests that build its gradebook themselves; the
    gradebook's URL."""
    lines = [
        "c = get_config()",
        f"c.CourseDirectory.root = {str(root)!r}",
        f"c.CourseDirectory.course_id = {course_id!r}",
    ]
    if exchange is not None:
        lines.append(f"c.Exchange.root = {str(exchange)!r}")
    (root / "nbgrader_config.py").write_text("\n".join(lines) + "\n")
    return f"sqlite:///{root / 'gradebook.db'}"


def corpus_submissions(
    course: Course, assignment: str = ASSIGNMENT
) -> dict[str, NotebookNode | bytes]:
    """The assignment's corpus (:mod:`corpus`) as notebooks of ``course``'s release, by student."""
    release = course.notebook("release", assignment)
    solutions = solution_sources(course.notebook("source", assignment))
    return CORPORA[assignment].submissions(release, solutions)


def grade_corpus(course: Course, assignment: str) -> subprocess.CompletedProcess:
    """Submit the assignment's corpus (:mod:`corpus`) to ``course`` and grade it with the parallel
    grader (``python -m grading.batch``, as ``make autograde`` runs it); return its result
    (malformed notebooks make it exit non-zero)."""
    for student, notebook in corpus_submissions(course, assignment).items():
        course.submit(student, notebook, assignment=assignment)
    return course.run(sys.executable, "-m", "grading.batch", assignment, "--jobs", "2", check=False)
