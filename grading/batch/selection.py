"""Which submissions a batch grades, and the jobs that grade them (what each takes along)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import parse_utc
from traitlets.config import Config

from grading.batch.job import Job
from grading.course import step_folder
from grading.pipeline.preprocessors.hidden_tests import RunHiddenTests

#: Seconds a job may take on top of the hidden tests' own limit (nbgrader, the kernel's start).
JOB_MARGIN = 300.0


def registered(coursedir: CourseDirectory, assignment: str) -> bool:
    """Whether the gradebook knows the assignment (``nbgrader generate_assignment`` ran)."""
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


def submission_folder(coursedir: CourseDirectory, assignment: str, student: str) -> Path:
    """The student's collected submission of ``assignment``."""
    return step_folder(coursedir, "submitted", assignment, student)


def submitted_students(coursedir: CourseDirectory, assignment: str) -> list[str]:
    """Students with a submission folder for ``assignment``."""
    root = Path(coursedir.root) / coursedir.submitted_directory
    return sorted(path.name for path in root.glob("*") if (path / assignment).is_dir())


def submitted_at(folder: Path) -> datetime | None:
    """When the submission in ``folder`` was made (its ``timestamp.txt``, as nbgrader reads it:
    naive UTC), or None without a readable one."""
    try:
        return parse_utc((folder / "timestamp.txt").read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError, ValueError, OverflowError):
        return None


def is_graded(
    coursedir: CourseDirectory, gradebook: Gradebook, assignment: str, student: str
) -> bool:
    """Whether the student's current submission is graded: the gradebook has it, with the time of
    the submitted folder (a resubmission collected since then is not graded yet), and its
    autograded notebooks exist."""
    folder = step_folder(coursedir, "autograded", assignment, student)
    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry:
        return False
    current = submitted_at(submission_folder(coursedir, assignment, student))
    return submission.timestamp == current and any(folder.glob("*.ipynb"))


def pending_students(
    coursedir: CourseDirectory, assignment: str, wanted: set[str], force: bool
) -> list[str]:
    """The students of ``wanted`` (everyone when empty) whose submission is to be graded: those
    not graded yet, or every one with ``force``."""
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        return [
            student
            for student in submitted_students(coursedir, assignment)
            if (not wanted or student in wanted)
            and (force or not is_graded(coursedir, gradebook, assignment, student))
        ]


def graded_students(coursedir: CourseDirectory, assignment: str, students: list[str]) -> list[str]:
    """Those of ``students`` whose current submission is graded already (:func:`is_graded`): a
    batch that grades them again is a regrade of the same submission."""
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        return [s for s in students if is_graded(coursedir, gradebook, assignment, s)]


def template_gradebook(coursedir: CourseDirectory, folder: Path) -> bytes:
    """The course's gradebook with no student in it: what a job needs to autograde."""
    path = folder / "template.db"
    shutil.copy(coursedir.db_url.removeprefix("sqlite:///"), path)
    with Gradebook(f"sqlite:///{path}", coursedir.course_id) as gradebook:
        for student in list(gradebook.students):
            gradebook.remove_student(student.id)
    with sqlite3.connect(path) as connection:
        connection.execute("VACUUM")
    return path.read_bytes()


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of a submission folder, by path relative to it."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def job_timeout(config: Config) -> float:
    """Seconds a grading job may take under the course's ``config``: the hidden tests' own limit
    (``RunHiddenTests.judge_timeout``) and a margin."""
    return RunHiddenTests(config=config).judge_timeout + JOB_MARGIN


def jobs_for(
    coursedir: CourseDirectory,
    assignment: str,
    students: list[str],
    template: bytes,
    timeout: float,
) -> list[Job]:
    """One job per student: the submission's files, the course's gradebook without students
    (``template``, :func:`template_gradebook`) and the job's time limit (:func:`job_timeout`)."""
    return [
        Job(
            course_root=str(Path(coursedir.root).resolve()),
            assignment=assignment,
            student=student,
            files=files_of(submission_folder(coursedir, assignment, student)),
            gradebook=template,
            timeout=timeout,
        )
        for student in students
    ]
