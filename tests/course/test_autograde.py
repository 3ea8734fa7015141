"""The grader gives fair marks to right, wrong, alternative, library-calling and broken notebooks,
for every assignment's corpus (:mod:`corpus`)."""

from __future__ import annotations

import pytest

from support.corpus import CORPORA, LIBRARY_STUDENT, MALFORMED, student_of
from support.paths import ASSIGNMENTS


def cases(kind: str) -> list[tuple[str, str]]:
    """``(assignment, name)`` for each variant of ``kind`` (an attribute of :class:`Corpus`)."""
    return [(a, name) for a in ASSIGNMENTS for name in sorted(getattr(CORPORA[a], kind))]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_marks(graded_assignment, assignment):
    course, _ = graded_assignment(assignment)
    scores = course.scores("solution", assignment)
    lost = {cell: score for cell, score in scores.items() if score[0] != score[1]}
    assert not lost, (
        f"{assignment}: the source solution should score full marks, lost points in "
        f"(score, max): {lost}"
    )
    for student in ("solution", *CORPORA[assignment].alternative_students):
        path = course.root / "autograde" / student / assignment / f"{assignment}.ipynb"
        assert "Note: your code replaced" not in path.read_text(), (
            f"{assignment}/{student}: honest code should not be reported as replacing library "
            "functions"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_unchanged_release_scores_zero(graded_assignment, assignment):
    course, _ = graded_assignment(assignment)
    scores = course.scores("unchanged_release", assignment)
    earned = {cell: score for cell, score in scores.items() if score[0] != 0}
    assert not earned, (
        f"{assignment}: the unchanged release should score 0, scored (score, max): {earned}"
    )


@pytest.mark.parametrize(("assignment", "variant"), cases("wrong"))
def test_wrong_solution_loses_points_in_its_task(graded_assignment, assignment, variant):
    course, _ = graded_assignment(assignment)
    corpus = CORPORA[assignment]
    scores = course.scores(student_of(variant, corpus.wrong_students), assignment)
    for graded_cell in corpus.wrong[variant][2]:
        score, maximum = scores[graded_cell]
        assert score < maximum, (
            f"{assignment}/{variant}: expected {graded_cell} below {maximum} points, got {score}"
        )


@pytest.mark.parametrize(
    ("assignment", "student"),
    [(a, student) for a in ASSIGNMENTS for student in CORPORA[a].wrong_students],
)
def test_wrong_solutions_cost_nothing_in_other_tasks(graded_assignment, assignment, student):
    course, _ = graded_assignment(assignment)
    corpus = CORPORA[assignment]
    names = corpus.wrong_students[student]
    targeted = {cell for name in names for cell in corpus.wrong[name][2]}
    lost = {
        cell: s
        for cell, s in course.scores(student, assignment).items()
        if cell not in targeted and s[0] != s[1]
    }
    assert not lost, f"{assignment}/{student} ({names}) lost points in untouched tasks: {lost}"


@pytest.mark.parametrize(("assignment", "alternative"), cases("alternatives"))
def test_alternative_solution_scores_full_marks(graded_assignment, assignment, alternative):
    course, _ = graded_assignment(assignment)
    corpus = CORPORA[assignment]
    cells = {cell.replace("_solution", "") for cell, _ in corpus.alternatives[alternative]}
    student = student_of(alternative, corpus.alternative_students)
    lost = {cell: s for cell, s in course.scores(student, assignment).items() if s[0] != s[1]}
    assert not lost, (
        f"{assignment}/{alternative} (cells {sorted(cells)}) should score full marks, lost "
        f"(score, max): {lost}"
    )


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if CORPORA[a].library])
def test_library_calls_earn_nothing_in_their_task_only(graded_assignment, assignment):
    course, _ = graded_assignment(assignment)
    library = CORPORA[assignment].library
    scores = course.scores(LIBRARY_STUDENT, assignment)
    banned = {graded_cell for _, _, graded_cell in library.values()}
    earned = {cell: scores[cell] for cell in banned if scores[cell][0] != 0}
    assert not earned, f"{assignment}: library calls should earn nothing, earned {earned}"
    lost = {cell: s for cell, s in scores.items() if cell not in banned and s[0] != s[1]}
    assert not lost, f"{assignment}: library calls cost points elsewhere: {lost}"
    path = course.root / "autograde" / LIBRARY_STUDENT / assignment / f"{assignment}.ipynb"
    text = path.read_text()
    for cell in banned:
        task = cell.removeprefix("test_")
        assert f"which task {task} asks you to write yourself" in text, (
            f"{assignment}: expected the feedback to name task {task} and the call"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_malformed_submissions_are_reported_and_the_rest_graded(graded_assignment, assignment):
    course, result = graded_assignment(assignment)
    assert result.returncode != 0, (
        f"the grader should exit non-zero when a submission cannot be read, got {result.returncode}"
    )
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.split()}
    for student in MALFORMED:
        assert "not graded: NotJSONError" in lines.get(student, ""), (
            f"{assignment}: expected the summary to report {student!r} as not graded "
            f"(NotJSONError), got {lines.get(student)!r}"
        )
    readable = CORPORA[assignment].readable_students
    graded_students = [s for s in readable if course.scores(s, assignment)]
    assert graded_students == readable, (
        f"{assignment}: every readable submission should be graded despite the malformed ones, "
        f"got {graded_students}"
    )
