"""The bundled samples match the current release, and the demo grades them."""

from __future__ import annotations

import pytest
from conftest import Course
from tests_paths import ASSIGNMENT, ROOT

from grading import demo, samples


def test_committed_samples_are_up_to_date():
    for student, content in samples.build(ASSIGNMENT).items():
        path = ROOT / "samples" / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert path.is_file() and path.read_bytes() == content, (
            f"{path} is stale or missing: run `make samples`"
        )


@pytest.mark.slow
def test_demo_grades_the_samples_and_reports_the_broken_one(tmp_path, capsys):
    course = Course(tmp_path)
    assert demo.main(assignment=ASSIGNMENT, root=course.root, samples=ROOT / "samples") == 0, (
        "the demo should succeed"
    )
    out = capsys.readouterr().out
    lines = {
        line.split()[0]: line
        for line in out.splitlines()
        if line.split() and line.split()[0] in ("perfect", "partial", "broken")
    }
    assert "22 / 22" in lines["perfect"], (
        f"the perfect sample should score 22 / 22, got {lines['perfect']!r}"
    )
    assert "graded" in lines["partial"] and "22 / 22" not in lines["partial"], (
        f"got {lines['partial']!r}"
    )
    assert "not graded: NotJSONError" in lines["broken"], (
        f"the broken sample should be reported, got {lines['broken']!r}"
    )
    rows = (course.root / "grades.csv").read_text().splitlines()
    assert len(rows) == 4, f"expected a header and 3 students in grades.csv, got {rows}"
    assert (course.root / "feedback" / "perfect" / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file(), (
        "feedback missing"
    )
