"""The course as nbgrader sees it: its configuration, folders and Python API."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

COURSE_ROOT = Path(__file__).resolve().parents[1]


def load_config(root: Path = COURSE_ROOT) -> Config:
    """The course's ``nbgrader_config.py``."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def api(root: Path = COURSE_ROOT) -> NbGraderAPI:
    """nbgrader's Python API on the course at ``root``.

    nbgrader runs ``alembic`` and ``jupyter`` from PATH, so this interpreter's scripts folder is put
    first on PATH, as activating the virtual environment would.
    """
    scripts = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != scripts:
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])
    config = load_config(root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def notebook_path(coursedir: CourseDirectory, step: str, assignment: str, student: str = ".") -> Path:
    """Path of the assignment's notebook in a step's folder (``source``, ``release``, ``submitted``, ...).

    The notebook is named after the assignment, as in this course.
    """
    folder = coursedir.format_path(getattr(coursedir, f"{step}_directory"), student, assignment)
    return Path(folder) / f"{assignment}.ipynb"
