"""A sandboxed fork server for student workers: libraries imported once, a worker forked each time.

A fresh worker (:mod:`grading.worker`) spends seconds importing torch, numpy, scipy and matplotlib
before it loads a submission. In a batch (:mod:`grading.batch`), each grading process therefore
keeps a *zygote*: a process in the sandbox (:mod:`grading.sandbox`, no network, memory capped)
that has imported those libraries, and forks a worker for each request. The worker then installs
its tripwires, takes its integrity snapshot and loads the submission exactly as a fresh worker
does; no student code ever runs in the zygote itself.

Isolation between the students who share a zygote, one after another:

- the zygote is not dumpable, so a worker (which has no capabilities) can neither trace it nor
  read its memory, and it closes the zygote's sockets before any student code runs;
- one worker runs at a time, and every process a worker left behind is killed before the next
  one is forked (:func:`sweep`); the workers' folders are separate and removed after use;
- a worker that kills or stops the zygote costs only its own tests: the owner checks the zygote
  before each job and starts a new one when it does not answer.

Requests come over a Unix socket in a host folder that the sandbox hides (``/tmp`` is private
there), with the worker's pipes passed along (``SCM_RIGHTS``).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, NoReturn

import psutil

from grading.processes import die_with_parent
from grading.sandbox import Sandbox

#: Environment variable naming the zygote's socket; workers are forked by it when it is set.
ADDRESS = "GRADING_ZYGOTE"
#: What a worker imports anyway (the notebooks' imports cell, the worker's own modules).
PRELOAD = ("numpy", "scipy.signal", "torch", "matplotlib.pyplot", "helpers", "grading.worker")
#: Seconds a zygote may take to import its libraries and listen; past that, the judge starts
#: fresh workers instead.
START_TIMEOUT = 60.0
_PR_SET_DUMPABLE = 4
_PR_SET_PDEATHSIG = 1


def _prctl(option: int, value: int) -> None:
    ctypes.CDLL(None, use_errno=True).prctl(option, value)


def _send(connection: socket.socket, message: dict) -> None:
    connection.sendall(json.dumps(message).encode() + b"\n")


def _receive(connection: socket.socket, timeout: float | None = None) -> dict:
    connection.settimeout(timeout)
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(4096)
        if not chunk:
            raise EOFError("the zygote closed the connection")
        data += chunk
    return json.loads(data)


class Zygote:
    """The owner's handle on a zygote: starts it in the sandbox, checks it, stops it.

    Args:
        sandbox: how to confine the zygote and so every worker it forks.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.folder = Path(tempfile.mkdtemp(prefix="grading-zygote-"))
        self.address = str(self.folder / "control.sock")
        self.work = work_folder(self.address)
        self.work.mkdir()
        self._process: subprocess.Popen | None = None
        self._ready = False

    def ensure(self) -> str:
        """Start the zygote, or a new one if the last stopped answering; return its address.

        A first zygote is started without waiting: it imports its libraries while the job
        starts, and :func:`spawn` waits for it to listen. A replacement (a worker killed or
        stopped the last one) is waited for, and started again if it does not come up.
        """
        if self._process is not None and self._process.poll() is None:
            if not self._ready or self.answers():
                return self.address
        replacing = self._process is not None
        for _ in range(3 if replacing else 1):
            self.stop()
            self._launch()
            if not replacing or self._comes_up():
                return self.address
        raise RuntimeError(f"the worker zygote did not start; see {self.folder / 'zygote.log'}")

    def _comes_up(self) -> bool:
        """Wait until the zygote answers; False if it ended or took longer than allowed."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self._process.poll() is None:
            if self.answers():
                return True
            time.sleep(0.2)
        return False

    def _launch(self) -> None:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        Path(self.address).unlink(missing_ok=True)
        # The zygote itself calls listen(), so that connections see it as their peer.
        listener.bind(self.address)
        command = [os.path.abspath(sys.executable), "-I", "-m", "grading.zygote"]
        command.append(str(listener.fileno()))
        with (self.folder / "zygote.log").open("ab") as log:  # what the zygote itself says
            self._process = subprocess.Popen(
                self.sandbox.wrap(command, writable=[self.work], cwd=self.work),
                pass_fds=[listener.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        listener.close()
        self._ready = False

    def answers(self, timeout: float = 5.0) -> bool:
        """Whether the zygote answers a ping within ``timeout`` seconds; if it does, whatever
        the last worker left behind in its sandbox is killed."""
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                connection.settimeout(timeout)
                connection.connect(self.address)
                _send(connection, {"op": "ping"})
                if not _receive(connection, timeout).get("ok", False):
                    return False
                sweep(_peer_pid(connection))
                self._ready = True
                return True
        except (OSError, EOFError, ValueError):
            return False

    def stop(self) -> None:
        """Stop the zygote and everything it forked."""
        if self._process is not None:
            if self._process.poll() is None:
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
            self._process = None
        for entry in self.work.iterdir():
            shutil.rmtree(entry, ignore_errors=True)

    def close(self) -> None:
        """Stop the zygote and remove its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class ForkedWorker:
    """A worker forked by the zygote, as :class:`grading.student.StudentProcess` drives it: its
    channel (``stdin``, ``stdout``), its process id on this machine (for its CPU time), ``kill``
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
                self.returncode = int(_receive(self._connection, timeout)["exit"])
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


def _peer_pid(connection: socket.socket) -> int:
    """This machine's id of the process at the other end of a Unix socket (the zygote)."""
    credentials = connection.getsockopt(
        socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")
    )
    return struct.unpack("3i", credentials)[0]


