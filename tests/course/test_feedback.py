"""Feedback shows each hidden test's verdict and never the hidden test code."""

from __future__ import annotations

import csv
import html
import io

from support.leaks import hidden_lines, leaked, page_text
from support.paths import ASSIGNMENT


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


#: ex09's written answer, graded by hand.
WRITTEN_ANSWER = "generalisation_answer"


def test_the_written_answer_waits_for_a_grader_and_its_score_reaches_grades_csv(graded):
    """Formgrader lists the written answer as needing a manual grade; once a grader enters a
    score (as formgrader does, through the gradebook), ``nbgrader export`` counts it."""
    from nbgrader.api import Gradebook

    course, _ = graded
    url = f"sqlite:///{course.root / 'gradebook.db'}"
    with Gradebook(url) as gradebook:
        grade = gradebook.find_grade(WRITTEN_ANSWER, ASSIGNMENT, ASSIGNMENT, "solution")
        listed = gradebook.notebook_submission_dicts(ASSIGNMENT, ASSIGNMENT)
        waiting = {row["student"]: row["needs_manual_grade"] for row in listed}
        assert (grade.max_score, grade.needs_manual_grade) == (2, True), (
            f"expected a 2-point answer that needs a manual grade, got max {grade.max_score}, "
            f"needs manual grade {grade.needs_manual_grade}"
        )
        assert waiting.get("solution") is True, (
            f"expected formgrader's list to flag solution as needing a manual grade, got {waiting}"
        )
        before = gradebook.find_submission(ASSIGNMENT, "solution").score
    try:
        with Gradebook(url) as gradebook:
            gradebook.find_grade(
                WRITTEN_ANSWER, ASSIGNMENT, ASSIGNMENT, "solution"
            ).manual_score = 2
            gradebook.db.commit()
        course.nbgrader("export")
        rows = csv.DictReader(io.StringIO((course.root / "grades.csv").read_text()))
        score = float(next(row for row in rows if row["student_id"] == "solution")["raw_score"])
        assert score == before + 2, (
            f"expected solution's raw score in grades.csv to include the 2 manual points "
            f"({before + 2}), got {score}"
        )
    finally:
        with Gradebook(url) as gradebook:
            gradebook.find_grade(
                WRITTEN_ANSWER, ASSIGNMENT, ASSIGNMENT, "solution"
            ).manual_score = None
            gradebook.db.commit()
