"""Watches on the routes around the tripwires, kept while a task that must be written by hand runs.

The tripwires (:mod:`grading.worker.tripwires`) record calls through the bindings of the banned
functions. While a request of a task with a ``library_ban`` runs (:func:`guarding`), four more
watches record what reaches the same result another way, into the same record:

- **Other processes** (``process:``). A Python audit hook (PEP 578, installed by :func:`arm` before
  student code loads; an audit hook cannot be removed) refuses ``os.fork``, ``os.exec*``,
  ``os.posix_spawn``, ``os.system`` and ``subprocess`` and records them; a count of the process ids
  the sandbox's PID namespace handed out (``/proc/sys/kernel/ns_last_pid``) catches every other
  route (``_posixsubprocess``, multiprocessing's spawn, ``ctypes``), and a Python thread started
  or left running counts too. The worker is a child subreaper, and every process student code
  started is killed when loading ends and after each request (:func:`end_strays`), so no helper
  started earlier can do a later task's work. A pids cgroup frozen for each call would refuse
  forks as well, but the judge would have to write it around every request, and it would refuse
  the threads PyTorch starts lazily in a forked worker, failing honest code.
- **Other doors into PyTorch** (``aten::`` names in the ban). A ``TorchDispatchMode`` sees each
  aten operation below every Python binding (``torch._C._VariableFunctions``, ``torch.ops.aten``,
  a module's ``forward``, ``torch.nn.grad``).
- **The originals behind the tripwires.** A profile function (``sys.setprofile``, on only while
  student code runs: :func:`grading.worker.tripwires.profiling`) records each call of a wired
  function's original, however it was obtained (a stand-in's closure unwrapped, say); the audit hook
  refuses ``sys.setprofile`` and ``sys.settrace`` to student code meanwhile.
- **The interpreter's internals** (``internals:``): ``gc``'s object walks and ``ctypes`` (audit
  events), and the names of :data:`helpers.bans.INTERNALS` in the code of the called function and
  the helpers it uses (:func:`helpers.library_use.internals_used`).

Its functions bind what they call at import (``from os import kill``), and the module is guarded
by :mod:`grading.worker.integrity`, so student code that replaces ``os.kill`` or this module's
functions changes nothing here.

What stays possible in-process (calling an original through a C-level trampoline such as
``functools.partial``, after unwrapping it under a name built at run time) is a documented limit:
``docs/THREAT_MODEL.md``.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import sys
import time
from _thread import _count as python_threads
from collections.abc import Iterator
from os import WNOHANG, kill, listdir, waitpid
from typing import Any

import psutil

from grading.worker import tripwires

#: Prefix of a record of a process or thread student code started.
PROCESS = "process:"
#: Prefix of a record of student code reaching into the interpreter's internals.
INTERNALS = "internals:"
#: Prefix of the ban's names that are aten operations, watched at PyTorch's dispatcher.
ATEN = tripwires.ATEN
#: Audit events that start a process, and the call messages name.
PROCESS_EVENTS = {
    "os.fork": "os.fork()",
    "os.forkpty": "os.forkpty()",
    "os.exec": "os.exec*()",
    "os.posix_spawn": "os.posix_spawn()",
    "os.spawn": "os.spawn*()",
    "os.system": "os.system()",
    "subprocess.Popen": "subprocess",
}
#: Audit events of code walking the interpreter's objects or calling C directly.
INTERNALS_EVENTS = (
    "gc.get_objects",
    "gc.get_referents",
    "gc.get_referrers",
    "ctypes.dlopen",
    "ctypes.dlsym",
    "ctypes.addressof",
    "ctypes.cdata",
    "ctypes.string_at",
    "ctypes.wstring_at",
    "ctypes.call_function",
    "sys._current_frames",
)
#: Audit events that would remove the profile function while student code runs.
PROFILE_EVENTS = ("sys.setprofile", "sys.settrace")
_PR_SET_CHILD_SUBREAPER = 36
_NS_LAST_PID = "/proc/sys/kernel/ns_last_pid"

#: Whether a guarded request runs now.
_guarding = False
#: Whether this process has a PID namespace of its own (the sandbox), so that its process ids
#: count only what happens in it.
_own_namespace = False
#: id() of each wired original (the function, and a Python function's code) -> its dotted name.
_originals: dict[int, str] = {}
#: The dotted names of the wired functions.
_wired: frozenset[str] = frozenset()


class ProcessRefused(PermissionError):
    """Student code tried to start a process while a task that must be written by hand ran."""


def _audit(event: str, args: tuple) -> None:
    if event == "sys.addaudithook":
        # A later hook would run student code inside the grader's own checks (between the
        # integrity check of a library and the grader's use of it). CPython drops a hook that an
        # earlier one refuses with a RuntimeError, silently.
        raise RuntimeError("the grader accepts no further audit hooks")
    if not (_guarding and tripwires.recording_now()):
        return
    if event in PROCESS_EVENTS:
        tripwires.note(f"{PROCESS}a process ({PROCESS_EVENTS[event]})")
        raise ProcessRefused(f"the grader refuses {event}() in a task that must be written by hand")
    if event in INTERNALS_EVENTS:
        tripwires.note(INTERNALS + event)
    elif event in PROFILE_EVENTS:
        tripwires.note(INTERNALS + event)
        raise PermissionError(f"the grader refuses {event} in a task that must be written by hand")


def arm() -> None:
    """Install the audit hook, the last this process accepts, and become a child subreaper (before
    any student code loads)."""
    global _own_namespace, _wired
    _own_namespace = _in_sandbox()
    sys.addaudithook(_audit)
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1)
    _wired = frozenset(tripwires.originals())
    for name, original in tripwires.originals().items():
        _originals[id(original)] = name
        code = getattr(original, "__code__", None)
        if code is not None:
            _originals[id(code)] = name


def _in_sandbox() -> bool:
    """Whether this process runs in a sandbox's PID namespace (whose first process is bubblewrap),
    where the process ids handed out are the sandbox's alone."""
    try:
        with open("/proc/1/comm") as file:
            return file.read().strip() == "bwrap"
    except OSError:
        return False


