"""Shared fixtures: tiny courses built in ``tmp_path`` and run with the real ``nbgrader``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode
from tests_paths import ASSIGNMENT, ASSIGNMENTS, ROOT
from variants import ALTERNATIVE_STUDENTS, ALTERNATIVES, MALFORMED, WRONG, WRONG_STUDENTS

from grading import zygote
from grading.course import copy_course
from grading.sandbox import Sandbox
from grading.submissions import fill, read, solution_sources


@pytest.fixture(scope="session")
def worker_zygote() -> Iterator[zygote.Zygote]:
    """One worker zygote in the course's sandbox for the session (forking a worker takes 0.2 s
    where a fresh one spends 4 s importing torch)."""
    keeper = zygote.Zygote(Sandbox())
    yield keeper
    keeper.close()


@pytest.fixture
def forked_workers(worker_zygote: zygote.Zygote, monkeypatch: pytest.MonkeyPatch) -> zygote.Zygote:
    """The test's student workers are forked by the session's zygote, as in a batch (which names
    it in the environment); the zygote is returned."""
    monkeypatch.setenv(zygote.WORKER.address_variable, worker_zygote.ensure())
    return worker_zygote


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

    def submit(
        self, student: str, notebook: NotebookNode | bytes, name: str = f"{ASSIGNMENT}.ipynb"
    ) -> Path:
        """Put a notebook (or raw bytes, for malformed files) in ``submitted/<student>/ex09/``
        under ``name``; return the folder."""
        folder = self.root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        if isinstance(notebook, bytes):
            path.write_bytes(notebook)
        else:
            nbformat.write(notebook, str(path))
        return folder

    def scores(self, student: str) -> dict[str, tuple[float, float]]:
        """``{grade cell id: (score, max score)}`` of a student's notebook, from the gradebook."""
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
            return {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}


@pytest.fixture(scope="session")
def released_course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """A course copy on which ``nbgrader generate_assignment`` has run for every assignment."""
    course = Course(tmp_path_factory.mktemp("course"))
    for assignment in ASSIGNMENTS:
        course.nbgrader("generate_assignment", assignment, "--force")
    return course


def graded_batch(course: Course) -> dict[str, NotebookNode | bytes]:
    """Every kind of submission, by student: the solution, the unchanged release, the wrong and
    alternative variants (several per notebook) and malformed files."""
    release = course.notebook("release")
    solutions = solution_sources(course.notebook("source"))
    batch: dict[str, NotebookNode | bytes] = {
        "solution": fill(release, solutions),
        "unchanged_release": release,
    }
    for student, names in WRONG_STUDENTS.items():
        batch[student] = fill(release, {**solutions, **{WRONG[n][0]: WRONG[n][1] for n in names}})
    for student, names in ALTERNATIVE_STUDENTS.items():
        cells = {cell: code for name in names for cell, code in ALTERNATIVES[name]}
        batch[student] = fill(release, {**solutions, **cells})
    text = nbformat.writes(fill(release, solutions))
    for student, corrupt in MALFORMED.items():
        batch[student] = corrupt(text)
    return batch


@pytest.fixture(scope="session")
def graded(released_course: Course):
    """The released course after the parallel grader (``python -m grading.batch``, as
    ``make autograde`` runs it) graded every kind of submission in one batch; also its result
    (malformed notebooks make it exit non-zero)."""
    course = released_course
    for student, notebook in graded_batch(course).items():
        course.submit(student, notebook)
    result = course.run(
        sys.executable, "-m", "grading.batch", ASSIGNMENT, "--jobs", "2", check=False
    )
    return course, result
