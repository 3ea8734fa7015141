"""The judge's handle on the student worker process (:mod:`grading.worker.main`).

Each request has a limit on the CPU time it may use (measured by
:func:`grading.sandbox.processes.tree_cpu_seconds`, so that a busy grading machine never fails
correct code) and a generous wall-clock backstop for code that sleeps or blocks; a worker that runs
past either, crashes or exits is killed and started afresh for the next request, so one broken
function costs only the tests that call it. A request that timed out once fails at once when it is
made again, so an endless loop costs one time limit per function, not one per test.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from grading.judge.bans import Ban, check_calls
from grading.judge.errors import GraderRequestError, StudentCrashed, StudentError, StudentTimeout
from grading.protocol import wire
from grading.protocol.messages import Bundle, Reply
from grading.sandbox.bubblewrap import Sandbox
from grading.sandbox.processes import tree_cpu_seconds
from grading.sandbox.zygote import client as zygote_client
from grading.sandbox.zygote.roles import WORKER, work_folder
from grading.worker import main as worker

LOG = logging.getLogger(__name__)
#: Why the worker zygote could not serve, once per judge handle it failed (this process's count).
ZYGOTE_FAILURES: list[str] = []

#: CPU seconds one request to the student's code may use, unless configured otherwise.
DEFAULT_TASK_TIMEOUT = 20.0
#: Wall-clock seconds one request may take however little CPU it uses (it sleeps or blocks).
DEFAULT_TASK_WALL_TIMEOUT = 120.0
#: Seconds between two readings of the worker's CPU time while a request runs.
POLL_INTERVAL = 0.5


class StudentProcess:
    """Runs a submission bundle in a worker process and forwards requests to it.

    Args:
        bundle: the submission bundle (``preamble``, ``cells``, and the optional trusted
            ``modules`` and ``tripwires``, see :mod:`grading.worker.main`).
        timeout: CPU seconds one request may use.
        wall_timeout: wall-clock seconds one request may take, however little CPU it uses.
        load_timeout: CPU seconds starting the worker may use (imports and solution cells); its
            wall-clock backstop is the larger of this and ``wall_timeout``.
        sandbox: confines the worker; ``None`` runs it with the judge's rights. When
            ``$GRADING_ZYGOTE`` names a zygote (:mod:`grading.sandbox.zygote`, started by the batch
            grader), the worker is forked by it instead, confined as the zygote is.
    """

    def __init__(
        self,
        bundle: Bundle,
        timeout: float,
        wall_timeout: float = DEFAULT_TASK_WALL_TIMEOUT,
        load_timeout: float = 120.0,
        sandbox: Sandbox | None = None,
    ) -> None:
        self.timeout = timeout
        self.ban: Ban | None = None
        self.wall_timeout = wall_timeout
        self.load_timeout = load_timeout
        self.sandbox = sandbox
        self._zygote = os.environ.get(WORKER.address_variable)
        self._workdir = tempfile.TemporaryDirectory(
            prefix="ex-student-", dir=work_folder(self._zygote) if self._zygote else None
        )
        self._bundle = bundle
        self._bundle_path = Path(self._workdir.name) / "bundle.json"
        self._process: subprocess.Popen | zygote_client.ForkedWorker | None = None
        self._excluded: dict[str, str] = {}
        self._tampered: list[str] = []
        self._zygote_failure: str | None = None
        self._timed_out: dict[tuple[str, str, str], str] = {}
        self.load_errors: dict[str, str] = {}

    def _start(self) -> None:
        """Start the worker; a cell that kills or hangs it while loading is left out, and the
        worker started again without it."""
        while True:
            cells = [
                cell for cell in self._bundle["cells"] if cell["grade_id"] not in self._excluded
            ]
            self._bundle_path.write_text(json.dumps({**self._bundle, "cells": cells}))
            self._spawn()
            loading, timeout = None, self.load_timeout
            try:
                while "loading" in (
                    message := self._receive(
                        "loading your solution cells", timeout, max(timeout, self.wall_timeout)
                    )
                ):
                    loading, timeout = message["loading"], self.timeout
            except StudentError as error:
                if loading is None:
                    raise
                self._excluded[loading] = f"this cell stopped the grader while it ran: {error}"
                continue
            self.load_errors = {**message["load_errors"], **self._excluded}
            return

    def _spawn(self) -> None:
        workdir = Path(self._workdir.name)
        cwd = workdir / "cwd"
        cwd.mkdir(exist_ok=True)
        if self._zygote:
            try:
                self._process = zygote_client.spawn(self._zygote, self._bundle_path, cwd)
                return
            except (OSError, RuntimeError, EOFError, ValueError) as error:
                self._zygote_failed(f"{type(error).__name__}: {error}")
        command = [sys.executable, "-I", "-m", worker.__name__, str(self._bundle_path)]
        if self.sandbox is not None:
            command = self.sandbox.wrap(
                command, workspace=cwd, readable=[self._bundle_path], test_labels=False
            )
        self._process = subprocess.Popen(
            command,
            bufsize=0,  # unbuffered, so that select() sees every message still in the pipe
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )

    def _kill(self) -> None:
        if isinstance(self._process, zygote_client.ForkedWorker):
            self._process.kill()  # and whatever it left in the zygote's sandbox
        elif self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)
        if self._process is not None:
            self._process.wait()
            self._process.stdin.close()
            self._process.stdout.close()
        self._process = None

    def _wait_for_reply(self, what: str, cpu_limit: float, wall_limit: float) -> None:
        """Return when the worker has written to its channel; kill it and raise
        :class:`StudentTimeout` when it used ``cpu_limit`` CPU seconds or ``wall_limit`` seconds
        first."""
        stdout, pid = self._process.stdout, self._process.pid
        cpu_start, wall_start = tree_cpu_seconds(pid), time.monotonic()
        while not select.select([stdout], [], [], POLL_INTERVAL)[0]:
            if tree_cpu_seconds(pid) - cpu_start > cpu_limit:
                self._kill()
                raise StudentTimeout(
                    f"your code did not finish {what} within {cpu_limit:g} s of CPU time "
                    "(infinite loop?)"
                )
            if time.monotonic() - wall_start > wall_limit:
                self._kill()
                raise StudentTimeout(
                    f"your code did not finish {what} within {wall_limit:g} s (it waited or "
                    "slept without computing: input(), sleep() or a lock?)"
                )

    def _receive(self, what: str, timeout: float, wall_timeout: float) -> Reply:
        self._wait_for_reply(what, timeout, wall_timeout)
        try:
            message = wire.receive(self._process.stdout)
            self._tampered += [n for n in message.get("tampered", []) if n not in self._tampered]
            return message
        except EOFError:
            code = self._process.wait()
            self._kill()
            reason = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
            raise StudentCrashed(
                f"the Python process running your code {reason} while {what}"
            ) from None

    def request(self, op: str, name: str, what: str, **fields: Any) -> Any:
        """Send one request and return the decoded value, or raise :class:`StudentError`
        (:class:`~grading.judge.errors.LibraryUsed` when student code reached a function of the
        current :attr:`ban`, or called one of the grader's stand-ins itself).

        Raises:
            GraderRequestError: the worker has no such probe or stand-in.
        """
        key = (op, name, what)
        if key in self._timed_out:
            raise StudentTimeout(f"{self._timed_out[key]} (an earlier test; not run again)")
        if self._process is None:
            self._start()
        if self.ban is not None:
            fields["ban"] = sorted(self.ban.functions)
        try:
            wire.send(self._process.stdin, {"op": op, "name": name, **fields})
        except BrokenPipeError:
            self._kill()
            raise StudentCrashed(
                f"the Python process running your code ended before {what}"
            ) from None
        try:
            reply = self._receive(what, self.timeout, self.wall_timeout)
        except StudentTimeout as error:
            self._timed_out[key] = str(error)
            raise
        if not reply["ok"] and reply.get("grader_error"):
            raise GraderRequestError(reply["error"])
        check_calls(self.ban, what, reply.get("library_calls", []))
        if not reply["ok"]:
            message = reply["error"]
            if reply.get("missing_name") and self.load_errors:
                failed = "; ".join(f"{cell}: {error}" for cell, error in self.load_errors.items())
                message += f" (these solution cells failed to run: {failed})"
            raise StudentError(message)
        return wire.decode(reply["value"])

    @contextlib.contextmanager
    def banning(self, ban: Ban) -> Iterator[None]:
        """Within the block, a request whose student code reaches a function of ``ban`` raises
        :class:`~grading.judge.errors.LibraryUsed`."""
        outer, self.ban = self.ban, ban
        try:
            yield
        finally:
            self.ban = outer

    @contextlib.contextmanager
    def cpu_limit(self, seconds: float) -> Iterator[None]:
        """Within the block, each request may use at most ``seconds`` CPU seconds (never more
        than the configured limit)."""
        configured = self.timeout
        self.timeout = min(seconds, configured)
        try:
            yield
        finally:
            self.timeout = configured

    def _zygote_failed(self, why: str) -> None:
        """The zygote could not fork a worker (a submission killed it, say): this handle starts
        fresh workers from now on, a few seconds each, and says so."""
        self._zygote = None
        self._zygote_failure = why
        ZYGOTE_FAILURES.append(why)
        LOG.warning("the worker zygote could not serve (%s); workers start fresh from now on", why)

    def take_zygote_failure(self) -> str | None:
        """Why the zygote could not serve, if it failed since the last call."""
        failure, self._zygote_failure = self._zygote_failure, None
        return failure

    def take_tampered(self) -> list[str]:
        """Library names the student's code replaced (and the worker restored) since the last
        call."""
        tampered, self._tampered = self._tampered, []
        return tampered

    def call(
        self, name: str, *args: Any, references: Sequence[str] = (), **kwargs: Any
    ) -> tuple[Any, tuple]:
        """Call the student's function ``name``; return its result and its arguments afterwards.

        The student's functions named in ``references`` are replaced by trusted stand-ins during
        the call (see :data:`grading.worker.probes.REFERENCES`), so a task is graded on its own.
        """
        value = self.request(
            "call",
            name,
            f"running {name}()",
            args=wire.encode(list(args)),
            kwargs=wire.encode(kwargs),
            references=list(references),
        )
        return value["result"], tuple(value["args_after"])

    def get(self, name: str) -> Any:
        """The value of the student's variable ``name``."""
        return self.request("get", name, f"reading {name}")

    def probe(self, name: str, what: str, **kwargs: Any) -> Any:
        """Run the trusted probe registered as ``name`` (:data:`grading.worker.probes.PROBES`, in
        the worker) on the student's code; ``what`` it does names it in messages to the student.

        Raises:
            GraderRequestError: no probe has that name (the hidden test's mistake).
        """
        return self.request("probe", name, what, kwargs=wire.encode(kwargs))

    def close(self) -> None:
        """Stop the worker and remove its files."""
        self._kill()
        self._workdir.cleanup()
