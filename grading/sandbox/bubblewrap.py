"""Run untrusted code with a narrow view of the machine and a memory cap.

The command runs under bubblewrap (``bwrap``, Debian package ``bubblewrap``) in a file system of
its own built from an allow-list: the system's programs and libraries (``Sandbox.system``: ``/usr``
and the few files of ``/etc`` that Python and its libraries read), the Python environment, the
student-facing packages and the data (``Sandbox.readable``), all read-only, and nothing else:
no home folder, no ``/root`` beyond the interpreter, no ``/srv`` (nbgrader's exchange), no other
course. The command works in a copy of its folder (``workspace``), and that copy, ``/tmp`` and
``/dev/shm`` are tmpfs of ``disk_limit`` bytes. It has no network (a namespace with
only a loopback device), its own PID namespace, and dies with its parent.
``prlimit --data`` caps its memory: allocations beyond the cap fail with ``MemoryError``; a cgroup
of its own caps its processes and threads (:mod:`grading.sandbox.cgroups`).

Hidden tests, the gradebook, ``source/``, other students' folders and submissions, and whatever
else the grading user can read are thereby out of reach of student code: it can neither read nor
change them. Where the hidden tests' code runs
(``test_labels=False``), the data folder shows only what the probes need: the training set and
the test images, never the test labels (:func:`data_without_test_labels`), so a "model" cannot
look its inputs up.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import sys
import tempfile
from pathlib import Path

from traitlets import Bool, Int, List, Unicode, default
from traitlets.config import Configurable

import grading
import helpers
from grading.sandbox import cgroups
from helpers.data_folder import EMBEDDED_FILE_NAME, data_dir

#: The variables :meth:`Sandbox.environment` sets in the sandbox.
ENVIRONMENT = ("HOME", "MPLCONFIGDIR", "IPYTHONDIR", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
#: What student code sees of the machine's own system, read-only (where it exists): programs and
#: libraries, and the files of ``/etc`` that the dynamic loader, Python's standard library (user and
#: time zone lookups, ``mimetypes``) and the shell read. ``/sys`` tells the math libraries how many
#: cores there are.
SYSTEM = (
    "/usr",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/mime.types",
    "/etc/alternatives",
    "/sys/devices/system/cpu",
)
#: The top-level links of a merged-``/usr`` system (``/bin -> usr/bin``), recreated as links.
USR_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


#: Where the working folder itself is seen (read-only) inside the sandbox.
WORKSPACE_SOURCE = Path("/tmp/.workspace")
#: The files of full MNIST (``MNIST/raw`` in the data folder) student code may read in the worker.
WORKER_RAW_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte")


@functools.cache
def data_without_test_labels(data: Path) -> tuple[tuple[str, str], ...]:
    """``(source, target)`` pairs that rebuild the data folder ``data`` without the test labels:
    the raw training files and test images of full MNIST as they are, and the embedded subset
    rewritten without ``y_test`` (into a temporary folder, made once per process)."""
    import numpy as np

    files = [data / "MNIST" / "raw" / name for name in WORKER_RAW_FILES]
    pairs = [(str(path), str(path)) for path in files if path.is_file()]
    embedded = data / EMBEDDED_FILE_NAME
    if embedded.is_file():
        folder = Path(tempfile.mkdtemp(prefix="grading-data-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        with np.load(embedded, allow_pickle=False) as arrays:
            kept = {name: arrays[name] for name in arrays.files if name != "y_test"}
        np.savez(folder / EMBEDDED_FILE_NAME, **kept)
        pairs.append((str(folder / EMBEDDED_FILE_NAME), str(embedded)))
    return tuple(pairs)


class SandboxUnavailable(RuntimeError):
    """The sandbox is required but ``bwrap`` or ``prlimit`` is missing."""


class Sandbox(Configurable):
    """How untrusted code (the student worker, the notebook kernel) is confined."""

    enabled = Bool(True, help="Confine student code; False runs it with the grader's rights.").tag(
        config=True
    )
    system = List(
        Unicode(),
        list(SYSTEM),
        help="Paths of the machine's system student code may read (programs, libraries, the files "
        "of /etc they need); everything else outside `readable` is absent from its view.",
    ).tag(config=True)
    readable = List(
        Unicode(),
        help="Further paths student code may read (default: this Python environment, the "
        "helpers and grading packages, and the data folder).",
    ).tag(config=True)
    memory_limit = Int(
        4 * 1024**3, help="Bytes of data memory student code may allocate (RLIMIT_DATA)."
    ).tag(config=True)
    process_limit = Int(
        256,
        help="Processes and threads one sandbox may run at once (a pids cgroup per sandbox; a "
        "fork bomb stops there). 0 runs without a cap, for machines without cgroups.",
    ).tag(config=True)
    disk_limit = Int(
        256 * 1024**2,
        help="Bytes student code may write in each of its writable places: its copy of the "
        "working folder, the private /tmp and /dev/shm (size-capped tmpfs; beyond it, ENOSPC).",
    ).tag(config=True)
    threads = Int(
        1,
        help="Threads of the numerical libraries (OpenMP, MKL, torch) in student code: one makes "
        "results and timings reproducible and keeps parallel grading jobs off each other's cores.",
    ).tag(config=True)

    @default("readable")
    def _readable_default(self) -> list[str]:
        packages = [Path(package.__file__).resolve().parent for package in (helpers, grading)]
        return [
            str(path) for path in (Path(sys.prefix), Path(sys.base_prefix), *packages, data_dir())
        ]

    def wrap(
        self,
        command: list[str],
        *,
        workspace: Path | None = None,
        copy_workspace: bool = True,
        readable: list[Path] = (),
        unset: list[str] = (),
        test_labels: bool = True,
    ) -> list[str]:
        """``command`` prefixed so that it runs confined.

        Args:
            command: the program and its arguments.
            workspace: the folder student code works in (its working directory). Inside the
                sandbox its path holds a copy, in a tmpfs of ``disk_limit`` bytes: student code
                may change the copy, never the folder (read-only at :data:`WORKSPACE_SOURCE`).
            copy_workspace: copy the folder in before the command starts; a zygote, which
                forks for many folders, copies each one itself.
            readable: further paths it may read (its bundle or connection file, say).
            unset: environment variables removed inside the sandbox.
            test_labels: show the data folder whole; False shows it without the test labels.
        """
        if not self.enabled:
            return list(command)
        missing = [tool for tool in ("bwrap", "prlimit") if shutil.which(tool) is None]
        if missing:
            raise SandboxUnavailable(
                f"{' and '.join(missing)} not found: install the Debian packages bubblewrap and "
                "util-linux (`make setup` does), or set Sandbox.enabled = False to grade unconfined"
            )
        if self.process_limit and cgroups.unavailable():
            raise SandboxUnavailable(
                f"no process cap: {cgroups.unavailable()}; run the grader as root, delegate a "
                "cgroup v2 folder with the pids controller to it, or set Sandbox.process_limit = 0"
            )
        size = str(self.disk_limit)
        args = ["bwrap", "--tmpfs", "/", "--dev", "/dev", "--proc", "/proc"]
        args += ["--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", "/dev/shm"]
        args += ["--remount-ro", "/dev"]
        for name in USR_LINKS:
            if Path("/", name).is_symlink():
                args += ["--symlink", os.readlink(Path("/", name)), f"/{name}"]
        for path in [*map(Path, self.system), *map(Path, self.readable), *readable]:
            if path.exists():
                args += ["--ro-bind", str(path), str(path)]
        if not test_labels:
            args += ["--tmpfs", str(data_dir())]
            for source, target in data_without_test_labels(data_dir()):
                args += ["--ro-bind", source, target]
        if workspace is not None:
            args += ["--ro-bind", str(workspace), str(WORKSPACE_SOURCE)]
            args += ["--size", size, "--tmpfs", str(workspace), "--chdir", str(workspace)]
            if copy_workspace:
                copy = 'cp -R --preserve=mode,timestamps "$0"/. "$1" && shift && exec "$@"'
                command = ["/bin/sh", "-c", copy, str(WORKSPACE_SOURCE), str(workspace), *command]
        # Without capabilities (root keeps them in bwrap otherwise), student code cannot remount
        # what it sees writable, mount what it does not see, or trace other processes.
        # A network namespace of its own, with only a loopback device: no network at all.
        args += ["--cap-drop", "ALL", "--unshare-pid", "--unshare-net", "--die-with-parent"]
        args += ["--new-session"]
        for name in unset:
            args += ["--unsetenv", name]
        for name, value in self.environment().items():
            args += ["--setenv", name, value]
        wrapped = [*args, "prlimit", f"--data={self.memory_limit}", "--", *command]
        return cgroups.confined(wrapped, self.process_limit) if self.process_limit else wrapped

    def environment(self) -> dict[str, str]:
        """The variables the sandbox sets (named in :data:`ENVIRONMENT`): home and caches in the
        private ``/tmp`` (the grading user's home is not there), and the math libraries' thread
        count."""
        settings = {"HOME": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython"}
        threads = {name: str(self.threads) for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
        return settings | threads