def work_folder(address: str) -> Path:
    """The folder the zygote at ``address`` and its workers may write to (bundles, working
    folders)."""
    return Path(address).parent / "work"


def _host_pid(zygote_pid: int, pid_in_sandbox: int) -> int:
    """This machine's id of the zygote's child known as ``pid_in_sandbox`` inside the sandbox."""
    for child in psutil.Process(zygote_pid).children():
        status = Path(f"/proc/{child.pid}/status").read_text()
        namespaced = next(line for line in status.splitlines() if line.startswith("NSpid:"))
        if int(namespaced.split()[-1]) == pid_in_sandbox:
            return child.pid
    raise ProcessLookupError(f"the zygote's worker {pid_in_sandbox} is gone")


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
                raise RuntimeError(f"the worker zygote at {address} did not start") from None
            time.sleep(0.1)


def spawn(address: str, bundle: Path, cwd: Path) -> ForkedWorker:
    """Have the zygote at ``address`` fork a worker for the submission ``bundle``, in ``cwd``
    (both inside the zygote's work folder)."""
    connection = _connect(address)
    zygote_pid = _peer_pid(connection)
    sweep(zygote_pid)  # a previous worker's leftovers, if its judge could not clean up
    to_worker_read, to_worker_write = os.pipe()
    from_worker_read, from_worker_write = os.pipe()
    request = {"op": "fork", "bundle": str(bundle), "cwd": str(cwd)}
    socket.send_fds(
        connection, [json.dumps(request).encode() + b"\n"], [to_worker_read, from_worker_write]
    )
    os.close(to_worker_read)
    os.close(from_worker_write)
    pid_in_sandbox = _receive(connection, 30)["pid"]
    return ForkedWorker(
        connection,
        zygote_pid,
        _host_pid(zygote_pid, pid_in_sandbox),
        (to_worker_write, from_worker_read),
    )


def _become_worker(fds: list[int], request: dict) -> NoReturn:
    """In the forked child: take the pipes as stdin/stdout, drop the zygote's sockets, serve."""
    code = 1
    try:
        os.setsid()
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        os.dup2(fds[0], 0)
        os.dup2(fds[1], 1)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        os.chdir(request["cwd"])
        from grading import worker

        worker.serve(Path(request["bundle"]))
        code = 0
    finally:
        os._exit(code)


def _serve_one(connection: socket.socket) -> None:
    """Answer one request; for a fork, stay until the worker ends or its judge hangs up."""
    message, fds, _, _ = socket.recv_fds(connection, 65536, 2)
    request = json.loads(message)
    if request["op"] == "ping":
        _send(connection, {"ok": True})
        return
    pid = os.fork()
    if pid == 0:
        _become_worker(fds, request)
    for fd in fds:
        os.close(fd)
    _send(connection, {"pid": pid})
    while True:
        ended, status = os.waitpid(pid, os.WNOHANG)
        if ended:
            _send(connection, {"exit": os.waitstatus_to_exitcode(status)})
            return
        if select.select([connection], [], [], 0.2)[0]:  # the judge hung up: end the worker
            os.killpg(pid, signal.SIGKILL)


def serve(listener_fd: int) -> None:
    """The zygote: import :data:`PRELOAD`, then fork a worker per request, one at a time."""
    os.environ["MPLBACKEND"] = "Agg"
    for name in PRELOAD:
        importlib.import_module(name)
    from grading import integrity

    integrity.settle()  # torch's one-time changes, made once here rather than in every worker
    _prctl(_PR_SET_DUMPABLE, 0)
    listener = socket.socket(fileno=listener_fd)
    listener.listen()
    while True:
        connection, _ = listener.accept()
        with connection:
            try:
                _serve_one(connection)
            except (OSError, ValueError, EOFError):
                continue


if __name__ == "__main__":
    serve(int(sys.argv[1]))
