"""Workers and kernels forked by the sandboxed zygotes behave as fresh ones and cannot reach
each other."""

from __future__ import annotations

import contextlib

import pytest

from grading.judge import student
from grading.judge.errors import StudentError, StudentTimeout
from grading.sandbox.bubblewrap import Sandbox
from grading.sandbox.zygote.owner import Zygote
from grading.sandbox.zygote.roles import KERNEL
from support.kernels import execute as run_notebook
from support.student_workers import start

CELLS = {
    "cells": (
        "import os, signal, time\n"
        "def double(x):\n    return 2 * x\n"
        "def spin():\n    while True:\n        pass\n"
        "def leave_a_process_behind():\n"
        "    if os.fork() == 0:\n"
        "        os.setsid()\n"
        "        while True:\n"
        "            time.sleep(0.1)\n"
        "    return True\n"
        "def processes():\n"
        "    return sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n"
        "def read_zygote_memory():\n"
        "    try:\n"
        "        open(f'/proc/{os.getppid()}/mem', 'rb').read(1)\n"
        "        return 'read'\n"
        "    except OSError as error:\n"
        "        return type(error).__name__\n"
        "def kill_zygote():\n"
        "    os.kill(os.getppid(), signal.SIGKILL)\n"
    )
}


@pytest.fixture
def owner(forked_workers):
    """The session's worker zygote, named in the environment as the batch grader does."""
    return forked_workers


def test_a_forked_worker_answers_and_an_endless_loop_costs_only_its_call(owner):
    process = start(CELLS, timeout=3)
    try:
        assert process.call("double", 21)[0] == 42, "the forked worker should run the cells"
        with pytest.raises(StudentTimeout, match="3 s of CPU time"):
            process.call("spin")
        assert process.call("double", 2)[0] == 4, "a new worker should answer the next call"
    finally:
        process.close()


def test_what_a_worker_leaves_behind_is_gone_before_the_next_one(owner):
    first = start(CELLS)
    try:
        alone = first.call("processes")[0]
        assert first.call("leave_a_process_behind")[0] is True, "the fork should succeed"
    finally:
        first.close()
    second = start(CELLS)
    try:
        now = second.call("processes")[0]
        assert len(now) == len(alone), (
            f"expected only the sandbox's init, the zygote and the new worker ({len(alone)} "
            f"processes), got {now}: the first worker's process survived"
        )
    finally:
        second.close()


def test_a_worker_cannot_read_the_zygotes_memory(owner):
    process = start(CELLS)
    try:
        assert process.call("read_zygote_memory")[0] == "PermissionError", (
            "expected the zygote's memory to be out of a worker's reach"
        )
    finally:
        process.close()


@pytest.mark.zygote_may_fail
def test_a_worker_that_kills_the_zygote_costs_only_itself(owner):
    process = start(CELLS)
    try:
        with contextlib.suppress(StudentError):  # the worker dies with its zygote, or first replies
            process.call("kill_zygote")
    finally:
        process.close()
    assert not owner.answers(), "the zygote should be gone"
    owner.ensure()  # a new one, with the same address
    failures = len(student.ZYGOTE_FAILURES)
    process = start(CELLS)
    try:
        assert process.call("double", 5)[0] == 10, "the next submission's worker should answer"
    finally:
        process.close()
    assert student.ZYGOTE_FAILURES[failures:] == [], "expected the new zygote to fork the worker"


@pytest.mark.zygote_may_fail
def test_a_zygote_that_cannot_serve_is_reported_and_workers_start_fresh(owner, caplog):
    owner.stop()
    process = start(CELLS)
    try:
        assert process.call("double", 5)[0] == 10, "a fresh worker should answer"
        failure = process.take_zygote_failure()
    finally:
        process.close()
        owner.ensure()
    assert failure, "expected the judge's handle to report that the zygote could not serve"
    logged = [r.getMessage() for r in caplog.records if "could not serve" in r.getMessage()]
    assert logged, f"expected a warning in the log, got {[r.getMessage() for r in caplog.records]}"


@pytest.fixture(scope="module")
def kernels():
    """A kernel zygote in the course's sandbox, named in the environment as the batch does."""
    monkeypatch = pytest.MonkeyPatch()
    keeper = Zygote(Sandbox(), KERNEL.name)
    monkeypatch.setenv(KERNEL.address_variable, keeper.ensure())
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    yield keeper
    monkeypatch.undo()
    keeper.close()


def execute(
    keeper: Zygote, folder: str, *sources: str, files: dict[str, str] | None = None
) -> list[list[dict]]:
    """Run a notebook of ``sources`` in ``folder`` of the zygote's work folder, beside ``files``
    (name: text); each cell's outputs."""
    path = keeper.work / folder
    path.mkdir()
    for name, text in (files or {}).items():
        (path / name).write_text(text)
    return run_notebook(path, *sources)


def test_a_forked_kernel_runs_a_notebook_as_a_fresh_one_does(kernels):
    outputs = execute(
        kernels,
        "student",
        "import os, sys\nfrom matplotlib import pyplot as plt\n"
        "print(os.getcwd(), os.environ['NBGRADER_EXECUTION'], 'JPY_PARENT_PID' in os.environ)",
        "plt.plot([1, 2, 3]);",
        "import ipywidgets\nipywidgets.IntSlider()",
    )
    printed = outputs[0][0]["text"].split()
    assert printed == [str(kernels.work / "student"), "autograde", "False"], (
        "expected the kernel in the notebook's folder, with the grader's environment and no "
        f"parent to poll, got {printed}"
    )
    kinds = [set(output.get("data", {})) for output in outputs[1]]
    assert {"image/png", "text/plain"} in kinds, f"expected an inline figure, got {kinds}"
    widget = outputs[2][0]["data"]
    assert "application/vnd.jupyter.widget-view+json" in widget, (
        f"expected a widget view (widgets registered with the kernel), got {list(widget)}"
    )


def test_a_kernel_starts_beside_files_named_like_the_graders_modules(kernels):
    shadows = {"grading.py": "raise SystemExit('shadowed')\n", "mine.py": "ANSWER = 42\n"}
    outputs = execute(kernels, "shadowing", "from mine import ANSWER\nprint(ANSWER)", files=shadows)
    assert outputs[0][0].get("text") == "42\n", (
        f"expected the kernel to start and import the student's own module, got {outputs[0]}"
    )


def test_what_a_kernel_leaves_in_tmp_is_gone_before_the_next_one(kernels):
    startup = "/tmp/ipython/profile_default/startup"
    plant = (
        f"import os\nos.makedirs('{startup}', exist_ok=True)\n"
        f"open('{startup}/00.py', 'w').write('PLANTED = True')\n"
        "open('/dev/shm/planted', 'w').write('x')"
    )
    execute(kernels, "first", plant)
    outputs = execute(
        kernels,
        "second",
        f"import os\nprint(os.path.exists('/dev/shm/planted'), os.path.exists('{startup}/00.py'), "
        "'PLANTED' in globals())",
    )
    texts = [output.get("text", "") for output in outputs[0]]
    assert texts == ["False False False\n"], (
        "expected neither the file planted in /dev/shm nor the IPython startup script planted in "
        f"/tmp (nor its effect), got {texts}"
    )
