"""The bundled samples match the current release, and the demo grades them."""

from __future__ import annotations

import csv

import pytest
from nbgrader.utils import parse_utc

from grading import demo, samples
from support.courses import Course
from support.paths import ASSIGNMENT, ASSIGNMENTS, ROOT


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_samples_are_up_to_date(assignment):
    plan = samples.plan(assignment)
    for student, content in samples.build(assignment).items():
        path = ROOT / "samples" / "submitted" / student / assignment / f"{assignment}.ipynb"
        assert path.is_file() and path.read_bytes() == content, (
            f"{path} is stale or missing: run `make samples`"
        )
        timestamp, expected = path.parent / "timestamp.txt", plan.submitted_at[student]
        assert timestamp.read_text() == expected, (
            f"{timestamp} should say {expected!r}: run `make samples`"
        )


def sections(out: str) -> dict[str, dict[str, str]]:
    """The demo's summary lines of each sample student, by assignment (``ex09:`` headers)."""
    found: dict[str, dict[str, str]] = {}
    current, students = None, {row[0] for row in samples.ROSTER}
    for line in out.splitlines():
        if line.rstrip(":") in ASSIGNMENTS and line.endswith(":"):
            current = found.setdefault(line.rstrip(":"), {})
        elif current is not None and line.split() and line.split()[0] in students:
            current[line.split()[0]] = line
    return found


@pytest.mark.slow
def test_demo_grades_the_samples_and_reports_the_broken_one(tmp_path, capsys):
    course = Course(tmp_path)
    assert demo.main(root=course.root, samples=ROOT / "samples") == 0, "the demo should succeed"
    summaries = sections(capsys.readouterr().out)
    assert sorted(summaries) == ASSIGNMENTS, f"expected a summary per assignment, got {summaries}"
    rows = {
        (row["assignment"], row["student_id"]): row
        for row in csv.DictReader(open(course.root / "grades.csv"))
    }
    for assignment, lines in summaries.items():
        perfect = rows[assignment, "perfect"]
        by_hand = sum(course.written_answers(assignment).values())
        maximum = float(perfect["max_score"])
        full = f"{maximum - by_hand:g} / {maximum:g}  graded"
        assert full in lines["perfect"], (
            f"{assignment}: the perfect sample should score every autograded point, {full}, got "
            f"{lines['perfect']!r}"
        )
        if by_hand:
            assert f"{by_hand:g} points to grade by hand" in lines["perfect"], (
                f"{assignment}: expected the summary to say {by_hand:g} points wait for a "
                f"grader, got {lines['perfect']!r}"
            )
        assert "graded" in lines["partial"] and full not in lines["partial"], (
            f"{assignment}: the partial sample should be graded below full marks, got "
            f"{lines['partial']!r}"
        )
        assert "not graded: NotJSONError" in lines["broken"], (
            f"{assignment}: the broken sample should be reported, got {lines['broken']!r}"
        )
        assert (perfect["first_name"], perfect["last_name"]) == ("Grace", "Hopper"), (
            f"expected the roster's name of the perfect sample, got {perfect}"
        )
        plan = samples.plan(assignment)
        for student in ("perfect", "partial"):
            row = rows[assignment, student]
            late = parse_utc(plan.submitted_at[student]) > parse_utc(plan.due_date)
            expected = 0.1 * float(row["raw_score"]) if late else 0.0
            assert float(row["late_submission_penalty"]) == pytest.approx(expected), (
                f"{assignment}/{student} submitted {plan.submitted_at[student]}, due "
                f"{plan.due_date}: expected a penalty of {expected:g}, got {row}"
            )
        assert (
            course.root / "feedback" / "perfect" / assignment / f"{assignment}.html"
        ).is_file(), f"{assignment}: feedback missing"
    assert "graded (late: " in summaries[ASSIGNMENT]["partial"], (
        f"ex09's partial sample is a day late, got {summaries[ASSIGNMENT]['partial']!r}"
    )
