"""Hostile and faulty submissions, autograded with an honest one in one batch per assignment by the
parallel grader (``python -m grading.batch``, nbgrader's pipeline, as ``make autograde`` runs it):
tampering earns nothing, a fault costs only what it breaks, and nobody else's marks change.

ex09's batch holds the engine's whole corpus (:mod:`hostile`); ex10's aims at what ex10 adds
(:mod:`hostile_ex10`). Tests of one engine behaviour look at one named student of ex09's batch."""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import sys
import threading
from collections.abc import Iterator
from typing import NamedTuple

import nbformat
import pytest

from grading.submissions import fill, solution_sources
from support import hostile_ex10, outside
from support.courses import Course
from support.hostile import CASES, FAULTS, LISTENER_PORT, TAMPERING, Case
from support.paths import ROOT

#: Tighter kernel limits than the course's, so that the hanging cases take seconds, not minutes:
#: the honest ex09 student's slowest notebook cell takes about 3 s and the whole notebook about 4 s
#: in the kernel; ex10's notebook (its demo training and widgets) about 15 s. The hidden tests keep
#: the course's per-call limit (RunHiddenTests.task_timeout): the honest student's slowest call,
#: training CNN, uses about 2.5 s of CPU time on a quiet machine but took over 8 s in a slow run.
LIMITS = """
c.SandboxedExecute.cell_cpu_limit = 5.0
c.Execute.timeout = 10
c.SandboxedExecute.total_timeout = {total}
c.Sandbox.memory_limit = 2 * 1024**3
"""


class Batch(NamedTuple):
    """One assignment's hostile batch."""

    cases: dict[str, Case]
    kernel_budget: float  # SandboxedExecute.total_timeout, seconds
    hidden_module: str  # a hidden test module whose source must not leak
    points: float  # what the notebook is worth


BATCHES = {
    "ex09": Batch(CASES, 20.0, "test_conv1d.py", 22),
    "ex10": Batch(hostile_ex10.CASES, 60.0, "test_conv2d.py", 25),
}
STUDENTS = [
    (assignment, name) for assignment, batch in BATCHES.items() for name in sorted(batch.cases)
]


