"""Cap how many processes (and threads) a sandbox may run, with a cgroup of the ``pids`` controller.

Each sandbox gets a group of its own, ``<pids root>/grading-<grader pid>/sandbox-<random>``, whose
``pids.max`` is the cap; the sandboxed command joins it before it starts (:func:`confined`), and
every process it forks stays in it: a fork bomb stops at the cap, and other sandboxes (other
students' jobs) keep their own. Empty groups are removed when new ones are made (once older than
:data:`JOIN_GRACE`, so that a command about to join is not robbed of its group) and when the
grading process exits.

RLIMIT_NPROC cannot do this: it counts all processes of a user, and does not apply to root. The
``pids`` controller needs cgroup v1's ``pids`` hierarchy, or a cgroup v2 folder this process may
create groups in with the ``pids`` controller enabled (the machine's administrator delegates one);
:func:`unavailable` says why not otherwise, and ``make setup`` reports it.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import math
import os
import tempfile
import threading
import time
from pathlib import Path


def _mounts() -> list[tuple[str, Path, set[str]]]:
    """``(file system type, mount point, options)`` of the cgroup file systems."""
    mounts = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        separator = fields.index("-")
        kind, options = fields[separator + 1], set(fields[separator + 3].split(","))
        if kind in ("cgroup", "cgroup2"):
            mounts.append((kind, Path(fields[4]), options))
    return mounts


def _own_group(version: str) -> str:
    """This process's group in the v1 ``pids`` hierarchy or in the v2 hierarchy."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        number, controllers, path = line.split(":", 2)
        if (version == "cgroup" and "pids" in controllers.split(",")) or (
            version == "cgroup2" and number == "0"
        ):
            return path.lstrip("/")
    return ""


#: Seconds a new group is kept although empty: its command may not have joined it yet.
JOIN_GRACE = 60.0


#: Held while :func:`_parent` looks for the folder: a grading process runs jobs in several
#: threads, and two probing at once would each find the other's probe gone.
_looking = threading.Lock()


def _parent() -> Path | str:
    """The folder this process's sandbox groups go in, or why there is none (looked for once)."""
    with _looking:
        return _find_parent()


@functools.cache
def _find_parent() -> Path | str:
    mounts = _mounts()
    candidates = [(k, m) for k, m, options in mounts if k == "cgroup" and "pids" in options]
    candidates += [(k, m) for k, m, _ in mounts if k == "cgroup2"]
    for kind, mount in candidates:
        parent = mount / _own_group(kind) / f"grading-{os.getpid()}"
        try:
            parent.mkdir(exist_ok=True)
            if kind == "cgroup2" and not (parent / "pids.max").exists():
                (parent / "cgroup.subtree_control").write_text("+pids")
            probe = parent / "probe"
            probe.mkdir(exist_ok=True)
            has_cap = (probe / "pids.max").exists()
            probe.rmdir()
        except OSError:
            continue
        if has_cap:
            atexit.register(_remove, parent)
            return parent
        with contextlib.suppress(OSError):
            parent.rmdir()
    if not candidates:
        return "no cgroup file system is mounted"
    return "no cgroup with the pids controller can be created here (needs root or delegation)"


def unavailable() -> str:
    """Why sandboxes cannot get a process cap on this machine, or '' when they can."""
    parent = _parent()
    return parent if isinstance(parent, str) else ""


def _remove_ended(parent: Path, grace: float = JOIN_GRACE) -> None:
    """Remove the empty groups under ``parent`` older than ``grace`` seconds (their sandboxes
    have ended; a younger one may be about to be joined)."""
    for group in parent.iterdir():
        with contextlib.suppress(OSError):  # gone, or busy: its sandbox still runs
            if group.is_dir() and time.time() - group.stat().st_mtime > grace:
                group.rmdir()


def _remove(parent: Path) -> None:
    """At exit: remove the empty groups under ``parent``, and ``parent`` once it is empty."""
    _remove_ended(parent, grace=-math.inf)  # any age: nothing joins a group any more
    with contextlib.suppress(OSError):
        parent.rmdir()


def confined(command: list[str], limit: int) -> list[str]:
    """``command`` run in a new group of at most ``limit`` processes and threads.

    Raises:
        RuntimeError: the machine offers no ``pids`` cgroup (:func:`unavailable` says why).
    """
    parent = _parent()
    if isinstance(parent, str):
        raise RuntimeError(f"cannot cap the number of processes: {parent}")
    _remove_ended(parent)
    # A name no other process uses: forked grading processes share this process's folder.
    group = Path(tempfile.mkdtemp(prefix="sandbox-", dir=parent))
    (group / "pids.max").write_text(str(limit))
    # The shell joins the group, then becomes the command: everything it starts stays inside.
    join = 'echo $$ > "$0/cgroup.procs" && exec "$@"'
    return ["/bin/sh", "-c", join, str(group), *command]
