"""The zygote itself, inside the sandbox: import the role's libraries once, then fork one
process per request and make it a worker or a kernel.

The owner (:mod:`grading.sandbox.zygote.owner`) starts it as
``python -I -m grading.sandbox.zygote.server ROLE LISTENER_FD confined|unconfined``.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import random
import select
import shutil
import signal
import socket
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from grading.sandbox.bubblewrap import ENVIRONMENT, WORKSPACE_SOURCE
from grading.sandbox.processes import die_with_parent, undumpable
from grading.sandbox.zygote.channel import send
from grading.sandbox.zygote.roles import KERNEL, ROLES, WORKER


def _take_over(fds: list[int], cwd: str) -> None:
    """In the forked child: a session of its own, death with the zygote, ``fds`` as its first
    descriptors and none of the zygote's, ``cwd`` as its folder, and randomness of its own."""
    os.setsid()
    die_with_parent()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # a worker keeps the zygote's log as stderr
    os.chdir(cwd)
    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()


def _become_worker(fds: list[int], request: dict) -> NoReturn:
    """In the forked child: take the pipes as stdin/stdout and serve the hidden tests."""
    code = 1
    try:
        _take_over(fds, request["cwd"])
        from grading.worker import main as worker

        worker.serve(Path(request["bundle"]))
        code = 0
    finally:
        os._exit(code)


def _become_kernel(fds: list[int], request: dict) -> NoReturn:
    """In the forked child: take the client's streams and environment (the sandbox's variables
    kept) and run IPython's kernel on its connection file, kept in the sandbox's ``/tmp``."""
    code = 1
    try:
        _take_over(fds, request["cwd"])
        kept = {name: os.environ[name] for name in ENVIRONMENT if name in os.environ}
        os.environ.clear()
        os.environ.update({**request["env"], **kept})
        path = Path(tempfile.gettempdir()) / f"kernel-{os.getpid()}.json"
        path.write_text(request["connection"])
        from ipykernel.kernelapp import IPKernelApp

        # The path ``python -m ipykernel_launcher`` would start with (the zygote runs isolated).
        extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        sys.path[:0] = [request["cwd"], *extra]
        sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, "-f", str(path)]
        IPKernelApp.launch_instance(argv=sys.argv[1:])
        code = 0
    finally:
        os._exit(code)


BECOME = {WORKER.name: _become_worker, KERNEL.name: _become_kernel}
#: Folders the forked processes share in the sandbox; emptied before each fork.
PRIVATE = (Path("/tmp"), Path("/dev/shm"))


def _empty(folder: Path, keep: set[Path] = frozenset()) -> None:
    """Remove what ``folder`` holds except the paths in ``keep`` (folders mounted into the
    sandbox) and the folders that lead to them."""
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if entry in keep:
                continue
            if any(entry in path.parents for path in keep) and not entry.is_symlink():
                _empty(entry, keep)
            elif entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _bring(work: Path, paths: list[str]) -> None:
    """Replace the work folder's contents (the sandbox's size-capped copy) with copies of
    ``paths`` (files or folders in it) taken from the work folder itself, which the sandbox shows
    read-only at :data:`~grading.sandbox.bubblewrap.WORKSPACE_SOURCE`."""
    _empty(work)
    for path in map(Path, paths):
        source = WORKSPACE_SOURCE / path.relative_to(work)
        if source.is_dir():
            shutil.copytree(source, path, dirs_exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, path)


def _serve_one(connection: socket.socket, role: str, work: Path | None) -> None:
    """Answer one request; for a fork, stay until the process ends or its owner hangs up.

    ``work``: the sandbox's copy of the work folder, refilled for each fork with what the request
    names (None when the zygote runs unconfined, in the work folder itself).
    """
    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
    request = json.loads(message)
    if request["op"] == "ping":
        send(connection, {"ok": True})
        return
    if work is not None:
        for folder in PRIVATE:
            _empty(folder, {work, WORKSPACE_SOURCE})
        _bring(work, [request[key] for key in ("bundle", "cwd") if key in request])
    pid = os.fork()
    if pid == 0:
        BECOME[role](fds, request)
    for fd in fds:
        os.close(fd)
    send(connection, {"pid": pid})
    while True:
        ended, status = os.waitpid(pid, os.WNOHANG)
        if ended:
            send(connection, {"exit": os.waitstatus_to_exitcode(status)})
            return
        if select.select([connection], [], [], 0.2)[0]:  # the owner hung up: end the process
            os.killpg(pid, signal.SIGKILL)


def serve(role: str, listener_fd: int, confined: bool) -> None:
    """The zygote: import its role's modules, then fork a process per request, one at a time.

    ``confined``: it runs in the sandbox, in a size-capped copy of its work folder (its working
    directory), which it refills, and whose private folders it empties, before each fork.
    """
    work = Path.cwd() if confined else None
    os.environ.update(ROLES[role].environment)
    for name in ROLES[role].preload:
        importlib.import_module(name)
    if role == WORKER.name:
        from grading.worker import integrity

        integrity.settle()  # torch's one-time changes, made once here rather than in every worker
    undumpable()
    listener = socket.socket(fileno=listener_fd)
    listener.listen()
    while True:
        connection, _ = listener.accept()
        with connection:
            try:
                _serve_one(connection, role, work)
            except (OSError, ValueError, EOFError):
                continue


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), sys.argv[3] == "confined")
