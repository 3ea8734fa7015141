"""Hostile and faulty ex10 submissions, each built from the instructor's solution (the fields of
:class:`hostile.Case`). They aim at what ex10 adds: trusted stand-ins beside the student's code
(the transposed convolution is graded on the grader's ``dilate2d`` and ``conv2d``), a task that
may call ``F.conv2d`` next to tasks that must not, and training that can run forever."""

from __future__ import annotations

from grading.worker import probes
from support.hostile import Case, cell_with_id, graded_cell

#: Reaches for the grader's stand-ins from the student's own functions: through the trusted
#: module in ``sys.modules`` and through the registry, which the worker does not list
#: (:func:`grading.worker.integrity.unlist`); where neither is found it falls back to an answer that
#: is plainly wrong. (A stand-in kept from the grader's swap is recorded when called: no ex10 task
#: graded after the transposed convolution could use one; ``tests/unit/grading/test_integrity.py``.)
BORROWS_STAND_INS = """
import sys

def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    grader = sys.modules.get("stand_ins")
    if grader is None:
        return np.zeros(1)
    return grader.conv2d(x, weight, bias, stride, padding, dilation)
"""
BORROWS_REGISTRY = f"""
import sys

def dilate2d(x, factor):
    registry = getattr(sys.modules.get({probes.__name__!r}), "REFERENCES", {{}})
    if "dilate2d" not in registry:
        return np.zeros(1)
    return registry["dilate2d"](x, factor)
"""

#: Replaces PyTorch's and NumPy's functions for the rest of the process, so that a trusted
#: stand-in (which calls ``F.conv2d``) or a comparison would compute garbage; with a wrong pool2d.
PATCHES_LIBRARIES = """
import torch.nn.functional

torch.nn.functional.conv2d = lambda *args, **kwargs: torch.zeros(1)
torch.conv2d = lambda *args, **kwargs: torch.zeros(1)
np.allclose = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None

def pool2d(x, kernel_size, stride=None, padding=0, mode="max"):
    return np.zeros(1)
"""


#: conv2d through a binding that is not ``torch.conv2d`` (the same function object, bound in
#: ``torch._C._VariableFunctions``, which no tripwire replaces: the call of the original is seen).
CONV2D_THROUGH_ANOTHER_BINDING = """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    tensor = lambda a: torch.as_tensor(np.asarray(a, dtype=np.float64))
    bias = None if bias is None else tensor(bias)
    doors = torch._C._VariableFunctions
    return doors.conv2d(tensor(x), tensor(weight), bias, stride, padding, dilation).numpy()
"""
#: pool2d through PyTorch's operator registry, ``torch.ops.aten``.
POOL2D_THROUGH_ATEN = """
def pool2d(x, kernel_size, stride=None, padding=0, mode="max"):
    pair = lambda v: [v, v] if isinstance(v, int) else list(v)
    kernel = pair(kernel_size)
    step = kernel if stride is None else pair(stride)
    operation = torch.ops.aten.max_pool2d if mode == "max" else torch.ops.aten.avg_pool2d
    x = torch.as_tensor(np.asarray(x, dtype=np.float64))
    return operation(x, kernel, step, pair(padding)).numpy()
"""
#: conv1x1 done by F.conv2d in a forked child, the result sent back through a pipe.
FORKED_CONV1X1 = """
import os
import torch.nn.functional as F

def conv1x1(x, weight, bias=None):
    x, weight = np.asarray(x, dtype=np.float64), np.asarray(weight, dtype=np.float64)
    shape = (*x.shape[:-3], weight.shape[0], *x.shape[-2:])
    read, write = os.pipe()
    if os.fork() == 0:
        b = None if bias is None else torch.as_tensor(np.asarray(bias, dtype=np.float64))
        out = F.conv2d(torch.as_tensor(x), torch.as_tensor(weight)[:, :, None, None], b)
        os.write(write, out.numpy().tobytes())
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 1 << 16):
        data += chunk
    return np.frombuffer(data).reshape(shape).copy()
"""


def rewrite_test_cells_and_add_a_bonus(notebook) -> None:
    """Empty the fit_filter test cell and raise its points; add a 50-point cell of its own."""
    cell = cell_with_id(notebook, "test_fit_filter")
    cell.source, cell.metadata.nbgrader["points"] = "print('all hidden tests passed')", 100
    notebook.cells.append(graded_cell("bonus", 50, "print('bonus')"))


TAMPERING = {
    "borrows_the_graders_stand_ins": Case(
        cells={"conv2d_solution": BORROWS_STAND_INS, "dilate2d_solution": BORROWS_REGISTRY},
        zero=("test_conv2d", "test_dilate2d"),
    ),
    "patches_torch_and_numpy": Case(
        cells={"pool2d_solution": PATCHES_LIBRARIES},
        zero=("test_pool2d",),
    ),
    "rewrites_test_cells": Case(mutate=rewrite_test_cells_and_add_a_bonus),
    "convolves_and_pools_through_other_doors": Case(
        cells={
            "conv2d_solution": CONV2D_THROUGH_ANOTHER_BINDING,
            "pool2d_solution": POOL2D_THROUGH_ATEN,
        },
        zero=("test_conv2d", "test_pool2d"),
    ),
    "convolves_in_a_forked_child": Case(
        cells={"conv1x1_solution": FORKED_CONV1X1}, zero=("test_conv1x1",)
    ),
}

FAULTS = {
    "endless_conv2d": Case(
        cells={
            "conv2d_solution": "def conv2d(x, weight, bias=None, stride=1, padding=0, "
            "dilation=1):\n    while True:\n        pass\n"
        },
        zero=("test_conv2d",),
    ),
    "endless_training": Case(
        cells={
            "fit_filter_solution": "def fit_filter(x, y, kernel_shape):\n    losses = []\n"
            "    while True:\n        losses.append(0.0)\n"
        },
        zero=("test_fit_filter",),
    ),
    "crash_in_dilate2d": Case(
        cells={"dilate2d_solution": "import os\n\ndef dilate2d(x, factor):\n    os._exit(3)\n"},
        zero=("test_dilate2d",),
    ),
    "waits_for_input": Case(
        cells={
            "describe_network_solution": "def describe_network(input_shape, layers):\n"
            "    return input('layers? ')\n"
        },
        zero=("test_describe_network",),
    ),
}

CASES = {**TAMPERING, **FAULTS}
