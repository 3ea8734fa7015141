"""Run the hidden test suites of one submission in a process that never executes student code.

Usage: ``python -m grading.judge --tests DIR --bundle FILE --report FILE MODULE [MODULE ...]``.
The student's code runs in a separate worker (:mod:`grading.student`); this process only sends it
inputs and checks the data that comes back.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grading.student import DEFAULT_TASK_TIMEOUT

PYTEST_INI = Path(__file__).with_name("judge_pytest.ini")


def run(
    *,
    tests: Path,
    modules: list[str],
    bundle: Path,
    report: Path,
    task_timeout: float = DEFAULT_TASK_TIMEOUT,
) -> int:
    """Run pytest on ``tests/<module>.py`` for each module; write the report; return pytest's code.

    Args:
        tests: folder of the assignment's hidden test modules.
        modules: module names (the grade ids of the graded test cells).
        bundle: the submission bundle (see :mod:`grading.worker`).
        report: where the JSON report (one entry per test) goes.
        task_timeout: seconds one request to the student's code may take.
    """
    args = [str(tests / f"{module}.py") for module in modules]
    args += ["-c", str(PYTEST_INI), "--rootdir", str(tests), "-p", "grading.pytest_plugin"]
    args += [
        "--submission",
        str(bundle),
        "--report",
        str(report),
        "--task-timeout",
        str(task_timeout),
    ]
    return pytest.main(args)


def judge(
    bundle: dict, *, tests: Path, modules: list[str], task_timeout: float, timeout: float
) -> tuple[list[dict], str]:
    """Judge ``bundle`` in a child process; return the report entries and the process's output.

    Raises:
        RuntimeError: the judge did not finish or wrote no report (the output says why).
    """
    with tempfile.TemporaryDirectory(prefix="ex-judge-") as workdir:
        bundle_path, report_path = Path(workdir) / "bundle.json", Path(workdir) / "report.json"
        bundle_path.write_text(json.dumps(bundle))
        command = [
            sys.executable,
            "-m",
            "grading.judge",
            "--tests",
            str(tests),
            "--bundle",
            str(bundle_path),
        ]
        command += ["--report", str(report_path), "--task-timeout", str(task_timeout), *modules]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            finished = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=workdir,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise RuntimeError(f"the judge did not finish within {timeout:g} s") from error
        output = finished.stdout + finished.stderr
        if not report_path.is_file():
            raise RuntimeError(
                f"the judge wrote no report (exit code {finished.returncode}):\n{output}"
            )
        return json.loads(report_path.read_text()), output


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=Path, required=True, help="folder of hidden test modules")
    parser.add_argument("--bundle", type=Path, required=True, help="submission bundle (JSON)")
    parser.add_argument("--report", type=Path, required=True, help="JSON report to write")
    parser.add_argument(
        "--task-timeout", type=float, default=DEFAULT_TASK_TIMEOUT, help="seconds per request"
    )
    parser.add_argument("modules", nargs="+", help="hidden test modules to run")
    args = parser.parse_args(argv)
    return run(
        tests=args.tests,
        modules=args.modules,
        bundle=args.bundle,
        report=args.report,
        task_timeout=args.task_timeout,
    )


if __name__ == "__main__":
    sys.exit(main())
