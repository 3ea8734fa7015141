"""A regrade's record: whose marks moved and how, and ``--keep-higher`` putting back a task's
earlier score with the late penalty computed from it."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from grading.batch import regrade

DUE = datetime(2026, 11, 16, 18)


@pytest.fixture
def course(tmp_path: Path) -> tuple[CourseDirectory, Config]:
    """A gradebook with ada (a day late) and bob (on time) graded 10/10 and 4/10 on two tasks of
    ex10, and the course's late rule."""
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    config.AssignLatePenalties.plugin_class = "grading.pipeline.late.PenaltyPerDay"
    coursedir = CourseDirectory(config=config)
    with Gradebook(coursedir.db_url) as gradebook:
        gradebook.add_assignment("ex10", duedate=DUE)
        gradebook.add_notebook("ex10", "ex10")
        for task in ("pool", "conv"):
            gradebook.add_grade_cell(task, "ex10", "ex10", max_score=10.0, cell_type="code")
        for student, late, score in (
            ("ada", timedelta(hours=20), 10.0),
            ("bob", timedelta(0), 4.0),
        ):
            gradebook.add_student(student)
            gradebook.add_submission("ex10", student, timestamp=DUE + late)
            for task in ("pool", "conv"):
                gradebook.find_grade(task, "ex10", "ex10", student).auto_score = score
        gradebook.find_submission_notebook("ex10", "ex10", "ada").late_submission_penalty = 2.0
        gradebook.db.commit()
    return coursedir, config


def regrade_pool(coursedir: CourseDirectory, student: str, score: float, penalty: float) -> None:
    """What a regrade of ``student`` records after the pooling test changed."""
    with Gradebook(coursedir.db_url) as gradebook:
        gradebook.find_grade("pool", "ex10", "ex10", student).auto_score = score
        gradebook.find_submission_notebook(
            "ex10", "ex10", student
        ).late_submission_penalty = penalty
        gradebook.db.commit()


def test_keep_higher_puts_back_the_earlier_score_and_its_late_penalty(course):
    coursedir, config = course
    before = regrade.snapshot(coursedir, "ex10", ["ada", "bob"])
    regrade_pool(coursedir, "ada", 6.0, 1.6)  # 10 % of 16
    kept = regrade.keep_higher(coursedir, config, "ex10", before)
    after = regrade.snapshot(coursedir, "ex10", ["ada", "bob"])
    assert kept == {"ada": ["pool"]}, f"expected ada's pooling score kept, got {kept}"
    assert after["ada"] == before["ada"], (
        f"expected ada's marks and late penalty as before, {before['ada']}; got {after['ada']}"
    )


def test_keep_higher_leaves_a_score_a_grader_set_by_hand(course):
    coursedir, config = course
    before = regrade.snapshot(coursedir, "ex10", ["bob"])
    with Gradebook(coursedir.db_url) as gradebook:
        grade = gradebook.find_grade("pool", "ex10", "ex10", "bob")
        grade.auto_score, grade.manual_score = 1.0, 3.0
        gradebook.db.commit()
    assert regrade.keep_higher(coursedir, config, "ex10", before) == {}, "expected nothing kept"
    assert regrade.snapshot(coursedir, "ex10", ["bob"])["bob"].tasks["pool"] == 3.0


def test_the_diff_has_old_and_new_per_task_and_says_what_moved(course, tmp_path: Path):
    coursedir, _ = course
    before = regrade.snapshot(coursedir, "ex10", ["ada", "bob"])
    regrade_pool(coursedir, "ada", 6.0, 1.6)
    after = regrade.snapshot(coursedir, "ex10", ["ada", "bob"])
    assert regrade.moved(before, after) == ["ada"], "expected only ada's marks to move"
    said = regrade.changes(before["ada"], after["ada"], [])
    assert said == "pool 10 -> 6, late penalty 2 -> 1.6", f"got {said!r}"
    path = tmp_path / "regrade.csv"
    regrade.write_diff(path, before, after, after, {})
    with path.open() as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    assert (rows["ada"]["pool old"], rows["ada"]["pool new"]) == ("10", "6"), rows["ada"]
    assert (rows["ada"]["total old"], rows["ada"]["total new"]) == ("18", "14.4"), rows["ada"]
    assert rows["bob"]["moved"] == "0" and rows["ada"]["moved"] == "1", rows
