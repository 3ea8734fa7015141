"""Build the students' package: a wheel of ``helpers``, the embedded MNIST subset as package data.

This is what a student machine or a JupyterHub image installs (``pip install
cnn_exercises_helpers-*.whl``) so that the released notebooks' ``import helpers`` and
``load_mnist()`` work without a course checkout. Only ``helpers/`` and ``data/``'s subset, README
and licence go in (staged in a temporary project, so the course's own package with ``grading`` is
untouched); nothing of ``grading/``, ``grader_tests/`` or ``source/``.

Usage: ``python tools/build_student_package.py [--out dist]`` (``make student-package``); prints the
wheel's path.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Distribution name of the students' package.
NAME = "cnn-exercises-helpers"
#: The data files shipped in ``helpers/data/``.
DATA_FILES = ("mnist_subset.npz", "README.md", "LICENSE.mnist-npm")
#: What ``helpers`` imports, as the students' environment needs it (the course pins exact versions
#: in requirements.txt; a JupyterHub image may install those pins first).
DEPENDENCIES = [
    "numpy>=1.26",
    "scipy>=1.11",
    "torch>=2.2",
    "matplotlib>=3.8",
    "pillow>=10",
    "ipywidgets>=8",
    "ipycanvas>=0.13",
    "torchsummary>=1.5",  # the ex09 notebook prints each model's layer table with it
]


def pyproject(version: str) -> str:
    """The staged project's ``pyproject.toml``."""
    dependencies = "".join(f'    "{d}",\n' for d in DEPENDENCIES)
    return (
        "[project]\n"
        f'name = "{NAME}"\n'
        f'version = "{version}"\n'
        'description = "Student helpers of the CNN exercises: data, images, widgets, checks"\n'
        'requires-python = ">=3.11"\n'
        f"dependencies = [\n{dependencies}]\n\n"
        "[project.optional-dependencies]\n"
        'full-mnist = ["torchvision"]  # reads full MNIST when it is in <data>/MNIST/raw\n\n'
        "[build-system]\n"
        'requires = ["setuptools>=61"]\n'
        'build-backend = "setuptools.build_meta"\n\n'
        "[tool.setuptools]\n"
        'packages = ["helpers", "helpers.data"]\n\n'
        "[tool.setuptools.package-data]\n"
        f'"helpers.data" = {json.dumps(list(DATA_FILES))}\n'
    )


def build(out: Path) -> Path:
    """Stage the students' project, build its wheel into ``out``; return the wheel's path."""
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="student-package-") as folder:
        staged = Path(folder)
        shutil.copytree(
            ROOT / "helpers", staged / "helpers", ignore=shutil.ignore_patterns("__pycache__")
        )
        (staged / "helpers" / "data").mkdir()
        for name in DATA_FILES:
            shutil.copy(ROOT / "data" / name, staged / "helpers" / "data" / name)
        (staged / "pyproject.toml").write_text(pyproject(version))
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
            + ["--wheel-dir", str(out), str(staged)],
            check=True,
        )
    return out / f"{NAME.replace('-', '_')}-{version}-py3-none-any.whl"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder of the wheel")
    print(build(parser.parse_args().out))
