"""Fixtures every kind of test shares: the session's worker zygote, and course copies released and
graded with the real ``nbgrader`` (built with :mod:`support.courses`)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from grading.judge.student import ZYGOTE_FAILURES
from grading.sandbox.bubblewrap import Sandbox
from grading.sandbox.zygote.owner import Zygote
from grading.sandbox.zygote.roles import WORKER
from support.courses import Course, grade_corpus
from support.paths import ASSIGNMENT, ASSIGNMENTS


@pytest.fixture(scope="session")
def worker_zygote() -> Iterator[Zygote]:
    """One worker zygote in the course's sandbox for the session (forking a worker takes 0.2 s
    where a fresh one spends 4 s importing torch)."""
    keeper = Zygote(Sandbox())
    yield keeper
    keeper.close()


@pytest.fixture
def forked_workers(
    worker_zygote: Zygote, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Zygote]:
    """The test's student workers are forked by the session's zygote, as in a batch (which names
    it in the environment); the zygote is returned. The test fails if a worker had to start fresh
    because the zygote could not serve (unless it is marked ``zygote_may_fail``)."""
    before = len(ZYGOTE_FAILURES)
    monkeypatch.setenv(WORKER.address_variable, worker_zygote.ensure())
    yield worker_zygote
    failures = ZYGOTE_FAILURES[before:]
    if request.node.get_closest_marker("zygote_may_fail") is None:
        assert not failures, f"expected every worker forked by the zygote, it could not: {failures}"


@pytest.fixture(scope="session")
def released_course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """A course copy on which ``nbgrader generate_assignment`` has run for every assignment."""
    course = Course(tmp_path_factory.mktemp("course"))
    for assignment in ASSIGNMENTS:
        course.nbgrader("generate_assignment", assignment, "--force")
    return course


@pytest.fixture(scope="session")
def graded(released_course: Course) -> tuple[Course, subprocess.CompletedProcess]:
    """The released course after the parallel grader graded ex09's corpus; also its result."""
    return released_course, grade_corpus(released_course, ASSIGNMENT)


@pytest.fixture(scope="session")
def graded_assignment(graded: tuple[Course, subprocess.CompletedProcess]):
    """``graded_assignment(assignment)``: the course and the grader's result once the
    assignment's corpus is graded (each assignment graded once per session)."""
    course, result = graded
    results = {ASSIGNMENT: result}

    def grade(assignment: str) -> tuple[Course, subprocess.CompletedProcess]:
        if assignment not in results:
            results[assignment] = grade_corpus(course, assignment)
        return course, results[assignment]

    return grade
