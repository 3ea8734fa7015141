"""Feedback shows each hidden test's verdict and never the hidden test code."""

from __future__ import annotations

import html

from leaks import hidden_lines, leaked, page_text
from tests_paths import ASSIGNMENT


def test_leak_check_finds_a_planted_hidden_line():
    planted = (
        "<pre>"
        + html.escape("    expected = reference.convolution_one_dimensional(x, h)")
        + "</pre>"
    )
    found = leaked(page_text(planted), hidden_lines())
    assert found == ["expected = reference.convolution_one_dimensional(x, h)"], f"got {found}"


def test_feedback_shows_verdicts_without_hidden_test_code(graded):
    course, _ = graded
    course.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    pages = {
        path.parent.parent.name: path.read_text()
        for path in (course.root / "feedback").rglob("*.html")
    }
    assert {"solution", "wrong_1"} <= set(pages), (
        f"expected feedback for solution and wrong_1, got {sorted(pages)}"
    )
    assert "Hidden tests: 7 of 7 passed" in pages["solution"], (
        "the solution's feedback should list its passed tests"
    )
    assert "call opt.zero_grad() once per batch" in pages["wrong_1"], (
        "wrong_1's feedback should say what to fix"
    )
    for student, page in pages.items():
        submitted = course.root / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        found = leaked(page_text(page), hidden_lines(submitted.read_text()))
        assert not found, (
            f"feedback of {student} shows hidden test code, expected none: {found[:3]}"
        )


def test_export_writes_one_row_per_student(graded):
    course, _ = graded
    course.nbgrader("export")
    rows = (course.root / "grades.csv").read_text().splitlines()
    students = {row.split(",")[3] for row in rows[1:]}
    assert {"solution", "unchanged_release", "wrong_1"} <= students, (
        f"expected graded students in grades.csv, got {students}"
    )
