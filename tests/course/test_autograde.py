"""The grader gives fair marks to right, wrong, alternative and broken notebooks."""

from __future__ import annotations

import pytest
from tests_paths import ASSIGNMENT
from variants import (
    ALTERNATIVE_STUDENTS,
    ALTERNATIVES,
    MALFORMED,
    WRONG,
    WRONG_STUDENTS,
    student_of,
)


def test_solution_scores_full_marks(graded):
    course, _ = graded
    lost = {
        cell: score for cell, score in course.scores("solution").items() if score[0] != score[1]
    }
    assert not lost, (
        f"the source solution should score full marks, lost points in (score, max): {lost}"
    )
    for student in ("solution", *ALTERNATIVE_STUDENTS):
        text = (
            course.root / "autograde" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        ).read_text()
        assert "Note: your code replaced" not in text, (
            f"{student}: honest code should not be reported as replacing library functions"
        )


def test_unchanged_release_scores_zero(graded):
    course, _ = graded
    earned = {
        cell: score for cell, score in course.scores("unchanged_release").items() if score[0] != 0
    }
    assert not earned, f"the unchanged release should score 0, scored (score, max): {earned}"


@pytest.mark.parametrize("variant", sorted(WRONG))
def test_wrong_solution_loses_points_in_its_task(graded, variant):
    course, _ = graded
    scores = course.scores(student_of(variant, WRONG_STUDENTS))
    for graded_cell in WRONG[variant][2]:
        score, maximum = scores[graded_cell]
        assert score < maximum, (
            f"{variant}: expected {graded_cell} below {maximum} points, got {score}"
        )


@pytest.mark.parametrize("student", sorted(WRONG_STUDENTS))
def test_wrong_solutions_cost_nothing_in_other_tasks(graded, student):
    course, _ = graded
    targeted = {cell for name in WRONG_STUDENTS[student] for cell in WRONG[name][2]}
    lost = {
        cell: s
        for cell, s in course.scores(student).items()
        if cell not in targeted and s[0] != s[1]
    }
    assert not lost, f"{student} ({WRONG_STUDENTS[student]}) lost points in untouched tasks: {lost}"


@pytest.mark.parametrize("alternative", sorted(ALTERNATIVES))
def test_alternative_solution_scores_full_marks(graded, alternative):
    course, _ = graded
    cells = {cell.replace("_solution", "") for cell, _ in ALTERNATIVES[alternative]}
    student = student_of(alternative, ALTERNATIVE_STUDENTS)
    lost = {cell: s for cell, s in course.scores(student).items() if s[0] != s[1]}
    assert not lost, (
        f"{alternative} (cells {sorted(cells)}) should score full marks, lost (score, max): {lost}"
    )


def test_malformed_submissions_are_reported_and_the_rest_graded(graded):
    course, result = graded
    assert result.returncode != 0, (
        f"the grader should exit non-zero when a submission cannot be read, got {result.returncode}"
    )
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.split()}
    for student in MALFORMED:
        assert "not graded: NotJSONError" in lines.get(student, ""), (
            f"expected the summary to report {student!r} as not graded (NotJSONError), got "
            f"{lines.get(student)!r}"
        )
    graded_students = [
        s for s in ("solution", *WRONG_STUDENTS, *ALTERNATIVE_STUDENTS) if course.scores(s)
    ]
    assert len(graded_students) == 1 + len(WRONG_STUDENTS) + len(ALTERNATIVE_STUDENTS), (
        "every readable submission should be graded despite the malformed ones, got "
        f"{graded_students}"
    )
