"""The bundled samples match the current release, and the demo grades them."""

from __future__ import annotations

import csv

import pytest
from conftest import Course
from tests_paths import ASSIGNMENT, ROOT

from grading import demo, samples


def test_committed_samples_are_up_to_date():
    plan = samples.plan(ASSIGNMENT)
    for student, content in samples.build(ASSIGNMENT).items():
        path = ROOT / "samples" / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert path.is_file() and path.read_bytes() == content, (
            f"{path} is stale or missing: run `make samples`"
        )
        timestamp, expected = path.parent / "timestamp.txt", plan.submitted_at[student]
        assert timestamp.read_text() == expected, (
            f"{timestamp} should say {expected!r}: run `make samples`"
        )


@pytest.mark.slow
def test_demo_grades_the_samples_and_reports_the_broken_one(tmp_path, capsys):
    course = Course(tmp_path)
    assert demo.main(root=course.root, samples=ROOT / "samples") == 0, "the demo should succeed"
    out = capsys.readouterr().out
    lines = {
        line.split()[0]: line
        for line in out.splitlines()
        if line.split() and line.split()[0] in ("perfect", "partial", "broken")
    }
    assert "22 / 22" in lines["perfect"], (
        f"the perfect sample should score 22 / 22, got {lines['perfect']!r}"
    )
    assert "graded (late: " in lines["partial"] and "22 / 22" not in lines["partial"], (
        f"the partial sample, a day late, should be graded with a late penalty, got "
        f"{lines['partial']!r}"
    )
    assert "not graded: NotJSONError" in lines["broken"], (
        f"the broken sample should be reported, got {lines['broken']!r}"
    )
    rows = {row["student_id"]: row for row in csv.DictReader(open(course.root / "grades.csv"))}
    assert sorted(rows) == ["broken", "partial", "perfect"], (
        f"expected the 3 sample students in grades.csv, got {sorted(rows)}"
    )
    assert (rows["perfect"]["first_name"], rows["perfect"]["last_name"]) == ("Grace", "Hopper"), (
        f"expected the roster's name of the perfect sample, got {rows['perfect']}"
    )
    partial = rows["partial"]
    assert float(partial["late_submission_penalty"]) == pytest.approx(
        0.1 * float(partial["raw_score"])
    ), f"the partial sample is one started day late: expected a 10 % penalty, got {partial}"
    assert float(rows["perfect"]["late_submission_penalty"]) == 0, (
        f"the perfect sample came before the due date, got {rows['perfect']}"
    )
    assert (course.root / "feedback" / "perfect" / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file(), (
        "feedback missing"
    )
