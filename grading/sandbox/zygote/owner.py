"""The grading process's handle on a zygote: start it in the sandbox, check it, stop it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grading.sandbox.bubblewrap import Sandbox
from grading.sandbox.processes import die_with_parent
from grading.sandbox.zygote import server
from grading.sandbox.zygote.client import ping, sweep
from grading.sandbox.zygote.roles import ROLES, START_TIMEOUT, work_folder


class Zygote:
    """The owner's handle on a zygote: starts it in the sandbox, checks it, stops it.

    Args:
        sandbox: how to confine the zygote and so every process it forks.
        role: what it forks (a key of :data:`~grading.sandbox.zygote.roles.ROLES`).

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
        starts, and :func:`~grading.sandbox.zygote.client.spawn` waits for it to listen. Later,
        the zygote must answer (one that is still starting is waited for); a replacement (a worker
        killed or stopped the last one) is waited for too, and started again if it does not come
        up.
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
        command = [os.path.abspath(sys.executable), "-I", "-m", server.__name__]
        command += [self.role, str(listener.fileno())]
        command.append("confined" if self.sandbox.enabled else "unconfined")
        wrapped = self.sandbox.wrap(
            command,
            workspace=self.work,
            copy_workspace=False,
            test_labels=ROLES[self.role].test_labels,
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
