"""The public checks and the hidden tests agree on every variant of every assignment's corpus.

Each variant is run through the public checks as a student runs them (:mod:`public_checks`) and
through the hidden tests (the graded corpus). For each variant and graded task:

* a public ✔ where the hidden tests take points is a *trap*: allowed only where the hidden tests
  need values a public check cannot show, listed with the reason in :data:`KNOWN_TRAPS`;
* a public ✘ where the hidden tests give full marks must name the student's earlier function at
  fault (the hidden tests grade the task with the grader's version of it);
* an alternative (correct) solution passes every public check.

The agreement figure is printed (``pytest -s``) and recorded in docs/PUBLIC_CHECKS.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from grading.submissions import solution_sources
from support.corpus import CORPORA, LIBRARY_STUDENT, student_of
from support.courses import Course
from support.paths import ASSIGNMENTS
from support.public_checks import public_verdicts

#: (assignment, variant) -> why its public check cannot fail while the hidden tests do.
KNOWN_TRAPS: dict[tuple[str, str], str] = {}
#: What a public failure says when an earlier function of the student's is the cause.
BLAMES_AN_EARLIER_FUNCTION = "which fails its own check"


@dataclass
class Verdict:
    """One variant's verdicts on one graded task."""

    variant: str
    task: str
    public: str  # '' when the public check passes, else its failure
    hidden_lost: bool


def hidden_lost(course: Course, assignment: str, student: str, task: str, declared: bool) -> bool:
    """Whether the hidden tests took points in ``task`` of ``student``'s notebook. A task that
    another variant in the same notebook declares is judged from the solution's notebook."""
    owner = student if declared or not declared_elsewhere(assignment, student, task) else "solution"
    score, maximum = course.scores(owner, assignment)[task]
    return score < maximum


def declared_elsewhere(assignment: str, student: str, task: str) -> bool:
    """Whether a variant in ``student``'s notebook declares that it loses points in ``task``."""
    corpus = CORPORA[assignment]
    if student == LIBRARY_STUDENT:
        return any(task == graded for _, _, graded in corpus.library.values())
    return any(task in corpus.wrong[name][2] for name in corpus.wrong_students.get(student, []))


def verdicts(course: Course, assignment: str) -> list[Verdict]:
    """Every (variant, graded task) verdict of the assignment's wrong and library variants."""
    corpus = CORPORA[assignment]
    release = course.notebook("release", assignment)
    solutions = solution_sources(course.notebook("source", assignment))
    variants = {
        name: (cell, code, graded, student_of(name, corpus.wrong_students))
        for name, (cell, code, graded) in corpus.wrong.items()
    }
    variants |= {
        name: (cell, code, (graded,), LIBRARY_STUDENT)
        for name, (cell, code, graded) in corpus.library.items()
    }
    found = []
    for name, (cell, code, graded, student) in variants.items():
        public = public_verdicts(release, {**solutions, cell: code})
        for task, verdict in public.items():
            declared = task in graded
            lost = hidden_lost(course, assignment, student, task, declared)
            found.append(Verdict(name, task, verdict, lost))
    return found


@pytest.fixture(scope="module")
def agreement(graded_assignment) -> dict[str, list[Verdict]]:
    """Each assignment's verdicts, once its corpus is graded; the figure is printed."""
    found = {a: verdicts(graded_assignment(a)[0], a) for a in ASSIGNMENTS}
    for assignment, rows in found.items():
        agree = sum(bool(v.public) == v.hidden_lost for v in rows)
        traps = sum(not v.public and v.hidden_lost for v in rows)
        blamed = sum(bool(v.public) and not v.hidden_lost for v in rows)
        print(
            f"\n{assignment}: public and hidden verdicts agree in {agree} of {len(rows)} task "
            f"checks ({len({v.variant for v in rows})} variants); public passes but hidden takes "
            f"points: {traps} ({traps / len(rows):.1%}); public fails naming an earlier function "
            f"while hidden gives full marks: {blamed}"
        )
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_public_check_passes_where_the_hidden_tests_take_points(agreement, assignment):
    traps = {
        (v.variant, v.task)
        for v in agreement[assignment]
        if not v.public and v.hidden_lost and (assignment, v.variant) not in KNOWN_TRAPS
    }
    assert not traps, (
        f"{assignment}: expected every task the hidden tests mark down to fail its public check, "
        f"these passed publicly: {sorted(traps)}"
    )
    known = [variant for a, variant in KNOWN_TRAPS if a == assignment]
    assert len(known) <= 3, f"{assignment}: expected at most 3 known traps, got {known}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_public_failure_on_a_task_graded_full_names_the_earlier_function(agreement, assignment):
    misleading = {
        (v.variant, v.task): v.public
        for v in agreement[assignment]
        if v.public and not v.hidden_lost and BLAMES_AN_EARLIER_FUNCTION not in v.public
    }
    assert not misleading, (
        f"{assignment}: expected a public failure of a task the hidden tests grade full to name "
        f"the earlier function at fault, got {misleading}"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_alternative_solutions_pass_every_public_check(graded_assignment, assignment):
    course, _ = graded_assignment(assignment)
    release = course.notebook("release", assignment)
    solutions = solution_sources(course.notebook("source", assignment))
    for name, cells in CORPORA[assignment].alternatives.items():
        failed = {
            task: verdict
            for task, verdict in public_verdicts(release, {**solutions, **dict(cells)}).items()
            if verdict
        }
        assert not failed, f"{assignment}/{name}: expected every public check to pass, got {failed}"
