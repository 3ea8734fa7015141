"""Regrading graded students: whose marks moved, by task, and the earlier score kept where the
course promised it.

Before a batch grades again the submissions it graded already (``--force``, after a hidden test
was fixed or added mid-term; a submission collected since is a new one, not a regrade),
:func:`snapshot` reads each student's marks from the gradebook; after it,
:func:`snapshot` again. :func:`keep_higher` (``--keep-higher``) puts back each task's earlier score
where the new one is lower, and the late penalty computed from it, as courses promise when they
change a test after students were graded. :func:`write_diff` writes
``regrade-<assignment>-<time>.csv``: each student's old and new score per task and in total.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import AssignLatePenalties
from traitlets.config import Config

from grading import course


@dataclass(frozen=True)
class Marks:
    """A student's marks on an assignment.

    Attributes:
        tasks: each graded cell's score (None: a written answer not graded by hand yet).
        penalty: the late penalty.
    """

    tasks: dict[str, float | None]
    penalty: float

    @property
    def total(self) -> float:
        """The score after the late penalty, as ``grades.csv`` has it."""
        return sum(score or 0.0 for score in self.tasks.values()) - self.penalty


def snapshot(coursedir: CourseDirectory, assignment: str, students: list[str]) -> dict[str, Marks]:
    """The marks of those of ``students`` whose submission has been autograded."""
    marks = {}
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                continue
            if not course.autograded(submission):
                continue  # recorded but never graded (an unreadable notebook)
            grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
            tasks = {grade.name: grade.score for grade in grades}
            marks[student] = Marks(tasks, submission.late_submission_penalty or 0.0)
    return marks


def moved(before: dict[str, Marks], after: dict[str, Marks]) -> list[str]:
    """The students whose score of some task, or whose late penalty, changed."""
    return sorted(
        student
        for student, old in before.items()
        if student in after
        and (old.tasks != after[student].tasks or old.penalty != after[student].penalty)
    )


def keep_higher(
    coursedir: CourseDirectory, config: Config, assignment: str, before: dict[str, Marks]
) -> dict[str, list[str]]:
    """Put back each task's earlier score where the regraded one is lower (a task a grader
    scored by hand keeps that score) and compute the late penalty again; the tasks kept, by
    student."""
    late = AssignLatePenalties(config=config)
    late.init_plugin()
    kept: dict[str, list[str]] = {}
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for student, old in before.items():
            submission = gradebook.find_submission(assignment, student)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    earlier = old.tasks.get(grade.name)
                    lower = grade.score is not None and earlier is not None
                    if lower and grade.manual_score is None and grade.score < earlier:
                        grade.auto_score = earlier
                        kept.setdefault(student, []).append(grade.name)
                gradebook.db.commit()
                if student in kept and submission.total_seconds_late > 0:
                    penalty = late.plugin_inst.late_submission_penalty(
                        student, notebook.score, submission.total_seconds_late
                    )
                    notebook.late_submission_penalty = min(max(penalty or 0.0, 0.0), notebook.score)
            gradebook.db.commit()
    return kept


def write_diff(
    path: Path,
    before: dict[str, Marks],
    regraded: dict[str, Marks],
    recorded: dict[str, Marks],
    kept: dict[str, list[str]],
) -> None:
    """Each regraded student's old and new score per task and in total, the total the
    gradebook now records, whether the marks moved and the tasks whose earlier score was kept."""
    everyone = (*before.values(), *regraded.values())
    tasks = sorted({task for marks in everyone for task in marks.tasks})
    changed = set(moved(before, regraded))
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        columns = [f"{task} {when}" for task in tasks for when in ("old", "new")]
        writer.writerow(
            ["student", *columns, "total old", "total new", "total recorded", "moved", "kept"]
        )
        for student in sorted(before):
            old = before[student]
            new = regraded.get(student, old)
            scores = [_cell(marks.tasks.get(task)) for task in tasks for marks in (old, new)]
            totals = [_cell(m.total) for m in (old, new, recorded.get(student, new))]
            writer.writerow(
                [
                    student,
                    *scores,
                    *totals,
                    int(student in changed),
                    " ".join(kept.get(student, [])),
                ]
            )


def changes(before: Marks, after: Marks, kept: list[str]) -> str:
    """What moved, in words: ``task old -> new`` for each task (and the penalty), noting those
    whose earlier score was kept."""
    parts = []
    for task in sorted(set(before.tasks) | set(after.tasks)):
        old, new = before.tasks.get(task), after.tasks.get(task)
        if old != new:
            note = f" (kept {_cell(old)})" if task in kept else ""
            parts.append(f"{task} {_cell(old)} -> {_cell(new)}{note}")
    if before.penalty != after.penalty:
        parts.append(f"late penalty {before.penalty:g} -> {after.penalty:g}")
    return ", ".join(parts)


def _cell(score: float | None) -> str:
    return "" if score is None else f"{score:g}"
