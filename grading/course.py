"""The course as nbgrader sees it: its configuration, folders and Python API."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from nbgrader.api import SubmittedAssignment
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from grading import COURSE_ROOT


def load_config(root: Path = COURSE_ROOT) -> Config:
    """The course's ``nbgrader_config.py``."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def api(root: Path = COURSE_ROOT, config: Config | None = None) -> NbGraderAPI:
    """nbgrader's Python API on the course at ``root``, with its configuration or ``config``.

    nbgrader runs ``alembic`` and ``jupyter`` from PATH, so this interpreter's scripts folder is put
    first on PATH, as activating the virtual environment would.
    """
    scripts = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != scripts:
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])
    config = config or load_config(root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def assignments(root: Path = COURSE_ROOT) -> list[str]:
    """The course's assignments: the folders of ``source/`` that hold a notebook named after
    the folder, sorted."""
    coursedir = CourseDirectory(config=load_config(root))
    source = Path(coursedir.root) / coursedir.source_directory
    return sorted(
        folder.name for folder in source.iterdir() if (folder / f"{folder.name}.ipynb").is_file()
    )


def autograded(submission: SubmittedAssignment) -> bool:
    """Whether nbgrader autograded ``submission``: a submission it recorded but could not read
    (an unreadable notebook) has no automatic score in any code cell."""
    return any(
        grade.auto_score is not None
        for notebook in submission.notebooks
        for grade in notebook.grades
        if grade.cell.cell_type == "code"
    )


def step_folder(coursedir: CourseDirectory, step: str, assignment: str, student: str = ".") -> Path:
    """The folder of a student's assignment in a step (``source``, ``release``, ``submitted``,
    ``autograded``, ``feedback``), as nbgrader lays it out."""
    directory = getattr(coursedir, f"{step}_directory")
    return Path(coursedir.format_path(directory, student, assignment))


def notebook_path(
    coursedir: CourseDirectory, step: str, assignment: str, student: str = "."
) -> Path:
    """Path of the assignment's notebook in a step's folder (``source``, ``release``, ...).

    The notebook is named after the assignment, as in this course.
    """
    return step_folder(coursedir, step, assignment, student) / f"{assignment}.ipynb"


#: What a course copy needs to release and autograde; everything else is generated.
COURSE_FILES = ("nbgrader_config.py", "source", "grader_tests")


def copy_course(destination: Path, root: Path = COURSE_ROOT) -> Path:
    """Copy the files a course needs (:data:`COURSE_FILES`) into ``destination``; return it."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in COURSE_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(source, destination / name)
    return destination
