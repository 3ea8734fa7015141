"""One writer of the gradebook: the feedback service holds the course's lock while it runs, and the
commands that write the gradebook or ``submitted/`` (``make collect``, ``make autograde``) refuse
to run beside it (:func:`refusal`)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

#: The lock file, in the course root.
LOCK_NAME = ".feedback-service.lock"


class ServiceLock:
    """The course's lock, held by the running feedback service (an exclusive ``flock``, which the
    kernel releases however the process ends, so a killed service never leaves it held)."""

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock; RuntimeError (naming the holder) when another service holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RuntimeError(
                f"another feedback service (pid {holder(self.path.parent)}) serves this course"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        """Let the lock go (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> ServiceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()


def holder(root: Path) -> int | None:
    """The process id of the feedback service that holds the course's lock, or None when none
    does."""
    path = root / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        text = path.read_text().strip()
        return int(text) if text.isdigit() else -1
    finally:
        os.close(fd)
    return None


def refusal(root: Path, command: str) -> str | None:
    """Why ``command`` must not run now (a feedback service writes the gradebook), or None."""
    pid = holder(root)
    if pid is None:
        return None
    return (
        f"{command}: the feedback service (pid {pid}) is running and is the gradebook's only "
        "writer; it collects and grades each submission as it arrives. Stop it first "
        "(systemctl stop cnn-feedback, or kill it: it resumes where it stopped)."
    )
