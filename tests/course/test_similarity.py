"""``python -m grading.similarity`` (``make similarity``) on a course copy: the similarity corpus
submitted, the report and the CSV it writes."""

from __future__ import annotations

import csv
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from support.courses import Course
from support.similarity_corpus import COPY, TASKS, submit_corpus

pytestmark = pytest.mark.slow

ASSIGNMENT = "ex09"


@dataclass
class Report:
    students: list[str]
    printed: str
    html: str
    rows: list[dict[str, str]]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    course = Course(tmp_path_factory.mktemp("course"))
    students = submit_corpus(course)
    course.submit("corrupt", b'{"cells": [', assignment=ASSIGNMENT)
    ran = course.run(sys.executable, "-m", "grading.similarity", ASSIGNMENT)
    with (course.root / f"similarity-{ASSIGNMENT}.csv").open() as file:
        rows = list(csv.DictReader(file))
    html = (course.root / f"similarity-{ASSIGNMENT}.html").read_text()
    yield Report(students, ran.stdout, html, rows)


def test_the_csv_has_every_pair_with_a_score_per_task(report: Report):
    pairs = {tuple(sorted((row["student_a"], row["student_b"]))) for row in report.rows}
    expected = set(itertools.combinations(report.students, 2))
    assert pairs == expected, f"expected every pair of {len(report.students)} students once"
    assert list(report.rows[0]) == [
        "student_a",
        "student_b",
        "whole",
        *sorted_tasks(report),
        "flagged",
    ]


def sorted_tasks(report: Report) -> list[str]:
    """The CSV's task columns: every code solution cell of the notebook, in its order."""
    return list(report.rows[0])[3:-1]


def test_exactly_the_copies_are_flagged_highest_first(report: Report):
    flagged = [(row["student_a"], row["student_b"]) for row in report.rows if row["flagged"] == "1"]
    expected = sorted((s, s + COPY) for s in report.students if not s.endswith(COPY))
    assert sorted(flagged) == expected, f"expected the copies flagged, got {flagged}"
    scores = [float(row["whole"]) for row in report.rows]
    assert scores == sorted(scores, reverse=True), "expected the CSV ordered from the highest score"
    assert set(TASKS) <= set(sorted_tasks(report)), f"expected columns for {TASKS}"


def test_the_page_shows_each_flagged_pair_side_by_side_with_the_matches_marked(report: Report):
    assert "not a verdict" in report.html, "expected the page to say similarity is no verdict"
    for author in (s for s in report.students if not s.endswith(COPY)):
        assert f"{author} and {author}{COPY}" in report.html, f"expected {author}'s pair shown"
    assert report.html.count("<mark>") >= len(report.students) // 2, "expected marked matches"
    assert "loops and stride_tricks" not in report.html, "expected independents left out"


def test_an_unreadable_submission_is_named_and_left_out(report: Report):
    assert "corrupt: left out" in report.printed, f"expected it named, got {report.printed!r}"
    assert all("corrupt" not in (row["student_a"], row["student_b"]) for row in report.rows)
    assert "7 flagged" in report.printed, f"expected the summary's count, got {report.printed!r}"
