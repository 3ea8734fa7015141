"""Run the hidden test suites of one submission in a process that never executes student code.

The judge is pytest on the hidden modules with :mod:`grading.judge.pytest_plugin`, in a forked
child; the student's code runs in a separate, sandboxed worker (:mod:`grading.judge.student`), and
the judge only sends it inputs and checks the plain data that comes back. :func:`start_judge`
returns at once, so that the judge can run while nbgrader's kernel executes the notebook.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import sys
import tempfile
import time
import traceback
import weakref
from pathlib import Path
from typing import NoReturn

from grading import preloads
from grading.protocol.messages import Bundle, HiddenTest, ReportEntry
from grading.sandbox.bubblewrap import Sandbox
from grading.sandbox.processes import die_with_parent

PYTEST_INI = Path(__file__).with_name("judge_pytest.ini")
#: What every judge imports; :func:`preload` imports it once into the process that forks judges.
PRELOAD = preloads.checked(preloads.JUDGE)
#: Seconds between two checks whether the judge has finished.
POLL_INTERVAL = 0.1


def preload() -> None:
    """Import :data:`PRELOAD` here, so that each judge forked from this process starts with it
    (seconds per submission, torch's import above all)."""
    for name in PRELOAD:
        importlib.import_module(name)


def _judge(arguments: list[str], folder: Path, output: Path) -> NoReturn:
    """The forked judge: run pytest with ``arguments`` in ``folder``, then exit with its code."""
    try:
        os.setsid()
        die_with_parent()
        os.chdir(folder)
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        for target in (1, 2):
            os.dup2(fd, target)
        sys.dont_write_bytecode = True
        os.environ.update(PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1")
        import pytest
        import torch

        torch.set_num_threads(1)
        code = int(pytest.main(arguments))
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return
        traceback.print_exc()
        code = 3
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _kill(pid: int) -> None:
    """Kill the judge and everything it started (its session), and reap it."""
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


class JudgeRun:
    """A judge working on one submission, forked from this process (which keeps what it has
    imported, see :func:`preload`); :meth:`result` waits for its report."""

    def __init__(self, arguments: list[str], workdir: tempfile.TemporaryDirectory, timeout: float):
        self._workdir = workdir
        self._timeout = timeout
        self._started = time.monotonic()
        folder = Path(workdir.name)
        self._report, self._output = folder / "report.jsonl", folder / "output.txt"
        sys.stdout.flush()
        sys.stderr.flush()
        self._pid = os.fork()
        if self._pid == 0:
            _judge(arguments, folder, self._output)
        # A run abandoned half-way (the notebook failed to convert) must not leave a judge behind.
        self._finalizer = weakref.finalize(self, _kill, self._pid)

    def _wait(self) -> int | None:
        """The judge's exit code once it ended, ``None`` if it ran out of time (it is killed)."""
        deadline = self._started + self._timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
            if pid:
                self._finalizer.detach()
                return os.waitstatus_to_exitcode(status)
            time.sleep(POLL_INTERVAL)
        return None

    def result(self) -> tuple[list[ReportEntry], str]:
        """The report (one entry per test, see :mod:`grading.judge.pytest_plugin`) and the output.

        A judge that runs out of time is stopped; the tests that finished keep their results and
        the others fail as not reached.

        Raises:
            RuntimeError: the judge collected no test, or ended without reporting every test
                (the output says why).
        """
        try:
            code = self._wait()
            if code is None:
                self._finalizer()  # stop it before reading what it reported
            output = self._output.read_text(errors="replace") if self._output.is_file() else ""
            collected, entries = read_report(self._report)
            if collected is None:
                raise RuntimeError(f"the judge wrote no report (exit code {code}):\n{output}")
            reported = {(entry["module"], entry["test"]) for entry in entries}
            missing = [t for t in collected if (t["module"], t["test"]) not in reported]
            if missing and code is not None:
                raise RuntimeError(
                    f"the judge ended (exit code {code}) without reporting {len(missing)} "
                    f"tests:\n{output}"
                )
            message = (
                f"not reached: the hidden tests ran out of their {self._timeout:g} s before "
                "this test"
            )
            entries += [ReportEntry(**test, outcome="failed", message=message) for test in missing]
            return entries, output
        finally:
            self._finalizer()
            self._workdir.cleanup()


def read_report(path: Path) -> tuple[list[HiddenTest] | None, list[ReportEntry]]:
    """The tests a judge collected (None before it collected any) and the entries of those that
    finished, from its report (:class:`grading.judge.pytest_plugin.Recorder`); a line cut off by the
    judge's end is ignored."""
    collected: list[HiddenTest] | None = None
    entries: list[ReportEntry] = []
    lines = path.read_text().splitlines() if path.is_file() else []
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if "collected" in record:
            collected = record["collected"]
        elif "entry" in record:
            entries.append(record["entry"])
    return collected, entries


def start_judge(
    bundle: Bundle,
    *,
    tests: Path,
    modules: list[str],
    task_timeout: float,
    task_wall_timeout: float,
    timeout: float,
    sandbox: Sandbox | None = None,
) -> JudgeRun:
    """Start judging ``bundle`` with the hidden modules ``tests/<module>.py``, in a child process.

    Args:
        bundle: the submission bundle (see :mod:`grading.worker.main`).
        tests: folder of the assignment's hidden test modules.
        modules: module names (the grade ids of the graded test cells).
        task_timeout: CPU seconds one request to the student's code may use.
        task_wall_timeout: wall-clock seconds one request may take, however little CPU it uses.
        timeout: seconds the whole judge may take, from now.
        sandbox: confines the student's worker; ``None`` runs it unconfined.
    """
    workdir = tempfile.TemporaryDirectory(prefix="ex-judge-")
    folder = Path(workdir.name)
    bundle_path, report_path = folder / "bundle.json", folder / "report.jsonl"
    bundle_path.write_text(json.dumps(bundle))
    arguments = [str(tests / f"{m}.py") for m in modules]
    arguments += ["-c", str(PYTEST_INI), "--rootdir", str(tests), "-p", preloads.JUDGE_PLUGIN]
    arguments += ["--submission", str(bundle_path), "--report", str(report_path)]
    arguments += ["--task-timeout", str(task_timeout)]
    arguments += ["--task-wall-timeout", str(task_wall_timeout)]
    if sandbox is not None:
        settings = {name: getattr(sandbox, name) for name in sandbox.trait_names(config=True)}
        arguments += ["--sandbox", json.dumps(settings)]
    return JudgeRun(arguments, workdir, timeout)
