"""The class report: how a class did on an assignment, for the instructor.

Read from the gradebook (each student's score, each task's score) and from the autograded
notebooks (each hidden test's outcome, which the autograde pipeline records in its cell's metadata,
:data:`grading.protocol.messages.OUTCOMES`). Written next to ``grades.csv`` as
``report-<assignment>.csv`` (one row per task and per hidden test) and ``report-<assignment>.png``
(the score histogram, each task's mean score, and the hidden tests the fewest students passed).
``grading.batch.command`` writes it after each batch; ``make report``
(``python -m grading.batch.report ASSIGNMENT``) regenerates it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory

from grading import course
from grading.protocol.messages import OUTCOMES

#: Hidden tests shown in the picture, hardest first.
HARDEST_SHOWN = 12


@dataclass
class ClassReport:
    """What a class scored on one assignment.

    Attributes:
        scores: each graded student's total score.
        max_score: the assignment's maximum score.
        tasks: each graded cell's scores over the students, and its maximum.
        tests: each hidden test (``(task, description)``) with its outcomes over the students
            (True: passed; skipped tests are left out).
    """

    scores: dict[str, float] = field(default_factory=dict)
    max_score: float = 0.0
    tasks: dict[str, tuple[list[float], float]] = field(default_factory=dict)
    tests: dict[tuple[str, str], list[bool]] = field(default_factory=dict)

    def passed_share(self, test: tuple[str, str]) -> float:
        outcomes = self.tests[test]
        return sum(outcomes) / len(outcomes)


def collect(coursedir: CourseDirectory, assignment: str) -> ClassReport:
    """The report of ``assignment`` from the gradebook and the autograded folder."""
    report = ClassReport()
    task_scores: dict[str, list[float]] = defaultdict(list)
    task_max: dict[str, float] = {}
    tests: dict[tuple[str, str], list[bool]] = defaultdict(list)
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for submission in gradebook.find_assignment(assignment).submissions:
            if not submission.notebooks or all(
                grade.auto_score is None
                for nb in submission.notebooks
                for grade in nb.grades
                if grade.cell.cell_type == "code"
            ):
                continue  # recorded but never graded (an unreadable notebook)
            student = submission.student.id
            report.scores[student] = submission.score
            report.max_score = submission.max_score
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    task_max[grade.name] = grade.max_score
                    if grade.score is not None:  # None: a written answer not graded by hand yet
                        task_scores[grade.name].append(grade.score)
                path = (
                    course.step_folder(coursedir, "autograded", assignment, student)
                    / f"{notebook.name}.ipynb"
                )
                for task, entries in outcomes(path).items():
                    for entry in entries:
                        if entry["outcome"] != "skipped":
                            tests[task, entry["test"]].append(entry["outcome"] == "passed")
    report.tasks = {name: (task_scores[name], maximum) for name, maximum in task_max.items()}
    report.tests = dict(tests)
    return report


def outcomes(path: Path) -> dict[str, list[dict]]:
    """The hidden-test outcomes recorded in an autograded notebook, by graded cell."""
    if not path.is_file():
        return {}
    cells = json.loads(path.read_text()).get("cells", [])
    return {
        cell["metadata"]["nbgrader"]["grade_id"]: cell["metadata"][OUTCOMES]
        for cell in cells
        if OUTCOMES in cell.get("metadata", {})
    }


def write_csv(report: ClassReport, path: Path) -> None:
    """One row per task (mean score) and per hidden test (share of students who passed)."""
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["kind", "task", "test", "mean_score", "max_score", "passed", "students"])
        total = list(report.scores.values())
        writer.writerow(["assignment", "", "", _mean(total), report.max_score, "", len(total)])
        for task, (scores, maximum) in sorted(report.tasks.items()):
            writer.writerow(["task", task, "", _mean(scores), maximum, "", len(scores)])
        for (task, test), results in sorted(report.tests.items()):
            share = round(report.passed_share((task, test)), 4)
            writer.writerow(["hidden test", task, test, "", "", share, len(results)])


def _mean(values: list[float]) -> float | str:
    return round(sum(values) / len(values), 3) if values else ""


def plot(report: ClassReport, path: Path, title: str) -> None:
    """The score histogram, each task's mean (as a share of its points) and the hardest tests."""
    figure = Figure(figsize=(13, 4.2), layout="constrained")
    histogram, tasks, tests = figure.subplots(1, 3, width_ratios=[1, 1, 1.6])
    histogram.hist(
        list(report.scores.values()),
        bins=min(20, max(5, len(report.scores))),
        range=(0, report.max_score or 1),
        color="#4c72b0",
    )
    histogram.set(
        title=f"Scores ({len(report.scores)} students)", xlabel="score", ylabel="students"
    )
    histogram.yaxis.set_major_locator(MaxNLocator(integer=True))
    names = sorted(report.tasks)
    shares = [_share(*report.tasks[name]) for name in names]
    tasks.barh(names, shares, color="#55a868")
    tasks.set(title="Mean score per task", xlabel="share of the task's points", xlim=(0, 1))
    tasks.invert_yaxis()
    hardest = sorted(report.tests, key=report.passed_share)[:HARDEST_SHOWN]
    labels = [f"{task}: {test[:48]}" for task, test in hardest]
    tests.barh(labels, [report.passed_share(t) for t in hardest], color="#c44e52")
    tests.set(title="Hardest hidden tests", xlabel="share of students who passed", xlim=(0, 1))
    tests.invert_yaxis()
    tests.tick_params(axis="y", labelsize=7)
    figure.suptitle(title)
    figure.savefig(path, dpi=110)


def _share(scores: list[float], maximum: float) -> float:
    return sum(scores) / len(scores) / maximum if scores and maximum else 0.0


def main(*, assignment: str, root: Path = course.COURSE_ROOT) -> tuple[Path, Path]:
    """Write the class report of ``assignment`` next to ``grades.csv``; return the CSV and PNG.

    Args:
        assignment: the assignment id.
        root: the course root.
    """
    coursedir = CourseDirectory(config=course.load_config(root))
    report = collect(coursedir, assignment)
    csv_path = Path(coursedir.root) / f"report-{assignment}.csv"
    png_path = csv_path.with_suffix(".png")
    write_csv(report, csv_path)
    plot(report, png_path, f"{coursedir.course_id}: {assignment}")
    return csv_path, png_path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment", help="assignment id")
    written = main(assignment=parser.parse_args().assignment, root=Path.cwd())
    print("class report:", *written, file=sys.stdout)
