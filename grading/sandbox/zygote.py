"""Sandboxed fork servers for student code: libraries imported once, a process forked each time.

A fresh worker (:mod:`grading.worker.main`) spends seconds importing torch, numpy, scipy and
matplotlib before it loads a submission, and a fresh notebook kernel as long again. In a batch
(:mod:`grading.batch.command`), each grading process therefore keeps two *zygotes*: processes in the
sandbox (:mod:`grading.sandbox.bubblewrap`, memory capped) that have imported those libraries, one
forking a worker for each request of the hidden tests, the other forking the notebook's
kernel (:class:`grading.pipeline.kernel.SandboxedKernelManager` starts it through
:func:`run_kernel`). The forked process then starts exactly as a fresh one would (a worker installs
its tripwires, takes its integrity snapshot and loads the submission; a kernel reads its connection
file and serves); no student code ever runs in the zygote itself.

Isolation between the students who share a zygote, one after another:

- the zygote is not dumpable, so a forked process (which has no capabilities) can neither trace it
  nor read its memory, and it closes the zygote's sockets before any student code runs;
- one forked process runs at a time; every process one left behind is killed (:func:`sweep`) and
  whatever it wrote to the sandbox's private ``/tmp`` and ``/dev/shm`` is removed before the next
  one is forked; the owner empties the work folder between jobs;
- a process that kills or stops the zygote costs only its own tests: the owner checks the zygote
  before each job and starts a new one when it does not answer.

Requests come over a Unix socket in a host folder that the sandbox hides (``/tmp`` is private
there), with the forked process's pipes or standard streams passed along (``SCM_RIGHTS``).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import importlib.util
import json
import os
import random
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NoReturn

import psutil

from grading import preloads
from grading.sandbox.bubblewrap import ENVIRONMENT, WORKSPACE_SOURCE, Sandbox
from grading.sandbox.processes import die_with_parent


@dataclass(frozen=True)
class Role:
    """What a zygote forks.

    Attributes:
        address_variable: the environment variable that names the zygote's socket to the
            grading process (the judge's workers, the kernel manager).
        preload: modules imported once in the zygote.
        test_labels: whether the data folder shows the test labels (the student's notebook
            evaluates with them; the hidden tests' worker must not see them).
        environment: variables set before the imports (how the libraries configure themselves).
    """

    address_variable: str
    preload: tuple[str, ...]
    test_labels: bool = False
    environment: dict[str, str] = field(default_factory=dict)


#: The judge's workers (what they preload: :data:`grading.preloads.WORKER`).
WORKER = Role("GRADING_ZYGOTE", preloads.WORKER, environment={"MPLBACKEND": "Agg"})
#: The notebook's kernel (:data:`grading.preloads.KERNEL`).
KERNEL = Role(
    "GRADING_KERNEL_ZYGOTE",
    preloads.KERNEL,
    test_labels=True,
    environment={"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
)
ROLES = {"worker": WORKER, "kernel": KERNEL}
#: Seconds a zygote may take to import its libraries and listen; past that, fresh workers and
#: kernels are started instead.
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
        sandbox: how to confine the zygote and so every process it forks.
        role: what it forks (a key of :data:`ROLES`).

    Its :attr:`work` folder holds what the forked processes work on; each works in a size-capped
    copy of its part of it, which the zygote refills before each fork.
    """

    def __init__(self, sandbox: Sandbox, role: str = "worker") -> None:
        self.sandbox, self.role = sandbox, role
        self.folder = Path(tempfile.mkdtemp(prefix="grading-zygote-"))
        self.address = str(self.folder / "control.sock")
        self.work = work_folder(self.address)
        self.work.mkdir()
        self._process: subprocess.Popen | None = None
        self._ready = False

    def ensure(self) -> str:
        """Start the zygote, or a new one if the last stopped answering; return its address.

        A first zygote is started without waiting: it imports its libraries while the job
        starts, and :func:`spawn` waits for it to listen. Later, the zygote must answer (one
        that is still starting is waited for); a replacement (a worker killed or stopped the last
        one) is waited for too, and started again if it does not come up.
        """
        if self._process is not None and self._process.poll() is None:
            if self.answers() if self._ready else self._comes_up():
                return self.address
        replacing = self._process is not None
        for _ in range(3 if replacing else 1):
            self.stop()
            self._launch()
            if not replacing or self._comes_up():
                return self.address
        log = self.folder / "zygote.log"
        raise RuntimeError(f"the {self.role} zygote did not start; see {log}")

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
        command = [os.path.abspath(sys.executable), "-I", "-m", __spec__.name, "serve"]
        command += [self.role, str(listener.fileno())]
        command.append("confined" if self.sandbox.enabled else "unconfined")
        role = ROLES[self.role]
        wrapped = self.sandbox.wrap(
            command,
            workspace=self.work,
            copy_workspace=False,
            test_labels=role.test_labels,
        )
        with (self.folder / "zygote.log").open("ab") as log:  # what the zygote itself says
            self._process = subprocess.Popen(
                wrapped,
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
        the last forked process left behind in its sandbox is killed."""
        pid = ping(self.address, timeout)
        if pid is not None:
            sweep(pid)
            self._ready = True
        return pid is not None

    def stop(self) -> None:
        """Stop the zygote and everything it forked."""
        if self._process is not None:
            if self._process.poll() is None:
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
            self._process = None
        self.clear()

    def clear(self) -> None:
        """Empty the work folder (between jobs)."""
        for entry in self.work.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop the zygote and remove its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


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
    """The folder of what the zygote at ``address`` forks processes for (workers' bundles and
    working folders, kernels' notebook folders), which they see as a size-capped copy."""
    return Path(address).parent / "work"


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
            _send(connection, {"op": "ping"})
            if _receive(connection, timeout).get("ok", False):
                return _peer_pid(connection)
    except (OSError, EOFError, ValueError, RuntimeError):
        pass
    return None


def _fork(address: str, request: dict, fds: list[int]) -> tuple[socket.socket, int, int]:
    """Have the zygote at ``address`` fork a process for ``request``, handing it ``fds``; return
    the connection (it stays open while the process lives), the zygote's and the process's ids
    on this machine."""
    connection = _connect(address)
    zygote_pid = _peer_pid(connection)
    sweep(zygote_pid)  # a previous process's leftovers, if its owner could not clean up
    socket.send_fds(connection, [json.dumps({"op": "fork", **request}).encode() + b"\n"], fds)
    pid_in_sandbox = _receive(connection, 30)["pid"]
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

    The kernel manager starts this (``python -m grading.sandbox.zygote kernel ADDRESS FILE``) in
    place of ``python -m ipykernel_launcher -f FILE``; it runs outside the sandbox and no student
    code runs in it.
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
            return int(_receive(connection)["exit"])
        except (OSError, EOFError, ValueError, KeyError):
            return -signal.SIGKILL  # the zygote itself is gone


def _take_over(fds: list[int], cwd: str) -> None:
    """In the forked child: a session of its own, death with the zygote, ``fds`` as its first
    descriptors and none of the zygote's, ``cwd`` as its folder, and randomness of its own."""
    os.setsid()
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
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


BECOME = {"worker": _become_worker, "kernel": _become_kernel}
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
        _send(connection, {"ok": True})
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
    _send(connection, {"pid": pid})
    while True:
        ended, status = os.waitpid(pid, os.WNOHANG)
        if ended:
            _send(connection, {"exit": os.waitstatus_to_exitcode(status)})
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
    if role == "worker":
        from grading.worker import integrity

        integrity.settle()  # torch's one-time changes, made once here rather than in every worker
    _prctl(_PR_SET_DUMPABLE, 0)
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
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "confined")
    else:
        sys.exit(run_kernel(sys.argv[2], sys.argv[3]))
