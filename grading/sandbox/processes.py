"""Processes of the grader: the CPU time a process tree used, and children that die with their
parent.

Time limits on student code count CPU time, not wall-clock time: a correct function that takes
10 s alone takes 30 s of wall-clock time on a machine busy with other grading jobs, but the same
10 s of CPU time, so a mark never depends on how busy the grading machine is. An endless loop burns
CPU time and is stopped all the same; a call that sleeps or blocks is stopped by a wall-clock
backstop instead.
"""

from __future__ import annotations

import ctypes
import signal

import psutil

_PR_SET_DUMPABLE = 4
_PR_SET_PDEATHSIG = 1


def _prctl(option: int, value: int) -> None:
    ctypes.CDLL(None, use_errno=True).prctl(option, value)


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used by process ``pid`` and its descendants, including those
    that already ended and were waited for; 0 if it is gone."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; a ``preexec_fn``), so that
    a grading job killed from outside leaves no judge or worker behind."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def undumpable() -> None:
    """Make this process undumpable (Linux): a process without capabilities, such as one it
    forks, can then neither trace it nor read its memory."""
    _prctl(_PR_SET_DUMPABLE, 0)
