"""The class report: how a class did on an assignment, for the instructor.

Read from the gradebook (each student's score, each task's score) and from the autograded
notebooks (each hidden test's outcome, which the autograde pipeline records in its cell's metadata,
:data:`grading.protocol.messages.OUTCOMES`). Written next to ``grades.csv`` as
``report-<assignment>.csv`` (one row per task: mean and spread; one per hidden test: the share who
passed, its discrimination and any flag, :mod:`grading.batch.items`) and ``report-<assignment>.png``
(the score histogram, each task's mean score, the hidden tests the fewest students passed and the
least discriminating ones).
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
from grading.batch import items
from grading.protocol.messages import OUTCOMES

#: Hidden tests shown in each of the picture's test panels.
TESTS_SHOWN = 12
Test = tuple[str, str]  # (task, the hidden test's description)


@dataclass
class ClassReport:
    """What a class scored on one assignment.

    Attributes:
        scores: each graded student's total score.
        max_score: the assignment's maximum score.
        tasks: each graded cell's score by student, and its maximum.
        tests: each hidden test's outcome by student (True: passed; skipped tests are left out).
    """

    scores: dict[str, float] = field(default_factory=dict)
    max_score: float = 0.0
    tasks: dict[str, tuple[dict[str, float], float]] = field(default_factory=dict)
    tests: dict[Test, dict[str, bool]] = field(default_factory=dict)

    def item(self, test: Test) -> items.Item:
        """The test's item analysis: its outcomes against the rest of each student's score."""
        task_scores = self.tasks.get(test[0], ({}, 0.0))[0]
        outcomes = self.tests[test]
        rest = {s: self.scores[s] - task_scores.get(s, 0.0) for s in outcomes}
        return items.analyse(outcomes, rest)


def collect(coursedir: CourseDirectory, assignment: str) -> ClassReport:
    """The report of ``assignment`` from the gradebook and the autograded folder."""
    report = ClassReport()
    task_scores: dict[str, dict[str, float]] = defaultdict(dict)
    task_max: dict[str, float] = {}
    tests: dict[Test, dict[str, bool]] = defaultdict(dict)
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for submission in gradebook.find_assignment(assignment).submissions:
            if not course.autograded(submission):
                continue  # recorded but never graded (an unreadable notebook)
            student = submission.student.id
            report.scores[student] = submission.score
            report.max_score = submission.max_score
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    task_max[grade.name] = grade.max_score
                    if grade.score is not None:  # None: a written answer not graded by hand yet
                        task_scores[grade.name][student] = grade.score
                path = (
                    course.step_folder(coursedir, "autograded", assignment, student)
                    / f"{notebook.name}.ipynb"
                )
                for task, entries in outcomes(path).items():
                    for entry in entries:
                        if entry["outcome"] != "skipped":
                            tests[task, entry["test"]][student] = entry["outcome"] == "passed"
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
    """One row for the assignment and one per task (mean score and spread), one per hidden test
    (share who passed, discrimination, flag and what it means)."""
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["kind", "task", "test", "mean_score", "spread", "max_score", "passed"]
            + ["discrimination", "students", "flag", "reading"]
        )
        total = list(report.scores.values())
        writer.writerow(
            ["assignment", "", "", _mean(total), _round(items.spread(total)), report.max_score]
            + ["", "", len(total), "", ""]
        )
        for task, (scores, maximum) in sorted(report.tasks.items()):
            values = list(scores.values())
            writer.writerow(
                ["task", task, "", _mean(values), _round(items.spread(values)), maximum]
                + ["", "", len(values), "", ""]
            )
        for task, test in sorted(report.tests):
            item = report.item((task, test))
            writer.writerow(
                ["hidden test", task, test, "", "", "", _round(item.passed)]
                + [_round(item.discrimination), item.students, item.flag, item.reading]
            )


def _mean(values: list[float]) -> float | str:
    return round(sum(values) / len(values), 3) if values else ""


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 3)


def plot(report: ClassReport, path: Path, title: str) -> None:
    """The score histogram, each task's mean and spread (as shares of its points), the hardest
    hidden tests and the least discriminating ones (flagged tests in red)."""
    figure = Figure(figsize=(15, 8.5), layout="constrained")
    (histogram, tasks), (hardest, weakest) = figure.subplots(2, 2)
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
    means = [_share(*report.tasks[name]) for name in names]
    spreads = [_spread_share(*report.tasks[name]) for name in names]
    tasks.barh(names, means, xerr=spreads, color="#55a868", ecolor="#2d5d3a", capsize=3)
    tasks.set(
        title="Mean score per task (bars: ± one SD)",
        xlabel="share of the task's points",
        xlim=(0, 1),
    )
    tasks.invert_yaxis()
    analysed = {test: report.item(test) for test in report.tests}
    by_share = sorted(analysed, key=lambda test: analysed[test].passed)[:TESTS_SHOWN]
    _test_bars(hardest, by_share, [analysed[t].passed for t in by_share], analysed)
    hardest.set(
        title="Hardest tests (red: flagged)",
        xlabel="share of students who passed",
        xlim=(0, 1),
    )
    varying = [test for test in analysed if analysed[test].discrimination is not None]
    by_discrimination = sorted(varying, key=lambda test: analysed[test].discrimination)
    shown = by_discrimination[:TESTS_SHOWN]
    _test_bars(weakest, shown, [analysed[t].discrimination for t in shown], analysed)
    weakest.axvline(0, color="black", linewidth=0.8)
    weakest.set(
        title="Least discriminating tests (red: flagged)",
        xlabel="correlation of passing with the rest of the score",
        xlim=(-1, 1),
    )
    figure.suptitle(title)
    figure.savefig(path, dpi=110)


def _test_bars(axes, tests: list[Test], values: list[float], analysed: dict) -> None:
    labels = [f"{task}: {test[:48]}" for task, test in tests]
    colors = ["#c44e52" if analysed[test].flag else "#8c8c8c" for test in tests]
    axes.barh(labels, values, color=colors)
    axes.invert_yaxis()
    axes.tick_params(axis="y", labelsize=7)


def _share(scores: dict[str, float], maximum: float) -> float:
    values = list(scores.values())
    return sum(values) / len(values) / maximum if values and maximum else 0.0


def _spread_share(scores: dict[str, float], maximum: float) -> float:
    return items.spread(list(scores.values())) / maximum if maximum else 0.0


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
