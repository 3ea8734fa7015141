"""Asking a zygote for a process: a worker for the judge, a kernel for the kernel manager.

Also the command the kernel manager starts in place of ``python -m ipykernel_launcher -f FILE``:
``python -m grading.sandbox.zygote.client ADDRESS FILE`` (:func:`run_kernel`).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import sys
import time
from pathlib import Path
from typing import BinaryIO

import psutil

from grading.sandbox.processes import die_with_parent
from grading.sandbox.zygote.channel import peer_pid, receive, send
from grading.sandbox.zygote.roles import START_TIMEOUT


class ForkedWorker:
    """A worker forked by the zygote, as :class:`grading.judge.student.StudentProcess` drives it:
    its channel (``stdin``, ``stdout``), its process id on this machine (for its CPU time), ``kill``
    and ``wait``, like a ``subprocess.Popen``."""

    def __init__(self, connection: socket.socket, zygote_pid: int, pid: int, pipes: tuple) -> None:
        self._connection, self._zygote_pid = connection, zygote_pid
        self.pid = pid
        self.stdin: BinaryIO = os.fdopen(pipes[0], "wb", buffering=0)
        self.stdout: BinaryIO = os.fdopen(pipes[1], "rb", buffering=0)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._connection], [], [], 0)[0]:
            self.wait()
        return self.returncode

    def wait(self, timeout: float = 30.0) -> int:
        """The worker's exit code, as the zygote reports it once the worker ended."""
        if self.returncode is None:
            try:
                self.returncode = int(receive(self._connection, timeout)["exit"])
            except (OSError, EOFError, ValueError, KeyError):
                self.returncode = -signal.SIGKILL  # the zygote itself is gone
            self._connection.close()
        return self.returncode

    def kill(self) -> None:
        """Kill the worker and whatever it left behind in the zygote's sandbox."""
        sweep(self._zygote_pid)


def _pid_namespace(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


def sweep(zygote_pid: int) -> None:
    """Kill every process in the zygote's sandbox (its PID namespace) but the zygote and the
    sandbox's init."""
    namespace = _pid_namespace(zygote_pid)
    try:
        init = psutil.Process(zygote_pid).parent()
        processes = [p for p in init.children(recursive=True) if p.pid != zygote_pid]
    except (psutil.NoSuchProcess, AttributeError):
        return
    for process in processes:
        if namespace is not None and _pid_namespace(process.pid) == namespace:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()


def _host_pid(zygote_pid: int, pid_in_sandbox: int) -> int:
    """This machine's id of the zygote's child known as ``pid_in_sandbox`` inside the sandbox."""
    for child in psutil.Process(zygote_pid).children():
        status = Path(f"/proc/{child.pid}/status").read_text()
        namespaced = next(line for line in status.splitlines() if line.startswith("NSpid:"))
        if int(namespaced.split()[-1]) == pid_in_sandbox:
            return child.pid
    raise ProcessLookupError(f"the zygote's process {pid_in_sandbox} is gone")


def _connect(address: str, timeout: float = START_TIMEOUT) -> socket.socket:
    """A connection to the zygote at ``address``, waiting while it is still starting."""
    deadline = time.monotonic() + timeout
    while True:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(address)
            return connection
        except (ConnectionRefusedError, FileNotFoundError):
            connection.close()
            if time.monotonic() > deadline:
                raise RuntimeError(f"the zygote at {address} did not start") from None
            time.sleep(0.1)


def ping(address: str, timeout: float = 5.0, wait: float = 0.0) -> int | None:
    """This machine's id of the zygote at ``address`` if it answers within ``timeout`` seconds
    (after waiting up to ``wait`` seconds for it to listen), else None."""
    try:
        with _connect(address, wait) as connection:
            send(connection, {"op": "ping"})
            if receive(connection, timeout).get("ok", False):
                return peer_pid(connection)
    except (OSError, EOFError, ValueError, RuntimeError):
        pass
    return None


def _fork(address: str, request: dict, fds: list[int]) -> tuple[socket.socket, int, int]:
    """Have the zygote at ``address`` fork a process for ``request``, handing it ``fds``; return
    the connection (it stays open while the process lives), the zygote's and the process's ids
    on this machine."""
    connection = _connect(address)
    zygote_pid = peer_pid(connection)
    sweep(zygote_pid)  # a previous process's leftovers, if its owner could not clean up
    socket.send_fds(connection, [json.dumps({"op": "fork", **request}).encode() + b"\n"], fds)
    pid_in_sandbox = receive(connection, 30)["pid"]
    return connection, zygote_pid, _host_pid(zygote_pid, pid_in_sandbox)


def spawn(address: str, bundle: Path, cwd: Path) -> ForkedWorker:
    """Have the worker zygote at ``address`` fork a worker for the submission ``bundle``, in
    ``cwd`` (both inside the zygote's work folder)."""
    to_worker_read, to_worker_write = os.pipe()
    from_worker_read, from_worker_write = os.pipe()
    try:
        connection, zygote_pid, pid = _fork(
            address, {"bundle": str(bundle), "cwd": str(cwd)}, [to_worker_read, from_worker_write]
        )
    except BaseException:
        os.close(to_worker_write)
        os.close(from_worker_read)
        raise
    finally:
        os.close(to_worker_read)
        os.close(from_worker_write)
    return ForkedWorker(connection, zygote_pid, pid, (to_worker_write, from_worker_read))


def run_kernel(address: str, connection_file: str) -> int:
    """Have the kernel zygote at ``address`` fork a kernel for ``connection_file`` in this
    process's folder, with this process's environment and standard streams; wait for it to end
    and return its exit code. Killing this process kills the kernel.

    It runs outside the sandbox and no student code runs in it.
    """
    die_with_parent()  # the grading process that started it
    request = {
        "cwd": os.getcwd(),
        "env": {name: value for name, value in os.environ.items() if name != "JPY_PARENT_PID"},
        "connection": Path(connection_file).read_text(),
    }
    connection, _, _ = _fork(address, request, [0, 1, 2])
    with connection:
        try:
            return int(receive(connection)["exit"])
        except (OSError, EOFError, ValueError, KeyError):
            return -signal.SIGKILL  # the zygote itself is gone


if __name__ == "__main__":
    sys.exit(run_kernel(sys.argv[1], sys.argv[2]))
