"""The worker runs student code in its own process; failures cost only the request that hit them."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

from grading.judge.errors import GraderRequestError, StudentCrashed, StudentError, StudentTimeout
from support.student_workers import start

#: Workers are forked by a zygote, as in a batch (fresh ones are tested by the nbgrader runs).
pytestmark = pytest.mark.usefixtures("forked_workers")


def test_call_returns_the_result_and_the_arguments_afterwards():
    process = start({"double": "def double(x):\n    x *= 2\n    return x + 0"})
    try:
        result, after = process.call("double", np.arange(3.0))
        np.testing.assert_array_equal(result, [0.0, 2.0, 4.0])
        np.testing.assert_array_equal(
            after[0], [0.0, 2.0, 4.0], err_msg="the in-place change should be visible"
        )
    finally:
        process.close()


def test_missing_names_and_failed_cells_are_explained():
    process = start({"broken_cell": "def f(:\n    pass", "ok_cell": "g = 1"})
    try:
        assert process.get("g") == 1, "other cells should still load"
        with pytest.raises(StudentError, match="`f` is not defined.*broken_cell: SyntaxError"):
            process.call("f")
    finally:
        process.close()


def test_student_errors_name_the_cell_and_line():
    process = start({"fail_cell": "def f():\n    return 1 / 0"})
    try:
        with pytest.raises(
            StudentError, match=r"ZeroDivisionError: division by zero \(fail_cell, line 2\)"
        ):
            process.call("f")
    finally:
        process.close()


def test_an_infinite_loop_times_out_and_the_next_call_works():
    process = start(
        {"cells": "def spin():\n    while True:\n        pass\n\ndef one():\n    return 1"},
        timeout=3,
    )
    try:
        assert process.call("one")[0] == 1, "the worker should answer"
        started = time.monotonic()
        with pytest.raises(StudentTimeout, match="within 3 s of CPU time"):
            process.call("spin")
        elapsed = time.monotonic() - started
        assert elapsed < 60, (
            f"expected the CPU limit to stop the loop long before the wall-clock backstop, it "
            f"took {elapsed:.0f} s"
        )
        assert process.call("one")[0] == 1, "a fresh worker should answer the next request"
        started = time.monotonic()
        with pytest.raises(StudentTimeout, match="not run again"):
            process.call("spin")
        assert time.monotonic() - started < 1, "a function that timed out should not run again"
    finally:
        process.close()


def test_a_call_that_sleeps_is_stopped_by_the_wall_clock_backstop():
    process = start({"cells": "import time\ndef nap():\n    time.sleep(600)"}, timeout=3)
    process.wall_timeout = 2
    try:
        with pytest.raises(StudentTimeout, match="within 2 s .*slept"):
            process.call("nap")
    finally:
        process.close()


def test_the_limit_counts_cpu_time_so_a_busy_machine_fails_no_correct_code():
    process = start(
        {
            "cells": "import time\ndef work():\n    started = time.process_time()\n"
            "    while time.process_time() - started < 1.5:\n        pass\n    return 1"
        },
        timeout=2.5,
    )
    burners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(2 * (os.cpu_count() or 1))
    ]
    try:
        # With two burners per core the call gets well under half a core, so its 1.5 s of CPU
        # time take more than 2.5 s of wall-clock time: a wall-clock limit would fail it.
        assert process.call("work")[0] == 1, "1.5 s of CPU work should pass a 2.5 s CPU limit"
    finally:
        for burner in burners:
            burner.kill()
        process.close()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("import os\ndef die():\n    os._exit(3)", "exited with code 3"),
        ("import ctypes\ndef die():\n    ctypes.string_at(0)", "killed by signal 11"),
    ],
)
def test_a_crash_is_reported_and_the_next_call_works(code, message):
    process = start({"cell": code + "\n\ndef one():\n    return 1"})
    try:
        with pytest.raises(StudentCrashed, match=message):
            process.call("die")
        assert process.call("one")[0] == 1, "a fresh worker should answer the next request"
    finally:
        process.close()


def test_sys_exit_and_input_are_ordinary_failures():
    process = start(
        {"cell": "import sys\ndef leave():\n    sys.exit(2)\n\ndef ask():\n    return input()"}
    )
    try:
        with pytest.raises(StudentError, match=r"sys.exit\(2\)"):
            process.call("leave")
        with pytest.raises(StudentError, match="EOFError"):
            process.call("ask")
    finally:
        process.close()


def test_prints_do_not_disturb_the_channel():
    process = start(
        {
            "cell": "import sys\nprint('x' * 100000)\ndef f():\n    print('hello')\n    "
            "sys.stderr.write('warn')\n    return 5"
        }
    )
    try:
        assert process.call("f")[0] == 5, "printing should not corrupt the reply"
    finally:
        process.close()


def test_references_replace_student_functions_only_during_the_call():
    process = start(
        {"cell": "def helper(x):\n    return 'student'\n\ndef uses_helper():\n    return helper(0)"}
    )
    try:
        assert process.call("uses_helper", references=["add_padding_1d"])[0] == "student"
        code = (
            "def add_padding_1d(x, k):\n    return 'wrong'\n\n"
            "def conv(x):\n    return add_padding_1d(x, 3)"
        )
        process.close()
        process = start({"cell": code})
        padded, _ = process.call("conv", np.ones(2), references=["add_padding_1d"])
        np.testing.assert_array_equal(
            padded, [0.0, 1.0, 1.0, 0.0], err_msg="the trusted padding should be used"
        )
        assert process.call("conv", np.ones(2))[0] == "wrong", (
            "the student's function should be back afterwards"
        )
    finally:
        process.close()


@pytest.mark.parametrize(
    ("killer", "reason"),
    [("import os\nos._exit(4)", "exited with code 4"), ("while True:\n    pass", "did not finish")],
)
def test_a_cell_that_kills_or_hangs_loading_costs_only_itself(killer, reason):
    process = start({"before": "a = 1", "killer": killer, "after": "b = 2"}, timeout=3)
    try:
        assert (process.get("a"), process.get("b")) == (1, 2), "the other cells should load"
        assert reason in process.load_errors["killer"], f"got {process.load_errors}"
    finally:
        process.close()


def test_an_unknown_probe_or_stand_in_is_the_graders_error_not_the_students():
    process = start({"f": "def f():\n    return 1"})
    try:
        with pytest.raises(GraderRequestError, match="no probe is registered as 'lookup'"):
            process.probe("lookup", "looking up a name")
        with pytest.raises(GraderRequestError, match=r"no stand-in is registered for \['g'\]"):
            process.call("f", references=["g"])
        assert process.call("f")[0] == 1, "the worker should go on answering"
    finally:
        process.close()