def _profile(frame: Any, event: str, arg: Any) -> None:
    if not tripwires.recording_now():
        return
    if event == "c_call":
        name = _originals.get(id(arg))
    elif event == "call":
        name = _originals.get(id(frame.f_code))
    else:
        return
    if name is not None:
        tripwires.note(name)


def _last_pid() -> int | None:
    """The last process id handed out in this PID namespace, if it is the sandbox's own."""
    if not _own_namespace:
        return None
    try:
        with open(_NS_LAST_PID) as file:
            return int(file.read())
    except (OSError, ValueError):
        return None


def _new_processes(since: int | None) -> bool:
    """Whether a process id was handed out since ``since`` to anything but a thread of this
    process that still runs (PyTorch starts its own threads lazily)."""
    last = _last_pid()
    if since is None or last is None:
        return False
    threads = {int(tid) for tid in listdir("/proc/self/task")}
    return last < since or any(pid not in threads for pid in range(since + 1, last + 1))


@contextlib.contextmanager
def _dispatch_watch(operations: set[str]) -> Iterator[None]:
    """Record the aten ``operations`` student code runs, whichever Python door it used."""
    if not operations:
        yield
        return
    from torch.utils._python_dispatch import TorchDispatchMode, _get_current_dispatch_mode_stack

    class Watch(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):  # noqa: ANN001
            name = f"{ATEN}{func.overloadpacket.__name__}"
            if name in operations and tripwires.recording_now():
                tripwires.note(name)
            return func(*args, **(kwargs or {}))

    watch = Watch()
    watch.__enter__()
    try:
        yield
    finally:
        if any(mode is watch for mode in _get_current_dispatch_mode_stack()):
            watch.__exit__(None, None, None)
        else:
            tripwires.note(INTERNALS + "the grader's PyTorch watch was removed")


@contextlib.contextmanager
def guarding(ban: list[str] | None) -> Iterator[None]:
    """Watch the block (one request of a task banning ``ban``, which may be empty: an accuracy
    test bans no function but watches the rest) on every route above; what it finds is recorded in
    :mod:`grading.worker.tripwires`' record. ``None`` watches nothing."""
    global _guarding
    if ban is None:
        yield
        return
    if python_threads():
        tripwires.note(PROCESS + "a thread (one your code started earlier still runs)")
    since, threads = _last_pid(), python_threads()
    _guarding = True
    profiled = not _wired.isdisjoint(ban)
    try:
        with (
            tripwires.profiling(_profile) if profiled else contextlib.nullcontext(),
            _dispatch_watch({name for name in ban if name.startswith(ATEN)}),
        ):
            yield
    finally:
        _guarding = False
        if python_threads() > threads:
            tripwires.note(PROCESS + "a thread")
        if _new_processes(since):
            tripwires.note(PROCESS + "a process or thread")


def end_strays(rounds: int = 100) -> None:
    """Kill every process student code started (this process's descendants, orphans included:
    it is their subreaper) and reap them; ``rounds`` bounds the tries against a fork bomb."""
    for _ in range(rounds):
        children = psutil.Process().children(recursive=True)
        if not children:
            return
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                kill(child.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            while waitpid(-1, WNOHANG)[0]:
                pass
        time.sleep(0.01)
