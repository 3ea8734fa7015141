"""pytest plugin of the judge: the ``student`` fixture, its markers and the per-test report.

Loaded by :mod:`grading.judge.run` with ``-p grading.judge.pytest_plugin``. An assignment's hidden
tests configure it through:

- the ``trusted_modules`` fixture (overridden in the assignment's ``conftest.py``): its modules
  that the student worker loads before the submission (its probes and stand-ins);
- the ``cpu_limit(seconds)`` marker: CPU seconds each call into the student's code may use;
- the ``library_ban(*functions, advice="")`` marker: library functions (dotted names) that the
  student's code must not reach in these tests; the task named in the message is the module's
  (its grade id without ``test_``).

The report names each test by its docstring's first line and keeps only the failure's message
(never a traceback), so no hidden test source reaches the student.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from grading.judge.bans import Ban
from grading.judge.errors import StudentError
from grading.judge.student import DEFAULT_TASK_TIMEOUT, DEFAULT_TASK_WALL_TIMEOUT, StudentProcess
from grading.protocol.messages import HiddenTest, ReportEntry, TrustedModule
from grading.sandbox.bubblewrap import Sandbox


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("judge")
    group.addoption("--submission", type=Path, help="submission bundle (JSON) to judge")
    group.addoption(
        "--task-timeout",
        type=float,
        default=DEFAULT_TASK_TIMEOUT,
        help="CPU seconds per request to student code",
    )
    group.addoption(
        "--task-wall-timeout",
        type=float,
        default=DEFAULT_TASK_WALL_TIMEOUT,
        help="wall-clock seconds per request to student code, however little CPU it uses",
    )
    group.addoption("--report", type=Path, help="where to write the JSON report")
    group.addoption(
        "--sandbox", type=json.loads, help="Sandbox settings (JSON); absent: unconfined"
    )


@pytest.fixture(scope="session")
def submission(request: pytest.FixtureRequest) -> dict:
    """The submission bundle (preamble and solution cells) as data, for static checks."""
    return json.loads(request.config.getoption("--submission").read_text())


@pytest.fixture(scope="session")
def trusted_modules() -> list[Path]:
    """The assignment's modules that the student worker loads before the submission, in order
    (:func:`grading.worker.main.load_trusted`); an assignment's ``conftest.py`` overrides this."""
    return []


def banned_functions(items: list[pytest.Item]) -> list[str]:
    """Every library function a ``library_ban`` marker of the session's tests names: the worker
    wires them all (:mod:`grading.worker.tripwires`), and each test counts only its own."""
    markers = [marker for item in items for marker in item.iter_markers("library_ban")]
    return sorted({name for marker in markers for name in marker.args})


@pytest.fixture(scope="session")
def student(
    request: pytest.FixtureRequest, submission: dict, trusted_modules: list[Path]
) -> Iterator[StudentProcess]:
    """The submission, running in its own worker process."""
    settings = request.config.getoption("--sandbox")
    modules = [TrustedModule(name=path.stem, source=path.read_text()) for path in trusted_modules]
    process = StudentProcess(
        {**submission, "modules": modules, "tripwires": banned_functions(request.session.items)},
        timeout=request.config.getoption("--task-timeout"),
        wall_timeout=request.config.getoption("--task-wall-timeout"),
        sandbox=None if settings is None else Sandbox(**settings),
    )
    try:
        yield process
    finally:
        process.close()


@pytest.fixture(autouse=True)
def cpu_limit(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test marked ``cpu_limit(seconds)`` (or in a module so marked) gives each call into the
    student's code that many CPU seconds instead of ``--task-timeout``: a task whose honest calls
    take milliseconds then costs little when it loops endlessly."""
    marker = request.node.get_closest_marker("cpu_limit")
    if marker is None or "student" not in request.fixturenames:
        yield
        return
    with request.getfixturevalue("student").cpu_limit(marker.args[0]):
        yield


@pytest.fixture(autouse=True)
def library_ban(request: pytest.FixtureRequest) -> Iterator[None]:
    """In a test marked ``library_ban(*functions, advice="")`` (or in a module so marked), a call
    into the student's code that reaches one of ``functions`` fails with
    :class:`grading.judge.errors.LibraryUsed`, naming the task."""
    marker = request.node.get_closest_marker("library_ban")
    if marker is None or "student" not in request.fixturenames:
        yield
        return
    task = request.node.path.stem.removeprefix("test_")
    ban = Ban(task, frozenset(marker.args), marker.kwargs.get("advice", ""))
    with request.getfixturevalue("student").banning(ban):
        yield


def failure_message(excinfo: pytest.ExceptionInfo) -> tuple[str, bool]:
    """The message for the student, and whether the grader itself failed."""
    error = excinfo.value
    if isinstance(error, AssertionError | StudentError):
        return str(error) or "the check failed", False
    return (
        f"the grader failed on this test ({type(error).__name__}); please tell your instructor",
        True,
    )


def describe(item: pytest.Item) -> HiddenTest:
    """What names a test in the report: its module (the grade id), name and description (the
    first line of its docstring)."""
    doc = (getattr(getattr(item, "function", None), "__doc__", None) or item.name).strip()
    doc = doc.splitlines()[0]
    return HiddenTest(module=item.path.stem, test=item.name, description=doc)


class Recorder:
    """Writes the report as the session goes, one JSON line at a time: first the collected tests
    (``{"collected": [...]}``), then one entry per test as soon as it has run, so that a judge
    stopped half-way leaves the results of the tests that finished (:mod:`grading.judge.run`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._setup_seconds: dict[str, float] = {}

    def _write(self, line: dict) -> None:
        with self.path.open("a") as report:
            report.write(json.dumps(line) + "\n")

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._write({"collected": [describe(item) for item in session.items]})

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Iterator:
        outcome = yield
        report = outcome.get_result()
        if report.when == "setup":
            self._setup_seconds[item.nodeid] = report.duration
        if report.when == "call" or (report.when == "setup" and not report.passed):
            entry: ReportEntry = {
                **describe(item),
                "outcome": report.outcome,
                # Set-up (module fixtures, the worker's start) and call, for the benchmark.
                "seconds": round(
                    self._setup_seconds[item.nodeid] + (report.when == "call") * report.duration,
                    3,
                ),
            }
            student = item.funcargs.get("student") if hasattr(item, "funcargs") else None
            if isinstance(student, StudentProcess):
                if tampered := student.take_tampered():
                    entry["tampered"] = tampered
                if failure := student.take_zygote_failure():
                    entry["zygote_failure"] = failure
            if report.skipped:
                entry["message"] = str(report.longrepr[2]).removeprefix("Skipped: ")
            elif report.failed:
                entry["message"], entry["grader_error"] = failure_message(call.excinfo)
                if entry["grader_error"]:
                    entry["traceback"] = "".join(traceback.format_exception(call.excinfo.value))
            self._write({"entry": entry})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cuda: needs a CUDA GPU and full MNIST")
    config.addinivalue_line(
        "markers", "cpu_limit(seconds): CPU seconds each call into the student's code may use"
    )
    config.addinivalue_line(
        "markers",
        "library_ban(*functions, advice=''): library functions the student's code must not reach",
    )
    path = config.getoption("--report")
    if path is not None:
        config.pluginmanager.register(Recorder(path), "judge-recorder")
