"""Hostile and faulty submissions, autograded in one batch with an honest one by the parallel
grader (``python -m grading.batch``, nbgrader's pipeline, as ``make autograde`` runs it): tampering
earns nothing, a fault costs only what it breaks, and nobody else's marks change."""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import sys
import threading
from collections.abc import Iterator

import nbformat
import pytest
from conftest import Course
from hostile import CASES, FAULTS, LISTENER_PORT, TAMPERING
from tests_paths import ASSIGNMENT, ROOT

from grading.submissions import fill, solution_sources

#: Tighter limits than the course's, so that the hanging cases take seconds, not minutes: the
#: honest student's slowest call (training CNN) uses about 2.5 s of CPU time, its slowest notebook
#: cell about 3 s and the whole notebook about 4 s in the kernel.
LIMITS = """
c.RunHiddenTests.task_timeout = 8.0
c.SandboxedExecute.cell_cpu_limit = 5.0
c.Execute.timeout = 10
c.SandboxedExecute.total_timeout = 20.0
c.Sandbox.memory_limit = 2 * 1024**3
"""
PROTECTED = (
    "grader_tests/ex09/test_conv1d.py",
    "source/ex09/ex09.ipynb",
    "submitted/honest/ex09/ex09.ipynb",
)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def listener() -> Iterator[list[bytes]]:
    """A TCP server on 127.0.0.1 for the whole batch; what it received, connection by connection."""
    received: list[bytes] = []
    server = socket.create_server(("127.0.0.1", LISTENER_PORT))
    server.settimeout(0.5)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                connection, _ = server.accept()
                with connection:
                    connection.settimeout(2)
                    received.append(connection.recv(100))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield received
    stop.set()
    thread.join()
    server.close()


@pytest.fixture(scope="session")
def hostile(tmp_path_factory, listener):
    course = Course(tmp_path_factory.mktemp("hostile"))
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(LIMITS)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = course.notebook("release")
    solutions = solution_sources(course.notebook("source"))
    course.submit("honest", fill(release, solutions))
    for name, case in CASES.items():
        notebook = fill(release, {**solutions, **case.cells})
        for offset, code in enumerate(case.kernel_cells, start=2):
            notebook.cells.insert(offset, nbformat.v4.new_code_cell(code))
        if case.mutate is not None:
            case.mutate(notebook)
        folder = course.submit(name, json.dumps(notebook, indent=1).encode(), case.file_name)
        for file_name, content in case.files.items():
            (folder / file_name).parent.mkdir(parents=True, exist_ok=True)
            (folder / file_name).write_text(content)
    before = {path: digest(course.root / path) for path in PROTECTED}
    result = course.run(
        sys.executable, "-m", "grading.batch", ASSIGNMENT, "--jobs", "2", check=False
    )
    return course, before, result


