"""Item analysis of hidden tests: the share who passed, discrimination against the rest of the
score, and the flags with what they mean."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from grading.batch import items
from grading.batch.report import ClassReport, write_csv

STUDENTS = [f"s{i}" for i in range(6)]
REST = dict(zip(STUDENTS, [10.0, 20.0, 30.0, 40.0, 50.0, 60.0], strict=True))


def outcomes(*passed: bool) -> dict[str, bool]:
    return dict(zip(STUDENTS, passed, strict=True))


def test_a_test_the_better_students_pass_discriminates_and_is_not_flagged():
    item = items.analyse(outcomes(False, False, False, True, True, True), REST)
    assert item.discrimination == pytest.approx(0.878, abs=1e-3) and not item.flag, (
        f"expected a positive discrimination and no flag, got {item}"
    )


def test_a_test_the_better_students_fail_is_flagged_as_negative():
    item = items.analyse(outcomes(True, True, True, False, False, True), REST)
    assert item.discrimination < 0 and item.flag == "negative discrimination", (
        f"expected a negative discrimination flagged, got {item}"
    )
    assert "check the test" in item.reading, f"expected a reading of the flag, got {item.reading!r}"


@pytest.mark.parametrize(("passed", "flag"), [(True, "everyone passes"), (False, "no one passes")])
def test_a_test_with_one_outcome_for_all_separates_no_one(passed: bool, flag: str):
    item = items.analyse(outcomes(*[passed] * 6), REST)
    assert item.flag == flag and item.discrimination is None, (
        f"expected {flag!r} and no discrimination, got {item}"
    )


def test_too_few_students_for_a_negative_discrimination_to_be_flagged():
    few = dict(list(outcomes(True, True, False, False, True, True).items())[:4])
    item = items.analyse(few, REST)
    assert item.discrimination is not None and item.discrimination < 0 and not item.flag, (
        f"expected a negative value but no flag for {len(few)} students, got {item}"
    )


def class_report() -> ClassReport:
    """Six students; the hidden test of task ``a`` is passed by those who did worse on task
    ``b``, while task ``a``'s own points follow the test."""
    report = ClassReport(max_score=20.0)
    passed = outcomes(True, True, True, False, False, False)
    a_scores = {s: 10.0 if passed[s] else 0.0 for s in STUDENTS}
    b_scores = dict(zip(STUDENTS, [1.0, 2.0, 3.0, 7.0, 8.0, 9.0], strict=True))
    report.scores = {s: a_scores[s] + b_scores[s] for s in STUDENTS}
    report.tasks = {"a": (a_scores, 10.0), "b": (b_scores, 10.0)}
    report.tests = {("a", "computes a"): passed}
    return report


def test_discrimination_leaves_out_the_tests_own_task():
    item = class_report().item(("a", "computes a"))
    assert item.flag == "negative discrimination", (
        f"expected the test judged against task b alone (negative), got {item}"
    )


def test_the_csv_has_each_tasks_spread_and_each_tests_flag(tmp_path: Path):
    path = tmp_path / "report.csv"
    write_csv(class_report(), path)
    with path.open() as file:
        rows = {(row["kind"], row["task"]): row for row in csv.DictReader(file)}
    assert float(rows["task", "b"]["spread"]) == pytest.approx(3.109, abs=1e-3), (
        f"expected task b's standard deviation, got {rows['task', 'b']}"
    )
    test = rows["hidden test", "a"]
    assert test["flag"] == "negative discrimination" and test["reading"], (
        f"expected the flag and its reading in the CSV, got {test}"
    )
