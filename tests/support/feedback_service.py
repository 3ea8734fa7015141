"""The instructor's feedback service (``python -m grading.service``) started by a test, and a
wait for what it produces."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from support.courses import Course


class ServiceProcess:
    """The feedback service on ``assignment``, started in the course root as the instructor
    starts it."""

    def __init__(self, course: Course, log: Path, assignment: str) -> None:
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "grading.service", assignment, "--jobs", "2"],
            cwd=course.root,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """Kill it at once (a crash, a reboot), and what it started; nothing if it ended."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> int:
        """Stop it as systemd does (SIGTERM); its exit code."""
        self.process.terminate()
        code = self.process.wait(timeout=60)
        self.log.close()
        return code


def wait_for(check: Callable[[], object], seconds: float, what: str) -> object:
    """``check()``'s first true value within ``seconds``, polled every half second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.5)
    raise AssertionError(f"expected {what} within {seconds:g} s")
