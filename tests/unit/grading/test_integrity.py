"""Inside the worker, student code cannot forge the facts the probes report (integrity restore)
nor reach a wired library function unnoticed (tripwires)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pytest

from grading.judge.bans import Ban
from grading.judge.errors import LibraryUsed
from grading.judge.student import StudentProcess
from grading.worker import tripwires
from support.student_workers import start

#: Workers are forked by a zygote, as in a batch (fresh ones are tested by the nbgrader runs).
pytestmark = pytest.mark.usefixtures("forked_workers")

TRIPWIRES = [
    "numpy.convolve",
    "numpy._core.multiarray.correlate",
    "scipy.signal.convolve2d",
    "torch.conv1d",
]

CONVOLVING_NET = """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(2, 1, 3, dtype=torch.float64))

    def forward(self, x):
        return torch.conv1d(x, self.weight)
"""

TWO_LAYERS = """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(4, 3)

    def forward(self, x):
        return self.layer(x)
"""


#: The tests' task: calls must not reach a library convolution.
BAN = Ban("sums", frozenset(TRIPWIRES), advice="write the sum yourself")


@pytest.fixture
def worker() -> Iterator:
    """``worker(cells)`` starts a process on ``{grade id: source}``; all are closed after."""
    started = []

    def start_wired(cells: dict[str, str]) -> StudentProcess:
        started.append(start(cells, timeout=30, tripwires=TRIPWIRES))
        return started[-1]

    yield start_wired
    for process in started:
        process.close()


def shapes(process: StudentProcess) -> list[list[int]]:
    return process.probe("parameter_shapes", "counting parameters", cls="Net", kwargs={})


def test_patching_module_parameters_does_not_forge_the_count(worker):
    process = worker(
        {
            "net": TWO_LAYERS,
            "patch": "nn.Module.parameters = lambda self, recurse=True: "
            "iter([nn.Parameter(torch.zeros(100, 100))])",
        }
    )
    assert shapes(process) == [[3, 4], [3]], "expected the real shapes of Linear(4, 3)"
    tampered = process.take_tampered()
    assert "torch.nn.modules.module.Module.parameters" in tampered, (
        f"expected the patch to be reported, got {tampered}"
    )


def test_a_class_overriding_parameters_does_not_forge_the_count(worker):
    override = TWO_LAYERS + (
        "\n    def parameters(self, recurse=True):\n"
        "        return iter([nn.Parameter(torch.zeros(100, 100))])\n"
    )
    process = worker({"net": override})
    assert shapes(process) == [[3, 4], [3]], "expected the shapes read from the registries"


def test_patches_made_during_a_call_are_undone_before_the_reply(worker):
    process = worker(
        {
            "f": "import json\n\ndef f():\n    json.dumps = lambda *a, **k: '{}'\n"
            "    np.allclose = lambda *a, **k: True\n    return 1.5"
        }
    )
    result, _ = process.call("f")
    assert result == 1.5, f"expected the real reply 1.5, got {result!r}"
    assert process.call("f")[0] == 1.5, "the next reply should be intact too"
    tampered = process.take_tampered()
    assert {"json.dumps", "numpy.allclose"} <= set(tampered), f"got {tampered}"


def test_code_swapped_into_a_trusted_function_is_put_back_before_the_reply(worker):
    swap = (
        "import json\n\n"
        "def f():\n"
        "    json.dumps.__code__ = (lambda *a, **k: '{}').__code__\n"
        "    json.dumps.__kwdefaults__['sort_keys'] = True\n"
        "    return 2.5"
    )
    process = worker({"f": swap})
    assert process.call("f")[0] == 2.5, "expected the real reply, sent with the real json.dumps"
    tampered = process.take_tampered()
    assert {"json.dumps.__code__", "json.dumps.__kwdefaults__"} <= set(tampered), (
        f"expected the swapped code and keyword defaults to be reported, got {tampered}"
    )


def test_code_swapped_into_a_closure_is_put_back(worker):
    swap = (
        "def f():\n"
        "    step = torch.optim.Adam.step\n"
        "    for cell in step.__closure__:\n"
        "        if callable(cell.cell_contents):\n"
        "            cell.cell_contents = lambda *args, **kwargs: None\n"
        "    return 1.0"
    )
    learns = (
        "def learns():\n"
        "    weight = torch.nn.Parameter(torch.ones(3))\n"
        "    optimizer = torch.optim.Adam([weight], lr=0.1)\n"
        "    weight.sum().backward()\n"
        "    optimizer.step()\n"
        "    return bool((weight < 1).all())"
    )
    process = worker({"f": swap, "learns": learns})
    assert process.call("f")[0] == 1.0, "expected the student's function to run"
    assert process.call("learns")[0] is True, "expected Adam's real step to run after the swap"
    tampered = process.take_tampered()
    assert any(name.endswith("step.__closure__") for name in tampered), (
        f"expected the optimiser's wrapped step to be reported as replaced, got {tampered}"
    )


def test_patched_builtins_are_restored_for_the_next_call(worker):
    process = worker(
        {
            "patch": "import builtins\nbuiltins.len = lambda x: 0",
            "g": "def g(x):\n    return len(x)",
        }
    )
    assert process.call("g", [1, 2, 3])[0] == 3, "the student's code should see the real len"


@pytest.mark.parametrize(
    "cells",
    [
        {"f": "def f(x, h):\n    return np.convolve(x, h, 'same')"},
        {"alias": "c = np.convolve", "f": "def f(x, h):\n    return c(x, h, 'same')"},
        {"f": "def f(x, h):\n    return getattr(np, 'con' + 'volve')(x, h, 'same')"},
        {
            "f": "import numpy._core.multiarray as m\n\n"
            "def f(x, h):\n    return m.correlate(x, h[::-1], 'same')"
        },
    ],
    ids=["direct", "alias_from_another_cell", "computed_name", "compiled_routine"],
)
def test_library_convolutions_are_caught_however_they_are_reached(worker, cells):
    process = worker(cells)
    with process.banning(BAN), pytest.raises(LibraryUsed) as caught:
        process.call("f", np.arange(5.0), np.ones(3))
    expected = (
        r"while running f\(\), your code called numpy\.\S+, which task sums asks you to write "
        r"yourself, so it earns no credit; write the sum yourself$"
    )
    assert re.match(expected, str(caught.value)), f"expected {expected!r}, got {caught.value}"


def test_a_library_call_costs_credit_only_in_the_tasks_that_ban_it(worker):
    process = worker({"f": "def f(x, h):\n    return np.convolve(x, h, 'same')"})
    result, _ = process.call("f", np.arange(5.0), np.ones(3))
    np.testing.assert_allclose(result, [1.0, 3.0, 6.0, 9.0, 7.0], err_msg="outside the ban")
    other_task = Ban("elsewhere", frozenset({"torch.conv2d"}))
    with process.banning(other_task):
        assert process.call("f", np.arange(5.0), np.ones(3))[0].shape == (5,), "another ban"
    with process.banning(BAN), pytest.raises(LibraryUsed):
        process.call("f", np.arange(5.0), np.ones(3))


def test_a_probe_of_a_banned_task_is_watched_too(worker):
    process = worker({"net": CONVOLVING_NET})
    assert shapes(process) == [[2, 1, 3]], "counting parameters runs no forward pass"
    forward = {"cls": "Net", "kwargs": {}, "x": np.ones((1, 1, 5))}
    assert process.probe("forward", "running Net", **forward).shape == (1, 2, 3), "no ban"
    with process.banning(Ban("net", frozenset({"torch.conv1d"}))), pytest.raises(LibraryUsed):
        process.probe("forward", "running Net", **forward)


def test_hand_written_convolution_and_trusted_references_do_not_trip(worker):
    process = worker(
        {
            "f": "def f(x, h):\n    return np.array([x[i:i + len(h)] @ h[::-1] "
            "for i in range(len(x) - len(h) + 1)])",
            "sobel": "def g(x):\n    return convolution_two_dimensional(x, np.ones((3, 3)))",
        }
    )
    result, _ = process.call("f", np.arange(5.0), np.ones(3))
    np.testing.assert_allclose(result, [3.0, 6.0, 9.0], err_msg="hand-written convolution")
    smoothed, _ = process.call("g", np.ones((4, 4)), references=["convolution_two_dimensional"])
    assert smoothed.shape == (4, 4), f"expected the reference's (4, 4) result, got {smoothed.shape}"


def test_ordinary_library_use_is_not_reported_as_tampering(worker):
    train = (
        "def train():\n"
        "    model = Net()\n"
        "    model.register_forward_hook(lambda *args: None)\n"
        "    optimizer = torch.optim.Adam(model.parameters())\n"
        "    model(torch.zeros(2, 4)).sum().backward()\n"
        "    optimizer.step()\n"
        "    return 1.0\n"
    )
    process = worker({"net": TWO_LAYERS, "train": train})
    assert process.call("train")[0] == 1.0, "expected the training step to run"
    assert shapes(process) == [[3, 4], [3]], "expected the real shapes of Linear(4, 3)"
    tampered = process.take_tampered()
    assert tampered == [], f"expected no tampering in ordinary use, got {tampered}"


def test_a_stand_in_kept_from_the_graders_swap_earns_no_credit_in_any_task(worker):
    process = worker(
        {
            "conv2d": "def convolution_two_dimensional(x, h):\n"
            "    return kept(x, h) if 'kept' in globals() else x",
            "g": "def g(x):\n    global kept\n    kept = convolution_two_dimensional\n"
            "    return convolution_two_dimensional(x, np.ones((3, 3)))",
        }
    )
    smoothed, _ = process.call("g", np.ones((4, 4)), references=["convolution_two_dimensional"])
    assert smoothed[1, 1] == 9.0, f"expected the stand-in's sum 9.0 in the swap, got {smoothed}"
    with pytest.raises(LibraryUsed) as caught:
        process.call("convolution_two_dimensional", np.ones((4, 4)), np.ones((3, 3)))
    expected = (
        "while running convolution_two_dimensional(), your code called the grader's own "
        "convolution_two_dimensional, so it earns no credit"
    )
    assert str(caught.value) == expected, f"expected {expected!r}, got {caught.value}"


def test_the_graders_stand_ins_are_not_listed_by_name(worker):
    looks = (
        "import importlib, sys\n\ndef f():\n"
        "    listed = [name for name in ('stand_ins', 'grading.worker.probes')"
        " if name in sys.modules]\n"
        "    return listed, sorted(importlib.import_module('grading.worker.probes').REFERENCES)"
    )
    listed, registry = worker({"f": looks}).call("f")[0]
    assert listed == [], f"expected no trusted module listed in sys.modules, got {listed}"
    assert registry == [], f"expected an import to give a fresh, empty registry, got {registry}"


#: A tripwire's original, unwrapped from its closure under names built at run time.
UNWRAP = (
    "import numpy._core.multiarray as m\n"
    "_wire = getattr(m, 'corr' + 'elate')\n"
    "_original = getattr(_wire, '__clo' + 'sure__')[0].cell_contents\n"
)


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        (
            {
                "f": "import os\n\ndef f(x, h):\n    read, write = os.pipe()\n"
                "    if os.fork() == 0:\n"
                "        os.write(write, getattr(np, 'con' + 'volve')(x, h, 'same').tobytes())\n"
                "        os._exit(0)\n"
                "    return np.frombuffer(os.read(read, 1000))"
            },
            "a process (os.fork())",
        ),
        (
            {
                "f": "import subprocess, sys\n\ndef f(x, h):\n    out = subprocess.run("
                "[sys.executable, '-c', 'print(1)'], capture_output=True)\n    return x"
            },
            "a process (subprocess)",
        ),
        (
            {
                "f": "import os, sys\nimport multiprocessing.util as u\n\ndef f(x, h):\n"
                "    python = sys.executable\n"
                "    u.spawnv_passfds(os.fsencode(python), [python, '-c', 'pass'], [])\n"
                "    return x"
            },
            "a process or thread",
        ),
        (
            {
                "f": "import threading\n\ndef f(x, h):\n    out = []\n"
                "    worker = threading.Thread(target=lambda: out.append(x * 2))\n"
                "    worker.start()\n    worker.join()\n    return out[0]"
            },
            "a process or thread",
        ),
    ],
    ids=["forked_child", "subprocess", "unaudited_spawn", "thread"],
)
def test_starting_a_process_or_thread_in_a_banned_task_earns_no_credit(worker, cells, said):
    process = worker(cells)
    with process.banning(BAN), pytest.raises(LibraryUsed) as caught:
        process.call("f", np.arange(5.0), np.ones(3))
    expected = (
        f"your code started {said} while running f(); the grader cannot watch what that "
        "computes, so task sums earns no credit when it does"
    )
    assert str(caught.value) == expected, f"expected {expected!r}, got {caught.value}"


def test_processes_work_in_tasks_without_a_ban_and_none_outlives_its_request(worker):
    process = worker(
        {
            "helper": "import os, time\n\n_helper = os.fork()\nif _helper == 0:\n"
            "    time.sleep(600)\n    os._exit(0)",
            "f": "import subprocess\n\ndef f():\n"
            "    return subprocess.run(['echo', 'ok'], capture_output=True, text=True).stdout",
            "alive": "def alive(pid):\n    try:\n        os.kill(pid, 0)\n        return True\n"
            "    except ProcessLookupError:\n        return False",
        }
    )
    assert process.call("f")[0] == "ok\n", "a task without a ban may start processes"
    helper = process.get("_helper")
    assert process.call("alive", helper)[0] is False, (
        f"expected the helper process {helper} started while loading to be gone"
    )


@pytest.mark.parametrize(
    "call",
    [
        "torch._C._VariableFunctions.conv1d(x, w)",
        "torch.ops.aten.conv1d(x, w)",
        "torch.nn.Conv1d(1, 1, 3, bias=False)(x)",
    ],
    ids=["variable_functions", "torch_ops_aten", "module_forward"],
)
def test_pytorch_operations_are_caught_whichever_door_reaches_them(worker, call):
    process = worker(
        {
            "f": f"def f(x, h):\n    x = torch.as_tensor(x).view(1, 1, -1)\n"
            f"    w = torch.as_tensor(h).view(1, 1, -1)\n    return {call}.detach().numpy()"
        }
    )
    ban = Ban("sums", frozenset({"aten::convolution"}))
    with process.banning(ban), pytest.raises(LibraryUsed, match="aten::convolution"):
        process.call("f", np.arange(5.0), np.ones(3))


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        (
            {
                "f": f"def f(x, h):\n    {UNWRAP.replace(chr(10), chr(10) + '    ')}\n"
                "    return _original(x, h[::-1], 1)"
            },
            "your code reached into Python's internals (__closure__)",
        ),
        (
            {"unwrap": UNWRAP, "f": "def f(x, h):\n    return _original(x, h[::-1], 1)"},
            "your code called numpy._core.multiarray.correlate",
        ),
        (
            {"f": "import gc\n\ndef f(x, h):\n    gc.get_referents(f)\n    return x"},
            "your code reached into Python's internals (gc)",
        ),
    ],
    ids=["unwrapped_in_the_call", "unwrapped_in_another_cell", "garbage_collector"],
)
def test_unwrapping_the_tripwires_earns_no_credit(worker, cells, said):
    process = worker(cells)
    with process.banning(BAN), pytest.raises(LibraryUsed) as caught:
        process.call("f", np.arange(5.0), np.ones(3))
    assert said in str(caught.value), f"expected {said!r}, got {caught.value}"


def test_a_helper_swapped_for_a_stand_in_is_not_read_for_internals(worker):
    process = worker(
        {
            "conv2d": "import ctypes\n\ndef convolution_two_dimensional(x, h):\n"
            "    return ctypes.string_at(0)",
            "g": "def g(x):\n    return convolution_two_dimensional(x, np.ones((3, 3)))",
        }
    )
    with process.banning(BAN):
        smoothed, _ = process.call("g", np.ones((4, 4)), references=["convolution_two_dimensional"])
    assert smoothed.shape == (4, 4), f"expected the stand-in's (4, 4) result, got {smoothed.shape}"


def test_student_code_cannot_add_an_audit_hook_that_runs_inside_the_graders_checks(worker):
    process = worker(
        {
            "hook": "import sys\nseen = []\nsys.addaudithook(lambda e, args: seen.append(e))",
            "f": "def f():\n    open('/dev/null').close()\n    return float(len(seen))",
        }
    )
    assert process.load_errors == {}, (
        f"expected the refusal to be silent, got {process.load_errors}"
    )
    events = process.call("f")[0]
    assert events == 0.0, f"expected the student's hook never to run, it saw {events:.0f} events"


#: Student code looking for the grader's record switch by name (each found, or None).
GRADERS_SWITCH = {
    "imported": f"importlib.import_module({tripwires.__name__!r})",
    "looked_up": f"sys.modules.get({tripwires.__name__!r})",
    "searched": (
        "next((t for m in list(sys.modules.values()) for t in (m, getattr(m, 'tripwires', None))"
        " if hasattr(t, '_recording')), None)"
    ),
}


@pytest.mark.parametrize("reach", GRADERS_SWITCH.values(), ids=GRADERS_SWITCH.keys())
def test_the_graders_switches_are_not_reachable_by_name(worker, reach):
    process = worker(
        {
            "find": f"import importlib, sys\nT = {reach}",
            "f": "def f(x, h):\n    if T is not None:\n"
            "        setattr(T, '_rec' + 'ording', False)\n"
            "    return np.convolve(x, h, 'same')",
        }
    )
    assert process.load_errors == {}, f"expected the search to run, got {process.load_errors}"
    with process.banning(BAN), pytest.raises(LibraryUsed, match="numpy.convolve"):
        process.call("f", np.arange(5.0), np.ones(3))
