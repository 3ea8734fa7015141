"""Where the exercises' data lives; imports nothing heavy, so that the grader can ask cheaply.

The embedded MNIST subset and full MNIST (``MNIST/raw``) are read from the data folder: the course
checkout's ``data/``, or the students' package's ``helpers/data/``, unless an environment
variable names another.
"""

from __future__ import annotations

import os
from pathlib import Path

EMBEDDED_FILE_NAME = "mnist_subset.npz"
#: The course checkout's data folder, and the students' package's (where the wheel built by
#: ``tools/build_student_package.py`` keeps the embedded subset).
CHECKOUT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "data"
#: Folder holding ``MNIST/raw`` and the embedded subset; ``$CNN_DATA_DIR`` overrides it.
DATA_DIR = (
    CHECKOUT_DATA_DIR if (CHECKOUT_DATA_DIR / EMBEDDED_FILE_NAME).is_file() else PACKAGE_DATA_DIR
)
#: The environment variables that name the data folder, the first set wins: the course-wide name,
#: then the one exercise 09 used before (kept as an alias).
DATA_DIR_VARIABLES = ("CNN_DATA_DIR", "EX09_DATA_DIR")


def data_dir() -> Path:
    """The data folder: the first of :data:`DATA_DIR_VARIABLES` that is set, else
    :data:`DATA_DIR`."""
    named = [os.environ[name] for name in DATA_DIR_VARIABLES if os.environ.get(name)]
    return Path(named[0] if named else DATA_DIR)
