"""Feedback shows each hidden test's verdict and never the hidden test code."""

from __future__ import annotations

import html
import json
import re

from tests_paths import ASSIGNMENT, ROOT


def hidden_lines(submission: str) -> set[str]:
    """Distinctive lines of the hidden test suites that are not in the student's own ``submission``
    (a reference solution shares lines with what a student may write, and feedback shows it)."""
    return {
        line.strip()
        for path in (ROOT / "grader_tests").rglob("*.py")
        for line in path.read_text().splitlines()
        if len(line.strip()) > 25
        and not line.strip().startswith(("import ", "from ", "#", '"""'))
        and json.dumps(line.strip())[1:-1] not in submission
    }


def page_text(page: str) -> str:
    """The text of an HTML page, tags removed and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_leak_check_finds_a_planted_hidden_line():
    planted = (
        "<pre>"
        + html.escape("    expected = reference.convolution_one_dimensional(x, h)")
        + "</pre>"
    )
    leaked = [line for line in hidden_lines(submission="") if line in page_text(planted)]
    assert leaked == ["expected = reference.convolution_one_dimensional(x, h)"], f"got {leaked}"


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
        lines = hidden_lines(submitted.read_text())
        leaked = sorted(line for line in lines if line in page_text(page))
        assert not leaked, (
            f"feedback of {student} shows hidden test code, expected none: {leaked[:3]}"
        )


def test_export_writes_one_row_per_student(graded):
    course, _ = graded
    course.nbgrader("export")
    rows = (course.root / "grades.csv").read_text().splitlines()
    students = {row.split(",")[3] for row in rows[1:]}
    assert {"solution", "unchanged_release", "wrong_1"} <= students, (
        f"expected graded students in grades.csv, got {students}"
    )
