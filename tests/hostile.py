"""Hostile and faulty submissions, each built from the instructor's solution.

``CASES[name] = Case(...)``: the solution cells it replaces, plain cells it adds after the import
cell (they run only in the kernel), files it adds to the submission folder, the tasks that must
score 0 (as if left unimplemented), and whether every other task must keep full marks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import nbformat
from nbformat import NotebookNode

HIDDEN = "../../../grader_tests/ex09/test_conv1d.py"  # from autograde/<student>/ex09/


@dataclass
class Case:
    cells: dict[str, str] = field(default_factory=dict)
    kernel_cells: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    mutate: Callable[[NotebookNode], None] | None = None
    zero: tuple[str, ...] = ()
    others_full: bool = True


def edit_graded_cells(notebook: NotebookNode) -> None:
    """Rewrite one graded test cell and its points, delete another, add a fake graded cell."""
    cells = []
    for cell in notebook.cells:
        nbgrader = cell.metadata.get("nbgrader", {})
        if nbgrader.get("grade_id") == "test_sobel":
            continue
        if nbgrader.get("grade_id") == "test_conv1d":
            cell.source, nbgrader["points"] = "print('all hidden tests passed')", 100
        cells.append(cell)
    bonus = nbformat.v4.new_code_cell("print('bonus')")
    bonus.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "bonus",
        "locked": False,
        "points": 50,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    notebook.cells = [*cells, bonus]


CASES = {
    # Tampering: none of it may earn points.
    "patches_the_checks": Case(
        cells={
            "conv1d_solution": """
import builtins
import numpy.testing
import pytest
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
torch.allclose = lambda *args, **kwargs: True
pytest.main = lambda *args, **kwargs: 0
builtins.isinstance = lambda *args: True

def convolution_one_dimensional(x, h):
    return np.zeros(3)
"""
        },
        zero=("test_conv1d",),
        others_full=False,  # a patched isinstance breaks the student's own process
    ),
    "fake_modules_and_shadow_files": Case(
        cells={
            "conv2d_solution": """
import sys
import types
sys.modules["grader_tests"] = types.ModuleType("grader_tests")
sys.modules["helpers.expect"] = types.SimpleNamespace(expect_array=lambda *a, **k: None)

def convolution_two_dimensional(x, h):
    return np.zeros((1, 1))
"""
        },
        files={"helpers.py": "raise SystemExit('shadowed')\n", "grading.py": "PASS = True\n"},
        zero=("test_conv2d",),
    ),
    "objects_that_lie_about_equality": Case(
        cells={
            "conv1d_solution": """
class AlwaysEqual:
    shape = (10,)
    dtype = np.dtype(float)

    def __eq__(self, other):
        return True

    def __array__(self, *args, **kwargs):
        return np.zeros(10)

def convolution_one_dimensional(x, h):
    return AlwaysEqual()
""",
            "padding_1d_solution": """
def add_padding_1d(x, filter_size):
    half = filter_size // 2
    return np.array([0.0] * half + list(x) + [0.0] * half, dtype=object)
""",
        },
        zero=("test_conv1d", "test_padding_1d"),
    ),
    "calls_library_convolutions": Case(
        cells={
            "conv1d_solution": """
def convolution_one_dimensional(x, h):
    return np.convolve(x, h, mode="same").astype(float)
""",
            "conv2d_solution": """
from scipy import signal as s

def convolution_two_dimensional(x, h):
    return getattr(s, "convolve2d")(x, h, mode="same").astype(float)
""",
        },
        zero=("test_conv1d", "test_conv2d"),
    ),
    "edits_graded_cells": Case(
        cells={"conv1d_solution": "def convolution_one_dimensional(x, h):\n    return x"},
        mutate=edit_graded_cells,
        zero=("test_conv1d",),
    ),
    "reads_hidden_tests": Case(
        cells={
            "conv1d_solution": f"""
def convolution_one_dimensional(x, h):
    return open({HIDDEN!r}).read()
"""
        },
        kernel_cells=[
            f"""
import glob
for path in glob.glob("../../../grader_tests/**/*.py", recursive=True) + [{HIDDEN!r}]:
    print(open(path).read())
"""
        ],
        zero=("test_conv1d",),
    ),
    "writes_course_files": Case(
        kernel_cells=[
            """
for path in ("../../../gradebook.db", "../../../grader_tests/ex09/test_conv1d.py",
             "../../../source/ex09/ex09.ipynb", "../../honest/ex09/ex09.ipynb"):
    try:
        with open(path, "a") as file:
            file.write("HACKED")
    except OSError as error:
        print(path, error)
"""
        ],
    ),
    # Faults: each costs only what it breaks.
    "infinite_loop": Case(
        cells={
            "conv2d_solution": """
def convolution_two_dimensional(x, h):
    while True:
        pass
"""
        },
        zero=("test_conv2d",),
    ),
    "memory_bomb": Case(
        cells={
            "conv1d_solution": """
def convolution_one_dimensional(x, h):
    hoard = []
    while True:
        hoard.append(bytearray(256 * 1024**2))
"""
        },
        zero=("test_conv1d",),
    ),
    "kernel_exits": Case(kernel_cells=["import os\nos._exit(1)"]),
    "sys_exit_in_a_function": Case(
        cells={
            "padding_1d_solution": """
import sys

def add_padding_1d(x, filter_size):
    sys.exit(0)
"""
        },
        zero=("test_padding_1d",),
    ),
    "segfault_in_a_function": Case(
        cells={
            "conv2d_solution": """
import ctypes

def convolution_two_dimensional(x, h):
    return ctypes.string_at(0)
"""
        },
        zero=("test_conv2d",),
    ),
    "crash_while_loading": Case(
        cells={"sobel_solution": "import os\nos._exit(2)\n"},
        zero=("test_sobel",),
    ),
    "huge_output": Case(kernel_cells=["print('x' * 50_000_000)"]),
    "correct_but_noisy_on_stderr": Case(
        cells={
            "conv1d_solution": """
import sys
import warnings

def convolution_one_dimensional(x, h):
    warnings.warn("this loop is slow")
    sys.stderr.write("debug: convolving\\n")
    x_padded = np.pad(np.asarray(x, dtype=float), len(h) // 2)
    h_flipped = np.asarray(h, dtype=float)[::-1]
    return np.array([np.sum(x_padded[n : n + len(h)] * h_flipped) for n in range(len(x))])
"""
        },
    ),
}
