"""Run the hidden test suites of one submission in a process that never executes student code.

The judge is ``python -m pytest`` on the hidden modules with :mod:`grading.pytest_plugin`; the
student's code runs in a separate, sandboxed worker (:mod:`grading.student`), and the judge only
sends it inputs and checks the plain data that comes back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from grading.sandbox import Sandbox

PYTEST_INI = Path(__file__).with_name("judge_pytest.ini")


def judge(
    bundle: dict,
    *,
    tests: Path,
    modules: list[str],
    task_timeout: float,
    timeout: float,
    sandbox: Sandbox | None = None,
) -> tuple[list[dict], str]:
    """Judge ``bundle`` with the hidden modules ``tests/<module>.py``, in a child process.

    Args:
        bundle: the submission bundle (see :mod:`grading.worker`).
        tests: folder of the assignment's hidden test modules.
        modules: module names (the grade ids of the graded test cells).
        task_timeout: seconds one request to the student's code may take.
        timeout: seconds the whole judge may take.
        sandbox: confines the student's worker; ``None`` runs it unconfined.

    Returns:
        The report (one entry per test, see :mod:`grading.pytest_plugin`) and the judge's output.

    Raises:
        RuntimeError: the judge did not finish or wrote no report (the output says why).
    """
    with tempfile.TemporaryDirectory(prefix="ex-judge-") as workdir:
        bundle_path, report_path = Path(workdir) / "bundle.json", Path(workdir) / "report.json"
        bundle_path.write_text(json.dumps(bundle))
        command = [sys.executable, "-m", "pytest", *(str(tests / f"{m}.py") for m in modules)]
        command += ["-c", str(PYTEST_INI), "--rootdir", str(tests), "-p", "grading.pytest_plugin"]
        command += ["--submission", str(bundle_path), "--report", str(report_path)]
        command += ["--task-timeout", str(task_timeout)]
        if sandbox is not None:
            settings = {name: getattr(sandbox, name) for name in sandbox.trait_names(config=True)}
            command += ["--sandbox", json.dumps(settings)]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            finished = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, cwd=workdir, env=env
            )
        except subprocess.TimeoutExpired as error:
            raise RuntimeError(f"the judge did not finish within {timeout:g} s") from error
        output = finished.stdout + finished.stderr
        if not report_path.is_file():
            raise RuntimeError(
                f"the judge wrote no report (exit code {finished.returncode}):\n{output}"
            )
        return json.loads(report_path.read_text()), output