def autograded(course: Course, student: str) -> str:
    """The text of a student's autograded notebook."""
    return (course.root / "autograde" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()


def test_the_corpus_has_enough_cases():
    assert len(TAMPERING) >= 12 and len(FAULTS) >= 8, (
        f"expected at least 12 tamper and 8 fault cases, got {len(TAMPERING)} and {len(FAULTS)}"
    )


def test_the_honest_student_keeps_full_marks(hostile):
    course, _, _ = hostile
    lost = {cell: s for cell, s in course.scores("honest").items() if s[0] != s[1]}
    assert not lost, f"the honest student lost points (score, max) in a hostile batch: {lost}"
    assert "Note: your code replaced" not in autograded(course, "honest"), (
        "the honest student's feedback should not claim that library functions were replaced"
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_attacked_or_broken_tasks_earn_nothing(hostile, name):
    course, _, _ = hostile
    scores = course.scores(name)
    earned = {cell: scores[cell][0] for cell in CASES[name].zero if scores[cell][0] != 0}
    assert not earned, f"{name}: expected 0 points in {CASES[name].zero}, got {earned}"


@pytest.mark.parametrize("name", sorted(name for name, case in CASES.items() if case.expected))
def test_partly_affected_tasks_score_what_they_earned(hostile, name):
    course, _, _ = hostile
    scores = course.scores(name)
    got = {cell: scores[cell][0] for cell in CASES[name].expected}
    assert got == CASES[name].expected, f"{name}: expected {CASES[name].expected}, got {got}"


@pytest.mark.parametrize("name", sorted(name for name, case in CASES.items() if case.others_full))
def test_everything_else_keeps_full_marks(hostile, name):
    course, _, _ = hostile
    scores = course.scores(name)
    affected = {*CASES[name].zero, *CASES[name].expected}
    lost = {c: s for c, s in scores.items() if c not in affected and s[0] != s[1]}
    assert not lost, f"{name}: untouched tasks should keep full marks, lost (score, max): {lost}"
    assert sum(s[1] for s in scores.values()) == 22, f"{name}: the maximum should stay 22 points"


def test_course_files_are_unchanged(hostile):
    course, before, _ = hostile
    changed = [path for path in PROTECTED if digest(course.root / path) != before[path]]
    assert not changed, f"submissions changed files outside their folders: {changed}"
    assert b"HACKED" not in (course.root / "gradebook.db").read_bytes(), (
        "the gradebook was written to"
    )


def test_hidden_test_source_never_reaches_the_autograded_notebooks(hostile):
    course, _, _ = hostile
    hidden = [
        line.strip()
        for line in (ROOT / "grader_tests/ex09/test_conv1d.py").read_text().splitlines()
    ]
    hidden = [
        line for line in hidden if len(line) > 30 and not line.startswith(("import", "from", "#"))
    ]
    for notebook in (course.root / "autograde").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"):
        text = notebook.read_text()
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{notebook} shows hidden test code: {leaked[:2]}"


def test_huge_outputs_are_cut(hostile):
    course, _, _ = hostile
    for student in ("huge_text_output", "huge_image_output"):
        path = course.root / "autograde" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        size = path.stat().st_size
        assert size < 2_000_000, f"{student}: expected a small notebook, got {size:,} bytes"
    assert "output cut" in autograded(course, "huge_text_output"), "the cut text should say so"
    assert "removed: too large" in autograded(course, "huge_image_output"), (
        "the removed image should say so"
    )


@pytest.mark.parametrize(
    ("student", "said"),
    [
        ("kernel_exits", "the kernel stopped"),
        ("kernel_killed", "the kernel stopped"),
        ("kernel_ignores_interrupts", "did not stop when interrupted"),
    ],
)
def test_a_lost_kernel_is_reported_in_the_notebook(hostile, student, said):
    course, _, _ = hostile
    text = autograded(course, student)
    assert "KernelLost" in text and said in text, (
        f"{student}: the autograded notebook should report KernelLost saying {said!r}"
    )


@pytest.mark.parametrize(
    ("student", "said"),
    [
        ("calls_library_convolutions", "uses convolve"),
        ("hides_library_convolutions", "called torch.conv1d"),
        ("hides_library_convolutions", "called scipy.signal.convolve2d"),
    ],
)
def test_library_use_is_explained(hostile, student, said):
    text = autograded(hostile[0], student)
    assert said in text and "earns no credit" in text, (
        f"{student}: the feedback should say {said!r} and that it earns no credit"
    )


@pytest.mark.parametrize(
    "student", ["forges_parameter_counts_globally", "patches_torch_pytest_and_builtins"]
)
def test_replaced_library_functions_are_named_in_the_feedback(hostile, student):
    text = autograded(hostile[0], student)
    assert "Note: your code replaced" in text, (
        f"{student}: the feedback should name the library functions the code replaced"
    )


def test_a_renamed_notebook_is_kept_as_submitted(hostile):
    folder = hostile[0].root / "submitted" / "renamed_notebook" / ASSIGNMENT
    assert (folder / "ex09 (1).ipynb").is_file(), "the student's own file should stay in place"


def test_no_submission_reaches_the_network(hostile, listener):
    assert listener == [], (
        f"expected no connection from student code to 127.0.0.1:{LISTENER_PORT}, got {listener}"
    )
    assert "no network:" in autograded(hostile[0], "phones_home"), (
        "the kernel-only cell should have printed that its connection failed"
    )


def test_a_submission_that_fills_the_disk_leaves_small_folders(hostile):
    course = hostile[0]
    course.nbgrader("generate_feedback", ASSIGNMENT, "--student", "fills_the_disk", "--force")
    for stage in ("autograde", "feedback"):
        folder = course.root / stage / "fills_the_disk"
        size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
        assert 0 < size < 5_000_000, f"expected a small {stage} folder, got {size:,} bytes"
    assert "No space left on device" in autograded(course, "fills_the_disk"), (
        "the kernel-only cell should have stopped at the disk cap"
    )