def protected(assignment: str) -> tuple[str, ...]:
    """Course files no submission may change."""
    return (
        f"grader_tests/{assignment}/{BATCHES[assignment].hidden_module}",
        f"source/{assignment}/{assignment}.ipynb",
        f"submitted/honest/{assignment}/{assignment}.ipynb",
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


def grade_batch(root, assignment: str):
    """Release ``assignment`` in a course copy at ``root``, submit the honest student and every
    case, and grade them all in parallel; the course, the protected files' digests before, and the
    batch's completed process."""
    batch = BATCHES[assignment]
    course = Course(root)
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(LIMITS.format(total=batch.kernel_budget))
    course.nbgrader("generate_assignment", assignment, "--force")
    release = course.notebook("release", assignment)
    solutions = solution_sources(course.notebook("source", assignment))
    course.submit("honest", fill(release, solutions), assignment=assignment)
    for name, case in batch.cases.items():
        notebook = fill(release, {**solutions, **case.cells})
        for offset, code in enumerate(case.kernel_cells, start=2):
            notebook.cells.insert(offset, nbformat.v4.new_code_cell(code))
        if case.mutate is not None:
            case.mutate(notebook)
        encoded = json.dumps(notebook, indent=1).encode()
        folder = course.submit(name, encoded, case.file_name, assignment=assignment)
        for file_name, content in case.files.items():
            (folder / file_name).parent.mkdir(parents=True, exist_ok=True)
            (folder / file_name).write_text(content)
    before = {path: digest(course.root / path) for path in protected(assignment)}
    result = course.run(
        sys.executable, "-m", "grading.batch", assignment, "--jobs", "2", check=False
    )
    return course, before, result


@pytest.fixture(scope="session")
def planted() -> Iterator[list]:
    """Files outside the course that the grading user can read (:func:`outside.planted`), there
    while the batches are graded."""
    with outside.planted() as places:
        yield places


@pytest.fixture(scope="session")
def batches(tmp_path_factory, listener, planted):
    """``batches(assignment)``: that assignment's hostile batch, graded once per session."""
    graded = {}

    def batch(assignment: str):
        if assignment not in graded:
            graded[assignment] = grade_batch(tmp_path_factory.mktemp(assignment), assignment)
        return graded[assignment]

    return batch


@pytest.fixture(scope="session")
def hostile(batches):
    """ex09's batch, which holds the engine's whole corpus."""
    return batches("ex09")


def autograded(course: Course, student: str, assignment: str = "ex09") -> str:
    """The text of a student's autograded notebook."""
    return (course.root / "autograde" / student / assignment / f"{assignment}.ipynb").read_text()


def test_the_corpus_has_enough_cases():
    assert len(TAMPERING) >= 12 and len(FAULTS) >= 8, (
        f"expected at least 12 tamper and 8 fault cases, got {len(TAMPERING)} and {len(FAULTS)}"
    )


@pytest.mark.parametrize("assignment", sorted(BATCHES))
def test_the_honest_student_keeps_full_marks(batches, assignment):
    course, _, _ = batches(assignment)
    lost = {cell: s for cell, s in course.scores("honest", assignment).items() if s[0] != s[1]}
    assert not lost, f"the honest student lost points (score, max) in a hostile batch: {lost}"
    assert "Note: your code replaced" not in autograded(course, "honest", assignment), (
        "the honest student's feedback should not claim that library functions were replaced"
    )


@pytest.mark.parametrize(("assignment", "name"), STUDENTS)
def test_attacked_or_broken_tasks_earn_nothing(batches, assignment, name):
    course, _, _ = batches(assignment)
    case, scores = BATCHES[assignment].cases[name], course.scores(name, assignment)
    earned = {cell: scores[cell][0] for cell in case.zero if scores[cell][0] != 0}
    assert not earned, f"{name}: expected 0 points in {case.zero}, got {earned}"


@pytest.mark.parametrize(
    ("assignment", "name"), [(a, n) for a, n in STUDENTS if BATCHES[a].cases[n].expected]
)
def test_partly_affected_tasks_score_what_they_earned(batches, assignment, name):
    course, _, _ = batches(assignment)
    case, scores = BATCHES[assignment].cases[name], course.scores(name, assignment)
    got = {cell: scores[cell][0] for cell in case.expected}
    assert got == case.expected, f"{name}: expected {case.expected}, got {got}"


@pytest.mark.parametrize(
    ("assignment", "name"), [(a, n) for a, n in STUDENTS if BATCHES[a].cases[n].others_full]
)
def test_everything_else_keeps_full_marks(batches, assignment, name):
    course, _, _ = batches(assignment)
    case, scores = BATCHES[assignment].cases[name], course.scores(name, assignment)
    affected = {*case.zero, *case.expected}
    lost = {c: s for c, s in scores.items() if c not in affected and s[0] != s[1]}
    assert not lost, f"{name}: untouched tasks should keep full marks, lost (score, max): {lost}"
    points, expected = sum(s[1] for s in scores.values()), BATCHES[assignment].points
    assert points == expected, f"{name}: the maximum should stay {expected} points, got {points}"


@pytest.mark.parametrize("assignment", sorted(BATCHES))
def test_course_files_are_unchanged(batches, assignment):
    course, before, _ = batches(assignment)
    changed = [path for path in protected(assignment) if digest(course.root / path) != before[path]]
    assert not changed, f"submissions changed files outside their folders: {changed}"
    assert b"HACKED" not in (course.root / "gradebook.db").read_bytes(), (
        "the gradebook was written to"
    )


@pytest.mark.parametrize("assignment", sorted(BATCHES))
def test_hidden_test_source_never_reaches_the_autograded_notebooks(batches, assignment):
    course, _, _ = batches(assignment)
    module = ROOT / "grader_tests" / assignment / BATCHES[assignment].hidden_module
    hidden = [line.strip() for line in module.read_text().splitlines()]
    hidden = [
        line for line in hidden if len(line) > 30 and not line.startswith(("import", "from", "#"))
    ]
    for notebook in (course.root / "autograde").glob(f"*/{assignment}/{assignment}.ipynb"):
        text = notebook.read_text()
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{notebook} shows hidden test code: {leaked[:2]}"


def test_huge_outputs_are_cut(hostile):
    course, _, _ = hostile
    for student in ("huge_text_output", "huge_image_output"):
        path = course.root / "autograde" / student / "ex09" / "ex09.ipynb"
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
    ("assignment", "student", "said"),
    [
        ("ex09", "calls_library_convolutions", "uses convolve"),
        ("ex09", "hides_library_convolutions", "called torch.conv1d"),
        ("ex09", "hides_library_convolutions", "called scipy.signal.convolve2d"),
        ("ex09", "convolves_in_a_forked_child", "started a process (os.fork())"),
        ("ex09", "convolves_in_a_subprocess", "started a process (subprocess)"),
        ("ex09", "unwraps_a_tripwire", "called numpy._core.multiarray.correlate"),
        ("ex09", "switches_off_the_watches", "called numpy.convolve"),
        ("ex10", "convolves_and_pools_through_other_doors", "called torch.conv2d"),
        ("ex10", "convolves_and_pools_through_other_doors", "_pool2d (a PyTorch operation"),
        ("ex10", "convolves_in_a_forked_child", "started a process (os.fork())"),
    ],
)
def test_library_use_is_explained(batches, assignment, student, said):
    text = autograded(batches(assignment)[0], student, assignment)
    assert said in text and "earns no credit" in text, (
        f"{student}: the feedback should say {said!r} and that it earns no credit"
    )


def test_nothing_outside_the_course_reaches_a_feedback_page(hostile, planted):
    course, student = hostile[0], "reads_outside_the_course"
    course.nbgrader("generate_feedback", "ex09", "--student", student, "--force")
    text = autograded(course, student)
    assert "looked outside the course" in text, "the looking cell should have run in the kernel"
    pages = [text, *(p.read_text() for p in (course.root / "feedback" / student).rglob("*.html"))]
    tags = {path.read_text() for path in planted}
    leaked = [tag for tag in tags for page in pages if tag in page]
    assert not leaked, f"files planted outside the course reached the student's pages: {leaked}"


@pytest.mark.parametrize(
    ("assignment", "student"),
    [
        ("ex09", "forges_parameter_counts_globally"),
        ("ex09", "patches_torch_pytest_and_builtins"),
        ("ex10", "patches_torch_and_numpy"),
    ],
)
def test_replaced_library_functions_are_named_in_the_feedback(batches, assignment, student):
    text = autograded(batches(assignment)[0], student, assignment)
    assert "Note: your code replaced" in text, (
        f"{student}: the feedback should name the library functions the code replaced"
    )


def test_a_renamed_notebook_is_kept_as_submitted(hostile):
    folder = hostile[0].root / "submitted" / "renamed_notebook" / "ex09"
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
    course.nbgrader("generate_feedback", "ex09", "--student", "fills_the_disk", "--force")
    for stage in ("autograde", "feedback"):
        folder = course.root / stage / "fills_the_disk"
        size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
        assert 0 < size < 5_000_000, f"expected a small {stage} folder, got {size:,} bytes"
    assert "No space left on device" in autograded(course, "fills_the_disk"), (
        "the kernel-only cell should have stopped at the disk cap"
    )
