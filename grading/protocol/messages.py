"""The data that crosses processes while grading, in one place.

The autograde preprocessor (:mod:`grading.pipeline.preprocessors.hidden_tests`) writes a
:class:`Bundle` for the judge; the judge's student handle (:mod:`grading.judge.student`) sends
:class:`Request` messages to the student worker (:mod:`grading.worker.main`), which answers with
:class:`Reply` messages over :mod:`grading.protocol.wire`; the judge's pytest plugin
(:mod:`grading.judge.pytest_plugin`) reports :class:`ReportEntry` lines, which
:mod:`grading.judge.run` reads back for the preprocessor, and the preprocessor keeps each test's
:class:`TestOutcome` in the autograded notebook for the class report. All are plain JSON-able
dictionaries.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict


class SolutionCell(TypedDict):
    """A submitted solution cell, named by its grade id."""

    grade_id: str
    source: str


class TrustedModule(TypedDict):
    """An assignment's trusted module (its probes, its stand-ins), loaded by the worker under
    ``name`` before any student code."""

    name: str
    source: str


class Bundle(TypedDict):
    """What the student worker runs: the trusted preamble sources (the gradebook's), the student's
    solution cells in notebook order; the judge adds the assignment's trusted modules and the
    library functions to watch while student code runs (:mod:`grading.worker.tripwires`)."""

    preamble: list[str]
    cells: list[SolutionCell]
    modules: NotRequired[list[TrustedModule]]
    tripwires: NotRequired[list[str]]


class Request(TypedDict):
    """One request of the judge to the worker: ``call`` a student function (with trusted
    stand-ins for the functions in ``references``), ``get`` a student value, or run a ``probe``.
    ``args`` and ``kwargs`` are encoded with :func:`grading.protocol.wire.encode`."""

    op: Literal["call", "get", "probe"]
    name: str
    args: NotRequired[Any]
    kwargs: NotRequired[Any]
    references: NotRequired[list[str]]
    ban: NotRequired[list[str]]  # the task's banned functions: watched on every route (guards)


class CallResult(TypedDict):
    """The value of a ``call``: the result and the arguments as the call left them (to detect
    changed inputs)."""

    result: Any
    args_after: list[Any]


class Reply(TypedDict):
    """The worker's answer, to a request or to loading the submission. Every reply names the
    library functions student code replaced since the last one (restored since)."""

    tampered: list[str]
    ok: NotRequired[bool]
    value: NotRequired[Any]  # encoded: a CallResult for ``call``, the value or probe result else
    library_calls: NotRequired[list[str]]  # watched library functions student code reached
    error: NotRequired[str]
    missing_name: NotRequired[bool]
    grader_error: NotRequired[bool]  # the request itself was wrong (an unknown probe, say)
    loading: NotRequired[str]  # the grade id of the cell being loaded
    load_errors: NotRequired[dict[str, str]]  # grade id -> what went wrong loading it


class HiddenTest(TypedDict):
    """A hidden test: its module (the graded cell's grade id), name and description (the first
    line of its docstring, shown to the student)."""

    module: str
    test: str
    description: str


class ReportEntry(HiddenTest):
    """What one hidden test found."""

    outcome: Literal["passed", "failed", "skipped"]
    seconds: NotRequired[float]  # set-up and call, for the benchmark
    message: NotRequired[str]  # why it failed or was skipped, for the student
    grader_error: NotRequired[bool]  # the failure is the grader's, not the student's
    traceback: NotRequired[str]  # of a grader error, for the log
    tampered: NotRequired[list[str]]  # library functions the student's code replaced
    zygote_failure: NotRequired[str]  # why the worker zygote could not serve (fresh workers)


#: Cell metadata key under which an autograded notebook keeps each hidden test's outcome, a list of
#: :class:`TestOutcome` (written by :mod:`grading.pipeline.preprocessors.hidden_tests`, read by the
#: class report, :mod:`grading.batch.report`).
OUTCOMES = "hidden_tests"


class TestOutcome(TypedDict):
    """One hidden test's outcome as an autograded notebook keeps it, for the class report."""

    test: str  # its description
    outcome: Literal["passed", "failed", "skipped"]
