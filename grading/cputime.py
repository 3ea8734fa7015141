"""CPU time used by a process and everything it started, read from ``/proc`` (Linux).

Time limits on student code count CPU time, not wall-clock time: a correct function that takes
10 s alone takes 30 s of wall-clock time on a machine busy with other grading jobs, but the same
10 s of CPU time, so a mark never depends on how busy the grading machine is. An endless loop burns
CPU time and is stopped all the same; a call that sleeps or blocks is stopped by a wall-clock
backstop instead.
"""

from __future__ import annotations

import os
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name, or ``None`` if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return text[text.rindex(")") + 2 :].split()


def descendants(root: int) -> list[int]:
    """``root`` and every live process below it (children, grandchildren, ...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending += children.get(pid, [])
    return found


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) used by ``root`` and its descendants, including those that
    already ended and were waited for (they count in their parent's ``cutime``/``cstime``)."""
    total = 0
    for pid in descendants(root):
        fields = _stat(pid)
        if fields is not None:
            # utime, stime, cutime, cstime are fields 14-17 of stat; 4-based after the name.
            total += sum(int(value) for value in fields[11:15])
    return total / _TICKS
