"""Hostile and faulty submissions, autograded in one batch with an honest one by the real nbgrader:
tampering earns nothing, a fault costs only what it breaks, and nobody else's marks change."""

from __future__ import annotations

import hashlib

import nbformat
import pytest
from conftest import Course
from hostile import CASES
from tests_paths import ASSIGNMENT, ROOT

from grading.submissions import fill, solution_sources

#: Tighter limits than the course's, so that the hanging cases take seconds, not minutes.
LIMITS = """
c.RunHiddenTests.task_timeout = 10.0
c.Execute.timeout = 30
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
def hostile(tmp_path_factory):
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
        course.submit(name, notebook)
        for file_name, content in case.files.items():
            (course.root / "submitted" / name / ASSIGNMENT / file_name).write_text(content)
    before = {path: digest(course.root / path) for path in PROTECTED}
    result = course.nbgrader("autograde", ASSIGNMENT, "--force", check=False)
    return course, before, result


def test_the_honest_student_keeps_full_marks(hostile):
    course, _, _ = hostile
    lost = {cell: s for cell, s in course.scores("honest").items() if s[0] != s[1]}
    assert not lost, f"the honest student lost points (score, max) in a hostile batch: {lost}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_attacked_or_broken_tasks_earn_nothing(hostile, name):
    course, _, _ = hostile
    scores = course.scores(name)
    earned = {cell: scores[cell][0] for cell in CASES[name].zero if scores[cell][0] != 0}
    assert not earned, f"{name}: expected 0 points in {CASES[name].zero}, got {earned}"


@pytest.mark.parametrize("name", sorted(name for name, case in CASES.items() if case.others_full))
def test_everything_else_keeps_full_marks(hostile, name):
    course, _, _ = hostile
    scores = course.scores(name)
    lost = {c: s for c, s in scores.items() if c not in CASES[name].zero and s[0] != s[1]}
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


def test_huge_output_is_cut_and_the_kernel_death_reported(hostile):
    course, _, _ = hostile
    huge = course.root / "autograde" / "huge_output" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert huge.stat().st_size < 2_000_000, (
        f"expected a small notebook, got {huge.stat().st_size:,} bytes"
    )
    assert "output cut" in huge.read_text(), "the cut output should say so"
    died = course.root / "autograde" / "kernel_exits" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert "KernelDied" in died.read_text(), "the autograded notebook should say the kernel died"


def test_library_use_is_explained(hostile):
    course, _, _ = hostile
    text = (
        course.root
        / "autograde"
        / "calls_library_convolutions"
        / ASSIGNMENT
        / f"{ASSIGNMENT}.ipynb"
    ).read_text()
    assert "earns no credit" in text, (
        "the feedback should say why the convolution tasks earn nothing"
    )
