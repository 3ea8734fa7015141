"""Workers forked by the sandboxed zygote behave as fresh ones and cannot reach each other."""

from __future__ import annotations

import contextlib

import pytest
from workers import start

from grading import zygote
from grading.sandbox import Sandbox
from grading.student import StudentError, StudentTimeout

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


@pytest.fixture(scope="module")
def owner():
    """A zygote in the course's sandbox, named in the environment as the batch grader does."""
    monkeypatch = pytest.MonkeyPatch()
    keeper = zygote.Zygote(Sandbox())
    monkeypatch.setenv(zygote.ADDRESS, keeper.ensure())
    yield keeper
    monkeypatch.undo()
    keeper.close()


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


def test_a_worker_that_kills_the_zygote_costs_only_itself(owner):
    process = start(CELLS)
    try:
        with contextlib.suppress(StudentError):  # the worker dies with its zygote, or first replies
            process.call("kill_zygote")
    finally:
        process.close()
    assert not owner.answers(), "the zygote should be gone"
    owner.ensure()  # a new one, with the same address
    process = start(CELLS)
    try:
        assert process.call("double", 5)[0] == 10, (
            "the next submission's worker should answer (forked by a new zygote, or started "
            "afresh if that one is not there)"
        )
    finally:
        process.close()
