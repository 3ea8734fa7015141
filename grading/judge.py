"""Run the hidden test suites of one submission in a process that never executes student code.

The judge is ``python -m pytest`` on the hidden modules with :mod:`grading.pytest_plugin`; the
student's code runs in a separate, sandboxed worker (:mod:`grading.student`), and the judge only
sends it inputs and checks the plain data that comes back. :func:`start_judge` returns at once, so
that the judge can run while nbgrader's kernel executes the notebook.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path

from grading.sandbox import Sandbox

PYTEST_INI = Path(__file__).with_name("judge_pytest.ini")


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class JudgeRun:
    """A judge process working on one submission; :meth:`result` waits for its report."""

    def __init__(self, command: list[str], workdir: tempfile.TemporaryDirectory, timeout: float):
        self._workdir = workdir
        self._timeout = timeout
        self._started = time.monotonic()
        folder = Path(workdir.name)
        self._report, self._output = folder / "report.json", folder / "output.txt"
        with self._output.open("wb") as output:
            self._process = subprocess.Popen(
                command,
                cwd=folder,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1"},
            )
        # A run abandoned half-way (the notebook failed to convert) must not leave a judge behind.
        self._finalizer = weakref.finalize(self, _kill, self._process)

    def result(self) -> tuple[list[dict], str]:
        """The report (one entry per test, see :mod:`grading.pytest_plugin`) and the output.

        Raises:
            RuntimeError: the judge did not finish in time or wrote no report (the output says
                why).
        """
        try:
            remaining = self._timeout - (time.monotonic() - self._started)
            try:
                code = self._process.wait(timeout=max(remaining, 0))
            except subprocess.TimeoutExpired as error:
                raise RuntimeError(
                    f"the judge did not finish within {self._timeout:g} s"
                ) from error
            output = self._output.read_text(errors="replace")
            if not self._report.is_file():
                raise RuntimeError(f"the judge wrote no report (exit code {code}):\n{output}")
            return json.loads(self._report.read_text()), output
        finally:
            self._finalizer()
            self._workdir.cleanup()


def start_judge(
    bundle: dict,
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
        bundle: the submission bundle (see :mod:`grading.worker`).
        tests: folder of the assignment's hidden test modules.
        modules: module names (the grade ids of the graded test cells).
        task_timeout: CPU seconds one request to the student's code may use.
        task_wall_timeout: wall-clock seconds one request may take, however little CPU it uses.
        timeout: seconds the whole judge may take, from now.
        sandbox: confines the student's worker; ``None`` runs it unconfined.
    """
    workdir = tempfile.TemporaryDirectory(prefix="ex-judge-")
    folder = Path(workdir.name)
    bundle_path, report_path = folder / "bundle.json", folder / "report.json"
    bundle_path.write_text(json.dumps(bundle))
    command = [sys.executable, "-m", "pytest", *(str(tests / f"{m}.py") for m in modules)]
    command += ["-c", str(PYTEST_INI), "--rootdir", str(tests), "-p", "grading.pytest_plugin"]
    command += ["--submission", str(bundle_path), "--report", str(report_path)]
    command += ["--task-timeout", str(task_timeout), "--task-wall-timeout", str(task_wall_timeout)]
    if sandbox is not None:
        settings = {name: getattr(sandbox, name) for name in sandbox.trait_names(config=True)}
        command += ["--sandbox", json.dumps(settings)]
    return JudgeRun(command, workdir, timeout)


def judge(bundle: dict, **options) -> tuple[list[dict], str]:
    """Judge ``bundle`` and wait for the verdict: :func:`start_judge` (same arguments), then
    :meth:`JudgeRun.result`."""
    return start_judge(bundle, **options).result()
